"""Secrets stay out of logs: participant tokens, facilitator and organisation keys and the admin token are redacted
from every log line, whichever logger writes it, in its message, its arguments and its traceback."""

import logging
import sqlite3

import pytest
import requests

import participant.pages
from facilitator.edge.log_redaction import REDACTED, redact
from protocols.credentials import new_secret
from tests.support.servers import LiveServer
from tests.support.sockets import events
from tests.support.waiting import wait_until

SECRET = "Qv3_kz-8Tt0aWm2LxN5pR7sY9bC1dE4f"  # shaped as Pathways makes them: 32 URL-safe characters


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        (f'"GET /p/{SECRET}/plan HTTP/1.1" 500 -', f'"GET /p/{REDACTED}/plan HTTP/1.1" 500 -'),
        (f"Exception on /p/{SECRET}/check-ins [POST]", f"Exception on /p/{REDACTED}/check-ins [POST]"),
        ("GET /c/short-check-in-token/checkin.ics", f"GET /c/{REDACTED}/checkin.ics"),
        (f"http://pathways.test/console/ABCDEF#key={SECRET}", f"http://pathways.test/console/ABCDEF#key={REDACTED}"),
        (f"/leaders#organisation=4&key={SECRET}", f"/leaders#organisation=4&key={REDACTED}"),
        (f"GET /api/follow-up?code=ABCDEF&token={SECRET}&x=1", f"GET /api/follow-up?code=ABCDEF&token={REDACTED}&x=1"),
        (f"Authorization: Bearer {SECRET}", f"Authorization: Bearer {REDACTED}"),
        ("Authorization: Bearer env-token-123", f"Authorization: Bearer {REDACTED}"),
        (f"X-Facilitator-Key: {SECRET}", f"X-Facilitator-Key: {REDACTED}"),
        (f"auth {{'code': 'ABCDEF', 'token': '{SECRET}'}}", f"auth {{'code': 'ABCDEF', 'token': '{REDACTED}'}}"),
        (f'{{"facilitator_key": "{SECRET}", "n": 2}}', f'{{"facilitator_key": "{REDACTED}", "n": 2}}'),
        (f"no participant holds {SECRET}.", f"no participant holds {REDACTED}."),  # a secret anywhere, by its shape
    ],
)
def test_secrets_are_redacted_and_the_rest_of_the_line_is_kept(line, kept):
    assert redact(line) == kept


@pytest.mark.parametrize(
    "line",
    [
        "Exception on /api/sessions/ABCDEF [PATCH]",
        '    key = request.headers.get(KEY_HEADER, "").strip()',  # a traceback's source line
        '  File "/tests/test_log_redaction.py", in test_an_unhandled_error_on_a_token_route_logs_no_token',
        "sqlite3.OperationalError: no such table: check_ins",
    ],
)
def test_what_is_not_a_secret_stays_readable(line):
    assert redact(line) == line


def test_every_logger_redacts_its_message_its_arguments_and_its_traceback(app, caplog):
    """Any logger, even one Pathways never names, once an app exists: the redaction happens as a record is made."""
    secret = new_secret()
    logger = logging.getLogger("some.library.nobody.configured")
    try:
        raise ValueError(f"no such participant {secret}")
    except ValueError:
        logger.exception("failed on %s with %r", f"/p/{secret}/plan", {"key": secret})
    logger.warning("Bearer %s", secret)
    logger.warning("a message whose arguments do not fit: %d", secret)
    text = caplog.text
    assert secret not in text, text
    assert f"/p/{REDACTED}/plan" in text and f"'key': '{REDACTED}'" in text and f"Bearer {REDACTED}" in text
    assert "Traceback" in text and f"ValueError: no such participant {REDACTED}" in text
    assert f"do not fit: %d ('{REDACTED}',)" in text


def test_an_unhandled_error_on_a_token_route_logs_the_path_without_the_token(app, client, sio, create_session,
                                                                           monkeypatch, caplog):  # fmt: skip
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: Flask logs the error and answers 500
    created = create_session()
    phone = sio("/participant", code=created["code"], name="Ana")
    token = events(phone, "welcome", "/participant")[0]["token"]

    def broken(given: str):
        raise RuntimeError(f"the plan of {given} could not be read")

    monkeypatch.setattr(participant.pages, "own_plan", broken)
    with caplog.at_level(logging.ERROR):
        assert client.get(f"/p/{token}/plan").status_code == 500
    assert "Exception on /p/" in caplog.text and "RuntimeError" in caplog.text
    assert token not in caplog.text, caplog.text
    assert f"/p/{REDACTED}/plan" in caplog.text and f"the plan of {REDACTED}" in caplog.text


@pytest.mark.parametrize("engine", ["eventlet", "gevent", "threading"])
def test_a_real_server_failing_on_a_token_route_logs_no_secret(tmp_path, peers, monkeypatch, engine):
    """The default engine logs Flask's error line and traceback; threading's server also logs every request line."""
    monkeypatch.setenv("PATHWAYS_ASYNC_MODE", engine)
    server = LiveServer(data_dir=tmp_path / "data")
    server.start()
    try:
        created = server.create_session()
        phone = peers(server.url, "/participant", code=created["code"], name="Ana").connect()
        token = phone.wait_for("welcome")["token"]
        key = created["facilitator_key"]
        assert requests.get(f"{server.url}/p/{token}/plan", timeout=10).status_code == 200
        assert requests.get(f"{server.url}/console/{created['code']}?key={key}", timeout=10).status_code == 200
        with sqlite3.connect(tmp_path / "data" / "pathways.sqlite3") as database:
            database.execute("DROP TABLE check_ins")  # the plan page reads it: its route now fails unhandled
        assert requests.get(f"{server.url}/p/{token}/plan", timeout=10).status_code == 500
        wait_until(lambda: "no such table" in server.log(), message="the error in the server's log")
    finally:
        server.stop()
    log = server.log()
    assert f"Exception on /p/{REDACTED}/plan [GET]" in log, log
    assert token not in log and key not in log, log
    if engine == "threading":
        assert f"GET /p/{REDACTED}/plan HTTP/1.1" in log and f"?key={REDACTED} HTTP/1.1" in log, log
