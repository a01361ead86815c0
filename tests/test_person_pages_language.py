"""A person's own pages in the language they joined in, with the real Spanish catalogue: the plan page's check-in
form, measure line, kept check-ins and coaching section, and a phone's refusal that names a role."""

import json
import re
from datetime import UTC, datetime
from html import unescape
from typing import Any

import pytest
from babel.messages.pofile import read_po

from facilitator.edge.language import LANGUAGE_COOKIE, TRANSLATIONS_DIR, language
from protocols.measures import unit_label
from tests.support.admin import admin_headers
from tests.support.sockets import call, events

GOALS = [{"title": "Every student reads fluently by grade 3"}, {"title": "Feedback that moves learning forward"}]
MEASURE = {
    "what": "Share of 3B reading at grade level",
    "unit": "percent",
    "out_of": None,
    "baseline": {"value": 40, "date": "2026-10-20"},
    "target": {"value": 80, "date": "2027-06-01"},
}
STEP = "Daily paired reading"


@pytest.fixture(scope="module")
def spanish() -> dict[str, Any]:
    """The real Spanish catalogue, read as translators leave it."""
    with (TRANSLATIONS_DIR / "es" / "LC_MESSAGES" / "messages.po").open("rb") as file:
        return {message.id: message.string for message in read_po(file) if message.id}


def said(catalogue: dict[str, Any], english: str, **values: Any) -> str:
    """The catalogue's Spanish for ``english``, placeholders filled; it must be there and differ from the English."""
    words = catalogue.get(english)
    assert words and words != english, f"no Spanish for {english!r}"
    for name, value in values.items():
        words = words.replace(f"{{{name}}}", str(value))
    return words


def flat(text: str) -> str:
    """Text with each run of spaces (a no-break space in ``40 %`` too) as one space, as ``text_of`` reads a page."""
    return re.sub(r"\s+", " ", text)


def text_of(html: str) -> str:
    return flat(unescape(re.sub(r"<[^>]+>", " ", html)))


@pytest.fixture
def ana(client, sio, create_session) -> dict[str, Any]:
    """Ana joined in Spanish, set a goal with an action step and a measure, and kept a check-in asking for
    release time; her plan token."""
    organisation = client.post("/api/organisations", json={"name": "Riverside District", "system_goals": GOALS},
                               headers=admin_headers()).get_json()  # fmt: skip
    day = create_session(title="Autumn PD day", date="2026-10-20", organisation_id=organisation["id"],
                         system_goals=GOALS, agenda=["goal-setting"])  # fmt: skip
    console = sio("/facilitator", code=day["code"], key=day["facilitator_key"])
    phone = sio("/participant", code=day["code"], name="Ana", language="es")
    token = events(phone, "welcome", "/participant")[0]["token"]
    answers = [
        ("1:system-goal", day["system_goals"][0]["id"]),
        ("1:goal", "Every reader in 3B at grade level by June"),
        ("1:measure", MEASURE),
        ("1:action-steps", [{"text": STEP, "date": "2027-01-15"}]),
    ]
    for step_id, value in answers:
        assert call(console, "goto", "/facilitator", {"step_id": step_id})["ok"]
        ack = call(phone, "answer", "/participant", {"step_id": step_id, "answer_id": step_id, "value": value})
        assert ack["ok"], ack
    kept = client.post(f"/p/{token}/check-ins", json={"progress": [{"step": STEP, "level": 2}],
                                                      "support": ["release-time"], "result": 55})  # fmt: skip
    assert kept.status_code == 201, kept.get_json()
    replied = client.post(f"/p/{token}/messages", json={"body": "Gracias"})
    assert replied.status_code in (200, 201), replied.get_json()
    return {"token": token}


