"""Nobody where they don't belong: every HTTP route and Socket.IO event, called with no credential, another
session's credential, a participant's token where a key is needed, and the projector trying to act.

Each is refused with a clear error and changes nothing. A new route must be placed in one of the lists below, or
the first test fails: no route goes unchecked.
"""

import io
import sqlite3
from pathlib import Path

import pytest

from facilitator.live.console import FacilitatorNamespace
from participant.sockets import ParticipantNamespace
from protocols.credentials import check_in_token
from tests.support.admin import admin_headers
from tests.support.database import fingerprint
from tests.support.sockets import call, events

# Open to anyone, and why: they hold nothing beyond what the room's projector shows, or are page shells whose
# data comes over a socket that asks for its own credential.
PUBLIC = {
    "/": "the home page",
    "/admin": "a page shell; every call it makes needs the admin token",
    "/api/protocols": "the protocol library, the same for everyone",
    "/api/sessions/<code>/handout.pdf": "the join QR code and address, as the projector shows them",
    "/api/sessions/<code>/qr.svg": "the join QR code, as the projector shows it",
    "/console/<code>": "a page shell; the key stays in the URL fragment and opens the socket",
    "/healthz": "health",
    "/i18n/<screen>/<code>.json": "a screen's sentences in one language, the same for everyone",
    "/j": "where phones type a code",
    "/j/": "where phones type a code",
    "/j/<code>": "the join page",
    "/leaders": "a page shell; the key stays in the URL fragment and goes only in the follow-up API's headers",
    "/coach": "a page shell; the coach's key stays in the URL fragment and goes only in the coach API's headers",
    "/projector/<code>": "the projector shows only what the room may see",
    "/projector/<code>/artifacts/<int:artifact_id>/pages/<int:number>": "the room's student work, as the projector "
    "shows it; a table's is refused (tests/test_artifacts.py)",
    "/projector/<code>/media/<step_id>/pages/<int:number>": "the open step's media, as the projector shows it; any "
    "other step's is refused (tests/test_media.py)",
    "/static/<path:filename>": "CSS, JS, fonts",
}
ADMIN = [
    ("GET", "/api/sessions"),
    ("POST", "/api/sessions"),
    ("GET", "/api/sessions/{code}"),
    ("PATCH", "/api/sessions/{code}"),
    ("DELETE", "/api/sessions/{code}"),
    ("POST", "/api/sessions/{code}/console-link"),
    ("POST", "/api/sessions/{code}/duplicate"),
]
FACILITATOR = [
    ("POST", "/api/sessions/{code}/export"),
    ("GET", "/api/sessions/{code}/export"),
    ("GET", "/api/sessions/{code}/export.zip"),
]
# The console's student work, behind the facilitator key as FACILITATOR's routes are: rule -> the URL called.
STUDENT_WORK = {
    "/api/sessions/<code>/artifacts": ("POST", "/api/sessions/{code}/artifacts"),
    "/api/sessions/<code>/artifacts/<int:artifact_id>": ("DELETE", "/api/sessions/{code}/artifacts/1"),
    "/api/sessions/<code>/artifacts/<int:artifact_id>/pages/<int:number>": (
        "GET", "/api/sessions/{code}/artifacts/1/pages/1"),
    "/api/sessions/<code>/media": ("POST", "/api/sessions/{code}/media"),
    "/api/sessions/<code>/media/slides": ("POST", "/api/sessions/{code}/media/slides"),
    "/api/sessions/<code>/agenda/protocol": ("POST", "/api/sessions/{code}/agenda/protocol"),
    "/api/sessions/<code>/media/<step_id>": ("DELETE", "/api/sessions/{code}/media/1:system-goal"),
    "/api/sessions/<code>/media/<step_id>/pages/<int:number>": (
        "GET", "/api/sessions/{code}/media/1:system-goal/pages/1"),
}  # fmt: skip
ORGANISATION_ADMIN = [
    ("GET", "/api/organisations"),
    ("POST", "/api/organisations"),
    ("GET", "/api/organisations/{organisation}"),
    ("PATCH", "/api/organisations/{organisation}"),
    ("POST", "/api/organisations/{organisation}/key"),
    ("GET", "/api/organisations/{organisation}/coaches"),
    ("POST", "/api/organisations/{organisation}/coaches"),
    ("PATCH", "/api/organisations/{organisation}/coaches/{coach}"),
    ("DELETE", "/api/organisations/{organisation}/coaches/{coach}"),
    ("POST", "/api/organisations/{organisation}/coaches/{coach}/key"),
]
LEADERS = [
    ("GET", "/api/follow-up"),
    ("GET", "/api/follow-up/support-requests.csv"),
    ("POST", "/api/follow-up/support-requests/{request}/close"),
    ("GET", "/api/follow-up/caseloads.csv"),
    ("GET", "/api/follow-up/silent.csv"),
    ("GET", "/api/follow-up/agreement.csv"),
    ("POST", "/api/follow-up/assignments"),
    ("POST", "/api/follow-up/requests/{request_id}"),
    ("GET", "/api/follow-up/people/{person}"),
    ("GET", "/api/follow-up/progress-wall"),
    ("GET", "/api/follow-up/progress-wall/evidence/{evidence}"),
]
# A coach's own key (X-Coach-Key with ?coach=<id>) opens their caseload and their people alone.
COACH = [
    ("GET", "/api/coach"),
    ("GET", "/api/coach/people/{person}"),
    ("POST", "/api/coach/people/{person}/messages"),
    ("POST", "/api/coach/people/{person}/agree"),
    ("GET", "/api/coach/people/{person}/evidence/{evidence}"),
    ("POST", "/api/coach/requests/{request_id}"),
]
# The person's side of the coaching loop behind their plan token (p) or a reminder's follow-up link (r); the
# stop-reminders link of a mailed reminder.
PERSON_DOORS = {
    "/<any(p, r):door>/<token>/coaching.json": ("GET", "/{door}/{token}/coaching.json"),
    "/<any(p, r):door>/<token>/messages": ("POST", "/{door}/{token}/messages"),
    "/<any(p, r):door>/<token>/messages/<int:message_id>/answer": ("POST", "/{door}/{token}/messages/1/answer"),
    "/p/<token>/identifier/remove": ("POST", "/{door}/{token}/identifier/remove"),
    "/r/<token>": ("GET", "/r/{token}"),
    "/r/<token>/check-ins": ("POST", "/r/{token}/check-ins"),
    "/stop/<token>": ("GET", "/stop/{token}"),
    "/<any(p, r):door>/<token>/evidence": ("POST", "/{door}/{token}/evidence"),
    "/<any(p, r):door>/<token>/evidence/<int:evidence_id>": ("GET", "/{door}/{token}/evidence/1"),
    "/p/<token>/evidence/<int:evidence_id>": ("DELETE", "/p/{token}/evidence/1"),
    "/p/<token>/evidence/<int:evidence_id>/share": ("POST", "/{door}/{token}/evidence/1/share"),
    "/p/<token>/evidence/<int:evidence_id>/delete": ("POST", "/{door}/{token}/evidence/1/delete"),
    "/p/<token>/group-evidence/<int:evidence_id>": ("GET", "/p/{token}/group-evidence/1"),
    "/p/<token>/progress.json": ("GET", "/{door}/{token}/progress.json"),
    "/p/<token>/progress/share": ("POST", "/{door}/{token}/progress/share"),
    "/p/<token>/progress/evidence/<int:evidence_id>": ("POST", "/{door}/{token}/progress/evidence/1"),
    "/p/<token>/artifacts": ("POST", "/p/{token}/artifacts"),
    "/p/<token>/artifacts/<int:artifact_id>": ("DELETE", "/p/{token}/artifacts/1"),
    "/p/<token>/artifacts/<int:artifact_id>/pages/<int:number>": ("GET", "/p/{token}/artifacts/1/pages/1"),
    "/p/<token>/media/<step_id>/pages/<int:number>": ("GET", "/p/{token}/media/1:system-goal/pages/1"),
}
PARTICIPANT = ["/p/{token}/plan", "/p/{token}/plan.pdf", "/p/{token}/checkin.ics", "/p/{token}/my-data.json"]
PARTICIPANT_ACTIONS = ["/p/{token}/check-ins", "/p/{token}/forget"]
# The check-in link (calendar file, printed plan): its own narrower token, for the check-in form alone.
CHECK_IN = ["/c/{check_in}", "/c/{check_in}/checkin.ics"]
CHECK_IN_ACTIONS = ["/c/{check_in}/check-ins"]


