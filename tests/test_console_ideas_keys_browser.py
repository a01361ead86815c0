"""The console's Ideas panel from the keyboard: j and k move the focus through the ideas, h hides the idea in focus
and s spotlights it, with the effect checked on a projector's Socket.IO connection; one change per press; letters
typed in a field, or pressed outside the panel, moderate nothing; the answers list keeps its keys.

Debian's Chromium through Playwright against `pathways serve`; real Socket.IO phones post the ideas.
"""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import CONSOLE, assert_accessible
from tests.support.peers import Peer
from tests.support.waiting import wait_until

pytestmark = pytest.mark.live

# The console's moderate_idea emits, each with when it was sent and when its ack came (performance.now()).
COUNT_MODERATIONS = """() => {
  window.moderations = [];
  const emit = io.Socket.prototype.emit;
  io.Socket.prototype.emit = function (event, ...args) {
    if (event !== 'moderate_idea') return emit.call(this, event, ...args);
    const entry = { payload: args[0], sent: performance.now(), answered: null };
    window.moderations.push(entry);
    const done = args[args.length - 1];
    if (typeof done === 'function') {
      args[args.length - 1] = (...reply) => { entry.answered = performance.now(); return done(...reply); };
    }
    return emit.call(this, event, ...args);
  };
}"""


def ideas_step(server: Any, peers: Any, texts: list[str], agenda: list[str] | None = None) -> dict[str, Any]:
    """A session on the affinity protocol's brainstorm, ``texts`` posted by phones (five ideas at most each), a
    console and a projector on Socket.IO watching: the ideas' ids by text."""
    created = server.create_session(agenda=agenda or ["affinity"])
    code, url = created["code"], server.url
    watcher = peers(url, "/facilitator", code=code, key=created["facilitator_key"]).connect()
    projector = peers(url, "/projector", code=code).connect()
    watcher.call("next")
    brainstorm = watcher.call("next")["step_id"]
    ids = {}
    for start in range(0, len(texts), 5):
        phone = peers(url, "/participant", code=code, name=f"Person {start // 5 + 1}").connect()
        for n, text in enumerate(texts[start : start + 5]):
            ids[text] = phone.call("post_idea", {"step_id": brainstorm, "idea_id": f"i{n}", "text": text})["idea"]
    wait_until(lambda: (board_of(projector) or {}).get("total_ideas") == len(texts), message="every idea posted")
    return {"created": created, "watcher": watcher, "projector": projector, "ids": ids}


def open_console(contexts: Any, server: Any, created: dict[str, Any], ideas: int) -> Page:
    desk = contexts(CONSOLE).new_page()
    desk.goto(f"{server.url}/console/{created['code']}#key={created['facilitator_key']}")
    expect(desk.get_by_test_id("connection")).to_have_attribute("data-state", "connected")
    expect(desk.get_by_test_id("console-idea")).to_have_count(ideas)
    desk.evaluate(COUNT_MODERATIONS)
    return desk


def board_of(projector: Peer) -> dict[str, Any] | None:
    boards = [data for name, data in projector.received if name == "ideas"]
    return boards[-1] if boards else None


def on_projector(projector: Peer, idea: int) -> bool:
    return any(shown["id"] == idea for shown in (board_of(projector) or {}).get("ranked", []))


def spotlit(projector: Peer) -> int | None:
    spotlight = (board_of(projector) or {}).get("spotlight")
    return spotlight["id"] if spotlight else None


def moderations(desk: Page) -> list[dict[str, Any]]:
    return desk.evaluate("window.moderations")


def into_the_list(desk: Page) -> None:
    """Tab from the filter box: the focus lands on the list's first idea."""
    desk.get_by_test_id("ideas-filter").focus()
    desk.keyboard.press("Tab")


