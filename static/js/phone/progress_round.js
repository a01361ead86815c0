/** The phone during a progress round: who is featured (name, system goal, goal) and a box for warm feedback to them,
 * said "Sent" once the server has kept it. Feedback written while the phone is offline waits in this phone's outbox
 * (outbox.js) and goes when it is back (each with its own id, so a resend lands once). The featured person's own
 * phone shows their card without the box. */

import { $, h, show } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { randomId } from '../lib/ids.js';
import { outbox, outboxKey } from './outbox.js';

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

/** Why feedback to ``name`` was refused, in the phone's words, for the refusals a person can act on. */
function refusal(code, name) {
  switch (code) {
    case 'not_shared': return t('{name} no longer shares their progress, so your feedback was not sent.', { name });
    case 'own_progress': return t('This is your own progress: warm feedback is for your colleagues.');
    case 'no_progress_round': return t('The progress round has ended, so your feedback to {name} was not sent.', { name });
    default: return null;
  }
}

/** Feedback the server has answered: kept, or refused (the round moved on, say). */
function answered(item, ack) {
  if (ack.ok) say(t('Sent to {name}.', { name: item.name }), 'ok');
  else say(refusal(ack.code, item.name) || ack.error || '', 'error');
}

function submit(event) {
  event.preventDefault();
  const text = $('progress-round-feedback');
  const body = text.value.trim();
  if (!body) {
    say(t('Write your feedback first.'), 'error');
    return text.focus();
  }
  const item = { round: round.round, at: round.at, feedback_id: randomId(), body, name: round.featured.name };
  typed.delete(cardKey());
  text.value = '';
  say(t('Sending…'));
  sent.add(item); // says "waiting" instead while the phone is offline
}

function render() {
  const section = $('progress-round');
  show(section, Boolean(round.active));
  if (!round.active) return section.replaceChildren();
  const featured = round.featured;
  const heading = h('h2', { id: 'progress-round-heading', text: featured ? featured.name : t('Moving on…') });
  const parts = [h('p', { class: 'kicker', text: `${t('Progress round')} · ${t('{n} of {of}', { n: round.place, of: round.of })}` }), heading];
  if (featured) {
    if (featured.system_goal) parts.push(h('p', { class: 'hint', text: featured.system_goal }));
    parts.push(h('p', { class: 'progress-round-goal', 'data-testid': 'phone-round-goal', text: featured.goal }));
  }
  if (featured && round.yours) parts.push(h('p', { class: 'note', 'data-testid': 'phone-round-yours', text: t('This is your progress on the screen: colleagues can send you warm feedback now.') }));
  if (featured && !round.yours) {
    const text = h('textarea', { id: 'progress-round-feedback', rows: '3', maxlength: '1000', 'aria-describedby': 'progress-round-hint',
      'data-testid': 'phone-round-feedback' });
    text.value = typed.get(cardKey()) || '';
    text.addEventListener('input', () => typed.set(cardKey(), text.value));
    parts.push(h('form', { class: 'stack', novalidate: true, onsubmit: submit },
      h('label', { for: 'progress-round-feedback', text: t('Warm feedback for {name}', { name: featured.name }) }),
      h('p', { class: 'hint', id: 'progress-round-hint', text: t("Say what is working. It goes to {name}'s plan page, with your name.", { name: featured.name }) }),
      text,
      h('button', { type: 'submit', class: 'button', 'data-testid': 'phone-round-send' }, t('Send'))));
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
    waiting: (item) => say(t('Kept on this phone: it goes to {name} as soon as you are back online.', { name: item.name }), 'note'),
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
