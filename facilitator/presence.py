"""Who is connected right now: each Socket.IO connection's seat, the phones per session, the QR toggle."""

import threading
from collections import Counter
from dataclasses import dataclass

from flask import Flask, current_app

from protocols.visibility import Audience

EXTENSION_KEY = "pathways.presence"


@dataclass(frozen=True, slots=True)
class Seat:
    """What one Socket.IO connection is: its audience, its session and, for a phone, its participant."""

    audience: Audience
    session_id: int
    participant_id: int | None = None
    name: str = ""


class Presence:
    """Who is connected to this server process right now, and the pending live-count refreshes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seats: dict[str, Seat] = {}
        self._phones: dict[int, Counter[int]] = {}  # session id -> participant id -> open connections
        self._live_pending: set[int] = set()
        self._qr_shown: set[int] = set()  # sessions whose projector shows the join QR code full size

    def seat(self, sid: str) -> Seat | None:
        return self._seats.get(sid)

    def sit(self, sid: str, seat: Seat) -> None:
        with self._lock:
            self._seats[sid] = seat
            if seat.participant_id is not None:
                self._phones.setdefault(seat.session_id, Counter())[seat.participant_id] += 1

    def leave(self, sid: str) -> Seat | None:
        with self._lock:
            seat = self._seats.pop(sid, None)
            if seat is not None and seat.participant_id is not None:
                phones = self._phones.get(seat.session_id, Counter())
                phones[seat.participant_id] -= 1
                if phones[seat.participant_id] <= 0:
                    del phones[seat.participant_id]
            return seat

    def seated(self, session_id: int, audience: Audience | None = None) -> list[tuple[str, Seat]]:
        """The connections seated in a session, all of them or one audience's, with their seats."""
        with self._lock:
            return [(sid, seat) for sid, seat in self._seats.items()
                    if seat.session_id == session_id and (audience is None or seat.audience is audience)]  # fmt: skip

    def connected(self, session_id: int) -> int:
        """How many distinct participants of the session have at least one open connection."""
        return len(self._phones.get(session_id, ()))

    def connected_ids(self, session_id: int) -> set[int]:
        with self._lock:
            return set(self._phones.get(session_id, ()))

    def qr_shown(self, session_id: int) -> bool:
        return session_id in self._qr_shown

    def show_qr(self, session_id: int, on: bool) -> None:
        """Kept in memory: after a restart the projector simply shows the step again, with the QR in its corner."""
        with self._lock:
            if on:
                self._qr_shown.add(session_id)
            else:
                self._qr_shown.discard(session_id)

    def claim_live(self, session_id: int) -> bool:
        """True for the first caller while no refresh is pending for the session: that caller sends it."""
        with self._lock:
            if session_id in self._live_pending:
                return False
            self._live_pending.add(session_id)
            return True

    def release_live(self, session_id: int) -> None:
        with self._lock:
            self._live_pending.discard(session_id)


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION_KEY] = Presence()


def presence() -> Presence:
    return current_app.extensions[EXTENSION_KEY]
