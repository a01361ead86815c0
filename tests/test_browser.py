"""A whole session as people run it, in real browsers: a console, a projector and three phones.

Debian's Chromium is driven by Playwright; the phones join by reading the projector's QR code; axe-core checks
every screen; the screenshots land in the test's folder (and in $PATHWAYS_SCREENSHOTS when set).
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import (
    CONSOLE,
    PHONE,
    PROJECTOR,
    SMALL_PHONE,
    SMALL_PROJECTOR,
    Screenshots,
    assert_accessible,
    decode_qr,
)

pytestmark = pytest.mark.live

PHONE_FIRST_LOAD_BUDGET = 100 * 1024  # bytes on the wire: HTML, CSS, JS and the Socket.IO client
EVERY_KIND = """
id = "every-kind"
title = "Every kind of step"
purpose = "One step of each kind, as a day might use them."
norms = ["Listen first.", "Hard on the content, soft on the people."]

[grouping]
size = 3
min = 2
max = 4
by = "random"

[[roles]]
id = "reporter"
title = "Reporter"
count = 1
notes = "Shares the table's idea with the room."

[[roles]]
id = "member"
title = "Member"
rest = true

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
options = ["Feedback", "Reading", "Belonging"]
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
minutes = 1

[[steps]]
id = "priorities"
title = "Order the priorities"
prompt = "Put what would help you most first."
kind = "rank"
options = ["Time", "Coaching", "Materials"]
visibility = "room"
minutes = 2

[[steps]]
id = "idea"
title = "One idea for the room"
prompt = "Share one idea you will try, with your name."
kind = "text"
visibility = "room-named"
max_chars = 200
minutes = 3

[[steps]]
id = "actions"
title = "Your action steps"
prompt = "List one to three action steps, each with a target date."
notes = "Steps should be small enough to start next week."
kind = "list"
dated = true
min_items = 1
max_items = 3
visibility = "facilitator"
minutes = 4

