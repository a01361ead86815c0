"""The parking lot in Chromium: a phone posts a question from its menu, another phone upvotes it (a double tap counts
once), the console answers it and shows the board on the projector, large and without names, then takes it down; over
the board, the projector's corner (the way in for latecomers) and "Reconnecting…" stay in sight."""

import re
import tomllib
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import (
    CONSOLE,
    PHONE,
    PROJECTOR,
    SMALL_PHONE,
    SMALL_PROJECTOR,
    SocketWatch,
    assert_accessible,
    join_phone,
)
from tests.support.waiting import wait_until

pytestmark = pytest.mark.live
QUESTION = "Can we get this morning's slides before we leave?"
ANSWER = "Yes: in your inbox by five."

AFFINITY = Path(__file__).parents[1] / "protocols" / "library" / "affinity.toml"


def open_parking_lot(page: Page) -> None:
    page.get_by_test_id("menu").click()
    page.get_by_test_id("menu-parking-lot").click()
    expect(page.get_by_test_id("parking-lot")).to_be_visible()


def font_px(locator) -> float:
    return float(locator.evaluate("(node) => parseFloat(getComputedStyle(node).fontSize)"))


def test_the_phone_s_board_opens_fresh_and_tells_of_a_step_change_under_it(live_server, contexts, peers):
    created = live_server.create_session(agenda=["affinity"])
    code, url = created["code"], live_server.url
    console = peers(url, "/facilitator", code=code, key=created["facilitator_key"]).connect()
    ana = contexts(PHONE).new_page()
    join_phone(ana, url, code, "Ana Lima")
    open_parking_lot(ana)
    ana.get_by_test_id("parking-lot-input").fill(QUESTION)
    ana.get_by_test_id("parking-lot-post").click()
    status = ana.get_by_test_id("parking-lot-status")
    expect(status).to_have_text("Posted. Thank you!")

    # Opened again later: the thanks were for then.
    ana.get_by_test_id("parking-lot-close").click()
    open_parking_lot(ana)
    expect(ana.get_by_test_id("parking-lot-item")).to_contain_text(QUESTION)
    expect(status).to_have_text("")
    moved = ana.get_by_test_id("parking-lot-moved")
    expect(moved).to_be_hidden()

    # The room moves on while it is open: the board says where, with a way back.
    console.call("next")
    assert console.call("next")["ok"]
    expect(moved).to_have_text("The room has moved on to: Ideas, in silence" + "Back to the room")
    assert_accessible(ana, "the phone's parking lot after the step changed")
    ana.get_by_test_id("parking-lot-back").click()
    expect(ana.get_by_test_id("parking-lot")).to_be_hidden()
    expect(ana.get_by_test_id("step-title")).to_have_text("Ideas, in silence")
    expect(ana.get_by_test_id("step-title")).to_be_focused()
    open_parking_lot(ana)  # opened on the step the room is on: nothing to tell
    expect(moved).to_be_hidden()

    # A phone in Spanish reads where the room went in Spanish: the step's own title in its language.
    eva = contexts(PHONE, locale="es-ES").new_page()
    eva.goto(f"{url}/j/{code}")
    eva.get_by_test_id("name-input").fill("Eva Ruiz")
    eva.get_by_test_id("join-button").click()
    expect(eva.get_by_test_id("step-title")).to_be_visible()
    open_parking_lot(eva)
    assert console.call("next")["ok"]
    spanish = tomllib.loads(AFFINITY.read_text())["translations"]["es"]["steps"]["group"]["title"]
    assert spanish != "Group the ideas", "the step has a Spanish title"
    expect(eva.get_by_test_id("parking-lot-moved")).to_contain_text(spanish)


