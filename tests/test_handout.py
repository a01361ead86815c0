"""The printable join handout: one page with the title, a QR code that scans to the join address, and the code."""

import io

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, LETTER

from exports.handout_pdf import Handout, build_handout_pdf
from tests.support.qr import scanned


def handout_pdf(client, code: str, query: str = "") -> bytes:
    response = client.get(f"/api/sessions/{code}/handout.pdf{query}")  # no admin token: the handout is public
    assert response.status_code == 200, response.data[:300]
    assert response.mimetype == "application/pdf"
    return response.data


def page_text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.mark.parametrize(("paper", "size"), [("A4", A4), ("LETTER", LETTER), ("letter", LETTER)])
def test_the_handout_is_one_page_with_title_address_and_code_on_the_chosen_paper(client, create_session, paper, size):
    session = create_session(title="Spring PD day: feedback", date="2027-03-15")
    pdf = handout_pdf(client, session["code"], f"?paper={paper}")
    pages, text = page_text(pdf)
    assert pages == 1
    assert "Spring PD day: feedback" in text and "Riverside District" in text and "15 March 2027" in text
    assert session["join_url"] in text and "http://pathways.test/j " in text
    assert f" {session['code']} " in text  # in big type on its own, not only inside the address
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (round(size[0]), round(size[1]))


def test_the_handout_qr_code_scans_to_the_join_address(client, create_session, tmp_path):
    session = create_session()
    assert scanned(handout_pdf(client, session["code"]), tmp_path) == [session["join_url"]]


def test_the_paper_size_defaults_to_the_server_setting(app, client, create_session):
    session = create_session()
    app.config["PAPER_SIZE"] = "LETTER"
    box = PdfReader(io.BytesIO(handout_pdf(client, session["code"]))).pages[0].mediabox
    assert round(float(box.height)) == round(LETTER[1])


def test_a_bad_paper_size_or_code_gets_a_clear_error(client, create_session):
    session = create_session()
    response = client.get(f"/api/sessions/{session['code']}/handout.pdf?paper=A3")
    assert response.status_code == 400
    assert response.get_json() == {"error": "Paper size must be A4 or LETTER, not 'A3'.", "code": "bad_paper"}
    response = client.get("/api/sessions/ZZZZZZ/handout.pdf")
    assert response.status_code == 404 and response.get_json()["code"] == "unknown_session"


def test_a_long_title_in_any_script_still_fits_one_page(tmp_path):
    title = "Ζωή Ødegård: " + "feedback that moves learning forward, " * 5
    handout = Handout(
        title=title[:200],
        organisation="Riverside District",
        date="",
        code="WMWMWM",  # the widest letters the alphabet has
        join_url="http://192.168.1.20:5000/j/WMWMWM",
        code_url="http://192.168.1.20:5000/j",
    )
    pdf = build_handout_pdf(handout, "LETTER")
    pages, text = page_text(pdf)
    assert pages == 1 and "Ζωή Ødegård" in text and " WMWMWM " in text
    assert scanned(pdf, tmp_path) == ["http://192.168.1.20:5000/j/WMWMWM"]
