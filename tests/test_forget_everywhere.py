"""Forget means gone everywhere: whichever way a person or their answers are deleted (their plan page, their
phone, the whole session), every export that held them goes too, and no file in the data folder keeps a trace.

On a real server: the exports are built by the console's routes in a child process, as on the day, and every file
under the data folder (the database and its write-ahead log included) is searched byte by byte.
"""

import io
import zipfile
from typing import Any

import pytest
import requests

from tests.support.admin import admin_headers
from tests.support.database import traces
from tests.support.waiting import wait_until

pytestmark = pytest.mark.live

NAME = "Zephyrine Quillfeather"
EMAIL = "zephyrine.quillfeather@riverside.example"
GOAL = "CANARY-goal-every-lesson-ends-with-an-exit-ticket"
WORRY = "CANARY-private-worry-marking-load"
NOTE = "CANARY-check-in-note-fridays"
OTHER = "Bartholomew Nightingale-Osei"  # stays: the search must find what is still held
ORGANISATION_GOALS = [{"title": "Every student reads fluently by grade 3"}, {"title": "Belonging for every learner"}]


def make_session(url: str, **body: Any) -> dict[str, Any]:
    body = {"title": "Spring PD day", "agenda": ["goal-setting"], **body}
    if "organisation_id" not in body:
        body["system_goals"] = ORGANISATION_GOALS
    response = requests.post(f"{url}/api/sessions", json=body, headers=admin_headers(), timeout=10)
    assert response.status_code == 201, response.text
    return response.json()


def set_goals(url: str, peers, created: dict[str, Any], phones: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Each phone (name -> its connection's auth) joins and answers goal setting; their tokens by name."""
    console = peers(url, "/facilitator", code=created["code"], key=created["facilitator_key"]).connect()
    connected = {name: peers(url, "/participant", code=created["code"], name=name, **auth).connect()
                 for name, auth in phones.items()}  # fmt: skip
    tokens = {name: phone.wait_for("welcome")["token"] for name, phone in connected.items()}
    goal = created["system_goals"][0]["id"]
    for step_id in ("1:system-goal", "1:goal", "1:worry"):
        assert console.call("goto", {"step_id": step_id})["ok"]
        for name, phone in connected.items():
            phone.wait_for("state", lambda s, step_id=step_id: (s["step"] or {}).get("id") == step_id)
            mine = name == NAME
            value = {"1:system-goal": goal, "1:goal": GOAL if mine else f"Goal of {name}",
                     "1:worry": WORRY if mine else f"Worry of {name}"}[step_id]  # fmt: skip
            assert phone.call("answer", {"step_id": step_id, "answer_id": step_id, "value": value})["ok"]
    for phone in [console, *connected.values()]:
        phone.disconnect()
    return tokens


def build_export(url: str, created: dict[str, Any]) -> dict[str, bytes]:
    """The console's export of the session, built and downloaded: the files in its ZIP."""
    headers = {"X-Facilitator-Key": created["facilitator_key"]}
    status_url = f"{url}/api/sessions/{created['code']}/export"
    assert requests.post(status_url, headers=headers, timeout=10).status_code == 202
    wait_until(lambda: requests.get(status_url, headers=headers, timeout=10).json()["state"] == "done", timeout=60,
               message="the export to finish")  # fmt: skip
    download = requests.get(f"{status_url}.zip", headers=headers, timeout=30)
    assert download.status_code == 200, download.text
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def export_is_gone(url: str, created: dict[str, Any]) -> None:
    headers = {"X-Facilitator-Key": created["facilitator_key"]}
    download = requests.get(f"{url}/api/sessions/{created['code']}/export.zip", headers=headers, timeout=10)
    assert download.status_code == 404, f"the export still downloads ({download.status_code})"
    assert download.json()["code"] == "no_export"
    status = requests.get(f"{url}/api/sessions/{created['code']}/export", headers=headers, timeout=10).json()
    assert status["state"] == "idle"


def test_forgetting_from_the_plan_page_deletes_every_export_that_held_the_person_and_every_trace(live_server, peers):
    url, data_dir = live_server.url, live_server.data_dir
    body = {"name": "Riverside District", "system_goals": ORGANISATION_GOALS}
    organisation = requests.post(f"{url}/api/organisations", json=body, headers=admin_headers(), timeout=10).json()
    autumn = make_session(url, title="Autumn PD day", date="2026-10-01", organisation_id=organisation["id"])
    winter = make_session(url, title="Winter PD day", date="2026-11-05", organisation_id=organisation["id"])
    first = set_goals(url, peers, autumn, {NAME: {"identifier": EMAIL, "consent": True}, OTHER: {}})
    second = set_goals(url, peers, winter, {NAME: {"earlier": [first[NAME]]}, OTHER: {"earlier": [first[OTHER]]}})
    check_in = {"progress": [{"step": GOAL, "level": 3}], "obstacles": NOTE, "private_note": NOTE}
    assert requests.post(f"{url}/p/{second[NAME]}/check-ins", json=check_in, timeout=10).status_code == 201
    for created in (autumn, winter):
        files = build_export(url, created)
        assert any(NAME in name for name in files) and any(OTHER in name for name in files)
    held = traces(data_dir, NAME, GOAL)
    assert any(path.startswith("exports/") for path in held), held  # the search sees the ZIPs on disk

    forgotten = requests.post(f"{url}/p/{second[NAME]}/forget", data={"confirm": "delete"}, timeout=10)
    assert forgotten.status_code == 200 and "2 sessions" in forgotten.text

    for created in (autumn, winter):
        export_is_gone(url, created)
    assert traces(data_dir, NAME, EMAIL, GOAL, WORRY, NOTE) == {}
    assert traces(data_dir, OTHER), "what is still held is found: the search reads the database"
    rebuilt = build_export(url, autumn)
    assert any(OTHER in name for name in rebuilt) and not any(NAME in name for name in rebuilt)


def test_the_phone_s_forget_event_deletes_the_export_that_held_the_answers(live_server, peers):
    url, data_dir = live_server.url, live_server.data_dir
    created = make_session(url)
    token = set_goals(url, peers, created, {NAME: {}, OTHER: {}})[NAME]
    build_export(url, created)
    assert traces(data_dir, GOAL, WORRY)
    phone = peers(url, "/participant", code=created["code"], token=token).connect()
    assert phone.call("forget", {}) == {"ok": True, "deleted": 3}
    export_is_gone(url, created)
    assert traces(data_dir, GOAL, WORRY) == {}
    assert "Goal of" in str(build_export(url, created)["answers.csv"], "utf-8-sig")  # the others' answers stay


def test_deleting_a_session_deletes_its_export_and_every_trace_of_its_people(live_server, peers):
    url, data_dir = live_server.url, live_server.data_dir
    created = make_session(url)
    set_goals(url, peers, created, {NAME: {}})
    build_export(url, created)
    assert (data_dir / "exports" / created["code"]).is_dir()
    response = requests.delete(f"{url}/api/sessions/{created['code']}", headers=admin_headers(), timeout=10)
    assert response.status_code == 204
    assert not (data_dir / "exports" / created["code"]).exists()
    assert traces(data_dir, NAME, GOAL, WORRY) == {}
