"""Evidence files over a real server: who opens a person's file (they, their coach, their group once shared), what
leaders see of it (a count), and forget leaving no byte of it anywhere in the data folder."""

import io
import sqlite3
from typing import Any

import requests
from reportlab.pdfgen import canvas

from tests.support.admin import admin_headers
from tests.support.database import traces
from tests.support.followup import set_goal

GOALS = [{"title": "Every student reads fluently by grade 3"}, {"title": "Feedback that moves learning forward"}]
UNIQUE = "EVIDENCE-CANARY-7f3a91"  # written inside the uploaded PDF's page: nothing of it may survive forget


def student_work_pdf() -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out, pageCompression=0)  # the words lie in the file as they are
    page.drawString(72, 720, f"Reading record, week 4 {UNIQUE}")
    page.save()
    assert UNIQUE.encode() in out.getvalue()
    return out.getvalue()


def _day(live_server: Any, peers: Any) -> dict[str, Any]:
    """Ana and Ben at one table (the same system goal), Cara at another; a coach for Ana and one for nobody."""
    url = live_server.url
    organisation = requests.post(f"{url}/api/organisations", json={"name": "Riverside", "system_goals": GOALS},
                                 headers=admin_headers(), timeout=10).json()  # fmt: skip
    session = live_server.create_session(organisation_id=organisation["id"], system_goals=GOALS)
    console = peers(url, "/facilitator", code=session["code"], key=session["facilitator_key"]).connect()
    tokens = {}
    for name, goal in (("Ana", 0), ("Ben", 0), ("Cara", 1)):
        phone = peers(url, "/participant", code=session["code"], name=name, identifier=f"{name.lower()}@r.example",
                      consent=True).connect()  # fmt: skip
        tokens[name] = phone.wait_for("welcome")["token"]
        set_goal(console.call, phone.call, session["system_goals"][goal]["id"], f"{name}'s goal", ["A step"])
    assert console.call("form_groups", {"size": 2, "by": "system_goal", "confirm": True})["ok"]
    tables = [{m["name"] for m in g["members"]} for g in console.latest("state")["groups"]]
    assert sorted(map(sorted, tables)) == [["Ana", "Ben"], ["Cara"]]
    leaders = {"X-Organisation-Key": organisation["key"]}
    follow_up = requests.get(f"{url}/api/follow-up", params={"organisation": organisation["id"]}, headers=leaders,
                             timeout=10).json()  # fmt: skip
    people = {row["name"]: row["person_id"] for row in follow_up["coaching"]["people"]}
    coaches = []
    for name in ("Ms Diaz", "Mr Other"):
        made = requests.post(f"{url}/api/organisations/{organisation['id']}/coaches", json={"name": name},
                             headers=admin_headers(), timeout=10)  # fmt: skip
        coaches.append(made.json())
    given = requests.post(f"{url}/api/follow-up/assignments", params={"organisation": organisation["id"]},
                          headers=leaders, json={"person_id": people["Ana"], "coach_id": coaches[0]["id"]},
                          timeout=10)  # fmt: skip
    assert given.status_code == 200, given.text
    given = requests.post(f"{url}/api/follow-up/assignments", params={"organisation": organisation["id"]},
                          headers=leaders, json={"person_id": people["Cara"], "coach_id": coaches[1]["id"]},
                          timeout=10)  # fmt: skip
    assert given.status_code == 200, given.text
    return {"url": url, "organisation": organisation, "leaders": leaders, "tokens": tokens, "people": people,
            "coaches": coaches}  # fmt: skip


def _coach_get(day: dict[str, Any], coach: dict[str, Any], path: str) -> requests.Response:
    return requests.get(f"{day['url']}{path}", params={"coach": coach["id"]}, headers={"X-Coach-Key": coach["key"]},
                        timeout=10)  # fmt: skip


def test_a_file_reaches_its_person_their_coach_and_their_group_by_choice_and_forget_leaves_no_byte(live_server, peers):
    day = _day(live_server, peers)
    url, ana, ben, cara = day["url"], day["tokens"]["Ana"], day["tokens"]["Ben"], day["tokens"]["Cara"]
    pdf = student_work_pdf()
    made = requests.post(f"{url}/p/{ana}/evidence", files={"file": ("reading record.pdf", pdf, "application/pdf")},
                         timeout=10)  # fmt: skip
    assert made.status_code == 201, made.text
    file = made.json()
    assert file["title"] == "reading record.pdf" and file["shared_with_group"] is False
    own = requests.get(f"{url}{file['url']}", timeout=10)
    assert own.content == pdf and own.headers["X-Content-Type-Options"] == "nosniff"

    diaz, other = day["coaches"]
    person = _coach_get(day, diaz, f"/api/coach/people/{day['people']['Ana']}")
    assert [f["title"] for f in person.json()["evidence"]] == ["reading record.pdf"]
    opened = _coach_get(day, diaz, person.json()["evidence"][0]["url"].split("?")[0])
    assert opened.status_code == 200 and opened.content == pdf
    assert opened.headers["Content-Type"] == "application/pdf"
    refused = _coach_get(day, other, f"/api/coach/people/{day['people']['Ana']}/evidence/{file['id']}")
    assert refused.status_code == 404, "another coach does not open Ana's files"

    follow_up = requests.get(f"{url}/api/follow-up", params={"organisation": day["organisation"]["id"]},
                             headers=day["leaders"], timeout=10)  # fmt: skip
    rows = {row["name"]: row for row in follow_up.json()["coaching"]["people"]}
    assert rows["Ana"]["evidence_files"] == 1  # leaders see how many, not the file
    leaders_person = requests.get(f"{url}/api/follow-up/people/{day['people']['Ana']}", headers=day["leaders"],
                                  params={"organisation": day["organisation"]["id"]}, timeout=10)  # fmt: skip
    assert leaders_person.status_code == 200, leaders_person.text
    for seen in (follow_up.text, leaders_person.text):
        assert "/evidence/" not in seen and "reading record" not in seen and UNIQUE not in seen

    mate = f"{url}/p/{ben}/group-evidence/{file['id']}"
    assert requests.get(mate, timeout=10).status_code == 404, "not shared yet"
    shared = requests.post(f"{url}{file['url']}/share", json={"shared": True}, timeout=10)
    assert shared.json() == {"ok": True, "shared": True}
    assert requests.get(mate, timeout=10).content == pdf
    assert requests.get(f"{url}/p/{cara}/group-evidence/{file['id']}", timeout=10).status_code == 404, "other table"
    requests.post(f"{url}{file['url']}/share", json={"shared": False}, timeout=10)
    assert requests.get(mate, timeout=10).status_code == 404, "sharing withdrawn"

    assert traces(live_server.data_dir, UNIQUE), "the file is kept in the data folder before forget"
    gone = requests.post(f"{url}/p/{ana}/forget", data={"confirm": "delete"}, timeout=10)
    assert gone.status_code == 200
    assert traces(live_server.data_dir, UNIQUE) == {}
    assert list((live_server.data_dir / "evidence").iterdir()) == []
    db = sqlite3.connect(live_server.data_dir / "pathways.sqlite3")
    try:
        assert db.execute("SELECT count(*) FROM evidence_files").fetchone()[0] == 0
    finally:
        db.close()
    assert _coach_get(day, diaz, f"/api/coach/people/{day['people']['Ana']}/evidence/{file['id']}").status_code == 404
