/** The person's side of the coaching loop, on their plan page (and behind a reminder's link): their coach, support
 * requests, their goal with its versions and agreement, the conversation with a reply box, accepting or declining
 * each suggestion, their reminders, and withdrawing their consent. After each change the section is read again
 * from the server; what the person typed anywhere on the page stays. */

import { h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { longDay, versionMeta } from '../coach/format.js';
import { requestJson } from '../lib/requests.js';

const day = (iso) => longDay(iso, t('{day} {month} {year}'));

const typed = { reply: '', reasons: new Map(), declining: new Set(), confirming: false }; // kept across redraws
let section = null;
let body = null;
let base = ''; // /p/<token> or /r/<token>
let data = null; // GET <base>/coaching.json
let busy = false;

const send = (method, path, payload) => requestJson(`${base}${path}`, method, payload, t('The server could not be reached. Check the connection and try again. Nothing you typed was lost.'));

const coachName = () => (data.coach ? data.coach.name : t('your coach'));

function status(text) {
  const line = section.querySelector('[data-testid="coaching-status"]');
  line.textContent = text;
  return line;
}

/** One change, once at a time: ``button`` is disabled meanwhile, a refusal shows in ``errorBox`` with the server's
 * words, and the section is read again after a change that went through. */
async function change(button, errorBox, request, done) {
  if (busy) return;
  busy = true;
  button.disabled = true;
  errorBox.textContent = '';
  try {
    await request();
    data = await send('GET', '/coaching.json');
    draw();
    done();
  } catch (error) {
    errorBox.textContent = error.message;
  } finally {
    busy = false;
    button.disabled = false;
  }
}

// Drawing

function draw() {
  body.replaceChildren(...[
    coachLine(),
    h('p', { class: 'coaching-status', role: 'status', tabindex: '-1', 'data-testid': 'coaching-status' }),
    goalBlock(),
    requestsBlock(),
    threadBlock(),
    remindersBlock(),
    consentBlock()].filter(Boolean));
}

function coachLine() {
  if (data.coach) {
    return h('p', { class: 'coach-line', 'data-testid': 'coaching-coach' }, `${t('Your coach:')} `, h('strong', { text: data.coach.name }));
  }
  return h('div', { class: 'coach-line', 'data-testid': 'coaching-coach' },
    h('p', {}, h('strong', { text: t('No coach yet.') })), h('p', { class: 'hint', text: t('When you ask for support (in a check-in, or on the day), a coach of your system goal takes it on and becomes your coach.') }));
}

function steps(list) {
  if (!list || !list.length) return null;
  return h('ol', { class: 'plan-lines' }, list.map((step) => h('li', {}, step.text,
    step.date ? h('span', { class: 'muted', text: ` · ${t('by {day}', { day: day(step.date) })}` }) : null)));
}

function goalBlock() {
  const goal = data.goal;
  const block = h('div', { class: 'coaching-goal', 'data-testid': 'coaching-goal' },
    h('h3', { id: 'coaching-goal-heading', tabindex: '-1', text: t('Your goal') }));
  if (!goal) {
    block.append(h('p', { class: 'muted', text: t('You have not written a goal yet.') }));
    return block;
  }
  const earlier = (goal.versions || []).slice(1);
  block.append(...[
    h('p', { class: 'coaching-goal-now', 'data-testid': 'coaching-goal-now', text: goal.goal }),
    steps(goal.action_steps),
    goal.agreed
      ? h('p', { class: 'agreement-line', 'data-testid': 'coaching-agreement' },
        h('span', { 'aria-hidden': 'true', text: '✓ ' }), goal.agreement)
      : h('p', { class: 'hint', 'data-testid': 'coaching-agreement', text: t('Not agreed with your coach yet.') }),
    earlier.length ? h('details', { class: 'coaching-versions', 'data-testid': 'coaching-versions' },
      h('summary', { text: t('Earlier versions ({n})', { n: earlier.length }) }),
      h('ol', { class: 'coaching-version-list' }, earlier.map((version) => h('li', { 'data-testid': 'coaching-version' },
        h('p', { class: 'hint', text: versionMeta(version) }),
        h('p', { class: 'version-text', text: version.goal }),
        steps(version.action_steps),
        version.agreed ? h('p', { class: 'hint', text: version.agreed }) : null)))) : null].filter(Boolean));
  return block;
}

function requestLines(request) {
  const lines = [];
  if (request.acknowledged_on) lines.push(t('Acknowledged on {day}', { day: day(request.acknowledged_on) }));
  if (request.meeting_day) {
    const vars = { day: day(request.meeting_day), place: request.meeting_place };
    lines.push(request.meeting_place ? t('Meeting planned: {day}, {place}', vars) : t('Meeting planned: {day}', vars));
  }
  if (request.closed_on) lines.push(t('Closed on {day}', { day: day(request.closed_on) }));
  return lines;
}

function requestsBlock() {
  const requests = data.requests || [];
  if (!requests.length) return null;
  return h('div', { class: 'coaching-requests' },
    h('h3', { text: t('Your support requests') }),
    h('ul', { class: 'coaching-request-list' }, requests.map((request) => h('li', {
      class: 'coaching-request', 'data-testid': 'coaching-request' },
      h('p', {}, h('strong', { text: request.support }), ' ',
        h('span', { class: `request-state state-${request.state}`, 'data-testid': 'coaching-request-state', text: request.state_label })),
      h('p', { class: 'hint', text: [t('Asked {day} · {source}', { day: day(request.asked_on), source: request.source }),
        request.owner ? t('With {coach}', { coach: request.owner }) : ''].filter(Boolean).join(' · ') }),
      requestLines(request).map((line) => h('p', { class: 'request-line', 'data-testid': 'coaching-request-line', text: line }))))));
}

/** What a message of the conversation is (its ``kind``), in the person's words. */
function kindLabel(message) {
  switch (message.kind) {
    case 'comment': return t('Comment');
    case 'question': return t('Question');
    case 'suggest_goal': return t('Suggests rewording your goal');
    case 'suggest_step': return t('Suggests rewording action step {n}', { n: Number(message.proposal.step) + 1 });
    case 'meeting': return t('Proposes a meeting');
    case 'agree': return t('Agreed to your goal as you wrote it');
    case 'warm_feedback': return t('Warm feedback from a colleague, in a progress round');
    case 'reply': {
      if (message.check_in_id == null) return t('Reply');
      const checkIn = (data.check_ins || []).find((c) => c.id === message.check_in_id);
      return checkIn ? t('Answer to your check-in of {date}', { date: checkIn.date }) : t('Answer to a check-in');
    }
    default: return message.kind;
  }
}

/** What a suggestion or meeting proposes, in a sentence the Accept and Decline buttons are named by. */
function proposed(message) {
  const p = message.proposal || {};
  if (message.kind === 'suggest_goal') return p.goal;
  if (message.kind === 'suggest_step') return p.text;
  if (message.kind === 'meeting') {
    return p.place ? t('{day}, {place}', { day: day(p.day), place: p.place }) : t('{day}', { day: day(p.day) });
  }
  return '';
}

function messageItem(message) {
  const what = proposed(message);
  const now = message.kind === 'suggest_step' && message.state === 'pending' && data.goal
    ? data.goal.action_steps[message.proposal.step] : null;
  return h('li', { class: `coaching-message by-${message.author}`, 'data-testid': 'coaching-message', 'data-message': String(message.id) },
    h('p', { class: 'coaching-message-meta' }, h('strong', { text: message.by }), ` · ${message.on} · `,
      h('span', { class: 'coaching-kind', text: kindLabel(message) })),
    what ? h('blockquote', { class: 'coaching-proposal', 'data-testid': 'coaching-proposal', text: what }) : null,
    now ? h('p', { class: 'hint', text: t('Now: {text}', { text: now.text }) }) : null,
    message.body ? h('p', { class: 'coaching-message-body', text: message.body }) : null,
    message.state === 'pending' ? answerBox(message, what) : stateLine(message));
}

function stateLine(message) {
  if (!message.state) return null;
  const text = message.state === 'accepted' ? t('You accepted')
    : message.reason ? t('You declined: {reason}', { reason: message.reason }) : t('You declined');
  return h('p', { class: `coaching-state state-${message.state}`, tabindex: '-1', 'data-testid': 'coaching-state', text });
}

function answerBox(message, what) {
  const id = `answer-${message.id}`;
  const error = h('p', { class: 'form-error', role: 'alert', id: `${id}-error`, 'data-testid': 'coaching-answer-error' });
  const reason = h('textarea', { id: `${id}-reason`, rows: '2', maxlength: '2000', 'data-testid': 'coaching-decline-reason' });
  reason.value = typed.reasons.get(message.id) || '';
  reason.addEventListener('input', () => typed.reasons.set(message.id, reason.value));
  const declining = typed.declining.has(message.id);
  const accept = h('button', { type: 'button', class: 'button small', 'data-testid': 'coaching-accept',
    'aria-label': t('Accept: {what}', { what }), onclick: () => answer(message, accept, error, { answer: 'accept' }) }, t('Accept'));
  const opener = h('button', { type: 'button', class: 'button small secondary', 'data-testid': 'coaching-decline',
    'aria-label': t('Decline: {what}', { what }), 'aria-expanded': declining ? 'true' : 'false', 'aria-controls': `${id}-form`,
    onclick: () => toggleDecline(message, true) }, t('Decline'));
  const form = h('form', { class: 'decline-form', id: `${id}-form`, hidden: !declining, novalidate: true, 'data-testid': 'coaching-decline-form',
    onsubmit: (event) => {
      event.preventDefault();
      answer(message, event.submitter || form.querySelector('[type=submit]'), error, { answer: 'decline', reason: reason.value });
    } },
  h('div', { class: 'field' }, h('label', { for: reason.id, text: t('Why not? (needed: {coach} reads it)', { coach: coachName() }) }), reason),
  h('div', { class: 'button-row' },
    h('button', { type: 'submit', class: 'button small danger', 'data-testid': 'coaching-decline-send' }, t('Decline it')),
    h('button', { type: 'button', class: 'button small secondary', 'data-testid': 'coaching-decline-cancel',
      onclick: () => toggleDecline(message, false) }, t('Cancel'))));
  return h('div', { class: 'answer-box no-print' }, h('div', { class: 'button-row' }, accept, opener), form, error);
}

function toggleDecline(message, open) {
  const item = body.querySelector(`[data-message="${message.id}"]`);
  if (open) typed.declining.add(message.id);
  else typed.declining.delete(message.id);
  item.querySelector('[data-testid="coaching-decline-form"]').hidden = !open;
  item.querySelector('[data-testid="coaching-decline"]').setAttribute('aria-expanded', open ? 'true' : 'false');
  (open ? item.querySelector('textarea') : item.querySelector('[data-testid="coaching-decline"]')).focus();
}

function answer(message, button, error, payload) {
  const coach = coachName();
  const request = async () => {
    await send('POST', `/messages/${message.id}/answer`, payload);
    typed.reasons.delete(message.id);
    typed.declining.delete(message.id);
  };
  change(button, error, request, () => {
    const item = body.querySelector(`[data-message="${message.id}"]`);
    const rewording = message.kind === 'suggest_goal' || message.kind === 'suggest_step';
    if (payload.answer === 'decline') status(t('Declined. {coach} will read your reason.', { coach }));
    else if (rewording && data.goal) status(t('Accepted. Your goal now reads: “{goal}”.', { goal: data.goal.goal }));
    else status(t('Accepted: you meet on {when}.', { when: proposed(message) }));
    const target = payload.answer === 'accept' && rewording ? body.querySelector('#coaching-goal-heading')
      : item && item.querySelector('[data-testid="coaching-state"]');
    if (target) target.focus();
  });
}

function threadBlock() {
  const thread = data.thread || [];
  const error = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'coaching-reply-error' });
  const reply = h('textarea', { id: 'coaching-reply', rows: '3', maxlength: '2000', 'data-testid': 'coaching-reply' });
  reply.value = typed.reply;
  reply.addEventListener('input', () => { typed.reply = reply.value; });
  const sendButton = h('button', { type: 'submit', class: 'button small', 'data-testid': 'coaching-reply-send' }, t('Send'));
  const form = data.coach ? h('form', { class: 'reply-form no-print', novalidate: true, 'data-testid': 'coaching-reply-form',
    onsubmit: (event) => {
      event.preventDefault();
      if (busy) return;
      const coach = coachName();
      sendButton.textContent = t('Sending…');
      const request = async () => {
        await send('POST', '/messages', { body: reply.value });
        typed.reply = '';
      };
      change(sendButton, error, request, () => {
        status(t('Sent to {coach}.', { coach }));
        body.querySelector('#coaching-reply').focus();
      }).finally(() => {
        sendButton.textContent = t('Send');
        if (error.textContent) reply.focus();
      });
    } },
  h('div', { class: 'field' }, h('label', { for: 'coaching-reply', text: t('Write to {coach}', { coach: coachName() }) }), reply),
  error, h('div', { class: 'button-row' }, sendButton)) : null;
  if (!thread.length && !form) return null;
  return h('div', { class: 'coaching-thread' },
    h('h3', { text: data.coach ? t('Conversation with {coach}', { coach: data.coach.name }) : t('Conversation about your goal') }),
    thread.length ? h('ol', { class: 'coaching-messages', 'data-testid': 'coaching-thread' }, thread.map(messageItem))
      : h('p', { class: 'muted', text: t('Nothing written yet.') }),
    form);
}

