/** The phone during a progress round: who is featured (name, system goal, goal) and a box for warm feedback to them,
 * said "Sent" once the server has kept it. Feedback written while the phone is offline waits in this phone's
 * outbox and goes when it is back (each with its own id, so a resend lands once). The featured person's own phone
 * shows their card without the box. */

import { $, h, show } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { randomId } from '../lib/ids.js';
import { ask } from '../lib/socket.js';
import { kept } from './storage.js';

const w = (key, vars) => t(`phone.progress_round.${key}`, vars);
const ACK_TIMEOUT = 10000;

let socket = null;
let outboxKey = '';
let round = { active: false };
const typed = new Map(); // the feedback being written, by the round and the card's place in it
const cardKey = () => `${round.round}:${round.at}`;
let flushing = false; // one pass over the outbox at a time: two at once would send each item twice

const outbox = () => kept((s) => JSON.parse(s.getItem(outboxKey) || '[]')) || [];
const keep = (items) => kept((s) => (items.length ? s.setItem(outboxKey, JSON.stringify(items)) : s.removeItem(outboxKey)));

function say(text, kind) {
  const line = $('progress-round-status');
  if (!line) return;
  line.textContent = text;
  line.dataset.kind = kind || '';
}

const REFUSALS = new Set(['not_shared', 'own_progress', 'no_progress_round']);

/** Send what waits in the outbox, oldest first; each leaves it once the server answered (kept, or refused). */
async function flush() {
  if (flushing) return;
  flushing = true;
  try {
    for (const item of outbox()) {
      if (!socket || !socket.connected) return;
      const { timeout, ack } = await ask(socket, 'warm_feedback',
        { round: item.round, at: item.at, feedback_id: item.feedback_id, body: item.body }, ACK_TIMEOUT);
      if (timeout) return say(w('waiting', { name: item.name }), 'note');
      keep(outbox().filter((other) => other.feedback_id !== item.feedback_id));
      if (ack && ack.ok) say(w('sent', { name: item.name }), 'ok');
      else say(REFUSALS.has(ack && ack.code) ? w(`refused_${ack.code}`, { name: item.name }) : (ack && ack.error) || '', 'error');
    }
  } finally {
    flushing = false;
  }
  if (outbox().length && socket && socket.connected) flush(); // written while this pass was on its way
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
  keep([...outbox(), item]);
  typed.delete(cardKey());
  text.value = '';
  if (!socket || !socket.connected) return say(w('waiting', { name: item.name }), 'note');
  say(w('sending'));
  flush();
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
  outboxKey = `pathways:feedback:${code}`;
  socket.on('welcome', () => { // sent first on every connection: the round follows if one runs
    round = { active: false };
    render();
  });
  socket.on('progress_round', (message) => {
    round = message || { active: false };
    render();
  });
  socket.on('connect', flush);
}
