"""Organisations over HTTP: their system goals kept across sessions (archived, never deleted), their key shown once,
sessions made for one, and the leaders' follow-up it opens (refused to any other key)."""

import csv
import io
from typing import Any

import pytest

from tests.support.admin import GOALS, admin_headers
from tests.support.sockets import console

ORGANISATION_GOALS = [
    {"title": "Every student reads fluently by grade 3", "description": "Literacy across the curriculum"},
    {"title": "Feedback that moves learning forward", "description": ""},
    {"title": "Belonging for every learner", "description": ""},
]


def make_organisation(client, name: str = "Riverside District", goals: list | None = None) -> dict[str, Any]:
    body = {"name": name, "system_goals": ORGANISATION_GOALS if goals is None else goals}
    response = client.post("/api/organisations", json=body, headers=admin_headers())
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def patch(client, organisation_id: int, body: Any):
    return client.patch(f"/api/organisations/{organisation_id}", json=body, headers=admin_headers())


def follow_up(client, organisation: dict[str, Any], path: str = "/api/follow-up", key: str | None = None):
    headers = {"X-Organisation-Key": organisation["key"] if key is None else key}
    return client.get(f"{path}?organisation={organisation['id']}", headers=headers)


def new_session(client, **body: Any) -> dict[str, Any]:
    response = client.post("/api/sessions", json={"title": "PD day", **body}, headers=admin_headers())
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def details(client, code: str) -> dict[str, Any]:
    return client.get(f"/api/sessions/{code}", headers=admin_headers()).get_json()


def titles(goals: list[dict[str, Any]]) -> list[str]:
    return [goal["title"] for goal in goals]


def test_an_organisation_is_made_with_its_goals_and_its_key_is_shown_once(client):
    made = make_organisation(client)
    assert made["name"] == "Riverside District"
    assert titles(made["system_goals"]) == titles(ORGANISATION_GOALS)
    assert made["system_goals"][0]["description"] == "Literacy across the curriculum"
    assert (made["sessions"], made["people"], made["archived_goals"]) == (0, 0, [])
    assert made["key"]
    assert made["leaders_url"] == f"http://pathways.test/leaders#organisation={made['id']}&key={made['key']}"

    listed = client.get("/api/organisations", headers=admin_headers()).get_json()["organisations"]
    shown = client.get(f"/api/organisations/{made['id']}", headers=admin_headers()).get_json()
    for view in (listed[0], shown):
        assert "key" not in view and "leaders_url" not in view  # only its digest is kept
        assert view == {field: value for field, value in made.items() if field not in ("key", "leaders_url")}
    other = make_organisation(client, "Aberdeen Academy", ["Numeracy"])
    listed = client.get("/api/organisations", headers=admin_headers()).get_json()["organisations"]
    assert [o["name"] for o in listed] == ["Aberdeen Academy", "Riverside District"]  # by name
    assert other["key"] != made["key"]


def test_a_goal_left_out_of_an_edit_is_archived_and_can_come_back_with_its_id(client):
    made = make_organisation(client)
    literacy, feedback, belonging = (goal["id"] for goal in made["system_goals"])
    response = patch(client, made["id"], {"system_goals": [
        {"id": belonging, "title": "Belonging for every learner and adult"},
        {"id": feedback, "title": "Feedback that moves learning forward"},
        {"title": "Attendance", "description": "Every day counts"},
    ]})  # fmt: skip
    assert response.status_code == 200, response.get_json()
    edited = response.get_json()
    assert [goal["id"] for goal in edited["system_goals"]][:2] == [belonging, feedback]  # ids kept, in the new order
    assert titles(edited["system_goals"]) == [
        "Belonging for every learner and adult", "Feedback that moves learning forward", "Attendance"]  # fmt: skip
    assert edited["archived_goals"] == [made["system_goals"][0]]  # archived, not deleted

    renamed = patch(client, made["id"], {"name": "Riverside Unified"}).get_json()
    assert renamed["name"] == "Riverside Unified"
    assert renamed["system_goals"] == edited["system_goals"]  # goals not sent: as they were

    back = patch(client, made["id"], {"system_goals": [*edited["system_goals"], {"id": literacy, "title": "Literacy"}]})
    assert back.status_code == 200
    assert [goal["id"] for goal in back.get_json()["system_goals"]][-1] == literacy
    assert back.get_json()["archived_goals"] == []


