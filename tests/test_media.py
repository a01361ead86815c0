"""Media on a step: the ``media`` field of a protocol file and its checks, which media a step shows, uploads from the
console checked by their content (a file lying about its type included), size and page limits with nothing half
kept, the credentials each screen opens pages with, and a deleted session's files gone from the data folder."""

import io
import sqlite3
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from facilitator.cli import main as cli
from facilitator.usecases.media import LIBRARY_FOLDER
from protocols.artifacts import Page
from protocols.evidence import Kind
from protocols.loader import (
    ProtocolFileError,
    load_library,
    load_protocol_file,
    load_protocol_text,
    protocol_from_dict,
    protocol_to_dict,
)
from protocols.media import (
    MAX_MEDIA_PAGES,
    MediaFile,
    MediaRow,
    Source,
    media_path_problem,
    media_view,
    open_media,
    resolve,
    slide_protocol,
    with_slide,
)
from protocols.session import AgendaItem, Session
from tests.support.sockets import call, events
from tests.test_artifacts import pdf, photo  # the same real files student work is tested with

LIBRARY = load_library()
KEY = "X-Facilitator-Key"


def protocol_text(media: str) -> str:
    return (
        'id = "x"\ntitle = "X"\npurpose = "P"\n[[steps]]\nid = "s"\ntitle = "S"\nprompt = "P"\nkind = "text"\n'
        f'visibility = "room"\nmedia = "{media}"\n'
    )


# The protocol file's field.


def test_a_library_step_carries_its_media_through_the_round_trip_a_session_s_agenda_takes():
    step = LIBRARY["plc-cycle"].steps[0]
    assert step.media == "media/plc-cycle.png" and step.answerable  # the media, and an answer below it
    again = protocol_from_dict(protocol_to_dict(LIBRARY["plc-cycle"]))
    assert again.steps[0].media == "media/plc-cycle.png"


@pytest.mark.parametrize(
    ("path", "problem"),
    [("../secrets.pdf", "no '..'"), ("/etc/passwd.png", "relative path"), ("slides/deck.pptx", "image (.png"),
     ("slides/.hidden.pdf", "each part"), ("a\\\\b.png", "relative path")],
)  # fmt: skip
def test_a_media_path_outside_the_protocol_s_folder_or_of_another_type_is_refused(path, problem):
    assert media_path_problem(path.replace("\\\\", "\\")) is not None
    with pytest.raises(ProtocolFileError) as refused:
        load_protocol_text(protocol_text(path))
    assert "steps[0].media" in str(refused.value) and problem in str(refused.value)


def test_validate_checks_the_media_file_beside_the_protocol_by_its_content(tmp_path: Path):
    protocol = tmp_path / "mine.toml"
    protocol.write_text(protocol_text("slides/intro.pdf"))
    with pytest.raises(ProtocolFileError) as missing:
        load_protocol_file(protocol)
    assert "steps[0].media: there is no file 'slides/intro.pdf' beside the protocol" in str(missing.value)
    (tmp_path / "slides").mkdir()
    (tmp_path / "slides" / "intro.pdf").write_bytes(photo())  # a photo named as a PDF
    with pytest.raises(ProtocolFileError) as lying:
        load_protocol_file(protocol)
    assert "named as a PDF but is a photo" in str(lying.value)
    (tmp_path / "slides" / "intro.pdf").write_bytes(pdf(MAX_MEDIA_PAGES + 1))
    with pytest.raises(ProtocolFileError) as long:
        load_protocol_file(protocol)
    assert f"at most {MAX_MEDIA_PAGES}" in str(long.value)
    (tmp_path / "slides" / "intro.pdf").write_bytes(pdf(3))
    assert load_protocol_file(protocol).steps[0].media == "slides/intro.pdf"

    from click.testing import CliRunner

    (tmp_path / "slides" / "intro.pdf").write_bytes(b"%PDF-1.4 not really")
    result = CliRunner().invoke(cli, ["protocols", "validate", str(protocol)])
    assert result.exit_code == 1 and "steps[0].media: This PDF is damaged" in result.output


# Which media a step shows.


