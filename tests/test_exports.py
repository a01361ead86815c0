"""The facilitator's exports: the summary for leaders, answers.csv, safe file names, the ZIP from the command
line and from the console's routes, and the participant's plan and calendar routes that only a token opens."""

import csv
import io
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from exports.answers_csv import COLUMNS, answers_csv, neutralise
from exports.bundle import safe_filename, unique
from facilitator.app import create_app
from facilitator.cli import main
from facilitator.routes.session_exports import EXTENSION_KEY
from facilitator.store import DATABASE_FILE, Store
from facilitator.usecases.exporting import ExportRunner
from protocols.phrases import recurring_phrases
from protocols.summary import AnswerRow, answer_rows, build_summary
from tests.support.admin import ADMIN_TOKEN
from tests.support.plan_day import NAMES, Day, seed_day
from tests.support.waiting import wait_until


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


@pytest.fixture
def day(tmp_path: Path) -> Day:
    return seed_day(tmp_path / "data")


def read_day(day: Day):
    store = Store(day.data_dir / DATABASE_FILE)
    try:
        session = store.session_by_id(day.session.id)
        return session, store.participant_names(day.session.id), store.all_answers(day.session.id)
    finally:
        store.close()


def private_texts(day: Day) -> list[str]:
    """Every answer to a private step: the reflection in goal setting and 'examining the work' in tuning."""
    examining = [answers["2:examining"] for answers in day.answers if "2:examining" in answers]
    return [day.canary(i) for i in range(len(day.names))] + examining


# The leaders' summary and the CSV rows, as plain data


def test_summary_counts_goals_per_system_goal_support_follow_ups_and_participation(day):
    session, names, answers = read_day(day)
    summary = build_summary(session, names, answers)
    assert summary.joined == len(NAMES)
    chosen = [a["1:system-goal"] for a in day.answers]
    assert [s.people for s in summary.goal_spread] == [chosen.count(g.id) for g in session.system_goals]
    assert summary.goal_spread[2].people == 0 and summary.no_system_goal == 0
    by_person = {f.participant: f.supports for f in summary.follow_ups}
    assert set(by_person) == set(NAMES)  # everyone asked for support, and each becomes a follow-up
    assert by_person[NAMES[1]] == ("Coaching", "Release time")
    assert all(f.check_in for f in summary.follow_ups)
    assert {s.support: s.people for s in summary.support_counts} == {"Coaching": 6, "Release time": 3}
    steps = {(p.protocol, p.step): p for p in summary.participation}
    assert steps[("Goal setting tied to system goals", "Write your goal")].answered == len(NAMES)
    presenters = steps[("Tuning protocol", "Presentation")]
    assert (presenters.answered, presenters.joined) == (2, len(NAMES))  # one presenter in each group of three


def test_summary_obstacles_are_phrases_counting_people_not_repetitions():
    texts = {1: ["Time to plan with the team", "time, time, time"], 2: ["No time to plan"], 3: ["Parent contact"]}
    phrases = {p.text: p.people for p in recurring_phrases(texts)}
    assert phrases["time to plan"] == 2 and next(iter(phrases)) == "time to plan"  # the phrase two people wrote
    assert "time" not in phrases and "plan" not in phrases  # its words alone add nothing
    assert "the" not in phrases and "to" not in phrases
    assert phrases["parent contact"] == 1  # one person's phrase is listed, after shared ones


def test_no_private_answer_counts_anywhere_in_the_summary_or_the_rows(day):
    session, names, answers = read_day(day)
    summary = build_summary(session, names, answers)
    words = {p.text for p in summary.obstacles}
    assert not any("canary" in w for w in words)
    rows = answer_rows(session, names, answers)
    assert {row.visibility for row in rows} <= {"facilitator", "group", "room", "room-named"}
    for secret in private_texts(day):
        assert all(secret not in row.value for row in rows)
    assert len(rows) == len(answers) - len(private_texts(day))  # every answer but the private ones


def test_rows_carry_the_system_goal_each_person_chose(day):
    session, names, answers = read_day(day)
    titles = {g.id: g.title for g in session.system_goals}
    for row in answer_rows(session, names, answers):
        index = NAMES.index(row.participant)
        assert row.system_goal == titles[day.answers[index]["1:system-goal"]]


# answers.csv


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_that_could_start_a_formula_is_neutralised(start):
    assert neutralise(f"{start}1+1") == f"'{start}1+1"


def test_csv_is_utf8_with_bom_one_row_per_answer_and_safe_in_a_spreadsheet():
    rows = [AnswerRow("=HYPERLINK(\"http://evil\")", "P", "S", "text", "facilitator", "", "@SUM(A1)", "t"),
            AnswerRow("Zoë Ødegård", "P", "S", "text", "room", "Goal", "-2 + 3, \"quoted\"\nline", "t")]  # fmt: skip
    content = answers_csv(rows)
    assert content.startswith(b"\xef\xbb\xbf")
    read = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert read[0] == list(COLUMNS)
    assert read[1][0] == '\'=HYPERLINK("http://evil")' and read[1][6] == "'@SUM(A1)"
    assert read[2][0] == "Zoë Ødegård" and read[2][6] == '\'-2 + 3, "quoted"\nline'
    assert len(read) == 3


