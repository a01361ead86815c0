"""Sharing progress in a real browser: Ana chooses on her plan page to share with her organisation and ticks a file to
show with it, sees her card as colleagues will and the wall of what Ben (her table) and Dev and Eve (the
organisation) share; the leaders see the organisation's wall; in today's session the console runs a progress round
with its keys and buttons (a double click moves once), the projector shows one large card, and Ben's phone sends
warm feedback that Ana then reads in her thread."""

import io
from pathlib import Path

import pytest
import requests
from PIL import Image
from playwright.sync_api import Locator, expect

from tests.support.browser import CONSOLE, PHONE, PROJECTOR, SMALL_PROJECTOR, Screenshots, assert_accessible
from tests.support.hall import LABEL_PX, assert_readable, chart_text_px, measure, share
from tests.support.progress_day import ANA_GOAL, join_today, note_canary, progress_day, reflection_canary

pytestmark = pytest.mark.live
WORDS = ", ".join(f"#progress-round {tag}" for tag in ("h1", "p", "span", "figcaption"))  # the card's HTML words
# Latecomers still join during a round: the corner's QR code is on top, and covers none of the card's words.
CORNER_CLEAR = """() => {
  const box = document.getElementById('corner').getBoundingClientRect();
  const onTop = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2)?.closest('#corner');
  const apart = (r) => r.right <= box.left || r.left >= box.right || r.bottom <= box.top || r.top >= box.bottom;
  const card = document.getElementById('progress-round');
  const words = [...card.querySelectorAll('h1, p, figcaption, svg')];
  return box.width > 0 && Boolean(onTop) && words.every((el) => apart(el.getBoundingClientRect()));
}"""
PRAISE = "Your running records made me want to try paired reading in 4A."


def png(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (80, 60), colour).save(out, "PNG")
    return out.getvalue()


def upload(url: str, token: str, name: str) -> dict:
    made = requests.post(f"{url}/p/{token}/evidence", files={"file": (name, png((30, 120, 90)), "image/png")},
                         timeout=10)  # fmt: skip
    assert made.status_code == 201, made.text
    return made.json()


def part(shots: Screenshots, locator: Locator, name: str) -> Path:
    """A screenshot of one part of a page, kept with the test's other screens (and copied where they are)."""
    path = shots.folder / f"{name}.png"
    locator.screenshot(path=str(path), animations="disabled")
    if shots.target is not None:
        shots.target.mkdir(parents=True, exist_ok=True)
        (shots.target / path.name).write_bytes(path.read_bytes())
    return path


