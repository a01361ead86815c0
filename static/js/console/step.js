/** The open step in the middle of the console: its words, notes, norms and roles, the timer and the counts. */

import { $, h } from '../lib/dom.js';
import { language, t } from '../lib/i18n.js';
import { localized, localizedNorms, localizedRole } from '../lib/localized.js';
import { formatTime, timeLeft } from '../lib/clock.js';
import { renderMoveButtons, stepSeconds } from './controls.js';
import { desk } from './desk.js';

const SHOWN_WAITING = 40; // names listed before "and n more"
/** Who sees a step's answers (its ``visibility``), in the facilitator's words. */
const VISIBILITY = {
  private: t('Private: phones only'),
  facilitator: t('Seen by you'),
  group: t('Seen by groups and you'),
  room: t('Shown to the room without names'),
  'room-named': t('Shown to the room with names'),
};

export function renderStep() {
  const open = desk.state.step;
  const step = open && localized(open, language); // the session's language, the notes included
  const last = desk.state.agenda.length - 1;
  let kicker;
  let title;
  let prompt;
  if (desk.state.phase === 'lobby') {
    kicker = t('Before the start');
    title = t('People are joining');
    prompt = t('Put the projector on screen. People join at {url} with the code {code}.', { url: desk.joinAddress, code: desk.code });
  } else if (desk.state.phase === 'ended') {
    kicker = t('After the last step');
    title = t('The session has ended');
    prompt = t('Phones now offer each person their action plan as a PDF. Go back to reopen a step.');
  } else {
    const round = step.rounds > 1 ? ` · ${t('round {n} of {total}', { n: step.round, total: step.rounds })}` : '';
    kicker = `${step.protocol}${round} · ${t('Step {n} of {total}', { n: step.number, total: step.of })}`;
    title = step.title;
    prompt = step.prompt;
  }
  $('step-kicker').textContent = kicker;
  $('step-title').textContent = title;
  $('step-prompt').textContent = prompt;
  const visibility = $('step-visibility');
  visibility.hidden = !step || step.kind === 'none';
  if (step) visibility.textContent = VISIBILITY[step.visibility] || '';
  $('step-locked').hidden = !desk.state.locked;
  $('notes').hidden = !(step && step.notes);
  $('step-notes').textContent = step && step.notes ? step.notes : '';
  const norms = localizedNorms(desk.state.norms || [], desk.state.norms_translations, language);
  $('norms').hidden = !norms.length;
  $('norms-list').replaceChildren(...norms.map((norm) => h('li', { text: norm })));
  const roles = (desk.state.roles || []).map((role) => localizedRole(role, open, language));
  $('roles').hidden = !roles.length;
  $('roles-list').replaceChildren(...roles.flatMap((role) => [h('dt', { text: role.title }), h('dd', { text: role.notes || '' })]));
  renderMoveButtons();
  const next = $('next');
  if (desk.state.phase === 'lobby') next.textContent = `${t('Start the session')} →`;
  else if (desk.state.position >= last) next.textContent = `${t('End the session')} →`;
  else next.textContent = `${t('Next')} →`;
  const lock = $('lock');
  lock.hidden = !step; // only an open step can be locked
  lock.disabled = !step || step.kind === 'none';
  lock.setAttribute('aria-pressed', String(Boolean(desk.state.locked)));
  lock.textContent = desk.state.locked ? t('Unlock answers') : t('Lock answers');
}

export function renderTimer() {
  const inStep = desk.state && desk.state.phase === 'step';
  const left = inStep ? timeLeft(desk.state) : null;
  const countdown = $('countdown');
  if (!left) {
    countdown.textContent = t('Not started');
    countdown.dataset.state = 'idle';
  } else {
    countdown.textContent = left.running ? formatTime(left.seconds) : `${formatTime(left.seconds)} · ${t('Paused')}`;
    countdown.dataset.state = !left.running ? 'paused' : left.seconds <= 0 ? 'over' : 'running';
    if (left.running && left.seconds <= 0) countdown.textContent = `0:00 · ${t("Time's up")}`;
  }
  const start = $('timer-start');
  start.textContent = t('Start {time}', { time: inStep ? formatTime(stepSeconds()) : '' }).trim();
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
  if (more > 0) names.push(t('and {n} more', { n: more }));
  $('waiting-names').textContent = desk.live.waiting_count ? names.join(', ') : t('Everyone has answered.');
}
