"""Organisations and their follow-up (docs/FOLLOWUP.md): the admin keeps organisations and their system goals;
leaders open the follow-up with the organisation key or a session's facilitator key."""

from typing import Any

from flask import Blueprint, Response, jsonify, request

from exports.coaching_csv import agreement_csv, caseloads_csv, requests_csv, silent_csv
from facilitator.edge import urls
from facilitator.edge.language import current
from facilitator.edge.payloads import json_body
from facilitator.edge.replies import private_download
from facilitator.routes.sessions import require_admin
from facilitator.store import get_store
from facilitator.usecases import coaching
from protocols.coaching.organisation_view import leaders_view_of
from protocols.coaching.overview import coaching_overview
from protocols.coaching.requests import RequestState, request_view
from protocols.credentials import normalise_join_code
from protocols.errors import DomainError
from protocols.language import IN_ENGLISH
from protocols.leaders import LeadersView, leaders_view_json
from protocols.organisations import Organisation, organisation_view, parse_organisation

bp = Blueprint("followup", __name__)
MAX_REQUEST_KEY = 100


def organisation_at(organisation_id: int) -> Organisation:
    organisation = get_store().organisation(organisation_id)
    if organisation is None:
        raise DomainError("unknown_organisation", "There is no such organisation.")
    return organisation


@bp.post("/api/organisations")
def create_organisation() -> Any:
    require_admin()
    organisation, key = get_store().create_organisation(parse_organisation(json_body()))
    return jsonify(
        {**organisation_view(organisation), "key": key, "leaders_url": urls.leaders_url(organisation.id, key)}
    ), 201


@bp.get("/api/organisations")
def list_organisations() -> Any:
    require_admin()
    return jsonify({"organisations": [organisation_view(o) for o in get_store().organisations()]})


@bp.get("/api/organisations/<int:organisation_id>")
def organisation_details(organisation_id: int) -> Any:
    require_admin()
    return jsonify(organisation_view(organisation_at(organisation_id)))


@bp.patch("/api/organisations/<int:organisation_id>")
def edit_organisation(organisation_id: int) -> Any:
    """The name and the current system goals; a goal left out is archived (its people are still followed up).
    Sessions already made keep their copies of the goals."""
    require_admin()
    store = get_store()
    draft = parse_organisation(json_body(), organisation_at(organisation_id))
    store.update_organisation(organisation_id, draft)
    return jsonify(organisation_view(organisation_at(organisation_id)))


@bp.post("/api/organisations/<int:organisation_id>/key")
def new_organisation_key(organisation_id: int) -> Any:
    """A new organisation key, since only its digest is kept: the old key stops opening the follow-up."""
    require_admin()
    organisation_at(organisation_id)
    key = get_store().new_organisation_key(organisation_id)
    return jsonify({"id": organisation_id, "key": key, "leaders_url": urls.leaders_url(organisation_id, key)})


def leaders_organisation(*, organisation_key_only: bool = False) -> Organisation:
    """The organisation a key opens: ``?organisation=<id>`` with its key in ``X-Organisation-Key``, or
    ``?code=<session code>`` with that session's facilitator key in ``X-Facilitator-Key``. What reads one person's
    conversation with their coach, or changes who coaches whom, takes the organisation key alone
    (``organisation_key_only``): whoever runs one session, perhaps from outside, does not."""
    organisation_key = request.headers.get("X-Organisation-Key", "").strip()
    facilitator_key = request.headers.get("X-Facilitator-Key", "").strip()
    if organisation_key_only and facilitator_key:
        raise DomainError("forbidden", "Coaching is opened with the organisation's key; a facilitator key does not.")
    if not organisation_key and not facilitator_key:
        raise DomainError(
            "unauthorized", "Send the organisation key as X-Organisation-Key or a facilitator key as X-Facilitator-Key."
        )
    if facilitator_key:
        normal = normalise_join_code(request.args.get("code"))
        if normal is None:
            raise DomainError("unknown_session", "Say which session the facilitator key opens: ?code=<join code>.")
        return get_store().leaders_organisation(facilitator_key, code=normal)
    raw = request.args.get("organisation", "")
    if not raw.isdigit() or len(raw) > 12:
        raise DomainError("unknown_organisation", "Say which organisation the key opens: ?organisation=<id>.")
    return get_store().leaders_organisation(organisation_key, organisation_id=int(raw))


