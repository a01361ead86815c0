"""The HTTP API: creating sessions behind the admin token, the protocol list, the join QR code, health."""

import re

from tests.support.admin import ADMIN_TOKEN, GOALS, admin_headers


def test_creating_a_session_returns_code_key_and_the_three_urls(client):
    response = client.post("/api/sessions", json={"title": "Day 1", "system_goals": GOALS, "agenda": ["goal-setting"]},
                           headers=admin_headers())  # fmt: skip
    assert response.status_code == 201
    body = response.get_json()
    assert re.fullmatch(r"[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}", body["code"])
    assert len(body["facilitator_key"]) >= 32
    assert body["join_url"] == f"http://pathways.test/j/{body['code']}"
    assert body["projector_url"] == f"http://pathways.test/projector/{body['code']}"
    assert body["console_url"] == f"http://pathways.test/console/{body['code']}#key={body['facilitator_key']}"
    assert [goal["title"] for goal in body["system_goals"]] == [goal["title"] for goal in GOALS]


def test_creating_a_session_needs_the_admin_token(client):
    body = {"title": "Day 1", "system_goals": GOALS}
    for headers in ({}, admin_headers("wrong"), {"Authorization": ADMIN_TOKEN}):
        response = client.post("/api/sessions", json=body, headers=headers)
        assert response.status_code == 401
        assert "admin token" in response.get_json()["error"]


def test_bad_session_requests_get_a_clear_error(client):
    cases = [
        ({"system_goals": GOALS}, "title"),
        ({"title": "x", "system_goals": []}, "1 to 10"),
        ({"title": "x", "system_goals": [{"title": f"g{n}"} for n in range(11)]}, "1 to 10"),
        ({"title": "x", "system_goals": [{"description": "no title"}]}, "system_goals[0].title"),
        ({"title": "x", "system_goals": GOALS, "agenda": ["no-such"]}, "not a protocol in the library"),
        ([1, 2], "JSON object"),
    ]
    for body, expected in cases:
        response = client.post("/api/sessions", json=body, headers=admin_headers())
        assert response.status_code == 400, body
        assert expected in response.get_json()["error"]
    response = client.post("/api/sessions", data="not json", headers=admin_headers())
    assert response.status_code == 400 and "JSON" in response.get_json()["error"]


def test_protocols_are_listed_with_their_steps(client):
    protocols = {p["id"]: p for p in client.get("/api/protocols").get_json()["protocols"]}
    assert {"goal-setting", "revisit-goals", "tuning", "plc-cycle", "consultancy", "one-two-four-all"} <= set(protocols)
    steps = {step["id"]: step for step in protocols["goal-setting"]["steps"]}
    assert steps["system-goal"]["kind"] == "goal"
    assert steps["action-steps"]["dated"] is True and steps["action-steps"]["max_items"] == 5
    assert steps["worry"]["visibility"] == "private"
    tuning = protocols["tuning"]
    assert [role["id"] for role in tuning["roles"]] == ["presenter", "facilitator", "timekeeper", "participant"]
    assert tuning["grouping"]["rotate_roles"] is True


def test_join_qr_code_is_an_svg_for_a_real_session_only(client, create_session):
    code = create_session()["code"]
    response = client.get(f"/api/sessions/{code}/qr.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert b"<svg" in response.data and b"<path" in response.data
    missing = client.get("/api/sessions/ZZZZZZ/qr.svg")
    assert missing.status_code == 404 and "no session" in missing.get_json()["error"]


def test_pages_exist_for_a_session_and_404_for_unknown_codes(client, create_session):
    code = create_session()["code"]
    for path in (f"/j/{code}", f"/j/{code.lower()}", f"/projector/{code}", f"/console/{code}", "/admin", "/"):
        assert client.get(path).status_code == 200, path
    assert client.get("/j/ZZZZZZ").status_code == 404
    assert client.get("/projector/ZZZZZZ").status_code == 404


def test_every_page_sends_security_headers(client, create_session):
    code = create_session()["code"]
    response = client.get(f"/j/{code}")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_health(client):
    assert client.get("/healthz").get_json() == {"ok": True}


def test_a_session_keeps_its_facilitator_and_day(client, create_session):
    created = create_session(facilitator="Dr. Amara Okafor", date="2027-03-15")
    assert created["date"] == "2027-03-15"
    page = client.get(f"/j/{created['code']}")
    assert page.status_code == 200
    today = create_session()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", today["date"]), "a session without a date is held today"
    response = client.post("/api/sessions", json={"title": "x", "system_goals": GOALS, "date": "15/03/2027"},
                           headers=admin_headers())  # fmt: skip
    assert response.status_code == 400 and "date must be a day written as YYYY-MM-DD" in response.get_json()["error"]


def test_a_participant_s_deleted_answers_are_gone_from_the_database_file(app, create_session):
    from facilitator.store import get_store

    created = create_session()
    with app.app_context():
        store = get_store()
        session = store.session_by_code(created["code"])
        ana, _ = store.add_participant(session.id, "Ana")
        ben, _ = store.add_participant(session.id, "Ben")
        store.save_answer(session.id, ana.id, "1:goal", "a1", "CANARY-GOAL-7Q")
        store.save_answer(session.id, ana.id, "1:worry", "a2", "CANARY-WORRY-7Q")
        store.save_answer(session.id, ben.id, "1:goal", "b1", "Ben keeps this")
        assert store.delete_answers(ana.id, "1:worry") == 1
        assert set(store.answers_of(ana.id)) == {"1:goal"}
        assert store.delete_answers(ana.id) == 1
        assert store.answers_of(ana.id) == {} and store.answers_of(ben.id) == {"1:goal": "Ben keeps this"}
        files = [store.path, store.path.with_name(store.path.name + "-wal")]
    raw = b"".join(path.read_bytes() for path in files if path.exists())
    assert b"CANARY-GOAL-7Q" not in raw and b"CANARY-WORRY-7Q" not in raw
