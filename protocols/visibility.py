"""The one place that decides who may receive an answer. Every screen and export asks here."""

from collections.abc import Iterable
from enum import StrEnum

from protocols.groups import Seating
from protocols.model import Step, Visibility
from protocols.session import Answer


class Audience(StrEnum):
    """Who is looking: the answer's author, another participant, the facilitator, or the room's projector."""

    AUTHOR = "author"
    GROUP_MATE = "group-mate"
    PARTICIPANT = "participant"  # anyone else in the room
    FACILITATOR = "facilitator"
    PROJECTOR = "projector"


_EVERYONE = frozenset(Audience)
_SEEN_BY = {
    Visibility.PRIVATE: frozenset({Audience.AUTHOR}),
    Visibility.FACILITATOR: frozenset({Audience.AUTHOR, Audience.FACILITATOR}),
    Visibility.GROUP: frozenset({Audience.AUTHOR, Audience.GROUP_MATE, Audience.FACILITATOR}),
    Visibility.ROOM: _EVERYONE,
    Visibility.ROOM_NAMED: _EVERYONE,
}


def may_see(audience: Audience, visibility: Visibility) -> bool:
    """Whether ``audience`` may receive the content of an answer given with ``visibility``."""
    return audience in _SEEN_BY[visibility]


def may_receive(audience: Audience, step: Step, answer: Answer) -> bool:
    """Whether ``audience`` may receive this answer now: its step's visibility lets them, and where the step asks
    for approval (``approve``), the facilitator approved it. Its author and the facilitator receive it regardless:
    nothing a phone was told is saved is ever withheld from it, and approving needs the facilitator to read it."""
    if not may_see(audience, step.visibility):
        return False
    return answer.approved or not step.approve or audience in (Audience.AUTHOR, Audience.FACILITATOR)


def shows_name(audience: Audience, visibility: Visibility) -> bool:
    """Whether ``audience`` may see who wrote the answer, not only what it says.

    ``room`` answers reach the projector and other participants without names; the facilitator sees names
    wherever they may see the answer at all; group-mates see names where the step is shared with the group.
    """
    if not may_see(audience, visibility):
        return False
    if audience in (Audience.AUTHOR, Audience.FACILITATOR):
        return True
    if audience is Audience.GROUP_MATE:
        return visibility in (Visibility.GROUP, Visibility.ROOM_NAMED)
    return visibility is Visibility.ROOM_NAMED


def shared_with_group(visibility: Visibility) -> bool:
    """Whether group-mates' phones are sent each other's answers (with names) as they come in."""
    return visibility in (Visibility.GROUP, Visibility.ROOM_NAMED)


class Tables:
    """Which table each answer to a step shared with the group was given at, and so who its group-mates are.

    Groups change during a day (re-formed, people moved, latecomers seated), so an answer records its author's
    table when it is given and stays with that table: moving the author later neither takes it to the new table
    nor away from the old one. A reader's table for a step is the one their own answer records, else the one they
    sit at now; answers stored before tables were recorded follow today's seating.
    """

    def __init__(self, answers: Iterable[Answer], seating: Seating) -> None:
        self._seating = seating
        self._at: dict[tuple[str, int | None], list[Answer]] = {}
        self._table_of: dict[tuple[str, int], int | None] = {}
        for answer in answers:
            table = self.table_of(answer)
            self._at.setdefault((answer.step_id, table), []).append(answer)
            self._table_of[(answer.step_id, answer.participant_id)] = table

    @property
    def steps(self) -> set[str]:
        return {step_id for step_id, _ in self._at}

    def table_of(self, answer: Answer) -> int | None:
        """The table an answer was given at."""
        if answer.group_number is not None:
            return answer.group_number
        return self._seating.group_of(answer.participant_id)

    def reader_table(self, step_id: str, reader: int) -> int | None:
        """The table whose answers to ``step_id`` the reader is a group-mate of."""
        return self._table_of.get((step_id, reader), self._seating.group_of(reader))

    def mates_answers(self, step_id: str, reader: int) -> list[Answer]:
        """The answers to ``step_id`` given at the reader's table by others: what they see as a group-mate."""
        table = self.reader_table(step_id, reader)
        if table is None:
            return []
        return [answer for answer in self._at.get((step_id, table), ()) if answer.participant_id != reader]

    def readers_at(self, step_id: str, table: int) -> set[int]:
        """Everyone who reads ``table``'s answers to ``step_id``: who sits there now and has not answered at
        another table, and whoever answered there."""
        seated = {m for m in self._seating.groups.get(table, ()) if self.reader_table(step_id, m) == table}
        return seated | {answer.participant_id for answer in self._at.get((step_id, table), ())}
