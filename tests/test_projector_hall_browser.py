"""The projector read from the back of a hall, in Chromium at 1920×1080 and 1280×720: a real session whose phones
answer over Socket.IO, and for each view the computed size of every data label and of the prompt, the share of the
screen its picture uses, a spotlighted answer or idea above every other text, nothing running off the screen (a
long text cut to whole lines with an ellipsis), the views most at risk again in Spanish and French, and a board of
60 tables turning its pages. The screenshots land in $PATHWAYS_SCREENSHOTS when set (docs/SCREENS.md)."""

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from facilitator.loadtest.phones import sample_answer
from tests.support.browser import PROJECTOR, SMALL_PROJECTOR, assert_accessible
from tests.support.hall import (
    DETAIL_PX,
    HALL_TRANSLATIONS,
    LABEL_PX,
    LONG_ANSWER,
    NON_TEXT_CONTRAST,
    PROMPT_PX,
    ROOM_IDEAS,
    ROOM_VOTES,
    assert_readable,
    contrast,
    measure,
    share,
)
from tests.support.peers import Peer

pytestmark = pytest.mark.live

SIZES = (PROJECTOR, SMALL_PROJECTOR)
STEP_FLOORS = {
    "[data-testid=prompt]": PROMPT_PX,
    "[data-testid=answered]": LABEL_PX,
    "[data-testid=countdown]": PROMPT_PX,
    ".corner-code": LABEL_PX,
    ".corner-url": DETAIL_PX,
}
CHART_SHARE = 0.5  # of the viewport's area, under a prompt of two lines and the protocol's norms
HALL = """
id = "hall"
title = "Back of the hall"
purpose = "One step of each view the projector has."
norms = ["Listen first.", "Hard on the content, soft on the people."]

[[steps]]
id = "goal"
title = "Choose your system goal"
prompt = "Which of our system goals will your work this term serve?"
kind = "goal"
visibility = "room"
minutes = 2

[[steps]]
id = "focus"
title = "Pick a focus"
prompt = "Which focus matters most for your students right now?"
kind = "choice"
options = ["Feedback students act on within the lesson", "Reading", "Belonging", "Attendance", "Talk"]
visibility = "room"
minutes = 2

[[steps]]
id = "ready"
title = "How ready are you?"
prompt = "How ready do you feel to start next week?"
kind = "scale"
min = 1
max = 5
min_label = "Not yet"
max_label = "Ready"
visibility = "room"
show_mean = true
minutes = 1

[[steps]]
id = "priorities"
title = "Order the priorities"
prompt = "Put what would help you most first."
kind = "rank"
options = ["Time", "Coaching", "Materials", "Peer visits"]
visibility = "room"
minutes = 2

[[steps]]
id = "words"
title = "In a few words"
prompt = "What will you try first with your class?"
kind = "text"
visibility = "room"
max_chars = 200
minutes = 2

[[steps]]
id = "named"
title = "One idea for the room"
prompt = "Share one idea you will try, with your name."
kind = "text"
visibility = "room-named"
max_chars = 200
minutes = 3

[[steps]]
id = "long"
title = "In full"
prompt = "Tell the room the whole story of one lesson."
kind = "text"
visibility = "room"
max_chars = 1000
minutes = 3

[[steps]]
id = "brainstorm"
title = "Ideas"
prompt = "Post your ideas: what would help our students most?"
kind = "ideas"
visibility = "room"
max_ideas = 5
votes = 0
max_chars = 280
minutes = 5

[[steps]]
id = "vote"
title = "Dot vote"
prompt = "Give your five dots to the ideas that matter most."
kind = "ideas"
visibility = "room"
vote_on = "brainstorm"
votes = 5
spread = true
minutes = 3
"""
BOARD = """
id = "tables"
title = "Table talk"
purpose = "Talk at your table."
norms = ["Listen first."]

[grouping]
size = 2
min = 2
max = 6
by = "random"

[[steps]]
id = "talk"
title = "Talk at your table"
prompt = "Tell your table about one student you want to reach."
kind = "text"
visibility = "facilitator"
minutes = 5
"""
NAMES = ["Ana Lima", "Ben Okafor", "Zoë Ødegård", "Li Wei", "Amara Nwosu", "Jonas Meyer"]
IDEAS = ["Exit tickets with feedback every Friday", "Feedback circles on Fridays", "Reading aloud with feedback",
         "Feedback from peers before marking", "Belonging circles every morning",
         "Reading buddies across grades, so older students read with younger ones every week and both talk about what "
         "they understood and what puzzled them"]  # fmt: skip
