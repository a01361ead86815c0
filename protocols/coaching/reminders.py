"""Reminders: what is due to whom, decided from plain data; recorded once under a key, so none is sent twice."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum

from protocols.coaching.caseload import check_in_due, checked_in_since, is_silent, local_day
from protocols.coaching.coaches import Coach, looks_like_email
from protocols.coaching.requests import Request
from protocols.coaching.thread import Author, Message
from protocols.followup import support_label
from protocols.language import IN_ENGLISH, N_, Language
from protocols.leaders import PersonRecord


class Recipient(StrEnum):
    PERSON = "person"
    COACH = "coach"
    LEADER = "leader"


class ReminderKind(StrEnum):
    CHECK_IN_SOON = "check_in_soon"  # to a person, a few days before their check-in date
    CHECK_IN_DUE = "check_in_due"  # to a person, on the day (or the first pass after it)
    COACH_WROTE = "coach_wrote"  # to a person, when their coach writes on their goal
    SUPPORT_ASKED = "support_asked"  # to a coach, when one of their people asks for support
    REPLIED = "replied"  # to a coach, when one of their people replies on their goal
    SILENT = "silent"  # to a coach, when one of their people passes their check-in date with no check-in
    DIGEST = "digest"  # the weekly digest to a coach or a leader


@dataclass(frozen=True, slots=True)
class Reminder:
    """One message to one recipient. ``key`` names it for ever ("check_in_due:12:2026-12-01"): a reminder whose key
    was recorded is never recorded, nor sent, again. ``body`` is plain text without links: the follow-up link and
    the stop-reminders link are made when it is sent."""

    key: str
    kind: ReminderKind
    organisation_id: int
    recipient: Recipient
    recipient_id: int  # a person (PersonRecord.person_id), a coach's id, or 0 for an organisation's leaders
    address: str  # the e-mail address it goes to; "" when there is none: it is shown in the app only
    subject: str
    body: str
    about_person: int | None = None  # the person it concerns, so forgetting them removes it


RECENT_DAYS = 14  # what happened longer ago than this is not announced any more (a first pass after an upgrade)
SOON_DAYS = 3  # the person hears this many days before their check-in date
DUE_DAYS = 7  # and on the day, or on the first pass within this many days after it


@dataclass(frozen=True, slots=True)
class OrganisationFollowUp:
    """Everything one pass reads of an organisation to decide what is due."""

    organisation_id: int
    name: str
    people: Sequence[PersonRecord]
    coaches: Sequence[Coach]
    owners: Mapping[int, int]  # person id -> their coach's id
    requests: Sequence[Request]
    messages: Mapping[int, Sequence[Message]]  # person id -> their thread, oldest first
    leader_emails: Sequence[str] = ()
    request_age_days: int = 7  # an open request older than this is named in the weekly digests
    timezone: str = "UTC"  # the organisation's: when its people's days begin and end


# Each kind's subject and body, in English; translated into the recipient's language when the reminder is made.
MESSAGES = {
    ReminderKind.CHECK_IN_SOON: (
        N_("Your check-in is on {day}"),
        N_(
            "Hello {name},\n\nYou chose {day} to check in on your goal with {organisation}. A few minutes is enough:"
            " how far each action step has got, and what your students showed."
        ),
    ),
    ReminderKind.CHECK_IN_DUE: (
        N_("Time to check in on your goal"),
        N_(
            "Hello {name},\n\nYou chose {day} to check in on your goal with {organisation}. Record how it is going:"
            " how far each action step has got, what your students showed, and any support you need."
        ),
    ),
    ReminderKind.COACH_WROTE: (
        N_("{coach} wrote about your goal"),
        N_("Hello {name},\n\n{coach} wrote on your goal. Open your plan to read it and reply."),
    ),
    ReminderKind.SUPPORT_ASKED: (
        N_("{name} asked for support"),
        N_(
            "Hello {coach},\n\n{name} asked for support: {support}.\n\nOpen your coach's view to acknowledge the"
            " request and plan a meeting."
        ),
    ),
    ReminderKind.REPLIED: (
        N_("{name} replied about their goal"),
        N_("Hello {coach},\n\n{name} answered on their goal. Open your coach's view to read it."),
    ),
    ReminderKind.SILENT: (
        N_("{name} has not checked in"),
        N_(
            "Hello {coach},\n\n{name} chose {day} for their check-in and has not checked in since. A short note from"
            " you may be what helps."
        ),
    ),
}
LanguageOf = Callable[[Recipient, int], Language]  # the language a recipient (kind, id) reads


def in_english(recipient: Recipient, recipient_id: int) -> Language:
    """Every recipient reads English: for callers that know no recipient's language."""
    return IN_ENGLISH


