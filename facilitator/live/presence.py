"""Who is connected right now: each Socket.IO connection (its session, audience and person), the phones per session,
the QR toggle.

One server process keeps this in memory (``Presence``). Several worker processes behind one message queue share
it through Redis (``RedisPresence``): the console on one worker counts the phones connected to every other.
"""

import json
import logging
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import redis
from flask import Flask, current_app

from facilitator.extensions import socketio
from protocols.visibility import Audience

EXTENSION_KEY = "pathways.presence"
CHANNEL = "pathways"  # the message queue's channel, and the prefix of every presence key in Redis
HEARTBEAT_SECONDS = 5.0
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Connection:
    """What one Socket.IO connection is: its audience, its session and, for a phone, its participant."""

    audience: Audience
    session_id: int
    participant_id: int | None = None
    name: str = ""


class Presence:
    """Who is connected to this server process right now, and the pending live-count refreshes.

    Everything but ``connection``, ``add``, ``leave`` and the live-refresh claim answers for the whole deployment; here
    the deployment is this one process.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._connections: dict[str, Connection] = {}
        self._phones: dict[int, Counter[int]] = {}  # session id -> participant id -> open connections
        self._live_pending: set[int] = set()
        self._board_pending: set[int] = set()  # sessions whose pending refresh sends the screens' whole state
        self._qr_shown: set[int] = set()  # sessions whose projector shows the join QR code full size

    def connection(self, sid: str) -> Connection | None:
        return self._connections.get(sid)

    def add(self, sid: str, connection: Connection) -> None:
        with self._lock:
            self._connections[sid] = connection
            if connection.participant_id is not None:
                self._phones.setdefault(connection.session_id, Counter())[connection.participant_id] += 1

    def leave(self, sid: str) -> Connection | None:
        with self._lock:
            connection = self._connections.pop(sid, None)
            if connection is not None and connection.participant_id is not None:
                phones = self._phones.get(connection.session_id, Counter())
                phones[connection.participant_id] -= 1
                if phones[connection.participant_id] <= 0:
                    del phones[connection.participant_id]
            return connection

    def connections(self, session_id: int, audience: Audience | None = None) -> list[tuple[str, Connection]]:
        """A session's connections, all of them or one audience's, by connection id."""
        with self._lock:
            return [(sid, conn) for sid, conn in self._connections.items()
                    if conn.session_id == session_id and (audience is None or conn.audience is audience)]  # fmt: skip

    def connected(self, session_id: int) -> int:
        """How many distinct participants of the session have at least one open connection."""
        return len(self._phones.get(session_id, ()))

    def connected_ids(self, session_id: int) -> set[int]:
        with self._lock:
            return set(self._phones.get(session_id, ()))

    def qr_shown(self, session_id: int) -> bool:
        return session_id in self._qr_shown

    def show_qr(self, session_id: int, on: bool) -> None:
        """Kept in memory: after a restart the projector simply shows the step again, with the QR in its corner."""
        with self._lock:
            if on:
                self._qr_shown.add(session_id)
            else:
                self._qr_shown.discard(session_id)

    def claim_live(self, session_id: int, board: bool = False) -> bool:
        """True for the first caller while no refresh is pending for the session: that caller sends it. ``board``:
        the groups changed too, so the pending refresh sends the screens' whole state.

        Per process, with several workers too: each throttles the refreshes it sends itself."""
        with self._lock:
            if board:
                self._board_pending.add(session_id)
            if session_id in self._live_pending:
                return False
            self._live_pending.add(session_id)
            return True

    def release_live(self, session_id: int) -> bool:
        """The refresh is going out; True if it must send the screens' whole state (``claim_live``'s ``board``)."""
        with self._lock:
            self._live_pending.discard(session_id)
            board = session_id in self._board_pending
            self._board_pending.discard(session_id)
            return board


class RedisPresence(Presence):
    """Presence shared by every worker of a deployment through Redis, with the same interface.

    Each worker writes only its own keys: per session, a hash of its connections (sid -> connection) and a set of the
    participants it has connected. Readers take the union over every worker in the registry, so a participant
    with a tab on each of two workers counts once. Nobody has to clean up after a worker that dies (SIGKILL, a
    lost host): each of its keys expires ``ttl`` seconds after its last heartbeat, and the phones it served come
    back on another worker under the same participant ids. The heartbeat rewrites the worker's keys from its own
    memory, so they also come back after Redis restarts. ``connection`` stays local (a connection's own handlers run on
    its own worker), and so does the live-refresh claim: each worker throttles the refreshes it sends.
    """

    def __init__(self, client: redis.Redis, *, ttl: float = 3 * HEARTBEAT_SECONDS, worker: str | None = None) -> None:
        super().__init__()
        self._redis = client
        self.ttl = ttl
        self.worker = worker or uuid.uuid4().hex
        self._writing = threading.Lock()  # this worker's Redis writes in order, the heartbeat's rewrite among them
        self._closed = threading.Event()

    def _key(self, *parts: object) -> str:
        return ":".join((CHANNEL, *map(str, parts)))

    def _connections_key(self, session_id: int, worker: str) -> str:
        """A worker's connections in a session: a hash of sid -> connection."""
        return self._key("session", session_id, "connections", worker)

    def _phones_key(self, session_id: int, worker: str) -> str:
        """The participants a worker has connected in a session: a set of ids."""
        return self._key("session", session_id, "phones", worker)

    def _own_keys(self, session_ids: Iterable[int]) -> list[str]:
        return [key(s, self.worker) for s in session_ids for key in (self._connections_key, self._phones_key)]

    def add(self, sid: str, connection: Connection) -> None:
        with self._writing:
            super().add(sid, connection)
            try:
                with self._redis.pipeline() as pipe:
                    self._write(pipe, connection.session_id, {sid: connection})
                    pipe.execute()
            except redis.RedisError:
                super().leave(
                    sid
                )  # the connection fails: no record of it may outlive it, here or in the next heartbeat
                raise

    def leave(self, sid: str) -> Connection | None:
        with self._writing:
            conn = super().leave(sid)
            if conn is None:
                return None
            with self._redis.pipeline() as pipe:
                pipe.hdel(self._connections_key(conn.session_id, self.worker), sid)
                if conn.participant_id is not None and conn.participant_id not in self._phones.get(conn.session_id, ()):
                    pipe.srem(self._phones_key(conn.session_id, self.worker), conn.participant_id)
                pipe.execute()
            return conn

    def _write(self, pipe: redis.client.Pipeline, session_id: int, connections: dict[str, Connection]) -> None:
        """Add ``connections`` to this worker's keys for the session, and give both keys a fresh ``ttl``."""
        connections_key, phones_key = (
            self._connections_key(session_id, self.worker),
            self._phones_key(session_id, self.worker),
        )
        pipe.hset(connections_key, mapping={sid: _encode(connection) for sid, connection in connections.items()})
        phones = {
            connection.participant_id for connection in connections.values() if connection.participant_id is not None
        }
        if phones:
            pipe.sadd(phones_key, *phones)
        pipe.pexpire(connections_key, round(self.ttl * 1000))
        pipe.pexpire(phones_key, round(self.ttl * 1000))

    def _workers(self) -> set[str]:
        return {*self._redis.smembers(self._key("workers")), self.worker}

    def connections(self, session_id: int, audience: Audience | None = None) -> list[tuple[str, Connection]]:
        """Every worker's connections in the session: ``broadcast.disconnect`` closes those of other workers
        through the message queue."""
        with self._redis.pipeline(transaction=False) as pipe:
            for worker in self._workers():
                pipe.hgetall(self._connections_key(session_id, worker))
            found = [(sid, _decode(raw)) for connections in pipe.execute() for sid, raw in connections.items()]
        return [(sid, connection) for sid, connection in found if audience is None or connection.audience is audience]

    def connected(self, session_id: int) -> int:
        return len(self.connected_ids(session_id))

    def connected_ids(self, session_id: int) -> set[int]:
        keys = [self._phones_key(session_id, worker) for worker in self._workers()]
        return {int(participant_id) for participant_id in self._redis.sunion(keys)}

    def qr_shown(self, session_id: int) -> bool:
        return bool(self._redis.sismember(self._key("qr"), session_id))

    def show_qr(self, session_id: int, on: bool) -> None:
        """Kept in Redis, not the database: a restart of every worker leaves it as it was, a restart of Redis
        turns it off."""
        if on:
            self._redis.sadd(self._key("qr"), session_id)
        else:
            self._redis.srem(self._key("qr"), session_id)

    def heartbeat(self) -> None:
        """Say this worker is alive, rewrite its keys with a fresh ``ttl``, and forget workers that are not."""
        with self._writing:
            with self._lock:
                by_session: dict[int, dict[str, Connection]] = {}
                for sid, connection in self._connections.items():
                    by_session.setdefault(connection.session_id, {})[sid] = connection
            with self._redis.pipeline() as pipe:
                pipe.set(self._key("worker", self.worker), 1, px=round(self.ttl * 1000))
                pipe.sadd(self._key("workers"), self.worker)
                for session_id, connections in by_session.items():
                    pipe.delete(*self._own_keys([session_id]))
                    self._write(pipe, session_id, connections)
                pipe.execute()
        others = sorted(self._redis.smembers(self._key("workers")) - {self.worker})
        if others:
            with self._redis.pipeline(transaction=False) as pipe:
                for worker in others:
                    pipe.exists(self._key("worker", worker))
                gone = [worker for worker, alive in zip(others, pipe.execute(), strict=True) if not alive]
            if gone:
                self._redis.srem(self._key("workers"), *gone)  # their session keys expire on their own

    def keep_alive(self, sleep: Callable[[float], object]) -> None:
        """The heartbeat, every third of ``ttl`` until ``close``: run as a background task for the worker's life.

        Redis being away is logged and tried again at the next beat; it never ends the loop.
        """
        while not self._closed.is_set():
            try:
                self.heartbeat()
            except redis.RedisError as error:
                log.warning("Presence heartbeat to Redis failed (%s); trying again", error)
            sleep(self.ttl / 3)

    def close(self) -> None:
        """Stop the heartbeat and take this worker's connections out of Redis now rather than after ``ttl``."""
        self._closed.set()
        with self._writing:
            sessions = {connection.session_id for connection in self._connections.values()}
            with self._redis.pipeline() as pipe:
                pipe.srem(self._key("workers"), self.worker)
                pipe.delete(self._key("worker", self.worker), *self._own_keys(sessions))
                pipe.execute()


