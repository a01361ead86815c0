/** The console's lists' single letters, one handler for them all: j and k move through a list, h hides or shows the
 * row in focus on the projector, s spotlights it, a approves it. Enter presses the focused control (an answer's line
 * opens); space stays the timer. Never while typing in a field, never with a modifier, never in a list off the
 * screen (presenter safe takes the answers away). */

import { inAField } from '../lib/keys.js';

const MODERATION = { h: 'hidden', s: 'spotlight', a: 'approved' };
const lists = [];

/** A list's keys. ``within(node)``: whether the focus is in it (its letters act only then, so a stray letter
 * elsewhere changes nothing); ``shown()``: whether it is on the screen; ``move(1 | -1)`` moves through it;
 * ``current(node)`` names the row a letter acts on (null: none); ``moderate(key, flag)`` changes that row and
 * resolves once the server has answered; ``flags``: the letters' flags it knows; ``anywhere``: j and k move it
 * when the focus is in no list.
 *
 * A key held down is one press. Presses on one row wait for each other: each sends one change, reading the row
 * as the change before left it, so a double press spotlights then ends the spotlight, never sends "on" twice. */
export function wireListKeys({ within, shown, move, current, moderate, flags, anywhere = false }) {
  lists.push({ within, shown, move, current, moderate, flags: new Set(flags), anywhere, pending: new Map() });
}

function press(list, key, flag) {
  const before = list.pending.get(key) || Promise.resolve();
  const after = before.then(() => list.moderate(key, flag)).catch(() => null);
  list.pending.set(key, after);
  after.then(() => { if (list.pending.get(key) === after) list.pending.delete(key); });
}

window.addEventListener('keydown', (event) => {
  if (event.altKey || event.ctrlKey || event.metaKey) return;
  if (inAField(event.target)) return; // a field's own keys
  const inside = lists.find((list) => list.shown() && list.within(event.target));
  if (event.key === 'j' || event.key === 'k') {
    const list = inside || lists.find((each) => each.anywhere && each.shown());
    if (!list) return;
    event.preventDefault();
    list.move(event.key === 'j' ? 1 : -1);
  } else if (inside && inside.flags.has(MODERATION[event.key])) {
    event.preventDefault();
    const key = inside.current(event.target);
    if (!event.repeat && key != null) press(inside, key, MODERATION[event.key]);
  }
});