def test_an_upload_replaces_the_protocol_s_file_and_taking_it_off_shows_none():
    step = LIBRARY["plc-cycle"].steps[0]
    own = MediaFile(Kind.IMAGE, "plc-cycle.png", 1)
    assert resolve(3, step, None, own).source is Source.PROTOCOL
    pages = tuple(Page(f"{n}.jpg", f"{n}-thumb.jpg") for n in range(3))
    upload = MediaRow(9, 1, 3, step.id, Source.UPLOAD, Kind.PDF, "deck.pdf", pages, 0, 5, 0.0)
    shown = resolve(3, step, upload, own)
    assert (shown.source, shown.kind, shown.pages, shown.page, shown.version) == (Source.UPLOAD, Kind.PDF, 3, 3, 9)
    off = MediaRow(10, 1, 3, step.id, Source.NONE, None, "", (), 0, 1, 0.0)
    assert resolve(3, step, off, own) is None
    missing = resolve(3, step, None, None)  # a protocol uploaded as TOML naming a file this server lacks
    assert missing.missing and missing.title == "media/plc-cycle.png"
    session = Session(1, "ABCDEF", "Day", "", (), (AgendaItem(3, LIBRARY["plc-cycle"]),), position=0)
    assert open_media(session, [missing]) is None  # phones and the projector are never sent a file not there


def test_media_fills_the_projector_unless_it_shows_the_step_s_answers_then_it_goes_beside_them():
    own = MediaFile(Kind.IMAGE, "plc-cycle.png", 1)
    tables_only = LIBRARY["plc-cycle"].steps[0]  # the tables' answers: the projector shows none of them
    assert media_view(resolve(1, tables_only, None, own))["on_projector"] == "full_screen"
    room = next(step for step in LIBRARY["three-two-one"].steps if step.visibility.value.startswith("room"))
    assert media_view(resolve(1, replace(room, media="media/x.png"), None, own))["on_projector"] == "beside_results"
    slide = slide_protocol("Welcome.pdf").steps[0]  # nothing to answer
    upload = MediaRow(9, 1, 1, slide.id, Source.UPLOAD, Kind.PDF, "deck.pdf", (Page("a.jpg", "b.jpg"),), 0, 1, 0.0)
    assert media_view(resolve(1, slide, upload, None))["on_projector"] == "full_screen"


def test_a_slide_goes_just_after_the_open_protocol_and_first_in_the_lobby():
    agenda = (AgendaItem(1, LIBRARY["goal-setting"]), AgendaItem(2, LIBRARY["plc-cycle"]))
    lobby = Session(1, "ABCDEF", "Day", "", (), agenda)
    slide = slide_protocol("Welcome.pdf")
    assert slide.steps[0].title == "Welcome" and not slide.steps[0].answerable
    assert [item.protocol.id for item in with_slide(lobby, slide).agenda] == ["slide", "goal-setting", "plc-cycle"]
    on_first = Session(1, "ABCDEF", "Day", "", (), agenda, position=0)
    moved = with_slide(on_first, slide, answered=[5])
    assert [item.protocol.id for item in moved.agenda] == ["goal-setting", "slide", "plc-cycle"]
    assert moved.agenda[1].uid == 6 and moved.position == 0  # a new item never takes an answered item's number
    assert protocol_from_dict(protocol_to_dict(slide)).steps[0].kind.value == "none"  # kept as any agenda is


def test_slides_added_one_by_one_keep_their_order_after_the_open_protocol_and_in_the_lobby():
    agenda = (AgendaItem(1, LIBRARY["goal-setting"]), AgendaItem(2, LIBRARY["plc-cycle"]))
    slides = ["slide", "slide", "slide"]
    on_first = Session(1, "ABCDEF", "Day", "", (), agenda, position=0)
    lobby = Session(1, "ABCDEF", "Day", "", (), agenda)
    for session, expected in ((on_first, ["goal-setting", *slides, "plc-cycle"]),
                              (lobby, [*slides, "goal-setting", "plc-cycle"])):  # fmt: skip
        for number in (1, 2, 3):
            session = with_slide(session, slide_protocol(f"Slide {number}.png"))
        assert [item.protocol.id for item in session.agenda] == expected
        shown = [item.protocol.title for item in session.agenda if item.protocol.id == "slide"]
        assert shown == ["Slide 1", "Slide 2", "Slide 3"]


