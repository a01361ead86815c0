"""The coaching loop's rules as plain data: coaches taking turns, requests made once with an owner, a goal's
versions and agreement, who is silent, and which reminders are due, each under a key that names it for ever."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from protocols.coaching.caseload import is_silent
from protocols.coaching.coaches import Coach, next_in_turn, parse_coach
from protocols.coaching.reminders import OrganisationFollowUp, ReminderKind, due_reminders
from protocols.coaching.requests import Request, RequestState, sync_requests
from protocols.coaching.thread import AgreedVersion, Author, current_goal, parse_message
from protocols.errors import DomainError
from protocols.followup import CheckIn, GoalRecord
from protocols.leaders import PersonRecord, SupportRequest
from protocols.organisations import parse_organisation

DIAZ, OKAFOR = Coach(1, 1, "Ms Diaz", "diaz@r.org", (10,)), Coach(2, 1, "Mr Okafor", "okafor@r.org", (10, 20))
DAY = 86400.0


def moment(iso: str) -> float:
    return datetime.fromisoformat(iso).replace(tzinfo=UTC).timestamp()


def record(goal: str = "Read more", *, check_in_day: str = "", check_in_at: float | None = None, at: float = 0.0):
    return GoalRecord(1, 1, "PD day", "2026-11-02", 5, 10, "Literacy", goal, (("Read daily", "2026-12-01"),),
                      ("Read daily",), (), (), None, (), None, at, check_in_day, check_in_at)  # fmt: skip


def person(person_id: int, name: str, *records: GoalRecord, check_ins=(), identifier: str = "") -> PersonRecord:
    return PersonRecord(person_id, name, identifier, records, tuple(check_ins))


def stated(person_id: int, key: str, goal: int | None = 10) -> SupportRequest:
    return SupportRequest(key, person_id, "", "", "", "", "Coaching", "", "2026-12-01", "Check-in", "coaching",
                          float(person_id), goal)  # fmt: skip


def test_coaches_of_a_goal_take_turns_and_a_goal_with_none_of_its_own_goes_to_any():
    assert [next_in_turn([DIAZ, OKAFOR], 10, last).name for last in ({}, {1: 5.0}, {1: 5.0, 2: 6.0})] == [
        "Ms Diaz", "Mr Okafor", "Ms Diaz"]  # fmt: skip
    assert next_in_turn([DIAZ, OKAFOR], 20, {}).name == "Mr Okafor"
    assert next_in_turn([DIAZ], 99, {}).name == "Ms Diaz"  # nobody named for it: support still has an owner
    assert next_in_turn([], 10, {}) is None


def test_requests_are_made_once_in_turn_and_an_open_one_no_longer_asked_for_is_closed():
    sync = sync_requests([stated(1, "1-a"), stated(2, "2-a"), stated(3, "3-a", 20)], [], [DIAZ, OKAFOR], {}, (), 9.0)
    assert [(r.person_id, r.coach_id) for r in sync.new] == [(1, 1), (2, 2), (3, 2)]
    assert {a.person_id: a.coach_id for a in sync.assign} == {1: 1, 2: 2, 3: 2}
    kept = [Request(5, 1, "1-old", "coaching", "", 1.0, "Check-in", 1, RequestState.OPEN),
            Request(6, 1, "1-older", "coaching", "", 0.5, "Check-in", 1, RequestState.ACKNOWLEDGED)]  # fmt: skip
    again = sync_requests([stated(1, "1-old")], kept, [DIAZ], {}, (), 9.0)
    assert again.new == () and again.no_longer_asked == ()
    again = sync_requests([stated(1, "1-asked-again")], kept, [DIAZ], {}, (), 9.0)  # coaching again, at a check-in
    assert again.new == () and again.no_longer_asked == ()  # the open request stands, with its age
    kept = [replace(kept[0], support="materials"), replace(kept[1], support="training")]
    later = sync_requests([stated(1, "1-new")], kept, [DIAZ], {}, ("1-new",), 9.0)
    assert later.no_longer_asked == (5,)  # open and not asked any more; the acknowledged one stays with its coach
    assert later.new[0].state is RequestState.CLOSED  # a leader closed it when requests were only a list


def test_a_goal_is_agreed_only_in_its_current_version_and_its_history_is_kept():
    first = record("Read more", at=moment("2026-11-02T10:00"))
    names = {1: "Ms Diaz"}
    assert not current_goal([first], [], names).agreed
    reworded = AgreedVersion(
        "Read 20 minutes a day", (("Read daily", "2026-12-01"),), 1, moment("2026-12-05T09:00"), True
    )
    now = current_goal([first], [reworded], names)
    assert now.agreed and now.goal == "Read 20 minutes a day"
    assert [v.goal for v in now.history] == ["Read more", "Read 20 minutes a day"]
    revisited = record("Read 30 minutes a day", at=moment("2027-01-10T10:00"))  # the next day, their own wording
    assert not current_goal([first, revisited], [reworded], names).agreed
    with pytest.raises(DomainError) as no_step:
        parse_message({"kind": "suggest_step", "step": 3, "text": "x"}, Author.COACH, now, [])
    assert no_step.value.code == "bad_message"
    with pytest.raises(DomainError) as only_replies:
        parse_message({"kind": "suggest_goal", "goal": "x"}, Author.PERSON, now, [])
    assert only_replies.value.code == "bad_message"
    with pytest.raises(DomainError) as bad_email:
        parse_coach({"name": "A", "email": "not an address"}, [10])
    assert bad_email.value.code == "bad_email"


def test_silent_is_past_the_check_in_date_with_no_check_in_since_it_was_chosen():
    chosen = moment("2026-11-02T10:00")
    quiet = person(1, "Dan", record(check_in_day="2026-12-01", check_in_at=chosen))
    today = datetime(2026, 12, 6, tzinfo=UTC).date()
    assert is_silent(quiet, today)
    checked = CheckIn(progress=(), id=1, person_id=1, created_at=moment("2026-11-20T10:00"))
    assert not is_silent(person(1, "Dan", *quiet.goals, check_ins=[checked]), today)
    assert not is_silent(quiet, datetime(2026, 12, 1, tzinfo=UTC).date())  # on the day itself: not yet


def test_reminders_are_due_in_their_window_each_under_a_key_that_never_changes():
    chosen = moment("2026-11-02T10:00")
    dan = person(1, "Dan", record(check_in_day="2026-12-05", check_in_at=chosen), identifier="dan@r.org")
    staff_id = person(2, "Eve", record(check_in_day="2026-12-09", check_in_at=chosen), identifier="E1234")
    follow_up = OrganisationFollowUp(1, "Riverside", [dan, staff_id], [OKAFOR], {1: 2, 2: 2}, [], {}, ["head@r.org"])
    due = due_reminders(follow_up, moment("2026-12-07T08:00"))  # a Monday, two days after Dan's date
    keys = {r.key: r for r in due}
    assert keys["check_in_due:1:2026-12-05"].address == "dan@r.org"
    assert keys["silent:1:2026-12-05"].address == "okafor@r.org" and keys["silent:1:2026-12-05"].about_person == 1
    assert keys["check_in_soon:2:2026-12-09"].address == ""  # a staff id is no address: shown in the app only
    digests = [r for r in due if r.kind is ReminderKind.DIGEST]
    assert {r.address for r in digests} == {"okafor@r.org", "head@r.org"}
    assert all("1 past their check-in date" in r.body and "Dan" not in r.body for r in digests)  # counts, no names
    assert {r.key for r in due_reminders(follow_up, moment("2026-12-07T20:00"))} == set(keys)  # same keys
    late = due_reminders(follow_up, moment("2026-12-20T08:00"))
    assert "check_in_due:1:2026-12-05" not in {r.key for r in late}  # a week on, the person is not nagged


def test_an_organisation_s_days_are_its_own_time_zone_s():
    dan = person(1, "Dan", record(check_in_day="2026-12-05", check_in_at=moment("2026-11-02T10:00")),
                 identifier="dan@r.org")  # fmt: skip
    evening_in_chicago = moment("2026-12-06T03:00")  # 9 pm on the 5th in Chicago, already the 6th in UTC
    for timezone, silent in (("UTC", True), ("America/Chicago", False)):
        follow_up = OrganisationFollowUp(1, "Riverside", [dan], [OKAFOR], {1: 2}, [], {}, timezone=timezone)
        keys = {r.key for r in due_reminders(follow_up, evening_in_chicago)}
        assert ("silent:1:2026-12-05" in keys) is silent, timezone  # on the day itself, nobody is silent yet
        assert "check_in_due:1:2026-12-05" in keys
    with pytest.raises(DomainError) as unknown:
        parse_organisation({"name": "R", "system_goals": [{"title": "G"}], "timezone": "Mars/Olympus"})
    assert unknown.value.code == "bad_timezone"
    assert (
        parse_organisation({"name": "R", "system_goals": [{"title": "G"}], "timezone": "America/Chicago"}).timezone
        == "America/Chicago"
    )
