/** Organisations: their system goals, shared by their sessions, the leaders' link (its key shown once) and the
 * leaders' e-mails for the weekly digest; their coaches are in coaches.js. */

import { $, h } from '../lib/dom.js';
import { t, tn } from '../lib/i18n.js';
import { api } from './api.js';
import { copyLink } from './clipboard.js';
import { showCoaches } from './coaches.js';
import { confirmWith } from './dialogs.js';
import { editing, markSelected } from './editing.js';
import { MAX_GOALS, goalRows, parseGoals } from './rows.js';
import { editorFor, newSession, renderSessionOrganisation } from './session_form.js';

const form = $('session-form');

export async function loadOrganisations() {
  let body;
  try {
    body = await api('GET', '/api/organisations');
  } catch (error) {
    $('organisations-status').textContent = error.message;
    return;
  }
  editing.organisations = body.organisations;
  $('organisations-status').textContent = editing.organisations.length
    ? tn('{n} organisation', '{n} organisations', editing.organisations.length)
    : t('No organisations yet. An organisation keeps its system goals across sessions and follows its people up.');
  $('organisations').replaceChildren(...editing.organisations.map((each) => h('li', {},
    h('button', {
      type: 'button', class: 'session-item', 'data-testid': `organisation-${each.id}`,
      onclick: () => editOrganisation(each.id),
    },
    h('span', { class: 'session-item-top' }, h('strong', { class: 'session-item-title', text: each.name })),
    h('span', { class: 'session-item-meta', text: organisationCounts(each) })))));
  markSelected();
  const pick = $('session-organisation');
  const wanted = editing.current ? String(editing.current.organisation_id ?? '') : pick.value;
  pick.replaceChildren(h('option', { value: '', text: t('None: this session stands alone') }),
    ...editing.organisations.map((each) => h('option', { value: String(each.id), text: each.name })));
  pick.value = editing.organisations.some((each) => String(each.id) === wanted) ? wanted : '';
  if (!form.hidden) renderSessionOrganisation();
}

function newOrganisation() {
  showOrganisation(null);
  $('organisation-name').focus();
}

async function editOrganisation(id) {
  let found;
  try {
    found = await api('GET', `/api/organisations/${id}`);
  } catch (error) {
    $('organisations-status').textContent = error.message;
    return;
  }
  showOrganisation(found);
  $('editor-heading').focus();
}

/** The organisation form for ``shown`` (null: a new one). */
function showOrganisation(shown) {
  editing.current = null;
  editorFor('organisation');
  editing.organisation = shown;
  $('editor-heading').textContent = shown
    ? t('Organisation: {name}', { name: shown.name }) : t('New organisation');
  $('organisation-form').hidden = false;
  $('organisation-tools').hidden = !shown;
  $('organisation-error').textContent = '';
  $('organisation-saved').textContent = '';
  $('organisation-name').value = shown ? shown.name : '';
  $('organisation-goals-paste').value = '';
  $('organisation-submit').textContent = shown ? t('Save changes') : t('Create organisation');
  editing.organisationGoals = shown ? shown.system_goals.map((goal) => ({ ...goal })) : [];
  if (shown) {
    $('organisation-counts').textContent = organisationCounts(shown);
  }
  $('organisation-leader-emails').value = shown ? (shown.leader_emails || []).join('\n') : '';
  $('organisation-timezone').value = shown ? shown.timezone : browserTimezone();
  offerTimezones();
  renderOrganisationGoals();
  markSelected();
  showCoaches(shown);
}

/** Where this browser is: a new organisation's days are counted there unless the admin says otherwise. */
function browserTimezone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Every time zone name the browser knows, offered as the field is typed (once). */
function offerTimezones() {
  const list = $('timezones');
  if (list.children.length || !Intl.supportedValuesOf) return;
  list.append(...Intl.supportedValuesOf('timeZone').map((name) => h('option', { value: name })));
}

/** "3 goals · 2 sessions · 40 people" */
function organisationCounts(organisation) {
  return [
    tn('{n} goal', '{n} goals', organisation.system_goals.length),
    tn('{n} session', '{n} sessions', organisation.sessions),
    tn('{n} person', '{n} people', organisation.people),
  ].join(' · ');
}

const organisationGoalLabels = (n) => ({
  title: t('Organisation goal {n}', { n }), description: t('Organisation goal {n}, description (optional)', { n }),
  up: t('Move organisation goal {n} up', { n }), down: t('Move organisation goal {n} down', { n }),
  remove: t('Remove organisation goal {n}', { n }),
});

function renderOrganisationGoals() {
  goalRows(editing.organisationGoals, $('organisation-goal-rows'), {
    prefix: 'organisation-goal', labels: organisationGoalLabels, render: renderOrganisationGoals,
    empty: t('No goals yet: paste some below.'),
  });
  const kept = new Set(editing.organisationGoals.map((goal) => goal.id));
  const leaving = editing.organisation ? editing.organisation.system_goals.filter((goal) => !kept.has(goal.id)) : [];
  $('organisation-archiving').hidden = !leaving.length;
  $('organisation-archiving').textContent = leaving.length
    ? t('Archived when you save (not deleted; its people are still followed up): {titles}.', { titles: leaving.map((goal) => `“${goal.title}”`).join(', ') }) : '';
  const archived = editing.organisation ? editing.organisation.archived_goals.filter((goal) => !kept.has(goal.id)) : [];
  $('archived-section').hidden = !archived.length;
  $('archived-goals').replaceChildren(...archived.map((goal) => h('li', { class: 'archived-goal' },
    h('span', {}, h('strong', { text: goal.title }), goal.description ? ` — ${goal.description}` : null),
    h('button', {
      type: 'button', class: 'button secondary small', 'aria-label': t('Bring back “{title}”', { title: goal.title }),
      onclick: () => {
        if (editing.organisationGoals.length >= MAX_GOALS) {
          $('organisation-error').textContent = t('An organisation has at most 10 current system goals; {n} were not added.', { n: 1 });
          return;
        }
        editing.organisationGoals.push({ ...goal });
        renderOrganisationGoals();
        $(`organisation-goal-title-${editing.organisationGoals.length}`).focus();
      },
    }, t('Bring back')))));
}

