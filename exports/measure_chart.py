"""A goal's measure as a small chart: baseline, results over time and target, laid out once and drawn twice, with
reportlab's own graphics for the plan PDF and as inline SVG for the plan page. No plotting library."""

import math
from dataclasses import dataclass, field
from datetime import date
from xml.sax.saxutils import escape, quoteattr

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, PolyLine, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from exports.fonts import register_fonts
from protocols.language import IN_ENGLISH, N_, Language
from protocols.measure_progress import MeasureChart

# Told apart by shape and dash as well as by colour, so a page printed in grey still reads.
INK_HEX, MUTED_HEX, RULE_HEX, RESULT_HEX, TARGET_HEX = "#1d2733", "#5b6675", "#d5dbe2", "#0b6e4f", "#8a4b00"
FONT_SIZE = 8.0  # in the PDF, in points
SVG_SIZE, SVG_FONT_SIZE = (400, 220), 11.0  # the page's chart scales to its column: its texts stay legible
# The projector's chart fills two thirds of the screen's width: its texts at 18 units read at 32 px and more from
# 1280x720 up, as every data label on the projector must.
PROJECTOR_FONT_SIZE = 18.0
MAX_LABELLED_RESULTS = 6  # the latest results that may carry their value, where it covers no other
RANGES = {"percent": (0.0, 100.0), "count": (0.0, math.inf), "score": (0.0, None), "rubric": (1.0, None)}


@dataclass
class Layout:
    """The chart's marks in points, y upwards from the bottom: what both drawings are made from."""

    width: float
    height: float
    font_size: float
    lines: list[tuple[float, float, float, float, str]] = field(default_factory=list)  # x1, y1, x2, y2, role
    results_line: list[tuple[float, float]] = field(default_factory=list)
    dots: list[tuple[float, float, str]] = field(default_factory=list)  # x, y, role: baseline, result, target
    texts: list[tuple[float, float, str, str, str]] = field(default_factory=list)  # x, y, text, anchor, role
    taken: list[tuple[float, float, float, float]] = field(default_factory=list)  # the values' boxes so far

    def text_width(self, text: str) -> float:
        return stringWidth(text, register_fonts()[0], self.font_size)

    def centred(self, position: float, text: str) -> float:
        """Where a text centred on ``position`` goes so that it stays inside the chart."""
        half = self.text_width(text) / 2
        return min(max(position, half), self.width - half)


def _ordinal(iso_day: str) -> int:
    return date.fromisoformat(iso_day).toordinal()


def _ticks(chart: MeasureChart) -> list[float]:
    """The values marked on the y axis: each level of a rubric, else a few round numbers around every value."""
    values = [chart.baseline[1], chart.target[1], *(value for _, value in chart.results)]
    if chart.unit == "rubric":
        return [float(level) for level in range(1, int(chart.out_of or max(values)) + 1)]
    low_bound, high_bound = RANGES[chart.unit]
    high_bound = (chart.out_of or max(values)) if high_bound is None else high_bound
    low, high = min(values), max(values)
    raw_step = (high - low) / 4 or 1.0
    magnitude = 10 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw_step)
    if chart.unit == "count":
        step = max(1.0, math.ceil(step))
    start = max(low_bound, math.floor(low / step) * step)
    stop = min(high_bound, math.ceil(high / step) * step)
    return [round(start + n * step, 6) for n in range(round((stop - start) / step) + 1)]


