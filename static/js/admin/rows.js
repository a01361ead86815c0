/** Reorderable rows, shared by the session's and the organisation's goals and the agenda; goals pasted as lines. */

import { h } from '../lib/dom.js';

export const MAX_GOALS = 10;

function move(list, index, by) {
  const to = index + by;
  if (to < 0 || to >= list.length) return index;
  list.splice(to, 0, ...list.splice(index, 1));
  return to;
}

/** Buttons to move row ``index`` of ``list`` up or down or remove it; focus follows the row it acted on. */
export function rowButtons(list, index, labels, render, container) {
  const act = (by) => () => {
    const to = move(list, index, by);
    render();
    const row = container.children[to];
    const again = row && row.querySelector(`[data-move="${by}"]:not(:disabled)`);
    (again || (row && row.querySelector('[data-move]:not(:disabled)')) || row)?.focus();
  };
  const remove = () => {
    list.splice(index, 1);
    render();
    const row = container.children[Math.min(index, list.length - 1)];
    (row ? row.querySelector('input') : container.parentElement.querySelector('textarea, select'))?.focus();
  };
  return h('div', { class: 'row-buttons' },
    h('button', { type: 'button', class: 'icon-button', 'data-move': '-1', disabled: index === 0,
      'aria-label': labels.up, title: labels.up, onclick: act(-1) }, '↑'),
    h('button', { type: 'button', class: 'icon-button', 'data-move': '1', disabled: index === list.length - 1,
      'aria-label': labels.down, title: labels.down, onclick: act(1) }, '↓'),
    h('button', { type: 'button', class: 'icon-button remove', 'aria-label': labels.remove, title: labels.remove,
      onclick: remove }, '✕'));
}

/** "Title — description" per line; a plain " - " works too, as people type it. */
export function parseGoals(text) {
  return text.split('\n').map((line) => line.trim()).filter(Boolean).map((line) => {
    const match = line.match(/\s[—–-]\s/);
    if (!match) return { id: null, title: line, description: '' };
    return { id: null, title: line.slice(0, match.index).trim(), description: line.slice(match.index + match[0].length).trim() };
  });
}

/** Editable rows for ``list``, numbered from ``offset + 1``; ``labels(n)`` gives row n's words (title, description,
 * up, down, remove). */
export function goalRows(list, container, { prefix, labels, offset = 0, empty, render }) {
  if (!list.length) {
    container.replaceChildren(h('li', { class: 'row-empty hint', text: empty }));
    return;
  }
  container.replaceChildren(...list.map((goal, index) => {
    const n = offset + index + 1;
    const words = labels(n);
    const title = h('input', { type: 'text', id: `${prefix}-title-${n}`, maxlength: '200', value: goal.title,
      'data-testid': `${prefix}-title-${n}`, oninput: (event) => { goal.title = event.target.value; } });
    const description = h('input', { type: 'text', id: `${prefix}-description-${n}`, maxlength: '1000',
      value: goal.description, 'data-testid': `${prefix}-description-${n}`,
      oninput: (event) => { goal.description = event.target.value; } });
    return h('li', { class: 'row goal-row', 'data-testid': `${prefix}-row-${n}` },
      h('span', { class: 'row-number', 'aria-hidden': 'true', text: String(n) }),
      h('div', { class: 'row-fields' },
        h('div', { class: 'field' }, h('label', { for: title.id, text: words.title }), title),
        h('div', { class: 'field' },
          h('label', { for: description.id, class: 'minor', text: words.description }), description)),
      rowButtons(list, index, words, render, container));
  }));
}
