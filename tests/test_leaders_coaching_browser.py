"""The coaching loop in the leaders' view, in a real browser: coaches and their caseloads, support requests moved
forward, the silent per system goal, agreed goals, everyone's row with a coach picked by hand or by system goal, and
the CSV of each. Debian's Chromium through Playwright against `pathways serve`; every change is checked in the API.
The docs' screenshots: `PATHWAYS_SCREENSHOTS=docs/images/screens python3 -m pytest
tests/test_leaders_coaching_browser.py`.
"""

import csv
import io
import re
import socket
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.support.admin import admin_headers
from tests.support.browser import PHONE, Screenshots, assert_accessible
from tests.support.servers import LiveServer
from tests.support.waiting import wait_until

pytestmark = pytest.mark.live
LAPTOP = {"width": 1280, "height": 800}
GOALS = [{"title": "Literacy", "description": "Every student reads fluently by grade 3"}, {"title": "Feedback"},
         {"title": "Belonging"}]  # fmt: skip
PRIVATE = "PRIVATE-never-reaches-leaders"
SMTP_PASSWORD = "smtp-secret-never-shown"


@dataclass
class Day:
    """An organisation with its coaches, and a day of goal setting whose five people are followed up."""

    url: str
    organisation: dict[str, Any]
    coaches: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> the coach as made (with its key)
    tokens: dict[str, str] = field(default_factory=dict)  # name -> plan token
    past: str = ""  # a check-in date already passed
    future: str = ""  # one still to come

    @property
    def leaders_url(self) -> str:
        return f"{self.url}/leaders#organisation={self.organisation['id']}&key={self.organisation['key']}"

    def follow_up(self) -> dict[str, Any]:
        response = requests.get(f"{self.url}/api/follow-up?organisation={self.organisation['id']}",
                                headers={"X-Organisation-Key": self.organisation["key"]}, timeout=10)  # fmt: skip
        assert response.status_code == 200, response.text
        return response.json()

    def person(self, name: str) -> dict[str, Any]:
        return next(row for row in self.follow_up()["coaching"]["people"] if row["name"] == name)

    def goal_id(self, title: str) -> int:
        return next(goal["id"] for goal in self.organisation["system_goals"] if goal["title"] == title)


