"""The look every Pathways PDF shares: page sizes, colours, paragraph styles, lists, page numbers, the document."""

import io
from collections.abc import Callable, Sequence
from functools import cache, lru_cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    ListFlowable,
    ListItem,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

from exports.fonts import markup, register_fonts
from protocols.language import IN_ENGLISH, Language

PAGE_SIZES = {"A4": A4, "LETTER": LETTER}
MUTED_HEX = "#5b6675"  # for colour inside paragraph markup
ACCENT_HEX = "#0b6e4f"
INK = colors.HexColor("#1d2733")
MUTED = colors.HexColor(MUTED_HEX)
ACCENT = colors.HexColor(ACCENT_HEX)
RULE = colors.HexColor("#d5dbe2")
TINT = colors.HexColor("#eef6f2")
MARGIN = 18 * mm


def paper_size(paper: str) -> tuple[float, float]:
    """``A4`` or ``LETTER`` (any case); anything else is refused rather than printed on the wrong paper."""
    try:
        return PAGE_SIZES[paper.strip().upper()]
    except KeyError:
        raise ValueError(f"Paper size must be A4 or LETTER, not {paper!r}.") from None


@cache
def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles, made once per process; callers must not change them."""
    regular, bold = register_fonts()
    base = ParagraphStyle("base", fontName=regular, fontSize=10.5, leading=14.5, textColor=INK, alignment=TA_LEFT)
    return {
        "base": base,
        "kicker": ParagraphStyle("kicker", base, fontName=bold, fontSize=9, leading=12, textColor=ACCENT),
        "title": ParagraphStyle("title", base, fontName=bold, fontSize=22, leading=27, spaceAfter=2),
        "meta": ParagraphStyle("meta", base, fontSize=10, leading=14, textColor=MUTED),
        "h2": ParagraphStyle("h2", base, fontName=bold, fontSize=13, leading=17, spaceBefore=12, spaceAfter=5),
        "h3": ParagraphStyle("h3", base, fontName=bold, fontSize=10.5, spaceBefore=8, spaceAfter=2, textColor=ACCENT),
        "prompt": ParagraphStyle("prompt", base, fontSize=8.5, leading=11, textColor=MUTED),
        "strong": ParagraphStyle("strong", base, fontName=bold),
        "small": ParagraphStyle("small", base, fontSize=8.5, leading=11, textColor=MUTED),
        "item": ParagraphStyle("item", base, spaceBefore=1),
        "note": ParagraphStyle("note", base, fontSize=9.5, leading=13, leftIndent=10, textColor=INK),
    }


def heading(title: str, style: ParagraphStyle, room: float = 28 * mm) -> list[Flowable]:
    """A heading that never ends a page: a new page starts first unless ``room`` is left below it.

    Cheaper than keepWithNext or KeepTogether, which lay their contents out twice: it matters at 1,000 plans.
    """
    return [CondPageBreak(room), stock(text(title), style)]


class _StockParagraph(Paragraph):
    """A paragraph that shares its parsed markup and its line breaks with every other use of the same markup."""

    def __init__(self, parsed: Paragraph, breaks: dict) -> None:
        super().__init__(None, parsed.style, bulletText=parsed.bulletText, frags=parsed.frags)
        self._breaks = breaks

    def breakLines(self, width: object) -> object:  # noqa: N802 (reportlab's name)
        key = tuple(width) if isinstance(width, list) else width
        lines = self._breaks.get(key)
        if lines is None:
            lines = self._breaks[key] = super().breakLines(width)
        return lines


@lru_cache(maxsize=4096)
def _parsed(markup: str, style: ParagraphStyle) -> tuple[Paragraph, dict]:
    return Paragraph(markup, style), {}


def stock(markup: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph whose markup recurs in every plan of a session (headings, step titles, prompts).

    Its markup is parsed, and its lines broken for a given width, once per process; reportlab only reads both, so
    they are shared. Each use is still its own Paragraph. A thousand plans take a third less CPU.
    """
    return _StockParagraph(*_parsed(markup, style))


def text(value: str) -> str:
    """Markup that shows ``value`` literally in any script (see ``exports.fonts.markup``)."""
    return markup(value)


def lines(values: Sequence[str], style: dict[str, ParagraphStyle], numbered: bool = False) -> list[Flowable]:
    """One line as a paragraph; several as a bulleted (or numbered) list."""
    if len(values) == 1 and not numbered:
        return [Paragraph(text(values[0]), style["base"])]
    items = [ListItem(Paragraph(text(line), style["item"]), leftIndent=14) for line in values]
    return [ListFlowable(items, bulletType="1" if numbered else "bullet", start="1" if numbered else "•",
                         bulletFontName=style["base"].fontName, bulletFontSize=9.5, leftIndent=14,
                         bulletFormat="%s." if numbered else None)]  # fmt: skip


class NumberedCanvas(Canvas):
    """Writes the footer and "Page N of M" on every page: pages are held back until the total is known."""

    footer = "Pathways"
    lang: Language = IN_ENGLISH

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        regular, _ = register_fonts()
        for page in self._pages:
            self.__dict__.update(page)
            self.setFont(regular, 8)
            self.setFillColor(MUTED)
            width, _height = self._pagesize
            numbers = {"page": self.lang.number(self._pageNumber), "total": self.lang.number(total)}
            self.drawRightString(width - MARGIN, 12 * mm, self.lang.gettext("Page {page} of {total}", **numbers))
            self.drawString(MARGIN, 12 * mm, self.footer)
            super().showPage()
        super().save()


def build_pdf(
    story: Callable[[float], list[Flowable]],
    *,
    paper: str,
    footer: str,
    title: str,
    subject: str = "",
    lang: Language = IN_ENGLISH,
) -> bytes:
    """A PDF from ``story(frame width)`` on ``paper``, with ``footer`` and page numbers (in ``lang``) on every
    page."""
    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=paper_size(paper),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=20 * mm,
        title=title,
        author="Pathways",
        subject=subject,
    )
    # No frame padding: text lines up with the margins, the footer and the full-width tables.
    frame = Frame(document.leftMargin, document.bottomMargin, document.width, document.height, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)  # fmt: skip
    document.addPageTemplates([PageTemplate("page", frames=[frame])])
    canvas = type("FooterCanvas", (NumberedCanvas,), {"footer": footer, "lang": lang})
    document.build(story(document.width), canvasmaker=canvas)
    return buffer.getvalue()


def data_table(header: Sequence[str], rows: Sequence[Sequence[object]], widths: Sequence[float | None],
               style: dict[str, ParagraphStyle]) -> Table:  # fmt: skip
    """A ruled table with a header row repeated on every page; text cells wrap, flowables stay as they are."""

    def cell(value: object) -> object:
        return value if isinstance(value, Flowable | list) else Paragraph(text(str(value)), style["base"])

    body = [[Paragraph(text(title), style["small"]) for title in header], *[[cell(v) for v in row] for row in rows]]
    table = Table(body, colWidths=list(widths), repeatRows=1)
    table.setStyle(
        TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
            ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ("LEFTPADDING", (0, 0), (0, -1), 0),
        ])
    )  # fmt: skip
    return table
