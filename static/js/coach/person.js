/** One person as their coach reads them: their goal and its versions, support requests with their moves, check-ins
 * (never a private note: the server sends none) and the conversation, oldest first. */

import { $, h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { accessFrom } from './access.js';
import { versionMeta } from './format.js';
import { agreedBadge, day, measureLine } from './list.js';

const planning = new Map(); // request id -> {day, place} while a meeting is being planned: kept across redraws

/** ``actions``: agree(button), move(request, state, fields, button), answer(checkIn). */
export function renderPerson(person, actions) {
  $('person-goal').replaceChildren(goalCard(person, actions), evidenceCard(person.evidence || []));
  const requests = person.requests || [];
  $('requests').replaceChildren(...(requests.length ? requests.map((r) => requestItem(r, actions))
    : [h('li', { class: 'empty', text: t('coach.person.requests_none') })]));
  const checkIns = person.check_ins || [];
  $('check-ins').replaceChildren(...(checkIns.length ? checkIns.map((c) => checkInItem(c, actions))
    : [h('li', { class: 'empty', text: t('coach.person.check_ins_none') })]));
  renderThread(person);
}

/** The person's evidence files, each a link: the coach's key goes only in a header, so a click fetches the file
 * and hands it to the browser to save. */
function evidenceCard(files) {
  const say = (key) => t(`evidence.coach.${key}`);
  const card = h('section', { class: 'card evidence-card', 'aria-labelledby': 'evidence-heading',
    'data-testid': 'coach-evidence' }, h('h2', { id: 'evidence-heading', text: say('heading') }));
  if (!files.length) {
    card.append(h('p', { class: 'empty', text: say('none') }));
    return card;
  }
  const problem = h('p', { class: 'form-error', role: 'alert' });
  card.append(h('ul', { class: 'evidence-list' }, ...files.map((file) => h('li', { class: 'evidence-file' },
    h('a', { href: file.url, 'data-testid': 'coach-evidence-link', text: file.title,
      onclick: (event) => { event.preventDefault(); openFile(file, problem, say); } })))), problem);
  return card;
}

async function openFile(file, problem, say) {
  const access = accessFrom(window.location.hash);
  problem.textContent = '';
  try {
    const response = await fetch(file.url, { cache: 'no-store', headers: { 'X-Coach-Key': access ? access.key : '' } });
    if (!response.ok) throw new Error(String(response.status));
    const link = h('a', { href: URL.createObjectURL(await response.blob()), download: file.title });
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 60000);
  } catch (error) {
    problem.textContent = say('could_not_open');
  }
}

export function forgetPlanning() {
  planning.clear();
}

function goalCard(person, actions) {
  const goal = person.goal;
  const card = h('section', { class: 'card goal-card', 'aria-labelledby': 'goal-heading' },
    h('h2', { id: 'goal-heading', text: t('coach.person.goal_heading') }));
  if (!goal) {
    card.append(h('p', { class: 'empty', text: t('coach.person.no_goal', { name: person.name }) }));
    return card;
  }
  card.append(...[
    h('p', { class: 'goal-now', 'data-testid': 'goal-now' }, goal.goal, ' ', agreedBadge(goal.agreed)),
    person.row && person.row.measure ? h('p', { class: 'goal-measure' }, measureLine(person.row.measure)) : null,
    steps(goal.action_steps, 'goal-steps'),
    goal.agreed
      ? h('p', { class: 'agreement', id: 'agreement', tabindex: '-1', 'data-testid': 'agreement' },
        h('span', { class: 'agreement-mark', 'aria-hidden': 'true', text: '✓ ' }), goal.agreement)
      : h('div', { class: 'agree-box no-print', 'data-testid': 'agree-box' },
        h('p', { class: 'hint', id: 'agree-hint', text: t('coach.person.not_agreed', { name: person.name }) }),
        h('p', { id: 'agree-error', class: 'form-error', role: 'alert', 'data-testid': 'agree-error' }),
        h('button', { type: 'button', class: 'button small', 'data-testid': 'agree',
          'aria-describedby': 'agree-hint',
          onclick: (event) => actions.agree(event.currentTarget) }, t('coach.person.agree'))),
    versions(goal.versions || [])].filter(Boolean));
  return card;
}

function steps(list, testid) {
  if (!list || !list.length) return null;
  return h('ol', { class: 'goal-steps', 'data-testid': testid }, list.map((step) => h('li', {},
    h('span', { text: step.text }),
    step.date ? h('span', { class: 'step-date', text: ` · ${t('coach.person.step_by', { day: day(step.date) })}` }) : null)));
}

