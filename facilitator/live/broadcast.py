"""Who hears what: the Socket.IO rooms of a session and the messages each audience is sent."""

import time
from collections.abc import Iterable
from dataclasses import replace

from flask import Flask, current_app

from facilitator.edge.language import language
from facilitator.extensions import socketio
from facilitator.live.presence import presence
from facilitator.store import get_store
from facilitator.usecases.media import step_media
from protocols import views
from protocols.followup import Recall
from protocols.groups import Seating
from protocols.language import Language
from protocols.session import AgendaStep, Answer, Session
from protocols.views import RoomPicture
from protocols.visibility import Audience, Tables, shared_with_group

PARTICIPANT_NS = "/participant"
FACILITATOR_NS = "/facilitator"
PROJECTOR_NS = "/projector"


def participants_room(session_id: int) -> str:
    return f"session:{session_id}:participants"


def participant_room(participant_id: int) -> str:
    """Every open tab of one participant: their own answers go only here."""
    return f"participant:{participant_id}"


def facilitator_room(session_id: int) -> str:
    return f"session:{session_id}:facilitator"


def projector_room(session_id: int) -> str:
    return f"session:{session_id}:projector"


def picture(session: Session, seating: Seating | None = None) -> RoomPicture:
    """What every screen is built from right now: names, groups, the open step's answers, who is connected. An
    event that has read the seating already passes it, so one event reads the room once."""
    store = get_store()
    current = session.current
    return RoomPicture(
        session=session,
        names=store.participant_names(session.id),
        step_answers=store.answers_to_step(session.id, current.key) if current else [],
        seating=seating if seating is not None else Seating(store.groups(session.id)),
        connected=presence().connected(session.id),
        now=time.time(),
        show_qr=presence().qr_shown(session.id),
        artifacts=store.round_artifacts(session.id, current.item.uid, current.round) if current else (),
        media=step_media(store, session),  # every step's, for the console; phones and projector get the open one's
    )


def phone_picture(session: Session, participant_id: int) -> RoomPicture:
    """What one phone's state is built from: its own table, the names and answers that table reads, the round's
    work. A phone joining or coming back reads a table's rows, never the room's."""
    store = get_store()
    current = session.current
    seating = store.table_of(session.id, participant_id)
    table = seating.group_of(participant_id)
    members = seating.groups.get(table, ()) if table is not None else ()
    at_table = store.answers_at_table(session.id, current.key, table, members) if current and table else []
    return RoomPicture(
        session=session,
        names=store.names_of(session.id, sorted({participant_id, *members, *(a.participant_id for a in at_table)})),
        step_answers=at_table,
        seating=seating,
        connected=0,  # a phone is shown no counts; with several workers, counting would read every connection
        now=time.time(),
        show_qr=presence().qr_shown(session.id),
        artifacts=store.round_artifacts(session.id, current.item.uid, current.round) if current else (),
        media=step_media(store, session, only_open=True),
    )


def disconnect(session_id: int, audience: Audience | None = None) -> None:
    """Close connections whose credential no longer holds: a replaced facilitator key, a deleted session."""
    namespaces = {Audience.FACILITATOR: FACILITATOR_NS, Audience.PROJECTOR: PROJECTOR_NS}
    for sid, connection in presence().connections(session_id, audience):
        socketio.server.disconnect(sid, namespace=namespaces.get(connection.audience, PARTICIPANT_NS))


def send_states(session: Session) -> None:
    """After the groups or the session's own details change: every connected phone gets its whole state (the
    rest get it when they connect), console and projector theirs."""
    room = picture(session)
    answers = get_store().answers_by_participant(session.id)
    connected = presence().connected_ids(session.id) & room.names.keys()
    recalls = _recalls(session, connected)
    for participant_id in connected:
        recall = recalls.get(participant_id)
        state = views.participant_state(room, participant_id, answers.get(participant_id, {}), recall, _speaks(recall))
        socketio.emit("state", state, to=participant_room(participant_id), namespace=PARTICIPANT_NS)
    send_screens(session, room)


def send_step(before: Session, after: Session) -> None:
    """After the facilitator moves, runs the timer, locks or edits the agenda ahead: one ``step`` broadcast to the
    whole room, encoded once; before it, a small ``me`` to each phone whose own part of the new step differs.

    In a room of a thousand that answers the same step, the broadcast is all there is: what a phone already holds
    (its answers, its group) is not sent again. ``me`` goes first, so a phone shows the step whole at once.
    """
    room = picture(after)
    same_step = before.position == after.position and _key(before) == _key(after)
    if same_step:
        shared = views.step_state(room)
    else:
        _send_personal_changes(before, room)
        shared = {**views.step_state(room), **views.usual_personal(after)}
    socketio.emit("step", shared, to=participants_room(after.id), namespace=PARTICIPANT_NS)
    socketio.sleep(0)  # the phones' sends go out first: the console's board of a whole hall takes a while to build
    send_screens(after, room)


