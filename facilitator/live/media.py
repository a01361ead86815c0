"""Who hears of media on a step: media is the room's, so a change to the open step's goes in the step everyone is
sent (phones follow the page the console turns to); a change to a step ahead goes to the console alone."""

from typing import Any

from facilitator.edge.payloads import require
from facilitator.edge.replies import ack_ok
from facilitator.live import broadcast
from facilitator.live.namespace import acknowledged
from facilitator.store import get_store
from facilitator.usecases import media
from protocols.session import Session


def announce(session_id: int, step_key: str) -> None:
    """A step's media put up, replaced or taken off. The session is read again first: making an upload into pages
    takes seconds, and the room may have moved since."""
    session = get_store().session_by_id(session_id)
    if session is None:
        return  # deleted meanwhile: nobody is left to tell
    current = session.current
    changed = session.step_by_key(step_key)
    where = (changed.item.uid, changed.step.id) if changed else None
    if current is not None and where == (current.item.uid, current.step.id):
        broadcast.send_step(session, session)  # the open step again, with its media: phones, console, projector
    else:
        broadcast.send_screens(session)


def announce_agenda(before: Session, after: Session) -> None:
    """A slide added to the agenda: every screen is sent the agenda (and the step, if the slide opened)."""
    broadcast.send_step(before, after)


class MediaConsole:
    """The console's media event, mixed into its namespace (live/console.py)."""

    _session: Any  # the namespace's: the connection's session

    @acknowledged
    def on_media_page(self, data: Any = None) -> dict[str, Any]:
        """``{"page": 2}``: the page of the open step's media the room is on; every phone and the projector turn."""
        payload = require(data, {"page": int})
        session: Session = self._session()
        page = media.turn(get_store(), session, payload)
        broadcast.send_step(session, session)
        return ack_ok(page=page)
