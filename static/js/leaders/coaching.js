/** The coaching loop as leaders read it: coaches and their caseloads, support requests by state and by age with the
 * open ones to move forward, who went silent under each system goal, how many goals are agreed and how far their
 * measures have come. */

import { $, h } from '../lib/dom.js';
import { number, percent, t, tn } from '../lib/i18n.js';
import { ageLabel, dayName, whole, withDay } from './format.js';

/** Where an open request may go next: forward only, a step may be skipped. */
const NEXT = {
  open: ['acknowledged', 'meeting_planned', 'closed'],
  acknowledged: ['meeting_planned', 'closed'],
  meeting_planned: ['closed'],
};
const MOVES = {
  acknowledged: {
    word: t('Acknowledge'), label: (vars) => t('Acknowledge {support} for {name}', vars), testid: 'acknowledge',
  },
  meeting_planned: {
    word: t('Plan meeting…'), label: (vars) => t('Plan meeting about {support} for {name}', vars),
    testid: 'plan-meeting',
  },
  closed: { word: t('Close'), label: (vars) => t('Close {support} for {name}', vars), testid: 'close' },
};
const STATES = {
  open: t('Open'), acknowledged: t('Acknowledged'), meeting_planned: t('Meeting planned'), closed: t('Closed'),
};
/** The server's age bands, youngest first. */
const AGE_BANDS = [t('Under a week'), t('1 to 2 weeks'), t('2 to 4 weeks'), t('Over 4 weeks')];
const band = (low, high) => t('{range} of the way', { range: `${number(low)}–${percent(high)}` });
const MEASURE_BANDS = {
  not_yet: t('not yet measured again'), moved_back: t('moved back'), '0_25': band(0, 0.25),
  '25_50': band(25, 0.5), '50_75': band(50, 0.75), '75_100': band(75, 1), reached: t('reached'),
};

function empty(text) {
  return h('p', { class: 'empty', text });
}

export function stateWord(state, given) {
  return STATES[state] || given || state;
}