def layout(
    chart: MeasureChart, width: float, height: float, font_size: float = FONT_SIZE, lang: Language = IN_ENGLISH
) -> Layout:
    """Where every mark of ``chart`` goes in a ``width`` by ``height`` box, its texts ``font_size`` high and in
    ``lang``."""
    marks = Layout(width, height, font_size)
    ticks = _ticks(chart)
    left = max(marks.text_width(chart.unit_label(tick, lang)) for tick in ticks) + font_size
    right, bottom, top = font_size * 1.5, font_size * 2 + 10, font_size * 3.5 + 4
    first = _ordinal(chart.baseline[0])
    span_days = max(1, max(_ordinal(day) for day in (chart.target[0], *(d for d, _ in chart.results))) - first)
    low, high = ticks[0], max(ticks[-1], ticks[0] + 1)

    lift = font_size  # the lowest value sits just above the x axis, not on it
    inset = font_size * 2.5  # the first and last points stand clear of the axis and the edge, with their values

    def x(iso_day: str) -> float:
        return left + inset + (_ordinal(iso_day) - first) / span_days * (width - left - right - 2 * inset)

    def y(value: float) -> float:
        return bottom + lift + (value - low) / (high - low) * (height - bottom - top - lift)

    for tick in ticks:
        marks.lines.append((left, y(tick), width - right, y(tick), "grid"))
        marks.texts.append((left - font_size / 2, y(tick) - font_size / 3, chart.unit_label(tick, lang), "end", "tick"))
    marks.lines.append((left, bottom, left, height - top, "axis"))
    marks.lines.append((left, bottom, width - right, bottom, "axis"))
    marks.lines.append((left, y(chart.target[1]), width - right, y(chart.target[1]), "target"))
    if chart.results:
        marks.results_line = [(x(day), y(value)) for day, value in (chart.baseline, *chart.results)]
    for (day, value), role in [(chart.baseline, "baseline"), *((r, "result") for r in chart.results),
                               (chart.target, "target")]:  # fmt: skip
        marks.dots.append((x(day), y(value), role))
    newest_first = [(point, "result") for point in reversed(chart.results[-MAX_LABELLED_RESULTS:])]
    for (day, value), role in [(chart.baseline, "baseline"), (chart.target, "target"), *newest_first]:
        _value_label(marks, x(day), y(value), chart.unit_label(value, lang), role, bottom)
    _dates(marks, [(x(day), day) for day, _ in (chart.baseline, chart.target, *chart.results)], bottom, lang)
    _legend(marks, bool(chart.results), lang)
    return marks


def _value_label(marks: Layout, px: float, py: float, label: str, role: str, bottom: float) -> None:
    """A point's value above it, else below it, else (where both would cover another value) left out."""
    size = marks.font_size
    centre, half = marks.centred(px, label), marks.text_width(label) / 2
    for baseline in (py + size * 0.9, py - size * 1.7):
        box = (centre - half - 2, baseline - size * 0.3, centre + half + 2, baseline + size * 0.85)
        clear = all(box[2] < b[0] or box[0] > b[2] or box[3] < b[1] or box[1] > b[3] for b in marks.taken)
        if clear and baseline > bottom:
            marks.taken.append(box)
            marks.texts.append((centre, baseline, label, "middle", role))
            return


def _dates(marks: Layout, days: list[tuple[float, str]], bottom: float, lang: Language) -> None:
    """Dates under the x axis: the baseline's and the target's always, a result's where it does not crowd one."""
    taken: list[tuple[float, float]] = []
    gap = marks.font_size * 0.75
    for position, day in days:
        label = lang.day(day, "medium")
        centre, half = marks.centred(position, label), marks.text_width(label) / 2
        if any(centre - half < end + gap and centre + half > start - gap for start, end in taken):
            continue
        taken.append((centre - half, centre + half))
        marks.texts.append((centre, bottom - marks.font_size * 1.6, label, "middle", "date"))
        marks.lines.append((position, bottom - 4, position, bottom, "axis"))


LEGEND = (("baseline", N_("Baseline")), ("result", N_("Results")), ("target", N_("Target")))


def _legend(marks: Layout, with_results: bool, lang: Language) -> None:
    """Which mark is which, along the top left: shapes as well as colours, for a page printed in grey."""
    at, size = 0.0, marks.font_size
    for role, english in (kind for kind in LEGEND if with_results or kind[0] != "result"):
        label = lang.gettext(english)
        marks.dots.append((at + size / 2, marks.height - size, f"legend-{role}"))
        marks.texts.append((at + size * 1.4, marks.height - size * 1.35, label, "start", "legend"))
        at += size * 2.6 + marks.text_width(label)  # the dot and a gap as wide as a word's space or two


STYLE = {  # role: stroke, fill, stroke width, dash
    "grid": (RULE_HEX, None, 0.5, None),
    "axis": (MUTED_HEX, None, 0.8, None),
    "target": (TARGET_HEX, None, 1.2, (4, 3)),
    "results": (RESULT_HEX, None, 1.8, None),
    "baseline": (MUTED_HEX, "#ffffff", 1.5, None),
    "result": (RESULT_HEX, RESULT_HEX, 1.0, None),
}
TEXT_COLOURS = {"tick": MUTED_HEX, "date": MUTED_HEX, "legend": INK_HEX, "result": RESULT_HEX, "target": TARGET_HEX}


def _dot_role(role: str) -> str:
    return role.removeprefix("legend-")


def _diamond(cx: float, cy: float, r: float) -> list[float]:
    return [cx, cy + r, cx + r, cy, cx, cy - r, cx - r, cy]