# Over HTTP, with real files.


@pytest.fixture
def room(client, create_session, sio) -> dict[str, Any]:
    """A PLC cycle session on its first step (the protocol's own image), a console, a projector and a phone."""
    created = create_session(agenda=["plc-cycle", "goal-setting"])
    console = sio("/facilitator", code=created["code"], key=created["facilitator_key"])
    projector = sio("/projector", code=created["code"])
    phone = sio("/participant", code=created["code"], name="Ana")
    token = events(phone, "welcome", "/participant")[0]["token"]
    assert call(console, "next", "/facilitator", {"from": None})["ok"]
    seen = {  # each screen's view of the step: what every test receives after it is its own
        "opened": last(events(phone, "step", "/participant")),
        "projected": last(events(projector, "state", "/projector")),
        "console_state": last(events(console, "state", "/facilitator")),
    }
    return {**created, **seen, "console": console, "projector": projector, "phone": phone, "token": token,
            "key": {KEY: created["facilitator_key"]}}  # fmt: skip


def send(client, room: dict[str, Any], data: bytes, name: str, step_id: str | None = None, **extra: Any) -> Any:
    form = {"file": (io.BytesIO(data), name), **({"step_id": step_id} if step_id else {}), **extra}
    return client.post(f"/api/sessions/{room['code']}/media", data=form, headers=room["key"])


def last(client_events: list[Any]) -> Any:
    assert client_events, "nothing was received"
    return client_events[-1]


def test_the_protocol_s_image_reaches_every_screen_and_opens_with_each_one_s_credential(client, room, app):
    phone_state = room["opened"]
    assert phone_state["media"] == {"step": "1:know", "source": "protocol", "kind": "image",
                                    "title": "plc-cycle.png", "pages": 1, "page": 1, "version": 0,
                                    "missing": False, "on_projector": "full_screen"}  # fmt: skip
    assert room["projected"]["media"]["step"] == "1:know"
    assert room["console_state"]["media"]["1:know"]["source"] == "protocol"
    for url in (f"/p/{room['token']}/media/1:know/pages/1", f"/projector/{room['code']}/media/1:know/pages/1"):
        page = client.get(url)  # a PNG without transparency, kept as a JPEG as any photo is
        assert page.status_code == 200 and page.headers["Content-Type"] == "image/jpeg", url
        assert page.headers["X-Content-Type-Options"] == "nosniff"
    thumb = client.get(f"/api/sessions/{room['code']}/media/1:know/pages/1?size=thumb", headers=room["key"])
    assert thumb.status_code == 200 and thumb.headers["Content-Type"] == "image/jpeg"
    assert list((Path(app.config["DATA_DIR"]) / LIBRARY_FOLDER).glob("*.json"))  # made into pages once, kept
    # A page past the last, another session's projector, a step not open, no key: refused, clearly.
    assert client.get(f"/p/{room['token']}/media/1:know/pages/2").get_json()["code"] == "unknown_media"
    assert client.get(f"/projector/{room['code']}/media/2:system-goal/pages/1").status_code == 404
    assert client.get("/p/not-a-token/media/1:know/pages/1").status_code == 404
    assert client.get(f"/api/sessions/{room['code']}/media/1:know/pages/1").status_code == 401


