/** Groups: the form (group_form.js), the tables with each member's role, finding a person or a table, and moving
 * a person with one select. Hundreds of tables stay quick: a table's members are put in the page only once it
 * comes near sight, and a table that has not changed is not built again. */

import { $, h } from '../lib/dom.js';
import { language, t, tn } from '../lib/i18n.js';
import { localizedRole } from '../lib/localized.js';
import { desk, keepingFocus, send } from './desk.js';
import { renderGroupForm, wireGroupForm } from './group_form.js';
import { matching, sayFound, wireBoardSearch } from './board_search.js';
import { placeInOrder } from './list_tools.js';

const cards = new Map(); // table -> {signature, node, members (the list), fill (puts the members in), filled}
const SIGHT = '600px 0px'; // how near sight a table's members are put in the page
const MENUS_AT_ONCE = 40; // up to this many tables, each person's menu is built with the board (6 × 41 a table)
const sighted = new IntersectionObserver((entries) => {
  for (const entry of entries) {
    if (!entry.isIntersecting) continue;
    sighted.unobserve(entry.target);
    const card = cards.get(Number(entry.target.dataset.table));
    if (card && card.node === entry.target && !card.filled) card.fill();
  }
}, { root: $('group-board'), rootMargin: SIGHT });

export function renderGroups() {
  const grouped = desk.state.items.some((item) => item.grouping) || desk.state.groups.length > 0;
  $('groups').hidden = !grouped;
  if (!grouped) return;
  renderGroupForm();
  $('groups-empty').hidden = desk.state.groups.length > 0;
  drawBoard();
}

/** The tables the search leaves, each the card built before where nothing on it changed. */
function drawBoard() {
  const tables = desk.state.groups.length;
  const nodes = [];
  const seen = new Set();
  for (const group of desk.state.groups) {
    const { shown, found } = matching(group);
    if (!shown) continue;
    const signature = JSON.stringify([tables, [...found], group.members.map((m) => [m.participant_id, m.name,
      m.role && roleTitle(m.role)])]);
    let card = cards.get(group.table);
    if (!card || card.signature !== signature) {
      const wasFilled = Boolean(card && card.filled); // the focus may be in it: it stays filled
      if (card) sighted.unobserve(card.node);
      card = tableCard(group, tables, found, signature);
      cards.set(group.table, card);
      if (wasFilled) card.fill();
      else sighted.observe(card.node);
    }
    seen.add(group.table);
    nodes.push(card.node);
  }
  for (const [table, card] of cards) {
    if (seen.has(table)) continue;
    sighted.unobserve(card.node);
    cards.delete(table);
  }
  keepingFocus(() => placeInOrder($('group-board'), nodes));
  sayFound(nodes.length, tables);
}

function tableCard(group, tables, found, signature) {
  const members = h('ul', { class: 'group-members' });
  members.style.setProperty('--members', group.members.length); // the CSSOM: the policy forbids style attributes
  const node = h('li', { class: 'table', 'data-testid': `table-${group.table}`, 'data-table': group.table },
    h('h3', {}, t('Table {n}', { n: group.table }), ' ',
      h('span', { class: 'muted', text: tn('{n} person', '{n} people', group.members.length) })),
    members);
  const card = { signature, node, members, filled: false };
  card.fill = () => {
    card.filled = true;
    members.replaceChildren(...group.members.map((member) => groupMember(member, group, tables, found)));
  };
  return card;
}

let tableChoices = { tables: -1, options: null }; // every table and "a new table", built once per count

function moveOptions(tables) {
  if (tableChoices.tables !== tables) {
    const options = document.createDocumentFragment();
    for (let n = 1; n <= tables; n += 1) options.append(h('option', { value: n, text: t('Table {n}', { n }) }));
    options.append(h('option', { value: tables + 1, text: t('A new table') }));
    tableChoices = { tables, options };
  }
  return tableChoices.options.cloneNode(true);
}

/** A person's menu of every table comes in when it is about to be used (focus, a press): with hundreds of tables,
 * a menu each would put hundreds of thousands of options in the page. A small room's menus are built at once. */
function fillMenu(event) {
  const select = event.currentTarget;
  const tables = Number(select.dataset.tables);
  if (select.options.length > tables) return;
  const value = select.value;
  select.replaceChildren(moveOptions(tables));
  select.value = value;
}

/** A role's title in the session's language, from the open step's translations. */
const roleTitle = (role) => localizedRole(role, desk.state.step, language).title;

function groupMember(member, group, tables, found) {
  const id = `move-${member.participant_id}`;
  const select = h('select', {
    id, class: 'move-select', 'data-focus': id, 'data-testid': id, 'data-tables': tables,
    onfocus: fillMenu, onpointerdown: fillMenu,
    onchange: (event) => send('move', { participant_id: member.participant_id, group: Number(event.target.value) }),
  }, tables <= MENUS_AT_ONCE ? moveOptions(tables) : h('option', { value: group.number, text: t('Table {n}', { n: group.number }) }));
  select.value = String(group.number);
  const isFound = found.has(member.participant_id);
  return h('li', { class: `member${isFound ? ' is-found' : ''}` },
    h(isFound ? 'mark' : 'span', { class: 'member-name', title: member.name, text: member.name }),
    member.role ? h('span', { class: 'member-role', text: roleTitle(member.role) }) : null,
    h('label', { for: id, class: 'visually-hidden', text: t('Move {name} to', { name: member.name }) }),
    select);
}

/** The form, and the board's search. */
export function wireGroups() {
  wireGroupForm();
  wireBoardSearch(() => desk.state && drawBoard());
}
