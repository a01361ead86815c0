"""The console's ``reveal`` event: the open step's results shown on the projector, or held back until revealed."""

from typing import Any

from facilitator.edge.payloads import require
from facilitator.edge.replies import ack_ok
from facilitator.live import broadcast
from facilitator.live.ideas import send_projector_board
from facilitator.live.namespace import acknowledged
from facilitator.store import get_store
from facilitator.usecases import revealing


class RevealConsole:
    """Mixed into the facilitator's namespace, whose ``_session`` it uses."""

    @acknowledged
    def on_reveal(self, data: Any = None) -> dict[str, Any]:
        """``{"step_id": <the step the console shows open>, "revealed": bool}``; phones do not change."""
        payload = require(data, {"step_id": str, "revealed": bool})
        session = revealing.reveal(get_store(), self._session(), payload)  # type: ignore[attr-defined]
        broadcast.send_screens(session)
        send_projector_board(session)  # an ideas step's ranking shows, or leaves, with the rest of the results
        return ack_ok(step_id=payload["step_id"], revealed=payload["revealed"])
