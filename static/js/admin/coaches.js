/** An organisation's coaches: add, edit and remove them, and each coach's personal link (its key shown once, after
 * adding or making a new one). */

import { $, h } from '../lib/dom.js';
import { t, tn } from '../lib/i18n.js';
import { api } from './api.js';
import { copyLink } from './clipboard.js';
import { confirmWith } from './dialogs.js';

const shown = {
  organisation: null, // the organisation whose coaches are listed (GET /api/organisations/<id>)
  coaches: [], // GET /api/organisations/<id>/coaches
  coach: null, // the coach the form edits, or null for a new one
};

const path = (suffix = '') => `/api/organisations/${shown.organisation.id}/coaches${suffix}`;

/** The coaches of ``organisation`` (null: a new organisation, which has none yet). The same organisation shown
 * again (after saving it) keeps its form and any link on screen. */
export async function showCoaches(organisation) {
  const same = organisation && shown.organisation && organisation.id === shown.organisation.id;
  shown.organisation = organisation;
  if (!same) {
    shown.coaches = [];
    closeForm();
    hideLink();
    $('coaches-status').textContent = '';
  }
  if (organisation) await loadCoaches();
}

async function loadCoaches() {
  const asked = shown.organisation;
  let body;
  try {
    body = await api('GET', path());
  } catch (error) {
    $('coaches-status').textContent = error.message;
    return;
  }
  if (asked !== shown.organisation) return; // another organisation was opened meanwhile
  shown.coaches = body.coaches;
  renderCoaches();
}

function goalTitles(ids) {
  const goals = [...shown.organisation.system_goals, ...(shown.organisation.archived_goals || [])];
  return ids.map((id) => goals.find((goal) => goal.id === id)).filter(Boolean).map((goal) => goal.title);
}

function renderCoaches() {
  if (!shown.coaches.length) {
    $('coach-list').replaceChildren(h('li', { class: 'coach-empty', text: t('No coaches yet: support requests rest with the leaders until you add one.') }));
    return;
  }
  $('coach-list').replaceChildren(...shown.coaches.map((coach) => {
    const titles = goalTitles(coach.goal_ids);
    return h('li', { class: 'coach-item', 'data-testid': `coach-${coach.id}` },
      h('div', { class: 'coach-item-text' },
        h('strong', { class: 'coach-item-name', text: coach.name }),
        h('span', { class: coach.email ? 'coach-item-email' : 'coach-item-email muted', text: coach.email || t('No e-mail: reminders show in their view') }),
        h('span', { class: 'coach-item-goals', text: titles.length
          ? t('Coaches under: {titles}', { titles: titles.join(', ') }) : t('Any system goal') }),
        h('span', { class: 'coach-item-caseload', 'data-testid': `coach-${coach.id}-caseload`,
          text: tn('{n} person', '{n} people', coach.caseload || 0) })),
      h('div', { class: 'coach-item-buttons' },
        h('button', {
          type: 'button', class: 'button secondary small', 'aria-label': t('Edit {name}', { name: coach.name }),
          onclick: () => openForm(coach),
        }, t('Edit')),
        h('button', {
          type: 'button', class: 'button secondary small', 'aria-label': t('New link for {name}', { name: coach.name }),
          onclick: () => newKey(coach),
        }, t('New link…')),
        h('button', {
          type: 'button', class: 'button danger small', 'aria-label': t('Remove {name}', { name: coach.name }),
          onclick: () => remove(coach),
        }, t('Remove…'))));
  }));
}

// The form: a new coach, or one being edited

