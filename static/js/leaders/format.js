/** Numbers, months and days in the page's language, and the leaders' words for ages and levels. */

import { h } from '../lib/dom.js';
import { language, t, tn } from '../lib/i18n.js';

export const whole = new Intl.NumberFormat(language);
export const decimal = new Intl.NumberFormat(language, { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** "2026-10" as the month's name; ``style`` is an Intl month style. */
export function monthName(month, options) {
  const [year, number] = month.split('-').map(Number);
  return new Intl.DateTimeFormat(language, { timeZone: 'UTC', ...options }).format(new Date(Date.UTC(year, number - 1, 1)));
}

export function dayName(iso) {
  const [year, month, day] = iso.split('-').map(Number);
  return new Intl.DateTimeFormat(language, { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' })
    .format(new Date(Date.UTC(year, month - 1, day)));
}

const LEVELS = { 1: t('Not started'), 2: t('Started'), 3: t('Halfway'), 4: t('Nearly there'), 5: t('Done') };

export function levelLabel(level, given) {
  return given || LEVELS[level] || String(level);
}

/** How long ago a request was asked, from its age in whole days. */
export function ageLabel(days) {
  if (days <= 0) return t('today');
  if (days === 1) return t('yesterday');
  return tn('{n} day ago', '{n} days ago', days);
}

/** ``text`` (a sentence already in the page's language) with its {day} as a <time> of ``iso``, in the order the
 * language puts them. */
export function withDay(text, iso) {
  const [before, after] = text.split('{day}');
  return [before, h('time', { datetime: iso, text: dayName(iso) }), after ?? ''].filter((part) => part !== '');
}
