/** Everyone followed up, one row each: their coach (to change by hand), goal, agreement, latest check-in, trend, open
 * requests and whether they went silent; and the choices of the form that assigns a coach by system goal. */

import { $, h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { dayName, decimal, whole, withDay } from './format.js';
import { stateWord } from './coaching.js';

/** Which people each choice of "Show" keeps. */
const FILTERS = {
  all: () => true,
  without_coach: (row) => row.coach_id == null,
  silent: (row) => row.silent,
  requests: (row) => row.open_requests.length > 0,
  not_agreed: (row) => Boolean(row.goal) && !row.agreed,
};

/** Each choice's words, with how many it keeps. */
const FILTER_WORDS = {
  all: (n) => t('Everyone ({n})', { n }),
  without_coach: (n) => t('Without a coach ({n})', { n }),
  silent: (n) => t('Silent ({n})', { n }),
  requests: (n) => t('With open requests ({n})', { n }),
  not_agreed: (n) => t('Goal not agreed yet ({n})', { n }),
};

const TRENDS = { up: t('Rising'), down: t('Falling'), steady: t('Steady'), single: t('One rating so far') };

function empty(text) {
  return h('p', { class: 'empty', text });
}

/** The filter's choices with how many each keeps; the one picked stays picked. */
function renderFilter(rows) {
  const pick = $('people-filter');
  const wanted = pick.value || 'all';
  pick.replaceChildren(...Object.entries(FILTERS).map(([key, keep]) => h('option', {
    value: key, text: FILTER_WORDS[key](whole.format(rows.filter(keep).length)),
  })));
  pick.value = wanted in FILTERS ? wanted : 'all';
  return FILTERS[pick.value];
}

/** ``actions.assign(row, coachId, select)`` gives a person a coach (null: none). */
export function renderPeople(coaching, actions) {
  const rows = coaching.people || [];
  const keep = renderFilter(rows);
  if (!rows.length) return $('people').replaceChildren(empty(t('Nobody followed up yet: people appear here once they join a session of the organisation.')));
  const shown = rows.filter(keep);
  if (!shown.length) return $('people').replaceChildren(empty(t('Nobody in this list.')));
  const columns = [
    t('Person'), t('Goal'), t('Agreed'), t('Latest check-in'), t('Trend'), t('Open requests'), t('Coach'),
  ];
  return $('people').replaceChildren(h('div', { class: 'table-scroll' }, h('table', {
    class: 'requests people-table', 'aria-labelledby': 'people-heading', 'data-testid': 'people-table',
  },
  h('thead', {}, h('tr', {}, columns.map((label) => h('th', { scope: 'col', text: label })))),
  h('tbody', {}, shown.map((row) => h('tr', {
    class: row.silent ? 'person-silent' : null, 'data-testid': `person-${row.person_id}`,
  },
  h('td', { class: 'person-who', 'data-label': t('Person') },
    h('strong', { class: 'request-name', text: row.name }),
    row.identifier ? h('span', { class: 'request-identifier', text: row.identifier }) : null,
    row.silent ? h('span', { class: 'silent-badge', 'data-testid': 'silent-badge' },
      withDay(t('Silent since {day}'), row.check_in_due)) : null),
  h('td', { class: 'person-goal', 'data-label': t('Goal') },
    row.system_goal ? h('span', { class: 'person-system-goal', text: row.system_goal }) : null,
    h('span', { class: row.goal ? 'person-goal-text' : 'empty', text: row.goal || t('No goal yet') })),
  h('td', { class: 'person-agreed', 'data-label': t('Agreed') },
    row.goal ? h('span', {
      class: `agreed-badge ${row.agreed ? 'agreed-yes' : 'agreed-no'}`, 'data-testid': 'agreed',
      text: row.agreed ? t('Agreed') : t('Not yet'),
    }) : h('span', { class: 'muted', text: '—' })),
  h('td', { class: 'person-check-in', 'data-label': t('Latest check-in') },
    row.latest_check_in_day
      ? h('time', { datetime: row.latest_check_in_day, text: dayName(row.latest_check_in_day) })
      : h('span', { class: 'muted', text: t('None yet') }),
    dueAhead(row) ? h('span', { class: 'person-due' }, withDay(t('due {day}'), row.check_in_due)) : null),
  h('td', { class: 'person-trend', 'data-label': t('Trend') }, trend(row)),
  h('td', { class: 'person-requests', 'data-label': t('Open requests') },
    row.open_requests.length
      ? h('ul', { class: 'person-request-list' }, row.open_requests.map((request) => h('li', {},
        h('span', { text: request.support }), ' ',
        h('span', { class: `state-badge state-${request.state}`, text: stateWord(request.state, request.state_label) }))))
      : h('span', { class: 'muted', text: t('None') })),
  h('td', { class: 'person-coach', 'data-label': t('Coach') }, coachPick(coaching, row, actions))))))));
}

/** The check-in date still to come: not passed in silence, nor answered by a check-in since. */
function dueAhead(row) {
  return Boolean(row.check_in_due) && !row.silent
    && (!row.latest_check_in_day || row.check_in_due > row.latest_check_in_day);
}

function coachPick(coaching, row, actions) {
  const coaches = coaching.coaches || [];
  const select = h('select', {
    class: 'coach-pick', 'aria-label': t('Coach of {name}', { name: row.name }),
    'data-testid': `coach-of-${row.person_id}`, disabled: !coaches.length && row.coach_id == null,
    onchange: (event) => {
      const value = event.currentTarget.value;
      actions.assign(row, value === '' ? null : Number(value), event.currentTarget);
    },
  },
  h('option', { value: '', text: t('No coach') }),
  coaches.map((coach) => h('option', { value: String(coach.id), text: coach.name })));
  select.value = row.coach_id == null ? '' : String(row.coach_id);
  return select;
}

/** The latest ratings as small columns, oldest first, and which way they go, said in words too. */
function trend(row) {
  const points = row.trend || [];
  if (!points.length) return h('span', { class: 'muted', text: t('No ratings yet') });
  const direction = row.trend_direction || 'single';
  return h('span', { class: `trend trend-${direction}` },
    h('span', { class: 'sparkline', 'aria-hidden': 'true' }, points.map((point) => {
      const bar = h('span', { class: 'spark' });
      bar.style.height = `${Math.max(0, Math.min(5, point)) / 5 * 100}%`; // CSSOM: allowed by the CSP
      return bar;
    })),
    h('span', { class: 'trend-word', text: TRENDS[direction] || direction }),
    h('span', {
      class: 'visually-hidden',
      text: t('Ratings, oldest first: {points} (of 5)', { points: points.map((point) => decimal.format(point)).join(', ') }),
    }));
}

/** The system goals (with how many hold a goal under each) and the coaches to pick from; what was picked stays. */
export function renderAssignForm(view) {
  const coaches = (view.coaching && view.coaching.coaches) || [];
  const goals = (view.system_goals || []).filter((goal) => goal.id != null);
  const goalPick = $('assign-goal');
  const coachPickAll = $('assign-coach');
  const [goalWanted, coachWanted] = [goalPick.value, coachPickAll.value];
  goalPick.replaceChildren(...goals.map((goal) => h('option', {
    value: String(goal.id), text: t('{title} ({n})', { title: goal.title, n: whole.format(goal.people) }),
  })));
  coachPickAll.replaceChildren(...coaches.map((coach) => h('option', { value: String(coach.id), text: coach.name })));
  if (goals.some((goal) => String(goal.id) === goalWanted)) goalPick.value = goalWanted;
  if (coaches.some((coach) => String(coach.id) === coachWanted)) coachPickAll.value = coachWanted;
  $('assign-no-coaches').hidden = coaches.length > 0;
  $('assign-fields').hidden = !coaches.length || !goals.length;
}
