"""Approve before showing: on a step that says ``approve = true``, an answer waits on the console until approved,
off the projector and off every other phone, while its author keeps it as saved; an edited answer waits again."""

import json

import pytest
import requests

from protocols.loader import ProtocolFileError, protocol_from_dict
from protocols.model import Visibility
from protocols.session import Answer
from protocols.visibility import Audience, may_receive
from tests.support.results_room import newest_live, open_room, protocol_toml

STEPS = [
    {"id": "named", "visibility": "room-named", "approve": True},  # group-mates' phones get each other's answers
    {"id": "room", "approve": True},
    {"id": "free"},  # room text shown without approval
]
TABLES = [["Ana", "Ben", "Cy"], ["Dee", "Eli"]]


def step_of(**fields):
    data = {"id": "s", "title": "S", "prompt": "Answer", "kind": "text", "visibility": "room", "minutes": 1, **fields}
    return protocol_from_dict({"id": "p", "title": "P", "purpose": "P.", "steps": [data]}).steps[0]


# The domain


@pytest.mark.parametrize("visibility", [Visibility.ROOM, Visibility.ROOM_NAMED])
def test_an_answer_waiting_for_approval_reaches_only_its_author_and_the_facilitator(visibility):
    step = step_of(visibility=visibility.value, approve=True)
    waiting = Answer(1, "1:s", "a", "text", 0.0)
    receivers = {audience for audience in Audience if may_receive(audience, step, waiting)}
    assert receivers == {Audience.AUTHOR, Audience.FACILITATOR}
    approved = Answer(1, "1:s", "a", "text", 0.0, approved=True)
    assert {audience for audience in Audience if may_receive(audience, step, approved)} == set(Audience)


def test_without_approve_an_answer_reaches_whom_its_visibility_says():
    step = step_of()
    assert all(may_receive(audience, step, Answer(1, "1:s", "a", "text", 0.0)) for audience in Audience)


@pytest.mark.parametrize("visibility", ["private", "facilitator", "group"])
def test_the_loader_refuses_approve_where_the_room_never_sees_the_answers(visibility):
    with pytest.raises(ProtocolFileError) as refused:
        step_of(visibility=visibility, approve=True)
    assert f"steps[0].approve: shows the room's answers on the projector: it needs visibility 'room' or " \
           f"'room-named', not '{visibility}'" in str(refused.value)  # fmt: skip


# Over real sockets


@pytest.fixture
def room(shared_live_server, peers):
    names = [name for table in TABLES for name in table]
    return open_room(shared_live_server, peers, protocol_toml(STEPS, grouped=True), names, TABLES)


def shared_with(room, name, key):
    """What ``name``'s phone shows of its group-mates' answers to ``key`` now (the phone's own state merge)."""
    state = room.phones[name].latest("state")
    return {entry["value"] for entry in state.get("shared", []) if entry["step_id"] == key}


def test_answers_wait_for_approval_off_the_projector_and_every_other_phone(room, shared_live_server, peers):
    key = room.open("named")
    since = {name: len(phone.received) for name, phone in room.phones.items()}
    projector_from = len(room.projector.received)
    room.answer("Ana", key, "canary from Ana", "a1")
    room.answer("Dee", key, "canary from Dee", "d1")

    waiting = room.console.wait_for("answer", lambda a: a["value"] == "canary from Ana")
    assert waiting["approved"] is False and waiting["name"] == "Ana"
    live = newest_live(room.projector, key, lambda live: live["answered"] == 2)
    assert live["aggregate"]["words"] == [] and live["aggregate"]["recent"] == []

    ack = room.console.call("moderate", {"participant_id": room.ids["Ana"], "step_id": key, "approved": True})
    assert ack == {"ok": True, "hidden": False, "spotlight": False, "approved": True}
    newest_live(room.projector, key, lambda live: live["aggregate"]["recent"] == ["canary from Ana"])
    for mate in ("Ben", "Cy"):  # Ana's table receives it once approved
        room.phones[mate].wait_for("shared", lambda s: s["value"] == "canary from Ana")
    # Dee's answer is still waiting: no phone but Dee's, and not the projector, was ever sent it.
    for name, phone in room.phones.items():
        if name != "Dee":
            assert "canary from Dee" not in json.dumps(phone.received[since[name] :]), name
    assert "canary from Dee" not in json.dumps(room.projector.received[projector_from:])
    # The authors' phones keep their answers as saved, approved or not.
    for name, value in (("Ana", "canary from Ana"), ("Dee", "canary from Dee")):
        token = room.phones[name].latest("welcome")["token"]
        room.phones[name].disconnect()
        again = peers(shared_live_server.url, "/participant", code=room.code, token=token).connect()
        assert again.wait_for("state")["answers"][key] == value


