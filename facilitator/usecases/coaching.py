"""What the coaching loop's requests do: read an organisation's follow-up with its requests brought up to date, a
coach's caseload, one person's goal and thread, and the moves coaches and people make on them."""

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from facilitator.edge.language import current
from facilitator.store import Store
from facilitator.store.outbox import RecordedReminder
from protocols.coaching.caseload import PersonSummary, PersonThread, caseload_row, local_day, summarise, summary_row
from protocols.coaching.coaches import AssignedHow, Assignment, Coach
from protocols.coaching.reminders import Recipient
from protocols.coaching.requests import Request, move_request, request_view, sync_requests
from protocols.coaching.thread import (
    AgreedVersion,
    Author,
    CurrentGoal,
    MessageDraft,
    MessageKind,
    SuggestionState,
    goal_from_versions,
    goal_view,
    message_view,
    parse_answer,
    parse_message,
    reworded,
)
from protocols.errors import DomainError
from protocols.followup import check_in_view
from protocols.language import Language
from protocols.leaders import PersonRecord
from protocols.organisations import Organisation
from protocols.plan import GoalWithCoach
from protocols.session import Participant, Session


@dataclass(frozen=True, slots=True)
class FollowUpData:
    """An organisation's people with everything the coaching loop holds about them, requests up to date: their
    summaries, and their records where a read needs them (one person's page, a coach's person view, reminders)."""

    organisation: Organisation
    people: Sequence[PersonRecord]  # () when read for the leaders' view: its rows are made from the summaries
    summaries: Sequence[PersonSummary]
    coaches: Sequence[Coach]
    assignments: Mapping[int, Assignment]
    requests: Sequence[Request]
    threads: Mapping[int, PersonThread]

    @property
    def coach_names(self) -> dict[int, str]:
        return {coach.id: coach.name for coach in self.coaches}

    @property
    def owners(self) -> dict[int, int]:
        return {person_id: a.coach_id for person_id, a in self.assignments.items()}

    @property
    def today(self) -> date:
        """Today in the organisation's time zone."""
        return local_day(time.time(), self.organisation.timezone)

    def coach_of(self, person_id: int) -> int | None:
        assignment = self.assignments.get(person_id)
        return assignment.coach_id if assignment else None


def person_key(participant: Participant) -> int | None:
    """The person a plan page's holder is in the coaching loop (``PersonRecord.person_id``): their person, or, for
    someone linked only by an identifier they typed, a person of their own. None: joined before people were kept."""
    if participant.person_id is None:
        return None
    return participant.person_id if participant.person_verified else -participant.id


def follow_up_data(
    store: Store,
    organisation: Organisation,
    person_ids: Sequence[int] | None = None,
    *,
    read: Sequence[int] = (),
    changing: bool = True,
) -> FollowUpData:
    """The organisation's follow-up, or these people's (``person_ids``, as ``PersonRecord.person_id``; ``read``
    names the people table's ids to read them from when one is someone linked only by an identifier), after making
    the support requests their latest statements ask for, each with an owner (``sync_requests``)."""
    reading = None if person_ids is None else [*(p for p in person_ids if p > 0), *read]
    people = store.person_records(organisation.id, reading)
    if person_ids is not None:
        people = [person for person in people if person.person_id in set(person_ids)]
    summaries = [summarise(person) for person in people]
    return _with_coaching(store, organisation, people, summaries, changing=changing, everyone=person_ids is None)


def organisation_follow_up(store: Store, organisation: Organisation) -> FollowUpData:
    """The whole organisation's follow-up as the leaders' view and its CSVs read it: everyone's summaries, kept by
    the store and made again only for the people whose records changed, rather than every record read again."""
    return _with_coaching(store, organisation, (), store.person_summaries(organisation.id), everyone=True)


