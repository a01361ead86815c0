"""A Looking at Student Work round over real sockets, on ``pathways serve``: a presenter's work reaches their table's
phones and the console and nothing else; the facilitator's reaches every phone and the projector; a phone that
comes back gets both again; forgetting the presenter leaves no byte of theirs in the data folder."""

import io
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests
from PIL import Image
from reportlab.pdfgen import canvas

pytestmark = pytest.mark.live

NAMES = ["Ana", "Ben", "Cy", "Dee", "Eli", "Fay"]


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), (250, 245, 230)).save(out, "JPEG")
    return out.getvalue()


def two_page_pdf() -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    for number in (1, 2):
        page.drawString(72, 720, f"Lab report, page {number}")
        page.showPage()
    page.save()
    return out.getvalue()


def upload(url: str, data: bytes, name: str, headers: dict | None = None) -> requests.Response:
    return requests.post(url, files={"file": (name, data)}, headers=headers or {}, timeout=30)


@pytest.fixture
def round_(live_server, peers) -> dict[str, Any]:
    """An ATLAS Learning from Student Work round: two tables of three, a console and a projector, the first step
    open; each phone's token, table and role."""
    url = live_server.url
    created = live_server.create_session(agenda=[{"id": "atlas-student-work", "rounds": 3}])
    console = peers(url, "/facilitator", code=created["code"], key=created["facilitator_key"]).connect()
    projector = peers(url, "/projector", code=created["code"]).connect()
    phones: dict[int, dict[str, Any]] = {}
    for name in NAMES:
        peer = peers(url, "/participant", code=created["code"], name=name).connect()
        welcome = peer.wait_for("welcome")
        phones[welcome["participant_id"]] = {"name": name, "token": welcome["token"], "peer": peer}
    assert console.call("form_groups", {"size": 3, "confirm": True})["ok"]
    assert console.call("next", {"from": None})["ok"]
    state = console.wait_for("state", lambda s: s["step"] and _on(s) == "1:getting-started" and s["groups"])
    for group in state["groups"]:
        for member in group["members"]:
            phones[member["participant_id"]].update(table=group["number"], role=member["role"]["id"])
    for phone in phones.values():
        phone["peer"].wait_for("state", lambda s: s["step"] and _on(s) == "1:getting-started")
    by_role = {(p["table"], p["role"]): p for p in phones.values()}
    return {"url": url, "code": created["code"], "key": {"X-Facilitator-Key": created["facilitator_key"]},
            "console": console, "projector": projector, "phones": phones, "by_role": by_role,
            "folder": Path(live_server.data_dir) / "artifacts", "server": live_server}  # fmt: skip


def _on(state: dict[str, Any]) -> str | None:
    return (state["step"] or {}).get("id")


def _received(peer: Any, since: int) -> str:
    return json.dumps(peer.received[since:], ensure_ascii=False)


def _page(url: str) -> requests.Response:
    return requests.get(url, timeout=10)


