/** The coach's people as a table, in the order the server sends them (the silent first), with totals and the
 * reminders Pathways gave the coach. */

import { $, h } from '../lib/dom.js';
import { language, t } from '../lib/i18n.js';
import { level, longDay, sparkline } from './format.js';

const whole = new Intl.NumberFormat(language);

export function day(iso) {
  return longDay(iso, t('{day} {month} {year}'));
}

/** Whether a check-in date is still to come (today included): a date passed is either silence or checked. */
export function coming(iso) {
  const now = new Date();
  const today = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
  return Boolean(iso) && iso >= today;
}

/** The list; ``linkTo(row)`` is the address that opens a person. */
export function renderPeople(view, linkTo) {
  const people = Array.isArray(view.people) ? view.people : [];
  const sum = (count) => people.reduce((total, row) => total + count(row), 0);
  $('total-people').textContent = whole.format(people.length);
  $('total-silent').textContent = whole.format(sum((row) => (row.silent ? 1 : 0)));
  $('total-requests').textContent = whole.format(sum((row) => (row.open_requests || []).length));
  $('total-unanswered').textContent = whole.format(sum((row) => row.unanswered || 0));
  $('total-silent').closest('.total').classList.toggle('total-none', !people.some((row) => row.silent));
  $('people').replaceChildren(people.length ? table(people, linkTo) : h('p', { class: 'empty card', text: t('Nobody is assigned to you yet. Leaders give you people from their view, and someone who asks for support is given a coach of their system goal.') }));
  renderReminders(view.reminders);
}

function table(people, linkTo) {
  const columns = [
    ['person', t('Person')], ['goal', t('Goal')], ['check_in', t('Latest check-in')], ['requests', t('Open requests')],
    ['unanswered', t('Unanswered')], ['meeting', t('Next meeting')],
  ];
  return h('table', { class: 'people', 'data-testid': 'people-table' },
    h('caption', { class: 'visually-hidden', text: t('Your people, those who went silent first') }),
    h('thead', {}, h('tr', {},
      columns.map(([key, label]) => h('th', { scope: 'col', class: `col-${key}`, text: label })))),
    h('tbody', {}, people.map((row) => personRow(row, linkTo(row)))));
}

function personRow(row, href) {
  const none = () => h('span', { class: 'none', text: t('—') });
  const requests = (row.open_requests || []).length;
  return h('tr', { class: row.silent ? 'is-silent' : null, 'data-testid': 'person-row', 'data-person': String(row.person_id) },
    h('th', { scope: 'row', class: 'col-person', 'data-label': t('Person') },
      h('a', { class: 'person-link', href, 'data-testid': 'person-link',
        'aria-label': t('Open {name}', { name: row.name }) }, row.name),
      row.silent ? [silentBadge(row), silentNote(row)] : null,
      !row.silent && coming(row.check_in_due)
        ? h('span', { class: 'due', text: t('Check-in due {day}', { day: day(row.check_in_due) }) }) : null),
    h('td', { class: 'col-goal', 'data-label': t('Goal') },
      row.system_goal ? h('span', { class: 'system-goal-name', text: row.system_goal }) : null,
      row.goal ? h('span', { class: 'goal-text', text: row.goal }) : h('span', { class: 'none', text: t('No goal written yet') }),
      row.goal ? agreedBadge(row.agreed) : null,
      measureLine(row.measure)),
    h('td', { class: 'col-check_in', 'data-label': t('Latest check-in') },
      row.latest_check_in ? h('time', { datetime: row.latest_check_in_day || null, text: row.latest_check_in })
        : h('span', { class: 'none', text: t('No check-in yet') }),
      trend(row.trend || [], row.trend_direction || '')),
    h('td', { class: 'col-requests', 'data-label': t('Open requests') },
      requests ? h('span', { class: 'count count-requests', 'aria-label': t('{n} open support requests', { n: requests }),
        text: t('{n} open', { n: whole.format(requests) }) }) : none()),
    h('td', { class: 'col-unanswered', 'data-label': t('Unanswered') },
      row.unanswered ? h('span', { class: 'count count-unanswered',
        'aria-label': t('{n} messages from {name} since you last wrote', { n: row.unanswered, name: row.name }),
        text: t('{n} new', { n: whole.format(row.unanswered) }) }) : none()),
    h('td', { class: 'col-meeting', 'data-label': t('Next meeting') },
      row.next_meeting ? meeting(row.next_meeting) : none()));
}

export function silentBadge() {
  return h('span', { class: 'badge silent-badge', 'data-testid': 'silent-badge', text: t('Silent') });
}

/** When the check-in was due, for someone silent since. */
export function silentNote(row) {
  const text = t('Check-in was due {day}; none since', { day: day(row.check_in_due) });
  return h('span', { class: 'silent-note', 'data-testid': 'silent-note', text });
}

