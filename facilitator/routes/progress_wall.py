"""The leaders' progress wall: the cards of everyone who shares their progress with the organisation (which includes
its leaders), and the files shown with them; opened with the organisation key only."""

from typing import Any

from flask import Blueprint, Response, jsonify

from facilitator.edge.language import current
from facilitator.routes.followup import leaders_organisation
from facilitator.store import get_store
from facilitator.usecases import progress_sharing
from participant.evidence import download
from protocols.progress_sharing import CardViewer

bp = Blueprint("progress_wall", __name__)


@bp.get("/api/follow-up/progress-wall")
def leaders_wall() -> Any:
    """The organisation's progress wall, with the organisation key only: a facilitator key opens no one's card."""
    organisation = leaders_organisation(organisation_key_only=True)
    return jsonify(progress_sharing.leaders_wall(get_store(), organisation, current()))


@bp.get("/api/follow-up/progress-wall/evidence/<int:evidence_id>")
def leaders_file(evidence_id: int) -> Response:
    """A file someone shared with the organisation, for its leaders (organisation key only)."""
    organisation = leaders_organisation(organisation_key_only=True)
    return download(progress_sharing.shared_file(get_store(), organisation.id, evidence_id, CardViewer.LEADERS, None))
