/** The phone on an ideas step: post ideas, see the room's ideas (never who wrote them, never their votes), give and
 * take back votes, with the votes left. Loaded with the first ideas step, off the phone's first load.
 *
 * The room's ideas come in broadcasts (``ideas``, whole, with ``mine`` and ``my_votes`` null: keep your own) and
 * deltas (``ideas_delta``: ideas posted, hidden, merged or deleted); this person's own part (their ideas and votes)
 * comes on its own (``ideas`` with ``ideas`` null: keep the room's list), or with the room's ideas on connecting.
 * Posts, votes and votes taken back wait in this phone's outbox (outbox.js) until the server has them: each carries
 * an id made here, so one sent again (after a lost reply, a drop or a reload) lands once, and what the server says
 * this person holds is never counted twice. */

import { $, h, show } from '../lib/dom.js';
import { language, t, tn } from '../lib/i18n.js';
import { localizedRole } from '../lib/localized.js';
import { randomId } from '../lib/ids.js';
import { outbox, outboxKey } from './outbox.js';
import { tapHold } from './taps.js';
import { note } from './view.js';

let board = null; // {step_id, pool, posting, voting, ideas: Map(id -> idea), mine: [], my_votes: []}
let socket = null;
let started = false; // what waited from before a reload has been sent on this page's connection
let shown = null; // the state last rendered
let message = '';
let votesBack = 0; // votes given back since the person's last tap: an idea they voted for was hidden
let vanished = []; // votes the person's own part dropped (it comes before the room's delta): given back if hidden
const thumbs = tapHold(() => render()); // ideas tapped within a double tap's time: their buttons wait (taps.js)
const landed = new Set(); // ideas this page saw the server acknowledge: none of them is one still waiting

const sending = outbox(outboxKey('ideas', $('phone').dataset.code), {
  socket: () => socket,
  send: (item) => [item.event, item.payload],
  idOf: (item) => item.id,
  answered,
  waiting: () => render(),
});

const stylesheet = document.createElement('link');
stylesheet.rel = 'stylesheet';
stylesheet.href = new URL('../../css/ideas.css', import.meta.url).href;
document.head.append(stylesheet);

/** A board: the room's ideas (or, ``null``, the list held), this person's own ideas and votes (or, ``null``, those
 * held on the same pool and step). */
export function receiveBoard(next) {
  const same = board && board.step_id === next.step_id;
  if (!same) [votesBack, vanished] = [0, []];
  const before = same && next.my_votes ? heldVotes() : [];
  const samePool = board && board.pool === next.pool;
  board = {
    ...next,
    ideas: Array.isArray(next.ideas) ? new Map(next.ideas.map((idea) => [idea.id, idea])) : same ? board.ideas : new Map(),
    mine: next.mine || (samePool ? board.mine : []),
    my_votes: next.my_votes || (same ? board.my_votes : []),
  };
  const still = new Set(heldVotes().map((vote) => vote.vote_id));
  vanished.push(...before.filter((vote) => !still.has(vote.vote_id)));
  render();
}

/** Ideas that changed or were deleted: a merged idea's votes follow it (one returned where a person gives one vote
 * per idea and holds one on the idea kept, as the server does); a deleted idea's votes are gone with it. */