FIRST = ["Ana", "Ben", "Chloé", "Dmitri", "Esther", "Farid", "Grace", "Hamid", "Ines", "Jonas", "Kwame", "Lena"]
LAST = ["Lima", "Okafor", "Ødegård", "Papadopoulou", "Nwosu", "Meyer", "Wei", "Fernández-García", "Kowalski", "Sato"]


def assert_a_step_reads(seen: dict[str, Any], size: dict[str, int], labels: list[str], chart: str) -> None:
    """A step's screen: its data labels, prompt, count and corner at their floors, its picture over the screen."""
    assert_readable(seen, size, {**STEP_FLOORS, **{selector: LABEL_PX for selector in labels}})
    assert share(seen, chart, size) >= CHART_SHARE, f"{chart} uses {share(seen, chart, size):.0%} of the screen"
    assert seen["boxes"][chart]["width"] >= 0.9 * size["width"], f"{chart} leaves the screen's width unused"


def assert_spotlit_largest(seen: dict[str, Any], size: dict[str, int], selector: str) -> None:
    """The spotlighted text is larger than any other text on the screen."""
    spotlit = min(seen["sizes"][selector])
    others = [text for text in seen["texts"] if not text["spotlit"] and text["size"] >= spotlit]
    assert not others, f"larger than the spotlight ({spotlit}px) at {size['width']}x{size['height']}: {others}"


def step_labels(labels: list[str]) -> list[str]:
    return [*labels, *STEP_FLOORS]


def open_step(console: Peer, phones: list[Peer], step_id: str) -> tuple[str, dict[str, Any]]:
    key = f"2:{step_id}"
    assert console.call("goto", {"step_id": key})["ok"]
    assert console.call("timer", {"action": "start", "seconds": 300})["ok"]
    states = [phone.wait_for("state", lambda state: bool(state["step"]) and state["step"]["id"] == key)
              for phone in phones]  # fmt: skip
    return key, states[0]["step"]


def answer_all(phones: list[Peer], key: str, values: list[Any]) -> None:
    for n, (phone, value) in enumerate(zip(phones, values, strict=True)):
        ack = phone.call("answer", {"step_id": key, "answer_id": f"{n}-{key}", "value": value})
        assert ack["ok"], ack


def hall_session(live_server, peers, language: str = "en") -> tuple[dict[str, Any], Peer]:
    """A session of the hall protocol alone, in ``language``, and its console."""
    created = live_server.create_session(agenda=["three-two-one"], language=language)
    console = peers(live_server.url, "/facilitator", code=created["code"], key=created["facilitator_key"]).connect()
    assert console.call("agenda_add", {"toml": HALL + HALL_TRANSLATIONS, "file_name": "hall.toml"})["ok"]
    assert console.call("agenda_remove", {"item": 1})["ok"]
    return created, console


def join_the_room(live_server, peers, code: str, projector: Page) -> list[Peer]:
    phones = [peers(live_server.url, "/participant", code=code, name=name).connect() for name in NAMES]
    for phone in phones:
        phone.wait_for("welcome")
    expect(projector.locator("#joined")).to_have_text(re.compile("^6 "))
    return phones


