/** Numbers, months and days in the page's language, and the leaders' words for counts and levels. */

import { h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';

export const language = document.documentElement.lang || undefined;

export const whole = new Intl.NumberFormat(language);
export const decimal = new Intl.NumberFormat(language, { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export function count(n, key) {
  return n === 1 ? t(`leaders.${key}_one`) : t(`leaders.${key}`, { n: whole.format(n) });
}

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

export function levelLabel(level, given) {
  return given || t(`leaders.levels.${level}`);
}

/** How long ago a request was asked, from its age in whole days. */
export function ageLabel(days) {
  if (days <= 0) return t('leaders.age_today');
  return count(days, 'age_days');
}

/** The page's word at ``path``, or ``fallback`` (the server's own words) when this language has none. */
export function wordOr(path, fallback) {
  const word = t(path);
  return word === path ? fallback : word;
}

/** The word at ``path`` with its {day} as a <time> of ``iso``, in the order the language puts them. */
export function withDay(path, iso) {
  const [before, after] = t(path).split('{day}');
  return [before, h('time', { datetime: iso, text: dayName(iso) }), after ?? ''].filter((part) => part !== '');
}
