"""The parking lot's queries: a session's items with their upvotes counted, each person's upvotes, the projector's
switch, and deleting what a person or a session held."""

from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import Insert, bindparam, delete, func, select, update

from facilitator.store.activity_tables import parking_lot_boards, parking_lot_items, parking_lot_upvotes
from facilitator.store.base import IN_SESSION, StoreBase, insert_for
from protocols.parking_lot import Item, ItemState, Post

ITEM = bindparam("item")
IDS = bindparam("ids", expanding=True)
PEOPLE = bindparam("people", expanding=True)
items = parking_lot_items.c
votes = parking_lot_upvotes.c
UPVOTES = select(func.count()).where(votes.item_id == items.id).correlate(parking_lot_items).scalar_subquery()
COLUMNS = (items.id, items.session_id, items.participant_id, items.text, items.state, items.answer, items.hidden,
           UPVOTES, items.created_at, items.answered_at, items.done_at, items.agenda_item)  # fmt: skip
IN_BOARD = items.session_id == IN_SESSION
ORDER = (items.created_at, items.id)
ITEMS = select(*COLUMNS).where(IN_BOARD).order_by(*ORDER)
ITEMS_BY_IDS = select(*COLUMNS).where(IN_BOARD, items.id.in_(IDS)).order_by(*ORDER)
ITEM_BY_ID = select(*COLUMNS).where(items.id == ITEM)
OF_AUTHOR = items.participant_id == bindparam("participant")
BY_CLIENT = select(*COLUMNS).where(OF_AUTHOR, items.client_id == bindparam("client"))
POST_TIMES = select(items.created_at).where(IN_BOARD, OF_AUTHOR)
UPVOTED = (
    select(votes.item_id)
    .join(parking_lot_items, items.id == votes.item_id)
    .where(IN_BOARD, votes.participant_id == bindparam("participant"))
)
TAKE_BACK = delete(parking_lot_upvotes).where(votes.item_id == ITEM, votes.participant_id == bindparam("participant"))
CHANGE_ITEM = update(parking_lot_items).where(items.id == ITEM)
PROJECTED = select(parking_lot_boards.c.projected).where(parking_lot_boards.c.session_id == IN_SESSION)
OF_PEOPLE = select(items.id).where(items.participant_id.in_(PEOPLE))
IN_SESSIONS = select(items.id).where(items.session_id == IN_SESSION)
FORGET_PEOPLE = (
    delete(parking_lot_upvotes).where(votes.participant_id.in_(PEOPLE)),
    delete(parking_lot_upvotes).where(votes.item_id.in_(OF_PEOPLE)),
    delete(parking_lot_items).where(items.participant_id.in_(PEOPLE)),
)
FORGET_SESSION = (
    delete(parking_lot_upvotes).where(votes.item_id.in_(IN_SESSIONS)),
    delete(parking_lot_items).where(items.session_id == IN_SESSION),
    delete(parking_lot_boards).where(parking_lot_boards.c.session_id == IN_SESSION),
)


@cache
def _new_item(dialect: str) -> Insert:
    """Keep a post unless the phone sent it already: a resend arriving with the first adds nothing."""
    return insert_for(dialect)(parking_lot_items).on_conflict_do_nothing()


@cache
def _new_upvote(dialect: str) -> Insert:
    """One upvote per person per item: a double tap or a resend after a reconnect adds nothing."""
    return insert_for(dialect)(parking_lot_upvotes).on_conflict_do_nothing()


@cache
def _projected(dialect: str) -> Insert:
    insert = insert_for(dialect)(parking_lot_boards)
    return insert.on_conflict_do_update(index_elements=["session_id"], set_={"projected": insert.excluded.projected})


