"""One pass of reminders: decide what is due in every organisation, record it (once, under its key), and mail what
has an address when SMTP is configured. Run by the server in the background and by ``pathways remind``."""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from facilitator.mail.delivery import DeliveryReport, deliver_due
from facilitator.mail.settings import MailSettings
from facilitator.store import Store
from facilitator.usecases import coaching
from facilitator.usecases.language_choice import readers_languages
from protocols.coaching.reminders import OrganisationFollowUp, Reminder, due_reminders

DEFAULT_INTERVAL = 300  # seconds between the server's passes
DEFAULT_REQUEST_AGE_DAYS = 7  # an open request older than this is named in the weekly digests


@dataclass(frozen=True, slots=True)
class PassReport:
    due: tuple[Reminder, ...]  # everything due now, recorded before or not
    recorded: int  # of them, recorded by this pass
    delivery: DeliveryReport | None  # None: no SMTP (reminders shown in the app only) or a dry run
    recorded_before: frozenset[str] = frozenset()  # the keys of those recorded by an earlier pass


def due_now(
    store: Store, now: float, request_age_days: int = DEFAULT_REQUEST_AGE_DAYS, *, changing: bool = True
) -> list[Reminder]:
    """Every reminder due now, in every organisation. ``changing`` False reads only: support requests people's
    latest statements ask for are not made (nor coaches given) first."""
    due: list[Reminder] = []
    for organisation in store.organisations():
        data = coaching.follow_up_data(store, organisation, changing=changing)
        follow_up = OrganisationFollowUp(
            organisation_id=organisation.id,
            name=organisation.name,
            people=data.people,
            coaches=data.coaches,
            owners=data.owners,
            requests=data.requests,
            messages={person_id: thread.messages for person_id, thread in data.threads.items()},
            leader_emails=organisation.leader_emails,
            request_age_days=request_age_days,
            timezone=organisation.timezone,
        )
        due += due_reminders(follow_up, now, language_of=readers_languages(store))
    return due


def remind(
    store: Store,
    settings: MailSettings | None,
    base_url: str,
    *,
    send: bool,
    logger: logging.Logger,
    now: float | None = None,
    request_age_days: int = DEFAULT_REQUEST_AGE_DAYS,
) -> PassReport:
    """One pass. ``send`` False is a dry run: what is due is reported, nothing is recorded or sent."""
    now = time.time() if now is None else now
    due = due_now(store, now, request_age_days, changing=send)
    before = frozenset(store.recorded_keys([reminder.key for reminder in due]))
    if not send:
        return PassReport(tuple(due), 0, None, before)
    recorded = store.record_reminders(due, mail=settings is not None, now=now)
    delivery = None
    if settings is not None:
        delivery = deliver_due(store, settings, base_url, now, logger=logger, language_of=readers_languages(store))
    return PassReport(tuple(due), len(recorded), delivery, before)


def keep_reminding(pass_once: Callable[[], Any], sleep: Callable[[float], Any], interval: float, logger) -> None:
    """The server's background task: a pass every ``interval`` seconds, for as long as the server runs. A pass that
    fails is logged and the next one tries again: reminders never stop the app."""
    while True:
        try:
            pass_once()
        except Exception:
            logger.exception("A reminders pass failed; the next one tries again.")
        sleep(interval)
