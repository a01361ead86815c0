/** The leaders' view: an organisation's follow-up and its coaching loop, opened with the key the address carries
 * after #. */

import { $, h } from '../lib/dom.js';
import { language, t } from '../lib/i18n.js';
import { accessFrom, call, fragmentOf } from './access.js';
import { wireActions } from './actions.js';
import { renderAgreement, renderCoaches, renderMail, renderRequests, renderSilent } from './coaching.js';
import { whole } from './format.js';
import { goalSection } from './panels.js';
import { renderAssignForm, renderPeople } from './people.js';
import { renderProgressWall } from './progress_wall.js';

let access = null; // {kind: 'organisation', id, key} or {kind: 'code', code, key}: what the fragment held
let view = null; // GET /api/follow-up

// Opening the follow-up

function askForLink(message) {
  view = null;
  $('view').hidden = true;
  $('head-tools').hidden = true;
  $('status').textContent = '';
  $('error').textContent = message || '';
  $('open-form').hidden = false;
  $('open-link').value = '';
  $('open-key').value = '';
  $('open-link').focus();
}

$('open-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const link = $('open-link').value.trim();
  let found = null;
  if (link) {
    let url = null;
    try {
      url = new URL(link, window.location.href);
    } catch (error) {
      url = null;
    }
    found = url && accessFrom(url.hash, url.pathname);
    if (!found) {
      $('error').textContent = t('That link holds no key. Paste the whole link, including the part after #.');
      $('open-link').focus();
      return;
    }
  } else {
    const id = $('open-organisation').value.trim();
    const key = $('open-key').value.trim();
    found = accessFrom(`organisation=${encodeURIComponent(id)}&key=${encodeURIComponent(key)}`);
    if (!found) {
      $('error').textContent = t("Paste the leaders' link, or type the organisation number and the key.");
      (id ? $('open-key') : $('open-organisation')).focus();
      return;
    }
  }
  access = found;
  history.replaceState(null, '', `${window.location.pathname}#${fragmentOf(access)}`);
  load().then((loaded) => { if (loaded) $('heading').focus(); });
});

/** Reads the follow-up and shows it; false (and the reason on the page) when it could not. */
async function load() {
  if (!view) $('status').textContent = t('Loading the follow-up…');
  try {
    const response = await call(access, 'GET', '/api/follow-up');
    view = await response.json();
  } catch (error) {
    if (error.status === 0 && view) {
      $('error').textContent = error.message; // keep what is on screen; the next try may reach the server
      return false;
    }
    askForLink(error.message);
    return false;
  }
  render();
  return true;
}

// The view

function render() {
  document.title = t('{organisation} · Follow-up · Pathways', { organisation: view.organisation });
  $('heading').textContent = view.organisation;
  $('open-form').hidden = true;
  $('error').textContent = '';
  $('status').textContent = '';
  $('view').hidden = false;
  $('head-tools').hidden = false;
  $('updated').textContent = t('Updated at {time}.', {
    time: new Date().toLocaleTimeString(language, { hour: '2-digit', minute: '2-digit' }),
  });
  const coaching = coachingOf(view);
  $('total-people').textContent = whole.format(view.people);
  $('total-without-goal').textContent = whole.format(view.without_goal);
  $('total-without-coach').textContent = whole.format(coaching.without_coach || 0);
  $('total-silent').textContent = whole.format(coaching.people.filter((row) => row.silent).length);
  $('total-open-requests').textContent = whole.format(view.open_requests);
  renderMail(coaching.mail);
  renderCoaches(coaching);
  renderRequests(coaching, actions);
  renderSilent(coaching);
  renderAgreement(coaching);
  renderPeople(coaching, actions);
  renderAssignForm(view);
  renderProgressWall(access);
  $('goals').replaceChildren(...(view.system_goals.length
    ? view.system_goals.map((goal, index) => goalSection(goal, index, followUp))
    : [h('p', { class: 'empty card', text: t('This organisation has no system goals yet.') })]));
}

/** The view's coaching loop, with empty lists where a part is missing. */
function coachingOf(shown) {
  return { people: [], coaches: [], requests: [], system_goals: [], ...shown.coaching };
}

/** A refusal: a key that no longer opens the follow-up asks for the link again; anything else is said. */
function fail(error) {
  if (error.status === 401 || error.status === 403) askForLink(error.message);
  else $('error').textContent = error.message;
}

const actions = wireActions({
  send: (method, path, body) => call(access, method, path, body),
  reload: load,
  say: (text) => {
    $('status').textContent = text;
    $('error').textContent = '';
  },
  fail,
  view: () => view,
});

/** Closes a request; the view is read again, and focus goes to the next request of the goal (or its heading). */
async function followUp(request, n, row, button) {
  button.disabled = true;
  let said = t('{support} for {name} is marked as followed up.', { support: request.support, name: request.name });
  try {
    await call(access, 'POST', `/api/follow-up/support-requests/${encodeURIComponent(request.key)}/close`);
  } catch (error) {
    if (error.status === 404) {
      said = t('That request was already followed up: the list is up to date again.');
    } else {
      button.disabled = false;
      fail(error);
      return;
    }
  }
  if (!(await load())) return;
  $('status').textContent = said;
  const section = document.querySelector(`[data-testid="goal-${n}"]`);
  const buttons = section ? section.querySelectorAll('.request-close') : [];
  const next = buttons[Math.min(row, buttons.length - 1)];
  (next || $(`goal-${n}-requests-heading`) || $('heading')).focus();
}

$('refresh').addEventListener('click', () => load());
$('people-filter').addEventListener('change', () => renderPeople(coachingOf(view), actions));

// Start: the address's fragment, or the form

function start() {
  access = accessFrom(window.location.hash);
  if (access) load();
  else askForLink(window.location.hash.length > 1 ? t('That link holds no key. Paste the whole link, including the part after #.') : '');
}

window.addEventListener('hashchange', () => {
  view = null;
  start();
});
start();
