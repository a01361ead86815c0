"""Pathways and its helpers started on this machine for a measurement: a server in a subprocess on a free port, its
settings, and a throwaway PostgreSQL."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from facilitator.loadtest.postgres import PostgresServer, postgresql_programs
from facilitator.runtime import DEFAULT_MAX_CONNECTIONS


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def local_server(
    module_args: list[str], port: int, env: dict[str, str], log: Path | None = None
) -> Iterator[subprocess.Popen]:
    """A server in a subprocess on ``port``, stopped on the way out; ready once /healthz answers."""
    output = log.open("wb") if log else subprocess.DEVNULL
    process = subprocess.Popen([sys.executable, "-m", *module_args, "--port", str(port)], env={**os.environ, **env},
                               stdout=output, stderr=subprocess.STDOUT)  # fmt: skip
    try:
        wait_until_ready(process, module_args[0], lambda: _answers(f"http://127.0.0.1:{port}/healthz"), 30)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=10)
        if log:
            output.close()  # type: ignore[union-attr]


def wait_until_ready(process: subprocess.Popen, name: str, ready: Callable[[], bool], seconds: float,
                     exited: Callable[[], str] = lambda: "") -> None:  # fmt: skip
    """Until ``ready()`` says the process just started answers; a ClickException if it exits first (with what
    ``exited()`` adds) or takes longer than ``seconds``."""
    deadline = time.monotonic() + seconds
    while not ready():
        if process.poll() is not None:
            raise click.ClickException(f"{name} exited before it answered{exited()}")
        if time.monotonic() > deadline:
            raise click.ClickException(f"{name} did not answer within {seconds:g} s")
        time.sleep(0.05)  # a start-up poll in a tool, not a test


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1):
            return True
    except OSError:
        return False


def server_env(token: str, participants: int, database_url: str | None) -> dict[str, str]:
    """The settings of a Pathways server started here: the admin token, the database, and a connection cap with
    room for every phone (each worker of several gets that room too: the phones' share per worker may be uneven)."""
    cap = max(DEFAULT_MAX_CONNECTIONS, participants + 100)
    return {"PATHWAYS_ADMIN_TOKEN": token, "PATHWAYS_MAX_CONNECTIONS": str(cap),
            **({"PATHWAYS_DATABASE_URL": database_url} if database_url else {})}  # fmt: skip


@contextmanager
def throwaway_database(database: str) -> Iterator[str | None]:
    """None for the embedded SQLite; for PostgreSQL, a fresh database on a server of its own, stopped afterwards."""
    if database == "sqlite":
        yield None
        return
    programs = postgresql_programs()
    if programs is None:
        raise click.ClickException("PostgreSQL is not installed here: apt-get install postgresql")
    server = PostgresServer(programs, durable=True)  # committed to disk before each ack, as SQLite is
    server.start()
    try:
        yield server.create_database()
    finally:
        server.stop()