def _with_coaching(
    store: Store,
    organisation: Organisation,
    people: Sequence[PersonRecord],
    summaries: Sequence[PersonSummary],
    *,
    changing: bool = True,
    everyone: bool,
) -> FollowUpData:
    """The coaching loop's records of these people (``everyone``: of the whole organisation), after making the
    requests their latest statements ask for."""
    coaches = store.coaches(organisation.id)
    assignments = store.assignments(organisation.id)
    kept = store.requests(organisation.id)
    now = time.time()
    stated = [request for summary in summaries for request in summary.support]
    closed = store.closed_requests(organisation.id)
    ids = [summary.person_id for summary in summaries]
    theirs = set(ids)
    sync = sync_requests(stated, [r for r in kept if r.person_id in theirs], coaches, assignments, closed, now)
    if changing and (sync.new or sync.assign or sync.no_longer_asked or sync.owners):
        store.apply_request_sync(organisation.id, sync, now)
        assignments, kept = store.assignments(organisation.id), store.requests(organisation.id)
    messages = store.messages(organisation.id, None if everyone else ids)
    versions = store.agreed_versions(organisation.id, None if everyone else ids)
    evidence = store.evidence_counts(ids)  # leaders and coaches see how many files, not the files
    names = {coach.id: coach.name for coach in coaches}
    by_person: dict[int, list[Request]] = {}
    for request in kept:
        by_person.setdefault(request.person_id, []).append(request)
    threads: dict[int, PersonThread] = {}
    for summary in summaries:
        held = [found.get(summary.person_id) for found in (messages, by_person, versions, evidence)]
        if any(held):
            written_to, asked, agreed, files = held
            goal = goal_from_versions(summary.written, agreed, names) if agreed else summary.thread.goal
            threads[summary.person_id] = PersonThread(written_to or (), asked or (), goal, files or 0)
        else:  # nothing beyond their records: the thread their summary holds, not one more object per read
            threads[summary.person_id] = summary.thread
    requests = [r for r in kept if r.person_id in threads]
    return FollowUpData(organisation, people, summaries, coaches, assignments, requests, threads)


def caseload(data: FollowUpData, coach: Coach | None, lang: Language | None = None) -> list[dict[str, Any]]:
    """The rows of a coach's caseload (their people alone), or of everyone for leaders (``coach`` None), in
    ``lang`` (by default the request's; a CSV's is English, docs/EXPORTS.md)."""
    day = data.today
    names = data.coach_names
    lang = lang or current()
    rows = [
        summary_row(summary, data.threads[summary.person_id], data.coach_of(summary.person_id), names, day, lang=lang)
        for summary in data.summaries
        if coach is None or data.coach_of(summary.person_id) == coach.id
    ]
    return sorted(rows, key=lambda row: (not row["silent"], -len(row["open_requests"]), row["name"].casefold()))


def person_of(data: FollowUpData, person_id: int, coach: Coach | None) -> PersonRecord:
    """One person as a coach may open them (only their own people) or a leader; ``unknown_person`` otherwise."""
    person = next((p for p in data.people if p.person_id == person_id), None)
    if person is None or (coach is not None and data.coach_of(person_id) != coach.id):
        raise DomainError("unknown_person", "There is no such person among your people.")
    return person


def person_view(
    data: FollowUpData, person: PersonRecord, *, for_person: bool, lang: Language | None = None
) -> dict[str, Any]:
    """A person's goal, its versions and agreement, their coach, requests, check-ins (never a private note) and the
    thread: for their coach and leaders, or for themselves (``for_person``: names them "You"); in ``lang``, by
    default the request's (the reader's)."""
    held = data.threads[person.person_id]
    names = data.coach_names
    coach_id = data.coach_of(person.person_id)
    day = data.today
    lang = lang or current()
    author = lang.gettext("You") if for_person else person.name
    return {
        "person_id": person.person_id,
        "name": person.name,
        "coach": {"id": coach_id, "name": names.get(coach_id, "")} if coach_id is not None else None,
        "goal": goal_view(held.goal, names, lang=lang),
        "system_goal": person.current.system_goal if person.current else "",
        "requests": [request_view(r, names, day, lang) for r in sorted(held.requests, key=lambda r: -r.asked_at)],
        "check_ins": [
            {"id": c.id, **check_in_view(c, lang=lang)} for c in sorted(person.check_ins, key=lambda c: -c.created_at)
        ],
        "thread": [message_view(m, names, author, lang=lang) for m in held.messages],
        "row": caseload_row(person, held, coach_id, names, day, lang),
    }


