"""The follow-up in a real browser: an organisation made on the admin page, a session made for it, phones setting
goals over real sockets, and the leaders' view its link opens (counts, progress, obstacles, support requests, the CSV,
"Followed up"). Debian's Chromium through Playwright against `pathways serve`.
"""

import csv
import io
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.support.admin import ADMIN_TOKEN, admin_headers
from tests.support.browser import CONSOLE, PROJECTOR, SMALL_PROJECTOR, Screenshots, assert_accessible

pytestmark = pytest.mark.live


@pytest.fixture
def pages(contexts) -> Any:
    """A new page in a fresh context that accepts downloads (the CSV)."""
    return lambda viewport: contexts(viewport, accept_downloads=True).new_page()


def api(url: str, path: str) -> dict[str, Any]:
    response = requests.get(f"{url}{path}", headers=admin_headers(), timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def follow_up(url: str, organisation_id: int, key: str) -> dict[str, Any]:
    response = requests.get(
        f"{url}/api/follow-up?organisation={organisation_id}", headers={"X-Organisation-Key": key}, timeout=10
    )
    assert response.status_code == 200, response.text
    return response.json()


def make_organisation_on_the_admin_page(page: Page, url: str, shots: Screenshots) -> tuple[dict[str, Any], str]:
    """The organisation Riverside District with three goals, the third then archived; its leaders' link."""
    page.goto(f"{url}/admin")
    page.get_by_label("Admin token").fill(ADMIN_TOKEN)
    page.get_by_label("Admin token").press("Enter")
    expect(page.get_by_test_id("organisations-status")).to_contain_text("No organisations yet")

    page.get_by_test_id("new-organisation").click()
    expect(page.get_by_test_id("editor-heading")).to_have_text("New organisation")
    expect(page.get_by_label("Organisation name")).to_be_focused()
    page.get_by_label("Organisation name").fill("Riverside District")
    page.get_by_label("Paste the organisation's goals, one per line").fill(
        "Every student reads fluently by grade 3 — Literacy across the curriculum\n"
        "Feedback that moves learning forward\n"
        "Belonging — for every learner"
    )
    page.get_by_test_id("organisation-goals-add").click()
    expect(page.get_by_test_id("organisation-goal-rows").locator("li")).to_have_count(3)
    expect(page.get_by_label("Organisation goal 3, description (optional)")).to_have_value("for every learner")
    page.get_by_test_id("organisation-submit").click()

    link = page.get_by_test_id("leaders-link")
    expect(link).to_be_visible()
    expect(link).to_be_focused()
    expect(page.get_by_test_id("leaders-link-warning")).to_contain_text("shown only once")
    leaders_url = page.get_by_test_id("leaders-url").input_value()
    listed = api(url, "/api/organisations")["organisations"]
    assert [o["name"] for o in listed] == ["Riverside District"]
    made = listed[0]
    assert leaders_url.startswith(f"{url}/leaders#organisation={made['id']}&key=")
    assert [g["title"] for g in made["system_goals"]] == [
        "Every student reads fluently by grade 3",
        "Feedback that moves learning forward",
        "Belonging",
    ]
    assert made["system_goals"][0]["description"] == "Literacy across the curriculum"
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_test_id("leaders-copy").click()
    expect(page.get_by_test_id("leaders-copied")).to_have_text("Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == leaders_url
    expect(page.get_by_test_id(f"organisation-{made['id']}")).to_contain_text("3 goals · 0 sessions · 0 people")
    shots.take(page, "admin-organisations-1440x900")

    # Back to the organisation: a goal left out is archived (said before saving), and offered back afterwards.
    page.get_by_test_id("leaders-done").click()
    expect(page.get_by_test_id("leaders-url")).to_have_value("")  # the key is not left in the page
    page.get_by_role("button", name="Remove organisation goal 3").click()
    expect(page.get_by_test_id("organisation-archiving")).to_contain_text("“Belonging”")
    expect(page.get_by_test_id("organisation-archiving")).to_contain_text("not deleted")
    page.get_by_test_id("organisation-submit").click()
    expect(page.get_by_test_id("organisation-saved")).to_have_text("Saved.")
    expect(page.get_by_test_id("archived-goals")).to_contain_text("Belonging")
    expect(page.get_by_role("button", name="Bring back “Belonging”")).to_be_visible()
    shown = api(url, f"/api/organisations/{made['id']}")
    assert [g["title"] for g in shown["archived_goals"]] == ["Belonging"]
    assert [g["id"] for g in shown["system_goals"]] == [g["id"] for g in made["system_goals"][:2]]

    # A new leaders' link, after a warning: the old one stops opening the follow-up.
    page.get_by_test_id("organisation-new-key").click()
    expect(page.get_by_test_id("confirm-dialog")).to_contain_text("the old link stops opening the follow-up")
    page.get_by_test_id("confirm-yes").click()
    expect(page.get_by_test_id("leaders-link")).to_be_focused()
    new_url = page.get_by_test_id("leaders-url").input_value()
    assert new_url != leaders_url and new_url.startswith(f"{url}/leaders#organisation={made['id']}&key=")
    old = requests.get(f"{url}/api/follow-up?organisation={made['id']}",
                       headers={"X-Organisation-Key": leaders_url.split("&key=")[1]}, timeout=10)  # fmt: skip
    assert old.status_code == 403
    page.get_by_test_id("leaders-done").click()
    return shown, new_url


def make_session_for_it(page: Page, url: str, organisation: dict[str, Any]) -> dict[str, Any]:
    """A session made from the organisation: its two current goals, then one of the session's own."""
    page.get_by_test_id("organisation-new-session").click()
    expect(page.get_by_test_id("editor-heading")).to_have_text("New session")
    expect(page.get_by_label("Follow-up organisation")).to_have_value(str(organisation["id"]))
    expect(page.get_by_label("Organisation (optional)")).to_be_hidden()  # the organisation names the session
    shared = page.get_by_test_id("shared-goals")
    expect(shared).to_contain_text("From Riverside District")
    expect(shared.locator("li")).to_have_count(2)
    expect(shared).not_to_contain_text("Belonging")  # archived: not offered to new sessions
    expect(page.get_by_text("Up to 8 goals of this session's own")).to_be_visible()
    page.get_by_label("Session title").fill("Autumn PD day")
    page.get_by_label("Date", exact=True).fill("2026-10-20")
    page.get_by_label("Paste goals to add, one per line").fill("Outdoor learning — our school's own")
    page.get_by_test_id("goals-add").click()
    expect(page.get_by_label("Goal 3", exact=True)).to_have_value("Outdoor learning")  # numbered after the shared two
    assert_accessible(page, "the admin page making a session for an organisation")
    expect(page.get_by_test_id("agenda-row-1")).to_contain_text("Goal setting")  # the starting agenda is there
    page.get_by_test_id("form-submit").click()
    expect(page.get_by_test_id("created")).to_be_visible()
    code = page.get_by_test_id("created-code").inner_text()
    console_url = page.get_by_test_id("console-url").input_value()
    made = api(url, f"/api/sessions/{code}")
    assert (made["organisation"], made["organisation_id"], made["date"]) == (
        "Riverside District",
        organisation["id"],
        "2026-10-20",
    )
    assert [g["title"] for g in made["system_goals"]] == [
        "Every student reads fluently by grade 3",
        "Feedback that moves learning forward",
        "Outdoor learning",
    ]
    expect(page.get_by_test_id(f"organisation-{organisation['id']}")).to_contain_text("1 session")
    page.get_by_test_id("created-edit").click()
    expect(page.get_by_label("Follow-up organisation")).to_be_disabled()  # made as the organisation's, for good
    expect(page.get_by_test_id("copied-goals-note")).to_be_visible()
    return {**made, "facilitator_key": console_url.split("#key=")[1]}


def run_to(console, phones, step_id: str) -> None:
    while True:
        ack = console.call("next")
        assert ack["ok"] and ack["phase"] != "ended", ack
        if ack["step_id"] == step_id:
            break
    for phone in phones:
        phone.wait_for("state", lambda s: s["step"] and s["step"]["id"] == step_id)


def answer(phone, step_id: str, value: Any) -> None:
    ack = phone.call("answer", {"step_id": step_id, "answer_id": f"a-{step_id}", "value": value})
    assert ack["ok"], (step_id, ack)


def set_goals_on_phones(url: str, session: dict[str, Any], peers) -> dict[str, str]:
    """Ana (with her e-mail) and Ben set goals under literacy and ask for support; Cara joins and sets none.
    Returns each phone's plan token."""
    code = session["code"]
    console = peers(url, "/facilitator", code=code, key=session["facilitator_key"]).connect()
    ana = peers(url, "/participant", code=code, name="Ana", identifier="ana@riverside.org", consent=True).connect()
    ben = peers(url, "/participant", code=code, name="Ben").connect()
    cara = peers(url, "/participant", code=code, name="Cara").connect()
    phones = [ana, ben, cara]
    tokens = {
        name: phone.wait_for("welcome")["token"] for name, phone in zip(("ana", "ben", "cara"), phones, strict=True)
    }
    literacy = session["system_goals"][0]["id"]
    run_to(console, phones, "1:system-goal")
    answer(ana, "1:system-goal", literacy)
    answer(ben, "1:system-goal", literacy)
    run_to(console, phones, "1:obstacles")
    answer(ana, "1:obstacles", "Not enough time for reading conferences")
    answer(ben, "1:obstacles", "Not enough time to plan guided reading")
    run_to(console, phones, "1:goal")
    answer(ana, "1:goal", "Every student in 3B reads 90 words a minute by June")
    answer(ben, "1:goal", "Guided reading groups four times a week")
    run_to(console, phones, "1:action-steps")
    answer(ana, "1:action-steps", [{"text": "Daily paired reading", "date": "2026-11-02"},
                                   {"text": "Running records every fortnight", "date": "2026-11-16"}])  # fmt: skip
    answer(ben, "1:action-steps", [{"text": "Plan the groups", "date": "2026-11-01"}])
    run_to(console, phones, "1:support")
    answer(ana, "1:support", ["coaching"])
    answer(ben, "1:support", ["materials", "release-time"])
    run_to(console, phones, "1:worry")
    answer(ana, "1:worry", "PRIVATE-ana-worry-never-leaves")
    for peer in (*phones, console):
        peer.disconnect()
    return tokens


def downloaded_csv(page: Page) -> list[dict[str, str]]:
    with page.expect_download() as download:
        page.get_by_test_id("download-csv").click()
    assert download.value.suggested_filename == "support-requests.csv"
    data = Path(download.value.path()).read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(data)))


