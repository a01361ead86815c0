/** The coaching loop as leaders read it: coaches and their caseloads, support requests by state and by age with the
 * open ones to move forward, who went silent under each system goal, how many goals are agreed and how far their
 * measures have come. */

import { $, h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { ageLabel, count, dayName, whole, withDay, wordOr } from './format.js';

/** Where an open request may go next: forward only, a step may be skipped. */
const NEXT = {
  open: ['acknowledged', 'meeting_planned', 'closed'],
  acknowledged: ['meeting_planned', 'closed'],
  meeting_planned: ['closed'],
};
const MOVES = {
  acknowledged: { word: 'acknowledge', label: 'acknowledge_label', testid: 'acknowledge' },
  meeting_planned: { word: 'plan_meeting', label: 'plan_meeting_label', testid: 'plan-meeting' },
  closed: { word: 'close', label: 'close_label', testid: 'close' },
};

function empty(text) {
  return h('p', { class: 'empty', text });
}

export function stateWord(state, given) {
  return wordOr(`leaders.states.${state}`, given || state);
}

/** Each coach with how many people they follow up and how many of them are silent; then those without a coach. */
export function renderCoaches(coaching) {
  const coaches = coaching.coaches || [];
  const cards = coaches.map((coach) => h('li', {
    class: `coach${coach.silent ? ' coach-with-silent' : ''}`, 'data-testid': `coach-${coach.id}`,
  },
  h('h3', { class: 'coach-name', text: coach.name }),
  h('p', { class: 'coach-email', text: coach.email || t('leaders.coach_no_email') }),
  h('p', { class: 'coach-numbers' },
    h('span', { class: 'coach-caseload', 'data-testid': `coach-${coach.id}-caseload` },
      h('strong', { text: whole.format(coach.caseload) }), ' ',
      coach.caseload === 1 ? t('leaders.coach_caseload_one') : t('leaders.coach_caseload')),
    h('span', {
      class: 'coach-silent', 'data-testid': `coach-${coach.id}-silent`,
      text: coach.silent ? t('leaders.coach_silent', { n: whole.format(coach.silent) }) : t('leaders.coach_silent_none'),
    }))));
  const without = coaching.without_coach || 0;
  if (without || !coaches.length) {
    cards.push(h('li', { class: `coach coach-without${without ? ' coach-with-silent' : ''}`, 'data-testid': 'without-coach' },
      h('h3', { class: 'coach-name', text: t('leaders.without_coach_label') }),
      h('p', { class: 'coach-numbers' },
        h('span', { class: 'coach-caseload', 'data-testid': 'without-coach-count' },
          h('strong', { text: whole.format(without) }), ' ',
          without === 1 ? t('leaders.coach_caseload_one') : t('leaders.coach_caseload'))),
      without ? h('p', { class: 'coach-email', text: t('leaders.without_coach_hint') }) : null));
  }
  const list = h('ul', { class: 'coach-cards', 'aria-labelledby': 'coaches-heading' }, cards);
  $('coaches').replaceChildren(...(coaches.length ? [list] : [empty(t('leaders.coaches_none')), list]));
}

function chips(rows, testid) {
  return rows.map((row, index) => h('li', {
    class: `count-chip${row.count ? '' : ' count-none'}${row.state ? ` chip-${row.state}` : ''}`,
    'data-testid': `${testid}-${row.state || index + 1}`,
  },
  h('strong', { class: 'count-number', text: whole.format(row.count) }),
  h('span', { class: 'count-label', text: row.label })));
}

/** Requests by state and by age, and the open ones, oldest first, each with what can happen to it next.
 * ``actions.move(request, person, state, button, index)`` moves one forward. */
export function renderRequests(coaching, actions) {
  $('requests-by-state').replaceChildren(...chips((coaching.requests_by_state || []).map((row) => ({
    ...row, label: stateWord(row.state, row.label),
  })), 'requests-state'));
  $('requests-by-age').replaceChildren(...chips((coaching.open_requests_by_age || []).map((row, index) => ({
    count: row.count, label: wordOr(`leaders.age_bands.${index + 1}`, row.age),
  })), 'requests-age'));

  const whose = new Map();
  for (const person of coaching.people || []) {
    for (const request of person.open_requests || []) whose.set(request.id, person);
  }
  const open = (coaching.requests || []).filter((request) => request.state !== 'closed')
    .sort((a, b) => b.age_days - a.age_days || a.id - b.id);
  const heading = h('h3', {
    id: 'open-requests-heading', tabindex: '-1',
    text: open.length ? t('leaders.open_list_heading', { n: whole.format(open.length) }) : t('leaders.open_list_none'),
  });
  if (!open.length) return $('open-requests').replaceChildren(heading);
  const columns = ['open_who', 'open_owner', 'open_state', 'open_asked'];
  return $('open-requests').replaceChildren(heading, h('table', {
    class: 'requests open-requests-table', 'aria-labelledby': 'open-requests-heading', 'data-testid': 'open-requests-table',
  },
  h('thead', {}, h('tr', {},
    columns.map((key) => h('th', { scope: 'col', text: t(`leaders.${key}`) })),
    h('th', { scope: 'col' }, h('span', { class: 'visually-hidden', text: t('leaders.request_action') })))),
  h('tbody', {}, open.map((request, index) => {
    const person = whose.get(request.id) || { name: request.name || '', identifier: '' };
    return h('tr', { 'data-testid': `open-request-${request.id}` },
      h('td', { class: 'request-who', 'data-label': t('leaders.open_who') },
        h('strong', { class: 'request-name', text: person.name }),
        person.identifier ? h('span', { class: 'request-identifier', text: person.identifier }) : null,
        h('span', { class: 'open-support', text: request.support }),
        request.note ? h('span', { class: 'request-note', text: request.note }) : null),
      h('td', {
        class: `open-owner${request.owner ? '' : ' request-with-leaders'}`, 'data-label': t('leaders.open_owner'),
        'data-testid': `open-request-${request.id}-owner`, text: request.owner || t('leaders.open_owner_leaders'),
      }),
      h('td', { class: 'open-state', 'data-label': t('leaders.open_state') },
        h('span', {
          class: `state-badge state-${request.state}`, 'data-testid': `open-request-${request.id}-state`,
          text: stateWord(request.state, request.state_label),
        }),
        stateDetail(request)),
      h('td', { class: 'request-asked', 'data-label': t('leaders.open_asked') },
        request.asked_on ? h('time', { datetime: request.asked_on, text: dayName(request.asked_on) }) : null,
        h('span', { class: 'request-age', text: ageLabel(request.age_days) })),
      h('td', { class: 'request-moves' }, h('div', { class: 'move-buttons' }, (NEXT[request.state] || []).map((state) => {
        const move = MOVES[state];
        return h('button', {
          type: 'button', class: `button secondary small move-${move.testid}`,
          'data-testid': move.testid,
          'aria-label': t(`leaders.${move.label}`, { support: request.support, name: person.name }),
          onclick: (event) => actions.move(request, person, state, event.currentTarget, index),
        }, t(`leaders.${move.word}`));
      }))));
  }))));
}

function stateDetail(request) {
  if (request.state === 'meeting_planned' && request.meeting_day) {
    const day = dayName(request.meeting_day);
    const text = request.meeting_place
      ? t('leaders.state_meeting_at', { day, place: request.meeting_place }) : t('leaders.state_meeting', { day });
    return h('span', { class: 'state-detail', 'data-testid': `open-request-${request.id}-meeting`, text });
  }
  if (request.state === 'acknowledged' && request.acknowledged_on) {
    return h('span', { class: 'state-detail', text: t('leaders.state_acknowledged_on', { day: dayName(request.acknowledged_on) }) });
  }
  return null;
}

/** Per system goal, the people past their check-in date with no check-in: their coach and the date they passed. */
export function renderSilent(coaching) {
  const goals = (coaching.system_goals || []).map((goal, index) => ({ ...goal, n: index + 1 }))
    .filter((goal) => goal.silent && goal.silent.length);
  if (!goals.length) return $('silent').replaceChildren(empty(t('leaders.silent_none')));
  return $('silent').replaceChildren(...goals.map((goal) => h('div', {
    class: 'silent-goal', 'data-testid': `silent-goal-${goal.n}`,
  },
  h('h3', { id: `silent-goal-${goal.n}-heading` },
    h('span', { class: 'silent-goal-title', text: goal.title }),
    h('span', { class: 'silent-count', text: count(goal.silent.length, 'silent_count') })),
  h('ul', { class: 'silent-people', 'aria-labelledby': `silent-goal-${goal.n}-heading` },
    goal.silent.map((person) => h('li', { 'data-testid': `silent-person-${person.person_id}` },
      h('strong', { class: 'silent-name', text: person.name }),
      h('span', { class: `silent-coach${person.coach ? '' : ' silent-no-coach'}`, text: person.coach || t('leaders.no_coach') }),
      person.check_in_due ? h('span', { class: 'silent-due' }, withDay('leaders.silent_due', person.check_in_due)) : null))))));
}

/** Per system goal, how many goals are agreed with a coach and how many are not yet; then their measures. */
export function renderAgreement(coaching) {
  const numbered = (coaching.system_goals || []).map((goal, index) => ({ ...goal, n: index + 1 }));
  const goals = numbered.filter((goal) => goal.agreed + goal.not_agreed > 0);
  const measured = measures(numbered);
  if (!goals.length) return $('agreement').replaceChildren(empty(t('leaders.agreement_none')), ...measured);
  return $('agreement').replaceChildren(h('ul', { class: 'agreement-goals', 'aria-labelledby': 'agreement-heading' },
    goals.map((goal) => {
      const fill = h('span', { class: 'agreement-fill' });
      fill.style.width = `${goal.agreed / (goal.agreed + goal.not_agreed) * 100}%`; // CSSOM: allowed by the CSP
      return h('li', { class: 'agreement-goal', 'data-testid': `agreement-goal-${goal.n}` },
        h('span', { class: 'agreement-title', text: goal.title }),
        h('span', { class: 'agreement-track', 'aria-hidden': 'true' }, fill),
        h('span', {
          class: 'agreement-numbers', 'data-testid': `agreement-goal-${goal.n}-numbers`,
          text: t('leaders.agreement_row', { agreed: whole.format(goal.agreed), not_agreed: whole.format(goal.not_agreed) }),
        }));
    })), ...measured);
}

/** Colours of the measure bands, from not yet measured again (grey) and moved back (red) to reached (darkest). */
const BAND_COLOURS = {
  not_yet: '#c4ccd6', moved_back: '#b42318', '0_25': '#cfe8dd', '25_50': '#9fd1bb', '50_75': '#5fb08f',
  '75_100': '#2f8f6b', reached: '#0b6e4f',
};
const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attributes) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