export function receiveDelta(delta) {
  if (!board || delta.step_id !== board.step_id) return;
  const spread = Boolean(shown && shown.step && shown.step.spread);
  const hidden = new Set((delta.ideas || []).filter((idea) => idea.status === 'hidden').map((idea) => idea.id));
  const returned = [...vanished, ...heldVotes()].filter((vote) => hidden.has(vote.idea));
  votesBack += new Set(returned.map((vote) => vote.vote_id)).size;
  vanished = [];
  for (const idea of delta.ideas || []) {
    board.ideas.set(idea.id, { ...(board.ideas.get(idea.id) || {}), ...idea });
    board.mine = board.mine.map((own) => (own.id === idea.id ? { ...own, ...idea, text: own.text } : own));
    if (idea.status === 'hidden') board.my_votes = board.my_votes.filter((vote) => vote.idea !== idea.id); // given back
    if (idea.status === 'merged') {
      const kept = idea.merged_into;
      const holdsKept = board.my_votes.some((vote) => vote.idea === kept);
      board.my_votes = board.my_votes.flatMap((vote) => (vote.idea !== idea.id ? [vote]
        : !spread && holdsKept ? [] : [{ ...vote, idea: kept }]));
    }
  }
  const removed = new Set(delta.removed || []);
  removed.forEach((id) => board.ideas.delete(id));
  board.mine = board.mine.filter((own) => !removed.has(own.id));
  board.my_votes = board.my_votes.filter((vote) => !removed.has(vote.idea));
  render();
}

/** A new connection: send what waits. */
export function resend(connection) {
  socket = connection;
  started = true;
  sending.flush();
}

/** The server kept or refused a post, a vote or a vote taken back: lay it into the board, once whatever the server
 * said meanwhile (the person's own part may hold it already, or have given the vote back already). */
function answered({ event, payload }, ack) {
  const onBoard = board && board.step_id === payload.step_id;
  const here = onBoard && shownStep() === payload.step_id;
  if (here) message = ack.ok ? '' : ack.error || '';
  if (!ack.ok) return refused(event, payload, ack, here);
  if (!onBoard) return render();
  if (event === 'post_idea') landed.add(ack.idea);
  if (event === 'post_idea' && !board.mine.some((own) => own.id === ack.idea)) {
    board.mine = [...board.mine, { id: ack.idea, idea_id: payload.idea_id, text: payload.text, status: 'open' }];
  } else if (event === 'vote' && !givenBack(ack.idea) && !board.my_votes.some((vote) => vote.vote_id === ack.vote_id)) {
    board.my_votes = [...board.my_votes, { vote_id: ack.vote_id, idea: ack.idea }];
  } else if (event === 'unvote') {
    board.my_votes = board.my_votes.filter((vote) => vote.vote_id !== payload.vote_id);
  }
  render();
}

/** A post refused for good keeps its text: back in the box where it is still open and empty, else in a note to copy
 * (the step closed, say). A vote refused is only said on its step: there is nothing of the person's to keep. */
function refused(event, payload, ack, here) {
  render();
  const box = $('idea-text');
  if (event !== 'post_idea') return;
  if (here && box && !box.value) box.value = payload.text; // theirs to shorten, say
  else note(t('Your idea “{text}” was not posted: {error}', { text: payload.text, error: ack.error || '' }));
}

/** A vote on this idea is given back: the facilitator hid it (the person's own part may come before a vote's ack). */
const givenBack = (idea) => (board.ideas.get(idea) || {}).status === 'hidden';

/** The id of the ideas step the phone shows, or null. */
const shownStep = () => (shown && shown.phase === 'step' && shown.step.kind === 'ideas' ? shown.step.id : null);

function send(event, payload) {
  message = '';
  votesBack = 0;
  sending.add({ id: randomId(), event, payload });
  render();
}

/** What waits in the outbox for the open step. */
const waitingHere = () => sending.items().filter((item) => item.payload.step_id === board.step_id);

/** Ideas posted from here the server has not acknowledged yet, without those it holds already (its reply lost, say):
 * known by the phone's id where the server's own part carries it, else each of its ideas not acknowledged here
 * standing for one waiting post with the same text. */
function postsOnTheirWay() {
  const unclaimed = board.mine.filter((own) => own.idea_id == null && !landed.has(own.id));
  const held = new Set(board.mine.map((own) => own.idea_id).filter((id) => id != null));
  return waitingHere().filter((item) => {
    if (item.event !== 'post_idea' || held.has(item.payload.idea_id)) return false;
    const same = unclaimed.findIndex((own) => own.text === item.payload.text);
    if (same >= 0) unclaimed.splice(same, 1);
    return same < 0;
  }).map((item) => item.payload);
}