def the_charts_read(console: Peer, phones: list[Peer], projector: Page, created: dict[str, Any], shots: Any) -> None:
    """System goals, a choice with a long option, a scale with its mean, a ranking: each at both sizes (the
    screenshots named for the session's language, English's plain)."""
    tag = "".join(f"-{code}" for code in [projector.locator("html").get_attribute("lang")] if code != "en")
    aggregate = projector.get_by_test_id("aggregate")
    for step_id, counts in (("goal", ["2", "2", "2"]), ("focus", ["2", "1", "1", "1", "1"])):
        key, step = open_step(console, phones, step_id)
        answer_all(phones, key, [sample_answer(step, created["system_goals"], n) for n in range(len(phones))])
        expect(aggregate.locator(".bar-count")).to_have_text(counts)
        for size in SIZES:
            seen = measure(projector, size, [".bars"], step_labels([".bar-label", ".bar-count"]))
            assert_a_step_reads(seen, size, [".bar-label", ".bar-count"], ".bars")
            fills = projector.locator(".bar-fill").evaluate_all("(bars) => bars.map((bar) => bar.offsetWidth)")
            assert max(fills) >= 0.4 * size["width"], f"the longest bar is {max(fills)}px wide"
            label_lines = aggregate.locator(".bar-label").first.evaluate(
                "(label) => label.clientHeight / parseFloat(getComputedStyle(label).lineHeight)"
            )
            assert step_id == "goal" or label_lines > 1.9, f"the long option has {label_lines:.1f} lines"
            join, code = (projector.locator(f".corner-{part}").bounding_box() for part in ("label", "code"))
            assert join["y"] < code["y"] + code["height"] and code["y"] < join["y"] + join["height"], (
                "Join, code: a line"
            )
    shots.take(projector, f"projector-choice-long-label{tag}-1280x720")

    key, step = open_step(console, phones, "ready")
    answer_all(phones, key, [3, 4, 4, 5, 2, 4])
    expect(aggregate.locator(".column-count")).to_have_text(["0", "1", "1", "3", "1"])
    expect(projector.get_by_test_id("mean")).to_contain_text(re.compile(r"3[.,]7"))
    histogram = [".column-count", ".column-label", ".histogram-ends span", ".histogram-mean span"]
    for size in SIZES:
        seen = measure(projector, size, [".histogram-view", ".column-track", ".mean-value", ".mean-count"],
                       step_labels(histogram))  # fmt: skip
        assert_a_step_reads(seen, size, histogram, ".histogram-view")
        assert seen["boxes"][".column-track"]["height"] >= 0.3 * size["height"], "the columns use the screen's height"
        mean, count = seen["boxes"][".mean-value"], seen["boxes"][".mean-count"]
        assert count["top"] >= mean["bottom"] - 1, "the count of answers stands on its own line, under the mean"
        shots.take(projector, f"projector-scale{tag}-{size['width']}x{size['height']}")

    key, step = open_step(console, phones, "priorities")
    answer_all(phones, key, [sample_answer(step, created["system_goals"], n) for n in range(len(phones))])
    expect(aggregate.locator(".bar-label")).to_have_count(4)
    for size in SIZES:
        seen = measure(projector, size, [".bars"], step_labels([".bar-label", ".bar-count"]))
        assert_a_step_reads(seen, size, [".bar-label", ".bar-count"], ".bars")
    shots.take(projector, f"projector-ranking{tag}-1280x720")


IDEA_LABELS = [".idea-text", ".idea-votes", ".idea-place"]
IDEA_FLOORS = {selector: floor for selector, floor in STEP_FLOORS.items() if selector != "[data-testid=answered]"}