def due_reminders(
    follow_up: OrganisationFollowUp, now: float, *, language_of: LanguageOf = in_english
) -> list[Reminder]:
    """Every reminder due now in the organisation, each in its recipient's language (``language_of``). Each has a
    key naming the event it is for, so a reminder already recorded is not recorded again however often this runs."""
    today = local_day(now, follow_up.timezone)
    coaches = {coach.id: coach for coach in follow_up.coaches}
    found: list[Reminder] = []
    make = _Maker(follow_up.organisation_id, language_of, found)
    recent = now - RECENT_DAYS * 86400
    for person in follow_up.people:
        address = person.identifier if person.person_id > 0 and looks_like_email(person.identifier) else ""
        coach = coaches.get(follow_up.owners.get(person.person_id, -1))
        due = check_in_due(person)
        if due is not None and not checked_in_since(person, due.set_at):
            days_left = (date.fromisoformat(due.day) - today).days
            values = {"name": person.name, "day": due.day, "organisation": follow_up.name}
            if 0 < days_left <= SOON_DAYS:
                make.to_person(ReminderKind.CHECK_IN_SOON, f"{person.person_id}:{due.day}", person, address, values)
            if -DUE_DAYS <= days_left <= 0:
                make.to_person(ReminderKind.CHECK_IN_DUE, f"{person.person_id}:{due.day}", person, address, values)
            if days_left < 0 and coach is not None:
                make.to_coach(ReminderKind.SILENT, f"{person.person_id}:{due.day}", coach, person, values)
        for message in follow_up.messages.get(person.person_id, ()):
            values = {"name": person.name, "organisation": follow_up.name}
            if message.author is Author.COACH and message.created_at >= recent:
                writer = coaches.get(message.coach_id or -1)
                values["coach"] = writer.name if writer else ""  # "Your coach", in the person's language
                key = f"{person.person_id}:{_day(message.created_at)}"  # one a day, however many messages
                make.to_person(ReminderKind.COACH_WROTE, key, person, address, values)
            if coach is None:
                continue
            if message.author is Author.PERSON and message.created_at >= recent:
                key = f"{coach.id}:{person.person_id}:{_day(message.created_at)}"
                make.to_coach(ReminderKind.REPLIED, key, coach, person, values)
            if message.answered_at is not None and message.answered_at >= recent:
                key = f"{message.id}:{message.state.value}"
                make.to_coach(ReminderKind.REPLIED, key, coach, person, {**values, "answer": message.state.value})
    names = {person.person_id: person for person in follow_up.people}
    for request in follow_up.requests:
        person, coach = names.get(request.person_id), coaches.get(request.coach_id or -1)
        if request.is_open and request.asked_at >= recent and person is not None and coach is not None:
            values = {"name": person.name, "support": request.support, "note": request.note}
            make.to_coach(ReminderKind.SUPPORT_ASKED, str(request.id), coach, person, values)
    _digests(follow_up, today, make)
    return found


def _day(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).date().isoformat()


