"""A goal's measure as data: every rule a measure and a check-in's result are checked by, each with the message a
person reads, and how a measure reads in a plan, a check-in and a revisit."""

import pytest

from protocols.aggregates import aggregate
from protocols.answers import validate_answer
from protocols.errors import DomainError
from protocols.followup import (
    CheckIn,
    GoalRecord,
    OwnFollowUp,
    ProgressRow,
    Recall,
    check_in_form,
    check_in_view,
    current_measure,
    goal_record,
    parse_check_in,
    recall_view,
)
from protocols.loader import load_library
from protocols.measures import check_result, measure_line, parse_measure, unit_label
from protocols.model import PlanField, StepKind
from protocols.plan import build_plan
from protocols.session import AgendaItem, Answer, Session, SystemGoal
from protocols.visibility import Audience

LIBRARY = load_library()
GOALS = (SystemGoal(11, "Readers by grade 3", organisation_goal_id=1),)
READING = {
    "what": "Share of my class reading at grade level",
    "unit": "percent",
    "out_of": None,
    "baseline": {"value": 40, "date": "2026-12-01"},
    "target": {"value": 80, "date": "2027-06-01"},
}
RUBRIC = {
    "what": "Average rubric score on argument writing",
    "unit": "rubric",
    "out_of": 4,
    "baseline": {"value": 2, "date": "2026-11-01"},
    "target": {"value": 3, "date": "2027-03-01"},
}
ROW = {"step": "Daily paired reading", "level": 3}


def measure(**changes) -> dict:
    return {**READING, **changes}


def refusal(value) -> str:
    with pytest.raises(DomainError) as raised:
        parse_measure(value)
    assert raised.value.code == "bad_measure"
    return raised.value.message


def test_a_measure_is_kept_in_one_normal_form():
    baseline, target = {"value": 40.04, "date": "2026-12-01"}, {"value": 80.0, "date": "2027-06-01"}
    typed = measure(what="  Share of my class reading at grade level\u202e ", extra=1, baseline=baseline, target=target)
    assert parse_measure(typed) == {**READING, "baseline": {"value": 40, "date": "2026-12-01"}}
    assert parse_measure(measure(baseline={"value": 33.35, "date": "2026-12-01"}))["baseline"]["value"] == 33.4
    assert parse_measure(RUBRIC) == RUBRIC
    score = {**RUBRIC, "unit": "score", "out_of": 20.0, "baseline": {"value": 11.255, "date": "2026-11-01"},
             "target": {"value": 16, "date": "2027-03-01"}}  # fmt: skip
    kept = parse_measure(score)
    assert kept["out_of"] == 20 and isinstance(kept["out_of"], int) and kept["baseline"]["value"] == 11.26
    count = {**READING, "unit": "count", "baseline": {"value": 3.0, "date": "2026-12-01"},
             "target": {"value": 1_000_000, "date": "2027-06-01"}}  # fmt: skip
    assert parse_measure(count)["baseline"] == {"value": 3, "date": "2026-12-01"}
    descending = measure(baseline={"value": 30, "date": "2026-12-01"}, target={"value": 10, "date": "2027-06-01"})
    assert parse_measure(descending)["target"]["value"] == 10  # fewer late arrivals: a target below its baseline


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("40% to 80%", "A measure needs what you will look at, its unit, a baseline and a target."),
        (measure(what="   "), "What you will measure is empty."),
        (measure(what=7), "What you will measure must be text."),
        (measure(what="x" * 201), "What you will measure is 201 characters; the limit is 200."),
        (measure(unit="percentage"), "The unit must be one of percent, count, score or rubric."),
        (measure(unit=None), "The unit must be one of percent, count, score or rubric."),
        (measure(out_of=100), "Only a score or a rubric has an 'out of'; leave it empty for a percent or a count."),
        ({**RUBRIC, "unit": "score", "out_of": None}, "A score needs its maximum: a whole number from 1 to 1000."),
        ({**RUBRIC, "unit": "score", "out_of": 1001}, "A score needs its maximum: a whole number from 1 to 1000."),
        ({**RUBRIC, "unit": "score", "out_of": 0}, "A score needs its maximum: a whole number from 1 to 1000."),
        ({**RUBRIC, "out_of": 1}, "A rubric needs its number of levels: a whole number from 2 to 10."),
        ({**RUBRIC, "out_of": 11}, "A rubric needs its number of levels: a whole number from 2 to 10."),
        ({**RUBRIC, "out_of": 3.5}, "A rubric needs its number of levels: a whole number from 2 to 10."),
        ({**RUBRIC, "out_of": True}, "A rubric needs its number of levels: a whole number from 2 to 10."),
        (measure(baseline=None), "The baseline needs a value and a date."),
        (measure(target=[80, "2027-06-01"]), "The target needs a value and a date."),
        (measure(baseline={"value": "40", "date": "2026-12-01"}), "The baseline must be a number."),
        (measure(baseline={"value": True, "date": "2026-12-01"}), "The baseline must be a number."),
        (measure(baseline={"value": float("nan"), "date": "2026-12-01"}), "The baseline must be a number."),
        (measure(baseline={"value": -1, "date": "2026-12-01"}), "The baseline: a percent is between 0 and 100."),
        (measure(target={"value": 100.5, "date": "2027-06-01"}), "The target: a percent is between 0 and 100."),
        ({**READING, "unit": "count", "baseline": {"value": 2.5, "date": "2026-12-01"}},
         "The baseline: a count is a whole number from 0 to 1,000,000."),
        ({**READING, "unit": "count", "target": {"value": 1_000_001, "date": "2027-06-01"}},
         "The target: a count is a whole number from 0 to 1,000,000."),
        ({**READING, "unit": "count", "target": {"value": 10**400, "date": "2027-06-01"}},
         "The target: a count is a whole number from 0 to 1,000,000."),
        ({**RUBRIC, "unit": "score", "out_of": 20, "target": {"value": 21, "date": "2027-03-01"}},
         "The target: a score is between 0 and 20."),
        ({**RUBRIC, "baseline": {"value": 0, "date": "2026-11-01"}},
         "The baseline: a rubric level is a whole number from 1 to 4."),
        ({**RUBRIC, "target": {"value": 2.5, "date": "2027-03-01"}},
         "The target: a rubric level is a whole number from 1 to 4."),
        (measure(baseline={"value": 40, "date": "1 Dec 2026"}),
         "The baseline's date must be a day written as YYYY-MM-DD."),
        (measure(target={"value": 80}), "The target's date must be a day written as YYYY-MM-DD."),
        (measure(target={"value": 40, "date": "2027-06-01"}), "The target must differ from the baseline."),
        (measure(target={"value": 80, "date": "2026-12-01"}), "The target's date must be after the baseline's."),
        (measure(target={"value": 80, "date": "2026-11-30"}), "The target's date must be after the baseline's."),
    ],
)  # fmt: skip
def test_a_measure_that_breaks_a_rule_is_refused_naming_the_field(value, message):
    assert refusal(value) == message


