"""A goal's measure in real browsers: the phone's measure box (its unit deciding what else it asks), the server's
reason shown where the person typed, the draft kept over a reload, the measure offered back on a revisit, and the
plan page's check-in form taking a new result of it."""

import re

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.support.browser import CONSOLE, PHONE, assert_accessible, join_phone

pytestmark = pytest.mark.live

WHAT = "Share of my class reading at grade level"
GOAL = "By June, every reader in 3B reads at grade level"


def open_step(console, page: Page, step_id: str, title: str) -> None:
    assert console.call("goto", {"step_id": step_id})["ok"]
    expect(page.get_by_test_id("step-title")).to_have_text(title)


def fill_point(page: Page, name: str, value: str, day: str) -> None:
    page.get_by_test_id(f"measure-{name}-value").fill(value)
    page.get_by_test_id(f"measure-{name}-date").fill(day)


def test_a_measure_is_written_on_the_phone_and_its_results_recorded_at_check_ins(
    live_server, contexts, peers, shots
) -> None:
    created = live_server.create_session(agenda=["goal-setting", "revisit-goals"])
    code = created["code"]
    console = peers(live_server.url, "/facilitator", code=code, key=created["facilitator_key"]).connect()
    phone = contexts(PHONE).new_page()
    join_phone(phone, live_server.url, code, "Ana")
    open_step(console, phone, "1:goal", "Write your goal")
    phone.get_by_test_id("answer-text").fill(GOAL)
    phone.get_by_test_id("submit").click()
    expect(phone.get_by_test_id("saved-mark")).to_be_visible()
    open_step(console, phone, "1:measure", "How you will measure it")

    # The unit decides what else is asked: a rubric its number of levels, a percent nothing more.
    out_of = phone.get_by_test_id("measure-out-of")
    expect(out_of).to_be_hidden()
    expect(phone.get_by_label("Unit")).to_have_value("percent")
    phone.get_by_label("Unit").select_option("rubric")
    expect(out_of).to_be_visible()
    expect(phone.get_by_label("Number of rubric levels")).to_be_visible()
    out_of.fill("4")
    expect(phone.locator(".measure-baseline label").first).to_have_text("Level (1 to 4)")
    phone.get_by_label("Unit").select_option("percent")
    expect(out_of).to_be_hidden()
    expect(phone.locator(".measure-baseline label").first).to_have_text("Percent (0 to 100)")

    # Checked on the phone first, then by the server, whose reason shows under the box.
    phone.get_by_test_id("submit").click()
    expect(phone.get_by_test_id("answer-message")).to_have_text("Say what you will look at first.")
    phone.get_by_test_id("measure-what").fill(WHAT)
    fill_point(phone, "baseline", "40", "2026-12-01")
    phone.get_by_test_id("submit").click()
    expect(phone.get_by_test_id("answer-message")).to_have_text("Give the target a number and a date.")
    fill_point(phone, "target", "40", "2027-06-01")
    phone.get_by_test_id("submit").click()
    expect(phone.get_by_test_id("answer-message")).to_have_text("The target must differ from the baseline.")
    expect(phone.get_by_test_id("saved-mark")).to_be_hidden()

    # What was typed is kept on the phone: a reload brings it back, not saved yet.
    phone.reload()
    expect(phone.get_by_test_id("measure-what")).to_have_value(WHAT)
    expect(phone.get_by_test_id("measure-target-value")).to_have_value("40")
    expect(phone.get_by_test_id("measure-baseline-date")).to_have_value("2026-12-01")
    expect(phone.get_by_test_id("answer-message")).to_have_text(re.compile("Restored what you had typed"))
    phone.get_by_test_id("measure-target-value").fill("80")
    phone.get_by_test_id("submit").click()
    expect(phone.get_by_test_id("saved-mark")).to_be_visible()
    assert_accessible(phone, "phone measure step")
    phone.evaluate("() => window.scrollTo(0, 0)")
    shots.take(phone, "phone-measure-390", full_page=True)

    # Revisit: the measure comes back filled in, to keep or change.
    open_step(console, phone, "2:measure", "How you will measure it")
    expect(phone.get_by_test_id("step-prompt")).to_have_text(re.compile("Here is how you said you would measure"))
    expect(phone.get_by_test_id("measure-what")).to_have_value(WHAT)
    expect(phone.get_by_test_id("measure-baseline-value")).to_have_value("40")
    expect(phone.get_by_test_id("measure-target-value")).to_have_value("80")
    expect(phone.get_by_test_id("measure-target-date")).to_have_value("2027-06-01")
    expect(phone.get_by_test_id("answer-message")).to_have_text(re.compile("Filled in from your plan so far"))
    expect(phone.get_by_test_id("saved-mark")).to_be_hidden()

    # The plan page's check-in form asks for a new result of the measure; one out of range is refused, kept as typed.
    token = phone.evaluate(f"() => localStorage.getItem('pathways:token:{code}')")
    plan = phone.context.new_page()
    plan.goto(f"{live_server.url}/p/{token}/plan")
    result = plan.get_by_label("New result (optional)")
    expect(result).to_be_visible()
    expect(plan.locator("#check-in-result-hint")).to_contain_text(
        f"{WHAT}: 40% on 1 December 2026 → 80% by 1 June 2027"
    )
    expect(plan.locator("#check-in-result-hint")).to_contain_text("percent (0 to 100)")
    plan.get_by_test_id("check-in-row").nth(0).get_by_label("Halfway").check()
    result.fill("120")
    plan.get_by_test_id("check-in-submit").click()
    expect(plan.get_by_test_id("check-in-error")).to_contain_text("The result: a percent is between 0 and 100.")
    expect(plan.get_by_label("New result (optional)")).to_have_value("120")
    plan.get_by_test_id("check-in-row").nth(0).get_by_label("Halfway").check()
    plan.get_by_label("New result (optional)").fill("55")
    plan.get_by_test_id("check-in-submit").click()
    expect(plan).to_have_url(re.compile(r"saved=1"))
    data = requests.get(f"{live_server.url}/p/{token}/my-data.json", timeout=10).json()
    assert [(c["result"], c["result_line"]) for c in data["check_ins"]] == [(55, "Result: 55%")]


def test_the_console_reads_a_measure_as_a_sentence(live_server, contexts, peers) -> None:
    created = live_server.create_session(agenda=["goal-setting"])
    console = contexts(CONSOLE).new_page()
    console.goto(f"{live_server.url}/console/{created['code']}#key={created['facilitator_key']}")
    expect(console.get_by_test_id("connection")).to_have_attribute("data-state", "connected")
    driver = peers(live_server.url, "/facilitator", code=created["code"], key=created["facilitator_key"]).connect()
    phone = peers(live_server.url, "/participant", code=created["code"], name="Ana").connect()
    assert driver.call("goto", {"step_id": "1:measure"})["ok"]
    measure = {"what": WHAT, "unit": "score", "out_of": 20, "baseline": {"value": 8, "date": "2026-12-01"},
               "target": {"value": 16, "date": "2027-06-01"}}  # fmt: skip
    assert phone.call("answer", {"step_id": "1:measure", "answer_id": "m", "value": measure})["ok"]
    expect(console.get_by_test_id("answer").first).to_contain_text(
        f"{WHAT}: 8 / 20 on Dec 1, 2026 → 16 / 20 by Jun 1, 2027"  # the console writes days as its others
    )  # it read "undefined (by undefined)" before
