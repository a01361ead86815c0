"""The coach's view in a real browser: a coach opens their link and sees their people, the silent first, with each
one's goal, latest check-in, trend, requests, messages and next meeting; opens a person to read their goal's versions
and check-ins, comment, suggest a rewording, answer a check-in, move a support request forward and agree to a goal.
A refused message shows the server's words next to what was typed, and loses none of it. No private note or
reflection reaches the page or its API. Debian's Chromium through Playwright against `pathways serve`.
"""

import json
import re

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.support.admin import admin_headers
from tests.support.browser import CONSOLE, PHONE, Screenshots, assert_accessible
from tests.support.coached_people import (
    ANA_EVIDENCE,
    ANA_GOAL,
    ANA_STEPS,
    BEN_GOAL,
    CHECK_IN_ANSWER,
    COACH,
    COMMENT,
    REWORDED,
    SCREENS,
    WHY,
    CoachedDay,
    coached_day,
    day_in,
    private_note,
    written_day,
)
from tests.support.followup import WORRY

pytestmark = pytest.mark.live

NO_DAY = "The meeting's day must be a day written as YYYY-MM-DD."


@pytest.fixture
def day(live_server, peers) -> CoachedDay:
    return coached_day(live_server.url, live_server.create_session, peers)


def never_private(text: str) -> None:
    """No private note, and no private reflection, in what a coach was sent."""
    for canary in (private_note("Ana Lima"), private_note("Ben Okafor"), WORRY, "CANARY"):
        assert canary not in text, canary


def open_person(page: Page, name: str) -> None:
    page.get_by_role("link", name=f"Open {name}").click()
    expect(page.get_by_test_id("heading")).to_have_text(name)
    expect(page.get_by_test_id("heading")).to_be_focused()


def send(page: Page) -> None:
    """Sends the composer's message and waits for the server to have it and the view to be read again."""
    with page.expect_response(lambda r: r.request.method == "POST" and "/messages" in r.url) as posted:
        page.get_by_test_id("composer-send").click()
    assert posted.value.status == 201, posted.value.text()
    expect(page.get_by_test_id("composer-send")).to_be_enabled()


def test_a_coach_sees_their_people_the_silent_first(day: CoachedDay, contexts) -> None:
    page = contexts(CONSOLE).new_page()
    page.goto(day.coach_url)
    expect(page.get_by_test_id("kicker")).to_have_text(f"Coaching · {COACH} · Riverside District")
    expect(page.get_by_test_id("heading")).to_have_text("Your people")
    assert page.title() == f"{COACH} · Coaching · Pathways"

    listed = day.coach_api("GET", "/api/coach").json()
    assert [row["name"] for row in listed["people"]] == ["Ben Okafor", "Ana Lima"]  # the silent first
    rows = page.get_by_test_id("person-row")
    expect(rows).to_have_count(2)
    expect(rows.locator(".person-link")).to_have_text(["Ben Okafor", "Ana Lima"])  # as the server sends them
    totals = {"total-people": "2", "total-silent": "1", "total-requests": "1", "total-unanswered": "0"}
    for testid, total in totals.items():
        expect(page.get_by_test_id(testid)).to_have_text(total)

    ben, ana = rows.nth(0), rows.nth(1)
    expect(ben.get_by_test_id("silent-badge")).to_have_text("Silent")
    expect(ben.get_by_test_id("silent-note")).to_have_text(f"Check-in was due {written_day(-5)}; none since")
    expect(ben).to_contain_text("Every student reads fluently by grade 3")
    expect(ben).to_contain_text(BEN_GOAL)
    expect(ben.get_by_test_id("agreed-badge")).to_have_text("Not agreed yet")
    expect(ben).to_contain_text("No check-in yet")
    expect(ben.get_by_test_id("trend")).to_have_count(0)

    expect(ana.get_by_test_id("silent-badge")).to_have_count(0)
    expect(ana).to_contain_text(f"Check-in due {written_day(14)}")
    expect(ana).to_contain_text(ANA_GOAL)
    expect(ana.locator("time")).to_have_text(written_day())
    expect(ana.get_by_test_id("trend")).to_have_class(re.compile(r"\btrend-up\b"))  # 1.5 then 3 of 5
    expect(ana.get_by_test_id("trend")).to_contain_text("Going up: from 1.5 to 3 of 5 over the last 2 ratings")
    assert ana.locator(".sparkline polyline").get_attribute("points").count(",") == 2  # two points, drawn
    expect(ana.locator(".col-requests")).to_contain_text("1 open")
    expect(ana.locator(".col-unanswered")).to_have_text(re.compile("—"))
    expect(ana.locator(".col-meeting")).to_have_text(re.compile("—"))

    never_private(page.content())
    never_private(json.dumps(listed))
    assert page.evaluate("document.scrollingElement.scrollWidth") <= CONSOLE["width"]
    assert_accessible(page, "the coach's people")
    Screenshots(SCREENS).take_whole(page, "coach-view")

    # On a phone the table reads as cards, nothing wider than the screen.
    phone = contexts(PHONE).new_page()
    phone.goto(day.coach_url)
    expect(phone.get_by_test_id("person-row")).to_have_count(2)
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]


