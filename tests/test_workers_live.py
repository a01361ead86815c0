"""Several workers, one deployment: two ``pathways serve`` processes share a Redis message queue and one database.

A console on one worker moves phones connected to the other, answers from both land in one database, counts and
the QR code hold across workers, and a replaced key or a deleted session closes screens on every worker. Below
that, the Redis presence itself (a dead worker's phones are forgotten after its heartbeat stops) and the export
runner shared by the workers of one data folder.
"""

import csv
import io
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
import requests
import socketio

from facilitator.app import create_app
from facilitator.live.presence import Connection, RedisPresence
from facilitator.loadtest.phones import sample_answer
from facilitator.usecases.exporting import ExportRunner
from protocols.visibility import Audience
from tests.support.admin import ADMIN_TOKEN, admin_headers
from tests.support.peers import Peer
from tests.support.servers import LiveServer
from tests.support.waiting import wait_until
from tests.support.workers import RedisServer, running_redis, running_workers


@pytest.fixture(scope="module")
def redis_server(redis_server_program: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    with running_redis(tmp_path_factory.mktemp("redis"), redis_server_program) as server:
        yield server


@pytest.fixture(scope="module")
def workers(
    redis_server: RedisServer, tmp_path_factory: pytest.TempPathFactory, engine: str
) -> Iterator[list[LiveServer]]:
    with redis.Redis.from_url(redis_server.url(0)) as fresh:
        fresh.flushdb()  # the other engine's workers used it before these
    with running_workers(tmp_path_factory.mktemp("workers") / "data", redis_server.url(0), engine=engine) as started:
        yield started


@pytest.fixture
def presence_redis(redis_server: RedisServer) -> Iterator[redis.Redis]:
    """A database of the test Redis of its own (the workers use database 0), empty at the start."""
    client = redis.Redis.from_url(redis_server.url(1), decode_responses=True)
    client.flushdb()
    yield client
    client.close()


def reached(phone: Peer, step_id: str) -> dict[str, Any]:
    """The message that brought ``step_id`` to the phone: its whole ``state`` or the room's ``step`` broadcast."""

    def found() -> dict[str, Any] | None:
        messages = phone.all("step") + phone.all("state")
        return next((m for m in messages if (m.get("step") or {}).get("id") == step_id), None)

    return wait_until(found, message=f"{step_id} on a phone")


def answered(console: Peer, step_id: str) -> set[int]:
    """Who the console has been sent an answer from, on one step."""
    return {view["participant_id"] for view in console.all("answer") if view["step_id"] == step_id}


@pytest.mark.live
def test_a_console_on_one_worker_runs_phones_on_both_and_every_answer_lands_in_one_database(workers, peers):
    a, b = workers
    created = a.create_session()
    code, key, goals = created["code"], created["facilitator_key"], created["system_goals"]
    console = peers(a.url, "/facilitator", code=code, key=key).connect()
    assert console.wait_for("state")["phase"] == "lobby"
    phones = [peers(b.url, "/participant", code=code, name=f"Phone {n} on B").connect() for n in range(3)]
    phones += [peers(a.url, "/participant", code=code, name=f"Phone {n} on A").connect() for n in range(3, 5)]
    ids = [phone.wait_for("welcome")["participant_id"] for phone in phones]
    console.wait_for("live", lambda live: live["connected"] == 5)  # the console on A counts B's phones too

    markers = {}
    for _ in range(2):  # choose a system goal, then strengths: a text only the facilitator reads
        step_id = console.call("next")["step_id"]
        for index, phone in enumerate(phones):
            step = reached(phone, step_id)["step"]
            markers[ids[index]] = f"from {'B' if index < 3 else 'A'}, phone {index} "
            value = sample_answer(step, goals, index, marker=markers[ids[index]])
            ack = phone.call("answer", {"step_id": step_id, "answer_id": f"{index}-{step_id}", "value": value})
            assert ack["ok"], ack
        wait_until(lambda s=step_id: answered(console, s) == set(ids), message=f"every answer to {step_id} on A")
        live = console.wait_for("live", lambda live, s=step_id: live["step_id"] == s and live["answered"] == 5)
        assert live["connected"] == 5

    # The QR code shown from the console on A is up on a projector that connects to B.
    assert console.call("show_qr", {"on": True})["show_qr"] is True
    projector = peers(b.url, "/projector", code=code).connect()
    assert projector.wait_for("state")["show_qr"] is True

    # A phone leaving B is counted out on A's console.
    phones[0].disconnect()
    console.wait_for("live", lambda live: live["connected"] == 4)

    # One database: the export, started on A, followed and downloaded on B, holds the answers from both workers.
    headers = {"X-Facilitator-Key": key}
    assert requests.post(f"{a.url}/api/sessions/{code}/export", headers=headers, timeout=10).status_code == 202

    def finished() -> bool:
        status = requests.get(f"{b.url}/api/sessions/{code}/export", headers=headers, timeout=10).json()
        assert status["state"] in ("running", "done"), status
        return status["state"] == "done"

    wait_until(finished, timeout=60, message="the export to finish, seen from B")
    download = requests.get(f"{b.url}/api/sessions/{code}/export.zip", headers=headers, timeout=30)
    assert download.status_code == 200
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        rows = list(csv.DictReader(io.StringIO(archive.read("answers.csv").decode("utf-8-sig"))))
    strengths = {row["participant"]: row["value"] for row in rows if row["step"] == "Strengths you bring"}
    assert len(strengths) == 5
    assert sorted(value.split("answer")[0] for value in strengths.values()) == sorted(markers.values())

    # A new console link made on B closes the console connected to A; the old key opens nothing any more.
    replaced = requests.post(f"{b.url}/api/sessions/{code}/console-link", headers=admin_headers(), timeout=10)
    assert replaced.status_code == 200
    wait_until(lambda: not console.client.connected, message="the console on A to be closed")
    assert all(phone.client.connected for phone in phones[1:]), "phones stay"
    refused = peers(a.url, "/facilitator", code=code, key=key)
    with pytest.raises(socketio.exceptions.ConnectionError):
        refused.connect()
    assert refused.refusal["data"]["code"] == "bad_key"

    # Deleting the session on A closes every screen on it, on both workers.
    assert requests.delete(f"{a.url}/api/sessions/{code}", headers=admin_headers(), timeout=10).status_code == 204
    wait_until(lambda: not any(p.client.connected for p in [*phones, projector]), message="every screen closed")


# The Redis presence, two workers in this process against the test Redis


def connections(found: list[tuple[str, Connection]]) -> dict[str, Connection]:
    return dict(found)


def test_presence_is_shared_by_every_worker_but_a_connections_own_seat_stays_on_its_worker(presence_redis):
    a, b = RedisPresence(presence_redis, worker="a"), RedisPresence(presence_redis, worker="b")
    for worker in (a, b):
        worker.heartbeat()
    ana, ben = Connection(Audience.AUTHOR, 7, 1, "Ana"), Connection(Audience.AUTHOR, 7, 2, "Ben")
    console, projector = Connection(Audience.FACILITATOR, 7), Connection(Audience.PROJECTOR, 7)
    a.add("a1", ana)
    a.add("a2", console)
    b.add("b1", ana)  # Ana's second tab, on the other worker
    b.add("b2", ben)
    b.add("b3", projector)
    b.add("b4", Connection(Audience.AUTHOR, 8, 3, "Elsewhere"))

    for worker in (a, b):
        assert worker.connected(7) == 2 and worker.connected_ids(7) == {1, 2}
        assert connections(worker.connections(7)) == {"a1": ana, "a2": console, "b1": ana, "b2": ben, "b3": projector}
        assert worker.connections(7, Audience.FACILITATOR) == [("a2", console)]
    assert a.connection("a1") == ana and a.connection("b1") is None and b.connection("b1") == ana

    a.show_qr(7, True)
    assert b.qr_shown(7) and not b.qr_shown(8)
    b.show_qr(7, False)
    assert not a.qr_shown(7)

    b.leave("b1")
    assert a.connected_ids(7) == {1, 2}, "Ana still has a tab open on a"
    a.leave("a1")
    assert b.connected_ids(7) == {2} and a.connected(8) == 1
    assert a.claim_live(7) and b.claim_live(7), "each worker throttles its own refreshes"
    assert not a.claim_live(7)


def test_a_dead_workers_phones_are_forgotten_after_its_ttl_while_a_live_worker_keeps_its_own(presence_redis):
    living, dead = RedisPresence(presence_redis, ttl=0.6, worker="living"), RedisPresence(presence_redis, ttl=0.6)
    dead.heartbeat()
    dead.add("d1", Connection(Audience.AUTHOR, 7, 2, "Ben"))
    dead.add("d2", Connection(Audience.FACILITATOR, 7))
    living.add("l1", Connection(Audience.AUTHOR, 7, 1, "Ana"))
    beating = threading.Thread(target=living.keep_alive, args=(time.sleep,), daemon=True)
    beating.start()
    try:
        assert living.connected_ids(7) == {1, 2}
        # The dead worker sends no heartbeat: after its ttl its phones and screens are no longer anyone's.
        wait_until(lambda: living.connected_ids(7) == {1}, timeout=5, message="the dead worker's phone to expire")
        assert [sid for sid, _ in living.connections(7)] == ["l1"]
        wait_until(lambda: dead.worker not in presence_redis.smembers("pathways:workers"), timeout=5,
                   message="the living worker's heartbeat to forget the dead one")  # fmt: skip
        # Redis loses everything (a restart): the next heartbeat writes the living worker's phones back.
        presence_redis.flushdb()
        wait_until(lambda: living.connected_ids(7) == {1}, timeout=5, message="the heartbeat to restore presence")
    finally:
        living.close()
        beating.join(timeout=5)
    assert not beating.is_alive()
    assert RedisPresence(presence_redis).connected(7) == 0, "a worker that closes takes its phones with it"


def test_a_worker_may_hold_as_many_redis_connections_as_a_hall_needs(redis_server, tmp_path):
    """Each green thread publishing holds a connection: redis-py's default cap of 100 turned publishes away when a
    room of 1,000 answered at once, and those messages never reached the other workers' phones."""
    app = create_app({"DATA_DIR": str(tmp_path), "ADMIN_TOKEN": ADMIN_TOKEN, "ASYNC_MODE": "threading",
                      "MESSAGE_QUEUE": redis_server.url(2)})  # fmt: skip
    from facilitator.extensions import socketio as app_socketio

    shared = app.extensions["pathways.presence"]
    try:
        queue = redis.Redis.from_url(app_socketio.server.manager.redis_url)  # as the manager makes its client
        assert queue.connection_pool.max_connections == 10_000
        assert shared._redis.connection_pool.max_connections == 10_000
    finally:
        shared.close()
    chosen = create_app({"DATA_DIR": str(tmp_path), "ADMIN_TOKEN": ADMIN_TOKEN, "ASYNC_MODE": "threading",
                         "MESSAGE_QUEUE": f"{redis_server.url(2)}?max_connections=500"})  # fmt: skip
    try:
        assert chosen.extensions["pathways.presence"]._redis.connection_pool.max_connections == 500
    finally:
        chosen.extensions["pathways.presence"].close()


def test_a_message_queue_must_be_redis(tmp_path):
    with pytest.raises(ValueError, match="must be a Redis URL"):
        create_app({"DATA_DIR": str(tmp_path), "ADMIN_TOKEN": ADMIN_TOKEN, "ASYNC_MODE": "threading",
                    "MESSAGE_QUEUE": "amqp://guest@127.0.0.1//"})  # fmt: skip


# The export runner, shared by the workers of one data folder


def test_an_export_started_by_one_worker_is_followed_and_stopped_by_another_and_never_built_twice(tmp_path: Path):
    gate = tmp_path / "gate"
    waits = f"import os, time\nwhile not os.path.exists({str(gate)!r}): time.sleep(0.01)\nraise SystemExit(3)"
    started: list[str] = []
    one, other = ExportRunner(tmp_path, "A4"), ExportRunner(tmp_path, "A4")
    for runner in (one, other):
        runner.command = lambda code, folder: started.append(code) or [sys.executable, "-c", waits]  # type: ignore[method-assign]

    one.start("K7QX3M")
    other.start("K7QX3M")
    assert started == ["K7QX3M"], "the second worker sees the build running and starts none"
    assert other.status("K7QX3M")["state"] == "running"
    gate.touch()
    failed = wait_until(lambda: (s := other.status("K7QX3M"))["state"] == "failed" and s, message="the failure")
    assert "stopped before it finished" in failed["error"]
    assert one.status("K7QX3M") == failed

    gate.unlink()
    other.start("K7QX3M")
    assert started == ["K7QX3M", "K7QX3M"] and one.status("K7QX3M")["state"] == "running"
    one.discard("K7QX3M")  # answers deleted through the first worker: the second's build stops, its folder goes
    assert other.building("K7QX3M") is None
    assert one.status("K7QX3M")["state"] == other.status("K7QX3M")["state"] == "idle"
    assert not (tmp_path / "exports" / "K7QX3M").exists()
