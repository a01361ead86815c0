"""The console's activities as a new presenter meets them, with the presenter's hands: the parking lot counted in
the header and moved into the agenda once however the button is pressed (a double click, a reload), a merged idea
saying where it went, the agenda ticking only the steps that ran, the panels' one-off messages leaving with the step,
a scale's mean compact in its tile, the file picker and the ideas filter like the console's other controls, and no
page controls for a single page.

Debian's Chromium through Playwright against `pathways serve`; phones and a second console on Socket.IO connections.
"""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import CONSOLE, SocketWatch, assert_accessible
from tests.support.results_room import open_room, protocol_toml
from tests.support.waiting import wait_until
from tests.test_artifacts import photo
from tests.test_media_live import deck

pytestmark = pytest.mark.live
QUESTIONS = ["Can we get this morning's slides before we leave?", "Where do the exit tickets go?"]
KEPT_IDEA = "Feedback students act on within the same lesson, written in words a ten-year-old understands"


def open_console(server: Any, created: dict[str, Any], contexts: Any) -> Page:
    desk = contexts(CONSOLE).new_page()
    desk.goto(f"{server.url}/console/{created['code']}#key={created['facilitator_key']}")
    expect(desk.get_by_test_id("connection")).to_have_attribute("data-state", "connected")
    return desk


def style(locator: Any, name: str) -> str:
    return locator.evaluate("(node, name) => getComputedStyle(node)[name]", name)


def test_the_parking_lot_is_counted_in_the_header_and_an_item_moves_into_the_agenda_once(
    shared_live_server, contexts, peers, shots
):
    server = shared_live_server
    created = server.create_session(agenda=["plc-cycle"])
    watcher = peers(server.url, "/facilitator", code=created["code"], key=created["facilitator_key"]).connect()
    items = len(watcher.wait_for("state")["items"])
    desk = open_console(server, created, contexts)
    sockets = SocketWatch(desk)
    link = desk.get_by_test_id("parking-lot-link")
    expect(link).to_have_accessible_name("Parking lot: 0 open items")

    # Questions arrive while the presenter is at the top of the page: the header counts them as they come.
    ana = peers(server.url, "/participant", code=created["code"], name="Ana Lima").connect()
    ana.wait_for("welcome")
    for number, text in enumerate(QUESTIONS):
        assert ana.call("parking_lot_post", {"client_id": f"ana-{number}", "text": text})["ok"]
    expect(link).to_have_accessible_name("Parking lot: 2 open items")
    expect(desk.get_by_test_id("parking-lot-open")).to_have_text("2")
    shots.take(desk, "console-parking-lot-count-1440x900")
    box = link.bounding_box()
    assert box and box["y"] + box["height"] <= 80, f"the count is in the header: {box}"
    heading = desk.locator("#parking-lot-heading")
    expect(heading).not_to_be_in_viewport()
    link.click()
    expect(heading).to_be_in_viewport()
    expect(heading).to_be_focused()
    wait_until(lambda: heading.bounding_box()["y"] >= box["y"] + box["height"], message="the heading under the header")
    assert desk.url.endswith(f"#key={created['facilitator_key']}"), "the console's key stays in its address"

    # A double click on "Move into agenda" sends once (counted on the wire, after a reload at the worst moment);
    # the button stays disabled, after another reload too.
    moves: list[str] = []

    def watch(socket: Any) -> None:
        socket.on("framesent", lambda frame: moves.append(frame) if "parking_lot_to_agenda" in frame else None)

    desk.on("websocket", watch)
    desk.reload()
    expect(desk.get_by_test_id("connection")).to_have_attribute("data-state", "connected")
    wait_until(sockets.settled, message="the console's socket on WebSocket")
    row = desk.get_by_test_id("parking-lot-row").filter(has_text=QUESTIONS[0])
    move = row.get_by_test_id("parking-lot-to-agenda")
    expect(move).to_be_enabled()
    move.dblclick()
    expect(desk.get_by_test_id("status-line")).to_have_text(f"Added to the agenda: {QUESTIONS[0]}")
    assert len(moves) == 1, moves
    expect(move).to_be_disabled()
    expect(row).to_contain_text("In the agenda")
    state = watcher.wait_for("state", lambda s: len(s["items"]) > items)
    assert len(state["items"]) == items + 1
    desk.reload()
    expect(desk.get_by_test_id("connection")).to_have_attribute("data-state", "connected")
    expect(desk.get_by_test_id("parking-lot-row").filter(has_text=QUESTIONS[0]).get_by_test_id(
        "parking-lot-to-agenda")).to_be_disabled()  # fmt: skip
    expect(desk.get_by_test_id("parking-lot-row").filter(has_text=QUESTIONS[1]).get_by_test_id(
        "parking-lot-to-agenda")).to_be_enabled()  # fmt: skip
    assert len(watcher.latest("state")["items"]) == items + 1 and len(moves) == 1

    # Done is no longer open: the header follows.
    desk.get_by_test_id("parking-lot-row").filter(has_text=QUESTIONS[1]).get_by_test_id("parking-lot-done").click()
    expect(desk.get_by_test_id("parking-lot-link")).to_have_accessible_name("Parking lot: 1 open item")
    desk.evaluate("window.scrollTo(0, 0)")
    assert_accessible(desk, "the console with the parking lot counted in its header")


