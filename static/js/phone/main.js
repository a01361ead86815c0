/** The participant's phone: join once, come back with the token, follow the room's steps and answer each one. */

import { $, show } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { clock } from '../lib/clock.js';
import { ask, socketTo } from '../lib/socket.js';
import { ACK_TIMEOUT, answerBox } from './answer.js';
import { renderArtifacts, wireArtifacts } from './artifact.js';
import { pageLanguage, wireJoinLanguage, wireMenuLanguage } from './language.js';
import { renderMedia, wireMedia } from './media.js';
import { dropOutboxes, holdOutboxes, releaseOutboxes } from './outbox.js';
import { watchProgressRound } from './progress_round.js';
import { initialView, receive, withAnswer } from './state.js';
import { earlierTokens, kept } from './storage.js';
import { note, recallStatus, renderGroup, renderTimer, screen } from './view.js';

const code = $('phone').dataset.code;
const TOKEN_KEY = `pathways:token:${code}`;

let token = kept((s) => s.getItem(TOKEN_KEY));
let joining = null; // {name, join_answer, identifier, consent} as typed, until the server welcomes us
let me = null;
let view = initialView(); // the state this phone shows, and its own part of a step on its way: see state.js
let socket = null;

const box = answerBox(code, {
  state: () => view.state,
  socket: () => socket,
  answered(stepId, value) { view = { ...view, state: withAnswer(view.state, stepId, value) }; },
});

/** Who this phone is on every (re)connection: the token once welcomed, else what was typed; and the tokens it
 * holds from other sessions, so the server can recall this person's goal from an earlier day. */
const currentAuth = () => ({ ...(token ? { code, token } : { code, ...joining }), earlier: earlierTokens(TOKEN_KEY, token) });

function connect() {
  if (!socket) {
    socket = socketTo('/participant', { auth: (cb) => cb(currentAuth()), query: { lang: pageLanguage }, autoConnect: false });
    socket.on('connect', () => show($('offline'), false));
    socket.on('disconnect', (reason) => {
      show($('offline'), true);
      if (reason === 'io server disconnect') socket.connect(); // closed by the server: ask why (e.g. session gone)
    });
    socket.on('connect_error', onConnectError);
    socket.on('welcome', onWelcome);
    socket.on('state', (data) => onMessage('state', data));
    socket.on('step', (data) => onMessage('step', data)); // the open step, broadcast to the whole room
    socket.on('me', (data) => onMessage('me', data)); // this phone's own part of the next step, where it differs
    socket.on('saved', (data) => onMessage('saved', data)); // an answer this person saved from another tab
    socket.on('shared', (data) => onMessage('shared', data)); // a group-mate's answer to the open step
    watchProgressRound(socket, code); // who a progress round features, and warm feedback to them
    socket.on('ideas', (board) => withIdeas((ideas) => ideas.receiveBoard(board))); // an ideas step's board
    socket.on('ideas_delta', (delta) => withIdeas((ideas) => ideas.receiveDelta(delta)));
    socket.on('connect', () => { if (ideasModule) withIdeas((ideas) => ideas.resend(socket)); });
  }
  socket.connect();
}

// A plan page opened in another tab keeps its token in this browser: someone whose earlier plan was not on this
// phone connects again with it, and the open step recalls it.
window.addEventListener('storage', (event) => {
  const { state } = view;
  if (state && recallStatus(state) === 'hidden' && socket.connected && /^pathways:(plans|token:)/.test(event.key || '')) {
    socket.disconnect().connect();
  }
});

function onConnectError(error) {
  if (socket.active) return show($('offline'), true); // the network: the client retries by itself
  const reason = error.data && error.data.code;
  resetJoin();
  if (reason === 'rate_limited' && token) { // busy, not wrong: try again in a while with the same token
    show($('offline'), true);
    return window.setTimeout(connect, 15000);
  }
  if (reason === 'bad_token') {
    token = null;
    box.dropKept(); // whoever held that token is gone: what they typed is not the next person's
    dropOutboxes(code); // nor what they left waiting to send
    kept((s) => s.removeItem(TOKEN_KEY));
    askName();
  } else if (!token && reason !== 'unknown_session') {
    $('name-error').textContent = error.message;
    askName();
  } else {
    $('loading-text').textContent = reason === 'unknown_session' ? t('This session is no longer available.') : error.message;
    screen('loading');
  }
}

function onWelcome(welcome) {
  me = welcome;
  token = welcome.token;
  joining = null;
  kept((s) => s.setItem(TOKEN_KEY, token));
  const plan = `/p/${encodeURIComponent(token)}/plan`;
  $('menu-plan').href = plan;
  $('plan-link').href = plan;
  $('menu-pdf').href = `${plan}.pdf`;
  $('pdf-link').href = `${plan}.pdf`;
  show($('menu'), true);
  box.welcome(welcome.participant_id);
  parkingLot();
}

