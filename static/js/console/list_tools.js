/** What the console's long lists share: searching without regard to case or accents, waiting for the typing to
 * stop, drawing at most once a frame, and putting rows in order without taking the focus from the one it is on. */

const LETTERS = { ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', æ: 'ae', œ: 'oe', ß: 'ss', ı: 'i' }; // no accent to drop

/** Text as searched: "Zoë Ødegård" is found by "zoe odegard", "ZOË" and "Ødegård". */
export const folded = (text) => String(text || '').normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase()
  .replace(/[øłđðþæœßı]/g, (letter) => LETTERS[letter]);

/** ``run`` once the calls have stopped for ``ms``: a filter follows the typing, not every key. */
export function debounce(run, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => run(...args), ms);
  };
}

/** ``draw`` at the next frame, however often it is asked for before then: a burst of answers is one render. */
export function perFrame(draw) {
  let asked = false;
  return () => {
    if (asked) return;
    asked = true;
    requestAnimationFrame(() => {
      asked = false;
      draw();
    });
  };
}

/** ``parent``'s children become ``nodes``, in order. Nodes already there and already in order stay put (moving a
 * node would drop the keyboard focus inside it); only new ones are inserted and old ones removed. */
export function placeInOrder(parent, nodes) {
  const wanted = new Set(nodes);
  for (const child of Array.from(parent.children)) if (!wanted.has(child)) child.remove();
  let cursor = parent.firstElementChild;
  for (const node of nodes) {
    if (node === cursor) cursor = cursor.nextElementSibling;
    else parent.insertBefore(node, cursor);
  }
}
