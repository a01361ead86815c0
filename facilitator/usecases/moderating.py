"""Taking an answer off the projector or putting it up there: checked by the visibility rules, then stored."""

from collections.abc import Mapping

from facilitator.store import Store
from protocols.errors import DomainError
from protocols.session import AgendaStep, Answer, Session
from protocols.visibility import Audience, may_see


def moderate(store: Store, session: Session, request: Mapping[str, object]) -> tuple[AgendaStep, Answer]:
    """``{"participant_id", "step_id", "hidden"?, "spotlight"?}``: only answers the projector may see can be
    spotlighted; hiding one also ends its spotlight. Returns the step and the answer with its new flags."""
    flags = {name: request[name] for name in ("hidden", "spotlight") if name in request}
    if not flags or not all(isinstance(value, bool) for value in flags.values()):
        raise DomainError("bad_request", "Send 'hidden' or 'spotlight' as true or false.")
    agenda_step = session.step_by_key(str(request["step_id"]))
    if agenda_step is None:
        raise DomainError("unknown_step", f"There is no step {request['step_id']!r} in this agenda.")
    if flags.get("spotlight") and not may_see(Audience.PROJECTOR, agenda_step.step.visibility):
        raise DomainError("not_shown", "Answers to this step are not shown on the projector.")
    answer = store.moderate_answer(session.id, int(request["participant_id"]), agenda_step.key, **flags)  # type: ignore[arg-type]
    return agenda_step, answer