function openForm(coach) {
  shown.coach = coach;
  hideLink();
  $('coach-form').hidden = false;
  $('coach-add').hidden = true;
  $('coach-error').textContent = '';
  $('coach-form-heading').textContent = coach ? t('Edit: {name}', { name: coach.name }) : t('Add a coach');
  $('coach-submit').textContent = coach ? t('Save the coach') : t('Add the coach');
  $('coach-name').value = coach ? coach.name : '';
  $('coach-email').value = coach ? coach.email : '';
  const ticked = new Set(coach ? coach.goal_ids : []);
  const archived = (shown.organisation.archived_goals || []).filter((goal) => ticked.has(goal.id));
  $('coach-goals').replaceChildren(...[...shown.organisation.system_goals, ...archived].map((goal) => h('label', {
    class: 'check',
  },
  h('input', { type: 'checkbox', value: String(goal.id), checked: ticked.has(goal.id), 'data-testid': `coach-goal-${goal.id}` }),
  h('span', { class: 'check-text', text: archived.includes(goal) ? t('{title} (archived)', { title: goal.title }) : goal.title }))));
  $('coach-name').focus();
}

function closeForm() {
  shown.coach = null;
  $('coach-form').hidden = true;
  $('coach-add').hidden = false;
  $('coach-error').textContent = '';
}

$('coach-add').addEventListener('click', () => openForm(null));

$('coach-cancel').addEventListener('click', () => {
  closeForm();
  $('coach-add').focus();
});

$('coach-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const error = $('coach-error');
  error.textContent = '';
  if (!$('coach-name').value.trim()) {
    error.textContent = t('Give the coach a name.');
    $('coach-name').focus();
    return;
  }
  const body = {
    name: $('coach-name').value.trim(),
    email: $('coach-email').value.trim(),
    goal_ids: [...$('coach-goals').querySelectorAll('input:checked')].map((box) => Number(box.value)),
  };
  const editing = shown.coach;
  const button = $('coach-submit');
  button.disabled = true;
  let saved;
  try {
    saved = await api(editing ? 'PATCH' : 'POST', path(editing ? `/${editing.id}` : ''), body);
  } catch (failure) {
    error.textContent = failure.message;
    return;
  } finally {
    button.disabled = false;
  }
  closeForm();
  await loadCoaches();
  if (editing) {
    $('coaches-status').textContent = t('{name} is saved.', { name: saved.name });
    focusCoach(saved.id);
  } else {
    showLink(saved.name, saved.coach_url);
  }
});

function focusCoach(id) {
  const item = document.querySelector(`[data-testid="coach-${id}"] button`);
  (item || $('coaches-heading')).focus();
}

// A coach's link, shown once

function showLink(name, url) {
  $('coaches-status').textContent = '';
  $('coach-link').hidden = false;
  $('coach-link-heading').textContent = t("{name}'s link", { name });
  $('coach-url').value = url;
  $('coach-open').href = url;
  $('coach-copied').textContent = '';
  $('coach-link').focus();
}

function hideLink() {
  $('coach-link').hidden = true;
  $('coach-url').value = ''; // the key is not left in the page
  $('coach-open').href = '#';
}

$('coach-copy').addEventListener('click', () => copyLink($('coach-url'), $('coach-copied')));
$('coach-url').addEventListener('focus', (event) => event.target.select());
$('coach-link-done').addEventListener('click', () => {
  hideLink();
  $('coach-add').focus();
});

async function newKey(coach) {
  const answer = await confirmWith(t('Make a new link for {name}?', { name: coach.name }), t("A coach's link is shown only once. The new link works at once, and the old one stops opening their view."),
    t('Make a new link'));
  if (answer !== 'confirm') return;
  closeForm();
  try {
    showLink(coach.name, (await api('POST', path(`/${coach.id}/key`))).coach_url);
  } catch (error) {
    $('coaches-status').textContent = error.message;
  }
}

async function remove(coach) {
  const answer = await confirmWith(t('Remove {name}?', { name: coach.name }), t("Their link stops working at once. Their open support requests pass to another coach of the same system goals; their other people have no coach until a leader gives them one. The conversations on people's goals are kept."),
    t('Remove the coach'));
  if (answer !== 'confirm') return;
  closeForm();
  hideLink();
  try {
    await api('DELETE', path(`/${coach.id}`));
  } catch (error) {
    $('coaches-status').textContent = error.message;
    return;
  }
  await loadCoaches();
  $('coaches-status').textContent = t('{name} was removed.', { name: coach.name });
  $('coaches-heading').focus();
}
