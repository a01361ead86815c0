"""Connecting to the database: SQLite in the data folder (the default), or PostgreSQL through pg8000 by URL.

Both drivers run in autocommit. A read is one statement with no transaction around it; a write opens its own
transaction (``BEGIN IMMEDIATE`` on SQLite, so it holds the write lock from its first statement and never fails
half-way on a lock). The queries themselves live in ``facilitator.store`` and are the same on both databases.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import StaticPool

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
DRIVERS = {"sqlite": "sqlite+pysqlite", "postgresql": "postgresql+pg8000", "postgres": "postgresql+pg8000"}
DEFAULT_POOL_SIZE = 10  # PostgreSQL connections per process, opened as needed and kept
URL_HELP = "see the PostgreSQL section of docs/DEPLOY.md"
SCHEMA_LOCK = 0x7061_7468  # "path": PostgreSQL's advisory lock key for changing the schema


class DatabaseConfigError(ValueError):
    """A database URL Pathways cannot use. The message never repeats the URL: it may hold a password."""


def database_url(database: Path | str) -> URL:
    """The URL for ``database``: a path is an SQLite file; ``postgresql://`` means PostgreSQL through pg8000.

    pg8000 is pure Python, so under eventlet its socket I/O is cooperative; a C driver would stall every phone
    while it waits for the database. Other drivers and databases are refused.
    """
    if isinstance(database, Path) or "://" not in database:
        return URL.create(DRIVERS[SQLITE], database=str(Path(database).expanduser()))
    try:
        url = make_url(database)
    except (ArgumentError, ValueError):
        raise DatabaseConfigError(f"The database URL cannot be read; {URL_HELP}.") from None
    url = url.set(drivername=DRIVERS.get(url.drivername, url.drivername))
    if url.drivername not in DRIVERS.values():
        raise DatabaseConfigError(
            f"Pathways runs on SQLite or on PostgreSQL through pg8000 (postgresql+pg8000://...), not on "
            f"{url.drivername!r}; {URL_HELP}."
        )
    if url.get_backend_name() == SQLITE and not url.database:
        raise DatabaseConfigError(f"An SQLite database URL must name a file (sqlite:////path/to/file); {URL_HELP}.")
    return url


class Database:
    """An engine and the way each statement reaches it.

    SQLite: one connection, guarded by a lock (a green lock under eventlet), as SQLite serialises writers anyway.
    PostgreSQL: a pool of ``pool_size`` connections, so many green threads can wait on the database at once.
    """

    def __init__(self, database: Path | str, *, pool_size: int = DEFAULT_POOL_SIZE) -> None:
        url = database_url(database)
        self.dialect = url.get_backend_name()
        # Statement parameters hold answers and secrets' digests: they never appear in an error message or a log.
        options: dict[str, Any] = {"isolation_level": "AUTOCOMMIT", "hide_parameters": True}
        if self.dialect == SQLITE:
            self.path: Path | None = Path(url.database or "")
            self.path.parent.mkdir(parents=True, exist_ok=True)
            options.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
            self._begin = "BEGIN IMMEDIATE"
        else:
            self.path = None
            # A fixed pool: a connection costs tens of milliseconds of SCRAM authentication in pure Python, so
            # none is opened for a burst and closed after it; a green thread waits for a free one instead.
            options.update(pool_size=pool_size, max_overflow=0)
            self._begin = "BEGIN"
        self.engine = create_engine(url, **options)
        if self.dialect == SQLITE:
            event.listen(self.engine, "connect", _sqlite_settings)
        self._lock = threading.RLock()
        self._shared = self.engine.connect() if self.dialect == SQLITE else None

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        """A connection for a few statements, each committed as it runs (reads, mostly)."""
        if self._shared is not None:
            with self._lock:
                yield self._shared
        else:
            with self.engine.connect() as connection:
                yield connection

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A connection inside one transaction: committed when the block ends, rolled back if it raises."""
        with self.connection() as connection:
            connection.exec_driver_sql(self._begin)
            try:
                yield connection
            except BaseException:
                if not connection.invalidated:  # a connection that broke has no transaction left to roll back
                    connection.exec_driver_sql("ROLLBACK")
                raise
            connection.exec_driver_sql("COMMIT")

    @contextmanager
    def schema_transaction(self) -> Iterator[Connection]:
        """A transaction one process at a time may hold, to create or upgrade the schema: workers that start at once
        on a new PostgreSQL database would otherwise each create the same tables. (SQLite's BEGIN IMMEDIATE is such
        a transaction already.)"""
        with self.transaction() as connection:
            if self.dialect == POSTGRESQL:
                connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({SCHEMA_LOCK})")
            yield connection

    def forget_deleted(self) -> None:
        """After deleting people's data: SQLite has overwritten the rows (``secure_delete``), and here empties its
        write-ahead log too. PostgreSQL frees deleted rows when (auto)vacuum passes: see docs/DEPLOY.md."""
        if self.dialect == SQLITE:
            with self.connection() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        with self._lock:
            if self._shared is not None:
                self._shared.close()
            self.engine.dispose()


def _sqlite_settings(dbapi_connection: Any, _record: Any) -> None:
    """Set on every new SQLite connection, before any statement."""
    for pragma in (
        "journal_mode = WAL",
        "synchronous = FULL",  # an acknowledged answer survives a power cut
        "foreign_keys = ON",
        "secure_delete = ON",  # a deleted session leaves no names or answers in the file
    ):
        dbapi_connection.execute(f"PRAGMA {pragma}")