def test_the_key_stays_out_of_every_address_the_page_asks_and_a_wrong_one_asks_for_the_link(
    day: CoachedDay, contexts
) -> None:
    page = contexts(CONSOLE).new_page()
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(day.coach_url)
    expect(page.get_by_test_id("person-row")).to_have_count(2)
    open_person(page, "Ana Lima")
    assert not [address for address in asked if day.coach["key"] in address], "the key travels only as a header"
    page.get_by_label("Your message").fill("Half a thought for Ana")

    # Back to the list with the browser's Back: focus returns to the person opened. What was typed for each person
    # waits for them.
    page.go_back()
    expect(page.get_by_test_id("heading")).to_have_text("Your people")
    expect(page.get_by_role("link", name="Open Ana Lima")).to_be_focused()
    open_person(page, "Ben Okafor")
    expect(page.get_by_label("Your message")).to_have_value("")
    expect(page.get_by_test_id("composer")).to_contain_text("Write to Ben Okafor")
    page.go_back()
    open_person(page, "Ana Lima")
    expect(page.get_by_label("Your message")).to_have_value("Half a thought for Ana")

    page.goto(f"{day.url}/coach#coach={day.coach['id']}&key=not-the-key")
    expect(page.get_by_test_id("error")).to_have_text(
        "That key does not open this coach's view. Check the link, or ask the admin for a new one."
    )
    expect(page.get_by_test_id("people-view")).to_be_hidden()
    expect(page.get_by_label("Coach's link")).to_be_focused()
    page.get_by_label("Coach's link").fill(f"{day.url}/coach#coach={day.coach['id']}")
    page.get_by_test_id("open-submit").click()
    expect(page.get_by_test_id("error")).to_contain_text("That link holds no key")
    page.get_by_label("Coach's link").fill(day.coach_url)
    page.get_by_test_id("open-submit").click()
    expect(page.get_by_test_id("person-row")).to_have_count(2)
    expect(page.get_by_test_id("error")).to_be_hidden()


