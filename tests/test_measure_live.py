"""A goal with a measure, over a real server and real Socket.IO phones: written on the goal-setting day (a bad one
refused with the field named), three check-ins recording results on the plan page, the person's data holding them,
a result out of range or without a measure refused with nothing kept, and the next day's revisit offering the measure
back to keep."""

import json
from typing import Any

import pytest
import requests

from protocols.measures import measure_line
from tests.support.admin import admin_headers

pytestmark = pytest.mark.live

GOALS = [{"title": "Every student reads fluently by grade 3"}, {"title": "Feedback that moves learning forward"}]
READING = {
    "what": "Share of my class reading at grade level",
    "unit": "percent",
    "out_of": None,
    "baseline": {"value": 40, "date": "2026-10-20"},
    "target": {"value": 80, "date": "2027-06-01"},
}
PROGRESS = [{"step": "Daily paired reading", "level": 3}]


def post(url: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = requests.post(f"{url}{path}", json=body, headers=admin_headers(), timeout=10)
    assert response.status_code == 201, response.text
    return response.json()


def run_to(console, phones, step_id: str) -> list[dict[str, Any]]:
    """Open ``step_id`` on the console; each phone's state once it shows it."""
    assert console.call("goto", {"step_id": step_id})["ok"]
    return [phone.wait_for("state", lambda s: s["step"] and s["step"]["id"] == step_id) for phone in phones]


def answer(phone, step_id: str, value: Any, answer_id: str = "") -> dict[str, Any]:
    return phone.call("answer", {"step_id": step_id, "answer_id": answer_id or f"a-{step_id}", "value": value})


def my_data(url: str, token: str) -> dict[str, Any]:
    response = requests.get(f"{url}/p/{token}/my-data.json", timeout=10)
    assert response.status_code == 200
    return response.json()


def test_a_measure_written_on_the_day_is_followed_by_results_at_check_ins(live_server, peers):
    url = live_server.url
    organisation = post(url, "/api/organisations", {"name": "Riverside District", "system_goals": GOALS})
    body = {"title": "Autumn PD day", "organisation_id": organisation["id"], "date": "2026-10-20"}
    day = post(url, "/api/sessions", {**body, "agenda": ["goal-setting"]})
    console = peers(url, "/facilitator", code=day["code"], key=day["facilitator_key"]).connect()
    ana = peers(url, "/participant", code=day["code"], name="Ana").connect()
    ben = peers(url, "/participant", code=day["code"], name="Ben").connect()
    tokens = [phone.wait_for("welcome")["token"] for phone in (ana, ben)]

    run_to(console, [ana, ben], "1:system-goal")
    for phone in (ana, ben):
        assert answer(phone, "1:system-goal", day["system_goals"][0]["id"])["ok"]
    run_to(console, [ana, ben], "1:goal")
    assert answer(ana, "1:goal", "Every reader in 3B at grade level by June")["ok"]
    assert answer(ben, "1:goal", "Fluency checks every fortnight")["ok"]

    # The measure step, after the goal: a measure that breaks a rule is refused with the field named.
    (state, _) = run_to(console, [ana, ben], "1:measure")
    assert (state["step"]["kind"], state["step"]["plan"], state["step"]["visibility"]) == (
        "measure", "measure", "facilitator"
    )  # fmt: skip
    same = {**READING, "target": {"value": 40, "date": "2027-06-01"}}
    refused = answer(ana, "1:measure", same, "bad-1")
    assert (refused["ok"], refused["code"], refused["error"]) == (False, "bad_measure", "The target must differ from "
                                                                  "the baseline.")  # fmt: skip
    early = {**READING, "target": {"value": 80, "date": "2026-10-01"}}
    assert answer(ana, "1:measure", early, "bad-2")["error"] == "The target's date must be after the baseline's."
    saved = answer(ana, "1:measure", {**READING, "baseline": {"value": 40.04, "date": "2026-10-20"}})
    assert saved["ok"], saved
    seen = console.wait_for("answer", lambda a: a["step_id"] == "1:measure" and a["name"] == "Ana")
    assert seen["value"] == READING  # kept rounded to the unit's places; Ben writes none (it is optional)
    assert "Share of my class" not in json.dumps(ben.received, ensure_ascii=False)
    for phone in (ana, ben, console):
        phone.disconnect()

    # Three check-ins, each with a result of her measure, dated by the check-in itself.
    for result in (50, 55, 62.5):
        recorded = requests.post(f"{url}/p/{tokens[0]}/check-ins", json={"progress": PROGRESS, "result": result},
                                 timeout=10)  # fmt: skip
        assert recorded.status_code == 201, recorded.text
        kept = recorded.json()["check_in"]
        assert (kept["result"], kept["result_line"]) == (result, f"Result: {result:g}%")

    # A result out of range, or a number that is not one, is refused and nothing is kept.
    for result, message in ((101, "The result: a percent is between 0 and 100."), ("lots", "The result must be a "
                                                                                   "number.")):  # fmt: skip
        out = requests.post(f"{url}/p/{tokens[0]}/check-ins", json={"progress": PROGRESS, "result": result}, timeout=10)
        assert out.status_code == 400 and out.json() == {"code": "bad_measure", "error": message}
    typed = {"progress-1-step": "Daily paired reading", "progress-1-level": "3", "result": "120"}
    form = requests.post(f"{url}/p/{tokens[0]}/check-ins", data=typed, timeout=10)
    assert form.status_code == 400 and "a percent is between 0 and 100" in form.text and 'value="120"' in form.text
    # Ben wrote no measure: a result from him is refused, with what to do instead.
    no_measure = requests.post(f"{url}/p/{tokens[1]}/check-ins", json={"progress": PROGRESS, "result": 3}, timeout=10)
    assert no_measure.status_code == 400 and no_measure.json() == {
        "code": "bad_measure", "error": "Add a measure to your goal first."
    }  # fmt: skip
    assert my_data(url, tokens[1])["check_ins"] == []

    # Her data holds the three results, newest first, and the measure as her plan reads it.
    data = my_data(url, tokens[0])
    assert [c["result"] for c in data["check_ins"]] == [62.5, 55, 50]
    assert [c["result_line"] for c in data["check_ins"]] == ["Result: 62.5%", "Result: 55%", "Result: 50%"]
    answers = {a["step"]: a["answer"] for a in data["sessions"][0]["answers"]}
    assert answers["How you will measure it"] == [measure_line(READING)]
    page = requests.get(f"{url}/p/{tokens[0]}/plan", timeout=10).text
    assert 'id="check-in-result"' in page and measure_line(READING) in page  # the form's hint names the measure
    assert page.count('data-testid="check-in-result-line"') == 3 and "Result: 62.5%" in page  # each check-in's result
    assert 'id="check-in-result"' not in requests.get(f"{url}/p/{tokens[1]}/plan", timeout=10).text

    # The next day's revisit offers her measure back to keep, with the results recorded since.
    spring = post(url, "/api/sessions", {**body, "title": "Spring PD day", "date": "2027-03-15",
                                         "agenda": ["revisit-goals"]})  # fmt: skip
    console = peers(url, "/facilitator", code=spring["code"], key=spring["facilitator_key"]).connect()
    ana = peers(url, "/participant", code=spring["code"], name="Ana", earlier=[tokens[0]]).connect()
    cara = peers(url, "/participant", code=spring["code"], name="Cara").connect()
    ana_state, cara_state = run_to(console, [ana, cara], "1:measure")
    assert ana_state["recall"]["measure"] == READING and ana_state["step"]["recall"] is True
    assert ana_state["recall"]["check_ins"][0]["result_line"] == "Result: 62.5%"
    assert cara_state["recall"]["status"] == "first_time" and cara_state["recall"]["measure"] is None
    assert "Share of my class" not in json.dumps(cara.received, ensure_ascii=False)
    rubric = {**READING, "unit": "rubric", "out_of": 4, "baseline": {"value": 2, "date": "2027-03-15"},
              "target": {"value": 3, "date": "2027-06-01"}}  # fmt: skip
    assert answer(cara, "1:measure", rubric)["ok"]  # a first-timer may add one here
