"""Plans built from the store: the one place that gathers a person's answers and what their group shared."""

from collections.abc import Iterable, Mapping

from facilitator.edge.language import current
from facilitator.store import Store
from facilitator.usecases import ideas
from protocols.groups import Seating
from protocols.language import Language
from protocols.measure_progress import MeasureChart, person_chart
from protocols.model import Step
from protocols.plan import GroupAnswers, Plan, build_plan
from protocols.session import Answer, Participant, Session
from protocols.visibility import Audience, may_receive, shared_with_group


def shared_step_ids(session: Session) -> list[str]:
    """The steps whose answers the author's group-mates receive."""
    return list(_shared_steps(session))


def _shared_steps(session: Session) -> dict[str, Step]:
    return {
        agenda_step.key: agenda_step.step
        for agenda_step in session.steps
        if shared_with_group(agenda_step.step.visibility)
    }


def group_answers(store: Store, session: Session, answers: Iterable[Answer], names: Mapping[int, str]) -> GroupAnswers:
    """What each group shared, from ``answers`` (any of the session's; only steps shared with the group count, and
    on a step that asks for approval, only approved answers)."""
    shared = _shared_steps(session)
    received = (
        answer
        for answer in answers
        if answer.step_id in shared and may_receive(Audience.GROUP_MATE, shared[answer.step_id], answer)
    )
    return GroupAnswers(received, names, Seating(store.groups(session.id)))


def participant_plan(
    store: Store,
    session: Session,
    participant: Participant,
    *,
    reader: Audience = Audience.AUTHOR,
    check_in_url: str = "",
    calendar_url: str = "",
    lang: Language | None = None,
) -> Plan:
    """One person's plan as ``reader`` may see it: their own answers and what their group shared with them, in
    ``lang`` (by default the request's: the person's own pages speak their language)."""
    lang = lang or current()
    answers = store.answers_to_steps(session.id, shared_step_ids(session))
    shared = group_answers(store, session, answers, store.participant_names(session.id))
    return build_plan(
        session,
        participant.name,
        store.answers_of(participant.id),
        reader=reader,
        check_in_url=check_in_url,
        group_answers=shared.for_reader(participant.id),
        calendar_url=calendar_url,
        ideas=ideas.plan_lines(store, session, participant.id, lang),
        lang=lang,
    )


def own_measure_chart(store: Store, participant: Participant) -> MeasureChart | None:
    """The person's current measure with the results their check-ins recorded, as their own plan shows it."""
    follow_up = store.own_follow_up(participant)
    return person_chart(follow_up.goals, follow_up.check_ins)
