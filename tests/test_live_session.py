"""A whole session over real websockets against ``pathways serve``: create, join, four steps, plans, a restart."""

import io

import pytest
import requests
from pypdf import PdfReader

from facilitator.loadtest.phones import sample_answer
from tests.support.waiting import wait_until

pytestmark = pytest.mark.live

NAMES = ["Zoë Ødegård", "Ελένη Παπαδοπούλου", "Жанна Иванова", "Amara Okafor", "Li Wei"]


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_a_whole_goal_setting_session_end_to_end_over_real_sockets(live_server, peers):
    created = live_server.create_session(facilitator="Dr. Amara Okafor", date="2027-03-15")
    code, goals = created["code"], created["system_goals"]
    titles = {goal["id"]: goal["title"] for goal in goals}

    console = peers(live_server.url, "/facilitator", code=code, key=created["facilitator_key"]).connect()
    projector = peers(live_server.url, "/projector", code=code).connect()
    assert console.wait_for("state")["phase"] == "lobby"

    phones = [peers(live_server.url, "/participant", code=code, name=name).connect() for name in NAMES]
    welcomes = [phone.wait_for("welcome") for phone in phones]
    assert [w["name"] for w in welcomes] == NAMES
    projector.wait_for("live", lambda live: live["joined"] == len(NAMES))

    sent: list[dict[str, object]] = [{} for _ in NAMES]
    number = 0
    while True:
        ack = console.call("next")
        if ack["phase"] == "ended":
            break
        step_id = ack["step_id"]
        states = [
            phone.wait_for("state", lambda state, s=step_id: state["step"] and state["step"]["id"] == s)
            for phone in phones
        ]
        if number == 3:
            # One phone drops and comes back with its token: same person, saved answers filled in.
            phones[0].disconnect()
            phones[0] = peers(live_server.url, "/participant", code=code, token=welcomes[0]["token"]).connect()
            back = phones[0].wait_for("welcome")
            assert back["participant_id"] == welcomes[0]["participant_id"] and back["name"] == NAMES[0]
            state = phones[0].wait_for("state")
            assert state["answers"] == sent[0]
            assert state["step"]["id"] == step_id
        for index, (phone, state) in enumerate(zip(phones, states, strict=True)):
            value = sample_answer(state["step"], goals, index)
            ack = phone.call("answer", {"step_id": step_id, "answer_id": f"{index}-{step_id}", "value": value})
            assert ack["ok"] is True, ack
            sent[index][step_id] = value
        projector.wait_for("live", lambda live, s=step_id: live["step_id"] == s and live["answered"] == len(NAMES))
        number += 1
    assert number == 10  # every step of goal setting
    for phone in phones:
        phone.wait_for("state", lambda state: state["phase"] == "ended")

    for index, welcome in enumerate(welcomes):
        response = requests.get(f"{live_server.url}/p/{welcome['token']}/plan.pdf", timeout=30)
        assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
        text = pdf_text(response.content)
        mine = sent[index]
        assert NAMES[index] in text
        assert titles[mine["1:system-goal"]] in text
        assert mine["1:goal"] in text
        for action_step in mine["1:action-steps"]:
            assert action_step["text"] in text
        assert mine["1:evidence"] in text
        assert mine["1:worry"] in text  # the private reflection is in its author's own plan
        header = " ".join(text.split())
        assert "Spring PD day" in header and "15 March 2027" in header and "Facilitator: Dr. Amara Okafor" in header
        for other in set(range(len(NAMES))) - {index}:
            assert sent[other]["1:goal"] not in text  # only their own plan
            assert sent[other]["1:worry"] not in text

    assert requests.get(f"{live_server.url}/p/not-a-token/plan.pdf", timeout=10).status_code == 404


def test_a_killed_server_comes_back_with_every_acknowledged_answer_and_the_current_step(live_server, peers):
    created = live_server.create_session()
    code = created["code"]
    console = peers(live_server.url, "/facilitator", code=code, key=created["facilitator_key"]).connect()
    phone = peers(live_server.url, "/participant", code=code, name="Ana").connect()
    token = phone.wait_for("welcome")["token"]
    position = console.call("goto", {"step_id": "1:goal"})["position"]
    assert console.call("timer", {"action": "start", "seconds": 600})["ok"]
    deadline = console.wait_for("state", lambda s: s["deadline"] is not None)["deadline"]
    ack = phone.call("answer", {"step_id": "1:goal", "answer_id": "before-crash", "value": "Saved before the crash"})
    assert ack["ok"] is True

    live_server.kill()  # SIGKILL straight after the ack
    phone.disconnect()
    console.disconnect()
    live_server.start()

    back = peers(live_server.url, "/participant", code=code, token=token).connect()
    state = back.wait_for("state")
    assert state["step"]["id"] == "1:goal"
    assert state["answers"] == {"1:goal": "Saved before the crash"}
    assert state["deadline"] == pytest.approx(deadline)
    console = peers(live_server.url, "/facilitator", code=code, key=created["facilitator_key"]).connect()
    assert console.wait_for("state")["position"] == position
    text = pdf_text(requests.get(f"{live_server.url}/p/{token}/plan.pdf", timeout=30).content)
    assert "Saved before the crash" in text


def test_refused_connections_say_why(live_server, peers):
    created = live_server.create_session()
    cases = [
        ("/participant", {"code": "ZZZZZZ", "name": "Ana"}, "no session with that code"),
        ("/participant", {"code": created["code"], "token": "forged"}, "code and participant token do not match"),
        ("/facilitator", {"code": created["code"], "key": "forged"}, "code and facilitator key do not open"),
    ]
    for namespace, auth, reason in cases:
        peer = peers(live_server.url, namespace, **auth)
        with pytest.raises(Exception, match="failed to connect"):
            peer.connect()
        wait_until(lambda p=peer: p.refusal is not None, message="the refusal")
        assert reason in peer.refusal["message"]


def test_long_polling_works_where_websockets_are_blocked(live_server, peers):
    created = live_server.create_session()
    console = peers(live_server.url, "/facilitator", code=created["code"], key=created["facilitator_key"]).connect()
    phone = peers(live_server.url, "/participant", ["polling"], code=created["code"], name="Ana").connect()
    assert phone.client.transport() == "polling"
    phone.wait_for("welcome")
    console.call("next")
    phone.wait_for("state", lambda state: state["step"] is not None)
    goal_id = created["system_goals"][0]["id"]
    assert phone.call("answer", {"step_id": "1:system-goal", "answer_id": "p", "value": goal_id})["ok"]
    console.wait_for("answer", lambda answer: answer["value"] == goal_id)
