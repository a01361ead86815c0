/** The coach's view: their people, and one person's goal, requests, check-ins and conversation, opened with the
 * coach's id and key the address carries after # (``&person=<id>`` opens a person, so Back returns to the list). */

import { $ } from '../lib/dom.js';
import { language, t } from '../lib/i18n.js';
import { accessFrom, call, fragmentOf } from './access.js';
import { answerCheckIn, clearComposer, composed, fieldAtFault, setComposer } from './composer.js';
import { coming, day, renderPeople, silentBadge, silentNote } from './list.js';
import { forgetPlanning, plannedMeeting, renderPerson } from './person.js';

let access = null; // {coach, key, person}: what the fragment holds
let coach = null; // the coach's name and organisation, once read
let person = null; // GET /api/coach/people/<id>: the person open
let busy = false; // a change is on its way to the server: nothing else is sent meanwhile
let lastOpened = null; // the person whose link takes focus back on the list

const personPath = (id) => `/api/coach/people/${encodeURIComponent(id)}`;

function say(message) {
  $('status').textContent = message || '';
}

function fail(message) {
  $('error').textContent = message || '';
}

function stamp() {
  $('head-tools').hidden = false;
  $('updated').textContent = t('Updated at {time}.', {
    time: new Date().toLocaleTimeString(language, { hour: '2-digit', minute: '2-digit' }),
  });
}

function askForLink(message) {
  access = null;
  person = null;
  for (const id of ['people-view', 'person-view', 'head-tools', 'back', 'subheading']) $(id).hidden = true;
  $('heading').textContent = t('Your people');
  say('');
  fail(message);
  $('open-form').hidden = false;
  $('open-link').value = '';
  $('open-link').focus();
}

$('open-form').addEventListener('submit', (event) => {
  event.preventDefault();
  let url = null;
  try {
    url = new URL($('open-link').value.trim(), window.location.href);
  } catch (error) {
    url = null;
  }
  const found = url && accessFrom(url.hash);
  if (!found) {
    fail(t('That link holds no key. Paste the whole link, including the part after #.'));
    $('open-link').focus();
    return;
  }
  $('open-form').hidden = true;
  window.location.hash = fragmentOf(found, found.person); // hashchange opens it
});

/** A refusal of the key sends the coach back to the link form; any other error stays next to what caused it. */
function refusedKey(error) {
  if (error.status === 401 || error.status === 403) {
    askForLink(error.message);
    return true;
  }
  return false;
}

// The list

async function showList() {
  person = null;
  $('person-view').hidden = true;
  $('back').hidden = true;
  $('subheading').hidden = true;
  if ($('people-view').hidden) say(t('Loading…'));
  let view;
  try {
    view = await call(access, 'GET', '/api/coach');
  } catch (error) {
    if (!refusedKey(error)) fail(error.message);
    say('');
    return;
  }
  coach = { name: view.coach.name, organisation: view.organisation };
  document.title = t('{coach} · Coaching · Pathways', { coach: coach.name });
  $('kicker').textContent = `${t('Coaching')} · ${coach.name} · ${coach.organisation}`;
  $('heading').textContent = t('Your people');
  renderPeople(view, (row) => `#${fragmentOf(access, row.person_id)}`);
  fail('');
  say('');
  stamp();
  $('people-view').hidden = false;
  const link = lastOpened == null ? null : document.querySelector(`[data-person="${lastOpened}"] .person-link`);
  if (link) link.focus();
  lastOpened = null;
}

// One person

async function showPerson(id, { focus = true } = {}) {
  const opening = !person || String(person.person_id) !== String(id);
  if (opening) {
    forgetPlanning();
    say(t('Loading…'));
  }
  try {
    person = await call(access, 'GET', personPath(id));
  } catch (error) {
    if (refusedKey(error)) return;
    if (opening) {
      $('people-view').hidden = true;
      $('person-view').hidden = true;
      $('back').hidden = false;
      $('back').href = `#${fragmentOf(access, null)}`;
    }
    fail(error.status === 404 ? t('There is no such person among your people any more. They may have been given another coach.') : error.message);
    say('');
    return;
  }
  if (!coach) {
    const list = await call(access, 'GET', '/api/coach').catch(() => null);
    coach = list ? { name: list.coach.name, organisation: list.organisation } : { name: '', organisation: '' };
  }
  drawPerson();
  fail('');
  if (opening) say('');
  stamp();
  lastOpened = person.person_id;
  if (opening && focus) $('heading').focus();
}

