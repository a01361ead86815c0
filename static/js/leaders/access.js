/** What a leaders' link opens (an organisation, or one session by its code) and the key it carries after #: read
 * from the fragment or a pasted link, and sent only as a header. */

import { t } from '../lib/i18n.js';

class ApiError extends Error {
  constructor(message, status, code) {
    super(message);
    this.status = status;
    this.code = code || '';
  }
}

/** What a fragment opens: ``organisation=<id>&key=<key>``, ``code=<code>&key=<key>``, or a console link's
 * ``key=<key>`` with the code taken from its path. Null when it holds no usable key. */
export function accessFrom(fragment, path) {
  const params = new URLSearchParams(fragment.replace(/^#/, ''));
  const key = (params.get('key') || '').trim();
  const organisation = (params.get('organisation') || '').trim();
  let code = (params.get('code') || '').trim();
  const consolePath = (path || '').match(/\/console\/([A-Za-z0-9-]{4,12})\/?$/);
  if (!code && consolePath) code = consolePath[1];
  if (!key) return null;
  if (/^\d{1,12}$/.test(organisation)) return { kind: 'organisation', id: organisation, key };
  if (code) return { kind: 'code', code, key };
  return null;
}

export function fragmentOf(opened) {
  const where = opened.kind === 'organisation' ? `organisation=${opened.id}` : `code=${encodeURIComponent(opened.code)}`;
  return `${where}&key=${encodeURIComponent(opened.key)}`;
}

/** One call to the follow-up API with ``access``'s key in its header (and ``body``, if given, as JSON); a refusal
 * becomes a sentence a leader can act on. */
export async function call(access, method, path, body) {
  const query = access.kind === 'organisation'
    ? `organisation=${encodeURIComponent(access.id)}` : `code=${encodeURIComponent(access.code)}`;
  const headers = access.kind === 'organisation'
    ? { 'X-Organisation-Key': access.key } : { 'X-Facilitator-Key': access.key };
  const init = { method, headers, cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(`${path}?${query}`, init);
  } catch (error) {
    throw new ApiError(t('The server could not be reached. Check the connection and try again.'), 0);
  }
  if (response.ok) return response;
  const data = await response.json().catch(() => ({}));
  let message = data.error || response.statusText;
  if (response.status === 403) message = t('That key does not open this follow-up. Check the link, or ask the admin for a new one.');
  else if (response.status === 401) message = t("The link holds no key. Paste the whole leaders' link, including the part after #.");
  else if (data.code === 'no_organisation') message = t('This session belongs to no organisation, so it has no follow-up across sessions. The admin can create the organisation and make its sessions from there.');
  throw new ApiError(message, response.status, data.code);
}
