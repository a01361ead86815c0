"""The lines an ideas step puts in a plan speak the plan's reader's language, on the plan page and in its PDF: a
person who chose Spanish reads their idea, the idea it was merged into, their votes and the room's top ideas in
Spanish (from a stub catalogue holding those sentences), over a real server and real Socket.IO clients."""

import html
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from pypdf import PdfReader

from tests.support.catalogues import stub_catalogues
from tests.support.servers import LiveServer

pytestmark = pytest.mark.live
SPANISH = {
    "My idea: {idea}": "Mi idea: {idea}",
    "My idea: {idea} (merged into “{kept}”)": "Mi idea: {idea} (fusionada con «{kept}»)",
    "I voted for: {idea}": "Voté por: {idea}",
    ("The room's idea {rank}: {idea} ({n} vote)", "The room's idea {rank}: {idea} ({n} votes)"): (
        "Idea {rank} de la sala: {idea} ({n} voto)",  # Spanish has three plural forms: one, many, other
        "Idea {rank} de la sala: {idea} ({n} votos)",
        "Idea {rank} de la sala: {idea} ({n} votos)",
    ),
}
IDEAS_STEP = """
id = "priorities-es"
title = "Priorities"
purpose = "Post ideas, then vote one per idea."

[[steps]]
id = "post"
title = "Ideas and votes"
prompt = "Post up to two ideas; once voting opens, give two votes, one per idea."
kind = "ideas"
minutes = 5
visibility = "room"
max_ideas = 2
votes = 2
plan = "takeaways"
plan_ideas = ["mine", "voted", "top"]
"""


@pytest.fixture
def server(tmp_path: Path, engine: str) -> Iterator[LiveServer]:
    translations = stub_catalogues(tmp_path / "translations", "es", SPANISH)  # type: ignore[arg-type]
    settings = {"PATHWAYS_TRANSLATIONS_DIR": str(translations)}
    started = LiveServer(data_dir=tmp_path / "data", engine=engine, env=settings)
    started.start()
    yield started
    started.stop()


def pdf_text(content: bytes) -> str:
    """The PDF's words with every run of white space as one space: lines wrap."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return re.sub(r"\s+", " ", text.replace("\xa0", " "))


def post(phone: Any, step_id: str, idea_id: str, text: str) -> int:
    ack = phone.call("post_idea", {"step_id": step_id, "idea_id": idea_id, "text": text})
    assert ack["ok"], ack
    return ack["idea"]


def test_a_spanish_plan_holds_the_ideas_lines_in_spanish_on_the_page_and_in_the_pdf(server, peers):
    created = server.create_session(agenda=["goal-setting"])
    url, code = server.url, created["code"]
    console = peers(url, "/facilitator", code=code, key=created["facilitator_key"]).connect()
    phones = [peers(url, "/participant", code=code, name=f"Persona {n}").connect() for n in range(3)]
    tokens = [phone.wait_for("welcome")["token"] for phone in phones]
    for phone in phones[:2]:
        assert phone.call("language", {"language": "es"})["ok"]
    assert console.call("agenda_add", {"toml": IDEAS_STEP})["ok"]
    state = console.wait_for("state", lambda s: any(step["id"].endswith(":post") for step in s["agenda"]))
    step_id = next(step["id"] for step in state["agenda"] if step["id"].endswith(":post"))
    assert console.call("goto", {"step_id": step_id})["ok"]

    kept = post(phones[0], step_id, "a", "Tiempo para planificar")
    duplicate = post(phones[1], step_id, "b", "Tiempo para planificar juntos")
    voice = post(phones[1], step_id, "c", "Voz del alumnado")
    assert console.call("merge_ideas", {"idea": duplicate, "into": kept})["ok"]
    assert console.call("open_voting", {"step_id": step_id})["ok"]
    for n, (phone, idea) in enumerate(((phones[0], voice), (phones[1], kept), (phones[2], kept))):
        assert phone.call("vote", {"step_id": step_id, "vote_id": f"v{n}", "idea": idea})["ok"]

    expected = {
        0: ["Mi idea: Tiempo para planificar", "Voté por: Voz del alumnado",
            "Idea 1 de la sala: Tiempo para planificar (2 votos)", "Idea 2 de la sala: Voz del alumnado (1 voto)"],
        1: ["Mi idea: Tiempo para planificar juntos (fusionada con «Tiempo para planificar»)",
            "Voté por: Tiempo para planificar"],
    }  # fmt: skip
    for person, lines in expected.items():
        page = requests.get(f"{url}/p/{tokens[person]}/plan", timeout=10)
        pdf = requests.get(f"{url}/p/{tokens[person]}/plan.pdf", timeout=30)
        assert page.status_code == pdf.status_code == 200
        words = pdf_text(pdf.content)
        for line in lines:
            assert line in page.text, line
            assert line in words, line
        assert "My idea" not in page.text and "I voted for" not in words
    english = html.unescape(requests.get(f"{url}/p/{tokens[2]}/plan", timeout=10).text)  # the third kept English
    assert "I voted for: Tiempo para planificar" in english and "The room's idea 1: Tiempo para planificar" in english
