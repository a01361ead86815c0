"""A goal's measure drawn: in the plan PDF (with its values in words, and a rendered page looked at) and as the plan
page's inline SVG (XML, one mark per value, no style attribute, no script, its values in words for a screen reader)."""

import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import xml.etree.ElementTree as ElementTree
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect
from pypdf import PdfReader

from exports.measure_chart import PROJECTOR_FONT_SIZE, SVG_FONT_SIZE, SVG_SIZE, layout, measure_drawing, measure_svg
from exports.plan_pdf import build_plan_pdf
from facilitator.edge.language import available, language
from facilitator.store import DATABASE_FILE
from protocols.measure_progress import MeasureChart, measure_chart
from protocols.model import PlanField, Visibility
from protocols.plan import Plan, PlanItem
from protocols.session import SystemGoal
from tests.support.admin import admin_headers
from tests.support.browser import CONSOLE, PHONE, SCREENS_ENV, Screenshots, assert_accessible
from tests.support.coached_people import GOALS, SCREENS, day_in, written_day
from tests.support.followup import set_goal

SVG = "{http://www.w3.org/2000/svg}"
PRIVATE = "CANARY-private-note-with-a-result"
MEASURE = {
    "what": "Share of my class reading at grade level <& Year 4 >",
    "unit": "percent",
    "out_of": None,
    "baseline": {"value": 40, "date": "2026-12-01"},
    "target": {"value": 80, "date": "2027-06-01"},
}
RESULTS = [("2027-01-12", 48), ("2027-02-16", 55.5), ("2027-03-23", 64)]
IN_WORDS = [
    "Baseline: 40% on 1 December 2026.",
    "Result: 48% on 12 January 2027.",
    "Result: 55.5% on 16 February 2027.",
    "Result: 64% on 23 March 2027.",
    "Target: 80% by 1 June 2027.",
    "Moved toward the target: 60% of the way.",
]


@pytest.fixture
def chart() -> MeasureChart:
    return measure_chart(MEASURE, RESULTS)


def flat(text: str) -> str:
    return " ".join(text.split())


def a_plan() -> Plan:
    """A plan as its author reads it: a goal under a chosen system goal, action steps, a check-in date."""

    def item(step: str, field: PlanField, *lines: str) -> PlanItem:
        return PlanItem("Goal setting", step, f"{step}?", Visibility.FACILITATOR, field, lines)

    return Plan(
        participant="Zoë Ødegård", session_title="Spring PD day", organisation="Riverside District",
        date="15 March 2027", facilitator="Dr. Amara Okafor",
        system_goals=(SystemGoal(1, "Every student reads fluently by grade 3"), SystemGoal(2, "Belonging")),
        chosen_goal_ids=(1,),
        items=(item("Your goal", PlanField.GOAL, "Daily guided reading for my lowest readers"),
               item("Action steps", PlanField.ACTION_STEPS, "Group by reading level", "Track weekly fluency"),
               item("Check in", PlanField.CHECK_IN, "15 April 2027"),
               item("How you will measure it", PlanField.MEASURE, "Share of my class reading: 40% → 80%")),
        linked_goals=((1, "Daily guided reading for my lowest readers"),),
        check_in_url="http://pathways.test/c/token",
    )  # fmt: skip


def test_the_plan_pdf_shows_my_measure_with_every_value_in_words(tmp_path: Path, chart: MeasureChart):
    plan = a_plan()
    assert "My measure" not in flat(PdfReader(io.BytesIO(build_plan_pdf(plan))).pages[0].extract_text())
    pdf = build_plan_pdf(replace(plan, measure_chart=chart))
    pages = [flat(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]
    first = pages[0]
    assert "My measure" in first and "Share of my class reading at grade level <& Year 4 >" in first
    for sentence in IN_WORDS:
        assert sentence in first, sentence
    assert "Everything I answered today" in " ".join(pages)  # the rest of the plan still follows
    assert "How you will measure it (shared with the facilitator) · in “My measure” above" in " ".join(pages)

    # Page 1 rendered as a printer would, to look at: the chart's marks are there, in ink, where the text says.
    (tmp_path / "plan.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile", str(tmp_path / "plan.pdf"),
                    str(tmp_path / "plan-measure-chart")], check=True, timeout=60)  # fmt: skip
    image = tmp_path / "plan-measure-chart.png"
    assert image.stat().st_size > 20_000
    target = os.environ.get(SCREENS_ENV)
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(image, Path(target) / image.name)


