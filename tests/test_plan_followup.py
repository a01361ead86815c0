"""The plan page follows a person across sessions: their goals from earlier sessions of the organisation, check-ins
recorded through its form (dated and kept, the private note theirs alone), a refused check-in that loses nothing
typed, everything held about them to download, and all of it deleted when they confirm.
"""

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import Page, expect

from protocols.language import IN_ENGLISH
from tests.support.admin import admin_headers
from tests.support.browser import PHONE, SMALL_PHONE, Screenshots, assert_accessible
from tests.support.followup import PRIVATE_NOTE, TYPED, WORRY, fill_check_in, set_goal
from tests.support.sockets import call, events

ORGANISATION_GOALS = [
    {"title": "Every student reads fluently by grade 3"},
    {"title": "Feedback that moves learning forward"},
]
AUTUMN_GOAL = "By March, every lesson ends with an exit ticket I read before the next one"
AUTUMN_STEPS = ["Try exit tickets in year 8", "Plan a reteach from the tickets"]
WINTER_GOAL = "Exit tickets in every class, and a reteach each week"
BAD_LINK = "javascript:alert(1)"

LEVELS = {1: "3", 2: "1"}  # Halfway on the first action step, Not started on the second
SUPPORT = ["coaching", "release-time"]


def check_in_form(levels: dict[int, str] = LEVELS, **typed: str) -> dict[str, Any]:
    """The check-in form's fields as the browser posts them."""
    form: dict[str, Any] = {"support": SUPPORT, **TYPED, **typed}
    for n, step in enumerate(AUTUMN_STEPS, 1):
        form[f"progress-{n}-step"] = step
        if n in levels:
            form[f"progress-{n}-level"] = levels[n]
    return form


