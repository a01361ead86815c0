/** The console's Ideas panel on an ideas step: every idea with its votes, most first, who posted it (off the screen
 * in presenter safe); open voting; hide, spotlight (with a button, or h and s on the idea in focus, j and k moving
 * it), and merge a duplicate into the idea kept. The board comes whole (``ideas``) when the console connects or the
 * step changes, and as deltas (``ideas_delta``) once per live interval, so a room voting at once costs the console
 * one message per interval. */

import { $, h } from '../lib/dom.js';
import { t, tn } from '../lib/i18n.js';
import { desk, keepingFocus, send } from './desk.js';
import { wireListKeys } from './list_keys.js';

const SHOWN = 200; // rows built at once; the filter finds the rest
let board = null; // {step_id, posting, voting, total_ideas, total_votes, total_voters?, ideas: Map}
let merging = null; // the idea being merged, while the facilitator picks the one to keep
let focused = null; // the idea whose row Tab reaches: the one last in focus, else the first

function receive(message) {
  if (message.full || !board || board.step_id !== message.step_id) {
    board = { ...message, ideas: new Map() };
    merging = null;
  }
  Object.assign(board, { posting: message.posting, voting: message.voting, total_ideas: message.total_ideas,
    total_votes: message.total_votes, total_voters: message.total_voters });
  for (const idea of message.ideas) board.ideas.set(idea.id, idea);
  for (const id of message.removed || []) board.ideas.delete(id); // its author was forgotten
  renderIdeas();
}

/** Follow the boards on the console's connection and wire the panel's controls. */
export function wireIdeas() {
  desk.socket.on('ideas', receive);
  desk.socket.on('ideas_delta', receive);
  $('ideas-filter').addEventListener('input', renderIdeas);
  $('ideas-open-voting').addEventListener('click', () => send('open_voting', { step_id: desk.state.step.id }));
  $('ideas-list').addEventListener('focusin', (event) => { // a click, Tab or j and k: Tab comes back to this row
    const here = event.target.closest('[data-idea]');
    if (!here || Number(here.dataset.idea) === focused) return;
    focused = Number(here.dataset.idea);
    for (const node of $('ideas-list').children) node.tabIndex = node === here ? 0 : -1;
  });
  wireListKeys({
    within: (node) => $('ideas-panel').contains(node),
    shown: () => !$('ideas-panel').hidden,
    move: moveFocus,
    current: (node) => (node.closest('[data-idea]') ? Number(node.closest('[data-idea]').dataset.idea) : null),
    moderate: moderateIdea,
    flags: ['hidden', 'spotlight'],
  });
}

/** The focus to the next (``step`` 1) or previous (-1) idea in the list's order, its row scrolled into sight. */
function moveFocus(step) {
  const rows = [...$('ideas-list').children];
  if (!rows.length) return;
  const here = rows.findIndex((node) => node.contains(document.activeElement));
  const from = here >= 0 ? here : (step > 0 ? -1 : rows.length);
  const to = rows[Math.min(rows.length - 1, Math.max(0, from + step))];
  to.focus({ preventScroll: true });
  to.scrollIntoView({ block: 'nearest' });
}

/** Hide or show an idea again (``hidden``), spotlight it or end its spotlight (``spotlight``); resolves once the
 * server has answered, the board showing the change already, so the next press on this idea reads it. */
async function moderateIdea(id, flag) {
  const idea = board && board.ideas.get(id);
  if (!idea || idea.status === 'merged') return;
  const on = flag === 'hidden' ? idea.status !== 'hidden' : !idea.spotlight;
  const ack = await send('moderate_idea', { idea: id, [flag]: on });
  const now = ack && ack.ok && board ? board.ideas.get(id) : null;
  if (!now || now.status === 'merged') return;
  if (ack.spotlight) { // one spotlight at a time
    for (const other of board.ideas.values()) {
      if (other.spotlight) board.ideas.set(other.id, { ...other, spotlight: false });
    }
  }
  board.ideas.set(id, { ...now, status: ack.hidden ? 'hidden' : 'open', spotlight: ack.spotlight });
  renderIdeas();
}

const order = { open: 0, hidden: 1, merged: 2 };

