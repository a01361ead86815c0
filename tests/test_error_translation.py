"""Every error a person can receive comes back in their language: HTTP errors, Socket.IO acks and refusals, with
their placeholders filled after translation; the code stays the same, and a sentence no catalogue has stays English."""

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from facilitator.app import create_app
from facilitator.edge.language import language
from protocols.errors import DomainError, Phrase
from protocols.language import N_
from protocols.loader import ProtocolFileError, load_protocol_text
from protocols.setup import MAX_SYSTEM_GOALS
from tests.support import ROOT
from tests.support.admin import ADMIN_TOKEN, GOALS, admin_headers
from tests.support.catalogues import stub_catalogues
from tests.support.servers import LiveServer

LANGUAGE = "de"  # a real language no complete catalogue uses: the stub's words are the only German there is
GERMAN = {
    "system_goals must be a list of 1 to {most} goals.": "system_goals muss eine Liste von 1 bis {most} Zielen sein.",
    "There is nothing at this address.": "Unter dieser Adresse gibt es nichts.",
    "There is no step {step} in this agenda.": "In dieser Agenda gibt es keinen Schritt {step}.",
    "There is no session with that code.": "Es gibt keine Sitzung mit diesem Code.",
    "'{event}' is not an event of {namespace}.": "'{event}' ist kein Ereignis von {namespace}.",
    "{field} is empty.": "{field} ist leer.",
    "Your answer": "Deine Antwort",
    "is required": "ist erforderlich",
}
SOURCES = ("facilitator", "participant", "protocols", "exports")


@pytest.fixture
def translations(tmp_path: Path) -> Path:
    return stub_catalogues(tmp_path / "translations", LANGUAGE, GERMAN)


@pytest.fixture
def app_settings(translations: Path) -> dict:
    return {"TRANSLATIONS_DIR": str(translations)}


@pytest.fixture
def translated_server(tmp_path: Path, translations: Path, engine: str) -> Iterator[LiveServer]:
    server = LiveServer(data_dir=tmp_path / "data", engine=engine, env={"PATHWAYS_TRANSLATIONS_DIR": str(translations)})
    server.start()
    yield server
    server.stop()


def too_few_goals(client, headers: dict | None = None, **options) -> dict:
    body = {"title": "Spring PD day", "system_goals": []}
    response = client.post("/api/sessions", json=body, headers={**admin_headers(), **(headers or {})}, **options)
    assert response.status_code == 400
    return response.get_json()


# Over HTTP.


