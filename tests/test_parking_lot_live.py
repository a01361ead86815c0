"""The parking lot over a real server and real Socket.IO clients: a post kept once however often it is resent,
concurrent upvotes counted once per person (double taps and a reconnect included), changes sent only to the phones
that have the board open, names for the console alone, the facilitator's answer, done, hide and "move into the
agenda", the board on the projector on demand, and the board still open once the session has ended."""

import json
import threading
from typing import Any

import pytest
import requests

from tests.support.waiting import wait_until

pytestmark = pytest.mark.live
NAMES = ("Ana Lima", "Ben Okafor", "Cara Diaz", "Dev Patel", "Eve Moreau", "Fay Chen")
QUESTION = "Can we get the slides from this morning before we leave?"


def join(peers, url: str, code: str, name: str) -> Any:
    phone = peers(url, "/participant", code=code, name=name).connect()
    phone.wait_for("welcome")
    return phone


def item_in(message: dict[str, Any], item_id: int) -> dict[str, Any] | None:
    return next((item for item in message["items"] if item["id"] == item_id), None)


def test_a_room_posts_upvotes_at_once_and_reconnects_and_each_upvote_counts_once(live_server, peers):
    url = live_server.url
    created = live_server.create_session()
    code = created["code"]
    console = peers(url, "/facilitator", code=code, key=created["facilitator_key"]).connect()
    assert console.wait_for("parking_lot") == {"items": [], "projected": False}
    phones = {name.split()[0]: join(peers, url, code, name) for name in NAMES}
    ana, ben = phones["Ana"], phones["Ben"]

    # Ana posts from the lobby; her phone resends after losing the ack: one item.
    post = {"client_id": "ana-1", "text": f"  {QUESTION} "}
    posted = ana.call("parking_lot_post", post)
    assert posted["ok"] and posted["item"]["text"] == QUESTION and posted["item"]["upvotes"] == 0, posted
    item_id = posted["item"]["id"]
    assert ana.call("parking_lot_post", post)["item"]["id"] == item_id
    shown = console.wait_for("parking_lot_delta", lambda d: item_in(d, item_id) is not None)
    assert item_in(shown, item_id)["name"] == "Ana Lima", "the console sees who asked"

    # Four phones open the board; Fay's stays closed.
    voters = [phones[first] for first in ("Ben", "Cara", "Dev", "Eve")]
    for phone in voters:
        board = phone.call("parking_lot_open", {})
        assert board["ok"] and [item["text"] for item in board["items"]] == [QUESTION] and board["mine"] == []
    assert ana.call("parking_lot_open", {})["mine"] == [item_id]

    # Everyone upvotes at once, each with a double tap: four upvotes, not eight.
    upvote = {"item_id": item_id, "upvoted": True}
    acks: list[dict[str, Any]] = []
    threads = [threading.Thread(target=lambda p=phone: acks.append(p.call("parking_lot_upvote", upvote)))
               for phone in voters for _ in range(2)]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(acks) == 8 and all(ack["ok"] and ack["upvoted"] for ack in acks), acks
    assert max(ack["upvotes"] for ack in acks) == 4
    console.wait_for("parking_lot_delta", lambda d: (item_in(d, item_id) or {}).get("upvotes") == 4)
    delta = ana.wait_for("parking_lot_delta", lambda d: (item_in(d, item_id) or {}).get("upvotes") == 4)
    assert "Ana" not in json.dumps(delta) and "participant_id" not in json.dumps(delta), "the room sees no author"
    assert phones["Fay"].all("parking_lot_delta") == [], "a phone without the board open hears nothing of it"
    own = ana.call("parking_lot_upvote", upvote)
    assert (own["ok"], own["code"]) == (False, "own_parking_item")

    # Ben drops and comes back: his open board is read again, and his resent upvote still counts once.
    token = ben.wait_for("welcome")["token"]
    ben.disconnect()
    ben = peers(url, "/participant", code=code, token=token).connect()
    ben.wait_for("welcome")
    again = ben.call("parking_lot_open", {})
    assert again["upvoted"] == [item_id] and again["items"][0]["upvotes"] == 4
    assert ben.call("parking_lot_upvote", upvote) == {"ok": True, "item_id": item_id, "upvoted": True, "upvotes": 4}
    assert ben.call("parking_lot_upvote", {**upvote, "upvoted": False})["upvotes"] == 3, "taken back"
    assert ben.call("parking_lot_upvote", {**upvote, "upvoted": False})["upvotes"] == 3, "taken back once"
    wait_until(lambda: (item_in(console.latest("parking_lot_delta"), item_id) or {}).get("upvotes") == 3,
               message="the console's count after Ben took his upvote back")  # fmt: skip

    # Refusals say why.
    cara = phones["Cara"]
    assert cara.call("parking_lot_post", {"client_id": "c-0", "text": "   "})["code"] == "empty_value"
    assert cara.call("parking_lot_post", {"client_id": "c-0", "text": "x" * 501})["code"] == "too_long"
    missing = cara.call("parking_lot_upvote", {"item_id": item_id + 1000, "upvoted": True})
    assert missing["code"] == "unknown_parking_item"
    codes = [cara.call("parking_lot_post", {"client_id": f"c-{n}", "text": f"Idea {n}"}).get("code") for n in range(6)]
    assert codes == [None] * 5 + ["too_many_posts"], "five a minute"


