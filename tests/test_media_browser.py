"""A media step in a real browser, under the app's own Content-Security-Policy: the PLC cycle's own diagram on a
phone (fitting the width, zoomed in the viewer, no page to turn) above the answer, an uploaded slide deck full screen
on the projector with the join address along its bottom edge, its pages turned from the console's keys with the phones
following, and the console's preview of it loaded."""

import io
import re
from typing import Any

import pytest
import requests
from playwright.sync_api import expect
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from tests.support.browser import CONSOLE, PHONE, PROJECTOR, assert_accessible, decode_qr, join_phone
from tests.support.results_room import open_room, protocol_toml
from tests.test_artifacts import photo

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


def font_px(element: Any) -> float:
    return element.evaluate("(node) => parseFloat(getComputedStyle(node).fontSize)")


def refusals(page: Any) -> list[str]:
    """What the page's Content-Security-Policy refuses from now on, as its console and its events report it."""
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text
            else None)  # fmt: skip
    page.add_init_script("window.refused = []; document.addEventListener('securitypolicyviolation',"
                         " (e) => window.refused.push(`${e.violatedDirective} ${e.blockedURI}`));")  # fmt: skip
    return refused


def test_a_media_step_fits_a_phone_zooms_and_fills_the_projector(live_server, peers, contexts, shots, tmp_path):
    url = live_server.url
    created = live_server.create_session(agenda=["plc-cycle"])
    code = created["code"]
    phone = contexts(PHONE).new_page()  # every screen under the app's policy: axe-core goes in without a bypass
    join_phone(phone, url, code, "Ana")
    projector = contexts(PROJECTOR).new_page()
    projector.goto(f"{url}/projector/{code}")
    desk = contexts(CONSOLE).new_page()
    refused = refusals(desk)
    desk.goto(f"{url}/console/{code}#key={created['facilitator_key']}")
    expect(desk.get_by_test_id("connection")).to_have_attribute("data-state", "connected")
    desk.get_by_test_id("next").click()
    expect(desk.get_by_test_id("media-projector")).to_have_text(re.compile(r"^On the projector: full screen"))

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
    for control in ("viewer-prev", "viewer-page", "viewer-next"):  # one page: no "Page 1 of 1", nothing to turn
        expect(phone.get_by_test_id(control)).to_be_hidden()
    width = image.bounding_box()["width"]
    image.dblclick()  # double-tap: twice the size, panning past the screen
    expect(phone.get_by_test_id("viewer-zoom")).to_have_text("200%")
    assert image.bounding_box()["width"] == pytest.approx(width * 2, rel=0.02)
    assert phone.get_by_test_id("viewer-frame").evaluate("(f) => f.scrollWidth > f.clientWidth")
    shots.take(phone, "phone-media-zoomed")
    phone.keyboard.press("Escape")
    expect(viewer).to_be_hidden()

    # The projector: the diagram full screen (the step's answers are the tables'), the step's title small above it,
    # and the way in along the bottom edge, under the page: a QR a phone reads and the address at 24 px or more.
    shown = projector.get_by_test_id("projector-media-image")
    loaded(shown)
    assert shown.bounding_box()["height"] > PROJECTOR["height"] * 0.8
    expect(projector.get_by_test_id("projector-media-title")).to_have_text("What should students learn?")
    expect(projector.get_by_test_id("step")).to_be_hidden()
    strip, slide = projector.get_by_test_id("corner"), projector.get_by_test_id("projector-media").bounding_box()
    expect(strip).to_be_visible()
    assert slide["y"] + slide["height"] <= strip.bounding_box()["y"] + 1  # nothing of the page under it
    assert strip.bounding_box()["y"] + strip.bounding_box()["height"] <= PROJECTOR["height"] + 1
    assert font_px(projector.locator(".corner-url")) >= 24
    assert decode_qr(projector, "[data-testid=corner-qr]", tmp_path) == f"{url}/j/{code}"

    # The console replaces it with a slide deck and turns its pages with the keys a clicker sends.
    desk.get_by_test_id("media-file").set_input_files(
        {"name": "Norms and agenda.pdf", "mimeType": "application/pdf", "buffer": slides_pdf()}
    )
    expect(desk.get_by_test_id("media-status")).to_have_text("Shown on the step.")
    expect(desk.get_by_test_id("media-on")).to_have_text("Page 1 of 2 on the projector and phones")
    expect(projector.get_by_test_id("projector-media-page")).to_have_text("1 / 2")
    preview = desk.get_by_test_id("media-preview")  # the page's small picture, fetched with the console's key
    desk.wait_for_function("(img) => img.getAttribute('src') && img.complete", arg=preview.element_handle())
    assert desk.evaluate("window.refused") == [] and refused == []  # the policy let the preview in
    loaded(preview)
    assert_accessible(desk, "the console with media on the step")
    shots.take(desk, "console-media")
    desk.locator("body").press("PageDown")
    expect(desk.get_by_test_id("media-on")).to_have_text("Page 2 of 2 on the projector and phones")
    expect(projector.get_by_test_id("projector-media-page")).to_have_text("2 / 2")
    expect(phone.get_by_test_id("media-page")).to_have_text("page 2 of 2")
    phone.get_by_test_id("media-zoom").click()  # two pages: the phone turns them on its own
    expect(phone.get_by_test_id("viewer-page")).to_have_text("Page 2 of 2")
    expect(phone.get_by_test_id("viewer-next")).to_be_disabled()
    phone.get_by_test_id("viewer-prev").click()
    expect(phone.get_by_test_id("viewer-page")).to_have_text("Page 1 of 2")
    phone.keyboard.press("Escape")
    expect(viewer).to_be_hidden()
    expect(desk.get_by_test_id("step-title")).to_have_text("What should students learn?")  # a page, not a step
    loaded(shown)
    assert_accessible(projector, "the projector with media full screen")
    shots.take(projector, "projector-media")
    desk.locator("body").press("PageDown")  # past the last page: the agenda moves on
    expect(desk.get_by_test_id("step-title")).not_to_have_text("What should students learn?")
    expect(projector.get_by_test_id("projector-media")).to_be_hidden()
    expect(phone.get_by_test_id("phone-media")).to_be_hidden()


