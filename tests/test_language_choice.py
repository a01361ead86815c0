"""Choosing a language: the join page's default (the browser's Accept-Language), ``?lang=`` and the cookie that keeps
a choice; a phone joining in a language and changing it from its menu; the person's pages, plan PDF and e-mails in
their language; the session's language for the console and projector, set at creation and changed live."""

import io
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from pypdf import PdfReader

from facilitator.app import create_app
from facilitator.edge.language import LANGUAGE_COOKIE
from facilitator.store import Store
from facilitator.usecases.language_choice import readers_languages
from protocols.coaching.reminders import Recipient
from protocols.organisations import OrganisationDraft
from protocols.setup import GoalDraft
from tests.support.admin import ADMIN_TOKEN, GOALS, admin_headers
from tests.support.catalogues import stub_catalogues
from tests.support.servers import LiveServer
from tests.support.waiting import wait_until

NOT_SPOKEN = "Pathways does not speak {language}; choose one of: {languages}."
SPANISH = {
    "Welcome": "Bienvenido",
    "Language": "Idioma",
    "My action plan": "Mi plan de acción",
    "Join on your phone": "Únete desde tu teléfono",
    NOT_SPOKEN: "Pathways no habla {language}; elige uno de estos: {languages}.",
}
FRENCH = {
    "Welcome": "Bienvenue",
    "Language": "Langue",
    "My action plan": "Mon plan d'action",
    "Join on your phone": "Rejoignez depuis votre téléphone",
    "Agenda": "Ordre du jour",
    "Join this session": "Rejoindre cette séance",
    NOT_SPOKEN: "Pathways ne parle pas {language} ; choisissez parmi : {languages}.",
}
ARABIC = {"Welcome": "مرحبا"}


def make_catalogues(folder: Path) -> Path:
    """The real catalogues with Spanish, French and Arabic stubs over them (each stub wins over a real one)."""
    stub_catalogues(folder, "es", SPANISH)
    for code, words in (("fr", FRENCH), ("ar", ARABIC)):
        side = stub_catalogues(folder.parent / f"stub-{code}", code, words)
        shutil.copytree(side / code, folder / code, dirs_exist_ok=True)
    return folder


@pytest.fixture
def client(tmp_path: Path) -> Iterator:
    translations = make_catalogues(tmp_path / "translations")
    app = create_app({"DATA_DIR": str(tmp_path / "data"), "ADMIN_TOKEN": ADMIN_TOKEN, "ASYNC_MODE": "threading",
                      "TESTING": True, "TRANSLATIONS_DIR": str(translations)})  # fmt: skip
    yield app.test_client()
    app.extensions["pathways.store"].close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("languages")
    translations = make_catalogues(folder / "translations")
    started = LiveServer(data_dir=folder / "data", engine=engine, env={"PATHWAYS_TRANSLATIONS_DIR": str(translations)})
    started.start()
    yield started
    started.stop()


def new_session(client, **fields) -> dict:
    body = {"title": "Spring PD day", "organisation": "Riverside District", "system_goals": GOALS, **fields}
    response = client.post("/api/sessions", json=body, headers=admin_headers())
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def html_of(client, address: str, accept: str = "") -> str:
    return client.get(address, headers={"Accept-Language": accept} if accept else {}).get_data(as_text=True)


def page_language(html: str) -> tuple[str, str]:
    """The <html> element's lang and dir."""
    found = re.search(r'<html lang="([^"]*)" dir="([^"]*)"', html)
    assert found, html[:200]
    return found[1], found[2]


def selected(html: str, select_id: str) -> str:
    """The value of the option selected in the <select id=select_id>."""
    menu = re.search(rf'<select id="{select_id}".*?</select>', html, re.S)
    assert menu, f"no #{select_id}"
    chosen = re.findall(r'<option value="(\w+)"[^>]* selected>', menu[0])
    assert len(chosen) == 1, menu[0]
    return chosen[0]


# The join page.


