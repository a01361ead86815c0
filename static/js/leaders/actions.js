/** What a leader does on the coaching loop: move a support request forward (a meeting with its day and place), give
 * a person a coach by hand or everyone under a system goal at once (after asking), and download each CSV. */

import { $, h } from '../lib/dom.js';
import { t, tn } from '../lib/i18n.js';
import { stateWord } from './coaching.js';

/** ``page``: ``send(method, path, body)`` calls the follow-up API; ``reload()`` reads the view again and shows it
 * (false when it could not); ``say(text)`` tells the leader what happened; ``fail(error)`` shows a refusal;
 * ``view()`` is the view on screen. Returns the actions the rendered rows call. */
export function wireActions(page) {
  let meeting = null; // {request, person, index}: the request the meeting dialog plans

  async function moved(request, person, state, index, body) {
    await page.send('POST', `/api/follow-up/requests/${request.id}`, { state, ...body });
    if (!(await page.reload())) return;
    page.say(t('{support} for {name} is now: {state}.', { support: request.support, name: person.name, state: stateWord(state) }));
    focusOpenRequest(index);
  }

  async function move(request, person, state, button, index) {
    if (state === 'meeting_planned') {
      openMeeting(request, person, index);
      return;
    }
    button.disabled = true;
    try {
      await moved(request, person, state, index, {});
    } catch (error) {
      button.disabled = false;
      await refused(error);
    }
  }

  /** A move the server refused because the request changed meanwhile: the list is read again, with the reason. */
  async function refused(error) {
    if (error.code === 'bad_transition' || error.code === 'unknown_request') {
      await page.reload();
      page.say(error.message);
      return;
    }
    page.fail(error);
  }

  function openMeeting(request, person, index) {
    meeting = { request, person, index };
    $('meeting-about').textContent = t('{support} for {name}', { support: request.support, name: person.name });
    $('meeting-day').value = request.meeting_day || '';
    $('meeting-day').min = localDay(new Date());
    $('meeting-place').value = request.meeting_place || '';
    $('meeting-error').textContent = '';
    $('meeting-dialog').showModal();
    $('meeting-day').focus();
  }

  $('meeting-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!meeting) return;
    const day = $('meeting-day').value;
    if (!day) {
      $('meeting-error').textContent = t("Pick the meeting's day.");
      $('meeting-day').focus();
      return;
    }
    const { request, person, index } = meeting;
    const submit = event.submitter || $('meeting-form').querySelector('[type="submit"]');
    submit.disabled = true;
    try {
      await page.send('POST', `/api/follow-up/requests/${request.id}`, {
        state: 'meeting_planned', meeting_day: day, meeting_place: $('meeting-place').value.trim(),
      });
    } catch (error) {
      submit.disabled = false;
      if (error.status === 401 || error.status === 403 || error.code === 'bad_transition'
        || error.code === 'unknown_request') {
        $('meeting-dialog').close();
        await refused(error);
      } else {
        $('meeting-error').textContent = error.message;
      }
      return;
    }
    submit.disabled = false;
    meeting = null;
    $('meeting-dialog').close();
    if (!(await page.reload())) return;
    page.say(t('{support} for {name} is now: {state}.', { support: request.support, name: person.name, state: stateWord('meeting_planned') }));
    focusOpenRequest(index);
  });

  $('meeting-day').addEventListener('input', () => { $('meeting-error').textContent = ''; });
  $('meeting-cancel').addEventListener('click', () => $('meeting-dialog').close());
  $('meeting-dialog').addEventListener('close', () => { meeting = null; });

  async function assign(row, coachId, select) {
    select.disabled = true;
    try {
      await page.send('POST', '/api/follow-up/assignments', { person_id: row.person_id, coach_id: coachId });
    } catch (error) {
      select.value = row.coach_id == null ? '' : String(row.coach_id);
      select.disabled = false;
      page.fail(error);
      return;
    }
    if (!(await page.reload())) return;
    const coach = (page.view().coaching.coaches || []).find((each) => each.id === coachId);
    page.say(coach ? t("{name}'s coach is now {coach}.", { name: row.name, coach: coach.name })
      : t('{name} has no coach now.', { name: row.name }));
    const again = document.querySelector(`[data-testid="coach-of-${row.person_id}"]`);
    (again || $('people-heading')).focus();
  }

  $('assign-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const view = page.view();
    const goal = view.system_goals.find((each) => String(each.id) === $('assign-goal').value);
    const coach = (view.coaching.coaches || []).find((each) => String(each.id) === $('assign-coach').value);
    $('assign-error').textContent = '';
    if (!goal || !coach) {
      $('assign-error').textContent = t('Pick a system goal and a coach.');
      return;
    }
    const names = { goal: goal.title, coach: coach.name, people: peopleCount(goal.people) };
    const answer = await confirmWith(t('Give everyone under “{goal}” to {coach}?', names), t('{people} hold a goal under “{goal}”. Each of them gets {coach} as their coach, in place of any coach they have now.', names),
      t('Assign to {coach}', names));
    if (answer !== 'confirm') return;
    const button = $('assign-submit');
    button.disabled = true;
    let assigned;
    try {
      assigned = (await (await page.send('POST', '/api/follow-up/assignments', {
        goal_id: goal.id, coach_id: coach.id,
      })).json()).assigned;
    } catch (error) {
      if (error.status === 401 || error.status === 403) page.fail(error);
      else $('assign-error').textContent = error.message;
      return;
    } finally {
      button.disabled = false;
    }
    if (!(await page.reload())) return;
    page.say(assigned ? t('{coach} is now the coach of {people} under “{goal}”.', { ...names, people: peopleCount(assigned) })
      : t('Nobody holds a goal under “{goal}” yet: nobody was assigned.', names));
    button.focus();
  });

  for (const button of document.querySelectorAll('[data-download]')) {
    button.addEventListener('click', () => download(page, button.dataset.download, button));
  }

  return { move, assign };
}

