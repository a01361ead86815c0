"""The coaching loop over HTTP (docs/FOLLOWUP.md): the admin keeps an organisation's coaches; a coach opens their
caseload with their own key; leaders assign coaches and read every caseload with the organisation's key."""

from typing import Any

from flask import Blueprint, jsonify, request

from facilitator.edge import urls
from facilitator.edge.payloads import json_body
from facilitator.routes.followup import leaders_organisation, organisation_at
from facilitator.routes.sessions import require_admin
from facilitator.store import get_store
from facilitator.usecases import coaching
from participant import evidence
from protocols.coaching.coaches import Coach, coach_view, parse_coach
from protocols.errors import DomainError
from protocols.evidence import evidence_view
from protocols.organisations import Organisation

bp = Blueprint("coaching", __name__)


def _coach_url(coach: Coach, key: str) -> str:
    return urls.coach_url(coach.id, key)


# The admin: an organisation's coaches.


@bp.get("/api/organisations/<int:organisation_id>/coaches")
def list_coaches(organisation_id: int) -> Any:
    require_admin()
    organisation = organisation_at(organisation_id)
    caseloads = _caseloads(organisation)
    coaches = get_store().coaches(organisation.id)
    return jsonify({"coaches": [coach_view(coach, caseloads.get(coach.id, 0)) for coach in coaches]})


@bp.post("/api/organisations/<int:organisation_id>/coaches")
def add_coach(organisation_id: int) -> Any:
    """A coach, and their personal link (with its key, shown once)."""
    require_admin()
    organisation = organisation_at(organisation_id)
    draft = parse_coach(json_body(), [goal.id for goal in organisation.goals])
    coach, key = get_store().create_coach(organisation.id, draft)
    return jsonify({**coach_view(coach, 0), "key": key, "coach_url": _coach_url(coach, key)}), 201


@bp.patch("/api/organisations/<int:organisation_id>/coaches/<int:coach_id>")
def edit_coach(organisation_id: int, coach_id: int) -> Any:
    require_admin()
    organisation = organisation_at(organisation_id)
    store = get_store()
    draft = parse_coach(json_body(), [goal.id for goal in organisation.goals], store.coach(organisation.id, coach_id))
    return jsonify(coach_view(store.update_coach(organisation.id, coach_id, draft)))


@bp.delete("/api/organisations/<int:organisation_id>/coaches/<int:coach_id>")
def remove_coach(organisation_id: int, coach_id: int) -> Any:
    """The coach goes; their people's open requests pass to the next coach of each person's system goal."""
    require_admin()
    organisation = organisation_at(organisation_id)
    get_store().remove_coach(organisation.id, coach_id)
    coaching.follow_up_data(get_store(), organisation)  # gives their open requests new owners now
    return "", 204


@bp.post("/api/organisations/<int:organisation_id>/coaches/<int:coach_id>/key")
def new_coach_key(organisation_id: int, coach_id: int) -> Any:
    """A new key for the coach's link: the old link stops working."""
    require_admin()
    organisation = organisation_at(organisation_id)
    store = get_store()
    key = store.new_coach_key(organisation.id, coach_id)
    coach = store.coach(organisation.id, coach_id)
    return jsonify({"id": coach.id, "key": key, "coach_url": _coach_url(coach, key)})


def _caseloads(organisation: Organisation) -> dict[int, int]:
    counts: dict[int, int] = {}
    for assignment in get_store().assignments(organisation.id).values():
        counts[assignment.coach_id] = counts.get(assignment.coach_id, 0) + 1
    return counts


# A coach: their people, each person's goal and thread, their requests.


def _coach() -> tuple[Coach, Organisation]:
    """The coach a request's key opens: ``?coach=<id>`` with the key in ``X-Coach-Key``."""
    key = request.headers.get("X-Coach-Key", "").strip()
    if not key:
        raise DomainError("unauthorized", "Send the coach's key as X-Coach-Key.")
    raw = request.args.get("coach", "")
    if not raw.isdigit() or len(raw) > 12:
        raise DomainError("unknown_coach", "Say which coach the key opens: ?coach=<id>.")
    coach = get_store().coach_by_key(int(raw), key)
    return coach, organisation_at(coach.organisation_id)


