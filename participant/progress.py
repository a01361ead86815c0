"""A person's shared progress over HTTP, from their plan page: choosing who sees it (nobody, their group, their
organisation), selecting the evidence files shown with it, the wall of colleagues' progress, and opening a file a
colleague shared with them. The leaders' wall is facilitator/routes/progress_wall.py's."""

from typing import Any

from flask import Blueprint, Response, jsonify

from facilitator.edge.language import current
from facilitator.edge.payloads import json_body
from facilitator.edge.replies import ack_ok
from facilitator.live.progress_round import refresh_rounds
from facilitator.store import get_store
from facilitator.usecases import progress_sharing
from participant.evidence import download
from participant.pages import holder
from protocols.progress_sharing import CardViewer, parse_selected, parse_share

bp = Blueprint("progress", __name__)


@bp.get("/p/<token>/progress.json")
def own_progress(token: str) -> Any:
    """The person's choice, a preview of their card, their files and the wall they may see."""
    participant, session = holder(token)
    return jsonify(progress_sharing.person_progress(get_store(), participant, session, token, current()))


@bp.post("/p/<token>/progress/share")
def share(token: str) -> Any:
    """``{"audience": "nobody"|"group"|"organisation"}``: from now on, everywhere (the wall, a running progress
    round, the files shown with it). From the plan page only: a reminder's link cannot widen who sees it."""
    participant, session = holder(token)
    store = get_store()
    organisation = progress_sharing.organisation_of(store, session)
    audience = parse_share(json_body())
    store.share_progress(organisation.id, progress_sharing.own_key(participant), audience)
    refresh_rounds(organisation.id)
    return jsonify(ack_ok(audience=audience.value))


@bp.post("/p/<token>/progress/evidence/<int:evidence_id>")
def select_file(token: str, evidence_id: int) -> Any:
    """``{"selected": true|false}``: show one of the person's files with their shared progress, or stop."""
    participant, session = holder(token)
    store = get_store()
    progress_sharing.organisation_of(store, session)
    file = progress_sharing.own_file(store, participant, evidence_id)
    selected = parse_selected(json_body())
    store.select_for_progress(file.id, selected)
    return jsonify(ack_ok(selected=selected))


@bp.get("/p/<token>/progress/evidence/<int:evidence_id>")
def open_shared(token: str, evidence_id: int) -> Response:
    """A file on the wall: only for a colleague its person shares with, while they share it and keep it selected."""
    participant, session = holder(token)
    store = get_store()
    organisation = progress_sharing.organisation_of(store, session)
    viewer = progress_sharing.own_key(participant)
    return download(progress_sharing.shared_file(store, organisation.id, evidence_id, CardViewer.PERSON, viewer))
