"""Protocol files: the library loads, and broken files are refused with messages that name the problem."""

import subprocess
import sys

import pytest

from protocols.loader import ProtocolFileError, load_library, load_protocol_file, load_protocol_text
from protocols.model import PlanField, StepKind, Visibility
from tests.support import ROOT

BROKEN = ROOT / "tests" / "broken_protocols"


def test_library_goal_setting_covers_every_part_of_a_plan_in_order():
    protocol = load_library()["goal-setting"]
    assert [step.id for step in protocol.steps] == [
        "system-goal", "strengths", "obstacles", "goal", "measure", "action-steps", "evidence", "support", "check-in",
        "worry",
    ]  # fmt: skip
    fields = [step.plan_field for step in protocol.steps]
    assert fields[:9] == [
        PlanField.SYSTEM_GOAL, PlanField.STRENGTHS, PlanField.OBSTACLES, PlanField.GOAL, PlanField.MEASURE,
        PlanField.ACTION_STEPS, PlanField.EVIDENCE, PlanField.SUPPORTS, PlanField.CHECK_IN,
    ]  # fmt: skip
    steps = {step.id: step for step in protocol.steps}
    assert steps["system-goal"].kind is StepKind.GOAL and steps["system-goal"].visibility is Visibility.ROOM
    assert steps["action-steps"].dated and (steps["action-steps"].min_items, steps["action-steps"].max_items) == (1, 5)
    assert steps["check-in"].kind is StepKind.DATE
    assert steps["support"].kind is StepKind.CHOICE and steps["support"].multiple
    assert steps["worry"].visibility is Visibility.PRIVATE
    assert protocol.minutes == sum(step.minutes for step in protocol.steps) > 0


@pytest.mark.parametrize(
    ("file_name", "expected"),
    [
        ("misspelt_kind.toml", "steps[1].kind: 'scael' is not one of none, text, list, choice, scale, goal, rank"),
        ("missing_prompt.toml", "steps[0].prompt: is required"),
        ("bad_syntax.toml", "not valid TOML"),
        ("no_steps.toml", "steps: a protocol needs at least one [[steps]] table"),
        ("duplicate_step.toml", "steps: the step id 'reflect' is used twice"),
        ("choice_without_options.toml", "steps[0].options: a choice step needs a list of at least one option"),
        ("bad_visibility.toml", "steps[0].visibility: 'everyone' is not one of private, facilitator, group, room"),
        ("scale_upside_down.toml", "steps[0].min: must be less than max"),
        ("unknown_field.toml", "steps[0].colour: is not a known field"),
        ("wrong_type.toml", "steps[0].minutes: must be a number, not text"),
    ],
)
def test_broken_file_is_refused_naming_the_field_and_the_problem(file_name, expected):
    with pytest.raises(ProtocolFileError) as caught:
        load_protocol_file(BROKEN / file_name)
    message = str(caught.value)
    assert str(BROKEN / file_name) in message
    assert expected in message


def test_every_problem_in_a_file_is_reported_at_once():
    text = """
id = "Bad Id"
title = "x"
purpose = "y"
[[steps]]
id = "a"
title = "A"
prompt = "p"
kind = "scael"
visibility = "room"
[[steps]]
id = "b"
title = "B"
prompt = "p"
kind = "text"
visibility = "secret"
"""
    with pytest.raises(ProtocolFileError) as caught:
        load_protocol_text(text, "custom.toml")
    problems = caught.value.problems
    assert any(problem.startswith("id: 'Bad Id'") for problem in problems)
    assert any(problem.startswith("steps[0].kind: 'scael'") for problem in problems)
    assert any(problem.startswith("steps[1].visibility: 'secret'") for problem in problems)


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "facilitator", *args], cwd=ROOT, capture_output=True, text=True)


def test_validate_command_exits_1_and_explains_every_broken_file():
    files = sorted(str(path) for path in BROKEN.glob("*.toml"))
    result = run_cli("protocols", "validate", *files)
    assert result.returncode == 1
    for path in files:
        assert path in result.stderr
    assert "Traceback" not in result.stderr


def test_validate_command_accepts_the_library():
    files = sorted(str(path) for path in (ROOT / "protocols" / "library").glob("*.toml"))
    result = run_cli("protocols", "validate", *files)
    assert result.returncode == 0, result.stderr
    assert "goal-setting.toml: ok (goal-setting, 10 steps)" in result.stdout


def test_list_and_show_commands_describe_the_library():
    listed = run_cli("protocols", "list")
    assert listed.returncode == 0 and "goal-setting" in listed.stdout
    shown = run_cli("protocols", "show", "goal-setting")
    assert shown.returncode == 0
    assert "Choose your system goal" in shown.stdout and "Notes:" in shown.stdout
    missing = run_cli("protocols", "show", "no-such-protocol")
    assert missing.returncode != 0 and "There is no protocol 'no-such-protocol'" in missing.stderr