def the_ideas_read(console: Peer, phones: list[Peer], projector: Page, shots: Any) -> None:
    """Ten ideas ranked by votes, whole at both sizes (those that do not fit left out from the foot), each vote's bar
    in sight; then the longest idea spotlighted, the largest text on the screen above the room's top three."""
    key, _ = open_step(console, phones, "brainstorm")
    posted = []
    for n, text in enumerate(ROOM_IDEAS):
        ack = phones[n % len(phones)].call("post_idea", {"step_id": key, "idea_id": f"idea-{n}", "text": text})
        assert ack["ok"], ack
        posted.append(ack["idea"])
    key, _ = open_step(console, phones, "vote")
    ballot = [idea for idea, votes in zip(posted, ROOM_VOTES, strict=True) for _ in range(votes)]
    for n, idea in enumerate(ballot):
        ack = phones[n % len(phones)].call("vote", {"step_id": key, "vote_id": f"vote-{n}", "idea": idea})
        assert ack["ok"], ack
    rows = projector.get_by_test_id("projector-idea")
    expect(rows).to_have_count(len(ROOM_IDEAS))
    every_vote = re.compile(rf"^{len(ROOM_IDEAS)} \S+ · {sum(ROOM_VOTES)} ")  # "10 ideas · 28 votes", counted
    expect(projector.get_by_test_id("ideas-totals")).to_have_text(every_vote)
    expect(rows.first).to_contain_text(ROOM_IDEAS[1][:30])
    for spotlit in (False, True):
        if spotlit:
            assert console.call("moderate_idea", {"idea": posted[2], "spotlight": True})["ok"]
            expect(projector.get_by_test_id("idea-spotlight")).to_have_text(ROOM_IDEAS[2])
        for size in SIZES:
            labels = [*IDEA_LABELS, *IDEA_FLOORS, *([".idea-spotlight"] if spotlit else [])]
            seen = measure(projector, size, [".idea-ranking"], labels)
            assert_readable(seen, size, {**IDEA_FLOORS, **{selector: LABEL_PX for selector in IDEA_LABELS}})
            shown = rows.evaluate_all("(rows) => rows.map((row) => !row.hidden)")
            whole = shown.count(True)
            assert shown == [True] * whole + [False] * (len(shown) - whole), f"a gap in the ranking: {shown}"
            assert whole >= (3 if spotlit else 4), f"{whole} ideas at {size['width']}x{size['height']}"
            assert seen["boxes"][".idea-ranking"]["width"] >= 0.9 * size["width"], "the ranking uses the width"
            bars = rows.locator(".idea-bar").evaluate_all("""(bars) => bars.filter((bar) => !bar.closest('[hidden]'))
              .map((bar) => ({ width: bar.offsetWidth, colour: getComputedStyle(bar).backgroundColor }))""")
            paper = projector.evaluate("getComputedStyle(document.body).backgroundColor")
            assert min(bar["width"] for bar in bars) >= 0.05 * size["width"], f"a vote's bar is hard to see: {bars}"
            assert min(contrast(bar["colour"], paper) for bar in bars) >= NON_TEXT_CONTRAST, bars
            if spotlit:
                assert min(seen["sizes"][".idea-spotlight"]) >= projector.locator(".projector").evaluate(
                    "(stage) => parseFloat(getComputedStyle(stage).getPropertyValue('--spotlight-floor'))"
                )
                assert_spotlit_largest(seen, size, ".idea-spotlight")
            shots.take(projector, f"projector-ideas-ten{'-spotlight' * spotlit}-{size['width']}x{size['height']}")
    assert_accessible(projector, "the projector's ranking of ideas with one spotlighted")


