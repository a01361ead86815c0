"""The person's side of the coaching loop on their plan page, in a real browser: who their coach is, the state of
each support request, their goal with its versions and agreement, the conversation with a reply box, accepting a
suggestion (the goal gets a new version, agreed by both, and the coach's view says so) or declining it with a reason,
a check-in the coach answered, their reminders, and withdrawing their consent. Nothing typed anywhere on the page is
lost when the section is read again. A plan page outside an organisation has no such section.
"""

import io
import os
import re
import subprocess
import sys

import pytest
import requests
from PIL import Image
from playwright.sync_api import Page, expect

from tests.support import ROOT
from tests.support.admin import admin_headers
from tests.support.browser import CONSOLE, PHONE, SMALL_PHONE, Screenshots, assert_accessible
from tests.support.coached_people import (
    ANA_GOAL,
    CHECK_IN_ANSWER,
    COACH,
    COMMENT,
    GOALS,
    REWORDED,
    SCREENS,
    WHY,
    CoachedDay,
    coached_day,
    day_in,
    private_note,
    written_day,
)
from tests.support.followup import PRIVATE_NOTE, TYPED, fill_check_in, set_goal
from tests.support.smtp import SmtpServer

pytestmark = pytest.mark.live


def small_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 40), (40, 120, 200)).save(out, "PNG")
    return out.getvalue()


REASON = "Tuesdays are full; could we meet on a Thursday?"


@pytest.fixture
def day(live_server, peers) -> CoachedDay:
    return coached_day(live_server.url, live_server.create_session, peers)


def coach_writes(day: CoachedDay, message: dict[str, object]) -> dict:
    """The coach writes to Ana through their API (the coach's page is tested in tests/test_coach_view_browser.py)."""
    response = day.coach_api("POST", f"/api/coach/people/{day.people['Ana'].person_id}/messages", json=message)
    assert response.status_code == 201, response.text
    return response.json()


def open_plan(page: Page, day: CoachedDay) -> None:
    page.goto(day.plan_url("Ana"))
    expect(page.get_by_test_id("coaching-coach")).to_have_text(f"Your coach: {COACH}")


def section_screenshot(page: Page, name: str) -> None:
    """The coaching section whole, on a phone-wide screen as tall as it (the plan page itself is many screens long)."""
    height = page.locator("#coaching").evaluate("(node) => Math.ceil(node.getBoundingClientRect().height)")
    page.set_viewport_size({"width": PHONE["width"], "height": height + 32})
    page.locator("#coaching").evaluate("(node) => window.scrollTo(0, node.getBoundingClientRect().top + scrollY - 16)")
    Screenshots(SCREENS).take(page, name)
    page.set_viewport_size(PHONE)


