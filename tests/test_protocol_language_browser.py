"""Protocol content in its reader's language: a phone whose page is in Spanish reads a library protocol's Spanish
steps and options while the projector beside it reads English (the answer keeps the option's id); a session in
Spanish puts Spanish bars, norms and notes on the projector and console; a plan PDF reads the protocol in the
person's language, or the one the request asks for.

Debian's Chromium through Playwright against `pathways serve`, with a stub Spanish catalogue (the protocols carry
their own translations).
"""

import io
from collections.abc import Iterator

import pytest
import requests
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.support.browser import CONSOLE, PHONE, PROJECTOR
from tests.support.catalogues import stub_catalogues
from tests.support.servers import LiveServer

pytestmark = pytest.mark.live

PACE = """
id = "pace-check"
title = "Pace check"
purpose = "How the day feels."
source = "A routine of our own."
norms = ["Speak for yourself."]

[grouping]
size = 2
min = 2
max = 4

[[roles]]
id = "speaker"
title = "Speaker"
notes = "Says the table's word."

[[roles]]
id = "listener"
title = "Listener"
rest = true

[[steps]]
id = "pace"
title = "How is the pace?"
prompt = "Pick the word for today's pace."
notes = "Slow down if most say fast."
kind = "choice"
visibility = "room"
minutes = 2
options = [{ id = "fast", label = "Fast" }, { id = "slow", label = "Slow" }]
prompts = { speaker = "Pick the word, then say it to your table." }

[translations.es]
title = "Control del ritmo"
norms = ["Habla por ti."]

[translations.es.roles.speaker]
title = "Portavoz"
notes = "Dice la palabra de la mesa."

[translations.es.steps.pace]
title = "¿Qué tal el ritmo?"
prompt = "Elige la palabra para el ritmo de hoy."
notes = "Baja el ritmo si la mayoría dice rápido."
options.fast = "Rápido"
options.slow = "Lento"
prompts.speaker = "Elige la palabra y dila a tu mesa."
"""
STRENGTHS = ("Strengths you bring", "Las fortalezas que aportas")  # goal-setting's step, in English and Spanish


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("protocol-languages")
    translations = stub_catalogues(folder / "translations", "es", {}, {})  # Spanish offered; its words stay English
    started = LiveServer(data_dir=folder / "data", env={"PATHWAYS_TRANSLATIONS_DIR": str(translations)})
    started.start()
    yield started
    started.stop()


def with_pace_check(server: LiveServer, peers, **session) -> tuple[dict, object]:
    """A session of goal setting then the pace check (item 2), and the console's connection to it."""
    created = server.create_session(agenda=["goal-setting"], **session)
    console = peers(server.url, "/facilitator", code=created["code"], key=created["facilitator_key"]).connect()
    added = console.call("agenda_add", {"toml": PACE, "file_name": "pace.toml"})
    assert added["ok"], added
    return created, console


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def test_a_spanish_phone_reads_the_protocol_in_spanish_beside_an_english_projector(server, peers, contexts):
    created, console = with_pace_check(server, peers)
    code = created["code"]
    projector = contexts(PROJECTOR).new_page()
    projector.goto(f"{server.url}/projector/{code}")
    phone = contexts(PHONE, locale="en-US").new_page()
    phone.goto(f"{server.url}/j/{code}?lang=es")
    phone.get_by_test_id("name-input").fill("Ana")
    phone.get_by_test_id("join-button").click()
    expect(phone.get_by_test_id("lobby")).to_contain_text("Ana")

    assert console.call("goto", {"step_id": "1:strengths"})["ok"]
    expect(phone.get_by_test_id("step-title")).to_have_text(STRENGTHS[1])
    expect(phone.get_by_test_id("step-prompt")).to_contain_text("¿Qué fortalezas aportas a esta meta")
    expect(phone.get_by_test_id("step-kicker")).to_contain_text("Metas vinculadas")
    expect(projector.get_by_test_id("step-title")).to_have_text(STRENGTHS[0])
    expect(projector.get_by_test_id("prompt")).to_contain_text("What strengths do you bring")
    phone.get_by_test_id("answer-text").fill("Years of lab work")
    phone.get_by_test_id("submit").click()
    expect(phone.get_by_test_id("saved-mark")).to_be_visible()

    assert console.call("form_groups", {"confirm": True})["ok"]  # Ana alone at a table: its speaker
    assert console.call("goto", {"step_id": "2:pace"})["ok"]
    expect(phone.get_by_test_id("step-title")).to_have_text("¿Qué tal el ritmo?")
    expect(phone.get_by_test_id("step-prompt")).to_have_text("Elige la palabra y dila a tu mesa.")  # her role's
    expect(phone.locator("#group-role")).to_contain_text("Portavoz")
    expect(phone.get_by_test_id("answer-option")).to_have_text(["Rápido", "Lento"])
    expect(projector.get_by_test_id("step-title")).to_have_text("How is the pace?")
    expect(projector.locator("#norms-list")).to_have_text("Speak for yourself.")
    phone.get_by_test_id("answer-option").first.click()
    phone.get_by_test_id("submit").click()
    expect(phone.get_by_test_id("saved-mark")).to_be_visible()
    heard = console.wait_for("answer", lambda answer: answer["step_id"] == "2:pace")
    assert heard["value"] == "fast"  # the option's id, whatever language it was picked in
    bars = projector.locator("#aggregate .bar")
    expect(bars.locator(".bar-label")).to_have_text(["Fast", "Slow"])
    expect(bars.locator(".bar-count")).to_have_text(["1", "0"])

    token = phone.evaluate(f"localStorage.getItem('pathways:token:{code}')")
    plan = requests.get(f"{server.url}/p/{token}/plan.pdf", timeout=30)  # the person chose Spanish when joining
    assert plan.status_code == 200
    text = pdf_text(plan.content)
    assert STRENGTHS[1] in text and "¿Qué tal el ritmo?" in text and "Rápido" in text and "Control del ritmo" in text
    assert STRENGTHS[0] not in text and "How is the pace?" not in text and "Fast" not in text