def test_media_on_a_step_whose_answers_the_projector_shows_stands_beside_them(live_server, peers, contexts, shots):
    """Hide and Reveal results still show with a picture on the step, and so does the corner's way in."""
    url = live_server.url
    room = open_room(live_server, peers, protocol_toml([{"id": "held", "reveal": True}]), ["Ana", "Ben"])
    form = {"files": {"file": ("Exit ticket.jpg", photo())}, "data": {"step_id": "2:held"}}
    sent = requests.post(f"{url}/api/sessions/{room.code}/media", headers={"X-Facilitator-Key": room.key}, **form,
                         timeout=30)  # fmt: skip
    assert sent.status_code == 201, sent.text
    assert sent.json()["media"]["on_projector"] == "beside_results"
    key = room.open("held")
    room.answer("Ana", key, "Exit tickets every lesson", "a1")
    projector = contexts(PROJECTOR).new_page()
    projector.goto(f"{url}/projector/{room.code}")
    desk = contexts(CONSOLE).new_page()
    desk.goto(f"{url}/console/{room.code}#key={room.key}")
    expect(desk.get_by_test_id("media-projector")).to_have_text(re.compile(r"^On the projector: beside the room's"))

    waiting, picture = projector.get_by_test_id("results-to-come"), projector.get_by_test_id("projector-media-image")
    expect(waiting).to_be_visible()
    loaded(picture)
    corner = projector.get_by_test_id("corner")
    expect(corner).to_be_visible()
    held, beside, qr = waiting.bounding_box(), picture.bounding_box(), corner.bounding_box()
    assert held["x"] + held["width"] <= beside["x"]  # side by side, neither over the other
    assert qr["y"] + qr["height"] <= beside["y"] and beside["width"] > PROJECTOR["width"] * 0.3
    assert_accessible(projector, "the projector with media beside results held back")

    desk.get_by_test_id("reveal").click()
    expect(waiting).to_be_hidden()
    expect(projector.get_by_test_id("aggregate")).to_contain_text("tickets")
    expect(picture).to_be_visible()
    aggregate = projector.get_by_test_id("aggregate").bounding_box()
    assert aggregate["x"] + aggregate["width"] <= beside["x"] and aggregate["width"] > PROJECTOR["width"] * 0.4
    shots.take(projector, "projector-media-beside-results")
