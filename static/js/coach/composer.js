/** The coach's composer: a comment, a question, a rewording of the goal or of one action step, a meeting, or an
 * answer to a check-in. What is typed for each person is kept while the coach moves between people. */

import { $, h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';

const drafts = new Map(); // person id -> what was typed for them
const FIELDS = ['composer-kind', 'composer-body', 'composer-goal', 'composer-step', 'composer-day', 'composer-place'];
let person = null; // the person view the composer writes to
let prefilled = ''; // the wording put in the goal or step field for the coach to edit; replaced when the choice changes

function kinds(view) {
  const options = [['comment', t('A comment')], ['question', t('A question')]];
  if (view.goal) {
    options.push(['suggest_goal', t('A rewording of the goal')]);
    view.goal.action_steps.forEach((step, n) => options.push([`suggest_step:${n}`, t('A rewording of action step {n}', { n: n + 1 })]));
  }
  options.push(['meeting', t('A meeting (day and place)')]);
  for (const checkIn of view.check_ins || []) {
    options.push([`reply:${checkIn.id}`, t('An answer to the check-in of {date}', { date: checkIn.date })]);
  }
  return options;
}

/** The composer for ``view``'s person: the kinds their goal allows, and what was typed for them before. */
export function setComposer(view) {
  const other = !person || person.person_id !== view.person_id;
  if (other && person) keepDraft();
  person = view;
  const select = $('composer-kind');
  const chosen = other ? (drafts.get(view.person_id) || {})['composer-kind'] || 'comment' : select.value;
  select.replaceChildren(...kinds(view).map(([value, label]) => h('option', { value, text: label })));
  select.value = [...select.options].some((option) => option.value === chosen) ? chosen : 'comment';
  if (other) {
    const draft = drafts.get(view.person_id) || {};
    for (const id of FIELDS.slice(1)) $(id).value = draft[id] || '';
    prefilled = draft.prefilled || '';
    $('composer-error').textContent = '';
  }
  $('composer-heading').textContent = t('Write to {name}', { name: view.name });
  showFields(false);
}

function keepDraft() {
  const draft = Object.fromEntries(FIELDS.map((id) => [id, $(id).value]));
  drafts.set(person.person_id, { ...draft, prefilled });
}

/** The fields the chosen kind needs; ``fill``: put the current wording in a rewording's field to edit. */
function showFields(fill) {
  const [kind, index] = $('composer-kind').value.split(':');
  const suggests = kind === 'suggest_goal' || kind === 'suggest_step' || kind === 'meeting';
  $('composer-goal-field').hidden = kind !== 'suggest_goal';
  $('composer-step-field').hidden = kind !== 'suggest_step';
  $('composer-meeting-fields').hidden = kind !== 'meeting';
  $('composer-body-label').textContent = suggests ? t('Why (optional)') : t('Your message');
  $('composer-hint').textContent = kind === 'meeting' ? t('{name} can accept the meeting or decline it with a reason.', { name: person.name })
    : suggests ? t("{name} can accept it (it becomes the goal's new version, agreed by you both) or decline it with a reason.", { name: person.name }) : '';
  if (kind === 'suggest_step' && person.goal) {
    const step = person.goal.action_steps[Number(index)];
    $('composer-step-label').textContent = t('Action step {n}, reworded', { n: Number(index) + 1 });
    $('composer-step-now').textContent = step ? t('Now: {text}', { text: step.text }) : '';
    if (fill && step) prefill('composer-step', step.text);
  }
  if (kind === 'suggest_goal' && fill && person.goal) prefill('composer-goal', person.goal.goal);
}

function prefill(id, text) {
  const field = $(id);
  if (!field.value.trim() || field.value === prefilled) {
    field.value = text;
    prefilled = text;
  }
}

$('composer-kind').addEventListener('change', () => showFields(true));

/** Answer one check-in: the composer is set to it and the coach types their answer. */
export function answerCheckIn(checkIn) {
  $('composer-kind').value = `reply:${checkIn.id}`;
  showFields(false);
  $('composer-error').textContent = '';
  $('composer-body').focus();
}

/** The message as the API takes it. */
export function composed() {
  const [kind, detail] = $('composer-kind').value.split(':');
  const message = { kind, body: $('composer-body').value };
  if (kind === 'suggest_goal') message.goal = $('composer-goal').value;
  if (kind === 'suggest_step') Object.assign(message, { step: Number(detail), text: $('composer-step').value });
  if (kind === 'meeting') Object.assign(message, { day: $('composer-day').value, place: $('composer-place').value });
  if (kind === 'reply') message.check_in_id = Number(detail);
  return message;
}

/** Sent: the composer is empty again, back to a comment. */
export function clearComposer() {
  for (const id of FIELDS.slice(1)) $(id).value = '';
  prefilled = '';
  $('composer-kind').value = 'comment';
  $('composer-error').textContent = '';
  if (person) drafts.delete(person.person_id);
  showFields(false);
}

/** The field a refusal is about, to take the coach there. */
export function fieldAtFault() {
  const kind = $('composer-kind').value.split(':')[0];
  const field = { suggest_goal: 'composer-goal', suggest_step: 'composer-step', meeting: 'composer-day' }[kind];
  return $(field && !$(field).value.trim() ? field : 'composer-body');
}
