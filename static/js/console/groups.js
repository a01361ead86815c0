/** Groups: form them (asking before a size outside the protocol's range), see the tables with each member's role,
 * and move a person with one select. */

import { $, h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { desk, keepingFocus, send, status } from './desk.js';

let groupFormEdited = false; // the presenter changed the group form: their choice stands until groups are formed

export function renderGroups() {
  const grouped = desk.state.items.some((item) => item.grouping) || desk.state.groups.length > 0;
  $('groups').hidden = !grouped;
  if (!grouped) return;
  const grouping = desk.state.grouping;
  if (grouping && !groupFormEdited) {
    // The size and seating used last in this session, else the open or next grouped protocol's own.
    $('group-size').value = String(grouping.size);
    $('group-by').value = grouping.by;
  }
  const range = $('group-range');
  range.hidden = !hasRange(grouping);
  range.textContent = hasRange(grouping) ? t('console.group_range', grouping) : '';
  $('group-by').querySelector('option[value="join_answer"]').disabled = !desk.state.join_question;
  $('groups-submit').textContent = t(desk.state.groups.length ? 'console.regroup' : 'console.form_groups');
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

const hasRange = (grouping) => Boolean(grouping && grouping.protocol && grouping.min != null && grouping.max != null);
let warnedGroups = null; // the size and seating the presenter was asked to confirm

function closeGroupWarning() {
  warnedGroups = null;
  $('group-warning').hidden = true;
}

/** The server refuses a size outside the protocol's range unless confirmed: ask the presenter, in the page. */
function askAboutGroupSize(payload, refusal) {
  const grouping = desk.state.grouping;
  warnedGroups = payload;
  $('group-warning-text').textContent = hasRange(grouping)
    ? t('console.group_size_warning', { ...grouping, size: payload.size }) : refusal.error;
  $('group-confirm').textContent = t('console.group_confirm', { size: payload.size });
  $('group-warning').hidden = false;
}

async function formGroups(payload) {
  const ack = await send('form_groups', payload, true);
  if (!ack) return;
  if (ack.ok) {
    closeGroupWarning();
    groupFormEdited = false;
    status(t('console.formed', { groups: ack.groups, placed: ack.placed }), 'ok');
  } else if (ack.code === 'group_size_outside_protocol' && !payload.confirm) {
    askAboutGroupSize(payload, ack);
  } else {
    status(ack.error || 'form_groups', 'error');
  }
}

/** The group form: the presenter's size and seating, and the confirmation of a size outside the range. */
export function wireGroups() {
  const editedGroupForm = () => {
    groupFormEdited = true;
    closeGroupWarning(); // a confirmation is for the size it named
  };
  $('group-size').addEventListener('input', editedGroupForm);
  $('group-by').addEventListener('change', editedGroupForm);
  $('groups-form').addEventListener('submit', (event) => {
    event.preventDefault();
    closeGroupWarning();
    formGroups({ size: Number($('group-size').value), by: $('group-by').value });
  });
  $('group-confirm').addEventListener('click', () => {
    if (warnedGroups) formGroups({ ...warnedGroups, confirm: true });
  });
  $('group-change').addEventListener('click', () => {
    closeGroupWarning();
    $('group-size').focus();
    $('group-size').select();
  });
}
