"""A person's goal and check-in as the follow-up tests enter them: through the sockets, and on the form."""

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page

WORRY = "I worry the marking load will stop me by half term"  # the private reflection step's answer
PRIVATE_NOTE = "Honestly, year 9 on Fridays is where it falls apart"

# What a person types into the check-in form (row levels by action step), as the form posts it.
TYPED = {
    "evidence": "Tickets from 4 of 5 lessons; two reteaches planned from them",
    "evidence_link": "https://docs.example/exit-tickets",
    "obstacles": "Marking time on Thursdays",
    "support_note": "An hour with the literacy coach",
    "private_note": PRIVATE_NOTE,
}
CallConsole = Callable[[str, dict[str, Any]], dict[str, Any]]


def set_goal(console: CallConsole, phone: CallConsole, goal_id: int, goal: str, steps: list[str]) -> None:
    """Goal setting as a phone answers it: a system goal, the goal, dated action steps (when given) and the private
    reflection. The console opens each step first."""
    answers: list[tuple[str, Any]] = [("1:system-goal", goal_id), ("1:goal", goal)]
    if steps:
        answers.append(("1:action-steps", [{"text": text, "date": f"2027-0{n}-15"} for n, text in enumerate(steps, 1)]))
    answers.append(("1:worry", WORRY))
    for step_id, value in answers:
        assert console("goto", {"step_id": step_id})["ok"]
        ack = phone("answer", {"step_id": step_id, "answer_id": step_id, "value": value})
        assert ack["ok"], ack


def fill_check_in(page: Page, *, link: str) -> None:
    """The check-in form of a plan with two action steps, filled as TYPED says, the evidence link being ``link``."""
    rows = page.get_by_test_id("check-in-row")
    rows.nth(0).get_by_label("Halfway").check()
    rows.nth(1).get_by_label("Not started").check()
    page.get_by_label("Evidence gathered").fill(TYPED["evidence"])
    page.get_by_label("Link to evidence").fill(link)
    page.get_by_label("What got in the way").fill(TYPED["obstacles"])
    page.get_by_label("Coaching").check()
    page.get_by_label("Release time").check()
    page.get_by_label("About the support you need").fill(TYPED["support_note"])
    page.get_by_label("Private note").fill(PRIVATE_NOTE)
