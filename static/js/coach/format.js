/** Days as the coaching loop writes them ("12 January 2027", as the server does), and a progress trend drawn as a
 * tiny line. Shared by the coach's view and the person's plan page. */

import { language } from '../lib/i18n.js';

const months = new Intl.DateTimeFormat(language, { month: 'long', timeZone: 'UTC' });
const levels = new Intl.NumberFormat(language, { maximumFractionDigits: 1 });
const SVG = 'http://www.w3.org/2000/svg';

/** "2027-01-12" written by ``pattern`` ("{day} {month} {year}"); anything that is not a day comes back as it was. */
export function longDay(iso, pattern) {
  const found = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(iso || ''));
  if (!found) return String(iso || '');
  const [year, month, day] = found.slice(1).map(Number);
  const name = months.format(new Date(Date.UTC(year, month - 1, day)));
  return pattern.replace('{day}', String(day)).replace('{month}', name).replace('{year}', String(year));
}

/** Where a version of a goal came from and when: "Autumn PD day · 1 October 2026", the day said once. */
export function versionMeta(version) {
  const { source, on } = version;
  return source && on && source.endsWith(on) ? source : [source, on].filter(Boolean).join(' · ');
}

export function level(value) {
  return levels.format(value);
}

/** Ratings from 1 to 5, oldest first, as a polyline 4.5em wide; the words for it are the caller's. */
export function sparkline(points) {
  const width = 72;
  const height = 22;
  const pad = 3;
  const x = (n) => (points.length < 2 ? width / 2 : pad + (n * (width - 2 * pad)) / (points.length - 1));
  const y = (value) => pad + ((5 - Math.max(1, Math.min(5, value))) * (height - 2 * pad)) / 4;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('class', 'sparkline');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const base = document.createElementNS(SVG, 'line');
  for (const [name, value] of [['x1', 0], ['x2', width], ['y1', height - 1], ['y2', height - 1]]) base.setAttribute(name, value);
  base.setAttribute('class', 'sparkline-base');
  svg.append(base);
  if (points.length > 1) {
    const line = document.createElementNS(SVG, 'polyline');
    line.setAttribute('points', points.map((value, n) => `${x(n).toFixed(1)},${y(value).toFixed(1)}`).join(' '));
    line.setAttribute('class', 'sparkline-line');
    svg.append(line);
  }
  if (points.length) {
    const last = document.createElementNS(SVG, 'circle');
    last.setAttribute('cx', x(points.length - 1).toFixed(1));
    last.setAttribute('cy', y(points[points.length - 1]).toFixed(1));
    last.setAttribute('r', '2.6');
    last.setAttribute('class', 'sparkline-dot');
    svg.append(last);
  }
  return svg;
}
