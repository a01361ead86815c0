"""What a step accepts: checks an answer's value against its step and returns it in one canonical form."""

import unicodedata
from collections.abc import Sequence
from datetime import date
from typing import Any

from protocols.errors import DomainError
from protocols.model import Step, StepKind
from protocols.session import SystemGoal

MAX_ANSWER_ID = 64
MAX_PROGRESS_ROWS = 10
MAX_PROGRESS_STEP = 300
# Characters that reorder or hide text (bidi overrides, zero-width marks) are dropped from what people write.
_INVISIBLE_FORMAT = {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"}


def clean_text(value: Any, *, field: str, max_chars: int, required: bool = True) -> str:
    """Text as people meant it: normalised, without control or direction-override characters, trimmed."""
    if not isinstance(value, str):
        raise DomainError("bad_value", f"{field} must be text.")
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
        raise DomainError("empty_value", f"{field} is empty.")
    if len(value) > max_chars:
        raise DomainError("too_long", f"{field} is {len(value)} characters; the limit is {max_chars}.")
    return value


def validate_answer(step: Step, value: Any, system_goals: Sequence[SystemGoal]) -> Any:
    """The canonical value to store for ``value`` as an answer to ``step``; DomainError if it does not fit."""
    kind = step.kind
    if kind is StepKind.NONE:
        raise DomainError("not_answerable", "This step is for talking, not for answering on the phone.")
    if kind is StepKind.IDEAS:
        raise DomainError("not_answerable", "Ideas are posted and voted on (post_idea, vote), not answered.")
    if kind is StepKind.TEXT:
        return clean_text(value, field="Your answer", max_chars=step.max_chars)
    if kind is StepKind.LIST:
        if not isinstance(value, list):
            raise DomainError("bad_value", "This step takes a list of items.")
        items = [_list_item(step, item, n) for n, item in enumerate(value, 1)]
        if not step.min_items <= len(items) <= step.max_items:
            raise DomainError("bad_count", f"Give {step.min_items} to {step.max_items} items; you gave {len(items)}.")
        return items
    if kind is StepKind.CHOICE:
        known = {option.id for option in step.options}
        picked = value if step.multiple else [value]
        if not isinstance(picked, list) or not picked or not all(isinstance(item, str) for item in picked):
            raise DomainError(
                "bad_value", "Pick one of the options." if not step.multiple else "Pick one or more options."
            )
        unknown = [item for item in picked if item not in known]
        if unknown:
            raise DomainError("unknown_option", f"{unknown[0][:40]!r} is not one of this step's options.")
        if step.multiple:
            return [option.id for option in step.options if option.id in picked]
        return picked[0]
    if kind is StepKind.SCALE:
        if isinstance(value, bool) or not isinstance(value, int):
            raise DomainError("bad_value", "Pick a whole number on the scale.")
        if not step.scale_min <= value <= step.scale_max:
            raise DomainError("out_of_range", f"Pick a number from {step.scale_min} to {step.scale_max}.")
        return value
    if kind is StepKind.PROGRESS:
        return progress_rows(value, step.scale_min, step.scale_max)
    if kind is StepKind.RANK:
        known = [option.id for option in step.options]
        if not isinstance(value, list) or sorted(map(str, value)) != sorted(known) or len(set(value)) != len(value):
            raise DomainError("bad_value", "Put every option in order, each once.")
        return list(value)
    if kind is StepKind.DATE:
        return parse_date(value, field="The date").isoformat()
    if kind is StepKind.MEASURE:
        from protocols.measures import parse_measure  # measures builds on this module's text and date checks

        return parse_measure(value)
    if kind is StepKind.GOAL:
        if isinstance(value, bool) or not isinstance(value, int) or value not in {g.id for g in system_goals}:
            raise DomainError("unknown_goal", "Pick one of this session's system goals.")
        return value
    raise DomainError("bad_step", f"Unknown step kind {kind!r}.")


def progress_rows(value: Any, low: int, high: int) -> list[dict[str, Any]]:
    """Progress on each action step: ``[{"step": text, "level": low..high}]``, as a revisit step or a check-in
    records it. The step's text is kept with its level, so the record reads the same when the plan changes."""
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_PROGRESS_ROWS:
        raise DomainError("bad_value", f"Rate your progress on 1 to {MAX_PROGRESS_ROWS} action steps.")
    rows = []
    for number, row in enumerate(value, 1):
        if not isinstance(row, dict):
            raise DomainError("bad_value", f"Row {number} needs an action step and a level.")
        text = clean_text(row.get("step"), field=f"Action step {number}", max_chars=MAX_PROGRESS_STEP)
        level = row.get("level")
        if isinstance(level, bool) or not isinstance(level, int) or not low <= level <= high:
            raise DomainError("out_of_range", f"Rate action step {number} from {low} to {high}.")
        rows.append({"step": text, "level": level})
    return rows


def parse_date(value: Any, *, field: str) -> date:
    """A calendar day written as YYYY-MM-DD, within this century."""
    try:
        day = date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        day = None
    if day is None or not 2000 <= day.year <= 2100:
        raise DomainError("bad_date", f"{field} must be a day written as YYYY-MM-DD.")
    return day


def _list_item(step: Step, item: Any, number: int) -> Any:
    """A list item: text, or for a dated list ``{"text", "date"}`` with its target date."""
    if not step.dated:
        return clean_text(item, field=f"Item {number}", max_chars=step.max_chars)
    if not isinstance(item, dict):
        raise DomainError("bad_value", f"Item {number} needs a text and a target date.")
    text = clean_text(item.get("text"), field=f"Item {number}", max_chars=step.max_chars)
    return {"text": text, "date": parse_date(item.get("date"), field=f"Item {number}'s target date").isoformat()}


def validate_answer_id(answer_id: Any) -> str:
    """A client-made answer id: what makes a resent answer land once."""
    if not isinstance(answer_id, str) or not 1 <= len(answer_id) <= MAX_ANSWER_ID or not answer_id.isprintable():
        raise DomainError("bad_answer_id", f"answer_id must be 1 to {MAX_ANSWER_ID} printable characters.")
    return answer_id
