/** The phone on an ideas step: post ideas, see the room's ideas (never who wrote them, never their votes), give and
 * take back votes, with the votes left. Loaded with the first ideas step, off the phone's first load.
 *
 * The board comes whole (``ideas``: on connecting, on a step change, with this person's own ideas and votes where
 * they have some) and in deltas (``ideas_delta``: ideas posted, hidden or merged). An idea or a vote carries an id
 * made here, so one sent again after a drop lands once; what waits for its ack is sent again on every connection. */

import { $, h, show } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { randomId } from '../lib/ids.js';
import { ask } from '../lib/socket.js';

const ACK_TIMEOUT = 10000;
const w = (key, vars) => t(`phone.ideas.${key}`, vars);

let board = null; // {step_id, pool, posting, voting, ideas: Map(id -> idea), mine: [], my_votes: []}
let waiting = []; // {event, payload}: posts and votes sent and not yet acknowledged
let socket = null;
let shown = null; // the state last rendered
let message = '';

const stylesheet = document.createElement('link');
stylesheet.rel = 'stylesheet';
stylesheet.href = new URL('../../css/ideas.css', import.meta.url).href;
document.head.append(stylesheet);

/** A whole board: the room's ideas; this person's own ideas and votes come with it, or stay as they were on the
 * same step (``null``: a broadcast to the whole room). */
export function receiveBoard(next) {
  const same = board && board.step_id === next.step_id;
  const samePool = board && board.pool === next.pool;
  board = {
    ...next,
    ideas: new Map(next.ideas.map((idea) => [idea.id, idea])),
    mine: next.mine || (samePool ? board.mine : []),
    my_votes: next.my_votes || (same ? board.my_votes : []),
  };
  render();
}

/** Ideas that changed: a merged idea's votes follow it (one returned where a person gives one vote per idea and
 * holds one on the idea kept, as the server does). */
export function receiveDelta(delta) {
  if (!board || delta.step_id !== board.step_id) return;
  for (const idea of delta.ideas) {
    board.ideas.set(idea.id, { ...(board.ideas.get(idea.id) || {}), ...idea });
    board.mine = board.mine.map((own) => (own.id === idea.id ? { ...own, ...idea, text: own.text } : own));
    if (idea.status === 'merged') {
      const kept = idea.merged_into;
      const holdsKept = board.my_votes.some((vote) => vote.idea === kept);
      board.my_votes = board.my_votes.flatMap((vote) => (vote.idea !== idea.id ? [vote]
        : !board.spread && holdsKept ? [] : [{ ...vote, idea: kept }]));
    }
  }
  render();
}

/** Send what waits for its ack again, on a new connection. */
export function resend(connection) {
  socket = connection;
  const again = waiting;
  waiting = [];
  again.forEach(({ event, payload, done }) => send(event, payload, done));
}

function send(event, payload, done) {
  const entry = { event, payload, done };
  waiting.push(entry);
  render();
  if (!socket || !socket.connected) return;
  ask(socket, event, payload, ACK_TIMEOUT).then(({ timeout, ack }) => {
    if (timeout || (ack && ['rate_limited', 'internal_error', 'not_connected'].includes(ack.code))) return; // resent
    waiting = waiting.filter((other) => other !== entry);
    message = ack && ack.ok ? '' : (ack && ack.error) || '';
    if (ack && ack.ok) done(ack);
    render();
  });
}

function post(event) {
  event.preventDefault();
  const box = $('idea-text');
  const text = box.value.trim();
  if (!text) {
    message = w('need_text');
    return render();
  }
  box.value = '';
  const stepId = board.step_id;
  send('post_idea', { step_id: stepId, idea_id: randomId(), text }, (ack) => {
    if (board && board.step_id === stepId) board.mine = [...board.mine, { id: ack.idea, text, status: 'open' }];
  });
}

function vote(idea) {
  const stepId = board.step_id;
  send('vote', { step_id: stepId, vote_id: randomId(), idea }, (ack) => {
    if (board && board.step_id === stepId) board.my_votes = [...board.my_votes, { vote_id: ack.vote_id, idea: ack.idea }];
  });
}

function unvote(idea) {
  const held = board.my_votes.filter((v) => v.idea === idea);
  const last = held[held.length - 1];
  if (!last) return;
  const stepId = board.step_id;
  board.my_votes = board.my_votes.filter((v) => v !== last);
  send('unvote', { step_id: stepId, vote_id: last.vote_id }, () => {});
}

