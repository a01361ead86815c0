"""The presenter's hands on the console, in a real browser: a key or a double press never skips a step, groups
keep to the protocol's sizes, and the console gives the same join address as the projector.

Debian's Chromium through Playwright against `pathways serve`, started with a public address that is not the one
the browser uses (as behind a proxy); a second console on a Socket.IO connection sees every state the server sends.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import CONSOLE, assert_accessible
from tests.support.peers import Peer
from tests.support.servers import LiveServer
from tests.support.waiting import wait_until

pytestmark = pytest.mark.live
PUBLIC_URL = "https://pd.riverside.example"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Iterator[LiveServer]:
    """One server for the module, serving on 127.0.0.1 but handing out PUBLIC_URL, as `--public-url` does."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATHWAYS_PUBLIC_URL", PUBLIC_URL)
        live = LiveServer(data_dir=tmp_path_factory.mktemp("hands") / "data", engine=engine)
        live.start()
    yield live
    live.stop()


@pytest.fixture
def room(server, contexts, peers) -> Any:
    """``room(agenda)``: a new session, its console open in the browser and a second console watching the server."""

    def open_room(agenda: list[str]) -> tuple[dict[str, Any], Page, Peer]:
        created = server.create_session(agenda=agenda)
        watcher = peers(server.url, "/facilitator", code=created["code"], key=created["facilitator_key"]).connect()
        console = contexts(CONSOLE).new_page()
        console.goto(f"{server.url}/console/{created['code']}#key={created['facilitator_key']}")
        expect(console.get_by_test_id("connection")).to_have_attribute("data-state", "connected")
        expect(console.get_by_test_id("step-title")).to_have_text("People are joining")
        return created, console, watcher

    return open_room


def positions(watcher: Peer) -> list[int]:
    """Every position the server has sent the consoles, oldest first."""
    return [state["position"] for state in watcher.all("state")]


def step_id(watcher: Peer, position: int) -> str:
    return watcher.latest("state")["agenda"][position]["id"]


def test_click_next_then_space_opens_one_step_and_starts_its_timer(room):
    """Space after a mouse click on Next used to press the focused button again and skip a step."""
    _created, console, watcher = room(["three-two-one"])
    console.get_by_test_id("next").click()
    console.keyboard.press(" ")

    running = watcher.wait_for("state", lambda state: state["deadline"] is not None)
    assert running["position"] == 0
    assert max(positions(watcher)) == 0, positions(watcher)
    expect(console.get_by_test_id(f"agenda-step-{step_id(watcher, 0)}")).to_have_attribute("aria-current", "step")
    expect(console.get_by_test_id("countdown")).to_have_attribute("data-state", "running")

    # With the focus on Next, space is still the timer: it pauses, and the room stays where it is.
    console.get_by_test_id("next").focus()
    expect(console.get_by_test_id("next")).to_be_focused()
    console.keyboard.press(" ")
    paused = watcher.wait_for("state", lambda state: state["paused_remaining"] is not None)
    assert paused["position"] == 0
    assert max(positions(watcher)) == 0, positions(watcher)
    expect(console.get_by_test_id("countdown")).to_have_attribute("data-state", "paused")
    expect(console.get_by_test_id("status-line")).to_have_text("")

    # Enter presses the focused button, once, and the focus comes back to it for the next press.
    console.keyboard.press("Enter")
    expect(console.get_by_test_id(f"agenda-step-{step_id(watcher, 1)}")).to_have_attribute("aria-current", "step")
    expect(console.get_by_test_id("next")).to_be_enabled()
    expect(console.get_by_test_id("next")).to_be_focused()
    assert max(positions(watcher)) == 1, positions(watcher)


def test_a_double_click_on_next_moves_one_step(room, peers, server):
    created, console, watcher = room(["three-two-one"])
    ana = peers(server.url, "/participant", code=created["code"], name="Ana").connect()
    for position in (0, 1):
        console.get_by_test_id("next").dblclick()
        expect(console.get_by_test_id(f"agenda-step-{step_id(watcher, position)}")).to_have_attribute(
            "aria-current", "step"
        )
        # The timer is the last thing the console sends: a second move would have reached the server before it.
        console.get_by_test_id("timer-start").click()
        watcher.wait_for("state", lambda state, at=position: state["position"] == at and state["deadline"] is not None)
        assert max(positions(watcher)) == position, positions(watcher)
        ana.wait_for("state", lambda state, at=position: (state.get("step") or {}).get("id") == step_id(watcher, at))
        assert ana.latest("state")["step"]["id"] == step_id(watcher, position)
    expect(console.get_by_test_id("status-line")).to_have_text("")


