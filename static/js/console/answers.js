/** The answers to the open step as they arrive, newest first, with spotlight and hide where the room sees them. */

import { $, h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { day } from '../lib/dates.js';
import { desk, keepingFocus, send } from './desk.js';

/** One entry per participant: the newest answer wins, and a moderation update (same saved_at) replaces it. */
export function upsertAnswer(answer) {
  const id = answer.participant_id != null ? `p${answer.participant_id}` : `a${desk.answers.size}`;
  const known = desk.answers.get(id);
  if (!known || known.saved_at <= answer.saved_at) desk.answers.set(id, answer);
}

/** An answer as the facilitator reads it: labels for ids, titles for system goals, list items with dates. */
/** A measure's value in its unit, as the plan writes it: 55%, 12, 14 / 20, level 3 of 4. */
function measured(measure, value) {
  if (measure.unit === 'percent') return `${value}%`;
  if (measure.unit === 'score') return `${value} / ${measure.out_of}`;
  if (measure.unit === 'rubric') return t('console.rubric_level', { level: value, levels: measure.out_of });
  return String(value);
}

function formatValue(step, value) {
  if (step && step.kind === 'measure' && value && typeof value === 'object') {
    return [t('console.measure_line', {
      what: value.what, baseline: measured(value, value.baseline.value), from: day(value.baseline.date),
      target: measured(value, value.target.value), to: day(value.target.date),
    })];
  }
  if (step && step.kind === 'progress' && Array.isArray(value)) {
    return value.map((row) => t('console.progress_row', { step: row.step, level: row.level }));
  }
  const list = Array.isArray(value) ? value : [value];
  if (list.some((item) => item && typeof item === 'object')) {
    return list.map((item) => (item && typeof item === 'object' ? t('console.by_date', { text: item.text, date: day(item.date) }) : String(item)));
  }
  if (!step) return list.map(String);
  if (step.kind === 'date') return list.map(day);
  if (step.kind === 'goal') {
    return list.map((id) => {
      const goal = desk.state.session.system_goals.find((g) => g.id === id);
      return goal ? goal.title : String(id);
    });
  }
  if (step.kind === 'choice' || step.kind === 'rank') {
    return list.map((id, n) => {
      const option = (step.options || []).find((o) => o.id === id);
      const label = option ? option.label : String(id);
      return step.kind === 'rank' ? `${n + 1}. ${label}` : label;
    });
  }
  if (step.kind === 'scale') return [t('console.scale_value', { value, max: step.max })];
  return list.map(String);
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
    const lines = formatValue(step, answer.value);
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