def test_an_http_error_comes_back_in_the_language_asked_for_with_its_placeholders_filled(client):
    by_query = too_few_goals(client, query_string={"lang": LANGUAGE})
    by_browser = too_few_goals(client, headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"})
    german = f"system_goals muss eine Liste von 1 bis {MAX_SYSTEM_GOALS} Zielen sein."
    assert by_query == by_browser == {"error": german, "code": "bad_request"}
    english = too_few_goals(client)
    assert english == {"error": f"system_goals must be a list of 1 to {MAX_SYSTEM_GOALS} goals.", "code": "bad_request"}


def test_the_servers_own_http_errors_are_translated_too(client):
    response = client.get("/api/no-such-thing", headers={"Accept-Language": LANGUAGE})
    assert response.status_code == 404
    assert response.get_json() == {"error": "Unter dieser Adresse gibt es nichts.", "code": "not_found"}


def test_an_error_the_catalogue_lacks_comes_back_in_english_filled(client):
    response = client.post("/api/sessions?lang=de", json={"title": 5, "system_goals": GOALS}, headers=admin_headers())
    assert response.status_code == 400
    assert response.get_json() == {"error": "title must be text.", "code": "bad_request"}


# Over Socket.IO, on a real server, the language asked for in the connection's handshake.


@pytest.mark.live
def test_a_socket_ack_and_a_refusal_come_back_in_the_handshakes_language(translated_server, peers):
    created = translated_server.create_session()
    auth = {"code": created["code"], "key": created["facilitator_key"]}
    german = peers(f"{translated_server.url}?lang={LANGUAGE}", "/facilitator", **auth).connect()
    english = peers(translated_server.url, "/facilitator", **auth).connect()

    refused = german.call("goto", {"step_id": "nope"})
    assert refused == {"ok": False, "error": "In dieser Agenda gibt es keinen Schritt 'nope'.", "code": "unknown_step"}
    assert german.call("whistle") == {"ok": False, "code": "unknown_event",
                                      "error": "'whistle' ist kein Ereignis von /facilitator."}  # fmt: skip
    assert german.call("goto", {}) == {"ok": False, "error": "'step_id' is missing.", "code": "bad_request"}
    assert english.call("goto", {"step_id": "nope"})["error"] == "There is no step 'nope' in this agenda."

    stranger = peers(f"{translated_server.url}?lang={LANGUAGE}", "/projector", code="ZZZZZZ")
    with pytest.raises(Exception):  # noqa: B017 - python-socketio raises its own ConnectionError
        stranger.connect()
    assert stranger.refusal["message"] == "Es gibt keine Sitzung mit diesem Code."
    assert stranger.refusal["data"] == {"code": "unknown_session"}

    over_http = requests.post(f"{translated_server.url}/api/sessions", json={"title": "Day", "system_goals": []},
                              headers={**admin_headers(), "Accept-Language": LANGUAGE}, timeout=10)  # fmt: skip
    assert over_http.status_code == 400
    assert over_http.json()["error"] == f"system_goals muss eine Liste von 1 bis {MAX_SYSTEM_GOALS} Zielen sein."


# In plain Python: the error keeps its English, and says itself in any language.


def test_an_error_is_english_as_written_and_translated_with_the_words_that_fill_it(tmp_path, translations):
    app = create_app({"DATA_DIR": str(tmp_path / "data"), "ADMIN_TOKEN": ADMIN_TOKEN, "ASYNC_MODE": "threading",
                      "TRANSLATIONS_DIR": str(translations)})  # fmt: skip
    error = DomainError("empty_value", "{field} is empty.", field=Phrase(N_("Your answer")))
    with app.app_context():
        german, english = language(LANGUAGE), language("en")
        assert (error.message, error.code) == ("Your answer is empty.", "empty_value")
        named = DomainError("unknown_session", "No session has the code {code} ({message}).", code="AB", message="m")
        assert (named.code, named.message) == ("unknown_session", "No session has the code AB (m).")
        assert error.in_language(german) == "Deine Antwort ist leer." and error.in_language(english) == error.message
        with pytest.raises(ProtocolFileError) as refused:
            load_protocol_text('id = "tiny"\npurpose = "p"\n[[steps]]\nid = "a"\ntitle = "A"\nkind = "none"\n'
                               'visibility = "private"\n', "tiny.toml")  # fmt: skip
        assert refused.value.problems == ["title: is required", "steps[0].prompt: is required"]
        german_lines = "tiny.toml: title: ist erforderlich\ntiny.toml: steps[0].prompt: ist erforderlich"
        assert refused.value.in_language(german) == german_lines
        wrapped = DomainError("bad_protocol", "{problems}", problems=refused.value)
        assert wrapped.message == "tiny.toml: title: is required\ntiny.toml: steps[0].prompt: is required"
        assert wrapped.in_language(german) == german_lines
    app.extensions["pathways.store"].close()


# Every message is a sentence a catalogue can hold: a literal (or a constant marked N_), filled by its params.

MESSAGE_ARGUMENT = {"DomainError": 1, "json_error": 1, "N_": 0, "_field_error": 0, "_refuse": 0, "unknown_idea": 0}
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _calls() -> Iterator[tuple[str, ast.Call, str]]:
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call):
                    name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                    if name in MESSAGE_ARGUMENT:
                        yield f"{path.relative_to(ROOT)}:{node.lineno}", node, name


def _built(node: ast.AST) -> bool:
    """A message put together at run time: an f-string, a concatenation, a ``%`` or a ``.format``."""
    return isinstance(node, ast.JoinedStr | ast.BinOp) or (
        isinstance(node, ast.Call) and getattr(node.func, "attr", None) in ("format", "join")
    )


def test_no_message_is_an_f_string_or_built_at_run_time():
    calls = list(_calls())
    assert sum(1 for _, _, name in calls if name == "DomainError") > 150  # the scan finds the code's errors
    built = [where for where, node, name in calls
             if len(node.args) > MESSAGE_ARGUMENT[name] and _built(node.args[MESSAGE_ARGUMENT[name]])]  # fmt: skip
    assert not built, f"messages built at run time cannot be translated: {built}"
    marked = [where for where, node, name in calls if name == "N_"
              and not (isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str))]  # fmt: skip
    assert not marked, f"N_ marks a literal sentence: {marked}"


def test_every_placeholder_of_a_literal_error_is_filled_and_every_param_is_used():
    wrong = []
    for where, node, name in _calls():
        if name != "DomainError" or len(node.args) < 2 or not isinstance(node.args[1], ast.Constant):
            continue
        if any(keyword.arg is None for keyword in node.keywords):
            continue  # **params passed along
        placeholders = set(PLACEHOLDER.findall(node.args[1].value))
        if placeholders != {keyword.arg for keyword in node.keywords}:
            wrong.append(where)
    assert not wrong, f"placeholders and params differ: {wrong}"


def test_the_static_check_catches_what_it_looks_for():
    """The checks above would see a message built with an f-string or a concatenation, and a missing param."""
    tree = ast.parse('DomainError("x", f"{a} b")\nDomainError("x", "a" + b)\nDomainError("x", "{a} b")\n')
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
    assert [_built(call.args[1]) for call in calls] == [True, True, False]
    assert PLACEHOLDER.findall(calls[2].args[1].value) == ["a"] and not calls[2].keywords
