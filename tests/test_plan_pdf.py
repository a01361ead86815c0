"""The plan as a document: what the author's and the facilitator's copies hold, in any script, on any paper,
however long the text; group notes; the goal under its system goal; the check-in calendar file."""

import io
import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

from exports.calendar import check_in_event, escape_text
from exports.fonts import CJK, cjk_font
from exports.plan_pdf import build_plan_pdf
from facilitator.store import DATABASE_FILE, Store
from facilitator.usecases.plans import participant_plan
from protocols.loader import load_library
from protocols.model import PlanField
from protocols.plan import build_plan
from protocols.session import AgendaItem, Session, SystemGoal
from protocols.visibility import Audience
from tests.support.plan_day import Day, seed_day


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def flat(text: str) -> str:
    """The text with all white space gone: long answers wrap over lines."""
    return re.sub(r"\s+", "", text)


@pytest.fixture
def day(tmp_path: Path) -> Day:
    return seed_day(tmp_path / "data")


def plan_of(day: Day, index: int, reader: Audience = Audience.AUTHOR):
    """A plan built from the store the way the plan page and the export build it."""
    store = Store(day.data_dir / DATABASE_FILE)
    try:
        session = store.session_by_id(day.session.id)
        participant = next(p for p in store.participants(day.session.id) if p.id == day.ids[index])
        return participant_plan(
            store, session, participant, reader=reader, check_in_url="http://pathways.test/p/token/plan"
        )
    finally:
        store.close()


def test_the_authors_plan_holds_name_system_goals_goal_steps_and_the_private_reflection_in_any_script(day):
    titles = {goal.id: goal.title for goal in day.session.system_goals}
    for index in range(3):  # Latin with diacritics, Greek, Cyrillic
        text = pdf_text(build_plan_pdf(plan_of(day, index)))
        mine = day.answers[index]
        assert day.names[index] in text
        assert titles[mine["1:system-goal"]] in text
        assert mine["1:goal"] in " ".join(text.split())
        for action in mine["1:action-steps"]:
            assert action["text"] in text
        assert mine["1:evidence"] in " ".join(text.split())
        assert day.canary(index) in text  # the private reflection: it is their document
        assert "Spring PD day" in text and "15 March 2027" in text and "Dr. Amara Okafor" in text
        for other in set(range(len(day.names))) - {index}:
            assert day.canary(other) not in text
            assert day.answers[other]["1:goal"] not in text


def test_the_facilitators_copy_leaves_out_every_private_answer_but_keeps_the_rest(day):
    plan = plan_of(day, 0, Audience.FACILITATOR)
    text = pdf_text(build_plan_pdf(plan))
    assert day.names[0] in text and day.answers[0]["1:goal"] in " ".join(text.split())
    assert day.canary(0) not in text
    # Tuning's private step too (its presenter, seat one of each table, listens in silence on it).
    examiner = next(index for index, answers in enumerate(day.answers) if "2:examining" in answers)
    examiners_copy = pdf_text(build_plan_pdf(plan_of(day, examiner, Audience.FACILITATOR)))
    assert day.answers[examiner]["2:examining"] not in examiners_copy
    assert "FACILITATOR'S COPY" in text


def test_the_goal_stands_under_its_chosen_system_goal_and_unchosen_goals_are_not_marked(day):
    plan = plan_of(day, 1)
    chosen = day.answers[1]["1:system-goal"]
    assert plan.chosen_goal_ids == (chosen,)
    assert plan.goals_under(chosen) == (day.answers[1]["1:goal"],)
    assert all(plan.goals_under(goal.id) == () for goal in day.session.system_goals if goal.id != chosen)
    text = " ".join(pdf_text(build_plan_pdf(plan)).split())
    assert f"My goal under it: {day.answers[1]['1:goal']}" in text
    assert text.count("CHOSEN") == 1


def test_each_goal_is_tied_to_the_system_goal_chosen_before_it():
    goal_setting = load_library()["goal-setting"]
    agenda = (AgendaItem(1, goal_setting), AgendaItem(2, goal_setting))
    session = Session(1, "ABCDEF", "Day", "", (SystemGoal(1, "Literacy"), SystemGoal(2, "Feedback")), agenda)
    answers = {"1:system-goal": 2, "1:goal": "Feedback in two days", "2:system-goal": 1, "2:goal": "Read daily"}
    plan = build_plan(session, "Ana", answers)
    assert plan.chosen_goal_ids == (2, 1)
    assert plan.goals_under(2) == ("Feedback in two days",)
    assert plan.goals_under(1) == ("Read daily",)


