"""Media on a step over HTTP: the console puts an image or a PDF on a step (or adds a slide with one), takes it off
and opens any step's pages; the projector and a phone open the open step's pages, each with its own credential."""

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from facilitator.edge.replies import ack_ok, private_download
from facilitator.edge.uploads import read_upload, room_for_an_upload
from facilitator.live import media as live_media
from facilitator.routes.artifacts import projector_session
from facilitator.routes.session_exports import facilitator_session
from facilitator.store import get_store
from facilitator.usecases import media
from participant.pages import holder
from protocols.artifacts import mimetype
from protocols.session import Session

bp = Blueprint("media", __name__)
bp.before_request(room_for_an_upload)


def data_dir() -> str:
    return current_app.config["DATA_DIR"]


def mode() -> str:
    return current_app.config["ASYNC_MODE"]


def page(found: media.Found, number: int) -> Response:
    """A page's bytes (``?size=thumb``: its small picture): its own type, the browser told not to guess it, kept by
    no shared cache."""
    data, name = media.page_bytes(data_dir(), mode(), found, number, request.args.get("size") == "thumb")
    suffix = name.rsplit(".", 1)[-1]
    return private_download(data, mimetype(name), f"media-{number}.{suffix}")


def step_view(session: Session, step_key: str) -> dict[str, Any]:
    """The step's media as the console is sent it, after a change (null: none shown)."""
    now = get_store().session_by_id(session.id) or session
    return {"step_id": step_key, "media": media.view_of(get_store(), now, step_key)}


@bp.post("/api/sessions/<code>/media")
def upload(code: str) -> Any:
    """An image or a PDF for a step (form fields ``file`` and ``step_id``; no ``step_id``: the open step), in place
    of what it showed: the room sees it while the step is open."""
    session = facilitator_session(code)
    sent = read_upload()
    step_key = media.upload(get_store(), data_dir(), mode(), session, request.form.get("step_id") or None, sent)
    live_media.announce(session.id, step_key)
    return jsonify(step_view(session, step_key)), 201


@bp.post("/api/sessions/<code>/media/slides")
def slide(code: str) -> Any:
    """A step with only media (form fields ``file`` and ``title``), added just after the open protocol."""
    session = facilitator_session(code)
    sent = read_upload()
    before, after = media.add_slide(get_store(), data_dir(), mode(), session.id, sent, request.form.get("title", ""))
    live_media.announce_agenda(before, after)
    added = next(item for item in after.agenda if item.uid not in {it.uid for it in before.agenda})
    return jsonify(step_view(after, f"{added.uid}:{added.protocol.steps[0].id}")), 201


@bp.delete("/api/sessions/<code>/media/<step_id>")
def take_off(code: str, step_id: str) -> Any:
    """A step's media off: an upload, or the protocol's own file."""
    session = facilitator_session(code)
    step_key = media.remove(get_store(), data_dir(), session, step_id)
    live_media.announce(session.id, step_key)
    return jsonify(ack_ok(step_id=step_key))


@bp.get("/api/sessions/<code>/media/<step_id>/pages/<int:number>")
def console_page(code: str, step_id: str, number: int) -> Response:
    """Any step's media, for the console's preview."""
    session = facilitator_session(code)
    return page(media.for_console(get_store(), session, step_id), number)


@bp.get("/projector/<code>/media/<step_id>/pages/<int:number>")
def projector_page(code: str, step_id: str, number: int) -> Response:
    """The open step's media alone: the projector shows what the whole room may see, when it may."""
    return page(media.for_room(get_store(), projector_session(code), step_id), number)


@bp.get("/p/<token>/media/<step_id>/pages/<int:number>")
def phone_page(token: str, step_id: str, number: int) -> Response:
    """The open step's media alone, for a phone of the session."""
    _, session = holder(token)
    return page(media.for_room(get_store(), session, step_id), number)
