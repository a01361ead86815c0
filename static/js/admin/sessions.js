/** The list of sessions, and saving the session form: a new session's code and links are shown once. */

import { $, h } from '../lib/dom.js';
import { t, tn } from '../lib/i18n.js';
import { api } from './api.js';
import { editing, markSelected } from './editing.js';
import { duration, stateBadge } from './format.js';
import { saveLink } from './links.js';
import { loadOrganisations } from './organisations.js';
import { addPastedGoals, editSession, fillForm, newSession, sessionOrganisation } from './session_form.js';

const form = $('session-form');
const submit = $('form-submit');
const formError = $('form-error');

export async function loadSessions() {
  $('sessions-status').textContent = t('Loading sessions…');
  let body;
  try {
    body = await api('GET', '/api/sessions');
  } catch (error) {
    $('token-error').textContent = error.message;
    $('sessions-status').textContent = error.message;
    return false;
  }
  renderSessions(body.sessions);
  return true;
}

function renderSessions(sessions) {
  $('sessions-status').textContent = sessions.length ? tn('{n} session', '{n} sessions', sessions.length)
    : t('No sessions yet. Fill in the form to create the first.');
  $('sessions').replaceChildren(...sessions.map((session) => {
    const time = session.day_minutes
      ? t('Planned: {planned} of {available} available.', { planned: duration(session.planned_minutes), available: duration(session.day_minutes) })
      : t('Planned: {planned}.', { planned: duration(session.planned_minutes) });
    const selected = editing.current && editing.current.code === session.code;
    return h('li', {},
      h('button', {
        type: 'button', class: 'session-item', 'aria-current': selected ? 'true' : null,
        'data-testid': `session-${session.code}`,
        onclick: () => editSession(session.code),
      },
      h('span', { class: 'session-item-top' },
        h('strong', { class: 'session-item-title', text: session.title }),
        stateBadge(session.state)),
      h('span', { class: 'session-item-meta', text: [
        session.date || t('no date'), tn('{n} joined', '{n} joined', session.participants), session.code,
      ].join(' · ') }),
      h('span', { class: `session-item-time${overTime(session) ? ' over' : ''}`, text: time })));
  }));
}

function overTime(session) {
  return session.day_minutes != null && session.planned_minutes > session.day_minutes;
}

export function fail(message, focus) {
  formError.textContent = message;
  if (focus) focus.focus();
}

function formBody() {
  const dayMinutes = $('day-minutes').value.trim();
  const chosen = sessionOrganisation();
  const body = {
    title: $('session-title').value,
    facilitator: $('facilitator-name').value,
    date: $('session-date').value,
    day_minutes: dayMinutes === '' ? null : Number(dayMinutes),
  };
  if (!editing.current) body.language = $('session-language').value; // later, from the console
  if (chosen) body.organisation_id = chosen.id; // its name and goals come from the organisation
  else body.organisation = $('organisation').value;
  if (!chosen || editing.goals.length) {
    body.system_goals = editing.goals.map((goal) => ({
      ...(goal.id == null ? {} : { id: goal.id }), title: goal.title, description: goal.description,
    }));
  }
  if (!$('agenda-section').disabled) {
    body.agenda = editing.agenda.map((item) => ({
      ...(item.item == null ? { id: item.protocol } : { item: item.item }),
      rounds: item.rounds,
      minutes: Object.fromEntries(item.steps.map((step) => [step.id, Number(step.minutes) || 0])),
    }));
  }
  return body;
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  formError.textContent = '';
  $('form-saved').textContent = '';
  if (!$('session-title').value.trim()) return fail(t('Give the session a title.'), $('session-title'));
  if ($('goals-paste').value.trim() && !addPastedGoals()) return $('goals-paste').focus(); // pasted, not added
  if (!editing.goals.length && !sessionOrganisation()) return fail(t('Add at least one system goal.'), $('goals-paste'));
  if (!editing.agenda.length && !$('agenda-section').disabled) return fail(t('Pick at least one protocol for the agenda.'), $('protocol-pick'));
  submit.disabled = true;
  const label = submit.textContent;
  submit.textContent = t('Saving…');
  try {
    if (editing.current) {
      const saved = await api('PATCH', `/api/sessions/${editing.current.code}`, formBody());
      editing.current = saved;
      fillForm(saved);
      $('editor-heading').textContent = t('Edit: {title}', { title: saved.title });
      $('form-saved').textContent = t('Saved.');
    } else {
      const made = await api('POST', '/api/sessions', formBody());
      await showCreated(made);
      if (made.organisation_id != null) loadOrganisations(); // its count of sessions
    }
    await loadSessions();
    markSelected();
  } catch (error) {
    fail(error.message);
  } finally {
    submit.disabled = false;
    submit.textContent = editing.current ? t('Save changes') : label;
  }
});

/** A new session or a copy: its code and links, shown once; the console link is remembered in this browser. */
export async function showCreated(body) {
  saveLink(body.code, body.console_url);
  editing.current = await api('GET', `/api/sessions/${body.code}`);
  fillForm(editing.current);
  $('editor-heading').textContent = t('Edit: {title}', { title: editing.current.title });
  $('created-code').textContent = body.code;
  $('console-link').href = body.console_url;
  $('projector-link').href = body.projector_url;
  $('join-link').href = body.join_url;
  $('console-url').value = body.console_url;
  $('join-url').value = body.join_url;
  form.hidden = true;
  $('session-tools').hidden = true;
  $('created').hidden = false;
  $('created').focus();
}

$('created-edit').addEventListener('click', () => editSession(editing.current.code));
$('new-session').addEventListener('click', () => {
  newSession();
  $('session-title').focus();
});
for (const id of ['console-url', 'join-url', 'tools-console-url']) {
  $(id).addEventListener('focus', (event) => event.target.select());
}