def _key(session: Session) -> str | None:
    return session.current.key if session.current else None


def _send_personal_changes(before: Session, room: RoomPicture) -> None:
    """``me`` to each connected phone whose own part of the new step is not what the broadcast will say."""
    after = room.session
    current = after.current
    earlier = replace(room, session=before)  # the same people and seating, on the step the phones come from
    changed_groups = {n for n in room.seating.groups if room.roles(n) != earlier.roles(n)}
    differs = views.personal_differs(room)
    if not differs and not changed_groups:
        return
    recall = current is not None and current.step.recall
    answers = get_store().answers_by_participant(after.id) if recall else {}
    connected = presence().connected_ids(after.id) & room.names.keys()
    if not differs:  # only the tables whose roles were dealt anew
        connected &= {member for number in changed_groups for member in room.seating.groups[number]}
    recalls = _recalls(after, connected)
    for participant_id in connected:
        recall = recalls.get(participant_id)
        mine = views.personal_state(room, participant_id, answers.get(participant_id, {}), recall, _speaks(recall))
        expected = views.expected_personal(after, room.role_of(participant_id))
        changes = {field: value for field, value in mine.items() if field in expected and value != expected[field]}
        if room.seating.group_of(participant_id) in changed_groups:
            changes["group"] = mine["group"]
        if changes:
            changes["step_id"] = current.key if current else None  # the step these belong to: it follows at once
            socketio.emit("me", changes, to=participant_room(participant_id), namespace=PARTICIPANT_NS)


def _recalls(session: Session, participant_ids: Iterable[int]) -> dict[int, Recall]:
    """What each of these people set before this session, read only while a step recalls it."""
    current = session.current
    if current is None or not current.step.recall:
        return {}
    return get_store().recalls(session, sorted(participant_ids))


def _speaks(recall: Recall | None) -> Language:
    """The language a person's reminder is written in: the one they chose (read with it, so no query more)."""
    return language(recall.language if recall else None)


def send_screens(session: Session, room: RoomPicture | None = None) -> None:
    """The console's and the projector's state, where the phones' have not changed (the QR shown, say)."""
    room = room or picture(session)
    socketio.emit("state", views.facilitator_state(room), to=facilitator_room(session.id), namespace=FACILITATOR_NS)
    socketio.emit("state", views.projector_state(room), to=projector_room(session.id), namespace=PROJECTOR_NS)


def send_participant_states(
    session: Session, participant_ids: Iterable[int], to: str | None = None, room: RoomPicture | None = None
) -> None:
    """Fresh state for some phones: a phone that connects, people moved or seated, a table whose answers went.
    Built from ``room`` where the event read the room anyway, else from each phone's own table."""
    participant_ids = list(participant_ids)
    answers = get_store().answers_by_participant(session.id, participant_ids)
    recalls = _recalls(session, participant_ids)
    for participant_id in participant_ids:
        recall = recalls.get(participant_id)
        state = views.participant_state(
            room or phone_picture(session, participant_id),
            participant_id,
            answers.get(participant_id, {}),
            recall,
            _speaks(recall),
        )
        socketio.emit("state", state, to=to or participant_room(participant_id), namespace=PARTICIPANT_NS)


def send_console_state(session: Session, to: str) -> None:
    socketio.emit("state", views.facilitator_state(picture(session)), to=to, namespace=FACILITATOR_NS)


def send_projector_state(session: Session, to: str) -> None:
    socketio.emit("state", views.projector_state(picture(session)), to=to, namespace=PROJECTOR_NS)


def announce_answer(
    session: Session, agenda_step: AgendaStep, answer: Answer, name: str, from_sid: str, seating: Seating | None
) -> None:
    """A saved answer goes to the author's other tabs, to the console at once (if the facilitator may see it) and
    to group-mates' phones (if its visibility shares it with the group); counts follow, throttled."""
    saved = {"step_id": answer.step_id, "value": answer.value}
    socketio.emit(
        "saved", saved, to=participant_room(answer.participant_id), skip_sid=from_sid, namespace=PARTICIPANT_NS
    )
    view = views.answer_view(Audience.FACILITATOR, agenda_step, answer, name)
    if view is not None:
        socketio.emit("answer", view, to=facilitator_room(session.id), namespace=FACILITATOR_NS)
    if shared_with_group(agenda_step.step.visibility) and answer.group_number is not None:
        _tell_the_table(session, agenda_step, answer, name, seating)
    schedule_live(session.id)


