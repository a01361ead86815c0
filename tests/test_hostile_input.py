"""Hostile or broken input: generated payloads for every Socket.IO event and JSON route.

The promise: whatever a browser or a script sends, the server answers with a clear error or stores the input
safely; it never crashes, never answers 500 or ``internal_error``, and the database stays consistent. Every refusal
(an ack, a refused connection, an HTTP error) carries a code docs/API.md documents.
"""

import json
import sqlite3
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitator.live.console import FacilitatorNamespace, ProjectorNamespace
from participant.sockets import ParticipantNamespace
from tests.support.admin import GOALS, admin_headers
from tests.support.error_codes import codes_before_pathways, codes_in_docs
from tests.support.sockets import call

NASTY_TEXT = st.sampled_from(
    [
        "<script>alert(1)</script>",
        '=HYPERLINK("http://x")',
        "\u202eevil\u202c",  # right-to-left override
        "\ud800",  # a lone surrogate
        "\x00\x07\x1b[31m",
        "a" * 70_000,
        "ﷺ" * 500,
        "",
        " ",
    ]
)
TEXT = st.one_of(st.text(max_size=40), NASTY_TEXT)
KEYS = st.sampled_from(
    ["step_id", "answer_id", "value", "seconds", "action", "item", "to", "rounds", "size", "by", "participant_id",
     "group", "hidden", "spotlight", "on", "locked", "text", "protocol", "id", "code", "name", "token", "key"]
)  # fmt: skip
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    TEXT,
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=6), st.dictionaries(st.one_of(KEYS, TEXT), inner, max_size=6)),
    max_leaves=20,
)
PAYLOADS = st.one_of(JSON, st.dictionaries(KEYS, JSON, max_size=6))
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def events_of(namespace_class: type) -> list[str]:
    skip = {"on_connect", "on_disconnect"}
    return sorted(name[3:] for name in dir(namespace_class) if name.startswith("on_") and name not in skip)


