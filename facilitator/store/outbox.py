"""The outbox of reminders: each recorded once under its key before anything is sent, claimed by one sender at a time,
marked sent, retried or failed; the stop-reminders link and the follow-up link a message carries.

A row's ``state`` says where it is: ``app`` (shown in the app only: no mail server, no address, or the address
stopped reminders), ``pending`` (to be mailed), ``sending`` (claimed by a sender), ``sent``, ``retry`` (an attempt
failed; tried again later), ``failed`` (given up), ``unconfirmed`` (its sender stopped mid-send, so it may have
gone: never sent again). ``next_attempt_at`` holds, while pending or retrying, when it is due; while sending, when
it was claimed; once failed or unconfirmed, when that was found.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from sqlalchemy import Insert, bindparam, delete, func, or_, select, update

from facilitator.store.base import StoreBase, insert_for
from facilitator.store.database import Link
from facilitator.store.schema import opted_out, reminders
from protocols.coaching.reminders import Recipient, Reminder, ReminderKind
from protocols.credentials import new_secret, secret_digest

SENDING_AT_MOST = 15 * 60  # seconds one message's sending can take (each SMTP step has its timeout); later: stalled
STALLED_ERROR = "Its sender stopped while sending it: it may have gone, so it is not sent again."
CLAIM_ROUNDS = 10  # looks for more due reminders when some it found went to the app or to another sender
FOLLOW_UP_LINK_DAYS = 30  # a follow-up link in a message opens the person's page for this long after it was sent


class MailState(StrEnum):
    APP = "app"
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"
    UNCONFIRMED = "unconfirmed"


DUE = (MailState.PENDING, MailState.RETRY)
PROBLEMS = (MailState.RETRY, MailState.FAILED, MailState.UNCONFIRMED)


@dataclass(frozen=True, slots=True)
class ClaimedMail:
    """A reminder a sender holds: only it sends this one. The tokens are in plain text here and nowhere else: the
    database keeps their digests."""

    id: int
    key: str
    kind: ReminderKind
    organisation_id: int
    recipient: Recipient
    recipient_id: int
    address: str
    subject: str
    body: str
    attempts: int  # including this one
    stop_token: str  # for the stop-reminders link
    link_token: str | None  # for the follow-up link; only a reminder to a person has one


@dataclass(frozen=True, slots=True)
class RecordedReminder:
    """A reminder as the app lists it (on a plan page, in a coach's view), whether or not it was mailed."""

    id: int
    key: str
    kind: ReminderKind
    recipient: Recipient
    recipient_id: int
    about_person: int | None
    subject: str
    body: str
    state: MailState
    created_at: float
    sent_at: float | None


@dataclass(frozen=True, slots=True)
class MailProblems:
    """What the leaders' view says about an organisation's mail: how many are being retried, were given up, or may
    have gone when their sender stopped; and the error of the latest (never holding a secret)."""

    retrying: int
    failed: int
    unconfirmed: int
    latest_error: str


def address_digest(address: str) -> str:
    """How ``opted_out`` knows an address: the digest of its trimmed, case-folded form, so ``Ana@School.org`` and
    ``ana@school.org`` stop together."""
    return secret_digest(" ".join(address.split()).casefold())


REMINDER_COLUMNS = (
    reminders.c.id,
    reminders.c.reminder_key,
    reminders.c.kind,
    reminders.c.recipient,
    reminders.c.recipient_id,
    reminders.c.about_person,
    reminders.c.subject,
    reminders.c.body,
    reminders.c.state,
    reminders.c.created_at,
    reminders.c.sent_at,
)
CLAIMED_COLUMNS = (
    reminders.c.id,
    reminders.c.reminder_key,
    reminders.c.kind,
    reminders.c.organisation_id,
    reminders.c.recipient,
    reminders.c.recipient_id,
    reminders.c.address,
    reminders.c.subject,
    reminders.c.body,
    reminders.c.attempts,
)
IS_DUE = or_(reminders.c.state == MailState.PENDING.value, reminders.c.state == MailState.RETRY.value)
OPTED_OUT = select(opted_out.c.address_digest).where(
    opted_out.c.address_digest.in_(bindparam("digests", expanding=True))
)
# On PostgreSQL, a sender passes over the rows another holds (SQLite, with one writer at a time, has no FOR UPDATE).
DUE_MAIL = (
    select(reminders.c.id, reminders.c.address, reminders.c.recipient)
    .where(IS_DUE, reminders.c.next_attempt_at <= bindparam("now"))
    .order_by(reminders.c.next_attempt_at, reminders.c.id)
    .limit(bindparam("limit"))
    .with_for_update(skip_locked=True)
)
# Only a due row is claimed: of two senders reaching one row at once, one changes it and the other changes nothing.
CLAIM = (
    update(reminders)
    .where(reminders.c.id == bindparam("reminder"), IS_DUE)
    .values(attempts=reminders.c.attempts + 1)
    .returning(*CLAIMED_COLUMNS)
)
KEEP_IN_APP = update(reminders).where(reminders.c.id == bindparam("reminder"), IS_DUE)
ONCE_SENDING = update(reminders).where(
    reminders.c.id == bindparam("reminder"), reminders.c.state == MailState.SENDING.value
)
# A sender marked stalled may still finish: what it learns afterwards is kept.
SENDING_OR_STALLED = update(reminders).where(
    reminders.c.id == bindparam("reminder"),
    or_(reminders.c.state == MailState.SENDING.value, reminders.c.state == MailState.UNCONFIRMED.value),
)
STALLED = update(reminders).where(
    reminders.c.state == MailState.SENDING.value, reminders.c.next_attempt_at < bindparam("claimed_before")
)
REMINDERS_OF = (
    select(*REMINDER_COLUMNS)
    .where(
        reminders.c.organisation_id == bindparam("organisation"),
        reminders.c.recipient == bindparam("recipient"),
        reminders.c.recipient_id == bindparam("recipient_id"),
    )
    .order_by(reminders.c.created_at.desc(), reminders.c.id.desc())
    .limit(bindparam("limit"))
)
PROBLEM_COUNTS = (
    select(reminders.c.state, func.count())
    .where(reminders.c.organisation_id == bindparam("organisation"), reminders.c.state.in_([*PROBLEMS]))
    .group_by(reminders.c.state)
)
LATEST_ERROR = (
    select(reminders.c.last_error)
    .where(
        reminders.c.organisation_id == bindparam("organisation"),
        reminders.c.state.in_([*PROBLEMS]),
        reminders.c.last_error != "",
    )
    .order_by(reminders.c.next_attempt_at.desc(), reminders.c.id.desc())
    .limit(1)
)
RECORDED_KEYS = select(reminders.c.reminder_key).where(reminders.c.reminder_key.in_(bindparam("keys", expanding=True)))
BY_STOP_LINK = select(reminders.c.address).where(reminders.c.unsubscribe_digest == bindparam("digest"))
BY_FOLLOW_UP_LINK = select(
    reminders.c.organisation_id, reminders.c.recipient_id, reminders.c.state, reminders.c.sent_at,
    reminders.c.next_attempt_at,
).where(reminders.c.link_digest == bindparam("digest"), reminders.c.recipient == Recipient.PERSON.value)  # fmt: skip
IS_OPTED_OUT = select(opted_out.c.address_digest).where(opted_out.c.address_digest == bindparam("digest"))
FORGET = delete(reminders).where(
    or_(
        (reminders.c.recipient == Recipient.PERSON.value)
        & reminders.c.recipient_id.in_(bindparam("people", expanding=True)),
        reminders.c.about_person.in_(bindparam("people", expanding=True)),
    )
)


@cache
def _record(dialect: str) -> Insert:
    """Record a reminder under its key; a key recorded before is left as it is, and returns no id."""
    statement = insert_for(dialect)(reminders).on_conflict_do_nothing(index_elements=["reminder_key"])
    return statement.returning(reminders.c.id)


@cache
def _opt_out(dialect: str) -> Insert:
    return insert_for(dialect)(opted_out).on_conflict_do_nothing()


def _recorded(row: Sequence[Any]) -> RecordedReminder:
    (reminder_id, key, kind, recipient, recipient_id, about_person, subject, body, state, created_at,
     sent_at) = row  # fmt: skip
    return RecordedReminder(reminder_id, key, ReminderKind(kind), Recipient(recipient), recipient_id, about_person,
                            subject, body, MailState(state), created_at, sent_at)  # fmt: skip


def _claimed(row: Sequence[Any], stop_token: str, link_token: str | None) -> ClaimedMail:
    """A claimed reminder from a row of ``CLAIMED_COLUMNS``, with the tokens made for it."""
    reminder_id, key, kind, organisation_id, recipient, recipient_id, address, subject, body, attempts = row
    return ClaimedMail(reminder_id, key, ReminderKind(kind), organisation_id, Recipient(recipient), recipient_id,
                       address, subject, body, attempts, stop_token, link_token)  # fmt: skip


class Outbox(StoreBase):
    """Reminders from the moment they are due to the moment the mail server took them, and the links they carry."""

    def record_reminders(self, reminders_due: Sequence[Reminder], *, mail: bool, now: float) -> list[int]:
        """Record each reminder whose key was never recorded; returns the ids recorded now. One is to be mailed
        (``pending``) when ``mail`` (a mail server is configured) and it has an address that did not stop reminders;
        any other is shown in the app only (``app``). Recorded before it is sent, so it is never sent twice."""
        digests = {r.address: address_digest(r.address) for r in reminders_due if r.address.strip()}
        recorded = []
        with self._db.transaction() as db:
            stopped = {d for (d,) in db.run(OPTED_OUT, {"digests": sorted(set(digests.values()))}).rows}
            for reminder in reminders_due:
                mailed = mail and reminder.address in digests and digests[reminder.address] not in stopped
                row = {
                    "reminder_key": reminder.key,
                    "organisation_id": reminder.organisation_id,
                    "kind": reminder.kind.value,
                    "recipient": reminder.recipient.value,
                    "recipient_id": reminder.recipient_id,
                    "about_person": reminder.about_person,
                    "address": reminder.address.strip() if mailed else "",  # kept only where it is mailed
                    "subject": reminder.subject,
                    "body": reminder.body,
                    "state": (MailState.PENDING if mailed else MailState.APP).value,
                    "next_attempt_at": now if mailed else None,
                    "created_at": now,
                }
                recorded += [reminder_id for (reminder_id,) in db.run(_record(self._db.dialect), row).rows]
        return recorded

    def recorded_keys(self, keys: Sequence[str]) -> set[str]:
        """Which of these reminders were recorded already (a dry run says which are new)."""
        return {key for (key,) in self._rows(RECORDED_KEYS, {"keys": list(keys)})} if keys else set()

    def claim_mail(self, now: float, limit: int) -> list[ClaimedMail]:
        """Up to ``limit`` reminders due by ``now``, each now held by this caller alone (``sending``, one more attempt)
        with fresh link tokens. Senders in other threads or processes claiming at the same time never get the same
        one. A due reminder whose address stopped reminders since it was recorded goes to the app instead."""
        claimed: list[ClaimedMail] = []
        with self._db.transaction() as db:
            for _ in range(CLAIM_ROUNDS):
                due = db.run(DUE_MAIL, {"now": now, "limit": limit - len(claimed)}).rows
                claimed += self._claim(db, due, now)
                if not due or len(claimed) >= limit:
                    break
        return claimed

    def _claim(self, db: Link, due: Sequence[Sequence[Any]], now: float) -> list[ClaimedMail]:
        """Claim these rows, those another sender has not taken first; one whose address stopped goes to the app."""
        digests = {address_digest(address) for _, address, _ in due}
        stopped = {d for (d,) in db.run(OPTED_OUT, {"digests": sorted(digests)}).rows}
        claimed = []
        for reminder_id, address, recipient in due:
            if address_digest(address) in stopped:
                db.run(KEEP_IN_APP, {"reminder": reminder_id, "state": MailState.APP.value})
                continue
            stop_token = new_secret()
            link_token = new_secret() if recipient == Recipient.PERSON.value else None
            claim = {
                "reminder": reminder_id,
                "state": MailState.SENDING.value,
                "next_attempt_at": now,
                "unsubscribe_digest": secret_digest(stop_token),
                "link_digest": secret_digest(link_token) if link_token else None,
            }
            found = db.run(CLAIM, claim).rows
            if found:  # else another sender took it first
                claimed.append(_claimed(found[0], stop_token, link_token))
        return claimed

    def mail_sent(self, reminder_id: int, now: float) -> None:
        """The mail server took it."""
        params = {"reminder": reminder_id, "state": MailState.SENT.value, "sent_at": now, "last_error": ""}
        with self._db.transaction() as db:
            db.run(SENDING_OR_STALLED, params)

    def mail_failed(self, reminder_id: int, error: str, *, retry_at: float | None, now: float) -> None:
        """It was certainly not sent: tried again from ``retry_at``, or given up (``failed``) when that is None.
        ``error`` says why, and must hold no secret: it is shown to leaders."""
        state = MailState.RETRY if retry_at is not None else MailState.FAILED
        params = {
            "reminder": reminder_id,
            "state": state.value,
            "next_attempt_at": now if retry_at is None else retry_at,
            "last_error": error,
        }
        with self._db.transaction() as db:
            db.run(SENDING_OR_STALLED, params)

    def mail_unconfirmed(self, reminder_id: int, error: str, now: float) -> None:
        """Sending broke off once the message was on its way: it may have gone, so it is never sent again."""
        params = {
            "reminder": reminder_id,
            "state": MailState.UNCONFIRMED.value,
            "next_attempt_at": now,
            "last_error": error,
        }
        with self._db.transaction() as db:
            db.run(ONCE_SENDING, params)

    def unconfirmed_after_crash(self, now: float) -> int:
        """Reminders a sender claimed and never reported on, as when its process stopped mid-send, become
        ``unconfirmed``: they may have gone, so they are never sent again. Only those claimed more than
        ``SENDING_AT_MOST`` ago: a younger one may be in another process's hands. Returns how many."""
        params = {
            "claimed_before": now - SENDING_AT_MOST,
            "state": MailState.UNCONFIRMED.value,
            "last_error": STALLED_ERROR,
        }
        with self._db.transaction() as db:
            return db.run(STALLED, params).count

    def reminders_for(
        self, recipient: Recipient, recipient_id: int, organisation_id: int, limit: int = 20
    ) -> list[RecordedReminder]:
        """A recipient's latest reminders, newest first, mailed or not: what the app lists for them."""
        params = {"organisation": organisation_id, "recipient": recipient.value, "recipient_id": recipient_id,
                  "limit": limit}  # fmt: skip
        return [_recorded(row) for row in self._rows(REMINDERS_OF, params)]

    def mail_problems(self, organisation_id: int) -> MailProblems:
        counts = dict(self._rows(PROBLEM_COUNTS, {"organisation": organisation_id}))
        latest = self._rows(LATEST_ERROR, {"organisation": organisation_id})
        return MailProblems(
            retrying=counts.get(MailState.RETRY.value, 0),
            failed=counts.get(MailState.FAILED.value, 0),
            unconfirmed=counts.get(MailState.UNCONFIRMED.value, 0),
            latest_error=latest[0][0] if latest else "",
        )

    def stopped_for(self, stop_token: str) -> bool | None:
        """Whether the address a stop-reminders link went to has stopped reminders; None for a link never sent."""
        found = self._rows(BY_STOP_LINK, {"digest": secret_digest(stop_token)})
        if not found:
            return None
        return bool(self._rows(IS_OPTED_OUT, {"digest": address_digest(found[0][0])}))

    def stop_reminders(self, stop_token: str, now: float) -> bool:
        """The stop-reminders link: no reminder is mailed to its address again (they are still shown in the app).
        False for a link never sent. Stopping twice is stopping once."""
        found = self._rows(BY_STOP_LINK, {"digest": secret_digest(stop_token)})
        if not found:
            return False
        with self._db.transaction() as db:
            db.run(_opt_out(self._db.dialect), {"address_digest": address_digest(found[0][0]), "created_at": now})
        return True

    def follow_up_link(self, link_token: str, now: float) -> tuple[int, int] | None:
        """The organisation and person a reminder's follow-up link opens, for ``FOLLOW_UP_LINK_DAYS`` after it was
        sent (or after its sending broke off); None for any other token."""
        found = self._rows(BY_FOLLOW_UP_LINK, {"digest": secret_digest(link_token)})
        if not found:
            return None
        organisation_id, person_id, state, sent_at, claimed_at = found[0]
        went = sent_at if state == MailState.SENT else claimed_at if state == MailState.UNCONFIRMED else None
        if went is None or went < now - FOLLOW_UP_LINK_DAYS * 86400:
            return None
        return organisation_id, person_id

    def forget_reminders(self, person_ids: Sequence[int]) -> int:
        """Delete every reminder to or about these people; returns how many. Their stopped addresses stay stopped."""
        if not person_ids:
            return 0
        with self._db.transaction() as db:
            return db.run(FORGET, {"people": list(person_ids)}).count