def test_every_view_reads_from_the_back_of_the_hall(live_server, peers, contexts, shots):
    created, console = hall_session(live_server, peers)
    code = created["code"]
    projector = contexts(PROJECTOR).new_page()
    projector.goto(f"{live_server.url}/projector/{code}")
    expect(projector.get_by_test_id("join-code")).to_have_text(code)

    # The lobby: the QR code most of the screen's height, the address and the join code huge.
    for size in SIZES:
        seen = measure(projector, size, ["[data-testid=qr]"], ["[data-testid=join-url]", "[data-testid=join-code]"])
        assert_readable(seen, size, {"[data-testid=join-url]": PROMPT_PX, "[data-testid=join-code]": 80})
        assert seen["boxes"]["[data-testid=qr]"]["height"] >= 0.7 * size["height"]
    phones = join_the_room(live_server, peers, code, projector)
    ids = {phone.latest("welcome")["participant_id"]: name for phone, name in zip(phones, NAMES, strict=True)}
    expect(projector.get_by_test_id("joined")).to_have_text("6 joined")
    the_charts_read(console, phones, projector, created, shots)
    assert_accessible(projector, "the projector's bars for a rank step")

    # Words: a cloud over the room's space, sized by count, and the latest answers large beneath it (a long one cut
    # to its three lines).
    aggregate = projector.get_by_test_id("aggregate")
    key, _ = open_step(console, phones, "words")
    answer_all(phones, key, IDEAS)
    expect(aggregate.locator(".answers li")).to_have_count(len(IDEAS))
    expect(aggregate.locator(".word", has_text=re.compile("^feedback$"))).to_have_count(1)
    for size in SIZES:
        seen = measure(projector, size, [".words-view"], step_labels([".word", ".answers li"]))
        assert_a_step_reads(seen, size, [".word", ".answers li"], ".words-view")
        assert any(text["clamped"] for text in seen["texts"]), "the long answer is cut to its lines"
        words = seen["sizes"][".word"]
        assert max(words) >= 2 * min(words), f"the cloud's words are {sorted(words)}px: not sized by count"
        biggest = aggregate.locator(".word", has_text=re.compile("^feedback$")).evaluate(
            "(word) => parseFloat(getComputedStyle(word).fontSize)")  # fmt: skip
        assert biggest == max(words), "the most frequent word is the largest"
    shots.take(projector, "projector-words-1280x720")

    # A named step: names with the latest answers; then a spotlighted one, larger than anything else on screen.
    key, _ = open_step(console, phones, "named")
    answer_all(phones, key, [f"{idea}, from {name}" for idea, name in zip(IDEAS, NAMES, strict=True)])
    expect(aggregate.locator(".named li")).to_have_count(len(NAMES))
    for size in SIZES:
        seen = measure(projector, size, [".words-view"], step_labels([".named li", ".named strong"]))
        assert_a_step_reads(seen, size, [".named li", ".named strong"], ".words-view")
    shots.take(projector, "projector-named-1280x720")
    ben = next(participant for participant, name in ids.items() if name == "Ben Okafor")
    assert console.call("moderate", {"participant_id": ben, "step_id": key, "spotlight": True})["ok"]
    expect(projector.get_by_test_id("spotlight")).to_contain_text("Feedback circles on Fridays, from Ben Okafor")
    for size in SIZES:
        seen = measure(projector, size, ["#step-room"], step_labels([".spotlit-text", ".word"]))
        assert_a_step_reads(seen, size, [".spotlit-text", ".word"], "#step-room")
        assert_spotlit_largest(seen, size, ".spotlit-text")
    shots.take(projector, "projector-spotlight-1280x720")
    assert_accessible(projector, "the projector with a spotlighted answer")

    # A spotlighted answer of 1,000 characters: at its floor, cut to whole lines with an ellipsis.
    key, _ = open_step(console, phones, "long")
    answer_all(phones, key, [LONG_ANSWER if name == "Ben Okafor" else f"A short story from {name}" for name in NAMES])
    assert console.call("moderate", {"participant_id": ben, "step_id": key, "spotlight": True})["ok"]
    expect(projector.get_by_test_id("spotlight")).to_contain_text(LONG_ANSWER[:40])
    for size in SIZES:
        seen = measure(projector, size, ["#step-room"], step_labels([".spotlit-text", ".word"]))
        assert_a_step_reads(seen, size, [".spotlit-text", ".word"], "#step-room")
        assert_spotlit_largest(seen, size, ".spotlit-text")
        assert [text["clamped"] for text in seen["texts"] if text["spotlit"]] == [True], "cut to its lines with …"
        shots.take(projector, f"projector-spotlight-long-{size['width']}x{size['height']}")

    the_ideas_read(console, phones, projector, shots)

    # "QR on projector" and the end: the way in, and the thank-you, whole at both sizes.
    assert console.call("show_qr", {"on": True})["ok"]
    expect(projector.get_by_test_id("qr-big")).to_be_visible()
    for size in SIZES:
        seen = measure(projector, size, [], [".qr-big .join-url", ".qr-big .lobby-code"])
        assert_readable(seen, size, {".qr-big .join-url": PROMPT_PX, ".qr-big .lobby-code": 80})
    shots.take(projector, "projector-qr-1280x720")
    assert console.call("show_qr", {"on": False})["ok"]
    assert console.call("next")["phase"] == "ended"
    expect(projector.get_by_test_id("ended")).to_be_visible()
    for size in SIZES:
        seen = measure(projector, size, [], [".ended-text", ".corner-url"])
        assert_readable(seen, size, {".ended-text": PROMPT_PX, ".corner-url": DETAIL_PX})


