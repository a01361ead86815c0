"""The participant's "My action plan" PDF: their goal tied to the system goals, steps, evidence, every answer."""

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from exports.fonts import register_fonts
from exports.qr import qr_matrix
from protocols.model import PlanField, Visibility
from protocols.plan import Plan

PAGE_SIZES = {"A4": A4, "LETTER": LETTER}
INK = colors.HexColor("#1d2733")
MUTED = colors.HexColor("#5b6675")
ACCENT = colors.HexColor("#0b6e4f")
RULE = colors.HexColor("#d5dbe2")
TINT = colors.HexColor("#eef6f2")

PLAN_SECTIONS = (
    (PlanField.GOAL, "My goal"),
    (PlanField.STRENGTHS, "Strengths I bring"),
    (PlanField.OBSTACLES, "Obstacles I expect"),
    (PlanField.ACTION_STEPS, "Action steps"),
    (PlanField.EVIDENCE, "Evidence that will show progress"),
    (PlanField.SUPPORTS, "Support I need"),
    (PlanField.CHECK_IN, "When I will check in"),
    (PlanField.TAKEAWAYS, "Takeaways"),
)
VISIBILITY_NOTES = {
    Visibility.PRIVATE: "private: only you",
    Visibility.FACILITATOR: "shared with the facilitator",
    Visibility.GROUP: "shared with your group",
    Visibility.ROOM: "shared with the room, without your name",
    Visibility.ROOM_NAMED: "shared with the room, with your name",
}


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = register_fonts()
    base = ParagraphStyle("base", fontName=regular, fontSize=10.5, leading=14.5, textColor=INK, alignment=TA_LEFT)
    return {
        "base": base,
        "kicker": ParagraphStyle("kicker", base, fontName=bold, fontSize=9, leading=12, textColor=ACCENT),
        "title": ParagraphStyle("title", base, fontName=bold, fontSize=22, leading=27, spaceAfter=2),
        "meta": ParagraphStyle("meta", base, fontSize=10, leading=14, textColor=MUTED),
        "h2": ParagraphStyle("h2", base, fontName=bold, fontSize=13, leading=17, spaceBefore=12, spaceAfter=5),
        "goal": ParagraphStyle("goal", base, fontName=bold, fontSize=10.5),
        "mine": ParagraphStyle("mine", base, fontSize=10.5, leftIndent=0),
        "small": ParagraphStyle("small", base, fontSize=8.5, leading=11, textColor=MUTED),
        "item": ParagraphStyle("item", base, spaceBefore=1),
    }


def _text(value: str) -> str:
    """Text as reportlab's paragraph markup shows it literally, line breaks kept."""
    return escape(value).replace("\n", "<br/>")


class QRCode(Flowable):
    """A QR code drawn as one vector path: sharp when printed, and far cheaper than a shape per module."""

    def __init__(self, url: str, size: float) -> None:
        super().__init__()
        self.matrix = qr_matrix(url)
        self.width = self.height = size

    def draw(self) -> None:
        cell = self.width / len(self.matrix)
        path = self.canv.beginPath()
        for row_index, row in enumerate(self.matrix):
            y = self.height - (row_index + 1) * cell
            for column_index, dark in enumerate(row):
                if dark:
                    path.rect(column_index * cell, y, cell, cell)
        self.canv.setFillColor(INK)
        self.canv.drawPath(path, stroke=0, fill=1)


def _system_goals(plan: Plan, styles: dict[str, ParagraphStyle]) -> Table:
    rows = []
    my_goal = plan.goal
    for goal in plan.system_goals:
        chosen = goal.id in plan.chosen_goal_ids
        mark = "✔" if chosen else "○"
        cell = [Paragraph(_text(goal.title), styles["goal"] if chosen else styles["base"])]
        if goal.description:
            cell.append(Paragraph(_text(goal.description), styles["small"]))
        if chosen and my_goal:
            cell.append(Spacer(1, 3))
            cell.append(Paragraph(f"<b>My goal under it:</b> {_text(my_goal)}", styles["mine"]))
        rows.append([Paragraph(mark, styles["goal"] if chosen else styles["meta"]), cell])
    table = Table(rows, colWidths=[8 * mm, None])
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -2), 0.5, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]
    for index, goal in enumerate(plan.system_goals):
        if goal.id in plan.chosen_goal_ids:
            commands.append(("BACKGROUND", (0, index), (-1, index), TINT))
    table.setStyle(TableStyle(commands))
    return table