def test_the_console_answers_hides_moves_into_the_agenda_and_shows_the_board_on_the_projector(live_server, peers):
    url = live_server.url
    created = live_server.create_session()
    code = created["code"]
    console = peers(url, "/facilitator", code=code, key=created["facilitator_key"]).connect()
    projector = peers(url, "/projector", code=code).connect()
    assert projector.wait_for("parking_lot") == {"shown": False}
    ana, ben = (join(peers, url, code, name) for name in NAMES[:2])
    first = ana.call("parking_lot_post", {"client_id": "a-1", "text": QUESTION})["item"]["id"]
    second = ben.call("parking_lot_post", {"client_id": "b-1", "text": "More time for planning, please"})["item"]["id"]
    ben.call("parking_lot_open", {})
    ben.call("parking_lot_upvote", {"item_id": first, "upvoted": True})

    # The projector shows the board on demand: the top items, no names; off, the step is back.
    assert console.call("parking_lot_project", {"on": True}) == {"ok": True, "projected": True}
    board = projector.wait_for("parking_lot", lambda b: b.get("shown"))
    assert [item["text"] for item in board["items"]] == [QUESTION, "More time for planning, please"]
    assert "Ana" not in json.dumps(board) and "Ben" not in json.dumps(board)
    console.wait_for("parking_lot_delta", lambda d: d.get("projected") is True)

    # Answered and done: the phones with the board open, the console and the projector hear of it.
    answered = console.call("parking_lot_update", {"item_id": first, "answer": "In your inbox by five.", "done": True})
    assert answered["ok"] and answered["item"]["state"] == "done" and answered["item"]["name"] == "Ana Lima"
    seen = ben.wait_for("parking_lot_delta", lambda d: (item_in(d, first) or {}).get("state") == "done")
    assert item_in(seen, first)["answer"] == "In your inbox by five."
    projector.wait_for("parking_lot", lambda b: b.get("shown") and b["items"][0]["answer"] == "In your inbox by five.")

    # Hidden: off the board for everyone but its author; the projector drops it.
    assert console.call("parking_lot_update", {"item_id": second, "hidden": True})["item"]["hidden"] is True
    assert [i["id"] for i in ana.call("parking_lot_open", {})["items"]] == [first]
    bens = ben.call("parking_lot_open", {})["items"]
    assert [(i["id"], i.get("hidden", False)) for i in bens] == [(first, False), (second, True)], "his own, marked"
    ben.wait_for("parking_lot_mine", lambda m: m["id"] == second and m["hidden"] is True)  # his other tabs
    ben.wait_for("parking_lot_delta", lambda d: second in d["removed"])
    projector.wait_for("parking_lot", lambda b: b.get("shown") and [i["id"] for i in b["items"]] == [first])
    refused = ana.call("parking_lot_upvote", {"item_id": second, "upvoted": True})
    assert refused["code"] == "unknown_parking_item", "a hidden item is not there to upvote"

    # Moved into the agenda: a discussion step whose prompt is the question, at the end of the agenda.
    moved = console.call("parking_lot_to_agenda", {"item_id": first, "minutes": 15})
    assert moved["ok"] and moved["agenda_item"], moved
    state = console.wait_for("state", lambda s: len(s["items"]) == 2)
    added = state["items"][-1]
    assert (added["item"], added["minutes"]) == (moved["agenda_item"], 15)
    assert added["title"].startswith("Parking lot: Can we get the slides")
    assert state["agenda"][-1]["prompt"] == QUESTION
    noted = console.wait_for("parking_lot_delta", lambda d: (item_in(d, first) or {}).get("agenda_item") is not None)
    assert item_in(noted, first)["agenda_item"] == moved["agenda_item"]
    assert console.call("parking_lot_project", {"on": False})["projected"] is False
    assert projector.wait_for("parking_lot", lambda b: b == {"shown": False})

    # Once the session has ended, the board stays open to the room.
    for _ in range(12):
        if not console.call("next", {})["ok"]:
            break
    console.wait_for("state", lambda s: s["phase"] == "ended")
    late = ana.call("parking_lot_post", {"client_id": "a-2", "text": "Thank you for today"})
    assert late["ok"], late


def test_my_data_holds_a_person_s_items_and_forgetting_them_clears_open_boards(live_server, peers):
    url = live_server.url
    created = live_server.create_session()
    code = created["code"]
    console = peers(url, "/facilitator", code=code, key=created["facilitator_key"]).connect()
    ana, ben = join(peers, url, code, "Ana Lima"), join(peers, url, code, "Ben Okafor")
    asked = ana.call("parking_lot_post", {"client_id": "a1", "text": QUESTION})["item"]["id"]
    offered = ben.call("parking_lot_post", {"client_id": "b1", "text": "An idea from Ben"})["item"]["id"]
    assert ben.call("parking_lot_upvote", {"item_id": asked, "upvoted": True})["ok"]
    assert ana.call("parking_lot_open", {})["ok"]
    console.wait_for("parking_lot_delta", lambda d: (item_in(d, asked) or {}).get("upvotes") == 1)

    ben_token = ben.latest("welcome")["token"]
    data = requests.get(f"{url}/p/{ben_token}/my-data.json", timeout=10).json()
    assert [item["text"] for item in data["sessions"][0]["parking_lot"]] == ["An idea from Ben"]

    console_from, ana_from = len(console.received), len(ana.received)
    forgot = requests.post(f"{url}/p/{ben_token}/forget", data={"confirm": "delete"}, timeout=10)
    assert forgot.status_code == 200
    gone = console.wait_for("parking_lot_delta", lambda d: offered in d["removed"], since=console_from)
    assert item_in(gone, asked)["upvotes"] == 0, "Ben's upvote went with him"
    ana.wait_for("parking_lot_delta", lambda d: offered in d.get("removed", []), since=ana_from)
