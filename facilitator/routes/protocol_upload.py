"""A protocol uploaded from the console as a zip of its ``.toml`` and the media files its steps name."""

from typing import Any

from flask import Blueprint, current_app, jsonify, request

from facilitator.edge.replies import ack_ok
from facilitator.edge.uploads import FORM_ROOM, read_upload, upload_limits
from facilitator.live import media as live_media
from facilitator.routes.session_exports import facilitator_session
from facilitator.store import get_store
from facilitator.usecases.protocol_upload import add_protocol_bundle

bp = Blueprint("protocol_upload", __name__)


@bp.before_request
def room_for_a_zip() -> None:
    """The zip may be as large as one media upload (``PATHWAYS_EVIDENCE_FILE_MB``), and unpack to no more."""
    request.max_content_length = upload_limits().file_bytes + FORM_ROOM


@bp.post("/api/sessions/<code>/agenda/protocol")
def upload(code: str) -> Any:
    """A zip (form field ``file``) holding one protocol file and its steps' media: the protocol goes at the end of
    the agenda with its media on its steps, or nothing is kept; every screen is sent the new agenda."""
    session = facilitator_session(code)
    sent = read_upload()
    config = current_app.config
    added = add_protocol_bundle(
        get_store(), config["DATA_DIR"], config["ASYNC_MODE"], session.id, sent, upload_limits().file_bytes
    )
    live_media.announce_agenda(added.before, added.after)
    steps = [f"{added.item}:{step.id}" for step in added.protocol.steps if step.media]
    return jsonify(ack_ok(item=added.item, title=added.protocol.title, media_steps=steps)), 201