def _rule(path: str) -> str:
    return (
        path.replace("{request}", "<request_key>")
        .replace("{request_id}", "<int:request_id>")
        .replace("{person}", "<int(signed=True):person_id>")
        .replace("{evidence}", "<int:evidence_id>")
    )


@pytest.fixture
def two_sessions(app, sio, create_session):
    """Two sessions, each with a phone that answered the first step; returns what each party holds."""
    made = []
    for title in ("Ours", "Theirs"):
        created = create_session(title=title)
        console = sio("/facilitator", code=created["code"], key=created["facilitator_key"])
        phone = sio("/participant", code=created["code"], name=f"{title} phone")
        token = events(phone, "welcome", "/participant")[0]["token"]
        call(console, "next", "/facilitator")
        goal = created["system_goals"][0]["id"]
        assert call(phone, "answer", "/participant", {"step_id": "1:system-goal", "answer_id": "x", "value": goal})[
            "ok"
        ]
        made.append({**created, "token": token, "console": console, "phone": phone})
    return made


def test_every_route_is_public_for_a_reason_or_checked_below(app):
    checked = {path.replace("{code}", "<code>").replace("{token}", "<token>") for _, path in ADMIN + FACILITATOR}
    checked |= {path.replace("{token}", "<token>") for path in PARTICIPANT + PARTICIPANT_ACTIONS}
    checked |= {path.replace("{check_in}", "<token>") for path in CHECK_IN + CHECK_IN_ACTIONS}
    checked |= {
        path.replace("{organisation}", "<int:organisation_id>").replace("{coach}", "<int:coach_id>")
        for _, path in ORGANISATION_ADMIN
    }
    checked |= {_rule(path) for _, path in LEADERS + COACH}
    checked |= set(PERSON_DOORS) | set(STUDENT_WORK)
    unplaced = {rule.rule for rule in app.url_map.iter_rules()} - set(PUBLIC) - checked
    assert unplaced == set(), f"routes with no place in the authorization matrix: {unplaced}"