/** The votes this person holds: the server's, with those on their way and without those being taken back. */
function heldVotes() {
  const waiting = waitingHere();
  const takenBack = new Set(waiting.filter((item) => item.event === 'unvote').map((item) => item.payload.vote_id));
  const given = waiting.filter((item) => item.event === 'vote' && !givenBack(item.payload.idea)
    && !board.my_votes.some((vote) => vote.vote_id === item.payload.vote_id))
    .map((item) => ({ vote_id: item.payload.vote_id, idea: item.payload.idea }));
  return [...board.my_votes, ...given].filter((vote) => !takenBack.has(vote.vote_id));
}

function post(event) {
  event.preventDefault();
  const box = $('idea-text');
  const text = box.value.trim();
  if (!text) {
    message = t('Write your idea first.');
    return render();
  }
  box.value = '';
  send('post_idea', { step_id: board.step_id, idea_id: randomId(), text });
}

/** A vote or a vote taken back on ``idea``: once for a double tap, whose second tap finds the idea's buttons waiting. */
function tap(idea, act) {
  if (thumbs.has(idea)) return;
  thumbs.hold(idea);
  act();
}

function unvote(idea) {
  const held = heldVotes().filter((vote) => vote.idea === idea);
  if (held.length) send('unvote', { step_id: board.step_id, vote_id: held[held.length - 1].vote_id });
}

/** Show the open ideas step, or nothing where the open step is another kind. */
export function renderIdeas(state, connection) {
  socket = connection;
  shown = state;
  if (!started && socket && socket.connected) resend(socket); // waiting since before a reload
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
  if (!board || board.step_id !== step.id) return section.replaceChildren(h('p', { class: 'muted', text: t('No ideas yet.') }));
  const posting = board.posting && !shown.locked;
  const mayPost = board.everyone_posts || shown.may_answer !== false;
  const onTheirWay = postsOnTheirWay();
  const parts = [];
  if (posting && mayPost && board.mine.length + onTheirWay.length < step.max_ideas) parts.push(postForm(step, onTheirWay));
  else if (posting && !mayPost && step.who !== 'everyone') parts.push(h('p', { class: 'note', text: t("Your group's {role} posts here; you vote once voting opens.", { role: posterRole(step) }) }));
  if (board.mine.length || onTheirWay.length) parts.push(ownIdeas(onTheirWay));
  if (board.voting) parts.push(...ballot(step));
  else if (step.votes && !board.voting) parts.push(h('p', { class: 'hint', text: t('Voting opens soon: the facilitator opens it.') }));
  const waiting = waitingHere().length > 0;
  parts.push(h('p', { class: 'ideas-status', role: 'status', 'data-testid': 'ideas-status', text: waiting ? t('Sending…') : message }));
  const typed = $('idea-text'); // what is being typed survives the board changing under it
  const [draft, typing] = typed ? [typed.value, document.activeElement === typed] : ['', false];
  section.replaceChildren(...parts);
  if ($('idea-text')) $('idea-text').value = draft;
  if (typing && $('idea-text')) $('idea-text').focus();
}

/** The title of the role that posts here, as this person's group holds it. */
function posterRole(step) {
  const holder = shown.group && shown.group.members.find((member) => member.role && member.role.id === step.who);
  return holder ? localizedRole(holder.role, step, language).title : step.who;
}

function postForm(step, onTheirWay) {
  const area = h('textarea', { id: 'idea-text', rows: 2, maxlength: step.max_chars, 'aria-describedby': 'ideas-posted',
    'data-testid': 'idea-text' });
  return h('form', { class: 'stack idea-form', novalidate: true, onsubmit: post },
    h('label', { for: 'idea-text', text: t('Your idea') }), area,
    h('p', { id: 'ideas-posted', class: 'hint', text: t('{n} of {max} ideas posted', { n: board.mine.length + onTheirWay.length, max: step.max_ideas }) }),
    h('button', { type: 'submit', class: 'button', 'data-testid': 'post-idea', text: t('Post idea') }));
}

