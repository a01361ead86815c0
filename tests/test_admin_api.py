"""Preparing the day over HTTP: listing, reading, editing, copying and deleting sessions, and fresh console links."""

import sqlite3
from pathlib import Path

import pytest

from facilitator.store import DATABASE_FILE
from tests.support.admin import GOALS, admin_headers
from tests.support.sockets import console, events, received

MISSING = "ZZZZZZ"


def join(sio, code, name="Ana", **auth):
    phone = sio("/participant", code=code, name=name, **auth)
    assert phone.is_connected("/participant")
    return phone


def details(client, code):
    response = client.get(f"/api/sessions/{code}", headers=admin_headers())
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def patch(client, code, body):
    return client.patch(f"/api/sessions/{code}", json=body, headers=admin_headers())


def pick_goal(sio, session, goal_id, name="Ana", **auth):
    """A participant joins, the console opens the first step (choose a system goal) and they choose ``goal_id``."""
    phone = join(sio, session["code"], name, **auth)
    facilitator = console(sio, session)
    assert facilitator.emit("next", namespace="/facilitator", callback=True)["ok"]
    ack = phone.emit("answer", {"step_id": "1:system-goal", "answer_id": f"{name}-goal", "value": goal_id},
                     namespace="/participant", callback=True)  # fmt: skip
    assert ack["ok"], ack


ROUTES = [
    ("get", "/api/sessions", None),
    ("get", "/api/sessions/{code}", None),
    ("patch", "/api/sessions/{code}", {"title": "Renamed"}),
    ("post", "/api/sessions/{code}/duplicate", {}),
    ("post", "/api/sessions/{code}/console-link", None),
    ("delete", "/api/sessions/{code}", None),
]


@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
def test_every_preparation_route_needs_the_admin_token(client, create_session, method, path, body):
    session = create_session()
    url = path.format(code=session["code"])
    for headers in ({}, admin_headers("wrong"), {"Authorization": "Basic xyz"}):
        response = getattr(client, method)(url, json=body, headers=headers)
        assert response.status_code == 401, (method, url, headers)
        assert response.get_json()["code"] == "unauthorized"
    assert details(client, session["code"])["title"] == "Spring PD day"  # nothing changed, nothing deleted
    response = getattr(client, method)(url, json=body, headers=admin_headers())
    assert response.status_code in (200, 201, 204), response.get_json()


@pytest.mark.parametrize(("method", "path", "body"), ROUTES[1:])
def test_an_unknown_code_is_a_404(client, method, path, body):
    for code in (MISSING, "not-a-code"):
        response = getattr(client, method)(path.format(code=code), json=body, headers=admin_headers())
        assert response.status_code == 404
        assert response.get_json() == {"error": "There is no session with that code.", "code": "unknown_session"}


def test_sessions_are_listed_newest_first_with_state_people_and_planned_time(client, create_session, sio):
    first = create_session(title="Monday", date="2027-03-15", day_minutes=300, facilitator="Dr. Amara Okafor")
    second = create_session(title="Tuesday", agenda=["goal-setting", {"id": "tuning", "rounds": 2}])
    third = create_session(title="Wednesday")
    join(sio, second["code"], "Ana")
    join(sio, second["code"], "Ben")
    facilitator = console(sio, third)
    while facilitator.emit("next", namespace="/facilitator", callback=True)["phase"] != "ended":
        pass
    response = client.get("/api/sessions", headers=admin_headers())
    assert response.status_code == 200
    listed = response.get_json()["sessions"]
    assert [s["code"] for s in listed] == [third["code"], second["code"], first["code"]]
    by_title = {s["title"]: s for s in listed}
    assert by_title["Monday"] | {"created_at": 0} == {
        "code": first["code"], "title": "Monday", "organisation": "Riverside District",
        "facilitator": "Dr. Amara Okafor", "date": "2027-03-15", "state": "draft", "participants": 0,
        "planned_minutes": 39, "day_minutes": 300, "created_at": 0, "organisation_id": None, "language": "en",
    }  # fmt: skip
    assert by_title["Tuesday"]["state"] == "live" and by_title["Tuesday"]["participants"] == 2
    protocols = {p["id"]: p for p in client.get("/api/protocols").get_json()["protocols"]}
    expected = protocols["goal-setting"]["minutes"] + 2 * protocols["tuning"]["minutes"]
    assert by_title["Tuesday"]["planned_minutes"] == expected
    assert by_title["Wednesday"]["state"] == "ended"


