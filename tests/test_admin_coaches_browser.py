"""An organisation's coaches on the admin page, in a real browser: added with the system goals they coach under, their
link shown once (copied, then gone from the page), edited, given a new link, removed after a warning; and the leaders'
e-mails for the weekly digest. Debian's Chromium through Playwright against `pathways serve`; every change the page
makes is checked in the API. The docs' screenshot: `PATHWAYS_SCREENSHOTS=docs/images/screens python3 -m pytest
tests/test_admin_coaches_browser.py`.
"""

from typing import Any

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.support.admin import ADMIN_TOKEN, admin_headers
from tests.support.browser import PHONE, Screenshots, assert_accessible

pytestmark = pytest.mark.live
LAPTOP = {"width": 1440, "height": 900}
GOALS = [{"title": "Literacy", "description": "Every student reads fluently by grade 3"}, {"title": "Feedback"},
         {"title": "Belonging"}]  # fmt: skip


def make_organisation(url: str) -> dict[str, Any]:
    body = {"name": "Riverside District", "system_goals": GOALS}
    response = requests.post(f"{url}/api/organisations", json=body, headers=admin_headers(), timeout=10)
    assert response.status_code == 201, response.text
    return response.json()


def coaches_of(url: str, organisation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    response = requests.get(
        f"{url}/api/organisations/{organisation['id']}/coaches", headers=admin_headers(), timeout=10
    )
    assert response.status_code == 200, response.text
    return {coach["name"]: coach for coach in response.json()["coaches"]}


def opens_the_coach_view(url: str, coach_url: str) -> int:
    """The status the coach's API answers with the id and key a coach link carries after #."""
    coach, key = (part.split("=", 1)[1] for part in coach_url.split("#", 1)[1].split("&"))
    return requests.get(f"{url}/api/coach?coach={coach}", headers={"X-Coach-Key": key}, timeout=10).status_code


def open_organisation(page: Page, url: str, organisation: dict[str, Any]) -> None:
    """The admin page with the token typed in (once per tab: it is kept for the tab), and the organisation open."""
    if page.url.startswith(f"{url}/admin"):
        page.reload()
    else:
        page.goto(f"{url}/admin")
        page.get_by_label("Admin token").fill(ADMIN_TOKEN)
        page.get_by_label("Admin token").press("Enter")
    page.get_by_test_id(f"organisation-{organisation['id']}").click()
    expect(page.get_by_test_id("editor-heading")).to_have_text("Organisation: Riverside District")


def add_coach(page: Page, name: str, email: str, goals: list[str]) -> None:
    page.get_by_test_id("coach-add").click()
    expect(page.get_by_label("Coach's name")).to_be_focused()
    page.get_by_label("Coach's name").fill(name)
    page.get_by_label("Coach's e-mail (optional)").fill(email)
    for goal in goals:
        page.get_by_test_id("coach-goals").get_by_label(goal).check()
    page.get_by_test_id("coach-submit").click()


def test_the_admin_adds_edits_links_and_removes_coaches(live_server, contexts, shots: Screenshots):
    url = live_server.url
    organisation = make_organisation(url)
    goal_ids = {goal["title"]: goal["id"] for goal in organisation["system_goals"]}
    page = contexts(LAPTOP).new_page()
    open_organisation(page, url, organisation)
    expect(page.get_by_test_id("coach-list")).to_have_text(
        "No coaches yet: support requests rest with the leaders until you add one."
    )

    # A coach of Literacy: their link is shown once, focused, and opens their view.
    add_coach(page, "Ms Diaz", "Diaz@Riverside.org", ["Literacy"])
    link = page.get_by_test_id("coach-link")
    expect(link).to_be_focused()
    expect(page.get_by_test_id("coach-link-heading")).to_have_text("Ms Diaz's link")
    expect(page.get_by_test_id("coach-link-warning")).to_contain_text("shown only once")
    diaz = coaches_of(url, organisation)["Ms Diaz"]
    assert (diaz["email"], diaz["goal_ids"], diaz["caseload"]) == ("diaz@riverside.org", [goal_ids["Literacy"]], 0)
    diaz_url = page.get_by_test_id("coach-url").input_value()
    assert diaz_url.startswith(f"{url}/coach#coach={diaz['id']}&key=")
    expect(page.get_by_test_id("coach-open")).to_have_attribute("href", diaz_url)
    assert opens_the_coach_view(url, diaz_url) == 200
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_test_id("coach-copy").click()
    expect(page.get_by_test_id("coach-copied")).to_have_text("Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == diaz_url
    item = page.get_by_test_id(f"coach-{diaz['id']}")
    expect(item).to_contain_text("diaz@riverside.org")
    expect(item).to_contain_text("Coaches under: Literacy")
    expect(page.get_by_test_id(f"coach-{diaz['id']}-caseload")).to_have_text("0 people")

    # A second coach with no e-mail and no goal in particular, while the first's link is still on screen.
    page.get_by_test_id("coach-link-done").click()
    expect(link).to_be_hidden()
    expect(page.get_by_test_id("coach-url")).to_have_value("")  # the key is not left in the page
    expect(page.get_by_test_id("coach-add")).to_be_focused()
    add_coach(page, "Mr Lee", "", [])
    expect(page.get_by_test_id("coach-link-heading")).to_have_text("Mr Lee's link")
    lee_url = page.get_by_test_id("coach-url").input_value()
    lee = coaches_of(url, organisation)["Mr Lee"]
    assert (lee["email"], lee["goal_ids"]) == ("", [])
    lee_item = page.get_by_test_id(f"coach-{lee['id']}")
    expect(lee_item).to_contain_text("No e-mail: reminders show in their view")
    expect(lee_item).to_contain_text("Any system goal")
    page.evaluate("document.getElementById('coaches-heading').scrollIntoView()")
    shots.take(page, "admin-coaches")
    assert_accessible(page, "the admin page with a coach's link shown once")

    # Shown once: opening the organisation again shows the coaches, never a link.
    open_organisation(page, url, organisation)
    expect(page.get_by_test_id(f"coach-{lee['id']}")).to_be_visible()
    expect(link).to_be_hidden()
    expect(page.get_by_test_id("coach-url")).to_have_value("")
    assert lee_url.split("&key=")[1] not in page.content()

    # Editing: a wrong e-mail is refused with the server's reason; a right one and a goal are kept.
    page.get_by_role("button", name="Edit Mr Lee").click()
    expect(page.get_by_test_id("coach-form-heading")).to_have_text("Edit: Mr Lee")
    expect(page.get_by_label("Coach's name")).to_have_value("Mr Lee")
    page.get_by_label("Coach's e-mail (optional)").fill("lee at riverside")
    page.get_by_test_id("coach-submit").click()
    expect(page.get_by_test_id("coach-error")).to_contain_text("e-mail address such as name@school.org")
    assert coaches_of(url, organisation)["Mr Lee"]["email"] == ""
    page.get_by_label("Coach's e-mail (optional)").fill("lee@riverside.org")
    page.get_by_test_id("coach-goals").get_by_label("Feedback").check()
    page.get_by_test_id("coach-submit").click()
    expect(page.get_by_test_id("coaches-status")).to_have_text("Mr Lee is saved.")
    expect(page.get_by_test_id("coach-form")).to_be_hidden()
    expect(lee_item).to_contain_text("Coaches under: Feedback")
    edited = coaches_of(url, organisation)["Mr Lee"]
    assert (edited["email"], edited["goal_ids"]) == ("lee@riverside.org", [goal_ids["Feedback"]])

    # A new link for Ms Diaz, after a warning: the old one stops opening her view.
    page.get_by_role("button", name="New link for Ms Diaz").click()
    expect(page.get_by_test_id("confirm-dialog")).to_contain_text("the old one stops opening their view")
    page.get_by_test_id("confirm-yes").click()
    expect(link).to_be_focused()
    new_url = page.get_by_test_id("coach-url").input_value()
    assert new_url != diaz_url and new_url.startswith(f"{url}/coach#coach={diaz['id']}&key=")
    assert opens_the_coach_view(url, new_url) == 200
    assert opens_the_coach_view(url, diaz_url) == 403

    # Removing Mr Lee: said first, a cancel keeps him, then he is gone from the page and the API.
    page.get_by_role("button", name="Remove Mr Lee").click()
    expect(page.get_by_test_id("confirm-dialog")).to_contain_text("Their link stops working at once")
    page.get_by_test_id("confirm-no").click()
    assert "Mr Lee" in coaches_of(url, organisation)
    page.get_by_role("button", name="Remove Mr Lee").click()
    page.get_by_test_id("confirm-yes").click()
    expect(page.get_by_test_id("coaches-status")).to_have_text("Mr Lee was removed.")
    expect(page.get_by_test_id(f"coach-{lee['id']}")).to_have_count(0)
    expect(page.get_by_test_id("coach-list").locator("li")).to_have_count(1)
    assert set(coaches_of(url, organisation)) == {"Ms Diaz"}
    assert opens_the_coach_view(url, lee_url) in (403, 404)  # his link no longer opens anything


def test_leaders_emails_for_the_weekly_digest_are_kept(live_server, contexts):
    url = live_server.url
    organisation = make_organisation(url)
    page = contexts(PHONE).new_page()
    open_organisation(page, url, organisation)
    emails = page.get_by_label("Leaders' e-mails for the weekly digest (optional)")
    expect(emails).to_have_value("")

    emails.fill("head@riverside.org, not-an-address")
    page.get_by_test_id("organisation-submit").click()
    expect(page.get_by_test_id("organisation-error")).to_have_text(
        "“not-an-address” is not an e-mail address: write it as name@school.org."
    )
    expect(emails).to_be_focused()

    emails.fill("Head@Riverside.org,\ndeputy@riverside.org; head@riverside.org")
    page.get_by_test_id("organisation-submit").click()
    expect(page.get_by_test_id("organisation-saved")).to_have_text("Saved.")
    shown = requests.get(f"{url}/api/organisations/{organisation['id']}", headers=admin_headers(), timeout=10).json()
    assert shown["leader_emails"] == ["head@riverside.org", "deputy@riverside.org"]
    expect(emails).to_have_value("head@riverside.org\ndeputy@riverside.org")

    emails.fill("")
    page.get_by_test_id("organisation-submit").click()
    expect(page.get_by_test_id("organisation-saved")).to_have_text("Saved.")
    shown = requests.get(f"{url}/api/organisations/{organisation['id']}", headers=admin_headers(), timeout=10).json()
    assert shown["leader_emails"] == []
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page, "the admin page's organisation at phone width")


def test_an_organisation_s_time_zone_is_kept_and_a_wrong_one_is_refused_with_the_reason(live_server, contexts):
    url = live_server.url
    organisation = make_organisation(url)
    page = contexts(PHONE).new_page()
    open_organisation(page, url, organisation)
    zone = page.get_by_label("Time zone")
    expect(zone).to_have_value("UTC")  # made through the API with none: UTC
    zone.fill("Mars/Olympus")
    page.get_by_test_id("organisation-submit").click()
    expect(page.get_by_test_id("organisation-error")).to_contain_text("such as America/Chicago")
    zone.fill("America/Chicago")
    page.get_by_test_id("organisation-submit").click()
    expect(page.get_by_test_id("organisation-saved")).to_have_text("Saved.")
    shown = requests.get(f"{url}/api/organisations/{organisation['id']}", headers=admin_headers(), timeout=10).json()
    assert shown["timezone"] == "America/Chicago"
    assert page.locator("#timezones option[value='Europe/Paris']").count() == 1  # offered as it is typed