def test_a_clicker_that_fires_twice_moves_one_step_and_a_reloaded_console_goes_on(room):
    _created, console, watcher = room(["three-two-one"])
    console.locator("body").click()
    console.keyboard.press("PageDown")  # a clicker's "next", twice in a few milliseconds
    console.keyboard.press("PageDown")
    expect(console.get_by_test_id(f"agenda-step-{step_id(watcher, 0)}")).to_have_attribute("aria-current", "step")
    heard = len(watcher.received)
    console.keyboard.press("q")  # the last thing the console sends: a second move would have come before it
    watcher.wait_for("state", lambda state: state["show_qr"], since=heard)
    assert max(positions(watcher)) == 0, positions(watcher)

    expect(console.get_by_test_id("next")).to_be_enabled()
    console.keyboard.press("ArrowRight")
    console.keyboard.press("ArrowRight")
    expect(console.get_by_test_id(f"agenda-step-{step_id(watcher, 1)}")).to_have_attribute("aria-current", "step")
    heard = len(watcher.received)
    console.keyboard.press("q")
    watcher.wait_for("state", lambda state: not state["show_qr"], since=heard)  # not the lobby's, long before
    assert max(positions(watcher)) == 1, positions(watcher)

    # A reload in the middle of a step: the console picks up where the room is and moves on from there.
    console.reload()
    expect(console.get_by_test_id("connection")).to_have_attribute("data-state", "connected")
    expect(console.get_by_test_id(f"agenda-step-{step_id(watcher, 1)}")).to_have_attribute("aria-current", "step")
    console.keyboard.press("ArrowRight")
    expect(console.get_by_test_id(f"agenda-step-{step_id(watcher, 2)}")).to_have_attribute("aria-current", "step")
    watcher.wait_for("state", lambda state: state["position"] == 2)
    expect(console.get_by_test_id("back")).to_be_enabled()
    console.keyboard.press("ArrowLeft")
    expect(console.get_by_test_id(f"agenda-step-{step_id(watcher, 1)}")).to_have_attribute("aria-current", "step")
    console.get_by_test_id(f"agenda-step-{step_id(watcher, 0)}").click()
    expect(console.get_by_test_id(f"agenda-step-{step_id(watcher, 0)}")).to_have_attribute("aria-current", "step")
    # The console shows its move on its ack; the watcher hears the room's state a moment later, on its own socket.
    wait_until(lambda: positions(watcher)[-1] == 0, message="the watcher hearing the move to the first step")
    assert positions(watcher)[-3:] == [2, 1, 0]
    expect(console.get_by_test_id("status-line")).to_have_text("")


def test_a_move_from_a_step_the_room_has_left_is_refused_quietly(server, contexts, peers):
    """Another console moved the room while this one's view lagged: its press names a step already left, the
    server refuses it and nothing changes; the console says so quietly and shows the room once the state is in."""
    created = server.create_session(agenda=["three-two-one"])
    watcher = peers(server.url, "/facilitator", code=created["code"], key=created["facilitator_key"]).connect()
    console = contexts(CONSOLE).new_page()
    lag: dict[str, Any] = {"on": False, "held": [], "route": None, "upgraded": False}

    def lagging(route: Any) -> None:
        """Passes every frame on, except the states sent to the console while the lag is on."""
        lag["route"] = route
        server_side = route.connect_to_server()

        def to_page(message: str | bytes) -> None:
            if lag["on"] and isinstance(message, str) and message.startswith('42/facilitator,["state"'):
                lag["held"].append(message)
            else:
                route.send(message)

        def to_server(message: str | bytes) -> None:
            lag["upgraded"] = lag["upgraded"] or message == "5"  # Engine.IO's upgrade: from now on, all on this socket
            server_side.send(message)

        server_side.on_message(to_page)
        route.on_message(to_server)

    console.route_web_socket("**/socket.io/**", lagging)
    console.goto(f"{server.url}/console/{created['code']}#key={created['facilitator_key']}")
    expect(console.get_by_test_id("step-title")).to_have_text("People are joining")
    wait_until(lambda: console.evaluate("true") and lag["upgraded"], message="the console's socket to upgrade")

    lag["on"] = True
    assert watcher.call("next", {"from": None})["position"] == 0
    console.get_by_test_id("next").click()
    status = console.get_by_test_id("status-line")
    expect(status).to_have_text("Not moved: the room had already left the step shown here.")
    expect(status).to_have_attribute("data-kind", "note")
    expect(console.get_by_test_id("step-title")).to_have_text("People are joining")
    assert max(positions(watcher)) == 0, positions(watcher)

    lag["on"] = False
    for message in lag["held"]:
        lag["route"].send(message)
    expect(console.get_by_test_id(f"agenda-step-{step_id(watcher, 0)}")).to_have_attribute("aria-current", "step")
    assert max(positions(watcher)) == 0, positions(watcher)


