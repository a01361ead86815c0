"""Two sessions of one organisation a month apart, with the same people: goals set on the first day, check-ins
between days, the second day's Revisit goals recalling each person's own goal, and the leaders' view counting it.

Over a real server and real Socket.IO clients. Each phone keeps its tokens as a phone does: coming back to the
organisation, it shows the earlier plan's token, which is what proves it is the same person.
"""

import json
import time
from typing import Any

import pytest
import requests

from tests.support.admin import admin_headers

pytestmark = pytest.mark.live

ORGANISATION_GOALS = [
    {"title": "Every student reads fluently by grade 3", "description": "Literacy across the curriculum"},
    {"title": "Feedback that moves learning forward"},
    {"title": "Belonging for every learner"},
]
SECRET = "PRIVATE-{}-never-leaves"


def make_organisation(url: str) -> dict[str, Any]:
    body = {"name": "Riverside District", "system_goals": ORGANISATION_GOALS}
    response = requests.post(f"{url}/api/organisations", json=body, headers=admin_headers(), timeout=10)
    assert response.status_code == 201, response.text
    return response.json()


def make_session(url: str, organisation_id: int, day: str, agenda: list[str]) -> dict[str, Any]:
    body = {"title": f"PD day {day}", "organisation_id": organisation_id, "date": day, "agenda": agenda}
    response = requests.post(f"{url}/api/sessions", json=body, headers=admin_headers(), timeout=10)
    assert response.status_code == 201, response.text
    return response.json()


def run_to(console, phones, step_id: str) -> list[dict[str, Any]]:
    """Move the console until ``step_id`` is open; each phone's state on it."""
    while True:
        ack = console.call("next")
        assert ack["ok"] and ack["phase"] != "ended", ack
        if ack["step_id"] == step_id:
            break
    return [phone.wait_for("state", lambda s: s["step"] and s["step"]["id"] == step_id) for phone in phones]


def answer(phone, step_id: str, value: Any) -> None:
    ack = phone.call("answer", {"step_id": step_id, "answer_id": f"a-{step_id}", "value": value})
    assert ack["ok"], (step_id, ack)


def everything_sent_to(phone) -> str:
    return json.dumps(phone.received, ensure_ascii=False)


