/** The phone during a progress round: who is featured (name, system goal, goal) and a box for warm feedback to them,
 * said "Sent" once the server has kept it. Feedback written while the phone is offline waits in this phone's outbox
 * (outbox.js) and goes when it is back (each with its own id, so a resend lands once). The featured person's own
 * phone shows their card without the box. */

import { $, h, show } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { randomId } from '../lib/ids.js';
import { outbox, outboxKey } from './outbox.js';

const w = (key, vars) => t(`phone.progress_round.${key}`, vars);

let socket = null;
let sent = null; // the outbox of feedback (outbox.js), made with the connection
let round = { active: false };
const typed = new Map(); // the feedback being written, by the round and the card's place in it
const cardKey = () => `${round.round}:${round.at}`;

function say(text, kind) {
  const line = $('progress-round-status');
  if (!line) return;
  line.textContent = text;
  line.dataset.kind = kind || '';
}

const REFUSALS = new Set(['not_shared', 'own_progress', 'no_progress_round']);

/** Feedback the server has answered: kept, or refused (the round moved on, say). */
function answered(item, ack) {
  if (ack.ok) say(w('sent', { name: item.name }), 'ok');
  else say(REFUSALS.has(ack.code) ? w(`refused_${ack.code}`, { name: item.name }) : ack.error || '', 'error');
}

function submit(event) {
  event.preventDefault();
  const text = $('progress-round-feedback');
  const body = text.value.trim();
  if (!body) {
    say(w('empty'), 'error');
    return text.focus();
  }
  const item = { round: round.round, at: round.at, feedback_id: randomId(), body, name: round.featured.name };
  typed.delete(cardKey());
  text.value = '';
  say(w('sending'));
  sent.add(item); // says "waiting" instead while the phone is offline
}

function render() {
  const section = $('progress-round');
  show(section, Boolean(round.active));
  if (!round.active) return section.replaceChildren();
  const featured = round.featured;
  const heading = h('h2', { id: 'progress-round-heading', text: featured ? featured.name : w('moving_on') });
  const parts = [h('p', { class: 'kicker', text: `${w('kicker')} · ${w('place', { n: round.place, of: round.of })}` }), heading];
  if (featured) {
    if (featured.system_goal) parts.push(h('p', { class: 'hint', text: featured.system_goal }));
    parts.push(h('p', { class: 'progress-round-goal', 'data-testid': 'phone-round-goal', text: featured.goal }));
  }
  if (featured && round.yours) parts.push(h('p', { class: 'note', 'data-testid': 'phone-round-yours', text: w('yours') }));
  if (featured && !round.yours) {
    const text = h('textarea', { id: 'progress-round-feedback', rows: '3', maxlength: '1000', 'aria-describedby': 'progress-round-hint',
      'data-testid': 'phone-round-feedback' });
    text.value = typed.get(cardKey()) || '';
    text.addEventListener('input', () => typed.set(cardKey(), text.value));
    parts.push(h('form', { class: 'stack', novalidate: true, onsubmit: submit },
      h('label', { for: 'progress-round-feedback', text: w('label', { name: featured.name }) }),
      h('p', { class: 'hint', id: 'progress-round-hint', text: w('hint', { name: featured.name }) }),
      text,
      h('button', { type: 'submit', class: 'button', 'data-testid': 'phone-round-send' }, w('send'))));
  }
  const status = $('progress-round-status');
  parts.push(h('p', { id: 'progress-round-status', class: 'progress-round-status', role: 'status', 'data-testid': 'phone-round-status',
    'data-kind': status ? status.dataset.kind : '', text: status ? status.textContent : '' }));
  section.replaceChildren(...parts);
}

/** Follow the round on this phone's connection; ``code`` names this session's outbox. */
export function watchProgressRound(connection, code) {
  socket = connection;
  sent = outbox(outboxKey('feedback', code), {
    socket: () => socket,
    send: (item) => ['warm_feedback', { round: item.round, at: item.at, feedback_id: item.feedback_id, body: item.body }],
    idOf: (item) => item.feedback_id,
    answered,
    waiting: (item) => say(w('waiting', { name: item.name }), 'note'),
  });
  socket.on('welcome', () => { // sent first on every connection: the round follows if one runs
    round = { active: false };
    render();
  });
  socket.on('progress_round', (message) => {
    round = message || { active: false };
    render();
  });
  socket.on('connect', sent.flush);
}
