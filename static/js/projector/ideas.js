/** The room's ideas on the projector: the top ideas ranked by votes, each with a bar of its share, the spotlighted
 * idea the largest thing on the screen; names only on a room-named step. The server sends the ranking whole
 * (``ideas``), at most once per live interval. */

import { $, h } from '../lib/dom.js';
import { t, tn } from '../lib/i18n.js';
let ranking = null;

/** Follow the ranking on the projector's connection; ``step`` gives the open step when one arrives. */
export function watchIdeas(socket, step) {
  socket.on('ideas', (board) => {
    ranking = board;
    renderIdeas(step());
  });
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
  const counted = step.votes > 0;
  const rows = ranking.ranked.map((idea, n) => h('li', { class: 'idea-rank', 'data-testid': 'projector-idea' },
    h('span', { class: 'idea-place', text: String(n + 1) }),
    h('span', { class: 'idea-words' }, h('span', { class: 'idea-text', text: idea.text }),
      idea.name ? h('span', { class: 'idea-by', text: idea.name }) : null,
      idea.table != null ? h('span', { class: 'idea-by', text: t('Table {n}', { n: idea.table }) }) : null),
    counted ? h('span', { class: 'idea-votes', text: tn('{n} vote', '{n} votes', idea.votes) }) : null,
    counted ? h('span', { class: 'idea-bar', 'data-share': String(idea.votes / top) }) : null));
  const spot = ranking.spotlight;
  box.replaceChildren(...[
    h('p', { class: 'ideas-totals', 'data-testid': 'ideas-totals', text: `${tn('{n} idea', '{n} ideas', ranking.total_ideas)} · ${tn('{n} vote', '{n} votes', ranking.total_votes)}` }),
    spot ? h('p', { class: 'idea-spotlight', 'data-testid': 'idea-spotlight', text: spot.text }) : null,
    rows.length ? h('ol', { class: 'idea-ranking', 'data-testid': 'idea-ranking' }, rows) : h('p', { class: 'aggregate-note', text: t('Ideas appear here as they are posted.') }),
  ].filter(Boolean));
  for (const bar of box.querySelectorAll('.idea-bar')) bar.style.setProperty('--share', bar.dataset.share);
}