def _view(organisation: Organisation, data: coaching.FollowUpData) -> LeadersView:
    """The leaders' view; a request a coach closed has left its open list, as one a leader closed has."""
    closed = get_store().closed_requests(organisation.id) | {
        r.request_key for r in data.requests if r.state is RequestState.CLOSED
    }
    return leaders_view_of(organisation.name, organisation.goals, data.summaries, closed)


@bp.get("/api/follow-up")
def follow_up() -> Any:
    """Per system goal, the follow-up; and the coaching loop: coaches, caseloads, requests, the silent, agreement."""
    organisation = leaders_organisation()
    data = coaching.organisation_follow_up(get_store(), organisation)
    lang = current()
    rows = coaching.caseload(data, None, lang)
    today = data.today
    ages = {r.id: r.age_days(today) for r in data.requests}
    overview = coaching_overview(data.coaches, organisation.goals, rows, data.requests, ages)
    requests = [request_view(r, data.coach_names, today, lang) for r in data.requests if r.is_open]
    return jsonify(
        {
            "organisation_id": organisation.id,
            **leaders_view_json(_view(organisation, data), lang),
            "coaching": {
                **overview,
                "people": rows,
                "requests": requests,
                "mail": coaching.mail_problems(get_store(), organisation),
            },
        }
    )


@bp.get("/api/follow-up/support-requests.csv")
def support_requests() -> Response:
    """The open support requests, oldest first, with each one's owner, state and age."""
    organisation = leaders_organisation()
    data = coaching.organisation_follow_up(get_store(), organisation)
    rows = {row["person_id"]: row for row in coaching.caseload(data, None, IN_ENGLISH)}  # docs/EXPORTS.md
    today = data.today
    open_requests = sorted((r for r in data.requests if r.is_open and r.person_id in rows), key=lambda r: r.asked_at)
    pairs = [(rows[r.person_id], request_view(r, data.coach_names, today, IN_ENGLISH)) for r in open_requests]
    return private_download(requests_csv(pairs), "text/csv", "support-requests.csv")


CSVS = {"caseloads.csv": caseloads_csv, "silent.csv": silent_csv, "agreement.csv": agreement_csv}


@bp.get("/api/follow-up/caseloads.csv")
@bp.get("/api/follow-up/silent.csv")
@bp.get("/api/follow-up/agreement.csv")
def coaching_csv() -> Response:
    """Caseloads, the silent list and agreed goals, each as a CSV for a meeting."""
    organisation = leaders_organisation()
    name = request.path.rsplit("/", 1)[1]
    rows = coaching.caseload(coaching.organisation_follow_up(get_store(), organisation), None, IN_ENGLISH)
    return private_download(CSVS[name](rows), "text/csv", name)


@bp.post("/api/follow-up/support-requests/<request_key>/close")
def close_request(request_key: str) -> Any:
    """A leader has followed the request up: it is closed and leaves the open list. A later request is new."""
    organisation = leaders_organisation()
    data = coaching.organisation_follow_up(get_store(), organisation)
    if len(request_key) > MAX_REQUEST_KEY or request_key not in {r.key for r in _view(organisation, data).requests}:
        raise DomainError("unknown_request", "There is no such open support request.")
    get_store().close_request(organisation.id, request_key)
    kept = next((r for r in data.requests if r.request_key == request_key and r.is_open), None)
    if kept is not None:
        coaching.move(get_store(), data, kept.id, {"state": "closed"}, None)
    return "", 204