/** Show the open ideas step, or nothing where the open step is another kind. */
export function renderIdeas(state, connection) {
  socket = connection;
  shown = state;
  render();
}

function render() {
  const section = $('ideas');
  const step = shown && shown.phase === 'step' ? shown.step : null;
  const open = Boolean(step && step.kind === 'ideas');
  show(section, open);
  if (!open) return section.replaceChildren();
  show($('answer-form'), false);
  show($('step-note'), false);
  if (!board || board.step_id !== step.id) return section.replaceChildren(h('p', { class: 'muted', text: w('none') }));
  const posting = board.posting && !shown.locked;
  const mayPost = shown.may_answer !== false;
  const parts = [];
  if (posting && mayPost && board.mine.length < step.max_ideas) parts.push(postForm(step));
  else if (posting && !mayPost && step.who !== 'everyone') parts.push(h('p', { class: 'note', text: w('reporter', { role: posterRole(step) }) }));
  if (board.mine.length) parts.push(ownIdeas());
  if (board.voting) parts.push(...ballot(step));
  else if (step.votes && !board.voting) parts.push(h('p', { class: 'hint', text: w('wait_vote') }));
  const sending = waiting.some((entry) => entry.payload.step_id === step.id);
  parts.push(h('p', { class: 'ideas-status', role: 'status', 'data-testid': 'ideas-status', text: sending ? w('sending') : message }));
  const typed = $('idea-text'); // what is being typed survives the board changing under it
  const [draft, typing] = typed ? [typed.value, document.activeElement === typed] : ['', false];
  section.replaceChildren(...parts);
  if ($('idea-text')) $('idea-text').value = draft;
  if (typing && $('idea-text')) $('idea-text').focus();
}

/** The title of the role that posts here, as this person's group holds it. */
function posterRole(step) {
  const holder = shown.group && shown.group.members.find((member) => member.role && member.role.id === step.who);
  return holder ? holder.role.title : step.who;
}

function postForm(step) {
  const area = h('textarea', { id: 'idea-text', rows: 2, maxlength: step.max_chars, 'data-testid': 'idea-text' });
  return h('form', { class: 'stack idea-form', novalidate: true, onsubmit: post },
    h('label', { for: 'idea-text', text: w('label') }), area,
    h('p', { class: 'hint', text: w('posted', { n: board.mine.length, max: step.max_ideas }) }),
    h('button', { type: 'submit', class: 'button', 'data-testid': 'post-idea', text: w('post') }));
}

function ownIdeas() {
  return h('section', { class: 'own-ideas' }, h('h2', { text: w('yours') }), h('ul', { 'data-testid': 'own-ideas' },
    board.mine.map((own) => {
      const kept = own.merged_into != null ? board.ideas.get(own.merged_into) || board.mine.find((m) => m.id === own.merged_into) : null;
      const note = own.status === 'merged' ? w('merged', { text: (kept && kept.text) || '' }) : own.status === 'hidden' ? w('hidden') : '';
      return h('li', { 'data-status': own.status }, h('span', { text: own.text }), note ? h('span', { class: 'tag', text: note }) : null);
    })));
}

function ballot(step) {
  const left = step.votes - board.my_votes.length;
  const ideas = [...board.mine.filter((own) => own.status === 'open'),
    ...[...board.ideas.values()].filter((idea) => idea.status === 'open' && !board.mine.some((own) => own.id === idea.id))];
  const rows = ideas.map((idea) => {
    const mine = board.my_votes.filter((v) => v.idea === idea.id).length;
    const canVote = left > 0 && (step.spread || mine === 0) && !shown.locked;
    return h('li', { class: 'idea-row', 'data-testid': 'idea', 'data-votes': String(mine) },
      h('span', { class: 'idea-text', text: idea.text }),
      h('span', { class: 'idea-dots', 'aria-label': w('my_votes', { n: mine }), text: '●'.repeat(mine) }),
      h('button', { type: 'button', class: 'button small', disabled: !canVote, 'data-testid': 'vote', onclick: () => vote(idea.id), text: w('vote') }),
      mine ? h('button', { type: 'button', class: 'button secondary small', 'data-testid': 'unvote', onclick: () => unvote(idea.id), text: w('unvote') }) : null);
  });
  return [h('p', { class: 'votes-left', 'data-testid': 'votes-left', text: w('votes_left', { n: left, max: step.votes }) }),
    rows.length ? h('ol', { class: 'idea-ballot' }, rows) : h('p', { class: 'muted', text: w('none') })];
}