[[steps]]
id = "check-in"
title = "When will you check in?"
prompt = "Pick the day you will look at your plan again."
kind = "date"
visibility = "private"
minutes = 1
"""
NAMES = ["Ana", "Ben", "Zoë Ødegård"]


def answer_on_phone(page: Page, kind: str, n: int) -> None:
    """Answer the open step the way a person would: taps and typing, then Save, then wait for "Saved"."""
    if kind == "goal":
        page.get_by_test_id("answer-goal").nth(n % 2).click()
    elif kind == "choice":
        page.get_by_test_id("answer-option").nth(0 if n < 2 else 2).click()
    elif kind == "scale":
        heights = [box["height"] for box in page.get_by_test_id("answer-scale").evaluate_all(
            "(nodes) => nodes.map((node) => node.getBoundingClientRect().toJSON())")]  # fmt: skip
        assert min(heights) >= 44, f"scale buttons are {min(heights)}px tall: too small to tap"
        if n == 2:  # the third phone answers with the keyboard alone: 4 with Space, Tab past 5 to Save, Enter
            page.get_by_test_id("answer-scale").nth(3).focus()
            page.keyboard.press("Space")
            expect(page.get_by_test_id("answer-scale").nth(3)).to_have_attribute("aria-pressed", "true")
            page.keyboard.press("Tab")
            page.keyboard.press("Tab")
            expect(page.get_by_test_id("submit")).to_be_focused()
            page.keyboard.press("Enter")
            expect(page.get_by_test_id("saved-mark")).to_be_visible()
            return
        page.get_by_test_id("answer-scale").nth(n + 2).click()
    elif kind == "rank":
        items = page.get_by_test_id("rank-item")
        expect(items).to_have_count(3)
        page.get_by_test_id("rank-down").first.click()  # Time goes below Coaching
        if n == 1:
            page.get_by_test_id("rank-up").last.press("Enter")  # and, by keyboard, Materials above Time
        expected = ["Coaching", "Materials", "Time"] if n == 1 else ["Coaching", "Time", "Materials"]
        expect(items).to_have_text([re.compile(label) for label in expected])
    elif kind == "text":
        page.get_by_test_id("answer-text").fill(f"Feedback circles every Friday, from {NAMES[n]}")
    elif kind == "list":
        page.get_by_test_id("answer-item").first.fill("Set up a peer feedback rota")
        page.get_by_test_id("answer-item-date").first.fill("2027-03-01")
        if n == 0:  # lists add and remove items
            page.get_by_test_id("add-item").click()
            page.get_by_test_id("answer-item").nth(1).fill("Visit a colleague's class")
            page.get_by_test_id("answer-item-date").nth(1).fill("2027-04-12")
            page.get_by_test_id("add-item").click()
            expect(page.get_by_test_id("answer-item")).to_have_count(3)
            page.get_by_test_id("remove-item").nth(2).click()
            expect(page.get_by_test_id("answer-item")).to_have_count(2)
    elif kind == "date":
        page.get_by_test_id("answer-date").fill("2027-05-20")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("saved-mark")).to_be_visible()


def test_a_whole_session_in_real_browsers(live_server, contexts, shots, tmp_path):
    created = live_server.create_session(agenda=["three-two-one"])
    code = created["code"]
    console = contexts(CONSOLE).new_page()
    projector = contexts(PROJECTOR).new_page()
    phone_viewports = [PHONE, PHONE, SMALL_PHONE]
    phones = [contexts(viewport, accept_downloads=True).new_page() for viewport in phone_viewports]

    # The projector, while people arrive: the QR code, the address, the code in big type, the count.
    projector.goto(f"{live_server.url}/projector/{code}")
    expect(projector.get_by_test_id("join-code")).to_have_text(code)
    expect(projector.get_by_test_id("joined")).to_have_text("0 joined")
    assert_accessible(projector, "projector lobby")
    shots.take(projector, "projector-lobby-1920x1080")
    projector.set_viewport_size(SMALL_PROJECTOR)
    shots.take(projector, "projector-lobby-1280x720")
    projector.set_viewport_size(PROJECTOR)

    # The console: upload a protocol file, then skip the protocol the session was made with.
    console.goto(f"{live_server.url}/console/{code}#key={created['facilitator_key']}")
    expect(console.get_by_test_id("connection")).to_have_attribute("data-state", "connected")
    protocol_file = tmp_path / "every-kind.toml"
    protocol_file.write_text(EVERY_KIND, encoding="utf-8")
    console.locator("#agenda-add summary").click()
    console.get_by_test_id("upload-file").set_input_files(str(protocol_file))
    expect(console.get_by_test_id("agenda-step-2:goal")).to_be_visible()
    console.get_by_test_id("rounds-2").select_option("2")  # a protocol ahead can run for more rounds…
    expect(console.get_by_test_id("agenda-step-2:goal@2")).to_be_visible()
    shots.take(console, "console-lobby-1440x900")
    console.get_by_test_id("rounds-2").select_option("1")  # …or fewer
    expect(console.get_by_test_id("agenda-step-2:goal@2")).to_have_count(0)
    console.once("dialog", lambda dialog: dialog.accept())
    console.get_by_test_id("item-remove-1").click()
    expect(console.get_by_test_id("agenda-step-1:learned")).to_have_count(0)

    # Phones join by reading the projector's QR code, exactly as a camera would.
    join_url = decode_qr(projector, "[data-testid=qr]", tmp_path)
    assert join_url == f"{live_server.url}/j/{code}"
    for n, (phone, name) in enumerate(zip(phones, NAMES, strict=True)):
        phone.goto(join_url)
        expect(phone.get_by_test_id("name-input")).to_be_visible()
        if n == 0:
            assert_accessible(phone, "phone name form")
            shots.take(phone, "phone-join-390")
        phone.get_by_test_id("name-input").fill(name)
        phone.get_by_test_id("join-button").click()
        expect(phone.get_by_test_id("lobby")).to_contain_text(f"You're in, {name}")
    expect(projector.get_by_test_id("joined")).to_have_text("3 joined")
    expect(console.get_by_test_id("count-joined")).to_have_text("3")

    # Groups from the console: one table of three, shown on each phone; roles come with the protocol's steps.
    console.get_by_test_id("group-size").fill("3")
    console.get_by_test_id("form-groups").click()
    expect(console.get_by_test_id("table-1")).to_contain_text("3 people")
    for phone in phones:
        expect(phone.get_by_test_id("group")).to_contain_text("Table 1")

    # Moving a person: Ben to a new table, then back (each menu is labelled with the person it moves).
    console.get_by_label("Move Ben to").select_option(label="A new table")
    expect(console.get_by_test_id("table-2")).to_contain_text("Ben")
    expect(phones[1].get_by_test_id("group")).to_contain_text("Table 2")
    console.get_by_label("Move Ben to").select_option(label="Table 1")
    expect(console.get_by_test_id("table-1")).to_contain_text("Ben")

    steps = [("2:goal", "goal"), ("2:focus", "choice"), ("2:ready", "scale"), ("2:priorities", "rank"),
             ("2:idea", "text"), ("2:actions", "list"), ("2:check-in", "date")]  # fmt: skip
    console.locator("body").press("ArrowRight")  # → opens the first step
    expect(console.get_by_test_id("table-1")).to_contain_text("Reporter")
    expect(phones[0].get_by_test_id("group")).to_contain_text(re.compile("Your role: (Reporter|Member)"))
    for index, (step_id, kind) in enumerate(steps):
        expect(console.get_by_test_id(f"agenda-step-{step_id}")).to_have_attribute("aria-current", "step")
        title = console.get_by_test_id("step-title").inner_text()
        expect(projector.get_by_test_id("step-title")).to_have_text(title)
        if index == 0:
            prompt_px = projector.get_by_test_id("prompt").evaluate(
                "(node) => parseFloat(getComputedStyle(node).fontSize)"
            )
            assert prompt_px >= 40, f"the projector's prompt is {prompt_px}px at 1080p"
        if kind in ("goal", "list"):
            expect(console.get_by_test_id("waiting-names")).to_have_text(", ".join(sorted(NAMES, key=str.casefold)))
        for n, phone in enumerate(phones):
            expect(phone.get_by_test_id("step-title")).to_have_text(title)
            if n == 0 and kind in ("goal", "rank", "list"):
                assert_accessible(phone, f"phone {kind} step")
            answer_on_phone(phone, kind, n)
            if n == 0:
                shots.take(phones[0], f"phone-{kind}-390", full_page=True)
            if n == 2 and kind in ("scale", "rank", "list"):
                shots.take(phones[2], f"phone-{kind}-320", full_page=True)
        expect(console.get_by_test_id("count-answered")).to_have_text("3")
        expect(projector.get_by_test_id("answered")).to_have_text("3 of 3 answered")
        check_the_room(console, projector, kind, shots)
        if index == 0:
            assert_accessible(console, "console during a step")
            assert_accessible(projector, "projector during a step")
        # The previous move has settled (presses within it are dropped as a clicker's double fire, by design).
        expect(console.get_by_test_id("next")).to_be_enabled()
        if index % 2:
            console.get_by_test_id("next").click()
        else:
            console.locator("body").press("ArrowRight")

    # The end: every phone offers its plan as a PDF, and it downloads.
    expect(console.get_by_test_id("step-title")).to_have_text("The session has ended")
    expect(projector.get_by_test_id("ended")).to_be_visible()
    for n, phone in enumerate(phones):
        expect(phone.get_by_test_id("ended")).to_contain_text(f"Thank you, {NAMES[n]}")
        with phone.expect_download() as download_info:
            phone.get_by_test_id("pdf-link").click()
        pdf = Path(download_info.value.path()).read_bytes()
        assert pdf.startswith(b"%PDF") and len(pdf) > 1000
    phones[0].get_by_test_id("menu").click()
    phones[0].get_by_test_id("menu-plan").click()
    expect(phones[0].get_by_test_id("plan-participant")).to_have_text("Ana")  # "My plan so far"
    phones[0].go_back()
    expect(phones[0].get_by_test_id("ended")).to_be_visible()
    shots.take(phones[0], "phone-ended-390")
    shots.take(projector, "projector-ended-1920x1080")

    foreign = {url for url in contexts.requested if not url.startswith((live_server.url, "blob:", "data:"))}
    assert not foreign, f"the pages fetched from elsewhere: {sorted(foreign)}"


def check_the_room(console: Page, projector: Page, kind: str, shots: Screenshots) -> None:
    """What the projector (and the console) show once all three have answered a step of ``kind``."""
    aggregate = projector.get_by_test_id("aggregate")
    if kind == "goal":
        expect(aggregate.locator(".bar-count")).to_have_text(["2", "1", "0"])
        expect(aggregate.locator(".bar-label").first).to_have_text("Every student reads fluently by grade 3")
        shots.take(projector, "projector-goals-1920x1080")
        shots.take(console, "console-step-1440x900")
    elif kind == "choice":
        expect(aggregate.locator(".bar-count")).to_have_text(["2", "0", "1"])
        projector.set_viewport_size(SMALL_PROJECTOR)
        shots.take(projector, "projector-choice-1280x720")
        projector.set_viewport_size(PROJECTOR)
    elif kind == "scale":
        expect(aggregate.locator(".column-count")).to_have_text(["0", "0", "1", "2", "0"])
        shots.take(projector, "projector-scale-1920x1080")
    elif kind == "rank":
        # Coaching is first for everyone (3 × 3 points); Time 2 + 1 + 2, Materials 1 + 2 + 1.
        expect(aggregate.locator(".bar-label")).to_have_text(["1. Coaching", "2. Time", "3. Materials"])
        expect(aggregate.locator(".bar-count")).to_have_text(["9", "5", "4"])
    elif kind == "text":
        expect(aggregate.locator(".word").first).to_be_visible()
        expect(aggregate.locator(".named")).to_contain_text("Zoë Ødegård")
        answer = console.get_by_test_id("answer").filter(has_text="from Ben")
        answer.get_by_test_id("answer-line").click()  # an answer opens to its moderation
        answer.get_by_role("button", name="Spotlight").click()
        spotlight = projector.get_by_test_id("spotlight")
        expect(spotlight).to_contain_text("Feedback circles every Friday, from Ben")
        expect(spotlight).to_contain_text("Ben")
        expect(answer.get_by_role("button", name="End spotlight")).to_have_attribute("aria-pressed", "true")
        shots.take(projector, "projector-spotlight-1920x1080")
        shots.take(console, "console-moderation-1440x900")
        # Hiding by keyboard alone: the focus stays on the button through the re-render, so Enter undoes it.
        zoe = console.get_by_test_id("answer").filter(has_text="from Zoë")
        zoe.get_by_test_id("answer-line").click()
        zoe.get_by_role("button", name="Hide from projector").focus()
        console.keyboard.press("Enter")
        expect(aggregate.locator(".named")).not_to_contain_text("Zoë Ødegård")
        expect(zoe.get_by_role("button", name="Show on projector")).to_be_focused()
        console.keyboard.press("Enter")
        expect(aggregate.locator(".named")).to_contain_text("Zoë Ødegård")
    elif kind == "list":
        # Facilitator-only answers: names on the console, the tables on the projector, no answer there.
        expect(console.get_by_test_id("answer")).to_have_count(3)
        expect(projector.get_by_test_id("board")).to_contain_text("Reporter")
        expect(projector.locator("body")).not_to_contain_text("peer feedback rota")
        shots.take(projector, "projector-tables-1920x1080")
        console.get_by_test_id("presenter-safe").click()
        expect(console.get_by_test_id("answers")).to_be_hidden()
        expect(console.get_by_test_id("waiting")).to_be_hidden()
        expect(console.get_by_test_id("step-notes")).to_be_hidden()
        assert "Ana" not in console.locator("main").inner_text()
        shots.take(console, "console-presenter-safe-1440x900")
        console.get_by_test_id("presenter-safe").click()
        expect(console.get_by_test_id("answers")).to_be_visible()
        # q puts the QR code up full size for latecomers, and it still reads back to the join address.
        console.locator("body").press("q")
        expect(projector.get_by_test_id("qr-big")).to_be_visible()
        shots.take(projector, "projector-qr-1920x1080")
        console.locator("body").press("q")
        expect(projector.get_by_test_id("qr-big")).to_be_hidden()
    elif kind == "date":
        expect(console.get_by_test_id("answers")).to_contain_text("Answers to this step are private")
        expect(console.get_by_test_id("answer")).to_have_count(0)
        expect(projector.locator("body")).not_to_contain_text("2027")


def test_the_phone_first_load_fits_its_budget(live_server, contexts):
    """What a phone fetches before the name form shows, as transferred, against the README's budget."""
    created = live_server.create_session()
    page = contexts(PHONE).new_page()
    page.goto(f"{live_server.url}/j/{created['code']}")
    expect(page.get_by_test_id("name-input")).to_be_visible()
    page.wait_for_load_state("load")
    entries = page.evaluate(
        "() => [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]"
        ".map((e) => ({name: e.name, type: e.initiatorType, bytes: e.transferSize}))"
    )
    files = [entry for entry in entries if entry["type"] in ("navigation", "link", "script", "css", "img")]
    names = {urlsplit(entry["name"]).path for entry in files}
    assert {"/static/vendor/socket.io.min.js", "/static/js/phone/main.js", "/static/css/phone.css"} <= names
    assert all(entry["bytes"] > 0 for entry in files), files  # every file really came over the network
    total = sum(entry["bytes"] for entry in files)
    assert total <= PHONE_FIRST_LOAD_BUDGET, f"the phone's first load is {total} bytes: {files}"
