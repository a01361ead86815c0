"""The projector read from the back of a hall, measured in the page: the floors every view keeps (data labels,
the prompt, the corner's address), each visible text's size and whether anything cuts it, and the share of the
screen a picture uses."""

from typing import Any

from playwright.sync_api import Page, expect

LABEL_PX, PROMPT_PX, DETAIL_PX = 32, 40, 24  # the floors: data labels, the prompt, the corner's address

# What the projector shows, measured in the page: every visible element with text of its own (its font size, and
# whether anything cuts it: the screen's edge, a clipping box, its own clamp, text wider than its box), the boxes
# and the font sizes of the selectors the test asks for, and whether the page scrolls either way.
MEASURE = """async ([boxes, labels]) => {
  await Promise.all(document.getAnimations().map((animation) => animation.finished)); // bars at rest
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const inside = (r, b) => r.left >= b.left - 1 && r.top >= b.top - 1
    && r.right <= b.right + 1 && r.bottom <= b.bottom + 1;
  const screen = { left: 0, top: 0, right: innerWidth, bottom: innerHeight };
  const texts = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('script, .skip-link, .fullscreen') || !shown(el)) continue;
    if (![...el.childNodes].some((node) => node.nodeType === 3 && node.textContent.trim())) continue;
    const rect = el.getBoundingClientRect();
    const clips = getComputedStyle(el).overflow !== 'visible';
    const boxed = !(el instanceof SVGElement) && el.clientWidth > 0; // an SVG's words have no box of their own
    let cut = !inside(rect, screen) || (boxed
      && (el.scrollWidth > el.clientWidth + 1 || (clips && el.scrollHeight > el.clientHeight + 1)));
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
      if (getComputedStyle(box).overflow !== 'visible' && !inside(rect, box.getBoundingClientRect())) cut = true;
    }
    texts.push({ text: el.textContent.trim().slice(0, 50), size: parseFloat(getComputedStyle(el).fontSize), cut,
                 spotlit: Boolean(el.closest('.spotlight')) });
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