def test_a_suggestion_accepted_on_the_plan_page_makes_the_goal_agreed_on_both_sides(day: CoachedDay, contexts) -> None:
    # The coach comments and suggests a rewording, on their own page.
    coach = contexts(CONSOLE).new_page()
    coach.goto(f"{day.coach_url}&person={day.people['Ana'].person_id}")
    expect(coach.get_by_test_id("heading")).to_have_text("Ana Lima")
    coach.get_by_label("Your message").fill(COMMENT)
    coach.get_by_test_id("composer-send").click()
    expect(coach.get_by_test_id("message")).to_have_count(1)
    coach.get_by_label("What are you writing?").select_option(label="A rewording of the goal")
    coach.get_by_label("The goal, reworded").fill(REWORDED)
    coach.get_by_label("Why (optional)").fill(WHY)
    coach.get_by_test_id("composer-send").click()
    expect(coach.get_by_test_id("message")).to_have_count(2)

    # The teacher opens their plan page: their coach, their request, their goal not agreed yet, the conversation.
    page = contexts(PHONE).new_page()
    open_plan(page, day)
    expect(page.get_by_test_id("plan-jump-coaching")).to_have_attribute("href", "#coaching")
    request = page.get_by_test_id("coaching-request")
    expect(request).to_have_count(1)
    expect(request.get_by_test_id("coaching-request-state")).to_have_text("Open")
    expect(request).to_contain_text(f"Asked {written_day()} · Check-in · With {COACH}")
    expect(page.get_by_test_id("coaching-goal-now")).to_have_text(ANA_GOAL)
    expect(page.get_by_test_id("coaching-agreement")).to_have_text("Not agreed with your coach yet.")
    messages = page.get_by_test_id("coaching-message")
    expect(messages).to_have_count(2)
    expect(messages.nth(0)).to_contain_text(f"{COACH} · {written_day()} · Comment")
    expect(messages.nth(0)).to_contain_text(COMMENT)
    suggestion = messages.nth(1)
    expect(suggestion).to_contain_text("Suggests rewording your goal")
    expect(suggestion.get_by_test_id("coaching-proposal")).to_have_text(REWORDED)
    expect(suggestion).to_contain_text(WHY)

    # Half-typed words elsewhere on the page, and in the reply box, outlive the section being read again.
    page.get_by_label("Evidence gathered").fill("Half of what I meant to say")
    page.get_by_label(f"Write to {COACH}").fill("A reply I have not sent yet")
    suggestion.get_by_role("button", name=f"Accept: {REWORDED}").click()
    expect(page.get_by_test_id("coaching-status")).to_have_text(f"Accepted. Your goal now reads: “{REWORDED}”.")
    expect(page.get_by_test_id("coaching-goal-now")).to_have_text(REWORDED)
    expect(page.get_by_test_id("coaching-agreement")).to_have_text(f"✓ Agreed with {COACH} on {written_day()}")
    expect(page.locator("#coaching-goal-heading")).to_be_focused()
    versions = page.get_by_test_id("coaching-versions")
    expect(versions.locator("summary")).to_have_text("Earlier versions (1)")
    versions.locator("summary").click()
    expect(versions.get_by_test_id("coaching-version")).to_contain_text(ANA_GOAL)
    expect(versions.get_by_test_id("coaching-version")).to_contain_text("Autumn PD day")
    expect(page.get_by_test_id("coaching-message").nth(1).get_by_test_id("coaching-state")).to_have_text("You accepted")
    expect(page.get_by_test_id("coaching-accept")).to_have_count(0)
    expect(page.get_by_label("Evidence gathered")).to_have_value("Half of what I meant to say")
    expect(page.get_by_label(f"Write to {COACH}")).to_have_value("A reply I have not sent yet")
    assert day.coaching("Ana")["goal"]["agreement"] == f"Agreed with {COACH} on {written_day()}"
    assert_accessible(page, "the plan page's coaching, a suggestion accepted")
    section_screenshot(page, "plan-coaching")

    # The coach's view says so: the new version, agreed, and the suggestion accepted.
    coach.get_by_test_id("refresh").click()
    expect(coach.get_by_test_id("goal-now")).to_contain_text(REWORDED)
    expect(coach.get_by_test_id("agreement")).to_have_text(f"✓ Agreed with {COACH} on {written_day()}")
    expect(coach.get_by_test_id("version")).to_have_count(2)
    expect(coach.get_by_test_id("version").first).to_contain_text(f"Reworded with {COACH}")
    expect(coach.get_by_test_id("message").nth(1).get_by_test_id("suggestion-state")).to_have_text("Accepted")
    coach.get_by_test_id("back").click()
    row = coach.get_by_test_id("person-row").filter(has_text="Ana Lima")
    expect(row.get_by_test_id("agreed-badge")).to_have_text("Agreed")
    expect(row).to_contain_text(REWORDED)

    # Readable on a 320-px phone.
    page.set_viewport_size(SMALL_PHONE)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= SMALL_PHONE["width"]


