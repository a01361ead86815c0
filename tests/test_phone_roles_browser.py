"""Each role sees its own prompt on the phone: in the tuning protocol's warm feedback the presenter is told to
listen and take notes, with no answer box, while the rest of the group writes their feedback.

Debian's Chromium through Playwright against `pathways serve`; the group is formed from the console over real
sockets, then two of its members open their phones.
"""

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import PHONE

pytestmark = pytest.mark.live

WARM_FEEDBACK = "1:warm-feedback"


def phone_of(contexts, url: str, code: str, token: str) -> Page:
    """The phone page of someone who joined earlier: their token is in this browser's storage."""
    context = contexts(PHONE)
    context.add_init_script(
        f"if (location.pathname === '/j/{code}') localStorage.setItem('pathways:token:{code}', '{token}')"
    )
    page = context.new_page()
    page.goto(f"{url}/j/{code}")
    return page


def test_on_warm_feedback_the_presenter_is_asked_to_listen_and_has_no_answer_box(
    shared_live_server, contexts, peers, shots
):
    server = shared_live_server
    created = server.create_session(agenda=[{"id": "tuning", "rounds": 1}])
    code = created["code"]
    console = peers(server.url, "/facilitator", code=code, key=created["facilitator_key"]).connect()
    people = [peers(server.url, "/participant", code=code, name=f"Member {n}").connect() for n in range(6)]
    welcomes = {
        welcome["participant_id"]: (phone, welcome) for phone in people if (welcome := phone.wait_for("welcome"))
    }
    assert console.call("form_groups")["ok"]
    assert console.call("goto", {"step_id": WARM_FEEDBACK})["ok"]
    on_step = lambda state: state["step"] and state["step"]["id"] == WARM_FEEDBACK  # noqa: E731
    opened = console.wait_for(
        "state", lambda state: state["phase"] == "step" and len(state["groups"]) == 1 and state["groups"][0]["members"]
    )
    board = opened["groups"][0]["members"]  # with each member's role in the open step's round

    def holder(role_id: str):
        """The phone (a socket) and the welcome of the first member holding ``role_id`` on this step."""
        member = next(m for m in board if m["role"] and m["role"]["id"] == role_id)
        return welcomes[member["participant_id"]]

    presenter, presenter_welcome = holder("presenter")
    member, member_welcome = holder("participant")
    presenter_state = presenter.wait_for("state", on_step)
    member_state = member.wait_for("state", on_step)
    step_prompt = member_state["step"]["prompt"]
    assert presenter_state["may_answer"] is False and member_state["may_answer"] is True
    assert presenter_state["role_prompt"] and presenter_state["role_prompt"] != step_prompt

    presenter_phone = phone_of(contexts, server.url, code, presenter_welcome["token"])
    member_phone = phone_of(contexts, server.url, code, member_welcome["token"])
    for phone in (presenter_phone, member_phone):
        expect(phone.get_by_test_id("step-title")).to_have_text("Warm feedback")

    expect(presenter_phone.get_by_test_id("group")).to_contain_text("Your role: Presenter")
    expect(presenter_phone.get_by_test_id("step-prompt")).to_have_text(presenter_state["role_prompt"])
    expect(presenter_phone.get_by_test_id("answer-text")).to_have_count(0)
    expect(presenter_phone.get_by_test_id("submit")).to_be_hidden()
    expect(presenter_phone.get_by_test_id("step-note")).to_be_hidden()  # the role's prompt says what to do
    shots.take_whole(presenter_phone, "phone-role-presenter-390")

    expect(member_phone.get_by_test_id("group")).to_contain_text("Your role: Participant")
    expect(member_phone.get_by_test_id("step-prompt")).to_have_text(member_state["role_prompt"] or step_prompt)
    expect(member_phone.get_by_test_id("answer-text")).to_be_visible()
    expect(member_phone.get_by_test_id("submit")).to_be_visible()
    shots.take_whole(member_phone, "phone-role-participant-390")

    # The presenter's prompt stays theirs as the step's own part comes and goes: the next step moves everyone on.
    assert console.call("next")["ok"]
    expect(presenter_phone.get_by_test_id("step-title")).to_have_text("Cool feedback")
    expect(presenter_phone.get_by_test_id("answer-text")).to_have_count(0)
    cool = presenter.wait_for("state", lambda state: state["step"] and state["step"]["title"] == "Cool feedback")
    expect(presenter_phone.get_by_test_id("step-prompt")).to_have_text(cool["role_prompt"])
    expect(member_phone.get_by_test_id("answer-text")).to_be_visible()
    expect(member_phone.get_by_test_id("answer-text")).to_have_value("")
