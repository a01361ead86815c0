"""Follow-up on the phone, in real browsers: a goal set earlier in the day is recalled on the revisit steps, filled in
to keep, and each of its action steps rated; a first-timer is told what to do instead; a phone tells the server
which plans of other sessions it holds.
"""

import json
import re

import pytest
import requests
from playwright.sync_api import Page, Request, expect

from tests.support.admin import GOALS, admin_headers
from tests.support.browser import PHONE, SMALL_PHONE, Screenshots, assert_accessible

pytestmark = pytest.mark.live

GOAL = "By March, every lesson ends with an exit ticket I read before the next one"
ACTION_STEPS = [("Try exit tickets in year 8", "2027-01-15"), ("Plan a reteach from the tickets", "2027-02-10")]
FIRST_TIME_GOAL_PROMPT = "Write your goal for your own practice in one sentence."
IDENTIFIER = "ana.lima@riverside.example"


def join(page: Page, url: str, code: str, name: str, identifier: str = "") -> None:
    page.goto(f"{url}/j/{code}")
    page.get_by_test_id("name-input").fill(name)
    if identifier:
        page.get_by_test_id("identifier-input").fill(identifier)
        page.get_by_test_id("consent-input").check()
    page.get_by_test_id("join-button").click()
    expect(page.get_by_test_id("lobby")).to_contain_text(f"You're in, {name}")


def open_step(console, step_id: str, phones: list[Page], title: str) -> None:
    """The console opens a step; each phone shows it."""
    ack = console.call("goto", {"step_id": step_id})
    assert ack["ok"], ack
    for phone in phones:
        expect(phone.get_by_test_id("step-title")).to_have_text(title)


def screenshot(shots: Screenshots, page: Page, name: str) -> None:
    """The whole page from its top, the bar where it belongs."""
    page.evaluate("() => window.scrollTo(0, 0)")
    shots.take(page, name, full_page=True)


def save(page: Page) -> None:
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("saved-mark")).to_be_visible()


def set_goal(console, phone: Page, others: list[Page]) -> None:
    """Goal setting as a phone answers it: the second system goal, GOAL, and ACTION_STEPS with their dates."""
    everyone = [phone, *others]
    open_step(console, "1:system-goal", everyone, "Choose your system goal")
    phone.get_by_test_id("answer-goal").nth(1).click()
    save(phone)
    open_step(console, "1:goal", everyone, "Write your goal")
    phone.get_by_test_id("answer-text").fill(GOAL)
    save(phone)
    open_step(console, "1:action-steps", everyone, "Plan your action steps")
    phone.get_by_test_id("add-item").click()
    for n, (text, day) in enumerate(ACTION_STEPS):
        phone.get_by_test_id("answer-item").nth(n).fill(text)
        phone.get_by_test_id("answer-item-date").nth(n).fill(day)
    save(phone)


