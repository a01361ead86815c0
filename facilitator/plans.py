"""Plans built from the store: the one place that gathers a person's answers and what their group shared."""

from facilitator.store import Store
from protocols.groups import Seating
from protocols.plan import GroupAnswers, Plan, build_plan
from protocols.session import Participant, Session
from protocols.visibility import Audience, shared_with_group


def group_answers(store: Store, session: Session, names: dict[int, str] | None = None) -> GroupAnswers:
    """Every answer to the session's steps shared with the group, with who sat together when each was given."""
    keys = [agenda_step.key for agenda_step in session.steps if shared_with_group(agenda_step.step.visibility)]
    return GroupAnswers(
        store.answers_to_steps(session.id, keys),
        names if names is not None else store.participant_names(session.id),
        Seating(store.groups(session.id)),
    )


def participant_plan(
    store: Store,
    session: Session,
    participant: Participant,
    *,
    reader: Audience = Audience.AUTHOR,
    plan_url: str = "",
    calendar_url: str = "",
) -> Plan:
    """One person's plan as ``reader`` may see it: their own answers and what their group shared with them."""
    return build_plan(
        session,
        participant.name,
        store.answers_of(participant.id),
        reader=reader,
        plan_url=plan_url,
        group_answers=group_answers(store, session).for_reader(participant.id),
        calendar_url=calendar_url,
    )