@pytest.mark.parametrize("language", ["es", "fr"])
def test_the_views_most_at_risk_read_in_spanish_and_french(live_server, peers, contexts, shots, language):
    """Longer words: the corner's "Join", an option's label, the mean's line, the ideas' totals and counts."""
    created, console = hall_session(live_server, peers, language)
    projector = contexts(PROJECTOR).new_page()
    projector.goto(f"{live_server.url}/projector/{created['code']}")
    expect(projector.locator("html")).to_have_attribute("lang", language)
    phones = join_the_room(live_server, peers, created["code"], projector)
    the_charts_read(console, phones, projector, created, shots)
    the_ideas_read(console, phones, projector, shots)


def test_sixty_tables_turn_their_pages_and_stay_readable(live_server, peers, contexts, shots):
    created = live_server.create_session(agenda=["three-two-one"])
    code = created["code"]
    console = peers(live_server.url, "/facilitator", code=code, key=created["facilitator_key"]).connect()
    assert console.call("agenda_add", {"toml": BOARD, "file_name": "tables.toml"})["ok"]
    assert console.call("agenda_remove", {"item": 1})["ok"]
    # 120 people join and put their phones away: the tables are formed of everyone who joined.
    for n in range(120):
        phone = peers(live_server.url, "/participant", code=code, name=f"{FIRST[n % 12]} {LAST[n // 12]}").connect()
        phone.wait_for("welcome")
        phone.disconnect()
    formed = console.call("form_groups", {"size": 2})
    assert formed["ok"] and formed["groups"] == 60, formed
    assert console.call("goto", {"step_id": "2:talk"})["ok"]

    projector = contexts(PROJECTOR).new_page()
    projector.goto(f"{live_server.url}/projector/{code}")
    board = projector.get_by_test_id("board")
    expect(board.get_by_test_id("board-table")).to_have_count(60)
    tables = board.get_by_test_id("board-table")
    for size in SIZES:
        seen = measure(projector, size, [".board"],
                       step_labels([".board-table h3", ".board-table li", ".board-page"]))  # fmt: skip
        floors = {".board-table h3": LABEL_PX, ".board-table li": DETAIL_PX, ".board-page": LABEL_PX}
        assert_readable(seen, size, floors)
        assert share(seen, ".board", size) >= CHART_SHARE
        page = re.fullmatch(r"Tables 1–(\d+) · page 1 of (\d+)", projector.get_by_test_id("board-page").inner_text())
        assert page, projector.get_by_test_id("board-page").inner_text()
        per_page, pages = int(page[1]), int(page[2])
        assert 2 <= pages <= 8, f"{per_page} tables on the first page, {pages} pages"
        shown = tables.evaluate_all("(cards) => cards.filter((card) => !card.hidden).map((card) => card.dataset.table)")
        assert shown == [str(n) for n in range(1, per_page + 1)]
        shots.take(projector, f"projector-tables-60-{size['width']}x{size['height']}")
        # The next page comes by itself, with the next tables.
        second = re.compile(rf"Tables {per_page + 1}–\d+ · page 2 of {pages}")
        expect(projector.get_by_test_id("board-page")).to_have_text(second, timeout=20_000)
        expect(tables.nth(per_page)).to_be_visible()
        expect(tables.nth(0)).to_be_hidden()
    assert_accessible(projector, "the projector's board of 60 tables")