let lotLoaded = null; // the parking lot's module, once loaded: it follows the room's steps
/** The parking lot's module, loaded once the phone is welcomed (never on its first load). */
const parkingLot = () => import('./parking_lot.js').then((lot) => {
  lot.watchParkingLot(socket, code);
  if (!lotLoaded) lot.followRoom(view.state);
  lotLoaded = lot;
  return lot;
});

$('menu-parking-lot').addEventListener('click', () => {
  $('menu').open = false;
  parkingLot().then((lot) => lot.open());
});

$('menu-forget').addEventListener('click', async () => {
  if (!socket || !window.confirm(t('Delete every answer you gave today? Your plan will be empty. This cannot be undone.'))) return;
  await holdOutboxes(code); // an idea or a post on its way lands before the deletion, never after it
  const { timeout, ack } = await ask(socket, 'forget', {}, ACK_TIMEOUT);
  if (timeout || !ack || !ack.ok) {
    releaseOutboxes(code);
    return note(t('Your answers could not be deleted: {error}', { error: (ack && ack.error) || t('No answer from the server. Check your connection and tap Save again.') }));
  }
  box.forgotten();
  dropOutboxes(code); // ideas or posts still waiting would otherwise arrive after the deletion
  releaseOutboxes(code);
  const { state } = view;
  if (state && state.phase === 'step') box.renderStep(state.step);
  note(t('Your answers were deleted.'));
  $('menu').open = false;
});

function askName() {
  screen('name');
  $('name-input').focus();
}

function resetJoin() {
  $('join-button').disabled = false;
  $('join-button').textContent = t('Join');
}

$('name-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const name = $('name-input').value.trim();
  const question = $('join-answer');
  const identifier = $('identifier-input') ? $('identifier-input').value.trim() : '';
  const consent = Boolean(identifier) && $('consent-input').checked;
  const problem = !name ? [t('Type your name first.'), $('name-input')]
    : question && !question.value.trim() ? [t('Answer this question too.'), question]
      : identifier && !consent ? [t('Tick the box to link your plans by this e-mail or staff id, or leave it empty.'), $('consent-input')] : null;
  $('name-error').textContent = problem ? problem[0] : '';
  if (problem) return problem[1].focus();
  joining = { name, language: pageLanguage, ...(question && { join_answer: question.value.trim() }), ...(identifier && { identifier, consent }) };
  $('join-button').disabled = true;
  $('join-button').textContent = t('Joining…');
  connect();
});

let ideasModule = null;
/** The ideas step's module (ideas.js), loaded with the first ideas step, never on the first load; in order. */
const withIdeas = (use) => {
  ideasModule = ideasModule || import('./ideas.js');
  ideasModule.then(use);
};

/** Lay one message over the view (state.js), then show what changed. */
function onMessage(event, data) {
  const before = view.state;
  view = receive(view, event, data);
  const { state } = view;
  if (state === before) return; // a part kept for its step, or nothing to lay it over yet
  if (event !== 'saved') showState(state, event === 'state' || event === 'step');
  else if (state.phase === 'step' && state.step.id === data.step_id) box.renderStep(state.step);
}

/** Show a new state; ``fresh`` when it came with the server's time (a state or a step, not a me). */
function showState(state, fresh) {
  if (fresh) clock.sync(state.server_time);
  const title = $('session-title');
  if (title) title.textContent = state.session.title;
  const name = me ? me.name : '';
  if (state.phase === 'step') {
    box.renderStep(state.step);
  } else {
    const phase = state.phase === 'ended' ? 'ended' : 'lobby';
    $(`${phase}-heading`).textContent = phase === 'ended' ? t('Thank you, {name}', { name }) : t("You're in, {name}", { name });
    const shown = !$(`screen-${phase}`).hidden;
    box.leave();
    screen(phase);
    if (!shown) $(`${phase}-heading`).focus({ preventScroll: true });
  }
  renderGroup(state, me);
  renderArtifacts(state);
  renderMedia(state);
  if (lotLoaded) lotLoaded.followRoom(state);
  if (ideasModule || (state.step && state.step.kind === 'ideas')) withIdeas((ideas) => ideas.renderIdeas(state, socket));
  renderTimer(state);
}

wireArtifacts(() => token);
wireMedia(() => token);
wireJoinLanguage();
wireMenuLanguage(() => socket);

setInterval(() => renderTimer(view.state), 1000);

if (token) {
  screen('loading');
  connect();
} else {
  askName();
}