class Fields(HTMLParser):
    """The form fields of a page as the browser would fill them: inputs (with checked) and textareas."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.inputs: list[dict[str, Any]] = []
        self.textareas: dict[str, str] = {}
        self.links: list[str] = []
        self._textarea: str | None = None
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "input":
            self.inputs.append(found)
        elif tag == "textarea":
            self._textarea = found["name"]
            self.textareas[self._textarea] = ""
        elif tag == "a":
            self.links.append(found.get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self.textareas[self._textarea] += data

    def value(self, name: str) -> str | None:
        return next((field.get("value") for field in self.inputs if field.get("name") == name), None)

    def checked(self, name: str) -> list[str]:
        return [field["value"] for field in self.inputs if field.get("name") == name and "checked" in field]


@dataclass
class Person:
    """Ana, who set a goal in the autumn session and came back, on the same phone, to the winter one."""

    autumn: str  # her plan's token in each session
    winter: str
    autumn_title: str
    winter_title: str


@pytest.fixture
def ana(client, sio, create_session) -> Person:
    organisation = client.post(
        "/api/organisations", json={"name": "Riverside District", "system_goals": ORGANISATION_GOALS},
        headers=admin_headers(),
    )  # fmt: skip
    assert organisation.status_code == 201, organisation.get_json()
    tokens = []
    earlier: list[str] = []
    for title, day, goal, steps in (("Autumn PD day", "2026-10-01", AUTUMN_GOAL, AUTUMN_STEPS),
                                    ("Winter PD day", "2026-11-05", WINTER_GOAL, [])):  # fmt: skip
        created = create_session(
            title=title, date=day, organisation_id=organisation.get_json()["id"], system_goals=ORGANISATION_GOALS
        )
        console = sio("/facilitator", code=created["code"], key=created["facilitator_key"])
        phone = sio("/participant", code=created["code"], name="Ana", earlier=earlier)
        tokens.append(events(phone, "welcome", "/participant")[0]["token"])
        set_goal(
            lambda event, data, console=console: call(console, event, "/facilitator", data),
            lambda event, data, phone=phone: call(phone, event, "/participant", data),
            created["system_goals"][1]["id"], goal, steps,
        )  # fmt: skip
        earlier = tokens[:]
    return Person(tokens[0], tokens[1], "Autumn PD day", "Winter PD day")


def test_the_plan_page_shows_earlier_sessions_goals_and_asks_for_progress_on_their_action_steps(client, ana):
    response = client.get(f"/p/{ana.winter}/plan")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    across = page[page.index('data-testid="plan-across"') : page.index('id="check-ins"')]
    assert ana.autumn_title in across and "1 October 2026" in across and AUTUMN_GOAL in across
    assert "Feedback that moves learning forward" in across
    assert all(step in across for step in AUTUMN_STEPS)
    assert ana.winter_title not in across, "this session's own goal is the plan above, not an earlier one"

    fields = Fields(page)
    # The winter goal has no action steps of its own: a check-in rates the autumn ones, one row each.
    assert [fields.value(f"progress-{n}-step") for n in (1, 2, 3)] == [*AUTUMN_STEPS, None]
    levels = [field for field in fields.inputs if field.get("name") == "progress-1-level"]
    assert [field["value"] for field in levels] == ["1", "2", "3", "4", "5"]
    assert all("required" in field for field in levels)
    assert [f["value"] for f in fields.inputs if f.get("name") == "support"] == [
        "coaching", "release-time", "materials", "observe-colleague", "training"
    ]  # fmt: skip
    assert set(fields.textareas) == {"evidence", "obstacles", "private_note"}
    assert "Private: only you see this" in page
    assert f'data-plan-token="{ana.winter}"' in page
    assert "No check-ins yet" in page


def test_a_check_in_missing_a_level_is_refused_and_everything_typed_comes_back(client, ana):
    response = client.post(f"/p/{ana.winter}/check-ins", data=check_in_form(levels={1: "3"}))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Rate action step 2 from 1 to 5." in page
    assert 'data-testid="check-in-error"' in page

    fields = Fields(page)
    assert fields.checked("progress-1-level") == ["3"] and fields.checked("progress-2-level") == []
    assert fields.checked("support") == SUPPORT
    assert fields.value("evidence_link") == TYPED["evidence_link"]
    assert fields.value("support_note") == TYPED["support_note"]
    for name in ("evidence", "obstacles", "private_note"):
        assert fields.textareas[name] == TYPED[name], name
    assert client.get(f"/p/{ana.winter}/my-data.json").get_json()["check_ins"] == [], "nothing was kept"


def test_a_script_link_as_evidence_is_refused_and_never_becomes_a_link(client, ana):
    response = client.post(f"/p/{ana.winter}/check-ins", data=check_in_form(evidence_link=BAD_LINK))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The evidence link must be a web address starting with https:// or http://." in page
    fields = Fields(page)
    assert fields.value("evidence_link") == BAD_LINK, "kept as typed, to correct"
    assert fields.checked("progress-1-level") == ["3"] and fields.checked("progress-2-level") == ["1"]
    assert fields.textareas["private_note"] == PRIVATE_NOTE
    assert not [href for href in fields.links if not href.startswith(("/", "#", "https://", "http://"))]


def test_my_data_holds_every_session_s_answers_and_the_private_note(client, ana):
    saved = client.post(f"/p/{ana.winter}/check-ins", data=check_in_form())
    assert saved.status_code == 303 and saved.headers["Location"].endswith("/plan?saved=1#check-ins")

    download = client.get(f"/p/{ana.autumn}/my-data.json")  # either session's link holds the same person
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment")
    data = json.loads(download.get_data(as_text=True))
    assert [session["session"] for session in data["sessions"]] == [ana.winter_title, ana.autumn_title]
    answers = {answer["step"]: answer["answer"] for answer in data["sessions"][1]["answers"]}
    assert answers["Write your goal"] == [AUTUMN_GOAL]
    assert answers["A private reflection"] == [WORRY]
    (check_in,) = data["check_ins"]
    assert check_in["private_note"] == PRIVATE_NOTE
    assert [(row["step"], row["label"]) for row in check_in["progress"]] == [
        (AUTUMN_STEPS[0], "Halfway"), (AUTUMN_STEPS[1], "Not started")
    ]  # fmt: skip

    page = client.get(f"/p/{ana.winter}/plan?saved=1").get_data(as_text=True)
    assert 'data-testid="check-in-saved"' in page
    assert f'href="/p/{ana.winter}/my-data.json"' in page


def test_deleting_without_confirming_deletes_nothing(client, ana):
    client.post(f"/p/{ana.winter}/check-ins", data=check_in_form())
    before = client.get(f"/p/{ana.winter}/my-data.json").get_json()
    for form in ({}, {"confirm": "yes"}, {"confirm": "DELETE "}):
        response = client.post(f"/p/{ana.winter}/forget", data=form)
        assert response.status_code == 400, form
        assert "Nothing was deleted: tick the box to confirm first." in response.get_data(as_text=True)
    assert client.get(f"/p/{ana.winter}/my-data.json").get_json() == before
    assert client.get(f"/p/{ana.autumn}/plan").status_code == 200
    assert client.get(f"/p/{ana.winter}/plan").status_code == 200


def test_deleting_with_confirmation_removes_every_session_and_check_in(client, ana):
    client.post(f"/p/{ana.winter}/check-ins", data=check_in_form())
    response = client.post(f"/p/{ana.winter}/forget", data={"confirm": "delete"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Everything about you was deleted" in page
    assert "from 2 sessions are gone" in page
    assert f'data-forgotten-token="{ana.winter}"' in page, "so this device forgets the link too"
    for token in (ana.autumn, ana.winter):
        for path in ("plan", "my-data.json", "plan.pdf"):
            assert client.get(f"/p/{token}/{path}").status_code == 404, (token, path)


def test_an_e_mail_alone_does_not_bring_an_earlier_plan_to_the_page(client, sio, create_session):
    organisation = client.post(
        "/api/organisations", json={"name": "Riverside District", "system_goals": ORGANISATION_GOALS},
        headers=admin_headers(),
    ).get_json()  # fmt: skip
    tokens = []
    for title in ("Autumn PD day", "Winter PD day"):
        created = create_session(title=title, organisation_id=organisation["id"], system_goals=ORGANISATION_GOALS)
        console = sio("/facilitator", code=created["code"], key=created["facilitator_key"])
        phone = sio("/participant", code=created["code"], name="Ana", identifier="ana@riverside.example", consent=True)
        tokens.append(events(phone, "welcome", "/participant")[0]["token"])
        if title.startswith("Autumn"):
            set_goal(
                lambda event, data, console=console: call(console, event, "/facilitator", data),
                lambda event, data, phone=phone: call(phone, event, "/participant", data),
                created["system_goals"][0]["id"], AUTUMN_GOAL, AUTUMN_STEPS,
            )  # fmt: skip

    page = client.get(f"/p/{tokens[1]}/plan").get_data(as_text=True)
    assert 'data-testid="plan-hidden"' in page
    assert "To bring it here, open that earlier plan" in page
    assert AUTUMN_GOAL not in page and 'data-testid="plan-across"' not in page
    assert "ana@riverside.example" in page  # the identifier they gave, in "Your data"


# In a real browser, on a real server


@pytest.fixture
def live_ana(live_server, peers) -> Person:
    """Ana's two sessions, as ``ana``, over real sockets to a real server."""
    url = live_server.url
    organisation = requests.post(
        f"{url}/api/organisations", json={"name": "Riverside District", "system_goals": ORGANISATION_GOALS},
        headers=admin_headers(), timeout=10,
    )  # fmt: skip
    assert organisation.status_code == 201, organisation.text
    tokens: list[str] = []
    for title, day, goal, steps in (("Autumn PD day", "2026-10-01", AUTUMN_GOAL, AUTUMN_STEPS),
                                    ("Winter PD day", "2026-11-05", WINTER_GOAL, [])):  # fmt: skip
        created = live_server.create_session(
            title=title, date=day, organisation_id=organisation.json()["id"], system_goals=ORGANISATION_GOALS
        )
        console = peers(url, "/facilitator", code=created["code"], key=created["facilitator_key"]).connect()
        phone = peers(url, "/participant", code=created["code"], name="Ana", earlier=tokens[:]).connect()
        tokens.append(phone.wait_for("welcome")["token"])
        set_goal(console.call, phone.call, created["system_goals"][1]["id"], goal, steps)
    return Person(tokens[0], tokens[1], "Autumn PD day", "Winter PD day")


