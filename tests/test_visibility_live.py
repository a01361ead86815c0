"""Who receives an answer, one test per visibility level, proven with canary strings over real sockets."""

import json
import uuid

import pytest

from tests.support.peers import Peer

pytestmark = pytest.mark.live

LEVELS = ["private", "facilitator", "group", "room", "room-named"]
VISIBILITY_CHECK = "\n".join(
    [
        'id = "visibility-check"',
        'title = "Visibility check"',
        'purpose = "One step per visibility level."',
        "[grouping]",
        "size = 2",
        "min = 2",
        "max = 2",
    ]
    + [
        f'[[steps]]\nid = "{level}"\ntitle = "{level}"\nprompt = "Write something"\nkind = "text"\n'
        f'visibility = "{level}"\nminutes = 1'
        for level in LEVELS
    ]
)
# Who receives the content of an answer at each level. Everyone may see a room answer, but only the projector
# is sent it; group-mates are sent answers only where the step shares them with the group. The author's phone
# holds what it sent (the ack confirms it is saved), so the answer is not sent back to it.
RECEIVES = {
    "private": set(),
    "facilitator": {"console"},
    "group": {"mate", "console"},
    "room": {"console", "projector"},
    "room-named": {"mate", "console", "projector"},
}


@pytest.fixture(scope="module")
def room(shared_live_server, request):
    """A session running the visibility-check protocol: two groups of two, a console and a projector."""
    server = shared_live_server
    created = server.create_session(agenda=["used-to-think"])

    def peer(namespace, **auth):
        made = Peer(server.url, namespace, auth).connect()
        request.addfinalizer(made.disconnect)
        return made

    console = peer("/facilitator", code=created["code"], key=created["facilitator_key"])
    added = console.call("agenda_add", {"toml": VISIBILITY_CHECK, "file_name": "visibility-check.toml"})
    assert added["ok"], added
    assert console.call("agenda_remove", {"item": 1})["ok"]  # skip the first protocol: the check runs alone
    projector = peer("/projector", code=created["code"])
    names = ["Author Canary-Name", "Mate", "Other One", "Other Two"]
    phones = {name: peer("/participant", code=created["code"], name=name) for name in names}
    ids = {name: phone.wait_for("welcome")["participant_id"] for name, phone in phones.items()}
    assert console.call("form_groups", {"size": 2, "confirm": True})["ok"]
    for name in names[1:]:  # arrange the tables: Author and Mate at table 1, the others at table 2
        assert console.call("move", {"participant_id": ids[name], "group": 1 if name == "Mate" else 2})["ok"]
    assert console.call("move", {"participant_id": ids[names[0]], "group": 1})["ok"]
    tables = [{"Author Canary-Name", "Mate"}, {"Other One", "Other Two"}]
    console.wait_for("state", lambda s: [{m["name"] for m in g["members"]} for g in s["groups"]] == tables)
    return {
        "console": console,
        "projector": projector,
        "author": phones["Author Canary-Name"],
        "mate": phones["Mate"],
        "other": phones["Other One"],
    }


@pytest.mark.parametrize("level", LEVELS)
def test_an_answer_reaches_exactly_the_audience_its_visibility_promises(room, level):
    console = room["console"]
    step_id = f"2:{level}"
    assert console.call("goto", {"step_id": step_id})["ok"]
    for name in ("author", "mate", "other"):
        room[name].wait_for("state", lambda s: s["step"] and s["step"]["id"] == step_id)
    canary = f"CANARY-{level}-{uuid.uuid4().hex}"
    before = {name: len(peer.received) for name, peer in room.items()}
    ack = room["author"].call("answer", {"step_id": step_id, "answer_id": uuid.uuid4().hex, "value": canary})
    assert ack["ok"], ack
    console.wait_for("live", lambda live: live["step_id"] == step_id and live["answered"] == 1)
    room["projector"].wait_for("live", lambda live: live["step_id"] == step_id and live["answered"] == 1)
    # A barrier: once each screen has the next state, everything sent to it about this step has arrived.
    assert console.call("goto", {"step_id": "2:private" if level != "private" else "2:facilitator"})["ok"]
    for name in ("author", "mate", "other", "projector"):  # the state sent since this test's answer, not an older one
        room[name].wait_for("state", lambda s: s["step"] and s["step"]["id"] != step_id, since=before[name])

    received = {name: json.dumps(peer.received[before[name] :], ensure_ascii=False) for name, peer in room.items()}
    got = {name for name, text in received.items() if canary in text}
    assert got == RECEIVES[level]
    # Names reach the projector with an answer only where the step is room-named.
    aggregates = [
        data["aggregate"] for event, data in room["projector"].received[before["projector"] :] if event == "live"
    ]
    named = [entry for aggregate in aggregates if aggregate for entry in aggregate.get("named", [])]
    assert ({"name": "Author Canary-Name", "text": canary} in named) == (level == "room-named")
    if level != "room-named":
        assert "Author Canary-Name" not in json.dumps(aggregates)
