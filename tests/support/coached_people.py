"""People with a coach, on a real server, for the coaching browser tests: an organisation, a PD day where each person
set a goal on their phone (over real sockets), check-ins with private canaries, a coach and their assignments."""

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests

from protocols.language import IN_ENGLISH
from tests.support.admin import admin_headers
from tests.support.followup import set_goal
from tests.support.peers import Peer

GOALS = [{"title": "Every student reads fluently by grade 3"}, {"title": "Feedback that moves learning forward"}]
COACH = "Ms Diaz"
ANA_GOAL = "By March, every lesson ends with an exit ticket I read before the next one"
ANA_STEPS = ["Try exit tickets in year 8", "Plan a reteach from the tickets"]
BEN_GOAL = "Students give each other feedback with a checklist"
BEN_STEPS = ["Write the checklist with the class"]
# Ana's check-ins: the levels of her two action steps, oldest first (her progress goes up)
ANA_LEVELS = [(2, 1), (4, 2)]
ANA_EVIDENCE = "Tickets from 4 of 5 lessons; two reteaches planned from them"
# What Ms Diaz writes to Ana in the walks of the coach's view and the plan page.
COMMENT = "Lovely goal, Ana. The tickets from year 8 look promising."
REWORDED = "By 1 March, every lesson ends with an exit ticket I read before the next one"
WHY = "A date makes it easier to see how far you got."
CHECK_IN_ANSWER = "Two reteaches already: bring the tickets on Tuesday and we'll plan the next one."
SCREENS = Path(tempfile.gettempdir()) / "pathways-coaching-screens"  # copied to $PATHWAYS_SCREENSHOTS when set


def private_note(name: str) -> str:
    """The canary each person writes in their check-ins' private note: it must never reach a coach."""
    return f"CANARY-private-note-of-{name.split()[0]}"


def today() -> datetime:
    return datetime.now(UTC)


def day_in(days: int) -> str:
    """An ISO day ``days`` from today (UTC, the server's today)."""
    return (today() + timedelta(days=days)).date().isoformat()


def written_day(days: int = 0) -> str:
    """A day as the server and the pages write it: "6 December 2026"."""
    return IN_ENGLISH.day(day_in(days))


@dataclass
class Person:
    name: str
    token: str  # their plan's token: /p/<token>/plan
    person_id: int = 0  # as the coaching loop knows them (GET /api/follow-up → coaching.people)


@dataclass
class CoachedDay:
    url: str
    organisation: dict[str, Any]  # the admin API's answer: id, key
    coach: dict[str, Any]  # id, key, coach_url
    people: dict[str, Person] = field(default_factory=dict)  # by first name

    @property
    def coach_url(self) -> str:
        return self.coach["coach_url"]

    def coach_api(self, method: str, path: str, **options: Any) -> requests.Response:
        """The coach's API, as their page calls it."""
        return requests.request(
            method, f"{self.url}{path}", params={"coach": self.coach["id"]}, headers={"X-Coach-Key": self.coach["key"]},
            timeout=10, **options,
        )  # fmt: skip

    def plan_url(self, first_name: str) -> str:
        return f"{self.url}/p/{self.people[first_name].token}/plan"

    def coaching(self, first_name: str) -> dict[str, Any]:
        response = requests.get(f"{self.url}/p/{self.people[first_name].token}/coaching.json", timeout=10)
        assert response.status_code == 200, response.text
        return response.json()


def _check_in(url: str, token: str, steps: list[str], levels: tuple[int, ...], name: str) -> None:
    response = requests.post(f"{url}/p/{token}/check-ins", timeout=10, json={
        "progress": [{"step": step, "level": level} for step, level in zip(steps, levels, strict=True)],
        "evidence": ANA_EVIDENCE, "obstacles": "Marking time on Thursdays", "support": ["coaching"],
        "support_note": "An hour together on the tickets", "private_note": private_note(name),
    })  # fmt: skip
    assert response.status_code == 201, response.text


def coached_day(url: str, create_session: Callable[..., dict[str, Any]], peers: Callable[..., Peer]) -> CoachedDay:
    """Ana (a goal, two check-ins going up, support asked for, her check-in date still to come) and Ben (a goal, his
    check-in date five days ago and no check-in since: silent), both coached by Ms Diaz."""
    made = requests.post(f"{url}/api/organisations", json={"name": "Riverside District", "system_goals": GOALS},
                         headers=admin_headers(), timeout=10)  # fmt: skip
    assert made.status_code == 201, made.text
    organisation = made.json()
    session = create_session(title="Autumn PD day", date=day_in(-40), organisation_id=organisation["id"],
                             system_goals=GOALS)  # fmt: skip
    console = peers(url, "/facilitator", code=session["code"], key=session["facilitator_key"]).connect()
    coached: dict[str, Person] = {}
    for name, goal, steps, support, due in (("Ana Lima", ANA_GOAL, ANA_STEPS, ["coaching"], day_in(14)),
                                            ("Ben Okafor", BEN_GOAL, BEN_STEPS, [], day_in(-5))):  # fmt: skip
        identifier = f"{name.split()[0].lower()}@riverside.example"
        phone = peers(url, "/participant", code=session["code"], name=name, identifier=identifier, consent=True)
        phone.connect()
        person = Person(name, phone.wait_for("welcome")["token"])
        goal_index = 1 if name.startswith("Ana") else 0
        set_goal(console.call, phone.call, session["system_goals"][goal_index]["id"], goal, steps)
        for step_id, value in (("1:support", support), ("1:check-in", due)):
            if value:
                assert console.call("goto", {"step_id": step_id})["ok"]
                ack = phone.call("answer", {"step_id": step_id, "answer_id": step_id, "value": value})
                assert ack["ok"], ack
        phone.disconnect()
        coached[name.split()[0]] = person
    for levels in ANA_LEVELS:
        _check_in(url, coached["Ana"].token, ANA_STEPS, levels, "Ana Lima")
    made = requests.post(f"{url}/api/organisations/{organisation['id']}/coaches", headers=admin_headers(), timeout=10,
                         json={"name": COACH, "email": "diaz@riverside.example", "goal_ids": []})  # fmt: skip
    assert made.status_code == 201, made.text
    day = CoachedDay(url, organisation, made.json(), coached)
    leaders = {"X-Organisation-Key": organisation["key"]}
    follow_up = requests.get(f"{url}/api/follow-up", params={"organisation": organisation["id"]}, headers=leaders,
                             timeout=10).json()  # fmt: skip
    ids = {row["name"]: row["person_id"] for row in follow_up["coaching"]["people"]}
    for person in coached.values():
        person.person_id = ids[person.name]
        given = requests.post(f"{url}/api/follow-up/assignments", params={"organisation": organisation["id"]},
                              headers=leaders, json={"person_id": person.person_id, "coach_id": day.coach["id"]},
                              timeout=10)  # fmt: skip
        assert given.status_code == 200, given.text
    return day
