"""Who hears of student work put up or taken down: the room's goes in the step everyone is sent; a table's goes to
that table's phones alone (a ``me`` each, work proportional to the table) and to the console."""

from collections.abc import Sequence

from facilitator.extensions import socketio
from facilitator.live import broadcast
from facilitator.store import get_store
from protocols.artifacts import Artifact, Scope, Slot, artifact_view, table_view
from protocols.groups import Seating
from protocols.session import Session


def announce(session: Session, artifact: Artifact) -> None:
    """An artifact put up, replaced or taken down in its slot: whoever is shown that slot is sent it anew. The
    session is read again first: making an upload into pages takes seconds, and the room may have moved since."""
    now = get_store().session_by_id(session.id)
    if now is None:
        return  # deleted meanwhile: nobody is left to tell
    session = now
    if artifact.scope is Scope.ROOM:
        if _open_round(session, artifact.slot):
            broadcast.send_step(session, session)  # the open step again, with the room's artifact: phones, screens
        else:
            send_console(session)
        return
    current = session.current
    if current is None or not _open_round(session, artifact.slot):
        send_console(session)
        return
    seating = Seating(get_store().groups(session.id))
    artifacts = get_store().round_artifacts(session.id, current.item.uid, current.round)
    for member in seating.groups.get(artifact.slot.table or 0, ()):
        mine = {"step_id": current.key, "table_artifact": table_view(artifacts, seating, member)}
        socketio.emit("me", mine, to=broadcast.participant_room(member), namespace=broadcast.PARTICIPANT_NS)
    send_console(session, artifacts)


def announce_taken_down(artifacts: Sequence[Artifact]) -> None:
    """Artifacts deleted with the person who put them up: each screen that showed one is told."""
    for artifact in artifacts:
        session = get_store().session_by_id(artifact.session_id)
        if session is not None:
            announce(session, artifact)


def send_console(session: Session, found: Sequence[Artifact] | None = None) -> None:
    """The open round's artifacts, the room's and every table's (``found``, when the caller read them), to the
    console: ``artifacts``."""
    current = session.current
    if found is None:
        found = get_store().round_artifacts(session.id, current.item.uid, current.round) if current else []
    views = [artifact_view(artifact) for artifact in found]
    socketio.emit("artifacts", views, to=broadcast.facilitator_room(session.id), namespace=broadcast.FACILITATOR_NS)


def _open_round(session: Session, slot: Slot) -> bool:
    current = session.current
    return current is not None and (current.item.uid, current.round) == (slot.item, slot.round)
