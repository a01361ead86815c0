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

function empty(text) {
  return h('p', { class: 'empty', text });
}

/** The filter's choices with how many each keeps; the one picked stays picked. */
function renderFilter(rows) {
  const pick = $('people-filter');
  const wanted = pick.value || 'all';
  pick.replaceChildren(...Object.entries(FILTERS).map(([key, keep]) => h('option', {
    value: key, text: t(`leaders.people_filter.${key}`, { n: whole.format(rows.filter(keep).length) }),
  })));
  pick.value = wanted in FILTERS ? wanted : 'all';
  return FILTERS[pick.value];
}

/** ``actions.assign(row, coachId, select)`` gives a person a coach (null: none). */
export function renderPeople(coaching, actions) {
  const rows = coaching.people || [];
  const keep = renderFilter(rows);
  if (!rows.length) return $('people').replaceChildren(empty(t('leaders.people_none')));
  const shown = rows.filter(keep);
  if (!shown.length) return $('people').replaceChildren(empty(t('leaders.people_none_shown')));
  const columns = ['person', 'person_goal', 'person_agreed', 'person_check_in', 'person_trend', 'person_requests',
    'person_coach'];
  return $('people').replaceChildren(h('div', { class: 'table-scroll' }, h('table', {
    class: 'requests people-table', 'aria-labelledby': 'people-heading', 'data-testid': 'people-table',
  },
  h('thead', {}, h('tr', {}, columns.map((key) => h('th', { scope: 'col', text: t(`leaders.${key}`) })))),
  h('tbody', {}, shown.map((row) => h('tr', {
    class: row.silent ? 'person-silent' : null, 'data-testid': `person-${row.person_id}`,
  },
  h('td', { class: 'person-who', 'data-label': t('leaders.person') },
    h('strong', { class: 'request-name', text: row.name }),
    row.identifier ? h('span', { class: 'request-identifier', text: row.identifier }) : null,
    row.silent ? h('span', { class: 'silent-badge', 'data-testid': 'silent-badge' },
      withDay('leaders.silent_badge', row.check_in_due)) : null),
  h('td', { class: 'person-goal', 'data-label': t('leaders.person_goal') },
    row.system_goal ? h('span', { class: 'person-system-goal', text: row.system_goal }) : null,
    h('span', { class: row.goal ? 'person-goal-text' : 'empty', text: row.goal || t('leaders.no_goal_yet') })),
  h('td', { class: 'person-agreed', 'data-label': t('leaders.person_agreed') },
    row.goal ? h('span', {
      class: `agreed-badge ${row.agreed ? 'agreed-yes' : 'agreed-no'}`, 'data-testid': 'agreed',
      text: row.agreed ? t('leaders.agreed_yes') : t('leaders.agreed_no'),
    }) : h('span', { class: 'muted', text: '—' })),
  h('td', { class: 'person-check-in', 'data-label': t('leaders.person_check_in') },
    row.latest_check_in_day
      ? h('time', { datetime: row.latest_check_in_day, text: dayName(row.latest_check_in_day) })
      : h('span', { class: 'muted', text: t('leaders.no_check_in') }),
    dueAhead(row) ? h('span', { class: 'person-due' }, withDay('leaders.check_in_due', row.check_in_due)) : null),
  h('td', { class: 'person-trend', 'data-label': t('leaders.person_trend') }, trend(row)),
  h('td', { class: 'person-requests', 'data-label': t('leaders.person_requests') },
    row.open_requests.length
      ? h('ul', { class: 'person-request-list' }, row.open_requests.map((request) => h('li', {},
        h('span', { text: request.support }), ' ',
        h('span', { class: `state-badge state-${request.state}`, text: stateWord(request.state, request.state_label) }))))
      : h('span', { class: 'muted', text: t('leaders.requests_none_short') })),
  h('td', { class: 'person-coach', 'data-label': t('leaders.person_coach') }, coachPick(coaching, row, actions))))))));
}

/** The check-in date still to come: not passed in silence, nor answered by a check-in since. */
function dueAhead(row) {
  return Boolean(row.check_in_due) && !row.silent
    && (!row.latest_check_in_day || row.check_in_due > row.latest_check_in_day);
}

function coachPick(coaching, row, actions) {
  const coaches = coaching.coaches || [];
  const select = h('select', {
    class: 'coach-pick', 'aria-label': t('leaders.coach_of_label', { name: row.name }),
    'data-testid': `coach-of-${row.person_id}`, disabled: !coaches.length && row.coach_id == null,
    onchange: (event) => {
      const value = event.currentTarget.value;
      actions.assign(row, value === '' ? null : Number(value), event.currentTarget);
    },
  },
  h('option', { value: '', text: t('leaders.no_coach') }),
  coaches.map((coach) => h('option', { value: String(coach.id), text: coach.name })));
  select.value = row.coach_id == null ? '' : String(row.coach_id);
  return select;
}

/** The latest ratings as small columns, oldest first, and which way they go, said in words too. */
function trend(row) {
  const points = row.trend || [];
  if (!points.length) return h('span', { class: 'muted', text: t('leaders.trend_none') });
  const direction = row.trend_direction || 'single';
  return h('span', { class: `trend trend-${direction}` },
    h('span', { class: 'sparkline', 'aria-hidden': 'true' }, points.map((point) => {
      const bar = h('span', { class: 'spark' });
      bar.style.height = `${Math.max(0, Math.min(5, point)) / 5 * 100}%`; // CSSOM: allowed by the CSP
      return bar;
    })),
    h('span', { class: 'trend-word', text: t(`leaders.trend.${direction}`) }),
    h('span', {
      class: 'visually-hidden',
      text: t('leaders.trend_label', { points: points.map((point) => decimal.format(point)).join(', ') }),
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
    value: String(goal.id), text: t('leaders.assign_goal_option', { title: goal.title, n: whole.format(goal.people) }),
  })));
  coachPickAll.replaceChildren(...coaches.map((coach) => h('option', { value: String(coach.id), text: coach.name })));
  if (goals.some((goal) => String(goal.id) === goalWanted)) goalPick.value = goalWanted;
  if (coaches.some((coach) => String(coach.id) === coachWanted)) coachPickAll.value = coachWanted;
  $('assign-no-coaches').hidden = coaches.length > 0;
  $('assign-fields').hidden = !coaches.length || !goals.length;
}
