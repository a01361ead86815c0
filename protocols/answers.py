"""What a step accepts: checks an answer's value against its step and returns it in one canonical form."""

import unicodedata
from collections.abc import Sequence
from datetime import date
from typing import Any

from protocols.errors import DomainError, Phrase
from protocols.language import N_
from protocols.model import Step, StepKind
from protocols.session import SystemGoal

MAX_ANSWER_ID = 64
MAX_PROGRESS_ROWS = 10
MAX_PROGRESS_STEP = 300
# Characters that reorder or hide text (bidi overrides, zero-width marks) are dropped from what people write.
_INVISIBLE_FORMAT = {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"}


def clean_text(value: Any, *, field: str | Phrase, max_chars: int, required: bool = True) -> str:
    """Text as people meant it: normalised, without control or direction-override characters, trimmed. ``field``
    names it in an error, in words marked ``N_`` (or a Phrase)."""
    if not isinstance(value, str):
        raise DomainError("bad_value", "{field} must be text.", field=Phrase.of(field))
    value = unicodedata.normalize("NFC", value.encode("utf-16", "surrogatepass").decode("utf-16", "replace"))
    kept = []
    for char in value:
        if char in ("\n", "\t"):
            kept.append(char)
        elif unicodedata.category(char) in ("Cc", "Cs") or char in _INVISIBLE_FORMAT:
            continue
        else:
            kept.append(char)
    value = "".join(kept).strip()
    if required and not value:
        raise DomainError("empty_value", "{field} is empty.", field=Phrase.of(field))
    if len(value) > max_chars:
        raise DomainError(
            "too_long",
            "{field} is {length} characters; the limit is {limit}.",
            field=Phrase.of(field),
            length=len(value),
            limit=max_chars,
        )
    return value


def validate_answer(step: Step, value: Any, system_goals: Sequence[SystemGoal]) -> Any:
    """The canonical value to store for ``value`` as an answer to ``step``; DomainError if it does not fit."""
    kind = step.kind
    if kind is StepKind.NONE:
        raise DomainError("not_answerable", "This step is for talking, not for answering on the phone.")
    if kind is StepKind.IDEAS:
        raise DomainError("not_answerable", "Ideas are posted and voted on (post_idea, vote), not answered.")
    if kind is StepKind.TEXT:
        return clean_text(value, field=N_("Your answer"), max_chars=step.max_chars)
    if kind is StepKind.LIST:
        if not isinstance(value, list):
            raise DomainError("bad_value", "This step takes a list of items.")
        items = [_list_item(step, item, n) for n, item in enumerate(value, 1)]
        if not step.min_items <= len(items) <= step.max_items:
            raise DomainError(
                "bad_count",
                "Give {low} to {high} items; you gave {count}.",
                low=step.min_items,
                high=step.max_items,
                count=len(items),
            )
        return items
    if kind is StepKind.CHOICE:
        known = {option.id for option in step.options}
        picked = value if step.multiple else [value]
        if not isinstance(picked, list) or not picked or not all(isinstance(item, str) for item in picked):
            if step.multiple:
                raise DomainError("bad_value", "Pick one or more options.")
            raise DomainError("bad_value", "Pick one of the options.")
        unknown = [item for item in picked if item not in known]
        if unknown:
            raise DomainError(
                "unknown_option", "{option} is not one of this step's options.", option=repr(unknown[0][:40])
            )
        if step.multiple:
            return [option.id for option in step.options if option.id in picked]
        return picked[0]
    if kind is StepKind.SCALE:
        if isinstance(value, bool) or not isinstance(value, int):
            raise DomainError("bad_value", "Pick a whole number on the scale.")
        if not step.scale_min <= value <= step.scale_max:
            raise DomainError(
                "out_of_range", "Pick a number from {low} to {high}.", low=step.scale_min, high=step.scale_max
            )
        return value
    if kind is StepKind.PROGRESS:
        return progress_rows(value, step.scale_min, step.scale_max)
    if kind is StepKind.RANK:
        known = [option.id for option in step.options]
        if not isinstance(value, list) or sorted(map(str, value)) != sorted(known) or len(set(value)) != len(value):
            raise DomainError("bad_value", "Put every option in order, each once.")
        return list(value)
    if kind is StepKind.DATE:
        return parse_date(value, field=N_("The date")).isoformat()
    if kind is StepKind.MEASURE:
        from protocols.measures import parse_measure  # measures builds on this module's text and date checks

        return parse_measure(value)
    if kind is StepKind.GOAL:
        if isinstance(value, bool) or not isinstance(value, int) or value not in {g.id for g in system_goals}:
            raise DomainError("unknown_goal", "Pick one of this session's system goals.")
        return value
    raise DomainError("bad_step", "Unknown step kind {kind}.", kind=repr(kind))


def progress_rows(value: Any, low: int, high: int) -> list[dict[str, Any]]:
    """Progress on each action step: ``[{"step": text, "level": low..high}]``, as a revisit step or a check-in
    records it. The step's text is kept with its level, so the record reads the same when the plan changes."""
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_PROGRESS_ROWS:
        raise DomainError("bad_value", "Rate your progress on 1 to {most} action steps.", most=MAX_PROGRESS_ROWS)
    rows = []
    for number, row in enumerate(value, 1):
        if not isinstance(row, dict):
            raise DomainError("bad_value", "Row {number} needs an action step and a level.", number=number)
        field = Phrase(N_("Action step {number}"), number=number)
        text = clean_text(row.get("step"), field=field, max_chars=MAX_PROGRESS_STEP)
        level = row.get("level")
        if isinstance(level, bool) or not isinstance(level, int) or not low <= level <= high:
            raise DomainError(
                "out_of_range", "Rate action step {number} from {low} to {high}.", number=number, low=low, high=high
            )
        rows.append({"step": text, "level": level})
    return rows


def parse_date(value: Any, *, field: str | Phrase) -> date:
    """A calendar day written as YYYY-MM-DD, within this century."""
    try:
        day = date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        day = None
    if day is None or not 2000 <= day.year <= 2100:
        raise DomainError("bad_date", "{field} must be a day written as YYYY-MM-DD.", field=Phrase.of(field))
    return day


def _list_item(step: Step, item: Any, number: int) -> Any:
    """A list item: text, or for a dated list ``{"text", "date"}`` with its target date."""
    field = Phrase(N_("Item {number}"), number=number)
    if not step.dated:
        return clean_text(item, field=field, max_chars=step.max_chars)
    if not isinstance(item, dict):
        raise DomainError("bad_value", "Item {number} needs a text and a target date.", number=number)
    text = clean_text(item.get("text"), field=field, max_chars=step.max_chars)
    target = parse_date(item.get("date"), field=Phrase(N_("Item {number}'s target date"), number=number))
    return {"text": text, "date": target.isoformat()}


def validate_answer_id(answer_id: Any) -> str:
    """A client-made answer id: what makes a resent answer land once."""
    if not isinstance(answer_id, str) or not 1 <= len(answer_id) <= MAX_ANSWER_ID or not answer_id.isprintable():
        raise DomainError("bad_answer_id", "answer_id must be 1 to {most} printable characters.", most=MAX_ANSWER_ID)
    return answer_id
