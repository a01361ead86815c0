/** The answer box of each step kind: text, list, choice, scale, goal, rank, date, progress and measure (measure.js),
 * each with its checks. */

import { $, h, show } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { measureInput } from './measure.js';

/** The answer box for ``step``: one builder per step kind; each fills #answer-input and returns {value(), set(value),
 * check()}. ``state`` is the phone's state (a progress step's rows, a goal step's goals); ``changed`` is called on
 * every edit. */
export function buildInput(step, { state, changed }) {
  const builders = {
    text: textInput, list: listInput, choice: choiceInput, scale: scaleInput, goal: goalInput, rank: rankInput, date: dateInput,
    progress: progressInput, measure: measureInput,
  };
  return (builders[step.kind] || noInput)(step, $('answer-input'), { state, changed });
}

/** No box: a step that takes no answer, or one this person does not answer. */
export function noInput(step) {
  $('answer-input').replaceChildren(step.kind === 'none' ? h('p', { class: 'muted', text: t('Nothing to answer here: talk it through with the people around you.') }) : '');
  return { value: () => null, set() {}, check: () => null };
}

function textInput(step, box, { changed }) {
  const counter = h('p', { id: 'answer-counter', class: 'hint counter' });
  const area = h('textarea', {
    id: 'answer-text', rows: 5, maxlength: step.max_chars, 'aria-describedby': 'step-prompt answer-counter', 'data-testid': 'answer-text',
  });
  const count = () => { counter.textContent = t('{n} / {max}', { n: area.value.length, max: step.max_chars }); };
  area.addEventListener('input', () => { count(); changed(); });
  box.replaceChildren(h('label', { for: 'answer-text', text: t('Your answer') }), area, counter);
  count();
  return {
    value: () => area.value.trim(),
    raw: () => area.value,
    set(value) { area.value = String(value); count(); },
    check: () => (area.value.trim() ? null : t('Write your answer first.')),
  };
}

function dateInput(step, box, { changed }) {
  const input = h('input', { id: 'answer-date', type: 'date', 'aria-describedby': 'step-prompt', 'data-testid': 'answer-date', onchange: changed });
  box.replaceChildren(h('label', { for: 'answer-date', text: t('Your answer') }), input);
  return { value: () => input.value, set(value) { input.value = String(value); }, check: () => (input.value ? null : t('Pick a date first.')) };
}

function listInput(step, box, { changed }) {
  const rows = h('ol', { class: 'list-items' });
  const add = h('button', { type: 'button', class: 'button secondary', 'data-testid': 'add-item', text: `+ ${t('Add another')}` });
  const minimum = Math.max(1, step.min_items);
  const items = () => Array.from(rows.children, (row) => ({
    text: row.querySelector('[data-testid="answer-item"]').value.trim(),
    date: step.dated ? row.querySelector('input[type="date"]').value : '',
  }));

  function relabel() {
    Array.from(rows.children).forEach((row, index) => {
      const n = index + 1;
      const [label, dateLabel] = row.querySelectorAll('label');
      const [input, date] = row.querySelectorAll('input');
      input.id = `answer-item-${n}`;
      label.htmlFor = input.id;
      label.textContent = t('Item {n}', { n });
      if (date) {
        date.id = `answer-item-date-${n}`;
        dateLabel.htmlFor = date.id;
      }
      const remove = row.querySelector('.remove-item');
      remove.setAttribute('aria-label', t('Remove item {n}', { n }));
      show(remove, rows.children.length > minimum);
    });
    show(add, rows.children.length < step.max_items);
  }

  function addRow(item) {
    const input = h('input', { type: 'text', maxlength: step.max_chars, 'data-testid': 'answer-item', oninput: changed });
    input.value = (item && typeof item === 'object' ? item.text : item) || '';
    const row = h('li', { class: 'list-item' }, h('label', { class: 'item-label' }), h('div', { class: 'item-row' }, input,
      h('button', {
        type: 'button', class: 'remove-item', 'data-testid': 'remove-item', text: '×',
        onclick: () => {
          const index = Array.from(rows.children).indexOf(row);
          row.remove();
          relabel();
          changed();
          rows.querySelectorAll('[data-testid="answer-item"]')[Math.max(0, index - 1)].focus();
        },
      })));
    if (step.dated) {
      const date = h('input', { type: 'date', class: 'item-date', 'data-testid': 'answer-item-date', onchange: changed });
      date.value = (item && item.date) || '';
      row.append(h('label', { class: 'date-label', text: t('Target date') }), date);
    }
    rows.append(row);
    relabel();
    return input;
  }

  add.addEventListener('click', () => { addRow('').focus(); changed(); });
  box.replaceChildren(rows, add);
  for (let n = 0; n < minimum; n += 1) addRow('');
  return {
    value: () => items().filter((item) => item.text).map((item) => (step.dated ? item : item.text)),
    raw: items, // every row as typed, a date without its text too
    set(value) {
      rows.replaceChildren();
      for (const item of (Array.isArray(value) ? value : []).slice(0, step.max_items)) addRow(item);
      while (rows.children.length < minimum) addRow('');
    },
    check() {
      const all = items();
      const undated = all.findIndex((item) => item.text && !item.date);
      if (step.dated && undated >= 0) return t('Give item {n} a target date.', { n: undated + 1 });
      const filled = all.filter((item) => item.text).length;
      return filled >= minimum ? null : t('Write at least {n}.', { n: minimum });
    },
  };
}

