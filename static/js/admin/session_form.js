/** The session form: a new session or one being edited, its organisation and its system goals. */

import { $, h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { pickFromLibrary, renderAgenda } from './agenda.js';
import { api } from './api.js';
import { editing, markSelected } from './editing.js';
import { isoDay, stateBadge } from './format.js';
import { savedLinks } from './links.js';
import { MAX_GOALS, goalRows, parseGoals } from './rows.js';

const form = $('session-form');
const submit = $('form-submit');
const formError = $('form-error');

export function newSession() {
  editing.current = null;
  editorFor('session');
  fillForm({
    title: '', organisation: '', organisation_id: null, facilitator: '', date: isoDay(new Date()), day_minutes: null,
    system_goals: [], agenda: [], state: 'draft',
  });
  startingAgenda();
  $('editor-heading').textContent = t('New session');
  submit.textContent = t('Create session');
  markSelected();
}

/** A new session starts with goal setting, once the protocol library is here. */
function startingAgenda() {
  const first = editing.library.get('goal-setting');
  if (first) editing.agenda = [pickFromLibrary(first)];
  renderAgenda();
}

/** The protocol library arrived after a new session's form was opened (a quick presenter, a slow network): the form
 * gets the agenda it would have opened with, unless the presenter has started one or is elsewhere. */
export function libraryArrived() {
  if (!form.hidden && editing.current === null && editing.agenda.length === 0) startingAgenda();
}

export async function editSession(code) {
  try {
    editing.current = await api('GET', `/api/sessions/${code}`);
  } catch (error) {
    $('sessions-status').textContent = error.message;
    return;
  }
  editorFor('session');
  fillForm(editing.current);
  $('editor-heading').textContent = t('Edit: {title}', { title: editing.current.title });
  submit.textContent = t('Save changes');
  markSelected();
  $('editor-heading').focus();
}

/** The editor shows a session (its form, tools or links) or an organisation (its form, tools or leaders' link). */
export function editorFor(kind) {
  const parts = {
    session: ['session-form', 'session-tools', 'created', 'editor-state'],
    organisation: ['organisation-form', 'organisation-tools', 'leaders-link'],
  };
  for (const id of parts[kind === 'session' ? 'organisation' : 'session']) $(id).hidden = true;
  if (kind === 'session') {
    editing.organisation = null;
    $('leaders-url').value = ''; // the keys are not left in the page
    $('coach-url').value = '';
  }
}

export function fillForm(session) {
  $('created').hidden = true;
  form.hidden = false;
  formError.textContent = '';
  $('form-saved').textContent = '';
  $('session-title').value = session.title;
  $('organisation').value = session.organisation;
  $('session-organisation').disabled = editing.current !== null; // an organisation's session is made as one
  $('session-organisation').value = session.organisation_id == null ? '' : String(session.organisation_id);
  $('session-organisation-hint').textContent = editing.current ? t('Set when the session was made.')
    : t("A session of an organisation starts with its system goals, and its people are followed up across the organisation's sessions.");
  $('facilitator-name').value = session.facilitator;
  $('session-date').value = session.date;
  $('day-minutes').value = session.day_minutes == null ? '' : session.day_minutes;
  $('session-language').value = session.language || document.documentElement.lang; // a new one: this page's
  $('session-language').closest('.field').hidden = editing.current !== null; // once made, the console changes it
  editing.goals = session.system_goals.map((goal) => ({ ...goal }));
  editing.agenda = session.agenda.map((item) => ({ ...item, steps: item.steps.map((step) => ({ ...step })) }));
  const editable = session.state === 'draft';
  $('agenda-section').disabled = !editable;
  $('agenda-live').hidden = editable;
  renderSessionOrganisation();
  renderAgenda();
  renderTools(session);
}

export function renderTools(session) {
  const existing = editing.current !== null;
  $('session-tools').hidden = !existing;
  $('editor-state').hidden = !existing;
  $('console-link-box').hidden = true;
  if (!existing) return;
  $('editor-state').replaceWith(stateBadge(session.state, { id: 'editor-state', 'data-testid': 'editor-state' }));
  $('tools-code').textContent = session.code;
  const link = savedLinks()[session.code];
  $('tools-console').hidden = !link;
  if (link) $('tools-console').href = link;
  $('tools-projector').href = `/projector/${session.code}`;
  $('handout-a4').href = `/api/sessions/${session.code}/handout.pdf?paper=A4`;
  $('handout-letter').href = `/api/sessions/${session.code}/handout.pdf?paper=LETTER`;
}

/** The organisation a new session is being made for, or null. */
export function sessionOrganisation() {
  if (editing.current) return null;
  const id = Number($('session-organisation').value);
  return (id && editing.organisations.find((candidate) => candidate.id === id)) || null;
}

const goalLabels = (n) => ({
  title: t('Goal {n}', { n }), description: t('Goal {n}, description (optional)', { n }),
  up: t('Move goal {n} up', { n }), down: t('Move goal {n} down', { n }), remove: t('Remove goal {n}', { n }),
});

const sharedGoals = () => (sessionOrganisation() ? sessionOrganisation().system_goals.length : 0);

function renderGoals() {
  const shared = sharedGoals();
  goalRows(editing.goals, $('goal-rows'), {
    prefix: 'goal', labels: goalLabels, offset: shared, render: renderGoals,
    empty: shared ? t("None: the organisation's goals are enough.") : t('No goals yet: paste some below.'),
  });
}

/** A new session of an organisation starts with its goals (shown, not edited here), then any of its own. */
export function renderSessionOrganisation() {
  const chosen = sessionOrganisation();
  const copied = Boolean(editing.current && editing.current.organisation_id != null); // its goals were copied when it was made
  $('organisation-field').hidden = Boolean(chosen) || copied;
  $('copied-goals-note').hidden = !copied;
  $('shared-goals').hidden = !chosen;
  $('goals-hint').textContent = chosen
    ? t("Up to {n} goals of this session's own, after the organisation's. Paste one per line, with a description after a dash.", { n: Math.max(MAX_GOALS - chosen.system_goals.length, 0) }) : t('1 to 10 goals. Paste one per line, with a description after a dash: “Literacy — every student reads fluently by grade 3”.');
  $('own-goals-heading').hidden = !chosen;
  if (chosen) {
    $('shared-goals-heading').textContent = t('From {name}', { name: chosen.name });
    $('shared-goal-list').replaceChildren(...chosen.system_goals.map((goal) => h('li', {},
      h('strong', { text: goal.title }), goal.description ? ` — ${goal.description}` : null)));
  }
  renderGoals();
}

$('session-organisation').addEventListener('change', renderSessionOrganisation);

/** Pasted lines become goal rows; false when some did not fit (a session has at most ten goals). */
export function addPastedGoals() {
  const pasted = parseGoals($('goals-paste').value);
  const shared = sharedGoals();
  const room = Math.max(MAX_GOALS - shared - editing.goals.length, 0);
  editing.goals.push(...pasted.slice(0, room));
  const left = pasted.length - room;
  formError.textContent = left <= 0 ? ''
    : shared ? t('A session has at most 10 system goals, {shared} of them from the organisation; {n} were not added.', { shared, n: left }) : t('A session has at most 10 system goals; {n} were not added.', { n: left });
  $('goals-paste').value = '';
  renderGoals();
  return pasted.length <= room;
}

$('goals-add').addEventListener('click', () => {
  addPastedGoals();
  $('goals-paste').focus();
});