# File names


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("Zoë Ødegård", "Zoë Ødegård"),
        ("Αλέξανδρος / Π: <x>|?*", "Αλέξανδρος _ Π_ _x____"),
        ("CON", "_CON"),
        ("com1.txt", "_com1.txt"),
        ("Nul", "_Nul"),
        ("CONSTANCE", "CONSTANCE"),
        ("trailing dots...  ", "trailing dots"),
        ("..hidden", "hidden"),
        ("tab\tand\nnew line\x07bell\u202eRLO", "tab and new linebellRLO"),
        ("   ", "participant"),
        ("李伟", "李伟"),
    ],
)
def test_file_names_are_safe_on_windows_and_macos(name, safe):
    assert safe_filename(name) == safe


def test_file_names_are_capped_in_characters_and_bytes():
    assert len(safe_filename("a" * 500)) == 80
    assert len(safe_filename("李" * 500).encode("utf-8")) <= 180


def test_file_names_are_made_unique_whatever_the_case():
    taken: set[str] = set()
    assert [unique(n, taken) for n in ("a.pdf", "A.pdf", "a.pdf", "b")] == ["a.pdf", "A (2).pdf", "a (3).pdf", "b"]


# The ZIP from the command line


def check_zip(content: bytes, day: Day) -> dict[str, bytes]:
    """The ZIP holds exactly one plan per participant, the CSV and the summary, and no private answer."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    plans = sorted(name for name in files if name.startswith("plans/"))
    assert len(plans) == len(day.names) and set(files) == {*plans, "answers.csv", "responses.csv", "summary.pdf"}
    for index, participant_id in enumerate(day.ids):
        entry = f"plans/{safe_filename(day.names[index])}-{participant_id}.pdf"
        text = pdf_text(files[entry])
        assert day.names[index] in text
        assert day.answers[index]["1:goal"] in text
        assert "FACILITATOR'S COPY" in text
    texts = [pdf_text(files[name]) for name in plans]
    texts += [pdf_text(files["summary.pdf"]), files["answers.csv"].decode()]
    for secret in private_texts(day):
        assert not any(secret in text for text in texts), secret
    return files


@pytest.mark.parametrize("workers", ["1", "2"])  # in this process, and through a pool of two (eight plans or more)
def test_the_export_command_writes_one_zip_for_the_session(tmp_path, workers):
    day = seed_day(tmp_path / "data", [*NAMES, "Mateus Gonçalves", "Siobhán Ní Bhriain", "Kwame Mensah"])
    result = CliRunner().invoke(main, ["export", day.session.code.lower(), "--out", str(tmp_path / "out"),
                                       "--data-dir", str(day.data_dir), "--workers", workers])  # fmt: skip
    assert result.exit_code == 0, result.output
    path = Path(result.stdout.strip().splitlines()[-1])
    assert path.parent == tmp_path / "out" and path.name == f"Spring PD day {day.session.code}.zip"
    files = check_zip(path.read_bytes(), day)
    assert files["responses.csv"] == files["answers.csv"]  # its old name, kept for one release
    rows = list(csv.DictReader(io.StringIO(files["answers.csv"].decode("utf-8-sig"))))
    assert {row["participant"] for row in rows} == set(day.names) - {NAMES[5]} | {"'" + NAMES[5]}  # a formula
    assert not list((tmp_path / "out").glob("*.part"))


def test_the_export_command_refuses_an_unknown_code_or_folder(day, tmp_path):
    result = CliRunner().invoke(main, ["export", "ZZZZZZ", "--out", str(tmp_path), "--data-dir", str(day.data_dir)])
    assert result.exit_code == 1 and "There is no session with the code 'ZZZZZZ'" in result.output
    result = CliRunner().invoke(main, ["export", "ZZZZZZ", "--out", str(tmp_path), "--data-dir", str(tmp_path / "x")])
    assert result.exit_code == 1 and "There is no Pathways database" in result.output
    assert not list(tmp_path.glob("*.zip"))


# The console's routes (the real build runs over a real server in test_exports_live.py)


@pytest.fixture
def export_app(day):
    app = create_app({"DATA_DIR": str(day.data_dir), "ADMIN_TOKEN": ADMIN_TOKEN, "ASYNC_MODE": "threading",
                      "TESTING": True, "PUBLIC_URL": "http://pathways.test"})  # fmt: skip
    yield app
    app.extensions["pathways.store"].close()


def test_export_routes_want_the_sessions_facilitator_key(export_app, day):
    client = export_app.test_client()
    url = f"/api/sessions/{day.session.code}/export"
    for method, path in (("post", url), ("get", url), ("get", url + ".zip")):
        missing = getattr(client, method)(path)
        assert missing.status_code == 401 and missing.get_json()["code"] == "unauthorized"
        wrong = getattr(client, method)(path, headers={"X-Facilitator-Key": "not-the-key"})
        assert wrong.status_code == 403 and wrong.get_json()["code"] == "bad_key"
        unknown = getattr(client, method)(path.replace(day.session.code, "ZZZZZZ"), headers={"X-Facilitator-Key": "k"})
        assert unknown.status_code == 404 and unknown.get_json()["code"] == "unknown_session"
    idle = client.get(url, headers={"X-Facilitator-Key": day.key}).get_json()
    assert idle == {"state": "idle", "done": 0, "total": 0, "error": ""}
    none = client.get(url + ".zip", headers={"X-Facilitator-Key": day.key})
    assert none.status_code == 404 and none.get_json()["code"] == "no_export"


def test_a_running_export_is_reused_answers_409_for_the_zip_and_a_dead_one_is_reported_failed(
    export_app, day, tmp_path, monkeypatch
):
    gate = tmp_path / "gate"
    runner: ExportRunner = export_app.extensions[EXTENSION_KEY]
    started = []
    waits = f"import os, time\nwhile not os.path.exists({str(gate)!r}): time.sleep(0.01)\nraise SystemExit(3)"
    monkeypatch.setattr(runner, "command", lambda code, folder: started.append(code) or [sys.executable, "-c", waits])
    client = export_app.test_client()
    headers = {"X-Facilitator-Key": day.key}
    url = f"/api/sessions/{day.session.code}/export"
    first = client.post(url, headers=headers)
    assert first.status_code == 202
    assert first.get_json() == {"status_url": url, "download_url": url + ".zip"}
    assert client.post(url, headers=headers).status_code == 202
    assert started == [day.session.code]  # the running build is returned, not a second one
    assert client.get(url, headers=headers).get_json()["state"] == "running"
    busy = client.get(url + ".zip", headers=headers)
    assert busy.status_code == 409 and busy.get_json()["code"] == "export_running"
    gate.touch()
    failed = wait_until(lambda: (s := client.get(url, headers=headers).get_json())["state"] == "failed" and s)
    assert "exit status 3" in failed["error"]
    assert client.get(url, headers=headers).get_json() == failed  # the reason stays
    assert client.get(url + ".zip", headers=headers).status_code == 409


# The participant's own plan, calendar file and PDF: only the token opens them


@pytest.fixture
def plan_client(export_app):
    return export_app.test_client()


def test_each_token_opens_only_its_own_plan(plan_client, day):
    for index, token in enumerate(day.tokens[:3]):
        page = plan_client.get(f"/p/{token}/plan").get_data(as_text=True)
        pdf = pdf_text(plan_client.get(f"/p/{token}/plan.pdf").data)
        for text in (page, pdf):
            assert day.names[index] in text and day.canary(index) in text
            for other in set(range(len(day.names))) - {index}:
                assert day.canary(other) not in text and day.answers[other]["1:goal"] not in text
    for path in ("plan", "plan.pdf", "checkin.ics"):
        assert plan_client.get(f"/p/{day.tokens[0]}x/{path}").status_code == 404
        assert plan_client.get(f"/p/{day.ids[1]}/{path}").status_code == 404


def test_the_plan_page_shows_group_notes_the_goal_under_its_system_goal_and_the_calendar_link(plan_client, day):
    page = plan_client.get(f"/p/{day.tokens[0]}/plan").get_data(as_text=True)
    assert 'data-testid="plan-group-notes"' in page
    assert day.answers[1]["2:warm-feedback"] in page and day.answers[1]["2:examining"] not in page
    assert f"/p/{day.tokens[0]}/checkin.ics" in page and f"/p/{day.tokens[0]}/plan.pdf" in page


def test_the_check_in_calendar_file_is_the_participants_own(plan_client, day):
    response = plan_client.get(f"/p/{day.tokens[2]}/checkin.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert response.headers["Content-Disposition"] == 'attachment; filename="check-in.ics"'
    text = response.get_data(as_text=True).replace("\r\n ", "")
    assert f"DTSTART;VALUE=DATE:{day.answers[2]['1:check-in'].replace('-', '')}" in text
    assert f"UID:check-in-{day.session.code}-{day.ids[2]}@pathways" in text
    assert day.answers[2]["1:goal"] in text and day.canary(2) not in text


def test_no_calendar_file_before_a_check_in_date_is_chosen(export_app, tmp_path):
    app_day = seed_day(Path(export_app.config["DATA_DIR"]), ["Solo"], tuning=False)
    store = Store(Path(export_app.config["DATA_DIR"]) / DATABASE_FILE)
    _, token = store.add_participant(app_day.session.id, "No answers yet")
    store.close()
    assert export_app.test_client().get(f"/p/{token}/checkin.ics").status_code == 404