export function agreedBadge(agreed) {
  return h('span', { class: `badge ${agreed ? 'agreed-badge' : 'pending-badge'}`, 'data-testid': 'agreed-badge',
    text: agreed ? t('Agreed') : t('Not agreed yet') });
}

function meeting(next) {
  const when = next.on || day(next.day);
  return h('span', { class: 'meeting', text: next.place ? t('{day}, {place}', { day: when, place: next.place }) : when });
}

function trendWords(direction, vars) {
  if (direction === 'up') return t('Going up: from {first} to {last} of 5 over the last {n} ratings', vars);
  if (direction === 'down') return t('Going down: from {first} to {last} of 5 over the last {n} ratings', vars);
  return t('Steady: from {first} to {last} of 5 over the last {n} ratings', vars);
}

/** The latest ratings as a line, an arrow for their direction, and the same in words for a screen reader. */
export function trend(points, direction) {
  if (!points.length) return null;
  const arrows = { up: '▲', down: '▼', steady: '▶' };
  const words = points.length < 2
    ? t('One rating so far: {last} of 5', { last: level(points[0]) })
    : trendWords(direction, { first: level(points[0]), last: level(points[points.length - 1]), n: points.length });
  return h('span', { class: `trend trend-${direction || 'none'}`, 'data-testid': 'trend', title: words },
    sparkline(points),
    direction ? h('span', { class: 'trend-arrow', 'aria-hidden': 'true', text: arrows[direction] }) : null,
    h('span', { class: 'visually-hidden', text: words }));
}

/** The person's measure in a line: what, baseline → latest result, target, and its results as a tiny line (the
 * baseline first, the target dashed); said in words for a screen reader. */
export function measureLine(measure) {
  if (!measure) return null;
  const latest = measure.latest;
  const line = latest
    ? t('{what}: {baseline} → {latest}, target {target}', { what: measure.what, baseline: measure.baseline.label, latest: latest.label, target: measure.target.label })
    : t('{what}: {baseline}, target {target}; no result yet', { what: measure.what, baseline: measure.baseline.label, target: measure.target.label });
  const words = t('Results from {baseline} at the baseline: {results}; target {target}', {
    baseline: measure.baseline.label, target: measure.target.label,
    results: (measure.results || []).map((point) => point.label).join(', ') || t('—'),
  });
  return h('span', { class: 'measure-line', 'data-testid': 'measure-line' },
    h('span', { class: 'measure-text', text: line }),
    latest ? h('span', { class: `trend trend-${measure.moved ? 'up' : 'steady'}`, 'data-testid': 'measure-trend', title: words },
      measureSparkline(measure),
      h('span', {
        class: 'measure-moved', text: measure.moved ? t('moved toward the target') : t('not moved toward the target yet'),
      }),
      h('span', { class: 'visually-hidden', text: words })) : null);
}

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attributes) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

/** Baseline and results as a line, scaled between the lowest and highest of them and the target. */
function measureSparkline(measure) {
  const width = 72;
  const height = 22;
  const pad = 3;
  const values = [measure.baseline.value, ...measure.results.map((point) => point.value)];
  const low = Math.min(...values, measure.target.value);
  const high = Math.max(...values, measure.target.value);
  const x = (n) => pad + (n * (width - 2 * pad)) / Math.max(1, values.length - 1);
  const y = (value) => height - pad - ((value - low) * (height - 2 * pad)) / (high - low || 1);
  const drawn = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'sparkline', 'aria-hidden': 'true', focusable: 'false' });
  drawn.append(svg('line', { x1: 0, x2: width, y1: y(measure.target.value).toFixed(1), y2: y(measure.target.value).toFixed(1),
    stroke: '#8a4b00', 'stroke-width': 1, 'stroke-dasharray': '3 2', class: 'measure-target' }));
  drawn.append(svg('polyline', { class: 'sparkline-line',
    points: values.map((value, n) => `${x(n).toFixed(1)},${y(value).toFixed(1)}`).join(' ') }));
  drawn.append(svg('circle', { class: 'sparkline-dot', r: 2.6,
    cx: x(values.length - 1).toFixed(1), cy: y(values[values.length - 1]).toFixed(1) }));
  return drawn;
}

function renderReminders(reminders) {
  const list = Array.isArray(reminders) ? reminders : [];
  $('reminders').hidden = !list.length;
  $('reminder-list').replaceChildren(...list.map((reminder) => h('li', { class: 'reminder', 'data-testid': 'reminder' },
    h('span', { class: 'reminder-subject', text: reminder.subject || '' }),
    h('span', { class: 'reminder-meta', text: [reminder.on, reminder.mailed ? t('E-mailed') : t('Shown here only')]
      .filter(Boolean).join(' · ') }))));
}
