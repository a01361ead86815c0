"""The follow-up's plain-Python core: check-ins as people fill them in, what a revisit step recalls, and the
leaders' view counted from people's records."""

import json

import pytest
from babel.support import Translations

from facilitator.edge.language import TRANSLATIONS_DIR
from protocols.coaching.caseload import summarise
from protocols.coaching.organisation_view import leaders_view_of
from protocols.errors import DomainError
from protocols.followup import (
    CheckIn,
    GoalRecord,
    ProgressRow,
    Recall,
    identifier_with_consent,
    parse_check_in,
    recall_view,
)
from protocols.language import Language
from protocols.leaders import PersonRecord, leaders_view_json
from protocols.loader import load_library
from protocols.session import AgendaItem, Session, SystemGoal

LIBRARY = load_library()
GOALS = (
    SystemGoal(11, "Readers by grade 3", organisation_goal_id=1),
    SystemGoal(12, "Feedback", organisation_goal_id=2),
)
ROW = {"step": "Daily paired reading", "level": 3}


def leaders_view(organisation, system_goals, people, closed=()):
    """The leaders' view of these people's records, as the routes count it: from each one's summary."""
    return leaders_view_of(organisation, system_goals, [summarise(person) for person in people], closed)


def revisit_day(position_step: str, *, with_goal_setting: bool = False) -> Session:
    items = [AgendaItem(1, LIBRARY["goal-setting"])] if with_goal_setting else []
    items.append(AgendaItem(2, LIBRARY["revisit-goals"]))
    session = Session(1, "ABCDEF", "Day two", "Riverside", GOALS, tuple(items), organisation_id=1, date="2026-11-20")
    position = next(s.index for s in session.steps if s.key == position_step)
    return Session(1, "ABCDEF", "Day two", "Riverside", GOALS, tuple(items), position=position, organisation_id=1,
                   date="2026-11-20")  # fmt: skip


def record(**overrides) -> GoalRecord:
    fields = dict(
        participant_id=5, session_id=9, session_title="Day one", day="2026-10-20", system_goal_id=3,
        organisation_goal_id=1, system_goal="Readers by grade 3", goal="90 words a minute by June",
        action_steps=(("Daily paired reading", "2026-11-01"),), action_step_lines=("Daily paired reading (by 1 Nov)",),
        obstacles=("Not enough time",), supports=("coaching",), supports_at=1_000.0, progress=(), progress_at=None,
    )  # fmt: skip
    return GoalRecord(**{**fields, **overrides})


def check_in(**overrides) -> CheckIn:
    fields = dict(progress=(ProgressRow("Daily paired reading", 4),), obstacles="time for conferences",
                  support=("release-time",), support_note="half a day", private_note="SECRET-NOTE", id=7,
                  person_id=1, participant_id=5, created_at=2_000.0)  # fmt: skip
    return CheckIn(**{**fields, **overrides})


def test_a_check_in_is_checked_field_by_field_with_a_clear_reason():
    draft = parse_check_in({"progress": [ROW], "evidence_link": "https://drive.example.org/x", "support": ["coaching"]})
    assert draft.progress == (ProgressRow("Daily paired reading", 3),) and draft.support == ("coaching",)
    refused = {
        "no rows": ({"progress": []}, "progress"),
        "a level off the scale": ({"progress": [{"step": "x", "level": 6}]}, "from 1 to 5"),
        "a level not given": ({"progress": [{"step": "x", "level": ""}]}, "from 1 to 5"),
        "a script link": ({"progress": [ROW], "evidence_link": "javascript:alert(1)"}, "https://"),
        "an unknown support": ({"progress": [ROW], "support": ["a-pony"]}, "options offered"),
    }
    for case, (data, reason) in refused.items():
        with pytest.raises(DomainError) as error:
            parse_check_in(data)
        assert reason in error.value.message, case


