"""Doors a stranger tries on a real server: guessing codes through every credential, lifecycle events sent by hand."""

from pathlib import Path

import pytest

from tests.support.servers import LiveServer
from tests.support.waiting import wait_until

pytestmark = pytest.mark.live
BURST = 6


@pytest.fixture
def strict_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str):
    """A server whose miss budget is small and does not refill during the test."""
    monkeypatch.setenv("PATHWAYS_LIMIT_CODE_MISSES_BURST", str(BURST))
    monkeypatch.setenv("PATHWAYS_LIMIT_CODE_MISSES_PER_SECOND", "0.0001")
    server = LiveServer(data_dir=tmp_path / "data", engine=engine)
    server.start()
    yield server
    server.stop()


def refusal(peers, url: str, namespace: str, **auth) -> str:
    peer = peers(url, namespace, **auth)
    with pytest.raises(Exception):  # noqa: B017 - python-socketio raises its own ConnectionError
        peer.connect()
    return peer.refusal["data"]["code"]


def test_a_wrong_code_and_a_wrong_secret_read_the_same_and_every_miss_counts(strict_server, peers):
    """Once, a token or key sent with a guessed code said whether the code existed, ~20 guesses a second, with
    no budget at all."""
    url = strict_server.url
    real = strict_server.create_session()["code"]
    phone = peers(url, "/participant", code=real, name="Ana").connect()
    token = phone.wait_for("welcome")["token"]

    assert refusal(peers, url, "/participant", code=real, token="junk") == "bad_token"
    assert refusal(peers, url, "/participant", code="ZZZZZZ", token="junk") == "bad_token"
    assert refusal(peers, url, "/facilitator", code=real, key="junk") == "bad_key"
    assert refusal(peers, url, "/facilitator", code="ZZZZZZ", key="junk") == "bad_key"
    assert refusal(peers, url, "/projector", code="ZZZZZZ") == "unknown_session"
    assert refusal(peers, url, "/participant", code="ZZZZZZ", name="Eve") == "unknown_session"
    # Six misses spent the budget, whichever door they tried: from now on every miss and every look-up by code
    # alone says only rate_limited, on every namespace.
    assert refusal(peers, url, "/facilitator", code=real, key="junk") == "rate_limited"
    assert refusal(peers, url, "/participant", code=real, token="junk") == "rate_limited"
    assert refusal(peers, url, "/projector", code=real) == "rate_limited"
    assert refusal(peers, url, "/participant", code=real, name="Eve") == "rate_limited"
    # A real secret still opens its door: a room behind one address keeps working.
    back = peers(url, "/participant", code=real, token=token).connect()
    assert back.wait_for("welcome")["token"] == token


@pytest.fixture
def room(shared_live_server, peers):
    """A new session on the module's server with its console and one phone, Ana's, connected."""
    url = shared_live_server.url
    created = shared_live_server.create_session()
    console = peers(url, "/facilitator", code=created["code"], key=created["facilitator_key"]).connect()
    phone = peers(url, "/participant", code=created["code"], name="Ana").connect()
    phone.wait_for("welcome")
    return created, console, phone


def test_a_phone_cannot_send_the_servers_lifecycle_events(room):
    """A phone that emitted "disconnect" once dropped out of the console's count while its socket stayed up, and
    its answers then failed with not_connected."""
    created, console, phone = room
    code = created["code"]
    console.wait_for("live", lambda live: live["connected"] == 1)
    for event in ("disconnect", "connect"):
        ack = phone.call(event, {"code": code, "name": "Mallory"})
        assert ack["ok"] is False and ack["code"] == "reserved_event", ack
        assert console.call(event)["code"] == "reserved_event"
    step = console.call("next")["step_id"]
    goal = created["system_goals"][0]["id"]
    assert phone.call("answer", {"step_id": step, "answer_id": "a1", "value": goal})["ok"]
    live = console.wait_for("live", lambda live: live["answered"] == 1)
    assert live["connected"] == 1 and live["joined"] == 1


def send_raw(peer, event_json: str) -> list:
    """Send an event as raw Socket.IO text (python-socketio cannot even encode JSON this deep) and wait for its ack."""
    acks: list = []
    ack_id = peer.client._generate_ack_id(peer.namespace, lambda *data: acks.append(data))
    peer.client.eio.send(f"2{peer.namespace},{ack_id}{event_json}")
    wait_until(lambda: acks, message="the ack of a malformed message")
    return acks[0]


def test_a_message_nested_thousands_deep_is_acked_bad_request_and_the_connection_goes_on(shared_live_server, room):
    """Such a message once logged a RecursionError traceback and was never acked; a TOML upload nested 5,000 deep
    acked internal_error."""
    created, console, phone = room
    step = console.call("next")["step_id"]
    deep = "[" * 20_000 + "]" * 20_000
    for peer, event in ((phone, "answer"), (console, "next"), (phone, "forget")):
        (ack,) = send_raw(peer, f'["{event}",{deep}]')
        assert ack["ok"] is False and ack["code"] == "bad_request", (event, ack)
    (ack,) = send_raw(console, deep)
    assert ack["ok"] is False and ack["code"] == "unknown_event"
    toml = "x = " + "[" * 5_000 + "]" * 5_000
    uploaded = console.call("agenda_add", {"toml": toml, "file_name": "deep.toml"})
    assert uploaded["code"] == "bad_protocol" and "nested too deeply" in uploaded["error"]
    assert console.call("lock", {"locked": False})["ok"]  # the console goes on
    goal = created["system_goals"][0]["id"]
    assert phone.call("answer", {"step_id": step, "answer_id": "a1", "value": goal})["ok"]
    assert "RecursionError" not in shared_live_server.log() and "Traceback" not in shared_live_server.log()


def test_a_phone_that_starts_on_long_polling_still_upgrades_to_a_websocket(shared_live_server, peers):
    """Engine.IO reads its own packets ("probe") with the server's JSON too: reading packets defensively must not
    break the upgrade a browser makes from long-polling to a websocket."""
    created = shared_live_server.create_session()
    phone = peers(shared_live_server.url, "/participant", ["polling", "websocket"], code=created["code"], name="Ana")
    phone.connect().wait_for("welcome")
    wait_until(lambda: phone.client.transport() == "websocket", message="the upgrade to a websocket")
