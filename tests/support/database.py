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


def traces(data_dir: Path, *needles: str) -> dict[str, list[str]]:
    """Each file under the data folder that holds any of ``needles`` (as UTF-8 bytes), with what it holds."""
    found = {}
    for path in sorted(data_dir.rglob("*")):
        if path.is_file():
            content = path.read_bytes()
            held = [needle for needle in needles if needle.encode("utf-8") in content]
            if held:
                found[str(path.relative_to(data_dir))] = held
    return found
