"""The "My action plan" PDF: the goal tied to the system goals, action steps, evidence, support, every answer."""

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer, Table, TableStyle

from exports.measure_chart import measure_drawing
from exports.qr import qr_matrix
from exports.style import ACCENT, ACCENT_HEX, INK, MUTED_HEX, RULE, TINT, build_pdf, heading, lines, stock, styles, text
from protocols.language import IN_ENGLISH, N_, Language
from protocols.model import PlanField, Visibility
from protocols.plan import Plan, PlanItem
from protocols.visibility import Audience

# Headings and notes in English, translated where they are printed (``lang.gettext``).
SYSTEM_GOALS_HEADING = N_("Our system goals")
MEASURE_HEADING = N_("My measure")
PLAN_SECTIONS = (
    (PlanField.GOAL, N_("My goal")),
    (PlanField.STRENGTHS, N_("Strengths I bring")),
    (PlanField.OBSTACLES, N_("Obstacles I expect")),
    (PlanField.ACTION_STEPS, N_("Action steps")),
    (PlanField.EVIDENCE, N_("Evidence that will show progress")),
    (PlanField.SUPPORTS, N_("Support I need")),
    (PlanField.CHECK_IN, N_("When I will check in")),
    (PlanField.TAKEAWAYS, N_("Takeaways")),
)
VISIBILITY_NOTES = {
    Visibility.PRIVATE: N_("private: only you"),
    Visibility.FACILITATOR: N_("shared with the facilitator"),
    Visibility.GROUP: N_("shared with your group"),
    Visibility.ROOM: N_("shared with the room, without your name"),
    Visibility.ROOM_NAMED: N_("shared with the room, with your name"),
}


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


def _system_goals(plan: Plan, style: dict, lang: Language) -> Table:
    """Every system goal, the chosen ones marked, each with the person's own goal written for it."""
    rows = []
    mine = lang.gettext("My goal under it:") if plan.reader is Audience.AUTHOR else lang.gettext("Their goal under it:")
    chosen_mark = text(lang.gettext("chosen").upper())
    for goal in plan.system_goals:
        chosen = goal.id in plan.chosen_goal_ids
        title = text(goal.title)
        if chosen:
            title += f' <font size="8" color="{ACCENT_HEX}">  ✔ {chosen_mark}</font>'
        cell: list[Flowable] = [Paragraph(title, style["strong"] if chosen else style["base"])]
        if goal.description:
            cell.append(Paragraph(text(goal.description), style["small"]))
        for own_goal in plan.goals_under(goal.id) if chosen else ():
            cell.append(Spacer(1, 3))
            cell.append(Paragraph(f"<b>{text(mine)}</b> {text(own_goal)}", style["base"]))
        rows.append([Paragraph("✔" if chosen else "○", style["strong"] if chosen else style["meta"]), cell])
    table = Table(rows, colWidths=[8 * mm, None], splitInRow=1)  # a very long goal may run on to the next page
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -2), 0.5, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ("TEXTCOLOR", (0, 0), (0, -1), ACCENT),
    ]
    for index, goal in enumerate(plan.system_goals):
        if goal.id in plan.chosen_goal_ids:
            commands.append(("BACKGROUND", (0, index), (-1, index), TINT))
            commands.append(("LINEBEFORE", (0, index), (0, index), 2.5, ACCENT))
    table.setStyle(TableStyle(commands))
    return table


