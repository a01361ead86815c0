"""How far a goal's measure has come: the chart it is drawn from (baseline, results, target), its values in words,
whether it moved toward its target, and the counts leaders and coaches read per system goal."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from protocols.followup import CheckIn, GoalRecord, newest_measure
from protocols.language import IN_ENGLISH, N_, Language
from protocols.measures import unit_label

NOT_YET = "not_yet"
MOVED_BACK = "moved_back"
REACHED = "reached"
# The bands a measure's progress falls in, in the order leaders read them; a share is the part of the way from
# baseline to target the latest result has come. Each label is translated where it is shown.
BANDS = (
    (NOT_YET, N_("not yet measured again")),
    (MOVED_BACK, N_("moved back")),
    ("0_25", N_("0–25%")),
    ("25_50", N_("25–50%")),
    ("50_75", N_("50–75%")),
    ("75_100", N_("75–100%")),
    (REACHED, N_("reached")),
)
BAND_LABELS = dict(BANDS)


@dataclass(frozen=True, slots=True)
class MeasureChart:
    """What a measure's chart is drawn from: plain values, dated, oldest result first."""

    what: str
    unit: str  # one of protocols.measures.UNITS
    out_of: float | None  # a score's maximum, a rubric's number of levels; None otherwise
    baseline: tuple[str, float]  # (ISO date, value)
    results: tuple[tuple[str, float], ...]  # (ISO date, value), oldest first, from check-ins
    target: tuple[str, float]

    def unit_label(self, value: float, lang: Language = IN_ENGLISH) -> str:
        """A value in its unit, in ``lang``: ``55%``, ``12``, ``14 / 20``, ``level 3 of 4``."""
        measure = {"unit": self.unit, "out_of": None if self.out_of is None else int(self.out_of)}
        return unit_label(measure, value, lang)

    @property
    def points(self) -> list[tuple[str, str, float]]:
        """Every value in date order, each as (kind: baseline, result or target; ISO date; value)."""
        return [
            ("baseline", *self.baseline),
            *(("result", day, value) for day, value in self.results),
            ("target", *self.target),
        ]

    @property
    def latest(self) -> tuple[str, float] | None:
        return self.results[-1] if self.results else None

    @property
    def share(self) -> float | None:
        """The part of the way from baseline to target the latest result has come, unclipped (below 0: moved back,
        1 or more: reached); None before any result."""
        if self.latest is None:
            return None
        return (self.latest[1] - self.baseline[1]) / (self.target[1] - self.baseline[1])

    @property
    def moved_toward_target(self) -> bool:
        """The latest result lies beyond the baseline in the target's direction (a target below the baseline
        counts downwards; going past the target counts too)."""
        return self.share is not None and self.share > 0

    @property
    def progress_share(self) -> float:
        """``share`` kept between 0 and 1, for a bar; 0 before any result."""
        return min(1.0, max(0.0, self.share or 0.0))

    @property
    def band(self) -> str:
        """The key of the band in BANDS the measure's progress falls in."""
        share = self.share
        if share is None:
            return NOT_YET
        if share < 0:
            return MOVED_BACK
        if share >= 1:
            return REACHED
        return ("0_25", "25_50", "50_75", "75_100")[min(3, int(share * 4))]

    @property
    def labelled_points(self) -> list[tuple[str, str, str]]:
        """``labelled`` in English."""
        return self.labelled(IN_ENGLISH)

    def labelled(self, lang: Language) -> list[tuple[str, str, str]]:
        """``points`` as people read them in ``lang``: (kind, ``55%``, ``1 February 2027``)."""
        return [(kind, self.unit_label(value, lang), lang.day(day)) for kind, day, value in self.points]

    def in_words(self, lang: Language = IN_ENGLISH) -> list[str]:
        """The chart said in sentences in ``lang``, for a screen reader and for the printed page's text."""
        said = {"baseline": N_("Baseline: {value} on {day}."), "result": N_("Result: {value} on {day}."),
                "target": N_("Target: {value} by {day}.")}  # fmt: skip
        sentences = [lang.gettext(said[kind], value=value, day=day) for kind, value, day in self.labelled(lang)]
        if not self.results:
            sentences.append(lang.gettext("No result recorded yet."))
        elif self.moved_toward_target:
            share = lang.percent(round(self.progress_share * 100) / 100)
            sentences.append(lang.gettext("Moved toward the target: {share} of the way.", share=share))
        else:
            sentences.append(lang.gettext("Not moved toward the target yet."))
        return sentences