def test_a_new_key_opens_the_follow_up_and_the_old_one_stops(client):
    made = make_organisation(client)
    response = client.post(f"/api/organisations/{made['id']}/key", headers=admin_headers())
    assert response.status_code == 200
    fresh = response.get_json()
    assert fresh["key"] != made["key"]
    assert fresh["leaders_url"].endswith(f"/leaders#organisation={made['id']}&key={fresh['key']}")
    assert follow_up(client, made).status_code == 403
    assert follow_up(client, made, key=fresh["key"]).status_code == 200


def test_a_session_made_for_an_organisation_starts_with_its_goals_then_its_own(client):
    made = make_organisation(client)
    _, feedback, belonging = made["system_goals"]
    patch(client, made["id"], {"system_goals": [{"id": feedback["id"], "title": feedback["title"]},
                                                {"id": belonging["id"], "title": belonging["title"]}]})  # fmt: skip

    shared = new_session(client, organisation_id=made["id"], organisation="Ignored: the organisation names it")
    assert shared["organisation_id"] == made["id"]
    assert titles(shared["system_goals"]) == [feedback["title"], belonging["title"]]  # archived ones are not offered
    none_of_its_own = new_session(client, organisation_id=made["id"], system_goals=[])
    assert none_of_its_own["system_goals"][0]["title"] == feedback["title"]
    assert len(none_of_its_own["system_goals"]) == 2
    own_goals = [
        {"title": "Outdoor learning", "description": "Our school's own"},
        {"title": "BELONGING FOR EVERY LEARNER"},
    ]
    own = new_session(client, organisation_id=made["id"], system_goals=own_goals)
    assert titles(own["system_goals"]) == [feedback["title"], belonging["title"], "Outdoor learning"]

    seen = details(client, own["code"])
    assert (seen["organisation"], seen["organisation_id"]) == ("Riverside District", made["id"])
    assert seen["system_goals"][2]["description"] == "Our school's own"
    alone = new_session(client, organisation="Riverside District", system_goals=GOALS)
    listed = {s["code"]: s for s in client.get("/api/sessions", headers=admin_headers()).get_json()["sessions"]}
    assert listed[own["code"]]["organisation_id"] == made["id"]
    assert listed[alone["code"]]["organisation_id"] is None
    assert client.get(f"/api/organisations/{made['id']}", headers=admin_headers()).get_json()["sessions"] == 3

    copy = client.post(f"/api/sessions/{own['code']}/duplicate", json={}, headers=admin_headers()).get_json()
    assert copy["organisation_id"] == made["id"]  # a copy for another day stays the organisation's


ROUTES = [
    ("get", "/api/organisations", None),
    ("post", "/api/organisations", {"name": "Riverside", "system_goals": ["Literacy"]}),
    ("get", "/api/organisations/{id}", None),
    ("patch", "/api/organisations/{id}", {"name": "Renamed"}),
    ("post", "/api/organisations/{id}/key", None),
]


