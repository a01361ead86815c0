/** The projector's parking lot, on the facilitator's demand: the top questions and ideas by upvotes, large, without
 * names, over whatever the step shows; taken down, the step is back as it was. */

import { $, h } from '../lib/dom.js';
import { t, tn } from '../lib/i18n.js';

function entry(item) {
  const count = tn('{n} upvote', '{n} upvotes', item.upvotes);
  return h('li', { 'data-state': item.state, 'data-testid': 'projector-parking-lot-item' },
    h('span', { class: 'parking-lot-votes', 'aria-label': count, 'data-testid': 'projector-parking-lot-votes', text: `▲ ${item.upvotes}` }),
    h('p', { class: 'parking-lot-text', 'data-testid': 'projector-parking-lot-text', text: item.text }),
    item.answer ? h('p', { class: 'parking-lot-answer' }, h('strong', { text: `${t('Answer')}: ` }), item.answer) : null);
}

function show(board, changed) {
  const stage = $('parking-lot-stage');
  const shown = Boolean(board && board.shown);
  document.body.classList.toggle('parking-lot-shown', shown);
  changed();
  stage.hidden = !shown;
  if (!shown) {
    stage.replaceChildren();
    return;
  }
  const more = board.count - board.items.length;
  const parts = [
    h('header', { class: 'parking-lot-stage-head' },
      h('h1', { id: 'parking-lot-stage-heading', text: t('Parking lot') }),
      h('p', { class: 'parking-lot-hint', text: t("Add yours from the phone's menu: Parking lot") })),
    board.items.length ? h('ol', { class: 'parking-lot-top', 'data-testid': 'projector-parking-lot-items' }, board.items.map(entry))
      : h('p', { class: 'parking-lot-hint', text: t('No questions yet.') }),
  ];
  if (more > 0) parts.push(h('p', { class: 'parking-lot-more', text: t('+ {n} more on phones', { n: more }) }));
  stage.replaceChildren(...parts);
}

/** Whether the board is up: the corner's way in then shows over it, in the lobby too. */
export function parkingLotShown() {
  return document.body.classList.contains('parking-lot-shown');
}

/** Follow the board: the server sends it on connecting, when the facilitator shows or hides it, and as it changes.
 * ``changed`` runs each time, so the screen can show or hide the corner with it. */
export function watchParkingLot(socket, changed) {
  socket.on('parking_lot', (board) => show(board, changed));
}
