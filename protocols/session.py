"""A live session's run state: its system goals, its agenda flattened into steps, where it stands, its timer."""

from collections.abc import Collection
from dataclasses import dataclass, field, replace
from functools import lru_cache

from protocols.errors import DomainError
from protocols.model import GroupBy, Protocol, Step

LOBBY = -1  # before the first step: people are arriving
MAX_ROUNDS = 30
MAX_TIMER_SECONDS = 4 * 60 * 60
MAX_AGENDA_ITEMS = 30
MAX_AGENDA_STEPS = 300  # steps of a whole day, rounds counted: a long day runs about a hundred


def sized_agenda(agenda: tuple["AgendaItem", ...]) -> tuple["AgendaItem", ...]:
    """The agenda, if it fits a day: every way of building or editing one passes here, so no key can make an
    agenda whose every view costs seconds (a protocol's own steps are capped by the loader)."""
    if len(agenda) > MAX_AGENDA_ITEMS:
        raise DomainError("agenda_too_long", "An agenda holds at most {most} protocols.", most=MAX_AGENDA_ITEMS)
    steps = sum(len(item.protocol.steps) * item.rounds for item in agenda)
    if steps > MAX_AGENDA_STEPS:
        raise DomainError(
            "agenda_too_long",
            "That would make {steps} steps; an agenda holds at most {most}.",
            steps=steps,
            most=MAX_AGENDA_STEPS,
        )
    return agenda


@dataclass(frozen=True, slots=True)
class SystemGoal:
    """A goal the whole organisation shares; each participant ties a goal of their own to one."""

    id: int
    title: str
    description: str = ""
    organisation_goal_id: int | None = None  # the organisation's goal this session's copy stands for


@dataclass(frozen=True, slots=True)
class JoinQuestion:
    """One question asked as people join (grade level, subject, school), for grouping them later."""

    label: str
    options: tuple[str, ...] = ()  # empty: a free answer


@dataclass(frozen=True, slots=True)
class GroupSettings:
    """How the facilitator formed the groups, so latecomers are placed the same way."""

    size: int
    by: GroupBy


@dataclass(frozen=True, slots=True)
class AgendaItem:
    """A protocol in a session's agenda. ``uid`` never changes, so answers stay keyed when the agenda is reordered."""

    uid: int
    protocol: Protocol
    rounds: int = 1  # rounds of the whole protocol, e.g. one per presenter in a tuning group


@dataclass(frozen=True, slots=True)
class AgendaStep:
    """One step as it stands in a session's agenda. ``key`` is unique within the session and never changes."""

    key: str  # "<item uid>:<step id>", with "@<round>" from round 2 on: "1:goal", "3:presentation@2"
    index: int  # position in the flattened agenda
    item: AgendaItem
    round: int
    step: Step

    @property
    def protocol(self) -> Protocol:
        return self.item.protocol


def session_step_id(uid: int, step_id: str, round_number: int = 1) -> str:
    """A step's id in a session: its agenda item, the protocol's own step id, and the round from round two."""
    return f"{uid}:{step_id}" if round_number == 1 else f"{uid}:{step_id}@{round_number}"


