"""The parking lot over Socket.IO: a phone opens the board, posts and upvotes; the console answers, marks done, hides,
moves an item into the agenda and puts the board on the projector; changes go out as one delta per window.

At 2,000 phones an upvote must not cost a message per phone: only phones with the parking lot open are in its room,
every change of a window (``LIVE_INTERVAL``) goes out as one delta encoded once, and a phone that opens the board or
comes back gets it from a read of the board."""

from collections.abc import Iterable, Mapping
from typing import Any

from flask_socketio import join_room, leave_room

from facilitator.edge.payloads import require
from facilitator.edge.replies import ack_ok
from facilitator.extensions import socketio
from facilitator.live import broadcast, throttle
from facilitator.live.namespace import acknowledged
from facilitator.store import get_store
from facilitator.usecases import answering
from facilitator.usecases import parking_lot as usecase
from protocols import parking_lot
from protocols.parking_lot import Item
from protocols.session import Participant, Session
from protocols.visibility import Audience

BOARD = "parking_lot"  # a whole board: the console's, the projector's
DELTA = "parking_lot_delta"  # a window's changes: to the phones with the board open, and to the console
MINE = "parking_lot_mine"  # an item of one's own as its author sees it (hidden or not): to the author's phones
PENDING_KEY = "pathways.parking_lot"


def parking_lot_room(session_id: int) -> str:
    """The phones that have the parking lot open, and only they."""
    return f"session:{session_id}:parking_lot"


def send_board_to(session: Session, sid: str, audience: Audience) -> None:
    """A console or projector that (re)connects gets the board as it is (the projector: whether it is shown)."""
    if audience is Audience.FACILITATOR:
        board = usecase.console_board(get_store(), session.id)
        socketio.emit(BOARD, board, to=sid, namespace=broadcast.FACILITATOR_NS)
    elif audience is Audience.PROJECTOR:
        socketio.emit(BOARD, usecase.projector_board(get_store(), session.id), to=sid, namespace=broadcast.PROJECTOR_NS)


def send_projector_board(session_id: int) -> None:
    board = usecase.projector_board(get_store(), session_id)
    socketio.emit(BOARD, board, to=broadcast.projector_room(session_id), namespace=broadcast.PROJECTOR_NS)


def tell_author(item: Item) -> None:
    """The author's phones see their own item as it is for them: hidden from the room, or back on the board."""
    mine = {**parking_lot.room_view(item), "hidden": item.hidden}
    socketio.emit(MINE, mine, to=broadcast.participant_room(item.participant_id), namespace=broadcast.PARTICIPANT_NS)


def changed(session_id: int, item_ids: Iterable[int]) -> None:
    """Items changed (posted, upvoted, answered, hidden, deleted): the phones with the board open, the console and
    (while it shows the board) the projector hear of it once per window, however many changes it held."""
    throttle.gather(PENDING_KEY, session_id, dict.fromkeys(item_ids, True), _send_delta)


def agenda_changed(before: Session, after: Session) -> None:
    """After the agenda lost protocols: items made into one of them are out of the agenda again, on every screen."""
    if items := usecase.taken_out_of_agenda(get_store(), before, after):
        changed(after.id, items)


def touched_by(members: Iterable[Participant]) -> dict[int, set[int]]:
    """Per session, the items whose board changes when these members are forgotten: theirs and those they upvoted."""
    store = get_store()
    touched: dict[int, set[int]] = {}
    for member in members:
        posted = {item.id for item in store.parking_items(member.session_id) if item.participant_id == member.id}
        touched.setdefault(member.session_id, set()).update(posted, store.parking_upvoted(member.session_id, member.id))
    return touched


def announce_gone(touched: dict[int, set[int]]) -> None:
    """After forgetting: the open boards drop the items and the upvotes that went."""
    for session_id, item_ids in touched.items():
        if item_ids:
            changed(session_id, item_ids)


def _send_delta(session_id: int, changes: Mapping[int, bool]) -> None:
    """One read of the changed items; one message for the room's phones, one for the console, the projector's top."""
    store = get_store()
    item_ids = set(changes)
    items = store.parking_items(session_id, sorted(item_ids))
    gone = item_ids - {item.id for item in items}
    phones = parking_lot.delta(items, gone)
    socketio.emit(DELTA, phones, to=parking_lot_room(session_id), namespace=broadcast.PARTICIPANT_NS)
    console = {"items": usecase.console_items(store, session_id, items), "removed": sorted(gone)}
    socketio.emit(DELTA, console, to=broadcast.facilitator_room(session_id), namespace=broadcast.FACILITATOR_NS)
    if store.parking_projected(session_id):
        send_projector_board(session_id)