@pytest.mark.parametrize(("method", "path"), ADMIN)
def test_admin_routes_refuse_no_token_a_facilitator_key_and_a_participant_token(
    app, client, two_sessions, method, path
):
    ours, _ = two_sessions
    before = fingerprint(app)
    url = path.format(code=ours["code"])
    for headers in ({}, admin_headers(ours["facilitator_key"]), admin_headers(ours["token"]),
                    {"X-Facilitator-Key": ours["facilitator_key"]}):  # fmt: skip
        response = client.open(url, method=method, json={"title": "Taken over"}, headers=headers)
        assert response.status_code == 401, (method, url, headers, response.status_code)
        assert "admin token" in response.get_json()["error"]
    assert fingerprint(app) == before


@pytest.fixture
def two_organisations(client, sio):
    """Two organisations, each with a session in which a phone asked for coaching; what each party holds."""
    made = []
    for name in ("Ours", "Theirs"):
        body = {"name": name, "system_goals": [{"title": f"{name} goal"}]}
        organisation = client.post("/api/organisations", json=body, headers=admin_headers()).get_json()
        created = client.post(
            "/api/sessions", json={"title": name, "organisation_id": organisation["id"]}, headers=admin_headers()
        ).get_json()
        console = sio("/facilitator", code=created["code"], key=created["facilitator_key"])
        phone = sio("/participant", code=created["code"], name=f"{name} phone")
        token = events(phone, "welcome", "/participant")[0]["token"]
        while (step := call(console, "next", "/facilitator")["step_id"]) != "1:support":
            assert step
        assert call(phone, "answer", "/participant", {"step_id": step, "answer_id": "s", "value": ["coaching"]})["ok"]
        made.append({**created, "organisation": organisation, "token": token})
    return made


