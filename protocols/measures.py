"""A goal's measure: what a person will look at in their students' learning, its unit, a baseline and a target, and
the results their check-ins record against it (docs/API.md, "A measure")."""

import math
from typing import Any

from protocols.answers import clean_text, parse_date
from protocols.errors import DomainError, Phrase
from protocols.language import IN_ENGLISH, N_, Language

UNITS = {"percent": "Percent", "count": "Count", "score": "Score", "rubric": "Rubric level"}  # id: title
MAX_WHAT = 200
MAX_COUNT = 1_000_000
SCORE_MAX = (1, 1000)  # the range of a score's maximum
RUBRIC_LEVELS = (2, 10)  # the range of a rubric's number of levels
PLACES = {"percent": 1, "score": 2}  # decimals kept; a count and a rubric level are whole numbers


def _refuse(message: str, /, **params: Any) -> DomainError:
    """``bad_measure`` with ``message`` (marked ``N_``) filled from ``params``."""
    return DomainError("bad_measure", message, **params)


def parse_measure(value: Any) -> dict[str, Any]:
    """The measure as it is kept: ``{"what", "unit", "out_of", "baseline": {"value", "date"}, "target": {...}}``,
    checked and normalised (numbers rounded to the unit's places, whole numbers as integers, other keys dropped).
    DomainError ``bad_measure`` naming the first field that is wrong."""
    if not isinstance(value, dict):
        raise _refuse(N_("A measure needs what you will look at, its unit, a baseline and a target."))
    try:
        what = clean_text(value.get("what"), field=N_("What you will measure"), max_chars=MAX_WHAT)
    except DomainError as error:
        raise error.recoded("bad_measure") from None
    unit = value.get("unit")
    if unit not in UNITS:
        raise _refuse(N_("The unit must be one of percent, count, score or rubric."))
    measure = {"what": what, "unit": unit, "out_of": _out_of(unit, value.get("out_of"))}
    baseline = _point(measure, value.get("baseline"), N_("The baseline"))
    target = _point(measure, value.get("target"), N_("The target"))
    if target["value"] == baseline["value"]:
        raise _refuse(N_("The target must differ from the baseline."))
    if target["date"] <= baseline["date"]:
        raise _refuse(N_("The target's date must be after the baseline's."))
    return {**measure, "baseline": baseline, "target": target}


def _out_of(unit: str, raw: Any) -> int | None:
    """A score's maximum or a rubric's number of levels; nothing for a percent or a count."""
    if unit not in ("score", "rubric"):
        if raw not in (None, ""):
            raise _refuse(N_("Only a score or a rubric has an 'out of'; leave it empty for a percent or a count."))
        return None
    low, high = SCORE_MAX if unit == "score" else RUBRIC_LEVELS
    number = _whole(raw)
    if number is None or not low <= number <= high:
        if unit == "score":
            raise _refuse(N_("A score needs its maximum: a whole number from {low} to {high}."), low=low, high=high)
        levels = N_("A rubric needs its number of levels: a whole number from {low} to {high}.")
        raise _refuse(levels, low=low, high=high)
    return number


def _point(measure: dict[str, Any], raw: Any, field: str) -> dict[str, Any]:
    """A baseline or a target: ``{"value", "date"}``, the value in the measure's unit and range."""
    if not isinstance(raw, dict):
        raise _refuse(N_("{field} needs a value and a date."), field=Phrase.of(field))
    value = _in_range(measure, raw.get("value"), field)
    try:
        day = parse_date(raw.get("date"), field=Phrase(N_("{field}'s date"), field=Phrase.of(field)))
    except DomainError as error:
        raise error.recoded("bad_measure") from None
    return {"value": value, "date": day.isoformat()}


def check_result(measure: dict[str, Any], value: Any) -> float:
    """A result of ``measure`` (at a check-in): a number in its unit and range; DomainError ``bad_measure``."""
    return float(_in_range(measure, value, N_("The result")))


def _in_range(measure: dict[str, Any], raw: Any, field: str) -> int | float:
    """``raw`` as a number of the measure's unit, rounded to its places; refused outside the unit's range."""
    if not _is_number(raw):
        raise _refuse(N_("{field} must be a number."), field=Phrase.of(field))
    unit, out_of = measure["unit"], measure["out_of"]
    rule = {
        "percent": (0, 100, N_("{field}: a percent is between 0 and 100.")),
        "count": (0, MAX_COUNT, N_("{field}: a count is a whole number from 0 to 1,000,000.")),
        "score": (0, out_of, N_("{field}: a score is between 0 and {out_of}.")),
        "rubric": (1, out_of, N_("{field}: a rubric level is a whole number from 1 to {out_of}.")),
    }
    low, high, says = rule[unit]
    number = _whole(raw) if unit in ("count", "rubric") else raw
    if number is None or not low <= number <= high:
        raise _refuse(says, field=Phrase.of(field), out_of=out_of)
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


def unit_label(measure: dict[str, Any], value: float, lang: Language = IN_ENGLISH) -> str:
    """A value as its unit reads in ``lang``: ``55%``, ``12``, ``14 / 20``, ``level 3 of 4``."""
    number = _number(value, lang)
    unit, out_of = measure["unit"], measure["out_of"]
    if unit == "percent":
        return lang.gettext("{value}%", value=number)
    if unit == "score":
        return lang.gettext("{value} / {out_of}", value=number, out_of=out_of)
    if unit == "rubric":
        return lang.gettext("level {value} of {out_of}", value=number, out_of=out_of)
    return number


def unit_name(measure: dict[str, Any], lang: Language = IN_ENGLISH) -> str:
    """The unit as a form says what to type: ``percent (0 to 100)``, ``score out of 20``."""
    unit, out_of = measure["unit"], measure["out_of"]
    if unit == "percent":
        return lang.gettext("percent (0 to 100)")
    if unit == "count":
        return lang.gettext("count (a whole number)")
    if unit == "score":
        return lang.gettext("score out of {out_of}", out_of=out_of)
    return lang.gettext("rubric level (1 to {out_of})", out_of=out_of)


def measure_line(measure: dict[str, Any], lang: Language = IN_ENGLISH) -> str:
    """How the measure reads in a plan: ``Share of my class reading at grade level: 40% on 1 December 2026 → 80% by
    1 June 2027``."""
    baseline, target = measure["baseline"], measure["target"]
    return lang.gettext(
        "{what}: {baseline} on {baseline_day} → {target} by {target_day}",
        what=measure["what"],
        baseline=unit_label(measure, baseline["value"], lang),
        baseline_day=lang.day(baseline["date"]),
        target=unit_label(measure, target["value"], lang),
        target_day=lang.day(target["date"]),
    )


def _number(value: float, lang: Language) -> str:
    """``40`` for 40.0, ``33.5`` for 33.5, ``1,200`` for 1200 (``1 200`` in French): two decimals at most."""
    return lang.number(round(float(value), 2))
