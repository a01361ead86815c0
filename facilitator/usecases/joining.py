"""A phone joining a session by name, or coming back with its participant token."""

from collections.abc import Mapping
from dataclasses import dataclass

from facilitator.edge.limits import limits
from facilitator.store import MAX_EARLIER_TOKENS, Store
from facilitator.usecases import grouping
from facilitator.usecases.language_choice import join_language
from protocols.answers import clean_text
from protocols.credentials import normalise_join_code
from protocols.errors import DomainError
from protocols.followup import identifier_with_consent
from protocols.language import N_
from protocols.session import Participant, Session
from protocols.setup import parse_join_answer

MAX_NAME = 80
# To a stranger, a wrong code and a wrong token read the same: a refusal is no oracle for which codes exist.
NO_PARTICIPANT = DomainError("bad_token", "That code and participant token do not match; join again with your name.")
NO_SESSION = DomainError("unknown_session", "There is no session with that code.")


@dataclass(frozen=True, slots=True)
class Joined:
    """Who is in: their session, themselves, the token their phone keeps, and whether they were just seated at a
    table (which changes the group board and their new group-mates' phones)."""

    session: Session
    participant: Participant
    token: str
    seated: bool


def earlier_tokens(auth: Mapping[str, object]) -> list[str]:
    """The participant tokens of other sessions the phone holds: proof that it is the person who made them."""
    earlier = auth.get("earlier")
    if not isinstance(earlier, list):
        return []
    return [token for token in earlier[:MAX_EARLIER_TOKENS] if isinstance(token, str)]


def come_back(store: Store, auth: Mapping[str, object]) -> Joined:
    """``{"code", "token", "earlier"?}``: the same person again, with any earlier plans their phone proves."""
    code = normalise_join_code(auth.get("code"))
    session = store.session_by_code(code) if code else None
    participant = store.participant_by_token(auth["token"]) if session else None  # type: ignore[arg-type]
    if session is None or participant is None or participant.session_id != session.id:
        raise NO_PARTICIPANT
    participant = store.link_earlier(participant, earlier_tokens(auth))
    return Joined(session, participant, str(auth["token"]), grouping.seat_latecomer(store, session, participant))


def join(store: Store, auth: Mapping[str, object], address: str) -> Joined:
    """``{"code", "name", "join_answer"?, "identifier"?, "consent"?, "earlier"?, "language"?}``: a new participant,
    in the language they chose on the join page (``bad_language`` for one Pathways does not offer)."""
    code = normalise_join_code(auth.get("code"))
    session = store.session_by_code(code) if code else None
    if session is None:
        raise NO_SESSION
    name = clean_text(auth.get("name"), field="Your name", max_chars=MAX_NAME)
    join_answer = parse_join_answer(session.join_question, auth.get("join_answer"))
    identifier = identifier_with_consent(auth.get("identifier"), auth.get("consent"))
    chosen_language = join_language(auth.get("language"))
    limits().joins.check(address, N_("people joining"))
    participant, token = store.add_participant(
        session.id, name, join_answer, earlier=earlier_tokens(auth), identifier=identifier, language=chosen_language
    )
    return Joined(session, participant, token, grouping.seat_latecomer(store, session, participant))
