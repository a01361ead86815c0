"""The one place that decides who may receive an answer. Every screen and export asks here."""

from enum import StrEnum

from protocols.model import Visibility


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
