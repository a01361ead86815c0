"""Organisations and their follow-up (docs/FOLLOWUP.md): the admin keeps organisations and their system goals;
leaders open the follow-up with the organisation key or a session's facilitator key."""

from typing import Any

from flask import Blueprint, Response, jsonify, request

from exports.support_csv import support_requests_csv
from facilitator.edge import urls
from facilitator.edge.payloads import json_body
from facilitator.edge.replies import private_download
from facilitator.routes.sessions import require_admin
from facilitator.store import get_store
from protocols.credentials import normalise_join_code
from protocols.errors import DomainError
from protocols.leaders import LeadersView, leaders_view, leaders_view_json
from protocols.organisations import Organisation, organisation_view, parse_organisation

bp = Blueprint("followup", __name__)
MAX_REQUEST_KEY = 100


def _organisation(organisation_id: int) -> Organisation:
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
    return jsonify(organisation_view(_organisation(organisation_id)))


@bp.patch("/api/organisations/<int:organisation_id>")
def edit_organisation(organisation_id: int) -> Any:
    """The name and the current system goals; a goal left out is archived (its people are still followed up).
    Sessions already made keep their copies of the goals."""
    require_admin()
    store = get_store()
    draft = parse_organisation(json_body(), _organisation(organisation_id))
    store.update_organisation(organisation_id, draft)
    return jsonify(organisation_view(_organisation(organisation_id)))


@bp.post("/api/organisations/<int:organisation_id>/key")
def new_organisation_key(organisation_id: int) -> Any:
    """A new organisation key, since only its digest is kept: the old key stops opening the follow-up."""
    require_admin()
    _organisation(organisation_id)
    key = get_store().new_organisation_key(organisation_id)
    return jsonify({"id": organisation_id, "key": key, "leaders_url": urls.leaders_url(organisation_id, key)})


def _leaders_organisation() -> Organisation:
    """The organisation a key opens: ``?organisation=<id>`` with its key in ``X-Organisation-Key``, or
    ``?code=<session code>`` with that session's facilitator key in ``X-Facilitator-Key``."""
    organisation_key = request.headers.get("X-Organisation-Key", "").strip()
    facilitator_key = request.headers.get("X-Facilitator-Key", "").strip()
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


def _view(organisation: Organisation) -> LeadersView:
    store = get_store()
    return leaders_view(
        organisation.name,
        organisation.goals,
        store.person_records(organisation.id),
        store.closed_requests(organisation.id),
    )


@bp.get("/api/follow-up")
def follow_up() -> Any:
    organisation = _leaders_organisation()
    return jsonify({"organisation_id": organisation.id, **leaders_view_json(_view(organisation))})


@bp.get("/api/follow-up/support-requests.csv")
def support_requests() -> Response:
    organisation = _leaders_organisation()
    return private_download(support_requests_csv(_view(organisation).requests), "text/csv", "support-requests.csv")


@bp.post("/api/follow-up/support-requests/<request_key>/close")
def close_request(request_key: str) -> Any:
    """A coach has followed the request up: it leaves the open list. A later request by the same person is new."""
    organisation = _leaders_organisation()
    if len(request_key) > MAX_REQUEST_KEY or request_key not in {r.key for r in _view(organisation).requests}:
        raise DomainError("unknown_request", "There is no such open support request.")
    get_store().close_request(organisation.id, request_key)
    return "", 204
