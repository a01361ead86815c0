"""Taking an answer off the projector, putting it up there or approving it: checked by the visibility rules, then
stored."""

from collections.abc import Mapping
from typing import Any

from facilitator.store import Store
from protocols.errors import DomainError
from protocols.session import AgendaStep, Answer, Session
from protocols.visibility import Audience, may_see

FLAGS = ("hidden", "spotlight", "approved")


def moderate(store: Store, session: Session, request: Mapping[str, object]) -> tuple[AgendaStep, Answer]:
    """``{"participant_id", "step_id", "hidden"?, "spotlight"?, "approved"?}``: only answers the projector may see
    can be spotlighted; hiding one also ends its spotlight; only a step that asks for approval (``approve``) takes
    ``approved``. Returns the step and the answer with its new flags."""
    flags = {name: request[name] for name in FLAGS if name in request}
    if not flags or not all(isinstance(value, bool) for value in flags.values()):
        raise DomainError("bad_request", "Send 'hidden', 'spotlight' or 'approved' as true or false.")
    agenda_step = session.step_by_key(str(request["step_id"]))
    if agenda_step is None:
        raise DomainError("unknown_step", "There is no step {step} in this agenda.", step=repr(request["step_id"]))
    if flags.get("spotlight") and not may_see(Audience.PROJECTOR, agenda_step.step.visibility):
        raise DomainError("not_shown", "Answers to this step are not shown on the projector.")
    if "approved" in flags and not agenda_step.step.approve:
        raise DomainError("no_approval", "Answers to this step are shown without approval; there is none to give.")
    answer = store.moderate_answer(session.id, int(request["participant_id"]), agenda_step.key, **flags)  # type: ignore[arg-type]
    return agenda_step, answer


def moderation_flags(agenda_step: AgendaStep, answer: Answer) -> dict[str, Any]:
    """An answer's flags as the console's ack carries them: ``approved`` only where the step asks for approval."""
    flags: dict[str, Any] = {"hidden": answer.hidden, "spotlight": answer.spotlight}
    if agenda_step.step.approve:
        flags["approved"] = answer.approved
    return flags