def test_organisation_admin_routes_refuse_everyone_but_the_admin_token(app, client, two_organisations):
    ours, _ = two_organisations
    before = fingerprint(app)
    for method, path in ORGANISATION_ADMIN:
        url = path.format(organisation=ours["organisation"]["id"], coach=1)
        for headers in ({}, admin_headers(ours["organisation"]["key"]), admin_headers(ours["facilitator_key"]),
                        admin_headers(ours["token"])):  # fmt: skip
            response = client.open(url, method=method, json={"name": "Taken over"}, headers=headers)
            assert response.status_code == 401, (method, url, headers, response.status_code)
            assert "admin token" in response.get_json()["error"]
    assert fingerprint(app) == before


def test_the_follow_up_opens_with_its_own_organisation_s_key_or_one_of_its_facilitator_keys(
    app, client, two_organisations
):
    ours, theirs = two_organisations
    ours_id = ours["organisation"]["id"]
    opened = client.get(
        f"/api/follow-up?organisation={ours_id}", headers={"X-Organisation-Key": ours["organisation"]["key"]}
    )
    assert opened.status_code == 200
    (request,) = opened.get_json()["requests_without_goal"]  # the phone asked for coaching before writing a goal
    before = fingerprint(app)
    refusals = [
        (f"organisation={ours_id}", {}, 401),
        (f"organisation={ours_id}", {"X-Organisation-Key": theirs["organisation"]["key"]}, 403),
        (f"organisation={ours_id}", {"X-Organisation-Key": ours["facilitator_key"]}, 403),
        (f"organisation={ours_id}", {"X-Organisation-Key": ours["token"]}, 403),
        (f"organisation={ours_id}", admin_headers(ours["organisation"]["key"]), 401),  # the wrong header: no key
        (f"code={ours['code']}", {"X-Facilitator-Key": theirs["facilitator_key"]}, 403),
        (f"code={ours['code']}", {"X-Facilitator-Key": ours["token"]}, 403),
        (f"code={ours['code']}", {"X-Facilitator-Key": ours["organisation"]["key"]}, 403),
    ]
    for method, path in LEADERS:
        url = path.format(request=request["key"], request_id=1, person=1, evidence=1)
        for query, headers, status in refusals:
            response = client.open(f"{url}?{query}", method=method, headers=headers)
            assert response.status_code == status, (method, url, query, headers, response.status_code)
            assert response.get_json()["error"]
    assert fingerprint(app) == before
    still_open = client.get(
        f"/api/follow-up?code={ours['code']}", headers={"X-Facilitator-Key": ours["facilitator_key"]}
    )
    assert still_open.get_json()["open_requests"] == 1  # no refused call closed it


def test_a_facilitator_key_opens_the_follow_up_but_not_coaching_conversations_or_assignments(
    app, client, two_organisations
):
    ours, _ = two_organisations
    key = {"X-Facilitator-Key": ours["facilitator_key"]}
    assert client.get(f"/api/follow-up?code={ours['code']}", headers=key).status_code == 200
    before = fingerprint(app)
    for method, path in (("POST", "/api/follow-up/assignments"), ("POST", "/api/follow-up/requests/1"),
                         ("GET", "/api/follow-up/people/1"), ("GET", "/api/follow-up/progress-wall"),
                         ("GET", "/api/follow-up/progress-wall/evidence/1")):  # fmt: skip
        response = client.open(f"{path}?code={ours['code']}", method=method, headers=key, json={"coach_id": None})
        assert response.status_code == 403 and response.get_json()["code"] == "forbidden", (path, response.status_code)
    assert fingerprint(app) == before


