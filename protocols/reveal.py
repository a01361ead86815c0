"""When and how the room is shown a step's results: held back until the facilitator reveals them, and a scale's mean."""

from collections.abc import Iterable, Mapping
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from protocols.errors import DomainError
from protocols.model import Step, StepKind, Visibility
from protocols.session import AgendaStep, Session
from protocols.visibility import Audience, may_see

RESULTS_FLAGS = ("reveal", "approve", "show_mean")  # a step's fields about what the room is shown, all off by default
APPROVED_KINDS = (StepKind.TEXT, StepKind.LIST)  # answers the room reads as written, which approval holds back
ROOM_ONLY = "shows the room's answers on the projector: it needs visibility 'room' or 'room-named'"


def results_flag_problems(
    kind: StepKind | None, visibility: Visibility | None, fields: Mapping[str, Any]
) -> list[tuple[str, str]]:
    """What is wrong with a step's ``reveal``, ``approve`` and ``show_mean``, as (field, problem) for the loader.

    Each is about what the projector shows, so each needs a step whose answers reach it; the mean is a scale's, and
    approval is for written answers (text, list) alone."""
    problems = []
    for key in (key for key in RESULTS_FLAGS if fields.get(key)):
        if visibility is not None and not may_see(Audience.PROJECTOR, visibility):
            problems.append((key, f"{ROOM_ONLY}, not {visibility.value!r}"))
        if kind is StepKind.NONE:
            problems.append((key, "a step with nothing to answer has no answers to hold back or sum up"))
    if fields.get("show_mean") and kind not in (None, StepKind.SCALE):
        problems.append(("show_mean", "the mean is a scale's: it needs kind = 'scale'"))
    if fields.get("approve") and kind not in (None, *APPROVED_KINDS):
        problems.append(("approve", "approval holds back written answers: it needs kind = 'text' or 'list'"))
    return problems


def results_revealed(session: Session, agenda_step: AgendaStep) -> bool:
    """Whether the projector shows this step's results now: the facilitator's last choice on it, else shown unless
    the step says ``reveal = true``."""
    chosen = dict(session.revealed).get(agenda_step.key)
    return not agenda_step.step.reveal if chosen is None else chosen


def open_step_revealed(session: Session) -> bool:
    """``results_revealed`` for the open step; with no step open there is nothing held back."""
    current = session.current
    return True if current is None else results_revealed(session, current)


def with_revealed(session: Session, step_id: str, revealed: bool) -> Session:
    """The session with the open step's results shown on the projector or held back. ``step_id`` is the step the
    console shows open: a step the room has left is refused (``stale_move``), as a move from it would be."""
    current = session.still_on(step_id).current
    if current is None or not current.step.answerable or not may_see(Audience.PROJECTOR, current.step.visibility):
        raise DomainError("not_shown", "Answers to this step are not shown on the projector.")
    chosen = (*((key, shown) for key, shown in session.revealed if key != current.key), (current.key, revealed))
    return replace(session, revealed=chosen)


def projector_live(live: Mapping[str, Any]) -> dict[str, Any]:
    """The live counts as the projector may receive them: while the results are held back, counts alone (no
    aggregate, no spotlight), so nothing of the answers reaches the room's screen before the reveal."""
    if live.get("revealed", True):
        return dict(live)
    return {**live, "aggregate": None, "spotlight": []}


def scale_mean(step: Step, points: Iterable[tuple[object, int]]) -> dict[str, Any]:
    """The mean of a scale's answers to one decimal (half up), and how many it is the mean of, where the step asks
    for it (``show_mean``); ``points`` are (value on the scale, answers) pairs. No answers: no mean yet."""
    if not step.show_mean:
        return {}
    counted = [(value, count) for value, count in points if isinstance(value, int) and not isinstance(value, bool)]
    count = sum(n for _, n in counted)
    if not count:
        return {"mean": None, "count": 0}
    mean = Decimal(sum(value * n for value, n in counted)) / Decimal(count)
    return {"mean": float(mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)), "count": count}
