/** The group form: the size and seating (the last used, else the protocol's, until the presenter changes them), the
 * protocol's range, and asking before a size outside it. */

import { $ } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { desk, send, status } from './desk.js';

let groupFormEdited = false; // the presenter changed the group form: their choice stands until groups are formed

/** The form as the state has it. */
export function renderGroupForm() {
  const grouping = desk.state.grouping;
  if (grouping && !groupFormEdited) {
    // The size and seating used last in this session, else the open or next grouped protocol's own.
    $('group-size').value = String(grouping.size);
    $('group-by').value = grouping.by;
  }
  const range = $('group-range');
  range.hidden = !hasRange(grouping);
  range.textContent = hasRange(grouping) ? t('{protocol}: {min} to {max} people per group', grouping) : '';
  $('group-by').querySelector('option[value="join_answer"]').disabled = !desk.state.join_question;
  $('groups-submit').textContent = desk.state.groups.length ? t('Form groups again') : t('Form groups');
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
    ? t('{protocol} is made for groups of {min} to {max} people. Form groups of {size} all the same?', { ...grouping, size: payload.size }) : refusal.error;
  $('group-confirm').textContent = t('Form groups of {size} anyway', { size: payload.size });
  $('group-warning').hidden = false;
}

async function formGroups(payload) {
  const ack = await send('form_groups', payload, true);
  if (!ack) return;
  if (ack.ok) {
    closeGroupWarning();
    groupFormEdited = false;
    status(t('{groups} groups formed; {placed} people placed.', { groups: ack.groups, placed: ack.placed }), 'ok');
  } else if (ack.code === 'group_size_outside_protocol' && !payload.confirm) {
    askAboutGroupSize(payload, ack);
  } else {
    status(ack.error || 'form_groups', 'error');
  }
}

/** The group form: the presenter's size and seating, and the confirmation of a size outside the range. */
export function wireGroupForm() {
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