def test_leaders_follow_up_an_organisation_made_on_the_admin_page(live_server, pages, peers, shots):
    url = live_server.url
    admin = pages(CONSOLE)
    organisation, leaders_url = make_organisation_on_the_admin_page(admin, url, shots)
    session = make_session_for_it(admin, url, organisation)
    tokens = set_goals_on_phones(url, session, peers)

    # Between the days Ana checks in: progress on her two steps, a new obstacle and new support (this replaces
    # what she asked for on the day). Her private note never reaches the leaders.
    check_in = {
        "progress": [{"step": "Daily paired reading", "level": 4}, {"step": "Running records", "level": 2}],
        "obstacles": "Not enough time for running records",
        "support": ["release-time"],
        "support_note": "Half a day to do running records",
        "private_note": "PRIVATE-ana-note-never-leaves",
    }
    response = requests.post(f"{url}/p/{tokens['ana']}/check-ins", json=check_in, timeout=10)
    assert response.status_code == 201, response.text

    # The leaders' link opens the follow-up, under the app's own CSP.
    page = pages(SMALL_PROJECTOR)
    page.goto(leaders_url)
    expect(page.get_by_test_id("heading")).to_have_text("Riverside District")
    assert page.title() == "Riverside District · Follow-up · Pathways"
    expect(page.get_by_test_id("total-people")).to_have_text("3")
    expect(page.get_by_test_id("total-without-goal")).to_have_text("1")  # Cara joined and set no goal yet
    expect(page.get_by_test_id("total-open-requests")).to_have_text("3")
    goal = page.get_by_test_id("goal-1")
    expect(goal.get_by_role("heading", level=2)).to_have_text("Every student reads fluently by grade 3")
    expect(page.get_by_test_id("goal-1-counts")).to_have_text("2 people hold a goal under it · 1 of them checked in")
    expect(page.get_by_test_id("goal-2-counts")).to_have_text("Nobody holds a goal under it yet")
    archived = page.get_by_test_id("goal-3")
    expect(archived.get_by_role("heading", level=2)).to_have_text("Belonging")  # archived, its people still followed
    month = follow_up(url, organisation["id"], leaders_url.split("&key=")[1])["system_goals"][0]["progress"][0]
    assert (month["people"], month["mean_level"]) == (1, 3.0)
    expect(page.get_by_test_id("goal-1-progress").locator("li")).to_have_count(1)
    expect(page.get_by_test_id("goal-1-progress")).to_contain_text("3.0 of 5, 1 person")
    bar = page.get_by_test_id("goal-1-progress").locator(".column-bar")
    track = page.get_by_test_id("goal-1-progress").locator(".column-track")
    assert abs(bar.bounding_box()["height"] - 0.6 * track.bounding_box()["height"]) < 3  # 3 of 5, drawn under the CSP
    expect(page.get_by_test_id("goal-1-levels")).to_contain_text("Halfway: 1 of 1")
    expect(page.get_by_test_id("goal-1-obstacles").locator("li").first).to_have_text("time2 people")

    table = page.get_by_test_id("goal-1-requests")
    expect(table.locator("tbody tr")).to_have_count(3)
    ana_row = table.locator("tbody tr", has_text="Ana")
    expect(ana_row).to_contain_text("ana@riverside.org")
    expect(ana_row).to_contain_text("Release time")
    expect(ana_row).to_contain_text("Half a day to do running records")
    expect(ana_row).to_contain_text("Check-in")
    expect(ana_row).to_contain_text("Goal: Every student in 3B reads 90 words a minute by June")
    ben_rows = table.locator("tbody tr", has_text="Ben")
    expect(ben_rows).to_have_count(2)
    expect(ben_rows.first).to_contain_text("Autumn PD day")
    content = page.content()
    assert "PRIVATE-" not in content and "ana-note" not in content
    assert page.evaluate("document.scrollingElement.scrollWidth") <= SMALL_PROJECTOR["width"]
    shots.take(page, "leaders-1280x720")

    rows = downloaded_csv(page)
    assert sorted((row["name"], row["email_or_staff_id"], row["support"], row["where"]) for row in rows) == [
        ("Ana", "ana@riverside.org", "Release time", "Check-in"),
        ("Ben", "", "Materials or resources", "Autumn PD day"),
        ("Ben", "", "Release time", "Autumn PD day"),
    ]
    expect(page.get_by_test_id("status")).to_have_text("support-requests.csv is in your downloads.")

    page.get_by_role("button", name="Mark Release time for Ana as followed up").click()
    expect(page.get_by_test_id("status")).to_have_text("Release time for Ana is marked as followed up.")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table).not_to_contain_text("Ana")
    expect(page.get_by_test_id("total-open-requests")).to_have_text("2")
    expect(table.locator("tbody tr").first.get_by_role("button")).to_be_focused()  # on to the next request
    assert follow_up(url, organisation["id"], leaders_url.split("&key=")[1])["open_requests"] == 2
    assert len(downloaded_csv(page)) == 2
    page.get_by_test_id("refresh").click()
    expect(page.get_by_test_id("total-open-requests")).to_have_text("2")  # closed for good, not just on screen

    projected = pages(PROJECTOR)
    projected.goto(leaders_url)
    expect(projected.get_by_test_id("goal-1-requests").locator("tbody tr")).to_have_count(2)
    assert projected.evaluate("document.scrollingElement.scrollWidth") <= PROJECTOR["width"]
    assert_accessible(projected, "the leaders' view with progress, obstacles and requests, projected")


