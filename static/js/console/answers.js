/** The answers to the open step as a compact list: one line per answer (open one for its whole text and its
 * moderation), filtered and sorted, moved through and moderated from the keyboard, and drawn at most once a frame
 * however fast the answers arrive. */

import { $, h } from '../lib/dom.js';
import { language, t, tn } from '../lib/i18n.js';
import { desk, send } from './desk.js';
import { answerLines, excerpt } from './answer_text.js';
import { WindowedList } from './answer_list.js';
import { narrowed, offerChoices, shownAnswers, wireFilters } from './answer_filters.js';
import { wireListKeys } from './list_keys.js';
import { folded, perFrame } from './list_tools.js';

const keys = new WeakMap(); // answer -> its key in desk.answers

/** One entry per participant: the newest answer wins, and a moderation update (same saved_at) replaces it. */
export function upsertAnswer(answer) {
  const id = answer.participant_id != null ? `p${answer.participant_id}` : `a${desk.answers.size}`;
  const known = desk.answers.get(id);
  if (!known || known.saved_at <= answer.saved_at) {
    desk.answers.set(id, answer);
    keys.set(answer, id);
  }
}

let readStep = null;
const readings = new Map(); // "participant|saved_at" -> the answer's lines, its one line, its searchable text

/** An answer's words, worked out once per version of it (the console gets the whole list again with each state). */
function reading(answer) {
  const version = `${answer.participant_id}|${answer.saved_at}`;
  if (!readings.has(version)) {
    const lines = answerLines(desk.state.step, answer.value);
    readings.set(version, { lines, line: excerpt(lines), search: folded(`${answer.name || ''} ${lines.join(' ')}`) });
  }
  return readings.get(version);
}

const onProjector = (step) => step && (step.visibility === 'room' || step.visibility === 'room-named');
const focusOf = (key) => `answer-${key}`;

/** Resolves once the server has answered (at once when there is nothing to change). */
async function toggleFlag(answer, flag) {
  if (!answer || answer.participant_id == null) return;
  const payload = { participant_id: answer.participant_id, step_id: answer.step_id };
  if (flag === 'approved') {
    if (answer.approved === false) await send('moderate', { ...payload, approved: true });
  } else if (onProjector(desk.state.step)) {
    await send('moderate', { ...payload, [flag]: !answer[flag] });
  }
}

function moderation(step, answer) {
  if (answer.participant_id == null) return null;
  const id = answer.participant_id;
  const button = (name, on, word) => h('button', {
    type: 'button', class: `button secondary tiny ${name}`, 'aria-pressed': on == null ? null : String(on),
    'data-focus': `${name}-${id}`, 'data-testid': `${name}-${id}`, text: word, onclick: () => toggleFlag(answer, name),
  });
  const flag = (name, offWord, onWord) => button(name, Boolean(answer[name]), answer[name] ? onWord : offWord);
  return h('div', { class: 'answer-actions' },
    answer.approved === false ? button('approved', null, t('Approve')) : null,
    onProjector(step) ? flag('spotlight', t('Spotlight'), t('End spotlight')) : null,
    onProjector(step) ? flag('hidden', t('Hide from projector'), t('Show on projector')) : null);
}

function row(answer, open) {
  const step = desk.state.step;
  const key = keys.get(answer);
  const { lines, line } = reading(answer);
  const time = new Date(answer.saved_at * 1000).toLocaleTimeString(language, { hour: '2-digit', minute: '2-digit' });
  const tag = (on, name, word) => (on ? h('span', { class: `tag ${name}-tag`, text: word }) : null);
  const body = `answer-body-${key}`;
  return h('li', {
    class: `answer${answer.hidden ? ' is-hidden' : ''}${answer.spotlight ? ' is-spotlight' : ''}${open ? ' is-open' : ''}`,
    'data-testid': 'answer',
  },
  h('button', {
    type: 'button', class: 'answer-line', 'aria-expanded': String(open), 'aria-controls': open ? body : null,
    'data-focus': focusOf(key), 'data-testid': 'answer-line', onclick: () => list.toggle(key),
  },
  h('span', { class: 'who', text: answer.name || t('Someone') }),
  h('span', { class: 'answer-excerpt', text: open ? '' : line }),
  h('span', { class: 'answer-tags' },
    tag(answer.approved === false, 'waiting', t('Waiting for approval')),
    tag(answer.spotlight, 'spotlight', t('On the projector')),
    tag(answer.hidden, 'hidden', t('Hidden')),
    typeof answer.votes === 'number' ? h('span', { class: 'muted', text: tn('{n} vote', '{n} votes', answer.votes) }) : null,
    h('span', { class: 'muted', text: time }))),
  open ? h('div', { class: 'answer-body', id: body },
    lines.length === 1 ? h('p', { class: 'answer-value', tabindex: '0', text: lines[0] })
      : h('ul', { class: 'answer-value', tabindex: '0' }, lines.map((text) => h('li', { text }))),
    moderation(step, answer)) : null);
}

const list = new WindowedList({
  viewport: $('answer-viewport'),
  list: $('answer-list'),
  row,
  key: (answer) => keys.get(answer),
  version: (answer) => [desk.state.step && desk.state.step.id, answer.saved_at, answer.name, answer.hidden,
    answer.spotlight, answer.approved, answer.votes].join('|'),
  focusOf,
});

function emptyWords(step) {
  if (step && step.kind === 'none') return t('This step has nothing to answer on the phone.');
  if (step && step.visibility === 'private') return t('Answers to this step are private: only the count shows here.');
  return t('No answers yet.');
}

const draw = perFrame(() => {
  const step = desk.state.step;
  const stepId = step ? step.id : null;
  if (stepId !== readStep) { // a new step: its own answers, from the top, none open
    readStep = stepId;
    readings.clear();
    list.reset();
  }
  const answers = Array.from(desk.answers.values());
  const shown = shownAnswers(answers, (answer) => reading(answer).search, desk.state.groups || []);
  offerChoices(answers, desk.state.groups || []);
  const empty = $('answers-empty');
  empty.hidden = answers.length > 0;
  empty.textContent = emptyWords(step);
  $('answer-filters').hidden = answers.length === 0;
  $('answer-keys').hidden = answers.length === 0;
  $('answers-moderation').hidden = !(onProjector(step) && answers.length);
  $('answers-count').textContent = answers.length ? `(${answers.length})` : '';
  $('answers-shown').textContent = !answers.length ? '' : (shown.length === 0 ? t('No answer matches.')
    : (narrowed() ? t('{n} of {total} shown', { n: shown.length, total: answers.length }) : ''));
  list.show(shown);
  list.draw();
});

/** Draw the answers at the next frame; a burst of calls (answers arriving together) is one draw. */
export function renderAnswers() {
  if (desk.state) draw();
}

wireFilters(renderAnswers);
wireListKeys({
  within: (node) => $('answer-list').contains(node),
  shown: () => $('answers').checkVisibility(),
  move: (step) => list.move(step),
  current: () => list.selected,
  moderate: (key, flag) => toggleFlag(list.itemOf(key), flag),
  flags: ['hidden', 'spotlight', 'approved'],
  anywhere: true,
});