def test_a_session_started_with_nobody_in_is_live(client, create_session, sio):
    session = create_session()
    assert details(client, session["code"])["state"] == "draft"
    assert console(sio, session).emit("next", namespace="/facilitator", callback=True)["ok"]
    assert details(client, session["code"])["state"] == "live"


def test_details_hold_goals_with_ids_and_the_agenda_with_minutes_per_step(client, create_session):
    session = create_session(
        agenda=["goal-setting", {"id": "tuning", "rounds": 3, "minutes": {"presentation": 12, "pause": 0}}],
        join_question={"label": "Grade level", "options": ["K-2", "3-5"]},
        day_minutes=420,
    )
    body = details(client, session["code"])
    assert body["system_goals"] == session["system_goals"]
    assert body["join_question"] == {"label": "Grade level", "options": ["K-2", "3-5"]}
    assert body["state"] == "draft" and body["day_minutes"] == 420
    goal_setting, tuning = body["agenda"]
    assert (goal_setting["item"], goal_setting["protocol"], goal_setting["rounds"]) == (1, "goal-setting", 1)
    assert (tuning["item"], tuning["protocol"], tuning["rounds"]) == (2, "tuning", 3)
    steps = {step["id"]: step["minutes"] for step in tuning["steps"]}
    assert steps["presentation"] == 12 and steps["pause"] == 0
    assert tuning["minutes"] == sum(steps.values())
    assert body["planned_minutes"] == goal_setting["minutes"] + 3 * tuning["minutes"]


def test_minutes_set_for_a_step_are_what_the_console_plans_with(client, create_session, sio):
    session = create_session(agenda=[{"id": "goal-setting", "minutes": {"system-goal": 7}}])
    state = events(console(sio, session), "state", "/facilitator")[0]
    first = next(step for step in state["agenda"] if step["id"] == "1:system-goal")
    assert first["minutes"] == 7


def test_editing_changes_only_the_fields_sent(client, create_session):
    session = create_session(title="Day 1", facilitator="Ana", date="2027-03-15", day_minutes=300)
    response = patch(client, session["code"], {"title": "  Day one  ", "day_minutes": 360})
    assert response.status_code == 200
    body = response.get_json()
    assert (body["title"], body["facilitator"], body["date"]) == ("Day one", "Ana", "2027-03-15")
    assert body["day_minutes"] == 360
    assert body["organisation"] == "Riverside District" and body["system_goals"] == session["system_goals"]
    body = patch(client, session["code"], {"organisation": "", "date": "2027-04-01", "day_minutes": None}).get_json()
    assert (body["organisation"], body["date"], body["day_minutes"]) == ("", "2027-04-01", None)
    assert details(client, session["code"]) == body


def test_goals_are_reworded_reordered_added_and_removed_keeping_their_ids(client, create_session):
    session = create_session()
    literacy, feedback, belonging = session["system_goals"]
    response = patch(client, session["code"], {"system_goals": [
        {"id": belonging["id"], "title": "Belonging for every learner", "description": "Every day"},
        "Attendance above 95%",
        {"id": literacy["id"], "title": "Every child reads by grade 3"},
    ]})  # fmt: skip
    assert response.status_code == 200, response.get_json()
    goals = response.get_json()["system_goals"]
    assert [g["id"] for g in goals[::2]] == [belonging["id"], literacy["id"]]
    assert [g["title"] for g in goals] == ["Belonging for every learner", "Attendance above 95%",
                                           "Every child reads by grade 3"]  # fmt: skip
    assert goals[0]["description"] == "Every day" and goals[2]["description"] == ""
    assert goals[1]["id"] not in {literacy["id"], belonging["id"], feedback["id"]}  # a new goal, a new id
    # the newest goal removed and one added in the same edit: the new goal does not inherit the removed one's id
    response = patch(client, session["code"], {"system_goals": [goals[0], goals[2], "Attendance above 96%"]})
    assert response.get_json()["system_goals"][2]["id"] not in {g["id"] for g in goals}


