"""The leaders' summary PDF: how goals spread over the system goals, common obstacles, support to follow up,
participation per step."""

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from exports.style import ACCENT, RULE, build_pdf, data_table, heading, lines, styles, text
from protocols.language import IN_ENGLISH, Language
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


def _percent(part: int, whole: int, lang: Language) -> str:
    return lang.percent(round(100 * part / whole) / 100) if whole else "–"


def _story(summary: Summary, width: float, lang: Language) -> list[Flowable]:
    style = styles()
    _ = lang.gettext
    count = lang.number
    meta = " · ".join(part for part in (summary.session_title, summary.organisation) if part)
    facilitator = _("Facilitator: {name}", name=summary.facilitator) if summary.facilitator else ""
    when = " · ".join(part for part in (summary.date, facilitator) if part)
    joined = lang.ngettext(
        "{n} person joined. Private answers are not counted in anything below.",
        "{n} people joined. Private answers are not counted in anything below.",
        summary.joined,
    )
    story: list[Flowable] = [
        Paragraph(text(_("Summary for leaders").upper()), style["kicker"]),
        Paragraph(text(meta), style["title"]),
        Paragraph(text(when), style["meta"]),
        Paragraph(text(joined), style["meta"]),
    ]

    story.extend(heading(_("Goals over the system goals"), style["h2"]))
    most = max([spread.people for spread in summary.goal_spread] + [1])
    bar = 40 * mm
    rows = [
        [
            spread.title,
            count(spread.people),
            _percent(spread.people, summary.joined, lang),
            Bar(spread.people / most, bar),
        ]
        for spread in summary.goal_spread
    ]
    none = summary.no_system_goal
    rows.append([_("No system goal chosen"), count(none), _percent(none, summary.joined, lang), ""])
    widths = (None, 16 * mm, 16 * mm, bar + 4 * mm)
    story.append(data_table((_("System goal"), _("People"), _("Share"), ""), rows, widths, style))

    story.extend(heading(_("Most common obstacles"), style["h2"]))
    if summary.obstacles:
        rows = [[phrase.text, count(phrase.people)] for phrase in summary.obstacles]
        header = (_("Word or phrase"), _("People who wrote it"))
        story.append(data_table(header, rows, (None, 36 * mm), style))
    else:
        story.append(Paragraph(text(_("No obstacles were written.")), style["meta"]))

    story.extend(heading(_("Support to follow up"), style["h2"]))
    why = _("Every request is a follow-up: each person asked for this support to reach their goal.")
    story.append(Paragraph(text(why), style["small"]))
    if summary.follow_ups:
        rows = [[s.support, count(s.people), _percent(s.people, summary.joined, lang)] for s in summary.support_counts]
        story.append(data_table((_("Support"), _("People"), _("Share")), rows, (None, 16 * mm, 16 * mm), style))
        story.extend(heading(_("Who asked for what"), style["h3"]))
        rows = [[f.participant, lines(f.supports, style), f.check_in] for f in summary.follow_ups]
        widths = (0.38 * width, None, 32 * mm)
        story.append(data_table((_("Person"), _("Support requested"), _("Check-in")), rows, widths, style))
    else:
        story.append(Paragraph(text(_("Nobody asked for support.")), style["meta"]))
    if summary.without_support:
        names = ", ".join(summary.without_support)
        story.extend(heading(_("Asked for no support (worth asking)"), style["h3"]))
        story.append(Paragraph(text(names), style["base"]))

    story.extend(heading(_("Participation per step"), style["h2"]))
    rows = [
        [
            step.protocol,
            step.step,
            _("{answered} of {joined}", answered=count(step.answered), joined=count(step.joined)),
            _percent(step.answered, step.joined, lang),
        ]
        for step in summary.participation
    ]
    header = (_("Protocol"), _("Step"), _("Answered"), _("Share"))
    story.append(data_table(header, rows, (None, None, 24 * mm, 16 * mm), style))
    return story


def build_summary_pdf(summary: Summary, paper: str = "A4", lang: Language = IN_ENGLISH) -> bytes:
    """The leaders' summary as PDF bytes, on A4 or US Letter, in ``lang`` (the session's; build ``summary`` in the
    same language)."""
    return build_pdf(
        lambda width: _story(summary, width, lang),
        paper=paper,
        footer=lang.gettext("Pathways · Summary for leaders"),
        title=lang.gettext("Summary: {title}", title=summary.session_title),
        subject=summary.session_title,
        lang=lang,
    )
