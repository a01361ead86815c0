"""The projector read from the back of a hall, measured in the page: the floors every view keeps (data labels,
the prompt, the corner's address), each visible text's size and whether anything cuts it, and the share of the
screen a picture uses."""

import re
from typing import Any

from playwright.sync_api import Page, expect

LABEL_PX, PROMPT_PX, DETAIL_PX = 32, 40, 24  # the floors: data labels, the prompt, the corner's address
NON_TEXT_CONTRAST = 3  # WCAG 1.4.11: a bar against what is around it

# The hall protocol's texts in Spanish and French (tests/test_projector_hall_browser.py), an option's label longer
# than the English.
HALL_TRANSLATIONS = """
[translations.es]
norms = ["Primero, escuchar.", "Exigentes con el contenido, amables con las personas."]
[translations.es.steps.goal]
title = "Elige tu objetivo del sistema"
prompt = "¿A qué objetivo del sistema servirá tu trabajo este trimestre?"
[translations.es.steps.focus]
title = "Elige un enfoque"
prompt = "¿Qué enfoque importa más ahora mismo para tu alumnado?"
options.feedback-students-act-on-within-the-lesson = "Retroalimentación que el alumnado aplica en la misma clase"
options.reading = "Lectura"
options.talk = "Diálogo"
[translations.es.steps.ready]
title = "¿Cómo de preparado estás?"
prompt = "¿Te sientes preparado para empezar la semana próxima?"
min_label = "Todavía no"
max_label = "Preparado"
[translations.es.steps.priorities]
title = "Ordena las prioridades"
prompt = "Pon primero lo que más te ayudaría."
options = { time = "Tiempo", coaching = "Acompañamiento", materials = "Materiales", peer-visits = "Visitas" }
[translations.es.steps.vote]
title = "Votación por puntos"
prompt = "Da tus cinco puntos a las ideas que más importan."

[translations.fr]
norms = ["D'abord écouter.", "Exigeants sur le contenu, bienveillants envers les personnes."]
[translations.fr.steps.goal]
title = "Choisissez votre objectif du système"
prompt = "Quel objectif du système votre travail servira-t-il ce trimestre ?"
[translations.fr.steps.focus]
title = "Choisissez une priorité"
prompt = "Quelle priorité compte le plus pour vos élèves en ce moment ?"
options.feedback-students-act-on-within-the-lesson = "Des retours que les élèves mettent en pratique en classe"
options.reading = "Lecture"
options.talk = "Prise de parole"
[translations.fr.steps.ready]
title = "Êtes-vous prêt ?"
prompt = "Vous sentez-vous prêt à commencer la semaine prochaine ?"
min_label = "Pas encore"
max_label = "Prêt"
[translations.fr.steps.priorities]
title = "Classez les priorités"
prompt = "Placez en premier ce qui vous aiderait le plus."
options = { time = "Du temps", coaching = "L'accompagnement", materials = "Du matériel", peer-visits = "Des visites" }
[translations.fr.steps.vote]
title = "Vote par points"
prompt = "Donnez vos cinq points aux idées qui comptent le plus."
"""
# A room's ideas as the server ranks them for the projector (ten at most): short ones, three of two lines, one of
# 280 characters (the longest an idea may be by default); and how many votes each gets.
ROOM_IDEAS = [
    "Exit tickets every lesson",
    "Time in every staff meeting to look at student work together and agree on one change we will all try next week",
    "A coaching cycle for every teacher who asks for one: a first talk about the class and the students it is for, "
    "a visit to a lesson with notes on what the students did and said, then a second talk to agree the next step, "
    "and a follow-up visit a month later to see what changed there",
    "Peer visits each half term",
    "A shared bank of hinge questions for each unit, written by the department and tried in class before it starts",
    "Coaching for new teachers",
    "Students write one question at the start of each lesson and we come back to the best ones before the bell",
    "Fewer, better meetings",
    "Reading aloud every day",
    "A quiet room at lunch",
]
ROOM_VOTES = [3, 6, 5, 2, 4, 2, 3, 1, 1, 1]
# A spotlighted answer of 1,000 characters: too long for the screen at any size the spotlight may take.
LONG_ANSWER = " ".join(
    f"In lesson {n} the class started with a question from a student, and we came back to it at the end to see "
    f"what had changed in how they talked about it."
    for n in range(1, 8)
)[:1000]

