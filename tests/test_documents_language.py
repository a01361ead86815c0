"""Documents and e-mails speak their reader's language: the plan PDF (headings, dates, the measure in words, page
numbers), the leaders' summary, the join handout and a reminder e-mail sent to a real mail server, from a stub
French catalogue; dates and numbers are Babel's French. A sentence the catalogue lacks stays English, and English
output is what it always was."""

import io
import logging
import re
from dataclasses import replace
from pathlib import Path

import pytest
from babel.support import Translations
from pypdf import PdfReader

from exports.handout_pdf import Handout, build_handout_pdf
from exports.measure_chart import measure_svg
from exports.plan_pdf import build_plan_pdf
from exports.summary_pdf import build_summary_pdf
from facilitator.mail.delivery import deliver_due
from facilitator.mail.settings import parse_mail_settings
from facilitator.store import DATABASE_FILE, Store
from protocols.coaching.coaches import Coach
from protocols.coaching.reminders import OrganisationFollowUp, Recipient, ReminderKind, due_reminders
from protocols.followup import GoalRecord
from protocols.language import Language
from protocols.leaders import PersonRecord
from protocols.measure_progress import measure_chart
from protocols.plan import Plan, build_plan
from protocols.summary import build_summary
from tests.support.admin import GOALS, admin_headers
from tests.support.catalogues import stub_catalogues
from tests.support.plan_day import Day, seed_day
from tests.support.smtp import SmtpServer

CODE = "fr"
FRENCH = {
    "Our system goals": "Nos objectifs du système",
    "My action plan": "Mon plan d’action",
    "Action steps": "Étapes d’action",
    "When I will check in": "Quand je ferai le point",
    "Everything I answered today": "Tout ce que j’ai répondu aujourd’hui",
    "Page {page} of {total}": "Page {page} sur {total}",
    "Pathways · My action plan": "Pathways · Mon plan d’action",
    "{text} (by {day})": "{text} (d’ici le {day})",
    "My measure": "Ma mesure",
    "Baseline: {value} on {day}.": "Point de départ : {value} le {day}.",
    "Result: {value} on {day}.": "Résultat : {value} le {day}.",
    "Target: {value} by {day}.": "Cible : {value} d’ici le {day}.",
    "Moved toward the target: {share} of the way.": "Vers la cible : {share} du chemin.",
    "{value}%": "{value} %",
    "Summary for leaders": "Synthèse pour les responsables",
    "Participation per step": "Participation par étape",
    "{answered} of {joined}": "{answered} sur {joined}",
    "Join this session": "Rejoindre cette session",
    "Scan the code with your phone's camera": "Scannez le code avec l’appareil photo de votre téléphone",
    "or open {address} and type the code": "ou ouvrez {address} et tapez le code",
    "Pathways · Join handout": "Pathways · Fiche pour rejoindre",
    "Time to check in on your goal": "C’est le moment de faire le point sur votre objectif",
    "Hello {name},\n\nYou chose {day} to check in on your goal with {organisation}. Record how it is going: how far "
    "each action step has got, what your students showed, and any support you need.": "Bonjour {name},\n\nVous avez "
    "choisi le {day} pour faire le point sur votre objectif avec {organisation}.",
    "Open it in Pathways: {link}": "Ouvrir dans Pathways : {link}",
    "Stop these reminders: {link}": "Ne plus recevoir ces rappels : {link}",
}
BASE_URL = "https://pd.example.org"


def squeezed(text: str) -> str:
    """The text with every run of white space (narrow no-break spaces too) as one plain space: PDFs wrap lines."""
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\xa0", " "))


def pdf_text(content: bytes) -> str:
    return squeezed(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages))


@pytest.fixture
def translations(tmp_path: Path) -> Path:
    return stub_catalogues(tmp_path / "translations", CODE, FRENCH)


@pytest.fixture
def french(translations: Path) -> Language:
    return Language(CODE, Translations.load(str(translations), [CODE], domain="messages"))


@pytest.fixture
def day(tmp_path: Path) -> Day:
    return seed_day(tmp_path / "data", tuning=False)