function addPastedOrganisationGoals() {
  const pasted = parseGoals($('organisation-goals-paste').value);
  const room = Math.max(MAX_GOALS - editing.organisationGoals.length, 0);
  editing.organisationGoals.push(...pasted.slice(0, room));
  $('organisation-error').textContent = pasted.length > room
    ? t('An organisation has at most 10 current system goals; {n} were not added.', { n: pasted.length - room }) : '';
  $('organisation-goals-paste').value = '';
  renderOrganisationGoals();
  return pasted.length <= room;
}

$('organisation-goals-add').addEventListener('click', () => {
  addPastedOrganisationGoals();
  $('organisation-goals-paste').focus();
});

$('organisation-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const error = $('organisation-error');
  error.textContent = '';
  $('organisation-saved').textContent = '';
  if (!$('organisation-name').value.trim()) {
    error.textContent = t('Give the organisation a name.');
    return $('organisation-name').focus();
  }
  if ($('organisation-goals-paste').value.trim() && !addPastedOrganisationGoals()) {
    return $('organisation-goals-paste').focus();
  }
  if (!editing.organisationGoals.length) {
    error.textContent = t('Add at least one system goal for the organisation.');
    return $('organisation-goals-paste').focus();
  }
  const leaders = leaderEmails($('organisation-leader-emails').value);
  const wrong = leaders.find((email) => !EMAIL.test(email));
  if (wrong) {
    error.textContent = t('“{email}” is not an e-mail address: write it as name@school.org.', { email: wrong });
    return $('organisation-leader-emails').focus();
  }
  const body = {
    name: $('organisation-name').value,
    system_goals: editing.organisationGoals.map((goal) => ({
      ...(goal.id == null ? {} : { id: goal.id }), title: goal.title, description: goal.description,
    })),
  };
  const timezone = $('organisation-timezone').value.trim();
  if (!editing.organisation || timezone !== editing.organisation.timezone) body.timezone = timezone;
  const stored = editing.organisation ? editing.organisation.leader_emails || [] : [];
  if (leaders.join('\n') !== stored.join('\n')) body.leader_emails = leaders; // sent only when changed
  const button = $('organisation-submit');
  button.disabled = true;
  try {
    if (editing.organisation) {
      showOrganisation(await api('PATCH', `/api/organisations/${editing.organisation.id}`, body));
      $('organisation-saved').textContent = t('Saved.');
    } else {
      const made = await api('POST', '/api/organisations', body);
      const { key, leaders_url: url, ...kept } = made; // the key is shown once, in the link, and kept nowhere
      showOrganisation(kept);
      showLeadersLink(url);
    }
    await loadOrganisations();
  } catch (failure) {
    error.textContent = failure.message;
  } finally {
    button.disabled = false;
  }
});

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/; // as the server checks it

/** The leaders' e-mails as typed: one per line or separated by commas (or semicolons), in lower case, once each. */
function leaderEmails(typed) {
  return [...new Set(typed.split(/[\s,;]+/).map((email) => email.trim().toLowerCase()).filter(Boolean))];
}

/** The leaders' link, shown once: it carries the organisation key after #. */
function showLeadersLink(url) {
  $('organisation-form').hidden = true;
  $('leaders-link').hidden = false;
  $('leaders-url').value = url;
  $('leaders-open').href = url;
  $('leaders-copied').textContent = '';
  $('leaders-link').focus();
}

$('leaders-copy').addEventListener('click', () => copyLink($('leaders-url'), $('leaders-copied')));

$('leaders-url').addEventListener('focus', (event) => event.target.select());

$('leaders-done').addEventListener('click', () => {
  $('leaders-link').hidden = true;
  $('leaders-url').value = '';
  $('leaders-open').href = '#';
  $('organisation-form').hidden = false;
  $('organisation-name').focus();
});

$('organisation-new-key').addEventListener('click', async () => {
  const answer = await confirmWith(t("Make a new leaders' link?"), t("The leaders' link is shown only once. A new link works at once, and the old link stops opening the follow-up."), t('Make a new link'));
  if (answer !== 'confirm') return;
  try {
    showLeadersLink((await api('POST', `/api/organisations/${editing.organisation.id}/key`)).leaders_url);
  } catch (error) {
    $('organisation-error').textContent = error.message;
  }
});

$('organisation-new-session').addEventListener('click', () => {
  const id = editing.organisation.id;
  newSession();
  $('session-organisation').value = String(id);
  renderSessionOrganisation();
  $('session-title').focus();
});

$('new-organisation').addEventListener('click', newOrganisation);
