"""Scripts, styles and pages go out gzip-compressed to browsers that ask for it, byte for byte the same inside."""

import gzip

from tests.support import ROOT


def test_a_script_is_sent_compressed_to_a_browser_that_accepts_gzip_and_plain_to_one_that_does_not(client):
    on_disk = (ROOT / "static/js/phone/main.js").read_bytes()
    compressed = client.get("/static/js/phone/main.js", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert compressed.status_code == 200 and compressed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed.headers["Vary"]
    assert gzip.decompress(compressed.data) == on_disk
    assert len(compressed.data) < len(on_disk) / 2
    plain = client.get("/static/js/phone/main.js")
    assert "Content-Encoding" not in plain.headers and plain.data == on_disk


def test_pages_are_compressed_and_what_is_already_small_or_binary_is_left_alone(client, create_session):
    created = create_session()
    page = client.get(f"/j/{created['code']}", headers={"Accept-Encoding": "gzip"})
    assert page.headers["Content-Encoding"] == "gzip" and b"<html" in gzip.decompress(page.data)
    health = client.get("/healthz", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in health.headers and health.get_json() == {"ok": True}
    font = client.get("/static/fonts/DejaVuSans.ttf", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in font.headers
