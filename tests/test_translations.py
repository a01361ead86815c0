"""A language's words, dates and numbers (protocols/language.py), and the browser's catalogue as JSON: plural forms
and how each language's plural categories pick them, cached by version."""

from datetime import date

import pytest
from babel.messages.pofile import read_po
from babel.support import Translations

from facilitator.edge.browser_words import SCREENS, screen_scripts
from facilitator.edge.language import TRANSLATIONS_DIR, plural_indexes
from protocols.language import IN_ENGLISH, N_, Language, fill


def real(code: str) -> Language:
    return Language(code, Translations.load(str(TRANSLATIONS_DIR), [code], domain="messages"))


def test_placeholders_are_filled_after_translation_and_a_missing_value_stays_as_written():
    assert fill("{name} wrote {n}", {"name": "Ana"}) == "Ana wrote {n}"
    assert N_("Kept as written") == "Kept as written"
    french = real("fr")
    translated = french.gettext("Facilitator: {name}", name="Amara")
    assert translated != "Facilitator: Amara" and "Amara" in translated
    assert french.gettext("A sentence no catalogue holds, {x}", x=1) == "A sentence no catalogue holds, 1"


def test_numbers_and_days_are_written_the_language_s_way():
    day = date(2027, 2, 1)
    assert IN_ENGLISH.day(day) == "1 February 2027" == IN_ENGLISH.day("2027-02-01")
    assert IN_ENGLISH.day(day, "medium") == "1 Feb 2027"
    assert real("es").day(day) == "1 de febrero de 2027"
    assert real("fr").day(day) == "1 février 2027"
    assert IN_ENGLISH.number(1234.5) == "1,234.5" and real("fr").number(1234.5) == "1\u202f234,5"
    assert IN_ENGLISH.percent(0.25) == "25%" and real("fr").percent(0.25) == "25\u00a0%"


GONE = ("Your answers, plan and check-ins from {n} session are gone.",
        "Your answers, plans and check-ins from {n} sessions are gone.")  # fmt: skip


def test_a_plural_takes_the_form_its_number_needs():
    english, french, spanish = IN_ENGLISH, real("fr"), real("es")
    assert english.ngettext(*GONE, 1) == "Your answers, plan and check-ins from 1 session are gone."
    assert english.ngettext(*GONE, 0) == "Your answers, plans and check-ins from 0 sessions are gone."
    zero, one, two = (french.ngettext(*GONE, n) for n in (0, 1, 2))
    assert zero.replace("0", "1") == one != two.replace("2", "1")  # French: 0 takes the singular
    assert "1 000" in french.ngettext(*GONE, 1000)  # {n} written the French way
    zero, one, two = (spanish.ngettext(*GONE, n) for n in (0, 1, 2))
    assert zero.replace("0", "2") == two != one.replace("1", "2")  # Spanish: 0 takes the plural


def test_each_plural_category_picks_the_catalogue_s_form():
    assert plural_indexes(IN_ENGLISH) == {"one": 0, "other": 1}
    assert plural_indexes(real("fr")) == {"one": 0, "many": 1, "other": 2}
    assert plural_indexes(real("es")) == {"one": 0, "many": 1, "other": 2}


def test_the_browser_s_catalogue_holds_sentences_and_plural_forms_and_is_cached_by_version(client):
    page = client.get("/j", headers={"Accept-Language": "es-MX,es;q=0.9"})
    address = page.get_data(as_text=True).split('data-catalogue="', 1)[1].split('"', 1)[0]
    assert address.startswith("/i18n/join/es.json?v=")
    response = client.get(address)
    assert response.status_code == 200
    assert response.cache_control.max_age == 31_536_000 and response.cache_control.immutable
    body = response.get_json()
    assert body["language"] == "es" and body["direction"] == "ltr" and body["plural"]["other"] == 2

    leaders = client.get("/i18n/leaders/es.json").get_json()["messages"]
    forms = leaders["{n} person"]
    assert isinstance(forms, list) and len(forms) == 3 and all("{n}" in form for form in forms)
    unversioned = client.get("/i18n/leaders/es.json")
    assert unversioned.cache_control.max_age == 0 and not unversioned.cache_control.immutable
    etag = unversioned.get_etag()[0]
    assert client.get("/i18n/leaders/es.json", headers={"If-None-Match": f'"{etag}"'}).status_code == 304
    assert client.get("/i18n/leaders/en.json").get_json()["messages"] == {}


def test_each_screen_gets_the_sentences_of_the_scripts_it_runs_and_no_others(client):
    with (TRANSLATIONS_DIR / "js.pot").open("rb") as file:
        places = {m.id: {path for path, _ in m.locations} for m in read_po(file) if isinstance(m.id, str) and m.id}
    console_only = next(i for i, where in places.items() if all(p.startswith("static/js/console/") for p in where))
    phone_only = next(i for i, where in places.items() if all(p.startswith("static/js/phone/") for p in where))
    phone = client.get("/i18n/phone/fr.json").get_json()["messages"]
    console = client.get("/i18n/console/fr.json").get_json()["messages"]
    assert phone_only in phone and console_only not in phone
    assert console_only in console and phone_only not in console
    for screen in SCREENS:  # every sentence a screen's scripts (and what they import) mark is in its catalogue
        sent = client.get(f"/i18n/{screen}/fr.json").get_json()["messages"]
        needed = {i for i, where in places.items() if where & screen_scripts(screen)}
        assert needed <= set(sent), (screen, sorted(needed - set(sent))[:3])


@pytest.mark.parametrize("address", ["phone/de", "phone/es-MX", "phone/..", "lib/es", "nowhere/es", "es"])
def test_a_language_or_screen_pathways_does_not_have_has_no_catalogue(client, address):
    assert client.get(f"/i18n/{address}.json").status_code == 404