/** Per system goal with goals under it: how many have a measure, how many moved toward their target, and how far
 * the measures have come, as one bar of bands and the same in words. Counts only: no person, no note. */
function measures(goals) {
  const held = goals.filter((goal) => goal.measures && goal.measures.goals > 0);
  if (!held.length) return [];
  const block = h('div', { class: 'measures', 'data-testid': 'measures' },
    h('h3', { id: 'measures-heading', class: 'measures-heading', text: t('leaders.measures.heading') }),
    h('ul', { class: 'agreement-goals', 'aria-labelledby': 'measures-heading' }, held.map((goal) => measureGoal(goal))));
  return [block];
}

function measureGoal(goal) {
  const { goals: total, with_measure: withMeasure, moved } = goal.measures;
  const bands = (goal.measures.distribution || []).filter((band) => band.count > 0);
  const key = total === 1 ? 'leaders.measures.row_one' : 'leaders.measures.row';
  const words = withMeasure
    ? t(key, { with: whole.format(withMeasure), goals: whole.format(total), moved: whole.format(moved) })
    : t(total === 1 ? 'leaders.measures.none_one' : 'leaders.measures.none', { goals: whole.format(total) });
  return h('li', { class: 'measure-goal', 'data-testid': `measures-goal-${goal.n}` },
    h('p', { class: 'agreement-title', text: goal.title }),
    h('p', { class: 'agreement-numbers measure-numbers', 'data-testid': `measures-goal-${goal.n}-numbers`, text: words }),
    withMeasure ? h('div', { class: 'agreement-track measure-track', 'aria-hidden': 'true' }, bandBar(bands, withMeasure)) : null,
    withMeasure ? h('ul', {
      class: 'count-chips measure-bands', 'aria-label': t('leaders.measures.distribution'),
      'data-testid': `measures-goal-${goal.n}-bands`,
    }, bands.map((band) => h('li', { class: 'count-chip', 'data-band': band.band },
      swatch(band.band),
      h('strong', { class: 'count-number', text: whole.format(band.count) }),
      h('span', { class: 'count-label', text: wordOr(`leaders.measures.bands.${band.band}`, band.label) })))) : null);
}