def test_a_phone_posts_another_upvotes_and_the_console_answers_and_projects_the_board(live_server, contexts, shots):
    url = live_server.url
    created = live_server.create_session()
    code = created["code"]
    ana, ben = contexts(PHONE).new_page(), contexts(SMALL_PHONE).new_page()
    join_phone(ana, url, code, "Ana Lima")
    join_phone(ben, url, code, "Ben Okafor")

    # Ana posts from the menu, in the lobby.
    open_parking_lot(ana)
    expect(ana.get_by_test_id("parking-lot")).to_contain_text("Nothing on the board yet: be the first.")
    ana.get_by_test_id("parking-lot-post").click()
    expect(ana.get_by_test_id("parking-lot-status")).to_have_text("Write your question or idea first.")
    ana.get_by_test_id("parking-lot-input").fill(QUESTION)
    ana.get_by_test_id("parking-lot-post").click()
    expect(ana.get_by_test_id("parking-lot-status")).to_have_text("Posted. Thank you!")
    mine = ana.get_by_test_id("parking-lot-item")
    expect(mine).to_have_count(1)
    expect(mine).to_contain_text(QUESTION)
    expect(mine).to_contain_text("Yours")
    expect(mine.get_by_test_id("parking-lot-upvote")).to_have_count(0)  # upvotes are for other people's
    assert_accessible(ana, "the phone's parking lot")

    # Ben upvotes it; a double tap counts once. Nobody's name is on his board.
    open_parking_lot(ben)
    upvote = ben.get_by_test_id("parking-lot-upvote")
    expect(upvote).to_have_attribute("aria-pressed", "false")
    upvote.dblclick()
    expect(ben.get_by_test_id("parking-lot-upvote")).to_have_attribute("aria-pressed", "true")
    expect(ben.get_by_test_id("parking-lot-upvotes")).to_have_text("1")
    expect(ben.get_by_test_id("parking-lot-list")).not_to_contain_text("Ana")
    expect(ana.get_by_test_id("parking-lot-count")).to_have_text("1 upvote")  # her open board follows
    assert_accessible(ben, "the phone's parking lot, upvoted")
    shots.take(ana, "phone-parking-lot")
    shots.take(ben, "phone-parking-lot-upvoted-320")

    # The console sees who asked, answers, and puts the board on the projector.
    projector = contexts(PROJECTOR).new_page()
    projector.goto(f"{url}/projector/{code}")
    expect(projector.get_by_test_id("lobby")).to_be_visible()
    desk = contexts(CONSOLE).new_page()
    desk.goto(f"{url}/console/{code}#key={created['facilitator_key']}")
    row = desk.get_by_test_id("parking-lot-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(QUESTION)
    expect(row).to_contain_text("Ana Lima")
    expect(row.get_by_test_id("parking-lot-votes")).to_have_text("▲ 1")
    row.get_by_test_id("parking-lot-answer-input").fill(ANSWER)
    row.get_by_test_id("parking-lot-answer-save").click()
    expect(desk.get_by_test_id("status-line")).to_have_text("Answer saved.")
    expect(ana.get_by_test_id("parking-lot-answer")).to_contain_text(ANSWER)
    expect(ben.get_by_test_id("parking-lot-answer")).to_contain_text(ANSWER)
    desk.get_by_test_id("parking-lot-project").click()
    expect(desk.get_by_test_id("parking-lot-project")).to_have_attribute("aria-pressed", "true")
    desk.get_by_test_id("parking-lot").scroll_into_view_if_needed()
    assert_accessible(desk, "the console's parking lot")
    shots.take(desk, "console-parking-lot")

    board = projector.get_by_test_id("projector-parking-lot")
    expect(board).to_be_visible()
    expect(projector.get_by_test_id("lobby")).not_to_be_visible()
    expect(board.get_by_test_id("projector-parking-lot-text")).to_have_text(QUESTION)
    expect(board).not_to_contain_text("Ana")
    expect(board).to_contain_text(ANSWER)
    for viewport in (PROJECTOR, SMALL_PROJECTOR):
        projector.set_viewport_size(viewport)
        assert font_px(board.locator("h1")) >= 40
        assert font_px(board.get_by_test_id("projector-parking-lot-text")) >= 32
        assert font_px(board.get_by_test_id("projector-parking-lot-votes")) >= 32
        assert font_px(board.locator(".parking-lot-answer")) >= 32
        box = board.get_by_test_id("projector-parking-lot-items").bounding_box()
        assert box["width"] >= viewport["width"] * 0.85, "the list uses the screen's width"
        shots.take(projector, f"projector-parking-lot-{viewport['width']}x{viewport['height']}")
    assert_accessible(projector, "the projector's parking lot")

    # Taken down: the projector is back on the lobby.
    desk.get_by_test_id("parking-lot-project").click()
    expect(board).to_be_hidden()
    expect(projector.get_by_test_id("lobby")).to_be_visible()


# What is on top at a point of the projector's screen: the element a person sees there.
ON_TOP = """(el) => {
  const r = el.getBoundingClientRect();
  return el.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2));
}"""


def test_the_projectors_parking_lot_leaves_the_way_in_and_reconnecting_in_sight(live_server, peers, contexts):
    created = live_server.create_session()
    code = created["code"]
    console = peers(live_server.url, "/facilitator", code=code, key=created["facilitator_key"]).connect()
    phone = peers(live_server.url, "/participant", code=code, name="Ana Lima").connect()
    assert phone.call("parking_lot_post", {"client_id": "q1", "text": QUESTION})["ok"]
    projector = contexts(SMALL_PROJECTOR).new_page()
    sockets = SocketWatch(projector)
    projector.goto(f"{live_server.url}/projector/{code}")
    board, corner = projector.get_by_test_id("projector-parking-lot"), projector.get_by_test_id("corner")
    for phase in ("lobby", "step"):  # in the lobby its QR code is under the board: the corner stands in for it
        if phase == "step":
            assert console.call("next")["ok"]
            expect(projector.locator("body")).to_have_class(re.compile(r"\bphase-step\b"))  # under the board
        assert console.call("parking_lot_project", {"on": True})["ok"]
        expect(board).to_be_visible()
        for part in ("corner-qr", "corner-url", "corner-code"):
            shown = corner.locator(f"[data-testid={part}], .{part}").first
            expect(shown).to_be_visible()
            assert shown.evaluate(ON_TOP), f"the board covers the corner's {part} ({phase})"
        assert font_px(corner.locator(".corner-url")) >= 24
        items = board.get_by_test_id("projector-parking-lot-items").bounding_box()
        qr = corner.bounding_box()
        assert items["y"] >= qr["y"] + qr["height"], "the list starts under the corner"
        assert items["width"] >= SMALL_PROJECTOR["width"] * 0.85, "and takes the screen's width"
    assert_accessible(projector, "the projector's parking lot with the corner")

    wait_until(sockets.settled, message="the projector's socket to settle on WebSocket")
    live_server.stop()
    offline = projector.locator("#offline")
    expect(offline).to_be_visible()
    assert offline.evaluate(ON_TOP), 'the board covers "Reconnecting…"'