def measure_drawing(chart: MeasureChart, width: float, height: float, lang: Language = IN_ENGLISH) -> Drawing:
    """The chart as reportlab graphics, ``width`` by ``height`` points, in ``lang``: a flowable for the plan PDF."""
    regular, _ = register_fonts()
    marks = layout(chart, width, height, lang=lang)
    drawing = Drawing(width, height)
    hexed = colors.HexColor
    for x1, y1, x2, y2, role in marks.lines:
        stroke, _, stroke_width, dash = STYLE[role]
        drawing.add(Line(x1, y1, x2, y2, strokeColor=hexed(stroke), strokeWidth=stroke_width, strokeDashArray=dash))
    if marks.results_line:
        stroke, _, stroke_width, _ = STYLE["results"]
        points = [value for point in marks.results_line for value in point]
        drawing.add(PolyLine(points, strokeColor=hexed(stroke), strokeWidth=stroke_width))
    for cx, cy, role in marks.dots:
        kind = _dot_role(role)
        if kind == "target":
            drawing.add(Polygon(_diamond(cx, cy, 4.5), fillColor=hexed(TARGET_HEX), strokeColor=None))
            continue
        stroke, fill, stroke_width, _ = STYLE[kind]
        drawing.add(Circle(cx, cy, 3.2, strokeColor=hexed(stroke), fillColor=hexed(fill), strokeWidth=stroke_width))
    for tx, ty, label, anchor, role in marks.texts:
        colour = hexed(TEXT_COLOURS.get(role, INK_HEX))
        drawing.add(
            String(tx, ty, label, fontName=regular, fontSize=marks.font_size, fillColor=colour, textAnchor=anchor)
        )
    return drawing


def measure_svg(
    chart: MeasureChart,
    id_prefix: str = "measure-chart",
    owner: str = "",
    lang: Language = IN_ENGLISH,
    font_size: float = SVG_FONT_SIZE,
) -> str:
    """The same chart as an inline SVG element: presentation attributes only (the page's policy refuses inline
    styles), no script, no outside reference, and its values in words for a screen reader. Its title is "My
    measure: …" on the person's own page, "<owner>: …" where colleagues see it. Its words are in ``lang``: the
    reader's. ``font_size`` is in the chart's units (400 wide): larger for the projector."""
    width, height = SVG_SIZE
    marks = layout(chart, width, height, font_size, lang)

    def flip(y: float) -> str:
        return f"{height - y:.1f}"

    title, desc = f"{id_prefix}-title", f"{id_prefix}-desc"
    heading = lang.gettext("{owner}: {what}", owner=owner or lang.gettext("My measure"), what=chart.what)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="measure-chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{title} {desc}" font-family="DejaVu Sans, Verdana, sans-serif" font-size="{font_size}">',
        f'<title id="{title}">{escape(heading)}</title>',
        f'<desc id="{desc}">{escape(" ".join(chart.in_words(lang)))}</desc>',
    ]
    for x1, y1, x2, y2, role in marks.lines:
        stroke, _, stroke_width, dash = STYLE[role]
        dashed = f' stroke-dasharray="{dash[0]} {dash[1]}"' if dash else ""
        parts.append(
            f'<line class="{role}-line" x1="{x1:.1f}" y1="{flip(y1)}" x2="{x2:.1f}" y2="{flip(y2)}" '
            f'stroke="{stroke}" stroke-width="{stroke_width}"{dashed}/>'
        )
    if marks.results_line:
        stroke, _, stroke_width, _ = STYLE["results"]
        points = " ".join(f"{px:.1f},{flip(py)}" for px, py in marks.results_line)
        parts.append(f'<polyline class="results-line" points="{points}" fill="none" stroke="{stroke}" '
                     f'stroke-width="{stroke_width}"/>')  # fmt: skip
    for cx, cy, role in marks.dots:
        kind = _dot_role(role)
        if kind == "target":
            corners = _diamond(cx, height - cy, 4.5)
            points = " ".join(f"{corners[n]:.1f},{corners[n + 1]:.1f}" for n in range(0, 8, 2))
            parts.append(f'<polygon class="{role}-point" points="{points}" fill="{TARGET_HEX}"/>')
            continue
        stroke, fill, stroke_width, _ = STYLE[kind]
        parts.append(f'<circle class="{role}-point" cx="{cx:.1f}" cy="{flip(cy)}" r="3.2" fill="{fill}" '
                     f'stroke="{stroke}" stroke-width="{stroke_width}"/>')  # fmt: skip
    for tx, ty, label, anchor, role in marks.texts:
        colour = TEXT_COLOURS.get(role, INK_HEX)
        parts.append(f'<text class="{role}-label" x="{tx:.1f}" y="{flip(ty)}" text-anchor="{anchor}" '
                     f"fill={quoteattr(colour)}>{escape(label)}</text>")  # fmt: skip
    parts.append("</svg>")
    return "".join(parts)