function remindersBlock() {
  const reminders = Array.isArray(data.reminders) ? data.reminders : [];
  if (!reminders.length) return null;
  return h('div', { class: 'coaching-reminders' },
    h('h3', { text: t('Reminders') }),
    h('ul', { class: 'coaching-reminder-list' }, reminders.map((reminder) => h('li', { 'data-testid': 'coaching-reminder' },
      h('span', { class: 'reminder-subject', text: reminder.subject || '' }),
      h('span', { class: 'hint', text: [reminder.on, reminder.mailed ? t('E-mailed') : ''].filter(Boolean).join(' · ') })))));
}

function consentBlock() {
  const identifier = data.row && data.row.identifier;
  if (!identifier) return null;
  const error = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'coaching-withdraw-error' });
  const confirm = h('div', {
    class: 'withdraw-confirm', id: 'withdraw-confirm', hidden: !typed.confirming, 'data-testid': 'coaching-withdraw-confirm' },
    h('p', { text: t('Delete {identifier}? No reminder will be e-mailed to it, and later sessions will not be linked by it. Your plans, check-ins and this conversation stay.', { identifier }) }),
    h('div', { class: 'button-row' },
      h('button', { type: 'button', class: 'button small danger', 'data-testid': 'coaching-withdraw-yes',
        onclick: (event) => withdraw(event.currentTarget, error) }, t('Yes, delete it')),
      h('button', { type: 'button', class: 'button small secondary', 'data-testid': 'coaching-withdraw-cancel',
        onclick: () => confirming(false) }, t('Cancel'))));
  return h('div', { class: 'coaching-consent no-print', 'data-testid': 'coaching-consent' },
    h('h3', { text: t('Your e-mail or staff id') }),
    h('p', { class: 'hint', text: t('Your sessions are linked, and reminders are e-mailed, by {identifier}.', { identifier }) }),
    h('button', { type: 'button', class: 'button small secondary', 'data-testid': 'coaching-withdraw',
      'aria-expanded': typed.confirming ? 'true' : 'false', 'aria-controls': 'withdraw-confirm',
      onclick: () => confirming(true) }, t('Withdraw my consent: delete my e-mail or staff id')),
    confirm, error);
}

