/** What a coach's link opens: ``coach=<id>&key=<key>`` after #, and the person open (``person=<id>``); the key is
 * sent only as a header. */

import { t } from '../lib/i18n.js';

export class ApiError extends Error {
  constructor(message, status, code) {
    super(message);
    this.status = status;
    this.code = code || '';
  }
}

/** The coach and key a fragment holds, and the person it opens (null: the list); null without a usable key. */
export function accessFrom(fragment) {
  const params = new URLSearchParams(String(fragment || '').replace(/^#/, ''));
  const coach = (params.get('coach') || '').trim();
  const key = (params.get('key') || '').trim();
  const person = (params.get('person') || '').trim();
  if (!key || !/^\d{1,12}$/.test(coach)) return null;
  return { coach, key, person: /^-?\d{1,12}$/.test(person) ? person : null };
}

/** The fragment of the coach's view, on a person (``person`` an id) or on the list (null). */
export function fragmentOf(access, person) {
  const base = `coach=${access.coach}&key=${encodeURIComponent(access.key)}`;
  return person == null ? base : `${base}&person=${person}`;
}

/** One call to the coach's API with the key in its header; JSON back, or an ApiError holding the server's own
 * sentence (a refused key becomes one a coach can act on). */
export async function call(access, method, path, body) {
  const headers = { 'X-Coach-Key': access.key };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(`${path}?coach=${encodeURIComponent(access.coach)}`, {
      method, headers, cache: 'no-store', body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiError(t('The server could not be reached. Check the connection and try again. Nothing you typed was lost.'), 0, 'network');
  }
  const data = await response.json().catch(() => ({}));
  if (response.ok) return data;
  let message = data.error || response.statusText;
  if (response.status === 403) message = t("That key does not open this coach's view. Check the link, or ask the admin for a new one.");
  else if (response.status === 401) message = t("The link holds no key. Paste the whole coach's link, including the part after #.");
  throw new ApiError(message, response.status, data.code);
}
