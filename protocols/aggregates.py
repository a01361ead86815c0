"""What the room's answers add up to on the console and projector: counts, bars, histograms, rankings, recurring
words and the spotlight, each asking the visibility rules first."""

from collections import Counter
from collections.abc import Mapping
from typing import Any

from protocols.measures import UNITS
from protocols.model import Step, StepKind
from protocols.phrases import meaningful_words
from protocols.plan import answer_lines
from protocols.reveal import open_step_revealed, scale_mean
from protocols.session import AgendaStep, Answer, Session
from protocols.visibility import Audience, may_receive, may_see, shows_name

MAX_SPOTLIGHT = 6  # answers the projector shows in its spotlight at once (the latest spotlighted)


def live_counts(
    session: Session, joined: int, connected: int, step_answers: list[Answer], names: Mapping[int, str]
) -> dict[str, Any]:
    """Counts for the console and projector, with the room's aggregate where the projector may see the step."""
    current = session.current
    live: dict[str, Any] = {
        "step_id": current.key if current else None,
        "joined": joined,
        "connected": connected,
        "answered": len(step_answers),
        "aggregate": None,
        "revealed": open_step_revealed(session),  # False: the projector is sent counts alone (reveal.projector_live)
    }
    if current is not None and may_see(Audience.PROJECTOR, current.step.visibility):
        shown = shown_on_projector(current.step, step_answers)
        live["aggregate"] = aggregate(session, current, shown, names)
        live["spotlight"] = spotlight(session, current, shown, names)
    else:
        live["spotlight"] = []
    return live


def shown_on_projector(step: Step, step_answers: list[Answer]) -> list[Answer]:
    """The answers the projector may show: ones it may receive (approved, where the step asks approval) and the
    facilitator has not hidden from it."""
    return [answer for answer in step_answers if not answer.hidden and may_receive(Audience.PROJECTOR, step, answer)]


def spotlight(
    session: Session, agenda_step: AgendaStep, step_answers: list[Answer], names: Mapping[int, str]
) -> list[dict[str, Any]]:
    """Answers the facilitator put up on the projector, as the room reads them; names only on room-named steps.

    Visibility is asked again here, so an answer the projector may not see can never be spotlighted.
    """
    visibility = agenda_step.step.visibility
    shown = shown_on_projector(agenda_step.step, step_answers)
    chosen = sorted((a for a in shown if a.spotlight), key=lambda a: a.saved_at)
    views = []
    for answer in chosen[-MAX_SPOTLIGHT:]:
        view: dict[str, Any] = {"text": " · ".join(answer_lines(agenda_step.step, answer.value, session.system_goals))}
        if shows_name(Audience.PROJECTOR, visibility):
            view["name"] = names.get(answer.participant_id, "")
        views.append(view)
    return views


def aggregate(
    session: Session, agenda_step: AgendaStep, step_answers: list[Answer], names: Mapping[int, str]
) -> dict[str, Any] | None:
    """The room's answers summed up for the projector: counts, a histogram, or recurring words."""
    step = agenda_step.step
    if step.kind is StepKind.GOAL:
        counts = Counter(answer.value for answer in step_answers)
        return {"type": "bars", "bars": [{"label": g.title, "count": counts[g.id]} for g in session.system_goals]}
    if step.kind is StepKind.CHOICE:
        counts = Counter(
            option for a in step_answers for option in (a.value if isinstance(a.value, list) else [a.value])
        )
        return {"type": "bars", "bars": [{"id": o.id, "label": o.label, "count": counts[o.id]} for o in step.options]}
    if step.kind in (StepKind.SCALE, StepKind.PROGRESS):
        counts = Counter(_scale_point(step, answer.value) for answer in step_answers)
        values = range(step.scale_min, step.scale_max + 1)
        return {
            "type": "histogram",
            "bars": [{"label": str(v), "count": counts[v]} for v in values],
            "min_label": step.min_label,
            "max_label": step.max_label,
            **scale_mean(step, counts.items()),
        }
    if step.kind is StepKind.RANK:
        # Points by place (first of n earns n, last earns 1): the room's order, most important first.
        points: Counter[str] = Counter({option.id: 0 for option in step.options})
        for answer in step_answers:
            order = answer.value if isinstance(answer.value, list) else []
            for place, option_id in enumerate(order):
                points[option_id] += len(order) - place
        labels = {option.id: option.label for option in step.options}
        ranked = sorted(step.options, key=lambda option: -points[option.id])
        return {"type": "ranking", "bars": [{"id": o.id, "label": labels[o.id], "count": points[o.id]} for o in ranked],
                "answers": len(step_answers)}  # fmt: skip
    if step.kind is StepKind.MEASURE:
        # How many wrote a measure, by its unit: never a value, a target or what is measured.
        units = Counter(a.value.get("unit") for a in step_answers if isinstance(a.value, dict))
        bars = [{"id": unit, "label": label, "count": units[unit]} for unit, label in UNITS.items()]
        return {"type": "bars", "bars": bars}
    if step.kind in (StepKind.TEXT, StepKind.LIST):
        words = Counter(word for answer in step_answers for word in meaningful_words(_as_text(answer.value)))
        latest = sorted(step_answers, key=lambda a: a.saved_at)[-12:]
        result: dict[str, Any] = {
            "type": "words",
            "words": [{"word": w, "count": c} for w, c in words.most_common(30)],
            "recent": [_as_text(a.value) for a in latest],  # the latest answers, without names
        }
        if shows_name(Audience.PROJECTOR, step.visibility):
            result["named"] = [{"name": names.get(a.participant_id, ""), "text": _as_text(a.value)} for a in latest]
        return result
    return None


def _scale_point(step: Step, value: object) -> object:
    """Where an answer stands on its step's scale: a progress answer by its mean level over the action steps."""
    if step.kind is StepKind.PROGRESS and isinstance(value, list) and value:
        return round(sum(row["level"] for row in value) / len(value))
    return value


def _as_text(value: object) -> str:
    if isinstance(value, list):
        return " · ".join(item["text"] if isinstance(item, dict) else str(item) for item in value)
    return str(value)
