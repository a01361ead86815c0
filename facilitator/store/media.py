"""Media on a step: each step's row (the facilitator's upload and the names of its pages, the protocol's own file's
page, or none); the bytes are kept in the data folder's ``media/`` by ``EvidenceFolder``."""

import time
from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update

from facilitator.store.activity_tables import step_media
from facilitator.store.artifacts import LOCK_SESSION, page_names, pages_json, stored_pages
from facilitator.store.base import IN_SESSION, StoreBase
from protocols.artifact_pages import Pages
from protocols.artifacts import Page
from protocols.evidence import Kind
from protocols.media import MediaRow, Source

MEDIA_FOLDER = "media"
COLUMNS = (
    step_media.c.id,
    step_media.c.session_id,
    step_media.c.item,
    step_media.c.step_id,
    step_media.c.source,
    step_media.c.kind,
    step_media.c.title,
    step_media.c.pages,
    step_media.c.bytes,
    step_media.c.shown_page,
    step_media.c.created_at,
)
OF_STEP = (
    (step_media.c.session_id == IN_SESSION)
    & (step_media.c.item == bindparam("at_item"))
    & (step_media.c.step_id == bindparam("at_step"))
)
MEDIA_OF_SESSION = select(*COLUMNS).where(step_media.c.session_id == IN_SESSION).order_by(step_media.c.id)
PAGES_OF_STEP = select(step_media.c.pages).where(OF_STEP)
EMPTY_STEP = delete(step_media).where(OF_STEP)
NEW_MEDIA = insert(step_media).returning(step_media.c.id)
TURN_PAGE = update(step_media).where(OF_STEP)
OF_ITEM = (step_media.c.session_id == IN_SESSION) & (step_media.c.item == bindparam("at_item"))
PAGES_OF_ITEM = select(step_media.c.pages).where(OF_ITEM)
FORGET_ITEM = delete(step_media).where(OF_ITEM)
PAGES_OF_SESSION = select(step_media.c.pages).where(step_media.c.session_id == IN_SESSION)
FORGET_SESSION = delete(step_media).where(step_media.c.session_id == IN_SESSION)


def _media(row: Sequence[Any]) -> MediaRow:
    media_id, session_id, item, step_id, source, kind, title, pages, size, shown, created = row
    return MediaRow(
        id=int(media_id),
        session_id=int(session_id),
        item=int(item),
        step_id=step_id,
        source=Source(source),
        kind=None if kind is None else Kind(kind),
        title=title,
        pages=stored_pages(pages),
        bytes=int(size),
        shown_page=int(shown),
        created_at=float(created),
    )


def _row(
    where: dict[str, Any], source: Source, made: Pages | None, pages: Sequence[Page], shown_page: int = 1
) -> dict[str, Any]:
    """Every column of a new row for the step ``where`` names: one INSERT, compiled once, writes them all."""
    return {
        "session_id": where["session"],
        "item": where["at_item"],
        "step_id": where["at_step"],
        "source": source.value,
        "kind": made.kind.value if made else None,
        "title": made.title if made else "",
        "pages": pages_json(pages),
        "bytes": made.bytes if made else 0,
        "shown_page": shown_page,
        "created_at": time.time(),
    }


class Media(StoreBase):
    def session_media(self, session_id: int) -> list[MediaRow]:
        """Every step's row in a session: a few at most, read with every picture of the room."""
        return [_media(row) for row in self._rows(MEDIA_OF_SESSION, {"session": session_id})]

    def put_step_media(
        self, session_id: int, item: int, step_id: str, source: Source, made: Pages | None = None,
        pages: Sequence[Page] = (),
    ) -> tuple[MediaRow, list[str]]:  # fmt: skip
        """Keep a step's media in place of what it had (one transaction, two at once wait on the session's row);
        returns it and the names the replaced upload kept its pages under, for the folder to delete. ``made``: an
        upload's pages as rendered (``pages``: the names they were written under)."""
        where = {"session": session_id, "at_item": item, "at_step": step_id}
        row = _row(where, source, made, pages)
        with self._db.transaction() as db:
            db.run(LOCK_SESSION, {"session": session_id})
            replaced = page_names(db.run(PAGES_OF_STEP, where).rows)
            db.run(EMPTY_STEP, where)
            media_id = db.run(NEW_MEDIA, row).rows[0][0]
        kept = MediaRow(int(media_id), session_id, item, step_id, source, made.kind if made else None, row["title"],
                        tuple(pages), row["bytes"], 1, row["created_at"])  # fmt: skip
        return kept, replaced

    def turn_media_page(self, session_id: int, item: int, step_id: str, page: int) -> None:
        """The page the room is on; a step showing the protocol's own file gets a row to keep it in."""
        where = {"session": session_id, "at_item": item, "at_step": step_id}
        with self._db.transaction() as db:
            db.run(LOCK_SESSION, {"session": session_id})
            if db.run(TURN_PAGE, {**where, "shown_page": page}).count == 0:
                db.run(NEW_MEDIA, _row(where, Source.PROTOCOL, None, (), shown_page=page))

    def forget_item_media(self, session_id: int, item: int) -> list[str]:
        """Delete the rows of an agenda item's steps; returns the names their pages are kept under."""
        where = {"session": session_id, "at_item": item}
        with self._db.transaction() as db:
            names = page_names(db.run(PAGES_OF_ITEM, where).rows)
            db.run(FORGET_ITEM, where)
        return names

    def forget_media(self, session_id: int) -> list[str]:
        """Delete a session's rows; returns the names their pages are kept under, for the folder to delete."""
        with self._db.transaction() as db:
            names = page_names(db.run(PAGES_OF_SESSION, {"session": session_id}).rows)
            db.run(FORGET_SESSION, {"session": session_id})
        return names