def assert_database_consistent(app) -> None:
    db = sqlite3.connect(app.extensions["pathways.store"].path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        for (value,) in db.execute("SELECT value FROM answers"):
            json.loads(value)
    finally:
        db.close()


def assert_clear_refusal_or_success(ack, event: str) -> None:
    """``{"ok": true, ...}``, or ``{"ok": false, "error": <words for people>, "code": <a documented code>}``."""
    assert isinstance(ack, dict) and isinstance(ack.get("ok"), bool), (event, ack)
    if not ack["ok"]:
        assert ack.get("code") != "internal_error", (event, ack)
        assert isinstance(ack.get("error"), str) and ack["error"], (event, ack)
        assert set(ack) == {"ok", "error", "code"} and ack["code"] in codes_in_docs(), (event, ack)


def assert_refused_clearly_or_joined(client, namespace: str) -> None:
    """A connection either joins (and is told nothing of a refusal) or is refused with words and a documented code."""
    refusal = client.refusal
    if client.is_connected(namespace):
        assert refusal is None, (namespace, refusal)
        return
    assert isinstance(refusal, dict) and isinstance(refusal.get("message"), str) and refusal["message"], refusal
    assert refusal.get("data", {}).get("code") in codes_in_docs(), (namespace, refusal)


def assert_clear_http_error(response) -> None:
    """An HTTP error says what went wrong and carries a documented code (a route's, or the status's own name for a
    request refused before reaching Pathways)."""
    body = response.get_json()
    assert body["error"]
    assert body.get("code") in codes_in_docs() | codes_before_pathways(), (response.status_code, body)


@pytest.fixture
def room(sio, create_session):
    """A session with every library protocol, a console and a phone on the first step."""
    from protocols.loader import load_library

    created = create_session(agenda=sorted(load_library()))
    console = sio("/facilitator", code=created["code"], key=created["facilitator_key"])
    phone = sio("/participant", code=created["code"], name="Ana")
    projector = sio("/projector", code=created["code"])
    call(console, "next", "/facilitator")
    return {"created": created, "console": console, "phone": phone, "projector": projector}


@pytest.mark.parametrize("event", events_of(ParticipantNamespace))
def test_hostile_input_every_phone_event_survives_generated_payloads(app, room, event):
    @FUZZ
    @given(payload=PAYLOADS)
    def check(payload):
        assert_clear_refusal_or_success(call(room["phone"], event, "/participant", payload), event)

    check()
    assert_database_consistent(app)


@pytest.mark.parametrize("event", events_of(FacilitatorNamespace))
def test_hostile_input_every_console_event_survives_generated_payloads(app, room, event):
    @FUZZ
    @given(payload=PAYLOADS)
    def check(payload):
        assert_clear_refusal_or_success(call(room["console"], event, "/facilitator", payload), event)

    check()
    assert_database_consistent(app)


@pytest.mark.parametrize(
    "event", ["answer", "next", "goto", "moderate", "no_such_event", *events_of(ProjectorNamespace)]
)
def test_hostile_input_the_projector_acts_on_nothing(room, event):
    ack = call(room["projector"], event, "/projector", {"step_id": "1:goal"})
    assert ack["ok"] is False and ack["code"] == "unknown_event"


@FUZZ
@given(auth=PAYLOADS)
def test_hostile_input_connecting_with_generated_credentials_is_refused_or_joins_cleanly(app, sio, auth):
    for namespace in ("/participant", "/facilitator", "/projector"):
        client = sio(namespace, **auth) if isinstance(auth, dict) and all(isinstance(k, str) for k in auth) else None
        if client is None:
            client = sio(namespace, junk=auth)
        assert_refused_clearly_or_joined(client, namespace)
        if client.is_connected(namespace):
            client.disconnect(namespace)
    assert_database_consistent(app)


@FUZZ
@given(body=PAYLOADS)
def test_hostile_input_creating_a_session_answers_201_or_a_clear_400(app, client, body):
    response = client.post("/api/sessions", json=body, headers=admin_headers())
    assert response.status_code in (201, 400, 413), response.get_data(as_text=True)[:300]
    if response.status_code != 201:
        assert_clear_http_error(response)


@FUZZ
@given(title=TEXT, goal=TEXT, description=TEXT)
def test_hostile_input_text_fields_are_stored_as_text_or_refused(app, client, title, goal, description):
    body = {"title": title, "system_goals": [{"title": goal, "description": description}, *GOALS[:1]]}
    response = client.post("/api/sessions", json=body, headers=admin_headers())
    assert response.status_code in (201, 400, 413)
    if response.status_code != 201:
        assert_clear_http_error(response)
    if response.status_code == 201:
        code = response.get_json()["code"]
        page = client.get(f"/j/{code}").get_data(as_text=True)
        assert "<script>alert(1)</script>" not in page, "text is escaped on the page"


@pytest.mark.parametrize(
    "path",
    ["/j/", "/projector/", "/console/", "/p/", "/api/sessions/"],
)
def test_hostile_input_odd_addresses_get_a_clear_404_not_a_crash(client, path):
    for tail in ["%00", "..%2F..%2Fetc%2Fpasswd", "A" * 5000, "%ED%A0%80", "".join(string.punctuation)]:
        response = client.get(path + tail)
        assert response.status_code in (400, 404, 405, 429), (path, tail, response.status_code)


def test_hostile_input_answers_with_generated_values_to_every_kind_of_step_are_stored_or_refused(app, room):
    from facilitator.edge.limits import EXTENSION_KEY, Rate, RateLimiter
    from facilitator.store import get_store

    app.extensions[EXTENSION_KEY].events = RateLimiter(Rate(10_000, 10_000))  # this test is a flood by design
    with app.app_context():
        store = get_store()
        session = store.session_by_code(room["created"]["code"])
        phone_id = store.participants(session.id)[0].id
    step_ids = [agenda_step.key for agenda_step in session.steps]
    acknowledged: set[str] = set()

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(index=st.integers(0, len(step_ids) - 1), value=JSON, answer_id=st.one_of(TEXT, st.uuids().map(str)))
    def check(index, value, answer_id):
        key = step_ids[index]
        assert call(room["console"], "goto", "/facilitator", {"step_id": key})["ok"]
        ack = call(room["phone"], "answer", "/participant", {"step_id": key, "answer_id": answer_id, "value": value})
        assert_clear_refusal_or_success(ack, "answer")
        if ack["ok"]:
            acknowledged.add(key)

    check()
    assert_database_consistent(app)
    with app.app_context():
        stored = get_store().answers_of(phone_id)
    assert acknowledged <= set(stored), "every acknowledged answer is in the database"


@FUZZ
@given(body=PAYLOADS, route=st.sampled_from(["PATCH", "duplicate", "console-link"]))
def test_hostile_input_every_other_json_route_answers_a_clear_error_or_success(
    app, client, create_session, body, route
):
    created = create_session()
    code = created["code"]
    if route == "PATCH":
        response = client.patch(f"/api/sessions/{code}", json=body, headers=admin_headers())
    else:
        response = client.post(f"/api/sessions/{code}/{route}", json=body, headers=admin_headers())
    assert response.status_code in (200, 201, 400, 409, 413), (route, response.status_code)
    if response.status_code >= 400:
        assert_clear_http_error(response)
    assert_database_consistent(app)
