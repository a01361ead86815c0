"""Choosing a language: a participant's when they join and from the phone's menu, a session's for its console and
projector, and the language a person reads across sessions (their pages and e-mails)."""

from collections.abc import Callable

from facilitator.edge.language import available, language, supported
from facilitator.store import Store
from protocols.coaching.reminders import Recipient
from protocols.errors import DomainError
from protocols.language import ENGLISH, Language
from protocols.session import Participant, Session

MAX_SHOWN = 20  # characters of an unknown language code repeated back in the error


def bad_language(raw: object) -> DomainError:
    return DomainError(
        "bad_language",
        "Pathways does not speak {language}; choose one of: {languages}.",
        language=repr(str(raw)[:MAX_SHOWN]),
        languages=", ".join(available()),
    )


def chosen(raw: object) -> str:
    """The language someone chose (``es``, ``es-MX`` → ``es``), or ``bad_language`` for one Pathways does not offer."""
    code = supported(raw)
    if code is None:
        raise bad_language(raw)
    return code


def new_session_language(payload: object) -> str:
    """A new session's ``language`` (its console's and projector's): English when the request leaves it out."""
    raw = payload.get("language") if isinstance(payload, dict) else None
    return ENGLISH if raw is None else chosen(raw)


def join_language(raw: object) -> str:
    """The language a joining phone chose: "" when it says none (an older page), else one Pathways offers."""
    return "" if raw is None or raw == "" else chosen(raw)


def choose_for_participant(store: Store, participant_id: int, raw: object) -> str:
    """A person changes their language from the phone's menu: their pages, plan and e-mails use it from now on."""
    code = chosen(raw)
    store.set_participant_language(participant_id, code)
    return code


def choose_for_session(store: Store, session: Session, raw: object) -> str:
    """The facilitator changes the session's language: its console and projector speak it from their next page."""
    code = chosen(raw)
    store.set_session_language(session.id, code)
    return code


def speaks(store: Store, participant: Participant) -> str:
    """The language a participant's own pages use: the one they chose here, else the one their person chose last
    ("": neither, the page's own is used)."""
    return participant.language or store.person_language(participant.person_id)


def readers_languages(store: Store) -> Callable[[Recipient, int], Language]:
    """Each reminder's recipient's language: a person's the one they chose last; coaches and leaders read English.
    A pass asks once per person, however many of their reminders it writes."""
    read: dict[int, str] = {}

    def language_of(recipient: Recipient, recipient_id: int) -> Language:
        if recipient is not Recipient.PERSON:
            return language(None)
        if recipient_id not in read:
            read[recipient_id] = store.person_language(recipient_id)
        return language(read[recipient_id])

    return language_of