def test_declining_needs_a_reason_and_the_coach_reads_it(day: CoachedDay, contexts) -> None:
    meeting = coach_writes(
        day, {"kind": "meeting", "day": day_in(12), "place": "Room 4", "body": "Tuesday after school?"}
    )
    page = contexts(PHONE).new_page()
    open_plan(page, day)
    proposal = page.get_by_test_id("coaching-message").filter(has_text="Proposes a meeting")
    expect(proposal.get_by_test_id("coaching-proposal")).to_have_text(f"{written_day(12)}, Room 4")

    proposal.get_by_role("button", name=f"Decline: {written_day(12)}, Room 4").click()
    reason = proposal.get_by_label(f"Why not? (needed: {COACH} reads it)")
    expect(reason).to_be_focused()
    proposal.get_by_test_id("coaching-decline-send").click()
    expect(proposal.get_by_test_id("coaching-answer-error")).to_have_text("Your reason is empty.")
    assert day.coaching("Ana")["thread"][0]["state"] == "pending"

    # Cancelled and opened again, what was typed is still there.
    reason.fill(REASON)
    proposal.get_by_test_id("coaching-decline-cancel").click()
    expect(proposal.get_by_test_id("coaching-decline-form")).to_be_hidden()
    expect(proposal.get_by_test_id("coaching-decline")).to_be_focused()
    proposal.get_by_test_id("coaching-decline").click()
    expect(reason).to_have_value(REASON)
    proposal.get_by_test_id("coaching-decline-send").click()
    expect(page.get_by_test_id("coaching-status")).to_have_text(f"Declined. {COACH} will read your reason.")
    expect(proposal.get_by_test_id("coaching-state")).to_have_text(f"You declined: {REASON}")
    expect(proposal.get_by_test_id("coaching-state")).to_be_focused()
    expect(proposal.get_by_test_id("coaching-accept")).to_have_count(0)

    person = day.coach_api("GET", f"/api/coach/people/{day.people['Ana'].person_id}").json()
    assert [(m["id"], m["state"], m["reason"]) for m in person["thread"]] == [(meeting["id"], "declined", REASON)]
    assert person["row"]["next_meeting"] is None, "a declined meeting is no meeting"
    coach = contexts(CONSOLE).new_page()
    coach.goto(f"{day.coach_url}&person={day.people['Ana'].person_id}")
    expect(coach.get_by_test_id("suggestion-state")).to_have_text(f"Declined: {REASON}")


def test_a_check_in_the_coach_answered_shows_in_the_thread_and_its_private_note_never_reaches_the_coach(
    day: CoachedDay, contexts
) -> None:
    page = contexts(PHONE).new_page()
    open_plan(page, day)
    fill_check_in(page, link=TYPED["evidence_link"])
    page.get_by_test_id("check-in-submit").click()
    expect(page.get_by_test_id("check-in-saved")).to_be_visible()

    coach = contexts(CONSOLE).new_page()
    coach.goto(f"{day.coach_url}&person={day.people['Ana'].person_id}")
    latest = coach.get_by_test_id("check-in").first
    expect(latest).to_contain_text(TYPED["obstacles"])
    expect(latest).to_contain_text(TYPED["evidence_link"])
    latest.get_by_test_id("answer-check-in").click()
    coach.get_by_label("Your message").fill(CHECK_IN_ANSWER)
    coach.get_by_test_id("composer-send").click()
    expect(coach.get_by_test_id("message")).to_contain_text(f"Answer to the check-in of {written_day()}")
    for shown in (coach.content(), day.coach_api("GET", "/api/coach").text,
                  day.coach_api("GET", f"/api/coach/people/{day.people['Ana'].person_id}").text):  # fmt: skip
        assert PRIVATE_NOTE not in shown and private_note("Ana Lima") not in shown

    page.reload()
    answer = page.get_by_test_id("coaching-message")
    expect(answer).to_have_count(1)
    expect(answer).to_contain_text(f"{COACH} · {written_day()} · Answer to your check-in of {written_day()}")
    expect(answer).to_contain_text(CHECK_IN_ANSWER)
    expect(page.get_by_test_id("check-in-private").filter(has_text=PRIVATE_NOTE)).to_have_count(1)  # hers, still


def test_a_reply_is_sent_once_and_waits_for_the_coach_as_unanswered(day: CoachedDay, contexts) -> None:
    coach_writes(day, {"kind": "question", "body": "Which class will you start with?"})
    page = contexts(PHONE).new_page()
    posted: list[str] = []
    page.on("request", lambda r: posted.append(r.url) if r.method == "POST" else None)
    open_plan(page, day)
    reply = page.get_by_label(f"Write to {COACH}")
    page.get_by_test_id("coaching-reply-send").click()
    expect(page.get_by_test_id("coaching-reply-error")).to_have_text("The message is empty.")
    expect(reply).to_be_focused()

    reply.fill("Year 8 on Tuesdays.")
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/messages")):
        page.get_by_test_id("coaching-reply-send").dblclick()
    expect(page.get_by_test_id("coaching-status")).to_have_text(f"Sent to {COACH}.")
    expect(page.get_by_test_id("coaching-message")).to_have_count(2)
    expect(page.get_by_test_id("coaching-message").nth(1)).to_contain_text("You · ")
    expect(reply).to_have_value("")
    assert len([url for url in posted if url.endswith("/messages")]) == 2  # the empty one refused, then one
    bodies = [m["body"] for m in day.coaching("Ana")["thread"]]
    assert bodies == ["Which class will you start with?", "Year 8 on Tuesdays."]

    coach = contexts(CONSOLE).new_page()
    coach.goto(day.coach_url)
    row = coach.get_by_test_id("person-row").filter(has_text="Ana Lima")
    expect(row.locator(".col-unanswered")).to_have_text("1 new")
    expect(coach.get_by_test_id("total-unanswered")).to_have_text("1")
    row.get_by_role("link", name="Open Ana Lima").click()
    expect(coach.get_by_test_id("message").nth(1)).to_contain_text("Ana Lima · ")
    expect(coach.get_by_test_id("message").nth(1)).to_contain_text("Year 8 on Tuesdays.")


