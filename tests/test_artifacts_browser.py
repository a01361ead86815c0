"""Student work in a real browser: the round's presenter shares a PDF from their phone's file chooser, a table-mate
opens it full screen and zooms and turns its pages, and the console puts a photo up that the projector shows."""

import io
from typing import Any

import pytest
from PIL import Image, ImageDraw, ImageFont
from playwright.sync_api import expect
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from tests.support.browser import CONSOLE, PHONE, PROJECTOR, SMALL_PHONE, assert_accessible, join_phone

pytestmark = pytest.mark.live

ESSAY = [
    "The water cycle",
    "Water goes up from the sea when the sun heats it. This is called evaporation.",
    "Then it makes clouds because the air is cold up high and the water turns back",
    "into little drops. When the drops get heavy they fall as rain or snow.",
    "The rain goes into rivers and back to the sea, and it starts again.",
    "I think the sun is the most important part because without heat nothing moves.",
]


def essay_pdf() -> bytes:
    """Two pages of a student's writing, as a scanner would give them."""
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    for number in (1, 2):
        page.setFont("Helvetica-Bold", 26)
        page.drawString(60, 760, ESSAY[0] if number == 1 else "The water cycle (continued)")
        page.setFont("Helvetica", 17)
        for line, text in enumerate(ESSAY[1:] * 3):
            page.drawString(60, 710 - line * 34, text[:62])
        page.drawString(60, 80, f"Maya, grade 5 · page {number} of 2")
        page.showPage()
    page.save()
    return out.getvalue()


