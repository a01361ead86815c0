/** The answers list's single letters: j and k move the selection, h hides or shows the selected answer on the
 * projector, s spotlights it, a approves it. Enter opens a row (each row is a button); space stays the timer.
 * Never while typing in a field, never with a modifier, never in presenter safe (the list is off the screen). */

import { inAField } from '../lib/keys.js';

const MODERATION = { h: 'hidden', s: 'spotlight', a: 'approved' };

/** ``move(1 | -1)`` moves the selection; ``moderate(flag)`` acts on the selected answer; ``inList(node)`` says
 * whether the focus is in the list: moderation keys act only there, so a stray letter elsewhere changes nothing. */
export function wireAnswerKeys({ move, moderate, inList }) {
  window.addEventListener('keydown', (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (inAField(event.target)) return; // a field's own keys
    if (document.body.classList.contains('presenter-safe')) return;
    if (event.key === 'j' || event.key === 'k') {
      event.preventDefault();
      move(event.key === 'j' ? 1 : -1);
    } else if (MODERATION[event.key] && inList(event.target)) {
      event.preventDefault();
      if (!event.repeat) moderate(MODERATION[event.key]);
    }
  });
}