def test_withdrawing_consent_asks_first_and_deletes_the_e_mail(day: CoachedDay, contexts) -> None:
    page = contexts(PHONE).new_page()
    open_plan(page, day)
    consent = page.get_by_test_id("coaching-consent")
    expect(consent).to_contain_text("ana@riverside.example")
    expect(page.get_by_test_id("plan-linked-by")).to_contain_text("ana@riverside.example")

    page.get_by_role("button", name="Withdraw my consent: delete my e-mail or staff id").click()
    expect(page.get_by_test_id("coaching-withdraw-confirm")).to_contain_text("Delete ana@riverside.example?")
    expect(page.get_by_test_id("coaching-withdraw-yes")).to_be_focused()
    page.get_by_test_id("coaching-withdraw-cancel").click()
    expect(page.get_by_test_id("coaching-withdraw-confirm")).to_be_hidden()
    assert day.coaching("Ana")["row"]["identifier"] == "ana@riverside.example", "nothing deleted on Cancel"

    page.get_by_test_id("coaching-withdraw").click()
    page.get_by_test_id("coaching-withdraw-yes").click()
    expect(page.get_by_test_id("coaching-status")).to_have_text(
        "Your e-mail or staff id is deleted. Nothing more will be e-mailed or linked by it."
    )
    expect(page.get_by_test_id("coaching-consent")).to_have_count(0)
    expect(page.get_by_test_id("plan-linked-by")).to_have_count(0)
    assert day.coaching("Ana")["row"]["identifier"] == ""
    page.reload()
    expect(page.get_by_test_id("plan-linked-by")).to_have_count(0)
    expect(page.get_by_test_id("coaching-coach")).to_have_text(f"Your coach: {COACH}")  # the coaching goes on