def test_a_goal_set_earlier_today_is_recalled_filled_in_and_its_steps_rated(
    live_server, contexts, peers, shots
) -> None:
    created = live_server.create_session(agenda=["goal-setting", "revisit-goals"])
    code = created["code"]
    console = peers(live_server.url, "/facilitator", code=code, key=created["facilitator_key"]).connect()
    ana = contexts(PHONE).new_page()
    ben = contexts(SMALL_PHONE).new_page()
    join(ana, live_server.url, code, "Ana")
    join(ben, live_server.url, code, "Ben")

    # Goal setting, earlier in the day: Ana sets a goal under a system goal, with two dated action steps. Ben does not.
    set_goal(console, ana, [ben])

    # Revisit: Ana's goal so far, from earlier today; her system goal is chosen for her, not saved until she says.
    open_step(console, "2:system-goal", [ana, ben], "Your system goal")
    recall = ana.get_by_test_id("recall")
    expect(recall).to_be_visible()
    expect(ana.get_by_test_id("recall-source")).to_have_text("Earlier today")
    expect(ana.locator("#recall-list > dd")).to_have_text(
        ["Feedback that moves learning forward", GOAL, re.compile(f"{ACTION_STEPS[0][0]}.*{ACTION_STEPS[1][0]}", re.S)]
    )
    expect(ana.get_by_test_id("answer-goal").nth(1)).to_have_attribute("aria-pressed", "true")
    expect(ana.get_by_test_id("answer-message")).to_have_text(re.compile("Filled in from your plan"))
    expect(ana.get_by_test_id("saved-mark")).to_be_hidden()
    expect(ana.get_by_test_id("recall-note")).to_be_hidden()
    save(ana)

    # Ben has no goal yet: no recalled block, the first-timer's prompt, a note on what comes next, nothing chosen.
    expect(ben.get_by_test_id("recall")).to_be_hidden()
    expect(ben.get_by_test_id("step-prompt")).to_have_text("Which of our system goals will your own goal serve?")
    expect(ben.get_by_test_id("recall-note")).to_have_text(re.compile("Your first day with a goal here"))
    expect(ben.locator("[data-testid=answer-goal][aria-pressed=true]")).to_have_count(0)

    # The goal: Ana's is filled in to keep or sharpen; Ben is asked to write one.
    open_step(console, "2:goal", [ana, ben], "Your goal")
    expect(ana.get_by_test_id("answer-text")).to_have_value(GOAL)
    expect(ana.get_by_test_id("step-prompt")).to_have_text(re.compile("Here is the goal you set"))
    expect(ben.get_by_test_id("step-prompt")).to_have_text(re.compile(FIRST_TIME_GOAL_PROMPT))
    expect(ben.get_by_test_id("answer-text")).to_have_value("")
    assert_accessible(ana, "phone revisit step")
    screenshot(shots, ana, "phone-revisit-390")
    save(ana)

    # Progress: one row per action step Ana planned, each rated before it can be saved.
    open_step(console, "2:progress", [ana, ben], "Progress on each step")
    rows = ana.get_by_test_id("progress-row")
    expect(rows).to_have_count(2)
    expect(rows.locator(".progress-step")).to_have_text([text for text, _ in ACTION_STEPS])
    expect(rows.nth(0).get_by_test_id("progress-level")).to_have_count(5)
    expect(rows.nth(0).locator(".scale-ends")).to_have_text("Not startedDone")
    rows.nth(0).get_by_test_id("progress-level").nth(2).click()
    ana.get_by_test_id("submit").click()
    expect(ana.get_by_test_id("answer-message")).to_have_text(re.compile(f"“{ACTION_STEPS[1][0]}” has no level yet"))
    expect(ana.get_by_test_id("saved-mark")).to_be_hidden()
    rows.nth(1).get_by_test_id("progress-level").nth(0).click()
    save(ana)
    assert_accessible(ana, "phone progress step")
    screenshot(shots, ana, "phone-progress-390")

    # Ben listens: the step is for people returning to a goal, and says so (not "answered by your group's …").
    expect(ben.get_by_test_id("step-note")).to_have_text(re.compile("This step is for people returning to a goal"))
    expect(ben.get_by_test_id("submit")).to_be_hidden()
    expect(ben.get_by_test_id("progress-row")).to_have_count(0)

    # A reload brings the levels back from the server.
    ana.reload()
    expect(ana.get_by_test_id("step-title")).to_have_text("Progress on each step")
    rows = ana.get_by_test_id("progress-row")
    expect(rows).to_have_count(2)
    for n, level in enumerate(["3", "1"]):
        expect(rows.nth(n).locator("[aria-pressed=true]")).to_have_attribute("data-value", level)
    expect(ana.get_by_test_id("answer-message")).to_have_text(re.compile("You answered this already"))


def connect_auths(requests: list[Request]) -> list[dict]:
    """The ``auth`` of every Socket.IO connect to /participant the page sent (over HTTP long-polling, its start)."""
    found = []
    for request in requests:
        for packet in (request.post_data or "").split("\x1e"):
            if packet.startswith("40/participant,"):
                found.append(json.loads(packet.removeprefix("40/participant,")))
    return found


def test_a_phone_names_the_plans_of_other_sessions_it_holds(live_server, contexts) -> None:
    first = live_server.create_session(title="Autumn PD day")
    second = live_server.create_session(title="Spring PD day")
    page = contexts(PHONE).new_page()
    sent: list[Request] = []
    page.on("request", lambda request: sent.append(request) if "/socket.io/" in request.url else None)

    join(page, live_server.url, first["code"], "Ana")
    first_token = page.evaluate(f"() => localStorage.getItem('pathways:token:{first['code']}')")
    assert connect_auths(sent)[-1]["earlier"] == []
    # Plan pages this browser opened keep their tokens: one of another person's phone, one of this session's.
    page.evaluate(
        "(tokens) => localStorage.setItem('pathways:plans', JSON.stringify(tokens))", ["plan-token-x", first_token]
    )

    join(page, live_server.url, second["code"], "Ana")
    joined = connect_auths(sent)[-1]
    assert joined["name"] == "Ana" and "identifier" not in joined
    assert joined["earlier"] == [first_token, "plan-token-x"]  # the plan opened last first, each once

    second_token = page.evaluate(f"() => localStorage.getItem('pathways:token:{second['code']}')")
    page.reload()
    expect(page.get_by_test_id("lobby")).to_be_visible()
    back = connect_auths(sent)[-1]
    assert back["token"] == second_token
    assert sorted(back["earlier"]) == sorted([first_token, "plan-token-x"])  # never its own token