def test_the_drawing_holds_a_mark_for_each_value_and_fits_its_box(chart: MeasureChart):
    drawing = measure_drawing(chart, 480, 160)
    assert (drawing.width, drawing.height) == (480, 160)
    marks = layout(chart, 480, 160)
    values = [role for _, _, role in marks.dots if not role.startswith("legend")]
    assert values == ["baseline", "result", "result", "result", "target"]
    assert len(marks.results_line) == 4  # from the baseline through each result
    for x, y, *_ in marks.texts:
        assert 0 <= x <= 480 and 0 <= y <= 160
    labels = {text for _, _, text, _, role in marks.texts if role in ("baseline", "result", "target")}
    assert labels == {"40%", "48%", "55.5%", "64%", "80%"}
    dates = [text for _, _, text, _, role in marks.texts if role == "date"]
    assert dates[:2] == ["1 Dec 2026", "1 Jun 2027"]
    ticks = [text for _, _, text, _, role in marks.texts if role == "tick"]
    assert ticks[0] == "40%" and ticks[-1] == "80%"


@pytest.mark.parametrize("font_size", [SVG_FONT_SIZE, PROJECTOR_FONT_SIZE], ids=["page", "projector"])
@pytest.mark.parametrize("code", available())
def test_every_word_of_the_chart_stays_inside_it_in_every_language(chart: MeasureChart, code: str, font_size: float):
    """The projector draws the chart's words larger in the same box: the legend, dates and values still fit."""
    width, height = SVG_SIZE
    marks = layout(chart, width, height, font_size, language(code))
    assert marks.font_size == font_size
    for x, y, text, anchor, _ in marks.texts:
        spread = marks.text_width(text)
        start = {"start": x, "middle": x - spread / 2, "end": x - spread}[anchor]
        assert start >= 0 and start + spread <= width, f"{text!r} runs from {start:.0f} to {start + spread:.0f}"
        assert y >= 0 and y + font_size <= height, f"{text!r} at {y:.0f}"


def test_the_svg_is_plain_markup_with_a_point_per_result_and_its_values_in_words(chart: MeasureChart):
    svg = measure_svg(chart)
    assert "style=" not in svg and "<script" not in svg.lower()
    assert "href" not in svg and "url(" not in svg  # nothing from outside the page
    root = ElementTree.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.get("aria-labelledby") == "measure-chart-title measure-chart-desc"
    assert root.find(f"{SVG}title").text == "My measure: Share of my class reading at grade level <& Year 4 >"
    assert root.find(f"{SVG}desc").text == " ".join(IN_WORDS)
    classes = [node.get("class") for node in root.iter()]
    assert classes.count("result-point") == 3
    assert classes.count("baseline-point") == 1 and classes.count("target-point") == 1
    line = root.find(f"{SVG}polyline[@class='results-line']")
    assert len(line.get("points").split()) == 4
    assert root.find(f"{SVG}line[@class='target-line']").get("stroke-dasharray")
    texts = {node.text for node in root.iter(f"{SVG}text")}
    assert {"40%", "48%", "55.5%", "64%", "80%", "Baseline", "Results", "Target"} <= texts


def test_the_svg_before_any_result_draws_baseline_and_target_alone():
    svg = measure_svg(measure_chart({**MEASURE, "unit": "rubric", "out_of": 4,
                                     "baseline": {"value": 2, "date": "2026-12-01"},
                                     "target": {"value": 3, "date": "2027-03-01"}}, []))  # fmt: skip
    root = ElementTree.fromstring(svg)
    classes = [node.get("class") for node in root.iter()]
    assert "result-point" not in classes and "results-line" not in classes
    assert "No result recorded yet." in root.find(f"{SVG}desc").text
    ticks = [node.text for node in root.iter(f"{SVG}text") if node.get("class") == "tick-label"]
    assert ticks == ["level 1 of 4", "level 2 of 4", "level 3 of 4", "level 4 of 4"]  # every level of the rubric