/** Each coach with how many people they follow up and how many of them are silent; then those without a coach. */
export function renderCoaches(coaching) {
  const coaches = coaching.coaches || [];
  const cards = coaches.map((coach) => h('li', {
    class: `coach${coach.silent ? ' coach-with-silent' : ''}`, 'data-testid': `coach-${coach.id}`,
  },
  h('h3', { class: 'coach-name', text: coach.name }),
  h('p', { class: 'coach-email', text: coach.email || t('No e-mail: reminders show in their view') }),
  h('p', { class: 'coach-numbers' },
    h('span', { class: 'coach-caseload', 'data-testid': `coach-${coach.id}-caseload` },
      h('strong', { text: whole.format(coach.caseload) }), ' ',
      tn('person', 'people', coach.caseload)),
    h('span', {
      class: 'coach-silent', 'data-testid': `coach-${coach.id}-silent`,
      text: coach.silent ? tn('{n} silent', '{n} silent', coach.silent) : t('Nobody silent'),
    }))));
  const without = coaching.without_coach || 0;
  if (without || !coaches.length) {
    cards.push(h('li', { class: `coach coach-without${without ? ' coach-with-silent' : ''}`, 'data-testid': 'without-coach' },
      h('h3', { class: 'coach-name', text: t('Without a coach') }),
      h('p', { class: 'coach-numbers' },
        h('span', { class: 'coach-caseload', 'data-testid': 'without-coach-count' },
          h('strong', { text: whole.format(without) }), ' ',
          tn('person', 'people', without))),
      without ? h('p', { class: 'coach-email', text: t('Give them one under People below, or by system goal.') }) : null));
  }
  const list = h('ul', { class: 'coach-cards', 'aria-labelledby': 'coaches-heading' }, cards);
  $('coaches').replaceChildren(...(coaches.length ? [list] : [empty(t('No coaches yet. The admin adds them on the admin page, under the organisation; support requests rest with you until then.')), list]));
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
    count: row.count, label: AGE_BANDS[index] || row.age,
  })), 'requests-age'));

  const whose = new Map();
  for (const person of coaching.people || []) {
    for (const request of person.open_requests || []) whose.set(request.id, person);
  }
  const open = (coaching.requests || []).filter((request) => request.state !== 'closed')
    .sort((a, b) => b.age_days - a.age_days || a.id - b.id);
  const heading = h('h3', {
    id: 'open-requests-heading', tabindex: '-1',
    text: open.length ? t('Open requests ({n})', { n: whole.format(open.length) }) : t('No open support requests.'),
  });
  if (!open.length) return $('open-requests').replaceChildren(heading);
  const columns = [t('Who'), t('Owner'), t('State'), t('Asked')];
  return $('open-requests').replaceChildren(heading, h('table', {
    class: 'requests open-requests-table', 'aria-labelledby': 'open-requests-heading', 'data-testid': 'open-requests-table',
  },
  h('thead', {}, h('tr', {},
    columns.map((label) => h('th', { scope: 'col', text: label })),
    h('th', { scope: 'col' }, h('span', { class: 'visually-hidden', text: t('Action') })))),
  h('tbody', {}, open.map((request, index) => {
    const person = whose.get(request.id) || { name: request.name || '', identifier: '' };
    return h('tr', { 'data-testid': `open-request-${request.id}` },
      h('td', { class: 'request-who', 'data-label': t('Who') },
        h('strong', { class: 'request-name', text: person.name }),
        person.identifier ? h('span', { class: 'request-identifier', text: person.identifier }) : null,
        h('span', { class: 'open-support', text: request.support }),
        request.note ? h('span', { class: 'request-note', text: request.note }) : null),
      h('td', {
        class: `open-owner${request.owner ? '' : ' request-with-leaders'}`, 'data-label': t('Owner'),
        'data-testid': `open-request-${request.id}-owner`, text: request.owner || t('Leaders'),
      }),
      h('td', { class: 'open-state', 'data-label': t('State') },
        h('span', {
          class: `state-badge state-${request.state}`, 'data-testid': `open-request-${request.id}-state`,
          text: stateWord(request.state, request.state_label),
        }),
        stateDetail(request)),
      h('td', { class: 'request-asked', 'data-label': t('Asked') },
        request.asked_on ? h('time', { datetime: request.asked_on, text: dayName(request.asked_on) }) : null,
        h('span', { class: 'request-age', text: ageLabel(request.age_days) })),
      h('td', { class: 'request-moves' }, h('div', { class: 'move-buttons' }, (NEXT[request.state] || []).map((state) => {
        const move = MOVES[state];
        return h('button', {
          type: 'button', class: `button secondary small move-${move.testid}`,
          'data-testid': move.testid,
          'aria-label': move.label({ support: request.support, name: person.name }),
          onclick: (event) => actions.move(request, person, state, event.currentTarget, index),
        }, move.word);
      }))));
  }))));
}

function stateDetail(request) {
  if (request.state === 'meeting_planned' && request.meeting_day) {
    const day = dayName(request.meeting_day);
    const text = request.meeting_place
      ? t('{day}, {place}', { day, place: request.meeting_place }) : t('{day}', { day });
    return h('span', { class: 'state-detail', 'data-testid': `open-request-${request.id}-meeting`, text });
  }
  if (request.state === 'acknowledged' && request.acknowledged_on) {
    return h('span', { class: 'state-detail', text: t('since {day}', { day: dayName(request.acknowledged_on) }) });
  }
  return null;
}

/** Per system goal, the people past their check-in date with no check-in: their coach and the date they passed. */
export function renderSilent(coaching) {
  const goals = (coaching.system_goals || []).map((goal, index) => ({ ...goal, n: index + 1 }))
    .filter((goal) => goal.silent && goal.silent.length);
  if (!goals.length) return $('silent').replaceChildren(empty(t('Nobody has passed their check-in date in silence.')));
  return $('silent').replaceChildren(...goals.map((goal) => h('div', {
    class: 'silent-goal', 'data-testid': `silent-goal-${goal.n}`,
  },
  h('h3', { id: `silent-goal-${goal.n}-heading` },
    h('span', { class: 'silent-goal-title', text: goal.title }),
    h('span', { class: 'silent-count', text: tn('{n} silent', '{n} silent', goal.silent.length) })),
  h('ul', { class: 'silent-people', 'aria-labelledby': `silent-goal-${goal.n}-heading` },
    goal.silent.map((person) => h('li', { 'data-testid': `silent-person-${person.person_id}` },
      h('strong', { class: 'silent-name', text: person.name }),
      h('span', { class: `silent-coach${person.coach ? '' : ' silent-no-coach'}`, text: person.coach || t('No coach') }),
      person.check_in_due
        ? h('span', { class: 'silent-due' }, withDay(t('check-in due {day}'), person.check_in_due)) : null))))));
}

