"""One delivery pass: claim the reminders due, send each over one connection, and record what became of it; a
failure is tried again later (1, 2, 4… minutes) and given up after ``MAX_ATTEMPTS``.

Whatever the mail server does (down, refusing the login, hanging up), a pass never raises for it: the reminders
stay in the outbox, the leaders' view counts them and the log says why, without a secret.
"""

import logging
from dataclasses import dataclass
from email.message import EmailMessage

from facilitator.mail.sending import MailConnection, SendError, compose, describe
from facilitator.mail.settings import MailSettings
from facilitator.store.outbox import ClaimedMail, Outbox
from protocols.coaching.reminders import LanguageOf, in_english
from protocols.language import Language

FIRST_RETRY = 60.0  # seconds after a first failed attempt; each further failure doubles it
LONGEST_RETRY = 6 * 3600.0
MAX_ATTEMPTS = 8  # the last retry comes about two hours after the first attempt
PASS_LIMIT = 100  # reminders one pass sends at most; the rest wait for the next pass


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """What one pass did: reminders the mail server took, to be tried again, given up, perhaps sent (the connection
    broke mid-message), and left ``sending`` by a sender that stopped (``stalled``: now unconfirmed)."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    unconfirmed: int = 0
    stalled: int = 0


def retry_at(attempts: int, now: float) -> float | None:
    """When a reminder that has failed ``attempts`` times is tried again; None once it has had all its attempts."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return now + min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_RETRY)


def deliver_due(
    store: Outbox,
    settings: MailSettings,
    base_url: str,
    now: float,
    *,
    logger: logging.Logger,
    limit: int = PASS_LIMIT,
    language_of: LanguageOf = in_english,
) -> DeliveryReport:
    """Send the reminders due by ``now``. Each is claimed just before it is sent, so it is ``sending`` for one
    message's time at most, and no other sender, here or in another process, sends it too. When the server
    cannot be reached, the pass stops after the first reminder it tried: the others keep their attempts.
    ``language_of`` gives each recipient's language, the one their reminder was written in, for the mail's own
    lines."""
    counts = {"sent": 0, "retrying": 0, "failed": 0, "unconfirmed": 0, "stalled": store.unconfirmed_after_crash(now)}
    if counts["stalled"]:
        logger.warning("%d reminders were being sent when their sender stopped; they are not sent again.",
                       counts["stalled"])  # fmt: skip
    connection: MailConnection | None = None
    try:
        for _ in range(limit):
            claimed = store.claim_mail(now, 1)
            if not claimed:
                break
            mail = claimed[0]
            try:
                lang = language_of(mail.recipient, mail.recipient_id)
                message = _compose(mail, settings, base_url, now, lang, logger)
                connection = connection or MailConnection(settings)
                connection.send(message)
            except SendError as failure:
                counts[_record_failure(store, mail, failure, now, logger)] += 1
                if not failure.connection_lost:
                    continue
                if connection is None:  # the server cannot be reached: the next reminder would fare no better now
                    break
                connection.close()
                connection = None
                continue
            store.mail_sent(mail.id, now)
            counts["sent"] += 1
    finally:
        if connection is not None:
            connection.close()
    return DeliveryReport(**counts)


def _compose(
    mail: ClaimedMail, settings: MailSettings, base_url: str, now: float, lang: Language, logger: logging.Logger
) -> EmailMessage:
    """The message, or SendError: a fault of ours in making it is logged and the reminder tried again later."""
    try:
        return compose(mail, settings, base_url, now, lang)
    except SendError:
        raise
    except Exception as error:
        logger.exception("Reminder %d could not be composed", mail.id)
        raise SendError(describe(error, settings), connection_lost=False) from None


def _record_failure(store: Outbox, mail: ClaimedMail, failure: SendError, now: float, logger: logging.Logger) -> str:
    """Record what became of a reminder that was not sent; returns which count it adds to."""
    if failure.maybe_sent:
        store.mail_unconfirmed(mail.id, failure.reason, now)
        logger.warning("Reminder %d may have been sent, and is not sent again: %s", mail.id, failure.reason)
        return "unconfirmed"
    again = None if failure.permanent else retry_at(mail.attempts, now)
    store.mail_failed(mail.id, failure.reason, retry_at=again, now=now)
    if again is None:
        logger.warning("Reminder %d not sent after %d attempts, given up: %s", mail.id, mail.attempts, failure.reason)
        return "failed"
    logger.warning("Reminder %d not sent (attempt %d), tried again in %d minutes: %s", mail.id, mail.attempts,
                   round((again - now) / 60), failure.reason)  # fmt: skip
    return "retrying"
