"""Protocol content in other languages: the loader reads and checks a file's translations, a protocol reads in a
language field by field, every library protocol is whole in Spanish and French, and the live step carries them."""

import copy

import pytest

from protocols.loader import ProtocolFileError, load_library, load_protocol_text, protocol_from_dict, protocol_to_dict
from protocols.protocol_translations import (
    localized,
    localized_step,
    missing_translations,
    norms_translations,
    step_translations,
)
from tests.support.sockets import call, events, received

LIBRARY = load_library()
LANGUAGES = ("es", "fr")

PROTOCOL = """
id = "feedback"
title = "Feedback round"
purpose = "A presenter hears warm and cool feedback."
norms = ["Hard on the content, soft on the people.", "The presenter is silent."]

[grouping]
size = 4

[[roles]]
id = "presenter"
title = "Presenter"
notes = "Share your work."

[[roles]]
id = "member"
title = "Member"
rest = true

[[steps]]
id = "warm"
title = "Warm feedback"
prompt = "Where is the work strong?"
notes = "Warm first."
kind = "text"
silent = ["presenter"]
visibility = "group"
prompts = { presenter = "Listen in silence." }

[[steps]]
id = "useful"
title = "How useful?"
prompt = "How useful was the feedback?"
kind = "choice"
visibility = "room"
options = [{ id = "very", label = "Very" }, { id = "somewhat", label = "Somewhat" }]
"""

SPANISH = """
[translations.es]
title = "Ronda de retroalimentación"
norms = ["Exigentes con el contenido, amables con las personas.", "Quien presenta guarda silencio."]

[translations.es.roles.presenter]
title = "Presentador/a"

[translations.es.steps.warm]
title = "Retroalimentación cálida"
prompts.presenter = "Escucha en silencio."

[translations.es.steps.useful]
options.very = "Mucho"
"""


def load(extra: str = SPANISH):
    return load_protocol_text(PROTOCOL + extra, "feedback.toml")


def test_the_loader_accepts_translations_and_a_protocol_reads_in_spanish():
    spanish = localized(load(), "es")
    assert spanish.title == "Ronda de retroalimentación"
    assert spanish.norms == ("Exigentes con el contenido, amables con las personas.", "Quien presenta guarda silencio.")
    assert spanish.role("presenter").title == "Presentador/a"
    warm, useful = spanish.steps
    assert warm.title == "Retroalimentación cálida" and warm.prompt_for("presenter") == "Escucha en silencio."
    assert [option.label for option in useful.options] == ["Mucho", "Somewhat"]