function versions(list) {
  if (!list.length) return null;
  return h('details', { class: 'versions', open: list.length > 1 ? true : null, 'data-testid': 'versions' },
    h('summary', { text: t('coach.person.versions_count', { n: list.length }) }),
    h('ol', { class: 'version-list' }, list.map((version, n) => h('li', { class: 'version', 'data-testid': 'version' },
      h('p', { class: 'version-meta' },
        n === 0 ? h('span', { class: 'badge current-badge', text: t('coach.person.current') }) : null,
        versionMeta(version)),
      h('p', { class: 'version-goal', text: version.goal }),
      steps(version.action_steps, 'version-steps'),
      version.agreed ? h('p', { class: 'version-agreed', text: version.agreed }) : null))));
}

function requestState(request) {
  const lines = [];
  if (request.acknowledged_on) lines.push(t('coach.request.acknowledged_on', { day: day(request.acknowledged_on) }));
  if (request.meeting_day) {
    const when = day(request.meeting_day);
    lines.push(request.meeting_place ? t('coach.request.meeting_at', { day: when, place: request.meeting_place })
      : t('coach.request.meeting', { day: when }));
  }
  if (request.closed_on) lines.push(t('coach.request.closed_on', { day: day(request.closed_on) }));
  return lines;
}

function requestItem(request, actions) {
  const id = `request-${request.id}`;
  const item = h('li', { class: `request-item state-${request.state}`, 'data-testid': 'request', 'data-request': String(request.id) },
    h('div', { class: 'request-head' },
      h('h3', { id: `${id}-title`, tabindex: '-1', text: request.support }),
      h('span', { class: `state-badge state-badge-${request.state}`, 'data-testid': 'request-state', text: request.state_label })),
    request.note ? h('p', { class: 'request-note', text: request.note }) : null,
    h('p', { class: 'hint', text: t('coach.request.asked', { day: day(request.asked_on), source: request.source }) }),
    requestState(request).map((line) => h('p', { class: 'request-line', text: line })),
    h('p', { id: `${id}-error`, class: 'form-error', role: 'alert', 'data-testid': 'request-error' }));
  if (request.state === 'closed') return item;
  const move = (state) => (event) => actions.move(request, state, {}, event.currentTarget);
  const buttons = h('div', { class: 'button-row no-print' },
    request.state === 'open' ? h('button', { type: 'button', class: 'button small secondary', 'data-testid': 'request-acknowledge',
      'aria-label': t('coach.request.acknowledge_label', { support: request.support }), onclick: move('acknowledged') },
    t('coach.request.acknowledge')) : null,
    request.state !== 'meeting_planned' ? h('button', { type: 'button', class: 'button small secondary', 'data-testid': 'request-plan',
      'aria-expanded': planning.has(request.id) ? 'true' : 'false', 'aria-controls': `${id}-plan`,
      onclick: () => togglePlanning(request, true) }, t('coach.request.plan')) : null,
    h('button', { type: 'button', class: 'button small secondary', 'data-testid': 'request-close',
      'aria-label': t('coach.request.close_label', { support: request.support }), onclick: move('closed') },
    t('coach.request.close')));
  item.append(buttons);
  if (request.state !== 'meeting_planned') item.append(planForm(request, id, actions));
  return item;
}

/** Day and place of a meeting for the request; what is typed is kept while the view is redrawn. */
function planForm(request, id, actions) {
  const kept = planning.get(request.id) || { day: '', place: '' };
  const dayInput = h('input', { type: 'date', id: `${id}-day`, required: true, 'data-testid': 'plan-day', value: kept.day });
  const placeInput = h('input', { type: 'text', id: `${id}-place`, maxlength: '200', 'aria-describedby': `${id}-place-hint`,
    'data-testid': 'plan-place', value: kept.place });
  const keep = () => planning.set(request.id, { day: dayInput.value, place: placeInput.value });
  dayInput.addEventListener('input', keep);
  placeInput.addEventListener('input', keep);
  const save = h('button', { type: 'submit', class: 'button small', 'data-testid': 'plan-save' }, t('coach.request.save_plan'));
  return h('form', { class: 'plan-form stack no-print', id: `${id}-plan`, hidden: !planning.has(request.id), novalidate: true,
    'aria-label': t('coach.request.plan_heading', { support: request.support }), 'data-testid': 'plan-form',
    onsubmit: (event) => {
      event.preventDefault();
      actions.move(request, 'meeting_planned', { meeting_day: dayInput.value, meeting_place: placeInput.value.trim() }, save);
    } },
  h('div', { class: 'meeting-fields' },
    h('div', { class: 'field' }, h('label', { for: `${id}-day`, text: t('coach.request.day') }), dayInput),
    h('div', { class: 'field' }, h('label', { for: `${id}-place`, text: t('coach.request.place') }), placeInput,
      h('p', { class: 'hint', id: `${id}-place-hint`, text: t('coach.request.place_hint') }))),
  h('div', { class: 'button-row' }, save,
    h('button', { type: 'button', class: 'button small secondary', 'data-testid': 'plan-cancel',
      onclick: () => togglePlanning(request, false) }, t('coach.request.cancel'))));
}