def test_a_plan_pdf_reads_the_protocol_in_the_language_the_request_asks_for(server, peers):
    created, console = with_pace_check(server, peers)
    phone = peers(server.url, "/participant", code=created["code"], name="Ben").connect()  # chose no language
    token = phone.wait_for("welcome")["token"]
    for key, value in (("1:strengths", "Patience"), ("2:pace", "slow")):
        assert console.call("goto", {"step_id": key})["ok"]
        phone.wait_for("state", lambda s, key=key: (s["step"] or {}).get("id") == key)
        assert phone.call("answer", {"step_id": key, "answer_id": f"ben-{key}", "value": value})["ok"]

    address = f"{server.url}/p/{token}/plan.pdf"
    spanish = pdf_text(requests.get(address, headers={"Accept-Language": "es-ES,es;q=0.9"}, timeout=30).content)
    assert STRENGTHS[1] in spanish and "¿Qué tal el ritmo?" in spanish and "Lento" in spanish
    asked = pdf_text(requests.get(f"{address}?lang=es", timeout=30).content)
    assert STRENGTHS[1] in asked and "Lento" in asked
    english = pdf_text(requests.get(address, headers={"Accept-Language": "en"}, timeout=30).content)
    assert STRENGTHS[0] in english and "How is the pace?" in english and "Slow" in english
    assert STRENGTHS[1] not in english and "Lento" not in english


def test_a_spanish_session_puts_spanish_bars_norms_and_notes_on_the_projector_and_console(server, peers, contexts):
    created, console = with_pace_check(server, peers, language="es")
    code = created["code"]
    phone = peers(server.url, "/participant", code=code, name="Cleo").connect()
    phone.wait_for("welcome")
    assert console.call("goto", {"step_id": "2:pace"})["ok"]
    phone.wait_for("state", lambda s: (s["step"] or {}).get("id") == "2:pace")
    assert phone.call("answer", {"step_id": "2:pace", "answer_id": "cleo-pace", "value": "slow"})["ok"]

    projector = contexts(PROJECTOR).new_page()
    projector.goto(f"{server.url}/projector/{code}")
    expect(projector.get_by_test_id("step-title")).to_have_text("¿Qué tal el ritmo?")
    expect(projector.get_by_test_id("step-kicker")).to_contain_text("Control del ritmo")
    expect(projector.locator("#norms-list")).to_have_text("Habla por ti.")
    bars = projector.locator("#aggregate .bar")
    expect(bars.locator(".bar-label")).to_have_text(["Rápido", "Lento"])
    expect(bars.locator(".bar-count")).to_have_text(["0", "1"])  # the answer "slow" counted under its own label

    desk = contexts(CONSOLE).new_page()
    desk.goto(f"{server.url}/console/{code}#key={created['facilitator_key']}")
    expect(desk.get_by_test_id("step-title")).to_have_text("¿Qué tal el ritmo?")
    expect(desk.get_by_test_id("step-prompt")).to_have_text("Elige la palabra para el ritmo de hoy.")
    expect(desk.locator("#step-notes")).to_have_text("Baja el ritmo si la mayoría dice rápido.")
    expect(desk.locator("#norms-list")).to_have_text("Habla por ti.")
    expect(desk.locator("#roles-list dt")).to_have_text(["Portavoz", "Listener"])  # a role left out keeps its own
    expect(desk.locator("#roles-list dd").first).to_have_text("Dice la palabra de la mesa.")
    expect(desk.locator(".agenda-protocol-title")).to_have_text(["Metas vinculadas a las metas del sistema",
                                                                  "Control del ritmo"])  # fmt: skip