def test_an_edited_answer_returns_to_the_queue_and_leaves_the_screens(room):
    key = room.open("named")
    room.answer("Ben", key, "first thought", "b1")
    assert room.console.call("moderate", {"participant_id": room.ids["Ben"], "step_id": key, "approved": True})["ok"]
    room.phones["Ana"].wait_for("shared", lambda s: s["value"] == "first thought")
    newest_live(room.projector, key, lambda live: live["aggregate"]["recent"] == ["first thought"])

    room.answer("Ben", key, "second thought", "b2")
    edited = room.console.wait_for("answer", lambda a: a["value"] == "second thought")
    assert edited["approved"] is False
    newest_live(room.projector, key, lambda live: live["aggregate"]["recent"] == [])
    for mate in ("Ana", "Cy"):  # the approved copy leaves the table's phones; the edit does not reach them
        room.phones[mate].wait_for("state", lambda s: not any(e["step_id"] == key for e in s.get("shared", [])))
        assert shared_with(room, mate, key) == set()

    assert room.console.call("moderate", {"participant_id": room.ids["Ben"], "step_id": key, "approved": True})["ok"]
    room.phones["Cy"].wait_for("shared", lambda s: s["value"] == "second thought")
    newest_live(room.projector, key, lambda live: live["aggregate"]["recent"] == ["second thought"])


def test_withdrawing_an_approval_takes_the_answer_off_again(room):
    key = room.open("room")
    for name in ("Ana", "Dee", "Eli"):
        room.answer(name, key, f"idea of {name}", name)
    for name in ("Ana", "Eli"):
        assert room.console.call("moderate", {"participant_id": room.ids[name], "step_id": key, "approved": True})["ok"]
        assert room.console.call("moderate", {"participant_id": room.ids[name], "step_id": key, "spotlight": True})[
            "ok"
        ]
    live = newest_live(room.projector, key, lambda live: len(live["spotlight"]) == 2)
    assert sorted(live["aggregate"]["recent"]) == ["idea of Ana", "idea of Eli"]

    console_from = len(room.console.received)
    ack = room.console.call("moderate", {"participant_id": room.ids["Eli"], "step_id": key, "approved": False})
    assert ack["approved"] is False
    live = newest_live(room.projector, key, lambda live: len(live["spotlight"]) == 1)
    assert live["spotlight"] == [{"text": "idea of Ana"}] and live["aggregate"]["recent"] == ["idea of Ana"]
    assert live["answered"] == 3  # the count says how many answered, approved or not
    flags = room.console.wait_for("answer", lambda a: a["value"] == "idea of Eli", since=console_from)
    assert flags["approved"] is False
    assert flags["spotlight"] is True  # still chosen for the spotlight: it shows again once approved


def test_approval_is_refused_on_a_step_that_does_not_ask_for_it(room):
    key = room.open("free")
    room.answer("Cy", key, "free text", "c1")
    refused = room.console.call("moderate", {"participant_id": room.ids["Cy"], "step_id": key, "approved": True})
    assert refused["ok"] is False and refused["code"] == "no_approval"
    shown = newest_live(room.projector, key, lambda live: live["aggregate"]["recent"] == ["free text"])
    assert shown["answered"] == 1
    answer = room.console.wait_for("answer", lambda a: a["value"] == "free text")
    assert "approved" not in answer  # only approve steps carry the flag
    bad = room.console.call("moderate", {"participant_id": room.ids["Cy"], "step_id": key, "approved": "yes"})
    assert bad["ok"] is False and bad["code"] == "bad_request"


def test_a_group_mate_s_plan_shows_a_waiting_answer_only_once_it_is_approved(room, shared_live_server):
    key = room.open("named")
    room.answer("Ana", key, "canary for the plan", "a1")
    room.console.wait_for("answer", lambda a: a["value"] == "canary for the plan")

    def plan_of(name):
        token = room.phones[name].latest("welcome")["token"]
        response = requests.get(f"{shared_live_server.url}/p/{token}/plan", timeout=10)
        assert response.status_code == 200
        return response.text

    assert "canary for the plan" in plan_of("Ana")  # the author's own plan keeps it as saved
    assert "canary for the plan" not in plan_of("Ben")
    assert room.console.call("moderate", {"participant_id": room.ids["Ana"], "step_id": key, "approved": True})["ok"]
    assert "canary for the plan" in plan_of("Ben")