/** Pressable buttons: one pressed at a time, or any number when ``multiple``. */
function pressGroup(buttons, multiple, className, changed) {
  const group = h('div', { class: className, role: 'group', 'aria-labelledby': 'step-title', 'aria-describedby': 'step-prompt' }, buttons);
  for (const button of buttons) {
    button.setAttribute('aria-pressed', 'false');
    button.addEventListener('click', () => {
      const on = button.getAttribute('aria-pressed') !== 'true';
      if (!multiple) for (const other of buttons) other.setAttribute('aria-pressed', 'false');
      button.setAttribute('aria-pressed', String(multiple ? on : true));
      changed();
    });
  }
  const pressed = () => buttons.filter((b) => b.getAttribute('aria-pressed') === 'true').map((b) => b.dataset.value);
  return {
    group,
    pressed,
    set(values) {
      const wanted = (Array.isArray(values) ? values : [values]).map(String);
      for (const b of buttons) b.setAttribute('aria-pressed', String(wanted.includes(b.dataset.value)));
    },
    check: () => (pressed().length ? null : t('Pick an answer first.')),
  };
}

function choiceInput(step, box, { changed }) {
  const buttons = (step.options || []).map((option) =>
    h('button', { type: 'button', class: 'option', 'data-value': option.id, 'data-testid': 'answer-option', text: option.label }));
  const choice = pressGroup(buttons, step.multiple, 'options', changed);
  box.replaceChildren(choice.group);
  return { ...choice, value: () => (step.multiple ? choice.pressed() : choice.pressed()[0]) };
}

/** A row of numbered buttons from the step's min to max, with its end labels under it. */
function scaleGroup(step, testId, changed) {
  const buttons = [];
  for (let n = step.min; n <= step.max; n += 1) {
    const end = n === step.min ? step.min_label : n === step.max ? step.max_label : '';
    buttons.push(h('button', {
      type: 'button', class: 'scale-button', 'data-value': String(n), 'data-testid': testId,
      'aria-label': end ? `${n} · ${end}` : null, text: String(n),
    }));
  }
  const scale = pressGroup(buttons, false, 'scale', changed);
  scale.group.style.setProperty('--count', String(buttons.length));
  const ends = h('p', { class: 'scale-ends', 'aria-hidden': 'true' },
    h('span', { text: step.min_label || '' }), h('span', { text: step.max_label || '' }));
  return { ...scale, nodes: [scale.group, ends], level: () => Number.parseInt(scale.pressed()[0], 10) };
}

function scaleInput(step, box, { changed }) {
  const scale = scaleGroup(step, 'answer-scale', changed);
  box.replaceChildren(...scale.nodes);
  return { ...scale, value: scale.level };
}

