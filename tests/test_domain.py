"""The domain core on its own, with no Flask: answers, run state, timers, visibility, the plan, join codes."""

from dataclasses import replace

import pytest

from protocols.answers import clean_text, validate_answer, validate_answer_id
from protocols.credentials import JOIN_CODE_ALPHABET, new_join_code, normalise_join_code, secret_digest, secret_matches
from protocols.errors import DomainError
from protocols.loader import load_library
from protocols.model import Option, PlanField, Step, StepKind, Visibility
from protocols.plan import build_plan
from protocols.session import LOBBY, AgendaItem, Session, SystemGoal, Timer
from protocols.visibility import Audience, may_see, shows_name

GOALS = (SystemGoal(1, "Literacy"), SystemGoal(2, "Feedback"))


def make_session(position: int = LOBBY) -> Session:
    agenda = (AgendaItem(1, load_library()["goal-setting"]),)
    return Session(1, "ABCDEF", "Spring day", "Riverside", GOALS, agenda, position)


def step(kind: StepKind, **fields) -> Step:
    return Step(id="s", title="S", prompt="P", kind=kind, visibility=Visibility.ROOM, minutes=1, **fields)


class TestAnswers:
    def test_text_is_trimmed_and_stripped_of_control_and_direction_override_characters(self):
        value = validate_answer(step(StepKind.TEXT), "  Read\u202e daily\x07 <b>aloud</b>  ", GOALS)
        assert value == "Read daily <b>aloud</b>"

    def test_lone_surrogates_become_replacement_characters_not_errors(self):
        assert clean_text("ok \ud800 fine", field="x", max_chars=50) == "ok \ufffd fine"

    @pytest.mark.parametrize("value", ["", "   ", None, 5, ["a"]])
    def test_text_refuses_empty_or_wrong_type(self, value):
        with pytest.raises(DomainError):
            validate_answer(step(StepKind.TEXT), value, GOALS)

    def test_text_over_the_limit_says_how_long_it_is(self):
        with pytest.raises(DomainError, match="601 characters; the limit is 600"):
            validate_answer(step(StepKind.TEXT, max_chars=600), "x" * 601, GOALS)

    def test_list_keeps_items_in_order_within_its_limits(self):
        list_step = step(StepKind.LIST, min_items=1, max_items=3)
        assert validate_answer(list_step, [" first ", "second"], GOALS) == ["first", "second"]
        with pytest.raises(DomainError, match="Give 1 to 3 items; you gave 4"):
            validate_answer(list_step, ["a", "b", "c", "d"], GOALS)
        with pytest.raises(DomainError, match="Item 2 is empty"):
            validate_answer(list_step, ["a", " "], GOALS)

    def test_choice_accepts_only_its_options(self):
        options = (Option("yes", "Yes"), Option("no", "No"))
        single = step(StepKind.CHOICE, options=options)
        assert validate_answer(single, "no", GOALS) == "no"
        with pytest.raises(DomainError, match="not one of this step's options"):
            validate_answer(single, "maybe", GOALS)
        multiple = step(StepKind.CHOICE, options=options, multiple=True)
        assert validate_answer(multiple, ["no", "yes"], GOALS) == ["yes", "no"]  # in the step's order
        with pytest.raises(DomainError):
            validate_answer(multiple, [], GOALS)

    def test_scale_accepts_whole_numbers_in_range_only(self):
        scale = step(StepKind.SCALE, scale_min=1, scale_max=5)
        assert validate_answer(scale, 5, GOALS) == 5
        for bad in (0, 6, 2.5, True, "3"):
            with pytest.raises(DomainError):
                validate_answer(scale, bad, GOALS)

    def test_goal_must_be_one_of_the_sessions_system_goals(self):
        assert validate_answer(step(StepKind.GOAL), 2, GOALS) == 2
        for bad in (3, "1", True, None):
            with pytest.raises(DomainError, match="system goals"):
                validate_answer(step(StepKind.GOAL), bad, GOALS)

    def test_talk_only_step_takes_no_answer(self):
        with pytest.raises(DomainError, match="not for answering"):
            validate_answer(step(StepKind.NONE), "x", GOALS)

    @pytest.mark.parametrize("answer_id", ["", "x" * 65, 7, None, "a\nb"])
    def test_answer_id_must_be_short_printable_text(self, answer_id):
        with pytest.raises(DomainError):
            validate_answer_id(answer_id)


class TestRunState:
    def test_next_walks_from_lobby_through_every_step_to_the_end(self):
        session = make_session()
        assert session.phase == "lobby" and session.current is None
        keys = []
        for _ in range(len(session.steps)):
            session = session.next()
            keys.append(session.current.key)
        assert keys[:2] == ["1:system-goal", "1:strengths"] and keys[-1] == "1:worry"
        assert len(keys) == 10
        session = session.next()
        assert session.phase == "ended" and session.current is None
        with pytest.raises(DomainError, match="agenda has ended"):
            session.next()

    def test_prev_goes_back_but_not_before_the_lobby(self):
        session = make_session(position=1).prev()
        assert session.current.key == "1:system-goal"
        with pytest.raises(DomainError):
            session.prev().prev()

    def test_goto_jumps_to_a_step_by_key_and_refuses_unknown_keys(self):
        assert make_session().goto("1:evidence").current.step.id == "evidence"
        with pytest.raises(DomainError, match="no step"):
            make_session().goto("9:nothing")

    def test_moving_resets_the_timer(self):
        session = make_session(position=0).with_timer(Timer().start(100.0, 60))
        assert session.timer.running
        assert not session.next().timer.running

    def test_timer_pauses_resumes_and_extends_from_the_server_clock(self):
        timer = Timer().start(now=1000.0, seconds=300)
        assert timer.deadline == 1300.0
        paused = timer.pause(now=1100.0)
        assert paused.deadline is None and paused.remaining == 200.0
        resumed = paused.resume(now=5000.0)
        assert resumed.deadline == 5200.0
        assert resumed.extend(now=5100.0, seconds=60).deadline == 5260.0
        assert resumed.extend(now=6000.0, seconds=60).deadline == 6060.0  # time was up: extend from now
        with pytest.raises(DomainError):
            Timer().pause(now=1.0)

    def test_timer_needs_an_open_step(self):
        with pytest.raises(DomainError):
            make_session().with_timer(Timer().start(0, 10))


