"""The console's group board at 334 tables: compact, quick (a table's people come into the page only near sight),
and searchable by a person's name or a table's number; a person found is moved as before.

Debian's Chromium through Playwright against `pathways serve`, its data folder seeded with 2,000 people at tables
of six before it starts; a second console on a Socket.IO connection sees what the server sends.
"""

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from facilitator.loadtest.console_crowd import Crowd, seed_crowd
from tests.support.browser import CONSOLE, assert_accessible
from tests.support.servers import LiveServer

pytestmark = pytest.mark.live
PEOPLE = 2000
TABLES = 334  # 2,000 at tables of six


@pytest.fixture(scope="module")
def crowded(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Iterator[tuple[LiveServer, Crowd]]:
    data_dir = tmp_path_factory.mktemp("board") / "data"
    crowd = seed_crowd(data_dir, PEOPLE, answered=False)
    server = LiveServer(data_dir=data_dir, engine=engine)
    server.start()
    yield server, crowd
    server.stop()


def test_three_hundred_tables_are_compact_and_only_those_near_sight_hold_their_people(crowded, contexts, shots):
    server, crowd = crowded
    console = contexts(CONSOLE).new_page()
    console.goto(f"{server.url}/console/{crowd.code}#key={crowd.key}")
    board = console.get_by_test_id("group-board")
    expect(board.locator(".table")).to_have_count(TABLES)
    expect(console.get_by_test_id("table-1")).to_contain_text(crowd.names[0])
    filled, options = board.evaluate(
        "(b) => [b.querySelectorAll('.member').length, b.querySelectorAll('option').length]"
    )
    assert 0 < filled < PEOPLE / 5, f"{filled} people in the page for {PEOPLE}"
    assert options == filled  # each menu holds its own table until it is used
    box = console.get_by_test_id("group-board").bounding_box()
    assert box and box["height"] <= 900, f"the board is {box} on a 900-px screen: it scrolls inside itself"

    # Scrolled to the end, the last tables get their people.
    board.evaluate("(board) => { board.scrollTop = board.scrollHeight; }")
    expect(console.get_by_test_id(f"table-{TABLES}")).to_contain_text(crowd.names[-1])
    console.locator("#groups-heading").evaluate("(heading) => heading.scrollIntoView()")
    shots.take(console, "console-board-334-tables-1440x900")
    assert_accessible(console, "the console's board of 334 tables")


def test_a_person_or_a_table_is_found_and_moved(crowded, contexts, peers, shots):
    server, crowd = crowded
    watcher = peers(server.url, "/facilitator", code=crowd.code, key=crowd.key).connect()
    watcher.wait_for("state")
    console = contexts(CONSOLE).new_page()
    console.goto(f"{server.url}/console/{crowd.code}#key={crowd.key}")
    board = console.get_by_test_id("group-board")
    expect(board.locator(".table")).to_have_count(TABLES)

    # A name, typed without its accents, finds the one table it sits at, the person marked.
    someone = crowd.names[1530]  # "Zoë Ødegård 1530", at table 256
    console.get_by_test_id("board-search").fill("zoe odegard 1530")
    expect(board.locator(".table")).to_have_count(1)
    found = console.get_by_test_id("table-256")
    expect(found.locator("mark")).to_have_text(someone)
    expect(console.get_by_test_id("board-found")).to_have_text(f"1 table of {TABLES}")
    console.locator("#groups-heading").evaluate("(heading) => heading.scrollIntoView()")
    shots.take(console, "console-board-search-1440x900")

    # Part of a name finds every table with someone of it; a number finds that table.
    console.get_by_test_id("board-search").fill("Kwame")
    kwame_tables = {n + 1 for n, table in enumerate(crowd.tables)
                    if any("Kwame" in crowd.names[crowd.ids.index(pid)] for pid in table)}  # fmt: skip
    expect(console.get_by_test_id("board-found")).to_have_text(f"{len(kwame_tables)} tables of {TABLES}")
    expect(board.locator(".table")).to_have_count(len(kwame_tables))
    console.get_by_test_id("board-search").fill("300")
    expect(board.locator(".table")).to_have_count(1)
    expect(console.get_by_test_id("table-300")).to_be_visible()
    console.get_by_test_id("board-search").fill("nobody here")
    expect(board.locator(".table")).to_have_count(0)
    expect(console.get_by_test_id("board-found")).to_have_text("No table has anyone called “nobody here”.")

    # Found, then moved: the server seats them at the new table and the search follows them there.
    console.get_by_test_id("board-search").fill("zoe odegard 1530")
    heard = len(watcher.received)
    menu = console.get_by_label(f"Move {someone} to")
    expect(menu.locator("option")).to_have_count(1)  # a menu of every table comes in only when it is used
    menu.focus()
    expect(menu.locator("option")).to_have_count(TABLES + 1)
    expect(menu).to_have_value("256")
    menu.select_option(label="Table 3")
    moved = watcher.wait_for("state", lambda state: someone in names_at(state, 3), since=heard)
    assert someone not in names_at(moved, 256)
    expect(console.get_by_test_id("table-3").locator("mark")).to_have_text(someone)
    expect(board.locator(".table")).to_have_count(1)


def names_at(state: dict, table: int) -> list[str]:
    return [member["name"] for group in state["groups"] if group["table"] == table for member in group["members"]]
