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
    : [h('li', { class: 'empty', text: t('No support requests.') })]));
  const checkIns = person.check_ins || [];
  $('check-ins').replaceChildren(...(checkIns.length ? checkIns.map((c) => checkInItem(c, actions))
    : [h('li', { class: 'empty', text: t('No check-ins yet.') })]));
  renderThread(person);
}

/** The person's evidence files, each a link: the coach's key goes only in a header, so a click fetches the file
 * and hands it to the browser to save. */
function evidenceCard(files) {
  const card = h('section', { class: 'card evidence-card', 'aria-labelledby': 'evidence-heading',
    'data-testid': 'coach-evidence' }, h('h2', { id: 'evidence-heading', text: t('Evidence') }));
  if (!files.length) {
    card.append(h('p', { class: 'empty', text: t('No evidence files.') }));
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
    problem.textContent = t('This file could not be opened.');
  }
}

export function forgetPlanning() {
  planning.clear();
}

function goalCard(person, actions) {
  const goal = person.goal;
  const card = h('section', { class: 'card goal-card', 'aria-labelledby': 'goal-heading' },
    h('h2', { id: 'goal-heading', text: t('Goal') }));
  if (!goal) {
    card.append(h('p', { class: 'empty', text: t('{name} has not written a goal yet. You can still comment, ask a question or propose a meeting.', { name: person.name }) }));
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
        h('p', { class: 'hint', id: 'agree-hint', text: t('Not agreed yet. Agree to it as {name} wrote it, or suggest a rewording {name} can accept.', { name: person.name }) }),
        h('p', { id: 'agree-error', class: 'form-error', role: 'alert', 'data-testid': 'agree-error' }),
        h('button', { type: 'button', class: 'button small', 'data-testid': 'agree',
          'aria-describedby': 'agree-hint',
          onclick: (event) => actions.agree(event.currentTarget) }, t('Agree to this goal'))),
    versions(goal.versions || [])].filter(Boolean));
  return card;
}

function steps(list, testid) {
  if (!list || !list.length) return null;
  return h('ol', { class: 'goal-steps', 'data-testid': testid }, list.map((step) => h('li', {},
    h('span', { text: step.text }),
    step.date ? h('span', { class: 'step-date', text: ` · ${t('by {day}', { day: day(step.date) })}` }) : null)));
}

function versions(list) {
  if (!list.length) return null;
  return h('details', { class: 'versions', open: list.length > 1 ? true : null, 'data-testid': 'versions' },
    h('summary', { text: t('Versions ({n}), newest first', { n: list.length }) }),
    h('ol', { class: 'version-list' }, list.map((version, n) => h('li', { class: 'version', 'data-testid': 'version' },
      h('p', { class: 'version-meta' },
        n === 0 ? h('span', { class: 'badge current-badge', text: t('Current') }) : null,
        versionMeta(version)),
      h('p', { class: 'version-goal', text: version.goal }),
      steps(version.action_steps, 'version-steps'),
      version.agreed ? h('p', { class: 'version-agreed', text: version.agreed }) : null))));
}

function requestState(request) {
  const lines = [];
  if (request.acknowledged_on) lines.push(t('Acknowledged on {day}', { day: day(request.acknowledged_on) }));
  if (request.meeting_day) {
    const when = day(request.meeting_day);
    lines.push(request.meeting_place ? t('Meeting planned: {day}, {place}', { day: when, place: request.meeting_place })
      : t('Meeting planned: {day}', { day: when }));
  }
  if (request.closed_on) lines.push(t('Closed on {day}', { day: day(request.closed_on) }));
  return lines;
}

