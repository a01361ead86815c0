/** The room's ideas on the projector: the top ideas ranked by votes, each with a bar of its share, the spotlighted
 * idea the largest thing on the screen; names only on a room-named step. The server sends the ranking whole
 * (``ideas``), at most once per live interval. Every idea shows whole (two lines at most, then an ellipsis); those
 * that do not fit under the others are left out from the foot, as the latest answers are. */

import { $, h } from '../lib/dom.js';
import { t, tn } from '../lib/i18n.js';
import { cssPx, fitSize, keepWhatFits, overflows } from './fit.js';

const TOP_KEPT = 3; // the ranking's top ideas keep their room under a spotlighted idea, however long it is
let ranking = null;

/** Follow the ranking on the projector's connection; ``step`` gives the open step when one arrives. */
export function watchIdeas(socket, step) {
  socket.on('ideas', (board) => {
    ranking = board;
    renderIdeas(step());
  });
}

function row(idea, n, top, counted) {
  const bar = counted ? h('span', { class: 'idea-bar' }) : null;
  if (bar) bar.style.setProperty('--share', idea.votes / top); // through the CSSOM: the page allows no style attribute
  return h('li', { class: 'idea-rank', 'data-testid': 'projector-idea' },
    h('span', { class: 'idea-place', text: String(n + 1) }),
    h('span', { class: 'idea-words' }, h('span', { class: 'idea-text', text: idea.text }),
      idea.name ? h('span', { class: 'idea-by', text: idea.name }) : null,
      idea.table != null ? h('span', { class: 'idea-by', text: t('Table {n}', { n: idea.table }) }) : null),
    counted ? h('span', { class: 'idea-votes', text: tn('{n} vote', '{n} votes', idea.votes) }) : null,
    bar);
}

/** The open step's ranking, or nothing where the open step is not an ideas step. */
export function renderIdeas(step) {
  const box = $('ideas-board');
  const open = Boolean(step && step.kind === 'ideas');
  box.hidden = !open;
  document.body.classList.toggle('has-ideas', open);
  if (!open) return box.replaceChildren();
  if (!ranking || ranking.step_id !== step.id) return box.replaceChildren(h('p', { class: 'aggregate-note', text: t('Ideas appear here as they are posted.') }));
  const top = Math.max(1, ...ranking.ranked.map((idea) => idea.votes));
  const rows = ranking.ranked.map((idea, n) => row(idea, n, top, step.votes > 0));
  const spot = ranking.spotlight;
  box.replaceChildren(...[
    h('p', { class: 'ideas-totals', 'data-testid': 'ideas-totals', text: `${tn('{n} idea', '{n} ideas', ranking.total_ideas)} · ${tn('{n} vote', '{n} votes', ranking.total_votes)}` }),
    spot ? h('p', { class: 'idea-spotlight', 'data-testid': 'idea-spotlight' }, h('span', { class: 'idea-spotlight-text', text: spot.text })) : null,
    rows.length ? h('ol', { class: 'idea-ranking', 'data-testid': 'idea-ranking' }, rows) : h('p', { class: 'aggregate-note', text: t('Ideas appear here as they are posted.') }),
  ].filter(Boolean));
  fitIdeas();
}

/** Fit the ranking to the screen again (on a new ranking, and when the screen's size changes): the spotlighted idea
 * as large as its room allows, the room the top ideas need kept for them; then as many ideas as show whole. */
export function fitIdeas() {
  const box = $('ideas-board');
  if (box.hidden) return;
  const list = box.querySelector('.idea-ranking');
  const spot = box.querySelector('.idea-spotlight');
  if (list) [...list.children].forEach((item) => { item.hidden = false; });
  if (spot) fitSpotlitIdea(box, spot, list);
  if (list) keepWhatFits(list);
}

function fitSpotlitIdea(box, spot, list) {
  spot.style.removeProperty('--idea-lines');
  spot.style.fontSize = '';
  const gap = parseFloat(getComputedStyle(box).rowGap) || 0;
  const above = [...box.children].filter((child) => child !== spot && child !== list)
    .reduce((sum, child) => sum + child.offsetHeight + gap, 0);
  const listGap = list ? parseFloat(getComputedStyle(list).rowGap) || 0 : 0;
  const kept = list ? [...list.children].slice(0, TOP_KEPT).reduce((sum, item) => sum + item.offsetHeight + listGap, gap) : 0;
  const room = Math.max(0, box.clientHeight - above - kept);
  spot.style.maxHeight = `${room}px`;
  const size = fitSize(cssPx(box, '--spotlight-floor'), cssPx(box, '--spotlight-size'),
    (px) => { spot.style.fontSize = `${px}px`; }, () => !overflows(spot));
  if (!overflows(spot)) return;
  // Too long even at the floor: as many whole lines as its room holds, the last ending in an ellipsis.
  const style = getComputedStyle(spot);
  const inside = room - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
  spot.style.setProperty('--idea-lines', Math.max(1, Math.floor(inside / (parseFloat(style.lineHeight) || size * 1.1))));
}
