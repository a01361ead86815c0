"""The check-in link: what a calendar file and a printed plan carry instead of the plan's own token.

Whoever sees a shared calendar or a plan left on a desk gets a link that opens the person's check-in form and
nothing else: no private answer, no plan, no download of their data, no way to delete anything. The link dies with
the person's records.
"""

import io
import sqlite3
from typing import Any

import pytest
import requests
from pypdf import PdfReader

from tests.support.database import fingerprint
from tests.support.qr import scanned
from tests.support.sockets import call, events

NAME = "Quentin Oyelaran-Whitcombe"
GOAL = "Every lesson ends with an exit ticket I read before the next one"
STEPS = ["Try exit tickets in year 8", "Plan a reteach from the tickets"]
CHECK_IN_DAY = "2027-05-04"
WORRY = "CANARY-private-worry-marking-load"  # the private reflection: never behind the check-in link
PRIVATE_NOTE = "CANARY-private-note-fridays"
BASE = "http://pathways.test"  # the test app's PUBLIC_URL


def answer_goal_setting(console, phone, goal_id: int, steps: list[dict[str, str]] | None = None) -> None:
    """Goal setting as a phone answers it, the console opening each step first."""
    answers: list[tuple[str, Any]] = [
        ("1:system-goal", goal_id),
        ("1:goal", GOAL),
        ("1:action-steps", steps or [{"text": text, "date": f"2027-0{n}-15"} for n, text in enumerate(STEPS, 1)]),
        ("1:check-in", CHECK_IN_DAY),
        ("1:worry", WORRY),
    ]
    for step_id, value in answers:
        assert call(console, "goto", "/facilitator", {"step_id": step_id})["ok"]
        ack = call(phone, "answer", "/participant", {"step_id": step_id, "answer_id": step_id, "value": value})
        assert ack["ok"], (step_id, ack)


@pytest.fixture
def person(sio, create_session) -> dict[str, Any]:
    """Someone who set a goal with action steps, a check-in day and a private reflection; their plan token."""
    created = create_session()
    console = sio("/facilitator", code=created["code"], key=created["facilitator_key"])
    phone = sio("/participant", code=created["code"], name=NAME)
    token = events(phone, "welcome", "/participant")[0]["token"]
    answer_goal_setting(console, phone, created["system_goals"][1]["id"])
    return {**created, "token": token}


def calendar_of(client, token: str) -> str:
    """The plan page's calendar file, unfolded (RFC 5545 folds lines at 75 octets)."""
    response = client.get(f"/p/{token}/checkin.ics")
    assert response.status_code == 200, response.data[:300]
    return response.get_data(as_text=True).replace("\r\n ", "")


def check_in_link(client, token: str) -> str:
    """The check-in link the calendar file carries."""
    (url,) = [line.removeprefix("URL:") for line in calendar_of(client, token).split("\r\n") if line.startswith("URL:")]
    return url


def path_of(url: str) -> str:
    assert url.startswith(f"{BASE}/c/"), url
    return url.removeprefix(BASE)


def without_stamp(calendar: str) -> str:
    """A calendar file without its DTSTAMP, the moment it was made."""
    return "\r\n".join(line for line in calendar.split("\r\n") if not line.startswith("DTSTAMP:"))


def link_targets(pdf: bytes) -> list[str]:
    """Every address the PDF's links point to."""
    targets = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action and "/URI" in action:
                targets.append(str(action["/URI"]))
    return targets


def test_the_calendar_file_carries_the_check_in_link_and_no_plan_token(client, person):
    text = calendar_of(client, person["token"])
    assert person["token"] not in text
    link = check_in_link(client, person["token"])
    (description,) = [line for line in text.split("\r\n") if line.startswith("DESCRIPTION:")]
    assert path_of(link) and link in description
    assert GOAL in text and STEPS[0] in text  # what to check in on stays in the reminder
    assert WORRY not in text  # a calendar holds nothing private


