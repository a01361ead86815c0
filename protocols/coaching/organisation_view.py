"""The leaders' view of an organisation, counted from its people's summaries (``caseload.PersonSummary``, made from
their records by ``caseload.summarise`` and kept between reads): one way to count, whether the records were just
read or their summaries kept. Summaries hold nothing private, so neither does the view."""

from collections.abc import Iterable, Sequence

from protocols.coaching.caseload import PersonSummary
from protocols.leaders import GoalFollowUp, LeadersView, ProgressMonth, SupportRequest
from protocols.phrases import recurring_phrases
from protocols.session import SystemGoal

OWN_GOALS = "Goals a session added of its own"


def leaders_view_of(
    organisation: str,
    system_goals: Sequence[SystemGoal],
    summaries: Iterable[PersonSummary],
    closed: Iterable[str] = (),
) -> LeadersView:
    """For each of the organisation's system goals: how many hold a goal under it, their progress month by month,
    the obstacles they name most, and the open support requests with who asked. Goals a session added of its own
    are gathered in one row at the end."""
    closed_keys = set(closed)
    rows: dict[int | None, list[PersonSummary]] = {goal.id: [] for goal in system_goals}
    everyone = list(summaries)
    without_goal = 0
    unattached: list[SupportRequest] = []
    for person in everyone:
        if not person.holds_goal:
            without_goal += 1
            unattached += [request for request in person.support if request.key not in closed_keys]
            continue
        key = person.organisation_goal_id if person.organisation_goal_id in rows else None
        rows.setdefault(key, []).append(person)
    titled = [(goal.id, goal.title, goal.description) for goal in system_goals]
    if rows.get(None):
        titled.append((None, OWN_GOALS, ""))
    goals = tuple(
        _goal_follow_up(goal_id, title, description, rows.get(goal_id, []), closed_keys)
        for goal_id, title, description in titled
    )
    return LeadersView(organisation, len(everyone), goals, without_goal, tuple(unattached))


def _goal_follow_up(
    goal_id: int | None, title: str, description: str, holders: Sequence[PersonSummary], closed: set[str]
) -> GoalFollowUp:
    months: dict[str, dict[int, list[float]]] = {}
    latest: dict[int, int] = {}
    obstacles: dict[int, Sequence[str]] = {}
    requests: list[SupportRequest] = []
    for person in holders:  # no container made per rating: a district's reads make nothing they can do without
        for month, level in person.ratings:
            by_person = months.get(month)
            if by_person is None:
                by_person = months[month] = {}
            levels = by_person.get(person.person_id)
            if levels is None:
                by_person[person.person_id] = [level]
            else:
                levels.append(level)
        if person.ratings:
            level = round(person.ratings[-1][1])
            latest[level] = latest.get(level, 0) + 1
        obstacles[person.person_id] = person.obstacles
        if person.support:
            requests += [request for request in person.support if request.key not in closed]
    progress = tuple(
        ProgressMonth(month, len(by_person), round(_mean([_mean(levels) for levels in by_person.values()]), 2))
        for month, by_person in sorted(months.items())
    )
    return GoalFollowUp(
        title=title,
        description=description,
        organisation_goal_id=goal_id,
        people=len(holders),
        checked_in=sum(1 for person in holders if person.checked_in),
        progress=progress,
        latest_levels=tuple(sorted(latest.items())),
        obstacles=recurring_phrases(obstacles, limit=8),
        requests=tuple(sorted(requests, key=lambda request: (request.asked_on, request.name))),
    )


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0
