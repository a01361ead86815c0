"""The coaching loop end to end (issue "The coaching loop", done when): a day with six people and two coaches, support
requests given owners in turn, a coach's suggestion accepted and the goal agreed (the PDF says so), a person silent
past their check-in date getting exactly one reminder across a server restart, one who withdrew consent getting
none, and no private canary reaching a coach, a leader, an e-mail or a CSV.

A real server on a real port, real Socket.IO phones, a real SMTP server (aiosmtpd) the server mails through, and the
``pathways remind`` command an operator would run from cron.
"""

import io
import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import requests
from pypdf import PdfReader

from tests.support.admin import admin_headers
from tests.support.database import traces
from tests.support.servers import ROOT, LiveServer
from tests.support.smtp import SmtpServer
from tests.support.waiting import wait_until

pytestmark = pytest.mark.live

GOALS = [{"title": "Literacy across the curriculum"}, {"title": "Feedback that moves learning forward"}]
CANARY = "PRIVATE-{}-canary"
PEOPLE = {  # name: (system goal index, asks for coaching, check-in in days from today)
    "Ana": (0, True, 30),
    "Ben": (0, True, 30),
    "Cara": (0, True, 30),
    "Dan": (1, False, -1),  # silent: his check-in date was yesterday
    "Eve": (1, False, -1),  # silent too, but withdraws her consent: no e-mail at all
    "Finn": (1, True, 30),
}


def address(name: str) -> str:
    return f"{name.lower()}@riverside.org"


def post(url: str, path: str, body: Any, headers: dict[str, str] | None = None, status: int = 200) -> Any:
    response = requests.post(f"{url}{path}", json=body, headers=headers or {}, timeout=10)
    assert response.status_code == status, (path, response.status_code, response.text)
    return response.json() if response.content else None


def get(url: str, path: str, headers: dict[str, str] | None = None) -> requests.Response:
    response = requests.get(f"{url}{path}", headers=headers or {}, timeout=10)
    assert response.status_code == 200, (path, response.status_code, response.text)
    return response


def run_day(url: str, peers, session: dict[str, Any]) -> dict[str, str]:
    """Goal setting for the six, each phone answering as its person would; their plan tokens by name."""
    goal_ids = [goal["id"] for goal in session["system_goals"]]
    console = peers(url, "/facilitator", code=session["code"], key=session["facilitator_key"]).connect()
    phones = {
        name: peers(url, "/participant", code=session["code"], name=name, identifier=address(name), consent=True)
        for name in PEOPLE
    }
    tokens = {name: phone.connect().wait_for("welcome")["token"] for name, phone in phones.items()}
    post(url, f"/p/{tokens['Eve']}/identifier/remove", {})  # Eve withdraws her consent before any reminder is due
    today = datetime.now(UTC).date()
    for name, (goal, coaching, days) in PEOPLE.items():
        answers = {
            "1:system-goal": goal_ids[goal],
            "1:obstacles": "Not enough planning time; timetable changes.",
            "1:goal": f"{name}'s class reads with more confidence",
            "1:action-steps": [
                {"text": f"{name} step one", "date": (today + timedelta(days=20)).isoformat()},
                {"text": f"{name} step two", "date": (today + timedelta(days=40)).isoformat()},
            ],
            **({"1:support": ["coaching"]} if coaching else {}),
            "1:check-in": (today + timedelta(days=days)).isoformat(),
            "1:worry": CANARY.format(f"{name}-WORRY"),
        }
        for step_id, value in answers.items():
            assert console.call("goto", {"step_id": step_id})["ok"]
            ack = phones[name].call("answer", {"step_id": step_id, "answer_id": f"{name}-{step_id}", "value": value})
            assert ack["ok"], (name, step_id, ack)
    for phone in phones.values():
        phone.disconnect()
    console.disconnect()
    return tokens