def post_message(store: Store, data: FollowUpData, person: PersonRecord, payload: Any, coach: Coach | None) -> dict:
    """A coach's message (``coach`` given) or the person's reply on their goal's thread."""
    author = Author.COACH if coach is not None else Author.PERSON
    held = data.threads[person.person_id]
    draft = parse_message(payload, author, held.goal, [c.id for c in person.check_ins])
    message = store.add_message(data.organisation.id, person.person_id, draft, coach.id if coach else None)
    lang = current()  # the writer's, who reads the reply
    return message_view(message, data.coach_names, person.name if coach else lang.gettext("You"), lang=lang)


def answer_suggestion(store: Store, data: FollowUpData, person: PersonRecord, message_id: int, payload: Any) -> None:
    """The person accepts a suggestion (an accepted rewording is the goal's new version, agreed by both) or a
    meeting, or declines either with a reason."""
    held = data.threads[person.person_id]
    message = next((m for m in held.messages if m.id == message_id), None)
    if message is None:
        raise DomainError("unknown_message", "There is no such message on your goal.")
    state, reason = parse_answer(message, payload)
    version = None
    rewording = message.kind in (MessageKind.SUGGEST_GOAL, MessageKind.SUGGEST_STEP)
    if state is SuggestionState.ACCEPTED and rewording:
        goal, steps = reworded(_goal_of(held.goal), message)
        version = AgreedVersion(goal, steps, message.coach_id or 0, time.time(), True)
    store.answer_message(data.organisation.id, message, state, reason, version)


def agree_goal(store: Store, data: FollowUpData, person: PersonRecord, coach: Coach) -> None:
    """The coach agrees to the goal as it stands; with the person's own wording, that makes it agreed."""
    current = _goal_of(data.threads[person.person_id].goal)
    if current.agreed:
        raise DomainError("already_answered", "This goal is agreed already.")
    version = AgreedVersion(current.goal, current.action_steps, coach.id, time.time(), False)
    store.agree(data.organisation.id, person.person_id, version, MessageDraft(Author.COACH, MessageKind.AGREE))


def move(store: Store, data: FollowUpData, request_id: int, payload: Any, coach: Coach | None) -> dict[str, Any]:
    """A coach (their own requests) or a leader moves a request forward; the reply in the request's language."""
    request = next((r for r in data.requests if r.id == request_id), None)
    if request is None or (coach is not None and request.coach_id != coach.id):
        raise DomainError("unknown_request", "There is no such support request among yours.")
    store.update_request(data.organisation.id, request.id, move_request(request, payload, time.time()))
    moved = next(r for r in store.requests(data.organisation.id) if r.id == request.id)
    return request_view(moved, data.coach_names, data.today, current())


