"""One delta per session per window: the records an activity (ideas, the parking lot) changed since its last delta
went out, gathered in this process and sent together.

At 2,000 phones a vote or an upvote must not cost a message per phone: the first change of a window schedules the
delta, the rest of the window's changes join it, and it goes out once, encoded once per audience. Each worker
throttles its own, as ``broadcast.schedule_live`` does.
"""

import threading
from collections.abc import Callable, Mapping

from flask import Flask, current_app

from facilitator.extensions import socketio

Send = Callable[[int, dict[int, bool]], None]  # (session id, record id -> whether phones must hear of it)


class Pending:
    """What changed in each session since its last delta: record id -> whether phones must hear of it (a post, a
    moderation) or only the screens (a count)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._changed: dict[int, dict[int, bool]] = {}

    def add(self, session_id: int, changes: Mapping[int, bool]) -> bool:
        """Note changes; True for the first since the last delta: that caller schedules the delta."""
        with self._lock:
            first = session_id not in self._changed
            changed = self._changed.setdefault(session_id, {})
            for record, phones in changes.items():
                changed[record] = changed.get(record, False) or phones
            return first

    def take(self, session_id: int) -> dict[int, bool]:
        with self._lock:
            return self._changed.pop(session_id, {})


def gather(name: str, session_id: int, changes: Mapping[int, bool], send: Send) -> None:
    """Note ``changes`` under ``name`` (one per activity); ``send(session_id, changes)`` carries them in the app's
    context: at once without a ``LIVE_INTERVAL``, else once the window of the first change is over."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    pending = app.extensions.get(name) or app.extensions.setdefault(name, Pending())
    if not pending.add(session_id, changes):
        return
    interval = app.config["LIVE_INTERVAL"]
    if interval <= 0:
        send(session_id, pending.take(session_id))
    else:
        socketio.start_background_task(_send_later, app, pending, session_id, interval, send)


def _send_later(app: Flask, pending: Pending, session_id: int, interval: float, send: Send) -> None:
    socketio.sleep(interval)
    with app.app_context():
        send(session_id, pending.take(session_id))
