"""What a protocol and its steps are: immutable definitions, loaded from the library's TOML files."""

from dataclasses import dataclass
from enum import StrEnum


class StepKind(StrEnum):
    """What a step asks of a participant, and so what input the phone shows."""

    NONE = "none"  # talk-only or timed discussion: nothing to answer
    TEXT = "text"
    LIST = "list"  # several short items; ``dated`` lists give each item a target date
    CHOICE = "choice"
    SCALE = "scale"
    GOAL = "goal"  # pick one of the session's system goals
    RANK = "rank"  # put every option in order, most important first
    DATE = "date"  # one calendar day, e.g. when I will check in
    PROGRESS = "progress"  # a scale for each of the person's earlier action steps (recalled on their phone)
    MEASURE = "measure"  # what the goal will be measured by in students' learning: unit, baseline, target
    IDEAS = "ideas"  # post ideas and give votes to the room's ideas (protocols/ideas.py)


class Visibility(StrEnum):
    """Who may receive an answer to a step. Shown to the participant before they answer."""

    PRIVATE = "private"  # the author alone: their phone and their own plan
    FACILITATOR = "facilitator"  # the author and the facilitator
    GROUP = "group"  # the author's group-mates and the facilitator
    ROOM = "room"  # everyone, without names (projector)
    ROOM_NAMED = "room-named"  # everyone, with the author's name


class PlanField(StrEnum):
    """Where an answer lands in the participant's personal action plan."""

    SYSTEM_GOAL = "system_goal"
    GOAL = "goal"
    STRENGTHS = "strengths"
    OBSTACLES = "obstacles"
    ACTION_STEPS = "action_steps"
    EVIDENCE = "evidence"
    MEASURE = "measure"
    SUPPORTS = "supports"
    CHECK_IN = "check_in"
    TAKEAWAYS = "takeaways"
    NOWHERE = "nowhere"


class GroupBy(StrEnum):
    """How the facilitator sorts people into groups."""

    RANDOM = "random"
    SYSTEM_GOAL = "system_goal"  # people who chose the same system goal sit together
    JOIN_ANSWER = "join_answer"  # by the answer to the question asked at join (grade level, subject, school)


EVERYONE = "everyone"


@dataclass(frozen=True, slots=True)
class Option:
    """One answer a choice or rank step offers."""

    id: str
    label: str


@dataclass(frozen=True, slots=True)
class Role:
    """A role within a group. ``count`` members take it each round; the first role with no count takes the rest."""

    id: str
    title: str
    count: int | None = 1
    notes: str = ""
    presents: bool = False  # its holder shares the round's student work from their phone (docs/PROTOCOLS.md)


@dataclass(frozen=True, slots=True)
class Grouping:
    """How a protocol wants the room grouped, as a default the facilitator may change."""

    size: int
    min_size: int
    max_size: int
    by: GroupBy = GroupBy.RANDOM
    rotate_roles: bool = False  # roles move on one seat each round, so each member presents once


