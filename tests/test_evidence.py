"""Evidence files: checked by content, photos kept without their metadata and scaled, refusals that keep nothing."""

import io
import sqlite3
import stat
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from reportlab.pdfgen import canvas

from protocols.coaching.caseload import PersonThread, caseload_row
from protocols.evidence import LONGEST_SIDE, clean_title
from protocols.leaders import PersonRecord
from tests.support.admin import admin_headers
from tests.support.sockets import events

GPS_IFD = 0x8825
SECRET_PLACE = "Camera of a student"


def photo_with_gps(size: tuple[int, int] = (3000, 1500)) -> bytes:
    """A JPEG as a phone makes it: a GPS position and a camera's name in its EXIF."""
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x0110] = SECRET_PLACE  # Model
    exif[0x0112] = 1  # Orientation
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (51.0, 30.0, 12.5), 3: "W", 4: (0.0, 7.0, 39.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def transparent_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (64, 32), (0, 128, 255, 90)).save(out, "PNG")
    return out.getvalue()


def pdf_of(text: str, *, at_least: int = 0) -> bytes:
    """A real PDF holding ``text``, with lines of filler until it has ``at_least`` bytes."""
    out = io.BytesIO()
    page = canvas.Canvas(out, pageCompression=0)
    page.drawString(72, 720, text)
    for line in range(at_least // 75):  # a line of filler takes about 75 bytes of the page's content
        page.drawString(72, 700 - (line % 60) * 10, f"Line {line} of a student's work sample, copied out in full.")
        if line % 60 == 59:
            page.showPage()
    page.save()
    return out.getvalue()


@pytest.fixture
def person(client, sio, create_session, app):
    """A participant's plan token, and what lies in the data folder's evidence/ and its table."""
    created = create_session()
    phone = sio("/participant", code=created["code"], name="Ana")
    token = events(phone, "welcome", "/participant")[0]["token"]
    return token


def upload(client, token: str, content: bytes, name: str, mimetype: str = "application/octet-stream", **form):
    data = {"file": (io.BytesIO(content), name, mimetype), **form}
    return client.post(f"/p/{token}/evidence", data=data, content_type="multipart/form-data")


def kept(app) -> tuple[int, list[Path]]:
    """How many evidence rows the database holds, and the files in the data folder's evidence/."""
    db = sqlite3.connect(app.extensions["pathways.store"].path)
    try:
        rows = db.execute("SELECT count(*) FROM evidence_files").fetchone()[0]
    finally:
        db.close()
    folder = Path(app.config["DATA_DIR"]) / "evidence"
    return rows, sorted(folder.iterdir()) if folder.exists() else []


def test_a_photo_with_gps_exif_comes_back_scaled_with_no_metadata_at_all(app, client, person):
    response = upload(client, person, photo_with_gps(), "IMG_0001.jpg", "image/jpeg")
    assert response.status_code == 201, response.get_json()
    view = response.get_json()
    assert view["kind"] == "image" and view["title"] == "IMG_0001.jpg"
    got = client.get(view["url"])
    assert got.status_code == 200
    assert got.mimetype == "image/jpeg"
    assert got.headers["Content-Disposition"].startswith("attachment")
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    image = Image.open(io.BytesIO(got.data))
    assert image.format == "JPEG"
    assert max(image.size) == LONGEST_SIDE and image.size == (2000, 1000)
    assert not image.getexif() and "exif" not in image.info
    assert b"Exif" not in got.data and SECRET_PLACE.encode() not in got.data
    rows, files = kept(app)
    assert rows == 1 and len(files) == 1
    assert "IMG_0001" not in files[0].name
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert stat.S_IMODE(files[0].parent.stat().st_mode) == 0o700
    assert files[0].read_bytes() == got.data, "the original is not kept"


def test_a_photo_is_turned_upright_by_its_orientation_before_its_exif_goes(client, person):
    image = Image.new("RGB", (400, 100), (10, 200, 10))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to view
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    view = upload(client, person, out.getvalue(), "sideways.jpg", "image/jpeg").get_json()
    assert Image.open(io.BytesIO(client.get(view["url"]).data)).size == (100, 400)


def test_a_png_with_transparency_stays_a_png(client, person):
    response = upload(client, person, transparent_png(), "chart.png", "image/png")
    assert response.status_code == 201, response.get_json()
    got = client.get(response.get_json()["url"])
    assert got.mimetype == "image/png"
    image = Image.open(io.BytesIO(got.data))
    assert image.format == "PNG" and image.mode == "RGBA"
    assert image.getpixel((0, 0))[3] == 90


def test_a_pdf_is_kept_exactly_as_uploaded(client, person):
    pdf = pdf_of("Exit tickets, week 3")
    response = upload(client, person, pdf, "tickets.pdf", "application/pdf")
    assert response.status_code == 201, response.get_json()
    got = client.get(response.get_json()["url"])
    assert got.mimetype == "application/pdf" and got.data == pdf


@pytest.mark.parametrize(
    ("content", "name", "mimetype", "code", "says"),
    [
        (transparent_png(), "work.pdf", "application/pdf", "file_mismatch", "named as a PDF but is a photo"),
        (transparent_png(), "work", "application/pdf", "file_mismatch", "named as a PDF but is a photo"),
        (pdf_of("x"), "photo.jpg", "image/jpeg", "file_mismatch", "named as a photo but is a PDF"),
        (b"Dear families, the trip is on Friday.\n", "work.pdf", "application/pdf", "bad_file", "not one"),
        (pdf_of("x")[:300], "work.pdf", "application/pdf", "bad_file", "damaged or incomplete"),
        (b"%PDF-1.7\nnot really a pdf at all", "work.pdf", "application/pdf", "bad_file", "damaged or incomplete"),
        (b"GIF89a" + b"\x00" * 40, "work.jpg", "image/jpeg", "bad_file", "not a photo"),
        (b"#!/bin/sh\necho hi\n", "run.sh", "text/plain", "bad_file", "not a photo"),
    ],
    ids=[
        "png-named-pdf",
        "png-typed-pdf",
        "pdf-named-jpg",
        "text-named-pdf",
        "truncated-pdf",
        "header-only-pdf",
        "broken-image",
        "script",
    ],
)
def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_is_kept(app, client, person, content, name,
                                                                          mimetype, code, says):  # fmt: skip
    response = upload(client, person, content, name, mimetype)
    assert response.status_code == 400, response.get_json()
    assert response.get_json()["code"] == code
    assert says in response.get_json()["error"]
    assert kept(app) == (0, [])


def test_a_file_over_the_operator_s_limit_is_refused_with_413_and_nothing_is_kept(app, client, person):
    app.config["EVIDENCE_FILE_MB"] = 0.1
    big = pdf_of("x", at_least=200_000)  # 200 KB: over the limit and over the request's room for it
    response = upload(client, person, big, "big.pdf", "application/pdf")
    assert response.status_code == 413
    assert response.get_json()["code"] == "too_large"
    assert "0.1 MB" in response.get_json()["error"]
    assert kept(app) == (0, [])
    just_over = pdf_of("x", at_least=110_000)  # within the request's room, over the file limit
    assert 104_858 < len(just_over) < 104_858 + 64 * 1024
    response = upload(client, person, just_over, "big.pdf", "application/pdf")
    assert (response.status_code, response.get_json()["code"]) == (413, "too_large")
    assert kept(app) == (0, [])


def test_a_file_that_would_pass_the_person_s_quota_is_refused_and_the_earlier_ones_stay(app, client, person):
    pdf = pdf_of("Rubric scores", at_least=60_000)
    app.config["EVIDENCE_PERSON_MB"] = 0.1  # room for one of these, not two
    assert upload(client, person, pdf, "one.pdf", "application/pdf").status_code == 201
    before = kept(app)
    response = upload(client, person, pdf, "two.pdf", "application/pdf")
    assert response.status_code == 413
    assert response.get_json()["code"] == "evidence_quota"
    assert kept(app) == before and before[0] == 1


def test_other_requests_keep_the_app_s_64_kb_limit(client, person):
    view = upload(client, person, pdf_of("x"), "x.pdf", "application/pdf").get_json()
    response = client.post(f"{view['url']}/share", json={"shared": True, "pad": "x" * 70_000})
    assert response.status_code == 413


def test_sharing_deleting_and_my_data(app, client, person):
    view = upload(client, person, pdf_of("Running records"), "records.pdf", "application/pdf").get_json()
    assert view["shared_with_group"] is False
    assert client.post(f"{view['url']}/share", json={"shared": "yes"}).get_json()["code"] == "bad_value"
    assert client.post(f"{view['url']}/share", json={"shared": True}).get_json() == {"ok": True, "shared": True}
    listed = client.get(f"/p/{person}/evidence").get_json()["evidence"]
    assert [(f["id"], f["shared_with_group"]) for f in listed] == [(view["id"], True)]
    mine = client.get(f"/p/{person}/my-data.json").get_json()
    assert [f["title"] for f in mine["evidence"]] == ["records.pdf"]
    assert client.delete(view["url"]).status_code == 200
    assert client.get(view["url"]).status_code == 404
    assert kept(app) == (0, [])


def test_a_file_for_a_check_in_must_be_for_one_of_the_person_s_own(app, client, person):
    response = upload(client, person, pdf_of("x"), "x.pdf", "application/pdf", check_in_id="999")
    assert response.status_code == 400 and response.get_json()["code"] == "bad_value"
    assert kept(app) == (0, [])


def test_an_uploaded_name_is_cleaned_for_display():
    assert clean_title("../../etc/passwd") == "passwd"
    assert clean_title("C:\\Users\\ana\\work\u0000 sample.pdf") == "work sample.pdf"
    assert clean_title("...") == "evidence"
    assert len(clean_title("a" * 500 + ".pdf")) == 120


def test_leaders_rows_carry_the_count_of_files_and_nothing_of_them():
    person = PersonRecord(person_id=7, name="Ana", identifier="", goals=(), check_ins=())
    row = caseload_row(person, PersonThread(evidence_files=3), None, {}, date(2026, 12, 6))
    assert row["evidence_files"] == 3
    assert not any("evidence/" in str(value) for value in row.values())


def test_deleting_a_session_deletes_the_files_of_people_who_were_only_there(app, client, sio, create_session):
    created = create_session()
    tokens = []
    for name in ("Ana", "Ben"):
        phone = sio("/participant", code=created["code"], name=name)
        tokens.append(events(phone, "welcome", "/participant")[0]["token"])
        assert upload(client, tokens[-1], pdf_of(f"{name}'s work"), "work.pdf", "application/pdf").status_code == 201
    assert kept(app)[0] == 2
    other = create_session(title="Another day")
    phone = sio("/participant", code=other["code"], name="Cara")
    cara = events(phone, "welcome", "/participant")[0]["token"]
    assert upload(client, cara, pdf_of("Cara's work"), "work.pdf", "application/pdf").status_code == 201
    assert client.delete(f"/api/sessions/{created['code']}", headers=admin_headers()).status_code == 204
    rows, files = kept(app)
    assert rows == 1 and len(files) == 1, "another session's person keeps theirs"
    assert client.get(f"/p/{cara}/evidence").get_json()["evidence"][0]["title"] == "work.pdf"


def test_forgetting_a_person_deletes_their_rows_and_files(app, client, person):
    for name in ("a.pdf", "b.pdf"):
        assert upload(client, person, pdf_of(name), name, "application/pdf").status_code == 201
    assert client.post(f"/p/{person}/forget", data={"confirm": "delete"}).status_code == 200
    assert kept(app) == (0, [])


def test_a_small_file_that_opens_into_a_huge_image_is_refused(app, client, person):
    out = io.BytesIO()
    Image.new("1", (10_000, 6_000)).save(out, "PNG")  # 60 million pixels in a few kilobytes
    response = upload(client, person, out.getvalue(), "huge.png", "image/png")
    assert (response.status_code, response.get_json()["code"]) == (400, "bad_file")
    assert kept(app) == (0, [])
