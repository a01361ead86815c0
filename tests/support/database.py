"""Databases read past the store: what a refused call must leave as it was, and what the store really set up."""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from facilitator.store.database import Database


def fingerprint(app: Any) -> tuple:
    """Everything a refused call must leave as it was."""
    db = sqlite3.connect(app.extensions["pathways.store"].path)
    try:
        return (
            db.execute("SELECT code, title, position, locked, agenda FROM sessions ORDER BY id").fetchall(),
            db.execute("SELECT id, name FROM participants ORDER BY id").fetchall(),
            db.execute("SELECT participant_id, step_id, value, hidden, spotlight FROM answers ORDER BY id").fetchall(),
            db.execute("SELECT participant_id, group_number FROM group_members ORDER BY participant_id").fetchall(),
        )
    finally:
        db.close()


@contextmanager
def behind_the_store(database: Path | str) -> Iterator[Database]:
    """The same database reached past the store, with the store's own settings (foreign keys on, on SQLite)."""
    reached = Database(database)
    try:
        yield reached
    finally:
        reached.close()
