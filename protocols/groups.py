"""Small groups: forming them, placing latecomers, and which role each member holds in a round."""

import random
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence

from protocols.errors import DomainError, Phrase, Speaks
from protocols.language import N_
from protocols.model import EVERYONE, GroupBy, Protocol, Role, Step, StepKind
from protocols.protocol_translations import translation_for
from protocols.session import AgendaStep, GroupSettings, Participant, Session

MAX_GROUP_SIZE = 30


class Seating:
    """The session's groups: group number (also the table number) -> participant ids in seat order."""

    def __init__(self, groups: Mapping[int, Sequence[int]] | None = None) -> None:
        self.groups: dict[int, tuple[int, ...]] = {number: tuple(members) for number, members in (groups or {}).items()}
        self._group_of = {member: number for number, members in self.groups.items() for member in members}

    def group_of(self, participant_id: int) -> int | None:
        return self._group_of.get(participant_id)

    def mates(self, participant_id: int) -> tuple[int, ...]:
        """The other members of the participant's group."""
        number = self.group_of(participant_id)
        return tuple(m for m in self.groups.get(number, ()) if m != participant_id) if number is not None else ()


def split_evenly(people: Sequence[int], size: int) -> list[list[int]]:
    """``people`` in groups as close to ``size`` as possible, sizes differing by at most one."""
    if not people:
        return []
    count = max(1, round(len(people) / size))
    groups: list[list[int]] = [[] for _ in range(count)]
    for index, person in enumerate(people):
        groups[index % count].append(person)
    return groups


def form_groups(keys: Mapping[int, str], size: int, rng: random.Random) -> list[list[int]]:
    """Groups of about ``size`` from participant ids; people with the same key sit together.

    ``keys`` maps each participant to what they are grouped by (a system goal, a grade level), or "" for random.
    Each key's people are shuffled and split evenly; people whose key has too few for a group of its own form
    mixed groups together, or, if they are only a few, join the smallest groups rather than sit alone.
    """
    if not 2 <= size <= MAX_GROUP_SIZE:
        raise DomainError("bad_group_size", "Choose a group size from 2 to {most}.", most=MAX_GROUP_SIZE)
    buckets: dict[str, list[int]] = defaultdict(list)
    for participant_id in sorted(keys):
        buckets[keys[participant_id]].append(participant_id)
    groups: list[list[int]] = []
    stragglers: list[int] = []
    for key in sorted(buckets):
        people = buckets[key]
        rng.shuffle(people)
        if len(people) * 2 < size and len(buckets) > 1:
            stragglers.extend(people)
            continue
        groups.extend(split_evenly(people, size))
    if len(stragglers) * 2 >= size or not groups:
        groups.extend(split_evenly(stragglers, size))  # enough of them to make mixed groups of their own
    else:
        for person in stragglers:
            min(groups, key=len).append(person)
    return groups


def parse_grouping(session: Session, payload: Mapping[str, object]) -> GroupSettings:
    """The console's ``form_groups`` request as settings: ``size`` and ``by`` default to the open or next grouped
    protocol's, a size outside that protocol's range needs ``confirm``, and ``join_answer`` needs a join question."""
    defaults = session.grouping_defaults()
    size = payload.get("size", defaults.size)
    if isinstance(size, bool) or not isinstance(size, int):
        raise DomainError("bad_request", "'size' must be a whole number.")
    confirmed = payload.get("confirm", False)
    if not isinstance(confirmed, bool):
        raise DomainError("bad_request", "'confirm' must be true or false.")
    check_group_size(session, size, confirmed)
    try:
        by = GroupBy(payload.get("by", defaults.by.value))
    except ValueError:
        raise DomainError("bad_request", "'by' must be random, system_goal or join_answer.") from None
    if by is GroupBy.JOIN_ANSWER and session.join_question is None:
        raise DomainError("no_join_question", "This session asks no question at join to group people by.")
    return GroupSettings(size, by)


def people_to_group(participants: Sequence[Participant], connected: Collection[int]) -> list[Participant]:
    """Who is placed when groups are formed: everyone connected now, or everyone who joined if no phone is."""
    return [p for p in participants if p.id in connected] or list(participants)


def check_move(groups: Mapping[int, Sequence[int]], group: int) -> None:
    """A person may move to any table, or to one past the last, which opens a new table."""
    last = max(groups, default=0) + 1
    if not 1 <= group <= last:
        raise DomainError("bad_request", "Choose a group from 1 to {last}.", last=last)


def check_group_size(session: Session, size: int, confirmed: bool) -> None:
    """A size the open or next grouped protocol does not run with is refused unless the presenter confirms it.

    Practitioners stretch a protocol's range when a room demands it (five people left for a tuning table of six),
    so the range is a warning asked again, not a wall; 2 to ``MAX_GROUP_SIZE`` is the wall.
    """
    if not 2 <= size <= MAX_GROUP_SIZE:
        raise DomainError("bad_group_size", "Choose a group size from 2 to {most}.", most=MAX_GROUP_SIZE)
    protocol = session.grouped_protocol()
    grouping = protocol.grouping if protocol else None
    if confirmed or grouping is None or grouping.min_size <= size <= grouping.max_size:
        return
    raise DomainError(
        "group_size_outside_protocol",
        "'{title}' runs in groups of {low} to {high}, not {size}. Send it again with confirm to form these groups "
        "anyway.",
        title=protocol.title,  # type: ignore[union-attr]
        low=grouping.min_size,
        high=grouping.max_size,
        size=size,
    )


