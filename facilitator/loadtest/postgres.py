"""A throwaway PostgreSQL server for the load test and the tests: ``initdb`` into a temporary folder, ``pg_ctl
start`` on a free loopback port, a fresh database each time. PostgreSQL refuses to run as root, so under root (as in
CI) the server runs as the ``postgres`` user that Debian's package creates."""

import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from itertools import count
from pathlib import Path

import pg8000.native

POSTGRESQL_VERSIONS = Path("/usr/lib/postgresql")  # Debian's postgresql package: one N/bin folder per version

SERVER_USER = "postgres"  # made by Debian's postgresql package; the server runs as this user when we are root
ROLE = "pathways"  # the role Pathways logs in as, with a password, as in production


def postgresql_programs() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``: Debian's newest ``/usr/lib/postgresql/N/bin``, else PATH's;
    None when PostgreSQL is not installed."""
    versions = POSTGRESQL_VERSIONS.glob("*/bin/pg_ctl")
    debian = sorted((path for path in versions if path.parts[-3].isdigit()), key=lambda path: int(path.parts[-3]))
    if debian:
        return debian[-1].parent
    on_path = shutil.which("pg_ctl")
    if on_path is None or shutil.which("initdb", path=str(Path(on_path).parent)) is None:
        return None
    return Path(on_path).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresServer:
    """One server in its own temporary folder, listening on 127.0.0.1 only, with password authentication."""

    def __init__(self, bin_dir: Path, *, durable: bool = False) -> None:
        """``bin_dir`` holds ``initdb`` and ``pg_ctl`` (``postgresql_programs``). ``durable``: each commit reaches the
        disk before it returns, as in production (the load test measures that); the tests do without."""
        self.bin_dir = bin_dir
        self.durable = durable
        self.port = _free_port()
        self.password = secrets.token_urlsafe(18)
        self.folder = Path(tempfile.mkdtemp(prefix="pathways-postgres-"))
        self.data = self.folder / "data"
        self.log_path = self.folder / "server.log"
        self._as_user: list[str] = []
        self._databases = count(1)

    def start(self) -> None:
        """Initialise and start the server; once this returns it accepts connections. On failure, nothing is left."""
        try:
            self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self) -> None:
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam(SERVER_USER)
            except KeyError:
                raise RuntimeError(f"running as root, and there is no {SERVER_USER!r} user to run PostgreSQL") from None
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
            self._as_user = ["runuser", "-u", SERVER_USER, "--"]
        password_file = self.folder / "password"
        password_file.write_text(self.password + "\n", encoding="utf-8")
        if self._as_user:
            os.chown(password_file, owner.pw_uid, owner.pw_gid)
        self._run("initdb", "--pgdata", str(self.data), "--username", ROLE, "--pwfile", str(password_file),
                  "--auth", "scram-sha-256", "--encoding", "UTF8", "--no-locale")  # fmt: skip
        password_file.unlink()
        # fsync off for tests: a test server never needs to survive a power cut, and creating databases is faster.
        options = f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories=''"
        options += " -c fsync=on -c synchronous_commit=on" if self.durable else " -c fsync=off"
        self._run("pg_ctl", "start", "--no-wait", "--pgdata", str(self.data), "--log", str(self.log_path),
                  "--options", options)  # fmt: skip
        deadline = time.monotonic() + 30
        while not self._ready():
            if time.monotonic() > deadline:
                raise RuntimeError(f"PostgreSQL did not accept connections on port {self.port} within 30 s")
            time.sleep(0.05)  # a start-up poll in a tool, not a test

    def _run(self, program: str, *args: str) -> None:
        command = [*self._as_user, str(self.bin_dir / program), *args]
        done = subprocess.run(command, cwd=self.folder, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{program} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")

    def _ready(self) -> bool:
        log = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        if "database system is shut down" in log:  # what the server says last when it could not start
            raise RuntimeError(f"PostgreSQL did not start:\n{log}")
        try:
            self.connect("postgres").close()
        except (pg8000.native.InterfaceError, pg8000.native.DatabaseError):
            return False  # not listening yet, or "the database system is starting up"
        return True

    def connect(self, database: str) -> pg8000.native.Connection:
        return pg8000.native.Connection(ROLE, host="127.0.0.1", port=self.port, database=database,
                                        password=self.password)  # fmt: skip

    def create_database(self) -> str:
        """A new empty database; returns its URL for Pathways."""
        name = f"pathways_{next(self._databases)}"
        admin = self.connect("postgres")
        try:
            admin.run(f"CREATE DATABASE {name}")
        finally:
            admin.close()
        return self.url(name)

    def url(self, database: str) -> str:
        return f"postgresql+pg8000://{ROLE}:{self.password}@127.0.0.1:{self.port}/{database}"

    def query(self, database_url: str, sql: str, **params: object) -> list[list[object]]:
        """Rows read straight from PostgreSQL, past Pathways (``:name`` parameters): what was really stored."""
        connection = self.connect(database_url.rsplit("/", 1)[1])
        try:
            return connection.run(sql, **params)
        finally:
            connection.close()

    def stop(self) -> None:
        """Stop at once (nothing in it is worth a clean shutdown) and remove the folder."""
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "stop", "--pgdata", str(self.data), "--mode", "immediate")
        shutil.rmtree(self.folder, ignore_errors=True)