class TestVisibility:
    @pytest.mark.parametrize(
        ("visibility", "allowed"),
        [
            (Visibility.PRIVATE, {Audience.AUTHOR}),
            (Visibility.FACILITATOR, {Audience.AUTHOR, Audience.FACILITATOR}),
            (Visibility.GROUP, {Audience.AUTHOR, Audience.FACILITATOR, Audience.GROUP_MATE}),
            (Visibility.ROOM, set(Audience)),
            (Visibility.ROOM_NAMED, set(Audience)),
        ],
    )
    def test_who_may_see_an_answer(self, visibility, allowed):
        assert {audience for audience in Audience if may_see(audience, visibility)} == allowed

    def test_names_reach_the_room_only_for_room_named_steps(self):
        assert not shows_name(Audience.PROJECTOR, Visibility.ROOM)
        assert shows_name(Audience.PROJECTOR, Visibility.ROOM_NAMED)
        assert shows_name(Audience.FACILITATOR, Visibility.FACILITATOR)
        assert not shows_name(Audience.PROJECTOR, Visibility.PRIVATE)
        assert not shows_name(Audience.GROUP_MATE, Visibility.ROOM)
        assert shows_name(Audience.GROUP_MATE, Visibility.GROUP)


class TestPlan:
    def test_plan_gathers_answers_under_their_plan_fields(self):
        answers = {"1:system-goal": 2, "1:goal": "Feedback in 2 days", "1:action-steps": ["Rota", "Rubric"]}
        plan = build_plan(make_session(), "Ana", answers)
        assert plan.chosen_goal_ids == (2,)
        assert plan.goal == "Feedback in 2 days"
        assert plan.field(PlanField.ACTION_STEPS) == ("Rota", "Rubric")
        assert plan.field(PlanField.SYSTEM_GOAL) == ("Feedback",)
        assert [item.step for item in plan.items] == [
            "Choose your system goal",
            "Write your goal",
            "Plan your action steps",
        ]

    def test_a_reader_other_than_the_author_gets_only_what_visibility_allows(self):
        session = make_session()
        private = Step("worry", "Worry", "What worries you?", StepKind.TEXT, Visibility.PRIVATE, 2)
        protocol = session.agenda[0].protocol
        with_private = replace(protocol, steps=(*protocol.steps, private))
        session = Session(1, "ABCDEF", "Day", "", GOALS, (AgendaItem(1, with_private),))
        answers = {"1:goal": "Mine", "1:worry": "CANARY-private"}
        author = build_plan(session, "Ana", answers)
        facilitator = build_plan(session, "Ana", answers, reader=Audience.FACILITATOR)
        assert "CANARY-private" in [line for item in author.items for line in item.lines]
        assert "CANARY-private" not in [line for item in facilitator.items for line in item.lines]


class TestJoinCodes:
    def test_codes_are_six_characters_without_look_alikes(self):
        codes = {new_join_code() for _ in range(200)}
        assert len(codes) > 190
        for code in codes:
            assert len(code) == 6 and set(code) <= set(JOIN_CODE_ALPHABET)
        assert not set("0O1IL") & set(JOIN_CODE_ALPHABET)

    def test_codes_are_read_forgivingly_and_refused_when_impossible(self):
        assert normalise_join_code(" abc-def ") == "ABCDEF"
        assert normalise_join_code("ABC0EF") is None  # 0 is never in a code
        assert normalise_join_code(12) is None

    def test_secrets_are_checked_against_their_digest_only(self):
        digest = secret_digest("s3cret")
        assert secret_matches("s3cret", digest)
        assert not secret_matches("s3cre", digest)
        assert not secret_matches(None, digest)


def test_time_used_adds_up_every_visit_to_a_step_and_counts_the_open_one():
    session = make_session().next(now=1000.0)  # first step opens
    first = session.current.key
    session = session.next(now=1090.0)  # 90 s on the first step
    second = session.current.key
    assert session.seconds_used(first, 1200.0) == 90.0
    assert session.seconds_used(second, 1100.0) == 10.0  # still open: counts up
    session = session.prev(now=1120.0)  # back to the first step for a while
    assert session.seconds_used(second, 5000.0) == 30.0  # closed: frozen
    assert session.seconds_used(first, 1150.0) == 120.0  # 90 before + 30 now
    session = session.goto(second, now=1180.0)
    assert session.seconds_used(first, 9999.0) == 150.0
    assert make_session().seconds_used(first, 1000.0) == 0.0