def _header(plan: Plan, style: dict, width: float, lang: Language) -> list[Flowable]:
    own = plan.reader is Audience.AUTHOR
    kicker = lang.gettext("My action plan") if own else lang.gettext("Action plan · facilitator's copy")
    facilitator = lang.gettext("Facilitator: {name}", name=plan.facilitator) if plan.facilitator else ""
    block: list[Flowable] = [
        Paragraph(text(kicker.upper()), style["kicker"]),
        Paragraph(text(plan.participant), style["title"]),
    ]
    for parts in ((plan.session_title, plan.organisation), (plan.date, facilitator)):
        block.append(Paragraph(text(" · ".join(part for part in parts if part)), style["meta"]))
    if not own:
        note = lang.gettext("Answers the participant kept private are not in this copy; they are only in their own.")
        block.append(Paragraph(text(note), style["small"]))
    if not plan.check_in_url:
        return block
    # The link a printed plan carries opens the check-in form alone: a plan left on a desk opens nothing private.
    qr = [
        QRCode(plan.check_in_url, 24 * mm),
        Paragraph(text(lang.gettext("Scan to record a check-in")), style["small"]),
    ]
    table = Table([[block, qr]], colWidths=[width - 32 * mm, 32 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return [table]


def shown_in_sections(plan: Plan, lang: Language = IN_ENGLISH) -> dict[PlanField, str]:
    """The plan fields that have a section of their own in this plan, with its heading in ``lang``."""
    shown = {PlanField.SYSTEM_GOAL: SYSTEM_GOALS_HEADING}
    for field, title in PLAN_SECTIONS:
        if field is PlanField.GOAL and plan.linked_goals:
            shown[field] = SYSTEM_GOALS_HEADING  # the goal stands under its system goal
        elif plan.field(field):
            shown[field] = title
    if plan.measure_chart is not None:
        shown[PlanField.MEASURE] = MEASURE_HEADING
    return {field: lang.gettext(title) for field, title in shown.items()}


def _sections(plan: Plan, style: dict, lang: Language) -> list[Flowable]:
    story: list[Flowable] = []
    for field, title in PLAN_SECTIONS:
        values = plan.field(field)
        if not values or (field is PlanField.GOAL and plan.linked_goals):
            continue
        numbered = field is PlanField.ACTION_STEPS
        block = [*heading(lang.gettext(title), style["h2"]), *lines(values, style, numbered=numbered)]
        if field is PlanField.CHECK_IN and plan.calendar_url:
            words = text(lang.gettext("Add it to your calendar"))
            link = f'<link href="{text(plan.calendar_url)}" color="{ACCENT_HEX}"><u>{words}</u></link>'
            when = text(lang.gettext("({day}, an all-day event)", day=lang.day(plan.check_in)))
            block.append(Paragraph(f"{link} {when}", style["small"]))
        story.extend(block)
    return story


def _with_coach(plan: Plan, style: dict, lang: Language) -> list[Flowable]:
    """The goal as it stands with the coach: agreed or not yet, and the wordings it had before."""
    coached = plan.with_coach
    if coached is None or not coached.goal:
        return []
    block = [
        *heading(lang.gettext("My goal with my coach"), style["h2"]),
        Paragraph(text(coached.goal), style["strong"]),
    ]
    if coached.agreement:
        block.append(Paragraph(f'<font color="{ACCENT_HEX}">✔</font> {text(coached.agreement)}', style["base"]))
    else:
        not_yet = (
            lang.gettext("Not agreed with {coach} yet.", coach=coached.coach)
            if coached.coach
            else lang.gettext("Not agreed with a coach yet.")
        )
        block.append(Paragraph(text(not_yet), style["small"]))
    if len(coached.versions) > 1:
        block.append(Paragraph(text(lang.gettext("Versions, newest first:")), style["small"]))
        for day, wording, source in coached.versions:
            block.append(
                Paragraph(
                    f"<b>{text(day)}</b> · {text(wording)} <font color='{MUTED_HEX}' size='8.5'>"
                    f"({text(source)})</font>",
                    style["note"],
                )
            )
    return block


def _measure(plan: Plan, style: dict, width: float, lang: Language) -> list[Flowable]:
    """The goal's measure: what it looks at, its chart, and every value in words (the chart alone is not read
    aloud, nor copied as text)."""
    chart = plan.measure_chart
    if chart is None:
        return []
    block: list[Flowable] = [
        *heading(lang.gettext(MEASURE_HEADING), style["h2"], room=80 * mm),
        Paragraph(text(chart.what), style["strong"]),
        Spacer(1, 3),
        measure_drawing(chart, width, 58 * mm, lang),
        Spacer(1, 4),
    ]
    block.extend(Paragraph(text(sentence), style["small"]) for sentence in chart.in_words(lang))
    return block


def _item(item: PlanItem, style: dict, own: bool, above: str | None, lang: Language) -> list[Flowable]:
    """One step of the day; an answer already shown in a section above is pointed to rather than repeated."""
    if own:
        note = lang.gettext(VISIBILITY_NOTES[item.visibility])
    else:
        note = lang.gettext("visibility: {visibility}", visibility=item.visibility.value)
    label = f"<b>{text(item.step)}</b> <font color='{MUTED_HEX}' size='8.5'>({text(note)})</font>"
    if above and not item.group_notes:
        pointer = text(lang.gettext("· in “{section}” above", section=above))
        return [
            stock(f"{label} <font color='{MUTED_HEX}' size='9'>{pointer}</font>", style["base"]),
            Spacer(1, 4),
        ]
    block: list[Flowable] = [
        CondPageBreak(20 * mm),  # a step's title and prompt never end a page alone
        stock(label, style["base"]),
        stock(text(item.prompt), style["prompt"]),
    ]
    if item.lines:
        block.extend(lines(item.lines, style))
    if item.group_notes:
        shared = lang.gettext("Shared in the group:") if item.lines else lang.gettext("Shared in the group")
        block.append(Paragraph(text(shared), style["small"]))
        for group_note in item.group_notes:
            who = f"<b>{text(group_note.name)}:</b> " if group_note.name else ""
            block.append(Paragraph(who + text(" · ".join(group_note.lines)), style["note"]))
    block.append(Spacer(1, 6))
    return block


def _story(plan: Plan, width: float, lang: Language) -> list[Flowable]:
    style = styles()
    own = plan.reader is Audience.AUTHOR
    story = _header(plan, style, width, lang)
    story.extend(heading(lang.gettext(SYSTEM_GOALS_HEADING), style["h2"]))
    story.append(_system_goals(plan, style, lang))
    story.extend(_with_coach(plan, style, lang))
    story.extend(_measure(plan, style, width, lang))
    story.extend(_sections(plan, style, lang))
    shown = shown_in_sections(plan, lang)
    if plan.items:
        if own:
            title = lang.gettext("Everything I answered today")
        else:
            title = lang.gettext("Everything they answered that the facilitator may see")
        story.extend(heading(title, style["h2"]))
        protocol = None
        for item in plan.items:
            if item.protocol != protocol:
                protocol = item.protocol
                story.extend(heading(protocol, style["h3"]))
            story.extend(_item(item, style, own, shown.get(item.field), lang))
    return story


def build_plan_pdf(plan: Plan, paper: str = "A4", lang: Language = IN_ENGLISH) -> bytes:
    """The plan as PDF bytes, on A4 or US Letter (``ValueError`` for any other paper), in ``lang``: the author's
    copy in the person's language, the facilitator's copy in the session's. Build ``plan`` in the same language
    (``build_plan(lang=...)``): its dates and answers' words are written there."""
    if plan.reader is Audience.AUTHOR:
        footer = lang.gettext("Pathways · My action plan")
    else:
        footer = lang.gettext("Pathways · Action plan (facilitator)")
    return build_pdf(
        lambda width: _story(plan, width, lang),
        paper=paper,
        footer=footer,
        title=lang.gettext("Action plan: {name}", name=plan.participant),
        subject=plan.session_title,
        lang=lang,
    )
