"""The parking lot: a session-wide board of questions and ideas with upvotes, what may be posted and upvoted, who
sees what of it (anonymous to the room, named to the facilitator), and an item made into a step of the agenda."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from protocols.answers import clean_text
from protocols.errors import DomainError
from protocols.language import IN_ENGLISH, N_, Language
from protocols.model import Protocol, ProtocolText, Step, StepKind, StepText, Visibility
from protocols.record_ids import record_id
from protocols.session import Session

MAX_CHARS = 500  # a question or an idea: a few sentences, readable on the projector
MAX_ANSWER_CHARS = 1000  # the facilitator's short answer
MAX_CLIENT_ID = 64
POST_WINDOW_SECONDS = 60.0
POSTS_PER_WINDOW = 5  # a person asking a quick run of questions, not a flood
MAX_POSTS_PER_PERSON = 30  # in one session
PROJECTED_ITEMS = 5  # the top items the projector shows, large enough to read at the back of a hall
AGENDA_MINUTES = 10
MAX_AGENDA_MINUTES = 120
AGENDA_TITLE_CHARS = 60
AGENDA_STEP = "discussion"  # the one step of an item moved into the agenda


class ItemState(StrEnum):
    OPEN = "open"
    DONE = "done"  # the facilitator dealt with it


@dataclass(frozen=True, slots=True)
class Item:
    """One question or idea on the board, with its upvotes counted."""

    id: int
    session_id: int
    participant_id: int
    text: str
    state: ItemState
    answer: str
    hidden: bool
    upvotes: int
    created_at: float
    answered_at: float | None = None
    done_at: float | None = None
    agenda_item: int | None = None  # the agenda item it was moved into, if it was


@dataclass(frozen=True, slots=True)
class Post:
    """A post as the phone sends it: ``client_id`` names it on the phone, so a resend after bad Wi-Fi lands once."""

    client_id: str
    text: str


def read_post(payload: Mapping[str, Any]) -> Post:
    """``{"client_id", "text"}`` checked: the text cleaned as answers are, neither empty nor over ``MAX_CHARS``."""
    client_id = payload.get("client_id")
    if not isinstance(client_id, str) or not 1 <= len(client_id) <= MAX_CLIENT_ID or not client_id.isprintable():
        raise DomainError("bad_request", "client_id must be 1 to {most} printable characters.", most=MAX_CLIENT_ID)
    return Post(client_id, clean_text(payload.get("text"), field=N_("Your question or idea"), max_chars=MAX_CHARS))


def read_answer(value: Any) -> str:
    """The facilitator's answer, cleaned; empty takes the answer back."""
    return clean_text(value, field=N_("The answer"), max_chars=MAX_ANSWER_CHARS, required=False)


def item_id(value: Any) -> int:
    """An item's id as a screen sends it: a whole number a database can hold (any other names no item)."""
    return record_id(value, "item_id", unknown_item())


def refuse_unless_may_post(earlier_posts: Sequence[float], now: float) -> None:
    """A person's posts in this session so far (their times) leave room for one more: a few a minute, a cap a day."""
    if len(earlier_posts) >= MAX_POSTS_PER_PERSON:
        raise DomainError(
            "too_many_posts", "You have posted {most} items today, the most there is.", most=MAX_POSTS_PER_PERSON
        )
    recent = [at for at in earlier_posts if now - at < POST_WINDOW_SECONDS]
    if len(recent) >= POSTS_PER_WINDOW:
        wait = int(POST_WINDOW_SECONDS - (now - min(recent))) + 1
        raise DomainError(
            "too_many_posts", "That is {count} in a minute; post again in {wait} s.", count=POSTS_PER_WINDOW, wait=wait
        )


def may_see(item: Item, participant_id: int | None) -> bool:
    """A hidden item is off the board for everyone but its author (the facilitator sees everything)."""
    return not item.hidden or item.participant_id == participant_id


def unknown_item() -> DomainError:
    return DomainError("unknown_parking_item", "That item is not on the parking lot.")


def refuse_unless_may_upvote(item: Item, participant_id: int) -> Item:
    if not may_see(item, participant_id):
        raise unknown_item()
    if item.participant_id == participant_id:
        raise DomainError("own_parking_item", "Upvotes are for other people's items.")
    return item


def rank(item: Item) -> tuple[int, float, int]:
    """Most upvoted first; among equals, the one asked first."""
    return (-item.upvotes, item.created_at, item.id)


def ranked(items: Iterable[Item]) -> list[Item]:
    return sorted(items, key=rank)


def room_view(item: Item) -> dict[str, Any]:
    """What every phone may see of an item: no name, no author."""
    return {
        "id": item.id,
        "text": item.text,
        "upvotes": item.upvotes,
        "state": item.state.value,
        "answer": item.answer,
        "created_at": item.created_at,
    }


def own_view(item: Item) -> dict[str, Any]:
    """What its author's data download holds of an item: as the room sees it, and whether it was hidden."""
    return {**room_view(item), "hidden": item.hidden}