@bp.get("/api/coach")
def coach_caseload() -> Any:
    coach, organisation = _coach()
    data = coaching.follow_up_data(get_store(), organisation)
    return jsonify(
        {
            "coach": coach_view(coach),
            "organisation": organisation.name,
            "people": coaching.caseload(data, coach),
            "reminders": coaching.reminders_of_coach(get_store(), coach),
        }
    )


@bp.get("/api/coach/people/<int(signed=True):person_id>")
def coach_person(person_id: int) -> Any:
    coach, organisation = _coach()
    data = coaching.follow_up_data(get_store(), organisation)
    person = coaching.person_of(data, person_id, coach)
    files = get_store().evidence_of(person.person_id)
    url = f"/api/coach/people/{person.person_id}/evidence/{{}}?coach={coach.id}"
    return jsonify(
        {
            **coaching.person_view(data, person, for_person=False),
            "evidence": [evidence_view(file, url.format(file.id)) for file in files],
        }
    )


@bp.get("/api/coach/people/<int(signed=True):person_id>/evidence/<int:evidence_id>")
def coach_evidence(person_id: int, evidence_id: int) -> Any:
    """One evidence file of a person the coach coaches (their key in ``X-Coach-Key``, as for every coach route)."""
    coach, organisation = _coach()
    person = coaching.person_of(coaching.follow_up_data(get_store(), organisation), person_id, coach)
    file = get_store().evidence_file(evidence_id)
    if file is None or file.person_id != person.person_id:
        raise DomainError("unknown_person", "There is no such evidence file among your people's.")
    return evidence.download(file)


@bp.post("/api/coach/people/<int(signed=True):person_id>/messages")
def coach_message(person_id: int) -> Any:
    coach, organisation = _coach()
    data = coaching.follow_up_data(get_store(), organisation)
    person = coaching.person_of(data, person_id, coach)
    return jsonify(coaching.post_message(get_store(), data, person, json_body(), coach)), 201


@bp.post("/api/coach/people/<int(signed=True):person_id>/agree")
def coach_agrees(person_id: int) -> Any:
    coach, organisation = _coach()
    store = get_store()
    data = coaching.follow_up_data(store, organisation)
    person = coaching.person_of(data, person_id, coach)
    coaching.agree_goal(store, data, person, coach)
    data = coaching.follow_up_data(store, organisation)
    return jsonify(coaching.person_view(data, coaching.person_of(data, person_id, coach), for_person=False))


@bp.post("/api/coach/requests/<int:request_id>")
def coach_moves_request(request_id: int) -> Any:
    coach, organisation = _coach()
    data = coaching.follow_up_data(get_store(), organisation)
    return jsonify(coaching.move(get_store(), data, request_id, json_body(), coach))


# Leaders: every caseload, assigning coaches, moving any request.


@bp.post("/api/follow-up/assignments")
def assign_coach() -> Any:
    organisation = leaders_organisation(organisation_key_only=True)
    data = coaching.follow_up_data(get_store(), organisation)
    return jsonify({"assigned": coaching.assign(get_store(), data, json_body())})


@bp.post("/api/follow-up/requests/<int:request_id>")
def leaders_move_request(request_id: int) -> Any:
    organisation = leaders_organisation(organisation_key_only=True)
    data = coaching.follow_up_data(get_store(), organisation)
    return jsonify(coaching.move(get_store(), data, request_id, json_body(), None))


@bp.get("/api/follow-up/people/<int(signed=True):person_id>")
def leaders_person(person_id: int) -> Any:
    organisation = leaders_organisation(organisation_key_only=True)
    data = coaching.follow_up_data(get_store(), organisation)
    return jsonify(coaching.person_view(data, coaching.person_of(data, person_id, None), for_person=False))