def test_the_join_page_speaks_the_browsers_language_and_offers_each_in_its_own_words(client):
    code = new_session(client)["code"]
    html = client.get(f"/j/{code}", headers={"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert page_language(html) == ("fr", "ltr")
    assert '<h1 id="name-heading">Bienvenue</h1>' in html
    assert selected(html, "language-select") == "fr"
    menu = re.search(r'<select id="language-select".*?</select>', html, re.S)[0]
    offered = re.findall(r'<option value="(\w+)" lang="(\w+)"[^>]*>([^<]+)<', menu)
    assert offered == [("en", "en", "English"), ("ar", "ar", "العربية"), ("es", "es", "Español"),
                       ("fr", "fr", "Français")]  # fmt: skip
    english = html_of(client, f"/j/{code}", "de-DE,de;q=0.9")
    assert page_language(english) == ("en", "ltr") and "Welcome" in english
    assert selected(english, "language-select") == "en"


def test_a_language_picked_on_the_join_page_shows_it_and_is_kept_in_a_cookie(client):
    code = new_session(client)["code"]
    picked = client.get(f"/j/{code}?lang=es", headers={"Accept-Language": "fr"})
    html = picked.get_data(as_text=True)
    assert page_language(html)[0] == "es" and "Bienvenido" in html and selected(html, "language-select") == "es"
    cookie = picked.headers["Set-Cookie"]
    assert cookie.startswith(f"{LANGUAGE_COOKIE}=es;") and "SameSite=Lax" in cookie and "HttpOnly" not in cookie

    # The cookie outranks the browser's language on the next page, and a newer pick outranks the cookie.
    again = client.get(f"/j/{code}", headers={"Accept-Language": "fr"})
    assert page_language(again.get_data(as_text=True))[0] == "es" and "Set-Cookie" not in again.headers
    repicked = client.get(f"/j/{code}?lang=fr")
    assert page_language(repicked.get_data(as_text=True))[0] == "fr"
    assert repicked.headers["Set-Cookie"].startswith(f"{LANGUAGE_COOKIE}=fr;")
    assert page_language(client.get("/j").get_data(as_text=True))[0] == "fr"  # the code page too


def test_lang_comes_before_the_cookie_which_comes_before_the_browser(client):
    assert page_language(client.get("/?lang=es", headers={"Accept-Language": "fr"}).get_data(as_text=True))[0] == "es"
    client.set_cookie(LANGUAGE_COOKIE, "fr")
    assert page_language(client.get("/?lang=es", headers={"Accept-Language": "es"}).get_data(as_text=True))[0] == "es"
    assert page_language(client.get("/", headers={"Accept-Language": "es"}).get_data(as_text=True))[0] == "fr"
    client.set_cookie(LANGUAGE_COOKIE, "xx")  # a language not offered is passed over
    assert page_language(client.get("/", headers={"Accept-Language": "es"}).get_data(as_text=True))[0] == "es"


def test_an_unknown_language_asked_for_is_ignored(client):
    code = new_session(client)["code"]
    response = client.get(f"/j/{code}?lang=xx-YY", headers={"Accept-Language": "es"})
    assert page_language(response.get_data(as_text=True))[0] == "es"
    assert "Set-Cookie" not in response.headers
    assert page_language(client.get(f"/j/{code}?lang=<script>").get_data(as_text=True))[0] == "en"


def test_a_right_to_left_language_gives_the_page_its_direction(client):
    code = new_session(client)["code"]
    html = client.get(f"/j/{code}?lang=ar").get_data(as_text=True)
    assert page_language(html) == ("ar", "rtl") and "مرحبا" in html


# The session's language: set at creation, the console and projector pages, the handout.


def test_a_session_is_made_in_a_language_and_its_console_and_projector_speak_it(client):
    made = new_session(client, language="fr")
    code = made["code"]
    for address in (f"/console/{code}", f"/projector/{code}"):
        html = client.get(address, headers={"Accept-Language": "es"}).get_data(as_text=True)
        assert page_language(html)[0] == "fr", address
    console = client.get(f"/console/{code}").get_data(as_text=True)
    assert "Ordre du jour" in console and selected(console, "session-language") == "fr"
    assert "Rejoignez depuis votre téléphone" in client.get(f"/projector/{code}").get_data(as_text=True)

    handout = client.get(f"/api/sessions/{code}/handout.pdf", headers={"Accept-Language": "es"})
    assert handout.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(handout.data)).pages)
    assert "REJOINDRE CETTE SÉANCE" in text and "JOIN THIS SESSION" not in text  # the heading, in capitals

    copy = client.post(f"/api/sessions/{code}/duplicate", json={}, headers=admin_headers()).get_json()
    assert page_language(client.get(f"/console/{copy['code']}").get_data(as_text=True))[0] == "fr"


