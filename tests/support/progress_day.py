"""Colleagues who may share their progress, on a real server, for the progress tests: an organisation; an autumn PD
day where five people set goals over real sockets at two tables (Ana and Ben; Cara, Dev and Eve), Ana with a measure
and check-ins recording results; and today's session of the same organisation, which each of them joins again from
a phone holding their autumn plan. Every private text they write holds a canary."""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from tests.support.admin import admin_headers

GOALS = [{"title": "Every student reads fluently by grade 3"}, {"title": "Feedback that moves learning forward"}]
PEOPLE = ("Ana Lima", "Ben Okafor", "Cara Diaz", "Dev Patel", "Eve Moreau")
TABLES = {"Ana": 1, "Ben": 1, "Cara": 2, "Dev": 2, "Eve": 2}
ANA_GOAL = "Every reader in 3B at grade level by June"
ANA_STEPS = ["Daily paired reading", "Fluency checks every fortnight"]
ANA_RESULTS = (48, 61)  # her check-ins' results, oldest first: moving toward 80 from 40


def day_in(days: int) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).date().isoformat()


READING = {
    "what": "Share of my class reading at grade level",
    "unit": "percent",
    "out_of": None,
    "baseline": {"value": 40, "date": day_in(-40)},
    "target": {"value": 80, "date": day_in(120)},
}


def reflection_canary(first: str) -> str:
    """What each person writes in the private reflection step: never in a shared view."""
    return f"CANARY-reflection-of-{first}"


def note_canary(first: str) -> str:
    """What each check-in's private note holds: never in a shared view."""
    return f"CANARY-private-note-of-{first}"


@dataclass
class ProgressDay:
    url: str
    organisation: dict[str, Any]  # id, key
    autumn: dict[str, Any]  # the autumn session: code, facilitator_key
    today: dict[str, Any]  # today's session
    tokens: dict[str, str] = field(default_factory=dict)  # today's plan token, by first name
    autumn_tokens: dict[str, str] = field(default_factory=dict)

    def share(self, first: str, audience: str) -> requests.Response:
        return requests.post(f"{self.url}/p/{self.tokens[first]}/progress/share", json={"audience": audience},
                             timeout=10)  # fmt: skip

    def progress(self, first: str) -> dict[str, Any]:
        response = requests.get(f"{self.url}/p/{self.tokens[first]}/progress.json", timeout=10)
        assert response.status_code == 200, response.text
        return response.json()

    def leaders_wall(self) -> requests.Response:
        return requests.get(f"{self.url}/api/follow-up/progress-wall", params={"organisation": self.organisation["id"]},
                            headers={"X-Organisation-Key": self.organisation["key"]}, timeout=10)  # fmt: skip

    def plan_url(self, first: str) -> str:
        return f"{self.url}/p/{self.tokens[first]}/plan"


def _post(url: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = requests.post(f"{url}{path}", json=body, headers=admin_headers(), timeout=10)
    assert response.status_code == 201, response.text
    return response.json()


def _answer(console: Any, phone: Any, step_id: str, value: Any) -> None:
    assert console.call("goto", {"step_id": step_id})["ok"]
    ack = phone.call("answer", {"step_id": step_id, "answer_id": step_id, "value": value})
    assert ack["ok"], ack


def progress_day(url: str, peers: Any) -> ProgressDay:
    """The autumn day and today's session, with nobody sharing anything yet."""
    organisation = _post(url, "/api/organisations", {"name": "Riverside District", "system_goals": GOALS})
    autumn = _post(url, "/api/sessions", {"title": "Autumn PD day", "organisation_id": organisation["id"],
                                          "date": day_in(-40), "agenda": ["goal-setting"]})  # fmt: skip
    console = peers(url, "/facilitator", code=autumn["code"], key=autumn["facilitator_key"]).connect()
    day = ProgressDay(url, organisation, autumn, {})
    ids = {}
    for name in PEOPLE:
        first = name.split()[0]
        phone = peers(url, "/participant", code=autumn["code"], name=name, identifier=f"{first.lower()}@r.example",
                      consent=True).connect()  # fmt: skip
        welcome = phone.wait_for("welcome")
        day.autumn_tokens[first], ids[first] = welcome["token"], welcome["participant_id"]
        goal = ANA_GOAL if first == "Ana" else f"{first}'s goal: feedback every week"
        _answer(console, phone, "1:system-goal", autumn["system_goals"][0 if first in ("Ana", "Ben") else 1]["id"])
        _answer(console, phone, "1:goal", goal)
        if first == "Ana":
            _answer(console, phone, "1:measure", READING)
            _answer(console, phone, "1:action-steps", [{"text": step, "date": day_in(60)} for step in ANA_STEPS])
        _answer(console, phone, "1:worry", reflection_canary(first))
        phone.disconnect()
    assert console.call("form_groups", {"size": 3, "confirm": True})["ok"]
    for first, table in TABLES.items():
        assert console.call("move", {"participant_id": ids[first], "group": table})["ok"]
    for result in ANA_RESULTS:
        check_in = {"progress": [{"step": step, "level": 3} for step in ANA_STEPS], "result": result,
                    "private_note": note_canary("Ana"), "evidence": "Running records"}  # fmt: skip
        response = requests.post(f"{url}/p/{day.autumn_tokens['Ana']}/check-ins", json=check_in, timeout=10)
        assert response.status_code == 201, response.text
    day.today = _post(url, "/api/sessions", {"title": "Spring PD day", "organisation_id": organisation["id"],
                                             "date": day_in(0), "agenda": ["goal-setting"]})  # fmt: skip
    return day


def join_today(day: ProgressDay, peers: Any, first: str) -> Any:
    """The person's phone in today's session, holding their autumn plan: the same person, proven."""
    name = next(name for name in PEOPLE if name.startswith(first))
    phone = peers(day.url, "/participant", code=day.today["code"], name=name,
                  earlier=[day.autumn_tokens[first]]).connect()  # fmt: skip
    day.tokens[first] = phone.wait_for("welcome")["token"]
    return phone
