"""Connecting to the database: SQLite in the data folder (the default), or PostgreSQL through pg8000 by URL.

Both drivers run in autocommit. A read is one statement with no transaction around it; a write opens its own
transaction (``BEGIN IMMEDIATE`` on SQLite, so it holds the write lock from its first statement and never fails
half-way on a lock). The queries live with their aggregates in ``facilitator.store`` and are the same on both
databases.
"""

import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import URL, Connection, Dialect, Executable, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
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


Parameters = Mapping[str, Any] | Sequence[Mapping[str, Any]]


class Ran(NamedTuple):
    rows: Sequence[Sequence[Any]]  # what a SELECT selected, or what RETURNING returned
    count: int  # the rows an INSERT, UPDATE or DELETE changed


class Prepared(NamedTuple):
    """A statement compiled for one database: its SQL (None if only SQLAlchemy can run it) and, for each positional
    value, the name of the parameter that gives it, or None and the value written into the statement."""

    statement: Executable  # kept alive, as its id is part of the key
    sql: str | None
    values: tuple[tuple[str | None, Any], ...]


def _prepare(statement: Executable, params: Mapping[str, Any], dialect: Dialect) -> Prepared:
    compiled = statement.compile(dialect=dialect, column_keys=list(params))  # type: ignore[attr-defined]
    if compiled.positiontup is None or compiled.post_compile_params or compiled.literal_execute_params:
        return Prepared(statement, None, ())
    values = []
    for name in compiled.positiontup:
        bind = compiled.binds[name]
        values.append((bind.key, None) if bind.required or bind.key in params else (None, bind.effective_value))
    return Prepared(statement, str(compiled), tuple(values))


class Link(NamedTuple):
    """A connection in use. Statements go through ``run``; ``connection`` is SQLAlchemy's own, for the schema."""

    database: "Database"
    connection: Connection

    def run(self, statement: Executable, params: Parameters) -> Ran:
        return self.database.run(self.connection, statement, params)


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
        self._driver_error = self.engine.dialect.loaded_dbapi.Error
        self._prepared: dict[tuple[Any, ...], Prepared] = {}

    @contextmanager
    def connection(self) -> Iterator[Link]:
        """A connection for a few statements, each committed as it runs (reads, mostly)."""
        if self._shared is not None:
            with self._lock:
                yield Link(self, self._shared)
        else:
            with self.engine.connect() as connection:
                yield Link(self, connection)

    def run(self, connection: Connection, statement: Executable, params: Parameters) -> Ran:
        """Run one statement: the rows it selected or returned, as the driver gives them (a flag may come back as 0
        or 1), and how many rows it changed.

        The live room runs these thousands of times a minute, and SQLAlchemy's execution costs 20 to 50 µs a
        statement over the driver's own. So a statement is compiled once for this database and this set of
        parameter names (an UPDATE sets the columns it is given), into the very SQL SQLAlchemy would send, and
        runs on the driver's cursor. A list of parameter sets, or a list of values for IN, goes through SQLAlchemy.
        A driver error is raised as SQLAlchemy raises it, without the parameters, and a broken connection is
        dropped.
        """
        if isinstance(params, Mapping):
            key = (id(statement), *params)
            prepared = self._prepared.get(key)
            if prepared is None:
                prepared = self._prepared[key] = _prepare(statement, params, connection.dialect)
            if prepared.sql is not None:
                values = tuple(value if name is None else params[name] for name, value in prepared.values)
                return self._run_sql(connection, prepared.sql, values)
        result = connection.execute(statement, params)
        return Ran(result.all() if result.returns_rows else [], result.rowcount)

    def _run_sql(self, connection: Connection, sql: str, values: tuple[Any, ...] = ()) -> Ran:
        """SQL as SQLAlchemy compiled it, or a transaction's BEGIN and COMMIT, on the driver's cursor."""
        driver_connection = connection.connection.dbapi_connection
        assert driver_connection is not None
        cursor = driver_connection.cursor()
        try:
            cursor.execute(sql, values) if values else cursor.execute(sql)
            return Ran(cursor.fetchall() if cursor.description else [], cursor.rowcount)
        except (self._driver_error, OSError) as error:  # pg8000 lets a reset socket's OSError through
            broken = isinstance(error, OSError) or connection.dialect.is_disconnect(error, driver_connection, cursor)
            if broken:
                connection.invalidate(error)
                if self._shared is None:
                    self.engine.dispose(close=False)  # the pool's other connections were made before the break
            raise DBAPIError.instance(sql, None, error, self._driver_error, hide_parameters=True,
                                      connection_invalidated=broken, dialect=connection.dialect) from error  # fmt: skip
        finally:
            cursor.close()

    @contextmanager
    def transaction(self) -> Iterator[Link]:
        """A connection inside one transaction: committed when the block ends, rolled back if it raises."""
        with self.connection() as link:
            connection = link.connection
            self._run_sql(connection, self._begin)
            try:
                yield link
            except BaseException:
                if not connection.invalidated:  # a connection that broke has no transaction left to roll back
                    self._run_sql(connection, "ROLLBACK")
                raise
            self._run_sql(connection, "COMMIT")

    @contextmanager
    def schema_transaction(self) -> Iterator[Link]:
        """A transaction one process at a time may hold, to create or upgrade the schema: workers that start at once
        on a new PostgreSQL database would otherwise each create the same tables. (SQLite's BEGIN IMMEDIATE is such
        a transaction already.)"""
        with self.transaction() as link:
            if self.dialect == POSTGRESQL:
                link.connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({SCHEMA_LOCK})")
            yield link

    def forget_deleted(self) -> None:
        """After deleting people's data: SQLite has overwritten the rows (``secure_delete``), and here empties its
        write-ahead log too. PostgreSQL frees deleted rows when (auto)vacuum passes: see docs/DEPLOY.md."""
        if self.dialect == SQLITE:
            with self.connection() as link:
                link.connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        with self._lock:
            if self._shared is not None:
                self._shared.close()
            self.engine.dispose()


def _sqlite_settings(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    """Set on every new SQLite connection, before any statement."""
    _use_wal(dbapi_connection)
    for pragma in (
        "synchronous = FULL",  # an acknowledged answer survives a power cut
        "foreign_keys = ON",
        "secure_delete = ON",  # a deleted session leaves no names or answers in the file
    ):
        dbapi_connection.execute(f"PRAGMA {pragma}")


def _use_wal(dbapi_connection: sqlite3.Connection, attempts: int = 100) -> None:
    """Switch the file to write-ahead logging. Workers that open a new file at the same instant may each try to
    switch it: SQLite then refuses one at once ("database is locked") rather than let them wait on each other, and
    the one refused tries again, by which time the other has switched the file."""
    for attempt in range(attempts):
        try:
            dbapi_connection.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or attempt == attempts - 1:
                raise
            time.sleep(0.01)