def assign(store: Store, data: FollowUpData, payload: Any) -> int:
    """Leaders give coaches: ``{"person_id", "coach_id"}`` (``coach_id`` null: none) for one person, or
    ``{"goal_id", "coach_id"}`` for everyone whose goal is under an organisation's system goal. Returns how many."""
    if not isinstance(payload, dict) or "coach_id" not in payload:
        raise DomainError("bad_request", 'Send {"person_id", "coach_id"} or {"goal_id", "coach_id"}.')
    coach_id = payload["coach_id"]
    if coach_id is not None and coach_id not in {coach.id for coach in data.coaches}:
        raise DomainError("unknown_coach", "There is no such coach in this organisation.")
    now = time.time()
    if "goal_id" in payload:
        goal_ids = {goal.id for goal in data.organisation.goals}
        if payload["goal_id"] not in goal_ids or coach_id is None:
            raise DomainError("unknown_goal", "Pick one of the organisation's system goals and a coach.")
        people = [s.person_id for s in data.summaries if s.holds_goal and s.organisation_goal_id == payload["goal_id"]]
        store.assign(data.organisation.id, [Assignment(p, coach_id, AssignedHow.GOAL, now) for p in people])
        return len(people)
    person = person_of(data, payload.get("person_id"), None) if isinstance(payload.get("person_id"), int) else None
    if person is None:
        raise DomainError("unknown_person", "There is no such person in this organisation.")
    if coach_id is None:
        store.assign(data.organisation.id, [], unassign=[person.person_id])
    else:
        store.assign(data.organisation.id, [Assignment(person.person_id, coach_id, AssignedHow.HAND, now)])
    return 1


def _goal_of(current: CurrentGoal | None) -> CurrentGoal:
    if current is None:
        raise DomainError("no_goal", "This person has no goal yet.")
    return current


def person_coaching(store: Store, participant: Participant, session: Session) -> dict[str, Any] | None:
    """What the person's plan page shows of their coaching: their coach, goal and its versions, requests, thread and
    reminders. None outside an organisation (no follow-up) or for someone who joined before people were kept."""
    key = person_key(participant)
    organisation = store.organisation(session.organisation_id) if session.organisation_id is not None else None
    if key is None or organisation is None:
        return None
    data = follow_up_data(store, organisation, [key], read=[participant.person_id or 0])
    person = next((p for p in data.people if p.person_id == key), None)
    if person is None:
        return None
    view = person_view(data, person, for_person=True)
    view["reminders"] = reminders_of_person(store, organisation.id, key)
    return view


def goal_with_coach(view: Mapping[str, Any] | None) -> GoalWithCoach | None:
    """What the person's plan (page and PDF) says of their goal with their coach, from ``person_coaching``."""
    if view is None or view["goal"] is None:
        return None
    goal = view["goal"]
    versions = tuple((v["on"], v["goal"], v["source"]) for v in goal["versions"])
    coach = view["coach"]["name"] if view["coach"] else ""
    return GoalWithCoach(coach, goal["goal"], goal["agreement"], versions)


def reminders_of_coach(store: Store, coach: Coach) -> list[dict[str, Any]]:
    """The coach's recent reminders, mailed or not: without SMTP, this list is how they reach the coach."""
    lang = current()
    return [reminder_view(r, lang) for r in store.reminders_for(Recipient.COACH, coach.id, coach.organisation_id)]


def reminders_of_person(store: Store, organisation_id: int, person_id: int) -> list[dict[str, Any]]:
    lang = current()
    return [reminder_view(r, lang) for r in store.reminders_for(Recipient.PERSON, person_id, organisation_id)]


def mail_problems(store: Store, organisation: Organisation) -> dict[str, Any]:
    """Reminders that could not be mailed yet, for the leaders' view (the error holds no secret)."""
    problems = store.mail_problems(organisation.id)
    return {
        "retrying": problems.retrying,
        "failed": problems.failed,
        "unconfirmed": problems.unconfirmed,
        "latest_error": problems.latest_error,
    }


def reminder_view(reminder: RecordedReminder, lang: Language) -> dict[str, Any]:
    """A reminder as the app lists it: what it said, when (in ``lang``), and whether it was mailed."""
    return {
        "kind": reminder.kind.value,
        "subject": reminder.subject,
        "body": reminder.body,
        "on": lang.day(datetime.fromtimestamp(reminder.created_at, UTC).date()),
        "mailed": reminder.state.value == "sent",
    }