def test_an_identifier_needs_consent_and_is_kept_in_one_form():
    assert identifier_with_consent("  Ana@Riverside.ORG ", True) == "ana@riverside.org"
    assert identifier_with_consent("", False) == ""
    with pytest.raises(DomainError) as error:
        identifier_with_consent("ana@riverside.org", False)
    assert error.value.code == "needs_consent"


def test_a_returning_person_is_recalled_their_earlier_goal_in_today_s_goal_ids():
    shown = recall_view(revisit_day("2:system-goal"), {}, Recall(earlier=record(), check_ins=(check_in(),)))
    assert shown["status"] == "returning" and shown["goal"] == "90 words a minute by June"
    assert shown["system_goal_id"] == 11  # the day's copy of the organisation's goal 1
    assert shown["source"] == "Day one · 20 October 2026"
    assert shown["check_ins"][0]["progress"][0]["label"] == "Nearly there"
    assert "SECRET-NOTE" not in json.dumps(shown)  # a private note is for the plan page alone


def test_a_reminder_speaks_its_reader_s_language():
    spanish = Language("es", Translations.load(str(TRANSLATIONS_DIR), ["es"], domain="messages"))
    shown = recall_view(revisit_day("2:system-goal"), {}, Recall(earlier=record(), check_ins=(check_in(),)), spanish)
    assert shown["source"] == "Day one · 20 de octubre de 2026"
    assert shown["check_ins"][0]["progress"][0]["label"] == spanish.gettext("Nearly there") != "Nearly there"


def test_a_first_timer_and_an_unproven_identifier_recall_nothing():
    day = revisit_day("2:goal")
    assert recall_view(day, {}, Recall())["status"] == "first_time"
    hidden = recall_view(day, {}, Recall(hidden=True))
    assert hidden["status"] == "hidden" and hidden["goal"] == "" and hidden["check_ins"] == []
    # A goal written in this very protocol does not make a first-timer a returning person...
    assert recall_view(revisit_day("2:progress"), {"2:goal": "Greet every student"}, Recall())["status"] == (
        "first_time"
    )
    # ...a goal set earlier in the day, in goal setting, does.
    earlier_today = revisit_day("2:progress", with_goal_setting=True)
    shown = recall_view(earlier_today, {"1:goal": "Greet every student", "2:goal": "Greet by name"}, Recall())
    assert shown["status"] == "returning" and shown["goal"] == "Greet by name" and shown["source"] == "Earlier today"


def test_the_leaders_view_counts_latest_goals_progress_and_open_requests_and_never_a_private_note():
    ana = PersonRecord(1, "Ana", "ana@riverside.org", (record(),), (check_in(),))
    ben = PersonRecord(2, "Ben", "", (record(participant_id=6, organisation_goal_id=2, system_goal="Feedback",
                                             goal="Feedback in two days", supports=("materials",)),), ())  # fmt: skip
    cara = PersonRecord(3, "Cara", "", (record(participant_id=8, goal="", organisation_goal_id=None,
                                              supports=("coaching",)),), ())  # fmt: skip
    organisation_goals = (SystemGoal(1, "Readers"), SystemGoal(2, "Feedback"))
    view = leaders_view("Riverside", organisation_goals, [ana, ben, cara])
    by_id = {goal.organisation_goal_id: goal for goal in view.goals}
    assert (by_id[1].people, by_id[2].people, view.without_goal, view.people) == (1, 1, 1, 3)
    assert by_id[1].checked_in == 1 and by_id[1].latest_levels == ((4, 1),)
    # Ana's check-in is newer than her day-one answer: release time is what she needs now, with her note.
    assert [(r.name, r.support, r.note, r.where) for r in by_id[1].requests] == [
        ("Ana", "Release time", "half a day", "Check-in")
    ]
    assert [(r.name, r.support) for r in view.requests_without_goal] == [("Cara", "Coaching")]
    closed = leaders_view("Riverside", (SystemGoal(1, "Readers"),), [ana], closed=[by_id[1].requests[0].key])
    assert closed.requests == ()
    assert "SECRET" not in json.dumps(leaders_view_json(view))
