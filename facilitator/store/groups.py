"""Groups: who sits at which table, in seat order, and how the session last formed them."""

from collections.abc import Sequence
from functools import cache

from sqlalchemy import Insert, bindparam, delete, func, insert, select

from facilitator.store.base import IN_SESSION, StoreBase, insert_for
from facilitator.store.schema import group_members, sessions
from facilitator.store.sessions import UPDATE_SESSION
from protocols.groups import Seating
from protocols.session import GroupSettings

GROUP_MEMBERS = (
    select(group_members.c.group_number, group_members.c.participant_id)
    .where(group_members.c.session_id == IN_SESSION)
    .order_by(group_members.c.group_number, group_members.c.seat)
)
SEATED_WITH = (
    select(group_members.c.group_number, group_members.c.participant_id)
    .where(
        group_members.c.session_id == IN_SESSION,
        group_members.c.group_number
        == select(group_members.c.group_number)
        .where(group_members.c.participant_id == bindparam("participant"))
        .scalar_subquery(),
    )
    .order_by(group_members.c.seat)
)
NEW_GROUP_MEMBERS = insert(group_members)
CLEAR_GROUPS = delete(group_members).where(group_members.c.session_id == IN_SESSION)
NEXT_SEAT = select(func.coalesce(func.max(group_members.c.seat), -1) + 1).where(
    group_members.c.session_id == IN_SESSION, group_members.c.group_number == bindparam("group")
)
# Serialises changes to one session's groups on PostgreSQL (SQLite's BEGIN IMMEDIATE serialises every write).
LOCK_SESSION = select(sessions.c.id).where(sessions.c.id == IN_SESSION).with_for_update(key_share=True)


@cache
def _seat(dialect: str) -> Insert:
    """Seat a participant, moving them out of any group they were in."""
    statement = insert_for(dialect)(group_members)
    return statement.on_conflict_do_update(
        index_elements=[group_members.c.participant_id],
        set_={"group_number": statement.excluded.group_number, "seat": statement.excluded.seat},
    )


class Groups(StoreBase):
    """The session's groups, group 1 first."""

    def groups(self, session_id: int) -> dict[int, tuple[int, ...]]:
        """Group number -> participant ids in seat order."""
        groups: dict[int, list[int]] = {}
        for number, participant_id in self._rows(GROUP_MEMBERS, {"session": session_id}):
            groups.setdefault(number, []).append(participant_id)
        return {number: tuple(members) for number, members in groups.items()}

    def table_of(self, session_id: int, participant_id: int) -> Seating:
        """The participant's own table alone, in seat order (an empty seating if they sit nowhere): what one
        answer needs, read in a table's rows rather than the room's."""
        rows = self._rows(SEATED_WITH, {"session": session_id, "participant": participant_id})
        return Seating({rows[0][0]: tuple(member for _, member in rows)} if rows else {})

    def save_groups(self, session_id: int, settings: GroupSettings, groups: Sequence[Sequence[int]]) -> None:
        """Replace the session's groups: group 1 first, members in seat order."""
        members = [
            {"participant_id": participant_id, "session_id": session_id, "group_number": number, "seat": seat}
            for number, group in enumerate(groups, start=1)
            for seat, participant_id in enumerate(group)
        ]
        with self._db.transaction() as db:
            db.run(UPDATE_SESSION, {"session": session_id, "group_size": settings.size, "group_by": settings.by.value})
            db.run(CLEAR_GROUPS, {"session": session_id})
            if members:
                db.run(NEW_GROUP_MEMBERS, members)

    def seat_in_group(self, session_id: int, participant_id: int, group_number: int) -> None:
        """Put a participant in a group, on its last seat (moving them out of any other)."""
        with self._db.transaction() as db:
            db.run(LOCK_SESSION, {"session": session_id})  # two latecomers never share a seat
            ((seat,),) = db.run(NEXT_SEAT, {"session": session_id, "group": group_number}).rows
            db.run(
                _seat(self._db.dialect),
                {"participant_id": participant_id, "session_id": session_id, "group_number": group_number,
                 "seat": seat},
            )  # fmt: skip