def test_the_plan_pdf_s_qr_code_scans_to_the_check_in_link_and_the_pdf_holds_no_plan_token(client, person, tmp_path):
    pdf = client.get(f"/p/{person['token']}/plan.pdf").data
    link = check_in_link(client, person["token"])
    assert scanned(pdf, tmp_path, dpi=200) == [link]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    targets = link_targets(pdf)
    assert targets == [f"{link}/checkin.ics"]  # "Add it to your calendar" goes by the check-in link too
    assert all(person["token"] not in where for where in [text, *targets])
    assert person["token"].encode() not in pdf
    assert "Scan to record a check-in" in " ".join(text.split())


def test_the_check_in_link_opens_the_check_in_form_and_nothing_else(client, person):
    link = path_of(check_in_link(client, person["token"]))
    page = client.get(link)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'data-testid="check-in-form"' in html and all(step in html for step in STEPS)
    assert f'action="{link}/check-ins' in html
    assert person["token"] not in html and WORRY not in html and NAME not in html
    for elsewhere in ("forget-form", "data-download", "plan-pdf", "data-plan-token"):
        assert elsewhere not in html, elsewhere
    by_link = client.get(f"{link}/checkin.ics").get_data(as_text=True).replace("\r\n ", "")
    assert without_stamp(by_link) == without_stamp(calendar_of(client, person["token"]))


def test_the_check_in_link_neither_reads_a_private_word_nor_deletes_anything(app, client, sio, person):
    assert client.post(f"/p/{person['token']}/check-ins", json={
        "progress": [{"step": STEPS[0], "level": 3}], "private_note": PRIVATE_NOTE,
    }).status_code == 201  # fmt: skip
    check_in_token = path_of(check_in_link(client, person["token"])).removeprefix("/c/")
    before = fingerprint(app)
    for path in ("plan", "plan.pdf", "checkin.ics", "my-data.json"):
        assert client.get(f"/p/{check_in_token}/{path}").status_code == 404, path
    assert client.post(f"/p/{check_in_token}/forget", data={"confirm": "delete"}).status_code == 404
    for path in ("", "/checkin.ics"):
        served = client.get(f"/c/{check_in_token}{path}").get_data()
        assert WORRY.encode() not in served and PRIVATE_NOTE.encode() not in served
    for method, path in (("GET", "/my-data.json"), ("POST", "/forget"), ("GET", "/plan"), ("GET", "/plan.pdf")):
        assert client.open(f"/c/{check_in_token}{path}", method=method, data={"confirm": "delete"}).status_code in (
            404, 405
        ), path  # fmt: skip
    phone = sio("/participant", code=person["code"], token=check_in_token)
    assert not phone.is_connected("/participant"), "a check-in token is no participant token"
    assert fingerprint(app) == before
    assert client.get(f"/p/{person['token']}/plan").status_code == 200


def test_a_check_in_through_the_link_is_kept_with_the_person_and_a_mistake_keeps_what_was_typed(client, person):
    link = path_of(check_in_link(client, person["token"]))
    form = {"progress-1-step": STEPS[0], "progress-1-level": "4", "progress-2-step": STEPS[1],
            "obstacles": "Marking time on Thursdays", "private_note": PRIVATE_NOTE}  # fmt: skip
    refused = client.post(f"{link}/check-ins", data=form)  # no level for the second step
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert 'data-testid="check-in-error"' in html and "Marking time on Thursdays" in html and PRIVATE_NOTE in html
    saved = client.post(f"{link}/check-ins", data={**form, "progress-2-level": "1"})
    assert saved.status_code == 303 and saved.headers["Location"] == f"{link}?saved=1#check-in"
    assert 'data-testid="check-in-saved"' in client.get(f"{link}?saved=1").get_data(as_text=True)
    as_json = client.post(f"{link}/check-ins", json={"progress": [{"step": STEPS[0], "level": 5}],
                                                     "private_note": PRIVATE_NOTE})  # fmt: skip
    assert as_json.status_code == 201 and as_json.get_json()["ok"] is True
    assert PRIVATE_NOTE not in as_json.get_data(as_text=True)  # the link writes a private note, never reads one
    plan = client.get(f"/p/{person['token']}/plan").get_data(as_text=True)
    assert plan.count('data-testid="check-in"') == 2 and "Marking time on Thursdays" in plan and PRIVATE_NOTE in plan


