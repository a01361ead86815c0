/** A phone's outbox: what it sent that the server has not acknowledged yet (ideas, votes, parking-lot posts, warm
 * feedback), kept in the browser's storage so a reload or a closed tab loses none of it. Each item carries an id made
 * on the phone, so one sent twice (after a lost reply, a drop or a reload) lands once. */

import { ask } from '../lib/socket.js';
import { kept, removeKept } from './storage.js';

const ACK_TIMEOUT = 10000;
const RETRY_MS = 5000; // after no reply, or a busy server: tried again this soon on the same connection
const PASSING = new Set(['rate_limited', 'internal_error', 'not_connected']); // busy, not refusing: sent again
const KINDS = ['ideas', 'parking-lot', 'feedback'];

/** Where a session's outbox of ``kind`` (one of ``KINDS``) is kept on this phone. */
export const outboxKey = (kind, code) => `pathways:${kind}:${code}`;

/** Drop every outbox of the session: what a person left waiting is theirs alone, never sent as the next person to
 * join on this phone, nor after they deleted their answers. */
export function dropOutboxes(code) {
  KINDS.forEach((kind) => removeKept(outboxKey(kind, code)));
}

/**
 * The outbox kept under ``key`` (in this tab's memory where storage is refused). ``socket()`` is the connection now;
 * ``send(item)`` the ``[event, payload]`` it goes as; ``idOf(item)`` its id; ``answered(item, ack)`` runs once the
 * server kept it or refused it for good (the item has left the outbox then); ``waiting(item)`` when a pass stops with
 * the item still kept (offline, no reply in time, the server busy). Items go oldest first, one pass at a time (two
 * at once would send each twice); call ``flush()`` on every new connection.
 */
export function outbox(key, { socket, send, idOf, answered, waiting = () => {} }) {
  let memory = [];
  let flushing = false;
  let retry = 0;
  const items = () => {
    const stored = kept((s) => JSON.parse(s.getItem(key) || '[]'));
    if (Array.isArray(stored)) memory = stored;
    return memory;
  };
  const keep = (list) => {
    memory = list;
    kept((s) => (list.length ? s.setItem(key, JSON.stringify(list)) : s.removeItem(key)));
  };
  const connected = () => Boolean(socket() && socket().connected);

  async function flush() {
    if (flushing) return;
    flushing = true;
    window.clearTimeout(retry);
    try {
      for (const item of items()) {
        if (!connected()) return waiting(item);
        const [event, payload] = send(item);
        const { timeout, ack } = await ask(socket(), event, payload, ACK_TIMEOUT);
        if (timeout || (ack && PASSING.has(ack.code))) {
          if (connected()) retry = window.setTimeout(flush, RETRY_MS);
          return waiting(item);
        }
        keep(items().filter((other) => idOf(other) !== idOf(item)));
        answered(item, ack || {});
      }
    } finally {
      flushing = false;
    }
    if (items().length && connected()) flush(); // added while this pass was on its way
  }

  return {
    /** Keep ``item`` and send it (now, or on the next connection). */
    add(item) {
      keep([...items(), item]);
      flush();
    },
    /** What waits, oldest first. */
    items,
    flush,
  };
}
