"""What every aggregate's queries share: the database, reading rows, the session parameter, ON CONFLICT inserts.

Every statement is built once at import and compiled once per database (``Database.run``). Parameters are named
after what they hold; an UPDATE without .values() sets the columns named in the parameters it is given. Rows come
back as plain values in the order the statement selects them.
"""

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Select, Table, bindparam
from sqlalchemy.dialects import postgresql, sqlite

from facilitator.store.database import Database

IN_SESSION = bindparam("session")
STEPS = bindparam("steps", expanding=True)


def insert_for(dialect: str) -> Callable[[Table], Any]:
    """The INSERT that knows ON CONFLICT: SQLite and PostgreSQL spell it alike, but each has its own construct."""
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


class StoreBase:
    """The database the aggregates' mixins share. A mixin may call another's methods through ``self``: ``Store``
    composes them all."""

    _db: Database

    def _rows(self, statement: Select, params: dict[str, Any]) -> Sequence[Sequence[Any]]:
        """A read's rows, as plain values in the order the statement selects them."""
        with self._db.connection() as db:
            return db.run(statement, params).rows
