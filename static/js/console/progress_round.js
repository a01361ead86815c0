/** The console's progress round: start it, move next and back (buttons, and → ← while it runs), end it. Each move
 * carries the place the console shows (``from``), so a double click or a clicker's double fire moves once. */

import { inAField } from '../lib/keys.js';
import { $, h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { progressCard } from '../lib/progress_card.js';
import { desk, send, status } from './desk.js';
const MOVE_KEYS = { ArrowRight: 'progress_round_next', PageDown: 'progress_round_next',
  ArrowLeft: 'progress_round_prev', PageUp: 'progress_round_prev' };

// A clicker's double fire or a double press lands within this of the first (as the agenda's moves: controls.js).
const MOVE_SETTLE_MS = 400;

let round = { active: false }; // the last progress_round message
let moving = false; // a move is on its way: presses meanwhile are dropped

async function move(event, click) {
  if (!round.active || moving || (click && click.detail > 1)) return;
  moving = true;
  render();
  const settled = new Promise((resolve) => { setTimeout(resolve, MOVE_SETTLE_MS); });
  const ack = await send(event, { from: round.at }, true);
  await settled; // a double click's second press lands within this: it is dropped, not sent from the new place
  moving = false;
  if (ack && !ack.ok) status(ack.code === 'stale_move' ? t('The round had already moved on; nothing changed.') : ack.error, ack.code === 'stale_move' ? 'note' : 'error');
  else if (ack && ack.active === false) status(t('The progress round has ended.'), 'note');
  render();
}

async function start(button) {
  button.disabled = true;
  const ack = await send('progress_round_start', {}, true);
  button.disabled = false;
  if (ack && !ack.ok) status(ack.error, 'error');
}

async function end() {
  const ack = await send('progress_round_end', {}, true);
  if (ack && ack.ok) status(t('The progress round has ended.'), 'note');
}

function render() {
  const panel = $('progress-round');
  panel.dataset.active = String(Boolean(round.active));
  $('progress-round-start').hidden = Boolean(round.active);
  const body = $('progress-round-body');
  if (!round.active) {
    body.replaceChildren();
    return;
  }
  const button = (id, label, event) => h('button', { type: 'button', class: 'button small secondary', id,
    'data-testid': id, disabled: moving, onclick: (e) => move(event, e) }, label);
  body.replaceChildren(
    h('p', { class: 'kicker', 'data-testid': 'progress-round-place' },
      `${t('Featured now')} · ${t('{n} of {of}', { n: round.place, of: round.of })}`),
    round.featured ? progressCard(round.featured, { heading: 'h3' })
      : h('p', { class: 'note', 'data-testid': 'progress-round-withdrawn', text: t('This person has just stopped sharing their progress: move on.') }),
    h('div', { class: 'button-row' },
      button('progress-round-prev', `← ${t('Previous person')}`, 'progress_round_prev'),
      button('progress-round-next', `${t('Next person')} →`, 'progress_round_next'),
      h('button', { type: 'button', class: 'button small danger', 'data-testid': 'progress-round-end', onclick: end }, t('End the round'))),
    h('p', { class: 'hint', text: t('→ next person, ← previous, while the round runs.') }),
    h('h3', { text: t('In turn') }),
    h('ol', { class: 'progress-round-people', 'data-testid': 'progress-round-people' },
      (round.people || []).map((person) => h('li', { 'aria-current': person.featured ? 'true' : null, text: person.name }))));
}

/** Wire the panel and the keys. Called before the agenda's own keys are wired: while a round runs, → and ← move
 * the round, not the agenda. */
export function wireProgressRound() {
  $('progress-round-start').addEventListener('click', (event) => start(event.currentTarget));
  desk.socket.on('progress_round', (message) => { // on every (re)connection too: the round, or none running
    round = message || { active: false };
    render();
  });
  window.addEventListener('keydown', (event) => {
    if (!round.active || !MOVE_KEYS[event.key] || event.altKey || event.ctrlKey || event.metaKey) return;
    if (inAField(event.target)) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    if (!event.repeat) move(MOVE_KEYS[event.key]);
  }, true);
  render();
}
