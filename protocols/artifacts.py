"""Student work shown on a step (an artifact): where it is shown, who may put it up or take it down, who is shown it
and what a screen is sent of it.

An artifact belongs to one round of one agenda item and stays up for every step of that round. The facilitator's
is the room's: every phone, the console and the projector show it. A presenter's is their table's: the phones of
the people seated at that table and the console show it; the projector and other tables never do. It is the
material being looked at, not an answer, so a private step still shows it.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePath
from typing import Any

from protocols.errors import DomainError, Phrase
from protocols.evidence import MIMETYPES, Kind
from protocols.groups import RoleTitle, Seating, role_in_step
from protocols.language import N_
from protocols.model import Protocol, Role, Visibility
from protocols.session import Session
from protocols.visibility import Audience, may_see

MAX_PAGES = 20  # a PDF of more pages is refused: a group looks closely at a few pieces, not at a whole workbook


class Scope(StrEnum):
    ROOM = "room"  # put up by the facilitator for everyone
    TABLE = "table"  # put up by a table's presenter for that table


# Who is shown an artifact, in the visibility rules' own terms: a table's stays at its table as a group answer does.
VISIBILITY = {Scope.ROOM: Visibility.ROOM, Scope.TABLE: Visibility.GROUP}


@dataclass(frozen=True, slots=True)
class Slot:
    """Where an artifact is shown: one round of one agenda item, for the room (``table`` None) or one table."""

    item: int
    round: int
    table: int | None


@dataclass(frozen=True, slots=True)
class Page:
    """One page as kept: the page itself and a small picture of it, each under a random name."""

    image: str
    thumb: str

    @property
    def names(self) -> tuple[str, str]:
        return (self.image, self.thumb)


@dataclass(frozen=True, slots=True)
class Artifact:
    id: int
    session_id: int
    slot: Slot
    participant_id: int | None  # the presenter who put it up; None: the facilitator
    kind: Kind  # what was uploaded: a photo, or a PDF now kept as its pages
    title: str
    pages: tuple[Page, ...]
    bytes: int
    created_at: float
    shown_page: int = 1  # the page the facilitator shows on the projector

    @property
    def scope(self) -> Scope:
        return Scope.ROOM if self.slot.table is None else Scope.TABLE

    @property
    def stored_names(self) -> list[str]:
        return [name for page in self.pages for name in page.names]

    def page(self, number: int, thumb: bool = False) -> str:
        """The stored name of page ``number`` (from 1), or its small picture; ``unknown_artifact`` past the last."""
        if not 1 <= number <= len(self.pages):
            raise no_such_artifact()
        page = self.pages[number - 1]
        return page.thumb if thumb else page.image


def mimetype(stored_name: str) -> str:
    return MIMETYPES[PurePath(stored_name).suffix.lstrip(".")]


def no_such_artifact() -> DomainError:
    return DomainError("unknown_artifact", "There is no such student work open to you.")


def presenting_role(protocol: Protocol) -> Role | None:
    """The role whose holder shares the work a round looks at (``presents = true`` in the protocol file)."""
    return next((role for role in protocol.roles if role.presents), None)


def room_slot(session: Session) -> Slot:
    """The room's place in the open step's round: ``no_step`` in the lobby and after the last step."""
    current = session.current
    if current is None:
        raise DomainError("no_step", "Open a step first: student work is shown during a protocol's round.")
    return Slot(current.item.uid, current.round, None)


def presenter_slot(session: Session, seating: Seating, participant_id: int) -> Slot:
    """The presenter's table in the open step's round. ``not_presenter`` for anyone who does not hold the
    presenting role there (a protocol without one, a person at no table, another role)."""
    current = session.current
    if current is None:
        raise DomainError("no_step", "Student work is shared during a protocol's round; none is open.")
    presenting = presenting_role(current.protocol)
    role = role_in_step(current, seating, participant_id)
    if presenting is None or role is None or role.id != presenting.id:
        title = RoleTitle(current.protocol, presenting) if presenting else Phrase(N_("presenter"))
        raise DomainError(
            "not_presenter", "Only the {title} at your table shares student work in this round.", title=title
        )
    return Slot(current.item.uid, current.round, seating.group_of(participant_id))


def refuse_unless_uploader(artifact: Artifact, participant_id: int) -> None:
    """A phone takes down only what its person put up; the facilitator takes down any."""
    if artifact.participant_id != participant_id:
        raise no_such_artifact()


def may_see_artifact(audience: Audience, artifact: Artifact) -> bool:
    return may_see(audience, VISIBILITY[artifact.scope])


def phone_may_open(
    artifact: Artifact, session_id: int, seating: Seating, participant_id: int, open_round: tuple[int, int] | None
) -> bool:
    """A phone opens its session's room artifacts; a table's, its uploader always, and anyone else only while its
    round is open (``open_round``: the open step's agenda item and round) and they sit at that table. Tables are
    formed again during a day: whoever sits at table 2 later never opens what an earlier table 2 looked at."""
    if artifact.session_id != session_id:
        return False
    if artifact.scope is Scope.ROOM or artifact.participant_id == participant_id:
        return True
    at_table = seating.group_of(participant_id) == artifact.slot.table
    in_its_round = open_round == (artifact.slot.item, artifact.slot.round)
    return at_table and in_its_round and may_see_artifact(Audience.GROUP_MATE, artifact)


def projector_may_open(artifact: Artifact, session_id: int) -> bool:
    return artifact.session_id == session_id and may_see_artifact(Audience.PROJECTOR, artifact)


def parse_page(payload: Mapping[str, Any], artifact: Artifact) -> int:
    """``{"page": n}``: a page of the artifact, from 1."""
    page = payload.get("page")
    if isinstance(page, bool) or not isinstance(page, int) or not 1 <= page <= len(artifact.pages):
        raise DomainError("bad_value", "Choose a page from 1 to {last}.", last=len(artifact.pages))
    return page


def artifact_view(artifact: Artifact | None, *, mine: bool = False) -> dict[str, Any] | None:
    """What a screen is sent of an artifact: never the names its pages are kept under (each screen asks for a page
    by the artifact's id and the page's number, with its own credential)."""
    if artifact is None:
        return None
    return {
        "id": artifact.id,
        "scope": artifact.scope.value,
        "table": artifact.slot.table,
        "item": artifact.slot.item,
        "round": artifact.slot.round,
        "kind": artifact.kind.value,
        "title": artifact.title,
        "pages": len(artifact.pages),
        "page": artifact.shown_page,
        "by": "facilitator" if artifact.participant_id is None else "presenter",
        "mine": mine,
    }


def room_view(artifacts: Sequence[Artifact]) -> dict[str, Any] | None:
    """The room's artifact among the open round's, as every phone and the projector are sent it."""
    return artifact_view(next((a for a in artifacts if a.scope is Scope.ROOM), None))


def table_view(artifacts: Sequence[Artifact], seating: Seating, participant_id: int) -> dict[str, Any] | None:
    """The artifact of the table this person sits at, as their phone is sent it (``mine`` for its presenter)."""
    table = seating.group_of(participant_id)
    if table is None:
        return None
    found = next((a for a in artifacts if a.scope is Scope.TABLE and a.slot.table == table), None)
    if found is None:
        return None
    audience = Audience.AUTHOR if found.participant_id == participant_id else Audience.GROUP_MATE
    return (
        artifact_view(found, mine=found.participant_id == participant_id) if may_see_artifact(audience, found) else None
    )