def _item(row: Sequence[Any]) -> Item:
    item_id, session_id, participant_id, text, state, answer, hidden, upvotes, created, answered, done, agenda = row
    return Item(
        id=int(item_id),
        session_id=int(session_id),
        participant_id=int(participant_id),
        text=text,
        state=ItemState(state),
        answer=answer,
        hidden=bool(hidden),
        upvotes=int(upvotes),
        created_at=float(created),
        answered_at=None if answered is None else float(answered),
        done_at=None if done is None else float(done),
        agenda_item=None if agenda is None else int(agenda),
    )


class ParkingLot(StoreBase):
    def parking_items(self, session_id: int, ids: Sequence[int] | None = None) -> list[Item]:
        """The session's items (only ``ids``, if given), oldest first, each with its upvotes counted."""
        if ids is None:
            return [_item(row) for row in self._rows(ITEMS, {"session": session_id})]
        if not ids:
            return []
        return [_item(row) for row in self._rows(ITEMS_BY_IDS, {"session": session_id, "ids": list(ids)})]

    def parking_item(self, item_id: int) -> Item | None:
        rows = self._rows(ITEM_BY_ID, {"item": item_id})
        return _item(rows[0]) if rows else None

    def parking_item_posted(self, participant_id: int, client_id: str) -> Item | None:
        """The item this phone posted under ``client_id``, if the server has it already."""
        rows = self._rows(BY_CLIENT, {"participant": participant_id, "client": client_id})
        return _item(rows[0]) if rows else None

    def parking_post_times(self, session_id: int, participant_id: int) -> list[float]:
        return [float(at) for (at,) in self._rows(POST_TIMES, {"session": session_id, "participant": participant_id})]

    def add_parking_item(self, session_id: int, participant_id: int, post: Post, now: float) -> Item:
        """Keep a post (once, whatever the resends) and return it as kept."""
        row = {
            "session_id": session_id,
            "participant_id": participant_id,
            "client_id": post.client_id,
            "text": post.text,
            "state": ItemState.OPEN.value,
            "created_at": now,
        }
        with self._db.transaction() as db:
            db.run(_new_item(self._db.dialect), row)
            (kept,) = db.run(BY_CLIENT, {"participant": participant_id, "client": post.client_id}).rows
        return _item(kept)

    def parking_upvoted(self, session_id: int, participant_id: int) -> set[int]:
        """The items of the session this person upvoted."""
        return {int(i) for (i,) in self._rows(UPVOTED, {"session": session_id, "participant": participant_id})}

    def set_parking_upvote(self, item_id: int, participant_id: int, upvoted: bool, now: float) -> bool:
        """Upvote an item or take the upvote back; True if that changed anything."""
        with self._db.transaction() as db:
            if upvoted:
                new = {"item_id": item_id, "participant_id": participant_id, "created_at": now}
                return db.run(_new_upvote(self._db.dialect), new).count == 1
            return db.run(TAKE_BACK, {"item": item_id, "participant": participant_id}).count == 1

    def change_parking_item(self, item_id: int, **fields: Any) -> None:
        """Set some of an item's columns (``answer``, ``answered_at``, ``state``, ``done_at``, ``hidden``,
        ``agenda_item``)."""
        with self._db.transaction() as db:
            db.run(CHANGE_ITEM, {"item": item_id, **fields})

    def parking_projected(self, session_id: int) -> bool:
        rows = self._rows(PROJECTED, {"session": session_id})
        return bool(rows and rows[0][0])

    def set_parking_projected(self, session_id: int, projected: bool) -> None:
        with self._db.transaction() as db:
            db.run(_projected(self._db.dialect), {"session_id": session_id, "projected": projected})

    def forget_parking_lot(self, *, participant_ids: Sequence[int] = (), session_id: int | None = None) -> None:
        """These people's items and upvotes (and the upvotes others gave their items), or a whole session's board."""
        with self._db.transaction() as db:
            if participant_ids:
                for statement in FORGET_PEOPLE:
                    db.run(statement, {"people": list(participant_ids)})
            if session_id is not None:
                for statement in FORGET_SESSION:
                    db.run(statement, {"session": session_id})