# The plan page, the leaders' view and the coach's view of a real server, in a real browser.

COACH = "Ms Diaz"
LIVE_RESULTS = [(-21, 48), (-14, 55.5), (-7, 64)]  # days from today, result


def measured_day(url: str, create_session, peers) -> dict:
    """Ana set a goal with a measure (40% thirty days ago, 80% in five months) on her phone over real sockets, then
    recorded three check-ins with results (re-dated a week apart), each with a private note; Ms Diaz coaches her."""
    made = requests.post(f"{url}/api/organisations", json={"name": "Riverside District", "system_goals": GOALS},
                         headers=admin_headers(), timeout=10)  # fmt: skip
    assert made.status_code == 201, made.text
    organisation = made.json()
    session = create_session(title="Autumn PD day", date=day_in(-30), organisation_id=organisation["id"],
                             system_goals=GOALS)  # fmt: skip
    console = peers(url, "/facilitator", code=session["code"], key=session["facilitator_key"]).connect()
    phone = peers(url, "/participant", code=session["code"], name="Ana Lima", identifier="ana@riverside.example",
                  consent=True)  # fmt: skip
    phone.connect()
    token = phone.wait_for("welcome")["token"]
    set_goal(console.call, phone.call, session["system_goals"][0]["id"], "Daily guided reading", ["Group by level"])
    measure = {**MEASURE, "baseline": {"value": 40, "date": day_in(-30)}, "target": {"value": 80, "date": day_in(150)}}
    assert console.call("goto", {"step_id": "1:measure"})["ok"]
    ack = phone.call("answer", {"step_id": "1:measure", "answer_id": "1:measure", "value": measure})
    assert ack["ok"], ack
    phone.disconnect()
    for _, result in LIVE_RESULTS:
        response = requests.post(f"{url}/p/{token}/check-ins", timeout=10, json={
            "progress": [{"step": "Group by level", "level": 3}], "result": result, "private_note": PRIVATE,
        })  # fmt: skip
        assert response.status_code == 201, response.text
    coach = requests.post(f"{url}/api/organisations/{organisation['id']}/coaches", headers=admin_headers(), timeout=10,
                          json={"name": COACH, "email": "diaz@riverside.example", "goal_ids": []}).json()  # fmt: skip
    leaders = {"X-Organisation-Key": organisation["key"]}
    follow_up = requests.get(f"{url}/api/follow-up", params={"organisation": organisation["id"]}, headers=leaders,
                             timeout=10).json()  # fmt: skip
    person_id = follow_up["coaching"]["people"][0]["person_id"]
    given = requests.post(f"{url}/api/follow-up/assignments", params={"organisation": organisation["id"]},
                          headers=leaders, json={"person_id": person_id, "coach_id": coach["id"]},
                          timeout=10)  # fmt: skip
    assert given.status_code == 200, given.text
    return {"organisation": organisation, "coach": coach, "token": token, "leaders": leaders}


def redate_check_ins(data_dir: Path) -> None:
    """The three check-ins as if recorded a week apart (a check-in is dated when it is kept: today)."""
    with sqlite3.connect(data_dir / DATABASE_FILE) as db:
        ids = [row[0] for row in db.execute("SELECT id FROM check_ins ORDER BY id")]
        for check_in_id, (days, _) in zip(ids, LIVE_RESULTS, strict=True):
            moment = datetime.fromisoformat(day_in(days)).replace(hour=12, tzinfo=UTC).timestamp()
            db.execute("UPDATE check_ins SET created_at = ? WHERE id = ?", (moment, check_in_id))


