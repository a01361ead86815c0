"""The join handout for the tables: one page with the session's title, a large QR code, the address and the code."""

from dataclasses import dataclass

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepInFrame, Paragraph, Spacer, Table, TableStyle

from exports.plan_pdf import QRCode
from exports.style import ACCENT, INK, RULE, TINT, build_pdf, styles, text
from protocols.language import IN_ENGLISH, Language, fill

QR_SIZE = 95 * mm  # scans from an arm's length across a table, and leaves room on US Letter


@dataclass(frozen=True, slots=True)
class Handout:
    """What the handout prints: only what the projector already shows the room."""

    title: str
    organisation: str
    date: str  # ISO YYYY-MM-DD, or empty
    code: str
    join_url: str  # the QR code's target, with the code in it
    code_url: str  # where the code is typed by hand, e.g. http://192.168.1.20:5000/j


def _styles() -> dict[str, ParagraphStyle]:
    base = styles()
    centred = ParagraphStyle("centred", base["base"], alignment=TA_CENTER)
    bold = base["strong"].fontName
    return {
        "kicker": ParagraphStyle("h-kicker", base["kicker"], alignment=TA_CENTER, fontSize=11, leading=15),
        "title": ParagraphStyle("h-title", centred, fontName=bold, fontSize=26, leading=31),
        "meta": ParagraphStyle("h-meta", base["meta"], alignment=TA_CENTER, fontSize=12, leading=16),
        "scan": ParagraphStyle("h-scan", centred, fontName=bold, fontSize=15, leading=20),
        "or": ParagraphStyle("h-or", centred, fontSize=12, leading=16),
        "url": ParagraphStyle("h-url", centred, fontName=bold, fontSize=15, leading=20, textColor=ACCENT),
        "code": ParagraphStyle("h-code", centred, fontName=bold, fontSize=56, leading=62, textColor=INK),
        "step": ParagraphStyle("h-step", base["base"], fontSize=11.5, leading=16),
    }


def _bold(sentence: str, **values: str) -> str:
    """A translated sentence as markup, its {placeholders} filled with the values in bold (escaped, as it is)."""
    return fill(text(sentence), {name: f"<b>{text(value)}</b>" for name, value in values.items()})


def _story(handout: Handout, width: float, lang: Language) -> list[Flowable]:
    style = _styles()
    day = lang.day(handout.date) if handout.date else ""
    meta = " · ".join(part for part in (handout.organisation, day) if part)
    kicker = lang.gettext("Join this session")
    heading: list[Flowable] = [Paragraph(text(kicker.upper()), style["kicker"]), Spacer(1, 3 * mm)]
    heading.append(Paragraph(text(handout.title), style["title"]))
    if meta:
        heading.append(Paragraph(text(meta), style["meta"]))
    qr = Table([[QRCode(handout.join_url, QR_SIZE)]], colWidths=[width])
    qr.setStyle(TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER")]))
    code_style = style["code"]
    code_width = stringWidth(handout.code, code_style.fontName, code_style.fontSize) + 24 * mm
    code = Table([[Paragraph(text(handout.code), code_style)]], colWidths=[min(width, code_width)], hAlign="CENTER")
    code.setStyle(
        TableStyle([("BACKGROUND", (0, 0), (-1, -1), TINT), ("BOX", (0, 0), (-1, -1), 1, RULE),
                    ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 10)])
    )  # fmt: skip
    sentences = (
        lang.gettext("Scan the QR code, or type the address and the code above."),
        lang.gettext("Type your name and tap Join. No app, no account."),
        lang.gettext(
            "Answer on your phone as the day goes on; each answer is saved as you go. At the end, download your own"
            " action plan."
        ),
    )
    steps = [
        Paragraph(f"{lang.number(n)}.&nbsp;&nbsp;{_bold(line)}", style["step"]) for n, line in enumerate(sentences, 1)
    ]
    steps_box = Table([[steps]], colWidths=[min(width, 150 * mm)], hAlign="CENTER")
    steps_box.setStyle(TableStyle([("LINEABOVE", (0, 0), (-1, 0), 0.75, RULE), ("TOPPADDING", (0, 0), (-1, -1), 8)]))
    page = [
        KeepInFrame(width, 40 * mm, heading, mode="shrink"),  # a long title shrinks rather than crowd the QR code
        Spacer(1, 6 * mm),
        qr,
        Spacer(1, 3 * mm),
        Paragraph(text(lang.gettext("Scan the code with your phone's camera")), style["scan"]),
        Spacer(1, 3 * mm),
        Paragraph(_bold(lang.gettext("or open {address} and type the code"), address=handout.code_url), style["or"]),
        Spacer(1, 2 * mm),
        code,
        Spacer(1, 3 * mm),
        Paragraph(_bold(lang.gettext("The full address: {address}"), address=handout.join_url), style["or"]),
        Spacer(1, 5 * mm),
        steps_box,
    ]
    return [KeepInFrame(0, 0, page, mode="shrink")]  # one page, always: on smaller paper everything shrinks a little


def build_handout_pdf(handout: Handout, paper: str = "A4", lang: Language = IN_ENGLISH) -> bytes:
    """The handout as PDF bytes on A4 or US Letter (``ValueError`` for any other paper), in ``lang`` (the
    session's)."""
    return build_pdf(
        lambda width: _story(handout, width, lang),
        paper=paper,
        footer=lang.gettext("Pathways · Join handout"),
        title=lang.gettext("Join this session: {title}", title=handout.title),
        subject=handout.join_url,
        lang=lang,
    )