def test_a_goal_someone_chose_cannot_be_removed_but_can_be_reworded(client, create_session, sio):
    session = create_session()
    literacy, feedback, belonging = session["system_goals"]
    pick_goal(sio, session, feedback["id"])
    response = patch(client, session["code"], {"title": "Renamed", "system_goals": [literacy, belonging]})
    assert response.status_code == 409
    assert response.get_json() == {
        "error": "'Feedback that moves learning forward' was chosen by 1 participant, so it cannot be removed; "
        "you can still change its wording.",
        "code": "goal_in_use",
    }
    assert details(client, session["code"])["title"] == "Spring PD day"  # a refused edit changes nothing
    reworded = [literacy, {"id": feedback["id"], "title": "Feedback that moves learning on"}]
    response = patch(client, session["code"], {"system_goals": reworded})
    assert response.status_code == 200, response.get_json()
    assert [g["id"] for g in response.get_json()["system_goals"]] == [literacy["id"], feedback["id"]]


def test_the_agenda_is_rebuilt_while_draft_keeping_items_sent_by_number(client, create_session):
    session = create_session(agenda=["goal-setting", {"id": "tuning", "minutes": {"presentation": 20}}])
    agenda = [
        {"id": "three-two-one", "rounds": 2, "minutes": {"learned": 4}},
        {"item": 2, "rounds": 3},
        {"item": 1, "minutes": {"system-goal": 6}},
    ]
    response = patch(client, session["code"], {"agenda": agenda})
    assert response.status_code == 200, response.get_json()
    items = response.get_json()["agenda"]
    assert [(i["item"], i["protocol"], i["rounds"]) for i in items] == [
        (3, "three-two-one", 2), (2, "tuning", 3), (1, "goal-setting", 1)
    ]  # fmt: skip
    assert {s["id"]: s["minutes"] for s in items[0]["steps"]}["learned"] == 4
    assert {s["id"]: s["minutes"] for s in items[1]["steps"]}["presentation"] == 20  # its own copy is kept
    assert {s["id"]: s["minutes"] for s in items[2]["steps"]}["system-goal"] == 6
    assert response.get_json()["planned_minutes"] == sum(i["rounds"] * i["minutes"] for i in items)


@pytest.mark.parametrize("make_live", ["join", "start"])
def test_the_agenda_is_refused_once_live_and_points_to_the_console(client, create_session, sio, make_live):
    session = create_session()
    if make_live == "join":
        join(sio, session["code"])
    else:
        assert console(sio, session).emit("next", namespace="/facilitator", callback=True)["ok"]
    response = patch(client, session["code"], {"title": "Renamed", "agenda": ["three-two-one"]})
    assert response.status_code == 409
    assert response.get_json()["code"] == "session_live"
    assert "change it from the console" in response.get_json()["error"]
    body = details(client, session["code"])
    assert body["title"] == "Spring PD day" and [i["protocol"] for i in body["agenda"]] == ["goal-setting"]
    assert patch(client, session["code"], {"title": "Renamed"}).status_code == 200  # the rest still edits


def test_an_edit_reaches_the_screens_already_open(client, create_session, sio):
    session = create_session()
    phone = join(sio, session["code"])
    received(phone, "/participant")  # drained through the phone's view, which keeps its state
    assert patch(client, session["code"], {"title": "Spring PD day, morning"}).status_code == 200
    states = events(phone, "state", "/participant")
    assert states and states[-1]["session"]["title"] == "Spring PD day, morning"


