"""``pathways loadtest --local --workers N``: one deployment of several workers started here and driven as one room.

A redis-server of its own (a free loopback port, a temporary folder, nothing saved), then N ``pathways serve``
processes sharing one data folder, one admin token and that Redis, as docs/DEPLOY.md's "Several workers" sets them
up. The console joins the first worker; the phones join every worker in turn. Beside the room's figures it reads
what a district provisions from: each worker's memory and CPU time, Redis's peak memory and CPU time, and the
generator's own CPU time (it shares the machine).
"""

import resource
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from pathlib import Path

import click
import redis

from facilitator.loadtest.generator import Options, run_sync
from facilitator.loadtest.local import free_port, local_server, server_env, throwaway_database, wait_until_ready
from facilitator.loadtest.report import POSTGRESQL_TARGET, Report, cpu_seconds, rss_kb
from protocols.credentials import new_secret

REDIS_MISSING = "redis-server is not installed here: apt-get install redis-server"


@contextmanager
def redis_server(folder: Path) -> Iterator[redis.Redis]:
    """A throwaway redis-server on a free loopback port, stopped on the way out; yields a client of it, ready."""
    program = shutil.which("redis-server")
    if program is None:
        raise click.ClickException(REDIS_MISSING)
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    command = [program, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
               "--dir", str(folder)]  # fmt: skip
    with (folder / "redis.log").open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=5)
    try:
        wait_until_ready(process, "redis-server", lambda: _pings(client), 10,
                         lambda: f": {_tail(folder / 'redis.log')}")  # fmt: skip
        yield client
    finally:
        client.close()
        process.terminate()
        process.wait(timeout=10)


def _pings(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.ConnectionError:
        return False


def run_workers(options: Options, workers: int, database: str = "sqlite") -> Report:
    """The whole scenario against ``workers`` local workers of one deployment on ``database``; the report adds
    each worker's share of the phones, memory and CPU time, and Redis's."""
    token = new_secret()
    target = f"{POSTGRESQL_TARGET if database == 'postgresql' else 'pathways'}, {workers} workers"
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="pathways-loadtest-")))
        database_url = stack.enter_context(throwaway_database(database))
        queue = stack.enter_context(redis_server(folder / "redis"))
        address = queue.connection_pool.connection_kwargs
        env = {**server_env(token, options.participants, database_url),
               "PATHWAYS_MESSAGE_QUEUE": f"redis://{address['host']}:{address['port']}/0"}  # fmt: skip
        ports, processes = [], []
        for number in range(1, workers + 1):  # one after the other: each answers /healthz before the next starts
            ports.append(free_port())
            serve = ["facilitator", "serve", "--data-dir", str(folder / "data")]
            processes.append(stack.enter_context(local_server(serve, ports[-1], env, folder / f"worker-{number}.log")))
        pids = tuple(process.pid for process in processes)
        urls = tuple(f"http://127.0.0.1:{port}" for port in ports)
        cpu_before = [cpu_seconds(pid) or 0.0 for pid in pids]  # what starting up cost is not the room's
        redis_before = _redis_cpu(queue)
        generator_before, started = _own_cpu(), time.monotonic()
        report = run_sync(replace(options, url=urls[0], phone_urls=urls, admin_token=token, server_pids=pids), target)
        report.run_seconds = round(time.monotonic() - started, 1)
        report.generator_cpu_s = round(_own_cpu() - generator_before, 1)
        spent = zip(pids, cpu_before, strict=True)
        report.worker_cpu_s = [round((cpu_seconds(pid) or 0.0) - before, 1) for pid, before in spent]
        # The larger of each worker's memory with every phone in the room and after the export (which may grow it)
        during = report.worker_rss_mb if len(report.worker_rss_mb) == len(pids) else [0.0] * len(pids)
        after = [round((rss_kb(pid) or 0) / 1024, 1) for pid in pids]
        report.worker_rss_mb = [max(pair) for pair in zip(during, after, strict=True)]
        info = queue.info()
        report.redis_peak_mb = round(info["used_memory_peak"] / 2**20, 1)
        report.redis_cpu_s = round(_redis_cpu(queue) - redis_before, 1)
        if report.errors or report.lost or report.missing_from_export:
            for number in range(1, workers + 1):
                click.echo(f"worker {number}'s log ends:\n{_tail(folder / f'worker-{number}.log')}", err=True)
    return report


def _redis_cpu(client: redis.Redis) -> float:
    info = client.info("cpu")
    return float(info["used_cpu_sys"]) + float(info["used_cpu_user"])


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _tail(path: Path, lines: int = 20) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else "(no log)"
