"""Real python-socketio clients of a real server, as phones, consoles and projectors connect to it."""

import threading
import time
from collections.abc import Callable
from typing import Any

import socketio

from facilitator.loadtest.phone_view import PhoneView


class Peer:
    """A real python-socketio client on one namespace that records every event it receives (on /participant, with
    the phone's states: see ``PhoneView``)."""

    def __init__(self, url: str, namespace: str, auth: dict[str, Any], transports: list[str] | None = None) -> None:
        self.namespace = namespace
        self.received: list[tuple[str, Any]] = []
        self._phone = PhoneView()
        self.refusal: Any = None
        self._changed = threading.Condition()
        self.client = socketio.Client(reconnection=False)
        self.client.on("*", self._record, namespace=namespace)
        self.client.on("connect_error", self._refused, namespace=namespace)
        self.url = url
        self.auth = auth
        self.transports = transports or ["websocket"]

    def _record(self, event: str, data: Any = None) -> None:
        with self._changed:
            self.received.append((event, data))
            state = self._phone.feed(event, data) if self.namespace == "/participant" else None
            if state is not None and event != "state":
                self.received.append(("state", state))
            self._changed.notify_all()

    def _refused(self, data: Any = None) -> None:
        with self._changed:
            self.refusal = data
            self._changed.notify_all()

    def connect(self) -> "Peer":
        self.client.connect(self.url, namespaces=[self.namespace], auth=self.auth, transports=self.transports,
                            wait_timeout=10)  # fmt: skip
        return self

    def call(self, event: str, data: Any = None) -> Any:
        return self.client.call(event, data, namespace=self.namespace, timeout=10)

    def all(self, event: str) -> list[Any]:
        with self._changed:
            return [data for name, data in self.received if name == event]

    def wait_for(
        self, event: str, predicate: Callable[[Any], bool] = lambda data: True, timeout: float = 10, since: int = 0
    ) -> Any:
        """The first ``event`` payload (oldest first) that satisfies ``predicate``; waits for it to arrive. ``since``
        skips what came before a moment the test noted as ``len(peer.received)``."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for name, data in self.received[since:]:
                    if name == event and predicate(data):
                        return data
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [name for name, _ in self.received][-10:]
                    raise AssertionError(f"{self.namespace}: no {event!r} matching in {timeout}s; last events {seen}")
                self._changed.wait(remaining)

    def latest(self, event: str) -> Any:
        found = self.all(event)
        return found[-1] if found else None

    def disconnect(self) -> None:
        if self.client.connected:
            self.client.disconnect()


def console_answers(server: Any, peers: Callable[..., Peer], created: dict[str, Any]) -> dict[str, str]:
    """What the facilitator's console sees of the open step's answers, by name (a fresh connection)."""
    console = peers(server.url, "/facilitator", code=created["code"], key=created["facilitator_key"]).connect()
    state = console.wait_for("state")
    console.disconnect()
    return {answer["name"]: answer["value"] for answer in state["answers"]}