export function renderIdeas() {
  const step = desk.state && desk.state.step;
  const panel = $('ideas-panel');
  panel.hidden = !(step && step.kind === 'ideas');
  renderCounts(panel.hidden ? null : step);
  if (panel.hidden || !board || board.step_id !== step.id) return;
  $('ideas-totals').textContent = `${tn('{n} idea', '{n} ideas', board.total_ideas)} · ${tn('{n} vote', '{n} votes', board.total_votes)}`;
  const opens = step.voting === 'when_opened' && step.votes > 0 && !board.voting;
  $('ideas-open-voting').hidden = !opens;
  $('ideas-phase').textContent = board.voting ? t('Voting is open') : board.posting ? t('Posting ideas') : '';
  const query = $('ideas-filter').value.trim().toLowerCase();
  const all = [...board.ideas.values()]
    .filter((idea) => !query || idea.text.toLowerCase().includes(query) || (idea.name || '').toLowerCase().includes(query))
    .sort((a, b) => order[a.status] - order[b.status] || b.votes - a.votes || a.posted_at - b.posted_at);
  $('ideas-empty').hidden = board.ideas.size > 0;
  $('ideas-keys').hidden = board.ideas.size === 0;
  $('ideas-more').textContent = all.length > SHOWN ? t('{n} more: filter to find them', { n: all.length - SHOWN }) : '';
  const rows = all.slice(0, SHOWN);
  const reached = rows.some((idea) => idea.id === focused) ? focused : rows.length && rows[0].id;
  keepingFocus(() => $('ideas-list').replaceChildren(...rows.map((idea) => row(idea, idea.id === reached))));
}

/** The Room panel on an ideas step: the ideas and votes in, where other steps count the people who answered. */
function renderCounts(step) {
  const fresh = Boolean(step && board && board.step_id === step.id);
  $('answered-row').hidden = Boolean(step);
  $('ideas-count-row').hidden = !step;
  $('votes-count-row').hidden = !step || !step.votes;
  $('voters-count-row').hidden = !step || !step.votes || !fresh || board.total_voters == null;
  $('count-ideas').textContent = fresh ? board.total_ideas : 0;
  $('count-votes').textContent = fresh ? board.total_votes : 0;
  $('count-voters').textContent = fresh && board.total_voters != null ? board.total_voters : '';
}

function row(idea, reached) {
  const button = (name, text, onclick, pressed) => h('button', {
    type: 'button', class: `button secondary tiny ${name}`, 'data-focus': `${name}-${idea.id}`, 'data-testid': `idea-${name}`,
    'aria-pressed': pressed == null ? null : String(pressed), text, onclick,
  });
  const actions = idea.status === 'merged' ? [mergedTag(idea)]
    : merging && merging !== idea.id ? [idea.status === 'open' ? button('keep', t('Keep this one'), () => merge(idea.id)) : null]
      : merging === idea.id ? [button('cancel', t('Cancel merge'), () => { merging = null; renderIdeas(); })]
        : [
          button('spotlight', idea.spotlight ? t('End spotlight') : t('Spotlight'),
            () => moderateIdea(idea.id, 'spotlight'), idea.spotlight),
          button('hidden', idea.status === 'hidden'
            ? t('Show again (on the projector and the vote)') : t('Hide (off the projector and the vote)'),
            () => moderateIdea(idea.id, 'hidden'), idea.status === 'hidden'),
          idea.status === 'open' ? button('merge', t('Merge into…'), () => { merging = idea.id; renderIdeas(); }) : null,
        ];
  return h('li', {
    class: `idea-item is-${idea.status}${idea.spotlight ? ' is-spotlight' : ''}`, 'data-testid': 'console-idea',
    'data-idea': idea.id, 'data-focus': `idea-row-${idea.id}`, tabindex: reached ? '0' : '-1',
  },
    h('span', { class: 'idea-votes', text: tn('{n} vote', '{n} votes', idea.votes) }),
    h('span', { class: 'idea-text', text: idea.text }),
    h('span', { class: 'who', text: idea.name || '' }),
    h('span', { class: 'answer-actions' }, actions));
}

const SHORT = 60; // characters of the kept idea's text a merged one shows

/** Where a merged idea went: the kept idea's text, shortened (the kept idea may be filtered out of sight). */
function mergedTag(idea) {
  const kept = board.ideas.get(idea.merged_into);
  if (!kept) return h('span', { class: 'tag merged-tag', text: t('merged') });
  return h('span', { class: 'merged-into', 'data-testid': 'idea-merged-into', title: kept.text,
    text: t('Merged into: {text}', { text: shortened(kept.text) }) });
}

/** A text cut at a word near ``SHORT`` characters, with an ellipsis where it was cut. */
function shortened(text) {
  if (text.length <= SHORT) return text;
  const cut = text.slice(0, SHORT);
  const space = cut.lastIndexOf(' ');
  return `${(space > SHORT / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

async function merge(kept) {
  const duplicate = merging;
  merging = null;
  renderIdeas();
  await send('merge_ideas', { idea: duplicate, into: kept });
}