def kept_plans(page: Page) -> Any:
    return page.evaluate("() => JSON.parse(localStorage.getItem('pathways:plans'))")


def test_a_check_in_through_the_form_is_kept_dated_and_a_refused_one_keeps_what_was_typed(
    live_server, live_ana, contexts, tmp_path: Path
) -> None:
    plan_url = f"{live_server.url}/p/{live_ana.winter}/plan"
    page = contexts(PHONE).new_page()  # the app's CSP applies: the page's script is a file, nothing inline

    # Opening the plan keeps its token on this device (newest last, once, at most 20), for the phone's next join.
    page.goto(plan_url)
    page.wait_for_function(
        "(token) => (localStorage.getItem('pathways:plans') || '').includes(token)", arg=live_ana.winter
    )
    assert kept_plans(page) == [live_ana.winter]
    older = [f"older-plan-{n}" for n in range(25)]
    page.evaluate(
        "(tokens) => localStorage.setItem('pathways:plans', JSON.stringify(tokens))", [*older, live_ana.winter, "x"]
    )
    page.goto(plan_url)
    page.wait_for_function("() => JSON.parse(localStorage.getItem('pathways:plans')).at(-1) !== 'x'")
    assert kept_plans(page) == [*older[7:], "x", live_ana.winter]

    expect(page.get_by_test_id("plan-earlier-goal")).to_contain_text(
        [re.compile(f"Autumn PD day.*{AUTUMN_GOAL}", re.S)]
    )
    expect(page.get_by_test_id("check-in-row")).to_have_count(2)
    expect(page.get_by_test_id("check-ins-none")).to_be_visible()

    # A check-in through the real form: dated today, each step's level named, the private note marked as such.
    fill_check_in(page, link=TYPED["evidence_link"])
    page.get_by_test_id("check-in-submit").click()
    expect(page).to_have_url(re.compile(r"/plan\?saved=1#check-ins$"))
    expect(page.get_by_test_id("check-in-saved")).to_be_visible()
    today = IN_ENGLISH.day(datetime.now(UTC).date().isoformat())
    (kept,) = page.get_by_test_id("check-in").all()
    expect(kept.get_by_test_id("check-in-date")).to_have_text(f"Check-in of {today}")
    expect(kept.get_by_test_id("check-in-progress")).to_have_text(
        [re.compile(f"{AUTUMN_STEPS[0]}\\s*Halfway · 3 of 5"), re.compile(f"{AUTUMN_STEPS[1]}\\s*Not started · 1 of 5")]
    )
    expect(kept.get_by_test_id("check-in-private")).to_have_text(PRIVATE_NOTE)
    expect(kept).to_contain_text("Private: only you see this")
    expect(kept).to_contain_text("Coaching · Release time")
    link = kept.get_by_test_id("check-in-link")
    expect(link).to_have_attribute("href", TYPED["evidence_link"])
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    expect(link).to_have_attribute("target", "_blank")
    expect(page.get_by_test_id("check-in-row").locator("input:checked")).to_have_count(0)  # a fresh form
    page.evaluate("() => window.scrollTo(0, document.getElementById('check-ins').offsetTop - 16)")
    Screenshots(tmp_path / "screens").take(page, "plan-checkin-390")

    # A refused check-in: 400, the reason on top of the form, and every field as it was typed.
    fill_check_in(page, link=BAD_LINK)
    with page.expect_response(lambda r: r.request.method == "POST" and "/check-ins" in r.url) as posted:
        page.get_by_test_id("check-in-submit").click()
    assert posted.value.status == 400
    error = page.get_by_test_id("check-in-error")
    expect(error).to_contain_text("The evidence link must be a web address starting with https:// or http://.")
    expect(error).to_be_focused()
    rows = page.get_by_test_id("check-in-row")
    expect(rows.nth(0).get_by_label("Halfway")).to_be_checked()
    expect(rows.nth(1).get_by_label("Not started")).to_be_checked()
    expect(page.get_by_label("Evidence gathered")).to_have_value(TYPED["evidence"])
    expect(page.get_by_label("Link to evidence")).to_have_value(BAD_LINK)
    expect(page.get_by_label("What got in the way")).to_have_value(TYPED["obstacles"])
    expect(page.get_by_label("Coaching")).to_be_checked()
    expect(page.get_by_label("Release time")).to_be_checked()
    expect(page.get_by_label("Materials or resources")).not_to_be_checked()
    expect(page.get_by_label("About the support you need")).to_have_value(TYPED["support_note"])
    expect(page.get_by_label("Private note")).to_have_value(PRIVATE_NOTE)
    expect(page.get_by_test_id("check-in")).to_have_count(1)
    expect(page.locator('a[href^="javascript"]')).to_have_count(0)

    # Readable on a 320-px phone: nothing wider than the screen.
    page.set_viewport_size(SMALL_PHONE)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= SMALL_PHONE["width"], page.evaluate(
        "(width) => [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > width)"
        ".slice(0, 5).map((e) => e.outerHTML.slice(0, 80))",
        SMALL_PHONE["width"],
    )

    checked = contexts(PHONE).new_page()
    checked.goto(f"{plan_url}?saved=1")
    assert_accessible(checked, "the plan page with an earlier goal and a check-in")