def test_a_participant_s_check_ins_and_deletion_take_their_own_token_only(app, client, two_sessions):
    ours, theirs = two_sessions
    before = fingerprint(app)
    check_in = {"progress": [{"step": "Try it", "level": 2}]}
    for token in (theirs["facilitator_key"], ours["facilitator_key"], "not-a-token", check_in_token(ours["token"])):
        assert client.post(f"/p/{token}/check-ins", json=check_in).status_code == 404
        assert client.post(f"/p/{token}/forget", data={"confirm": "delete"}).status_code == 404
    assert fingerprint(app) == before
    assert client.post(f"/p/{ours['token']}/check-ins", json=check_in).status_code == 201
    assert client.get(f"/p/{theirs['token']}/plan").status_code == 200  # ours deleting theirs is impossible


@pytest.mark.parametrize(("method", "path"), FACILITATOR + list(STUDENT_WORK.values()))
def test_facilitator_routes_open_with_their_own_session_s_key_only(app, client, two_sessions, method, path):
    ours, theirs = two_sessions
    before = fingerprint(app)
    url = path.format(code=ours["code"])
    cases = [
        ({}, 401),
        ({"X-Facilitator-Key": theirs["facilitator_key"]}, 403),
        ({"X-Facilitator-Key": ours["token"]}, 403),
        ({"X-Facilitator-Key": "x" * 32}, 403),
        (admin_headers(ours["facilitator_key"]), 401),  # the key in the wrong header is no key at all
    ]
    for headers, status in cases:
        response = client.open(url, method=method, headers=headers)
        assert response.status_code == status, (method, url, headers, response.status_code)
        assert response.get_json()["error"]
    assert fingerprint(app) == before


@pytest.mark.parametrize("path", PARTICIPANT)
def test_a_participant_s_pages_open_with_their_own_token_only(app, client, two_sessions, path):
    ours, theirs = two_sessions
    before = fingerprint(app)
    mine = client.get(path.format(token=ours["token"]))
    assert mine.status_code in (200, 404)  # a check-in calendar exists only once a check-in day is given
    for token in (theirs["facilitator_key"], ours["facilitator_key"], "not-a-token", "", check_in_token(ours["token"])):
        response = client.get(path.format(token=token))
        assert response.status_code == 404, (path, token, response.status_code)
    theirs_page = client.get(path.format(token=theirs["token"]))
    if path.endswith("/plan"):
        assert "Theirs phone" in theirs_page.get_data(as_text=True)
        assert "Theirs phone" not in mine.get_data(as_text=True) and "Ours phone" in mine.get_data(as_text=True)
    assert fingerprint(app) == before


@pytest.mark.parametrize("path", CHECK_IN + CHECK_IN_ACTIONS)
def test_the_check_in_link_opens_with_its_own_check_in_token_only(app, client, two_sessions, path):
    ours, theirs = two_sessions
    check_in = {"progress": [{"step": "Try it", "level": 2}]}
    method = "POST" if path in CHECK_IN_ACTIONS else "GET"
    mine = client.open(path.format(check_in=check_in_token(ours["token"])), method=method, json=check_in)
    assert mine.status_code == (404 if path.endswith(".ics") else 201 if method == "POST" else 200)  # no date yet
    before = fingerprint(app)
    for token in (ours["token"], theirs["facilitator_key"], ours["facilitator_key"], "not-a-token", "x" * 300):
        response = client.open(path.format(check_in=token), method=method, json=check_in)
        assert response.status_code == 404, (path, token, response.status_code)
    assert fingerprint(app) == before


FACILITATOR_EVENTS = sorted(name[3:] for name in dir(FacilitatorNamespace) if name.startswith("on_")
                            and name not in ("on_connect", "on_disconnect"))  # fmt: skip
PHONE_EVENTS = sorted(name[3:] for name in dir(ParticipantNamespace) if name.startswith("on_")
                      and name not in ("on_connect", "on_disconnect"))  # fmt: skip


