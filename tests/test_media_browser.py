"""A media step in a real browser: the PLC cycle's own diagram on a phone (fitting the width, zoomed in the viewer)
above the answer, an uploaded slide deck full screen on the projector, its pages turned from the console's keys
with the phones following."""

import io
from typing import Any

import pytest
from playwright.sync_api import expect
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from tests.support.browser import CONSOLE, PHONE, PROJECTOR, assert_accessible, join_phone

pytestmark = pytest.mark.live

SLIDES = [("Our norms", ["Assume good intent", "Stay curious", "Step up, step back"]),
          ("Today", ["The PLC cycle", "Goals and plans", "Check-in date"])]  # fmt: skip


def slides_pdf() -> bytes:
    """Two landscape slides, as a presenter's deck gives them."""
    out = io.BytesIO()
    size = landscape(A4)
    page = canvas.Canvas(out, pagesize=size)
    for title, points in SLIDES:
        page.setFont("Helvetica-Bold", 44)
        page.drawString(60, size[1] - 110, title)
        page.setFont("Helvetica", 30)
        for line, point in enumerate(points):
            page.drawString(90, size[1] - 200 - line * 60, f"• {point}")
        page.showPage()
    page.save()
    return out.getvalue()


def loaded(image: Any) -> None:
    expect(image).to_be_visible()
    image.page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle())


def test_a_media_step_fits_a_phone_zooms_and_fills_the_projector(live_server, peers, contexts, shots):
    url = live_server.url
    created = live_server.create_session(agenda=["plc-cycle"])
    code = created["code"]
    phone = contexts(PHONE, bypass_csp=True).new_page()
    join_phone(phone, url, code, "Ana")
    projector = contexts(PROJECTOR, bypass_csp=True).new_page()
    projector.goto(f"{url}/projector/{code}")
    desk = contexts(CONSOLE, bypass_csp=True).new_page()
    desk.goto(f"{url}/console/{code}#key={created['facilitator_key']}")
    expect(desk.get_by_test_id("connection")).to_have_attribute("data-state", "connected")
    desk.get_by_test_id("next").click()

    # The phone: the protocol's diagram fitting the width, the step's words and answer around it.
    media = phone.get_by_test_id("media-image")
    loaded(media)
    box = media.bounding_box()
    assert box["width"] >= PHONE["width"] - 60  # the page's width, less its margins
    expect(phone.get_by_test_id("step-title")).to_have_text("What should students learn?")
    assert_accessible(phone, "the phone with media on the step")
    shots.take(phone, "phone-media")
    phone.get_by_test_id("media-zoom").click()
    viewer = phone.get_by_test_id("artifact-viewer")
    expect(viewer).to_be_visible()
    image = phone.get_by_test_id("viewer-image")
    loaded(image)
    width = image.bounding_box()["width"]
    image.dblclick()  # double-tap: twice the size, panning past the screen
    expect(phone.get_by_test_id("viewer-zoom")).to_have_text("200%")
    assert image.bounding_box()["width"] == pytest.approx(width * 2, rel=0.02)
    assert phone.get_by_test_id("viewer-frame").evaluate("(f) => f.scrollWidth > f.clientWidth")
    shots.take(phone, "phone-media-zoomed")
    phone.keyboard.press("Escape")
    expect(viewer).to_be_hidden()

    # The projector: the diagram full screen, the step's title small above it.
    shown = projector.get_by_test_id("projector-media-image")
    loaded(shown)
    assert shown.bounding_box()["height"] > PROJECTOR["height"] * 0.8
    expect(projector.get_by_test_id("projector-media-title")).to_have_text("What should students learn?")
    expect(projector.get_by_test_id("step")).to_be_hidden()

    # The console replaces it with a slide deck and turns its pages with the keys a clicker sends.
    desk.get_by_test_id("media-file").set_input_files(
        {"name": "Norms and agenda.pdf", "mimeType": "application/pdf", "buffer": slides_pdf()}
    )
    expect(desk.get_by_test_id("media-status")).to_have_text("Shown on the step.")
    expect(desk.get_by_test_id("media-on")).to_have_text("Page 1 of 2 on the projector and phones")
    expect(projector.get_by_test_id("projector-media-page")).to_have_text("1 / 2")
    assert_accessible(desk, "the console with media on the step")
    shots.take(desk, "console-media")
    desk.locator("body").press("PageDown")
    expect(desk.get_by_test_id("media-on")).to_have_text("Page 2 of 2 on the projector and phones")
    expect(projector.get_by_test_id("projector-media-page")).to_have_text("2 / 2")
    expect(phone.get_by_test_id("media-page")).to_have_text("page 2 of 2")
    expect(desk.get_by_test_id("step-title")).to_have_text("What should students learn?")  # a page, not a step
    loaded(shown)
    assert_accessible(projector, "the projector with media full screen")
    shots.take(projector, "projector-media")
    desk.locator("body").press("PageDown")  # past the last page: the agenda moves on
    expect(desk.get_by_test_id("step-title")).not_to_have_text("What should students learn?")
    expect(projector.get_by_test_id("projector-media")).to_be_hidden()
    expect(phone.get_by_test_id("phone-media")).to_be_hidden()
