"""The console's "upload a protocol file" in Chromium (1440x900): a .zip of a protocol and its media, chosen twice
at once, is sent once and its protocol shows in the agenda with its media on its step; a refused zip's problems show
on the status line as a refused .toml's do."""

import base64

import pytest
from playwright.sync_api import expect

from tests.support.browser import CONSOLE
from tests.test_protocol_bundle import zipped  # the same zips the checks are tested with
from tests.test_protocol_bundle_live import PROTOCOL, png, two_page_pdf

pytestmark = pytest.mark.live

CHOOSE_TWICE = """(input, [data, name]) => {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const chosen = new DataTransfer();
  chosen.items.add(new File([bytes], name, { type: 'application/zip' }));
  input.files = chosen.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
  input.dispatchEvent(new Event('change', { bubbles: true }));  // a second choice before the first is answered
}"""


def test_a_protocol_zip_uploaded_from_the_console_joins_the_agenda_with_its_media(live_server, contexts, tmp_path):
    created = live_server.create_session(agenda=["three-two-one"])
    desk = contexts(CONSOLE).new_page()
    posts: list[str] = []
    desk.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    desk.goto(f"{live_server.url}/console/{created['code']}#key={created['facilitator_key']}")
    expect(desk.get_by_test_id("connection")).to_have_attribute("data-state", "connected")
    desk.locator("#agenda-add summary").click()
    upload = desk.get_by_test_id("upload-file")
    assert ".zip" in upload.get_attribute("accept")

    # Refused: a step names a file the zip lacks. The status line says so, as for a .toml; the agenda stays.
    broken = tmp_path / "broken.zip"
    broken.write_bytes(zipped({"cycle.toml": PROTOCOL, "media/cycle.png": png()}))
    upload.set_input_files(str(broken))
    status = desk.get_by_test_id("status-line")
    expect(status).to_contain_text("there is no file 'media/evidence.pdf' in the zip")
    expect(status).to_have_attribute("data-kind", "error")
    expect(desk.get_by_test_id("agenda-step-2:cycle")).to_have_count(0)

    # Accepted, though chosen twice at once: one upload, the protocol at the end of the agenda, its media on it.
    good = zipped({"cycle.toml": PROTOCOL, "media/cycle.png": png(), "media/evidence.pdf": two_page_pdf()})
    posts.clear()
    upload.evaluate(CHOOSE_TWICE, [base64.b64encode(good).decode(), "inquiry.zip"])
    expect(status).to_have_text("“Our inquiry cycle” added to the end of the agenda.")
    expect(desk.get_by_test_id("agenda-step-2:cycle")).to_be_visible()
    expect(desk.get_by_test_id("agenda-step-2:evidence")).to_be_visible()
    assert [url for url in posts if url.endswith("/agenda/protocol")] == [
        f"{live_server.url}/api/sessions/{created['code']}/agenda/protocol"
    ]
    expect(upload).to_be_enabled()  # ready for the next file
    media_choices = desk.get_by_test_id("media-step").locator("option")
    expect(media_choices.filter(has_text="The evidence ▣")).to_have_count(1)  # the console knows the step's media
