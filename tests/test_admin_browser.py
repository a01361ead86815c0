"""Preparing the day in a real browser: the admin page with the keyboard, at laptop and phone width.

Debian's Chromium through Playwright against `pathways serve`; every change the page makes is checked in the API.
"""

from collections.abc import Callable

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.support.admin import ADMIN_TOKEN, admin_headers
from tests.support.browser import CONSOLE, PHONE, assert_accessible

pytestmark = pytest.mark.live
LAPTOP = {"width": 1280, "height": 800}


def sign_in(page: Page, url: str) -> None:
    """The admin page at ``url``, with the admin token typed in as a presenter does."""
    page.goto(f"{url}/admin")
    page.get_by_label("Admin token").fill(ADMIN_TOKEN)
    page.get_by_label("Admin token").press("Enter")


@pytest.fixture
def open_admin(contexts, live_server) -> Callable[[dict[str, int]], Page]:
    """The admin page in a fresh browser context with the admin token typed in; page errors fail the test."""

    def open_page(viewport: dict[str, int]) -> Page:
        page = contexts(viewport).new_page()
        sign_in(page, live_server.url)
        expect(page.get_by_test_id("workspace")).to_be_visible()
        expect(page.get_by_test_id("agenda-row-1")).to_contain_text("Goal setting")  # the library is in
        return page

    return open_page


