"""A protocol uploaded as a zip with its media: the archive's checks (paths that leave it, too many entries, too
much unpacked, an entry lying about its size, files of other kinds, no or two ``.toml``), a step's media path the
zip lacks, and over HTTP a file that is not what its name says, with nothing kept of a refused zip."""

import io
import os
import struct
import zipfile
from pathlib import Path

import pytest

from facilitator.usecases.media import folder
from protocols.errors import DomainError
from protocols.loader import load_protocol_text
from protocols.protocol_bundle import MAX_ENTRIES, media_files, read_bundle
from tests.support.admin import admin_headers
from tests.test_artifacts import pdf, photo  # the same real files student work is tested with

MB = 1024 * 1024
KEY = "X-Facilitator-Key"


def protocol_text(*media: str) -> str:
    """A protocol whose steps show ``media``, one step each (a step without: an empty string)."""
    steps = "".join(
        f'[[steps]]\nid = "s{number}"\ntitle = "Step {number}"\nprompt = "Look."\nkind = "none"\nvisibility = "room"\n'
        + (f'media = "{path}"\n' if path else "")
        for number, path in enumerate(media, start=1)
    )
    return f'id = "cycle"\ntitle = "Our inquiry cycle"\npurpose = "See the cycle."\n{steps}'


def zipped(files: dict[str, bytes | str], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def refused(data: bytes, most: int = 10 * MB) -> DomainError:
    with pytest.raises(DomainError) as caught:
        read_bundle(data, most)
    return caught.value


# The archive's own checks.


def test_a_zip_of_a_folder_reads_its_protocol_and_the_media_beside_it():
    data = zipped({"cycle/": b"", "cycle/cycle.toml": protocol_text("media/cycle.png", ""),
                   "cycle/media/cycle.png": photo(gps=False), "__MACOSX/cycle/._cycle.toml": b"\x00\x05"})  # fmt: skip
    bundle = read_bundle(data, 10 * MB)
    assert bundle.toml_name == "cycle/cycle.toml" and set(bundle.media) == {"media/cycle.png"}
    protocol = load_protocol_text(bundle.toml, bundle.toml_name)
    assert media_files(bundle, protocol) == {"media/cycle.png": photo(gps=False)}


@pytest.mark.parametrize("name", ["../evil.png", "media/../../evil.png", "/etc/cycle.png", "C:/cycle.png",
                                  "media\\cycle.png", "./cycle.png"])  # fmt: skip
def test_a_path_that_could_leave_the_archive_is_refused(name):
    error = refused(zipped({"cycle.toml": protocol_text(), name: photo(gps=False)}))
    assert error.code == "bad_archive" and "points outside it" in error.message and repr(name) in error.message


def test_more_entries_than_a_protocol_needs_are_refused_before_any_is_read():
    files: dict[str, bytes | str] = {f"media/{number}.png": b"x" for number in range(MAX_ENTRIES)}
    error = refused(zipped({"cycle.toml": protocol_text(), **files}))
    assert error.code == "bad_archive" and f"at most {MAX_ENTRIES}" in error.message


def test_a_zip_that_unpacks_past_the_upload_limit_is_refused_naming_the_limit():
    data = zipped({"cycle.toml": protocol_text("deck.pdf"), "deck.pdf": b"%PDF-" + b"0" * (3 * MB)})
    assert len(data) < 100_000  # small to send: it is what it unpacks to that counts
    error = refused(data, most=2 * MB)
    assert error.code == "too_large" and "at most 2 MB" in error.message and "3 MB unpacked" in error.message


def test_an_entry_unpacking_to_more_than_it_declares_is_refused_when_read():
    """A zip bomb says it is small: its read stops at what it declares, and its checksum then refuses it."""
    data = bytearray(zipped({"cycle.toml": protocol_text("deck.pdf"), "deck.pdf": b"%PDF-" + b"0" * MB}))
    entry = data.rindex(b"PK\x01\x02")  # the central directory's record of the last entry, deck.pdf
    struct.pack_into("<I", data, entry + 24, 100)  # its uncompressed size, said to be 100 bytes
    local = data.rindex(b"PK\x03\x04")
    struct.pack_into("<I", data, local + 22, 100)
    bundle = read_bundle(bytes(data), 10 * MB)  # the declared sizes pass
    with pytest.raises(DomainError) as caught:
        media_files(bundle, load_protocol_text(bundle.toml))
    assert caught.value.code == "bad_archive" and "'deck.pdf' in the zip is damaged" in caught.value.message


@pytest.mark.parametrize("name", ["notes.docx", "media/run.sh", "slides.zip", "README"])
def test_a_file_neither_the_protocol_nor_an_image_or_pdf_is_refused(name):
    error = refused(zipped({"cycle.toml": protocol_text(), name: b"x"}))
    assert error.code == "bad_archive" and repr(name) in error.message and "neither the protocol file" in error.message


def test_a_zip_without_a_protocol_file_or_with_two_is_refused():
    none = refused(zipped({"media/cycle.png": photo(gps=False)}))
    assert none.code == "bad_archive" and "no protocol file" in none.message
    two = refused(zipped({"a.toml": protocol_text(), "b/b.toml": protocol_text()}))
    assert two.code == "bad_archive" and "2 protocol files" in two.message and "'b/b.toml'" in two.message


def test_a_file_that_is_not_a_zip_or_holds_a_protocol_that_is_not_text_is_refused():
    assert refused(b"id = 'cycle'\n").code == "bad_archive"
    assert refused(pdf(1)).code == "bad_archive"
    error = refused(zipped({"cycle.toml": b"\xff\xfe\x00bad"}))
    assert error.code == "bad_protocol" and "cycle.toml: cannot be read" in error.message


def test_a_step_naming_a_file_the_zip_lacks_is_refused_naming_each_path_one_a_line():
    data = zipped({"cycle/cycle.toml": protocol_text("media/cycle.png", "media/deck.pdf", "intro.png"),
                   "cycle/media/cycle.png": photo(gps=False), "intro.png": photo(gps=False)})  # fmt: skip
    bundle = read_bundle(data, 10 * MB)
    with pytest.raises(DomainError) as caught:
        media_files(bundle, load_protocol_text(bundle.toml, bundle.toml_name))
    lines = caught.value.message.splitlines()
    assert caught.value.code == "bad_protocol"
    assert lines == [
        "cycle/cycle.toml: steps[1].media: there is no file 'media/deck.pdf' in the zip beside the protocol file",
        "cycle/cycle.toml: steps[2].media: there is no file 'intro.png' in the zip beside the protocol file",
    ]  # intro.png is in the zip, but not beside the protocol file


# Over HTTP: the same loader's errors, each file checked by its content, and nothing kept of a refused zip.


def upload(client, created, data: bytes, name: str = "cycle.zip", key: str | None = None):
    headers = {KEY: key or created["facilitator_key"]}
    body = {"file": (io.BytesIO(data), name)}
    return client.post(f"/api/sessions/{created['code']}/agenda/protocol", data=body, headers=headers)


def kept_files(app) -> list[Path]:
    """Every file in the data folder's ``media/``, where uploads' pages are kept."""
    root = folder(app.config["DATA_DIR"]).path
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def agenda_of(client, created) -> list[str]:
    session = client.get(f"/api/sessions/{created['code']}", headers=admin_headers()).get_json()
    return [item["protocol"] for item in session["agenda"]]


@pytest.mark.parametrize(
    ("files", "code", "said"),
    [
        ({"cycle.toml": protocol_text("media/cycle.png"), "media/cycle.png": pdf(1)}, "file_mismatch",
         "'media/cycle.png' in the zip: This file is named as a photo but is a PDF"),
        ({"cycle.toml": protocol_text("deck.pdf"), "deck.pdf": photo(gps=False)}, "file_mismatch",
         "'deck.pdf' in the zip: This file is named as a PDF but is a photo"),
        ({"cycle.toml": protocol_text("a.png", "b.png"), "a.png": photo(gps=False), "b.png": b"not a picture"},
         "bad_file", "'b.png' in the zip:"),
        ({"cycle.toml": protocol_text("deck.pdf"), "deck.pdf": pdf(41)}, "too_many_pages", "41 pages"),
        ({"cycle.toml": 'id = "cycle"\ntitle = "T"\n', "a.png": photo(gps=False)}, "bad_protocol", "cycle.toml: "),
    ],
)  # fmt: skip
def test_a_zip_refused_by_its_contents_keeps_nothing(app, client, create_session, files, code, said):
    created = create_session(agenda=["plc-cycle"])
    before = agenda_of(client, created)
    response = upload(client, created, zipped(files))
    assert response.status_code in (400, 413) and response.get_json()["code"] == code, response.get_json()
    assert said in response.get_json()["error"]
    assert agenda_of(client, created) == before and kept_files(app) == []


def test_a_zip_is_added_with_its_media_and_a_wrong_key_changes_nothing(app, client, create_session):
    created = create_session(agenda=["plc-cycle"])
    data = zipped({"cycle.toml": protocol_text("media/cycle.png", "", "deck.pdf"),
                   "media/cycle.png": photo(gps=False), "deck.pdf": pdf(2)})  # fmt: skip
    assert upload(client, created, data, key="not-the-key").status_code == 403
    assert kept_files(app) == []
    response = upload(client, created, data)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["title"] == "Our inquiry cycle" and body["media_steps"] == [f"{body['item']}:s1", f"{body['item']}:s3"]
    assert agenda_of(client, created)[-1] == "cycle"
    assert len(kept_files(app)) == 2 * (1 + 2)  # each page and its small picture
    headers = {KEY: created["facilitator_key"]}
    page = client.get(f"/api/sessions/{created['code']}/media/{body['item']}:s3/pages/2", headers=headers)
    assert page.status_code == 200 and page.headers["Content-Type"] == "image/jpeg"


def test_a_zip_over_the_upload_limit_or_unpacking_past_it_is_refused_naming_it(app, client, create_session):
    app.config["EVIDENCE_FILE_MB"] = 1
    created = create_session(agenda=["plc-cycle"])
    heavy = zipped({"cycle.toml": protocol_text(), "big.pdf": os.urandom(2 * MB)}, zipfile.ZIP_STORED)
    response = upload(client, created, heavy)
    assert response.status_code == 413 and response.get_json()["code"] == "too_large"
    assert "over 1 MB" in response.get_json()["error"]
    light = zipped({"cycle.toml": protocol_text(), "big.pdf": b"%PDF-" + b"0" * (2 * MB)})
    response = upload(client, created, light)
    assert response.status_code == 413 and response.get_json()["code"] == "too_large"
    assert "at most 1 MB are allowed in all" in response.get_json()["error"]
    assert agenda_of(client, created) == ["plc-cycle"] and kept_files(app) == []


def test_a_zip_the_agenda_has_no_room_for_keeps_none_of_the_pages_it_wrote(app, client, create_session):
    """The agenda is read after the files are made into pages and written: its refusal takes them back."""
    created = create_session(agenda=["three-two-one"] * 30)
    data = zipped({"cycle.toml": protocol_text("deck.pdf"), "deck.pdf": pdf(2)})
    response = upload(client, created, data)
    assert response.status_code == 400 and response.get_json()["code"] == "agenda_too_long", response.get_json()
    assert agenda_of(client, created) == ["three-two-one"] * 30 and kept_files(app) == []
    assert folder(app.config["DATA_DIR"]).path.exists()  # the pages were written, then taken back
