"""The console's answers at 2,000: one line each, only what is in sight in the page, found by text, table and
state, moderated from the keyboard with the effect checked on the server and on the projector.

Debian's Chromium through Playwright against `pathways serve`, its data folder seeded with a crowded room before it
starts; real Socket.IO phones answer while the console watches, and a second console and a projector on Socket.IO
connections see what the server sends.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from facilitator.loadtest.console_crowd import Crowd, long_answer, seed_crowd
from tests.support.browser import CONSOLE, assert_accessible
from tests.support.peers import Peer
from tests.support.servers import LiveServer
from tests.support.waiting import wait_until

pytestmark = pytest.mark.live
PEOPLE = 2000
APPROVE_CHECK = """id = "approve-check"
title = "Approve check"
purpose = "Answers wait for approval."
[[steps]]
id = "hopes"
title = "Our hopes"
prompt = "One hope for today"
kind = "text"
visibility = "room-named"
approve = true
minutes = 2
"""


@pytest.fixture(scope="module")
def crowded(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Iterator[tuple[LiveServer, Crowd, Crowd, Crowd]]:
    """One server on a folder holding three sessions: 2,000 answers at 334 tables that the tests read and moderate,
    three awaiting approval, and 2,000 more that a test changes (so no test depends on another's order)."""
    data_dir = tmp_path_factory.mktemp("crowd") / "data"
    crowd = seed_crowd(data_dir, PEOPLE)
    approving = seed_crowd(data_dir, 3, APPROVE_CHECK)
    arriving = seed_crowd(data_dir, PEOPLE)
    server = LiveServer(data_dir=data_dir, engine=engine)
    server.start()
    yield server, crowd, approving, arriving
    server.stop()


def open_console(contexts: Any, server: LiveServer, crowd: Crowd) -> Page:
    console = contexts(CONSOLE).new_page()
    console.goto(f"{server.url}/console/{crowd.code}#key={crowd.key}")
    expect(console.get_by_test_id("connection")).to_have_attribute("data-state", "connected")
    return console


def watchers(peers: Any, server: LiveServer, crowd: Crowd) -> tuple[Peer, Peer]:
    console = peers(server.url, "/facilitator", code=crowd.code, key=crowd.key).connect()
    projector = peers(server.url, "/projector", code=crowd.code).connect()
    console.wait_for("state")
    projector.wait_for("state")
    return console, projector


def rows(console: Page) -> Any:
    return console.get_by_test_id("answer")


def newest_name(crowd: Crowd) -> str:
    return crowd.names[-1]  # saved together, the last to join comes first


def test_two_thousand_answers_are_one_line_each_and_only_those_in_sight_are_in_the_page(crowded, contexts, shots):
    server, crowd, *_ = crowded
    console = open_console(contexts, server, crowd)
    expect(console.get_by_test_id("answers")).to_contain_text(f"({PEOPLE})")
    expect(rows(console).first).to_contain_text(newest_name(crowd))
    in_page = rows(console).count()
    assert 10 < in_page < 80, f"{in_page} rows in the page for {PEOPLE} answers"
    heights = {round(box) for box in rows(console).evaluate_all("(rows) => rows.map((r) => r.offsetHeight)")}
    assert heights == {44}, heights  # the 1,000-character answers too: every row is one line
    assert console.get_by_test_id("answer-list").evaluate("(list) => list.offsetHeight") == PEOPLE * 44
    console.locator("#answers-heading").evaluate("(heading) => heading.scrollIntoView()")
    shots.take(console, "console-answers-2000-1440x900")

    # The oldest answer is at the foot of the list: scrolled to, it is drawn, and the top rows leave the page.
    console.locator("#answer-viewport").evaluate("(viewport) => { viewport.scrollTop = viewport.scrollHeight; }")
    expect(rows(console).filter(has_text=crowd.names[0])).to_have_count(1)
    expect(rows(console).filter(has_text=newest_name(crowd))).to_have_count(0)
    assert rows(console).count() < 80

    # A long answer opens to its whole text (in a box that scrolls past 14 lines), with its moderation.
    console.get_by_test_id("answer-search").fill(crowd.names[0])
    expect(rows(console)).to_have_count(1)
    expect(console.get_by_test_id("answers-shown")).to_have_text(f"1 of {PEOPLE} shown")
    row = rows(console).first
    assert row.evaluate("(row) => row.offsetHeight") == 44
    row.get_by_test_id("answer-line").click()
    expect(row.get_by_test_id("answer-line")).to_have_attribute("aria-expanded", "true")
    expect(row.locator(".answer-value")).to_have_text(long_answer(0))
    expect(row.get_by_role("button", name="Spotlight")).to_be_visible()
    opened = row.evaluate("(row) => row.offsetHeight")
    assert 44 < opened < 400, f"an open 1,000-character answer is {opened}px tall"
    assert_accessible(console, "the console's answers list, one open")
    console.locator("#answers-heading").evaluate("(heading) => heading.scrollIntoView()")
    shots.take(console, "console-answer-open-1440x900")


def test_answers_are_found_by_text_table_and_state_and_sorted_by_time_or_name(crowded, contexts, peers):
    server, crowd, *_ = crowded
    watcher, _projector = watchers(peers, server, crowd)
    console = open_console(contexts, server, crowd)
    expect(console.get_by_test_id("answers")).to_contain_text(f"({PEOPLE})")

    # Text: the name without its accents, then a word inside an answer.
    console.get_by_test_id("answer-search").fill("zoe odegard 1530")
    expect(rows(console)).to_have_count(1)
    expect(rows(console).first).to_contain_text("Zoë Ødegård 1530")
    console.get_by_test_id("answer-search").fill("at length")
    expect(console.get_by_test_id("answers-shown")).to_have_text(f"{PEOPLE // 40} of {PEOPLE} shown")
    console.get_by_test_id("answer-search").fill("")
    expect(console.get_by_test_id("answers-shown")).to_have_text("")

    # A table: its six people, and nobody else.
    console.get_by_test_id("answer-table").select_option(label="Table 200")
    members = {crowd.names[crowd.ids.index(pid)] for pid in crowd.tables[199]}
    expect(rows(console)).to_have_count(6)
    shown = {row.locator(".who").inner_text() for row in rows(console).all()}
    assert shown == members
    console.get_by_test_id("answer-table").select_option(label="Every table")

    # A state: hidden answers only, once one is hidden (by another console: this one follows the server).
    hidden = crowd.ids[77]
    assert watcher.call("moderate", {"participant_id": hidden, "step_id": crowd.step_key, "hidden": True})["ok"]
    console.get_by_test_id("answer-state").select_option("hidden")
    expect(rows(console)).to_have_count(1)
    expect(rows(console).first).to_contain_text(crowd.names[77])
    expect(rows(console).first.locator(".hidden-tag")).to_have_text("Hidden")
    assert watcher.call("moderate", {"participant_id": hidden, "step_id": crowd.step_key, "hidden": False})["ok"]
    expect(rows(console)).to_have_count(0)
    expect(console.get_by_test_id("answers-shown")).to_have_text("No answer matches.")
    console.get_by_test_id("answer-state").select_option("all")
    # "Waiting for approval" is offered only where answers carry approval; this step's do not.
    assert console.get_by_test_id("answer-state").locator("option[value=waiting]").is_disabled()

    # In time either way, or by name; never an order the answers cannot have (they carry no votes).
    sort = console.get_by_test_id("answer-sort")
    assert sort.locator("option").evaluate_all("(options) => options.map((o) => o.value)") == ["time", "oldest", "name"]
    sort.select_option("oldest")
    expect(rows(console).first.locator(".who")).to_have_text(crowd.names[0])
    sort.select_option("time")
    expect(rows(console).first.locator(".who")).to_have_text(newest_name(crowd))

    # By name: "Amara Okafor 1003" comes before every "Αλέξανδρος", "Юлия" and "Zoë".
    console.get_by_test_id("answer-sort").select_option("name")
    first = sorted(crowd.names, key=lambda name: name.casefold())[0]
    expect(rows(console).first.locator(".who")).to_have_text(first)


def test_keys_move_open_hide_and_spotlight_and_the_projector_follows(crowded, contexts, peers):
    server, crowd, *_ = crowded
    watcher, projector = watchers(peers, server, crowd)
    console = open_console(contexts, server, crowd)
    expect(rows(console).first).to_contain_text(newest_name(crowd))
    newest, second = crowd.ids[-1], crowd.ids[-2]

    console.locator("body").press("j")  # the first row
    line = console.locator(f"[data-focus='answer-p{newest}']")
    expect(line).to_be_focused()
    console.keyboard.press("j")
    expect(console.locator(f"[data-focus='answer-p{second}']")).to_be_focused()
    console.keyboard.press("k")
    expect(line).to_be_focused()
    console.keyboard.press("Enter")
    expect(line).to_have_attribute("aria-expanded", "true")
    expect(rows(console).first.locator(".answer-value")).to_have_text(crowd.values[newest])

    def pressed(key: str, predicate: Any) -> None:
        """Press ``key`` and wait for the answer's flags the server sends back."""
        since = len(watcher.received)
        console.keyboard.press(key)
        watcher.wait_for("answer", lambda a: a.get("participant_id") == newest and predicate(a), since=since)

    pressed("s", lambda a: a["spotlight"])
    spotlit = wait_until(lambda: spotlight_of(projector), message="the spotlight on the projector")
    assert spotlit == [{"text": crowd.values[newest]}]  # a room step: shown without the name
    expect(rows(console).first.locator(".spotlight-tag")).to_be_visible()
    expect(console.locator(f"[data-focus='answer-p{newest}']")).to_be_focused()  # the focus stays through it

    pressed("h", lambda a: a["hidden"] and not a["spotlight"])  # hiding ends the spotlight too
    wait_until(lambda: spotlight_of(projector) == [], message="the spotlight to leave the projector")
    expect(rows(console).first.locator(".hidden-tag")).to_be_visible()
    pressed("h", lambda a: not a["hidden"])
    expect(rows(console).first.locator(".hidden-tag")).to_have_count(0)

    # Letters typed in a field are the field's: nothing is moderated, and the search has them.
    heard = len(watcher.received)
    console.get_by_test_id("answer-search").press_sequentially("shaj")
    expect(console.get_by_test_id("answer-search")).to_have_value("shaj")
    console.get_by_test_id("answer-search").fill("")
    # The console's own keys still work from the list: q puts the QR code up.
    console.locator(f"[data-focus='answer-p{newest}']").focus()
    console.keyboard.press("q")
    watcher.wait_for("state", lambda state: state["show_qr"], since=heard)
    assert not [a for name, a in watcher.received[heard:] if name == "answer"], "a letter typed in a field moderated"
    console.keyboard.press("q")
    watcher.wait_for("state", lambda state: not state["show_qr"], since=heard)


def spotlight_of(projector: Peer) -> list[Any] | None:
    pictures = [data if name == "live" else data["live"] for name, data in projector.received
                if name in ("live", "state")]  # fmt: skip
    return pictures[-1].get("spotlight") if pictures else None


def test_answers_arriving_from_phones_join_the_list_at_the_top(crowded, contexts, peers):
    server, _, _, crowd = crowded
    console = open_console(contexts, server, crowd)
    expect(rows(console).first).to_contain_text(newest_name(crowd))
    console.locator("body").press("j")
    console.keyboard.press("Enter")  # the newest is open as the others arrive
    opened = crowd.ids[-1]
    phones = [peers(server.url, "/participant", code=crowd.code, token=crowd.tokens[n]).connect() for n in (5, 6, 7)]
    for n, phone in zip((5, 6, 7), phones, strict=True):
        phone.wait_for("state")
        ack = phone.call("answer", {"step_id": crowd.step_key, "answer_id": f"again-{n}", "value": f"Changed {n}"})
        assert ack["ok"], ack
    expect(rows(console).nth(0)).to_contain_text("Changed 7")
    expect(rows(console).nth(1)).to_contain_text("Changed 6")
    expect(rows(console).nth(2)).to_contain_text("Changed 5")
    expect(console.get_by_test_id("answers")).to_contain_text(f"({PEOPLE})")  # changed, not added
    open_row = rows(console).filter(has=console.locator(f"[data-focus='answer-p{opened}']"))
    expect(open_row.get_by_test_id("answer-line")).to_have_attribute("aria-expanded", "true")


def test_an_answer_waiting_for_approval_is_approved_with_a_key(crowded, contexts, peers, shots):
    server, _, approving, _ = crowded
    watcher, _projector = watchers(peers, server, approving)
    console = open_console(contexts, server, approving)
    expect(console.get_by_test_id("answers")).to_contain_text("(3)")
    expect(console.locator(".waiting-tag")).to_have_count(3)
    console.get_by_test_id("answer-state").select_option("waiting")
    expect(rows(console)).to_have_count(3)
    console.locator("#answers-heading").evaluate("(heading) => heading.scrollIntoView()")
    shots.take(console, "console-answers-approval-1440x900")

    console.locator("body").press("j")
    first = approving.ids[-1]
    expect(console.locator(f"[data-focus='answer-p{first}']")).to_be_focused()
    console.keyboard.press("a")
    watcher.wait_for("answer", lambda a: a.get("participant_id") == first and a["approved"])
    expect(rows(console)).to_have_count(2)  # it leaves the "waiting" filter

    # The button does the same, from an open row.
    second = rows(console).first
    second.get_by_test_id("answer-line").click()
    second.get_by_role("button", name="Approve").click()
    watcher.wait_for("answer", lambda a: a.get("participant_id") == approving.ids[-2] and a["approved"])
    expect(rows(console)).to_have_count(1)
    assert_accessible(console, "the console's answers waiting for approval")
