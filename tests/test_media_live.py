"""Media over real sockets, on ``pathways serve``: the projector and two phones get the PLC cycle's own image on its
first step, then an uploaded PDF in its place, and follow every page the console turns; a phone that comes back
is sent the page the room is on; slides added one by one after the open activity run in the order added."""

import io

import pytest
import requests
from reportlab.pdfgen import canvas

pytestmark = pytest.mark.live


def deck(pages: int) -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    for number in range(1, pages + 1):
        page.drawString(72, 720, f"Norms, slide {number}")
        page.showPage()
    page.save()
    return out.getvalue()


def _media(state: dict) -> dict:
    return state.get("media") or {}


def test_the_projector_and_two_phones_follow_the_media_and_its_pages(live_server, peers):
    url = live_server.url
    created = live_server.create_session(agenda=["plc-cycle"])
    code, key = created["code"], {"X-Facilitator-Key": created["facilitator_key"]}
    console = peers(url, "/facilitator", code=code, key=created["facilitator_key"]).connect()
    projector = peers(url, "/projector", code=code).connect()
    phones = []
    for name in ("Ana", "Ben"):
        phone = peers(url, "/participant", code=code, name=name).connect()
        phones.append((phone, phone.wait_for("welcome")["token"]))
    assert console.call("next", {"from": None})["ok"]

    # The protocol's own image, with the answer box below it (a text step).
    for phone, token in phones:
        step = phone.wait_for("step", lambda s: _media(s).get("step") == "1:know")
        assert _media(step)["source"] == "protocol" and step["step"]["kind"] == "text"  # the answer below it
        page = requests.get(f"{url}/p/{token}/media/1:know/pages/1", timeout=10)
        assert page.status_code == 200 and page.headers["Content-Type"] == "image/jpeg"
    projector.wait_for("state", lambda s: _media(s).get("source") == "protocol")

    # An uploaded PDF in its place: everyone is sent it, then every page the console turns.
    sent = requests.post(f"{url}/api/sessions/{code}/media", files={"file": ("norms.pdf", deck(3))}, headers=key,
                         timeout=30)  # fmt: skip
    assert sent.status_code == 201, sent.text
    version = sent.json()["media"]["version"]
    screens = [(projector, "state"), *((phone, "step") for phone, _ in phones)]  # phones hear the room's broadcast
    for screen, event in screens:
        screen.wait_for(event, lambda s: _media(s).get("version") == version and _media(s).get("pages") == 3)
    for page in (2, 3, 2):
        before = [len(screen.received) for screen, _ in screens]
        assert console.call("media_page", {"page": page}) == {"ok": True, "page": page}
        for (screen, event), since in zip(screens, before, strict=True):
            screen.wait_for(event, lambda s, page=page: _media(s).get("page") == page, since=since)
    projected = requests.get(f"{url}/projector/{code}/media/1:know/pages/2", timeout=10)
    assert projected.status_code == 200 and projected.headers["Content-Type"] == "image/jpeg"

    # A phone that comes back is on the room's page; the next step shows nothing, and its pages close.
    (ana, token), _ = phones
    ana.disconnect()
    again = peers(url, "/participant", code=code, token=token).connect()
    assert _media(again.wait_for("state"))["page"] == 2
    assert console.call("next", {"from": "1:know"})["ok"]
    assert again.wait_for("state", lambda s: s["step"]["id"] == "1:evidence")["media"] is None
    assert requests.get(f"{url}/p/{token}/media/1:know/pages/1", timeout=10).status_code == 404


def test_slides_added_one_by_one_after_the_open_activity_run_in_the_order_they_were_added(live_server, peers):
    url = live_server.url
    created = live_server.create_session(agenda=["plc-cycle", "goal-setting"])
    code, key = created["code"], {"X-Facilitator-Key": created["facilitator_key"]}
    console = peers(url, "/facilitator", code=code, key=created["facilitator_key"]).connect()
    assert console.call("next", {"from": None})["ok"]  # the PLC cycle is open
    added = []
    for number in (1, 2, 3):
        slide = {"file": (f"Slide {number}.pdf", deck(1))}
        sent = requests.post(f"{url}/api/sessions/{code}/media/slides", files=slide, headers=key, timeout=30)
        assert sent.status_code == 201, sent.text
        added.append(sent.json()["step_id"])
    state = console.wait_for("state", lambda s: all(step in [a["id"] for a in s["agenda"]] for step in added))
    titles = [item["title"] for item in state["items"]]
    assert titles[1:4] == ["Slide 1", "Slide 2", "Slide 3"], titles  # after the open activity, in order
    steps = [step["id"] for step in state["agenda"]]
    plc_last = max(i for i, step in enumerate(steps) if step.startswith("1:"))
    assert steps[plc_last + 1 : plc_last + 4] == added


def test_a_protocol_taken_out_of_the_agenda_takes_its_media_and_one_added_after_it_starts_bare(live_server, peers):
    """Agenda items are numbered from the last one: a protocol added after the last was taken out gets its number,
    and must not show the media the facilitator had put on the one taken out."""
    url = live_server.url
    created = live_server.create_session(agenda=["goal-setting", "three-two-one"])
    code, key = created["code"], {"X-Facilitator-Key": created["facilitator_key"]}
    console = peers(url, "/facilitator", code=code, key=created["facilitator_key"]).connect()
    kept = live_server.data_dir / "media"
    sent = requests.post(f"{url}/api/sessions/{code}/media", data={"step_id": "2:learned"},
                         files={"file": ("norms.pdf", deck(2))}, headers=key, timeout=30)  # fmt: skip
    assert sent.status_code == 201, sent.text
    assert requests.get(f"{url}/api/sessions/{code}/media/2:learned/pages/1", headers=key, timeout=10).ok
    pages = {path.name for path in kept.rglob("*") if path.is_file()}
    assert pages, "the upload's pages are in the data folder"

    assert console.call("agenda_remove", {"item": 2})["ok"]
    assert not {path.name for path in kept.rglob("*") if path.is_file()} & pages, "its pages went with it"
    assert console.call("agenda_add", {"protocol_id": "three-two-one"})["ok"]
    state = console.wait_for("state", lambda s: len(s["items"]) == 2)
    assert state["items"][1]["item"] == 2, "the new protocol has the number of the one taken out"
    shown = requests.get(f"{url}/api/sessions/{code}/media/2:learned/pages/1", headers=key, timeout=10)
    assert shown.status_code == 404, "the protocol added starts with no media"
