/** The phone's language: the join page's menu (the page again in the language picked, what was typed kept) and the
 * menu's "Language" once joined (saved as the person's, then the page again in it; the outbox and drafts keep what
 * was on its way). The choice is kept in the ``pathways_language`` cookie, which the server reads first. */

import { $ } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { ask } from '../lib/socket.js';
import { ACK_TIMEOUT } from './answer.js';
import { note } from './view.js';

const TYPED_KEY = 'pathways:join-typed';
const TYPED_FIELDS = ['name-input', 'join-answer', 'identifier-input'];

/** The language the server wrote this page in: what the phone joins with and the handshake asks errors in. */
export const pageLanguage = document.documentElement.lang || 'en';

const stored = (use) => {
  try { return use(window.sessionStorage); } catch (error) { return null; }
};

function remember(code) {
  document.cookie = `pathways_language=${encodeURIComponent(code)}; path=/; max-age=31536000; samesite=lax`;
}

/** This page again in ``code``: ``?lang=`` says it to the server, which keeps it too. */
function reloadIn(code) {
  const address = new URL(window.location.href);
  address.searchParams.set('lang', code);
  window.location.replace(address.href);
}

/** What the join form holds, kept for the page that comes back in another language. */
function keepTyped() {
  const typed = {};
  for (const id of TYPED_FIELDS) if ($(id)) typed[id] = $(id).value;
  if ($('consent-input')) typed.consent = $('consent-input').checked;
  stored((s) => s.setItem(TYPED_KEY, JSON.stringify(typed)));
}

function restoreTyped() {
  const typed = stored((s) => JSON.parse(s.getItem(TYPED_KEY) || 'null'));
  stored((s) => s.removeItem(TYPED_KEY));
  if (!typed) return;
  for (const id of TYPED_FIELDS) if ($(id) && typeof typed[id] === 'string') $(id).value = typed[id];
  if ($('consent-input')) $('consent-input').checked = Boolean(typed.consent);
}

/** The join page's menu: picking a language shows the page in it at once (the form's button is for no script). */
export function wireJoinLanguage() {
  const select = $('language-select');
  if (!select) return;
  restoreTyped();
  $('language-submit').hidden = true;
  select.addEventListener('change', () => {
    keepTyped();
    remember(select.value);
    reloadIn(select.value);
  });
}

/** The phone's menu: the person's language is saved on the server first (their plan and e-mails use it). */
export function wireMenuLanguage(socket) {
  const select = $('menu-language');
  select.addEventListener('change', async () => {
    const chosen = select.value;
    const { timeout, ack } = socket() ? await ask(socket(), 'language', { language: chosen }, ACK_TIMEOUT) : { timeout: true };
    if (timeout || !ack || !ack.ok) {
      select.value = pageLanguage;
      const error = (ack && ack.error) || t('No answer from the server. Check your connection and try again.');
      note(t('Your language could not be changed: {error}', { error }));
      return;
    }
    remember(ack.language);
    reloadIn(ack.language);
  });
}
