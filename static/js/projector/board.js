/** The group board on the projector, where the room's answers are not shown: every table with its members and
 * their roles. Tables that do not fit on the screen come a page at a time, turned every PAGE_SECONDS, with the
 * page's tables and "page 2 of 6" in the corner (50 to 300 tables stay readable: nothing shrinks below the sizes
 * the projector's CSS sets). */

import { $, h } from '../lib/dom.js';
import { language, t } from '../lib/i18n.js';
import { localizedRole } from '../lib/localized.js';

export const PAGE_SECONDS = 8;

let shownKey = '';
let pages = []; // [first, end) card indexes of each page
let page = 0;
let turner = null;

function tableCard(group, step) {
  return h('li', { class: 'board-table', 'data-testid': 'board-table', 'data-table': group.table },
    h('h3', { text: t('Table {n}', { n: group.table }) }),
    h('ul', {}, group.members.map((member) => h('li', {},
      member.name,
      member.role ? [' (', h('span', { class: 'board-role', text: localizedRole(member.role, step, language).title }), ')']
        : null))));
}

/** The pages the tables make at the board's size: whole rows (as tall as their tallest table) while they fit. */
function paginate(list) {
  const cards = [...list.children];
  cards.forEach((card) => { card.hidden = false; });
  const style = getComputedStyle(list);
  const columns = style.gridTemplateColumns.split(' ').filter(Boolean).length || 1;
  const gap = parseFloat(style.rowGap) || 0;
  const room = list.parentElement.clientHeight;
  const made = [];
  let start = 0;
  let used = -gap;
  for (let first = 0; first < cards.length; first += columns) {
    const row = Math.max(...cards.slice(first, first + columns).map((card) => card.offsetHeight));
    if (first > start && used + gap + row > room) {
      made.push([start, first]);
      start = first;
      used = -gap;
    }
    used += gap + row;
  }
  made.push([start, cards.length]);
  return made;
}

function showPage(list) {
  const cards = [...list.children];
  page %= pages.length;
  const [first, end] = pages[page];
  cards.forEach((card, index) => { card.hidden = index < first || index >= end; });
  const label = $('board-page');
  label.hidden = pages.length < 2;
  label.textContent = t('Tables {from}–{to} · page {n} of {total}', {
    from: cards[first].dataset.table, to: cards[end - 1].dataset.table, n: page + 1, total: pages.length });
  clearTimeout(turner);
  if (pages.length > 1) {
    turner = setTimeout(() => {
      page += 1;
      showPage(list);
    }, PAGE_SECONDS * 1000);
  }
}

/** Lay the pages out again for the board's size (a new screen size, a longer prompt). */
export function fitBoard() {
  const list = $('board-tables');
  if ($('board').hidden || !list.children.length) return;
  const made = paginate(list);
  if (JSON.stringify(made) !== JSON.stringify(pages)) page = 0; // new pages start again from the first table
  pages = made;
  showPage(list);
}

/** The tables (``groups``), where the room's answers are not on screen (no ``aggregate``); roles are named in the
 * words of the open ``step``'s translations. */
export function renderBoard(groups, aggregate, step) {
  const show = groups.length > 0 && !aggregate;
  $('board').hidden = !show;
  $('aggregate').hidden = show;
  if (!show) {
    clearTimeout(turner);
    shownKey = '';
    return;
  }
  const key = JSON.stringify([groups, step && step.id]);
  if (key === shownKey) return; // a new answer elsewhere leaves the page where it is
  shownKey = key;
  $('board-tables').replaceChildren(...groups.map((group) => tableCard(group, step)));
  fitBoard();
}
