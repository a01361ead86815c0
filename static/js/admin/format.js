/** The admin page's words for time, days and a session's state. */

import { h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';

export function duration(minutes) {
  const total = Math.round(minutes);
  if (Math.abs(total) < 60) return t('{n} min', { n: total });
  return t('{h} h {m} min', { h: Math.floor(total / 60), m: String(total % 60).padStart(2, '0') });
}

/** A day as YYYY-MM-DD in this computer's own time zone (toISOString would give the day in UTC). */
export function isoDay(date) {
  return [date.getFullYear(), date.getMonth() + 1, date.getDate()].map((part) => String(part).padStart(2, '0')).join('-');
}

const STATES = { draft: t('Draft'), live: t('Live'), ended: t('Ended') };

export function stateBadge(state, props) {
  return h('span', { class: `state-badge state-${state}`, text: STATES[state] || state, ...props });
}