def authors_plan(day: Day, lang: Language | None = None) -> Plan:
    store = Store(day.data_dir / DATABASE_FILE)
    try:
        session = store.session_by_id(day.session.id)
        answers = store.answers_of(day.ids[0])
    finally:
        store.close()
    options = {"lang": lang} if lang else {}
    plan = build_plan(session, day.names[0], answers, calendar_url="http://pathways.test/c/t/checkin.ics", **options)
    measure = {
        "what": "Share of my class reading",
        "unit": "percent",
        "out_of": None,
        "baseline": {"value": 40, "date": "2027-03-15"},
        "target": {"value": 80, "date": "2027-06-30"},
    }
    return replace(plan, measure_chart=measure_chart(measure, [("2027-04-20", 55.5)]))  # fmt: skip


def test_a_plan_pdf_in_french_has_french_headings_dates_numbers_and_page_numbers(day, french):
    text = pdf_text(build_plan_pdf(authors_plan(day, french), lang=french))
    for heading in ("MON PLAN D’ACTION", "Nos objectifs du système", "Étapes d’action", "Quand je ferai le point",
                    "Tout ce que j’ai répondu aujourd’hui", "Ma mesure", "Pathways · Mon plan d’action"):  # fmt: skip
        assert heading in text, heading
    assert "15 mars 2027" in text  # the session's day, as Babel writes it in French
    assert "1 mai 2027" in text  # the check-in date
    assert "Action 1 of person 0 (d’ici le 10 avril 2027)" in text  # a dated action step
    assert "Point de départ : 40 % le 15 mars 2027." in text and "Résultat : 55,5 % le 20 avril 2027." in text
    assert "Cible : 80 % d’ici le 30 juin 2027." in text
    assert "Vers la cible : 39 % du chemin." in text  # Babel's French percentage
    assert re.search(r"Page 1 sur \d", text)
    assert "Add it to your calendar" in text  # a sentence the catalogue lacks stays English
    assert "Our system goals" not in text and "15 March 2027" not in text and "My action plan" not in text


def test_english_is_unchanged_whether_asked_for_or_left_as_it_was(day):
    english = Language.english()
    text = pdf_text(build_plan_pdf(authors_plan(day, english), lang=english))
    assert text == pdf_text(build_plan_pdf(authors_plan(day)))
    assert "MY ACTION PLAN" in text and "Our system goals" in text and "15 March 2027" in text
    assert "Baseline: 40% on 15 March 2027." in text and "Moved toward the target: 39% of the way." in text
    assert "Action 1 of person 0 (by 10 April 2027)" in text and re.search(r"Page 1 of \d", text)


def test_the_measure_chart_on_a_page_says_its_values_in_the_readers_language(french):
    measure = {
        "what": "Lecture",
        "unit": "percent",
        "out_of": None,
        "baseline": {"value": 40, "date": "2027-03-15"},
        "target": {"value": 80, "date": "2027-06-30"},
    }
    svg = squeezed(measure_svg(measure_chart(measure, [("2027-04-20", 55.5)]), lang=french))  # fmt: skip
    assert "Ma mesure: Lecture" in svg and "Résultat : 55,5 % le 20 avril 2027." in svg
    assert ">15 mars 2027<" in svg and ">55,5 %<" in svg  # the x axis's dates, a value on the chart


def test_the_leaders_summary_in_french(day, french):
    store = Store(day.data_dir / DATABASE_FILE)
    try:
        session = store.session_by_id(day.session.id)
        names = {participant.id: participant.name for participant in store.participants(session.id)}
        summary = build_summary(session, names, store.all_answers(session.id), french)
    finally:
        store.close()
    text = pdf_text(build_summary_pdf(summary, lang=french))
    assert "SYNTHÈSE POUR LES RESPONSABLES" in text and "Participation par étape" in text
    assert "15 mars 2027" in text and re.search(r"\d+ sur 6", text) and "%" in text
    assert "Goals over the system goals" in text  # not in the stub catalogue: English


@pytest.fixture
def app_settings(translations: Path) -> dict:
    return {"TRANSLATIONS_DIR": str(translations)}


