"""Groups, rotating roles and agenda changes in the domain core, with no Flask."""

import random
from collections import Counter

import pytest

from protocols import groups, views
from protocols.errors import DomainError
from protocols.groups import (
    Seating,
    answers_step,
    form_groups,
    grouping_key,
    place_latecomer,
    role_in_step,
    roles_in_round,
    seats,
)
from protocols.loader import load_library
from protocols.model import GroupBy, Role
from protocols.session import LOBBY, AgendaItem, Participant, Session, SystemGoal
from tests.support.sockets import call, events

LIBRARY = load_library()
GOALS = (SystemGoal(1, "Literacy"), SystemGoal(2, "Feedback"))
TUNING_ROLES = LIBRARY["tuning"].roles


def session_with(*items: tuple[str, int], position: int = LOBBY) -> Session:
    agenda = tuple(AgendaItem(uid, LIBRARY[protocol_id], rounds) for uid, (protocol_id, rounds) in enumerate(items, 1))
    return Session(1, "ABCDEF", "Day", "", GOALS, agenda, position)


class TestForming:
    @pytest.mark.parametrize(("people", "size"), [(20, 6), (7, 6), (31, 4), (2, 5), (100, 8)])
    def test_everyone_is_placed_once_in_groups_near_the_chosen_size(self, people, size):
        groups = form_groups({pid: "" for pid in range(1, people + 1)}, size, random.Random(7))
        placed = [pid for group in groups for pid in group]
        assert sorted(placed) == list(range(1, people + 1))
        sizes = [len(group) for group in groups]
        assert max(sizes) - min(sizes) <= 1
        assert abs(sum(sizes) / len(sizes) - size) <= size / 2 or len(groups) == 1

    def test_people_with_the_same_key_sit_together(self):
        keys = {pid: ("grade-1" if pid <= 8 else "grade-5") for pid in range(1, 17)}
        for group in form_groups(keys, 4, random.Random(1)):
            assert len({keys[pid] for pid in group}) == 1

    def test_a_key_too_small_for_a_group_joins_others_rather_than_sitting_alone(self):
        keys = {pid: "big" for pid in range(1, 13)} | {99: "alone"}
        groups = form_groups(keys, 4, random.Random(3))
        assert all(len(group) > 1 for group in groups)
        assert any(99 in group for group in groups)

    def test_group_size_must_be_sensible(self):
        with pytest.raises(DomainError):
            form_groups({1: ""}, 1, random.Random())

    def test_latecomers_join_the_smallest_group_sharing_their_key(self):
        groups = {1: (1, 2, 3), 2: (4, 5), 3: (6, 7)}
        keys = {1: "a", 2: "a", 3: "a", 4: "b", 5: "b", 6: "a", 7: "a"}
        assert place_latecomer(groups, keys, "a", 4) == 3
        assert place_latecomer(groups, keys, "b", 4) == 2
        assert place_latecomer(groups, keys, "zzz", 4) == 2  # no match: the smallest group

    def test_grouping_keys_come_from_the_system_goal_or_the_join_answer(self):
        session = session_with(("goal-setting", 1))
        ana = Participant(1, 1, "Ana", join_answer="Grade 3")
        assert grouping_key(GroupBy.JOIN_ANSWER, ana, {}, session) == "Grade 3"
        assert grouping_key(GroupBy.SYSTEM_GOAL, ana, {"1:system-goal": 2}, session) == "2"
        assert grouping_key(GroupBy.SYSTEM_GOAL, ana, {}, session) == ""
        assert grouping_key(GroupBy.RANDOM, ana, {"1:system-goal": 2}, session) == ""


class TestRoles:
    def test_seats_deal_counted_roles_first_and_the_rest_to_the_open_role(self):
        assert [role.id for role in seats(TUNING_ROLES, 6)] == [
            "presenter", "facilitator", "timekeeper", "participant", "participant", "participant",
        ]  # fmt: skip

    @pytest.mark.parametrize("size", [6, 7, 10])
    def test_rotating_roles_let_each_member_present_exactly_once(self, size):
        members = list(range(100, 100 + size))
        presenters = []
        for round_number in range(1, size + 1):
            roles = roles_in_round(members, TUNING_ROLES, round_number, rotate=True)
            counts = Counter(role.id for role in roles.values())
            assert counts["presenter"] == counts["facilitator"] == counts["timekeeper"] == 1
            presenters.extend(m for m, role in roles.items() if role.id == "presenter")
        assert sorted(presenters) == members

    def test_without_rotation_roles_stay_put(self):
        roles = (Role("recorder", "Recorder", 1), Role("member", "Member", None))
        first = roles_in_round([1, 2, 3], roles, 1, rotate=False)
        assert first == roles_in_round([1, 2, 3], roles, 2, rotate=False)
        assert first[1].id == "recorder"

    def test_only_the_role_a_step_names_may_answer_it(self):
        session = session_with(("tuning", 2), position=1)  # round 1, "presentation" (who = presenter)
        seating = Seating({1: (10, 11, 12, 13, 14, 15)})
        presentation = session.current
        assert presentation.step.id == "presentation" and presentation.round == 1
        assert [m for m in range(10, 16) if answers_step(presentation, seating, m)] == [10]
        round_two = session.goto("1:presentation@2").current
        assert round_two.round == 2
        assert [m for m in range(10, 16) if answers_step(round_two, seating, m)] == [11]
        assert role_in_step(round_two, seating, 10).id == "participant"
        assert not answers_step(presentation, Seating(), 10)  # not in a group: no role
        examining = session.goto("1:examining").current  # everyone but the presenter, who listens in silence
        assert [m for m in range(10, 16) if answers_step(examining, seating, m)] == [11, 12, 13, 14, 15]

    def test_a_room_s_screens_deal_each_table_s_roles_once(self, monkeypatch):
        """A step change builds the console's board and every phone's own part from one picture: each table's
        roles are worked out once, not once per member asked about (which grew with the cube of a table)."""
        session = session_with(("tuning", 1), position=1)
        seating = Seating({n: tuple(range(10 * n, 10 * n + 6)) for n in range(1, 41)})  # 40 tables of 6
        names = {member: f"P{member}" for members in seating.groups.values() for member in members}
        picture = views.RoomPicture(session, names, (), seating, connected=len(names), now=0.0)
        dealt = []
        real = groups.roles_in_round
        monkeypatch.setattr(groups, "roles_in_round", lambda *args: dealt.append(args[0]) or real(*args))
        board = views.group_board(picture)
        phones = [views.personal_state(picture, member, {}) for member in names]
        assert sorted(dealt) == sorted(seating.groups.values())
        presenters = [p["group"]["members"][0]["role"]["id"] for p in phones if p["group"]["role"]["id"] == "presenter"]
        assert len(presenters) == 40 and {m["role"]["id"] for g in board for m in g["members"][:1]} == {"presenter"}