@pytest.mark.parametrize("event", FACILITATOR_EVENTS)
def test_a_phone_or_the_projector_cannot_send_a_facilitator_event(app, sio, two_sessions, event):
    ours, _ = two_sessions
    projector = sio("/projector", code=ours["code"])
    before = fingerprint(app)
    payload = {"step_id": "1:system-goal", "participant_id": 1, "hidden": True, "locked": True, "size": 2}
    for client, namespace in ((ours["phone"], "/participant"), (projector, "/projector")):
        ack = call(client, event, namespace, payload)
        assert ack == {"ok": False, "error": f"'{event}' is not an event of {namespace}.", "code": "unknown_event"}
    assert fingerprint(app) == before


@pytest.mark.parametrize("event", PHONE_EVENTS)
def test_the_projector_cannot_send_a_phone_event_and_a_console_acts_on_its_own_session_only(
    app, sio, two_sessions, event
):
    ours, theirs = two_sessions
    projector = sio("/projector", code=ours["code"])
    before = fingerprint(app)
    ack = call(projector, event, "/projector", {"step_id": "1:system-goal", "answer_id": "p", "value": 1})
    assert ack["ok"] is False and ack["code"] == "unknown_event"
    assert fingerprint(app) == before
    # Their console moves their session; ours stays where it was.
    ours_position = before[0][0][2]
    assert call(theirs["console"], "next", "/facilitator")["ok"]
    after = fingerprint(app)
    assert after[0][0][2] == ours_position and after[0][1][2] == before[0][1][2] + 1


def test_a_new_console_link_closes_consoles_opened_with_the_old_key(client, sio, create_session):
    created = create_session()
    console = sio("/facilitator", code=created["code"], key=created["facilitator_key"])
    phone = sio("/participant", code=created["code"], name="Ana")
    assert console.is_connected("/facilitator")
    response = client.post(f"/api/sessions/{created['code']}/console-link", headers=admin_headers())
    assert response.status_code == 200
    assert not console.is_connected("/facilitator"), "the old key's console is closed at once"
    assert phone.is_connected("/participant"), "phones stay"
    assert not sio("/facilitator", code=created["code"], key=created["facilitator_key"]).is_connected("/facilitator")
    new_key = response.get_json()["facilitator_key"]
    assert sio("/facilitator", code=created["code"], key=new_key).is_connected("/facilitator")


def test_deleting_a_session_closes_every_screen_still_open_on_it(client, sio, create_session):
    created, other = create_session(), create_session()
    screens = [
        (sio("/facilitator", code=created["code"], key=created["facilitator_key"]), "/facilitator"),
        (sio("/projector", code=created["code"]), "/projector"),
        (sio("/participant", code=created["code"], name="Ana"), "/participant"),
    ]
    elsewhere = sio("/participant", code=other["code"], name="Ben")
    assert client.delete(f"/api/sessions/{created['code']}", headers=admin_headers()).status_code == 204
    for screen, namespace in screens:
        assert not screen.is_connected(namespace), namespace
    assert elsewhere.is_connected("/participant"), "another session's phone stays"


def test_a_coach_s_key_opens_their_own_caseload_only(app, client, two_organisations):
    ours, theirs = two_organisations
    coaches = []
    for side in (ours, theirs):
        made = client.post(f"/api/organisations/{side['organisation']['id']}/coaches", json={"name": "Coach"},
                           headers=admin_headers())  # fmt: skip
        assert made.status_code == 201
        coaches.append(made.get_json())
    mine, other = coaches
    assert client.get(f"/api/coach?coach={mine['id']}", headers={"X-Coach-Key": mine["key"]}).status_code == 200
    before = fingerprint(app)
    refusals = [
        ({}, 401),
        ({"X-Coach-Key": other["key"]}, 403),
        ({"X-Coach-Key": ours["organisation"]["key"]}, 403),
        ({"X-Coach-Key": ours["facilitator_key"]}, 403),
        ({"X-Coach-Key": ours["token"]}, 403),
        ({"X-Organisation-Key": ours["organisation"]["key"]}, 401),  # the leaders' key is not a coach's
    ]
    for method, path in COACH:
        url = path.format(person=1, request_id=1, evidence=1) + f"?coach={mine['id']}"
        for headers, status in refusals:
            response = client.open(url, method=method, json={"kind": "comment", "body": "x"}, headers=headers)
            assert response.status_code == status, (method, url, headers, response.status_code)
            assert response.get_json()["error"]
    assert fingerprint(app) == before


