"""A step change is one broadcast plus small personal messages: what each phone builds from them must be exactly
the state a phone connecting fresh at that moment is sent."""

import pytest

from tests.support.peers import Peer

pytestmark = pytest.mark.live

# When the message was made, and the answers the phone keeps from its own acks: not part of the comparison.
NOT_COMPARED = ("server_time", "answers")


def shown(state: dict) -> dict:
    return {field: value for field, value in state.items() if field not in NOT_COMPARED}


def after_answers(state: dict) -> dict:
    """What must match once a step's answers are in. A recall step's reminder of the goal so far is the one part a
    person's own answer changes: their phone shows the new goal in its answer box, the reminder at the next step."""
    return {field: value for field, value in shown(state).items() if field != "recall"}


@pytest.fixture
def room(shared_live_server, request):
    server = shared_live_server
    created = server.create_session(agenda=["goal-setting", {"id": "tuning", "rounds": 2}, "revisit-goals"])

    def peer(namespace, **auth):
        made = Peer(server.url, namespace, auth).connect()
        request.addfinalizer(made.disconnect)
        return made

    console = peer("/facilitator", code=created["code"], key=created["facilitator_key"])
    phones = [peer("/participant", code=created["code"], name=f"Person {n}") for n in range(6)]
    tokens = [phone.wait_for("welcome")["token"] for phone in phones]
    return server, created, console, phones, tokens, peer


def test_every_phone_builds_from_the_broadcast_the_state_a_fresh_connection_gets(room) -> None:
    """Through goal setting, two tuning rounds in groups (roles dealt anew in the second) and a recall step: on
    each step's arrival, and again once its answers are in, group-mates' reaching each other as ``shared`` deltas."""
    _server, created, console, phones, tokens, peer = room
    assert console.call("form_groups", {"size": 3, "confirm": True})["ok"]
    acked: list[dict[str, str]] = [{} for _ in phones]  # what each phone was told is saved: its phone keeps it

    def fresh_state(token: str) -> dict:
        fresh_tab = peer("/participant", code=created["code"], token=token)
        fresh = fresh_tab.wait_for("state")
        fresh_tab.disconnect()
        return fresh

    steps = shared_seen = 0
    recalled, roles = [], {}
    while True:
        ack = console.call("next")
        assert ack["ok"], ack
        if ack["phase"] == "ended":
            break
        steps += 1
        step_id = ack["step_id"]
        built = [phone.wait_for("state", lambda s, k=step_id: (s["step"] or {}).get("id") == k) for phone in phones]
        recalled += [step_id] if any(state["recall"] for state in built) else []
        roles[step_id] = [(state["group"]["role"] or {}).get("id") for state in built]
        for token, state, saved in zip(tokens, built, acked, strict=True):
            fresh = fresh_state(token)
            assert shown(state) == shown(fresh), f"{step_id}: what the phone built is not what it would be sent"
            assert fresh["answers"] == saved
        for phone, token, state, saved in zip(phones, tokens, built, acked, strict=True):
            if state["may_answer"] and state["step"]["kind"] == "text":
                value = f"{step_id} from {token[:6]}"
                ack = phone.call("answer", {"step_id": step_id, "answer_id": f"{token[:6]}-{step_id}", "value": value})
                assert ack["ok"], ack
                saved[step_id] = value
        for phone, token in zip(phones, tokens, strict=True):  # the answers are in: the deltas have built the same
            fresh = after_answers(fresh_state(token))
            shared_seen += len(fresh["shared"])
            phone.wait_for("state", lambda built_now, fresh=fresh: after_answers(built_now) == fresh)
    assert steps == 38
    assert shared_seen > 0  # group-mates' answers to tuning's group steps reached them as deltas
    # Revisiting goals recalls each person's own, set in goal setting earlier in the day.
    assert recalled == [f"3:{step}" for step in ("system-goal", "goal", "measure", "progress", "evidence",
                                                 "in-the-way", "changes", "next-step")]  # fmt: skip
    assert roles["2:introduction"] != roles["2:introduction@2"]  # the second round deals roles anew


def test_a_step_everyone_answers_alike_is_one_broadcast_and_so_is_a_role_step_once_roles_are_dealt(room) -> None:
    """Roles dealt at a table reach its phones as a ``me`` with their group; after that, what each role does on a
    step (the presenter answers, the timekeeper calls time) rides in the step's broadcast, and no phone needs more."""
    _server, _created, console, phones, _tokens, _peer = room
    assert console.call("goto", {"step_id": "1:system-goal"})["ok"]
    for phone in phones:
        phone.wait_for("step", lambda s: s["step"]["id"] == "1:system-goal")
    assert all(phone.all("me") == [] for phone in phones)

    assert console.call("form_groups", {"size": 3, "confirm": True})["ok"]
    presenter_step = "2:presentation"
    assert console.call("goto", {"step_id": presenter_step})["ok"]
    for phone in phones:
        phone.wait_for("step", lambda s: s["step"]["id"] == presenter_step)
        dealt = phone.all("me")
        assert [sorted(me) for me in dealt] == [["group", "step_id"]]  # its role arrives with its table's
        events = [name for name, data in phone.received if name in ("me", "step")]
        assert events[-2:] == ["me", "step"]  # its own part first, so the step shows whole at once
    presenters = [phone for phone in phones if phone.latest("state")["group"]["role"]["id"] == "presenter"]
    assert len(presenters) == 2  # one per table of three
    assert all(phone.latest("state")["may_answer"] is (phone in presenters) for phone in phones)

    clarifying = "2:clarifying"
    since = [len(phone.received) for phone in phones]
    assert console.call("goto", {"step_id": clarifying})["ok"]
    for phone, start in zip(phones, since, strict=True):
        broadcast = phone.wait_for("step", lambda s: s["step"]["id"] == clarifying, since=start)
        assert [name for name, _ in phone.received[start:] if name == "me"] == []
        state = phone.latest("state")
        role = state["group"]["role"]["id"]
        assert state["role_prompt"] == broadcast["role_parts"][role]["role_prompt"]
        assert state["role_prompt"] is not None or role == "participant"


def test_an_answer_saved_in_one_tab_reaches_the_persons_other_tabs_and_nobody_else(room) -> None:
    _server, created, console, phones, tokens, peer = room
    assert console.call("goto", {"step_id": "1:goal"})["ok"]
    other_tab = peer("/participant", code=created["code"], token=tokens[0])
    other_tab.wait_for("state", lambda s: (s["step"] or {}).get("id") == "1:goal")
    phones[0].wait_for("state", lambda s: (s["step"] or {}).get("id") == "1:goal")
    ack = phones[0].call("answer", {"step_id": "1:goal", "answer_id": "tab-1", "value": "Read aloud every day"})
    assert ack["ok"], ack
    state = other_tab.wait_for("state", lambda s: s["answers"].get("1:goal") == "Read aloud every day")
    assert state["step"]["id"] == "1:goal"
    assert phones[0].all("saved") == []  # the tab that sent it has the ack
    assert all(phone.all("saved") == [] for phone in phones[1:])