def _tell_the_table(
    session: Session, agenda_step: AgendaStep, answer: Answer, name: str, seating: Seating | None
) -> None:
    """A group answer reaches whoever reads its table: one small ``shared`` each, built from that table's rows, so
    a room of two thousand answering in tables of six costs each answer six messages, not the room's picture.
    An answer waiting for approval is sent to none of them: their phones get their state instead, without it, so a
    copy approved before an edit (or before the facilitator withdrew the approval) leaves them too."""
    view = views.answer_view(Audience.GROUP_MATE, agenda_step, answer, name)
    table = answer.group_number
    if table is None or (view is None and not agenda_step.step.approve):
        return
    if seating is None or table not in seating.groups:  # an edit after its author moved: read where it stays
        seating = Seating(get_store().groups(session.id))
    nearby = get_store().answers_at_table(session.id, answer.step_id, table, seating.groups.get(table, ()))
    readers = Tables(nearby, seating).readers_at(answer.step_id, table) - {answer.participant_id}
    if readers and view is None:
        send_participant_states(session, sorted(readers))
    elif readers:  # one message encoded once, to each reader's tabs
        socketio.emit("shared", view, to=[participant_room(reader) for reader in readers], namespace=PARTICIPANT_NS)


def announce_arrival(session: Session, participant_id: int, sid: str, seated: bool) -> None:
    """Someone joined or came back: their phone gets its state; if they were just seated at a table, their new
    group-mates' phones change too, from that table's rows. Counts follow, throttled, and with a latecomer seated
    the console's and projector's boards: a wave of latecomers refreshes them once, not once each."""
    if seated:
        table = get_store().table_of(session.id, participant_id)  # the latecomer among them
        send_participant_states(session, [member for members in table.groups.values() for member in members])
    else:
        send_participant_states(session, [participant_id], to=sid)
    schedule_live(session.id, board=seated)


def announce_seating(session: Session, seated: Iterable[int], left: int | None = None) -> None:
    """After people were seated (a latecomer) or moved: they, everyone at the tables they sit at now and at the
    table one of them ``left`` get their whole state (members, roles dealt anew by seat), the console and projector
    theirs. Work for the tables that changed, not the room's phones."""
    room = picture(session)
    seated = set(seated)
    tables = {left, *(room.seating.group_of(person) for person in seated)}
    people = {member for table in tables if table is not None for member in room.seating.groups.get(table, ())}
    connected = presence().connected_ids(session.id)
    send_participant_states(session, sorted((people | seated) & connected), room=room)
    send_screens(session, room)


def announce_forgotten(session: Session, participant_id: int, table: int | None = None) -> None:
    """Someone deleted answers: their phone, their group-mates and whoever read the table their answer to the open
    step was given at (``table``, read before it went: they may have moved since) get their states; the screens'
    counts change."""
    store = get_store()
    seating = Seating(store.groups(session.id))
    readers: set[int] = set()
    current = session.current
    if table is not None and current is not None:
        nearby = store.answers_at_table(session.id, current.key, table, seating.groups.get(table, ()))
        readers = Tables(nearby, seating).readers_at(current.key, table)
    send_participant_states(session, sorted({participant_id, *seating.mates(participant_id), *readers}))
    send_screens(session)


def table_of_open_answer(session: Session, participant_id: int) -> int | None:
    """The table this person's answer to the open step was given at, if it was given at one."""
    current = session.current
    answer = get_store().answer_to_step(participant_id, current.key) if current else None
    return answer.group_number if answer else None


def announce_moderation(session: Session, agenda_step: AgendaStep, answer: Answer) -> None:
    """A hidden, spotlighted or approved answer: the console gets the answer with its new flags, both screens the
    new picture; on an approve step shared with the group, its table's phones gain or lose it."""
    name = get_store().participant_names(session.id).get(answer.participant_id, "")
    view = views.answer_view(Audience.FACILITATOR, agenda_step, answer, name)
    if view is not None:
        socketio.emit("answer", view, to=facilitator_room(session.id), namespace=FACILITATOR_NS)
    if agenda_step.step.approve and shared_with_group(agenda_step.step.visibility):
        _tell_the_table(session, agenda_step, answer, name, None)
    send_live_now(session)


def send_live_now(session: Session) -> None:
    """Counts and the room's picture at once, e.g. after the facilitator hides or spotlights an answer."""
    room = picture(session)
    socketio.emit("live", room.console_live, to=facilitator_room(session.id), namespace=FACILITATOR_NS)
    socketio.emit("live", room.live, to=projector_room(session.id), namespace=PROJECTOR_NS)


def schedule_live(session_id: int, board: bool = False) -> None:
    """Refresh counts and the room's aggregate on the console and projector, at most once per LIVE_INTERVAL; with
    ``board`` (people were seated), their whole state, group board and all.

    With hundreds of answers a second, one refresh carries them all instead of one message per answer.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    interval = app.config["LIVE_INTERVAL"]
    if interval <= 0:
        _send_live(app, session_id, board)
        return
    if presence().claim_live(session_id, board):
        socketio.start_background_task(_send_live_later, app, session_id, interval)


def _send_live_later(app: Flask, session_id: int, interval: float) -> None:
    socketio.sleep(interval)
    with app.app_context():
        _send_live(app, session_id, presence().release_live(session_id))


def _send_live(app: Flask, session_id: int, board: bool = False) -> None:
    session = get_store().session_by_id(session_id)
    if session is not None:
        (send_screens if board else send_live_now)(session)
