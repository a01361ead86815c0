"""The export over a real server: phones answer goal setting over websockets, the console's key starts the build
in a child process, and the ZIP that comes back holds each plan, the CSV and the summary, and no private answer."""

import csv
import io
import zipfile

import pytest
import requests
from pypdf import PdfReader

from facilitator.loadtest.phones import sample_answer
from tests.support.waiting import wait_until

pytestmark = pytest.mark.live

NAMES = ["Zoë Ødegård", "Αλέξανδρος Παπαδόπουλος", "Юлия Смирнова", "Amara Okafor"]


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def test_the_console_exports_a_finished_session_while_the_server_keeps_serving(live_server, peers):
    created = live_server.create_session(facilitator="Dr. Amara Okafor", date="2027-03-15")
    code, key, goals = created["code"], created["facilitator_key"], created["system_goals"]
    console = peers(live_server.url, "/facilitator", code=code, key=key).connect()
    phones = [peers(live_server.url, "/participant", code=code, name=name).connect() for name in NAMES]
    welcomes = [phone.wait_for("welcome") for phone in phones]
    sent: list[dict[str, object]] = [{} for _ in NAMES]
    while (ack := console.call("next"))["phase"] != "ended":
        step_id = ack["step_id"]
        for index, phone in enumerate(phones):
            state = phone.wait_for("state", lambda s, step_id=step_id: (s["step"] or {}).get("id") == step_id)
            value = sample_answer(state["step"], goals, index, marker=f"CANARY{index}-" if "worry" in step_id else "")
            assert phone.call("answer", {"step_id": step_id, "answer_id": f"{index}{step_id}", "value": value})["ok"]
            sent[index][step_id] = value

    url = f"{live_server.url}/api/sessions/{code}/export"
    assert requests.post(url, timeout=10).status_code == 401
    assert requests.post(url, headers={"X-Facilitator-Key": "wrong"}, timeout=10).status_code == 403
    headers = {"X-Facilitator-Key": key}
    started = requests.post(url, headers=headers, timeout=10)
    assert started.status_code == 202 and started.json()["download_url"] == f"/api/sessions/{code}/export.zip"

    # The room goes on while the export builds: a phone still gets the next step.
    assert console.call("prev")["ok"]
    phones[0].wait_for("state", lambda s: s["phase"] == "step" and s["step"]["id"] == "1:worry")

    def finished() -> dict | None:
        status = requests.get(url, headers=headers, timeout=10).json()
        assert status["state"] in ("running", "done"), status
        return status if status["state"] == "done" else None

    status = wait_until(finished, timeout=60, message="the export to finish")
    assert status["done"] == status["total"] == len(NAMES)
    download = requests.get(f"{live_server.url}{started.json()['download_url']}", headers=headers, timeout=30)
    assert download.status_code == 200 and download.headers["Content-Type"] == "application/zip"
    assert f"Spring PD day {code}.zip" in download.headers["Content-Disposition"]
    assert requests.get(f"{url}.zip", headers={"X-Facilitator-Key": "wrong"}, timeout=10).status_code == 403

    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    plans = [name for name in files if name.startswith("plans/")]
    assert len(plans) == len(NAMES) and set(files) == {*plans, "answers.csv", "responses.csv", "summary.pdf"}
    texts = {name: pdf_text(files[name]) for name in plans}
    summary = pdf_text(files["summary.pdf"])
    answers_csv = files["answers.csv"].decode("utf-8-sig")
    for index, welcome in enumerate(welcomes):
        entry = f"plans/{NAMES[index]}-{welcome['participant_id']}.pdf"
        assert NAMES[index] in texts[entry] and sent[index]["1:goal"] in texts[entry]
        own = pdf_text(requests.get(f"{live_server.url}/p/{welcome['token']}/plan.pdf", timeout=30).content)
        assert sent[index]["1:worry"] in own  # in the author's own copy only
        for text in [*texts.values(), summary, answers_csv]:
            assert sent[index]["1:worry"] not in text
        assert NAMES[index] in summary  # every person asked for support: each is a follow-up
    rows = list(csv.DictReader(io.StringIO(answers_csv)))
    assert {row["step"] for row in rows} >= {"Write your goal", "Plan your action steps", "Support you need"}
    assert "A private reflection" not in {row["step"] for row in rows}