def test_deleting_everything_from_the_plan_page_forgets_the_plan_on_this_device_too(
    live_server, live_ana, contexts
) -> None:
    page = contexts(PHONE).new_page()
    page.goto(f"{live_server.url}/p/{live_ana.autumn}/plan")
    page.goto(f"{live_server.url}/p/{live_ana.winter}/plan")
    page.evaluate("(token) => localStorage.setItem('pathways:token:ABCDEF', token)", live_ana.winter)
    page.wait_for_function("() => JSON.parse(localStorage.getItem('pathways:plans') || '[]').length === 2")

    page.get_by_test_id("forget-confirm").check()
    page.get_by_test_id("forget-submit").click()
    expect(page.get_by_test_id("forgotten-heading")).to_have_text("Everything about you was deleted")
    expect(page.get_by_test_id("forgotten-sessions")).to_contain_text("2 sessions")
    page.wait_for_function("(token) => !localStorage.getItem('pathways:plans').includes(token)", arg=live_ana.winter)
    # The page knows only its own link; the autumn one no longer opens anything either, and the phone ignores it.
    assert kept_plans(page) == [live_ana.autumn]
    assert page.evaluate("() => localStorage.getItem('pathways:token:ABCDEF')") is None
    for token in (live_ana.autumn, live_ana.winter):
        assert requests.get(f"{live_server.url}/p/{token}/plan", timeout=10).status_code == 404