def test_a_coach_comments_suggests_answers_a_check_in_and_moves_a_request(day: CoachedDay, contexts) -> None:
    page = contexts(CONSOLE).new_page()
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
    page.goto(day.coach_url)
    open_person(page, "Ana Lima")
    ana = day.people["Ana"]
    expect(page.get_by_test_id("subheading")).to_contain_text("System goal: Feedback that moves learning forward")
    expect(page.get_by_test_id("subheading")).to_contain_text("ana@riverside.example")
    expect(page.get_by_test_id("goal-now")).to_contain_text(ANA_GOAL)
    expect(page.locator("[data-testid=goal-steps] li")).to_have_count(2)
    expect(page.get_by_test_id("agree")).to_have_text("Agree to this goal")
    expect(page.get_by_test_id("version")).to_have_count(1)
    expect(page.get_by_test_id("version")).to_contain_text("Autumn PD day")

    check_ins = page.get_by_test_id("check-in")
    expect(check_ins).to_have_count(2)
    expect(check_ins.first).to_contain_text(f"Check-in of {written_day()}")
    expect(check_ins.first).to_contain_text(f"{ANA_STEPS[0]}Nearly there · 4 of 5")
    expect(check_ins.first).to_contain_text(ANA_EVIDENCE)
    expect(check_ins.first).to_contain_text("Coaching")
    request = page.get_by_test_id("request")
    expect(request).to_have_count(1)
    expect(request.get_by_test_id("request-state")).to_have_text("Open")

    # A comment, sent once however eagerly the button is pressed.
    page.get_by_label("Your message").fill(COMMENT)
    with page.expect_response(lambda r: r.request.method == "POST" and "/messages" in r.url):
        page.get_by_test_id("composer-send").dblclick()
    expect(page.get_by_test_id("status")).to_have_text("Sent to Ana Lima.")
    expect(page.get_by_test_id("message")).to_have_count(1)
    expect(page.get_by_test_id("message")).to_contain_text(f"{COACH} · {written_day()} · Comment")
    expect(page.get_by_test_id("message")).to_contain_text(COMMENT)
    expect(page.get_by_label("Your message")).to_have_value("")
    assert len([url for url in sent if "/messages" in url]) == 1
    assert [m["body"] for m in day.coach_api("GET", f"/api/coach/people/{ana.person_id}").json()["thread"]] == [COMMENT]

    # A meeting without its day is refused with the server's words; what was typed stays, to correct.
    page.get_by_label("What are you writing?").select_option(label="A meeting (day and place)")
    page.get_by_test_id("composer-place").fill("Room 4")
    page.get_by_label("Why (optional)").fill("Shall we look at the tickets together?")
    with page.expect_response(lambda r: r.request.method == "POST" and "/messages" in r.url) as refused:
        page.get_by_test_id("composer-send").click()
    assert refused.value.status == 400
    expect(page.get_by_test_id("composer-error")).to_have_text(NO_DAY)
    expect(page.get_by_test_id("composer-day")).to_be_focused()
    expect(page.get_by_test_id("composer-place")).to_have_value("Room 4")
    expect(page.get_by_label("Why (optional)")).to_have_value("Shall we look at the tickets together?")
    page.get_by_test_id("composer-day").fill(day_in(30))
    send(page)
    expect(page.get_by_test_id("composer-error")).to_be_hidden()
    meeting = page.get_by_test_id("message").nth(1)
    expect(meeting).to_contain_text("Proposed meeting")
    expect(meeting).to_contain_text(f"{written_day(30)}, Room 4")
    expect(meeting.get_by_test_id("suggestion-state")).to_have_text("Waiting for Ana Lima's answer")

    # A rewording of the goal: the current wording is there to edit.
    page.get_by_label("What are you writing?").select_option(label="A rewording of the goal")
    expect(page.get_by_label("The goal, reworded")).to_have_value(ANA_GOAL)
    page.get_by_label("The goal, reworded").fill(REWORDED)
    page.get_by_label("Why (optional)").fill(WHY)
    send(page)
    suggestion = page.get_by_test_id("message").nth(2)
    expect(suggestion).to_contain_text("Suggested rewording of the goal")
    expect(suggestion.locator("blockquote")).to_have_text(REWORDED)
    expect(suggestion).to_contain_text(WHY)
    expect(suggestion.get_by_test_id("suggestion-state")).to_have_text("Waiting for Ana Lima's answer")
    expect(page.get_by_label("What are you writing?")).to_have_value("comment")  # a fresh composer

    # Answering a check-in: the composer is set to it.
    check_ins.first.get_by_role("button", name=f"Answer this check-in ({written_day()})").click()
    expect(page.get_by_label("Your message")).to_be_focused()
    page.get_by_label("Your message").fill(CHECK_IN_ANSWER)
    send(page)
    answered = page.get_by_test_id("message").nth(3)
    expect(answered).to_contain_text(f"Answer to the check-in of {written_day()}")
    expect(answered).to_contain_text(CHECK_IN_ANSWER)

    # The support request moves forward: acknowledged, then a meeting planned with its day and place.
    request.get_by_role("button", name="Acknowledge Coaching").click()
    expect(request.get_by_test_id("request-state")).to_have_text("Acknowledged")
    expect(request).to_contain_text(f"Acknowledged on {written_day()}")
    expect(page.get_by_test_id("status")).to_have_text("Coaching: Acknowledged.")
    request.get_by_test_id("request-plan").click()
    expect(request.get_by_label("Day")).to_be_focused()
    request.get_by_label("Place (optional)").fill("Library")
    request.get_by_test_id("plan-save").click()
    expect(request.get_by_test_id("request-error")).to_have_text(NO_DAY)
    expect(request.get_by_label("Place (optional)")).to_have_value("Library")
    request.get_by_label("Day").fill(day_in(21))
    request.get_by_test_id("plan-save").click()
    expect(request.get_by_test_id("request-state")).to_have_text("Meeting planned")
    expect(request).to_contain_text(f"Meeting planned: {written_day(21)}, Library")
    expect(request.get_by_test_id("request-plan")).to_have_count(0)

    person = day.coach_api("GET", f"/api/coach/people/{ana.person_id}")
    never_private(person.text)
    never_private(page.content())
    assert [m["kind"] for m in person.json()["thread"]] == ["comment", "meeting", "suggest_goal", "reply"]
    assert person.json()["row"]["next_meeting"]["day"] == day_in(21)  # the planned meeting comes before the proposed
    assert_accessible(page, "a person in the coach's view")
    Screenshots(SCREENS).take_whole(page, "coach-person")

    # Back on the list: the next meeting, and the request still open.
    page.get_by_test_id("back").click()
    row = page.get_by_test_id("person-row").filter(has_text="Ana Lima")
    expect(row.locator(".col-meeting")).to_have_text(f"{written_day(21)}, Library")
    expect(row.locator(".col-requests")).to_contain_text("1 open")

    # Closed, the request leaves the open ones, and its meeting with it: the proposed one is next.
    open_person(page, "Ana Lima")
    request.get_by_role("button", name="Close Coaching").click()
    expect(request.get_by_test_id("request-state")).to_have_text("Closed")
    expect(request).to_contain_text(f"Closed on {written_day()}")
    expect(request.get_by_role("button")).to_have_count(0)
    expect(request.locator("h3")).to_be_focused()
    page.get_by_test_id("back").click()
    expect(row.locator(".col-requests")).to_have_text("—")
    expect(row.locator(".col-meeting")).to_have_text(f"{written_day(30)}, Room 4")