def test_the_check_in_link_shows_no_action_step_its_author_kept_private(app, client, sio, person):
    from dataclasses import replace

    from protocols.loader import load_library
    from protocols.model import Visibility
    from protocols.session import AgendaItem

    goal_setting = load_library()["goal-setting"]
    private_steps = tuple(
        replace(step, visibility=Visibility.PRIVATE) if step.id == "action-steps" else step
        for step in goal_setting.steps
    )
    store = app.extensions["pathways.store"]
    session, key = store.create_session(
        "Private steps", "", [("Reading", "")], [AgendaItem(1, replace(goal_setting, steps=private_steps))]
    )
    console = sio("/facilitator", code=session.code, key=key)
    phone = sio("/participant", code=session.code, name=NAME)
    token = events(phone, "welcome", "/participant")[0]["token"]
    hidden = [{"text": "CANARY-private-action-step", "date": "2027-04-01"}]
    answer_goal_setting(console, phone, session.system_goals[0].id, hidden)
    assert "CANARY-private-action-step" in client.get(f"/p/{token}/plan").get_data(as_text=True)
    for path in ("", "/checkin.ics"):
        served = client.get(f"{path_of(check_in_link(client, token))}{path}").get_data(as_text=True)
        assert "CANARY-private-action-step" not in served and WORRY not in served


def test_forgetting_the_person_kills_their_check_in_link(client, person):
    link = path_of(check_in_link(client, person["token"]))
    assert client.post(f"/p/{person['token']}/forget", data={"confirm": "delete"}).status_code == 200
    for path in ("", "/checkin.ics"):
        assert client.get(f"{link}{path}").status_code == 404
    assert client.post(f"{link}/check-ins", json={"progress": [{"step": STEPS[0], "level": 2}]}).status_code == 404


def test_someone_who_joined_before_check_in_links_gets_one_once_their_plan_opens(app, client, person):
    link = path_of(check_in_link(client, person["token"]))
    database = sqlite3.connect(app.extensions["pathways.store"].path)
    with database:
        database.execute("UPDATE participants SET check_in_digest = NULL")  # as an earlier version left them
    database.close()
    assert client.get(link).status_code == 404
    assert client.get(f"/p/{person['token']}/plan").status_code == 200  # the plan's own link brings it back
    assert client.get(link).status_code == 200
    for wrong in ("/c/" + "A" * 32, "/c/not-a-token", f"/c/{person['token']}", f"/c/{person['facilitator_key']}"):
        assert client.get(wrong).status_code == 404, wrong


def test_a_printed_plan_s_qr_code_opens_the_check_in_form_on_a_phone_and_it_saves(
    live_server, peers, contexts, shots, tmp_path
):
    from playwright.sync_api import expect

    from tests.support.browser import PHONE, assert_accessible
    from tests.support.followup import fill_check_in, set_goal

    created = live_server.create_session()
    console = peers(live_server.url, "/facilitator", code=created["code"], key=created["facilitator_key"]).connect()
    phone = peers(live_server.url, "/participant", code=created["code"], name=NAME).connect()
    token = phone.wait_for("welcome")["token"]
    set_goal(console.call, phone.call, created["system_goals"][0]["id"], GOAL, STEPS)
    pdf = requests.get(f"{live_server.url}/p/{token}/plan.pdf", timeout=30).content
    (link,) = scanned(pdf, tmp_path, dpi=200)
    assert link.startswith(f"{live_server.url}/c/") and token not in link

    page = contexts(PHONE).new_page()  # the app's CSP applies
    page.goto(link)
    expect(page.get_by_test_id("check-in-row")).to_have_count(2)
    expect(page.get_by_test_id("check-in-form")).to_contain_text(STEPS[1])
    shots.take(page, "check-in-link-390", full_page=True)
    fill_check_in(page, link="https://docs.example/exit-tickets")
    page.get_by_test_id("check-in-submit").click()
    expect(page.get_by_test_id("check-in-saved")).to_have_text("Check-in saved, dated today.")
    checked = contexts(PHONE).new_page()
    checked.goto(f"{link}?saved=1")
    assert_accessible(checked, "the check-in link's page")
    plan = requests.get(f"{live_server.url}/p/{token}/plan", timeout=10).text
    assert "https://docs.example/exit-tickets" in plan  # kept with the person, on their plan page
