"""What each screen is sent: plain dicts built from the session, filtered by the visibility rules."""

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from protocols.model import Protocol, Step, StepKind
from protocols.session import AgendaStep, Answer, Session
from protocols.visibility import Audience, may_see, shows_name

_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
_COMMON_WORDS = frozenset(
    """
    the and for are but not you all any can her was one our out his has had how its may new now see two
    who did get let put say she too use that with have this will your from they know want been more when
    what some them than then very into just like also each make most over such only other which their
    there would about could should these those where while being because through
    """.split()
)


def session_summary(session: Session) -> dict[str, Any]:
    return {
        "code": session.code,
        "title": session.title,
        "organisation": session.organisation,
        "system_goals": [
            {"id": goal.id, "title": goal.title, "description": goal.description} for goal in session.system_goals
        ],
    }


def step_view(agenda_step: AgendaStep, total: int, *, with_notes: bool = False) -> dict[str, Any]:
    """A step as a screen shows it. Facilitator notes are added only when ``with_notes`` is set."""
    step = agenda_step.step
    view: dict[str, Any] = {
        "id": agenda_step.key,
        "number": agenda_step.index + 1,
        "of": total,
        "protocol": agenda_step.protocol.title,
        "title": step.title,
        "prompt": step.prompt,
        "kind": step.kind.value,
        "visibility": step.visibility.value,
        "minutes": step.minutes,
    }
    view.update(_step_limits(step))
    if with_notes:
        view["notes"] = step.notes
    return view


def protocol_view(protocol: Protocol) -> dict[str, Any]:
    """A library protocol as the API lists it; step ids here are the protocol's own, not a session's keys."""
    steps = [AgendaStep(step.id, n, 1, protocol, step) for n, step in enumerate(protocol.steps)]
    return {
        "id": protocol.id,
        "title": protocol.title,
        "purpose": protocol.purpose,
        "source": protocol.source,
        "minutes": protocol.minutes,
        "steps": [step_view(agenda_step, len(steps), with_notes=True) for agenda_step in steps],
    }


def _step_limits(step: Step) -> dict[str, Any]:
    if step.kind is StepKind.TEXT:
        return {"max_chars": step.max_chars}
    if step.kind is StepKind.LIST:
        return {"min_items": step.min_items, "max_items": step.max_items, "max_chars": step.max_chars}
    if step.kind is StepKind.CHOICE:
        return {"options": [{"id": o.id, "label": o.label} for o in step.options], "multiple": step.multiple}
    if step.kind is StepKind.SCALE:
        return {"min": step.scale_min, "max": step.scale_max, "min_label": step.min_label, "max_label": step.max_label}
    return {}


def _timing(session: Session, now: float) -> dict[str, Any]:
    return {"deadline": session.timer.deadline, "paused_remaining": session.timer.remaining, "server_time": now}


def _current(session: Session, *, with_notes: bool = False) -> dict[str, Any] | None:
    current = session.current
    return step_view(current, len(session.steps), with_notes=with_notes) if current else None


def participant_state(session: Session, own_answers: Mapping[str, object], now: float) -> dict[str, Any]:
    """The phone's whole picture: the session, the open step and the participant's own saved answers."""
    return {
        "session": session_summary(session),
        "phase": session.phase,
        "step": _current(session),
        **_timing(session, now),
        "answers": dict(own_answers),
    }


def facilitator_state(
    session: Session, names: Mapping[int, str], step_answers: Iterable[Answer], live: Mapping[str, Any], now: float
) -> dict[str, Any]:
    """The console's whole picture: agenda with notes, where the session stands, the answers it may see."""
    total = len(session.steps)
    current = session.current
    answers = [answer_view(Audience.FACILITATOR, current, a, names.get(a.participant_id, "")) for a in step_answers]
    return {
        "session": session_summary(session),
        "phase": session.phase,
        "position": session.position,
        "agenda": [step_view(agenda_step, total, with_notes=True) for agenda_step in session.steps],
        "step": _current(session, with_notes=True),
        **_timing(session, now),
        "answers": [view for view in answers if view is not None],
        "live": dict(live),
    }


def projector_state(session: Session, live: Mapping[str, Any], now: float) -> dict[str, Any]:
    """The room's picture: never a private answer, names only where the step is room-named."""
    return {
        "session": session_summary(session),
        "phase": session.phase,
        "step": _current(session),
        **_timing(session, now),
        "live": dict(live),
    }


def answer_view(audience: Audience, agenda_step: AgendaStep | None, answer: Answer, name: str) -> dict[str, Any] | None:
    """One answer as ``audience`` may receive it, or None when they may not receive it at all."""
    if agenda_step is None or not may_see(audience, agenda_step.step.visibility):
        return None
    view = {"step_id": answer.step_key, "value": answer.value, "saved_at": answer.saved_at}
    if shows_name(audience, agenda_step.step.visibility):
        view.update(participant_id=answer.participant_id, name=name)
    return view


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
    }
    if current is not None and may_see(Audience.PROJECTOR, current.step.visibility):
        live["aggregate"] = aggregate(session, current, step_answers, names)
    return live


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
        return {"type": "bars", "bars": [{"label": o.label, "count": counts[o.id]} for o in step.options]}
    if step.kind is StepKind.SCALE:
        counts = Counter(answer.value for answer in step_answers)
        values = range(step.scale_min, step.scale_max + 1)
        return {
            "type": "histogram",
            "bars": [{"label": str(v), "count": counts[v]} for v in values],
            "min_label": step.min_label,
            "max_label": step.max_label,
        }
    if step.kind in (StepKind.TEXT, StepKind.LIST):
        words = Counter(
            w for a in step_answers for w in _WORD.findall(_as_text(a.value).lower()) if w not in _COMMON_WORDS
        )
        result: dict[str, Any] = {"type": "words", "words": [{"word": w, "count": c} for w, c in words.most_common(30)]}
        if shows_name(Audience.PROJECTOR, step.visibility):
            latest = sorted(step_answers, key=lambda a: a.saved_at)[-12:]
            result["named"] = [{"name": names.get(a.participant_id, ""), "text": _as_text(a.value)} for a in latest]
        return result
    return None


def _as_text(value: object) -> str:
    return " · ".join(map(str, value)) if isinstance(value, list) else str(value)
