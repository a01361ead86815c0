/** The room's screen: the lobby with the QR code, then each step with its countdown and the room's aggregate. */

import { $, h } from '../lib/dom.js';
import { language, t, tn } from '../lib/i18n.js';
import { localized, localizedNorms } from '../lib/localized.js';
import { clock, formatTime, timeLeft } from '../lib/clock.js';
import { socketTo } from '../lib/socket.js';
import { renderAggregate, renderSpotlight } from './aggregate.js';
import { renderArtifact } from './artifact.js';
import { renderMedia } from './media.js';
import { fitBoard, renderBoard } from './board.js';
import { renderHeldBack, renderMean } from './reveal.js';
import { fitIdeas, renderIdeas, watchIdeas } from './ideas.js';
import { parkingLotShown, watchParkingLot } from './parking_lot.js';
import { progressRoundShown, watchProgressRound } from './progress_round.js';
import { followSessionLanguage } from '../lib/session_language.js';

const code = $('main').dataset.code;
let state = null;
let live = null;

const socket = socketTo('/projector', { auth: { code }, query: { lang: document.documentElement.lang } });
followSessionLanguage(socket);
watchProgressRound(socket, () => state && placeCorner());
watchIdeas(socket, () => state && state.step);
watchParkingLot(socket, () => state && placeCorner());
const offline = $('offline');

socket.on('connect', () => {
  offline.hidden = true;
});
socket.on('disconnect', () => {
  offline.textContent = t('Reconnecting…');
  offline.hidden = false;
});
socket.on('connect_error', (error) => {
  offline.textContent = socket.active ? t('Reconnecting…') : error.message;
  offline.hidden = false;
});

socket.on('state', (next) => {
  clock.sync(next.server_time);
  state = next;
  live = next.live;
  render();
});

socket.on('live', (counts) => {
  live = counts;
  renderLive();
});

function render() {
  const phase = state.phase;
  document.body.classList.remove('phase-lobby', 'phase-step', 'phase-ended');
  document.body.classList.add(`phase-${phase}`);
  const bigQr = bigQrShown();
  document.body.classList.toggle('show-qr', bigQr);
  $('qr-big').hidden = !bigQr;
  $('lobby').hidden = phase !== 'lobby';
  $('step').hidden = phase !== 'step' || bigQr;
  $('ended').hidden = phase !== 'ended' || bigQr;
  placeCorner();
  $('answered').hidden = $('step').hidden;
  const step = state.step && localized(state.step, language); // the session's language: the room's
  if (step) {
    const round = step.rounds > 1 ? ` · ${t('round {n} of {total}', { n: step.round, total: step.rounds })}` : '';
    $('step-kicker').textContent = `${step.protocol}${round} · ${t('Step {n} of {total}', { n: step.number, total: step.of })}`;
    $('step-title').textContent = step.title;
    $('step-prompt').textContent = step.prompt;
    $('step').dataset.kind = step.kind;
  }
  const norms = localizedNorms(state.norms || [], state.norms_translations, language);
  $('norms').hidden = !norms.length || phase !== 'step' || bigQr;
  $('norms-list').replaceChildren(...norms.map((norm) => h('li', { text: norm })));
  renderArtifact(state, code);
  renderIdeas(state.step);
  renderMedia(state, code);
  renderCountdown();
  renderLive();
}

/** The facilitator's "QR on projector" puts the way in up full size over whatever else is showing. */
function bigQrShown() {
  return Boolean(state.show_qr) && state.phase !== 'lobby';
}

/** The corner's way in: during steps and after the last, and over the parking lot or a progress round whenever one
 * is up (latecomers still join). */
function placeCorner() {
  const over = parkingLotShown() || progressRoundShown();
  $('corner').hidden = !over && (state.phase === 'lobby' || bigQrShown());
}

function renderCountdown() {
  const countdown = $('countdown');
  const left = state && state.phase === 'step' ? timeLeft(state) : null;
  countdown.hidden = !left;
  if (!left) return;
  const over = left.running && left.seconds <= 0;
  countdown.textContent = over ? t("Time's up") : formatTime(left.seconds);
  if (!left.running) countdown.textContent += ` · ${t('Paused')}`;
  countdown.dataset.state = !left.running ? 'paused' : over ? 'over' : left.seconds <= 30 ? 'soon' : 'running';
}

function renderLive() {
  if (!live || !state) return;
  $('joined').textContent = tn('{n} joined', '{n} joined', live.joined);
  const step = state.step;
  if (!step || live.step_id !== step.id) return;
  const answered = $('answered');
  answered.hidden = step.kind === 'none' || step.kind === 'ideas' || $('step').hidden; // ideas: their own totals
  answered.textContent = t('{n} of {total} answered', { n: live.answered, total: live.joined });
  if (renderHeldBack(step, live)) return; // results held back until the facilitator reveals them
  renderSpotlight(live.spotlight || []);
  renderAggregate(step, live.aggregate);
  renderMean(live.aggregate);
  renderBoard(state.groups || [], live.aggregate, step);
}

// The screen's layout follows its size: the corner's height sets where the countdown goes, and the room's
// picture is fitted again to its box. ``data-layout`` names the size the picture was last fitted to.
new ResizeObserver(([entry]) => {
  $('main').style.setProperty('--corner-height', `${entry.borderBoxSize[0].blockSize}px`);
}).observe($('corner'));
new ResizeObserver(() => {
  renderLive();
  fitBoard();
  fitIdeas();
  $('main').dataset.layout = `${window.innerWidth}x${window.innerHeight}`;
}).observe($('step-room'));

const fullscreen = $('fullscreen');
fullscreen.hidden = !document.fullscreenEnabled;
fullscreen.addEventListener('click', () => document.documentElement.requestFullscreen().catch(() => {}));
document.addEventListener('fullscreenchange', () => {
  fullscreen.hidden = Boolean(document.fullscreenElement);
});

// The pointer and the full-screen button leave the room's view when the mouse rests.
let idleTimer = null;
function wake() {
  document.body.classList.remove('idle');
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => document.body.classList.add('idle'), 3000);
}
document.addEventListener('pointermove', wake);
document.addEventListener('keydown', wake);
wake();

setInterval(() => {
  if (state) renderCountdown();
}, 250);
