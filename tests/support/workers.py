"""Several workers for tests: a real redis-server on a free loopback port, and ``pathways serve`` workers sharing
one data folder through it."""

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import redis

from tests.support.servers import LiveServer, free_port, stop_process
from tests.support.waiting import wait_until


@dataclass
class RedisServer:
    """``redis-server`` for one test module: nothing saved to disk, gone when stopped."""

    folder: Path
    program: str  # where redis-server is: ``services.redis_server_program``
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        log = (self.folder / "redis.log").open("ab")
        command = [self.program, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                   "--dir", str(self.folder)]  # fmt: skip
        self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        client = redis.Redis.from_url(self.url(), socket_timeout=1)

        def answers() -> bool:
            assert self.process.poll() is None, f"redis-server exited early:\n{self.log()}"
            try:
                return bool(client.ping())
            except redis.ConnectionError:
                return False

        try:
            wait_until(answers, timeout=10, message="redis-server to answer PING")
        finally:
            client.close()

    def stop(self) -> None:
        stop_process(self.process)

    def log(self) -> str:
        path = self.folder / "redis.log"
        return path.read_text(errors="replace") if path.exists() else ""


@contextmanager
def running_redis(folder: Path, program: str) -> Iterator[RedisServer]:
    """A fresh redis-server, stopped when done."""
    server = RedisServer(folder, program)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@contextmanager
def running_workers(
    data_dir: Path, message_queue: str, count: int = 2, engine: str | None = None
) -> Iterator[list[LiveServer]]:
    """``count`` workers of one deployment: one data folder (so one database), one message queue, own ports."""
    workers = [LiveServer(data_dir=data_dir, engine=engine) for _ in range(count)]
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("PATHWAYS_MESSAGE_QUEUE", message_queue)  # LiveServer hands its environment to the worker
            for worker in workers:
                worker.start()
        yield workers
    finally:
        for worker in workers:
            worker.stop()
