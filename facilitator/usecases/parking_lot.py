"""What one parking-lot event does: a phone posts or upvotes, the console answers, marks done, hides, moves an item
into the agenda or puts the board on the projector; and each screen's read of the board."""

import time
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from facilitator.edge.language import available, language
from facilitator.edge.payloads import require
from facilitator.store import Store
from protocols import parking_lot
from protocols.errors import DomainError
from protocols.model import Protocol
from protocols.parking_lot import Item, ItemState
from protocols.session import Session


@dataclass(frozen=True, slots=True)
class Posted:
    """A post as kept; ``new`` is False for a resend the server held already (nothing to tell anyone)."""

    item: Item
    new: bool


def phone_board(store: Store, session_id: int, participant_id: int) -> dict[str, Any]:
    """What a phone opening the parking lot (again, after a reconnect) is sent: a read of the board, not the room."""
    items = store.parking_items(session_id)
    return parking_lot.phone_board(items, participant_id, store.parking_upvoted(session_id, participant_id))


def console_items(store: Store, session_id: int, items: Sequence[Item] | None = None) -> list[dict[str, Any]]:
    """The console's views of these items (every item of the session if None), with their authors' names."""
    items = store.parking_items(session_id) if items is None else items
    names = store.names_of(session_id, sorted({item.participant_id for item in items}))
    return [parking_lot.console_view(item, names.get(item.participant_id, "")) for item in items]


def console_board(store: Store, session_id: int) -> dict[str, Any]:
    return {"items": console_items(store, session_id), "projected": store.parking_projected(session_id)}


def projector_board(store: Store, session_id: int) -> dict[str, Any]:
    """The projector's board while it is shown (read only then), else ``{"shown": false}``."""
    shown = store.parking_projected(session_id)
    return parking_lot.projector_view(store.parking_items(session_id) if shown else (), shown)


def post(store: Store, session_id: int, participant_id: int, payload: Mapping[str, Any]) -> Posted:
    """``{"client_id", "text"}``: a resend of a post already kept is acknowledged again, whatever the limits."""
    question = parking_lot.read_post(require(payload, {}))
    kept = store.parking_item_posted(participant_id, question.client_id)
    if kept is not None:
        return Posted(kept, False)
    now = time.time()
    parking_lot.refuse_unless_may_post(store.parking_post_times(session_id, participant_id), now)
    return Posted(store.add_parking_item(session_id, participant_id, question, now), True)


def upvote(store: Store, session_id: int, participant_id: int, payload: Any) -> tuple[Item, bool]:
    """``{"item_id", "upvoted": true|false}``: this person's upvote set, not toggled, so a resend or a double tap
    leaves one. Returns the item with its upvotes counted again, and whether anything changed."""
    request = require(payload, {"item_id": None, "upvoted": bool})
    item = parking_lot.refuse_unless_may_upvote(_item(store, session_id, request["item_id"]), participant_id)
    changed = store.set_parking_upvote(item.id, participant_id, request["upvoted"], time.time())
    return store.parking_item(item.id) or item, changed


def update(store: Store, session: Session, payload: Any) -> Item:
    """``{"item_id", "answer"?, "done"?, "hidden"?}`` from the console: answer it (empty takes the answer back), mark
    it done or open again, hide it from the room or show it again."""
    request = require(payload, {"item_id": None})
    item = _item(store, session.id, request["item_id"])
    now, fields = time.time(), {}
    if "answer" in request:
        answer = parking_lot.read_answer(request["answer"])
        fields.update(answer=answer, answered_at=now if answer else None)
    if "done" in request:
        done = require(request, {"done": bool})["done"]
        fields.update(state=(ItemState.DONE if done else ItemState.OPEN).value, done_at=now if done else None)
    if "hidden" in request:
        fields["hidden"] = require(request, {"hidden": bool})["hidden"]
    if not fields:
        raise DomainError("bad_request", "Send 'answer', 'done' or 'hidden'.")
    store.change_parking_item(item.id, **fields)
    return store.parking_item(item.id) or item


def agenda_protocol(store: Store, session: Session, payload: Any) -> tuple[Item, Protocol]:
    """``{"item_id", "minutes"?}``: the item as a protocol of one discussion step, for the console's agenda, its
    titles in every language Pathways speaks (each screen reads its own)."""
    request = require(payload, {"item_id": None})
    item = _item(store, session.id, request["item_id"])
    minutes = parking_lot.agenda_minutes(request.get("minutes"))
    return item, parking_lot.agenda_protocol(item, minutes, [language(code) for code in available()])


def with_item_moved(session: Session, item: Item, protocol: Protocol, answered: Collection[int]) -> Session:
    """The agenda with the item's protocol at its end, asked of the session as the move reads it: an item in the
    agenda already (a second press of the button) is refused with ``parking_item_in_agenda``."""
    parking_lot.refuse_unless_may_move(item, session)
    return session.with_item_added(protocol, 1, answered)


def moved_into_agenda(store: Store, session: Session, item: Item, protocol: Protocol) -> Item:
    """Note on the item which agenda item it became (the last one made from it)."""
    uid = next(entry.uid for entry in reversed(session.agenda) if entry.protocol.id == protocol.id)
    store.change_parking_item(item.id, agenda_item=uid)
    return store.parking_item(item.id) or item


def taken_out_of_agenda(store: Store, before: Session, after: Session) -> list[int]:
    """This session's items whose agenda item left the agenda are no longer in it: each may be moved again. Their
    ids. (By the agenda item's uid, not the protocol's id: a duplicated session's agenda holds the same ids.)"""
    gone = {entry.uid for entry in before.agenda} - {entry.uid for entry in after.agenda}
    items = [item.id for item in store.parking_items(after.id) if item.agenda_item in gone] if gone else []
    for item_id in items:
        store.change_parking_item(item_id, agenda_item=None)
    return items


def _item(store: Store, session_id: int, item_id: Any) -> Item:
    """An item of this session's board (``unknown_parking_item`` for any other id)."""
    item = store.parking_item(parking_lot.item_id(item_id))
    if item is None or item.session_id != session_id:
        raise parking_lot.unknown_item()
    return item