def test_a_text_left_out_falls_back_to_the_protocol_s_own_field_by_field():
    protocol = load()
    spanish = localized(protocol, "es")
    assert spanish.purpose == protocol.purpose, "no Spanish purpose: the English one"
    assert spanish.role("presenter").notes == "Share your work."
    assert spanish.role("member").title == "Member", "a role left out keeps its own"
    warm = spanish.steps[0]
    assert (warm.prompt, warm.notes) == ("Where is the work strong?", "Warm first.")
    assert spanish.steps[1].title == "How useful?"
    assert [option.id for option in spanish.steps[1].options] == ["very", "somewhat"], "ids never change"
    assert localized(protocol, "de") == protocol, "a language the protocol lacks: the protocol as written"
    assert localized(protocol, "es-MX").title == "Ronda de retroalimentación", "a regional code reads its language"
    assert localized_step(protocol, protocol.steps[1], "es").options[0].label == "Mucho"
    assert localized(LIBRARY["tuning"], "en") == LIBRARY["tuning"]


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ('[translations.es]\ncolour = "rojo"', "translations.es.colour: is not a known field"),
        ('[translations.es.steps.warm]\ncolour = "rojo"', "translations.es.steps.warm.colour: is not a known field"),
        ('[translations.es.roles.member]\ncount = "2"', "translations.es.roles.member.count: is not a known field"),
        ('[translations.es.steps.cool]\ntitle = "Fría"', "translations.es.steps.cool: the protocol has no step 'cool'"),
        ('[translations.es.roles.chair]\ntitle = "Silla"', "translations.es.roles.chair: the protocol has no role"),
        ("[translations.es]\ntitle = 7", "translations.es.title: must be text, not a number"),
        ('[translations.es]\ntitle = "  "', "translations.es.title: must not be empty"),
        ('[translations.es]\nsource = "Alguien"', "translations.es.source: translates nothing: the protocol has no"),
        ('[translations.es.steps.useful]\nnotes = "Notas"', "translations.es.steps.useful.notes: translates nothing"),
        (
            '[translations.es.steps.useful]\noptions.never = "Nunca"',
            "translations.es.steps.useful.options.never: the step has no option 'never'",
        ),
        ("[translations.es.steps.useful]\noptions.very = 1", "translations.es.steps.useful.options.very: must be text"),
        (
            '[translations.es.steps.warm]\nprompts.member = "Habla"',
            "translations.es.steps.warm.prompts.member: the step gives no prompt to 'member'",
        ),
        ('[translations.es]\nnorms = ["Una sola."]', "translations.es.norms: translates 1 norms: the protocol has 2"),
        ("[translations.es]\nnorms = [1, 2]", "translations.es.norms: must be a list of sentences"),
        ('[translations.es]\nsteps = "todos"', "translations.es.steps: must be a table, not text"),
        ('[translations.klingon]\ntitle = "x"', "translations.klingon: is not a language code"),
    ],
)
def test_a_broken_translation_is_refused_naming_the_field_and_the_problem(extra, expected):
    with pytest.raises(ProtocolFileError) as caught:
        load(extra)
    assert f"feedback.toml: {expected}" in str(caught.value)


def test_translations_that_are_not_a_table_are_refused():
    with pytest.raises(ProtocolFileError) as caught:
        load_protocol_text('translations = "es"\n' + PROTOCOL, "feedback.toml")
    assert str(caught.value) == "feedback.toml: translations: must be a table, not text"


def test_every_problem_in_the_translations_is_reported_at_once():
    extra = '[translations.es]\ntitle = 7\n[translations.es.steps.cool]\ntitle = "Fría"\n[translations.fr]\nhue = 1'
    with pytest.raises(ProtocolFileError) as caught:
        load(extra)
    assert len(caught.value.problems) == 3, caught.value.problems


def test_translations_survive_the_agenda_s_stored_form():
    for protocol in (load(), *LIBRARY.values()):
        assert protocol_from_dict(protocol_to_dict(protocol)) == protocol


@pytest.mark.parametrize("code", LANGUAGES)
@pytest.mark.parametrize("protocol_id", sorted(LIBRARY))
def test_every_library_protocol_is_whole_in_spanish_and_french(protocol_id, code):
    protocol = LIBRARY[protocol_id]
    assert missing_translations(protocol, code) == []
    translated = localized(protocol, code)
    assert translated.title != protocol.title and translated.purpose != protocol.purpose
    for step, english in zip(translated.steps, protocol.steps, strict=True):
        assert step.prompt != english.prompt or step.prompt.endswith("…"), (protocol_id, code, step.id)


def test_a_new_english_text_without_its_translation_is_found_missing():
    data = protocol_to_dict(LIBRARY["tuning"])
    grown = copy.deepcopy(data)
    grown["steps"].append({"id": "thanks", "title": "Thanks", "prompt": "Thank the presenter.", "kind": "none",
                           "visibility": "room", "prompts": {"presenter": "Thank your group."}})  # fmt: skip
    grown["roles"][1]["notes"] = data["roles"][1]["notes"]
    grown["steps"][0]["notes"] = data["steps"][0]["notes"]
    missing = missing_translations(protocol_from_dict(grown), "es")
    assert missing == ["steps.thanks.title", "steps.thanks.prompt", "steps.thanks.prompts.presenter"]
    assert "title" in missing_translations(LIBRARY["tuning"], "de")