def test_bad_edits_get_the_first_problem_in_words_and_change_nothing(client, create_session):
    session = create_session(day_minutes=300)
    goal = session["system_goals"][0]
    cases = [
        ({}, "fields to change"),
        ({"code": "ABCDEF"}, "'code' cannot be changed here"),
        ({"title": ""}, "title is empty."),
        ({"title": "x" * 201}, "title is 201 characters; the limit is 200."),
        ({"date": "15/03/2027"}, "date must be a day written as YYYY-MM-DD."),
        ({"day_minutes": 0}, "day_minutes must be a whole number of minutes from 1 to 1440."),
        ({"day_minutes": "300"}, "day_minutes must be a whole number"),
        ({"system_goals": []}, "system_goals must be a list of 1 to 10 goals."),
        ({"system_goals": [{"id": 9999, "title": "x"}]}, "system_goals[0].id: 9999 is not a system goal"),
        ({"system_goals": [goal, goal]}, f"system_goals[1].id: goal {goal['id']} is listed twice."),
        ({"system_goals": [{"id": goal["id"], "title": " "}]}, "system_goals[0].title is empty."),
        ({"agenda": []}, "agenda must be a list of 1 to 30 protocols."),
        ({"agenda": ["no-such"]}, "agenda[0]: 'no-such' is not a protocol in the library"),
        ({"agenda": [{"item": 7}]}, "agenda[0]: there is no item 7 in this session's agenda."),
        ({"agenda": [{"item": 1}, {"item": 1}]}, "agenda[1]: item 1 is listed twice."),
        ({"agenda": [{"id": "tuning", "rounds": 0}]}, "agenda[0].rounds must be a whole number from 1 to 30."),
        ({"agenda": [{"id": "tuning", "minutes": {"nope": 3}}]}, "agenda[0].minutes: 'nope' is not a step of"),
        ({"agenda": [{"id": "tuning", "minutes": {"pause": 241}}]}, "agenda[0].minutes.pause must be a number of"),
        ({"agenda": [{"id": "tuning", "minutes": {"pause": "5"}}]}, "agenda[0].minutes.pause must be a number of"),
        ({"agenda": [{"id": "tuning", "minutes": [5]}]}, "agenda[0].minutes must be an object of step id"),
        ([1, 2], "fields to change"),
    ]
    before = details(client, session["code"])
    for body, expected in cases:
        response = patch(client, session["code"], body)
        assert response.status_code == 400, body
        assert expected in response.get_json()["error"], (body, response.get_json())
    response = client.patch(f"/api/sessions/{session['code']}", data="not json", headers=admin_headers())
    assert response.status_code == 400 and "must be JSON" in response.get_json()["error"]
    assert details(client, session["code"]) == before


def test_creating_checks_the_new_fields_too(client):
    base = {"title": "Day", "system_goals": GOALS}
    for extra, expected in [
        ({"day_minutes": 1441}, "day_minutes must be a whole number of minutes from 1 to 1440."),
        ({"agenda": [{"id": "tuning", "minutes": {"pause": -1}}]}, "agenda[0].minutes.pause must be a number"),
        ({"system_goals": [{"id": 1, "title": "x"}]}, "system_goals[0].id: 1 is not a system goal"),
    ]:
        response = client.post("/api/sessions", json=base | extra, headers=admin_headers())
        assert response.status_code == 400 and expected in response.get_json()["error"], extra
    assert client.get("/api/sessions", headers=admin_headers()).get_json() == {"sessions": []}


def test_duplicating_copies_the_plan_for_the_day_and_nothing_that_happened_in_it(client, create_session, sio):
    source = create_session(
        title="Tuning day", facilitator="Dr. Amara Okafor", date="2027-03-15", day_minutes=390,
        agenda=["goal-setting", {"id": "tuning", "rounds": 2, "minutes": {"presentation": 12}}],
        join_question={"label": "Grade level", "options": ["K-2", "3-5"]},
    )  # fmt: skip
    pick_goal(sio, source, source["system_goals"][1]["id"], join_answer="3-5")
    response = client.post(f"/api/sessions/{source['code']}/duplicate", json={"date": "2027-03-22"},
                           headers=admin_headers())  # fmt: skip
    assert response.status_code == 201, response.get_json()
    copy = response.get_json()
    assert copy["code"] != source["code"] and copy["facilitator_key"] != source["facilitator_key"]
    assert copy["console_url"] == f"http://pathways.test/console/{copy['code']}#key={copy['facilitator_key']}"
    assert copy["join_url"] == f"http://pathways.test/j/{copy['code']}"
    assert copy["projector_url"] == f"http://pathways.test/projector/{copy['code']}"
    original, copied = details(client, source["code"]), details(client, copy["code"])
    assert copied["date"] == "2027-03-22" and copied["state"] == "draft" and copied["participants"] == 0
    for field in ("title", "organisation", "facilitator", "day_minutes", "join_question", "agenda", "planned_minutes"):
        assert copied[field] == original[field], field
    strip = [{"title": g["title"], "description": g["description"]} for g in original["system_goals"]]
    assert [{"title": g["title"], "description": g["description"]} for g in copied["system_goals"]] == strip
    assert not {g["id"] for g in copied["system_goals"]} & {g["id"] for g in original["system_goals"]}
    assert original["state"] == "live" and original["participants"] == 1
    state = events(console(sio, copy), "state", "/facilitator")[0]
    assert state["phase"] == "lobby" and state["live"]["joined"] == 0 and state["groups"] == []
    # the copy's goals are its own: dropping one there does not touch the original, where it was chosen
    assert patch(client, copy["code"], {"system_goals": copied["system_goals"][:1]}).status_code == 200
    assert len(details(client, source["code"])["system_goals"]) == 3


