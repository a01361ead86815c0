"""Student work shown on a step: each artifact's row (its round, its table, who put it up, the names of its pages);
the bytes are kept in the data folder's ``artifacts/`` by ``EvidenceFolder``."""

import json
import time
from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update

from facilitator.store.base import IN_SESSION, StoreBase
from facilitator.store.schema import sessions, step_artifacts
from protocols.artifacts import Artifact, Page, Slot
from protocols.evidence import Kind

ARTIFACTS_FOLDER = "artifacts"
COLUMNS = (
    step_artifacts.c.id,
    step_artifacts.c.session_id,
    step_artifacts.c.item,
    step_artifacts.c.round_number,
    step_artifacts.c.table_number,
    step_artifacts.c.participant_id,
    step_artifacts.c.kind,
    step_artifacts.c.title,
    step_artifacts.c.pages,
    step_artifacts.c.bytes,
    step_artifacts.c.created_at,
    step_artifacts.c.shown_page,
)
UPLOADERS = bindparam("uploaders", expanding=True)
IN_SLOT = (
    (step_artifacts.c.session_id == IN_SESSION)
    & (step_artifacts.c.item == bindparam("item"))
    & (step_artifacts.c.round_number == bindparam("round_number"))
    & step_artifacts.c.table_number.is_not_distinct_from(bindparam("table_number"))
)
NEW_ARTIFACT = insert(step_artifacts).returning(step_artifacts.c.id)
ARTIFACT_BY_ID = select(*COLUMNS).where(step_artifacts.c.id == bindparam("artifact"))
ARTIFACTS_OF_ROUND = (
    select(*COLUMNS)
    .where(
        step_artifacts.c.session_id == IN_SESSION,
        step_artifacts.c.item == bindparam("item"),
        step_artifacts.c.round_number == bindparam("round_number"),
    )
    .order_by(step_artifacts.c.table_number.is_not(None), step_artifacts.c.table_number)
)
# Two uploads to one slot at once: the second waits for the first's transaction (PostgreSQL; SQLite's writer lock
# does the same), so it sees and replaces the first rather than both being kept.
LOCK_SESSION = select(sessions.c.id).where(sessions.c.id == IN_SESSION).with_for_update()
PAGES_IN_SLOT = select(step_artifacts.c.pages).where(IN_SLOT)
EMPTY_SLOT = delete(step_artifacts).where(IN_SLOT)
DELETE_ARTIFACT = delete(step_artifacts).where(step_artifacts.c.id == bindparam("artifact"))
SHOW_PAGE = update(step_artifacts).where(step_artifacts.c.id == bindparam("artifact"))
BY_UPLOADERS = step_artifacts.c.participant_id.in_(UPLOADERS)
UPLOADED_BY = select(*COLUMNS).where(BY_UPLOADERS).order_by(step_artifacts.c.id)
PAGES_OF_UPLOADERS = select(step_artifacts.c.pages).where(BY_UPLOADERS)
FORGET_UPLOADERS = delete(step_artifacts).where(BY_UPLOADERS)
PAGES_OF_SESSION = select(step_artifacts.c.pages).where(step_artifacts.c.session_id == IN_SESSION)
FORGET_SESSION = delete(step_artifacts).where(step_artifacts.c.session_id == IN_SESSION)


def stored_pages(stored: str) -> tuple[Page, ...]:
    """Pages as a row keeps them (student work's and media's alike): JSON [[page name, small picture's name]]."""
    return tuple(Page(image, thumb) for image, thumb in json.loads(stored))


def pages_json(pages: Sequence[Page]) -> str:
    return json.dumps([list(page.names) for page in pages])


def page_names(rows: Sequence[Sequence[Any]]) -> list[str]:
    """The names every page and small picture of these rows (each a row's ``pages``) is kept under."""
    return [name for (stored,) in rows for page in stored_pages(stored) for name in page.names]


def _artifact(row: Sequence[Any]) -> Artifact:
    artifact_id, session_id, item, round_number, table, uploader, kind, title, pages, size, created, shown = row
    return Artifact(
        id=int(artifact_id),
        session_id=int(session_id),
        slot=Slot(int(item), int(round_number), None if table is None else int(table)),
        participant_id=None if uploader is None else int(uploader),
        kind=Kind(kind),
        title=title,
        pages=stored_pages(pages),
        bytes=int(size),
        created_at=float(created),
        shown_page=int(shown),
    )


class Artifacts(StoreBase):
    def put_artifact(
        self,
        session_id: int,
        slot: Slot,
        *,
        participant_id: int | None,
        kind: Kind,
        title: str,
        pages: Sequence[Page],
        size: int,
    ) -> tuple[Artifact, list[str]]:
        """Keep an artifact in its slot, in place of the one there before (one transaction); returns it and the
        names the one it replaced kept its pages under, for the folder to delete."""
        where = {"session": session_id, "item": slot.item, "round_number": slot.round, "table_number": slot.table}
        row = {
            "session_id": session_id,
            "item": slot.item,
            "round_number": slot.round,
            "table_number": slot.table,
            "participant_id": participant_id,
            "kind": kind.value,
            "title": title,
            "pages": pages_json(pages),
            "bytes": size,
            "created_at": time.time(),
            "shown_page": 1,
        }
        with self._db.transaction() as db:
            db.run(LOCK_SESSION, {"session": session_id})
            replaced = page_names(db.run(PAGES_IN_SLOT, where).rows)
            db.run(EMPTY_SLOT, where)
            artifact_id = db.run(NEW_ARTIFACT, row).rows[0][0]
        artifact = Artifact(
            int(artifact_id), session_id, slot, participant_id, kind, title, tuple(pages), size, row["created_at"]
        )
        return artifact, replaced

    def artifact(self, artifact_id: int) -> Artifact | None:
        rows = self._rows(ARTIFACT_BY_ID, {"artifact": artifact_id})
        return _artifact(rows[0]) if rows else None

    def round_artifacts(self, session_id: int, item: int, round_number: int) -> list[Artifact]:
        """What is up in one round of an agenda item: the room's first, then each table's in table order."""
        params = {"session": session_id, "item": item, "round_number": round_number}
        return [_artifact(row) for row in self._rows(ARTIFACTS_OF_ROUND, params)]

    def delete_artifact(self, artifact: Artifact) -> None:
        with self._db.transaction() as db:
            db.run(DELETE_ARTIFACT, {"artifact": artifact.id})

    def show_artifact_page(self, artifact: Artifact, page: int) -> None:
        with self._db.transaction() as db:
            db.run(SHOW_PAGE, {"artifact": artifact.id, "shown_page": page})

    def artifacts_uploaded_by(self, participant_ids: Sequence[int]) -> list[Artifact]:
        if not participant_ids:
            return []
        return [_artifact(row) for row in self._rows(UPLOADED_BY, {"uploaders": list(participant_ids)})]

    def forget_artifacts(self, *, uploaders: Sequence[int] = (), session_id: int | None = None) -> list[str]:
        """Delete the rows of what these participants put up, or of everything in a session; returns the names
        their pages are kept under, for the folder to delete."""
        with self._db.transaction() as db:
            names: list[str] = []
            if uploaders:
                names += page_names(db.run(PAGES_OF_UPLOADERS, {"uploaders": list(uploaders)}).rows)
                db.run(FORGET_UPLOADERS, {"uploaders": list(uploaders)})
            if session_id is not None:
                names += page_names(db.run(PAGES_OF_SESSION, {"session": session_id}).rows)
                db.run(FORGET_SESSION, {"session": session_id})
        return names