def test_a_session_is_made_in_english_unless_told_and_an_unknown_language_is_refused(client):
    code = new_session(client)["code"]
    assert page_language(html_of(client, f"/console/{code}", "es"))[0] == "en"
    refused = client.post("/api/sessions?lang=es", json={"title": "Day", "system_goals": GOALS, "language": "klingon"},
                          headers=admin_headers())  # fmt: skip
    assert refused.status_code == 400
    spanish = "Pathways no habla 'klingon'; elige uno de estos: en, ar, es, fr."
    assert refused.get_json() == {"code": "bad_language", "error": spanish}
    not_text = client.post("/api/sessions", json={"title": "Day", "system_goals": GOALS, "language": 5},
                           headers=admin_headers())  # fmt: skip
    assert not_text.status_code == 400 and not_text.get_json()["code"] == "bad_language"


# The store: a person's language across sessions, and whom a reminder is written for.


def test_a_persons_language_is_the_one_they_chose_last(store: Store):
    organisation, _ = store.create_organisation(OrganisationDraft("Riverside", (GoalDraft(None, "Readers"),)))
    day_one, _ = store.create_session("Day 1", "District", [], [], organisation_id=organisation.id, language="es")
    day_two, _ = store.create_session("Day 2", "District", [], [], organisation_id=organisation.id)
    assert (day_one.language, day_two.language) == ("es", "en")
    first, first_token = store.add_participant(day_one.id, "Ana", language="es")
    assert store.participant_by_id(first.id).language == "es"
    assert store.person_language(first.person_id) == "es"
    assert store.person_language(-first.id) == "es"  # a person follow-up knows by one participant alone

    # Day two, the same person (their phone shows day one's plan), chose nothing at first: day one's still holds.
    second, _ = store.add_participant(day_two.id, "Ana", earlier=[first_token])
    assert second.person_id == first.person_id and second.language == ""
    assert store.person_language(first.person_id) == "es"
    store.set_participant_language(second.id, "fr")
    assert store.participant_by_id(second.id).language == "fr"
    assert store.person_language(first.person_id) == "fr"  # their latest choice, whichever session made it
    assert store.participant_by_id(first.id).language == "es"  # day one's own stays as it was

    stranger, _ = store.add_participant(day_two.id, "Ben")
    assert stranger.language == "" and store.person_language(stranger.person_id) == ""
    assert store.person_language(None) == ""
    store.set_session_language(day_two.id, "fr")
    assert store.session_by_id(day_two.id).language == "fr"


def test_reminders_to_a_person_are_written_in_their_language_and_coaches_read_english(tmp_path: Path):
    translations = make_catalogues(tmp_path / "translations")
    app = create_app({"DATA_DIR": str(tmp_path / "data"), "ADMIN_TOKEN": ADMIN_TOKEN, "ASYNC_MODE": "threading",
                      "TRANSLATIONS_DIR": str(translations)})  # fmt: skip
    store = app.extensions["pathways.store"]
    with app.app_context():
        session, _ = store.create_session("Day 1", "District", [("Goal", "")], [])
        ana, _ = store.add_participant(session.id, "Ana", language="es")
        ben, _ = store.add_participant(session.id, "Ben")
        language_of = readers_languages(store)
        assert language_of(Recipient.PERSON, ana.person_id).code == "es"
        assert language_of(Recipient.PERSON, ana.person_id).gettext("My action plan") == "Mi plan de acción"
        assert language_of(Recipient.PERSON, ben.person_id).code == "en"
        assert language_of(Recipient.COACH, ana.person_id).code == "en"
    store.close()


# Phones, the console and the projector on a real server.


def phone(server: LiveServer, peers, code: str, lang: str = "", **auth) -> object:
    address = f"{server.url}?lang={lang}" if lang else server.url
    joined = peers(address, "/participant", code=code, **auth).connect()
    joined.wait_for("welcome")
    return joined


