"""Student work on a step over HTTP, for the console (the room's: put up, take down; every table's: open) and the
projector (the room's pages); what the phone's routes (participant/artifacts.py) share with them."""

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from facilitator.edge.replies import ack_ok, private_download
from facilitator.edge.uploads import read_upload, room_for_an_upload
from facilitator.live import artifacts as live_artifacts
from facilitator.routes.session_exports import facilitator_session
from facilitator.store import get_store
from facilitator.usecases import artifacts
from protocols.artifacts import Artifact, artifact_view, mimetype
from protocols.credentials import normalise_join_code
from protocols.errors import DomainError
from protocols.session import Session

bp = Blueprint("artifacts", __name__)
bp.before_request(room_for_an_upload)


def data_dir() -> str:
    return current_app.config["DATA_DIR"]


def mode() -> str:
    return current_app.config["ASYNC_MODE"]


def page(artifact: Artifact, number: int) -> Response:
    """A page's bytes (``?size=thumb``: its small picture), never shown as a page of its own: its own type, the
    browser told not to guess it, and kept by no shared cache."""
    data, name = artifacts.page_bytes(data_dir(), artifact, number, request.args.get("size") == "thumb")
    suffix = name.rsplit(".", 1)[-1]
    return private_download(data, mimetype(name), f"student-work-{artifact.id}-{number}.{suffix}")


@bp.post("/api/sessions/<code>/artifacts")
def upload(code: str) -> Any:
    """The room's student work for the open step's round, from the console: every phone and the projector show it
    while the round's steps run. Replaces the room's artifact of that round."""
    session = facilitator_session(code)
    artifact = artifacts.from_facilitator(get_store(), data_dir(), mode(), session, read_upload())
    live_artifacts.announce(session, artifact)
    return jsonify(artifact_view(artifact)), 201


@bp.delete("/api/sessions/<code>/artifacts/<int:artifact_id>")
def take_down(code: str, artifact_id: int) -> Any:
    """Any of the session's artifacts, the room's or a table's."""
    session = facilitator_session(code)
    artifact = artifacts.of_session(get_store(), session, artifact_id)
    artifacts.take_down(get_store(), data_dir(), artifact)
    live_artifacts.announce(session, artifact)
    return jsonify(ack_ok())


@bp.get("/api/sessions/<code>/artifacts/<int:artifact_id>/pages/<int:number>")
def console_page(code: str, artifact_id: int, number: int) -> Response:
    session = facilitator_session(code)
    return page(artifacts.of_session(get_store(), session, artifact_id), number)


@bp.get("/projector/<code>/artifacts/<int:artifact_id>/pages/<int:number>")
def projector_page(code: str, artifact_id: int, number: int) -> Response:
    """The room's student work only: the projector shows what the whole room may see."""
    return page(artifacts.for_projector(get_store(), projector_session(code), artifact_id), number)


def projector_session(code: str) -> Session:
    """The session a projector's address names: its join code is all a projector holds (what the room sees)."""
    normal = normalise_join_code(code)
    session = get_store().session_by_code(normal) if normal else None
    if session is None:
        raise DomainError("unknown_session", "There is no session with that code.")
    return session