def test_three_check_ins_show_on_the_plan_page_the_pdf_and_to_leaders_and_the_coach(live_server, peers, contexts):
    day = measured_day(live_server.url, live_server.create_session, peers)
    redate_check_ins(live_server.data_dir)
    plan_url = f"{live_server.url}/p/{day['token']}/plan"
    results = [
        f"Result: {label} on {written_day(days)}"
        for (days, _), label in zip(LIVE_RESULTS, ("48%", "55.5%", "64%"), strict=True)
    ]

    pdf = requests.get(f"{plan_url}.pdf", timeout=30)
    assert pdf.status_code == 200
    text = flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages))
    assert f"Baseline: 40% on {written_day(-30)}." in text and f"Target: 80% by {written_day(150)}." in text
    for sentence in results:
        assert f"{sentence}." in text
    assert "Moved toward the target: 60% of the way." in text

    page = contexts(PHONE).new_page()
    page.goto(plan_url)
    section = page.get_by_test_id("plan-measure")
    expect(section.get_by_role("heading")).to_have_text("My measure")
    chart = section.get_by_role("img", name=re.compile("^My measure: Share of my class reading"))
    expect(chart).to_be_visible()
    expect(chart.locator("circle.result-point")).to_have_count(3)
    assert chart.bounding_box()["width"] > 300  # the chart spans the phone's column
    values = section.get_by_test_id("measure-values").get_by_role("listitem")
    expect(values).to_have_text(
        [f"Baseline: 40% on {written_day(-30)}", *results, f"Target: 80% by {written_day(150)}"]
    )
    expect(section.get_by_test_id("measure-progress")).to_have_text("Moved toward your target: 60% of the way.")
    section.scroll_into_view_if_needed()
    Screenshots(SCREENS).take(page, "plan-measure-390")

    follow_up = requests.get(f"{live_server.url}/api/follow-up", params={"organisation": day["organisation"]["id"]},
                             headers=day["leaders"], timeout=10).json()  # fmt: skip
    literacy = next(goal for goal in follow_up["coaching"]["system_goals"] if goal["title"] == GOALS[0]["title"])
    measures = literacy["measures"]
    assert (measures["goals"], measures["with_measure"], measures["moved"]) == (1, 1, 1)
    assert {row["band"]: row["count"] for row in measures["distribution"] if row["count"]} == {"50_75": 1}
    row = follow_up["coaching"]["people"][0]["measure"]
    assert [point["label"] for point in row["results"]] == ["48%", "55.5%", "64%"]
    assert PRIVATE not in json.dumps(follow_up)

    leaders = contexts(CONSOLE).new_page()
    organisation = day["organisation"]
    leaders_url = f"{live_server.url}/leaders#organisation={organisation['id']}&key={organisation['key']}"
    leaders.goto(leaders_url)
    numbers = leaders.get_by_test_id("measures-goal-1-numbers")
    expect(numbers).to_have_text("1 of 1 goal has a measure · 1 moved toward its target")
    expect(leaders.get_by_test_id("measures-goal-1-bands")).to_have_text(re.compile("1\\s*50–75% of the way"))
    assert PRIVATE not in leaders.content()
    leaders.get_by_test_id("measures").scroll_into_view_if_needed()
    Screenshots(SCREENS).take(leaders, "leaders-measures-1440x900")

    coach = contexts(CONSOLE).new_page()
    coach.goto(day["coach"]["coach_url"])
    line = coach.get_by_test_id("measure-line")
    expect(line).to_contain_text("Share of my class reading at grade level <& Year 4 >: 40% → 64%, target 80%")
    expect(line.get_by_test_id("measure-trend")).to_contain_text("moved toward the target")
    assert PRIVATE not in coach.content()

    # The pages above ran under the app's Content-Security-Policy (an inline style would have failed the test); axe
    # is an inline script that policy refuses, so it reads the same pages where the policy is set aside.
    audit = contexts(CONSOLE).new_page()
    pages = ((plan_url, "plan-measure", "the plan page"), (leaders_url, "measures", "the leaders' view"),
             (day["coach"]["coach_url"], "measure-line", "the coach's view"))  # fmt: skip
    for url, ready, what in pages:
        audit.goto(url)
        expect(audit.get_by_test_id(ready)).to_be_visible()
        assert_accessible(audit, f"{what} with a measure")