def test_a_coach_agrees_to_a_goal_as_written_and_a_second_agreement_is_refused(day: CoachedDay, contexts) -> None:
    page = contexts(CONSOLE).new_page()
    page.goto(f"{day.coach_url}&person={day.people['Ben'].person_id}")
    expect(page.get_by_test_id("heading")).to_have_text("Ben Okafor")
    expect(page.get_by_test_id("subheading")).to_contain_text(f"Check-in was due {written_day(-5)}; none since")
    expect(page.get_by_test_id("check-ins")).to_contain_text("No check-ins yet.")
    page.get_by_test_id("agree").click()
    expect(page.get_by_test_id("agreement")).to_have_text(f"✓ Agreed with {COACH} on {written_day()}")
    expect(page.get_by_test_id("agreement")).to_be_focused()
    expect(page.get_by_test_id("status")).to_have_text("You agreed to Ben Okafor's goal.")
    expect(page.get_by_test_id("goal-now").get_by_test_id("agreed-badge")).to_have_text("Agreed")
    expect(page.get_by_test_id("message")).to_contain_text("Agreed to the goal as written")
    again = day.coach_api("POST", f"/api/coach/people/{day.people['Ben'].person_id}/agree")
    assert (again.status_code, again.json()["code"]) == (409, "already_answered")

    page.get_by_test_id("back").click()
    row = page.get_by_test_id("person-row").filter(has_text="Ben Okafor")
    expect(row.get_by_test_id("agreed-badge")).to_have_text("Agreed")


def test_another_coach_cannot_open_a_person_who_is_not_theirs(day: CoachedDay, contexts) -> None:
    other = requests.post(f"{day.url}/api/organisations/{day.organisation['id']}/coaches", timeout=10,
                          headers=admin_headers(),
                          json={"name": "Mr Park", "email": "", "goal_ids": []}).json()  # fmt: skip
    page = contexts(CONSOLE).new_page()
    page.goto(f"{other['coach_url']}&person={day.people['Ana'].person_id}")
    expect(page.get_by_test_id("error")).to_have_text(
        "There is no such person among your people any more. They may have been given another coach."
    )
    expect(page.get_by_test_id("person-view")).to_be_hidden()
    never_private(page.content())
    page.get_by_test_id("back").click()
    expect(page.get_by_test_id("people")).to_contain_text("Nobody is assigned to you yet.")
    expect(page.get_by_test_id("total-people")).to_have_text("0")