@dataclass(frozen=True, slots=True)
class IdeaRules:
    """An ideas step's rules: how many ideas each person posts, how many votes each gives and how (docs/PROTOCOLS.md,
    protocols/ideas.py)."""

    max_ideas: int = 3  # 0: nobody posts here (a step voting on an earlier step's ideas)
    votes: int = 3  # 0: no voting here
    spread: bool = False  # several of one person's votes may go to one idea
    voting: str = "when_opened"  # or "from_start": voting opens with the step, beside posting
    vote_on: str = ""  # the protocol's own id of an earlier ideas step whose ideas this step votes on
    plan_ideas: tuple[str, ...] = ("mine",)  # what goes to the plan: "mine", "voted", "top"
    top_ideas: int = 3  # how many of the room's top ideas "top" puts in the plan


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a protocol, as the library file defines it."""

    id: str
    title: str
    prompt: str
    kind: StepKind
    visibility: Visibility
    minutes: float
    notes: str = ""  # for the facilitator only; never sent to phones or the projector
    plan_field: PlanField = PlanField.NOWHERE
    who: str = EVERYONE  # who answers: everyone, or the members holding one role
    silent: tuple[str, ...] = ()  # roles that listen on this step instead of answering (the tuning presenter)
    prompts: tuple[tuple[str, str], ...] = ()  # (role id, what that role does here), shown in place of ``prompt``
    recall: bool = False  # show the participant their goal and action steps (this day's or an earlier one's)
    first_time_prompt: str = ""  # recall steps: what someone without a goal yet is asked instead of ``prompt``
    returning_only: bool = False  # recall steps: only people returning to a goal answer it; first-timers listen
    options: tuple[Option, ...] = ()
    multiple: bool = False  # choice: several options may be picked
    min_items: int = 1  # list
    max_items: int = 5  # list
    dated: bool = False  # list: each item carries a target date
    scale_min: int = 1
    scale_max: int = 5
    min_label: str = ""
    max_label: str = ""
    max_chars: int = 2000  # text, and each list item
    media: str = ""  # an image or PDF shown on the step: a path beside the protocol file (protocols/media.py)
    reveal: bool = False  # room-visible results stay off the projector until the facilitator reveals them
    approve: bool = False  # room-visible answers wait on the console for approval before anyone else is shown them
    show_mean: bool = False  # scale: the projector shows the mean and the count beside the histogram
    ideas: IdeaRules | None = None  # ideas steps

    @property
    def answerable(self) -> bool:
        return self.kind is not StepKind.NONE

    @property
    def by_role(self) -> bool:
        """Whether what a person is asked, or whether they answer, depends on their role in the group."""
        return self.who != EVERYONE or bool(self.silent) or bool(self.prompts)

    def prompt_for(self, role_id: str | None) -> str | None:
        """What the holder of ``role_id`` is asked on this step, where their role has its own prompt."""
        return dict(self.prompts).get(role_id) if role_id else None


@dataclass(frozen=True, slots=True)
class RoleText:
    """A role's texts in one language; an empty text is read in the protocol's own words."""

    title: str = ""
    notes: str = ""


@dataclass(frozen=True, slots=True)
class StepText:
    """A step's texts in one language; an empty text (or an option or role left out) keeps the protocol's own."""

    title: str = ""
    prompt: str = ""
    notes: str = ""
    first_time_prompt: str = ""
    min_label: str = ""
    max_label: str = ""
    options: tuple[tuple[str, str], ...] = ()  # (option id, label)
    prompts: tuple[tuple[str, str], ...] = ()  # (role id, what that role does on the step)


@dataclass(frozen=True, slots=True)
class ProtocolText:
    """A protocol's texts in one language: what the file's ``[translations.<code>]`` table holds."""

    title: str = ""
    purpose: str = ""
    source: str = ""
    norms: tuple[str, ...] = ()  # all of the protocol's norms, in order, or none
    roles: tuple[tuple[str, RoleText], ...] = ()
    steps: tuple[tuple[str, StepText], ...] = ()

    def role(self, role_id: str) -> RoleText:
        return dict(self.roles).get(role_id, RoleText())

    def step(self, step_id: str) -> StepText:
        return dict(self.steps).get(step_id, StepText())


@dataclass(frozen=True, slots=True)
class Protocol:
    """A structured protocol: a titled sequence of steps with its credited source, groups and roles."""

    id: str
    title: str
    purpose: str
    source: str
    steps: tuple[Step, ...]
    grouping: Grouping | None = None
    roles: tuple[Role, ...] = ()
    norms: tuple[str, ...] = ()
    translations: tuple[tuple[str, ProtocolText], ...] = ()  # (language code, its texts): docs/PROTOCOLS.md

    @property
    def minutes(self) -> float:
        return sum(step.minutes for step in self.steps)

    def role(self, role_id: str) -> Role | None:
        return next((role for role in self.roles if role.id == role_id), None)
