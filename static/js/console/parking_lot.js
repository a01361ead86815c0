/** The console's parking lot: every question and idea from phones (names for the facilitator alone), sorted by
 * upvotes or time; answer one, mark it done or open again, hide it from the room, move it into the agenda, and put
 * the board's top items on the projector; the header counts the open items. The server sends the whole board on
 * connecting, then a delta per window. */

import { $, h, show } from '../lib/dom.js';
import { language, t, tn } from '../lib/i18n.js';
import { keepingFocus, send, status } from './desk.js';
const items = new Map(); // id -> the item as the console sees it
const drafts = new Map(); // id -> an answer being typed: a delta arriving meanwhile keeps it
const moving = new Set(); // ids on their way into the agenda: a double click sends once
let projected = false;

const byUpvotes = (a, b) => b.upvotes - a.upvotes || a.created_at - b.created_at || a.id - b.id;
const byTime = (a, b) => b.created_at - a.created_at || b.id - a.id;
const clockTime = (at) => new Date(at * 1000).toLocaleTimeString(language, { hour: '2-digit', minute: '2-digit' });

async function change(id, fields) {
  const ack = await send('parking_lot_update', { item_id: id, ...fields });
  if (ack && ack.ok) {
    items.set(id, ack.item);
    render();
  }
  return ack;
}

async function answer(event, id) {
  event.preventDefault();
  const ack = await change(id, { answer: (drafts.get(id) ?? items.get(id).answer).trim() });
  if (ack && ack.ok) {
    drafts.delete(id);
    render();
    status(t('Answer saved.'), 'ok');
  }
}

/** Once: the button is disabled from the first press until the item is in the agenda, and stays so after. */
async function toAgenda(id) {
  if (moving.has(id) || items.get(id).agenda_item) return;
  moving.add(id);
  render();
  const ack = await send('parking_lot_to_agenda', { item_id: id });
  moving.delete(id);
  if (ack && ack.ok && items.has(id)) {
    items.set(id, { ...items.get(id), agenda_item: ack.agenda_item });
    status(t('Added to the agenda: {text}', { text: items.get(id).text }), 'ok');
  }
  render();
}

function button(label, testid, onclick, extra, disabled) {
  return h('button', { type: 'button', class: 'button secondary small', 'data-testid': testid,
    'data-focus': extra, onclick, disabled }, label);
}

function row(item) {
  const input = h('input', { type: 'text', id: `parking-lot-answer-${item.id}`, maxlength: '1000',
    'data-testid': 'parking-lot-answer-input', 'data-focus': `answer-${item.id}`,
    oninput: (event) => drafts.set(item.id, event.target.value) });
  input.value = drafts.get(item.id) ?? item.answer;
  const tags = [item.state === 'done' && t('Done'), item.hidden && t('Hidden'), item.agenda_item && t('In the agenda')];
  return h('li', { class: 'parking-lot-row', 'data-state': item.state, 'data-hidden': String(item.hidden),
    'data-testid': 'parking-lot-row', 'data-id': String(item.id) },
  h('span', { class: 'parking-lot-votes', 'aria-label': tn('{n} upvote', '{n} upvotes', item.upvotes), 'data-testid': 'parking-lot-votes',
    text: t('▲ {n}', { n: item.upvotes }) }),
  h('p', { class: 'parking-lot-text', 'data-testid': 'parking-lot-text', text: item.text }),
  h('p', { class: 'parking-lot-meta' }, h('span', { class: 'who', text: item.name }), h('span', { text: clockTime(item.created_at) }),
    ...tags.filter(Boolean).map((tag) => h('span', { class: 'parking-lot-tag', text: tag }))),
  h('div', { class: 'parking-lot-actions' },
    h('form', { class: 'parking-lot-reply', novalidate: true, onsubmit: (event) => answer(event, item.id) },
      h('label', { class: 'visually-hidden', for: input.id, text: t('Answer') }), input,
      h('button', { type: 'submit', class: 'button small', 'data-testid': 'parking-lot-answer-save',
        'data-focus': `save-${item.id}` }, t('Save answer'))),
    button(item.state === 'done' ? t('Reopen') : t('Mark done'), 'parking-lot-done',
      () => change(item.id, { done: item.state !== 'done' }), `done-${item.id}`),
    button(item.hidden ? t('Show again') : t('Hide'), 'parking-lot-hide',
      () => change(item.id, { hidden: !item.hidden }), `hide-${item.id}`),
    button(t('Move into agenda'), 'parking-lot-to-agenda', () => toAgenda(item.id), `agenda-${item.id}`,
      Boolean(item.agenda_item) || moving.has(item.id))));
}

function render() {
  const all = [...items.values()].sort($('parking-lot-sort').value === 'time' ? byTime : byUpvotes);
  const open = all.filter((item) => item.state !== 'done').length;
  $('parking-lot-count').textContent = all.length ? t('In all: {n}, open: {open}.', { n: all.length, open }) : '';
  renderHeaderCount(open);
  show($('parking-lot-none'), !all.length);
  const toggle = $('parking-lot-project');
  toggle.setAttribute('aria-pressed', String(projected));
  keepingFocus(() => $('parking-lot-rows').replaceChildren(...all.map(row)));
}

/** The header's link to the panel, far down the console: how many items are open, as they come. */
function renderHeaderCount(open) {
  const link = $('parking-lot-link');
  $('parking-lot-open').textContent = String(open);
  link.dataset.open = String(open);
  link.setAttribute('aria-label', tn('Parking lot: {n} open item', 'Parking lot: {n} open items', open));
}

/** To the panel without touching the address: the console's key is in its fragment. */
function goToPanel() {
  $('parking-lot').scrollIntoView({ block: 'start' });
  $('parking-lot-heading').focus({ preventScroll: true });
}

export function wireParkingLot(socket) {
  socket.on('parking_lot', (board) => { // on every (re)connection: the board whole
    items.clear();
    board.items.forEach((item) => items.set(item.id, item));
    projected = board.projected;
    render();
  });
  socket.on('parking_lot_delta', (delta) => {
    delta.items.forEach((item) => items.set(item.id, item));
    delta.removed.forEach((id) => items.delete(id));
    if ('projected' in delta) projected = delta.projected;
    render();
  });
  $('parking-lot-sort').addEventListener('change', render);
  $('parking-lot-link').addEventListener('click', goToPanel);
  $('parking-lot-project').addEventListener('click', async () => {
    const ack = await send('parking_lot_project', { on: !projected });
    if (ack && ack.ok) projected = ack.projected;
    render();
  });
  render();
}