def test_a_result_is_a_number_in_the_measure_s_unit_and_range():
    assert check_result(READING, 55) == 55.0 and isinstance(check_result(READING, 55), float)
    assert check_result(READING, 55.56) == 55.6 and check_result(READING, 0) == 0.0
    assert check_result(RUBRIC, 4.0) == 4.0
    for measured, value, message in [
        (READING, 101, "The result: a percent is between 0 and 100."),
        (READING, "55", "The result must be a number."),
        (RUBRIC, 5, "The result: a rubric level is a whole number from 1 to 4."),
        ({**READING, "unit": "count"}, -1, "The result: a count is a whole number from 0 to 1,000,000."),
    ]:
        with pytest.raises(DomainError) as raised:
            check_result(measured, value)
        assert (raised.value.code, raised.value.message) == ("bad_measure", message)


def test_a_measure_reads_as_a_line_in_its_unit():
    assert measure_line(READING) == (
        "Share of my class reading at grade level: 40% on 1 December 2026 → 80% by 1 June 2027"
    )
    assert measure_line(RUBRIC) == (
        "Average rubric score on argument writing: level 2 of 4 on 1 November 2026 → level 3 of 4 by 1 March 2027"
    )
    score = {**RUBRIC, "unit": "score", "out_of": 20}
    assert [unit_label(score, 14.5), unit_label({**READING, "unit": "count"}, 1200), unit_label(READING, 55.5)] == [
        "14.5 / 20", "1,200", "55.5%"
    ]  # fmt: skip


def test_a_check_in_records_a_result_of_the_current_measure_only():
    draft = parse_check_in({"progress": [ROW], "result": 55}, READING)
    assert draft.result == 55.0
    assert parse_check_in({"progress": [ROW], "result": ""}, READING).result is None
    assert parse_check_in({"progress": [ROW]}).result is None
    for data, measured, message in [
        ({"progress": [ROW], "result": 55}, None, "Add a measure to your goal first."),
        ({"progress": [ROW], "result": 120}, READING, "The result: a percent is between 0 and 100."),
        ({"progress": [ROW], "result": "lots"}, READING, "The result must be a number."),
    ]:
        with pytest.raises(DomainError) as raised:
            parse_check_in(data, measured)
        assert (raised.value.code, raised.value.message) == ("bad_measure", message)


class Form(dict):
    def getlist(self, key):
        return []


def test_the_form_s_result_field_is_read_as_a_number_or_kept_as_typed():
    form = Form({"progress-1-step": "Daily paired reading", "progress-1-level": "3", "result": " 55.5 "})
    assert check_in_form(form)["result"] == 55.5
    assert check_in_form(Form(form, result="60"))["result"] == 60
    assert check_in_form(Form(form, result="sixty"))["result"] == "sixty"  # refused by the check, shown as typed
    assert check_in_form(Form(form, result=""))["result"] == ""


