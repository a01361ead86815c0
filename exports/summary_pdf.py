"""The leaders' summary PDF: how goals spread over the system goals, common obstacles, support to follow up,
participation per step."""

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from exports.style import ACCENT, RULE, build_pdf, data_table, heading, lines, styles, text
from protocols.summary import Summary


class Bar(Flowable):
    """A horizontal bar, ``share`` (0 to 1) of its width filled: the room's spread at a glance."""

    def __init__(self, share: float, width: float, height: float = 3.2 * mm) -> None:
        super().__init__()
        self.share = max(0.0, min(1.0, share))
        self.width, self.height = width, height

    def draw(self) -> None:
        self.canv.setFillColor(RULE)
        self.canv.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        if self.share:
            self.canv.setFillColor(ACCENT)
            self.canv.rect(0, 0, self.width * self.share, self.height, stroke=0, fill=1)


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "–"


def _story(summary: Summary, width: float) -> list[Flowable]:
    style = styles()
    meta = " · ".join(part for part in (summary.session_title, summary.organisation) if part)
    facilitator = f"Facilitator: {summary.facilitator}" if summary.facilitator else ""
    when = " · ".join(part for part in (summary.date, facilitator) if part)
    story: list[Flowable] = [
        Paragraph("SUMMARY FOR LEADERS", style["kicker"]),
        Paragraph(text(meta), style["title"]),
        Paragraph(text(when), style["meta"]),
        Paragraph(f"{summary.joined} people joined. Private answers are not counted in anything below.", style["meta"]),
    ]

    story.extend(heading("Goals over the system goals", style["h2"]))
    most = max([spread.people for spread in summary.goal_spread] + [1])
    bar = 40 * mm
    rows = [
        [spread.title, str(spread.people), _percent(spread.people, summary.joined), Bar(spread.people / most, bar)]
        for spread in summary.goal_spread
    ]
    none = summary.no_system_goal
    rows.append(["No system goal chosen", str(none), _percent(none, summary.joined), ""])
    widths = (None, 16 * mm, 16 * mm, bar + 4 * mm)
    story.append(data_table(("System goal", "People", "Share", ""), rows, widths, style))

    story.extend(heading("Most common obstacles", style["h2"]))
    if summary.obstacles:
        rows = [[phrase.text, str(phrase.people)] for phrase in summary.obstacles]
        story.append(data_table(("Word or phrase", "People who wrote it"), rows, (None, 36 * mm), style))
    else:
        story.append(Paragraph("No obstacles were written.", style["meta"]))

    story.extend(heading("Support to follow up", style["h2"]))
    why = "Every request is a follow-up: each person asked for this support to reach their goal."
    story.append(Paragraph(why, style["small"]))
    if summary.follow_ups:
        rows = [[s.support, str(s.people), _percent(s.people, summary.joined)] for s in summary.support_counts]
        story.append(data_table(("Support", "People", "Share"), rows, (None, 16 * mm, 16 * mm), style))
        story.extend(heading("Who asked for what", style["h3"]))
        rows = [[f.participant, lines(f.supports, style), f.check_in] for f in summary.follow_ups]
        widths = (0.38 * width, None, 32 * mm)
        story.append(data_table(("Person", "Support requested", "Check-in"), rows, widths, style))
    else:
        story.append(Paragraph("Nobody asked for support.", style["meta"]))
    if summary.without_support:
        names = ", ".join(summary.without_support)
        story.extend(heading("Asked for no support (worth asking)", style["h3"]))
        story.append(Paragraph(text(names), style["base"]))

    story.extend(heading("Participation per step", style["h2"]))
    rows = [
        [step.protocol, step.step, f"{step.answered} of {step.joined}", _percent(step.answered, step.joined)]
        for step in summary.participation
    ]
    story.append(data_table(("Protocol", "Step", "Answered", "Share"), rows, (None, None, 24 * mm, 16 * mm), style))
    return story


def build_summary_pdf(summary: Summary, paper: str = "A4") -> bytes:
    """The leaders' summary as PDF bytes, on A4 or US Letter."""
    return build_pdf(
        lambda width: _story(summary, width),
        paper=paper,
        footer="Pathways · Summary for leaders",
        title=f"Summary: {summary.session_title}",
        subject=summary.session_title,
    )