def test_the_complete_example_in_the_docs_is_a_valid_protocol_using_every_kind():
    text = (ROOT / "docs" / "PROTOCOLS.md").read_text(encoding="utf-8")
    example = text.split("```toml\n", 1)[1].split("```", 1)[0]
    protocol = load_protocol_text(example, "docs/PROTOCOLS.md example")
    assert protocol.grouping is not None and protocol.grouping.rotate_roles
    assert [role.id for role in protocol.roles] == ["presenter", "timekeeper", "participant"]
    kinds = {step.kind for step in protocol.steps}
    assert {StepKind.TEXT, StepKind.LIST, StepKind.SCALE, StepKind.CHOICE, StepKind.NONE} <= kinds


def protocol_text(steps: str, header: str = "") -> str:
    return f'id = "mine"\ntitle = "Mine"\npurpose = "p"\n{header}\n{steps}'


ROLES = """
[grouping]
size = 4
min = 3
max = 6
[[roles]]
id = "presenter"
title = "Presenter"
[[roles]]
id = "member"
title = "Member"
rest = true
"""


def test_a_step_gives_each_role_its_own_prompt_and_may_keep_roles_silent():
    text = protocol_text(
        """[[steps]]
id = "feedback"
title = "Feedback"
prompt = "Offer feedback."
kind = "text"
visibility = "group"
silent = ["presenter"]
prompts = { presenter = "Listen in silence and take notes." }
""",
        ROLES,
    )
    step = load_protocol_text(text).steps[0]
    assert step.silent == ("presenter",)
    assert step.prompt_for("presenter") == "Listen in silence and take notes."
    assert step.prompt_for("member") is None and step.prompt_for(None) is None


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ('silent = ["reporter"]', "steps[0].silent: 'reporter' is not one of the protocol's roles"),
        ('silent = "presenter"', "steps[0].silent: must be a list of role ids"),
        ('who = "presenter"\nsilent = ["member"]', "steps[0].silent: a step one role answers"),
        ('prompts = { judge = "Judge." }', "steps[0].prompts.judge: is not one of the protocol's roles"),
        ('prompts = { presenter = "" }', "steps[0].prompts.presenter: must be a sentence"),
        ('prompts = "Listen."', "steps[0].prompts: must be a table of role id = prompt"),
    ],
)
def test_role_prompts_and_silent_roles_are_checked(fields, expected):
    text = protocol_text(
        f'[[steps]]\nid = "s"\ntitle = "S"\nprompt = "p"\nkind = "text"\nvisibility = "group"\n{fields}\n', ROLES
    )
    with pytest.raises(ProtocolFileError) as caught:
        load_protocol_text(text, "mine.toml")
    assert expected in str(caught.value)


def test_every_library_protocol_with_roles_tells_each_silent_role_what_to_do_instead():
    """The tuning presenter during the feedback, the consultancy presenter during the discussion: no answer box,
    and a prompt that says what they do."""
    library = load_library()
    for protocol_id in ("tuning", "consultancy", "plc-cycle", "one-two-four-all"):
        protocol = library[protocol_id]
        for step in protocol.steps:
            for role in step.silent:
                assert step.prompt_for(role), (protocol_id, step.id, role)
            if step.who != "everyone":
                others = [role.id for role in protocol.roles if role.id != step.who]
                assert all(step.prompt_for(role) for role in others), (protocol_id, step.id)
    tuning = {step.id: step for step in library["tuning"].steps}
    for step_id in ("examining", "warm-feedback", "cool-feedback"):
        assert tuning[step_id].silent == ("presenter",)
        assert "silen" in tuning[step_id].prompt_for("presenter")
    assert "notes" in tuning["warm-feedback"].prompt_for("presenter")


def test_a_protocol_is_capped_in_steps_and_options():
    step = '[[steps]]\nid = "s{n}"\ntitle = "S"\nprompt = "p"\nkind = "none"\nvisibility = "room"\n'
    with pytest.raises(ProtocolFileError) as caught:
        load_protocol_text(protocol_text("".join(step.format(n=n) for n in range(41))))
    assert "steps: a protocol has at most 40 steps, not 41" in str(caught.value)
    options = ", ".join(f'"option {n}"' for n in range(51))
    choice = (
        f'[[steps]]\nid = "c"\ntitle = "C"\nprompt = "p"\nkind = "choice"\nvisibility = "room"\noptions = [{options}]\n'
    )
    with pytest.raises(ProtocolFileError) as caught:
        load_protocol_text(protocol_text(choice))
    assert "steps[0].options: a step offers at most 50 options, not 51" in str(caught.value)


def test_a_protocol_file_nested_thousands_deep_is_refused_as_a_bad_file():
    with pytest.raises(ProtocolFileError) as caught:
        load_protocol_text("x = " + "[" * 5000 + "]" * 5000, "deep.toml")
    assert "deep.toml: not valid TOML: nested too deeply" in str(caught.value)
