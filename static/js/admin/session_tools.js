/** A saved session's tools: a new console link, a copy for another day, and deleting it. */

import { $ } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { api } from './api.js';
import { ask, confirmWith } from './dialogs.js';
import { editing, markSelected } from './editing.js';
import { isoDay } from './format.js';
import { saveLink } from './links.js';
import { renderTools, newSession } from './session_form.js';
import { fail, loadSessions, showCreated } from './sessions.js';

$('tools-new-link').addEventListener('click', async () => {
  const answer = await confirmWith(t('Make a new console link?'), t('The console link is shown only once. A new link works at once, and the old link stops opening the console (a console already open keeps running until it reloads).'), t('Make a new link'));
  if (answer !== 'confirm') return;
  try {
    const body = await api('POST', `/api/sessions/${editing.current.code}/console-link`);
    saveLink(editing.current.code, body.console_url);
    renderTools(editing.current);
    $('console-link-box').hidden = false;
    $('tools-console-url').value = body.console_url;
    $('tools-console-url').focus();
  } catch (error) {
    fail(error.message);
  }
});

$('tools-duplicate').addEventListener('click', async () => {
  const next = new Date(`${editing.current.date}T12:00:00`);
  next.setDate(next.getDate() + 7);
  $('duplicate-date').value = Number.isNaN(next.getTime()) ? '' : isoDay(next);
  if (await ask($('duplicate-dialog')) !== 'confirm') return;
  try {
    const date = $('duplicate-date').value;
    await showCreated(await api('POST', `/api/sessions/${editing.current.code}/duplicate`, date ? { date } : {}));
    await loadSessions();
    markSelected();
  } catch (error) {
    fail(error.message);
  }
});

$('tools-delete').addEventListener('click', async () => {
  const { code, title } = editing.current;
  const answer = await confirmWith(t('Delete this session?'), t('“{title}” and everything in it (participants, answers, groups, plans) will be gone for good. This cannot be undone.', { title }), t('Delete for good'));
  if (answer !== 'confirm') return;
  try {
    await api('DELETE', `/api/sessions/${code}`);
    saveLink(code, null);
    newSession();
    await loadSessions();
    $('sessions-status').textContent = t('“{title}” was deleted.', { title });
    $('sessions-heading').focus();
  } catch (error) {
    fail(error.message);
  }
});