/** The request's meeting is planned (or no longer): what was typed for it can go. */
export function plannedMeeting(requestId) {
  planning.delete(requestId);
}

function togglePlanning(request, open) {
  const row = document.querySelector(`[data-request="${request.id}"]`);
  const form = row.querySelector('.plan-form');
  const opener = row.querySelector('[data-testid="request-plan"]');
  form.hidden = !open;
  opener.setAttribute('aria-expanded', open ? 'true' : 'false');
  if (open) {
    if (!planning.has(request.id)) planning.set(request.id, { day: '', place: '' });
    form.querySelector('input').focus();
  } else {
    planning.delete(request.id);
    opener.focus();
  }
}

function checkInItem(checkIn, actions) {
  const date = checkIn.date;
  const facts = [
    ['evidence', [checkIn.evidence, checkIn.evidence_link].filter(Boolean)],
    ['obstacles', [checkIn.obstacles].filter(Boolean)],
    ['support', [(checkIn.support || []).join(' · '), checkIn.support_note].filter(Boolean)],
  ].filter(([, lines]) => lines.length);
  return h('li', { class: 'check-in-card', 'data-testid': 'check-in', 'data-check-in': String(checkIn.id) },
    h('h3', { text: t('coach.check_in.dated', { date }) }),
    h('ul', { class: 'progress-list' }, (checkIn.progress || []).map((row) => h('li', {},
      h('span', { class: 'progress-step', text: row.step }),
      h('span', { class: `level-badge level-${row.level}`, text: t('coach.check_in.level', row) })))),
    facts.length ? h('dl', { class: 'facts' }, facts.flatMap(([key, lines]) => [
      h('dt', { text: t(`coach.check_in.${key}`) }),
      h('dd', {}, lines.map((line) => h('p', { text: line })))])) : null,
    h('button', { type: 'button', class: 'button small secondary no-print', 'data-testid': 'answer-check-in',
      'aria-label': t('coach.check_in.answer_label', { date }), onclick: () => actions.answer(checkIn) },
    t('coach.check_in.answer')));
}

/** A message's kind in words, from the coach's side. */
function kindLabel(message, checkIns) {
  if (message.kind === 'suggest_step') return t('coach.message.suggest_step', { n: Number(message.proposal.step) + 1 });
  if (message.kind === 'reply' && message.check_in_id != null) {
    const answered = checkIns.find((c) => c.id === message.check_in_id);
    return answered ? t('coach.message.check_in_reply', { date: answered.date }) : t('coach.message.check_in_reply_gone');
  }
  return t(`coach.message.${message.kind}`);
}

function proposal(message, goal) {
  const p = message.proposal || {};
  if (message.kind === 'suggest_goal') return h('blockquote', { class: 'proposal', text: p.goal });
  if (message.kind === 'suggest_step') {
    const now = goal && goal.action_steps[p.step];
    return [h('blockquote', { class: 'proposal', text: p.text }),
      message.state === 'pending' && now ? h('p', { class: 'hint', text: t('coach.message.now', { text: now.text }) }) : null];
  }
  if (message.kind === 'meeting') {
    const when = day(p.day);
    const text = p.place ? t('coach.message.meeting_at', { day: when, place: p.place }) : when;
    return h('p', { class: 'proposal proposal-meeting', text });
  }
  return null;
}

function stateLine(message, name) {
  if (!message.state) return null;
  const text = message.state === 'pending' ? t('coach.message.pending', { name })
    : message.state === 'accepted' ? t('coach.message.accepted')
      : message.reason ? t('coach.message.declined_why', { reason: message.reason }) : t('coach.message.declined');
  return h('p', { class: `suggestion-state suggestion-${message.state}`, 'data-testid': 'suggestion-state', text });
}

function renderThread(person) {
  const thread = person.thread || [];
  $('thread').replaceChildren(...(thread.length ? thread.map((message) => h('li', {
    class: `message by-${message.author} kind-${message.kind}`, 'data-testid': 'message', 'data-message': String(message.id),
  },
  h('p', { class: 'message-meta' },
    h('strong', { text: message.by }), ` · ${message.on} · `,
    h('span', { class: 'message-kind', text: kindLabel(message, person.check_ins || []) })),
  proposal(message, person.goal),
  message.body ? h('p', { class: 'message-body', text: message.body }) : null,
  stateLine(message, person.name))) : [h('li', { class: 'empty', text: t('coach.person.thread_none') })]));
}
