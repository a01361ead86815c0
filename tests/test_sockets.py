"""Socket.IO events through Flask-SocketIO's test client: joining, answering, moving, who receives what."""

import pytest

from tests.support.sockets import call, console, events, received


@pytest.fixture
def session(create_session):
    return create_session()


def join(sio, session, name="Ana"):
    phone = sio("/participant", code=session["code"], name=name)
    assert phone.is_connected("/participant")
    return phone


def test_joining_welcomes_with_a_token_and_sends_the_state(sio, session):
    phone = join(sio, session, name="  Zoë  ")
    packets = phone.get_received("/participant")
    welcome = next(p["args"][0] for p in packets if p["name"] == "welcome")
    state = next(p["args"][0] for p in packets if p["name"] == "state")
    assert welcome["name"] == "Zoë" and len(welcome["token"]) >= 32
    assert state["phase"] == "lobby" and state["step"] is None
    assert [g["title"] for g in state["session"]["system_goals"]] == [g["title"] for g in session["system_goals"]]


@pytest.mark.parametrize(
    ("namespace", "auth"),
    [
        ("/participant", {"code": "ZZZZZZ", "name": "Ana"}),
        ("/participant", {"name": "Ana"}),
        ("/participant", {"code": "{code}", "name": "   "}),
        ("/participant", {"code": "{code}", "token": "not-a-token"}),
        ("/facilitator", {"code": "{code}", "key": "wrong"}),
        ("/facilitator", {"code": "{code}"}),
        ("/projector", {"code": "ZZZZZZ"}),
    ],
)
def test_bad_credentials_are_refused(sio, session, namespace, auth):
    auth = {k: v.replace("{code}", session["code"]) for k, v in auth.items()}
    assert not sio(namespace, **auth).is_connected(namespace)


def test_a_token_from_another_session_does_not_open_this_one(sio, create_session):
    first, second = create_session(), create_session()
    token = events(join(sio, first), "welcome", "/participant")[0]["token"]
    assert not sio("/participant", code=second["code"], token=token).is_connected("/participant")
    assert sio("/participant", code=first["code"], token=token).is_connected("/participant")


def test_every_phone_changes_step_when_the_facilitator_moves(sio, session):
    phones = [join(sio, session, name) for name in ("Ana", "Ben", "Chloé")]
    facilitator = console(sio, session)
    for phone in phones:
        received(phone, "/participant")  # drained through the phone's view, which keeps its state
    ack = call(facilitator, "next", "/facilitator")
    assert ack == {"ok": True, "position": 0, "phase": "step", "step_id": "1:system-goal"}
    for phone in phones:
        state = events(phone, "state", "/participant")[-1]
        assert state["step"]["id"] == "1:system-goal"
        assert state["step"]["kind"] == "goal" and state["step"]["visibility"] == "room"
        assert "notes" not in state["step"]  # facilitator notes never reach phones
    console_state = events(facilitator, "state", "/facilitator")[-1]
    assert console_state["step"]["notes"]


def test_an_answer_is_acked_after_it_is_saved_and_shows_in_the_phones_state(sio, session):
    phone = join(sio, session)
    facilitator = console(sio, session)
    call(facilitator, "next", "/facilitator")
    goal_id = session["system_goals"][1]["id"]
    ack = call(phone, "answer", "/participant", {"step_id": "1:system-goal", "answer_id": "a-1", "value": goal_id})
    assert ack["ok"] is True and ack["answer_id"] == "a-1"
    again = sio("/participant", code=session["code"], token=events(phone, "welcome", "/participant")[0]["token"])
    assert events(again, "state", "/participant")[-1]["answers"] == {"1:system-goal": goal_id}


def test_a_resent_answer_is_stored_once_and_an_edit_replaces_it(app, sio, session):
    phone = join(sio, session)
    facilitator = console(sio, session)
    call(facilitator, "goto", "/facilitator", {"step_id": "1:goal"})
    first = {"step_id": "1:goal", "answer_id": "a-1", "value": "Draft goal"}
    assert call(phone, "answer", "/participant", first)["ok"]
    facilitator.get_received("/facilitator")
    assert call(phone, "answer", "/participant", first)["ok"]  # the resend
    assert events(facilitator, "answer", "/facilitator") == []  # nothing new to announce
    assert call(phone, "answer", "/participant", {**first, "answer_id": "a-2", "value": "Final goal"})["ok"]
    store = app.extensions["pathways.store"]
    stored = store.answers_to_step(store.session_by_code(session["code"]).id, "1:goal")
    assert [(a.answer_id, a.value) for a in stored] == [("a-2", "Final goal")]


