"""Student work shown on a step: who may put it up, who is shown it, a PDF made into pages, the store on SQLite and
PostgreSQL, and the routes refusing whoever it is not for."""

import io
import stat
import threading
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from reportlab.pdfgen import canvas

from facilitator.live import artifacts as live_artifacts
from facilitator.store.artifacts import ARTIFACTS_FOLDER
from protocols.artifact_pages import THUMB_SIDE, pages_of
from protocols.artifacts import (
    MAX_PAGES,
    Artifact,
    Page,
    Slot,
    phone_may_open,
    presenter_slot,
    presenting_role,
    projector_may_open,
    room_slot,
    room_view,
    table_view,
)
from protocols.errors import DomainError
from protocols.evidence import LONGEST_SIDE, Kind
from protocols.groups import Seating
from protocols.loader import ProtocolFileError, load_library, load_protocol_text, protocol_from_dict, protocol_to_dict
from protocols.session import AgendaItem, Session
from tests.support.sockets import call, events

GPS_IFD = 0x8825
LIBRARY = load_library()
PRESENTERS = {"tuning": "presenter", "consultancy": "presenter", "atlas-student-work": "presenting-teacher"}


def photo(size: tuple[int, int] = (2400, 1800), *, gps: bool = True) -> bytes:
    image = Image.new("RGB", size, (240, 236, 220))
    exif = Image.Exif()
    if gps:
        exif.get_ifd(GPS_IFD).update({1: "N", 2: (51.0, 30.0, 12.5), 3: "W", 4: (0.0, 7.0, 39.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def pdf(pages: int) -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    for number in range(1, pages + 1):
        page.setFont("Helvetica", 28)
        page.drawString(72, 720, f"Student essay, page {number}")
        page.showPage()
    page.save()
    return out.getvalue()


def running(protocol_id: str, position: int = 0, rounds: int = 1) -> Session:
    return Session(1, "ABCDEF", "Day", "", (), (AgendaItem(7, LIBRARY[protocol_id], rounds),), position=position)


# The protocol files: which role presents.


def test_the_library_names_the_role_that_presents_where_a_protocol_has_a_presenter():
    found = {pid: presenting_role(protocol).id for pid, protocol in LIBRARY.items() if presenting_role(protocol)}
    assert found == PRESENTERS  # ATLAS: Looking at Data has no presenter: the facilitator puts the data up


def test_presents_survives_the_round_trip_a_session_s_agenda_takes():
    again = protocol_from_dict(protocol_to_dict(LIBRARY["tuning"]))
    assert presenting_role(again).id == "presenter"


@pytest.mark.parametrize(
    ("roles", "problem"),
    [
        ('[[roles]]\nid = "a"\ntitle = "A"\npresents = true\nrest = true\n', "roles[0].presents"),
        ('[[roles]]\nid = "a"\ntitle = "A"\npresents = true\n[[roles]]\nid = "b"\ntitle = "B"\npresents = true\n',
         "only one role presents"),
        ('[[roles]]\nid = "a"\ntitle = "A"\npresents = "yes"\n', "roles[0].presents: must be true or false"),
    ],
)  # fmt: skip
def test_a_protocol_file_says_clearly_what_is_wrong_with_its_presenter(roles, problem):
    text = f'id = "x"\ntitle = "X"\npurpose = "P"\n[grouping]\nsize = 4\nmin = 4\nmax = 6\n{roles}'
    text += '[[steps]]\nid = "s"\ntitle = "S"\nprompt = "P"\nkind = "none"\nvisibility = "room"\n'
    with pytest.raises(ProtocolFileError) as refused:
        load_protocol_text(text)
    assert problem in str(refused.value)


# Who may put work up, and who is shown it.


def test_only_the_member_presenting_in_the_open_round_puts_up_their_table_s_work():
    seating = Seating({1: (11, 12, 13, 14), 2: (21, 22, 23, 24)})
    first = running("atlas-student-work")
    assert presenter_slot(first, seating, 11) == Slot(7, 1, 1)
    assert presenter_slot(first, seating, 21) == Slot(7, 1, 2)
    for someone in (12, 24, 99):  # another role, the facilitator of table 2, someone at no table
        with pytest.raises(DomainError) as refused:
            presenter_slot(first, seating, someone)
        assert refused.value.code == "not_presenter"
    steps_a_round = len(LIBRARY["atlas-student-work"].steps)
    second_round = running("atlas-student-work", position=steps_a_round + 1, rounds=2)
    assert presenter_slot(second_round, seating, 12) == Slot(7, 2, 1)  # the role moved on one seat
    with pytest.raises(DomainError) as refused:
        presenter_slot(second_round, seating, 11)
    assert refused.value.code == "not_presenter"


def test_a_protocol_without_a_presenter_and_the_lobby_refuse_clearly():
    seating = Seating({1: (1, 2, 3, 4)})
    with pytest.raises(DomainError) as refused:
        presenter_slot(running("atlas-data"), seating, 1)
    assert refused.value.code == "not_presenter"
    for where in (running("tuning", position=-1), running("tuning", position=99)):
        with pytest.raises(DomainError) as refused:
            room_slot(where)
        assert refused.value.code == "no_step"
    assert room_slot(running("one-two-four-all", position=2)) == Slot(7, 1, None)  # any protocol, for the room


def _artifact(table: int | None, uploader: int | None = None, session_id: int = 1) -> Artifact:
    pages = (Page("a.jpg", "a-thumb.jpg"),)
    return Artifact(5 if table is None else 50 + table, session_id, Slot(7, 1, table), uploader, Kind.IMAGE, "work",
                    pages, 10, 0.0)  # fmt: skip


def test_a_table_s_work_stays_at_its_table_and_the_room_s_reaches_everyone():
    seating = Seating({1: (11, 12), 2: (21, 22)})
    room, table_one = _artifact(None), _artifact(1, uploader=11)
    assert all(phone_may_open(room, 1, seating, someone, (7, 1)) for someone in (11, 21, 99))
    assert [phone_may_open(table_one, 1, seating, someone, (7, 1)) for someone in (11, 12, 21, 99)] == [1, 1, 0, 0]
    assert not phone_may_open(room, 2, seating, 11, (7, 1)), "another session's phone"
    later = [phone_may_open(table_one, 1, seating, someone, (7, 2)) for someone in (11, 12)]
    assert later == [True, False], "once its round is over, a table's work opens for its uploader alone"
    assert projector_may_open(room, 1) and not projector_may_open(table_one, 1) and not projector_may_open(room, 2)
    assert room_view([table_one, room])["id"] == room.id
    assert room_view([table_one]) is None, "the projector and the room's step never carry a table's"
    assert table_view([room, table_one], seating, 11)["mine"] is True
    assert table_view([room, table_one], seating, 12) == {**table_view([room, table_one], seating, 11), "mine": False}
    assert table_view([room, table_one], seating, 21) is None
    assert table_view([room, table_one], Seating({2: (11,)}), 11) is None, "moved away: the work stays at table 1"


# Made into pages.


def test_a_photo_is_one_page_without_its_metadata_and_a_small_picture_of_it():
    made = pages_of(photo(), "IMG_0042.JPG", "image/jpeg", MAX_PAGES)
    assert made.kind is Kind.IMAGE and made.title == "IMG_0042.JPG" and len(made.pages) == 1
    with Image.open(io.BytesIO(made.pages[0].image)) as page:
        assert max(page.size) == LONGEST_SIDE and not page.getexif()
    with Image.open(io.BytesIO(made.pages[0].thumb)) as thumb:
        assert thumb.format == "JPEG" and max(thumb.size) == THUMB_SIDE


def test_a_pdf_becomes_one_jpeg_per_page_and_one_of_too_many_pages_is_refused():
    made = pages_of(pdf(2), "essays.pdf", "application/pdf", MAX_PAGES)
    assert made.kind is Kind.PDF and len(made.pages) == 2
    for rendered in made.pages:
        with Image.open(io.BytesIO(rendered.image)) as page:
            assert page.format == "JPEG" and max(page.size) == LONGEST_SIDE
            assert page.getpixel((10, 10)) == (255, 255, 255)  # a white page, drawn
            assert page.convert("L").getextrema()[0] < 100  # with the text on it
    with pytest.raises(DomainError) as refused:
        pages_of(pdf(MAX_PAGES + 1), "workbook.pdf", "application/pdf", MAX_PAGES)
    assert refused.value.code == "too_many_pages" and f"at most {MAX_PAGES}" in refused.value.message


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [(b"%PDF-1.4 broken", "work.pdf", "bad_file"), (b"not a picture", "work.jpg", "bad_file"),
     (None, "work.pdf", "file_mismatch")],
)  # fmt: skip
def test_what_is_not_student_work_is_refused_as_an_evidence_file_is(data, name, code):
    with pytest.raises(DomainError) as refused:
        pages_of(data or photo(gps=False), name, "", MAX_PAGES)
    assert refused.value.code == code


# The store, on SQLite and PostgreSQL.


def test_the_store_keeps_one_artifact_a_slot_and_forgets_by_uploader_or_session(store):
    first = store.create_session("Day", "", [("Goal", "")], [AgendaItem(1, LIBRARY["tuning"])])
    other = store.create_session("Other", "", [("Goal", "")], [AgendaItem(1, LIBRARY["tuning"])])
    session_id = first[0].id

    def put(table: int | None, uploader: int | None, name: str, session: int = session_id) -> tuple[Artifact, list]:
        pages = [Page(f"{name}-1.jpg", f"{name}-1t.jpg"), Page(f"{name}-2.jpg", f"{name}-2t.jpg")]
        return store.put_artifact(session, Slot(1, 1, table), participant_id=uploader, kind=Kind.PDF, title=name,
                                  pages=pages, size=100)  # fmt: skip

    room, _ = put(None, None, "room")
    table, replaced = put(2, 17, "table")
    assert replaced == []
    again, replaced = put(2, 17, "again")
    assert replaced == ["table-1.jpg", "table-1t.jpg", "table-2.jpg", "table-2t.jpg"]
    assert store.artifact(table.id) is None
    assert [a.id for a in store.round_artifacts(session_id, 1, 1)] == [room.id, again.id]  # the room's first
    assert store.round_artifacts(session_id, 1, 2) == []
    assert store.artifact(again.id) == again
    store.show_artifact_page(room, 2)
    assert store.artifact(room.id).shown_page == 2
    assert [a.id for a in store.artifacts_uploaded_by([17])] == [again.id]
    elsewhere, _ = put(None, None, "elsewhere", session=other[0].id)
    assert store.forget_artifacts(uploaders=[17]) == again.stored_names
    assert store.forget_artifacts(session_id=session_id) == room.stored_names
    assert store.round_artifacts(session_id, 1, 1) == [] and store.artifact(elsewhere.id) == elsewhere


def test_two_uploads_to_one_slot_at_once_keep_one_and_the_other_s_pages_are_named_for_deletion(store):
    """Under PostgreSQL's default isolation, two deletes-then-inserts at once could both be kept: the slot's row
    would be doubled and one upload's pages never deleted. One is kept; every other page is given back to delete."""
    made, _ = store.create_session("Day", "", [("Goal", "")], [AgendaItem(1, LIBRARY["tuning"])])
    kept_names: list[list[str]] = []
    start = threading.Barrier(8)

    def put(n: int) -> None:
        pages = [Page(f"u{n}.jpg", f"u{n}t.jpg")]
        start.wait()
        _, replaced = store.put_artifact(made.id, Slot(1, 1, 2), participant_id=None, kind=Kind.IMAGE,
                                         title=f"u{n}", pages=pages, size=1)  # fmt: skip
        kept_names.append(replaced)

    threads = [threading.Thread(target=put, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    (left,) = store.round_artifacts(made.id, 1, 1)
    given_back = sorted(name for names in kept_names for name in names)
    every = sorted(name for n in range(8) for name in (f"u{n}.jpg", f"u{n}t.jpg"))
    assert sorted([*given_back, *left.stored_names]) == every


# The routes, with the app's test clients.


@pytest.fixture
def room(app, client, sio, create_session) -> dict[str, Any]:
    """An ATLAS round with two tables of three; the console on its first step; who holds which role."""
    created = create_session(agenda=[{"id": "atlas-student-work", "rounds": 2}])
    console = sio("/facilitator", code=created["code"], key=created["facilitator_key"])
    phones = {}
    for name in ("Ana", "Ben", "Cy", "Dee", "Eli", "Fay"):
        phone = sio("/participant", code=created["code"], name=name)
        welcome = events(phone, "welcome", "/participant")[0]
        phones[welcome["participant_id"]] = {"name": name, "token": welcome["token"], "client": phone}
    assert call(console, "form_groups", "/facilitator", {"size": 3, "confirm": True})["ok"]
    assert call(console, "next", "/facilitator")["ok"]
    state = events(console, "state", "/facilitator")[-1]
    for group in state["groups"]:
        for member in group["members"]:
            phones[member["participant_id"]].update(table=group["number"], role=member["role"]["id"])
    by_role = {(p["table"], p["role"]): p for p in phones.values()}
    key = {"X-Facilitator-Key": created["facilitator_key"]}
    folder = Path(app.config["DATA_DIR"]) / ARTIFACTS_FOLDER
    return {**created, "console": console, "phones": phones, "by_role": by_role, "key": key, "folder": folder}


def upload(client, url: str, data: bytes, name: str, headers: dict | None = None):
    return client.post(url, data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data",
                       headers=headers or {})  # fmt: skip


def test_the_presenter_puts_work_up_for_their_table_and_others_are_refused_clearly(client, room):
    presenter = room["by_role"][(1, "presenting-teacher")]
    made = upload(client, f"/p/{presenter['token']}/artifacts", photo(), "work.jpg")
    assert made.status_code == 201, made.get_json()
    artifact = made.get_json()
    expected = {"scope": "table", "table": 1, "item": 1, "round": 1, "kind": "image", "title": "work.jpg", "pages": 1,
                "page": 1, "by": "presenter", "mine": True}  # fmt: skip
    assert artifact == {"id": artifact["id"], **expected}
    for role in ("facilitator", "participant"):
        refused = upload(client, f"/p/{room['by_role'][(1, role)]['token']}/artifacts", photo(), "work.jpg")
        assert refused.status_code == 403 and refused.get_json()["code"] == "not_presenter"
    page = f"/artifacts/{artifact['id']}/pages/1"
    for member in room["phones"].values():
        opened = client.get(f"/p/{member['token']}{page}")
        if member["table"] == 1:
            assert opened.status_code == 200 and opened.mimetype == "image/jpeg"
            assert opened.headers["X-Content-Type-Options"] == "nosniff"
            assert opened.headers["Cache-Control"] == "private, no-store"
        else:
            assert opened.status_code == 404 and opened.get_json()["code"] == "unknown_artifact"
    assert client.get(f"/projector/{room['code']}{page}").get_json()["code"] == "unknown_artifact"
    assert client.get(f"/api/sessions/{room['code']}{page}?size=thumb", headers=room["key"]).status_code == 200
    files = sorted(room["folder"].iterdir())
    assert len(files) == 2 and all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    assert stat.S_IMODE(room["folder"].stat().st_mode) == 0o700


def test_a_new_upload_replaces_the_table_s_and_only_its_uploader_or_the_facilitator_take_it_down(client, room):
    presenter = room["by_role"][(1, "presenting-teacher")]
    first = upload(client, f"/p/{presenter['token']}/artifacts", photo(), "one.jpg").get_json()
    second = upload(client, f"/p/{presenter['token']}/artifacts", pdf(2), "two.pdf").get_json()
    assert second["pages"] == 2 and len(list(room["folder"].iterdir())) == 4, "the first one's bytes are gone"
    assert client.get(f"/p/{presenter['token']}/artifacts/{first['id']}/pages/1").status_code == 404
    assert client.get(f"/p/{presenter['token']}/artifacts/{second['id']}/pages/3").status_code == 404
    mate = room["by_role"][(1, "participant")]
    refused = client.delete(f"/p/{mate['token']}/artifacts/{second['id']}")
    assert refused.status_code == 404 and refused.get_json()["code"] == "unknown_artifact"
    assert client.delete(f"/p/{presenter['token']}/artifacts/{second['id']}").get_json() == {"ok": True}
    assert list(room["folder"].iterdir()) == []
    again = upload(client, f"/p/{presenter['token']}/artifacts", photo(), "three.jpg").get_json()
    assert (
        client.delete(f"/api/sessions/{room['code']}/artifacts/{again['id']}", headers=room["key"]).status_code == 200
    )
    assert list(room["folder"].iterdir()) == []


def test_the_console_puts_work_up_for_the_room_and_the_projector_turns_its_pages(client, room):
    made = upload(client, f"/api/sessions/{room['code']}/artifacts", pdf(2), "essay.pdf", room["key"])
    assert made.status_code == 201
    artifact = made.get_json()
    assert (artifact["scope"], artifact["table"], artifact["by"], artifact["pages"]) == ("room", None, "facilitator", 2)
    for member in room["phones"].values():
        assert client.get(f"/p/{member['token']}/artifacts/{artifact['id']}/pages/2").status_code == 200
    assert client.get(f"/projector/{room['code']}/artifacts/{artifact['id']}/pages/2").status_code == 200
    assert upload(client, f"/api/sessions/{room['code']}/artifacts", photo(), "w.jpg").status_code == 401
    console = room["console"]
    assert (
        call(console, "artifact_page", "/facilitator", {"artifact_id": artifact["id"], "page": 3})["code"]
        == "bad_value"
    )
    assert call(console, "artifact_page", "/facilitator", {"artifact_id": artifact["id"], "page": 2}) == {
        "ok": True, "page": 2}  # fmt: skip
    assert events(console, "state", "/facilitator")[-1]["artifacts"][0]["page"] == 2


def test_a_file_past_the_operator_s_limit_or_the_lobby_keeps_nothing(app, client, room, create_session):
    app.config["EVIDENCE_FILE_MB"] = 0.05
    refused = upload(client, f"/api/sessions/{room['code']}/artifacts", photo((3000, 3000)) + b"\0" * 60_000, "big.jpg",
                     room["key"])  # fmt: skip
    assert refused.status_code == 413 and refused.get_json()["code"] == "too_large"
    app.config["EVIDENCE_FILE_MB"] = 10
    lobby = create_session()
    refused = upload(client, f"/api/sessions/{lobby['code']}/artifacts", photo(), "w.jpg",
                     {"X-Facilitator-Key": lobby["facilitator_key"]})  # fmt: skip
    assert refused.get_json()["code"] == "no_step"
    assert not room["folder"].exists() or list(room["folder"].iterdir()) == []


def test_my_data_lists_the_work_a_person_shared_and_forget_deletes_it(client, room):
    presenter = room["by_role"][(2, "presenting-teacher")]
    shared = upload(client, f"/p/{presenter['token']}/artifacts", pdf(2), "essays.pdf").get_json()
    listed = client.get(f"/p/{presenter['token']}/my-data.json").get_json()["student_work"]
    assert [(item["id"], item["title"], item["pages"]) for item in listed] == [(shared["id"], "essays.pdf", 2)]
    assert len(list(room["folder"].iterdir())) == 4
    assert client.post(f"/p/{presenter['token']}/forget", data={"confirm": "delete"}).status_code == 200
    assert list(room["folder"].iterdir()) == []


def test_deleting_the_session_deletes_its_student_work(client, room):
    upload(client, f"/api/sessions/{room['code']}/artifacts", photo(), "w.jpg", room["key"])
    presenter = room["by_role"][(1, "presenting-teacher")]
    upload(client, f"/p/{presenter['token']}/artifacts", photo(), "t.jpg")
    assert len(list(room["folder"].iterdir())) == 4
    from tests.support.admin import admin_headers

    assert client.delete(f"/api/sessions/{room['code']}", headers=admin_headers()).status_code in (200, 204)
    assert list(room["folder"].iterdir()) == []


def test_work_announced_after_the_room_moved_on_never_sends_the_screens_back(app, client, room):
    """An upload is made into pages for seconds; the room may move meanwhile. Its announcement is of the room as it
    is then, not as the upload found it: no phone is sent back to the step it left."""
    store = app.extensions["pathways.store"]
    found_by_upload = store.session_by_code(room["code"])
    made = upload(client, f"/api/sessions/{room['code']}/artifacts", photo(), "w.jpg", room["key"]).get_json()
    assert call(room["console"], "next", "/facilitator")["ok"]
    now_open = store.session_by_code(room["code"]).current.key
    assert now_open != found_by_upload.current.key
    phone = next(iter(room["phones"].values()))["client"]
    events(phone, "step", "/participant")
    with app.app_context():
        live_artifacts.announce(found_by_upload, store.artifact(made["id"]))
    sent = events(phone, "step", "/participant")
    assert sent and {message["step"]["id"] for message in sent} == {now_open}
    assert sent[-1]["artifact"]["id"] == made["id"]