@pytest.mark.parametrize("rule", sorted(PERSON_DOORS))
def test_the_person_s_coaching_doors_open_with_their_own_token_only(app, client, two_organisations, rule):
    ours, theirs = two_organisations
    method, path = PERSON_DOORS[rule]
    before = fingerprint(app)
    for door in ("p", "r"):
        for token in (theirs["facilitator_key"], ours["organisation"]["key"], "not-a-token", "x" * 300,
                      check_in_token(ours["token"])):  # fmt: skip
            url = path.format(door=door, token=token)
            response = client.open(url, method=method, json={"body": "x", "answer": "accept"})
            assert response.status_code == 404, (url, response.status_code)
    assert fingerprint(app) == before


def test_evidence_opens_for_its_person_alone_and_wrong_tokens_or_keys_change_nothing(app, client, two_organisations):
    """A file held by one person: another session's token, a key where a token goes, an unshared group route and
    another coach's key are all refused, and no file or row changes."""
    ours, theirs = two_organisations
    pdf = client.get(f"/p/{ours['token']}/plan.pdf").data
    made = client.post(f"/p/{ours['token']}/evidence", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(pdf), "work.pdf", "application/pdf")})  # fmt: skip
    assert made.status_code == 201, made.get_json()
    file_id = made.get_json()["id"]
    coach = client.post(f"/api/organisations/{theirs['organisation']['id']}/coaches", json={"name": "Coach"},
                        headers=admin_headers()).get_json()  # fmt: skip

    def held() -> tuple:
        db = sqlite3.connect(app.extensions["pathways.store"].path)
        rows = db.execute("SELECT * FROM evidence_files ORDER BY id").fetchall()
        db.close()
        folder = Path(app.config["DATA_DIR"]) / "evidence"
        return rows, sorted((p.name, p.read_bytes()) for p in folder.iterdir()), fingerprint(app)

    before = held()
    for token in (theirs["token"], theirs["facilitator_key"], ours["organisation"]["key"], "not-a-token",
                  check_in_token(ours["token"])):  # fmt: skip
        for method, path in (("GET", "/p/{t}/evidence/{f}"),
                             ("POST", "/p/{t}/evidence/{f}/share"), ("DELETE", "/p/{t}/evidence/{f}"),
                             ("POST", "/p/{t}/evidence/{f}/delete"), ("GET", "/r/{t}/evidence/{f}"),
                             ("GET", "/p/{t}/group-evidence/{f}")):  # fmt: skip
            url = path.format(t=token, f=file_id)
            response = client.open(url, method=method, json={"shared": True})
            assert response.status_code == 404, (method, url, response.status_code)
    assert client.get(f"/p/{theirs['token']}/evidence").get_json() == {"evidence": []}, "their own list: empty"
    assert client.get(f"/p/{ours['token']}/group-evidence/{file_id}").status_code == 404, "not a mate of oneself"
    person = client.get(f"/p/{ours['token']}/coaching.json").get_json()["person_id"]
    url = f"/api/coach/people/{person}/evidence/{file_id}?coach={coach['id']}"
    for headers, status in (({}, 401), ({"X-Coach-Key": ours["organisation"]["key"]}, 403),
                            ({"X-Coach-Key": coach["key"]}, 404)):  # fmt: skip
        assert client.get(url, headers=headers).status_code == status, headers
    assert held() == before
    assert client.get(f"/p/{ours['token']}/evidence/{file_id}").data == pdf
