// The console's answers panel before the compact list (static/js/console/answers.js as it was: a card per answer,
// every card built again for each answer that arrives; its words from today's answer_text.js): the baseline of
// facilitator/loadtest/console_benchmark.py, served in place of today's answers.js to a page the benchmark opens.

import { $, h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { desk, keepingFocus, send } from './desk.js';
import { answerLines } from './answer_text.js';

/** One entry per participant: the newest answer wins, and a moderation update (same saved_at) replaces it. */
export function upsertAnswer(answer) {
  const id = answer.participant_id != null ? `p${answer.participant_id}` : `a${desk.answers.size}`;
  const known = desk.answers.get(id);
  if (!known || known.saved_at <= answer.saved_at) desk.answers.set(id, answer);
}

const onProjector = (step) => step && (step.visibility === 'room' || step.visibility === 'room-named');

function moderation(step, answer) {
  if (!onProjector(step) || answer.participant_id == null) return null;
  const id = answer.participant_id;
  const flag = (name, on, offWord, onWord) => h('button', {
    type: 'button', class: `button secondary tiny ${name}`, 'aria-pressed': String(on),
    'data-focus': `${name}-${id}`, 'data-testid': `${name}-${id}`, text: t(on ? onWord : offWord),
    onclick: () => send('moderate', { participant_id: id, step_id: answer.step_id, [name]: !on }),
  });
  return h('div', { class: 'answer-actions' },
    flag('spotlight', Boolean(answer.spotlight), 'console.spotlight', 'console.unspotlight'),
    flag('hidden', Boolean(answer.hidden), 'console.hide', 'console.unhide'));
}

export function renderAnswers() {
  if (!desk.state) return;
  const step = desk.state.step;
  const sorted = Array.from(desk.answers.values()).sort((a, b) => b.saved_at - a.saved_at);
  const empty = $('answers-empty');
  empty.hidden = sorted.length > 0;
  if (!step) empty.textContent = t('console.no_answers');
  else if (step.kind === 'none') empty.textContent = t('console.not_answerable');
  else if (step.visibility === 'private') empty.textContent = t('console.private_answers');
  else empty.textContent = t('console.no_answers');
  $('answers-moderation').hidden = !(onProjector(step) && sorted.length);
  $('answers-count').textContent = sorted.length ? `(${sorted.length})` : '';
  keepingFocus(() => $('answer-list').replaceChildren(...sorted.map((answer) => {
    const lines = answerLines(step, answer.value);
    const time = new Date(answer.saved_at * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    const tags = [
      answer.spotlight ? h('span', { class: 'tag spotlight-tag', text: t('console.spotlight_tag') }) : null,
      answer.hidden ? h('span', { class: 'tag hidden-tag', text: t('console.hidden_tag') }) : null,
    ];
    return h('li', {
      class: `answer${answer.hidden ? ' is-hidden' : ''}${answer.spotlight ? ' is-spotlight' : ''}`, 'data-testid': 'answer',
    },
    h('p', { class: 'answer-head' },
      h('span', { class: 'who', text: answer.name || t('console.anonymous') }),
      h('span', { class: 'answer-tags' }, tags, h('span', { class: 'muted', text: time }))),
    lines.length === 1 ? h('p', { class: 'answer-value', text: lines[0] })
      : h('ul', { class: 'answer-value' }, lines.map((line) => h('li', { text: line }))),
    moderation(step, answer));
  })));
}