def test_the_check_in_form_and_the_measure_line_speak_spanish(client, ana, spanish):
    page = client.get(f"/p/{ana['token']}/plan").get_data(as_text=True)
    form = text_of(page[page.index('data-testid="check-in-form"') : page.index("</form>")])
    es = language("es")
    for english in ("Not started", "Started", "Halfway", "Nearly there", "Done"):
        assert said(spanish, english) in form
    for english in ("Release time", "Materials or resources", "Further training"):
        assert said(spanish, english) in form
    assert "Not started" not in form and "Release time" not in form
    spanish_day = es.day("2026-10-20")
    assert spanish_day == "20 de octubre de 2026"
    line = said(spanish, "{what}: {baseline} on {baseline_day} → {target} by {target_day}", what=MEASURE["what"],
                baseline=unit_label(MEASURE, 40, es), baseline_day=spanish_day, target=unit_label(MEASURE, 80, es),
                target_day=es.day("2027-06-01"))  # fmt: skip
    assert flat(line) in form and "20 October 2026" not in form


def test_a_kept_check_in_reads_back_in_spanish_dated_in_spanish(client, ana, spanish):
    page = client.get(f"/p/{ana['token']}/plan").get_data(as_text=True)
    kept = text_of(page[page.index('id="check-ins-kept"') :])
    today = datetime.now(UTC).date()
    es = language("es")
    assert said(spanish, "Check-in of {date}", date=es.day(today)) in kept
    assert es.day(today) != language("en").day(today)
    assert said(spanish, "Started") in kept and said(spanish, "Release time") in kept
    assert flat(said(spanish, "Result: {value}", value=unit_label(MEASURE, 55, es))) in kept
    assert "Result:" not in kept and "Release time" not in kept


def test_the_coaching_section_speaks_spanish(client, ana, spanish):
    page = client.get(f"/p/{ana['token']}/plan").get_data(as_text=True)
    data = json.loads(unescape(re.search(r'id="coaching-data">(.*?)</script>', page, re.S)[1]))
    es = language("es")
    today = es.day(datetime.now(UTC).date())
    [request] = data["requests"]
    assert request["support"] == said(spanish, "Release time")
    assert request["state_label"] == said(spanish, "Open")
    [reply] = data["thread"]
    assert reply["by"] == said(spanish, "You") and reply["on"] == today
    [check_in] = data["check_ins"]
    assert check_in["date"] == today and check_in["progress"][0]["label"] == said(spanish, "Started")
    assert check_in["result_line"] == said(spanish, "Result: {value}", value=es.number(55))
    [version] = data["goal"]["versions"]
    assert version["on"] == es.day("2026-10-20") or version["on"] == today


def test_a_spanish_phone_hears_the_spanish_role_title_when_refused(client, sio, create_session, spanish):
    day = create_session(agenda=[{"id": "tuning", "rounds": 1}])
    console = sio("/facilitator", code=day["code"], key=day["facilitator_key"])
    client.set_cookie(LANGUAGE_COOKIE, "es")  # as the Spanish join page left it: the phones' connections speak it
    phones = [sio("/participant", code=day["code"], name=name, language="es") for name in "ABCDEF"]
    assert call(console, "form_groups", "/facilitator", {"size": 6})["ok"]
    assert call(console, "goto", "/facilitator", {"step_id": "1:presentation"})["ok"]
    acks = [call(p, "answer", "/participant", {"step_id": "1:presentation", "answer_id": "q", "value": "¿?"})
            for p in phones]  # fmt: skip
    refused = [ack for ack in acks if not ack["ok"]]
    assert len(refused) == 5 and all(ack["code"] == "not_your_turn" for ack in refused)
    expected = said(spanish, "Only the {role} answers this step; listen for now.", role="presentador/a")
    assert all(ack["error"] == expected for ack in refused)
    assert "presenter" not in expected


def test_the_chart_of_my_measure_speaks_spanish_on_my_plan_page_and_my_progress_card(client, ana, spanish):
    """The chart's legend, title and dates are words too: in the person's language on every page of theirs."""
    es = language("es")
    legend = [said(spanish, english) for english in ("Baseline", "Results", "Target")]
    page = unescape(client.get(f"/p/{ana['token']}/plan").get_data(as_text=True))
    chart = page[page.index("<svg") : page.index("</svg>")]
    for words in legend:
        assert f">{words}</text>" in chart, words
    assert said(spanish, "My measure") in chart and es.day("2026-10-20", "medium") in chart
    assert ">Baseline</text>" not in chart
    card = client.get(f"/p/{ana['token']}/progress.json").get_json()["own"]
    for words in legend:
        assert f">{words}</text>" in unescape(card["chart_svg"]), words