def remind(data_dir, url: str, **env: str) -> str:
    """One pass of ``pathways remind --send``, as an operator's timer runs it; its report."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PATHWAYS_")}
    done = subprocess.run(
        [sys.executable, "-m", "facilitator", "remind", "--send", "--data-dir", str(data_dir), "--public-url", url],
        cwd=ROOT, env={**environment, **env}, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_reminders_show_on_the_plan_page_and_a_reminder_s_link_opens_the_conversation(
    day: CoachedDay, live_server, contexts
) -> None:
    coach_writes(day, {"kind": "comment", "body": COMMENT})
    with SmtpServer() as mail:
        remind(live_server.data_dir, day.url, PATHWAYS_SMTP_URL=f"smtp://127.0.0.1:{mail.port}",
               PATHWAYS_MAIL_FROM="pathways@riverside.example")  # fmt: skip
        wrote = next(m for m in mail.wait_for(1) if m.subject == f"{COACH} wrote about your goal")
    link = re.search(r"http://\S+/r/\S+", wrote.body).group(0)

    page = contexts(PHONE).new_page()
    open_plan(page, day)
    reminder = page.get_by_test_id("coaching-reminder").filter(has_text=f"{COACH} wrote about your goal")
    expect(reminder).to_contain_text(f"{written_day()} · E-mailed")

    # Behind the reminder's link: the same conversation, drawn by the same script, and a reply goes through.
    page.goto(link)
    expect(page.get_by_test_id("coaching-coach")).to_have_text(f"Your coach: {COACH}")
    expect(page.get_by_test_id("coaching-message")).to_contain_text(COMMENT)
    assert_accessible(page, "a reminder's page with the conversation")
    page.get_by_label(f"Write to {COACH}").fill("Thank you, see you Tuesday.")
    page.get_by_test_id("coaching-reply-send").click()
    expect(page.get_by_test_id("coaching-message")).to_have_count(2)
    assert day.coaching("Ana")["thread"][-1]["body"] == "Thank you, see you Tuesday."

    # Evidence from the reminder's link: added and opened, never shared or deleted (a forwarded message gives no more).
    expect(page.get_by_test_id("evidence-camera")).to_have_attribute("capture", "environment")
    page.get_by_test_id("evidence-input").set_input_files(
        {"name": "exit tickets.png", "mimeType": "image/png", "buffer": small_png()}
    )
    expect(page.get_by_test_id("evidence-link")).to_have_text(["exit tickets.png"])
    expect(page.get_by_test_id("evidence-share")).to_have_count(0)
    expect(page.get_by_test_id("evidence-delete")).to_have_count(0)
    opened = page.get_by_test_id("evidence-link").get_attribute("href")
    assert requests.get(f"{day.url}{opened}", timeout=10).headers["Content-Type"] == "image/jpeg"  # kept re-encoded
    for method, ending in (("POST", "/delete"), ("DELETE", ""), ("POST", "/share")):
        refused = requests.request(method, f"{day.url}{opened}{ending}", json={"shared": True}, timeout=10)
        assert refused.status_code in (404, 405), (method, ending, refused.status_code)
    plan = contexts(PHONE).new_page()
    open_plan(plan, day)
    expect(plan.get_by_test_id("evidence-link")).to_have_text(["exit tickets.png"])
    expect(plan.get_by_test_id("evidence-share")).not_to_be_checked()

    coach = contexts(CONSOLE).new_page()
    coach.goto(day.coach_url)
    expect(coach.get_by_test_id("reminder").filter(has_text="Ana Lima asked for support")).to_have_count(1)
    expect(coach.get_by_test_id("reminder").filter(has_text="Ben Okafor has not checked in")).to_have_count(1)


def test_someone_without_a_coach_yet_is_told_how_one_comes(live_server, peers, contexts) -> None:
    made = requests.post(f"{live_server.url}/api/organisations", headers=admin_headers(), timeout=10,
                         json={"name": "Riverside District", "system_goals": GOALS}).json()  # fmt: skip
    session = live_server.create_session(organisation_id=made["id"], system_goals=GOALS)
    console = peers(live_server.url, "/facilitator", code=session["code"], key=session["facilitator_key"]).connect()
    phone = peers(live_server.url, "/participant", code=session["code"], name="Eve", identifier="eve@riverside.example",
                  consent=True).connect()  # fmt: skip
    token = phone.wait_for("welcome")["token"]
    set_goal(console.call, phone.call, session["system_goals"][0]["id"], ANA_GOAL, [])
    page = contexts(PHONE).new_page()
    page.goto(f"{live_server.url}/p/{token}/plan")
    expect(page.get_by_test_id("coaching-coach")).to_contain_text("No coach yet.")
    expect(page.get_by_test_id("coaching-coach")).to_contain_text("a coach of your system goal takes it on")
    expect(page.get_by_test_id("coaching-goal-now")).to_have_text(ANA_GOAL)
    expect(page.get_by_test_id("coaching-reply-form")).to_have_count(0)  # nobody to write to yet
    expect(page.get_by_test_id("plan-jump-coaching")).to_have_count(0)
    expect(page.get_by_test_id("coaching-consent")).to_contain_text("eve@riverside.example")


def test_a_plan_page_outside_an_organisation_has_no_coaching(live_server, peers, contexts) -> None:
    session = live_server.create_session()  # no organisation: no follow-up across sessions
    phone = peers(live_server.url, "/participant", code=session["code"], name="Dee").connect()
    token = phone.wait_for("welcome")["token"]
    assert requests.get(f"{live_server.url}/p/{token}/coaching.json", timeout=10).status_code == 404
    page = contexts(PHONE).new_page()
    page.goto(f"{live_server.url}/p/{token}/plan")
    expect(page.get_by_test_id("plan-participant")).to_have_text("Dee")
    expect(page.get_by_test_id("check-ins-none")).to_be_visible()
    expect(page.locator("#coaching")).to_have_count(0)
    expect(page.get_by_test_id("plan-jump-coaching")).to_have_count(0)
