/** What the room sees of its answers: the spotlit ones, the aggregate of the step (bars, a ranking, a histogram,
 * a word cloud) or, where answers are not shown, the tables. */

import { $, h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';

/** Answers the facilitator put up: large, the newest last; a name only where the server sent one. */
export function renderSpotlight(chosen) {
  const list = $('spotlight');
  list.hidden = !chosen.length;
  list.replaceChildren(...chosen.map((entry) => h('li', { class: 'spotlit' },
    h('span', { class: 'spotlit-text', text: entry.text }),
    entry.name ? h('span', { class: 'spotlit-name', text: entry.name }) : null)));
  $('step').classList.toggle('has-spotlight', chosen.length > 0);
}

/** The tables (``groups``), where the room's answers are not on screen: who sits where, and who holds which role. */
export function renderBoard(groups, aggregate) {
  const show = groups.length > 0 && !aggregate;
  $('board').hidden = !show;
  $('aggregate').hidden = show;
  if (!show) return;
  $('board-tables').replaceChildren(...groups.map((group) => h('li', { class: 'board-table' },
    h('h3', { text: t('projector.table', { n: group.table }) }),
    h('ul', {}, group.members.map((member) => h('li', {},
      h('span', { text: member.name }),
      member.role ? h('span', { class: 'board-role', text: member.role.title }) : null))))));
  $('step').classList.toggle('board-dense', groups.length > 8);
}

function note(text) {
  return h('p', { class: 'aggregate-note', text });
}

export function renderAggregate(step, aggregate) {
  const box = $('aggregate');
  const type = aggregate ? aggregate.type : '';
  if (box.dataset.type !== type || box.dataset.step !== step.id) {
    box.replaceChildren();
    box.dataset.type = type;
    box.dataset.step = step.id;
  }
  if (!aggregate) {
    const shared = step.visibility === 'room' || step.visibility === 'room-named';
    box.replaceChildren(note(step.kind === 'none' ? t('projector.talk') : shared ? t('projector.waiting') : t('projector.not_shown')));
    return;
  }
  if (type === 'bars') renderBars(box, aggregate.bars);
  else if (type === 'ranking') renderRanking(box, aggregate);
  else if (type === 'histogram') renderHistogram(box, aggregate);
  else if (type === 'words') renderWords(box, aggregate);
}

/** Horizontal bars, one per option or system goal; updated in place so the bars grow smoothly. */
function renderBars(box, bars) {
  let list = box.querySelector('.bars');
  if (!list || list.children.length !== bars.length) {
    list = h('ol', { class: 'bars' }, bars.map(() =>
      h('li', { class: 'bar' },
        h('span', { class: 'bar-label' }),
        h('span', { class: 'bar-track' }, h('span', { class: 'bar-fill' })),
        h('span', { class: 'bar-count' }))));
    box.replaceChildren(list);
  }
  const max = Math.max(1, ...bars.map((bar) => bar.count));
  bars.forEach((bar, index) => {
    const row = list.children[index];
    row.querySelector('.bar-label').textContent = bar.label;
    row.querySelector('.bar-count').textContent = bar.count;
    row.querySelector('.bar-fill').style.width = `${(bar.count / max) * 100}%`;
  });
}

/** The room's order for a rank step: bars of points, most important first, with how the points are counted. */
function renderRanking(box, aggregate) {
  const order = aggregate.bars.map((bar) => bar.label).join('\n');
  if (box.dataset.order !== order) {
    box.replaceChildren();
    box.dataset.order = order; // a new order rebuilds the list, so each bar keeps its label
  }
  renderBars(box, aggregate.bars.map((bar, n) => ({ label: `${n + 1}. ${bar.label}`, count: bar.count })));
  if (!box.querySelector('.aggregate-note')) {
    box.append(note(t('projector.ranking_note', { n: aggregate.bars.length })));
  }
}

/** A column per scale value, with the scale's end labels underneath. */
function renderHistogram(box, aggregate) {
  const bars = aggregate.bars;
  let chart = box.querySelector('.histogram');
  if (!chart || chart.children.length !== bars.length) {
    chart = h('ol', { class: 'histogram' }, bars.map(() =>
      h('li', { class: 'column' },
        h('span', { class: 'column-count' }),
        h('span', { class: 'column-track' }, h('span', { class: 'column-fill' })),
        h('span', { class: 'column-label' }))));
    box.replaceChildren(chart,
      h('p', { class: 'histogram-ends' },
        h('span', { text: aggregate.min_label || '' }),
        h('span', { text: aggregate.max_label || '' })));
  }
  const max = Math.max(1, ...bars.map((bar) => bar.count));
  bars.forEach((bar, index) => {
    const column = chart.children[index];
    column.querySelector('.column-count').textContent = bar.count;
    column.querySelector('.column-label').textContent = bar.label;
    column.querySelector('.column-fill').style.height = `${(bar.count / max) * 100}%`;
  });
}

/** Recurring words sized by how often they came up; named answers when the step shows names. */
function renderWords(box, aggregate) {
  const words = aggregate.words || [];
  const named = aggregate.named || [];
  if (!words.length && !named.length) {
    box.replaceChildren(note(t('projector.waiting')));
    return;
  }
  const max = Math.max(1, ...words.map((word) => word.count));
  const cloud = h('ul', { class: 'words' }, words.map((word) => {
    const item = h('li', { class: 'word', title: String(word.count) }, word.word);
    item.style.fontSize = `${1 + (max > 1 ? (word.count - 1) / (max - 1) : 0) * 1.6}em`;
    return item;
  }));
  const parts = [cloud];
  if (named.length) {
    parts.push(h('ul', { class: 'named' }, named.slice().reverse().map((entry) =>
      h('li', {}, h('strong', { text: entry.name }), h('span', { text: entry.text })))));
  }
  box.replaceChildren(...parts);
}
