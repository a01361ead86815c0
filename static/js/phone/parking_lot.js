/** The parking lot on a phone, opened from the menu at any time of the day: post a question or an idea, upvote
 * other people's, read the facilitator's answers. Loaded once the phone is welcomed, never on its first load. While it
 * is open over the step, a step change underneath is told in it, with a way back to the room.
 *
 * A post waits in this phone's outbox (outbox.js) until the server has it (each with its own id, so a resend after
 * bad Wi-Fi is kept once). An upvote says what it should be ("upvoted" or not), never "toggle", so a resend after a
 * reconnect counts once; and its button waits for the answer and a double tap's time (taps.js), so the second tap of a
 * double tap never takes back the first. While the board is open the server sends its changes; on every (re)connection an
 * open board is read again whole. */

import { $, h, show } from '../lib/dom.js';
import { language, t, tn } from '../lib/i18n.js';
import { randomId } from '../lib/ids.js';
import { localized } from '../lib/localized.js';
import { ask } from '../lib/socket.js';
import { outbox, outboxKey } from './outbox.js';
import { doubleTapOver } from './taps.js';
const ACK_TIMEOUT = 10000;

let socket = null;
let posts = null; // the outbox of posts (outbox.js), made with the connection
let isOpen = false;
let loaded = false; // the board came from the server since the dialog opened
let maxChars = 500;
const items = new Map(); // id -> the item as the room sees it (an own hidden one with ``hidden``)
const mine = new Set();
const upvoted = new Set();
const voting = new Set(); // items whose upvote is on its way or was tapped within a double tap's time: taps are dropped
let status = { text: '', kind: '' };
let room = null; // where the room is: {key, title, phase}
let roomWhenOpened = null; // where it was when the dialog opened

function say(text, kind) {
  status = { text, kind: kind || '' };
  const line = $('parking-lot-status');
  if (!line) return;
  line.textContent = text;
  line.dataset.kind = status.kind;
}

/** Open items first, most upvoted first, then by time; done items after them. */
function sorted() {
  return [...items.values()].sort((a, b) => (a.state === 'done') - (b.state === 'done') || b.upvotes - a.upvotes
    || a.created_at - b.created_at || a.id - b.id);
}

function upvoteButton(item) {
  const pressed = upvoted.has(item.id);
  return h('button', { type: 'button', class: 'parking-lot-upvote', 'aria-pressed': String(pressed),
    'data-testid': 'parking-lot-upvote', disabled: voting.has(item.id), onclick: () => vote(item.id, !pressed) },
  h('span', { 'aria-hidden': 'true', text: '▲ ' }), h('span', { 'data-testid': 'parking-lot-upvotes', text: String(item.upvotes) }),
  h('span', { class: 'visually-hidden', text: ` · ${t('Upvote: {text}', { text: item.text })}` }));
}

function itemRow(item) {
  const own = mine.has(item.id);
  const count = tn('{n} upvote', '{n} upvotes', item.upvotes);
  const tags = [own && t('Yours'), item.state === 'done' && t('Done'), item.hidden && t('Hidden from the room by the facilitator')].filter(Boolean);
  return h('li', { class: 'parking-lot-item', 'data-state': item.state, 'data-testid': 'parking-lot-item', 'data-id': String(item.id) },
    h('div', { class: 'parking-lot-body' },
      h('p', { class: 'parking-lot-text', 'data-testid': 'parking-lot-text', text: item.text }),
      h('p', { class: 'parking-lot-meta' }, own ? h('span', { 'data-testid': 'parking-lot-count', text: count }) : null,
        ...tags.map((tag) => h('span', { class: 'parking-lot-tag', text: tag }))),
      item.answer ? h('p', { class: 'parking-lot-answer', 'data-testid': 'parking-lot-answer' },
        h('strong', { text: `${t('Answer')}: ` }), item.answer) : null),
    own ? null : upvoteButton(item));
}

function renderList() {
  const list = $('parking-lot-list');
  if (!list) return;
  const shown = sorted();
  show($('parking-lot-none'), loaded && !shown.length);
  list.replaceChildren(...shown.map(itemRow));
}