def test_group_notes_show_what_mates_shared_with_names_and_never_their_private_answers(day):
    plan = plan_of(day, 0)
    warm = next(item for item in plan.items if item.step == "Warm feedback")
    mates = {1, 2}  # groups of three, in order; the first of each table presents, silent on the feedback
    assert {note.name for note in warm.group_notes} == {day.names[m] for m in mates}
    assert {note.lines[0] for note in warm.group_notes} == {day.answers[m]["2:warm-feedback"] for m in mates}
    text = pdf_text(build_plan_pdf(plan))
    for mate in mates:
        assert day.answers[mate]["2:warm-feedback"] in " ".join(text.split())
        assert day.answers[mate]["2:examining"] not in text  # private
        assert day.answers[mate]["1:goal"] not in text  # facilitator-only: not the group's
    outsider = 4  # another group
    assert day.answers[outsider]["2:warm-feedback"] not in text


def test_a_step_only_the_presenter_answers_still_shows_the_presenters_words_to_the_group(day):
    presenter_text = day.answers[0]["2:presentation"]  # the first seat presents in round 1
    plan = plan_of(day, 1)
    presentation = next(item for item in plan.items if item.step == "Presentation")
    assert presentation.lines == ()
    assert [note.lines[0] for note in presentation.group_notes] == [presenter_text]


def test_long_unbroken_text_wraps_inside_the_page_and_is_kept_whole(day):
    word = "Ω" + "x" * 1998 + "Ж"
    plan = plan_of(day, 0)
    items = tuple(replace(item, lines=(word,)) if item.step == "A private reflection" else item for item in plan.items)
    long_plan = replace(plan, participant="Ж" * 80, items=items, linked_goals=((plan.chosen_goal_ids[0], word),))
    content = build_plan_pdf(long_plan)
    footers = re.compile(r"^(Page \d+ of \d+|Pathways · .*)$", re.MULTILINE)  # they interrupt text across pages
    text = flat(footers.sub("", pdf_text(content)))
    assert text.count(word) == 2  # under its system goal, and in the day's answers
    assert "Ж" * 80 in text


@pytest.mark.parametrize(("paper", "width"), [("A4", 595), ("LETTER", 612), ("letter", 612)])
def test_paper_size_follows_the_setting(day, paper, width):
    page = PdfReader(io.BytesIO(build_plan_pdf(plan_of(day, 0), paper))).pages[0]
    assert round(float(page.mediabox.width)) == width


def test_an_unknown_paper_size_is_refused_with_a_clear_error(day):
    with pytest.raises(ValueError, match="A4 or LETTER"):
        build_plan_pdf(plan_of(day, 0), "A5")


def test_every_page_is_numbered_and_carries_a_qr_code_link_back(day):
    content = build_plan_pdf(plan_of(day, 0))
    pages = PdfReader(io.BytesIO(content)).pages
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page.extract_text()
    assert "Scan to record a check-in" in " ".join(pages[0].extract_text().split())


@pytest.mark.skipif(cjk_font() is None, reason="no CJK TrueType font on this machine (see docs/EXPORTS.md)")
def test_cjk_names_are_set_in_the_machines_cjk_font(tmp_path):
    day = seed_day(tmp_path / "data", ["李伟", "山田花子", "김민준"], tuning=False)
    content = build_plan_pdf(plan_of(day, 0))
    reader = PdfReader(io.BytesIO(content))
    fonts = {str(font["/BaseFont"]) for font in reader.pages[0]["/Resources"]["/Font"].get_object().values()}
    face = pdfmetrics.getFont(CJK).face.name.decode()
    assert any(name.endswith(face) for name in fonts), fonts
    assert "李伟" in pdf_text(content)


def test_the_check_in_date_is_an_all_day_rfc5545_event():
    stamp = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)
    description = "Goal: read\\daily\nStep 2 " + "é" * 80
    content = check_in_event(uid="check-in-ABCDEF-1@pathways", day="2027-05-02", summary="Check in; Zoë, now",
                             description=description, url="http://x/p/t/plan", now=stamp)  # fmt: skip
    text = content.decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")  # every line ends CRLF
    lines = text.split("\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    unfolded = text.replace("\r\n ", "")
    assert "UID:check-in-ABCDEF-1@pathways" in unfolded and "DTSTAMP:20261124T200000Z" in unfolded
    assert "DTSTART;VALUE=DATE:20270502\r\nDTEND;VALUE=DATE:20270503" in unfolded
    assert "SUMMARY:Check in\\; Zoë\\, now" in unfolded
    assert "DESCRIPTION:Goal: read\\\\daily\\nStep 2 " + "é" * 80 in unfolded


def test_calendar_text_escaping_follows_rfc5545():
    assert escape_text("a,b;c\\d\r\ne") == "a\\,b\\;c\\\\d\\ne"


def test_a_plan_without_answers_still_renders(day):
    plan = build_plan(day.session, "Nobody Yet", {})
    assert plan.field(PlanField.GOAL) == ()
    assert "Nobody Yet" in pdf_text(build_plan_pdf(plan))
