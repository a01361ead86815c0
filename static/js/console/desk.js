/** What every part of the console shares: the session as the server last sent it, the live counts, the answers
 * to the open step, the connection, the status line, and sending an event that the server acknowledges. */

import { $ } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { ask } from '../lib/socket.js';

const ACK_TIMEOUT = 8000;

export const desk = {
  code: $('console').dataset.code,
  joinAddress: $('console').dataset.joinAddress, // as the projector shows it
  key: new URLSearchParams(window.location.hash.slice(1)).get('key'),
  socket: null,
  state: null, // the last state
  live: null, // the last live counts
  answers: new Map(), // participant id -> their newest answer to the open step
};

const statusLine = $('status-line');

export function status(message, kind) {
  statusLine.textContent = message || '';
  statusLine.dataset.kind = kind || '';
}

/** Send a console event; resolves with the ack (null if it never came). An error ack goes to the status line
 * unless ``quiet``: then the caller says what it means. */
export async function send(event, payload, quiet) {
  if (!desk.socket.connected) {
    status(t('Not connected'), 'error');
    return null;
  }
  const { timeout, ack } = await ask(desk.socket, event, payload || {}, ACK_TIMEOUT);
  if (timeout) status(t('No answer from the server. Check the connection and try again.'), 'error');
  else if (!ack || !ack.ok) { if (!quiet) status((ack && ack.error) || event, 'error'); }
  else status('');
  return timeout ? null : ack;
}

/** Rebuilding a list must not drop the keyboard focus: it goes back to the element with the same data-focus. */
export function keepingFocus(build) {
  const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.focus : null;
  build();
  if (focused) {
    const again = document.querySelector(`[data-focus="${CSS.escape(focused)}"]`);
    if (again && !again.disabled) again.focus();
  }
}
