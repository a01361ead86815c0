"""Choosing a language in the browser: Spanish picked on the join page (what was typed stays), French from the
phone's menu (the page comes back in French with its answers), the console's language followed by the projector,
and a right-to-left language mirrored on the phone.

Debian's Chromium through Playwright against `pathways serve`, with stub catalogues.
"""

from collections.abc import Iterator

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.support.browser import CONSOLE, PHONE, PROJECTOR
from tests.support.catalogues import stub_catalogues
from tests.support.servers import LiveServer

pytestmark = pytest.mark.live

GOAL = "By June, every lesson opens with a question my students ask"
SPANISH = {
    "Welcome": "Bienvenido",
    "Join a session": "Únete a una sesión",
    "Language": "Idioma",
    "Your name": "Tu nombre",
    "Agenda": "Agenda del día",
}
SPANISH_JS = {"You're in, {name}": "Ya estás dentro, {name}", "Join": "Unirme"}
FRENCH = {"Welcome": "Bienvenue", "Language": "Langue", "Agenda": "Ordre du jour",
          "Join on your phone": "Rejoignez depuis votre téléphone"}  # fmt: skip
FRENCH_JS = {"You're in, {name}": "Vous êtes là, {name}", "Your answer": "Votre réponse"}
ARABIC = {"Welcome": "أهلا وسهلا", "Menu": "القائمة", "Language": "اللغة"}
ARABIC_JS = {"You're in, {name}": "أنت هنا، {name}"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("languages")
    translations = stub_catalogues(folder / "translations", "es", SPANISH, SPANISH_JS)
    for code, words, js in (("fr", FRENCH, FRENCH_JS), ("ar", ARABIC, ARABIC_JS)):
        side = stub_catalogues(folder / f"stub-{code}", code, words, js)
        for made in (side / code / "LC_MESSAGES").iterdir():  # the stub wins over a real catalogue of the language
            target = translations / code / "LC_MESSAGES" / made.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(made.read_bytes())
    started = LiveServer(data_dir=folder / "data", env={"PATHWAYS_TRANSLATIONS_DIR": str(translations)})
    started.start()
    yield started
    started.stop()


def html_language(page: Page) -> tuple[str, str]:
    lang, direction = page.evaluate("[document.documentElement.lang, document.documentElement.dir]")
    return lang, direction


def test_spanish_on_the_join_page_then_french_from_the_menu_keeps_the_answers(server, contexts, peers, shots):
    created = server.create_session()
    console = peers(server.url, "/facilitator", code=created["code"], key=created["facilitator_key"]).connect()
    phone = contexts(PHONE, locale="en-US").new_page()
    phone.goto(f"{server.url}/j/{created['code']}")
    expect(phone.locator("#name-heading")).to_have_text("Welcome")
    phone.get_by_test_id("name-input").fill("Ana")

    phone.get_by_test_id("language-select").select_option("es")
    expect(phone.locator("#name-heading")).to_have_text("Bienvenido")
    assert html_language(phone) == ("es", "ltr")
    expect(phone.get_by_test_id("name-input")).to_have_value("Ana")  # what was typed came along
    expect(phone.get_by_test_id("language-select")).to_have_value("es")
    shots.take(phone, "phone-join-spanish-390")
    phone.get_by_test_id("join-button").click()
    expect(phone.get_by_test_id("lobby")).to_contain_text("Ya estás dentro, Ana")
    token = phone.evaluate(f"localStorage.getItem('pathways:token:{created['code']}')")
    plan = requests.get(f"{server.url}/p/{token}/plan", timeout=10)  # no cookie, no Accept-Language: the stored one
    assert 'lang="es"' in plan.text.split(">", 2)[1]

    assert console.call("goto", {"step_id": "1:goal"})["ok"]
    phone.get_by_test_id("answer-text").fill(GOAL)
    phone.get_by_test_id("submit").click()
    expect(phone.get_by_test_id("saved-mark")).to_be_visible()
    phone.get_by_test_id("answer-text").fill(GOAL + " and answer")  # typed, not saved

    phone.get_by_test_id("menu").click()
    expect(phone.get_by_test_id("menu-language")).to_have_value("es")
    with phone.expect_navigation():
        phone.get_by_test_id("menu-language").select_option("fr")
    expect(phone.get_by_test_id("step-title")).to_be_visible()
    assert html_language(phone) == ("fr", "ltr")
    assert "lang=fr" in phone.url
    expect(phone.get_by_test_id("answer-text")).to_have_value(GOAL + " and answer")  # the draft came back
    expect(phone.locator("label[for=answer-text]")).to_have_text("Votre réponse")
    expect(phone.get_by_test_id("menu-language")).to_have_value("fr")
    expect(phone.locator("label[for=menu-language]")).to_have_text("Langue")
    assert {"name": "pathways_language", "value": "fr"}.items() <= next(
        cookie for cookie in phone.context.cookies() if cookie["name"] == "pathways_language"
    ).items()
    plan = requests.get(f"{server.url}/p/{token}/plan", timeout=10)
    assert 'lang="fr"' in plan.text.split(">", 2)[1]
    phone.get_by_test_id("submit").click()
    expect(phone.get_by_test_id("saved-mark")).to_be_visible()
    state = peers(server.url, "/facilitator", code=created["code"], key=created["facilitator_key"]).connect()
    assert [answer["value"] for answer in state.wait_for("state")["answers"]] == [GOAL + " and answer"]


def test_the_console_changes_the_sessions_language_and_the_projector_follows(server, contexts):
    created = server.create_session()
    console = contexts(CONSOLE, locale="en-US").new_page()
    console.goto(f"{server.url}/console/{created['code']}#key={created['facilitator_key']}")
    projector = contexts(PROJECTOR).new_page()
    projector.goto(f"{server.url}/projector/{created['code']}")
    expect(console.get_by_test_id("connection")).to_have_attribute("data-state", "connected")
    expect(projector.locator("#offline")).to_be_hidden()
    assert html_language(console)[0] == html_language(projector)[0] == "en"

    with console.expect_navigation(), projector.expect_navigation():
        console.get_by_test_id("session-language").select_option("fr")
    expect(console.locator("#agenda-heading")).to_have_text("Ordre du jour")
    expect(console.get_by_test_id("session-language")).to_have_value("fr")
    expect(console.get_by_test_id("connection")).to_have_attribute("data-state", "connected")  # the key came along
    expect(projector.locator("#lobby-heading")).to_have_text("Rejoignez depuis votre téléphone")
    assert html_language(console)[0] == html_language(projector)[0] == "fr"


def box(page: Page, selector: str) -> dict[str, float]:
    return page.locator(selector).first.bounding_box()


def test_a_right_to_left_language_mirrors_the_phone_and_nothing_overflows(server, contexts, shots):
    created = server.create_session()
    phone = contexts(PHONE).new_page()
    phone.goto(f"{server.url}/j/{created['code']}?lang=ar")
    assert html_language(phone) == ("ar", "rtl")
    expect(phone.locator("#name-heading")).to_have_text("أهلا وسهلا")
    name, heading = box(phone, "[data-testid=name-input]"), box(phone, "#name-heading")
    assert heading["x"] + heading["width"] == pytest.approx(name["x"] + name["width"], abs=2)  # aligned at the right
    phone.get_by_test_id("name-input").fill("Ana")
    phone.get_by_test_id("join-button").click()
    expect(phone.get_by_test_id("lobby")).to_contain_text("أنت هنا، Ana")

    brand, menu = box(phone, ".phone-bar .brand"), box(phone, "[data-testid=menu]")
    assert menu["x"] + menu["width"] < brand["x"]  # the menu button on the left, the name of the app on the right
    phone.get_by_test_id("menu").click()
    listed = box(phone, ".menu-list")
    assert listed["x"] >= 0 and listed["x"] + listed["width"] <= PHONE["width"]  # the open menu stays on screen
    assert phone.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    shots.take(phone, "phone-lobby-rtl-390")

    english = contexts(PHONE).new_page()
    english.goto(f"{server.url}/j/{created['code']}?lang=en")
    english.get_by_test_id("name-input").fill("Ben")
    english.get_by_test_id("join-button").click()
    expect(english.get_by_test_id("lobby")).to_contain_text("Ben")
    brand, menu = box(english, ".phone-bar .brand"), box(english, "[data-testid=menu]")
    assert brand["x"] + brand["width"] < menu["x"]  # and the other way round left to right


def test_the_code_pages_language_menu_works_without_a_script_too(server, contexts):
    phone = contexts(PHONE, java_script_enabled=False, locale="en-US").new_page()
    phone.goto(f"{server.url}/j")
    expect(phone.locator("#enter-heading")).to_have_text("Join a session")
    phone.get_by_test_id("language-select").select_option("es")
    phone.get_by_role("button", name="Show in this language").click()
    expect(phone.locator("#enter-heading")).to_have_text("Únete a una sesión")
    assert phone.url.endswith("/j?lang=es")
    phone.goto(f"{server.url}/j")  # the choice is kept by the cookie the server set
    expect(phone.locator("#enter-heading")).to_have_text("Únete a una sesión")


def test_a_phone_whose_sentences_never_arrive_still_joins_in_english(server, contexts):
    """Venue Wi-Fi can swallow a request whole: the screen gives up on its sentences and starts in English."""
    created = server.create_session()
    phone = contexts(PHONE, locale="es-ES").new_page()
    held: list[str] = []
    phone.route("**/i18n/**", lambda route: held.append(route.request.url))  # never answered
    phone.goto(f"{server.url}/j/{created['code']}")
    assert html_language(phone) == ("es", "ltr")  # the page itself is Spanish
    phone.get_by_test_id("name-input").fill("Ana")
    phone.get_by_test_id("join-button").click()
    expect(phone.get_by_test_id("lobby")).to_contain_text("You're in, Ana", timeout=30_000)
    assert len(held) >= 3 and all("/i18n/phone/es.json" in url for url in held)