def test_an_uploaded_pdf_replaces_the_image_and_the_console_turns_its_pages_for_everyone(client, room):
    sent = send(client, room, pdf(3), "Norms and goals.pdf")
    assert sent.status_code == 201, sent.get_json()
    media = sent.get_json()["media"]
    assert (media["source"], media["kind"], media["pages"], media["title"]) == (
        "upload",
        "pdf",
        3,
        "Norms and goals.pdf",
    )
    assert last(events(room["phone"], "step", "/participant"))["media"]["version"] == media["version"]
    page = client.get(f"/projector/{room['code']}/media/1:know/pages/3")
    assert page.status_code == 200 and page.headers["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(page.data)) as image:
        assert image.format == "JPEG"
    assert call(room["console"], "media_page", "/facilitator", {"page": 3}) == {"ok": True, "page": 3}
    assert last(events(room["phone"], "step", "/participant"))["media"]["page"] == 3
    assert last(events(room["projector"], "state", "/projector"))["media"]["page"] == 3
    refused = call(room["console"], "media_page", "/facilitator", {"page": 4})
    assert refused["ok"] is False and refused["code"] == "bad_value"


@pytest.mark.parametrize(
    ("data", "name", "status", "code"),
    [
        (photo(), "slides.pdf", 400, "file_mismatch"),  # a photo lying that it is a PDF
        (pdf(2), "diagram.png", 400, "file_mismatch"),  # a PDF lying that it is a photo
        (b"MZ\x90\x00 an executable", "slides.jpg", 400, "bad_file"),
        (b"%PDF-1.4\n1 0 obj <<>> endobj\n", "cut.pdf", 400, "bad_file"),  # a PDF cut short
        (pdf(MAX_MEDIA_PAGES + 1), "whole-day.pdf", 413, "too_many_pages"),
    ],
    ids=["photo-named-pdf", "pdf-named-photo", "executable", "cut-pdf", "too-many-pages"],
)  # fmt: skip
def test_a_refused_upload_keeps_nothing_and_the_step_shows_what_it_did(client, room, app, data, name, status, code):
    before = room["console_state"]["media"]
    refused = send(client, room, data, name)
    assert (refused.status_code, refused.get_json()["code"]) == (status, code)
    folder = Path(app.config["DATA_DIR"]) / "media"
    assert not folder.exists() or list(folder.iterdir()) == []
    assert events(room["phone"], "step", "/participant") == []  # nobody was told anything changed
    assert before["1:know"]["source"] == "protocol"


def test_a_file_over_the_operator_s_limit_is_refused_before_it_is_read(client, room, app):
    app.config["EVIDENCE_FILE_MB"] = 0.05
    refused = send(client, room, photo((3000, 3000)) + b"\0" * 80_000, "big.jpg")
    assert (refused.status_code, refused.get_json()["code"]) == (413, "too_large")


def test_the_console_puts_media_on_a_step_ahead_that_phones_cannot_open_until_it_opens(client, room):
    sent = send(client, room, photo(), "Exit tickets.jpg", step_id="2:system-goal")
    assert sent.status_code == 201 and sent.get_json()["step_id"] == "2:system-goal"
    assert events(room["phone"], "step", "/participant") == []  # the room is not on that step
    assert "2:system-goal" in last(events(room["console"], "state", "/facilitator"))["media"]
    assert client.get(f"/p/{room['token']}/media/2:system-goal/pages/1").get_json()["code"] == "unknown_media"
    preview = client.get(f"/api/sessions/{room['code']}/media/2:system-goal/pages/1", headers=room["key"])
    assert preview.status_code == 200
    unknown = send(client, room, photo(), "x.jpg", step_id="9:nowhere")
    assert (unknown.status_code, unknown.get_json()["code"]) == (400, "unknown_step")


def test_taking_media_off_hides_the_protocol_s_own_and_deletes_an_upload_s_bytes(client, room, app):
    folder = Path(app.config["DATA_DIR"]) / "media"
    assert send(client, room, pdf(2), "deck.pdf").status_code == 201
    assert len(list(folder.iterdir())) == 4  # two pages, each with its small picture
    off = client.delete(f"/api/sessions/{room['code']}/media/1:know", headers=room["key"])
    assert off.get_json() == {"ok": True, "step_id": "1:know"}
    assert list(folder.iterdir()) == []
    assert last(events(room["phone"], "step", "/participant"))["media"] is None  # not the protocol's either
    assert client.get(f"/p/{room['token']}/media/1:know/pages/1").status_code == 404


def test_a_slide_added_from_the_console_comes_next_with_only_its_media(client, room):
    form = {"file": (io.BytesIO(pdf(2)), "Break.pdf"), "title": "Coffee break"}
    added = client.post(f"/api/sessions/{room['code']}/media/slides", data=form, headers=room["key"])
    assert added.status_code == 201, added.get_json()
    step_id = added.get_json()["step_id"]
    agenda = last(events(room["console"], "state", "/facilitator"))["agenda"]
    after_plc = [step["id"] for step in agenda].index("1:commitment") + 1  # the PLC cycle's last step, then the slide
    assert agenda[after_plc]["id"] == step_id and agenda[after_plc]["title"] == "Coffee break"
    assert agenda[after_plc]["kind"] == "none"
    assert call(room["console"], "goto", "/facilitator", {"step_id": step_id})["ok"]
    shown = last(events(room["phone"], "state", "/participant") + events(room["phone"], "step", "/participant"))
    assert shown["media"]["pages"] == 2 and shown["may_answer"] is False


def test_deleting_a_session_deletes_its_media_but_not_the_library_s_pages(client, room, app):
    data = Path(app.config["DATA_DIR"])
    assert send(client, room, pdf(2), "deck.pdf", step_id="2:system-goal").status_code == 201
    assert client.get(f"/projector/{room['code']}/media/1:know/pages/1").status_code == 200
    assert len(list((data / "media").iterdir())) == 4
    from tests.support.admin import admin_headers

    assert client.delete(f"/api/sessions/{room['code']}", headers=admin_headers()).status_code == 204
    assert list((data / "media").iterdir()) == []
    assert list((data / LIBRARY_FOLDER).glob("*.json"))  # the library's own, for every session that shows it
    rows = sqlite3.connect(app.extensions["pathways.store"].path).execute("SELECT count(*) FROM step_media")
    assert rows.fetchone() == (0,)


def test_a_console_turning_a_page_on_a_step_without_media_is_told_so(client, room):
    assert call(room["console"], "next", "/facilitator", {"from": "1:know"})["ok"]  # a step with no media
    refused = call(room["console"], "media_page", "/facilitator", {"page": 1})
    assert (refused["ok"], refused["code"]) == (False, "unknown_media")


def test_a_console_move_made_while_a_slide_s_pages_are_written_is_kept(client, room, app, monkeypatch):
    """The slide is added to the agenda as it stands once its pages are made and written (the slow part), so the
    console's move meanwhile is not undone by an agenda read before it."""
    from facilitator.usecases import media as media_usecase

    moved = []

    def write_pages_while_the_console_moves(*args: Any) -> Any:
        moved.append(call(room["console"], "next", "/facilitator", {"from": "1:know"}))
        return write_pages(*args)

    write_pages = media_usecase.write_pages
    monkeypatch.setattr(media_usecase, "write_pages", write_pages_while_the_console_moves)
    form = {"file": (io.BytesIO(pdf(2)), "Break.pdf"), "title": "Coffee break"}
    added = client.post(f"/api/sessions/{room['code']}/media/slides", data=form, headers=room["key"])
    assert added.status_code == 201, added.get_json()
    assert moved and moved[0]["ok"] and moved[0]["step_id"] == "1:evidence"
    state = last(events(room["console"], "state", "/facilitator"))
    assert state["step"]["id"] == "1:evidence"  # the move stands, as kept for a restart
    assert app.extensions["pathways.store"].session_by_code(room["code"]).current.key == "1:evidence"
    agenda = [step["id"] for step in state["agenda"]]
    assert agenda[agenda.index("1:commitment") + 1] == added.get_json()["step_id"]  # and the slide is in


def test_a_slide_whose_media_cannot_be_kept_leaves_neither_the_agenda_nor_its_pages(client, room, app, monkeypatch):
    store = app.extensions["pathways.store"]
    agenda = [item.uid for item in store.session_by_code(room["code"]).agenda]

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OSError("the database went away")

    monkeypatch.setattr(type(store), "put_step_media", broken)
    form = {"file": (io.BytesIO(pdf(2)), "Break.pdf")}
    with pytest.raises(OSError):
        client.post(f"/api/sessions/{room['code']}/media/slides", data=form, headers=room["key"])
    assert [item.uid for item in store.session_by_code(room["code"]).agenda] == agenda
    assert not list((Path(app.config["DATA_DIR"]) / "media").glob("*"))
