"""A protocol uploaded as a zip with its media, on ``pathways serve`` with a real console and projector: a refused
zip changes nothing (no agenda change, no file in the data folder); a good one puts the protocol in every screen's
agenda with a PNG and a two-page PDF on its steps, whose pages the console, then the projector, are served; deleting
the session takes its files."""

import io
from pathlib import Path

import pytest
import requests
from PIL import Image
from reportlab.pdfgen import canvas

from tests.support.admin import admin_headers
from tests.test_protocol_bundle import zipped  # the same zips the checks are tested with

pytestmark = pytest.mark.live

PROTOCOL = """id = "inquiry-cycle"
title = "Our inquiry cycle"
purpose = "See the cycle, then the evidence."

[[steps]]
id = "cycle"
title = "The cycle"
prompt = "Look at the cycle."
kind = "none"
visibility = "room"
media = "media/cycle.png"

[[steps]]
id = "talk"
title = "Talk"
prompt = "Where are we in it?"
kind = "text"
visibility = "facilitator"

[[steps]]
id = "evidence"
title = "The evidence"
prompt = "Read both pages."
kind = "none"
visibility = "room"
media = "media/evidence.pdf"
"""


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (30, 90, 160)).save(out, "PNG")
    return out.getvalue()


def two_page_pdf() -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    for number in (1, 2):
        page.drawString(72, 720, f"Evidence, page {number}")
        page.showPage()
    page.save()
    return out.getvalue()


def kept(data_dir: Path) -> list[Path]:
    media = data_dir / "media"
    return sorted(path for path in media.rglob("*") if path.is_file()) if media.exists() else []


def test_a_zip_adds_its_protocol_and_media_for_every_screen_and_a_refused_one_keeps_nothing(live_server, peers):
    url = live_server.url
    created = live_server.create_session(agenda=["plc-cycle"])
    code, key = created["code"], {"X-Facilitator-Key": created["facilitator_key"]}
    console = peers(url, "/facilitator", code=code, key=created["facilitator_key"]).connect()
    projector = peers(url, "/projector", code=code).connect()
    console.wait_for("state")
    address = f"{url}/api/sessions/{code}/agenda/protocol"

    # Refused: the PDF step's file is a picture named as a PDF. The PNG before it passed, and nothing is kept.
    lying = zipped({"cycle.toml": PROTOCOL, "media/cycle.png": png(), "media/evidence.pdf": png()})
    since = len(console.received)
    refused = requests.post(address, files={"file": ("cycle.zip", lying)}, headers=key, timeout=30)
    assert refused.status_code == 400 and refused.json()["code"] == "file_mismatch", refused.text
    assert "'media/evidence.pdf' in the zip" in refused.json()["error"]
    session = requests.get(f"{url}/api/sessions/{code}", headers=admin_headers(), timeout=10).json()
    assert [item["protocol"] for item in session["agenda"]] == ["plc-cycle"]
    assert kept(live_server.data_dir) == []
    assert [name for name, _ in console.received[since:] if name == "state"] == []  # no screen heard of a change

    # Accepted: every screen gets the new agenda, and the steps their media.
    good = zipped({"inquiry/cycle.toml": PROTOCOL, "inquiry/media/cycle.png": png(),
                   "inquiry/media/evidence.pdf": two_page_pdf()})  # fmt: skip
    heard = len(projector.received)
    sent = requests.post(address, files={"file": ("inquiry.zip", good)}, headers=key, timeout=60)
    assert sent.status_code == 201, sent.text
    item = sent.json()["item"]
    assert sent.json()["title"] == "Our inquiry cycle"
    state = console.wait_for("state", lambda s: any(it["item"] == item for it in s["items"]))
    assert [it["title"] for it in state["items"]][-1] == "Our inquiry cycle"
    media = state["media"]
    assert media[f"{item}:cycle"]["pages"] == 1 and media[f"{item}:cycle"]["kind"] == "image"
    assert media[f"{item}:evidence"]["pages"] == 2 and media[f"{item}:evidence"]["source"] == "upload"
    assert f"{item}:talk" not in media
    projector.wait_for("state", since=heard)  # the projector is sent the room's picture again, as after agenda_add
    for step, pages in (("cycle", 1), ("evidence", 2)):
        for number in range(1, pages + 1):
            page = requests.get(f"{url}/api/sessions/{code}/media/{item}:{step}/pages/{number}", headers=key,
                                timeout=10)  # fmt: skip
            assert page.status_code == 200 and page.headers["Content-Type"].startswith("image/"), (step, number)
        past = requests.get(f"{url}/api/sessions/{code}/media/{item}:{step}/pages/{pages + 1}", headers=key, timeout=10)
        assert past.status_code == 404
    assert len(kept(live_server.data_dir)) == 2 * 3  # three pages, each with its small picture

    # The room opens the PDF step: the projector is sent it and served its second page.
    assert console.call("goto", {"step_id": f"{item}:evidence"})["ok"]
    projector.wait_for("state", lambda s: (s.get("media") or {}).get("step") == f"{item}:evidence")
    projected = requests.get(f"{url}/projector/{code}/media/{item}:evidence/pages/2", timeout=10)
    assert projected.status_code == 200

    # Deleting the session deletes the zip's files, as it does the console's uploads.
    deleted = requests.delete(f"{url}/api/sessions/{code}", headers=admin_headers(), timeout=10)
    assert deleted.status_code in (200, 204), deleted.text
    assert kept(live_server.data_dir) == []
