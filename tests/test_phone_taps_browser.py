"""A participant's thumb on a phone, in Chromium: a double tap is one intention. A double tap on an idea's Vote gives
one vote (Vote keeps its place when Take back appears beside it), and a double tap on a parking-lot upvote upvotes
once, however fast the server answers between the two taps."""

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import PHONE
from tests.support.waiting import wait_until

pytestmark = pytest.mark.live
THUMB_GAP_MS = 120  # between the two taps of a double tap, as a thumb gives them


def touch_phone(contexts: Any, url: str, code: str, sent: list[str]) -> Page:
    """A phone with a touch screen (taps, not clicks), joined to session ``code`` as Ana; what it sends on its
    WebSocket goes in ``sent``."""
    phone = contexts(PHONE, has_touch=True, is_mobile=True).new_page()
    phone.on("websocket", lambda socket: socket.on("framesent", lambda frame: sent.append(frame)))
    phone.goto(f"{url}/j/{code}")
    phone.get_by_test_id("name-input").fill("Ana")
    phone.get_by_test_id("join-button").tap()
    expect(phone.get_by_test_id("menu")).to_be_visible()
    return phone


def sent_events(sent: list[str], event: str) -> int:
    """How many ``event``s the phone sent (Socket.IO's frames on the participant namespace)."""
    return sum(1 for frame in sent if isinstance(frame, str) and re.match(rf'^42/participant,\d*\["{event}"', frame))


def count_taps(page: Page) -> None:
    """Count the taps that reach the page (a disabled button gets no click, but the page sees the finger lift)."""
    page.evaluate("window.taps = 0; window.addEventListener('touchend', () => { window.taps += 1; }, true)")


def double_tap(page: Page, target: Any) -> None:
    """Two taps on the middle of ``target``, a thumb's gap apart; returns once the page has had both."""
    box = target.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    before = page.evaluate("window.taps")
    page.touchscreen.tap(x, y)
    page.wait_for_timeout(THUMB_GAP_MS)  # the thumb's rhythm, not a wait for the page
    page.touchscreen.tap(x, y)
    wait_until(lambda: page.evaluate("window.taps") >= before + 2, message="both taps to reach the page")


def test_a_double_tap_on_vote_gives_one_vote_and_vote_keeps_its_place(live_server, contexts, peers):
    created = live_server.create_session(agenda=["affinity"])
    code, url = created["code"], live_server.url
    console = peers(url, "/facilitator", code=code, key=created["facilitator_key"]).connect()
    console.call("next")
    step = console.call("next")["step_id"].removesuffix("brainstorm")
    ben = peers(url, "/participant", code=code, name="Ben").connect()
    for n, text in enumerate(["Feedback students act on", "Time to plan together"]):
        assert ben.call("post_idea", {"step_id": f"{step}brainstorm", "idea_id": f"b{n}", "text": text})["ok"]
    assert console.call("goto", {"step_id": f"{step}vote"})["ok"]
    sent: list[str] = []
    phone = touch_phone(contexts, url, code, sent)
    count_taps(phone)
    left = phone.get_by_test_id("votes-left")
    expect(left).to_have_text("5 of 5 votes left")  # dots may be spread: five on one idea if the person wants
    first, second = phone.get_by_test_id("idea").first, phone.get_by_test_id("idea").last

    # A mouse's double click: one vote, and Vote has not moved now that Take back stands beside it.
    vote = first.get_by_test_id("vote")
    where = vote.bounding_box()
    vote.dblclick()
    expect(left).to_have_text("4 of 5 votes left")
    expect(first).to_have_attribute("data-votes", "1")
    expect(vote).to_be_enabled()  # free again after a double tap's time
    assert vote.bounding_box() == where
    take_back = first.get_by_test_id("unvote").bounding_box()
    assert take_back["x"] + take_back["width"] <= where["x"], "Take back stands beside Vote, not under the finger"

    # A thumb's double tap on the next idea's Vote, the server answering between the taps: one vote.
    double_tap(phone, second.get_by_test_id("vote"))
    expect(second.get_by_test_id("vote")).to_be_enabled()
    expect(second).to_have_attribute("data-votes", "1")
    expect(left).to_have_text("3 of 5 votes left")
    # And on a Vote already given once: one more, never one taken back.
    double_tap(phone, second.get_by_test_id("vote"))
    expect(second.get_by_test_id("vote")).to_be_enabled()
    expect(second).to_have_attribute("data-votes", "2")
    expect(left).to_have_text("2 of 5 votes left")
    assert console.wait_for("ideas_delta", lambda delta: delta["total_votes"] == 3)
    assert (sent_events(sent, "vote"), sent_events(sent, "unvote")) == (3, 0)

    # A double tap on Take back takes back one.
    double_tap(phone, second.get_by_test_id("unvote"))
    expect(second.get_by_test_id("vote")).to_be_enabled()
    expect(second).to_have_attribute("data-votes", "1")
    expect(left).to_have_text("3 of 5 votes left")


def test_a_double_tap_on_a_parking_lot_upvote_upvotes_once(live_server, contexts, peers):
    created = live_server.create_session()
    code, url = created["code"], live_server.url
    ben = peers(url, "/participant", code=code, name="Ben").connect()
    assert ben.call("parking_lot_post", {"client_id": "b1", "text": "Can we get the slides?"})["ok"]
    sent: list[str] = []
    phone = touch_phone(contexts, url, code, sent)
    count_taps(phone)
    phone.get_by_test_id("menu").click()
    phone.get_by_test_id("menu-parking-lot").click()
    upvote = phone.get_by_test_id("parking-lot-upvote")
    expect(upvote).to_have_attribute("aria-pressed", "false")

    double_tap(phone, upvote)  # the server answers in a few milliseconds, well before the second tap
    expect(upvote).to_be_enabled()
    expect(upvote).to_have_attribute("aria-pressed", "true")
    expect(phone.get_by_test_id("parking-lot-upvotes")).to_have_text("1")
    assert ben.call("parking_lot_open", {})["items"][0]["upvotes"] == 1
    assert sent_events(sent, "parking_lot_upvote") == 1

    # A tap after the double tap's time is a new intention: it takes the upvote back.
    upvote.tap()
    expect(upvote).to_have_attribute("aria-pressed", "false")
    expect(phone.get_by_test_id("parking-lot-upvotes")).to_have_text("0")