def test_a_presenter_s_work_reaches_their_table_alone_and_the_room_s_reaches_everyone(round_, peers):
    url, phones = round_["url"], round_["phones"]
    presenter = round_["by_role"][(1, "presenting-teacher")]
    table_one = [p for p in phones.values() if p["table"] == 1]
    table_two = [p for p in phones.values() if p["table"] == 2]
    everyone = {**{p["name"]: p["peer"] for p in phones.values()}, "console": round_["console"],
                "projector": round_["projector"]}  # fmt: skip
    before = {name: len(peer.received) for name, peer in everyone.items()}
    canary = f"CANARY-{uuid.uuid4().hex}.jpg"

    refused = upload(f"{url}/p/{round_['by_role'][(1, 'participant')]['token']}/artifacts", photo(), "work.jpg")
    assert refused.status_code == 403 and refused.json()["code"] == "not_presenter"

    made = upload(f"{url}/p/{presenter['token']}/artifacts", photo(), canary)
    assert made.status_code == 201, made.text
    artifact = made.json()
    for member in table_one:
        state = member["peer"].wait_for("state", lambda s: (s.get("table_artifact") or {}).get("id") == artifact["id"])
        assert state["table_artifact"]["mine"] is (member is presenter)
        page = _page(f"{url}/p/{member['token']}/artifacts/{artifact['id']}/pages/1")
        assert page.status_code == 200 and page.headers["Content-Type"] == "image/jpeg"
    round_["console"].wait_for("artifacts", lambda views: [v["id"] for v in views] == [artifact["id"]])
    for member in table_two:
        refused = _page(f"{url}/p/{member['token']}/artifacts/{artifact['id']}/pages/1")
        assert refused.status_code == 404 and refused.json()["code"] == "unknown_artifact"
    assert _page(f"{url}/projector/{round_['code']}/artifacts/{artifact['id']}/pages/1").status_code == 404

    # The next step of the same round: the work stays at table 1. Once every screen has that step, everything sent
    # about the upload has arrived: table 2 and the projector were sent nothing of it.
    assert round_["console"].call("next", {"from": "1:getting-started"})["ok"]
    for member in table_one:
        member["peer"].wait_for(
            "state",
            lambda s: _on(s) == "1:describing" and (s["table_artifact"] or {}).get("id") == artifact["id"],
        )
    for member in table_two:
        assert member["peer"].wait_for("state", lambda s: _on(s) == "1:describing")["table_artifact"] is None
    round_["projector"].wait_for("state", lambda s: _on(s) == "1:describing", since=before["projector"])
    got = {name for name, peer in everyone.items() if canary in _received(peer, before[name])}
    assert got == {p["name"] for p in table_one} | {"console"}

    # The facilitator's reaches every phone and the projector, page by page as the console turns it.
    room = upload(f"{url}/api/sessions/{round_['code']}/artifacts", two_page_pdf(), "lab-report.pdf", round_["key"])
    assert room.status_code == 201, room.text
    shown = room.json()
    assert shown["pages"] == 2 and shown["scope"] == "room"
    for member in phones.values():
        state = member["peer"].wait_for("state", lambda s: (s.get("artifact") or {}).get("id") == shown["id"])
        assert (state["table_artifact"] or {}).get("id") == (artifact["id"] if member["table"] == 1 else None)
        assert _page(f"{url}/p/{member['token']}/artifacts/{shown['id']}/pages/2").status_code == 200
    projected = round_["projector"].wait_for("state", lambda s: (s.get("artifact") or {}).get("id") == shown["id"])
    assert projected["artifact"]["page"] == 1
    for number in (1, 2):
        page = _page(f"{url}/projector/{round_['code']}/artifacts/{shown['id']}/pages/{number}")
        assert page.status_code == 200 and page.headers["Content-Type"] == "image/jpeg"
        with Image.open(io.BytesIO(page.content)) as image:
            assert image.format == "JPEG"
    assert round_["console"].call("artifact_page", {"artifact_id": shown["id"], "page": 2})["ok"]
    round_["projector"].wait_for("state", lambda s: (s.get("artifact") or {}).get("page") == 2)

    # A phone that comes back is sent both again in its state.
    mate = next(p for p in table_one if p is not presenter)
    mate["peer"].disconnect()
    again = peers(url, "/participant", code=round_["code"], token=mate["token"]).connect()
    state = again.wait_for("state")
    assert state["artifact"]["id"] == shown["id"] and state["table_artifact"]["id"] == artifact["id"]

    # A new round: neither is shown any more.
    assert round_["console"].call("goto", {"step_id": "1:getting-started@2"})["ok"]
    moved = again.wait_for("state", lambda s: _on(s) == "1:getting-started@2")
    assert moved["artifact"] is None and moved["table_artifact"] is None


def test_forgetting_the_presenter_deletes_their_work_from_the_data_folder(round_):
    url = round_["url"]
    presenter = round_["by_role"][(2, "presenting-teacher")]
    made = upload(f"{url}/p/{presenter['token']}/artifacts", two_page_pdf(), "essays.pdf")
    assert made.status_code == 201, made.text
    assert len(list(round_["folder"].iterdir())) == 4  # two pages, each with its small picture
    mate = round_["by_role"][(2, "participant")]
    assert _page(f"{url}/p/{mate['token']}/artifacts/{made.json()['id']}/pages/2").status_code == 200
    forgotten = requests.post(f"{url}/p/{presenter['token']}/forget", data={"confirm": "delete"}, timeout=10)
    assert forgotten.status_code == 200
    assert list(round_["folder"].iterdir()) == []
    assert _page(f"{url}/p/{mate['token']}/artifacts/{made.json()['id']}/pages/2").status_code == 404
    # The table-mates' phones and the console drop it there and then, not at the next step.
    mate["peer"].wait_for("me", lambda m: "table_artifact" in m and m["table_artifact"] is None)
    round_["console"].wait_for("artifacts", lambda views: views == [])