def test_a_merged_idea_says_where_it_went_and_the_filter_is_a_console_field(shared_live_server, contexts, peers, shots):
    server = shared_live_server
    created = server.create_session(agenda=["affinity"])
    console = peers(server.url, "/facilitator", code=created["code"], key=created["facilitator_key"]).connect()
    ben = peers(server.url, "/participant", code=created["code"], name="Ben").connect()
    console.call("next")
    brainstorm = console.call("next")["step_id"]
    for number, text in enumerate([KEPT_IDEA, "feedback students act on!", "Time to plan together"]):
        assert ben.call("post_idea", {"step_id": brainstorm, "idea_id": f"b{number}", "text": text})["ok"]
    desk = open_console(server, created, contexts)
    ideas = desk.get_by_test_id("console-idea")
    expect(ideas).to_have_count(3)

    ideas.filter(has_text="feedback students act on!").get_by_test_id("idea-merge").click()
    ideas.filter(has_text=KEPT_IDEA).get_by_test_id("idea-keep").click()
    merged = ideas.filter(has_text="feedback students act on!")
    expect(merged.get_by_test_id("idea-merged-into")).to_have_text(
        "Merged into: Feedback students act on within the same lesson, written in…"
    )
    expect(merged.get_by_test_id("idea-merged-into")).to_have_attribute("title", KEPT_IDEA)  # whole, on hovering

    # The filter box looks like the answers' search box: the console's fields, not the browser's bare one.
    search = desk.get_by_test_id("ideas-filter")
    answers = desk.get_by_test_id("answer-search")
    for name in ("borderTopWidth", "borderTopColor", "borderRadius", "minHeight", "fontSize"):
        assert style(search, name) == style(answers, name), name
    merged.scroll_into_view_if_needed()
    shots.take(desk, "console-idea-merged-1440x900")
    search.fill("plan")
    expect(ideas).to_have_count(1)
    assert_accessible(desk, "the console's Ideas panel with a merged idea")


def test_the_agenda_ticks_only_steps_that_ran_and_one_off_messages_leave_with_the_step(
    shared_live_server, contexts, shots
):
    server = shared_live_server
    created = server.create_session(agenda=["plc-cycle"])
    desk = open_console(server, created, contexts)
    desk.get_by_test_id("next").click()
    expect(desk.get_by_test_id("step-title")).to_have_text("What should students learn?")
    expect(desk.locator("[data-used='1:know']")).not_to_have_text("–")  # a second of it has run

    # The file pickers are the console's buttons (the browser's own "Choose File" hidden, still reached by Tab).
    choose = desk.get_by_test_id("artifact-choose")
    for name in ("borderTopWidth", "borderRadius", "minHeight", "fontWeight", "color"):
        assert style(choose, name) == style(desk.locator("label[for=media-slide]"), name), name
    picker = desk.get_by_test_id("artifact-file").bounding_box()
    assert picker and picker["width"] <= 1, picker
    desk.get_by_test_id("artifact-file").focus()
    desk.keyboard.press("Shift+Tab")
    desk.keyboard.press("Tab")  # from the keyboard
    expect(desk.get_by_test_id("artifact-file")).to_be_focused()
    assert style(choose, "outlineStyle") == "solid", "the focus shows on the button"

    # Student work and a slide: each panel says it is done.
    desk.get_by_test_id("artifact-file").set_input_files(
        {"name": "Exit tickets.jpg", "mimeType": "image/jpeg", "buffer": photo()}
    )
    expect(desk.get_by_test_id("artifact-console-status")).to_have_text("Shown to the room.")
    desk.get_by_test_id("media-slide").set_input_files(
        {"name": "Break.pdf", "mimeType": "application/pdf", "buffer": deck(1)}
    )
    expect(desk.get_by_test_id("media-status")).to_have_text("The slide is in the agenda, after this activity.")

    # Over two steps to the fourth: the messages go, and only the step that ran is ticked.
    desk.get_by_test_id("agenda-step-1:extend").click()
    expect(desk.get_by_test_id("step-title")).to_have_text("When they already know it")
    expect(desk.get_by_test_id("media-status")).to_have_text("")
    expect(desk.get_by_test_id("artifact-console-status")).to_have_text("")
    expect(desk.get_by_test_id("agenda-step-1:know")).to_have_class("agenda-step done")
    for jumped in ("1:evidence", "1:intervene"):
        step = desk.get_by_test_id(f"agenda-step-{jumped}")
        expect(step).to_have_class("agenda-step")
        expect(step.locator(".used")).to_have_text("–")
        assert step.locator(".agenda-number").evaluate("(n) => getComputedStyle(n, '::after').content") == "none"
    shots.take(desk, "console-agenda-jumped-1440x900")
    assert_accessible(desk, "the console's agenda after a jump")


