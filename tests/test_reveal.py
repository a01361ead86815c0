"""Results held back on the projector until the facilitator reveals them: the step field, the console's ``reveal``
event, what the projector is sent meanwhile (nothing of the answers), and the choice kept through a restart."""

import json

import pytest

from protocols.errors import DomainError
from protocols.loader import ProtocolFileError, protocol_from_dict, protocol_to_dict
from protocols.reveal import projector_live, results_revealed, with_revealed
from protocols.session import AgendaItem, Session
from tests.support.results_room import newest_live, open_room, protocol_toml

STEPS = [
    {"id": "held", "reveal": True},  # room text, held back until revealed
    {"id": "open"},  # room text, shown as it comes
    {"id": "private", "visibility": "private"},
    {"id": "held-choice", "kind": "choice", "options": ["Red", "Blue"], "reveal": True},
]


def session_of(steps=STEPS, position=0, revealed=()) -> Session:
    protocol = protocol_from_dict(
        {"id": "check", "title": "Check", "purpose": "Check.", "steps": [
            {"title": s["id"], "prompt": "Answer", "kind": "text", "visibility": "room", "minutes": 1, **s}
            for s in steps
        ]}
    )  # fmt: skip
    return Session(1, "ABC123", "Day", "", (), (AgendaItem(1, protocol),), position=position, revealed=revealed)


# The domain


def test_a_step_that_says_reveal_starts_held_back_and_others_start_shown():
    session = session_of()
    held, shown = session.steps[0], session.steps[1]
    assert results_revealed(session, held) is False
    assert results_revealed(session, shown) is True


def test_revealing_and_hiding_the_open_step_is_remembered_per_step():
    session = with_revealed(session_of(), "1:held", True)
    assert results_revealed(session, session.steps[0]) is True
    moved_on = session.moved_to(1)
    assert results_revealed(moved_on, moved_on.steps[0]) is True  # coming back later, it is still revealed
    hidden = with_revealed(moved_on, "1:open", False)
    assert results_revealed(hidden, hidden.steps[1]) is False
    assert dict(hidden.revealed) == {"1:held": True, "1:open": False}


def test_a_reveal_for_a_step_the_room_has_left_is_refused_as_stale():
    with pytest.raises(DomainError) as refused:
        with_revealed(session_of(position=1), "1:held", True)
    assert refused.value.code == "stale_move"


def test_a_step_whose_answers_never_reach_the_projector_has_nothing_to_reveal():
    with pytest.raises(DomainError) as refused:
        with_revealed(session_of(position=2), "1:private", True)
    assert refused.value.code == "not_shown"


def test_the_projector_gets_counts_alone_while_results_are_held_back():
    live = {"step_id": "1:held", "answered": 3, "aggregate": {"type": "words"}, "spotlight": [{"text": "x"}]}
    assert projector_live({**live, "revealed": False}) == {**live, "revealed": False, "aggregate": None,
                                                           "spotlight": []}  # fmt: skip
    assert projector_live({**live, "revealed": True}) == {**live, "revealed": True}


def test_the_loader_reads_reveal_and_writes_it_back():
    protocol = session_of().agenda[0].protocol
    assert [step.reveal for step in protocol.steps] == [True, False, False, True]
    again = protocol_from_dict(protocol_to_dict(protocol))
    assert again == protocol


@pytest.mark.parametrize(
    ("step", "problem"),
    [
        ({"visibility": "private", "reveal": True}, "steps[0].reveal: shows the room's answers on the projector"),
        ({"visibility": "group", "reveal": True}, "it needs visibility 'room' or 'room-named', not 'group'"),
        ({"kind": "none", "reveal": True}, "a step with nothing to answer has no answers to hold back"),
        ({"reveal": "yes"}, "steps[0].reveal: must be true or false"),
    ],
)
def test_the_loader_refuses_reveal_where_the_projector_shows_no_answers(step, problem):
    with pytest.raises(ProtocolFileError) as refused:
        session_of([{"id": "s", **step}])
    assert problem in str(refused.value)


# Over real sockets


@pytest.fixture
def room(shared_live_server, peers):
    return open_room(shared_live_server, peers, protocol_toml(STEPS), ["Ana", "Ben", "Cy"])