def test_a_goal_from_an_earlier_session_comes_back_with_its_check_ins(live_server, contexts, peers) -> None:
    made = requests.post(
        f"{live_server.url}/api/organisations",
        json={"name": "Riverside District", "system_goals": GOALS},
        headers=admin_headers(),
        timeout=10,
    )
    assert made.status_code == 201, made.text

    def session(title: str, day: str, agenda: list[str]) -> tuple[dict, object]:
        body = {"title": title, "organisation_id": made.json()["id"], "date": day, "agenda": agenda}
        created = requests.post(f"{live_server.url}/api/sessions", json=body, headers=admin_headers(), timeout=10)
        assert created.status_code == 201, created.text
        code, key = created.json()["code"], created.json()["facilitator_key"]
        return created.json(), peers(live_server.url, "/facilitator", code=code, key=key).connect()

    # October: Ana joins from her phone, linking her plans by her e-mail (not without ticking the box), sets a goal.
    autumn, autumn_console = session("Autumn PD day", "2026-10-20", ["goal-setting"])
    phone = contexts(PHONE).new_page()
    phone.goto(f"{live_server.url}/j/{autumn['code']}")
    expect(phone.get_by_test_id("consent-input")).to_be_visible()
    expect(phone.locator("label.check")).to_contain_text("Link my plans from Riverside District's sessions")
    assert_accessible(phone, "phone join form with an e-mail or staff id")
    phone.get_by_test_id("name-input").fill("Ana")
    phone.get_by_test_id("identifier-input").fill(f"  {IDENTIFIER} ")
    phone.get_by_test_id("join-button").click()
    expect(phone.get_by_test_id("name-error")).to_have_text(re.compile("Tick the box"))
    expect(phone.get_by_test_id("consent-input")).to_be_focused()
    expect(phone.get_by_test_id("lobby")).to_be_hidden()
    phone.get_by_test_id("consent-input").check()
    phone.get_by_test_id("join-button").click()
    expect(phone.get_by_test_id("lobby")).to_contain_text("You're in, Ana")
    set_goal(autumn_console, phone, [])
    autumn_token = phone.evaluate(f"() => localStorage.getItem('pathways:token:{autumn['code']}')")

    # November: a check-in on her plan page.
    check_in = {
        "progress": [{"step": ACTION_STEPS[0][0], "level": 3}, {"step": ACTION_STEPS[1][0], "level": 1}],
        "evidence": "Two thirds of year 8 got the ticket question right by week three.",
        "evidence_link": "https://drive.example.org/exit-tickets",
        "obstacles": "Reading the tickets takes longer than planned.",
        "support": ["coaching"],
    }
    recorded = requests.post(f"{live_server.url}/p/{autumn_token}/check-ins", json=check_in, timeout=10)
    assert recorded.status_code == 201, recorded.text

    # Spring: the same phone joins the revisit; it holds the autumn plan, so her goal and check-in come back.
    spring, spring_console = session("Spring PD day", "2027-03-15", ["revisit-goals"])
    join(phone, live_server.url, spring["code"], "Ana")
    tablet = contexts(SMALL_PHONE).new_page()  # her tablet: her e-mail, but not the autumn plan
    join(tablet, live_server.url, spring["code"], "Ana", IDENTIFIER)
    open_step(spring_console, "1:system-goal", [phone, tablet], "Your system goal")
    expect(phone.get_by_test_id("recall-source")).to_have_text("Autumn PD day · 20 October 2026")
    expect(phone.locator("#recall-list > dd").nth(1)).to_have_text(GOAL)
    expect(phone.get_by_test_id("answer-goal").nth(1)).to_have_attribute("aria-pressed", "true")
    newest = phone.get_by_test_id("check-in").first
    expect(newest).to_have_attribute("open", "")
    expect(newest.locator("li")).to_have_text(
        [f"{ACTION_STEPS[0][0]}: 3 of 5 · Halfway", f"{ACTION_STEPS[1][0]}: 1 of 5 · Not started"]
    )
    link = newest.get_by_role("link", name=check_in["evidence_link"])
    expect(link).to_have_attribute("href", check_in["evidence_link"])
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener")
    expect(newest).to_contain_text(check_in["obstacles"])
    expect(newest).to_contain_text("Coaching")

    # The tablet is told where her plan is; once the autumn plan is opened in this browser, the step recalls it.
    expect(tablet.get_by_test_id("recall-note")).to_have_text(re.compile("An earlier plan matches the e-mail"))
    expect(tablet.get_by_test_id("recall")).to_be_hidden()
    expect(tablet.get_by_test_id("step-prompt")).to_have_text("Which of our system goals will your own goal serve?")
    plan_tab = tablet.context.new_page()
    plan_tab.goto(f"{live_server.url}/j")
    plan_tab.evaluate("(token) => localStorage.setItem('pathways:plans', JSON.stringify([token]))", autumn_token)
    expect(tablet.get_by_test_id("recall-source")).to_have_text("Autumn PD day · 20 October 2026")
    expect(tablet.get_by_test_id("recall-note")).to_be_hidden()
    expect(tablet.get_by_test_id("step-prompt")).to_have_text(re.compile("The one you chose last time is marked"))
