"""Changing language live: a phone's ``language`` event (the person's own) and the console's ``session_language``
event (the console's and projector's), and who is told of the session's."""

from typing import Any

from facilitator.edge.payloads import require
from facilitator.edge.replies import ack_ok
from facilitator.extensions import socketio
from facilitator.live import broadcast
from facilitator.live.namespace import acknowledged
from facilitator.store import get_store
from facilitator.usecases import language_choice


def announce_session_language(session_id: int, code: str) -> None:
    """Every console and projector of the session hears it, and loads its page again in that language."""
    message = {"language": code}
    socketio.emit("session_language", message, to=broadcast.facilitator_room(session_id),
                  namespace=broadcast.FACILITATOR_NS)  # fmt: skip
    socketio.emit("session_language", message, to=broadcast.projector_room(session_id),
                  namespace=broadcast.PROJECTOR_NS)  # fmt: skip


class LanguagePhone:
    """Mixed into the participant's namespace, whose ``connection`` it uses."""

    @acknowledged
    def on_language(self, data: Any = None) -> dict[str, Any]:
        """``{"language": "es"}``: the person's language from now on (their phone's pages, plan and e-mails)."""
        payload = require(data, {"language": str})
        participant_id = self.connection().participant_id  # type: ignore[attr-defined]
        code = language_choice.choose_for_participant(get_store(), participant_id, payload["language"])
        return ack_ok(language=code)


class LanguageConsole:
    """Mixed into the facilitator's namespace, whose ``_session`` it uses."""

    @acknowledged
    def on_session_language(self, data: Any = None) -> dict[str, Any]:
        """``{"language": "fr"}``: the language the session's console and projector speak from now on."""
        payload = require(data, {"language": str})
        session = self._session()  # type: ignore[attr-defined]
        code = language_choice.choose_for_session(get_store(), session, payload["language"])
        announce_session_language(session.id, code)
        return ack_ok(language=code)
