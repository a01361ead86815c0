"""Evidence on the plan page, in a real browser: the file chooser (the phone's camera) uploads a photo that is then
listed, and a refused file says why beside the chooser."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.support.browser import PHONE

pytestmark = pytest.mark.live


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (2400, 1800), (30, 90, 160)).save(out, "JPEG")
    return out.getvalue()


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 40), (200, 20, 20)).save(out, "PNG")
    return out.getvalue()


def test_the_plan_page_s_chooser_uploads_a_photo_and_shows_why_a_file_is_refused(live_server, peers, contexts, shots):
    created = live_server.create_session()
    phone = peers(live_server.url, "/participant", code=created["code"], name="Ana").connect()
    token = phone.wait_for("welcome")["token"]
    page = contexts(PHONE).new_page()
    page.goto(f"{live_server.url}/p/{token}/plan")
    chooser = page.get_by_test_id("evidence-input")
    assert chooser.get_attribute("accept") == "image/*,application/pdf"
    assert chooser.get_attribute("capture") is None  # a phone offers its files too: a PDF can be chosen
    camera = page.get_by_test_id("evidence-camera")
    assert (camera.get_attribute("accept"), camera.get_attribute("capture")) == ("image/*", "environment")
    expect(page.get_by_test_id("evidence-none")).to_be_visible()

    chooser.set_input_files({"name": "exit tickets.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()})
    expect(page.get_by_test_id("evidence-status")).to_have_text("Added.")
    expect(page.get_by_test_id("evidence-link")).to_have_text(["exit tickets.jpg"])
    expect(page.get_by_test_id("evidence-error")).to_be_hidden()
    page.get_by_test_id("evidence").scroll_into_view_if_needed()
    shots.take(page, "plan-evidence-390")

    chooser.set_input_files({"name": "rubric.pdf", "mimeType": "application/pdf", "buffer": _png()})
    expect(page.get_by_test_id("evidence-error")).to_have_text(
        "This file is named as a PDF but is a photo: choose the PDF itself."
    )
    expect(page.get_by_test_id("evidence-link")).to_have_text(["exit tickets.jpg"])

    with page.expect_response(lambda response: response.url.endswith("/share")) as shared:
        page.get_by_test_id("evidence-share").check()
    assert shared.value.ok
    page.reload()
    expect(page.get_by_test_id("evidence-share")).to_be_checked()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("evidence-delete").click()
    expect(page.get_by_test_id("evidence-none")).to_be_visible()