def measure_chart(measure: dict[str, Any], results: Sequence[tuple[str, float]]) -> MeasureChart:
    """The chart of a validated measure (``protocols.measures``) and its results as (ISO date, value) pairs.

    Results are put in date order; those dated before the baseline belong to an earlier measure and are left out.
    """
    baseline = (str(measure["baseline"]["date"]), float(measure["baseline"]["value"]))
    kept = sorted(((str(day), float(value)) for day, value in results if str(day) >= baseline[0]), key=lambda r: r[0])
    out_of = measure.get("out_of")
    return MeasureChart(
        what=str(measure["what"]),
        unit=str(measure["unit"]),
        out_of=float(out_of) if out_of is not None else None,
        baseline=baseline,
        results=tuple(kept),
        target=(str(measure["target"]["date"]), float(measure["target"]["value"])),
    )


def check_in_results(check_ins: Iterable[CheckIn]) -> list[tuple[str, float]]:
    """The results recorded at check-ins, as (ISO date, value) pairs, dated by each check-in (UTC), oldest first."""
    dated = sorted((c.created_at, c.result) for c in check_ins if c.result is not None)
    return [(datetime.fromtimestamp(moment, UTC).date().isoformat(), float(value)) for moment, value in dated]


def person_chart(records_newest_first: Iterable[GoalRecord], check_ins: Iterable[CheckIn]) -> MeasureChart | None:
    """A person's current measure (their newest goal's that has one) with the results their check-ins recorded,
    or None while they have no measure."""
    measure = newest_measure(records_newest_first)
    return measure_chart(measure, check_in_results(check_ins)) if measure else None


def measure_row(chart: MeasureChart | None) -> dict[str, Any] | None:
    """A measure as a coach's or leader's list reads it: what, unit, baseline, target, latest, moved, the results
    for a small trend, and each value in its unit. Holds no check-in text, so nothing private."""
    if chart is None:
        return None

    def point(day: str, value: float) -> dict[str, Any]:
        return {"date": day, "value": value, "label": chart.unit_label(value)}

    return {
        "what": chart.what,
        "unit": chart.unit,
        "out_of": chart.out_of,
        "baseline": point(*chart.baseline),
        "target": point(*chart.target),
        "latest": point(*chart.latest) if chart.latest else None,
        "results": [point(*result) for result in chart.results],
        "moved": chart.moved_toward_target,
        "share": round(chart.progress_share, 3),
        "band": chart.band,
    }


def measure_summary(
    people: Sequence[tuple[dict[str, Any] | None, Sequence[tuple[str, float]]]], lang: Language = IN_ENGLISH
) -> dict[str, Any]:
    """For the goals of a set of people (one system goal's): how many hold a measure, how many moved from their
    baseline toward their target, and how their progress spreads over BANDS (labelled in ``lang``). Each person is
    (measure or None, their results as (ISO date, value) pairs)."""
    charts = [measure_chart(measure, results) for measure, results in people if measure]
    counts = dict.fromkeys(BAND_LABELS, 0)
    for chart in charts:
        counts[chart.band] += 1
    return {
        "goals": len(people),
        "with_measure": len(charts),
        "moved": sum(1 for chart in charts if chart.moved_toward_target),
        "distribution": [{"band": band, "label": lang.gettext(label), "count": counts[band]} for band, label in BANDS],
    }
