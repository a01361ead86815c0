"""The conversation on a person's goal between them and their coach, and the goal's versions.

A coach comments, asks, suggests a rewording of the goal or of one action step, proposes a meeting, or answers a
check-in; the person replies, and accepts or declines (with a reason) each suggestion and meeting. An accepted
rewording is a new version of the goal; earlier ones are kept. The goal is agreed when both accept its current
version: the person by accepting the coach's suggestion, or the coach by agreeing to the person's own wording.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from protocols.answers import clean_text, parse_date
from protocols.coaching.requests import MAX_PLACE
from protocols.errors import DomainError
from protocols.followup import GoalRecord, earliest_first
from protocols.language import N_, Language

MAX_MESSAGE = 2000
MAX_GOAL = 1000


class MessageKind(StrEnum):
    COMMENT = "comment"
    QUESTION = "question"
    SUGGEST_GOAL = "suggest_goal"  # proposal {"goal": new wording}
    SUGGEST_STEP = "suggest_step"  # proposal {"step": index of the action step, "text": new wording}
    MEETING = "meeting"  # proposal {"day": ISO date, "place": where}
    REPLY = "reply"  # the person's reply (or a coach's answer to a check-in, with check_in_id)
    AGREE = "agree"  # the coach agrees to the goal as the person wrote it


COACH_KINDS = (
    MessageKind.COMMENT,
    MessageKind.QUESTION,
    MessageKind.SUGGEST_GOAL,
    MessageKind.SUGGEST_STEP,
    MessageKind.MEETING,
    MessageKind.REPLY,
)
ANSWERABLE = (MessageKind.SUGGEST_GOAL, MessageKind.SUGGEST_STEP, MessageKind.MEETING)


class Author(StrEnum):
    COACH = "coach"
    PERSON = "person"


class SuggestionState(StrEnum):
    NONE = ""
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


@dataclass(frozen=True, slots=True)
class MessageDraft:
    author: Author
    kind: MessageKind
    body: str = ""
    proposal: Mapping[str, Any] = field(default_factory=dict)
    check_in_id: int | None = None

    @property
    def state(self) -> SuggestionState:
        return SuggestionState.PENDING if self.kind in ANSWERABLE else SuggestionState.NONE


@dataclass(frozen=True, slots=True)
class Message:
    id: int
    person_id: int
    author: Author
    coach_id: int | None
    kind: MessageKind
    body: str
    proposal: Mapping[str, Any]
    check_in_id: int | None
    state: SuggestionState
    reason: str
    answered_at: float | None
    created_at: float


@dataclass(frozen=True, slots=True)
class GoalVersion:
    """A wording of the goal: written in a session (``source`` its title), or agreed with a coach (no ``source``;
    ``reworded``: from the coach's suggestion). Said in the reader's language by ``version_source``."""

    goal: str
    action_steps: tuple[tuple[str, str], ...]  # (text, ISO date or "")
    at: float
    source: str
    agreed_with: int | None = None  # the coach who agreed to it
    agreed_at: float | None = None
    reworded: bool = False


@dataclass(frozen=True, slots=True)
class CurrentGoal:
    goal: str
    action_steps: tuple[tuple[str, str], ...]
    agreed_with: int | None  # the coach both agreed it with; None: not agreed yet
    agreed_at: float | None
    history: tuple[GoalVersion, ...]  # oldest first, the current one last

    @property
    def agreed(self) -> bool:
        return self.agreed_with is not None


def _text(payload: Mapping[str, Any], key: str, label: str, limit: int, *, required: bool) -> str:
    return clean_text(payload.get(key, ""), field=label, max_chars=limit, required=required)


def parse_message(
    payload: Any, author: Author, current: CurrentGoal | None, check_in_ids: Iterable[int]
) -> MessageDraft:
    """A message on a goal's thread. A coach may send any of ``COACH_KINDS``; a person only replies. DomainError
    naming what is wrong: an unknown kind, an empty message, a step that does not exist, a day that is not one."""
    if not isinstance(payload, dict):
        raise DomainError("bad_request", "Send the message as a JSON object with kind and body.")
    allowed = COACH_KINDS if author is Author.COACH else (MessageKind.REPLY,)
    raw_kind = payload.get("kind", MessageKind.REPLY.value)
    if raw_kind not in {kind.value for kind in allowed}:
        names = ", ".join(kind.value for kind in allowed)
        raise DomainError("bad_message", "A message's kind is one of: {names}.", names=names)
    kind = MessageKind(raw_kind)
    suggests = kind in (MessageKind.SUGGEST_GOAL, MessageKind.SUGGEST_STEP, MessageKind.MEETING)
    body = _text(payload, "body", N_("The message"), MAX_MESSAGE, required=not suggests)
    proposal: dict[str, Any] = {}
    if kind in (MessageKind.SUGGEST_GOAL, MessageKind.SUGGEST_STEP) and current is None:
        raise DomainError("no_goal", "This person has no goal yet to reword.")
    if kind is MessageKind.SUGGEST_GOAL:
        proposal["goal"] = _text(payload, "goal", N_("The new wording of the goal"), MAX_GOAL, required=True)
    if kind is MessageKind.SUGGEST_STEP:
        step = payload.get("step")
        steps = current.action_steps if current else ()
        if isinstance(step, bool) or not isinstance(step, int) or not 0 <= step < len(steps):
            raise DomainError("bad_message", "Pick one of the goal's {count} action steps to reword.", count=len(steps))
        text = _text(payload, "text", N_("The new wording of the step"), MAX_GOAL, required=True)
        proposal = {"step": step, "text": text}
    if kind is MessageKind.MEETING:
        proposal = {
            "day": parse_date(payload.get("day"), field=N_("The meeting's day")).isoformat(),
            "place": _text(payload, "place", N_("The meeting's place"), MAX_PLACE, required=False),
        }
    check_in_id = payload.get("check_in_id")
    if check_in_id is not None and (author is not Author.COACH or check_in_id not in set(check_in_ids)):
        raise DomainError("bad_message", "Answer one of this person's check-ins.")
    return MessageDraft(author, kind, body, proposal, check_in_id)


def parse_answer(message: Message, payload: Any) -> tuple[SuggestionState, str]:
    """The person's answer to a suggestion or a meeting: accepted, or declined with a reason."""
    if message.kind not in ANSWERABLE or message.author is not Author.COACH:
        raise DomainError("bad_message", "Only a coach's suggestion or meeting can be accepted or declined.")
    if message.state is not SuggestionState.PENDING:
        if message.state is SuggestionState.ACCEPTED:
            raise DomainError("already_answered", "This suggestion was accepted already.")
        if message.state is SuggestionState.DECLINED:
            raise DomainError("already_answered", "This suggestion was declined already.")
        raise DomainError("already_answered", "This message cannot be answered.")
    if not isinstance(payload, dict) or payload.get("answer") not in ("accept", "decline"):
        raise DomainError("bad_request", 'Send {"answer": "accept"} or {"answer": "decline", "reason": "…"}.')
    if payload["answer"] == "accept":
        return SuggestionState.ACCEPTED, ""
    reason = _text(payload, "reason", N_("Your reason"), MAX_MESSAGE, required=True)
    return SuggestionState.DECLINED, reason


def reworded(current: CurrentGoal, message: Message) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The goal and its action steps as an accepted suggestion rewords them."""
    if message.kind is MessageKind.SUGGEST_GOAL:
        return str(message.proposal["goal"]), current.action_steps
    index, text = int(message.proposal["step"]), str(message.proposal["text"])
    steps = list(current.action_steps)
    if not 0 <= index < len(steps):
        raise DomainError("stale_suggestion", "The goal has changed since; this step is no longer there.")
    steps[index] = (text, steps[index][1])
    return current.goal, tuple(steps)


@dataclass(frozen=True, slots=True)
class AgreedVersion:
    """A row of goal versions: a wording both agreed, with the coach and when."""

    goal: str
    action_steps: tuple[tuple[str, str], ...]
    coach_id: int
    created_at: float
    from_suggestion: bool


def current_goal(
    records: Sequence[GoalRecord], agreed: Sequence[AgreedVersion], coach_names: Mapping[int, str]
) -> CurrentGoal | None:
    """The person's goal now and how it came to be: each day's wording (from their goal records) and each agreed
    version, oldest first; a wording the same as the one before it is not a new version, only agreed. None for
    someone who never wrote a goal."""
    return goal_from_versions(written_versions(records), agreed, coach_names)


def written_versions(records: Sequence[GoalRecord]) -> tuple[GoalVersion, ...]:
    """Each day's wording of the goal, from the person's goal records, oldest first: what ``current_goal`` starts
    from, and what a person's summary keeps of their records for it."""
    versions = []
    for record in earliest_first(records):
        if record.goal:
            at = record.goal_at or datetime.fromisoformat(record.day).replace(tzinfo=UTC).timestamp()
            versions.append(GoalVersion(record.goal, record.action_steps, at, record.session_title))
    return tuple(versions)


def goal_from_versions(
    written: Sequence[GoalVersion], agreed: Sequence[AgreedVersion], coach_names: Mapping[int, str]
) -> CurrentGoal | None:
    """``current_goal`` from the day wordings (``written_versions``) and the versions agreed with a coach."""
    versions = list(written)
    for row in agreed:
        at = row.created_at
        versions.append(GoalVersion(row.goal, row.action_steps, at, "", row.coach_id, at, row.from_suggestion))
    versions.sort(key=lambda version: version.at)
    history: list[GoalVersion] = []
    for version in versions:
        same = history and (history[-1].goal, history[-1].action_steps) == (version.goal, version.action_steps)
        if same and version.agreed_with is not None:
            previous = history[-1]
            history[-1] = replace(previous, agreed_with=version.agreed_with, agreed_at=version.agreed_at)
        elif not same:
            history.append(version)
    if not history:
        return None
    last = history[-1]
    return CurrentGoal(last.goal, last.action_steps, last.agreed_with, last.agreed_at, tuple(history))


def _day(moment: float | None, lang: Language) -> str:
    return lang.day(datetime.fromtimestamp(moment, UTC).date()) if moment is not None else ""


def agreement_line(
    agreed_with: int | None, agreed_at: float | None, coach_names: Mapping[int, str], lang: Language
) -> str:
    """ "Agreed with Ms Diaz on 12 December 2026" (in ``lang``), or "" for a version not agreed."""
    if agreed_with is None:
        return ""
    day = _day(agreed_at, lang)
    if agreed_with in coach_names:
        return lang.gettext("Agreed with {coach} on {day}", coach=coach_names[agreed_with], day=day)
    return lang.gettext("Agreed with a former coach on {day}", day=day)


def version_source(version: GoalVersion, coach_names: Mapping[int, str], lang: Language) -> str:
    """Where a version of the goal came from, in ``lang``: the session it was written in, a coach's rewording, or
    a wording agreed with a coach."""
    if version.reworded:
        coach = coach_names.get(version.agreed_with or 0) or lang.gettext("a coach")
        return lang.gettext("Reworded with {coach}", coach=coach)
    return version.source or lang.gettext("Agreed wording")


def goal_view(current: CurrentGoal | None, coach_names: Mapping[int, str], *, lang: Language) -> dict[str, Any] | None:
    """The current goal, whether it is agreed, and its versions, newest first, for the page, the coach and the PDF;
    its dates and sentences in ``lang``, the reader's."""
    if current is None:
        return None
    return {
        "goal": current.goal,
        "action_steps": [{"text": text, "date": day} for text, day in current.action_steps],
        "agreed": current.agreed,
        "agreement": agreement_line(current.agreed_with, current.agreed_at, coach_names, lang),
        "versions": [
            {
                "goal": version.goal,
                "action_steps": [{"text": text, "date": day} for text, day in version.action_steps],
                "source": version_source(version, coach_names, lang),
                "on": _day(version.at, lang),
                "agreed": agreement_line(version.agreed_with, version.agreed_at, coach_names, lang),
            }
            for version in reversed(current.history)
        ],
    }


def message_view(
    message: Message, coach_names: Mapping[int, str], person_name: str, *, lang: Language
) -> dict[str, Any]:
    """A message on the thread as ``lang``'s reader reads it: who wrote it (``person_name`` for the person's own)
    and when."""
    by_coach = message.author is Author.COACH
    former = lang.gettext("A former coach")
    return {
        "id": message.id,
        "author": message.author.value,
        "by": coach_names.get(message.coach_id or 0, former) if by_coach else person_name,
        "kind": message.kind.value,
        "body": message.body,
        "proposal": dict(message.proposal),
        "check_in_id": message.check_in_id,
        "state": message.state.value,
        "reason": message.reason,
        "on": _day(message.created_at, lang),
        "at": message.created_at,
    }


def unanswered(messages: Sequence[Message], by: Author) -> int:
    """How many messages the other side wrote since ``by`` last wrote (oldest first in ``messages``)."""
    count = 0
    for message in messages:
        count = 0 if message.author is by else count + 1
    return count