function confirming(open) {
  typed.confirming = open;
  const block = body.querySelector('[data-testid="coaching-consent"]');
  block.querySelector('#withdraw-confirm').hidden = !open;
  const opener = block.querySelector('[data-testid="coaching-withdraw"]');
  opener.setAttribute('aria-expanded', open ? 'true' : 'false');
  (open ? block.querySelector('[data-testid="coaching-withdraw-yes"]') : opener).focus();
}

function withdraw(button, error) {
  const request = async () => {
    await send('POST', '/identifier/remove');
    typed.confirming = false;
  };
  change(button, error, request, () => {
    const linked = document.querySelector('[data-testid="plan-linked-by"]'); // "Your data" says what links them
    if (linked) linked.remove();
    status(t('Your e-mail or staff id is deleted. Nothing more will be e-mailed or linked by it.')).focus();
  });
}

/** The section's first picture: what the page was given, or read from the server (a reminder's page). */
export async function startCoaching() {
  section = document.querySelector('[data-coaching-url]');
  if (!section) return;
  base = section.dataset.coachingUrl;
  body = section.querySelector('[data-coaching-body]');
  if (!body) {
    body = h('div', { class: 'coaching-body', 'data-coaching-body': '' });
    section.append(h('h2', { id: 'coaching-heading', text: t('Your goal with your coach') }), body);
  }
  const given = document.getElementById('coaching-data');
  try {
    data = given ? JSON.parse(given.textContent) : await send('GET', '/coaching.json');
  } catch (error) {
    body.replaceChildren(h('p', { class: 'form-error', role: 'alert', text: error.message }));
    return;
  }
  if (data) draw();
}