def console_view(item: Item, name: str) -> dict[str, Any]:
    """The facilitator's: the author's name, the hidden flag, every time, the agenda item it became."""
    return {
        **room_view(item),
        "participant_id": item.participant_id,
        "name": name,
        "hidden": item.hidden,
        "answered_at": item.answered_at,
        "done_at": item.done_at,
        "agenda_item": item.agenda_item,
    }


def phone_board(items: Iterable[Item], participant_id: int, upvoted: Iterable[int]) -> dict[str, Any]:
    """One phone's board as it opens it: every item it may see, which are its own (its hidden ones marked) and
    which it upvoted. The deltas that follow carry only what is the same for every phone."""
    seen = [item for item in items if may_see(item, participant_id)]
    return {
        "items": [{**room_view(item), **({"hidden": True} if item.hidden else {})} for item in ranked(seen)],
        "mine": sorted(item.id for item in seen if item.participant_id == participant_id),
        "upvoted": sorted(set(upvoted)),
        "max_chars": MAX_CHARS,
    }


def delta(changed: Iterable[Item], gone: Iterable[int]) -> dict[str, Any]:
    """What the room's phones are told of a window's changes: items as they are now, ids that left the board (a
    hidden or deleted item)."""
    shown = [item for item in changed if not item.hidden]
    removed = {item.id for item in changed if item.hidden} | set(gone)
    return {"items": [room_view(item) for item in shown], "removed": sorted(removed)}


def projector_view(items: Iterable[Item], shown: bool) -> dict[str, Any]:
    """The projector's board: the top items by upvotes, nobody's name; ``shown`` false sends it back to the step."""
    if not shown:
        return {"shown": False}
    visible = ranked(item for item in items if not item.hidden)
    return {"shown": True, "count": len(visible), "items": [room_view(item) for item in visible[:PROJECTED_ITEMS]]}


def agenda_minutes(value: Any) -> int:
    if value is None:
        return AGENDA_MINUTES
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_AGENDA_MINUTES:
        raise DomainError("bad_request", "'minutes' must be a whole number from 1 to {most}.", most=MAX_AGENDA_MINUTES)
    return value


def agenda_protocol_id(item_id: int) -> str:
    """The id of the protocol an item becomes in the agenda: one per item, so the agenda shows whether it is there."""
    return f"parking-lot-{item_id}"


def refuse_unless_may_move(item: Item, session: Session) -> None:
    """An item goes into the agenda once: while the protocol made from it is there, another press is refused (taken
    out of the agenda again, it may be moved again)."""
    if any(entry.protocol.id == agenda_protocol_id(item.id) for entry in session.agenda):
        raise DomainError("parking_item_in_agenda", "That item is in the agenda already.")


def agenda_protocol(item: Item, minutes: int, languages: Iterable[Language]) -> Protocol:
    """The item as a short protocol for the agenda: one discussion step whose prompt is the question, with the
    facilitator's answer (if any) in their notes. Its titles are Pathways' own words, written in English and
    carried in each of ``languages`` as the protocol's translations, so every screen reads them in its own
    language (the question and the answer stay as they were written)."""
    short = item.text if len(item.text) <= AGENDA_TITLE_CHARS else item.text[: AGENDA_TITLE_CHARS - 1].rstrip() + "…"
    english = _agenda_texts(short, IN_ENGLISH)
    step = Step(
        id=AGENDA_STEP,
        title=english.step(AGENDA_STEP).title,
        prompt=item.text,
        kind=StepKind.NONE,
        visibility=Visibility.ROOM,
        minutes=float(minutes),
        notes=item.answer,
    )
    translations = {lang.code: _translated(_agenda_texts(short, lang), english) for lang in languages}
    return Protocol(
        agenda_protocol_id(item.id), english.title, english.purpose, "", (step,),
        translations=tuple((code, texts) for code, texts in translations.items() if texts != ProtocolText()),
    )  # fmt: skip


def _agenda_texts(short: str, lang: Language) -> ProtocolText:
    """The moved item's titles and purpose in ``lang``."""
    return ProtocolText(
        title=lang.gettext("Parking lot: {text}", text=short),
        purpose=lang.gettext("A question or idea from the parking lot, for the room to discuss."),
        steps=((AGENDA_STEP, StepText(title=lang.gettext("From the parking lot"))),),
    )


def _translated(texts: ProtocolText, english: ProtocolText) -> ProtocolText:
    """What a translation carries: the texts a language says otherwise (one its catalogue lacks stays out, and the
    screen reads the English)."""
    step_title = texts.step(AGENDA_STEP).title
    keep = step_title != english.step(AGENDA_STEP).title
    return ProtocolText(
        title=texts.title if texts.title != english.title else "",
        purpose=texts.purpose if texts.purpose != english.purpose else "",
        steps=((AGENDA_STEP, StepText(title=step_title)),) if keep else (),
    )
