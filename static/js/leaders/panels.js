/** A system goal's follow-up as panels: progress by month, where people stand, obstacles, and support requests. */

import { h } from '../lib/dom.js';
import { t, tn } from '../lib/i18n.js';
import { dayName, decimal, levelLabel, monthName, whole } from './format.js';

const LEVELS = [1, 2, 3, 4, 5];
const MAX_MONTHS = 12; // the chart shows the last year; older months stay in the data, not on screen

/** One system goal's section; ``followUp(request, n, row, button)`` closes a support request. */
export function goalSection(goal, index, followUp) {
  const n = index + 1;
  const counts = [goal.people
    ? tn('{n} person holds a goal under it', '{n} people hold a goal under it', goal.people)
    : t('Nobody holds a goal under it yet')];
  if (goal.people) counts.push(t('{n} of them checked in', { n: whole.format(goal.checked_in) }));
  const held = goal.people > 0 || goal.requests.length > 0; // a goal nobody holds yet is one line, not four empty panels
  return h('section', {
    class: `goal card${held ? '' : ' goal-unheld'}`, 'aria-labelledby': `goal-${n}-title`, 'data-testid': `goal-${n}`,
  },
  h('header', { class: 'goal-head' },
    h('h2', { id: `goal-${n}-title`, text: goal.title }),
    goal.description ? h('p', { class: 'goal-description', text: goal.description }) : null,
    h('p', { class: 'goal-counts', 'data-testid': `goal-${n}-counts` },
      h('strong', { text: counts[0] }), counts[1] ? ` · ${counts[1]}` : null)),
  held ? h('div', { class: 'goal-body' }, progressPanel(goal, n), levelsPanel(goal, n), obstaclesPanel(goal, n)) : null,
  held ? requestsPanel(goal, n, followUp) : null);
}

function panel(n, part, heading, hint, body) {
  const id = `goal-${n}-${part}-heading`;
  return h('div', { class: `panel panel-${part}` },
    h('h3', { id, text: heading }),
    hint ? h('p', { class: 'hint', text: hint }) : null,
    body(id));
}

function empty(text) {
  return h('p', { class: 'empty', text });
}

/** Mean level per month as columns on the 1 to 5 scale; each column says in words what it shows. */
function progressPanel(goal, n) {
  const months = goal.progress.slice(-MAX_MONTHS);
  return panel(n, 'progress', t('Progress by month'), t('Mean level of the action steps rated each month, from 1 (not started) to 5 (done); under each month, how many people rated them.'), (headingId) => {
    if (!months.length) return empty(t('No progress rated yet: it appears after check-ins or a Revisit goals step.'));
    return h('div', { class: 'chart' },
      h('div', { class: 'chart-axis', 'aria-hidden': 'true' }, LEVELS.slice().reverse().map((level) => h('span', { text: String(level) }))),
      h('ol', { class: 'columns', 'aria-labelledby': headingId, 'data-testid': `goal-${n}-progress` },
        months.map((month) => {
          const bar = h('span', { class: 'column-bar' });
          bar.style.height = `${Math.max(0, Math.min(5, month.mean_level)) / 5 * 100}%`; // CSSOM: allowed by the CSP
          return h('li', { class: 'column' },
            h('span', { class: 'visually-hidden', text: `${t('{month}: {mean} of 5', {
              month: monthName(month.month, { month: 'long', year: 'numeric' }), mean: decimal.format(month.mean_level),
            })}, ${tn('{n} person', '{n} people', month.people)}` }),
            h('span', { class: 'column-value', 'aria-hidden': 'true', text: decimal.format(month.mean_level) }),
            h('span', { class: 'column-track', 'aria-hidden': 'true' }, bar),
            h('span', { class: 'column-month', 'aria-hidden': 'true' },
              h('span', { text: monthName(month.month, { month: 'short' }) }),
              h('span', { class: 'column-year', text: month.month.slice(0, 4) })),
            h('span', { class: 'column-people', 'aria-hidden': 'true', text: whole.format(month.people) }));
        })));
  });
}

