"""The person's side of the coaching loop: their coach, requests and the thread on their goal, on their plan page and
behind the follow-up link a reminder e-mail carries; replying, answering suggestions, stopping reminders."""

import time
from typing import Any

from flask import Blueprint, abort, jsonify, render_template

from facilitator.edge.language import current
from facilitator.edge.payloads import json_body
from facilitator.edge.replies import ack_ok
from facilitator.store import get_store
from facilitator.usecases import coaching
from facilitator.usecases.progress_sharing import with_warm_feedback
from participant.pages import check_in_form_context, holder, save_check_in, with_session
from protocols.errors import DomainError
from protocols.session import Participant, Session
from protocols.visibility import Audience

bp = Blueprint("coaching_person", __name__)


def opened_by(door: str, token: str) -> tuple[Participant, Session]:
    """Who a door opens: ``p``, the plan token; ``r``, the follow-up link of a reminder mailed to the person (the
    check-in form and the conversation on their goal, for 30 days). 404 for any other token."""
    if door == "p":
        return holder(token)
    found = get_store().follow_up_link(token, time.time())
    participant = get_store().latest_participant_of(found[1]) if found else None
    return with_session(participant)


def _own(door: str, token: str) -> tuple[coaching.FollowUpData, Any]:
    """The person behind a door, as the coaching loop knows them; 404 without an organisation's follow-up."""
    participant, session = opened_by(door, token)
    key = coaching.person_key(participant)
    store = get_store()
    organisation = store.organisation(session.organisation_id) if session.organisation_id is not None else None
    if key is None or organisation is None:
        abort(404)
    data = coaching.follow_up_data(store, organisation, [key], read=[participant.person_id or 0])
    person = next((p for p in data.people if p.person_id == key), None)
    if person is None:
        abort(404)
    return data, person


@bp.get("/<any(p, r):door>/<token>/coaching.json")
def own_coaching(door: str, token: str) -> Any:
    participant, session = opened_by(door, token)
    view = coaching.person_coaching(get_store(), participant, session)
    return jsonify(with_warm_feedback(get_store(), view, session.organisation_id, current()) or abort(404))


def _payload() -> dict[str, Any]:
    body = json_body()
    return body if isinstance(body, dict) else {}


@bp.post("/<any(p, r):door>/<token>/messages")
def reply(door: str, token: str) -> Any:
    """The person writes on their goal's thread."""
    data, person = _own(door, token)
    return jsonify(coaching.post_message(get_store(), data, person, {**_payload(), "kind": "reply"}, None)), 201


@bp.post("/<any(p, r):door>/<token>/messages/<int:message_id>/answer")
def answer(door: str, token: str, message_id: int) -> Any:
    """Accept a suggestion or a meeting, or decline it with a reason."""
    data, person = _own(door, token)
    coaching.answer_suggestion(get_store(), data, person, message_id, _payload())
    return jsonify(ack_ok())


@bp.post("/p/<token>/identifier/remove")
def withdraw_consent(token: str) -> Any:
    """The person withdraws their consent: their e-mail or staff id is deleted, so no reminder is mailed and no
    later session is linked by it. Their plans and check-ins stay theirs. From the plan page alone: a forwarded
    reminder's link cannot do it."""
    participant, _ = opened_by("p", token)
    if participant.person_id is None or not participant.person_verified:
        raise DomainError("unknown_person", "Only the person themselves can withdraw their consent.")
    get_store().remove_identifier(participant.person_id)
    return jsonify(ack_ok())


@bp.get("/r/<token>")
def follow_up_page(token: str) -> str:
    return _follow_up_page(token)


def _follow_up_page(token: str, *, check_in_error: str = "", entered: dict[str, Any] | None = None) -> str:
    """A reminder's link: the check-in form and the conversation with the coach; no plan, no private answer, no
    deleting (a forwarded message gives no more)."""
    participant, session = opened_by("r", token)
    follow_up = get_store().own_follow_up(participant, reader=Audience.FACILITATOR)
    return render_template(
        "follow_up.html",
        session_title=session.title,
        coaching_url=f"/r/{token}",
        evidence_url=f"/r/{token}" if coaching.person_key(participant) is not None else "",
        **check_in_form_context(f"/r/{token}/check-ins", follow_up, check_in_error, entered),
    )


@bp.post("/r/<token>/check-ins")
def record_check_in_by_reminder(token: str) -> Any:
    participant, _ = opened_by("r", token)
    return save_check_in(
        participant,
        refused=lambda error, data: _follow_up_page(token, check_in_error=error, entered=data),
        saved=f"/r/{token}?saved=1#check-in",
        with_private=False,
    )
