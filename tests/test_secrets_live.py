"""Nobody where they don't belong, on a real server: secrets stay out of logs, other origins and other sessions
are refused, and a session's key opens that session only."""

import contextlib

import requests
import socketio

from facilitator.loadtest.phones import sample_answer


def assert_refused(peer):
    """Connecting ``peer`` must fail; returns the server's reason."""
    with contextlib.suppress(socketio.exceptions.ConnectionError):
        peer.connect()
    assert not peer.client.connected and peer.refusal, "the connection must be refused"
    return peer.refusal


def test_secrets_are_never_written_to_the_server_log(live_server, peers):
    created = live_server.create_session()
    code, key = created["code"], created["facilitator_key"]
    console = peers(live_server.url, "/facilitator", code=code, key=key).connect()
    phone = peers(live_server.url, "/participant", code=code, name="Ana").connect()
    token = phone.wait_for("welcome")["token"]
    state = phone.wait_for("state")
    ack = console.call("next")
    step = phone.wait_for("state", lambda s: s["step"] and s["step"]["id"] == ack["step_id"])["step"]
    value = sample_answer(step, state["session"]["system_goals"], 0)
    assert phone.call("answer", {"step_id": step["id"], "answer_id": "a-1", "value": value})["ok"]
    assert requests.get(f"{live_server.url}/p/{token}/plan.pdf", timeout=30).status_code == 200
    assert requests.get(f"{live_server.url}/p/{token}/plan", timeout=30).status_code == 200
    assert requests.get(f"{live_server.url}/console/{code}", timeout=10).status_code == 200
    failed = requests.post(f"{live_server.url}/api/sessions", json={"title": "x"},
                           headers={"Authorization": "Bearer wrong-token-value"}, timeout=10)  # fmt: skip
    assert failed.status_code == 401
    log = live_server.log()
    assert log, "the server wrote its start-up lines"
    for secret in (token, key, "wrong-token-value"):
        assert secret not in log


def test_other_origins_cannot_open_a_socket_to_the_server(live_server):
    created = live_server.create_session()
    # Long-polling sends exactly the Origin given here (the websocket client would add one of its own).
    foreign = socketio.Client(reconnection=False)
    try:
        foreign.connect(live_server.url, namespaces=["/projector"], auth={"code": created["code"]},
                        headers={"Origin": "http://evil.example"}, transports=["polling"], wait_timeout=5)  # fmt: skip
    except socketio.exceptions.ConnectionError:
        pass
    else:
        foreign.disconnect()
        raise AssertionError("a page from another origin must not open a socket")
    own = socketio.Client(reconnection=False)
    own.connect(live_server.url, namespaces=["/projector"], auth={"code": created["code"]},
                headers={"Origin": live_server.url}, transports=["polling"], wait_timeout=5)  # fmt: skip
    assert own.connected
    own.disconnect()


def test_a_facilitator_key_opens_its_own_session_only(live_server, peers):
    first, second = live_server.create_session(), live_server.create_session()
    crossed = peers(live_server.url, "/facilitator", code=first["code"], key=second["facilitator_key"])
    assert assert_refused(crossed)["data"]["code"] == "bad_key"
    phone = peers(live_server.url, "/participant", code=first["code"], name="Ana").connect()
    token = phone.wait_for("welcome")["token"]
    as_console = peers(live_server.url, "/facilitator", code=first["code"], key=token)
    assert_refused(as_console)  # a participant token is not a facilitator key
    elsewhere = peers(live_server.url, "/participant", code=second["code"], token=token)
    assert_refused(elsewhere)  # a participant token opens its own session only
    # The phone's connection cannot drive the agenda: the facilitator's events do not exist on it.
    assert phone.call("next") == {"ok": False, "error": "'next' is not an event of /participant.",
                                  "code": "unknown_event"}  # fmt: skip
