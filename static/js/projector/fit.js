/** Fitting text to the room's screen: the largest size at which a box's content shows whole, and the sizes the
 * projector's CSS sets (static/css/projector.css) read back in pixels. */

/** A box whose content runs past its edges (a pixel of rounding allowed). */
export function overflows(box) {
  return box.scrollHeight > box.clientHeight + 1 || box.scrollWidth > box.clientWidth + 1;
}

/** One of projector.css's registered sizes (``--label-size``…) as it computes on ``element``, in pixels. */
export function cssPx(element, property) {
  return parseFloat(getComputedStyle(element).getPropertyValue(property)) || 0;
}

/** The largest size in [low, high] at which ``fits()`` holds once ``apply(size)`` ran; ``low`` when none does.
 * The size is left applied; a few layouts at most (a binary search to the pixel). */
export function fitSize(low, high, apply, fits) {
  apply(high);
  if (high <= low || fits()) return high;
  let good = low;
  let bad = high;
  while (bad - good > 1) {
    const middle = (good + bad) / 2;
    apply(middle);
    if (fits()) good = middle;
    else bad = middle;
  }
  apply(good);
  return good;
}

/** Hide a list's items from the end until the list shows whole: for lists of the newest first. */
export function keepWhatFits(list) {
  const items = [...list.children];
  items.forEach((item) => { item.hidden = false; });
  for (let last = items.length - 1; last > 0 && overflows(list); last -= 1) items[last].hidden = true;
}
