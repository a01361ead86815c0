"""``python -m facilitator.loadtest.district``: a district's follow-up at scale, timed.

It seeds one organisation through the store, as days of sessions would leave it (people joining one or two of its
sessions, each with a goal, action steps and check-ins), then times what a leader's browser asks for: the leaders'
view (``GET /api/follow-up``) and its CSVs, through the app itself, then the leaders' view again after each of a
few rounds of new check-ins (the people they touch have their summaries made again). Issue 22's target: the
leaders' view answers within 300 ms for 5,000 people over 10 sessions with 20,000 check-ins.
"""

import argparse
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from exports.markdown import replace_section
from facilitator.app import create_app
from facilitator.store import DATABASE_FILE, NewAnswer, Store
from protocols.credentials import new_secret
from protocols.followup import parse_check_in
from protocols.loader import load_library
from protocols.organisations import OrganisationDraft
from protocols.session import AgendaItem, Participant
from protocols.setup import GoalDraft

GOALS = (
    "Every student reads fluently by grade 3",
    "Feedback that moves learning forward",
    "Belonging for every learner",
)
READS = ("/api/follow-up", "/api/follow-up/caseloads.csv", "/api/follow-up/silent.csv")
LEADERS_VIEW = READS[0]
NEW_CHECK_INS = 20  # before each timed read of the leaders' view after writes


class District(NamedTuple):
    organisation_id: int
    key: str
    participants: Sequence[Participant]


def seed(store: Store, people: int, sessions: int, check_ins: int) -> District:
    """The organisation with ``people`` people over ``sessions`` sessions and ``check_ins`` check-ins; every other
    person came back to a second session, proving it with their first day's token."""
    organisation, key = store.create_organisation(
        OrganisationDraft("District", tuple(GoalDraft(None, title) for title in GOALS))
    )
    days = []
    for number in range(sessions):
        goals = [(goal.title, "", goal.id) for goal in organisation.goals]
        agenda = [AgendaItem(1, load_library()["goal-setting"])]
        day, _ = store.create_session(f"Day {number + 1}", "District", goals, agenda, organisation_id=organisation.id)
        days.append(day)
    participants = []
    for person in range(people):
        first = days[person % sessions]
        joined, token = store.add_participant(first.id, f"Teacher {person:05d}")
        _answer_goal(store, first, joined.id, person)
        participants.append(joined)
        if person % 2 and sessions > 1:
            again, _ = store.add_participant(days[(person + 1) % sessions].id, joined.name, earlier=[token])
            participants.append(again)
    for number in range(check_ins):
        participant = participants[number % len(participants)]
        level = 1 + number % 5
        _check_in(store, participant, level)
    return District(organisation.id, key, participants)


def _check_in(store: Store, participant: Participant, level: int) -> None:
    store.save_check_in(participant, parse_check_in({"progress": [{"step": "Read aloud daily", "level": level}]}))


def _answer_goal(store: Store, day, participant_id: int, person: int) -> None:
    goal = day.system_goals[person % len(day.system_goals)]
    values = {
        "1:system-goal": goal.id,
        "1:goal": f"Goal of teacher {person}: every reader at grade level by June",
        "1:action-steps": [{"text": "Read aloud daily", "date": "2027-03-01"}],
        "1:check-in": "2027-01-15",
    }
    store.save_answers([NewAnswer(day.id, participant_id, step, f"{step}-{person}", value)
                        for step, value in values.items()])  # fmt: skip


def time_reads(data_dir: str, district: District, repeats: int) -> dict[str, list[float]]:
    """Each read, ``repeats`` times after one warm-up, then the leaders' view ``repeats`` times, each after
    ``NEW_CHECK_INS`` new check-ins, in milliseconds."""
    app = create_app({"DATA_DIR": data_dir, "ADMIN_TOKEN": new_secret(), "ASYNC_MODE": "threading"})
    client = app.test_client()
    headers = {"X-Organisation-Key": district.key}
    timings: dict[str, list[float]] = {}

    def timed(path: str, label: str) -> None:
        started = time.perf_counter()
        response = client.get(f"{path}?organisation={district.organisation_id}", headers=headers)
        timings.setdefault(label, []).append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, path

    for path in READS:
        assert client.get(f"{path}?organisation={district.organisation_id}", headers=headers).status_code == 200
        for _ in range(repeats):  # after the warm-up above, which also shows the route answers
            timed(path, f"`{path}`")
    store = app.extensions["pathways.store"]
    writers = district.participants
    for round_number in range(repeats):
        for n in range(NEW_CHECK_INS):
            _check_in(store, writers[(round_number * NEW_CHECK_INS + n) * 7 % len(writers)], 1 + n % 5)
        timed(LEADERS_VIEW, f"`{LEADERS_VIEW}` after {NEW_CHECK_INS} new check-ins")
    store.close()
    return timings


def report(timings: dict[str, list[float]], people: int, sessions: int, check_ins: int, seconds: float) -> str:
    machine = f"{platform.system()} {platform.machine()}, Python {platform.python_version()}"
    lines = [
        "## A district's reads",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} on {machine}: one organisation with {people:,} people over "
        f"{sessions} sessions and {check_ins:,} check-ins (seeded through the store in {seconds:.0f} s), each read "
        "timed through the app on SQLite, after one untimed read; then the leaders' view again after each round of "
        f"{NEW_CHECK_INS} new check-ins. Target: the leaders' view within 300 ms.",
        "",
        "```sh",
        "python -m facilitator.loadtest.district " + " ".join(sys.argv[1:]),
        "```",
        "",
        "| read | median ms | max ms |",
        "|---|---|---|",
    ]
    for label, samples in timings.items():
        lines.append(f"| {label} | {statistics.median(samples):.0f} | {max(samples):.0f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--check-ins", type=int, default=20000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--write", type=Path, help="Write the figures as this Markdown file's district section.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pathways-district-") as data_dir:
        started = time.monotonic()
        store = Store(Path(data_dir) / DATABASE_FILE)
        district = seed(store, args.people, args.sessions, args.check_ins)
        store.close()
        seeded = time.monotonic() - started
        timings = time_reads(data_dir, district, args.repeats)
    text = report(timings, args.people, args.sessions, args.check_ins, seeded)
    print(text)
    if args.write:
        replace_section(args.write, "district-reads", text)


if __name__ == "__main__":
    main()
