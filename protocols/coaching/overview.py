"""What leaders see of the coaching loop: coaches and their caseloads, requests by state and age, who went silent
under each system goal, how many goals are agreed and how their measures moved. Counted from caseload rows: nothing
private is in them."""

from collections.abc import Mapping, Sequence
from typing import Any

from protocols.coaching.coaches import Coach
from protocols.coaching.requests import STATE_LABELS, Request, RequestState
from protocols.measure_progress import measure_summary
from protocols.organisations import OrganisationGoal

AGE_BANDS = ((7, "Under a week"), (14, "1 to 2 weeks"), (30, "2 to 4 weeks"), (None, "Over 4 weeks"))
NO_GOAL = "No system goal yet"
NO_MEASURE: tuple[None, list[tuple[str, float]]] = (None, [])  # shared by every row without one; never changed


def _band(age_days: int) -> str:
    return next(label for limit, label in AGE_BANDS if limit is None or age_days < limit)


def _measure_of(row: Mapping[str, Any]) -> tuple[dict[str, Any] | None, list[tuple[str, float]]]:
    """A caseload row's measure and its results, as ``measure_summary`` counts them."""
    measure = row["measure"]
    if not measure:
        return NO_MEASURE
    return measure, [(point["date"], point["value"]) for point in measure["results"]]


def coaching_overview(
    coaches: Sequence[Coach],
    goals: Sequence[OrganisationGoal],
    rows: Sequence[Mapping[str, Any]],
    requests: Sequence[Request],
    ages: Mapping[int, int],
) -> dict[str, Any]:
    """``rows``: everyone's caseload rows (``caseload_row``); ``ages``: each open request's age in days."""
    caseload = {coach.id: 0 for coach in coaches}
    silent = {coach.id: 0 for coach in coaches}
    for row in rows:
        if row["coach_id"] in caseload:
            caseload[row["coach_id"]] += 1
            silent[row["coach_id"]] += bool(row["silent"])
    by_state = {state: 0 for state in RequestState}
    by_age = {label: 0 for _, label in AGE_BANDS}
    for request in requests:
        by_state[request.state] += 1
        if request.is_open:
            by_age[_band(ages.get(request.id, 0))] += 1
    per_goal: dict[str, dict[str, Any]] = {
        goal.title: {"id": goal.id, "silent": [], "agreed": 0, "not_agreed": 0, "held": []}
        for goal in goals
        if not goal.archived
    }
    for row in rows:
        title = row["system_goal"] or NO_GOAL
        entry = per_goal.get(title)  # made once per goal, not once per row: a district has thousands of rows
        if entry is None:
            entry = per_goal[title] = {"id": None, "silent": [], "agreed": 0, "not_agreed": 0, "held": []}
        if row["silent"]:
            entry["silent"].append({"person_id": row["person_id"], "name": row["name"], "coach": row["coach"],
                                    "check_in_due": row["check_in_due"]})  # fmt: skip
        if row["goal"]:
            entry["agreed" if row["agreed"] else "not_agreed"] += 1
        if row["goal"] or row["measure"]:
            entry["held"].append(_measure_of(row))
    for entry in per_goal.values():
        entry["measures"] = measure_summary(entry.pop("held"))
    return {
        "coaches": [
            {"id": c.id, "name": c.name, "email": c.email, "caseload": caseload[c.id], "silent": silent[c.id]}
            for c in coaches
        ],
        "without_coach": sum(1 for row in rows if row["coach_id"] is None),
        "requests_by_state": [
            {"state": state.value, "label": STATE_LABELS[state], "count": count} for state, count in by_state.items()
        ],
        "open_requests_by_age": [{"age": label, "count": count} for label, count in by_age.items()],
        "system_goals": [{"title": title, **entry} for title, entry in per_goal.items()],
    }