@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
def test_every_organisation_route_needs_the_admin_token(client, method, path, body):
    made = make_organisation(client)
    url = path.format(id=made["id"])
    for headers in ({}, admin_headers("wrong"), {"Authorization": f"Bearer {made['key']}"}):
        response = getattr(client, method)(url, json=body, headers=headers)
        assert response.status_code == 401, (method, url, headers)
        assert response.get_json()["code"] == "unauthorized"
    assert follow_up(client, made).status_code == 200  # the key still works: no new one was made
    shown = client.get(f"/api/organisations/{made['id']}", headers=admin_headers()).get_json()
    assert shown["name"] == "Riverside District"
    assert len(client.get("/api/organisations", headers=admin_headers()).get_json()["organisations"]) == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([], "Send the organisation as a JSON object."),
        ({"system_goals": ["Literacy"]}, "name must be text."),
        ({"name": "   ", "system_goals": ["Literacy"]}, "name is empty."),
        ({"name": "x" * 201, "system_goals": ["Literacy"]}, "the limit is 200"),
        ({"name": "Riverside"}, "system_goals must be a list of 1 to 10 goals."),
        ({"name": "Riverside", "system_goals": []}, "system_goals must be a list of 1 to 10 goals."),
        ({"name": "Riverside", "system_goals": [f"Goal {n}" for n in range(11)]}, "1 to 10 goals"),
        ({"name": "Riverside", "system_goals": [{"description": "no title"}]}, "system_goals[0].title must be text."),
        ({"name": "Riverside", "system_goals": [7]}, "system_goals[0] must be an object with a title."),
        ({"name": "Riverside", "system_goals": ["Literacy"], "key": "mine"}, "Unknown field 'key'"),
    ],
)
def test_a_bad_new_organisation_is_refused_with_a_clear_message(client, body, message):
    response = client.post("/api/organisations", json=body, headers=admin_headers())
    assert response.status_code == 400
    assert response.get_json()["code"] == "bad_request"
    assert message in response.get_json()["error"]
    assert client.get("/api/organisations", headers=admin_headers()).get_json()["organisations"] == []


def test_bad_edits_and_unknown_organisations_are_refused(client):
    made = make_organisation(client)
    other = make_organisation(client, "Aberdeen Academy", ["Numeracy"])
    response = client.post("/api/organisations", data="name=x", headers=admin_headers())
    assert response.status_code == 400 and "must be JSON" in response.get_json()["error"]

    foreign = other["system_goals"][0]["id"]
    response = patch(client, made["id"], {"system_goals": [{"id": foreign, "title": "Numeracy"}]})
    assert response.status_code == 400
    assert response.get_json()["error"] == f"system_goals[0].id: {foreign} is not a system goal listed here."
    twice = made["system_goals"][0]["id"]
    response = patch(client, made["id"], {"system_goals": [{"id": twice, "title": "A"}, {"id": twice, "title": "B"}]})
    assert response.get_json()["error"] == f"system_goals[1].id: goal {twice} is listed twice."
    response = patch(client, made["id"], {"system_goals": []})
    assert response.status_code == 400 and "1 to 10 goals" in response.get_json()["error"]
    assert titles(client.get(f"/api/organisations/{made['id']}", headers=admin_headers()).get_json()["system_goals"]) \
        == titles(ORGANISATION_GOALS)  # fmt: skip

    for method, path in (("get", "/api/organisations/999"), ("patch", "/api/organisations/999"),
                         ("post", "/api/organisations/999/key")):  # fmt: skip
        response = getattr(client, method)(path, json={"name": "x"}, headers=admin_headers())
        assert response.status_code == 404, path
        assert response.get_json() == {"code": "unknown_organisation", "error": "There is no such organisation."}

    response = client.post("/api/sessions", json={"title": "Day", "organisation_id": 999}, headers=admin_headers())
    assert response.status_code == 404 and response.get_json()["code"] == "unknown_organisation"
    for wrong in ("1", True, 1.5):
        body = {"title": "Day", "organisation_id": wrong}
        response = client.post("/api/sessions", json=body, headers=admin_headers())
        assert response.status_code == 400
        assert response.get_json()["error"] == "organisation_id must be the id of an organisation, or left out."
    response = client.post("/api/sessions", json={"title": "Day", "organisation_id": made["id"], "system_goals": [7]},
                           headers=admin_headers())  # fmt: skip
    assert response.status_code == 400
    assert response.get_json()["error"] == "system_goals[0] must be an object with a title."  # its own goals, checked
    response = client.post("/api/sessions", json={"title": "Day"}, headers=admin_headers())
    assert response.status_code == 400 and "system_goals" in response.get_json()["error"]  # no organisation: needed


