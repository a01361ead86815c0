"""Forming groups, placing a latecomer and moving a person: read the room once, let protocols/groups decide, store."""

import random
from collections.abc import Collection, Mapping

from facilitator.store import Store
from protocols.errors import DomainError
from protocols.groups import (
    check_move,
    form_groups,
    grouping_key,
    parse_grouping,
    people_to_group,
    place_latecomer,
)
from protocols.model import GroupBy
from protocols.session import Participant, Session


def form(store: Store, session: Session, request: Mapping[str, object], connected: Collection[int]) -> tuple[int, int]:
    """Groups as the console asked for them; returns how many groups and how many people were placed."""
    settings = parse_grouping(session, request)
    present = people_to_group(store.participants(session.id), connected)
    answers = store.answers_by_participant(session.id) if settings.by is GroupBy.SYSTEM_GOAL else {}
    keys = {p.id: grouping_key(settings.by, p, answers.get(p.id, {}), session) for p in present}
    groups = form_groups(keys, settings.size, random.Random())
    store.save_groups(session.id, settings, groups)
    return len(groups), len(keys)


def move(store: Store, session: Session, participant_id: int, group: int) -> None:
    """Seat a person at another table (one past the last opens a new one)."""
    if participant_id not in store.participant_names(session.id):
        raise DomainError("unknown_participant", "There is no such participant in this session.")
    check_move(store.groups(session.id), group)
    store.seat_in_group(session.id, participant_id, group)


def seat_latecomer(store: Store, session: Session, participant: Participant) -> bool:
    """Once groups exist, someone who has none is placed the way the rest were; True if they were placed. Someone
    coming back to their seat costs a read of their own table."""
    if session.grouped is None or store.table_of(session.id, participant.id).groups:
        return False
    groups = store.groups(session.id)
    if not groups:
        return False
    by = session.grouped.by
    answers = store.answers_by_participant(session.id) if by is GroupBy.SYSTEM_GOAL else {}
    people = {p.id: p for p in store.participants(session.id)}
    keys = {pid: grouping_key(by, people[pid], answers.get(pid, {}), session) for pid in people}
    table = place_latecomer(groups, keys, keys[participant.id], session.grouped.size)
    store.seat_in_group(session.id, participant.id, table)
    return True