def test_the_join_handout_in_french_and_in_english(french):
    handout = Handout("Journée de printemps", "Riverside", "2027-03-15", "ABC123", "http://pd.test/j/ABC123",
                      "http://pd.test/j")  # fmt: skip
    text = pdf_text(build_handout_pdf(handout, lang=french))
    assert "REJOINDRE CETTE SESSION" in text and "15 mars 2027" in text
    assert "ou ouvrez http://pd.test/j et tapez le code" in text and "Pathways · Fiche pour rejoindre" in text
    english = pdf_text(build_handout_pdf(handout))
    assert "JOIN THIS SESSION" in english and "15 March 2027" in english
    assert "or open http://pd.test/j and type the code" in english and "Pathways · Join handout" in english


def test_the_handout_prints_in_the_session_s_language_whoever_asks(client):
    codes = {}
    for language in ("fr", "en"):
        body = {"title": "Journée", "system_goals": GOALS, "date": "2027-03-15", "language": language}
        created = client.post("/api/sessions", json=body, headers=admin_headers())
        assert created.status_code == 201, created.get_json()
        codes[language] = created.get_json()["code"]
    french = client.get(f"/api/sessions/{codes['fr']}/handout.pdf")
    assert french.status_code == 200
    text = pdf_text(french.data)
    assert "REJOINDRE CETTE SESSION" in text and "15 mars 2027" in text
    asked = client.get(f"/api/sessions/{codes['en']}/handout.pdf", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert "JOIN THIS SESSION" in pdf_text(asked.data)


def test_a_reminder_reaches_the_mail_server_in_its_recipients_language(tmp_path: Path, french):
    chosen = 1_790_000_000.0  # 2026-09-21
    record = GoalRecord(1, 1, "PD day", "2026-11-02", 5, 10, "Literacy", "Read more", (("Read daily", "2026-12-01"),),
                        ("Read daily",), (), (), None, (), None, 0.0, "2026-12-05", chosen)  # fmt: skip
    dan = PersonRecord(1, "Dan", "dan@r.org", (record,), ())
    coach = Coach(2, 1, "Mr Okafor", "okafor@r.org", (10,))
    follow_up = OrganisationFollowUp(1, "Riverside", [dan], [coach], {1: 2}, [], {})
    now = 1_796_630_400.0  # 2026-12-07, two days after Dan's date

    def language_of(recipient: Recipient, recipient_id: int) -> Language:
        return french if recipient is Recipient.PERSON else Language.english()

    due = due_reminders(follow_up, now, language_of=language_of)
    to_dan = next(r for r in due if r.kind is ReminderKind.CHECK_IN_DUE)
    to_coach = next(r for r in due if r.kind is ReminderKind.SILENT)
    assert to_dan.subject == "C’est le moment de faire le point sur votre objectif"
    assert "Bonjour Dan,\n\nVous avez choisi le 5 décembre 2026" in to_dan.body
    assert to_coach.subject == "Dan has not checked in" and "chose 5 December 2026" in to_coach.body

    store = Store(tmp_path / DATABASE_FILE)
    try:
        store.record_reminders([to_dan, to_coach], mail=True, now=now)
        with SmtpServer() as mail:
            settings = parse_mail_settings(f"smtp://127.0.0.1:{mail.port}", "Pathways <pd@example.org>")
            report = deliver_due(store, settings, BASE_URL, now, logger=logging.getLogger("test"),
                                 language_of=language_of)  # fmt: skip
            assert report.sent == 2
            received = {message.recipients[0]: message for message in mail.wait_for(2)}
    finally:
        store.close()
    dans = received["dan@r.org"]
    assert dans.subject == to_dan.subject and dans.message["Content-Language"] == "fr"
    assert dans.body.startswith("Bonjour Dan,\n\nVous avez choisi le 5 décembre 2026 pour faire le point")
    assert f"Ouvrir dans Pathways : {BASE_URL}/r/" in dans.body
    assert f"Ne plus recevoir ces rappels : {BASE_URL}/stop/" in dans.body
    coachs = received["okafor@r.org"]
    assert coachs.message["Content-Language"] == "en" and f"Stop these reminders: {BASE_URL}/stop/" in coachs.body
