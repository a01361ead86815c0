"""A session in three languages with the real catalogues: the projector in English, one phone in Spanish and one in
French. Each phone shows its language everywhere (its own screens and the library protocol's prompts), each plan
PDF is in its owner's language, and errors come back in the reader's language.

Debian's Chromium through Playwright against `pathways serve`; expected words are read from the catalogues and the
protocol file, and must differ from the English.
"""

import io
import re
from collections.abc import Iterator

import pytest
import requests
from babel.messages.pofile import read_po
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from facilitator.edge.language import TRANSLATIONS_DIR
from protocols.language import Language
from protocols.loader import load_library
from protocols.protocol_translations import localized
from tests.support.browser import PHONE, PROJECTOR
from tests.support.servers import LiveServer
from tests.test_artifacts import photo  # the same real image student work is tested with

pytestmark = pytest.mark.live

SLIDE_IMAGE = photo((800, 450), gps=False)
GOAL = {"es": "Cada clase empieza con una pregunta de mis estudiantes", "fr": "Chaque cours commence par une question"}


def browser_words(code: str) -> dict[str, str]:
    with (TRANSLATIONS_DIR / code / "LC_MESSAGES" / "js.po").open("rb") as file:
        return {message.id: message.string for message in read_po(file) if isinstance(message.id, str) and message.id}


def server_words(code: str) -> Language:
    from babel.support import Translations

    return Language(code, Translations.load(str(TRANSLATIONS_DIR), [code], domain="messages"))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    started = LiveServer(data_dir=tmp_path_factory.mktemp("languages-day") / "data")
    started.start()
    yield started
    started.stop()


def join(page: Page, url: str, code: str, name: str, language: str) -> str:
    """Join from the join page, picking ``language`` from its menu; the phone's token."""
    page.goto(f"{url}/j/{code}")
    page.get_by_test_id("language-select").select_option(language)
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.get_by_test_id("name-input").fill(name)
    page.get_by_test_id("join-button").click()
    expect(page.get_by_test_id("lobby")).to_be_visible()
    return page.evaluate(f"localStorage.getItem('pathways:token:{code}')")


def pdf_text(url: str) -> str:
    response = requests.get(url, timeout=20)
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_a_day_in_three_languages(server, contexts, peers, shots):
    created = server.create_session()
    code = created["code"]
    projector = contexts(PROJECTOR, locale="en-US").new_page()
    projector.goto(f"{server.url}/projector/{code}")
    console = peers(server.url, "/facilitator", code=code, key=created["facilitator_key"]).connect()
    phones = {language: contexts(PHONE, locale="en-US").new_page() for language in ("es", "fr")}
    tokens = {lang: join(page, server.url, code, f"Persona {lang}", lang) for lang, page in phones.items()}

    protocol = load_library()["goal-setting"]
    for language, page in phones.items():  # the phone's own words, from the browser's catalogue
        said = browser_words(language)["You're in, {name}"].replace("{name}", f"Persona {language}")
        assert not said.startswith("You're in")
        expect(page.get_by_test_id("lobby")).to_contain_text(said)

    assert console.call("goto", {"step_id": "1:strengths"})["ok"]
    english_step = protocol.steps[1]
    expect(projector.get_by_test_id("step-title")).to_have_text(english_step.title)
    assert projector.evaluate("document.documentElement.lang") == "en"
    for language, page in phones.items():  # the library protocol's own words, in the person's language
        step = localized(protocol, language).steps[1]
        assert step.title != english_step.title and step.prompt != english_step.prompt
        expect(page.get_by_test_id("step-title")).to_have_text(step.title)
        expect(page.get_by_test_id("step-prompt")).to_have_text(step.prompt)
        page.get_by_test_id("answer-text").fill(GOAL[language])
        page.get_by_test_id("submit").click()
        expect(page.get_by_test_id("saved-mark")).to_be_visible()
        shots.take(page, f"phone-step-{language}-390")
    shots.take(projector, "projector-step-english-1920")

    slide = {"file": ("break.jpg", SLIDE_IMAGE, "image/jpeg"), "title": (None, "Pausa / Pause")}
    added = requests.post(f"{server.url}/api/sessions/{code}/media/slides", files=slide,
                          headers={"X-Facilitator-Key": created["facilitator_key"]}, timeout=10)  # fmt: skip
    assert added.status_code == 201, added.text
    assert console.call("goto", {"step_id": added.json()["step_id"]})["ok"]
    for language, page in phones.items():  # a slide's prompt is Pathways' own sentence, said in each language
        said = browser_words(language)["Look at the screen."]
        assert said != "Look at the screen."
        expect(page.get_by_test_id("step-prompt")).to_have_text(said)
    assert console.call("goto", {"step_id": "1:strengths"})["ok"]

    for language, token in tokens.items():  # each plan in its owner's language, asked for with no hint
        lang = server_words(language)
        text = pdf_text(f"{server.url}/p/{token}/plan.pdf")
        for english in ("Strengths I bring", "My action plan", "Scan to record a check-in"):
            translated = lang.gettext(english, name=f"Persona {language}")
            assert translated != english.replace("{name}", f"Persona {language}")
            assert re.sub(r"\s+", " ", translated) in re.sub(r"\s+", " ", text), (language, translated)
        assert GOAL[language] in text
        assert localized(protocol, language).title in re.sub(r"\s+", " ", text)

    for language, page in phones.items():  # an error, in the browser and over the phone's socket
        unknown = server_words(language).gettext(
            "There is no session with the code “{code}”. Check the code on the screen and try again.", code="ZZZZZZ"
        )
        page.goto(f"{server.url}/j/ZZZZZZ")
        expect(page.get_by_test_id("unknown-code")).to_have_text(unknown)
        phone = peers(f"{server.url}/?lang={language}", "/participant", code=code, token=tokens[language]).connect()
        refused = phone.call("answer", {"step_id": "1:obstacles", "answer_id": f"late-{language}", "value": "x"})
        closed = "That step is not open any more; your answer was not saved."
        assert refused["code"] == "step_closed"
        assert refused["error"] == server_words(language).gettext(closed) != closed
