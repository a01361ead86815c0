"""A phone's answer: checked against the open step, the person's role and their goal so far, then committed."""

from collections.abc import Mapping
from dataclasses import dataclass

from facilitator.store import NewAnswer, Store, answer_writer
from protocols.answers import validate_answer, validate_answer_id
from protocols.errors import DomainError
from protocols.followup import Recall, refuse_unless_returning
from protocols.groups import Seating, refuse_unless_answers
from protocols.model import PlanField
from protocols.session import AgendaStep, Answer, Session
from protocols.visibility import shared_with_group

MAX_STEP_ID = 120


@dataclass(frozen=True, slots=True)
class Saved:
    """An answer as committed; ``changed`` is False for a resend the database already held."""

    answer: Answer
    changed: bool
    session: Session | None = None
    step: AgendaStep | None = None
    seating: Seating | None = None  # the author's table, read once for the answer, reused to tell the table


def checked_step_id(raw: str) -> str:
    """A step id as a phone sends it: checked before it is used to look anything up."""
    if not 1 <= len(raw) <= MAX_STEP_ID or not raw.isprintable():
        raise DomainError("unknown_step", "There is no such step.")
    return raw


def step_to_forget(request: Mapping[str, object]) -> str | None:
    """``forget``'s ``step_id``: one step's answer, or None for every answer the person gave."""
    step_id = request.get("step_id")
    if step_id is not None and not isinstance(step_id, str):
        raise DomainError("bad_request", "step_id must be a step id, or left out to delete every answer.")
    return None if step_id is None else checked_step_id(step_id)


def open_session(store: Store, session_id: int) -> Session:
    session = store.session_by_id(session_id)
    if session is None:
        raise DomainError("unknown_session", "This session no longer exists.")
    return session


def save(store: Store, session_id: int, participant_id: int, request: Mapping[str, object]) -> Saved:
    """``{"step_id", "answer_id", "value"}`` from ``participant_id``: returns once the answer is committed (with the
    answers sent alongside it). A resend of an answer already saved is acknowledged again, even after its step
    closed: the ack, not the answer, was lost."""
    step_id = checked_step_id(str(request["step_id"]))
    answer_id = validate_answer_id(request["answer_id"])
    session = open_session(store, session_id)
    current = session.current
    if current is None or current.key != step_id or session.locked:
        resent = store.saved_answer(participant_id, step_id, answer_id)
        if resent is not None:
            return Saved(resent, changed=False)
    if current is None or current.key != step_id:
        raise DomainError("step_closed", "That step is not open any more; your answer was not saved.")
    if session.locked:
        raise DomainError("step_locked", "The facilitator has closed this step; your answer was not saved.")
    # The table an answer is given at is kept where group-mates read it, and on a goal: "my group", when a person
    # shares their progress with their group, is the table they wrote their goal at.
    at_table = shared_with_group(current.step.visibility) or current.step.plan_field is PlanField.GOAL
    seating = store.table_of(session.id, participant_id) if at_table or current.step.by_role else None
    refuse_unless_answers(current, seating or Seating({}), participant_id)
    if current.step.returning_only:
        recall = store.recalls(session, [participant_id]).get(participant_id, Recall())
        refuse_unless_returning(session, store.answers_of(participant_id), recall)
    value = validate_answer(current.step, request["value"], session.system_goals)
    group = seating.group_of(participant_id) if seating and at_table else None  # the table it was given at, kept
    answer, changed = answer_writer().save(NewAnswer(session.id, participant_id, current.key, answer_id, value, group))
    return Saved(answer, changed, session, current, seating)