/** Per system goal, how many goals are agreed with a coach and how many are not yet; then their measures. */
export function renderAgreement(coaching) {
  const numbered = (coaching.system_goals || []).map((goal, index) => ({ ...goal, n: index + 1 }));
  const goals = numbered.filter((goal) => goal.agreed + goal.not_agreed > 0);
  const measured = measures(numbered);
  if (!goals.length) return $('agreement').replaceChildren(empty(t('Nobody has written a goal yet.')), ...measured);
  return $('agreement').replaceChildren(h('ul', { class: 'agreement-goals', 'aria-labelledby': 'agreement-heading' },
    goals.map((goal) => {
      const fill = h('span', { class: 'agreement-fill' });
      fill.style.width = `${goal.agreed / (goal.agreed + goal.not_agreed) * 100}%`; // CSSOM: allowed by the CSP
      return h('li', { class: 'agreement-goal', 'data-testid': `agreement-goal-${goal.n}` },
        h('span', { class: 'agreement-title', text: goal.title }),
        h('span', { class: 'agreement-track', 'aria-hidden': 'true' }, fill),
        h('span', {
          class: 'agreement-numbers', 'data-testid': `agreement-goal-${goal.n}-numbers`,
          text: t('{agreed} agreed, {not_agreed} not yet', { agreed: whole.format(goal.agreed), not_agreed: whole.format(goal.not_agreed) }),
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
    h('h3', { id: 'measures-heading', class: 'measures-heading', text: t("Measures of students' learning") }),
    h('ul', { class: 'agreement-goals', 'aria-labelledby': 'measures-heading' }, held.map((goal) => measureGoal(goal))));
  return [block];
}

function measureGoal(goal) {
  const { goals: total, with_measure: withMeasure, moved } = goal.measures;
  const bands = (goal.measures.distribution || []).filter((band) => band.count > 0);
  const words = withMeasure
    ? tn('{with} of {n} goal has a measure · {moved} moved toward its target',
      '{with} of {n} goals have a measure · {moved} moved toward their target', total,
      { with: whole.format(withMeasure), moved: whole.format(moved) })
    : tn('The {n} goal has no measure yet.', 'None of the {n} goals has a measure yet.', total);
  return h('li', { class: 'measure-goal', 'data-testid': `measures-goal-${goal.n}` },
    h('p', { class: 'agreement-title', text: goal.title }),
    h('p', { class: 'agreement-numbers measure-numbers', 'data-testid': `measures-goal-${goal.n}-numbers`, text: words }),
    withMeasure ? h('div', { class: 'agreement-track measure-track', 'aria-hidden': 'true' }, bandBar(bands, withMeasure)) : null,
    withMeasure ? h('ul', {
      class: 'count-chips measure-bands', 'aria-label': t('How far the measures have come'),
      'data-testid': `measures-goal-${goal.n}-bands`,
    }, bands.map((band) => h('li', { class: 'count-chip', 'data-band': band.band },
      swatch(band.band),
      h('strong', { class: 'count-number', text: whole.format(band.count) }),
      h('span', { class: 'count-label', text: MEASURE_BANDS[band.band] || band.label })))) : null);
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

const MAIL_COUNTS = {
  retrying: (n) => tn('{n} waiting to be sent again', '{n} waiting to be sent again', n),
  failed: (n) => tn('{n} could not be sent', '{n} could not be sent', n),
  unconfirmed: (n) => tn('{n} not confirmed by the mail server', '{n} not confirmed by the mail server', n),
};

/** Mail that could not go out yet: said plainly, with the last error (which holds no secret). */
export function renderMail(mail) {
  const box = $('mail-problems');
  const counts = mail ? Object.entries(MAIL_COUNTS).filter(([key]) => mail[key] > 0)
    .map(([key, words]) => words(mail[key])) : [];
  const error = mail ? mail.latest_error || mail.last_error || '' : '';
  box.hidden = !counts.length && !error;
  box.replaceChildren(...[
    h('p', { class: 'mail-heading', text: t('Reminders by e-mail are not all getting through.') }),
    counts.length ? h('p', { text: `${counts.join(' · ')}.` }) : null,
    error ? h('p', { class: 'mail-error', text: t('Last error: {error}', { error }) }) : null,
    h('p', { class: 'hint', text: t("The reminders still show in each coach's view and on each person's plan page. The server's operator can check the mail settings (PATHWAYS_SMTP_URL).") }),
  ].filter(Boolean));
}