/** The bands side by side, each as wide as its share of the measures: drawn with attributes, not styles. */
function bandBar(bands, total) {
  const bar = svg('svg', { viewBox: '0 0 100 10', preserveAspectRatio: 'none', width: '100%', height: '100%', focusable: 'false' });
  let at = 0;
  for (const band of bands) {
    const width = (band.count / total) * 100;
    bar.append(svg('rect', { x: at.toFixed(2), y: 0, width: width.toFixed(2), height: 10, fill: BAND_COLOURS[band.band] || '#c4ccd6' }));
    at += width;
  }
  return bar;
}

function swatch(band) {
  const box = svg('svg', { viewBox: '0 0 10 10', width: 12, height: 12, 'aria-hidden': 'true', focusable: 'false' });
  box.append(svg('rect', { x: 0, y: 0, width: 10, height: 10, rx: 2, fill: BAND_COLOURS[band] || '#c4ccd6' }));
  return box;
}

/** Mail that could not go out yet: said plainly, with the last error (which holds no secret). */
export function renderMail(mail) {
  const box = $('mail-problems');
  const counts = mail ? [['retrying', 'mail_retrying'], ['failed', 'mail_failed'], ['unconfirmed', 'mail_unconfirmed']]
    .filter(([key]) => mail[key] > 0).map(([key, word]) => t(`leaders.${word}`, { n: whole.format(mail[key]) })) : [];
  const error = mail ? mail.latest_error || mail.last_error || '' : '';
  box.hidden = !counts.length && !error;
  box.replaceChildren(...[
    h('p', { class: 'mail-heading', text: t('leaders.mail_heading') }),
    counts.length ? h('p', { text: `${counts.join(' · ')}.` }) : null,
    error ? h('p', { class: 'mail-error', text: t('leaders.mail_last_error', { error }) }) : null,
    h('p', { class: 'hint', text: t('leaders.mail_hint') }),
  ].filter(Boolean));
}