def test_a_check_in_shows_its_result_in_the_measure_s_unit():
    kept = CheckIn(progress=(ProgressRow("Daily paired reading", 4),), result=55.0, created_at=2_000.0)
    view = check_in_view(kept, measure=READING)
    assert view["result"] == 55.0 and view["result_line"] == "Result: 55%"
    assert check_in_view(kept, measure=RUBRIC)["result_line"] == "Result: level 55 of 4"
    assert check_in_view(kept)["result_line"] == "Result: 55"
    assert (
        check_in_view(CheckIn(progress=()))["result_line"] == ""
        and check_in_view(CheckIn(progress=()))["result"] is None
    )


def goal_setting_day(**answers) -> tuple[Session, dict]:
    session = Session(1, "ABCDEF", "Day one", "Riverside", GOALS, (AgendaItem(1, LIBRARY["goal-setting"]),),
                      organisation_id=1, date="2026-10-20")  # fmt: skip
    return session, {f"1:{step}": value for step, value in answers.items()}


def test_goal_setting_asks_for_a_measure_after_the_goal_and_the_plan_reads_it():
    steps = {step.id: step for step in LIBRARY["goal-setting"].steps}
    ids = [step.id for step in LIBRARY["goal-setting"].steps]
    assert ids.index("measure") == ids.index("goal") + 1
    step = steps["measure"]
    assert (step.kind, step.plan_field, step.visibility.value, step.minutes) == (
        StepKind.MEASURE, PlanField.MEASURE, "facilitator", 4
    )  # fmt: skip
    assert "share of my class reading at grade level" in step.notes
    assert "average rubric score on argument writing" in step.notes
    assert validate_answer(step, {**READING, "extra": 1}, GOALS) == READING
    session, answers = goal_setting_day(goal="Readers by June", measure=READING)
    plan = build_plan(session, "Ana", answers, reader=Audience.FACILITATOR)
    assert plan.field(PlanField.MEASURE) == (measure_line(READING),)
    record = goal_record(session, 5, answers, {}, reader=Audience.FACILITATOR)
    assert record.measure == READING
    assert goal_record(session, 5, {"1:goal": "x"}, {}, reader=Audience.FACILITATOR).measure is None


def test_the_newest_goal_with_a_measure_is_what_check_ins_record():
    def record(session_id: int, measured) -> GoalRecord:
        return GoalRecord(5, session_id, "Day", "2026-10-20", None, None, "", "Goal", (), (), (), (), None, (), None,
                          measure=measured)  # fmt: skip

    assert current_measure(OwnFollowUp((record(2, None), record(1, READING)), ())) == READING
    assert current_measure(OwnFollowUp((record(2, RUBRIC), record(1, READING)), ())) == RUBRIC
    assert current_measure(OwnFollowUp((record(1, None),), ())) is None


def test_a_revisit_recalls_the_earlier_measure_to_prefill_it():
    items = (AgendaItem(2, LIBRARY["revisit-goals"]),)
    first = Session(1, "ABCDEF", "Day two", "Riverside", GOALS, items, organisation_id=1, date="2026-11-20")
    position = next(s.index for s in first.steps if s.key == "2:measure")
    session = Session(1, "ABCDEF", "Day two", "Riverside", GOALS, items, position=position, organisation_id=1,
                      date="2026-11-20")  # fmt: skip
    assert session.current.step.recall and session.current.step.kind is StepKind.MEASURE
    earlier_day, earlier_answers = goal_setting_day(goal="Readers by June", measure=READING)
    earlier = goal_record(earlier_day, 5, earlier_answers, {}, reader=Audience.AUTHOR)
    kept = CheckIn(progress=(ProgressRow("Daily paired reading", 4),), result=55.0, created_at=2_000.0)
    view = recall_view(session, {}, Recall(earlier=earlier, check_ins=(kept,)))
    assert view["status"] == "returning" and view["measure"] == READING
    assert view["check_ins"][0]["result_line"] == "Result: 55%"
    changed = {**READING, "target": {"value": 90, "date": "2027-06-01"}}
    assert recall_view(session, {"2:measure": changed}, Recall(earlier=earlier))["measure"] == changed  # today's
    assert recall_view(session, {}, Recall())["measure"] is None


def test_the_projector_counts_measures_by_unit_and_never_shows_one():
    session, _ = goal_setting_day()
    agenda_step = next(s for s in session.steps if s.step.id == "measure")  # by id: the library may be read again
    answers = [
        Answer(n, agenda_step.key, f"a{n}", value, float(n)) for n, value in enumerate((READING, RUBRIC, READING))
    ]
    summed = aggregate(session, agenda_step, answers, {0: "Ana", 1: "Ben", 2: "Cara"})
    assert summed["type"] == "bars"
    assert [(bar["label"], bar["count"]) for bar in summed["bars"]] == [
        ("Percent", 2), ("Count", 0), ("Score", 0), ("Rubric level", 1)
    ]  # fmt: skip
    shown = str(summed)
    assert "reading" not in shown and "Ana" not in shown and "80" not in shown