def _encode(connection: Connection) -> str:
    return json.dumps(
        [connection.audience.value, connection.session_id, connection.participant_id, connection.name],
        ensure_ascii=False,
    )


def _decode(raw: str) -> Connection:
    audience, session_id, participant_id, name = json.loads(raw)
    return Connection(Audience(audience), session_id, participant_id, name)


def message_queue(config: Mapping[str, Any]) -> str | None:
    """The deployment's message queue from ``MESSAGE_QUEUE``: a Redis URL, or None when one process serves alone.

    Presence is shared through the same Redis, so no other kind of queue is accepted. Each green thread that
    publishes holds a connection of its own: redis-py's default cap of 100 refused publishes ("Too many
    connections") when a room of 1,000 answered at once, and those messages never reached the other workers'
    phones. Unless the URL says otherwise, the cap is ``REDIS_MAX_CONNECTIONS``.
    """
    url = config.get("MESSAGE_QUEUE") or None
    if url is None:
        return None
    url = str(url)
    if not url.startswith(("redis://", "rediss://")):
        raise ValueError(f"PATHWAYS_MESSAGE_QUEUE must be a Redis URL such as redis://127.0.0.1:6379/0, not {url!r}")
    if "max_connections=" not in url:
        url += f"{'&' if '?' in url else '?'}max_connections={REDIS_MAX_CONNECTIONS}"
    return url


REDIS_MAX_CONNECTIONS = 10_000  # per worker, for each of the message queue and presence; as many as phones at most


def init_app(app: Flask, queue: str | None) -> None:
    """In memory for one process; with a message queue, in the queue's Redis, its heartbeat started as a background
    task of the server's async mode (call after ``socketio.init_app``)."""
    if queue is None:
        app.extensions[EXTENSION_KEY] = Presence()
        return
    client = redis.Redis.from_url(queue, decode_responses=True, socket_timeout=10, socket_connect_timeout=10)
    shared = RedisPresence(client)
    shared.heartbeat()  # a worker that cannot reach Redis stops here and says so, rather than count half a room
    socketio.start_background_task(shared.keep_alive, socketio.sleep)
    app.extensions[EXTENSION_KEY] = shared


def presence() -> Presence:
    return current_app.extensions[EXTENSION_KEY]