function peopleCount(n) {
  return tn('{n} person', '{n} people', n);
}

/** Focus stays where the leader was: the same row of the open list (or the one now in its place), else its heading. */
function focusOpenRequest(index) {
  const rows = document.querySelectorAll('[data-testid="open-requests-table"] tbody tr');
  const row = rows[Math.min(index, rows.length - 1)];
  const button = row ? row.querySelector('button') : null;
  (button || $('open-requests-heading') || $('requests-heading')).focus();
}

/** Today as YYYY-MM-DD in this computer's own time zone. */
function localDay(date) {
  return [date.getFullYear(), date.getMonth() + 1, date.getDate()].map((part) => String(part).padStart(2, '0')).join('-');
}

/** Opens the page's confirm dialog and resolves with the button chosen ("confirm" or "cancel"). */
function confirmWith(heading, text, yes) {
  const dialog = $('confirm-dialog');
  $('confirm-heading').textContent = heading;
  $('confirm-text').textContent = text;
  $('confirm-yes').textContent = yes;
  return new Promise((resolve) => {
    dialog.returnValue = 'cancel';
    dialog.addEventListener('close', () => resolve(dialog.returnValue), { once: true });
    dialog.showModal();
  });
}

/** A CSV of the follow-up: it needs the key's header, so it is fetched and handed to the browser as a file. */
async function download(page, name, button) {
  button.disabled = true;
  try {
    const response = await page.send('GET', `/api/follow-up/${name}`);
    const url = URL.createObjectURL(await response.blob());
    const link = h('a', { href: url, download: name, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 60_000); // the download has long started by then
    page.say(t('{name} is in your downloads.', { name }));
    $('error').textContent = '';
  } catch (error) {
    page.fail(error);
  } finally {
    button.disabled = false;
  }
}