FOLLOW_UP_ROUTES = [
    ("get", "/api/follow-up"),
    ("get", "/api/follow-up/support-requests.csv"),
    ("post", "/api/follow-up/support-requests/1-s1-coaching/close"),
]


@pytest.mark.parametrize(("method", "path"), FOLLOW_UP_ROUTES)
def test_the_follow_up_opens_only_to_its_own_key(client, method, path):
    made = make_organisation(client)
    other = make_organisation(client, "Aberdeen Academy", ["Numeracy"])
    standalone = new_session(client, system_goals=GOALS)
    theirs = new_session(client, organisation_id=made["id"])
    send = getattr(client, method)

    def refused(query: str, headers: dict[str, str], status: int, code: str) -> None:
        response = send(f"{path}?{query}", headers=headers)
        assert response.status_code == status, (query, headers, response.get_json())
        assert response.get_json()["code"] == code

    mine = f"organisation={made['id']}"
    refused(mine, {}, 401, "unauthorized")
    refused(mine, {"X-Organisation-Key": "   "}, 401, "unauthorized")
    refused(mine, {"X-Organisation-Key": "not-the-key"}, 403, "bad_key")
    refused(mine, {"X-Organisation-Key": other["key"]}, 403, "bad_key")  # another organisation's key
    refused(f"organisation={other['id']}", {"X-Organisation-Key": made["key"]}, 403, "bad_key")
    refused(mine, {"Authorization": f"Bearer {made['key']}"}, 401, "unauthorized")
    refused("", {"X-Organisation-Key": made["key"]}, 404, "unknown_organisation")  # which organisation?
    refused("organisation=999", {"X-Organisation-Key": made["key"]}, 403, "bad_key")
    refused(f"code={theirs['code']}", {"X-Facilitator-Key": standalone["facilitator_key"]}, 403, "bad_key")
    refused(f"code={theirs['code']}", {"X-Facilitator-Key": made["key"]}, 403, "bad_key")
    refused(f"code={standalone['code']}", {"X-Facilitator-Key": standalone["facilitator_key"]}, 409, "no_organisation")
    refused("code=ZZZZZZ", {"X-Facilitator-Key": theirs["facilitator_key"]}, 403, "bad_key")
    refused(mine, {"X-Facilitator-Key": theirs["facilitator_key"]}, 404, "unknown_session")  # which session?

    response = client.get(f"/api/follow-up?code={standalone['code']}",
                          headers={"X-Facilitator-Key": standalone["facilitator_key"]})  # fmt: skip
    assert "no follow-up across sessions" in response.get_json()["error"]


def test_a_facilitator_key_opens_its_organisations_follow_up(client):
    made = make_organisation(client)
    session = new_session(client, organisation_id=made["id"])
    by_key = follow_up(client, made).get_json()
    response = client.get(f"/api/follow-up?code={session['code'].lower()}",
                          headers={"X-Facilitator-Key": session["facilitator_key"]})  # fmt: skip
    assert response.status_code == 200
    assert response.get_json() == by_key
    assert by_key["organisation"] == "Riverside District" and by_key["organisation_id"] == made["id"]
    assert (by_key["people"], by_key["without_goal"], by_key["open_requests"]) == (0, 0, 0)
    assert titles(by_key["system_goals"]) == titles(ORGANISATION_GOALS)


def run_to(facilitator, step_id: str) -> None:
    """Press Next on the console until ``step_id`` is open."""
    while True:
        ack = facilitator.emit("next", namespace="/facilitator", callback=True)
        assert ack["ok"] and ack["phase"] != "ended", ack
        if ack["step_id"] == step_id:
            return


