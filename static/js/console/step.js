/** The open step in the middle of the console: its words, notes, norms and roles, the timer and the counts. */

import { $, h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { formatTime, timeLeft } from '../lib/clock.js';
import { renderMoveButtons, stepSeconds } from './controls.js';
import { desk } from './desk.js';

const SHOWN_WAITING = 40; // names listed before "and n more"

export function renderStep() {
  const step = desk.state.step;
  const last = desk.state.agenda.length - 1;
  let kicker;
  let title;
  let prompt;
  if (desk.state.phase === 'lobby') {
    kicker = t('console.lobby_kicker');
    title = t('console.lobby_title');
    prompt = t('console.lobby_prompt', { url: desk.joinAddress, code: desk.code });
  } else if (desk.state.phase === 'ended') {
    kicker = t('console.ended_kicker');
    title = t('console.ended_title');
    prompt = t('console.ended_prompt');
  } else {
    const round = step.rounds > 1 ? ` · ${t('console.round', { n: step.round, total: step.rounds })}` : '';
    kicker = `${step.protocol}${round} · ${t('common.step_of', { n: step.number, total: step.of })}`;
    title = step.title;
    prompt = step.prompt;
  }
  $('step-kicker').textContent = kicker;
  $('step-title').textContent = title;
  $('step-prompt').textContent = prompt;
  const visibility = $('step-visibility');
  visibility.hidden = !step || step.kind === 'none';
  if (step) visibility.textContent = t(`console.visibility.${step.visibility}`);
  $('step-locked').hidden = !desk.state.locked;
  $('notes').hidden = !(step && step.notes);
  $('step-notes').textContent = step && step.notes ? step.notes : '';
  $('norms').hidden = !(desk.state.norms && desk.state.norms.length);
  $('norms-list').replaceChildren(...(desk.state.norms || []).map((norm) => h('li', { text: norm })));
  const roles = desk.state.roles || [];
  $('roles').hidden = !roles.length;
  $('roles-list').replaceChildren(...roles.flatMap((role) => [h('dt', { text: role.title }), h('dd', { text: role.notes || '' })]));
  renderMoveButtons();
  const next = $('next');
  if (desk.state.phase === 'lobby') next.textContent = `${t('console.start_session')} →`;
  else if (desk.state.position >= last) next.textContent = `${t('console.end_session')} →`;
  else next.textContent = `${t('console.next')} →`;
  const lock = $('lock');
  lock.hidden = !step; // only an open step can be locked
  lock.disabled = !step || step.kind === 'none';
  lock.setAttribute('aria-pressed', String(Boolean(desk.state.locked)));
  lock.textContent = t(desk.state.locked ? 'console.unlock' : 'console.lock');
}

export function renderTimer() {
  const inStep = desk.state && desk.state.phase === 'step';
  const left = inStep ? timeLeft(desk.state) : null;
  const countdown = $('countdown');
  if (!left) {
    countdown.textContent = t('console.no_timer');
    countdown.dataset.state = 'idle';
  } else {
    countdown.textContent = left.running ? formatTime(left.seconds) : `${formatTime(left.seconds)} · ${t('common.paused')}`;
    countdown.dataset.state = !left.running ? 'paused' : left.seconds <= 0 ? 'over' : 'running';
    if (left.running && left.seconds <= 0) countdown.textContent = `0:00 · ${t('common.time_up')}`;
  }
  const start = $('timer-start');
  start.textContent = t('console.start', { time: inStep ? formatTime(stepSeconds()) : '' }).trim();
  start.disabled = !inStep || stepSeconds() <= 0;
  $('timer-pause').hidden = !(left && left.running);
  $('timer-resume').hidden = !(left && !left.running);
  $('timer-extend').disabled = !left;
}

export function renderCounts() {
  if (!desk.live) return;
  $('count-joined').textContent = desk.live.joined;
  $('count-connected').textContent = desk.live.connected;
  const current = desk.state && desk.state.step ? desk.state.step.id : null;
  const fresh = desk.live.step_id === current;
  $('count-answered').textContent = fresh ? desk.live.answered : 0;
  const waiting = fresh ? desk.live.waiting : null;
  $('waiting').hidden = !Array.isArray(waiting);
  if (!Array.isArray(waiting)) return;
  const names = waiting.slice(0, SHOWN_WAITING).map((person) => person.name);
  const more = desk.live.waiting_count - names.length;
  if (more > 0) names.push(t('console.waiting_more', { n: more }));
  $('waiting-names').textContent = desk.live.waiting_count ? names.join(', ') : t('console.waiting_none');
}