def test_j_and_k_move_the_focus_through_the_ideas_in_order_each_in_sight(live_server, contexts, peers):
    texts = [f"Idea number {n:02d}: time to plan together across departments" for n in range(24)]
    step = ideas_step(live_server, peers, texts)
    desk = open_console(contexts, live_server, step["created"], len(texts))
    rows = desk.get_by_test_id("console-idea")
    shown = rows.locator(".idea-text").all_inner_texts()
    assert sorted(shown) == sorted(texts)

    into_the_list(desk)
    expect(rows.nth(0)).to_be_focused()
    ring = rows.nth(0).evaluate(
        "row => [getComputedStyle(row).outlineStyle, parseFloat(getComputedStyle(row).outlineWidth)]"
    )
    assert ring[0] == "solid" and ring[1] >= 2, f"no visible focus ring on the idea in focus: {ring}"
    desk.keyboard.press("j")
    expect(rows.nth(1)).to_be_focused()
    desk.keyboard.press("k")
    expect(rows.nth(0)).to_be_focused()
    desk.keyboard.press("k")  # the first stays the first
    expect(rows.nth(0)).to_be_focused()

    listed = desk.get_by_test_id("ideas-list").bounding_box()
    assert listed
    for n in range(1, len(texts)):
        desk.keyboard.press("j")
        expect(rows.nth(n)).to_be_focused()
        box = rows.nth(n).bounding_box()
        assert box and listed["y"] - 1 <= box["y"] and box["y"] + box["height"] <= listed["y"] + listed["height"] + 1, (
            f"idea {n} out of the list's sight: {box} in {listed}"
        )
        assert box["y"] + box["height"] <= CONSOLE["height"], f"idea {n} below the window: {box}"
    assert desk.get_by_test_id("ideas-list").evaluate("list => list.scrollTop") > 0, "the list scrolled"
    desk.keyboard.press("j")  # the last stays the last
    expect(rows.nth(len(texts) - 1)).to_be_focused()
    assert moderations(desk) == [], "moving moderated an idea"
    assert_accessible(desk, "the console's Ideas panel with an idea in focus")


def test_h_hides_and_shows_and_s_spotlights_the_idea_in_focus_once_per_press(live_server, contexts, peers):
    texts = ["Feedback students act on", "Time to plan together", "Peer observation every half term"]
    step = ideas_step(live_server, peers, texts)
    projector, ids = step["projector"], step["ids"]
    desk = open_console(contexts, live_server, step["created"], len(texts))
    row = desk.get_by_test_id("console-idea").filter(has_text="Time to plan together")
    idea = ids["Time to plan together"]
    assert on_projector(projector, idea)

    into_the_list(desk)
    place = desk.get_by_test_id("console-idea").all_inner_texts().index(row.inner_text())
    for _ in range(place):
        desk.keyboard.press("j")
    expect(row).to_be_focused()

    desk.keyboard.press("h")
    wait_until(lambda: not on_projector(projector, idea), message="the hidden idea to leave the projector's board")
    expect(row).to_have_class("idea-item is-hidden")
    expect(row).to_be_focused()  # the focus stays on it through the change
    desk.keyboard.press("h")
    wait_until(lambda: on_projector(projector, idea), message="the idea shown again on the projector's board")
    expect(row).to_have_class("idea-item is-open")

    desk.keyboard.press("s")
    wait_until(lambda: spotlit(projector) == idea, message="the spotlight on the projector")
    expect(row.get_by_test_id("idea-spotlight")).to_have_attribute("aria-pressed", "true")
    desk.keyboard.press("s")
    wait_until(lambda: spotlit(projector) is None, message="the spotlight off the projector")
    expect(row.get_by_test_id("idea-spotlight")).to_have_attribute("aria-pressed", "false")
    sent = [entry["payload"] for entry in moderations(desk)]
    assert sent == [
        {"idea": idea, "hidden": True},
        {"idea": idea, "hidden": False},
        {"idea": idea, "spotlight": True},
        {"idea": idea, "spotlight": False},
    ], sent

    # Two presses in one moment: two changes, the second sent once the first is answered, reading its result.
    desk.evaluate("window.moderations = []")
    desk.evaluate("""() => {
      for (let n = 0; n < 2; n += 1) {
        document.activeElement.dispatchEvent(new KeyboardEvent('keydown', { key: 's', bubbles: true }));
      }
    }""")
    wait_until(lambda: len(moderations(desk)) == 2 and all(e["answered"] for e in moderations(desk)),
               message="both presses answered")  # fmt: skip
    first, second = moderations(desk)
    assert [first["payload"], second["payload"]] == [
        {"idea": idea, "spotlight": True},
        {"idea": idea, "spotlight": False},
    ]
    assert second["sent"] >= first["answered"], "two changes for one idea at once"
    wait_until(lambda: spotlit(projector) is None, message="the second press to end the spotlight")
    expect(row.get_by_test_id("idea-spotlight")).to_have_attribute("aria-pressed", "false")

    # A key held down is one press.
    desk.evaluate("window.moderations = []")
    for _ in range(4):
        desk.keyboard.down("h")  # the second and later come with repeat set, as a held key's do
    desk.keyboard.up("h")
    wait_until(lambda: not on_projector(projector, idea), message="the held key to hide the idea")
    expect(row).to_have_class("idea-item is-hidden")
    assert [entry["payload"] for entry in moderations(desk)] == [{"idea": idea, "hidden": True}]