def remind_command(server: LiveServer, mail: SmtpServer, mode: str = "--send") -> str:
    """``pathways remind --send`` (or ``--dry-run``), as cron would run it on the server's data folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PATHWAYS_")}
    env.update(
        PATHWAYS_SMTP_URL=f"smtp://127.0.0.1:{mail.port}",
        PATHWAYS_MAIL_FROM="pathways@riverside.org",
        PATHWAYS_ADMIN_TOKEN="x",
        PATHWAYS_PUBLIC_URL=server.url,
    )
    done = subprocess.run(
        [sys.executable, "-m", "facilitator", "remind", mode, "--data-dir", str(server.data_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_coaching_loop_from_a_day_to_an_agreed_goal_and_a_reminder(tmp_path, peers, engine):
    with SmtpServer() as mail:
        server = LiveServer(
            data_dir=tmp_path / "data",
            engine=engine,
            env={
                "PATHWAYS_SMTP_URL": f"smtp://127.0.0.1:{mail.port}",
                "PATHWAYS_MAIL_FROM": "Pathways <pathways@riverside.org>",
                "PATHWAYS_REMINDER_INTERVAL": "0.5",
            },
        )
        server.start()
        try:
            walk_the_loop(server, peers, mail)
        finally:
            server.stop()


def walk_the_loop(server: LiveServer, peers, mail: SmtpServer) -> None:
    url = server.url
    organisation = post(
        url,
        "/api/organisations",
        {"name": "Riverside District", "system_goals": GOALS, "leader_emails": ["head@riverside.org"]},
        admin_headers(),
        201,
    )
    literacy, feedback = (goal["id"] for goal in organisation["system_goals"])
    coaches = {
        "Ms Diaz": post(
            url,
            f"/api/organisations/{organisation['id']}/coaches",
            {"name": "Ms Diaz", "email": "diaz@riverside.org", "goal_ids": [literacy]},
            admin_headers(),
            201,
        ),
        "Mr Okafor": post(
            url,
            f"/api/organisations/{organisation['id']}/coaches",
            {"name": "Mr Okafor", "email": "okafor@riverside.org", "goal_ids": [literacy, feedback]},
            admin_headers(),
            201,
        ),
    }
    session = post(
        url,
        "/api/sessions",
        {"title": "PD day", "organisation_id": organisation["id"], "agenda": ["goal-setting"]},
        admin_headers(),
        201,
    )
    tokens = run_day(url, peers, session)

    # A check-in with a private note: the coach answers it, never reads the note.
    check_in = {
        "progress": [{"step": "Ben step one", "level": 3}, {"step": "Ben step two", "level": 1}],
        "obstacles": "Timetable changes again",
        "support": ["coaching"],
        "private_note": CANARY.format("BEN-NOTE"),
    }
    post(url, f"/p/{tokens['Ben']}/check-ins", check_in, status=201)

    # Leaders: every request has an owner; the literacy requests went to its coaches in turn.
    leaders = {"X-Organisation-Key": organisation["key"]}
    view = get(url, f"/api/follow-up?organisation={organisation['id']}", leaders).json()
    people = {row["name"]: row for row in view["coaching"]["people"]}
    requested = [name for name, (_, coaching, _) in PEOPLE.items() if coaching]
    assert all(people[name]["open_requests"] and people[name]["coach"] for name in requested)
    literacy_coaches = [people[name]["coach"] for name in ("Ana", "Ben", "Cara")]
    assert sorted(set(literacy_coaches)) == ["Mr Okafor", "Ms Diaz"]  # taking turns, not all to one
    assert people["Finn"]["coach"] == "Mr Okafor"  # the only coach of feedback
    assert all(r["owner"] for r in view["coaching"]["requests"])

    # Dan and Eve have no coach yet: leaders give every feedback goal to Mr Okafor in one go.
    assigned = post(
        url,
        f"/api/follow-up/assignments?organisation={organisation['id']}",
        {"goal_id": feedback, "coach_id": coaches["Mr Okafor"]["id"]},
        leaders,
    )
    assert assigned == {"assigned": 3}

    # Ms Diaz sees only her people; she comments and suggests a rewording of a goal of hers.
    diaz = {"X-Coach-Key": coaches["Ms Diaz"]["key"]}
    diaz_id = coaches["Ms Diaz"]["id"]
    caseload = get(url, f"/api/coach?coach={diaz_id}", diaz).json()
    mine = {row["name"]: row for row in caseload["people"]}
    assert set(mine) == {name for name in ("Ana", "Ben", "Cara") if people[name]["coach"] == "Ms Diaz"}
    name = sorted(mine)[0]
    person = mine[name]["person_id"]
    post(
        url,
        f"/api/coach/people/{person}/messages?coach={diaz_id}",
        {"kind": "comment", "body": "Good start."},
        diaz,
        201,
    )
    new_goal = f"By June, {name}'s class reads grade texts aloud with 95% accuracy"
    suggestion = post(
        url,
        f"/api/coach/people/{person}/messages?coach={diaz_id}",
        {"kind": "suggest_goal", "goal": new_goal, "body": "Could we make it measurable?"},
        diaz,
        201,
    )
    assert suggestion["state"] == "pending"

    # The teacher sees it on their plan page's coaching, accepts; the goal is agreed, and the PDF says so.
    own = get(url, f"/p/{tokens[name]}/coaching.json").json()
    assert own["coach"]["name"] == "Ms Diaz" and own["goal"]["agreed"] is False
    assert [m["kind"] for m in own["thread"]] == ["comment", "suggest_goal"]
    post(url, f"/p/{tokens[name]}/messages/{suggestion['id']}/answer", {"answer": "accept"})
    own = get(url, f"/p/{tokens[name]}/coaching.json").json()
    today = datetime.now(UTC).date()
    agreed_line = f"Agreed with Ms Diaz on {today.day} {today:%B %Y}"
    assert own["goal"]["goal"] == new_goal and own["goal"]["agreement"] == agreed_line
    assert [v["goal"] for v in own["goal"]["versions"]] == [new_goal, f"{name}'s class reads with more confidence"]
    pdf = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(get(url, f"/p/{tokens[name]}/plan.pdf").content)).pages
    )
    flat = " ".join(pdf.split())
    assert agreed_line in flat and new_goal in flat and f"{name}'s class reads with more confidence" in flat
    assert next(r for r in get(url, f"/api/coach?coach={diaz_id}", diaz).json()["people"] if r["name"] == name)[
        "agreed"
    ]

    # Dan passed his check-in date in silence: his coach's list says so, and he gets exactly one reminder.
    okafor = {"X-Coach-Key": coaches["Mr Okafor"]["key"]}
    rows = {r["name"]: r for r in get(url, f"/api/coach?coach={coaches['Mr Okafor']['id']}", okafor).json()["people"]}
    assert rows["Dan"]["silent"] and rows["Eve"]["silent"] and not rows["Finn"]["silent"]
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    assert rows["Dan"]["check_in_due"] == yesterday

    def to(who: str) -> list:
        return [m for m in mail.received if address(who) in m.recipients]

    wait_until(lambda: len(to("Dan")) == 1, timeout=20, message="Dan's reminder")
    wait_until(
        lambda: any("Dan has not checked in" in m.subject for m in mail.received),
        timeout=20,
        message="Mr Okafor hearing that Dan went silent",
    )
    wait_until(
        lambda: any("Eve has not checked in" in m.subject for m in mail.received),
        timeout=20,
        message="Mr Okafor hearing that Eve went silent",
    )
    server.stop()
    server.start()  # a restart: the server's passes begin again from what the database recorded
    dry = remind_command(server, mail, "--dry-run").splitlines()  # what an operator's cron pass would see
    assert any(line.startswith("recorded before") and "check_in_due:" in line for line in dry), dry
    report = remind_command(server, mail)  # and the pass itself, on top of the server's
    assert "check_in_due" in report
    assert len(to("Dan")) == 1, [m.subject for m in to("Dan")]
    reminder = to("Dan")[0]
    assert reminder.subject == "Time to check in on your goal"
    assert f"{server.url}/stop/" in reminder.body and reminder.message["List-Unsubscribe"]
    assert to("Eve") == []  # she withdrew her consent: shown in the app only
    eve = get(url, f"/p/{tokens['Eve']}/coaching.json").json()
    assert [r["subject"] for r in eve["reminders"]] == ["Time to check in on your goal"]
    assert not any("Time to check in" in m.subject for m in to("Ana"))  # not due: no reminder

    # No private canary reached a coach, a leader, an e-mail or a CSV.
    seen = [
        json.dumps(get(url, f"/api/coach?coach={c['id']}", {"X-Coach-Key": c["key"]}).json()) for c in coaches.values()
    ]
    for coach in coaches.values():
        for row in get(url, f"/api/coach?coach={coach['id']}", {"X-Coach-Key": coach["key"]}).json()["people"]:
            seen.append(
                get(
                    url, f"/api/coach/people/{row['person_id']}?coach={coach['id']}", {"X-Coach-Key": coach["key"]}
                ).text
            )
    seen.append(get(url, f"/api/follow-up?organisation={organisation['id']}", leaders).text)
    for csv in ("support-requests.csv", "caseloads.csv", "silent.csv", "agreement.csv"):
        seen.append(get(url, f"/api/follow-up/{csv}?organisation={organisation['id']}", leaders).text)
    seen += [m.raw.decode("utf-8", "replace") for m in mail.received]
    assert "Ben step one" in "".join(seen)  # the check-in reached his coach, without its note
    assert not any("PRIVATE-" in text for text in seen)

    # Forgotten on request: the conversation, the agreed versions, the requests and the reminders go too.
    assert traces(server.data_dir, new_goal, "Good start.")  # the search finds what is still held
    forgotten = requests.post(f"{url}/p/{tokens[name]}/forget", data={"confirm": "delete"}, timeout=10)
    assert forgotten.status_code == 200
    assert traces(server.data_dir, new_goal, "Good start.", address(name)) == {}
    assert name not in {r["name"] for r in get(url, f"/api/coach?coach={diaz_id}", diaz).json()["people"]}