def place_latecomer(groups: Mapping[int, Sequence[int]], keys: Mapping[int, str], key: str, size: int) -> int:
    """The group number a latecomer joins: the smallest group of people with the same key, else the smallest."""
    if not groups:
        raise DomainError("no_groups", "There are no groups yet.")

    def shares_key(number: int) -> bool:
        return any(keys.get(member) == key for member in groups[number])

    matching = [number for number in groups if shares_key(number) and len(groups[number]) < size + 1]
    candidates = matching or list(groups)
    return min(candidates, key=lambda number: (len(groups[number]), number))


def seats(roles: Sequence[Role], group_size: int) -> list[Role | None]:
    """The roles of a group of ``group_size`` in seat order: counted roles first, then the role taking the rest."""
    ordered: list[Role | None] = []
    for role in roles:
        if role.count is not None:
            ordered.extend([role] * role.count)
    rest = next((role for role in roles if role.count is None), None)
    ordered = ordered[:group_size]
    ordered.extend([rest] * (group_size - len(ordered)))
    return ordered


def roles_in_round(members: Sequence[int], roles: Sequence[Role], round_number: int, rotate: bool) -> dict[int, Role]:
    """Each member's role in a round. Rotating moves every role on one seat a round, so over as many rounds as
    there are members, each member holds each single-person role (presents) exactly once."""
    if not roles or not members:
        return {}
    table = seats(roles, len(members))
    shift = (round_number - 1) if rotate else 0
    assigned = {}
    for position, member in enumerate(members):
        role = table[(position - shift) % len(members)]
        if role is not None:
            assigned[member] = role
    return assigned


def group_roles(agenda_step: AgendaStep, members: Sequence[int]) -> dict[int, Role]:
    """Each member of one group's role in the step's protocol and round; empty for a protocol without roles."""
    protocol = agenda_step.protocol
    if not protocol.roles:
        return {}
    rotate = protocol.grouping.rotate_roles if protocol.grouping else False
    return roles_in_round(members, protocol.roles, agenda_step.round, rotate)


def role_in_step(agenda_step: AgendaStep, seating: Seating, participant_id: int) -> Role | None:
    """The participant's role in the step's protocol and round, or None outside a group or a protocol with roles."""
    number = seating.group_of(participant_id)
    if number is None:
        return None
    return group_roles(agenda_step, seating.groups[number]).get(participant_id)


def answers_step(agenda_step: AgendaStep, seating: Seating, participant_id: int) -> bool:
    """Whether the participant answers this step: everyone does, unless the step is for one role or keeps some
    roles silent (the tuning presenter listens to the feedback)."""
    step = agenda_step.step
    if step.answerable and step.who == EVERYONE and not step.silent:
        return True
    return role_answers(step, role_in_step(agenda_step, seating, participant_id))


def role_answers(step: Step, role: Role | None) -> bool:
    """Whether someone holding ``role`` (None: no role) answers ``step``; see ``answers_step``."""
    if not step.answerable:
        return False
    if step.who == EVERYONE and not step.silent:
        return True
    if step.who != EVERYONE:
        return role is not None and role.id == step.who
    return role is None or role.id not in step.silent


def refuse_unless_answers(agenda_step: AgendaStep, seating: Seating, participant_id: int) -> None:
    """Refuse an answer from someone whose role does not answer this step, saying what they do instead."""
    if answers_step(agenda_step, seating, participant_id):
        return
    step = agenda_step.step
    if step.who != EVERYONE:
        role = agenda_step.protocol.role(step.who)
        answering = RoleTitle(agenda_step.protocol, role) if role else step.who.lower()
        raise DomainError("not_your_turn", "Only the {role} answers this step; listen for now.", role=answering)
    role = role_in_step(agenda_step, seating, participant_id)
    title = RoleTitle(agenda_step.protocol, role) if role else Phrase(N_("your role"))
    raise DomainError("not_your_turn", "The {title} listens on this step and does not answer it.", title=title)


class RoleTitle:
    """A role's title in lower case, filling an error's sentence: said in the reader's language where the protocol
    file translates it (``in_language``, as ``Phrase`` is), else as the file names it."""

    def __init__(self, protocol: Protocol, role: Role) -> None:
        self.protocol = protocol
        self.role = role

    def in_language(self, lang: Speaks) -> str:
        code = getattr(lang, "code", "")
        text = translation_for(self.protocol, code) if code else None
        return ((text.role(self.role.id).title if text else "") or self.role.title).lower()

    def __str__(self) -> str:
        return self.role.title.lower()


def grouping_key(by: GroupBy, participant: Participant, answers: Mapping[str, object], session: Session) -> str:
    """What a participant is grouped by: nothing (random), the system goal they chose, or their join answer."""
    if by is GroupBy.JOIN_ANSWER:
        return participant.join_answer
    if by is GroupBy.SYSTEM_GOAL:
        chosen = [answers[s.key] for s in session.steps if s.step.kind is StepKind.GOAL and s.key in answers]
        return str(chosen[-1]) if chosen else ""
    return ""