def api(live_server, path: str) -> dict:
    response = requests.get(f"{live_server.url}{path}", headers=admin_headers(), timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_presenter_prepares_a_day_with_the_keyboard(live_server, open_admin):
    page = open_admin(LAPTOP)
    expect(page.get_by_test_id("sessions-status")).to_have_text(
        "No sessions yet. Fill in the form to create the first."
    )
    page.get_by_label("Session title").fill("Spring PD day")
    page.get_by_label("Organisation (optional)").fill("Riverside District")
    page.get_by_label("Presenter's name (optional)").fill("Dr. Amara Okafor")
    page.get_by_label("Date", exact=True).fill("2027-03-15")
    page.get_by_label("Paste goals to add, one per line").fill(
        "Literacy — every student reads by grade 3\nFeedback that moves learning forward\nBelonging - for every learner"
    )
    page.get_by_test_id("goals-add").click()
    expect(page.get_by_test_id("goal-rows").locator("li")).to_have_count(3)
    expect(page.get_by_label("Goal 3, description (optional)")).to_have_value("for every learner")

    page.get_by_role("button", name="Move goal 3 up").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Goal 2", exact=True)).to_have_value("Belonging")
    expect(page.get_by_role("button", name="Move goal 2 up")).to_be_focused()  # focus follows the moved goal
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Remove goal 2")).to_be_focused()

    expect(page.get_by_test_id("agenda-rows").locator("li")).to_have_count(1)  # goal setting, to start with
    page.get_by_label("Protocol to add").select_option("tuning")
    page.get_by_test_id("protocol-add").click()
    expect(page.get_by_label("Rounds").nth(1)).to_be_focused()
    page.keyboard.press("ArrowUp")  # 2 rounds
    page.get_by_role("button", name="Move Tuning protocol up").click()
    expect(page.get_by_test_id("agenda-row-1")).to_contain_text("Tuning protocol")
    page.get_by_test_id("agenda-row-2").locator("summary").click()
    page.get_by_test_id("minutes-2-system-goal").fill("10")

    planned = page.get_by_test_id("planned-total")
    page.get_by_label("Time available (minutes, optional)").fill("60")
    expect(planned).to_contain_text("Over time by")
    expect(planned).to_have_class("planned over")
    page.get_by_label("Time available (minutes, optional)").fill("400")
    expect(planned).to_contain_text("to spare")
    assert_accessible(page, "the admin page with a session being made")

    page.get_by_test_id("form-submit").click()
    expect(page.get_by_test_id("created")).to_be_visible()
    code = page.get_by_test_id("created-code").inner_text()
    assert f"/console/{code}#key=" in page.get_by_test_id("console-link").get_attribute("href")

    made = api(live_server, f"/api/sessions/{code}")
    titles = [goal["title"] for goal in made["system_goals"]]
    assert titles == ["Literacy", "Belonging", "Feedback that moves learning forward"]
    assert made["system_goals"][0]["description"] == "every student reads by grade 3"
    assert [(i["protocol"], i["rounds"]) for i in made["agenda"]] == [("tuning", 2), ("goal-setting", 1)]
    assert {s["id"]: s["minutes"] for s in made["agenda"][1]["steps"]}["system-goal"] == 10
    assert (made["day_minutes"], made["date"], made["facilitator"]) == (400, "2027-03-15", "Dr. Amara Okafor")

    page.get_by_test_id("created-edit").click()
    expect(page.get_by_test_id("editor-heading")).to_have_text("Edit: Spring PD day")
    expect(page.get_by_test_id("tools-console")).to_be_visible()  # this browser was given the console link
    item = page.get_by_test_id(f"session-{code}")
    expect(item).to_contain_text("Draft")
    expect(item).to_have_attribute("aria-current", "true")

    page.get_by_label("Goal 1", exact=True).fill("Literacy across the curriculum")
    page.get_by_role("button", name="Remove goal 3").click()
    page.get_by_test_id("form-submit").click()
    expect(page.get_by_test_id("form-saved")).to_have_text("Saved.")
    edited = api(live_server, f"/api/sessions/{code}")
    assert [g["id"] for g in edited["system_goals"]] == [g["id"] for g in made["system_goals"][:2]]
    assert edited["system_goals"][0]["title"] == "Literacy across the curriculum"

    page.get_by_test_id("tools-duplicate").click()
    expect(page.get_by_test_id("duplicate-date")).to_have_value("2027-03-22")  # a week on, to start with
    page.get_by_test_id("duplicate-date").fill("2027-04-05")
    page.get_by_test_id("duplicate-confirm").click()
    expect(page.get_by_test_id("created")).to_be_visible()
    copy = page.get_by_test_id("created-code").inner_text()
    assert copy != code
    listed = api(live_server, "/api/sessions")["sessions"]
    assert [(s["code"], s["date"]) for s in listed] == [(copy, "2027-04-05"), (code, "2027-03-15")]

    page.get_by_test_id("created-edit").click()
    page.get_by_test_id("tools-delete").click()
    expect(page.get_by_test_id("confirm-dialog")).to_contain_text("cannot be undone")
    page.get_by_test_id("confirm-no").click()
    assert len(api(live_server, "/api/sessions")["sessions"]) == 2  # cancelled: nothing gone
    page.get_by_test_id("tools-delete").click()
    page.get_by_test_id("confirm-yes").click()
    expect(page.get_by_test_id("sessions-status")).to_have_text("“Spring PD day” was deleted.")
    expect(page.get_by_test_id("sessions").locator("li")).to_have_count(1)
    assert [s["code"] for s in api(live_server, "/api/sessions")["sessions"]] == [code]


def test_a_live_session_shows_its_agenda_is_changed_from_the_console(live_server, open_admin, peers):
    created = live_server.create_session()
    peers(live_server.url, "/participant", code=created["code"], name="Ana").connect()
    page = open_admin(LAPTOP)
    page.get_by_test_id(f"session-{created['code']}").click()
    expect(page.get_by_test_id("editor-state")).to_have_text("Live")
    expect(page.get_by_test_id("agenda-live")).to_be_visible()
    expect(page.get_by_label("Rounds")).to_be_disabled()
    page.get_by_label("Session title").fill("Spring PD day, morning")
    page.get_by_test_id("form-submit").click()
    expect(page.get_by_test_id("form-saved")).to_have_text("Saved.")
    assert api(live_server, f"/api/sessions/{created['code']}")["title"] == "Spring PD day, morning"


def test_a_new_console_link_warns_first_and_replaces_the_old_one(live_server, open_admin):
    created = live_server.create_session()
    page = open_admin(LAPTOP)
    page.get_by_test_id(f"session-{created['code']}").click()
    expect(page.get_by_test_id("tools-console")).to_be_hidden()  # made elsewhere: this browser has no key for it
    page.get_by_test_id("tools-new-link").click()
    expect(page.get_by_test_id("confirm-dialog")).to_contain_text("the old link stops opening the console")
    page.get_by_test_id("confirm-yes").click()
    url = page.get_by_test_id("tools-console-url")
    expect(url).to_be_focused()
    new_key = url.input_value().split("#key=")[1]
    assert new_key != created["facilitator_key"]
    expect(page.get_by_test_id("tools-console")).to_have_attribute("href", url.input_value())


def test_a_wrong_token_is_refused_and_asked_again(live_server, browser):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/admin")
    page.get_by_label("Admin token").fill("not-the-token")
    page.get_by_test_id("token-submit").click()
    expect(page.get_by_test_id("token-error")).to_have_text("The admin token was not accepted. Check it and try again.")
    expect(page.get_by_label("Admin token")).to_be_focused()
    context.close()


def test_the_page_fits_a_phone_without_sideways_scrolling(live_server, open_admin):
    live_server.create_session(title="A session with a rather long title for a phone screen", day_minutes=30)
    page = open_admin(PHONE)
    page.get_by_test_id("sessions").get_by_role("button").first.click()
    expect(page.get_by_test_id("session-tools")).to_be_visible()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    expect(page.get_by_test_id("planned-total")).to_contain_text("Over time by")
    assert_accessible(page, "the admin page at phone width")


def test_goals_pasted_but_not_yet_added_are_kept_when_the_session_is_created(live_server, open_admin):
    page = open_admin(LAPTOP)
    page.get_by_label("Session title").fill("Day 1")
    page.get_by_label("Paste goals to add, one per line").fill("Literacy — reading by grade 3\nBelonging")
    page.get_by_test_id("form-submit").click()
    expect(page.get_by_test_id("created")).to_be_visible()
    made = api(live_server, f"/api/sessions/{page.get_by_test_id('created-code').inner_text()}")
    assert [(g["title"], g["description"]) for g in made["system_goals"]] == [
        ("Literacy", "reading by grade 3"),
        ("Belonging", ""),
    ]


def held_library(page: Page) -> list:
    """Hold the page's read of the protocol library until the test lets it through (``continue_``): a slow network."""
    held: list = []
    page.route("**/api/protocols", lambda route: held.append(route))
    return held


def test_a_slow_protocol_library_does_not_take_back_the_form_the_presenter_opened(live_server, contexts):
    """On a slow network the protocol library can arrive after the presenter typed the token and opened "New
    organisation": the page must not then open "New session" over it."""
    page = contexts(CONSOLE).new_page()
    held = held_library(page)
    sign_in(page, live_server.url)
    expect(page.get_by_test_id("organisations-status")).to_contain_text("No organisations yet")
    page.get_by_test_id("new-organisation").click()
    expect(page.get_by_test_id("editor-heading")).to_have_text("New organisation")
    page.get_by_test_id("organisation-name").fill("Riverside District")

    assert len(held) == 1
    held[0].continue_()
    expect(page.locator("#protocol-pick option")).not_to_have_count(1)  # the library is in, and the page has acted
    expect(page.get_by_test_id("editor-heading")).to_have_text("New organisation")
    expect(page.get_by_test_id("organisation-name")).to_have_value("Riverside District")


def test_a_new_session_opened_before_the_library_arrived_starts_with_goal_setting_once_it_does(live_server, contexts):
    """The presenter is quicker than the library: the new session's form gets its starting agenda when the library
    comes, with what they typed meanwhile kept, and the session is created."""
    page = contexts(CONSOLE).new_page()
    held = held_library(page)
    sign_in(page, live_server.url)
    expect(page.get_by_test_id("editor-heading")).to_have_text("New session")
    page.get_by_label("Session title").fill("Day 1")
    expect(page.get_by_test_id("agenda-row-1")).to_have_count(0)  # no protocol to start with yet

    held[0].continue_()
    expect(page.get_by_test_id("agenda-row-1")).to_contain_text("Goal setting")
    expect(page.get_by_test_id("agenda-row-2")).to_have_count(0)
    expect(page.get_by_label("Session title")).to_have_value("Day 1")
    page.get_by_label("Paste goals to add, one per line").fill("Literacy")
    page.get_by_test_id("form-submit").click()
    expect(page.get_by_test_id("created")).to_be_visible()
