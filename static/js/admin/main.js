/** Preparing the day: the admin token, the lists of sessions and organisations, one form to create or edit a session
 * (or an organisation), and their tools. */

import { $ } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { loadProtocols } from './agenda.js';
import { askForToken, hasToken, keepToken, useToken } from './api.js';
import { loadOrganisations } from './organisations.js';
import { libraryArrived, newSession } from './session_form.js';
import './session_tools.js'; // a saved session's buttons
import { loadSessions } from './sessions.js';

$('token-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const typed = $('admin-token').value.trim();
  if (!typed) {
    $('token-error').textContent = t('Type the admin token.');
    $('admin-token').focus();
    return;
  }
  useToken(typed);
  if (await loadSessions()) {
    keepToken();
    openWorkspace();
  }
});

$('forget-token').addEventListener('click', () => askForToken(''));

/** Once: a protocol library that arrives after the presenter has opened the workspace (a slow network) must not
 * open a new session's form over the one they are filling in. */
function openWorkspace() {
  if (!$('workspace').hidden) return;
  $('token-form').hidden = true;
  $('workspace').hidden = false;
  newSession();
  loadOrganisations();
}

$('sessions-heading').tabIndex = -1;
loadProtocols().then(async () => {
  if (!$('workspace').hidden) libraryArrived(); // the presenter was in before the library: the form they have
  else if (hasToken() && await loadSessions()) openWorkspace();
  else if (!hasToken()) $('admin-token').focus();
  else askForToken($('token-error').textContent);
});