/** How many people stand at each level by their latest rating. */
function levelsPanel(goal, n) {
  const given = new Map(goal.latest_levels.map((row) => [row.level, row]));
  const total = goal.latest_levels.reduce((sum, row) => sum + row.people, 0);
  return panel(n, 'levels', t('Where people are now'), t("Each person's latest rating."), (headingId) => {
    if (!total) return empty(t('No ratings yet.'));
    return h('ul', { class: 'standings', 'aria-labelledby': headingId, 'data-testid': `goal-${n}-levels` },
      LEVELS.map((level) => {
        const row = given.get(level);
        const people = row ? row.people : 0;
        const label = levelLabel(level, row && row.label);
        const fill = h('span', { class: 'standing-fill' });
        fill.style.width = `${people / total * 100}%`;
        return h('li', { class: `standing standing-${level}${people ? '' : ' standing-none'}` },
          h('span', { class: 'visually-hidden', text: t('{label}: {n} of {total}', { label, n: whole.format(people), total: whole.format(total) }) }),
          h('span', { class: 'standing-label', 'aria-hidden': 'true' },
            h('span', { class: 'standing-number', text: String(level) }), label),
          h('span', { class: 'standing-track', 'aria-hidden': 'true' }, fill),
          h('span', { class: 'standing-people', 'aria-hidden': 'true', text: whole.format(people) }));
      }));
  });
}

function obstaclesPanel(goal, n) {
  return panel(n, 'obstacles', t('Common obstacles'), '', (headingId) => {
    if (!goal.obstacles.length) return empty(t('No obstacles named yet.'));
    return h('ol', { class: 'phrases', 'aria-labelledby': headingId, 'data-testid': `goal-${n}-obstacles` },
      goal.obstacles.map((phrase) => h('li', { class: 'phrase' },
        h('span', { class: 'phrase-text', text: phrase.text }),
        h('span', { class: 'phrase-people', text: tn('{n} person', '{n} people', phrase.people) }))));
  });
}

function requestsPanel(goal, n, followUp) {
  const headingId = `goal-${n}-requests-heading`;
  const heading = h('h3', { id: headingId, tabindex: '-1',
    text: goal.requests.length ? t('Open support requests ({n})', { n: whole.format(goal.requests.length) }) : t('Open support requests') });
  if (!goal.requests.length) {
    return h('div', { class: 'panel panel-requests' }, heading, empty(t('No open support requests.')));
  }
  const columns = [t('Who'), t('Support'), t('Note'), t('Asked'), t('Where')];
  return h('div', { class: 'panel panel-requests' }, heading,
    h('table', { class: 'requests', 'aria-labelledby': headingId, 'data-testid': `goal-${n}-requests` },
      h('thead', {}, h('tr', {},
        columns.map((label) => h('th', { scope: 'col', text: label })),
        h('th', { scope: 'col' }, h('span', { class: 'visually-hidden', text: t('Action') })))),
      h('tbody', {}, goal.requests.map((request, row) => h('tr', { 'data-testid': `request-${request.key}` },
        h('td', { class: 'request-who', 'data-label': t('Who') },
          h('strong', { class: 'request-name', text: request.name }),
          request.identifier ? h('span', { class: 'request-identifier', text: request.identifier }) : null,
          request.goal ? h('span', { class: 'request-goal', text: t('Goal: {goal}', { goal: request.goal }) }) : null),
        h('td', { class: 'request-support', 'data-label': t('Support'), text: request.support }),
        h('td', { class: 'request-note', 'data-label': t('Note'), text: request.note || '—' }),
        h('td', { class: 'request-asked', 'data-label': t('Asked') },
          h('time', { datetime: request.asked_on, text: dayName(request.asked_on) })),
        h('td', { class: 'request-where', 'data-label': t('Where'), text: request.where }),
        h('td', { class: 'request-action' },
          h('button', {
            type: 'button', class: 'button secondary small request-close', 'data-testid': 'followed-up',
            'aria-label': t('Mark {support} for {name} as followed up', { support: request.support, name: request.name }),
            onclick: (event) => followUp(request, n, row, event.currentTarget),
          }, t('Followed up'))))))));
}
