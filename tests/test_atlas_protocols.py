"""The ATLAS protocols (student work, data): the School Reform Initiative's steps, roles, silences and sharing."""

import re

import pytest

from protocols.errors import DomainError
from protocols.groups import Seating, answers_step, refuse_unless_answers, role_in_step
from protocols.loader import load_library
from protocols.model import EVERYONE, PlanField, StepKind, Visibility
from protocols.plan import build_plan
from protocols.session import AgendaItem, Session
from protocols.visibility import Audience
from tests.support import ROOT

LIBRARY = load_library()
STUDENT_WORK = LIBRARY["atlas-student-work"]
DATA = LIBRARY["atlas-data"]
TABLE = (11, 12, 13, 14, 15)  # one group of five, in seat order
LISTENING = ("getting-started", "describing", "interpreting", "implications")


def day_of(protocol, rounds: int = 1) -> Session:
    return Session(1, "ATLAS1", "Looking together", "", (), (AgendaItem(1, protocol, rounds),))


def seated() -> Seating:
    return Seating({1: TABLE, 2: (21, 22, 23, 24)})


def test_student_work_runs_the_sri_steps_in_order_with_their_minutes():
    steps = [(step.id, step.title, step.minutes) for step in STUDENT_WORK.steps]
    assert steps == [
        ("getting-started", "Getting started", 10),
        ("describing", "Describing the student work", 10),
        ("interpreting", "Interpreting the student work", 10),
        ("implications", "Implications for classroom practice", 10),
        ("reflecting", "Reflecting on the ATLAS", 5),
        ("debrief", "Debrief", 5),
    ]
    assert 50 <= STUDENT_WORK.minutes <= 60
    assert all(step.kind is StepKind.TEXT for step in STUDENT_WORK.steps)
    prompts = {step.id: step.prompt for step in STUDENT_WORK.steps}
    assert prompts["describing"].startswith("What do you see?") and "without judging" in prompts["describing"]
    assert "From the students' perspective, what are they working on?" in prompts["interpreting"]
    assert "evidence" in prompts["interpreting"]
    assert "What steps could the teacher take next?" in prompts["implications"]
    assert "What teaching strategies might be most effective?" in prompts["implications"]


def test_data_runs_the_sri_steps_in_order_with_their_minutes():
    steps = [(step.id, step.title, step.minutes) for step in DATA.steps]
    assert steps == [
        ("getting-started", "Getting started", 10),
        ("describing", "Describing the data", 10),
        ("interpreting", "Interpreting the data", 10),
        ("implications", "Implications for classroom practice", 10),
        ("group-plan", "Reflecting: what we will do", 6),
        ("debrief", "Debrief", 4),
    ]
    assert DATA.minutes == 50
    prompts = {step.id: step.prompt for step in DATA.steps}
    assert "without their conclusions" in prompts["getting-started"] and "silence" in prompts["getting-started"]
    assert "What assumptions are we making about students and their learning?" in prompts["interpreting"]
    assert "What would you want to look at next?" in prompts["implications"]
    assert all(word in prompts["group-plan"] for word in ("focus", "strategy", "evidence to collect"))


def test_both_credit_their_developers_and_the_school_reform_initiative():
    assert STUDENT_WORK.title == "ATLAS: Learning from Student Work"
    assert DATA.title == "ATLAS: Looking at Data"
    for name in ("Eric Buchovecky", "Steve Seidel", "Evangeline Harris-Stefanakis", "Gene Thompson-Grove"):
        assert name in STUDENT_WORK.source
    assert "Dianne Leahy (2004)" in DATA.source
    assert "School Reform Initiative" in STUDENT_WORK.source and "School Reform Initiative" in DATA.source


def test_groups_of_four_to_eight_and_the_roles_practitioners_name():
    for protocol in (STUDENT_WORK, DATA):
        assert (protocol.grouping.min_size, protocol.grouping.max_size) == (4, 8)
        assert 4 <= protocol.grouping.size <= 8
    assert [(role.id, role.count) for role in STUDENT_WORK.roles] == [
        ("presenting-teacher", 1), ("facilitator", 1), ("participant", None),
    ]  # fmt: skip
    assert STUDENT_WORK.grouping.rotate_roles  # a second round has a new presenting teacher
    data_roles = [(role.id, role.count) for role in DATA.roles]
    assert data_roles == [("facilitator", 1), ("note-taker", 1), ("participant", None)]
    assert all(role.notes for role in (*STUDENT_WORK.roles, *DATA.roles))


def test_the_presenting_teacher_listens_in_silence_until_their_reflection():
    session, seating = day_of(STUDENT_WORK, rounds=2), seated()
    for agenda_step in session.steps:
        step = agenda_step.step
        presenting = [m for m in TABLE if role_in_step(agenda_step, seating, m).id == "presenting-teacher"]
        assert presenting == [TABLE[agenda_step.round - 1]]  # the role moves on one seat a round
        answering = [m for m in TABLE if answers_step(agenda_step, seating, m)]
        if step.id in LISTENING:
            assert step.silent == ("presenting-teacher",) and step.who == EVERYONE
            assert answering == [m for m in TABLE if m not in presenting]
            with pytest.raises(DomainError) as refused:
                refuse_unless_answers(agenda_step, seating, presenting[0])
            assert refused.value.code == "not_your_turn" and "presenting teacher listens" in str(refused.value)
        elif step.id == "reflecting":
            assert step.who == "presenting-teacher"
            assert answering == presenting
            listener = next(m for m in TABLE if m not in presenting)
            with pytest.raises(DomainError) as refused:
                refuse_unless_answers(agenda_step, seating, listener)
            assert "Only the presenting teacher answers" in str(refused.value)
        else:
            assert step.id == "debrief" and answering == list(TABLE)