function drawPerson() {
  document.title = t('{name} · {coach} · Coaching · Pathways', { name: person.name, coach: coach.name });
  $('kicker').textContent = [t('Coaching'), coach.name, coach.organisation].filter(Boolean).join(' · ');
  $('heading').textContent = person.name;
  const row = person.row || {};
  const facts = [person.system_goal ? t('System goal: {title}', { title: person.system_goal }) : '',
    row.identifier ? t('E-mail or staff id: {identifier}', { identifier: row.identifier }) : '',
    !row.silent && coming(row.check_in_due) ? t('Check-in due {day}', { day: day(row.check_in_due) }) : ''].filter(Boolean);
  $('subheading').replaceChildren(facts.join(' · '), ...(row.silent ? [' ', silentBadge(), ' ', silentNote(row)] : []));
  $('subheading').hidden = !facts.length && !row.silent;
  $('back').href = `#${fragmentOf(access, null)}`;
  $('back').hidden = false;
  $('people-view').hidden = true;
  $('person-view').hidden = false;
  renderPerson(person, { agree, move, answer: answerCheckIn });
  setComposer(person);
}

/** Runs one change against the server, once: ``button`` is disabled meanwhile; the person is read again after. */
async function change(button, errorBox, send, done) {
  if (busy) return;
  busy = true;
  button.disabled = true;
  errorBox.textContent = '';
  try {
    const answer = await send();
    await showPerson(person.person_id, { focus: false });
    done(answer);
  } catch (error) {
    if (!refusedKey(error)) errorBox.textContent = error.message;
  } finally {
    busy = false;
    button.disabled = false;
  }
}

function agree(button) {
  const name = person.name;
  change(button, $('agree-error'), () => call(access, 'POST', `${personPath(person.person_id)}/agree`), () => {
    say(t("You agreed to {name}'s goal.", { name }));
    ($('agreement') || $('heading')).focus();
  });
}

function move(request, state, fields, button) {
  const errorBox = document.querySelector(`[data-request="${request.id}"] [data-testid="request-error"]`);
  change(button, errorBox, () => call(access, 'POST', `/api/coach/requests/${request.id}`, { state, ...fields }), (moved) => {
    if (state === 'meeting_planned') plannedMeeting(request.id);
    say(t('{support}: {state}.', { support: moved.support, state: moved.state_label }));
    const title = $(`request-${request.id}-title`);
    if (title) title.focus();
  });
}

$('composer').addEventListener('submit', (event) => {
  event.preventDefault();
  if (busy) return;
  const send = $('composer-send');
  const name = person.name;
  send.textContent = t('Sending…');
  change(send, $('composer-error'), () => call(access, 'POST', `${personPath(person.person_id)}/messages`, composed()), () => {
    clearComposer();
    say(t('Sent to {name}.', { name }));
    $('composer-body').focus();
  }).finally(() => {
    send.textContent = t('Send');
    if ($('composer-error').textContent) fieldAtFault().focus();
  });
});

$('refresh').addEventListener('click', () => (person ? showPerson(person.person_id) : showList()));

// Start: the address's fragment, or the form

function route() {
  const found = accessFrom(window.location.hash);
  if (!found) {
    askForLink(window.location.hash.length > 1 ? t('That link holds no key. Paste the whole link, including the part after #.') : '');
    return;
  }
  if (!access || access.coach !== found.coach || access.key !== found.key) coach = null; // another coach's link
  access = found;
  $('open-form').hidden = true;
  fail('');
  if (access.person != null) showPerson(access.person);
  else showList();
}

window.addEventListener('hashchange', route);
route();
