"""Showing the open step's results on the projector, or holding them back: decided by the domain, then stored."""

from collections.abc import Mapping

from facilitator.store import Store
from protocols.reveal import with_revealed
from protocols.session import Session


def reveal(store: Store, session: Session, request: Mapping[str, object]) -> Session:
    """``{"step_id", "revealed"}`` (checked by the handler): the session with its choice stored, so a restart and
    every screen that connects again find the results as the facilitator left them."""
    changed = with_revealed(session, str(request["step_id"]), bool(request["revealed"]))
    store.save_run_state(changed)
    return changed