class TestAgendaChanges:
    def test_rounds_repeat_a_protocol_with_their_own_step_ids(self):
        session = session_with(("tuning", 3))
        keys = [agenda_step.key for agenda_step in session.steps]
        assert len(keys) == 27 and len(set(keys)) == 27
        assert keys[0] == "1:introduction" and keys[9] == "1:introduction@2" and keys[-1] == "1:debrief@3"

    def test_adding_a_protocol_during_the_day_keeps_every_existing_key(self):
        session = session_with(("goal-setting", 1), position=2)
        before = [s.key for s in session.steps]
        grown = session.with_item_added(LIBRARY["three-two-one"])
        assert [s.key for s in grown.steps][: len(before)] == before
        assert grown.steps[-1].key == "2:will-do"
        assert grown.current.key == session.current.key

    def test_what_is_ahead_can_be_reordered_skipped_and_given_rounds(self):
        session = session_with(("goal-setting", 1), ("tuning", 1), ("three-two-one", 1), position=0)
        reordered = session.with_item_moved(3, 1)
        assert [item.protocol.id for item in reordered.agenda] == ["goal-setting", "three-two-one", "tuning"]
        assert reordered.current.key == "1:system-goal"
        assert reordered.step_by_key("2:introduction") is not None  # the tuning item keeps its uid
        skipped = reordered.with_item_removed(2)
        assert [item.protocol.id for item in skipped.agenda] == ["goal-setting", "three-two-one"]
        assert len(session.with_rounds(2, 4).steps) == len(session.steps) + 3 * len(LIBRARY["tuning"].steps)

    def test_what_has_started_cannot_change(self):
        session = session_with(("goal-setting", 1), ("tuning", 1), position=0)
        for change in (
            lambda s: s.with_item_removed(1),
            lambda s: s.with_item_moved(1, 1),
            lambda s: s.with_item_moved(2, 0),  # nothing may move before the open protocol
            lambda s: s.with_rounds(1, 2),
        ):
            with pytest.raises(DomainError):
                change(session)
        with pytest.raises(DomainError, match="no agenda item"):
            session.with_item_removed(9)

    def test_lock_is_released_when_the_session_moves(self):
        session = session_with(("goal-setting", 1), position=0).with_lock(True)
        assert session.locked and not session.next().locked


def test_a_protocol_that_holds_answers_cannot_be_skipped_and_its_number_is_never_given_again(sio, create_session):
    created = create_session(agenda=["three-two-one", "one-two-four-all"])
    console = sio("/facilitator", code=created["code"], key=created["facilitator_key"])
    phone = sio("/participant", code=created["code"], name="Ana")
    assert call(console, "goto", "/facilitator", {"step_id": "2:alone"})["ok"]
    ack = call(phone, "answer", "/participant", {"step_id": "2:alone", "answer_id": "a", "value": "MY PRIVATE SECRET"})
    assert ack["ok"]
    assert call(console, "goto", "/facilitator", {"step_id": "1:learned"})["ok"]  # back to the first protocol
    refused = call(console, "agenda_remove", "/facilitator", {"item": 2})
    assert refused["ok"] is False and refused["code"] == "item_answered"
    added = call(console, "agenda_add", "/facilitator", {"protocol_id": "connect-extend-challenge"})
    assert added["ok"]
    items = events(console, "state", "/facilitator")[-1]["items"]
    assert [item["item"] for item in items] == [1, 2, 3]
    one_item = Session(0, "X", "t", "", (), (AgendaItem(1, LIBRARY["three-two-one"]),))
    assert one_item.with_item_added(LIBRARY["three-two-one"], answered={1, 7}).agenda[-1].uid == 8
