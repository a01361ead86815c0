/** Moving the room and running the timer and the QR code: the buttons, and the keys a presenter's clicker sends. */

import { inAField } from '../lib/keys.js';
import { $ } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { timeLeft } from '../lib/clock.js';
import { desk, send, status } from './desk.js';

// A clicker's double fire or a double press lands within this of the first; a presenter's second press rarely does.
const MOVE_SETTLE_MS = 400;

let moveUnanswered = false; // a move is on its way to the server
let moveSettling = false; // ...or was answered less than MOVE_SETTLE_MS after it was sent: moves wait for both
let timerAfterMove = false; // space pressed while a move was on its way: it is for the step the move opens

export const stepSeconds = () => Math.round(((desk.state && desk.state.step && desk.state.step.minutes) || 0) * 60);

function toggleTimer() {
  if (moveUnanswered) {
    timerAfterMove = !timerAfterMove;
    return;
  }
  if (!desk.state || desk.state.phase !== 'step') return;
  const left = timeLeft(desk.state);
  if (!left) {
    if (stepSeconds() > 0) send('timer', { action: 'start', seconds: stepSeconds() });
  } else if (left.running) send('timer', { action: 'pause' });
  else send('timer', { action: 'resume' });
}

const toggleQr = () => desk.state && send('show_qr', { on: !desk.state.show_qr });

/**
 * Move the room, from the step this console shows open: the server refuses a move from a step the room has left
 * (``stale_move``), so a double press moves once. One move at a time: presses while one is on its way or
 * settling are dropped, as is the second click of a double-click.
 */
export async function move(name, payload, click) {
  if (!desk.state || movePending() || (click && click.detail > 1)) return;
  const focused = document.activeElement;
  const focusKey = focused && focused.dataset ? focused.dataset.focus || focused.id : null;
  moveUnanswered = true;
  moveSettling = true;
  renderMoveButtons();
  const settled = new Promise((resolve) => { setTimeout(resolve, MOVE_SETTLE_MS); });
  const ack = await send(name, { ...payload, from: desk.state.step ? desk.state.step.id : null }, true);
  moveUnanswered = false;
  if (ack && !ack.ok) {
    if (ack.code === 'stale_move') status(t('Not moved: the room had already left the step shown here.'), 'note');
    else status(ack.error || name, 'error');
  }
  if (timerAfterMove) {
    timerAfterMove = false;
    toggleTimer();
  }
  await settled;
  moveSettling = false;
  renderMoveButtons();
  // A disabled button loses the focus (and the agenda is rebuilt): a keyboard user gets it back where it was.
  const lost = !document.activeElement || document.activeElement === document.body;
  const again = focusKey && document.querySelector(`[data-focus="${CSS.escape(focusKey)}"], #${CSS.escape(focusKey)}`);
  if (lost && again && !again.disabled) again.focus();
}

export const movePending = () => moveUnanswered || moveSettling;

/** Back, Next and the agenda's steps wait while a move is on its way. */
export function renderMoveButtons() {
  $('back').disabled = movePending() || !desk.state || desk.state.phase === 'lobby';
  $('next').disabled = movePending() || !desk.state || desk.state.phase === 'ended';
  for (const button of document.querySelectorAll('.agenda-step')) button.disabled = movePending();
}

// Keys for a presenter with a clicker: → next, ← back, space for the timer, q for the QR code. Buttons keep Enter.
const MOVE_KEYS = { ArrowRight: 'next', PageDown: 'next', ArrowLeft: 'prev', PageUp: 'prev' };
const TEXT_INPUTS = new Set(['text', 'search', 'email', 'url', 'tel', 'password']);
const isSpace = (event) => event.key === ' ' && !(event.altKey || event.ctrlKey || event.metaKey);
/** A field where a space is typed: the only place space is not the timer. */
const typesSpace = (node) => Boolean(node.closest && (node.closest('textarea, [contenteditable]')
  || (node.matches('input') && TEXT_INPUTS.has(node.type))));

/** The buttons and keys that move the room, run the timer and put the QR code up. */
export function wireControls() {
  $('back').addEventListener('click', (event) => move('prev', {}, event));
  $('next').addEventListener('click', (event) => move('next', {}, event));
  $('lock').addEventListener('click', () => desk.state && send('lock', { locked: !desk.state.locked }));
  $('qr-toggle').addEventListener('click', toggleQr);
  $('timer-start').addEventListener('click', () => send('timer', { action: 'start', seconds: stepSeconds() }));
  $('timer-pause').addEventListener('click', () => send('timer', { action: 'pause' }));
  $('timer-resume').addEventListener('click', () => send('timer', { action: 'resume' }));
  $('timer-extend').addEventListener('click', () => send('timer', { action: 'extend', seconds: 60 }));

  // Space is the timer whatever has focus: it must never press the focused button (a mouse click on Next leaves
  // the focus there). Its default is stopped on keydown and on keyup, where a button would fire its click.
  window.addEventListener('keydown', (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (isSpace(event)) {
      if (typesSpace(event.target)) return;
      event.preventDefault();
      if (!event.repeat) toggleTimer();
      return;
    }
    if (inAField(event.target)) return; // a field's own keys
    if (MOVE_KEYS[event.key]) {
      event.preventDefault();
      if (!event.repeat) move(MOVE_KEYS[event.key], {});
    } else if ((event.key === 'q' || event.key === 'Q') && !event.repeat) {
      event.preventDefault();
      toggleQr();
    }
  }, true);
  window.addEventListener('keyup', (event) => {
    if (isSpace(event) && !typesSpace(event.target)) event.preventDefault();
  }, true);
}