def test_held_back_results_never_reach_the_projector_until_revealed(room):
    key = room.open("held")
    projector_from = len(room.projector.received)
    room.answer("Ana", key, "canary-held-one", "a1")
    room.answer("Ben", key, "canary-held-two", "b1")
    assert room.console.call("moderate", {"participant_id": room.ids["Ben"], "step_id": key, "spotlight": True})["ok"]

    held = newest_live(room.projector, key, lambda live: live["answered"] == 2)
    assert held["revealed"] is False and held["aggregate"] is None and held["spotlight"] == []
    console = newest_live(room.console, key, lambda live: live["answered"] == 2 and live["spotlight"])
    assert console["revealed"] is False  # the console sees everything, and knows the room does not
    assert "canary-held-one" in console["aggregate"]["recent"]
    assert room.console.latest("state")["revealed"] is False
    assert "canary" not in json.dumps(room.projector.received[projector_from:])  # no message, not merely hidden

    ack = room.console.call("reveal", {"step_id": key, "revealed": True})
    assert ack == {"ok": True, "step_id": key, "revealed": True}
    state = room.projector.wait_for("state", lambda s: s["revealed"] is True, since=projector_from)
    assert set(state["live"]["aggregate"]["recent"]) == {"canary-held-one", "canary-held-two"}
    assert state["live"]["spotlight"] == [{"text": "canary-held-two"}]
    assert room.console.wait_for("state", lambda s: s["revealed"] is True)["live"]["revealed"] is True


def test_the_console_can_hold_back_a_step_that_was_shown(room):
    key = room.open("held-choice")
    assert room.console.call("reveal", {"step_id": key, "revealed": True})["ok"]
    room.answer("Cy", key, "blue", "c1")
    newest_live(room.projector, key, lambda live: live["aggregate"] and live["aggregate"]["bars"][1]["count"] == 1)

    since = len(room.projector.received)
    assert room.console.call("reveal", {"step_id": key, "revealed": False})["ok"]
    room.answer("Ana", key, "red", "a1")
    held = newest_live(room.projector, key, lambda live: live["answered"] == 2, since=since)
    assert held["aggregate"] is None and held["revealed"] is False
    assert all(data["live"]["aggregate"] is None for name, data in room.projector.received[since:] if name == "state")
    assert all(data["aggregate"] is None for name, data in room.projector.received[since:] if name == "live")


def test_a_step_without_reveal_shows_its_results_at_once(room):
    key = room.open("open")
    room.answer("Ana", key, "shown at once", "a1")
    live = newest_live(room.projector, key, lambda live: live["aggregate"] and live["aggregate"]["recent"])
    assert live["revealed"] is True and live["aggregate"]["recent"] == ["shown at once"]


def test_reveal_refuses_a_stale_step_an_unshown_step_and_a_bad_payload(room):
    room.open("open")
    stale = room.console.call("reveal", {"step_id": "2:held", "revealed": True})
    assert stale["ok"] is False and stale["code"] == "stale_move"
    key = room.open("private")
    unshown = room.console.call("reveal", {"step_id": key, "revealed": True})
    assert unshown["ok"] is False and unshown["code"] == "not_shown"
    for payload in ({"step_id": key}, {"step_id": key, "revealed": "yes"}, {"revealed": True}, "reveal"):
        bad = room.console.call("reveal", payload)
        assert bad["ok"] is False and bad["code"] == "bad_request", payload


def test_a_projector_is_not_a_console_and_cannot_reveal(room):
    refused = room.projector.call("reveal", {"step_id": "2:held", "revealed": True})
    assert refused["ok"] is False and refused["code"] == "unknown_event"


def test_the_revealed_state_survives_a_restart_and_a_reload(live_server, peers):
    room = open_room(live_server, peers, protocol_toml(STEPS), ["Ana"])
    held = room.open("held")
    room.answer("Ana", held, "kept back", "a1")
    shown = room.open("open")
    assert room.console.call("reveal", {"step_id": shown, "revealed": False})["ok"]  # the other way round
    live_server.stop()
    live_server.start()

    projector = peers(live_server.url, "/projector", code=room.code).connect()
    assert projector.wait_for("state")["revealed"] is False
    console = peers(live_server.url, "/facilitator", code=room.code, key=room.key).connect()
    assert console.wait_for("state")["revealed"] is False
    assert console.call("goto", {"step_id": held})["ok"]  # the step that says reveal is still held back
    state = projector.wait_for("state", lambda s: s["step"]["id"] == held)
    assert state["revealed"] is False and state["live"]["aggregate"] is None and state["live"]["answered"] == 1
    assert console.call("reveal", {"step_id": held, "revealed": True})["ok"]
    assert projector.wait_for("state", lambda s: s["revealed"])["live"]["aggregate"]["recent"] == ["kept back"]