def _digests(follow_up: OrganisationFollowUp, today: date, make: "_Maker") -> None:
    """The weekly digest (once in each calendar week, Monday to Sunday, on the first pass with something to say)
    to each coach and each leader: how many are silent, and how many open requests are older than
    ``request_age_days``."""
    year, week, _ = today.isocalendar()
    silent = [person for person in follow_up.people if is_silent(person, today)]
    old = [r for r in follow_up.requests if r.is_open and r.age_days(today) > follow_up.request_age_days]
    for coach in follow_up.coaches:
        own_silent = sum(1 for p in silent if follow_up.owners.get(p.person_id) == coach.id)
        own_old = sum(1 for r in old if r.coach_id == coach.id)
        if own_silent or own_old:
            make.digest(
                Recipient.COACH,
                coach.id,
                coach.email,
                f"coach:{coach.id}:{year}-W{week:02d}",
                follow_up.name,
                own_silent,
                own_old,
                follow_up.request_age_days,
            )
    if silent or old:
        for email in follow_up.leader_emails:
            make.digest(
                Recipient.LEADER,
                0,
                email,
                f"leader:{follow_up.organisation_id}:{email}:{year}-W{week:02d}",
                follow_up.name,
                len(silent),
                len(old),
                follow_up.request_age_days,
            )


@dataclass(slots=True)
class _Maker:
    """Builds reminders from MESSAGES in each recipient's language: a day (ISO) is written, a support option
    named and a missing coach's name said in that language."""

    organisation_id: int
    language_of: LanguageOf
    found: list[Reminder]

    def _text(self, kind: ReminderKind, values: Mapping[str, str], lang: Language) -> tuple[str, str]:
        subject, body = MESSAGES[kind]
        worded = dict(values)
        if "day" in worded:
            worded["day"] = lang.day(worded["day"])
        if "support" in worded:
            worded["support"] = support_label(worded["support"], lang)
        if worded.get("coach") == "":
            worded["coach"] = lang.gettext("Your coach")
        return lang.gettext(subject, **worded), lang.gettext(body, **worded)

    def to_person(
        self, kind: ReminderKind, key: str, person: PersonRecord, address: str, values: Mapping[str, str]
    ) -> None:
        subject, body = self._text(kind, values, self.language_of(Recipient.PERSON, person.person_id))
        self.found.append(
            Reminder(
                f"{kind.value}:{key}",
                kind,
                self.organisation_id,
                Recipient.PERSON,
                person.person_id,
                address,
                subject,
                body,
                person.person_id,
            )
        )

    def to_coach(
        self, kind: ReminderKind, key: str, coach: Coach, person: PersonRecord, values: Mapping[str, str]
    ) -> None:
        values = {**values, "coach": coach.name}
        subject, body = self._text(kind, values, self.language_of(Recipient.COACH, coach.id))
        self.found.append(
            Reminder(
                f"{kind.value}:{key}",
                kind,
                self.organisation_id,
                Recipient.COACH,
                coach.id,
                coach.email,
                subject,
                body,
                person.person_id,
            )
        )

    def digest(
        self,
        recipient: Recipient,
        recipient_id: int,
        address: str,
        key: str,
        organisation: str,
        silent: int,
        old: int,
        age: int,
    ) -> None:
        """Counts only: a digest is kept and mailed, and names in it would outlive a person who asks to be
        forgotten. The names are one click away, in the coach's or the leaders' view."""
        lang = self.language_of(recipient, recipient_id)
        lines = [lang.gettext("This week's follow-up at {organisation}:", organisation=organisation)]
        if silent:
            lines.append(
                lang.ngettext(
                    "- {n} past their check-in date with no check-in since.",
                    "- {n} past their check-in date with no check-in since.",
                    silent,
                )
            )
        if old:
            lines.append(
                lang.ngettext(
                    "- {n} support request open for more than {days} days.",
                    "- {n} support requests open for more than {days} days.",
                    old,
                    days=lang.number(age),
                )
            )
        lines.append(lang.gettext("Open your view in Pathways to see who, and to write to them."))
        subject = lang.gettext("This week's follow-up at {organisation}", organisation=organisation)
        self.found.append(
            Reminder(
                f"digest:{key}",
                ReminderKind.DIGEST,
                self.organisation_id,
                recipient,
                recipient_id,
                address,
                subject,
                "\n".join(lines),
            )
        )