# What the projector shows, measured in the page: every visible element with text of its own (its font size, and
# whether anything cuts it: the screen's edge, a clipping box, text wider than its box, a box too small for its
# lines), the boxes and the font sizes of the selectors the test asks for, and whether the page scrolls either way.
# Text cut to whole lines by its own line clamp ends in an ellipsis: it is ``clamped``, not cut; a clamped box
# showing more or less than its lines (a line under the ellipsis, in its padding or not, a line sliced through) is cut.
MEASURE = """async ([boxes, labels]) => {
  await Promise.all(document.getAnimations().map((animation) => animation.finished)); // bars at rest
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const inside = (r, b) => r.left >= b.left - 1 && r.top >= b.top - 1
    && r.right <= b.right + 1 && r.bottom <= b.bottom + 1;
  const px = (value) => parseFloat(value) || 0;
  const wholeLines = (box) => {
    const style = getComputedStyle(box);
    const lines = parseInt(style.webkitLineClamp, 10);
    const height = box.clientHeight - px(style.paddingTop) - px(style.paddingBottom);
    return lines > 0 && box.scrollHeight > box.clientHeight + 1 && Math.abs(height - lines * px(style.lineHeight)) <= 2
      && px(style.paddingBottom) < 1; // the line past the clamp would show in a padding's space
  };
  const screen = { left: 0, top: 0, right: innerWidth, bottom: innerHeight };
  const texts = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('script, .skip-link, .fullscreen') || !shown(el)) continue;
    if (![...el.childNodes].some((node) => node.nodeType === 3 && node.textContent.trim())) continue;
    const rect = el.getBoundingClientRect();
    const clips = getComputedStyle(el).overflow !== 'visible';
    const boxed = !(el instanceof SVGElement) && el.clientWidth > 0; // an SVG's words have no box of their own
    const clamped = boxed && clips && wholeLines(el);
    let cut = !inside(rect, screen) || (boxed && !clamped
      && (el.scrollWidth > el.clientWidth + 1 || (clips && el.scrollHeight > el.clientHeight + 1)));
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
      if (getComputedStyle(box).overflow === 'visible' || inside(rect, box.getBoundingClientRect())) continue;
      const top = box.getBoundingClientRect().top;
      if (!(wholeLines(box) && rect.top >= top - 1)) cut = true; // inside a clamped box: its first lines show
    }
    texts.push({ text: el.textContent.trim().slice(0, 50), size: parseFloat(getComputedStyle(el).fontSize), cut,
                 clamped, spotlit: Boolean(el.closest('.spotlight, .idea-spotlight')) });
  }
  const found = {};
  for (const selector of boxes) {
    const el = [...document.querySelectorAll(selector)].find(shown);
    found[selector] = el ? el.getBoundingClientRect().toJSON() : null;
  }
  const sizes = {};
  for (const selector of labels) {
    sizes[selector] = [...document.querySelectorAll(selector)].filter(shown)
      .map((el) => parseFloat(getComputedStyle(el).fontSize));
  }
  const page = document.documentElement;
  return { texts, boxes: found, sizes, scrolls: page.scrollWidth > innerWidth || page.scrollHeight > innerHeight };
}"""


def measure(page: Page, size: dict[str, int], boxes: list[str], labels: list[str]) -> dict[str, Any]:
    """The projector at ``size`` once its picture is fitted to it (``data-layout`` says which size it was fitted to)."""
    page.set_viewport_size(size)
    if page.get_by_test_id("step").is_visible():
        expect(page.locator("#main")).to_have_attribute("data-layout", f"{size['width']}x{size['height']}")
    return page.evaluate(MEASURE, [boxes, labels])


def share(seen: dict[str, Any], selector: str, size: dict[str, int]) -> float:
    box = seen["boxes"][selector]
    assert box is not None, f"{selector} is not on the screen"
    return box["width"] * box["height"] / (size["width"] * size["height"])


def assert_readable(seen: dict[str, Any], size: dict[str, int], labels: dict[str, float]) -> None:
    """Nothing runs off the screen or out of its box, and each selector's text is at least its floor in pixels."""
    where = f"at {size['width']}x{size['height']}"
    assert not seen["scrolls"], f"the projector scrolls {where}"
    cut = [text for text in seen["texts"] if text["cut"]]
    assert not cut, f"text cut off {where}: {cut}"
    for selector, floor in labels.items():
        sizes = seen["sizes"][selector]
        assert sizes, f"no {selector} on the screen {where}"
        assert min(sizes) >= floor, f"{selector} is {min(sizes)}px {where}, under {floor}px"


# An SVG's words scale with it: the size a reader sees is the font size in the drawing's units times its scale.
CHART_TEXT_PX = """(svg) => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return [...svg.querySelectorAll('text')].map((text) => parseFloat(getComputedStyle(text).fontSize) * scale);
}"""


def chart_text_px(page: Page, selector: str) -> list[float]:
    """The size on screen, in pixels, of each word of the SVG chart at ``selector``."""
    return page.locator(selector).evaluate(CHART_TEXT_PX)


def contrast(one: str, other: str) -> float:
    """WCAG's contrast ratio between two CSS colours written ``rgb(r, g, b)``, as the page computes them."""

    def luminance(colour: str) -> float:
        channels = [int(part) / 255 for part in re.findall(r"\d+", colour)[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