function counter() {
  const text = $('parking-lot-text');
  $('parking-lot-count').textContent = t('{n} of {max} characters', { n: text.value.length, max: maxChars });
}

/** The dialog's frame, built once per opening: what is typed survives the board's changes. */
function renderDialog() {
  const text = h('textarea', { id: 'parking-lot-text', rows: '3', maxlength: String(maxChars),
    'aria-describedby': 'parking-lot-count', 'data-testid': 'parking-lot-input', oninput: counter });
  $('parking-lot').replaceChildren(
    h('header', { class: 'parking-lot-head' },
      h('h2', { id: 'parking-lot-heading', text: t('Parking lot') }),
      h('button', { type: 'button', class: 'button secondary', 'data-testid': 'parking-lot-close', onclick: close }, t('Close'))),
    h('div', { id: 'parking-lot-moved', class: 'parking-lot-moved', role: 'status', 'data-testid': 'parking-lot-moved' }),
    h('p', { class: 'hint', text: t('Questions and ideas for any time today. The room sees them without your name; the facilitator sees who asked.') }),
    h('form', { class: 'stack parking-lot-form', novalidate: true, onsubmit: submit },
      h('label', { for: 'parking-lot-text', text: t('Your question or idea') }), text,
      h('p', { id: 'parking-lot-count', class: 'hint' }),
      h('button', { type: 'submit', class: 'button big', 'data-testid': 'parking-lot-post' }, t('Post'))),
    h('p', { id: 'parking-lot-status', class: 'parking-lot-status', role: 'status', 'data-testid': 'parking-lot-status',
      'data-kind': status.kind, text: status.text }),
    h('h3', { class: 'parking-lot-board', text: t('On the board') }),
    h('p', { id: 'parking-lot-loading', class: 'muted', text: t('Opening the board…') }),
    h('p', { id: 'parking-lot-none', class: 'muted', hidden: true, text: t('Nothing on the board yet: be the first.') }),
    h('ul', { id: 'parking-lot-list', class: 'parking-lot-list', 'data-testid': 'parking-lot-list' }));
  counter();
}

/** Read the board whole (on opening, and again on each reconnection while it is open). */
async function read() {
  if (!socket || !socket.connected) return show($('parking-lot-loading'), true);
  const { timeout, ack } = await ask(socket, 'parking_lot_open', {}, ACK_TIMEOUT);
  if (timeout || !ack || !ack.ok || !isOpen) return;
  items.clear();
  ack.items.forEach((item) => items.set(item.id, item));
  mine.clear();
  ack.mine.forEach((id) => mine.add(id));
  upvoted.clear();
  ack.upvoted.forEach((id) => upvoted.add(id));
  maxChars = ack.max_chars;
  $('parking-lot-text').maxLength = maxChars;
  counter();
  loaded = true;
  show($('parking-lot-loading'), false);
  renderList();
}

async function vote(id, wanted) {
  if (voting.has(id) || !socket || !socket.connected) return;
  voting.add(id);
  renderList();
  const tapOver = doubleTapOver();
  const { timeout, ack } = await ask(socket, 'parking_lot_upvote', { item_id: id, upvoted: wanted }, ACK_TIMEOUT);
  if (!timeout && ack && ack.ok) {
    if (ack.upvoted) upvoted.add(id); else upvoted.delete(id);
    const item = items.get(id);
    if (item) items.set(id, { ...item, upvotes: ack.upvotes });
  } else {
    say(t('Not counted: {error}', { error: (ack && ack.error) || t('No answer from the server. Check your connection and tap Save again.') }), 'error');
  }
  renderList(); // the answer shows at once; the button waits out the double tap
  await tapOver;
  voting.delete(id);
  renderList();
}

/** A post the server has answered: kept on the board, or refused (its text back in the box, to shorten or send
 * later). */