@pytest.mark.live
def test_a_phone_joins_in_its_language_and_changes_it_from_the_menu(server: LiveServer, peers):
    code = server.create_session()["code"]
    ana = phone(server, peers, code, name="Ana", language="es")
    token = ana.latest("welcome")["token"]
    plan = requests.get(f"{server.url}/p/{token}/plan", headers={"Accept-Language": "fr"}, timeout=10)
    assert page_language(plan.text)[0] == "es"

    assert ana.call("language", {"language": "fr-FR"}) == {"ok": True, "language": "fr"}
    plan = requests.get(f"{server.url}/p/{token}/plan", headers={"Accept-Language": "es"}, timeout=10)
    assert page_language(plan.text)[0] == "fr"
    pdf = requests.get(f"{server.url}/p/{token}/plan.pdf", timeout=30)
    assert pdf.status_code == 200
    assert "MON PLAN D'ACTION" in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()

    # Someone who chose nothing (an older page) reads the pages in the browser's language; their PDF in English.
    ben = phone(server, peers, code, name="Ben")
    ben_token = ben.latest("welcome")["token"]
    ben_plan = requests.get(f"{server.url}/p/{ben_token}/plan", headers={"Accept-Language": "es"}, timeout=10)
    assert page_language(ben_plan.text)[0] == "es"
    ben_pdf = requests.get(f"{server.url}/p/{ben_token}/plan.pdf", timeout=30)
    assert "MY ACTION PLAN" in PdfReader(io.BytesIO(ben_pdf.content)).pages[0].extract_text()


@pytest.mark.live
def test_an_unknown_language_is_refused_at_join_and_from_the_menu_in_the_phones_language(server: LiveServer, peers):
    code = server.create_session()["code"]
    stranger = peers(f"{server.url}?lang=es", "/participant", code=code, name="Cleo", language="tlh")
    with pytest.raises(Exception):  # noqa: B017 - python-socketio raises its own ConnectionError
        stranger.connect()
    wait_until(lambda: stranger.refusal, message="the refusal")
    assert stranger.refusal["data"] == {"code": "bad_language"}
    assert stranger.refusal["message"] == "Pathways no habla 'tlh'; elige uno de estos: en, ar, es, fr."

    dana = phone(server, peers, code, lang="fr", name="Dana", language="fr")
    refused = dana.call("language", {"language": "tlh"})
    assert refused == {"ok": False, "code": "bad_language",
                       "error": "Pathways ne parle pas 'tlh' ; choisissez parmi : en, ar, es, fr."}  # fmt: skip
    assert dana.call("language", {})["code"] == "bad_request"
    assert dana.call("language", {"language": ["es"]})["code"] == "bad_request"
    token = dana.latest("welcome")["token"]
    assert page_language(requests.get(f"{server.url}/p/{token}/plan", timeout=10).text)[0] == "fr"  # unchanged


@pytest.mark.live
def test_the_console_changes_the_sessions_language_and_the_projector_is_told(server: LiveServer, peers):
    created = server.create_session()
    code, key = created["code"], created["facilitator_key"]
    console = peers(server.url, "/facilitator", code=code, key=key).connect()
    other_console = peers(server.url, "/facilitator", code=code, key=key).connect()
    projector = peers(server.url, "/projector", code=code).connect()
    ana = phone(server, peers, code, name="Ana", language="es")
    console.wait_for("state")

    assert console.call("session_language", {"language": "fr"}) == {"ok": True, "language": "fr"}
    for screen in (console, other_console, projector):
        assert screen.wait_for("session_language") == {"language": "fr"}
    assert not ana.all("session_language")  # a phone keeps its person's language
    for address in (f"/console/{code}", f"/projector/{code}"):
        page = requests.get(f"{server.url}{address}", headers={"Accept-Language": "es"}, timeout=10)
        assert page_language(page.text)[0] == "fr", address
    token = ana.latest("welcome")["token"]
    assert page_language(requests.get(f"{server.url}/p/{token}/plan", timeout=10).text)[0] == "es"

    refused = console.call("session_language", {"language": "xx"})
    assert refused["ok"] is False and refused["code"] == "bad_language"
    assert projector.call("session_language", {"language": "es"})["code"] == "unknown_event"  # it sends nothing
    assert ana.call("session_language", {"language": "es"})["code"] == "unknown_event"
    assert page_language(requests.get(f"{server.url}/console/{code}", timeout=10).text)[0] == "fr"