function ownIdeas(onTheirWay) {
  const row = (own) => {
    const kept = own.merged_into != null ? board.ideas.get(own.merged_into) || board.mine.find((m) => m.id === own.merged_into) : null;
    const note = own.status === 'merged' ? t('Merged into “{text}”', { text: (kept && kept.text) || '' }) : own.status === 'hidden' ? t('Hidden by the facilitator') : '';
    return h('li', { 'data-status': own.status }, h('span', { text: own.text }), note ? h('span', { class: 'tag', text: note }) : null);
  };
  const sent = (payload) => h('li', { 'data-status': 'sending' }, h('span', { text: payload.text }),
    h('span', { class: 'tag', text: t('Sending…') }));
  return h('section', { class: 'own-ideas', 'aria-labelledby': 'own-ideas-heading' },
    h('h2', { id: 'own-ideas-heading', text: t('Your ideas') }),
    h('ul', { 'data-testid': 'own-ideas' }, board.mine.map(row), onTheirWay.map(sent)));
}

/** The room's open ideas as they were posted, this person's own among them (marked, never put first: that would
 * invite a vote for one's own idea). */
function ballotIdeas() {
  const open = new Map();
  for (const idea of [...board.ideas.values(), ...board.mine]) {
    if (idea.status === 'open') open.set(idea.id, { ...(open.get(idea.id) || {}), ...idea });
  }
  return [...open.values()].sort((a, b) => a.id - b.id);
}

function ballot(step) {
  const held = heldVotes();
  const left = step.votes - held.length;
  const rows = ballotIdeas().map((idea) => {
    const mine = held.filter((v) => v.idea === idea.id).length;
    const own = board.mine.some((m) => m.id === idea.id);
    const canVote = left > 0 && (step.spread || mine === 0) && !shown.locked && !thumbs.has(idea.id);
    const textId = `idea-${idea.id}`;
    return h('li', { class: 'idea-row', 'data-testid': 'idea', 'data-votes': String(mine), 'data-own': own ? 'true' : null },
      h('span', { class: 'idea-text', id: textId, text: idea.text }),
      own ? h('span', { class: 'tag own-tag', text: t('Your idea') }) : null,
      h('span', { class: 'idea-dots', role: 'img', 'aria-label': t('Your votes: {n}', { n: mine }), text: '●'.repeat(mine) }),
      // Take back comes before Vote, which keeps its place: a double tap's second tap lands on Vote, never on it.
      mine ? h('button', { type: 'button', class: 'button secondary small idea-take-back', 'aria-describedby': textId,
        disabled: thumbs.has(idea.id), 'data-testid': 'unvote', onclick: () => tap(idea.id, () => unvote(idea.id)),
        text: t('Take back') }) : null,
      h('button', { type: 'button', class: 'button small idea-vote', disabled: !canVote, 'aria-describedby': textId,
        'data-testid': 'vote', text: t('Vote'),
        onclick: () => tap(idea.id, () => send('vote', { step_id: board.step_id, vote_id: randomId(), idea: idea.id })) }));
  });
  const back = votesBack ? h('p', { class: 'note votes-back', role: 'status', 'data-testid': 'votes-back',
    text: tn('An idea you voted for was hidden: your vote is back.', 'An idea you voted for was hidden: your {n} votes are back.', votesBack) }) : null;
  return [back, h('p', { class: 'votes-left', 'data-testid': 'votes-left', text: t('{n} of {max} votes left', { n: left, max: step.votes }) }),
    rows.length ? h('ol', { class: 'idea-ballot' }, rows) : h('p', { class: 'muted', text: t('No ideas yet.') })].filter(Boolean);
}
