"""The JSON API v1 (docs/API.md): prepare sessions (create, list, edit, copy, delete), protocols, QR, handout."""

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from exports.handout_pdf import Handout, build_handout_pdf
from exports.qr import qr_svg
from facilitator import runtime
from facilitator.edge import urls
from facilitator.edge.language import language
from facilitator.edge.payloads import json_body
from facilitator.library import library
from facilitator.live import broadcast
from facilitator.routes import session_exports
from facilitator.store import get_store
from facilitator.usecases import forgetting
from facilitator.usecases.language_choice import new_session_language
from protocols.credentials import normalise_join_code, secret_digest, secret_matches
from protocols.errors import DomainError
from protocols.organisations import session_goals
from protocols.session import Session
from protocols.setup import (
    PreparedSession,
    details_view,
    goal_step_ids,
    parse_duplicate,
    parse_new_session,
    parse_session_edit,
    prepared_view,
)
from protocols.views import protocol_view
from protocols.visibility import Audience

bp = Blueprint("api", __name__)


def require_admin() -> None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    expected = secret_digest(current_app.config["ADMIN_TOKEN"])
    if scheme.lower() != "bearer" or not secret_matches(token.strip(), expected):
        raise DomainError("unauthorized", "Send the admin token as 'Authorization: Bearer <token>'.")


def _session_at(code: str) -> PreparedSession:
    normal = normalise_join_code(code)
    prepared = get_store().prepared_session(normal) if normal else None
    if prepared is None:
        raise DomainError("unknown_session", "There is no session with that code.")
    return prepared


def _admin_session(code: str) -> PreparedSession:
    """The session at ``code`` for the admin token's holder. An address that cannot hold a join code is a 404 to
    anyone, as on every other route; a real one needs the token before the session is looked up."""
    if normalise_join_code(code) is not None:
        require_admin()
    return _session_at(code)


def _links(session: Session, key: str) -> dict[str, Any]:
    """What a new session's maker needs once: the code, the facilitator key and the three addresses."""
    return {
        "code": session.code,
        "facilitator_key": key,
        "join_url": urls.join_url(session.code),
        "projector_url": urls.projector_url(session.code),
        "console_url": urls.console_url(session.code, key),
        "date": session.date,
        "organisation_id": session.organisation_id,
        "system_goals": [{"id": g.id, "title": g.title, "description": g.description} for g in session.system_goals],
    }


@bp.post("/api/sessions")
def create_session() -> Any:
    require_admin()
    new = parse_new_session(json_body(), library())
    session_language = new_session_language(json_body())
    store = get_store()
    goals: list[tuple[str, str, int | None]] = [(title, description, None) for title, description in new.system_goals]
    organisation_name = new.organisation
    if new.organisation_id is not None:
        organisation = store.organisation(new.organisation_id)
        if organisation is None:
            raise DomainError("unknown_organisation", "There is no organisation with that id.")
        goals = session_goals(organisation, new.system_goals)
        organisation_name = organisation.name
    session, key = store.create_session(
        new.title, organisation_name, goals, new.agenda, new.join_question, new.facilitator, new.date,
        new.day_minutes, new.organisation_id, session_language,
    )  # fmt: skip
    return jsonify(_links(session, key)), 201


@bp.get("/api/sessions")
def list_sessions() -> Any:
    require_admin()
    return jsonify({"sessions": [prepared_view(prepared) for prepared in get_store().prepared_sessions()]})


@bp.get("/api/sessions/<code>")
def session_details(code: str) -> Any:
    return jsonify(details_view(_admin_session(code)))


@bp.patch("/api/sessions/<code>")
def edit_session(code: str) -> Any:
    prepared = _admin_session(code)
    store = get_store()
    picks = store.goal_picks(prepared.session.id, goal_step_ids(prepared.session))
    edit = parse_session_edit(json_body(), prepared, library(), picks)
    store.update_session(prepared.session.id, edit)
    updated = _session_at(code)
    broadcast.send_states(updated.session)  # screens already open show the new title and goals at once
    return jsonify(details_view(updated))


@bp.post("/api/sessions/<code>/duplicate")
def duplicate_session(code: str) -> Any:
    """A copy for another day: same goals, agenda, question and time; no people, no answers, a new key."""
    source = _admin_session(code)
    day = parse_duplicate(json_body(required=False), source)
    old = source.session
    goals = [(goal.title, goal.description, goal.organisation_goal_id) for goal in old.system_goals]
    session, key = get_store().create_session(
        old.title, old.organisation, goals, old.agenda, old.join_question, old.facilitator, day, old.day_minutes,
        old.organisation_id, old.language,
    )  # fmt: skip
    return jsonify(_links(session, key)), 201


@bp.delete("/api/sessions/<code>")
def delete_session(code: str) -> Any:
    session = _admin_session(code).session
    forgetting.forget(get_store(), session_exports.runner(), forgetting.WholeSession(session))  # its export goes too
    broadcast.disconnect(session.id)  # open screens of a session that is gone
    return "", 204


@bp.post("/api/sessions/<code>/console-link")
def console_link(code: str) -> Any:
    """A new facilitator key, since only its digest is kept: the old key stops opening the console."""
    session = _admin_session(code).session
    key = get_store().new_facilitator_key(session.id)
    broadcast.disconnect(session.id, Audience.FACILITATOR)  # a console opened with the old key stops now
    return jsonify({"code": session.code, "facilitator_key": key, "console_url": urls.console_url(session.code, key)})


@bp.get("/api/sessions/<code>/handout.pdf")
def handout(code: str) -> Response:
    """The join handout for the tables. No token: it holds only what the projector shows the room."""
    session = _session_at(code).session
    paper = request.args.get("paper", current_app.config["PAPER_SIZE"])
    data = Handout(
        title=session.title,
        organisation=session.organisation,
        date=session.date,
        code=session.code,
        join_url=urls.join_url(session.code),
        code_url=f"{urls.base_url()}/j",
    )
    try:
        in_session_language = language(session.language)
        pdf = runtime.offload(current_app.config["ASYNC_MODE"], build_handout_pdf, data, paper, in_session_language)
    except ValueError:
        raise DomainError("bad_paper", "Paper size must be A4 or LETTER, not {paper}.", paper=repr(paper)) from None
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="join-{session.code}.pdf"'
    return response


@bp.get("/api/protocols")
def list_protocols() -> Any:
    return jsonify({"protocols": [protocol_view(p) for p in library().values()]})


@bp.get("/api/sessions/<code>/qr.svg")
def join_qr(code: str) -> Response:
    response = Response(qr_svg(urls.join_url(_session_at(code).session.code)), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/healthz")
def health() -> Any:
    get_store().count_participants(0)  # the database answers
    return jsonify({"ok": True})
