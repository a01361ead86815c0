/** The admin token (kept for this tab only) and every call to the API with it; a refused token is asked for again. */

import { $ } from '../lib/dom.js';
import { t } from '../lib/i18n.js';

const TOKEN_KEY = 'pathways:admin-token'; // sessionStorage: gone when the tab closes

let token = sessionStorage.getItem(TOKEN_KEY) || '';

export const hasToken = () => Boolean(token);

/** Call the API with ``typed`` from now on; ``keepToken`` keeps it for this tab once it has worked. */
export function useToken(typed) {
  token = typed;
}

export function keepToken() {
  sessionStorage.setItem(TOKEN_KEY, token);
}

class ApiError extends Error {}

/** One call to the API with the admin token; the server's sentence becomes the error's message. */
export async function api(method, path, body) {
  const headers = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
  const init = { method, headers };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    throw new ApiError(t('The server could not be reached. Check the connection and try again.'));
  }
  if (response.status === 401) {
    askForToken(t('The admin token was not accepted. Check it and try again.'));
    throw new ApiError(t('The admin token was not accepted. Check it and try again.'));
  }
  if (response.status === 204) return null;
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(data.error || response.statusText);
  return data;
}

/** Forget the token and show the form that asks for it, with ``message`` (why) under it. */
export function askForToken(message) {
  token = '';
  sessionStorage.removeItem(TOKEN_KEY);
  $('workspace').hidden = true;
  $('token-form').hidden = false;
  $('token-error').textContent = message || '';
  $('admin-token').value = '';
  $('admin-token').focus();
}