function answered(post, ack) {
  if (ack.ok) {
    mine.add(ack.item.id);
    items.set(ack.item.id, { ...(items.get(ack.item.id) || {}), ...ack.item });
    say(t('Posted. Thank you!'), 'ok');
  } else {
    const text = $('parking-lot-text');
    if (text && !text.value) text.value = post.text;
    say(t('Not posted: {error}', { error: ack.error || t('No answer from the server. Check your connection and tap Save again.') }), 'error');
  }
  renderList();
}

function submit(event) {
  event.preventDefault();
  const text = $('parking-lot-text');
  const body = text.value.trim();
  if (!body) {
    say(t('Write your question or idea first.'), 'error');
    return text.focus();
  }
  text.value = '';
  counter();
  say(t('Posting…'), 'note');
  posts.add({ client_id: randomId(), text: body }); // says "waiting" instead while the phone is offline
}

function onDelta(delta) {
  if (!isOpen) return;
  delta.items.forEach((item) => items.set(item.id, { ...item, hidden: false }));
  delta.removed.forEach((id) => {
    if (mine.has(id) && items.has(id)) items.set(id, { ...items.get(id), hidden: true }); // off the room's board only
    else items.delete(id);
  });
  renderList();
}

function onMine(item) {
  mine.add(item.id);
  if (isOpen) {
    items.set(item.id, item);
    renderList();
  }
}

/** Where ``state`` has the room: a step (by its id), the lobby or the end. */
function placeOf(state) {
  if (!state) return null;
  const step = state.phase === 'step' ? state.step : null;
  return { key: step ? `step:${step.id}` : state.phase, title: step ? localized(step, language).title : '', phase: state.phase };
}

/** Say in the open dialog where the room went since it opened (nothing once it is back where it was). */
function tellMoved() {
  const line = $('parking-lot-moved');
  if (!line) return;
  const moved = room && roomWhenOpened && room.key !== roomWhenOpened.key && room.phase !== 'lobby';
  const text = !moved ? '' : room.phase === 'ended' ? t('The session has ended.') : t('The room has moved on to: {title}', { title: room.title });
  line.replaceChildren(...(text ? [h('p', { text }), h('button', { type: 'button', class: 'button small',
    'data-testid': 'parking-lot-back', onclick: backToRoom, text: t('Back to the room') })] : []));
}

function backToRoom() {
  close();
  const heading = document.querySelector('#phone > .screen:not([hidden]) h1');
  if (heading) heading.focus({ preventScroll: true });
}

/** The room's state, as the phone shows it: a step change while the dialog is open is told in it. */
export function followRoom(state) {
  room = placeOf(state);
  if (isOpen) tellMoved();
}

export function open() {
  const dialog = $('parking-lot');
  isOpen = true;
  loaded = false;
  roomWhenOpened = room;
  const waiting = posts && posts.items().length; // "kept on this phone" still holds; "Posted" is old news
  status = waiting ? status : { text: '', kind: '' };
  renderDialog();
  if (!dialog.open) dialog.showModal();
  $('parking-lot-text').focus();
  read();
}

function close() {
  isOpen = false;
  $('parking-lot').close();
  if (socket && socket.connected) socket.emit('parking_lot_close', {});
}

/** Follow this phone's connection (once): ``code`` names this session's outbox. */
export function watchParkingLot(connection, code) {
  if (socket) return;
  socket = connection;
  posts = outbox(outboxKey('parking-lot', code), {
    socket: () => socket,
    send: (post) => ['parking_lot_post', post],
    idOf: (post) => post.client_id,
    answered,
    waiting: () => say(t('Kept on this phone: it is posted when you are back online.'), 'note'),
  });
  document.head.append(h('link', { rel: 'stylesheet', href: '/static/css/parking_lot.css' }));
  $('parking-lot').addEventListener('close', () => { if (isOpen) close(); }); // Escape closes it too
  socket.on('parking_lot_delta', onDelta);
  socket.on('parking_lot_mine', onMine);
  socket.on('welcome', () => {
    posts.flush();
    if (isOpen) read(); // a new connection is in no room yet: open the board again
  });
  socket.on('disconnect', () => { if (isOpen) say(t('Offline: the board comes back when you are.'), 'note'); });
  posts.flush();
}