def test_duplicating_without_a_body_keeps_the_date_and_a_bad_date_is_refused(client, create_session):
    source = create_session(date="2027-03-15")
    response = client.post(f"/api/sessions/{source['code']}/duplicate", headers=admin_headers())
    assert response.status_code == 201 and response.get_json()["date"] == "2027-03-15"
    for body in ({"date": "next monday"}, ["2027-03-22"]):
        response = client.post(f"/api/sessions/{source['code']}/duplicate", json=body, headers=admin_headers())
        assert response.status_code == 400, body
    assert len(client.get("/api/sessions", headers=admin_headers()).get_json()["sessions"]) == 2


def test_a_new_console_link_opens_the_console_and_the_old_key_stops_working(client, create_session, sio):
    session = create_session()
    response = client.post(f"/api/sessions/{session['code']}/console-link", headers=admin_headers())
    assert response.status_code == 200
    body = response.get_json()
    assert body["facilitator_key"] != session["facilitator_key"]
    assert body["console_url"] == f"http://pathways.test/console/{session['code']}#key={body['facilitator_key']}"
    old = sio("/facilitator", code=session["code"], key=session["facilitator_key"])
    assert not old.is_connected("/facilitator")
    new = sio("/facilitator", code=session["code"], key=body["facilitator_key"])
    assert new.is_connected("/facilitator")


def test_deleting_removes_the_session_and_every_row_that_was_in_it(app, client, create_session, sio):
    doomed, kept = create_session(title="Doomed"), create_session(title="Kept")
    for session in (doomed, kept):
        pick_goal(sio, session, session["system_goals"][0]["id"], name=f"Zoë in {session['code']}")
        facilitator = console(sio, session)
        grouped = facilitator.emit("form_groups", {"size": 2, "confirm": True}, namespace="/facilitator", callback=True)
        assert grouped["ok"]
    database = Path(app.config["DATA_DIR"]) / DATABASE_FILE

    def rows(session_code: str) -> dict[str, int]:
        with sqlite3.connect(database) as db:
            (session_id,) = db.execute("SELECT id FROM sessions WHERE code = ?", (session_code,)).fetchone() or (None,)
            return {
                table: db.execute(f"SELECT COUNT(*) FROM {table} WHERE session_id = ?", (session_id,)).fetchone()[0]
                for table in ("system_goals", "participants", "answers", "group_members")
            } | {"sessions": db.execute("SELECT COUNT(*) FROM sessions WHERE id = ?", (session_id,)).fetchone()[0]}

    everything = {"system_goals": 3, "participants": 1, "answers": 1, "group_members": 1, "sessions": 1}
    assert rows(doomed["code"]) == everything and rows(kept["code"]) == everything
    with sqlite3.connect(database) as db:
        (doomed_id,) = db.execute("SELECT id FROM sessions WHERE code = ?", (doomed["code"],)).fetchone()
    response = client.delete(f"/api/sessions/{doomed['code']}", headers=admin_headers())
    assert response.status_code == 204 and response.data == b""
    with sqlite3.connect(database) as db:
        for table in ("system_goals", "participants", "answers", "group_members"):
            count = db.execute(f"SELECT COUNT(*) FROM {table} WHERE session_id = ?", (doomed_id,)).fetchone()[0]
            assert count == 0, table
        assert db.execute("SELECT COUNT(*) FROM sessions WHERE id = ?", (doomed_id,)).fetchone()[0] == 0
        assert db.execute("SELECT COUNT(*) FROM participants WHERE name LIKE 'Zoë in %'").fetchone()[0] == 1
    assert rows(kept["code"]) == everything
    raw = b"".join(path.read_bytes() for path in database.parent.glob(f"{DATABASE_FILE}*"))
    assert f"Zoë in {doomed['code']}".encode() not in raw  # overwritten, not just unlinked
    assert f"Zoë in {kept['code']}".encode() in raw
    assert client.get(f"/api/sessions/{doomed['code']}", headers=admin_headers()).status_code == 404
    assert client.get(f"/j/{doomed['code']}").status_code == 404
    assert [s["code"] for s in client.get("/api/sessions", headers=admin_headers()).get_json()["sessions"]] == [
        kept["code"]
    ]