def test_letters_in_the_filter_or_outside_the_panel_moderate_no_idea_and_the_answers_keep_their_keys(
    live_server, contexts, peers
):
    texts = ["Feedback students act on", "Time to plan together"]
    step = ideas_step(live_server, peers, texts, agenda=["affinity", "what-so-what-now-what"])
    watcher, projector, ids = step["watcher"], step["projector"], step["ids"]
    desk = open_console(contexts, live_server, step["created"], len(texts))
    rows = desk.get_by_test_id("console-idea")

    # Typed in the filter box, the letters are the filter's.
    search = desk.get_by_test_id("ideas-filter")
    search.press_sequentially("s h j k")
    expect(search).to_have_value("s h j k")
    expect(search).to_be_focused()
    search.fill("plan")
    search.press("s")
    search.press("h")
    expect(search).to_have_value("plansh")
    search.fill("")
    expect(rows).to_have_count(2)
    # Outside the panel, j and k are the answers list's (none here) and h and s do nothing.
    desk.locator("#counts-heading").click()  # the focus leaves the filter box for the page
    for key in ("j", "s", "h", "k"):
        desk.keyboard.press(key)
    assert desk.evaluate("!document.getElementById('ideas-panel').contains(document.activeElement)")
    expect(rows).to_have_count(2)
    assert moderations(desk) == [], moderations(desk)
    expect(desk.locator(".idea-item.is-hidden, .idea-item.is-spotlight")).to_have_count(0)

    # In the list, the same letter acts.
    into_the_list(desk)
    expect(rows.nth(0)).to_be_focused()
    first = int(rows.nth(0).get_attribute("data-idea") or 0)
    assert first in ids.values()
    desk.keyboard.press("s")
    wait_until(lambda: spotlit(projector) == first, message="the spotlight on the projector")
    assert len(moderations(desk)) == 1

    # On an answer step the answers list's keys work as ever: j selects the first answer, s spotlights it.
    for _ in range(3):
        watcher.call("next")  # grouping, the dot vote, the priorities
    step_id = watcher.call("next")["step_id"]  # the first step of the next protocol: a text step the room sees
    expect(desk.get_by_test_id("ideas-panel")).to_be_hidden()
    phone = peers(live_server.url, "/participant", code=step["created"]["code"], name="Dee").connect()
    assert phone.call("answer", {"step_id": step_id, "answer_id": "a1", "value": "The room went quiet"})["ok"]
    expect(desk.get_by_test_id("answer")).to_have_count(1)
    since = len(watcher.received)
    desk.locator("body").press("j")
    expect(desk.get_by_test_id("answer-line")).to_be_focused()
    desk.keyboard.press("Enter")
    expect(desk.get_by_test_id("answer-line")).to_have_attribute("aria-expanded", "true")
    desk.keyboard.press("s")
    watcher.wait_for("answer", lambda a: a.get("spotlight") is True, since=since)
    expect(desk.locator(".answer .spotlight-tag")).to_be_visible()