def test_a_wrong_key_is_refused_and_the_form_opens_the_follow_up(live_server, pages):
    url = live_server.url
    made = requests.post(
        f"{url}/api/organisations",
        json={"name": "Riverside District", "system_goals": ["Literacy"]},
        headers=admin_headers(),
        timeout=10,
    ).json()
    body = {"title": "Autumn PD day", "organisation_id": made["id"]}
    session = requests.post(f"{url}/api/sessions", json=body, headers=admin_headers(), timeout=10).json()
    standalone = live_server.create_session()
    page = pages(PROJECTOR)

    page.goto(f"{url}/leaders#organisation={made['id']}&key=not-the-key")
    expect(page.get_by_test_id("error")).to_have_text(
        "That key does not open this follow-up. Check the link, or ask the admin for a new one."
    )
    expect(page.get_by_test_id("open-form")).to_be_visible()
    expect(page.get_by_test_id("view")).to_be_hidden()
    expect(page.get_by_label("Leaders' link")).to_be_focused()
    page.get_by_label("Leaders' link").fill(f"{url}/leaders#organisation={made['id']}")
    page.get_by_test_id("open-submit").click()
    expect(page.get_by_test_id("error")).to_contain_text("That link holds no key")

    page.get_by_label("Leaders' link").fill("")
    page.get_by_label("Organisation number").fill(str(made["id"]))
    page.get_by_label("Key").fill(made["key"])
    page.get_by_test_id("open-submit").click()
    expect(page.get_by_test_id("heading")).to_have_text("Riverside District")
    expect(page.get_by_test_id("heading")).to_be_focused()
    expect(page.get_by_test_id("error")).to_be_hidden()
    assert page.evaluate("window.location.hash") == f"#organisation={made['id']}&key={made['key']}"
    expect(page.get_by_test_id("goal-1-counts")).to_have_text("Nobody holds a goal under it yet")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PROJECTOR["width"]
    assert_accessible(page, "the leaders' view")

    # A console link of one of the organisation's sessions opens it too; a session of no organisation says why not.
    page.goto(f"{url}/leaders")
    page.get_by_label("Leaders' link").fill(session["console_url"])
    page.get_by_test_id("open-submit").click()
    expect(page.get_by_test_id("heading")).to_have_text("Riverside District")
    page.goto(f"{url}/leaders#code={standalone['code']}&key={standalone['facilitator_key']}")
    expect(page.get_by_test_id("error")).to_contain_text("This session belongs to no organisation")
    assert_accessible(page, "the leaders' view asking for a link")
