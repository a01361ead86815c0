"""Nothing a phone typed is lost: answers given while the server is unreachable are kept on the phone (through a
reload) and sent when it is back; a person can delete their own answers from the phone's menu.

A real browser (Debian's Chromium) against `pathways serve`, which the test kills and starts again.
"""

import re

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.support.browser import PHONE, SocketWatch
from tests.support.peers import console_answers
from tests.support.waiting import wait_until

pytestmark = pytest.mark.live
SAVED_WAIT = 30_000  # ms: the Socket.IO client retries with a growing delay (up to 5 s) after the server returns


def open_phone(context, url: str) -> Page:
    page = context.new_page()
    page.goto(url)
    return page


def phone_on_the_goal_step(browser, live_server, peers, name: str):
    """A session on its "write your goal" step and a phone (a fresh browser context) that joined it, and a watch
    on the phone's socket."""
    created = live_server.create_session()
    console = peers(live_server.url, "/facilitator", code=created["code"], key=created["facilitator_key"]).connect()
    assert console.call("goto", {"step_id": "1:goal"})["ok"]
    context = browser.new_context(viewport=PHONE)
    phone = open_phone(context, f"{live_server.url}/j/{created['code']}")
    watch = SocketWatch(phone)
    phone.get_by_test_id("name-input").fill(name)
    phone.get_by_test_id("join-button").click()
    expect(phone.get_by_test_id("answer-text")).to_be_visible()
    return created, context, phone, watch


def test_answers_typed_while_the_server_is_down_are_kept_through_a_reload_and_sent_on_return(
    browser, live_server, peers
):
    created, context, phone, watch = phone_on_the_goal_step(browser, live_server, peers, "Zoë Ødegård")
    try:
        # The server goes away (the venue's Wi-Fi drops, or the laptop restarts): the phone says so.
        wait_until(watch.settled, message="the phone's socket to settle on WebSocket")
        live_server.kill()
        expect(phone.get_by_test_id("reconnecting")).to_be_visible(timeout=15_000)
        phone.get_by_test_id("answer-text").fill("Read aloud with my class every day")
        phone.get_by_test_id("submit").click()
        expect(phone.get_by_test_id("answer-message")).to_contain_text("Kept on this phone")
        expect(phone.get_by_test_id("saved-mark")).to_be_hidden()

        # Back on the same page: the kept answer is sent on its own and marked saved once acknowledged.
        live_server.start()
        expect(phone.get_by_test_id("saved-mark")).to_be_visible(timeout=SAVED_WAIT)
        assert console_answers(live_server, peers, created) == {"Zoë Ødegård": "Read aloud with my class every day"}

        # Down again; an edit is kept through closing the page and opening it again.
        wait_until(watch.settled, message="the phone's socket to settle on WebSocket again")
        live_server.kill()
        expect(phone.get_by_test_id("reconnecting")).to_be_visible(timeout=15_000)
        phone.get_by_test_id("answer-text").fill("Read aloud with my class every day, and keep a log")
        phone.get_by_test_id("submit").click()
        expect(phone.get_by_test_id("answer-message")).to_contain_text("Kept on this phone")
        phone.close()
        live_server.start()
        again = open_phone(context, f"{live_server.url}/j/{created['code']}")
        expect(again.get_by_test_id("answer-text")).to_have_value("Read aloud with my class every day, and keep a log")
        expect(again.get_by_test_id("saved-mark")).to_be_visible(timeout=SAVED_WAIT)
        answers = console_answers(live_server, peers, created)
        assert answers == {"Zoë Ødegård": "Read aloud with my class every day, and keep a log"}
    finally:
        context.close()


def test_a_participant_deletes_every_answer_from_the_phone_menu(browser, live_server, peers):
    created, context, phone, _ = phone_on_the_goal_step(browser, live_server, peers, "Ana")
    try:
        phone.get_by_test_id("answer-text").fill("A goal I will take back")
        phone.get_by_test_id("submit").click()
        expect(phone.get_by_test_id("saved-mark")).to_be_visible()
        assert console_answers(live_server, peers, created) == {"Ana": "A goal I will take back"}

        phone.once("dialog", lambda dialog: dialog.accept())
        phone.get_by_test_id("menu").click()
        phone.get_by_test_id("menu-forget").click()
        expect(phone.get_by_test_id("phone-note")).to_have_text("Your answers were deleted.")
        expect(phone.get_by_test_id("answer-text")).to_have_value("")
        assert console_answers(live_server, peers, created) == {}
        plan_url = phone.get_by_test_id("menu-plan").get_attribute("href")
        plan = requests.get(f"{live_server.url}{plan_url}", timeout=10).text
        assert "A goal I will take back" not in plan
        assert re.search(r"Nothing here yet", plan)
    finally:
        context.close()