class ParkingLotPhone:
    """A phone's parking-lot events (mixed into the participants' namespace)."""

    @acknowledged
    def on_parking_lot_open(self, data: Any = None) -> dict[str, Any]:
        """``{}``: the board as this person may see it; its changes follow while it is open (and on each reconnect
        the phone opens it again)."""
        connection = self.connection()  # type: ignore[attr-defined]
        join_room(parking_lot_room(connection.session_id))
        return ack_ok(**usecase.phone_board(get_store(), connection.session_id, connection.participant_id))

    @acknowledged
    def on_parking_lot_close(self, data: Any = None) -> dict[str, Any]:
        leave_room(parking_lot_room(self.connection().session_id))  # type: ignore[attr-defined]
        return ack_ok()

    @acknowledged
    def on_parking_lot_post(self, data: Any = None) -> dict[str, Any]:
        """``{"client_id", "text"}``: a question or idea, kept once however often the phone resends it."""
        connection = self.connection()  # type: ignore[attr-defined]
        store = get_store()
        answering.open_session(store, connection.session_id)
        posted = usecase.post(store, connection.session_id, connection.participant_id, data)
        if posted.new:
            tell_author(posted.item)  # the author's other tabs know it as theirs
            changed(connection.session_id, [posted.item.id])
        return ack_ok(client_id=data["client_id"], item=parking_lot.room_view(posted.item))

    @acknowledged
    def on_parking_lot_upvote(self, data: Any = None) -> dict[str, Any]:
        """``{"item_id", "upvoted": true|false}``: one upvote per person per item, which they can take back."""
        connection = self.connection()  # type: ignore[attr-defined]
        item, moved = usecase.upvote(get_store(), connection.session_id, connection.participant_id, data)
        if moved:
            changed(connection.session_id, [item.id])
        return ack_ok(item_id=item.id, upvoted=data["upvoted"], upvotes=item.upvotes)


class ParkingLotConsole:
    """The console's parking-lot events (mixed into the facilitator's namespace, whose ``_session`` and ``_move``
    it uses)."""

    @acknowledged
    def on_parking_lot_update(self, data: Any = None) -> dict[str, Any]:
        """``{"item_id", "answer"?, "done"?, "hidden"?}``: answer an item, mark it done (or open again), hide it."""
        session = self._session()  # type: ignore[attr-defined]
        item = usecase.update(get_store(), session, data)
        if "hidden" in data:
            tell_author(item)
        changed(session.id, [item.id])
        return ack_ok(item=usecase.console_items(get_store(), session.id, [item])[0])

    @acknowledged
    def on_parking_lot_to_agenda(self, data: Any = None) -> dict[str, Any]:
        """``{"item_id", "minutes"?}``: the item becomes a discussion step at the end of the agenda, once."""
        session = self._session()  # type: ignore[attr-defined]
        item, protocol = usecase.agenda_protocol(get_store(), session, data)
        answered = get_store().answered_items(session.id)
        moved = self._move(lambda now: usecase.with_item_moved(now, item, protocol, answered))  # type: ignore[attr-defined]
        item = usecase.moved_into_agenda(get_store(), answering.open_session(get_store(), session.id), item, protocol)
        changed(session.id, [item.id])
        return {**moved, "agenda_item": item.agenda_item}

    @acknowledged
    def on_parking_lot_project(self, data: Any = None) -> dict[str, Any]:
        """``{"on": true}`` shows the board's top items on the projector; false returns it to the step."""
        on = require(data, {"on": bool})["on"]
        session = self._session()  # type: ignore[attr-defined]
        get_store().set_parking_projected(session.id, on)
        send_projector_board(session.id)
        projected = {"items": [], "removed": [], "projected": on}  # every console of the session shows the switch
        socketio.emit(DELTA, projected, to=broadcast.facilitator_room(session.id), namespace=broadcast.FACILITATOR_NS)
        return ack_ok(projected=on)