def admin_post(url: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = requests.post(f"{url}{path}", json=body, headers=admin_headers(), timeout=10)
    assert response.status_code == 201, response.text
    return response.json()


def seed_day(url: str, peers, *, coaches: bool = True) -> Day:
    """Ana, Ben and Dev set goals under Literacy, Cara and Eli under Feedback. Ana asks for coaching and Cara for
    materials on the day; Eli checks in twice, rising, and asks for release time. Ana and Dev chose a check-in date
    that has passed and never checked in: they are silent. Mr Lee agrees to Cara's goal."""
    organisation = admin_post(url, "/api/organisations", {"name": "Riverside District", "system_goals": GOALS})
    today = datetime.now(UTC).date()
    day = Day(url, organisation, past=(today - timedelta(days=20)).isoformat(),
              future=(today + timedelta(days=30)).isoformat())  # fmt: skip
    if coaches:
        for name, email, goal in (("Ms Diaz", "diaz@riverside.org", "Literacy"), ("Mr Lee", "", "Feedback")):
            path = f"/api/organisations/{organisation['id']}/coaches"
            day.coaches[name] = admin_post(url, path, {"name": name, "email": email, "goal_ids": [day.goal_id(goal)]})
    session = admin_post(url, "/api/sessions", {"title": "Autumn PD day", "organisation_id": organisation["id"],
                                                "date": (today - timedelta(days=30)).isoformat()})  # fmt: skip
    goals_here = {goal["title"]: goal["id"] for goal in session["system_goals"]}
    console = peers(url, "/facilitator", code=session["code"], key=session["facilitator_key"]).connect()
    plans = {  # name -> (system goal, support on the day, check-in date)
        "Ana": ("Literacy", ["coaching"], day.past),
        "Ben": ("Literacy", [], day.future),
        "Cara": ("Feedback", ["materials"], day.future),
        "Dev": ("Literacy", [], day.past),
        "Eli": ("Feedback", [], day.past),
    }
    phones = {}
    for name in plans:
        extra = {"identifier": "ana@riverside.org", "consent": True} if name == "Ana" else {}
        phones[name] = peers(url, "/participant", code=session["code"], name=name, **extra).connect()
        day.tokens[name] = phones[name].wait_for("welcome")["token"]

    def step(step_id: str, value_of) -> None:
        assert console.call("goto", {"step_id": step_id})["ok"]
        for name, phone in phones.items():
            value = value_of(name)
            if value:
                ack = phone.call("answer", {"step_id": step_id, "answer_id": f"{name}-{step_id}", "value": value})
                assert ack["ok"], (name, step_id, ack)

    step("1:system-goal", lambda name: goals_here[plans[name][0]])
    step("1:goal", lambda name: f"{name}'s goal under {plans[name][0]}")
    step("1:action-steps", lambda name: [{"text": f"{name}'s first step", "date": day.future}])
    step("1:support", lambda name: plans[name][1])
    step("1:check-in", lambda name: plans[name][2])
    step("1:worry", lambda name: PRIVATE)
    for name, level, support in (("Eli", 2, []), ("Eli", 4, ["release-time"])):
        check_in = {"progress": [{"step": f"{name}'s first step", "level": level}], "support": support,
                    "support_note": "Half a day to plan", "private_note": PRIVATE}  # fmt: skip
        response = requests.post(f"{url}/p/{day.tokens[name]}/check-ins", json=check_in, timeout=10)
        assert response.status_code == 201, response.text
    if coaches:
        lee = day.coaches["Mr Lee"]
        cara = day.person("Cara")["person_id"]  # reading the follow-up gives Cara to Mr Lee with her request
        agreed = requests.post(f"{url}/api/coach/people/{cara}/agree?coach={lee['id']}",
                               headers={"X-Coach-Key": lee["key"]}, timeout=10)  # fmt: skip
        assert agreed.status_code == 200, agreed.text
    return day


@pytest.fixture
def pages(contexts) -> Any:
    """A new page in a fresh context that accepts downloads (the CSVs)."""
    return lambda viewport: contexts(viewport, accept_downloads=True).new_page()


def downloaded(page: Page, testid: str) -> tuple[str, str]:
    """The file a download button hands over: its name and its text."""
    with page.expect_download() as download:
        page.get_by_test_id(testid).click()
    text = Path(download.value.path()).read_bytes().decode("utf-8-sig")
    expect(page.get_by_test_id("status")).to_have_text(f"{download.value.suggested_filename} is in your downloads.")
    return download.value.suggested_filename, text


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def request_of(day: Day, name: str) -> dict[str, Any]:
    (request,) = day.person(name)["open_requests"]
    return request


def test_leaders_assign_coaches_move_requests_and_see_the_silent(live_server, peers, pages, shots: Screenshots):
    day = seed_day(live_server.url, peers)
    diaz, lee = day.coaches["Ms Diaz"]["id"], day.coaches["Mr Lee"]["id"]
    page = pages(LAPTOP)  # the app's own CSP
    page.goto(day.leaders_url)
    expect(page.get_by_test_id("heading")).to_have_text("Riverside District")

    # Who coaches whom: support requests gave Ana to Ms Diaz, Cara and Eli to Mr Lee; Ben and Dev have no coach.
    expect(page.get_by_test_id("total-people")).to_have_text("5")
    expect(page.get_by_test_id("total-without-coach")).to_have_text("2")
    expect(page.get_by_test_id("total-silent")).to_have_text("2")
    expect(page.get_by_test_id("total-open-requests")).to_have_text("3")
    expect(page.get_by_test_id(f"coach-{diaz}")).to_contain_text("diaz@riverside.org")
    expect(page.get_by_test_id(f"coach-{diaz}-caseload")).to_have_text("1 person")
    expect(page.get_by_test_id(f"coach-{diaz}-silent")).to_have_text("1 silent")  # Ana
    expect(page.get_by_test_id(f"coach-{lee}-caseload")).to_have_text("2 people")
    expect(page.get_by_test_id(f"coach-{lee}-silent")).to_have_text("Nobody silent")
    expect(page.get_by_test_id(f"coach-{lee}")).to_contain_text("No e-mail")
    expect(page.get_by_test_id("without-coach-count")).to_have_text("2 people")

    # Requests by state and age, and the open ones with their owners.
    expect(page.get_by_test_id("requests-state-open")).to_have_text("3Open")
    expect(page.get_by_test_id("requests-state-closed")).to_have_text("0Closed")
    expect(page.get_by_test_id("requests-age-1")).to_have_text("3Under a week")
    table = page.get_by_test_id("open-requests-table")
    expect(table.locator("tbody tr")).to_have_count(3)
    ana_request, eli_request = request_of(day, "Ana"), request_of(day, "Eli")
    ana_row = page.get_by_test_id(f"open-request-{ana_request['id']}")
    expect(ana_row).to_contain_text("ana@riverside.org")
    expect(ana_row).to_contain_text("Coaching")
    expect(page.get_by_test_id(f"open-request-{ana_request['id']}-owner")).to_have_text("Ms Diaz")
    expect(page.get_by_test_id(f"open-request-{eli_request['id']}-owner")).to_have_text("Mr Lee")
    expect(page.get_by_test_id(f"open-request-{eli_request['id']}")).to_contain_text("Half a day to plan")

    # The silent under each system goal, with their coach and the date they passed; agreed goals per system goal.
    silent = page.get_by_test_id("silent-goal-1")
    expect(silent.get_by_role("heading")).to_have_text("Literacy2 silent")
    expect(silent.locator("li")).to_have_count(2)
    ana_id, dev_id = day.person("Ana")["person_id"], day.person("Dev")["person_id"]
    expect(page.get_by_test_id(f"silent-person-{ana_id}")).to_contain_text("Ms Diaz")
    expect(page.get_by_test_id(f"silent-person-{dev_id}")).to_contain_text("No coach")
    due = page.get_by_test_id(f"silent-person-{dev_id}").locator("time")
    expect(due).to_have_attribute("datetime", day.past)
    expect(page.get_by_test_id("silent-goal-2")).to_have_count(0)  # nobody silent under Feedback
    expect(page.get_by_test_id("agreement-goal-1-numbers")).to_have_text("0 agreed, 3 not yet")
    expect(page.get_by_test_id("agreement-goal-2-numbers")).to_have_text("1 agreed, 1 not yet")  # Cara's, with Mr Lee

    # Everyone's row, the silent first; Eli's two check-ins rise.
    people = page.get_by_test_id("people-table").locator("tbody tr")
    expect(people).to_have_count(5)
    expect(people.nth(0).locator(".silent-badge")).to_be_visible()
    expect(people.nth(1).locator(".silent-badge")).to_be_visible()
    eli = page.get_by_test_id(f"person-{day.person('Eli')['person_id']}")
    expect(eli).to_contain_text("Rising")
    expect(eli).to_contain_text("Ratings, oldest first: 2.0, 4.0 (of 5)")
    cara_id = day.person("Cara")["person_id"]
    expect(page.get_by_test_id(f"person-{cara_id}").get_by_test_id("agreed")).to_have_text("Agreed")
    page.get_by_label("Show").select_option("silent")
    expect(people).to_have_count(2)
    expect(page.get_by_label("Show")).to_contain_text("Silent (2)")
    page.get_by_label("Show").select_option("all")
    assert PRIVATE not in page.content()

    # By hand: Ben goes to Mr Lee.
    page.get_by_label("Coach of Ben").select_option(label="Mr Lee")
    expect(page.get_by_test_id("status")).to_have_text("Ben's coach is now Mr Lee.")
    expect(page.get_by_label("Coach of Ben")).to_be_focused()
    expect(page.get_by_label("Coach of Ben")).to_have_value(str(lee))
    expect(page.get_by_test_id(f"coach-{lee}-caseload")).to_have_text("3 people")
    expect(page.get_by_test_id("total-without-coach")).to_have_text("1")
    assert day.person("Ben")["coach_id"] == lee

    # By system goal: every goal under Literacy goes to Ms Diaz, after asking (a cancel changes nothing).
    page.get_by_label("System goal", exact=True).select_option(str(day.goal_id("Literacy")))
    page.get_by_label("Coach", exact=True).select_option(str(diaz))
    page.get_by_test_id("assign-submit").click()
    dialog = page.get_by_test_id("confirm-dialog")
    expect(dialog).to_contain_text("Give everyone under “Literacy” to Ms Diaz?")
    expect(dialog).to_contain_text("3 people hold a goal under “Literacy”")
    page.get_by_test_id("confirm-no").click()
    assert day.person("Dev")["coach_id"] is None
    page.get_by_test_id("assign-submit").click()
    page.get_by_test_id("confirm-yes").click()
    expect(page.get_by_test_id("status")).to_have_text("Ms Diaz is now the coach of 3 people under “Literacy”.")
    expect(page.get_by_test_id(f"coach-{diaz}-caseload")).to_have_text("3 people")
    expect(page.get_by_test_id(f"coach-{diaz}-silent")).to_have_text("2 silent")
    expect(page.get_by_test_id(f"coach-{lee}-caseload")).to_have_text("2 people")
    expect(page.get_by_test_id("total-without-coach")).to_have_text("0")
    expect(page.get_by_test_id("without-coach")).to_have_count(0)
    expect(page.get_by_label("Coach of Dev")).to_have_value(str(diaz))
    expect(page.get_by_test_id(f"silent-person-{dev_id}")).to_contain_text("Ms Diaz")
    coached = {row["name"]: row["coach_id"] for row in day.follow_up()["coaching"]["people"]}
    assert coached == {"Ana": diaz, "Ben": diaz, "Cara": lee, "Dev": diaz, "Eli": lee}
    coaches = {c["name"]: (c["caseload"], c["silent"]) for c in day.follow_up()["coaching"]["coaches"]}
    assert coaches == {"Ms Diaz": (3, 2), "Mr Lee": (2, 0)}

    # Ana's request moves forward: acknowledged, then a meeting with its day and place.
    page.get_by_role("button", name="Acknowledge Coaching for Ana").click()
    expect(page.get_by_test_id("status")).to_have_text("Coaching for Ana is now: Acknowledged.")
    expect(page.get_by_test_id(f"open-request-{ana_request['id']}-state")).to_have_text("Acknowledged")
    expect(ana_row.get_by_role("button", name="Acknowledge Coaching for Ana")).to_have_count(0)
    expect(ana_row.get_by_role("button").first).to_be_focused()
    assert request_of(day, "Ana")["state"] == "acknowledged"
    expect(page.get_by_test_id("requests-state-acknowledged")).to_have_text("1Acknowledged")

    meeting_day = (datetime.now(UTC).date() + timedelta(days=7)).isoformat()
    page.get_by_role("button", name="Plan meeting about Coaching for Ana").click()
    expect(page.get_by_test_id("meeting-dialog")).to_contain_text("Coaching for Ana")
    expect(page.get_by_test_id("meeting-day")).to_be_focused()
    page.get_by_test_id("meeting-submit").click()
    expect(page.get_by_test_id("meeting-error")).to_have_text("Pick the meeting's day.")
    page.get_by_test_id("meeting-day").fill(meeting_day)
    page.get_by_test_id("meeting-place").fill("Room 12")
    shots.take(page, "leaders-coaching-meeting-1280x800")
    page.get_by_test_id("meeting-submit").click()
    expect(page.get_by_test_id("meeting-dialog")).to_be_hidden()
    expect(page.get_by_test_id(f"open-request-{ana_request['id']}-state")).to_have_text("Meeting planned")
    expect(page.get_by_test_id(f"open-request-{ana_request['id']}-meeting")).to_contain_text("Room 12")
    moved = request_of(day, "Ana")
    assert (moved["state"], moved["meeting_day"], moved["meeting_place"]) == ("meeting_planned", meeting_day, "Room 12")

    # Eli's request is closed: it leaves the open list, for good.
    page.get_by_role("button", name="Close Release time for Eli").click()
    expect(page.get_by_test_id("status")).to_have_text("Release time for Eli is now: Closed.")
    expect(page.get_by_test_id(f"open-request-{eli_request['id']}")).to_have_count(0)
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(page.get_by_test_id("requests-state-closed")).to_have_text("1Closed")
    expect(page.get_by_test_id("total-open-requests")).to_have_text("2")
    assert day.person("Eli")["open_requests"] == []
    page.get_by_test_id("refresh").click()
    expect(page.get_by_test_id("requests-state-meeting_planned")).to_have_text("1Meeting planned")

    page.evaluate("document.getElementById('coaches-heading').scrollIntoView()")
    shots.take(page, "leaders-coaching-1280x800")
    page.evaluate("document.getElementById('silent-heading').scrollIntoView()")
    shots.take(page, "leaders-coaching-people-1280x800")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= LAPTOP["width"]

    # Each CSV, for a meeting: the rows on screen, nothing private.
    name, text = downloaded(page, "download-caseloads")
    assert name == "caseloads.csv" and PRIVATE not in text
    caseloads = {row["name"]: row for row in rows_of(text)}
    assert {n: row["coach"] for n, row in caseloads.items()} == {
        "Ana": "Ms Diaz", "Ben": "Ms Diaz", "Cara": "Mr Lee", "Dev": "Ms Diaz", "Eli": "Mr Lee"}  # fmt: skip
    assert (caseloads["Cara"]["agreed"], caseloads["Eli"]["trend"], caseloads["Ana"]["silent"]) == ("yes", "up", "yes")
    name, text = downloaded(page, "download-silent")
    assert name == "silent.csv" and PRIVATE not in text
    assert sorted((r["name"], r["coach"], r["check_in_due"]) for r in rows_of(text)) == [
        ("Ana", "Ms Diaz", day.past), ("Dev", "Ms Diaz", day.past)]  # fmt: skip
    name, text = downloaded(page, "download-agreement")
    assert name == "agreement.csv" and PRIVATE not in text
    assert {r["name"]: r["agreed"] for r in rows_of(text)} == {
        "Ana": "no", "Ben": "no", "Cara": "yes", "Dev": "no", "Eli": "no"}  # fmt: skip
    name, text = downloaded(page, "download-csv")
    assert name == "support-requests.csv" and PRIVATE not in text
    by_name = {r["name"]: r for r in rows_of(text)}
    assert (by_name["Ana"]["owner"], by_name["Ana"]["state"], by_name["Ana"]["meeting_place"]) == (
        "Ms Diaz", "Meeting planned", "Room 12")  # fmt: skip
    assert (by_name["Cara"]["owner"], by_name["Cara"]["state"]) == ("Mr Lee", "Open")

    # On a phone: one column, nothing wider than the screen, and nothing axe-core calls serious.
    phone = pages(PHONE)
    phone.goto(day.leaders_url)
    expect(phone.get_by_test_id("people-table").locator("tbody tr")).to_have_count(5)
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    assert_accessible(phone, "the leaders' view of the coaching loop on a phone")
    for section in ("requests", "people"):
        phone.evaluate(f"document.getElementById('{section}-heading').scrollIntoView()")
        shots.take(phone, f"leaders-coaching-{section}-390")


def test_without_coaches_requests_rest_with_the_leaders(live_server, peers, pages):
    day = seed_day(live_server.url, peers, coaches=False)
    page = pages(LAPTOP)
    page.goto(day.leaders_url)
    expect(page.get_by_test_id("coaches")).to_contain_text("No coaches yet")
    expect(page.get_by_test_id("without-coach-count")).to_have_text("5 people")
    ana_request = request_of(day, "Ana")
    expect(page.get_by_test_id(f"open-request-{ana_request['id']}-owner")).to_have_text("Leaders")
    expect(page.get_by_test_id("assign-no-coaches")).to_have_text("Add coaches on the admin page to assign them.")
    expect(page.get_by_test_id("assign-submit")).to_be_hidden()
    expect(page.get_by_label("Coach of Ana")).to_be_disabled()

    # The leaders move their requests themselves.
    page.get_by_role("button", name="Acknowledge Coaching for Ana").press("Enter")
    expect(page.get_by_test_id(f"open-request-{ana_request['id']}-state")).to_have_text("Acknowledged")
    assert (request_of(day, "Ana")["state"], request_of(day, "Ana")["owner"]) == ("acknowledged", "")


def test_mail_that_cannot_be_sent_shows_in_the_leaders_view(tmp_path, peers, pages, engine):
    """A mail server that is down: the reminder to Ms Diaz (Ana asked for support) waits to be tried again, and the
    leaders read why, without the SMTP password."""
    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    server = LiveServer(data_dir=tmp_path / "data", engine=engine, env={
        "PATHWAYS_SMTP_URL": f"smtp://pathways:{SMTP_PASSWORD}@127.0.0.1:{port}",
        "PATHWAYS_MAIL_FROM": "pathways@riverside.org",
        "PATHWAYS_REMINDER_INTERVAL": "0.3",
    })  # fmt: skip
    server.start()
    try:
        day = seed_day(server.url, peers)
        mail = wait_until(lambda: (m := day.follow_up()["coaching"].get("mail")) and m["retrying"] and m,
                          timeout=30, message="a reminder waiting to be tried again")  # fmt: skip
        page = pages(LAPTOP)
        page.goto(day.leaders_url)
        box = page.get_by_test_id("mail-problems")
        expect(box).to_contain_text("Reminders by e-mail are not all getting through.")
        expect(box).to_contain_text(re.compile(r"\b[1-9]\d* waiting to be sent again"))  # more come as time passes
        expect(box).to_contain_text(f"Last error: {mail['latest_error']}")
        assert mail["latest_error"] and SMTP_PASSWORD not in page.content()
    finally:
        server.stop()
