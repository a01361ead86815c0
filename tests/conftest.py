"""Fixtures: an app per test with its own data folder, Flask and Socket.IO test clients, and a real server."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio

from facilitator.app import create_app
from facilitator.extensions import socketio as app_socketio
from facilitator.loadtest.phone_view import PhoneView

ADMIN_TOKEN = "test-admin-token-0123456789abcdef"
ROOT = Path(__file__).resolve().parent.parent
GOALS = [
    {"title": "Every student reads fluently by grade 3", "description": "Literacy across the curriculum"},
    {"title": "Feedback that moves learning forward", "description": ""},
    {"title": "Belonging for every learner", "description": ""},
]


def wait_until(predicate: Callable[[], Any], timeout: float = 10.0, message: str = "condition") -> Any:
    """Poll ``predicate`` until it returns something truthy; fail the test with ``message`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message}")
        time.sleep(0.02)


@pytest.fixture
def app(tmp_path: Path):
    app = create_app(
        {
            "DATA_DIR": str(tmp_path / "data"),
            "ADMIN_TOKEN": ADMIN_TOKEN,
            "ASYNC_MODE": "threading",
            "LIVE_INTERVAL": 0,
            "PUBLIC_URL": "http://pathways.test",
            "TESTING": True,
        }
    )
    yield app
    app.extensions["pathways.store"].close()


@pytest.fixture
def client(app):
    return app.test_client()


def admin_headers(token: str = ADMIN_TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def create_session(client) -> Callable[..., dict[str, Any]]:
    """Create a session through the API, as a facilitator would; returns the API's JSON."""

    def create(**overrides: Any) -> dict[str, Any]:
        body = {"title": "Spring PD day", "organisation": "Riverside District", "system_goals": GOALS}
        body.update(overrides)
        response = client.post("/api/sessions", json=body, headers=admin_headers())
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return create


@pytest.fixture
def sio(app, client) -> Callable[..., Any]:
    """Flask-SocketIO test clients on a namespace: ``sio("/participant", code=..., name=...)``."""
    made = []

    def connect(namespace: str, **auth: Any):
        test_client = app_socketio.test_client(app, namespace=namespace, auth=auth, flask_test_client=client)
        made.append(test_client)
        return test_client

    yield connect
    for test_client in made:
        if test_client.is_connected():
            test_client.disconnect()


def received(test_client, namespace: str) -> list[tuple[str, Any]]:
    """Every event a test client has received since it last looked; on /participant, the phone's states too."""
    view = test_client.__dict__.setdefault("phone_view", PhoneView())
    found = []
    for packet in test_client.get_received(namespace):
        name, data = packet["name"], packet["args"][0] if packet["args"] else None
        found.append((name, data))
        if namespace == "/participant" and name in PhoneView.PARTS and (state := view.feed(name, data)) is not None:
            found.append(("state", state))
        elif name == "state":
            view.feed(name, data)
    return found


def events(test_client, name: str, namespace: str) -> list[Any]:
    """The payloads of every ``name`` event a test client has received since it last looked."""
    return [data for event, data in received(test_client, namespace) if event == name]


# A real server on a real port, driven by real Socket.IO clients.


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop_process(process: subprocess.Popen | None) -> None:
    """Ask a server the tests started to stop; kill it if it has not within ten seconds."""
    if process and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@dataclass
class LiveServer:
    """``pathways serve`` in a subprocess: the same command a facilitator runs."""

    data_dir: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = {**os.environ, "PATHWAYS_ADMIN_TOKEN": ADMIN_TOKEN, "PYTHONUNBUFFERED": "1"}
        self.log_path = self.data_dir.parent / f"server-{self.port}.log"
        log = self.log_path.open("ab")
        command = [
            sys.executable,
            "-m",
            "facilitator",
            "serve",
            "--port",
            str(self.port),
            "--data-dir",
            str(self.data_dir),
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        log.close()

        def healthy() -> bool:
            assert self.process.poll() is None, f"server exited early:\n{self.log()}"
            try:
                return requests.get(f"{self.url}/healthz", timeout=1).ok
            except requests.ConnectionError:
                return False

        wait_until(healthy, timeout=30, message="the server to answer /healthz")

    def kill(self) -> None:
        """Stop the server the hard way (SIGKILL): nothing gets a chance to flush or say goodbye."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        stop_process(self.process)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path and self.log_path.exists() else ""

    def create_session(self, **overrides: Any) -> dict[str, Any]:
        body = {"title": "Spring PD day", "organisation": "Riverside District", "system_goals": GOALS}
        body.update(overrides)
        response = requests.post(f"{self.url}/api/sessions", json=body, headers=admin_headers(), timeout=10)
        assert response.status_code == 201, response.text
        return response.json()


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    server = LiveServer(data_dir=tmp_path / "data")
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def shared_live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One real server for a module whose tests each make their own sessions (starting one takes a second)."""
    server = LiveServer(data_dir=tmp_path_factory.mktemp("shared") / "data")
    server.start()
    yield server
    server.stop()


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

    def wait_for(self, event: str, predicate: Callable[[Any], bool] = lambda data: True, timeout: float = 10) -> Any:
        """The first ``event`` payload (oldest first) that satisfies ``predicate``; waits for it to arrive."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for name, data in self.received:
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


@pytest.fixture
def peers() -> Iterator[Callable[..., Peer]]:
    """Make real Socket.IO peers; each is disconnected after the test."""
    made: list[Peer] = []

    def make(url: str, namespace: str, transports: list[str] | None = None, **auth: Any) -> Peer:
        peer = Peer(url, namespace, auth, transports)
        made.append(peer)
        return peer

    yield make
    for peer in made:
        peer.disconnect()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright, one per test module (never a browser a tool downloads)."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def contexts(browser: Any) -> Iterator[Callable[..., Any]]:
    """New browser contexts, closed after the test; a page that throws or is refused by the Content-Security-Policy
    fails the test. ``bypass_csp=True`` only where a test injects axe-core, an inline script the app's policy
    rightly forbids. Every request any context makes is kept in ``contexts.requested``."""
    made: list[Any] = []
    requested: list[str] = []
    problems: list[str] = []

    def watch(page: Any) -> None:
        page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
        page.on("console", lambda message: problems.append(f"{page.url}: {message.text}")
                if "Content Security Policy" in message.text else None)  # fmt: skip

    def make(viewport: dict[str, int], *, bypass_csp: bool = False, **options: Any) -> Any:
        context = browser.new_context(viewport=viewport, bypass_csp=bypass_csp, **options)
        context.on("request", lambda request: requested.append(request.url))
        context.on("page", watch)
        made.append(context)
        return context

    make.requested = requested  # type: ignore[attr-defined]
    yield make
    for context in made:
        context.close()
    assert not problems, f"the pages threw or broke the CSP: {problems}"


@pytest.fixture
def shots(tmp_path: Path) -> Any:
    """Screenshots of the test's screens (copied to $PATHWAYS_SCREENSHOTS when set)."""
    from tests.browser import Screenshots

    return Screenshots(tmp_path / "screens")


LIVE_FIXTURES = {"live_server", "shared_live_server", "browser"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that starts a real server or a browser is ``live``, so ``-m "not live"`` is a quick loop."""
    for item in items:
        if LIVE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.live)


def pytest_collection_finish(session: pytest.Session) -> None:
    """A run that collects no test is an error, never a quiet pass (pytest would otherwise exit 5)."""
    if not session.items and not session.config.option.collectonly:
        raise pytest.UsageError("no tests were collected: check the test paths and -k/-m filters")
