/** A phone's outbox: what it sent that the server has not acknowledged yet (ideas, votes, parking-lot posts, warm
 * feedback), kept in the browser's storage so a reload or a closed tab loses none of it. Each item carries an id made
 * on the phone, so one sent twice (after a lost reply, a drop or a reload) lands once. */

import { ask } from '../lib/socket.js';
import { kept, removeKept } from './storage.js';

const ACK_TIMEOUT = 10000;
const RETRY_MS = 5000; // after no reply, or a busy server: tried again this soon on the same connection
const PASSING = new Set(['rate_limited', 'internal_error', 'not_connected']); // busy, not refusing: sent again
const KINDS = ['ideas', 'parking-lot', 'feedback'];
const outboxes = new Map(); // key -> the outbox made on this page under it
const heldKeys = new Set(); // keys held: an outbox made meanwhile starts held

/** Where a session's outbox of ``kind`` (one of ``KINDS``) is kept on this phone. */
export const outboxKey = (kind, code) => `pathways:${kind}:${code}`;

/** Hold every outbox of the session and wait until none has an item on its way: what the server handles after
 * this resolves was sent after it. Call ``releaseOutboxes(code)`` once done. */
export function holdOutboxes(code) {
  const keys = KINDS.map((kind) => outboxKey(kind, code));
  keys.forEach((key) => heldKeys.add(key));
  return Promise.all(keys.filter((key) => outboxes.has(key)).map((key) => outboxes.get(key).hold()));
}

/** Let the session's outboxes send again (what is left in them). */
export function releaseOutboxes(code) {
  KINDS.forEach((kind) => {
    const key = outboxKey(kind, code);
    heldKeys.delete(key);
    if (outboxes.has(key)) outboxes.get(key).release();
  });
}

/** Drop every outbox of the session: what a person left waiting is theirs alone, never sent as the next person to
 * join on this phone, nor after they deleted their answers. */
export function dropOutboxes(code) {
  KINDS.forEach((kind) => {
    const key = outboxKey(kind, code);
    removeKept(key);
    if (outboxes.has(key)) outboxes.get(key).drop(); // kept in this tab's memory where storage is refused
  });
}

/**
 * The outbox kept under ``key`` (in this tab's memory where storage is refused). ``socket()`` is the connection now;
 * ``send(item)`` the ``[event, payload]`` it goes as; ``idOf(item)`` its id; ``answered(item, ack)`` runs once the
 * server kept it or refused it for good (the item has left the outbox then); ``waiting(item)`` when a pass stops with
 * the item still kept (offline, no reply in time, the server busy). Items go oldest first, one pass at a time (two
 * at once would send each twice), each read again before it goes (one dropped meanwhile is not sent); call
 * ``flush()`` on every new connection.
 */
export function outbox(key, { socket, send, idOf, answered, waiting = () => {} }) {
  let memory = [];
  let pass = null; // the pass on its way: a promise settled when it stops
  let held = heldKeys.has(key);
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

  async function sendAll() {
    let item;
    while (!held && (item = items()[0])) {
      if (!connected()) return waiting(item);
      const [event, payload] = send(item);
      const { timeout, ack } = await ask(socket(), event, payload, ACK_TIMEOUT);
      if (timeout || (ack && PASSING.has(ack.code))) {
        if (connected() && !held) retry = window.setTimeout(flush, RETRY_MS);
        return waiting(item);
      }
      const id = idOf(item);
      const left = items();
      if (!left.some((other) => idOf(other) === id)) continue; // dropped while on its way: its news is no one's now
      keep(left.filter((other) => idOf(other) !== id));
      answered(item, ack || {});
    }
  }

  function flush() {
    if (pass || held) return;
    window.clearTimeout(retry);
    pass = sendAll().finally(() => { pass = null; });
  }

  const handle = {
    /** Keep ``item`` and send it (now, or on the next connection). */
    add(item) {
      keep([...items(), item]);
      flush();
    },
    /** What waits, oldest first. */
    items,
    flush,
    /** Start no pass until ``release()``; resolves once the pass on its way (if any) has stopped. */
    hold() {
      held = true;
      window.clearTimeout(retry);
      return pass || Promise.resolve();
    },
    release() {
      held = false;
      flush();
    },
    /** Forget every item (storage is cleared by ``dropOutboxes``). */
    drop() {
      keep([]);
    },
  };
  outboxes.set(key, handle);
  return handle;
}
