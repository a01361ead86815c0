"""How far a measure has come: the chart's values from a measure and its results, each value in its unit, moving
toward a target above or below the baseline, and the counts leaders and coaches read per system goal."""

from datetime import UTC, date, datetime

import pytest

from protocols.coaching.caseload import PersonThread, caseload_row
from protocols.coaching.overview import coaching_overview
from protocols.coaching.thread import CurrentGoal
from protocols.followup import CheckIn, GoalRecord
from protocols.leaders import PersonRecord
from protocols.measure_progress import check_in_results, measure_chart, measure_row, measure_summary, person_chart
from protocols.organisations import OrganisationGoal

PRIVATE = "PRIVATE-CANARY-do-not-show"


def measure(unit="percent", baseline=40, target=80, out_of=None, baseline_day="2026-12-01", target_day="2027-06-01"):
    return {
        "what": "Share of my class reading at grade level",
        "unit": unit,
        "out_of": out_of,
        "baseline": {"value": baseline, "date": baseline_day},
        "target": {"value": target, "date": target_day},
    }


THREE_RESULTS = [("2027-03-01", 62), ("2027-01-10", 48), ("2027-02-01", 55.5)]  # any order: the chart sorts them


def test_a_chart_holds_the_baseline_the_results_oldest_first_and_the_target():
    chart = measure_chart(measure(), THREE_RESULTS)
    assert chart.what == "Share of my class reading at grade level"
    assert chart.baseline == ("2026-12-01", 40.0)
    assert chart.results == (("2027-01-10", 48.0), ("2027-02-01", 55.5), ("2027-03-01", 62.0))
    assert chart.target == ("2027-06-01", 80.0)
    assert chart.latest == ("2027-03-01", 62.0)
    assert [kind for kind, _, _ in chart.points] == ["baseline", "result", "result", "result", "target"]
    assert chart.labelled_points[2] == ("result", "55.5%", "1 February 2027")


def test_results_dated_before_the_baseline_belong_to_an_earlier_measure_and_are_left_out():
    chart = measure_chart(measure(), [("2026-11-30", 10), ("2026-12-01", 42)])
    assert chart.results == (("2026-12-01", 42.0),)


@pytest.mark.parametrize(
    ("unit", "out_of", "value", "label"),
    [
        ("percent", None, 55, "55%"),
        ("percent", None, 55.5, "55.5%"),
        ("count", None, 12, "12"),
        ("count", None, 1200, "1,200"),
        ("score", 20, 14, "14 / 20"),
        ("score", 20, 14.25, "14.25 / 20"),
        ("rubric", 4, 3, "level 3 of 4"),
    ],
)
def test_each_value_reads_in_its_unit(unit, out_of, value, label):
    chart = measure_chart(measure(unit=unit, out_of=out_of, baseline=1, target=2), [])
    assert chart.unit_label(value) == label


def test_moving_up_toward_a_target_above_the_baseline():
    chart = measure_chart(measure(), THREE_RESULTS)
    assert chart.moved_toward_target
    assert chart.progress_share == pytest.approx(0.55)  # 40 → 62 of 40 → 80
    assert chart.band == "50_75"
    assert chart.in_words()[-1] == "Moved toward the target: 55% of the way."


def test_moving_down_toward_a_target_below_the_baseline():
    fewer_incidents = measure(unit="count", baseline=12, target=4)
    chart = measure_chart(fewer_incidents, [("2027-01-10", 10), ("2027-02-10", 9)])
    assert chart.moved_toward_target
    assert chart.progress_share == pytest.approx(3 / 8)
    assert chart.band == "25_50"
    went_up = measure_chart(fewer_incidents, [("2027-01-10", 14)])
    assert not went_up.moved_toward_target
    assert went_up.progress_share == 0.0
    assert went_up.band == "moved_back"


def test_no_change_and_no_result_are_not_a_move():
    unchanged = measure_chart(measure(), [("2027-01-10", 40)])
    assert not unchanged.moved_toward_target
    assert unchanged.band == "0_25"
    assert unchanged.in_words()[-1] == "Not moved toward the target yet."
    nothing = measure_chart(measure(), [])
    assert not nothing.moved_toward_target
    assert nothing.progress_share == 0.0
    assert nothing.band == "not_yet"
    assert nothing.in_words()[-1] == "No result recorded yet."


def test_reaching_or_passing_the_target_is_reached_and_the_share_stops_at_one():
    chart = measure_chart(measure(unit="count", baseline=3, target=10), [("2027-01-10", 14)])
    assert chart.moved_toward_target
    assert chart.progress_share == 1.0
    assert chart.band == "reached"


def test_a_rubric_chart_says_its_values_in_words():
    chart = measure_chart(measure(unit="rubric", out_of=4, baseline=2, target=3), [("2027-01-10", 3)])
    assert chart.in_words() == [
        "Baseline: level 2 of 4 on 1 December 2026.",
        "Result: level 3 of 4 on 10 January 2027.",
        "Target: level 3 of 4 by 1 June 2027.",
        "Moved toward the target: 100% of the way.",
    ]