def answer(phone, step_id: str, value: Any) -> None:
    ack = phone.emit("answer", {"step_id": step_id, "answer_id": f"a-{step_id}", "value": value},
                     namespace="/participant", callback=True)  # fmt: skip
    assert ack["ok"], (step_id, ack)


def csv_rows(client, organisation: dict[str, Any]) -> list[dict[str, str]]:
    response = follow_up(client, organisation, "/api/follow-up/support-requests.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="support-requests.csv"'
    return list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def test_a_request_followed_up_leaves_the_open_list(client, sio):
    made = make_organisation(client)
    session = new_session(client, organisation_id=made["id"], date="2026-10-20")
    facilitator = console(sio, session)
    ana = sio("/participant", code=session["code"], name="Ana", identifier="ana@riverside.org", consent=True)
    ben = sio("/participant", code=session["code"], name="Ben")
    goals = session["system_goals"]
    run_to(facilitator, "1:system-goal")
    answer(ana, "1:system-goal", goals[0]["id"])
    answer(ben, "1:system-goal", goals[0]["id"])
    run_to(facilitator, "1:goal")
    answer(ana, "1:goal", "Every student in 3B reads 90 words a minute by June")
    answer(ben, "1:goal", "Paired reading every morning")
    run_to(facilitator, "1:support")
    answer(ana, "1:support", ["coaching", "materials"])
    answer(ben, "1:support", ["training"])

    view = follow_up(client, made).get_json()
    assert (view["people"], view["without_goal"], view["open_requests"]) == (2, 0, 3)
    literacy = view["system_goals"][0]
    assert (literacy["people"], literacy["checked_in"]) == (2, 0)
    requests = literacy["requests"]
    assert [(r["name"], r["identifier"], r["support"]) for r in requests] == [
        ("Ana", "ana@riverside.org", "Coaching"), ("Ana", "ana@riverside.org", "Materials or resources"),
        ("Ben", "", "Further training")]  # fmt: skip
    assert requests[0]["goal"] == "Every student in 3B reads 90 words a minute by June"
    assert requests[0]["where"] == "PD day"
    rows = csv_rows(client, made)
    assert [(row["name"], row["email_or_staff_id"], row["support"]) for row in rows] == [
        (r["name"], r["identifier"], r["support"]) for r in requests]  # fmt: skip
    assert rows[0]["system_goal"] == goals[0]["title"] and rows[0]["asked_on"] == requests[0]["asked_on"]

    close = f"/api/follow-up/support-requests/{requests[0]['key']}/close?organisation={made['id']}"
    assert client.post(close, headers={"X-Organisation-Key": "wrong"}).status_code == 403
    assert follow_up(client, made).get_json()["open_requests"] == 3  # a wrong key closes nothing
    response = client.post(close, headers={"X-Organisation-Key": made["key"]})
    assert response.status_code == 204
    after = follow_up(client, made).get_json()
    assert after["open_requests"] == 2
    left = [r["support"] for r in after["system_goals"][0]["requests"]]
    assert left == ["Materials or resources", "Further training"]
    assert [row for row in csv_rows(client, made) if "Coaching" in row.values()] == []
    assert len(csv_rows(client, made)) == 2

    again = client.post(close, headers={"X-Organisation-Key": made["key"]})
    assert again.status_code == 404 and again.get_json()["code"] == "unknown_request"
    unknown = client.post(f"/api/follow-up/support-requests/nothing/close?organisation={made['id']}",
                          headers={"X-Organisation-Key": made["key"]})  # fmt: skip
    assert unknown.status_code == 404
    by_console = client.post(
        f"/api/follow-up/support-requests/{requests[1]['key']}/close?code={session['code']}",
        headers={"X-Facilitator-Key": session["facilitator_key"]},
    )
    assert by_console.status_code == 204  # the session's facilitator may follow up too
    assert [r["name"] for r in follow_up(client, made).get_json()["system_goals"][0]["requests"]] == ["Ben"]