def test_the_library_names_protocols_as_practitioners_do():
    spanish = {protocol_id: localized(protocol, "es") for protocol_id, protocol in LIBRARY.items()}
    french = {protocol_id: localized(protocol, "fr") for protocol_id, protocol in LIBRARY.items()}
    assert spanish["one-two-four-all"].title == "1-2-4-Todos" and french["one-two-four-all"].title == "1-2-4-Tous"
    tuning_es = {step.id: step.title for step in spanish["tuning"].steps}
    tuning_fr = {step.id: step.title for step in french["tuning"].steps}
    assert (tuning_es["warm-feedback"], tuning_es["cool-feedback"]) == (
        "Retroalimentación cálida",
        "Retroalimentación fría",
    )
    assert (tuning_fr["warm-feedback"], tuning_fr["cool-feedback"]) == (
        "Rétroaction chaleureuse",
        "Rétroaction critique",
    )
    assert spanish["what-so-what-now-what"].title == "¿Qué? ¿Y qué? ¿Ahora qué?"


def test_a_step_s_translations_for_the_screens_keep_the_console_s_notes_off_the_phones():
    protocol = LIBRARY["tuning"]
    warm = next(step for step in protocol.steps if step.id == "warm-feedback")
    phones = step_translations(protocol, warm)
    assert set(phones) == {"es", "fr"}
    assert phones["es"]["title"] == "Retroalimentación cálida" and phones["es"]["protocol"] == "Protocolo de afinación"
    assert phones["fr"]["prompts"]["presenter"].startswith("Écoutez en silence")
    assert phones["es"]["roles"]["presenter"]["title"] == "Presentador/a"
    assert "notes" not in phones["es"] and "notes" not in phones["fr"]
    assert step_translations(protocol, warm, with_notes=True)["es"]["notes"].startswith("Primero la cálida")
    assert norms_translations(protocol)["fr"][0] == "Exigeants sur le contenu, bienveillants envers les personnes."
    assert step_translations(load(), load().steps[1]) == {"es": {"protocol": "Ronda de retroalimentación",
        "options": {"very": "Mucho"}, "roles": {"presenter": {"title": "Presentador/a"}}}}  # fmt: skip


def test_the_live_step_carries_its_translations_to_phones_projector_and_console(sio, create_session):
    created = create_session(agenda=["three-two-one", "tuning"])
    console = sio("/facilitator", code=created["code"], key=created["facilitator_key"])
    projector = sio("/projector", code=created["code"])
    phone = sio("/participant", code=created["code"], name="Ana")
    assert call(console, "next", "/facilitator")["ok"]  # 1:learned
    step = events(phone, "state", "/participant")[-1]["step"]
    assert step["id"] == "1:learned" and step["title"] == "Three things I learned"
    assert step["translations"]["es"] == {"protocol": "Ticket de salida 3-2-1", "title": "Tres cosas que aprendí",
                                          "prompt": "Escribe tres cosas que aprendiste hoy."}  # fmt: skip
    assert step["translations"]["fr"]["title"] == "Trois choses que j'ai apprises"
    shown = events(projector, "state", "/projector")[-1]
    assert shown["step"]["translations"]["fr"]["prompt"] == "Écrivez trois choses que vous avez apprises aujourd'hui."
    board = events(console, "state", "/facilitator")[-1]
    tuning = next(item for item in board["agenda"] if item["id"] == "2:introduction")
    assert tuning["translations"]["es"]["notes"].startswith("Lee las normas en voz alta")
    assert board["items"][1]["translations"] == {"es": {"title": "Protocolo de afinación"},
                                                 "fr": {"title": "Protocole d'harmonisation (tuning)"}}  # fmt: skip
    for _ in range(3):
        assert call(console, "next", "/facilitator")["ok"]  # 2:introduction
    received(phone, "/participant")
    shown = events(projector, "state", "/projector")[-1]
    assert shown["norms_translations"]["es"][0] == "Exigentes con el contenido, amables con las personas."
    assert events(console, "state", "/facilitator")[-1]["norms_translations"]["fr"][1].startswith("La personne")