def exit_tickets_photo() -> bytes:
    """A photo of a class's exit tickets, tallied: what a facilitator puts up for the room."""
    image = Image.new("RGB", (1600, 1000), (252, 250, 242))
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=54)
    draw.text((80, 60), "Exit tickets: fractions, week 3", fill=(30, 40, 60), font=font)
    for row, (label, count) in enumerate([("Got it", 14), ("Nearly", 9), ("Not yet", 5)]):
        top = 220 + row * 220
        draw.text((80, top + 40), label, fill=(30, 40, 60), font=font)
        draw.rectangle((420, top, 420 + count * 70, top + 150), fill=(11, 110, 79))
        draw.text((440 + count * 70, top + 40), str(count), fill=(30, 40, 60), font=font)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def test_a_presenter_shares_work_that_a_table_mate_zooms_into_and_the_projector_shows_the_room_s(
    live_server, peers, contexts, shots
):
    url = live_server.url
    created = live_server.create_session(agenda=[{"id": "atlas-student-work", "rounds": 3}])
    code = created["code"]
    console = peers(url, "/facilitator", code=code, key=created["facilitator_key"]).connect()
    phones = {}
    for name, size in (("Ana", PHONE), ("Ben", SMALL_PHONE), ("Cy", PHONE)):
        phones[name] = contexts(size).new_page()
        join_phone(phones[name], url, code, name)
    assert console.call("form_groups", {"size": 3, "confirm": True})["ok"]
    assert console.call("next", {"from": None})["ok"]
    state = console.wait_for("state", lambda s: (s["step"] or {}).get("id") == "1:getting-started" and s["groups"])
    roles = {m["name"]: m["role"]["id"] for m in state["groups"][0]["members"]}
    presenter = phones[next(name for name, role in roles.items() if role == "presenting-teacher")]
    mate = phones[next(name for name, role in roles.items() if role == "participant")]  # Ben at 320 px, or another

    share = presenter.get_by_test_id("artifact-share")
    expect(share).to_be_visible()
    expect(mate.get_by_test_id("artifact-share")).to_be_hidden()  # only the presenter shares
    chooser = presenter.get_by_test_id("artifact-input")
    assert chooser.get_attribute("accept") == "image/*,application/pdf" and chooser.get_attribute("capture") is None
    with presenter.expect_file_chooser() as chosen:
        share.locator("label").click()
    chosen.value.set_files({"name": "Maya water cycle.pdf", "mimeType": "application/pdf", "buffer": essay_pdf()})
    expect(presenter.get_by_test_id("artifact-status")).to_have_text("Shared with your table.")
    expect(presenter.get_by_test_id("artifact-remove")).to_be_visible()

    card = mate.get_by_test_id("artifact-table")
    expect(card).to_contain_text("Maya water cycle.pdf")
    thumbs = card.get_by_test_id("artifact-page")
    expect(thumbs).to_have_count(2)
    expect(card.get_by_test_id("artifact-remove")).to_have_count(0)  # not the mate's to take down
    _loaded(thumbs.nth(1).locator("img"))
    assert_accessible(mate, "the phone with student work")
    mate.get_by_test_id("step-prompt").evaluate("(prompt) => window.scrollTo(0, prompt.offsetTop - 70)")
    shots.take(mate, "phone-artifact")

    thumbs.first.click()
    viewer = mate.get_by_test_id("artifact-viewer")
    expect(viewer).to_be_visible()
    expect(mate.get_by_test_id("viewer-page")).to_have_text("Page 1 of 2")
    image = mate.get_by_test_id("viewer-image")
    _loaded(image)
    width = image.bounding_box()["width"]
    mate.get_by_test_id("viewer-zoom-in").click()
    mate.get_by_test_id("viewer-zoom-in").click()
    expect(mate.get_by_test_id("viewer-zoom")).to_have_text("200%")
    assert image.bounding_box()["width"] == pytest.approx(width * 2, rel=0.02)
    frame = mate.get_by_test_id("viewer-frame")
    assert frame.evaluate("(f) => f.scrollWidth > f.clientWidth")  # zoomed past the screen: it pans
    assert_accessible(mate, "the zoomed viewer")
    shots.take(mate, "phone-artifact-zoomed")
    mate.keyboard.press("-")
    expect(mate.get_by_test_id("viewer-zoom")).to_have_text("150%")
    mate.keyboard.press("ArrowRight")
    expect(mate.get_by_test_id("viewer-page")).to_have_text("Page 2 of 2")
    expect(image).to_have_attribute("alt", "Maya water cycle.pdf, page 2 of 2")
    expect(mate.get_by_test_id("viewer-next")).to_be_disabled()
    mate.keyboard.press("Escape")
    expect(viewer).to_be_hidden()
    assert mate.evaluate("document.activeElement.dataset.testid") == "artifact-page"  # focus back where it was

    # The console puts a photo up for the room: every phone and the projector show it.
    projector = contexts(PROJECTOR).new_page()
    projector.goto(f"{url}/projector/{code}")
    desk = contexts(CONSOLE).new_page()
    desk.goto(f"{url}/console/{code}#key={created['facilitator_key']}")
    expect(desk.get_by_test_id("artifact-panel")).to_be_visible()
    expect(desk.get_by_test_id("console-artifact-table")).to_contain_text("Maya water cycle.pdf")
    desk.get_by_test_id("artifact-file").set_input_files(
        {"name": "Exit tickets, week 3.jpg", "mimeType": "image/jpeg", "buffer": exit_tickets_photo()}
    )
    expect(desk.get_by_test_id("artifact-console-status")).to_have_text("Shown to the room.")
    expect(desk.get_by_test_id("console-artifact-room")).to_contain_text("Exit tickets, week 3.jpg")
    _loaded(desk.get_by_test_id("console-artifact-room").locator("img"))
    assert_accessible(desk, "the console with student work")
    shots.take(desk, "console-artifact")
    shown = projector.get_by_test_id("projector-artifact-image")
    expect(shown).to_be_visible()
    _loaded(shown)
    assert shown.bounding_box()["height"] > 500  # a room can read it
    assert_accessible(projector, "the projector with student work")
    shots.take(projector, "projector-artifact")
    for page in phones.values():
        expect(page.get_by_test_id("artifact-room")).to_contain_text("Exit tickets, week 3.jpg")

    # The presenter takes theirs down: it leaves the table's phones.
    presenter.once("dialog", lambda dialog: dialog.accept())
    presenter.get_by_test_id("artifact-remove").click()
    expect(mate.get_by_test_id("artifact-table")).to_have_count(0)
    expect(desk.get_by_test_id("console-artifact-table")).to_have_count(0)


def _loaded(image: Any) -> None:
    """Wait for an <img> to have its picture (a broken one has no natural width)."""
    expect(image).to_be_visible()
    image.page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle())