def test_every_role_that_does_not_answer_a_step_is_told_what_to_do_instead():
    steps = {step.id: step for step in STUDENT_WORK.steps}
    for step_id in LISTENING:
        told = steps[step_id].prompt_for("presenting-teacher")
        assert "say nothing" in told.lower() or "silence" in told
    for step_id in ("describing", "interpreting", "implications"):
        assert "take notes" in steps[step_id].prompt_for("presenting-teacher")
    for role in ("facilitator", "participant"):
        assert "Listen in silence" in steps["reflecting"].prompt_for(role)
    assert "defend" in steps["reflecting"].prompt_for("facilitator")
    for protocol in (STUDENT_WORK, DATA):
        for step in protocol.steps:
            assert all(step.prompt_for(role) for role in step.silent), (protocol.id, step.id)
            if step.who != EVERYONE:
                assert all(step.prompt_for(role.id) for role in protocol.roles if role.id != step.who)


def test_everyone_answers_every_step_of_looking_at_data():
    session, seating = day_of(DATA), seated()
    for agenda_step in session.steps:
        assert agenda_step.step.who == EVERYONE and agenda_step.step.silent == ()
        assert all(answers_step(agenda_step, seating, m) for m in TABLE)
    steps = {step.id: step for step in DATA.steps}
    for step_id in ("describing", "interpreting", "implications", "group-plan"):
        assert steps[step_id].prompt_for("note-taker") and steps[step_id].prompt_for("facilitator")


def test_the_norms_reach_the_facilitator():
    for protocol in (STUDENT_WORK, DATA):
        assert protocol.norms[0].startswith("Describe before interpreting")
        assert any(norm.startswith("Assume the best") for norm in protocol.norms)
        opening = protocol.steps[0]
        assert "Read the norms aloud" in opening.notes and "describe before interpreting" in opening.notes
    assert "Learn from the work, do not grade it." in STUDENT_WORK.norms
    notes = {step.id: step.notes for step in STUDENT_WORK.steps}
    assert "trusts each other" in notes["getting-started"]
    assert "evidence" in notes["describing"]
    assert "assumptions" in DATA.steps[2].notes


def test_describing_interpreting_and_implications_are_shared_with_the_table():
    for protocol in (STUDENT_WORK, DATA):
        visibility = {step.id: step.visibility for step in protocol.steps}
        assert visibility["getting-started"] is Visibility.PRIVATE  # first notes on a silent look
        assert [visibility[s] for s in ("describing", "interpreting", "implications")] == [Visibility.GROUP] * 3
        assert visibility["debrief"] is Visibility.FACILITATOR


def test_the_presenting_teachers_reflection_stays_theirs_in_their_own_plan():
    reflection = next(step for step in STUDENT_WORK.steps if step.id == "reflecting")
    assert (reflection.visibility, reflection.plan_field) == (Visibility.PRIVATE, PlanField.TAKEAWAYS)
    session = day_of(STUDENT_WORK)
    teachers = {"1:describing": "Three drafts, each longer", "1:reflecting": "I will model a counter-argument"}
    mate = {"1:describing": "The second paragraph has no evidence"}
    own = build_plan(session, "Ana", teachers, group_answers={"1:describing": [("Ben", mate["1:describing"])]})
    items = {item.step: item for item in own.items}
    assert items["Reflecting on the ATLAS"].lines == ("I will model a counter-argument",)
    assert items["Reflecting on the ATLAS"].field is PlanField.TAKEAWAYS
    assert [(n.name, n.lines) for n in items["Describing the student work"].group_notes] == [
        ("Ben", ("The second paragraph has no evidence",))
    ]
    mates_plan = build_plan(session, "Ben", mate, group_answers={"1:reflecting": [("Ana", teachers["1:reflecting"])]})
    facilitators_copy = build_plan(session, "Ana", teachers, reader=Audience.FACILITATOR)
    for plan in (mates_plan, facilitators_copy):
        assert "Reflecting on the ATLAS" not in {item.step for item in plan.items}


def test_the_groups_plan_from_looking_at_data_lands_in_each_persons_plan():
    group_plan = next(step for step in DATA.steps if step.id == "group-plan")
    assert (group_plan.visibility, group_plan.plan_field) == (Visibility.GROUP, PlanField.TAKEAWAYS)
    mine = "Focus: fractions. Strategy: number lines daily. Evidence: exit tickets in May"
    theirs = "Number lines every day; compare exit tickets"
    plan = build_plan(day_of(DATA), "Ana", {"1:group-plan": mine}, group_answers={"1:group-plan": [("Ben", theirs)]})
    item = next(item for item in plan.items if item.step == "Reflecting: what we will do")
    assert item.field is PlanField.TAKEAWAYS and item.lines == (mine,)
    assert [note.lines for note in item.group_notes] == [(theirs,)]


def test_the_docs_list_both_with_the_minutes_and_steps_the_files_hold():
    text = (ROOT / "docs" / "PROTOCOLS.md").read_text(encoding="utf-8")
    for protocol, minutes in ((STUDENT_WORK, "50 a round"), (DATA, "50")):
        row = re.search(rf"^\| `{protocol.id}` \| ([^|]+) \| ([^|]+) \| ([^|]+) \|$", text, re.MULTILINE)
        assert row is not None, protocol.id
        assert row.group(1).startswith(protocol.title) and row.group(2) == minutes
        assert "groups of 4 to 8" in row.group(3)
        assert f"{protocol.minutes:g}" in minutes
        for step in protocol.steps:
            facts_row = re.search(rf"^\| {re.escape(step.title)}\b[^|]* \| {step.minutes:g} \|", text, re.MULTILINE)
            assert facts_row is not None, (protocol.id, step.id)
