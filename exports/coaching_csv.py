"""The coaching loop's CSVs for a leaders' meeting: caseloads, the silent list, agreed goals and support requests.
Built from caseload rows and request views, which hold nothing private."""

from collections.abc import Iterable, Mapping
from typing import Any

from exports.answers_csv import table_csv

Row = Mapping[str, Any]


def caseloads_csv(rows: Iterable[Row]) -> bytes:
    """Everyone with their coach, goal, latest check-in, trend, open requests and next meeting."""
    header = (
        "name",
        "email_or_staff_id",
        "coach",
        "system_goal",
        "goal",
        "agreed",
        "latest_check_in",
        "trend",
        "open_requests",
        "unanswered_messages",
        "next_meeting",
        "check_in_due",
        "silent",
    )
    return table_csv(header, (_person(row) for row in rows))


def _person(row: Row) -> tuple[object, ...]:
    meeting = row["next_meeting"]
    return (
        row["name"],
        row["identifier"],
        row["coach"],
        row["system_goal"],
        row["goal"],
        _yes(row["agreed"]),
        row["latest_check_in_day"],
        row["trend_direction"],
        len(row["open_requests"]),
        row["unanswered"],
        meeting["day"] if meeting else "",
        row["check_in_due"],
        _yes(row["silent"]),
    )


def silent_csv(rows: Iterable[Row]) -> bytes:
    """Who passed their check-in date with no check-in, under which system goal, and who coaches them."""
    header = ("system_goal", "name", "email_or_staff_id", "coach", "check_in_due", "latest_check_in")
    return table_csv(
        header,
        (
            (r["system_goal"], r["name"], r["identifier"], r["coach"], r["check_in_due"], r["latest_check_in_day"])
            for r in rows
            if r["silent"]
        ),
    )


def agreement_csv(rows: Iterable[Row]) -> bytes:
    """Each goal and whether it is agreed with a coach yet."""
    header = ("system_goal", "name", "coach", "goal", "agreed")
    return table_csv(
        header, ((r["system_goal"], r["name"], r["coach"], r["goal"], _yes(r["agreed"])) for r in rows if r["goal"])
    )


def requests_csv(requests: Iterable[tuple[Row, Row]]) -> bytes:
    """The open support requests, to hand to the coaches who follow them up, with each one's owner, state and age:
    (person's caseload row, request view) pairs."""
    header = (
        "name",
        "email_or_staff_id",
        "system_goal",
        "goal",
        "support",
        "note",
        "asked_on",
        "where",
        "owner",
        "state",
        "age_days",
        "meeting_day",
        "meeting_place",
    )
    return table_csv(
        header,
        (
            (
                p["name"],
                p["identifier"],
                p["system_goal"],
                p["goal"],
                r["support"],
                r["note"],
                r["asked_on"],
                r["source"],
                r["owner"] or "Leaders",
                r["state_label"],
                r["age_days"],
                r["meeting_day"],
                r["meeting_place"],
            )
            for p, r in requests
        ),
    )


def _yes(flag: object) -> str:
    return "yes" if flag else "no"