def test_group_size_follows_the_protocol_and_asks_again_outside_its_range(room, peers, server, shots):
    created, console, watcher = room(["consultancy"])
    for name in ("Ana", "Ben", "Chloé"):
        peers(server.url, "/participant", code=created["code"], name=name).connect()
    expect(console.get_by_test_id("count-joined")).to_have_text("3")
    size = console.get_by_test_id("group-size")
    expect(size).to_have_value("5")  # Consultancy's own size
    expect(console.get_by_test_id("group-range")).to_have_text("Consultancy: 4 to 6 people per group")

    # What the presenter types stays through a state update (another console puts the QR code up).
    size.fill("8")
    watcher.call("show_qr", {"on": True})
    expect(console.get_by_test_id("show-qr")).to_have_attribute("aria-pressed", "true")
    expect(size).to_have_value("8")

    console.get_by_test_id("form-groups").click()
    warning = console.get_by_test_id("group-warning")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("Consultancy is made for groups of 4 to 6 people")
    expect(console.get_by_test_id("group-confirm")).to_have_text("Form groups of 8 anyway")
    assert watcher.latest("state")["groups"] == []
    expect(console.get_by_test_id("status-line")).to_have_text("")
    watcher.call("show_qr", {"on": False})  # the question and the size stay through a state update
    expect(console.get_by_test_id("show-qr")).to_have_attribute("aria-pressed", "false")
    expect(warning).to_be_visible()
    expect(size).to_have_value("8")
    assert_accessible(console, "console asking again about the group size")
    shots.take(console, "console-group-size-warning-1440x900")

    # Changing the size withdraws the question; asking again and confirming forms the groups.
    size.fill("7")
    expect(warning).to_be_hidden()
    size.fill("8")
    console.get_by_test_id("form-groups").click()
    expect(warning).to_be_visible()
    console.get_by_test_id("group-confirm").click()
    expect(console.get_by_test_id("table-1")).to_contain_text("3 people")
    expect(warning).to_be_hidden()
    formed = watcher.wait_for("state", lambda state: len(state["groups"]) == 1)
    assert formed["grouping"]["size"] == 8

    # The size used last is what the field shows after a reload; a size in range forms groups without asking.
    console.reload()
    expect(console.get_by_test_id("connection")).to_have_attribute("data-state", "connected")
    expect(size).to_have_value("8")
    size.fill("4")
    console.get_by_test_id("form-groups").click()
    expect(console.get_by_test_id("status-line")).to_have_text("1 groups formed; 3 people placed.")
    expect(warning).to_be_hidden()
    watcher.wait_for("state", lambda state: state["grouping"]["size"] == 4)
    expect(size).to_have_value("4")


def test_the_console_gives_the_join_address_the_projector_shows(room, contexts, server):
    created, console, _watcher = room(["three-two-one"])
    projector = contexts({"width": 1920, "height": 1080}).new_page()
    projector.goto(f"{server.url}/projector/{created['code']}")
    shown = projector.get_by_test_id("join-url").inner_text()
    assert shown == f"pd.riverside.example/j/{created['code']}"
    expect(console.get_by_test_id("step-prompt")).to_have_text(
        f"Put the projector on screen. People join at {shown} with the code {created['code']}."
    )