def test_two_sessions_a_month_apart_follow_each_person_up(live_server, peers):
    url = live_server.url
    organisation = make_organisation(url)

    # Day one: goal setting. Ana gives her e-mail (with consent); Ben does not.
    first = make_session(url, organisation["id"], "2026-10-20", ["goal-setting"])
    goals_here = {goal["title"]: goal["id"] for goal in first["system_goals"]}
    assert len(goals_here) == 3  # the organisation's goals, copied into the session
    console = peers(url, "/facilitator", code=first["code"], key=first["facilitator_key"]).connect()
    ana = peers(url, "/participant", code=first["code"], name="Ana", identifier="Ana@Riverside.org ", consent=True)
    ben = peers(url, "/participant", code=first["code"], name="Ben")
    phones = [ana.connect(), ben.connect()]
    tokens = {name: phone.wait_for("welcome")["token"] for name, phone in zip(("ana", "ben"), phones, strict=True)}
    plans = {
        "ana": ("Every student in 3B reads 90 words a minute by June", 0, ["Daily paired reading", "Running records"]),
        "ben": ("Written feedback on every draft within two days", 1, ["Feedback codes", "Student self-check"]),
    }
    titles = [goal["title"] for goal in ORGANISATION_GOALS]
    run_to(console, phones, "1:system-goal")
    for name, phone in zip(("ana", "ben"), phones, strict=True):
        answer(phone, "1:system-goal", goals_here[titles[plans[name][1]]])
    run_to(console, phones, "1:obstacles")
    answer(ana, "1:obstacles", "Not enough time for reading conferences")
    answer(ben, "1:obstacles", "Marking load and time")
    run_to(console, phones, "1:goal")
    for name, phone in zip(("ana", "ben"), phones, strict=True):
        answer(phone, "1:goal", plans[name][0])
    run_to(console, phones, "1:action-steps")
    for name, phone in zip(("ana", "ben"), phones, strict=True):
        steps = [{"text": text, "date": "2026-11-0" + str(n + 1)} for n, text in enumerate(plans[name][2])]
        answer(phone, "1:action-steps", steps)
    run_to(console, phones, "1:support")
    answer(ana, "1:support", ["coaching"])
    answer(ben, "1:support", ["materials"])
    run_to(console, phones, "1:worry")
    answer(ana, "1:worry", SECRET.format("ANA-WORRY"))
    answer(ben, "1:worry", SECRET.format("BEN-WORRY"))
    for phone in phones:
        phone.disconnect()
    console.disconnect()

    # Between the days: each records a check-in on their plan page.
    ana_check_in = {
        "progress": [{"step": "Daily paired reading", "level": 4}, {"step": "Running records", "level": 2}],
        "evidence": "Fluency scores up 12 words a minute",
        "evidence_link": "https://drive.example.org/3b-fluency",
        "obstacles": "Running records take too much time",
        "support": ["release-time"],
        "support_note": "Half a day to do running records",
        "private_note": SECRET.format("ANA-NOTE"),
    }
    response = requests.post(f"{url}/p/{tokens['ana']}/check-ins", json=ana_check_in, timeout=10)
    assert response.status_code == 201, response.text
    ben_check_in = {
        "progress": [{"step": "Feedback codes", "level": 3}, {"step": "Student self-check", "level": 1}],
        "obstacles": "Marking load",
        "support": ["coaching"],
        "private_note": SECRET.format("BEN-NOTE"),
    }
    assert requests.post(f"{url}/p/{tokens['ben']}/check-ins", json=ben_check_in, timeout=10).status_code == 201
    refused = requests.post(f"{url}/p/{tokens['ben']}/check-ins", json={"progress": []}, timeout=10)
    assert refused.status_code == 400 and "progress" in refused.json()["error"]

    # Day two, a month later: Revisit goals. Ana and Ben come back on their phones (which hold their day-one
    # tokens); Cara is new; Dan types Ana's e-mail on a phone that never held her plan.
    second = make_session(url, organisation["id"], "2026-11-20", ["revisit-goals"])
    console = peers(url, "/facilitator", code=second["code"], key=second["facilitator_key"]).connect()
    ana = peers(url, "/participant", code=second["code"], name="Ana", earlier=[tokens["ana"]])
    ben = peers(url, "/participant", code=second["code"], name="Ben", earlier=["not-a-token", tokens["ben"]])
    cara = peers(url, "/participant", code=second["code"], name="Cara")
    dan = peers(url, "/participant", code=second["code"], name="Dan", identifier="ana@riverside.org", consent=True)
    phones = [ana.connect(), ben.connect(), cara.connect(), dan.connect()]
    second_tokens = [phone.wait_for("welcome")["token"] for phone in phones]
    second_goals = {goal["title"]: goal["id"] for goal in second["system_goals"]}

    states = run_to(console, phones, "1:system-goal")
    recalled = [state["recall"] for state in states]
    assert [r["status"] for r in recalled] == ["returning", "returning", "first_time", "hidden"]
    for name, recall in zip(("ana", "ben"), recalled[:2], strict=True):
        goal_text, goal_index, steps = plans[name]
        assert recall["goal"] == goal_text
        assert recall["system_goal_id"] == second_goals[titles[goal_index]]  # the same organisation goal, today's id
        assert [item["text"] for item in recall["action_step_items"]] == steps
        assert recall["source"] == "PD day 2026-10-20 · 20 October 2026"
    assert recalled[0]["check_ins"][0]["progress"][0] == {"step": "Daily paired reading", "level": 4, "of": 5,
                                                          "label": "Nearly there"}  # fmt: skip
    assert recalled[0]["check_ins"][0]["evidence_link"] == ana_check_in["evidence_link"]
    assert recalled[1]["check_ins"][0]["obstacles"] == "Marking load"
    assert states[2]["step"]["first_time_prompt"] and recalled[2]["goal"] == "" and recalled[3]["goal"] == ""

    # Each phone received its own earlier plan and nobody else's; no private text reached any phone.
    for n, phone in enumerate(phones):
        sent = everything_sent_to(phone)
        for other, (goal_text, _, _) in plans.items():
            assert (goal_text in sent) == (n == ("ana", "ben").index(other)), (n, other)
        assert "PRIVATE-" not in sent

    answer(ana, "1:system-goal", second_goals[titles[0]])
    answer(cara, "1:system-goal", second_goals[titles[2]])
    states = run_to(console, phones, "1:goal")
    answer(ana, "1:goal", plans["ana"][0] + ", and 80 by March")
    answer(cara, "1:goal", "Every student greeted by name at the door")

    states = run_to(console, phones, "1:progress")
    assert [state["may_answer"] for state in states] == [True, True, False, False]  # first-timers listen
    refused = cara.call("answer", {"step_id": "1:progress", "answer_id": "c", "value": [{"step": "x", "level": 1}]})
    assert refused["ok"] is False
    answer(ana, "1:progress", [{"step": "Daily paired reading", "level": 5}, {"step": "Running records", "level": 3}])
    states = run_to(console, phones, "1:support")
    answer(ana, "1:support", ["coaching", "observe-colleague"])
    answer(cara, "1:support", ["none-now"])

    # The leaders' view, with the organisation key.
    headers = {"X-Organisation-Key": organisation["key"]}
    view = requests.get(f"{url}/api/follow-up?organisation={organisation['id']}", headers=headers, timeout=10)
    assert view.status_code == 200, view.text
    body = view.json()
    by_title = {goal["title"]: goal for goal in body["system_goals"]}
    assert body["people"] == 4  # Ana, Ben, Cara, Dan (Dan's e-mail links him to Ana's records only when proven)
    assert {title: by_title[title]["people"] for title in titles} == {titles[0]: 1, titles[1]: 1, titles[2]: 1}
    assert by_title[titles[0]]["checked_in"] == 1 and by_title[titles[2]]["checked_in"] == 0
    months = {month["month"]: month for month in by_title[titles[0]]["progress"]}
    assert set(months) == {this_month()}  # the check-in and the revisit were both recorded today
    requests_open = {(r["name"], r["support"]) for goal in body["system_goals"] for r in goal["requests"]}
    # Each person's latest statement of need counts: Ana's today (coaching, a colleague to observe), Ben's at his
    # check-in (coaching, no longer the materials of day one); Cara needs none right now.
    assert requests_open == {
        ("Ana", "Coaching"),
        ("Ana", "A colleague to observe or be observed by"),
        ("Ben", "Coaching"),
    }
    ana_requests = [r for r in by_title[titles[0]]["requests"]]
    assert all(r["identifier"] == "ana@riverside.org" for r in ana_requests)
    assert "PRIVATE-" not in view.text

    csv = requests.get(f"{url}/api/follow-up/support-requests.csv?organisation={organisation['id']}",
                       headers=headers, timeout=10)  # fmt: skip
    assert csv.status_code == 200 and csv.headers["Content-Type"].startswith("text/csv")
    rows = csv.content.decode("utf-8-sig").splitlines()
    assert rows[0] == (
        "name,email_or_staff_id,system_goal,goal,support,note,asked_on,where,owner,state,age_days,meeting_day,"
        "meeting_place"
    )
    assert len(rows) == 4 and "PRIVATE-" not in csv.text

    # A facilitator key of the organisation's session opens it too; a wrong key does not.
    fkey = {"X-Facilitator-Key": second["facilitator_key"]}
    same = requests.get(f"{url}/api/follow-up?code={second['code']}", headers=fkey, timeout=10)
    assert same.status_code == 200 and same.json()["system_goals"] == body["system_goals"]
    wrong = requests.get(f"{url}/api/follow-up?organisation={organisation['id']}",
                         headers={"X-Organisation-Key": second["facilitator_key"]}, timeout=10)  # fmt: skip
    assert wrong.status_code == 403

    # A coach follows Ben up: his request leaves the open list.
    ben_request = next(r for r in by_title[titles[1]]["requests"] if r["name"] == "Ben")
    closed = requests.post(f"{url}/api/follow-up/support-requests/{ben_request['key']}/close?organisation="
                           f"{organisation['id']}", headers=headers, timeout=10)  # fmt: skip
    assert closed.status_code == 204
    after = requests.get(f"{url}/api/follow-up?organisation={organisation['id']}", headers=headers, timeout=10).json()
    assert after["open_requests"] == 2

    # Ana's plan page holds both sessions and her check-in, private note included; Dan's holds only his own.
    ana_page = requests.get(f"{url}/p/{second_tokens[0]}/plan", timeout=10).text
    assert plans["ana"][0] in ana_page and SECRET.format("ANA-NOTE") in ana_page
    dan_page = requests.get(f"{url}/p/{second_tokens[3]}/plan", timeout=10).text
    assert plans["ana"][0] not in dan_page and "PRIVATE-" not in dan_page


def this_month() -> str:
    return time.strftime("%Y-%m", time.gmtime())
