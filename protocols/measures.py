"""A goal's measure: what a person will look at in their students' learning, its unit, a baseline and a target, and
the results their check-ins record against it (docs/API.md, "A measure")."""

import math
from datetime import date
from typing import Any

from protocols.answers import clean_text, parse_date
from protocols.errors import DomainError

UNITS = {"percent": "Percent", "count": "Count", "score": "Score", "rubric": "Rubric level"}  # id: title
MAX_WHAT = 200
MAX_COUNT = 1_000_000
SCORE_MAX = (1, 1000)  # the range of a score's maximum
RUBRIC_LEVELS = (2, 10)  # the range of a rubric's number of levels
PLACES = {"percent": 1, "score": 2}  # decimals kept; a count and a rubric level are whole numbers


def _refuse(message: str) -> DomainError:
    return DomainError("bad_measure", message)


def parse_measure(value: Any) -> dict[str, Any]:
    """The measure as it is kept: ``{"what", "unit", "out_of", "baseline": {"value", "date"}, "target": {...}}``,
    checked and normalised (numbers rounded to the unit's places, whole numbers as integers, other keys dropped).
    DomainError ``bad_measure`` naming the first field that is wrong."""
    if not isinstance(value, dict):
        raise _refuse("A measure needs what you will look at, its unit, a baseline and a target.")
    try:
        what = clean_text(value.get("what"), field="What you will measure", max_chars=MAX_WHAT)
    except DomainError as error:
        raise _refuse(error.message) from None
    unit = value.get("unit")
    if unit not in UNITS:
        raise _refuse("The unit must be one of percent, count, score or rubric.")
    measure = {"what": what, "unit": unit, "out_of": _out_of(unit, value.get("out_of"))}
    baseline = _point(measure, value.get("baseline"), "The baseline")
    target = _point(measure, value.get("target"), "The target")
    if target["value"] == baseline["value"]:
        raise _refuse("The target must differ from the baseline.")
    if target["date"] <= baseline["date"]:
        raise _refuse("The target's date must be after the baseline's.")
    return {**measure, "baseline": baseline, "target": target}


def _out_of(unit: str, raw: Any) -> int | None:
    """A score's maximum or a rubric's number of levels; nothing for a percent or a count."""
    if unit not in ("score", "rubric"):
        if raw not in (None, ""):
            raise _refuse("Only a score or a rubric has an 'out of'; leave it empty for a percent or a count.")
        return None
    low, high = SCORE_MAX if unit == "score" else RUBRIC_LEVELS
    number = _whole(raw)
    if number is None or not low <= number <= high:
        what = "A score needs its maximum" if unit == "score" else "A rubric needs its number of levels"
        raise _refuse(f"{what}: a whole number from {low} to {high}.")
    return number


def _point(measure: dict[str, Any], raw: Any, field: str) -> dict[str, Any]:
    """A baseline or a target: ``{"value", "date"}``, the value in the measure's unit and range."""
    if not isinstance(raw, dict):
        raise _refuse(f"{field} needs a value and a date.")
    value = _in_range(measure, raw.get("value"), field)
    try:
        day = parse_date(raw.get("date"), field=f"{field}'s date")
    except DomainError as error:
        raise _refuse(error.message) from None
    return {"value": value, "date": day.isoformat()}


def check_result(measure: dict[str, Any], value: Any) -> float:
    """A result of ``measure`` (at a check-in): a number in its unit and range; DomainError ``bad_measure``."""
    return float(_in_range(measure, value, "The result"))


def _in_range(measure: dict[str, Any], raw: Any, field: str) -> int | float:
    """``raw`` as a number of the measure's unit, rounded to its places; refused outside the unit's range."""
    if not _is_number(raw):
        raise _refuse(f"{field} must be a number.")
    unit, out_of = measure["unit"], measure["out_of"]
    rule = {
        "percent": (0, 100, "a percent is between 0 and 100"),
        "count": (0, MAX_COUNT, "a count is a whole number from 0 to 1,000,000"),
        "score": (0, out_of, f"a score is between 0 and {out_of}"),
        "rubric": (1, out_of, f"a rubric level is a whole number from 1 to {out_of}"),
    }
    low, high, says = rule[unit]
    number = _whole(raw) if unit in ("count", "rubric") else raw
    if number is None or not low <= number <= high:
        raise _refuse(f"{field}: {says}.")
    if unit in PLACES:
        number = round(float(number), PLACES[unit])
        return int(number) if number.is_integer() else number
    return number


def _is_number(raw: Any) -> bool:
    """A JSON number: not a boolean, not NaN or infinity."""
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return False
    return not isinstance(raw, float) or math.isfinite(raw)


def _whole(raw: Any) -> int | None:
    """A whole number (``12`` or ``12.0``), or None for anything else."""
    if not _is_number(raw) or raw != int(raw):
        return None
    return int(raw)


def unit_label(measure: dict[str, Any], value: float) -> str:
    """A value as its unit reads: ``55%``, ``12``, ``14 / 20``, ``level 3 of 4``."""
    number = _number(value)
    unit, out_of = measure["unit"], measure["out_of"]
    if unit == "percent":
        return f"{number}%"
    if unit == "score":
        return f"{number} / {out_of}"
    if unit == "rubric":
        return f"level {number} of {out_of}"
    return number


def unit_name(measure: dict[str, Any]) -> str:
    """The unit as a form says what to type: ``percent (0 to 100)``, ``score out of 20``."""
    unit, out_of = measure["unit"], measure["out_of"]
    return {
        "percent": "percent (0 to 100)",
        "count": "count (a whole number)",
        "score": f"score out of {out_of}",
        "rubric": f"rubric level (1 to {out_of})",
    }[unit]


def measure_line(measure: dict[str, Any]) -> str:
    """How the measure reads in a plan: ``Share of my class reading at grade level: 40% on 1 December 2026 → 80% by
    1 June 2027``."""
    baseline, target = measure["baseline"], measure["target"]
    return (
        f"{measure['what']}: {unit_label(measure, baseline['value'])} on {_day(baseline['date'])}"
        f" → {unit_label(measure, target['value'])} by {_day(target['date'])}"
    )


def _day(iso_day: str) -> str:
    """``2027-06-01`` as ``1 June 2027``, as plans write days (plan.py reads measures, so not the other way)."""
    return date.fromisoformat(iso_day).strftime("%-d %B %Y")


def _number(value: float) -> str:
    """``40`` for 40.0, ``33.5`` for 33.5, ``1,200`` for 1200: no trailing zeros."""
    return f"{float(value):,.2f}".rstrip("0").rstrip(".")