/** A level for each action step the person recalls (or for their goal when they listed none), every one rated. */
function progressInput(step, box, { state, changed }) {
  const recall = state.recall || {};
  let rows = [];

  function fill(texts) {
    rows = texts.map((text, index) => {
      const scale = scaleGroup(step, 'progress-level', changed);
      scale.group.setAttribute('aria-labelledby', `progress-step-${index + 1}`);
      return { text, scale, row: h('div', { class: 'progress-row', 'data-testid': 'progress-row' },
        h('p', { id: `progress-step-${index + 1}`, class: 'progress-step', text }), scale.nodes) };
    });
    box.replaceChildren(...rows.map((row) => row.row));
  }

  const items = (recall.action_step_items || []).map((item) => item.text).filter(Boolean);
  fill(items.length ? items : [recall.goal || t('My goal')]);
  return {
    value: () => rows.map((row) => ({ step: row.text, level: row.scale.level() })),
    set(value) { // a saved answer shows the steps it rated, each at its level
      if (!Array.isArray(value) || !value.length) return;
      fill(value.map((rated) => String(rated.step)));
      value.forEach((rated, index) => rows[index].scale.set(rated.level));
    },
    check() {
      const unrated = rows.find((row) => !row.scale.pressed().length);
      return unrated ? t('Rate every action step before you save: “{step}” has no level yet.', { step: unrated.text }) : null;
    },
  };
}

function goalInput(step, box, { state, changed }) {
  const buttons = state.session.system_goals.map((goal) =>
    h('button', { type: 'button', class: 'goal-option', 'data-value': String(goal.id), 'data-testid': 'answer-goal' },
      h('strong', { text: goal.title }), goal.description ? h('span', { text: goal.description }) : null));
  const goals = pressGroup(buttons, false, 'goals', changed);
  box.replaceChildren(goals.group);
  return { ...goals, value: () => Number.parseInt(goals.pressed()[0], 10) };
}

/** Options in order, most important first: each row moves up or down with a big button, no dragging. */
function rankInput(step, box, { changed }) {
  const rows = h('ol', { class: 'rank', 'aria-labelledby': 'step-title', 'aria-describedby': 'rank-hint' });
  const options = step.options || [];
  const label = (id) => (options.find((o) => o.id === id) || { label: id }).label;

  function move(row, by, button) {
    const items = Array.from(rows.children);
    const to = items.indexOf(row) + by;
    if (to < 0 || to >= items.length) return;
    if (by < 0) rows.insertBefore(row, items[to]);
    else rows.insertBefore(row, items[to].nextSibling);
    relabel();
    changed();
    // Keep the finger (and the keyboard focus) on the same button while it can still move that way.
    (button.disabled ? row.querySelector(by < 0 ? '.rank-down' : '.rank-up') : button).focus();
  }

  function relabel() {
    const items = Array.from(rows.children);
    items.forEach((row, index) => {
      const name = label(row.dataset.value);
      row.querySelector('.rank-place').textContent = String(index + 1);
      const up = row.querySelector('.rank-up');
      const down = row.querySelector('.rank-down');
      up.disabled = index === 0;
      down.disabled = index === items.length - 1;
      up.setAttribute('aria-label', t('Move “{option}” up from place {n}', { option: name, n: index + 1 }));
      down.setAttribute('aria-label', t('Move “{option}” down from place {n}', { option: name, n: index + 1 }));
    });
  }

  function fill(ids) {
    rows.replaceChildren(...ids.map((id) => {
      const row = h('li', { class: 'rank-item', 'data-value': id, 'data-testid': 'rank-item' },
        h('span', { class: 'rank-place', 'aria-hidden': 'true' }),
        h('span', { class: 'rank-label', text: label(id) }),
        h('button', { type: 'button', class: 'rank-up', 'data-testid': 'rank-up', text: '↑' }),
        h('button', { type: 'button', class: 'rank-down', 'data-testid': 'rank-down', text: '↓' }));
      row.querySelector('.rank-up').addEventListener('click', (event) => move(row, -1, event.currentTarget));
      row.querySelector('.rank-down').addEventListener('click', (event) => move(row, 1, event.currentTarget));
      return row;
    }));
    relabel();
  }

  fill(options.map((o) => o.id));
  box.replaceChildren(h('p', { id: 'rank-hint', class: 'hint', text: t('Put the most important first: move each option up or down.') }), rows);
  const value = () => Array.from(rows.children, (row) => row.dataset.value);
  return {
    value,
    set(ids) {
      const known = options.map((o) => o.id);
      if (Array.isArray(ids) && ids.length === known.length && ids.every((id) => known.includes(id))) fill(ids);
    },
    check: () => null, // every order is an answer; the first save may keep the order shown
  };
}