@pytest.mark.parametrize(
    ("payload", "error"),
    [
        ({"step_id": "1:goal", "answer_id": "a"}, "'value' is missing"),
        ({"step_id": "1:system-goal", "answer_id": "a", "value": "x"}, "not open"),
        ({"step_id": 5, "answer_id": "a", "value": "x"}, "'step_id' must be text"),
        ({"step_id": "1:goal", "answer_id": "", "value": "x"}, "answer_id"),
        ({"step_id": "1:goal", "answer_id": "a", "value": ""}, "empty"),
        ({"step_id": "1:goal", "answer_id": "a", "value": "x" * 601}, "limit is 600"),
        ("not an object", "JSON object"),
    ],
)
def test_bad_answers_get_a_clear_error_and_change_nothing(app, sio, session, payload, error):
    phone = join(sio, session)
    facilitator = console(sio, session)
    call(facilitator, "goto", "/facilitator", {"step_id": "1:goal"})
    ack = call(phone, "answer", "/participant", payload)
    assert ack["ok"] is False and error in ack["error"]
    store = app.extensions["pathways.store"]
    assert store.answers_by_participant(store.session_by_code(session["code"]).id) == {}


def test_the_facilitator_sees_answers_with_names_and_the_projector_sees_counts_without(sio, session):
    phone = join(sio, session, name="Ana")
    facilitator = console(sio, session)
    projector = sio("/projector", code=session["code"])
    call(facilitator, "next", "/facilitator")
    facilitator.get_received("/facilitator")
    projector.get_received("/projector")
    goal = session["system_goals"][0]
    call(phone, "answer", "/participant", {"step_id": "1:system-goal", "answer_id": "a", "value": goal["id"]})
    answer = events(facilitator, "answer", "/facilitator")[-1]
    assert answer["name"] == "Ana" and answer["value"] == goal["id"]
    live = events(projector, "live", "/projector")[-1]
    assert live["answered"] == 1 and live["joined"] == 1
    assert live["aggregate"]["bars"][0] == {"label": goal["title"], "count": 1}
    assert "Ana" not in repr(events(projector, "state", "/projector")) + repr(live)


def test_the_projector_is_read_only(sio, session):
    projector = sio("/projector", code=session["code"])
    for event in ("next", "answer", "goto"):
        ack = call(projector, event, "/projector", {})
        assert ack["ok"] is False and "is not an event of /projector" in ack["error"]


def test_participants_cannot_drive_the_session(sio, session):
    phone = join(sio, session)
    ack = call(phone, "next", "/participant")
    assert ack["ok"] is False
    assert events(console(sio, session), "state", "/facilitator")[-1]["phase"] == "lobby"


def test_timer_runs_on_the_server_clock_and_reaches_every_phone(sio, session):
    phone = join(sio, session)
    facilitator = console(sio, session)
    assert call(facilitator, "timer", "/facilitator", {"action": "start", "seconds": 60})["ok"] is False  # lobby
    call(facilitator, "next", "/facilitator")
    assert call(facilitator, "timer", "/facilitator", {"action": "start", "seconds": 60})["ok"]
    state = events(phone, "state", "/participant")[-1]
    assert state["deadline"] == pytest.approx(state["server_time"] + 60, abs=2)
    assert call(facilitator, "timer", "/facilitator", {"action": "pause"})["ok"]
    paused = events(phone, "state", "/participant")[-1]
    assert paused["deadline"] is None and 55 < paused["paused_remaining"] <= 60
    bad = call(facilitator, "timer", "/facilitator", {"action": "start", "seconds": -5})
    assert bad["ok"] is False and "seconds" in bad["error"]


def test_goto_and_prev_move_everyone(sio, session):
    phone = join(sio, session)
    facilitator = console(sio, session)
    assert call(facilitator, "goto", "/facilitator", {"step_id": "1:evidence"})["step_id"] == "1:evidence"
    assert events(phone, "state", "/participant")[-1]["step"]["id"] == "1:evidence"
    assert call(facilitator, "prev", "/facilitator")["step_id"] == "1:action-steps"
    assert call(facilitator, "prev", "/facilitator")["step_id"] == "1:measure"
    assert call(facilitator, "goto", "/facilitator", {"step_id": "9:x"})["ok"] is False