function requestItem(request, actions) {
  const id = `request-${request.id}`;
  const item = h('li', { class: `request-item state-${request.state}`, 'data-testid': 'request', 'data-request': String(request.id) },
    h('div', { class: 'request-head' },
      h('h3', { id: `${id}-title`, tabindex: '-1', text: request.support }),
      h('span', { class: `state-badge state-badge-${request.state}`, 'data-testid': 'request-state', text: request.state_label })),
    request.note ? h('p', { class: 'request-note', text: request.note }) : null,
    h('p', { class: 'hint', text: t('Asked {day} · {source}', { day: day(request.asked_on), source: request.source }) }),
    requestState(request).map((line) => h('p', { class: 'request-line', text: line })),
    h('p', { id: `${id}-error`, class: 'form-error', role: 'alert', 'data-testid': 'request-error' }));
  if (request.state === 'closed') return item;
  const move = (state) => (event) => actions.move(request, state, {}, event.currentTarget);
  const buttons = h('div', { class: 'button-row no-print' },
    request.state === 'open' ? h('button', { type: 'button', class: 'button small secondary', 'data-testid': 'request-acknowledge',
      'aria-label': t('Acknowledge {support}', { support: request.support }), onclick: move('acknowledged') },
    t('Acknowledge')) : null,
    request.state !== 'meeting_planned' ? h('button', { type: 'button', class: 'button small secondary', 'data-testid': 'request-plan',
      'aria-expanded': planning.has(request.id) ? 'true' : 'false', 'aria-controls': `${id}-plan`,
      onclick: () => togglePlanning(request, true) }, t('Plan a meeting')) : null,
    h('button', { type: 'button', class: 'button small secondary', 'data-testid': 'request-close',
      'aria-label': t('Close {support}', { support: request.support }), onclick: move('closed') },
    t('Close')));
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
  const save = h('button', { type: 'submit', class: 'button small', 'data-testid': 'plan-save' }, t('Save the meeting'));
  return h('form', { class: 'plan-form stack no-print', id: `${id}-plan`, hidden: !planning.has(request.id), novalidate: true,
    'aria-label': t('Plan a meeting for {support}', { support: request.support }), 'data-testid': 'plan-form',
    onsubmit: (event) => {
      event.preventDefault();
      actions.move(request, 'meeting_planned', { meeting_day: dayInput.value, meeting_place: placeInput.value.trim() }, save);
    } },
  h('div', { class: 'meeting-fields' },
    h('div', { class: 'field' }, h('label', { for: `${id}-day`, text: t('Day') }), dayInput),
    h('div', { class: 'field' }, h('label', { for: `${id}-place`, text: t('Place (optional)') }), placeInput,
      h('p', { class: 'hint', id: `${id}-place-hint`, text: t('A room, a school or a video link.') }))),
  h('div', { class: 'button-row' }, save,
    h('button', { type: 'button', class: 'button small secondary', 'data-testid': 'plan-cancel',
      onclick: () => togglePlanning(request, false) }, t('Cancel'))));
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
    [t('Evidence'), [checkIn.evidence, checkIn.evidence_link].filter(Boolean)],
    [t('What got in the way'), [checkIn.obstacles].filter(Boolean)],
    [t('Support asked for'), [(checkIn.support || []).join(' · '), checkIn.support_note].filter(Boolean)],
  ].filter(([, lines]) => lines.length);
  return h('li', { class: 'check-in-card', 'data-testid': 'check-in', 'data-check-in': String(checkIn.id) },
    h('h3', { text: t('Check-in of {date}', { date }) }),
    h('ul', { class: 'progress-list' }, (checkIn.progress || []).map((row) => h('li', {},
      h('span', { class: 'progress-step', text: row.step }),
      h('span', { class: `level-badge level-${row.level}`, text: t('{label} · {level} of {of}', row) })))),
    facts.length ? h('dl', { class: 'facts' }, facts.flatMap(([label, lines]) => [
      h('dt', { text: label }),
      h('dd', {}, lines.map((line) => h('p', { text: line })))])) : null,
    h('button', { type: 'button', class: 'button small secondary no-print', 'data-testid': 'answer-check-in',
      'aria-label': t('Answer this check-in ({date})', { date }), onclick: () => actions.answer(checkIn) },
    t('Answer this check-in')));
}

const KINDS = {
  comment: t('Comment'), question: t('Question'), suggest_goal: t('Suggested rewording of the goal'),
  meeting: t('Proposed meeting'), reply: t('Reply'), agree: t('Agreed to the goal as written'),
};

/** A message's kind in words, from the coach's side. */
function kindLabel(message, checkIns) {
  if (message.kind === 'suggest_step') return t('Suggested rewording of action step {n}', { n: Number(message.proposal.step) + 1 });
  if (message.kind === 'reply' && message.check_in_id != null) {
    const answered = checkIns.find((c) => c.id === message.check_in_id);
    return answered ? t('Answer to the check-in of {date}', { date: answered.date }) : t('Answer to a check-in');
  }
  return KINDS[message.kind] || message.kind;
}

function proposal(message, goal) {
  const p = message.proposal || {};
  if (message.kind === 'suggest_goal') return h('blockquote', { class: 'proposal', text: p.goal });
  if (message.kind === 'suggest_step') {
    const now = goal && goal.action_steps[p.step];
    return [h('blockquote', { class: 'proposal', text: p.text }),
      message.state === 'pending' && now ? h('p', { class: 'hint', text: t('Now: {text}', { text: now.text }) }) : null];
  }
  if (message.kind === 'meeting') {
    const when = day(p.day);
    const text = p.place ? t('{day}, {place}', { day: when, place: p.place }) : when;
    return h('p', { class: 'proposal proposal-meeting', text });
  }
  return null;
}

function stateLine(message, name) {
  if (!message.state) return null;
  const text = message.state === 'pending' ? t("Waiting for {name}'s answer", { name })
    : message.state === 'accepted' ? t('Accepted')
      : message.reason ? t('Declined: {reason}', { reason: message.reason }) : t('Declined');
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
  stateLine(message, person.name))) : [h('li', { class: 'empty', text: t('Nothing written yet. Start the conversation below.') })]));
}
