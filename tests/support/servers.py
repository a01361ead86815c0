"""Real servers on real ports: ``pathways serve`` in a subprocess, and the free ports and clean stops they need."""

import functools
import itertools
import os
import random
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from tests.support import ROOT
from tests.support.admin import ADMIN_TOKEN, GOALS, admin_headers
from tests.support.waiting import wait_until

FIRST_PORT = 20_000  # test servers listen from here up to the kernel's range for outgoing connections


def _outgoing_ports_start() -> int:
    """Where the kernel starts picking ports for outgoing connections (and for ``bind`` to port 0)."""
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32_768  # Linux's default; elsewhere a guess that only narrows the block


@functools.cache  # one iterator per process, made on first use: the worker's id is in the environment by then
def _this_workers_ports() -> Iterator[int]:
    """This pytest-xdist worker's own block of ports, from a random place in it (another run may share the
    machine), round and round."""
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    size = max((_outgoing_ports_start() - FIRST_PORT) // workers, 1)
    block = range(FIRST_PORT + worker * size, FIRST_PORT + (worker + 1) * size)
    start = random.SystemRandom().randrange(len(block))
    return itertools.cycle([*block[start:], *block[:start]])


def free_port() -> int:
    """A loopback port nothing listens on, for a server a test starts. Ports come from this worker's own block below
    the kernel's range for outgoing connections, so neither another worker's server nor any client's connection can
    take the port between this check and the server binding it."""
    for port in itertools.islice(_this_workers_ports(), 1_000):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise AssertionError("no free port in this test worker's block")


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
    env: dict[str, str] = field(default_factory=dict)  # settings of its own (PATHWAYS_SMTP_URL…)
    engine: str | None = None  # PATHWAYS_ASYNC_MODE; None keeps the environment's (eventlet unless set)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = {**os.environ, "PATHWAYS_ADMIN_TOKEN": ADMIN_TOKEN, "PYTHONUNBUFFERED": "1", **self.env}
        if self.engine:
            env["PATHWAYS_ASYNC_MODE"] = self.engine
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


def serve(
    data_dir: Path | None, *options: str, env: dict | None = None, preexec_fn: Any = None
) -> tuple[subprocess.Popen, int]:
    """``pathways serve`` on a free port, once it answers, with no ``PATHWAYS_`` setting but ``env``; its stdout (the
    banner) and stderr (warnings, the log) are read apart when it stops (``stopped``). ``preexec_fn`` runs in the
    child before it starts (to give it a process limit, say)."""
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PATHWAYS_")}
    environment.update(env or {}, PYTHONUNBUFFERED="1")
    command = [sys.executable, "-m", "facilitator", "serve", "--port", str(port), *options]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, preexec_fn=preexec_fn)  # fmt: skip

    def up() -> bool:
        assert process.poll() is None, process.communicate()
        try:
            return requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).ok
        except requests.ConnectionError:
            return False

    wait_until(up, timeout=30, message="pathways serve to answer")
    return process, port


def stopped(process: subprocess.Popen) -> tuple[str, str]:
    """Stop the server; what it wrote to stdout and to stderr."""
    process.terminate()
    return process.communicate(timeout=10)