@lru_cache(maxsize=256)
def _flatten(agenda: tuple[AgendaItem, ...]) -> tuple[AgendaStep, ...]:
    """The agenda as one list of steps, round after round; cached because every event asks for it."""
    flattened: list[AgendaStep] = []
    for item in agenda:
        for round_number in range(1, item.rounds + 1):
            for step in item.protocol.steps:
                key = session_step_id(item.uid, step.id, round_number)
                flattened.append(AgendaStep(key, len(flattened), item, round_number, step))
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
    agenda: tuple[AgendaItem, ...]
    position: int = LOBBY
    timer: Timer = Timer()
    created_at: float = 0.0
    locked: bool = False  # the open step takes no more answers
    join_question: JoinQuestion | None = None
    grouped: GroupSettings | None = None  # how the groups were last formed; None: no groups yet
    facilitator: str = ""  # the presenter's name, as printed on plans
    date: str = ""  # the day of the session, ISO YYYY-MM-DD
    day_minutes: int | None = None  # the time the day has for the agenda; None: not said
    step_opened_at: float | None = None  # when the open step was opened (epoch seconds)
    time_used: tuple[tuple[str, float], ...] = ()  # (step key, seconds it was open), summed over every visit
    organisation_id: int | None = None  # the organisation whose goals it shares and whose people it follows up
    revealed: tuple[tuple[str, bool], ...] = ()  # (step key, results on the projector): the facilitator's choice
    language: str = "en"  # the console's and projector's language, a code such as ``es``
    _steps: tuple[AgendaStep, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Every view asks for the steps many times per phone; hashing the agenda each time cost more than the view.
        object.__setattr__(self, "_steps", _flatten(self.agenda))

    def seconds_used(self, key: str, now: float) -> float:
        """How long step ``key`` has been open so far today, counting the current visit if it is open."""
        used = sum(seconds for step, seconds in self.time_used if step == key)
        current = self.current
        if current is not None and current.key == key and self.step_opened_at is not None:
            used += max(0.0, now - self.step_opened_at)
        return used

    @property
    def steps(self) -> tuple[AgendaStep, ...]:
        return self._steps

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

    def moved_to(self, position: int, now: float | None = None) -> "Session":
        """The session at another position (lobby, a step, or ended); the timer and the lock reset with each move.

        With ``now``, the time the open step was open is added to its time used, for "planned vs used".
        """
        if not LOBBY <= position <= len(self.steps):
            raise DomainError("bad_position", "There is no step {position} in this agenda.", position=position)
        time_used = self.time_used
        if now is not None and self.current is not None and self.step_opened_at is not None:
            key = self.current.key
            total = self.seconds_used(key, now)
            time_used = (*((step, s) for step, s in time_used if step != key), (key, round(total, 3)))
        opened = now if now is not None and 0 <= position < len(self.steps) else None
        return replace(self, position=position, timer=Timer(), locked=False, step_opened_at=opened, time_used=time_used)

    def still_on(self, step_id: str | None) -> "Session":
        """This session, if ``step_id`` is the open step (None: no step is open, in the lobby or at the end).

        A move carries the step its sender saw open, so a double press or a key that repeats a click moves once:
        the second press names a step the session has already left, and is refused.
        """
        open_id = self.current.key if self.current else None
        if step_id == open_id:
            return self
        if open_id:
            raise DomainError(
                "stale_move",
                "The session has already moved on (it is at step {step}); nothing changed.",
                step=repr(open_id),
            )
        if self.phase == "lobby":
            raise DomainError("stale_move", "The session has already moved on (it is at lobby); nothing changed.")
        raise DomainError("stale_move", "The session has already moved on (it is at ended); nothing changed.")

    def next(self, now: float | None = None) -> "Session":
        if self.ended:
            raise DomainError("agenda_ended", "The agenda has ended; there is no next step.")
        return self.moved_to(self.position + 1, now)

    def prev(self, now: float | None = None) -> "Session":
        if self.position == LOBBY:
            raise DomainError("agenda_not_started", "The session has not started; there is no step before.")
        return self.moved_to(self.position - 1, now)

    def goto(self, key: str, now: float | None = None) -> "Session":
        agenda_step = self.step_by_key(key)
        if agenda_step is None:
            raise DomainError("unknown_step", "There is no step {step} in this agenda.", step=repr(key))
        return self.moved_to(agenda_step.index, now)

    def with_timer(self, timer: Timer) -> "Session":
        if self.current is None:
            raise DomainError("no_step", "The timer runs only while a step is open.")
        return replace(self, timer=timer)

    def run_timer(self, action: str, seconds: object, now: float) -> "Session":
        """The console's timer buttons: ``start`` and ``extend`` take ``seconds`` (1 to four hours), ``pause`` and
        ``resume`` none."""
        if action in ("start", "extend") and (
            isinstance(seconds, bool) or not isinstance(seconds, int | float) or not 0 < seconds <= MAX_TIMER_SECONDS
        ):
            raise DomainError("bad_request", "'seconds' must be a number from 1 to {most}.", most=MAX_TIMER_SECONDS)
        if action == "start":
            return self.with_timer(Timer().start(now, float(seconds)))  # type: ignore[arg-type]
        if action == "extend":
            return self.with_timer(self.timer.extend(now, float(seconds)))  # type: ignore[arg-type]
        if action == "pause":
            return self.with_timer(self.timer.pause(now))
        if action == "resume":
            return self.with_timer(self.timer.resume(now))
        raise DomainError("bad_request", "'action' must be start, pause, resume or extend.")

    def grouped_protocol(self) -> Protocol | None:
        """The open or next protocol that works in groups: the one the groups formed now are for."""
        start = max(self.position, 0)
        return next((s.protocol for s in self.steps[start:] if s.protocol.grouping is not None), None)

    def grouping_defaults(self) -> GroupSettings:
        """The group size and sorting the open or next grouped protocol asks for (6, random when none does)."""
        protocol = self.grouped_protocol()
        if protocol is None or protocol.grouping is None:
            return GroupSettings(6, GroupBy.RANDOM)
        return GroupSettings(protocol.grouping.size, protocol.grouping.by)

    def with_lock(self, locked: bool) -> "Session":
        if self.current is None:
            raise DomainError("no_step", "Only an open step can be locked.")
        return replace(self, locked=locked)

    # Changing the agenda: only what is still ahead may change, so no answer loses its step.

    def _item_ahead(self, uid: int) -> int:
        """The index of agenda item ``uid``, which must not have started yet."""
        for index, item in enumerate(self.agenda):
            if item.uid == uid:
                first = next(s.index for s in self.steps if s.item.uid == uid)
                if first <= self.position:
                    raise DomainError(
                        "item_started",
                        "'{title}' has started; only what is ahead can change.",
                        title=item.protocol.title,
                    )
                return index
        raise DomainError("unknown_item", "There is no agenda item {uid}.", uid=uid)

    def _first_index_ahead(self) -> int:
        """The agenda index from which items have not started."""
        current = self.current
        if self.position == LOBBY:
            return 0
        if current is None:
            return len(self.agenda)
        return next(i for i, item in enumerate(self.agenda) if item.uid == current.item.uid) + 1

    def with_item_added(self, protocol: Protocol, rounds: int = 1, answered: Collection[int] = ()) -> "Session":
        """A protocol added at the end of the agenda, e.g. one chosen or uploaded during the day.

        ``answered`` are the item numbers that hold answers: a new item never takes one of them, even one skipped
        since, or those answers would show under the new protocol's steps and visibility.
        """
        if not 1 <= rounds <= MAX_ROUNDS:
            raise DomainError("bad_rounds", "Choose 1 to {most} rounds.", most=MAX_ROUNDS)
        if self.ended:
            raise DomainError("agenda_ended", "The session has ended; start a new one for more protocols.")
        uid = max((*(item.uid for item in self.agenda), *answered), default=0) + 1
        return replace(self, agenda=sized_agenda((*self.agenda, AgendaItem(uid, protocol, rounds))))

    def with_item_moved(self, uid: int, to: int) -> "Session":
        """Item ``uid`` moved to agenda index ``to``; both must be ahead of the open protocol."""
        index = self._item_ahead(uid)
        if not self._first_index_ahead() <= to < len(self.agenda):
            raise DomainError("bad_position", "An item can move only among the protocols still ahead.")
        items = list(self.agenda)
        items.insert(to, items.pop(index))
        return replace(self, agenda=tuple(items))

    def with_item_removed(self, uid: int, answered: Collection[int] = ()) -> "Session":
        """Item ``uid`` skipped: taken out of the agenda before it starts, and never once it holds answers."""
        index = self._item_ahead(uid)
        if uid in answered:
            title = self.agenda[index].protocol.title
            raise DomainError("item_answered", "'{title}' already has answers, so it stays in the agenda.", title=title)
        if len(self.agenda) == 1:
            raise DomainError("last_item", "The agenda needs at least one protocol.")
        return replace(self, agenda=self.agenda[:index] + self.agenda[index + 1 :])

    def with_rounds(self, uid: int, rounds: int) -> "Session":
        if not 1 <= rounds <= MAX_ROUNDS:
            raise DomainError("bad_rounds", "Choose 1 to {most} rounds.", most=MAX_ROUNDS)
        index = self._item_ahead(uid)
        items = list(self.agenda)
        items[index] = replace(items[index], rounds=rounds)
        return replace(self, agenda=sized_agenda(tuple(items)))


@dataclass(frozen=True, slots=True)
class Participant:
    id: int
    session_id: int
    name: str
    join_answer: str = ""
    person_id: int | None = None  # the person across the organisation's sessions
    person_verified: bool = False  # this phone showed it holds the person's earlier plan (or the person is new)
    language: str = ""  # the language the person chose (``es``); "": not chosen, the page's own is used


@dataclass(frozen=True, slots=True)
class Answer:
    """A participant's saved answer to one step; ``value`` is already validated and normalised."""

    participant_id: int
    step_id: str
    answer_id: str
    value: object
    saved_at: float
    hidden: bool = False  # the facilitator took it off the projector
    group_number: int | None = None  # the group its author sat in when they gave it (steps shared with the group)
    spotlight: bool = False  # the facilitator put it up on the projector; a changed answer loses the spotlight
    approved: bool = False  # approve steps: the facilitator let the room see it; a changed answer waits again