def test_sharing_progress_the_wall_and_a_progress_round(live_server, peers, contexts, shots):
    day = progress_day(live_server.url, peers)
    url = day.url
    phones = {first: join_today(day, peers, first) for first in ("Ana", "Dev", "Eve")}
    for first, audience in (("Ben", "group"), ("Dev", "organisation"), ("Eve", "organisation")):
        day.tokens.setdefault(first, day.autumn_tokens[first])
        assert day.share(first, audience).status_code == 200
    eve_file = upload(url, day.tokens["Eve"], "reading log.png")
    assert requests.post(f"{url}/p/{day.tokens['Eve']}/progress/evidence/{eve_file['id']}", json={"selected": True},
                         timeout=10).status_code == 200  # fmt: skip
    upload(url, day.tokens["Ana"], "running records.png")

    # Ana's plan page: nobody sees her progress until she chooses.
    page = contexts(PHONE).new_page()
    page.goto(day.plan_url("Ana"))
    section = page.get_by_test_id("progress-sharing")
    expect(section.get_by_test_id("progress-audience-nobody")).to_be_checked()
    expect(section.get_by_test_id("progress-preview")).to_contain_text("Nobody sees this now")
    section.get_by_label("My organisation").check()
    expect(section.get_by_test_id("progress-status")).to_have_text("Saved: your organisation sees your progress.")
    section.get_by_label("running records.png").check()
    expect(section.get_by_test_id("progress-status")).to_have_text("running records.png: Shown with your progress")
    preview = section.get_by_test_id("progress-preview")
    expect(preview.get_by_test_id("progress-card-goal")).to_have_text(ANA_GOAL)
    expect(preview.get_by_test_id("progress-card-measure")).to_have_text(
        "Baseline 40% · target 80% · Latest 61% · 53% of the way to the target"
    )
    expect(preview.locator("svg.measure-chart")).to_be_visible()
    expect(preview.get_by_test_id("progress-card-file")).to_have_text("running records.png")
    group = section.get_by_test_id("progress-wall-group")
    expect(group.get_by_test_id("progress-card-name")).to_have_text(["Ben Okafor"])
    organisation = section.get_by_test_id("progress-wall-organisation")
    expect(organisation.get_by_test_id("progress-card-name")).to_have_text(["Dev Patel", "Eve Moreau"])
    link = organisation.get_by_test_id("progress-card-file")
    expect(link).to_have_text("reading log.png")
    opened = page.request.get(url + link.get_attribute("href"))
    assert opened.ok and opened.headers["content-type"].startswith("image/"), "a file shared with Ana opens for her"
    html = page.content()
    assert reflection_canary("Eve") not in html and note_canary("Ana") not in section.inner_text()
    assert_accessible(page, "the plan page's progress section")
    part(shots, section, "plan-progress-sharing")
    part(shots, section.get_by_test_id("progress-wall"), "progress-wall")

    # The leaders' wall: the organisation's cards, Ben counted (he shares with his group alone), not shown.
    leaders = contexts(CONSOLE).new_page()
    leaders.goto(f"{url}/leaders#organisation={day.organisation['id']}&key={day.organisation['key']}")
    wall = leaders.get_by_test_id("leaders-progress-wall")
    expect(wall.get_by_test_id("progress-card-name")).to_have_text(["Ana Lima", "Dev Patel", "Eve Moreau"])
    expect(wall.get_by_test_id("leaders-progress-group-count")).to_have_text(
        "1 more share with their group alone: they are counted, not shown."
    )
    with leaders.expect_download() as download:
        wall.get_by_test_id("leaders-progress-file").first.click()
    assert download.value.suggested_filename == "running records.png"
    assert_accessible(leaders, "the leaders' progress wall")
    part(shots, leaders.get_by_test_id("progress-wall-section"), "leaders-progress-wall")

    # Today's session: the projector, the console, and Ben's phone in a browser, holding his autumn plan.
    projector = contexts(PROJECTOR).new_page()
    projector.goto(f"{url}/projector/{day.today['code']}")
    console = contexts(CONSOLE).new_page()
    console.goto(f"{url}/console/{day.today['code']}#key={day.today['facilitator_key']}")
    ben = contexts(PHONE).new_page()
    ben.goto(f"{url}/p/{day.autumn_tokens['Ben']}/plan")  # this phone keeps his autumn plan
    ben.goto(f"{url}/j/{day.today['code']}")
    ben.get_by_test_id("name-input").fill("Ben Okafor")
    ben.get_by_test_id("join-button").click()
    expect(ben.get_by_test_id("lobby")).to_be_visible()

    console.get_by_test_id("progress-round-start").click()
    stage = projector.get_by_test_id("progress-round")
    expect(stage.get_by_role("heading", level=1)).to_have_text("Ana Lima")
    expect(stage.get_by_test_id("progress-card-goal")).to_have_text(ANA_GOAL)
    expect(stage.get_by_test_id("projector-round-place")).to_have_text("1 of 3")
    expect(stage.locator("svg.measure-chart")).to_be_visible()
    expect(projector.get_by_test_id("lobby")).to_be_hidden()
    assert_accessible(projector, "the projector's progress round")
    for size in (SMALL_PROJECTOR, PROJECTOR):  # from the back of a hall: every word 32 px or more, the chart large
        seen = measure(projector, size, [".progress-card-chart svg"], [WORDS])
        shots.take(projector, f"projector-progress-round-{size['width']}x{size['height']}")
        assert_readable(seen, size, {WORDS: LABEL_PX})
        words = chart_text_px(projector, "#progress-round svg.measure-chart")
        assert min(words) >= LABEL_PX, f"the chart's words are {min(words):.0f}px at {size['width']}x{size['height']}"
        assert share(seen, ".progress-card-chart svg", size) >= 0.25, "the chart uses a quarter of the screen"
        assert projector.evaluate(CORNER_CLEAR), f"the way in is hidden or covers the card at {size['width']}"

    # Ben's phone: who is featured and a warm-feedback box; "Sent" once the server kept it.
    round_box = ben.get_by_test_id("phone-progress-round")
    expect(round_box.get_by_role("heading", name="Ana Lima")).to_be_visible()
    round_box.get_by_label("Warm feedback for Ana Lima").fill(PRAISE)
    round_box.get_by_test_id("phone-round-send").click()
    expect(round_box.get_by_test_id("phone-round-status")).to_have_text("Sent to Ana Lima.")
    assert_accessible(ben, "the phone in a progress round")
    shots.take(ben, "phone-progress-round")

    # The console: a double click on Next moves once (to Dev, not past him); → moves on; ← comes back.
    expect(console.get_by_test_id("progress-round-place")).to_contain_text("1 of 3")
    console.get_by_test_id("progress-round-next").dblclick()
    expect(stage.get_by_role("heading", level=1)).to_have_text("Dev Patel")
    expect(console.get_by_test_id("progress-round-place")).to_contain_text("2 of 3")
    expect(console.get_by_test_id("progress-round-next")).to_be_enabled()  # a move settles before the next
    console.locator("body").press("ArrowRight")
    expect(stage.get_by_role("heading", level=1)).to_have_text("Eve Moreau")
    expect(console.get_by_test_id("progress-round-prev")).to_be_enabled()
    console.locator("body").press("ArrowLeft")
    expect(stage.get_by_role("heading", level=1)).to_have_text("Dev Patel")
    console.get_by_test_id("progress-round-end").click()
    expect(stage).to_be_hidden()
    expect(projector.get_by_test_id("lobby")).to_be_visible()  # the room is where it was: → and ← moved the round
    expect(round_box).to_be_hidden()

    # Ana reads the feedback in her thread, with Ben's name.
    page.goto(day.plan_url("Ana"))
    message = page.get_by_test_id("coaching-message").filter(has_text=PRAISE)
    expect(message).to_contain_text("Ben Okafor")
    expect(message).to_contain_text("Warm feedback from a colleague")
    assert phones["Ana"].all("progress_round"), "her phone followed the round too"
