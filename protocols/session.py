"""A live session's run state: its system goals, its agenda flattened into steps, where it stands, its timer."""

from dataclasses import dataclass, replace
from functools import lru_cache

from protocols.errors import DomainError
from protocols.model import Protocol, Step

LOBBY = -1  # before the first step: people are arriving


@dataclass(frozen=True, slots=True)
class SystemGoal:
    """A goal the whole organisation shares; each participant ties a goal of their own to one."""

    id: int
    title: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class AgendaStep:
    """One step as it stands in a session's agenda. ``key`` is unique within the session."""

    key: str  # "<agenda item number>:<step id>", e.g. "1:goal"
    index: int  # position in the flattened agenda
    item: int  # 1-based number of the agenda item (protocol) it belongs to
    protocol: Protocol
    step: Step


@lru_cache(maxsize=256)
def _flatten(agenda: tuple[Protocol, ...]) -> tuple[AgendaStep, ...]:
    """The agenda's protocols as one list of steps; cached because every event asks for it."""
    flattened: list[AgendaStep] = []
    for item, protocol in enumerate(agenda, start=1):
        for step in protocol.steps:
            flattened.append(AgendaStep(f"{item}:{step.id}", len(flattened), item, protocol, step))
    return tuple(flattened)


@dataclass(frozen=True, slots=True)
class Timer:
    """A server-authoritative countdown: phones and the projector count down to ``deadline`` (epoch seconds).

    A paused timer has no deadline and keeps the seconds it had left in ``remaining``.
    """

    deadline: float | None = None
    remaining: float | None = None

    @property
    def running(self) -> bool:
        return self.deadline is not None

    def start(self, now: float, seconds: float) -> "Timer":
        return Timer(deadline=now + seconds)

    def pause(self, now: float) -> "Timer":
        if self.deadline is None:
            raise DomainError("timer_not_running", "The timer is not running.")
        return Timer(remaining=max(0.0, self.deadline - now))

    def resume(self, now: float) -> "Timer":
        if self.remaining is None:
            raise DomainError("timer_not_paused", "The timer is not paused.")
        return Timer(deadline=now + self.remaining)

    def extend(self, now: float, seconds: float) -> "Timer":
        if self.deadline is not None:
            return Timer(deadline=max(self.deadline, now) + seconds)
        if self.remaining is not None:
            return Timer(remaining=self.remaining + seconds)
        raise DomainError("timer_not_running", "Start the timer before extending it.")

    def seconds_left(self, now: float) -> float | None:
        if self.deadline is not None:
            return max(0.0, self.deadline - now)
        return self.remaining


@dataclass(frozen=True, slots=True)
class Session:
    """A PD session as the domain sees it: immutable; changes return a new Session."""

    id: int
    code: str
    title: str
    organisation: str
    system_goals: tuple[SystemGoal, ...]
    agenda: tuple[Protocol, ...]
    position: int = LOBBY
    timer: Timer = Timer()
    created_at: float = 0.0

    @property
    def steps(self) -> tuple[AgendaStep, ...]:
        return _flatten(self.agenda)

    @property
    def ended(self) -> bool:
        return self.position >= len(self.steps)

    @property
    def phase(self) -> str:
        """``lobby`` while people arrive, ``step`` while a step runs, ``ended`` after the last."""
        if self.position == LOBBY:
            return "lobby"
        return "ended" if self.ended else "step"

    @property
    def current(self) -> AgendaStep | None:
        if 0 <= self.position < len(self.steps):
            return self.steps[self.position]
        return None

    def step_by_key(self, key: str) -> AgendaStep | None:
        return next((agenda_step for agenda_step in self.steps if agenda_step.key == key), None)

    def system_goal(self, goal_id: int) -> SystemGoal | None:
        return next((goal for goal in self.system_goals if goal.id == goal_id), None)

    def moved_to(self, position: int) -> "Session":
        """The session at another position (lobby, a step, or ended); the timer resets with each move."""
        if not LOBBY <= position <= len(self.steps):
            raise DomainError("bad_position", f"There is no step {position} in this agenda.")
        return replace(self, position=position, timer=Timer())

    def next(self) -> "Session":
        if self.ended:
            raise DomainError("agenda_ended", "The agenda has ended; there is no next step.")
        return self.moved_to(self.position + 1)

    def prev(self) -> "Session":
        if self.position == LOBBY:
            raise DomainError("agenda_not_started", "The session has not started; there is no step before.")
        return self.moved_to(self.position - 1)

    def goto(self, key: str) -> "Session":
        agenda_step = self.step_by_key(key)
        if agenda_step is None:
            raise DomainError("unknown_step", f"There is no step {key!r} in this agenda.")
        return self.moved_to(agenda_step.index)

    def with_timer(self, timer: Timer) -> "Session":
        if self.current is None:
            raise DomainError("no_step", "The timer runs only while a step is open.")
        return replace(self, timer=timer)


@dataclass(frozen=True, slots=True)
class Participant:
    id: int
    session_id: int
    name: str


@dataclass(frozen=True, slots=True)
class Answer:
    """A participant's saved answer to one step; ``value`` is already validated and normalised."""

    participant_id: int
    step_key: str
    answer_id: str
    value: object
    saved_at: float
