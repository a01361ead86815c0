/** The admin page's words for time, days, counts and a session's state. */

import { h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';

export function duration(minutes) {
  const total = Math.round(minutes);
  if (Math.abs(total) < 60) return t('admin.minutes', { n: total });
  return t('admin.hours_minutes', { h: Math.floor(total / 60), m: String(total % 60).padStart(2, '0') });
}

/** A day as YYYY-MM-DD in this computer's own time zone (toISOString would give the day in UTC). */
export function isoDay(date) {
  return [date.getFullYear(), date.getMonth() + 1, date.getDate()].map((part) => String(part).padStart(2, '0')).join('-');
}

export function count(n, key) {
  return n === 1 ? t(`admin.${key}_one`) : t(`admin.${key}`, { n });
}

export function stateBadge(state, props) {
  return h('span', { class: `state-badge state-${state}`, text: t(`admin.state.${state}`), ...props });
}
