"""Fixtures (apps, test clients, real servers and peers, Chromium, services) and the hooks that mark tests by them."""

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from facilitator.app import create_app
from facilitator.extensions import socketio as app_socketio
from facilitator.loadtest.postgres import PostgresServer
from facilitator.store import DATABASE_FILE, Store
from tests.support import services
from tests.support.admin import ADMIN_TOKEN, GOALS, admin_headers
from tests.support.peers import Peer
from tests.support.servers import LiveServer
from tests.support.sockets import SocketClient


@pytest.fixture
def app_settings() -> dict:
    """Settings a test file adds to its apps' (a file overrides this fixture, e.g. with its own catalogues)."""
    return {}


@pytest.fixture
def app(tmp_path: Path, app_settings: dict):
    app = create_app(
        {
            "DATA_DIR": str(tmp_path / "data"),
            "ADMIN_TOKEN": ADMIN_TOKEN,
            "ASYNC_MODE": "threading",
            "LIVE_INTERVAL": 0,
            "PUBLIC_URL": "http://pathways.test",
            "TESTING": True,
            **app_settings,
        }
    )
    yield app
    app.extensions["pathways.store"].close()


@pytest.fixture
def client(app):
    return app.test_client()


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

    def connect(namespace: str, **auth: Any) -> SocketClient:
        test_client = SocketClient(app, app_socketio, namespace=namespace, auth=auth, flask_test_client=client)
        made.append(test_client)
        return test_client

    yield connect
    for test_client in made:
        if test_client.is_connected():
            test_client.disconnect()


# A real server on a real port, driven by real Socket.IO clients, on each server engine.

ENGINES = ("eventlet", "gevent")  # facilitator/runtime.py: the default, and the tested alternative
# A screen's tests in Chromium drive the same server code as the socket tests, which run on both engines; the
# browser runs the default engine only, but for the whole session in real browsers, which runs on both.
BROWSER_ON_BOTH_ENGINES = "test_browser"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    chosen = any("engine" in str(mark.args[0]) for mark in metafunc.definition.iter_markers("parametrize"))
    if "engine" in metafunc.fixturenames and not chosen:
        module = metafunc.module.__name__.rsplit(".", 1)[-1]
        screens_only = module.endswith("_browser") and module != BROWSER_ON_BOTH_ENGINES
        metafunc.parametrize("engine", ENGINES[:1] if screens_only else ENGINES, indirect=True, scope="session")


@pytest.fixture(scope="session")
def engine(request: pytest.FixtureRequest) -> str:
    """The server engine a live test's servers run on: every test using a real server runs once on each (a
    browser test on the default engine: ``pytest_generate_tests``)."""
    return request.param


@pytest.fixture
def live_server(tmp_path: Path, engine: str) -> Iterator[LiveServer]:
    server = LiveServer(data_dir=tmp_path / "data", engine=engine)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def shared_live_server(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Iterator[LiveServer]:
    """One real server for a module whose tests each make their own sessions (starting one takes a second)."""
    server = LiveServer(data_dir=tmp_path_factory.mktemp("shared") / "data", engine=engine)
    server.start()
    yield server
    server.stop()


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


# Debian's Chromium.


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright, one per test module (never a browser a tool downloads)."""
    from playwright.sync_api import sync_playwright

    from tests.support.browser import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def contexts(browser: Any) -> Iterator[Callable[..., Any]]:
    """New browser contexts, closed after the test; a page that throws or is refused by the Content-Security-Policy
    fails the test (axe-core is evaluated, not injected as a script, so no test needs the policy bypassed). Every
    request any context makes is kept in ``contexts.requested``."""
    made: list[Any] = []
    requested: list[str] = []
    problems: list[str] = []

    def watch(page: Any) -> None:
        page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
        page.on("console", lambda message: problems.append(f"{page.url}: {message.text}")
                if "Content Security Policy" in message.text else None)  # fmt: skip

    def make(viewport: dict[str, int], **options: Any) -> Any:
        context = browser.new_context(viewport=viewport, **options)
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
    from tests.support.browser import Screenshots

    return Screenshots(tmp_path / "screens")


# Services: each program is looked for once per test process; missing, the tests that need it skip (fail in CI).


@pytest.fixture(scope="session")
def postgresql_programs() -> Path:
    return services.postgresql_programs()


@pytest.fixture(scope="session")
def redis_server_program() -> str:
    return services.redis_server_program()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """Where a store test's database lives: a fresh SQLite file, or a fresh database on the test PostgreSQL server,
    so each store test runs on both."""
    if request.param == "sqlite":
        return tmp_path / DATABASE_FILE
    return request.getfixturevalue("postgres").create_database()


@pytest.fixture
def store(database: Path | str) -> Iterator[Store]:
    opened = Store(database)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def postgres(postgresql_programs: Path) -> Iterator[PostgresServer]:
    """A throwaway PostgreSQL server, one per test process; each test makes its own database on it."""
    server = PostgresServer(postgresql_programs)
    server.start()
    yield server
    server.stop()


# Markers, from the fixtures a test uses: a real server or a browser makes it ``live`` (so ``-m "not live"`` is a
# quick loop), and a service it starts names it (``-m postgres``, ``-m redis``).
MARKERS_BY_FIXTURE = {
    "engine": ("live",),
    "live_server": ("live",),
    "shared_live_server": ("live",),
    "browser": ("live", "browser"),
    "postgresql_programs": ("postgres",),
    "redis_server_program": ("redis",),
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        for marker in sorted({m for fixture, marks in MARKERS_BY_FIXTURE.items() if fixture in used for m in marks}):
            item.add_marker(marker)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A run that collects no test is an error (exit 4, saying why), never a quiet "no tests ran" (pytest's 5).
    Decided where the run ends: the only process without xdist, xdist's controller with it (never its workers)."""
    worker = hasattr(session.config, "workerinput")
    if exitstatus != pytest.ExitCode.NO_TESTS_COLLECTED or worker or session.config.option.collectonly:
        return
    session.exitstatus = pytest.ExitCode.USAGE_ERROR
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line("ERROR: no tests were collected: check the test paths and -k/-m filters", red=True)