def _lines(lines: tuple[str, ...], styles: dict[str, ParagraphStyle], numbered: bool = False) -> list:
    if len(lines) == 1 and not numbered:
        return [Paragraph(_text(lines[0]), styles["base"])]
    items = [ListItem(Paragraph(_text(line), styles["item"]), leftIndent=14) for line in lines]
    return [ListFlowable(items, bulletType="1" if numbered else "bullet", start="1" if numbered else "•",
                         bulletFontName=styles["base"].fontName, bulletFontSize=9.5, leftIndent=14)]  # fmt: skip


def _story(plan: Plan, width: float) -> list:
    styles = _styles()
    story: list = [Paragraph("MY ACTION PLAN", styles["kicker"]), Paragraph(_text(plan.participant), styles["title"])]
    facilitator = f"Facilitator: {plan.facilitator}" if plan.facilitator else ""
    header = [
        Paragraph(_text(" · ".join(part for part in parts if part)), styles["meta"])
        for parts in ((plan.session_title, plan.organisation), (plan.date, facilitator))
    ]
    if plan.plan_url:
        qr = QRCode(plan.plan_url, 24 * mm)
        caption = Paragraph("Scan to open your plan online", styles["small"])
        table = Table([[header, [qr, caption]]], colWidths=[width - 32 * mm, 32 * mm])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        story.append(table)
    else:
        story.extend(header)
    story.append(Paragraph("Our system goals", styles["h2"]))
    story.append(_system_goals(plan, styles))
    for field, heading in PLAN_SECTIONS:
        lines = plan.field(field)
        if lines:
            block = [Paragraph(heading, styles["h2"]), *_lines(lines, styles, numbered=field is PlanField.ACTION_STEPS)]
            story.append(KeepTogether(block))
    if plan.items:
        story.append(Paragraph("Everything I answered today", styles["h2"]))
        protocol = None
        for item in plan.items:
            if item.protocol != protocol:
                protocol = item.protocol
                story.append(Paragraph(_text(protocol), styles["goal"]))
            note = VISIBILITY_NOTES[item.visibility]
            block = [
                Paragraph(
                    f"<b>{_text(item.step)}</b> <font color='#5b6675' size='8.5'>({note})</font>", styles["base"]
                ),
                Paragraph(_text(item.prompt), styles["small"]),
                *_lines(item.lines, styles),
                Spacer(1, 6),
            ]
            story.append(KeepTogether(block))
    return story


class _NumberedCanvas(Canvas):
    """Writes "page N of M" on every page: pages are held back until the total is known."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for page in self._pages:
            self.__dict__.update(page)
            regular, _ = register_fonts()
            self.setFont(regular, 8)
            self.setFillColor(MUTED)
            width, _height = self._pagesize
            self.drawRightString(width - 18 * mm, 12 * mm, f"Page {self._pageNumber} of {total}")
            self.drawString(18 * mm, 12 * mm, "Pathways · My action plan")
            super().showPage()
        super().save()


def build_plan_pdf(plan: Plan, paper: str = "A4") -> bytes:
    """The plan as PDF bytes, on A4 or US Letter."""
    pagesize = PAGE_SIZES.get(paper.upper(), A4)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=20 * mm,
        title=f"Action plan: {plan.participant}",
        author="Pathways",
        subject=plan.session_title,
    )
    document.build(_story(plan, document.width), canvasmaker=_NumberedCanvas)
    return buffer.getvalue()