def test_a_scale_s_mean_is_compact_in_its_tile_and_a_single_page_has_no_page_controls(
    shared_live_server, contexts, peers, shots
):
    server = shared_live_server
    steps = [{"id": "confidence", "kind": "scale", "min": 1, "max": 5, "show_mean": True, "prompt": "How ready?"}]
    room = open_room(server, peers, protocol_toml(steps), ["Ana", "Ben", "Cy"])
    key = room.open("confidence")
    desk = open_console(server, {"code": room.code, "facilitator_key": room.key}, contexts)
    expect(desk.get_by_test_id("step-title")).to_have_text("confidence")
    side = desk.locator(".side-panel")
    width = side.bounding_box()["width"]
    for name, value in (("Ana", 3), ("Ben", 4), ("Cy", 4)):
        room.answer(name, key, value, name)
    mean = desk.get_by_test_id("count-mean")
    expect(mean).to_have_text("3.7 (3 answers)")
    count = desk.get_by_test_id("count-mean-answers")
    assert float(style(mean, "fontSize")[:-2]) >= 28 and float(style(count, "fontSize")[:-2]) <= 14
    assert count.bounding_box()["y"] >= mean.bounding_box()["y"] + 28, "the count under the mean"
    assert side.bounding_box()["width"] == pytest.approx(width, abs=1), "the column keeps its width"
    tile, joined = desk.locator("#mean-row").bounding_box(), desk.locator("#count-joined").locator("..").bounding_box()
    assert tile["width"] == pytest.approx(joined["width"], abs=1) and tile["height"] <= joined["height"] * 1.2, tile

    # A single image on the step: its page is the only one, so no page controls.
    sent = desk.get_by_test_id("media-file")
    sent.set_input_files({"name": "Scale.jpg", "mimeType": "image/jpeg", "buffer": photo()})
    expect(desk.get_by_test_id("media-status")).to_have_text("Shown on the step.")
    expect(desk.get_by_test_id("media-shown")).to_be_visible()
    expect(desk.get_by_test_id("media-prev")).to_be_hidden()
    expect(desk.get_by_test_id("media-next")).to_be_hidden()
    expect(desk.get_by_test_id("media-panel")).not_to_contain_text("Page 1 of 1")
    sent.set_input_files({"name": "Deck.pdf", "mimeType": "application/pdf", "buffer": deck(2)})
    expect(desk.get_by_test_id("media-on")).to_have_text("Page 1 of 2 on the projector and phones")
    sent.set_input_files({"name": "Scale again.jpg", "mimeType": "image/jpeg", "buffer": photo()})
    expect(desk.get_by_test_id("media-name")).to_have_text("Scale again.jpg")
    expect(desk.get_by_test_id("media-next")).to_be_hidden()
    expect(desk.get_by_test_id("media-on")).to_have_text("")  # nothing left of the deck's pages
    shots.take(desk, "console-scale-mean-1440x900")
    assert_accessible(desk, "the console with a scale's mean and a single image")
