"""People's summaries (``PersonSummary``) as the store keeps them: plain JSON, and back."""

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from protocols.coaching.caseload import CheckInDue, PersonSummary
from protocols.coaching.thread import GoalVersion
from protocols.leaders import SupportRequest

PLAIN_FIELDS = (
    "person_id",
    "name",
    "identifier",
    "holds_goal",
    "system_goal",
    "organisation_goal_id",
    "checked_in",
    "latest_check_in",
    "latest_check_in_day",
    "checked_in_since_due",
    "measure",
)


def summary_json(summary: PersonSummary) -> dict[str, Any]:
    due = summary.check_in_due
    return {
        **{name: getattr(summary, name) for name in PLAIN_FIELDS},
        "written": [[v.goal, [list(step) for step in v.action_steps], v.at, v.source] for v in summary.written],
        "support": [asdict(request) for request in summary.support],
        "ratings": [list(rating) for rating in summary.ratings],
        "obstacles": list(summary.obstacles),
        "check_in_due": [due.day, due.set_at] if due else None,
    }


def summary_of(data: Mapping[str, Any]) -> PersonSummary:
    """A summary from ``summary_json``'s JSON, equal to the one it was made from."""
    due = data["check_in_due"]
    return PersonSummary(
        **{name: data[name] for name in PLAIN_FIELDS},
        written=tuple(
            GoalVersion(goal, tuple(tuple(step) for step in steps), at, source)  # type: ignore[misc]
            for goal, steps, at, source in data["written"]
        ),
        support=tuple(SupportRequest(**request) for request in data["support"]),
        ratings=tuple((month, level) for month, level in data["ratings"]),
        obstacles=tuple(data["obstacles"]),
        check_in_due=CheckInDue(*due) if due else None,
    )
