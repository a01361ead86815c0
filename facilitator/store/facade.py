"""The one ``Store`` the app talks to, composed of each aggregate's queries, and its binding to a Flask app."""

from pathlib import Path

from flask import Flask, current_app

from facilitator.store import activity_tables  # noqa: F401  (registers the activities' tables)
from facilitator.store.answers import Answers
from facilitator.store.artifacts import Artifacts
from facilitator.store.coaching import Coaching
from facilitator.store.database import DEFAULT_POOL_SIZE, Database
from facilitator.store.evidence import Evidence
from facilitator.store.followup import FollowUp
from facilitator.store.groups import Groups
from facilitator.store.ideas import Ideas
from facilitator.store.media import Media
from facilitator.store.organisations import Organisations
from facilitator.store.outbox import Outbox
from facilitator.store.parking_lot import ParkingLot
from facilitator.store.participants import Participants
from facilitator.store.progress import Progress
from facilitator.store.schema import create_or_upgrade
from facilitator.store.sessions import Sessions

DATABASE_FILE = "pathways.sqlite3"
EXTENSION_KEY = "pathways.store"


class Store(
    Sessions,
    Groups,
    Participants,
    Answers,
    Organisations,
    FollowUp,
    Coaching,
    Outbox,
    Evidence,
    Progress,
    Artifacts,
    Media,
    ParkingLot,
    Ideas,
):
    """The database: SQLite in the data folder, or PostgreSQL. Every write is committed before the method returns.

    One facade made of one mixin per aggregate rather than an object per aggregate behind it: every call site keeps
    calling ``store.method(...)``, each method is written once where its SQL is (no forwarding methods to keep in
    step), and the aggregates share one database and call each other (a participant's session, a session's
    participant count) through ``self``.
    """

    def __init__(self, database: Path | str, *, pool_size: int = DEFAULT_POOL_SIZE) -> None:
        """``database``: an SQLite file, or a database URL (``postgresql+pg8000://user:password@host/name``)."""
        self._db = Database(database, pool_size=pool_size)
        self.path = self._db.path  # the SQLite file; None on PostgreSQL
        create_or_upgrade(self._db)

    def close(self) -> None:
        self._db.close()


def init_app(app: Flask) -> None:
    """The app's store: ``DATABASE_URL`` (``PATHWAYS_DATABASE_URL``) if set, else SQLite in the data folder."""
    database = app.config.get("DATABASE_URL") or Path(app.config["DATA_DIR"]) / DATABASE_FILE
    pool_size = int(app.config.get("DATABASE_POOL_SIZE") or DEFAULT_POOL_SIZE)
    app.extensions[EXTENSION_KEY] = Store(database, pool_size=pool_size)


def get_store() -> Store:
    return current_app.extensions[EXTENSION_KEY]
