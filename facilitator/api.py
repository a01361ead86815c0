"""The JSON API v1 (docs/API.md): create sessions, list protocols, the join QR code, health."""

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from exports.qr import qr_svg
from facilitator import urls
from facilitator.store import get_store
from protocols.credentials import normalise_join_code, secret_digest, secret_matches
from protocols.errors import DomainError
from protocols.loader import load_library
from protocols.model import Protocol
from protocols.session import AgendaItem
from protocols.setup import parse_new_session
from protocols.views import protocol_view

bp = Blueprint("api", __name__)


def require_admin() -> None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    expected = secret_digest(current_app.config["ADMIN_TOKEN"])
    if scheme.lower() != "bearer" or not secret_matches(token.strip(), expected):
        raise DomainError("unauthorized", "Send the admin token as 'Authorization: Bearer <token>'.")


def library() -> dict[str, Protocol]:
    """The protocol library, read once per app."""
    if "pathways.library" not in current_app.extensions:
        current_app.extensions["pathways.library"] = load_library()
    return current_app.extensions["pathways.library"]


@bp.post("/api/sessions")
def create_session() -> Any:
    require_admin()
    payload = request.get_json(silent=True)
    if payload is None:
        raise DomainError("bad_request", "The body must be JSON (Content-Type: application/json).")
    new = parse_new_session(payload, library())
    agenda = [
        AgendaItem(uid, library()[protocol_id], rounds) for uid, (protocol_id, rounds) in enumerate(new.agenda, start=1)
    ]
    session, key = get_store().create_session(
        new.title, new.organisation, new.system_goals, agenda, new.join_question, new.facilitator, new.date
    )
    body = {
        "code": session.code,
        "facilitator_key": key,
        "join_url": urls.join_url(session.code),
        "projector_url": urls.projector_url(session.code),
        "console_url": urls.console_url(session.code, key),
        "date": session.date,
        "system_goals": [{"id": g.id, "title": g.title, "description": g.description} for g in session.system_goals],
    }
    return jsonify(body), 201


@bp.get("/api/protocols")
def list_protocols() -> Any:
    return jsonify({"protocols": [protocol_view(p) for p in library().values()]})


@bp.get("/api/sessions/<code>/qr.svg")
def join_qr(code: str) -> Response:
    normal = normalise_join_code(code)
    if normal is None or get_store().session_by_code(normal) is None:
        raise DomainError("unknown_session", "There is no session with that code.")
    response = Response(qr_svg(urls.join_url(normal)), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/healthz")
def health() -> Any:
    get_store().count_participants(0)  # the database answers
    return jsonify({"ok": True})
