/** The facilitator's console: agenda, the open step, timer, counts, answers with moderation, groups and exports. */

import { $ } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { clock } from '../lib/clock.js';
import { socketTo } from '../lib/socket.js';
import { wireAdditions } from './additions.js';
import { renderArtifacts, wireArtifacts } from './artifact.js';
import { renderAgenda, tickUsed } from './agenda.js';
import { renderAnswers, upsertAnswer } from './answers.js';
import { wireControls } from './controls.js';
import { desk, status } from './desk.js';
import { wireExport } from './export.js';
import { renderGroups, wireGroups } from './groups.js';
import { renderIdeas, wireIdeas } from './ideas.js';
import { wireLanguage } from './language.js';
import { renderMedia, wireMedia } from './media.js';
import { wireParkingLot } from './parking_lot.js';
import { wireProgressRound } from './progress_round.js';
import { renderMean, renderReveal, wireReveal } from './reveal.js';
import { renderCounts, renderStep, renderTimer } from './step.js';

const SAFE_KEY = 'pathways:presenter-safe';
const early = new Map(); // step id -> answers that arrived before the state that opens the step
const connection = $('connection');

function setConnection(kind, text) {
  connection.dataset.state = kind;
  connection.textContent = text;
}

// Presenter safe: answers, names and notes leave the screen, e.g. while the laptop is mirrored to the room.
function applySafe(on) {
  document.body.classList.toggle('presenter-safe', on);
  $('safe-toggle').setAttribute('aria-pressed', String(on));
  $('safe-note').hidden = !on;
  try { sessionStorage.setItem(SAFE_KEY, on ? '1' : '0'); } catch (error) { /* private mode: this page only */ }
}
$('safe-toggle').addEventListener('click', () => applySafe(!document.body.classList.contains('presenter-safe')));
applySafe((() => { try { return sessionStorage.getItem(SAFE_KEY) === '1'; } catch (error) { return false; } })());

/** The panels' one-off messages ("The slide is in the agenda…", "Taken down."): about the step just left. */
const PANEL_STATUS = ['media-status', 'artifact-console-status'];

function clearStatus() {
  status('');
  for (const id of PANEL_STATUS) {
    $(id).textContent = '';
    $(id).dataset.kind = '';
  }
}

const allButtons = () => document.querySelectorAll('.console-main button, .agenda button, .console-actions button');

function render(stepChanged) {
  $('session-title').textContent = desk.state.session.title;
  const qr = $('qr-toggle');
  qr.setAttribute('aria-pressed', String(Boolean(desk.state.show_qr)));
  renderAgenda();
  renderStep();
  renderTimer();
  renderCounts();
  renderReveal();
  renderAnswers();
  renderGroups();
  renderIdeas();
  renderArtifacts();
  renderMedia();
  if (stepChanged) clearStatus();
}

/** Connect with the key the address carries after #, and follow the session. */
function start() {
  const socket = socketTo('/facilitator', { auth: { code: desk.code, key: desk.key }, query: { lang: document.documentElement.lang } });
  desk.socket = socket;

  socket.on('connect', () => {
    setConnection('connected', t('Connected'));
    if ($('status-line').dataset.kind === 'connection') status('');
  });
  socket.on('disconnect', () => setConnection('reconnecting', t('Reconnecting…')));
  socket.on('connect_error', (error) => {
    // A refusal from the server (wrong key) is final; a network error is retried by the client.
    setConnection(socket.active ? 'reconnecting' : 'error', socket.active ? t('Reconnecting…') : t('Not connected'));
    status(socket.active ? t('Reconnecting…') : error.message, socket.active ? 'connection' : 'error');
    if (!socket.active) for (const button of allButtons()) button.disabled = true;
  });

  socket.on('state', (next) => {
    clock.sync(next.server_time);
    const { state } = desk;
    const stepChanged = !state || (state.step && state.step.id) !== (next.step && next.step.id);
    desk.state = next;
    desk.live = next.live;
    desk.answers = new Map();
    for (const answer of next.answers || []) upsertAnswer(answer);
    for (const answer of (next.step && early.get(next.step.id)) || []) upsertAnswer(answer);
    early.clear();
    render(stepChanged);
  });

  socket.on('live', (counts) => {
    desk.live = counts;
    renderCounts();
    renderMean();
  });

  socket.on('answer', (answer) => {
    const { state } = desk;
    if (!state || !state.step || answer.step_id !== state.step.id) {
      // An answer to a step this console has not been told about yet: kept until its state arrives.
      early.set(answer.step_id, [...(early.get(answer.step_id) || []), answer]);
      return;
    }
    upsertAnswer(answer);
    renderAnswers();
  });

  wireProgressRound(); // first: while a round runs, → and ← are its keys
  wireMedia(); // then: on the open step's media, → and ← turn its pages until the first or last
  wireControls();
  wireReveal();
  wireGroups();
  wireIdeas();
  wireAdditions();
  wireExport();
  wireArtifacts();
  wireParkingLot(socket);
  wireLanguage(socket);

  setInterval(() => {
    if (!desk.state) return;
    renderTimer();
    tickUsed();
  }, 250);
}

if (desk.key) {
  start();
} else {
  status(t('This console link has no facilitator key. Open the console with the full link you got when the session was made (it ends in #key=…).'), 'error');
  setConnection('error', t('Not connected'));
  for (const button of allButtons()) button.disabled = true;
}