def test_the_summary_counts_measures_moves_and_bands():
    people = [
        (measure(), [("2027-01-10", 80)]),  # reached
        (measure(), [("2027-01-10", 50)]),  # a quarter of the way: 25–50%
        (measure(), [("2027-01-10", 30)]),  # moved back
        (measure(unit="count", baseline=12, target=4), [("2027-01-10", 6)]),  # 75% of the way down
        (measure(), []),  # not yet measured again
        (None, []),  # a goal without a measure
        (None, [("2027-01-10", 50)]),  # results without a measure count for nothing
    ]
    summary = measure_summary(people)
    assert summary["goals"] == 7
    assert summary["with_measure"] == 5
    assert summary["moved"] == 3
    bands = {row["band"]: row["count"] for row in summary["distribution"]}
    assert bands == {"not_yet": 1, "moved_back": 1, "0_25": 0, "25_50": 1, "50_75": 0, "75_100": 1, "reached": 1}
    labels = [row["label"] for row in summary["distribution"]]
    assert labels == ["not yet measured again", "moved back", "0–25%", "25–50%", "50–75%", "75–100%", "reached"]
    assert measure_summary([])["with_measure"] == 0


def moment(iso_day: str) -> float:
    return datetime.combine(date.fromisoformat(iso_day), datetime.min.time(), UTC).timestamp() + 3600


def check_in(iso_day: str, result: float | None, note: str = PRIVATE) -> CheckIn:
    return CheckIn(progress=(), private_note=note, result=result, created_at=moment(iso_day), person_id=1)


def record(session_id: int, day: str, system_goal: str, measured: dict | None) -> GoalRecord:
    return GoalRecord(
        participant_id=session_id, session_id=session_id, session_title=f"Day {session_id}", day=day,
        system_goal_id=1, organisation_goal_id=1, system_goal=system_goal, goal="Read more", action_steps=(),
        action_step_lines=(), obstacles=(), supports=(), supports_at=None, progress=(), progress_at=None,
        measure=measured,
    )  # fmt: skip


def test_a_person_s_chart_is_their_newest_measure_with_their_check_ins_results():
    older, newer = measure(baseline=20, target=50), measure(baseline=40, target=80)
    records = [record(2, "2026-12-01", "Literacy", newer), record(1, "2026-09-01", "Literacy", older)]
    check_ins = [check_in("2027-02-01", 55), check_in("2027-01-10", None), check_in("2027-01-05", 48)]
    assert check_in_results(check_ins) == [("2027-01-05", 48.0), ("2027-02-01", 55.0)]
    chart = person_chart(records, check_ins)
    assert chart is not None and chart.baseline == ("2026-12-01", 40.0)
    assert chart.results == (("2027-01-05", 48.0), ("2027-02-01", 55.0))
    assert person_chart([record(1, "2026-09-01", "Literacy", None)], check_ins) is None


def test_caseload_rows_carry_the_measure_and_the_overview_counts_it_per_system_goal_with_no_private_note():
    def person(person_id: int, measured: dict | None, results: list[tuple[str, float]]) -> PersonRecord:
        return PersonRecord(
            person_id=person_id, name=f"Person {person_id}", identifier="",
            goals=(record(person_id, "2026-12-01", "Literacy", measured),),
            check_ins=tuple(check_in(day, value) for day, value in results),
        )  # fmt: skip

    people = [person(1, measure(), [("2027-01-10", 60)]), person(2, measure(), []), person(3, None, [])]
    held = PersonThread(goal=CurrentGoal("Read more", (), agreed_with=None, agreed_at=None, history=()))
    rows = [caseload_row(p, held, None, {}, date(2027, 2, 1)) for p in people]
    first = rows[0]["measure"]
    assert (first["what"], first["unit"], first["moved"], first["band"]) == (
        "Share of my class reading at grade level", "percent", True, "50_75")  # fmt: skip
    assert first["baseline"]["label"] == "40%" and first["target"]["label"] == "80%"
    assert first["latest"] == {"date": "2027-01-10", "value": 60.0, "label": "60%"}
    assert rows[1]["measure"]["latest"] is None and rows[2]["measure"] is None
    goals = [OrganisationGoal(id=1, title="Literacy")]
    overview = coaching_overview([], goals, rows, [], {})
    measures = overview["system_goals"][0]["measures"]
    assert (measures["goals"], measures["with_measure"], measures["moved"]) == (3, 2, 1)
    assert {row["band"]: row["count"] for row in measures["distribution"] if row["count"]} == {"not_yet": 1, "50_75": 1}
    assert PRIVATE not in repr(rows) and PRIVATE not in repr(overview)
    assert measure_row(None) is None
