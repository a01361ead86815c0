"""A parking-lot item moved into the agenda, over a real server and real Socket.IO clients: it goes in once however
often (or however fast) the console presses "Move into agenda", may go in again once taken out, the console's item
names the agenda item it became, and its step's titles reach each phone in the phone's own language."""

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from facilitator.edge.language import language
from protocols.parking_lot import agenda_protocol_id
from tests.support.admin import admin_headers

pytestmark = pytest.mark.live
QUESTION = "Can we get the slides from this morning before we leave?"


def join(peers: Any, url: str, code: str, name: str) -> Any:
    phone = peers(url, "/participant", code=code, name=name).connect()
    phone.wait_for("welcome")
    return phone


def noted_item(delta: dict[str, Any], item_id: int) -> dict[str, Any] | None:
    """The item in a console's delta once it names the agenda item it became."""
    return next((item for item in delta["items"] if item["id"] == item_id and item["agenda_item"]), None)


def in_agenda(state: dict[str, Any], protocol_id: str) -> list[dict[str, Any]]:
    return [item for item in state["items"] if item["protocol"] == protocol_id]


def test_an_item_goes_into_the_agenda_once_however_often_the_console_presses(live_server, peers):
    url = live_server.url
    created = live_server.create_session()
    console = peers(url, "/facilitator", code=created["code"], key=created["facilitator_key"]).connect()
    ana = join(peers, url, created["code"], "Ana Lima")
    first = ana.call("parking_lot_post", {"client_id": "a1", "text": QUESTION})["item"]["id"]
    second = ana.call("parking_lot_post", {"client_id": "a2", "text": "Who brings the coffee?"})["item"]["id"]

    moved = console.call("parking_lot_to_agenda", {"item_id": first})
    assert moved["ok"] and moved["agenda_item"], moved
    again = console.call("parking_lot_to_agenda", {"item_id": first})
    assert (again["ok"], again["code"]) == (False, "parking_item_in_agenda"), again
    noted = console.wait_for("parking_lot_delta", lambda d: noted_item(d, first) is not None)
    assert noted_item(noted, first)["agenda_item"] == moved["agenda_item"], "the console's item says where it went"

    # Two presses at once (a double click): one goes in, the other is refused.
    with ThreadPoolExecutor(2) as pool:
        acks = list(pool.map(lambda _: console.call("parking_lot_to_agenda", {"item_id": second}), range(2)))
    assert sorted(ack["ok"] for ack in acks) == [False, True], acks
    assert next(ack for ack in acks if not ack["ok"])["code"] == "parking_item_in_agenda"
    state = console.wait_for("state", lambda s: len(s["items"]) == 3)
    assert len(in_agenda(state, agenda_protocol_id(first))) == len(in_agenda(state, agenda_protocol_id(second))) == 1

    # Taken out of the agenda, the item may go in again; a console that connects reads where it went.
    assert console.call("agenda_remove", {"item": moved["agenda_item"]})["ok"]
    # The console hears the item is out of the agenda (so its button may move it again).
    console.wait_for("parking_lot_delta", lambda d: any(i["id"] == first and i["agenda_item"] is None
                                                        for i in d["items"]))  # fmt: skip
    back = console.call("parking_lot_to_agenda", {"item_id": first})
    assert back["ok"] and back["agenda_item"] != moved["agenda_item"], back
    later = peers(url, "/facilitator", code=created["code"], key=created["facilitator_key"]).connect()
    board = later.wait_for("parking_lot")
    assert {item["id"]: item["agenda_item"] for item in board["items"]}[first] == back["agenda_item"]


def test_the_moved_step_s_titles_reach_each_phone_in_its_own_language(live_server, peers):
    url = live_server.url
    created = live_server.create_session()
    code = created["code"]
    console = peers(url, "/facilitator", code=code, key=created["facilitator_key"]).connect()
    phones = {code_: join(peers, url, code, f"Person {code_}") for code_ in ("en", "es", "fr")}
    for chosen in ("es", "fr"):
        assert phones[chosen].call("language", {"language": chosen})["ok"]
    asked = phones["en"].call("parking_lot_post", {"client_id": "q", "text": QUESTION})["item"]["id"]
    moved = console.call("parking_lot_to_agenda", {"item_id": asked})
    assert moved["ok"], moved
    state = console.wait_for("state", lambda s: in_agenda(s, agenda_protocol_id(asked)))
    step_id = next(step["id"] for step in state["agenda"] if step["item"] == moved["agenda_item"])
    assert console.call("goto", {"step_id": step_id})["ok"]

    for chosen, phone in phones.items():
        step = phone.wait_for("step", lambda s: (s.get("step") or {}).get("id") == step_id)["step"]
        assert (step["title"], step["protocol"]) == ("From the parking lot", f"Parking lot: {QUESTION}")
        assert step["prompt"] == QUESTION, "the question stays as it was asked"
        if chosen == "en":
            assert "en" not in step["translations"], "English is the step's own"
            continue
        words = language(chosen)
        title, protocol = words.gettext("From the parking lot"), words.gettext("Parking lot: {text}", text=QUESTION)
        assert title != "From the parking lot" and protocol != f"Parking lot: {QUESTION}", "the catalogue has them"
        assert step["translations"][chosen]["title"] == title
        assert step["translations"][chosen]["protocol"] == protocol


def test_a_duplicated_session_taking_the_discussion_out_leaves_the_original_s_item_in_its_agenda(live_server, peers):
    """A copy for another day carries the agenda as it was, the parking-lot discussion too: taking it out of the
    copy frees nothing of the original's board."""
    url = live_server.url
    original = live_server.create_session()
    console = peers(url, "/facilitator", code=original["code"], key=original["facilitator_key"]).connect()
    ana = join(peers, url, original["code"], "Ana Lima")
    asked = ana.call("parking_lot_post", {"client_id": "q", "text": QUESTION})["item"]["id"]
    moved = console.call("parking_lot_to_agenda", {"item_id": asked})
    assert moved["ok"], moved

    copied = requests.post(f"{url}/api/sessions/{original['code']}/duplicate", headers=admin_headers(), timeout=10)
    assert copied.status_code == 201, copied.text
    copy = copied.json()
    other = peers(url, "/facilitator", code=copy["code"], key=copy["facilitator_key"]).connect()
    state = other.wait_for("state", lambda s: in_agenda(s, agenda_protocol_id(asked)))
    assert other.call("agenda_remove", {"item": in_agenda(state, agenda_protocol_id(asked))[0]["item"]})["ok"]
    other.wait_for("state", lambda s: not in_agenda(s, agenda_protocol_id(asked)))

    again = peers(url, "/facilitator", code=original["code"], key=original["facilitator_key"]).connect()
    board = again.wait_for("parking_lot")
    assert {item["id"]: item["agenda_item"] for item in board["items"]}[asked] == moved["agenda_item"]
