"""The coaching loop's storage behaves the same on SQLite and PostgreSQL: coaches and their keys, assignments,
support requests and their moves, threads, agreed versions, and forgetting a person."""

import threading

import pytest

from facilitator.store import Store
from protocols.coaching.coaches import AssignedHow, Assignment, CoachDraft
from protocols.coaching.requests import NewRequest, RequestState, RequestSync, move_request
from protocols.coaching.thread import AgreedVersion, Author, MessageDraft, MessageKind, SuggestionState
from protocols.errors import DomainError
from protocols.organisations import OrganisationDraft
from protocols.setup import GoalDraft


def organisation(store: Store) -> int:
    draft = OrganisationDraft("Riverside", (GoalDraft(None, "Literacy", ""),), ("head@r.org",))
    made, _ = store.create_organisation(draft)
    assert made.leader_emails == ("head@r.org",)
    return made.id


def test_a_coach_is_kept_with_a_key_only_they_hold_and_a_new_key_stops_the_old(store):
    org = organisation(store)
    coach, key = store.create_coach(org, CoachDraft("Ms Diaz", "diaz@r.org", (1,)))
    assert store.coach_by_key(coach.id, key) == coach and coach.goal_ids == (1,)
    fresh = store.new_coach_key(org, coach.id)
    for wrong in (key, "", coach.name):
        with pytest.raises(DomainError) as refused:
            store.coach_by_key(coach.id, wrong)
        assert refused.value.code == "bad_key"
    assert store.coach_by_key(coach.id, fresh).name == "Ms Diaz"
    edited = store.update_coach(org, coach.id, CoachDraft("Ms R. Diaz", "", ()))
    assert (edited.name, edited.email, edited.goal_ids) == ("Ms R. Diaz", "", ())


def test_requests_move_forward_follow_their_person_to_a_new_coach_and_lose_their_owner_with_a_removed_coach(store):
    org = organisation(store)
    diaz, _ = store.create_coach(org, CoachDraft("Ms Diaz", "", ()))
    okafor, _ = store.create_coach(org, CoachDraft("Mr Okafor", "", ()))
    sync = RequestSync(
        new=(NewRequest(7, "7-c1-coaching", "coaching", "An hour", 100.0, "Check-in", diaz.id),
             NewRequest(7, "7-c1-coaching", "coaching", "", 100.0, "Check-in", diaz.id)),  # the same, once
        assign=(Assignment(7, diaz.id, AssignedHow.AUTO, 100.0),),
    )  # fmt: skip
    store.apply_request_sync(org, sync, 100.0)
    (kept,) = store.requests(org)
    assert (kept.person_id, kept.coach_id, kept.state, kept.note) == (7, diaz.id, RequestState.OPEN, "An hour")
    store.update_request(org, kept.id, move_request(kept, {"state": "meeting_planned", "meeting_day": "2027-01-12",
                                                           "meeting_place": "Room 4"}, 200.0))  # fmt: skip
    (moved,) = store.requests(org)
    assert (moved.state, moved.meeting_day, moved.meeting_place, moved.acknowledged_at) == (
        RequestState.MEETING_PLANNED, "2027-01-12", "Room 4", 200.0)  # fmt: skip
    with pytest.raises(DomainError) as backwards:
        move_request(moved, {"state": "acknowledged"}, 300.0)
    assert backwards.value.code == "bad_transition"
    store.assign(org, [Assignment(7, okafor.id, AssignedHow.HAND, 300.0)])
    assert store.assignments(org)[7].coach_id == okafor.id and store.requests(org)[0].coach_id == okafor.id
    store.remove_coach(org, okafor.id)
    assert store.assignments(org) == {} and store.requests(org)[0].coach_id is None


def test_a_suggestion_is_answered_once_and_an_accepted_one_is_a_version_and_forgetting_removes_it_all(store):
    org = organisation(store)
    diaz, _ = store.create_coach(org, CoachDraft("Ms Diaz", "", ()))
    draft = MessageDraft(Author.COACH, MessageKind.SUGGEST_GOAL, "Measurable?", {"goal": "95% accuracy by June"})
    suggestion = store.add_message(org, 7, draft, diaz.id)
    store.add_message(org, 8, MessageDraft(Author.PERSON, MessageKind.REPLY, "Thanks"), None)
    assert suggestion.state is SuggestionState.PENDING
    version = AgreedVersion("95% accuracy by June", (("Read daily", "2027-01-15"),), diaz.id, 500.0, True)
    store.answer_message(org, suggestion, SuggestionState.ACCEPTED, "", version)
    with pytest.raises(DomainError) as twice:
        store.answer_message(org, suggestion, SuggestionState.DECLINED, "No", None)
    assert twice.value.code == "already_answered"
    threads = store.messages(org)
    assert [m.state for m in threads[7]] == [SuggestionState.ACCEPTED] and threads[8][0].body == "Thanks"
    assert store.agreed_versions(org, [7]) == {7: [version]}
    store.assign(org, [Assignment(7, diaz.id, AssignedHow.HAND, 1.0)])
    store.forget_coaching([7])
    assert 7 not in store.messages(org) and store.agreed_versions(org, [7]) == {} and 7 not in store.assignments(org)
    assert 8 in store.messages(org)  # someone else's thread stays


def test_a_coach_given_by_hand_while_a_pass_was_deciding_is_kept_and_two_passes_at_once_both_succeed(store):
    org = organisation(store)
    diaz, _ = store.create_coach(org, CoachDraft("Ms Diaz", "", ()))
    okafor, _ = store.create_coach(org, CoachDraft("Mr Okafor", "", ()))
    decided = RequestSync(
        new=(NewRequest(7, "7-c1-coaching", "coaching", "", 100.0, "Check-in", diaz.id),),
        assign=(Assignment(7, diaz.id, AssignedHow.AUTO, 100.0),),
    )
    store.assign(org, [Assignment(7, okafor.id, AssignedHow.HAND, 101.0)])  # a leader, meanwhile
    store.apply_request_sync(org, decided, 102.0)
    assert store.assignments(org)[7].how is AssignedHow.HAND and store.requests(org)[0].coach_id == okafor.id

    others = [RequestSync(new=(NewRequest(p, f"{p}-c1-coaching", "coaching", "", 1.0, "Check-in", diaz.id),),
                          assign=(Assignment(p, diaz.id, AssignedHow.AUTO, 1.0),)) for p in range(20, 40)]  # fmt: skip
    failures: list[BaseException] = []

    def apply_all() -> None:
        try:
            for sync in others:
                store.apply_request_sync(org, sync, 103.0)
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=apply_all) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == [] and len(store.requests(org)) == 21 and len(store.assignments(org)) == 21


def test_someone_left_without_a_coach_takes_their_open_requests_away_from_the_former_coach(store):
    org = organisation(store)
    diaz, _ = store.create_coach(org, CoachDraft("Ms Diaz", "", ()))
    store.apply_request_sync(org, RequestSync(
        new=(NewRequest(7, "7-c1-coaching", "coaching", "", 1.0, "Check-in", diaz.id),),
        assign=(Assignment(7, diaz.id, AssignedHow.AUTO, 1.0),)), 1.0)  # fmt: skip
    store.assign(org, [], unassign=[7])
    assert store.assignments(org) == {} and store.requests(org)[0].coach_id is None
