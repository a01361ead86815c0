"""Student work on a step from the phone: the round's presenter puts their table's up or takes it down, and a phone
opens the pages of the room's and its own table's."""

from typing import Any

from flask import Blueprint, Response, jsonify

from facilitator.edge.replies import ack_ok
from facilitator.edge.uploads import read_upload, room_for_an_upload
from facilitator.live import artifacts as live_artifacts
from facilitator.routes import artifacts as routes
from facilitator.store import get_store
from facilitator.usecases import artifacts
from participant.pages import holder
from protocols.artifacts import artifact_view, refuse_unless_uploader

bp = Blueprint("phone_artifacts", __name__)
bp.before_request(room_for_an_upload)


@bp.post("/p/<token>/artifacts")
def upload(token: str) -> Any:
    """The table's student work for the open step's round, from the member presenting in it (``not_presenter``
    for anyone else): their table-mates' phones and the console show it. Replaces the table's of that round."""
    participant, session = holder(token)
    artifact = artifacts.from_presenter(
        get_store(), routes.data_dir(), routes.mode(), session, participant.id, read_upload()
    )
    live_artifacts.announce(session, artifact)
    return jsonify(artifact_view(artifact, mine=True)), 201


@bp.delete("/p/<token>/artifacts/<int:artifact_id>")
def take_down(token: str, artifact_id: int) -> Any:
    """What this person put up, and nothing else."""
    participant, session = holder(token)
    artifact = artifacts.for_phone(get_store(), session, participant.id, artifact_id)
    refuse_unless_uploader(artifact, participant.id)
    artifacts.take_down(get_store(), routes.data_dir(), artifact)
    live_artifacts.announce(session, artifact)
    return jsonify(ack_ok())


@bp.get("/p/<token>/artifacts/<int:artifact_id>/pages/<int:number>")
def open_page(token: str, artifact_id: int, number: int) -> Response:
    """The room's student work, or the table's where the person sits; ``unknown_artifact`` for any other."""
    participant, session = holder(token)
    return routes.page(artifacts.for_phone(get_store(), session, participant.id, artifact_id), number)
