// The console's group board before search and lazy tables (static/js/console/groups.js as it was: every table's
// people, each with a menu of every table, built again whole with each state): the baseline of
// facilitator/loadtest/console_benchmark.py, served in place of today's groups.js to a page the benchmark opens.

import { $, h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { desk, keepingFocus, send } from './desk.js';
import { renderGroupForm, wireGroupForm } from './group_form.js';

export const wireGroups = wireGroupForm;

export function renderGroups() {
  const grouped = desk.state.items.some((item) => item.grouping) || desk.state.groups.length > 0;
  $('groups').hidden = !grouped;
  if (!grouped) return;
  renderGroupForm(); // the form as today's console draws it: only the board is measured
  $('groups-empty').hidden = desk.state.groups.length > 0;
  const tables = desk.state.groups.length;
  keepingFocus(() => $('group-board').replaceChildren(...desk.state.groups.map((group) =>
    h('li', { class: 'table', 'data-testid': `table-${group.table}` },
      h('h3', {}, t('console.table', { n: group.table }), ' ',
        h('span', { class: 'muted', text: t('console.members', { n: group.members.length }) })),
      h('ul', { class: 'group-members' }, group.members.map((member) => groupMember(member, group, tables)))))));
}

function groupMember(member, group, tables) {
  const id = `move-${member.participant_id}`;
  const options = Array.from({ length: tables }, (_, n) => h('option', { value: n + 1, text: t('console.table', { n: n + 1 }) }));
  options.push(h('option', { value: tables + 1, text: t('console.new_table') }));
  const select = h('select', {
    id, class: 'move-select', 'data-focus': id, 'data-testid': id,
    onchange: (event) => send('move', { participant_id: member.participant_id, group: Number(event.target.value) }),
  }, options);
  select.value = String(group.number);
  return h('li', { class: 'member' },
    h('span', { class: 'member-name', text: member.name }),
    member.role ? h('span', { class: 'member-role', text: member.role.title }) : null,
    h('label', { for: id, class: 'visually-hidden', text: t('console.move_to', { name: member.name }) }),
    select);
}
