/** An answer as the facilitator reads it: labels for ids, titles for system goals, list items with dates; and the
 * one line of it the answers list shows. */

import { language, t } from '../lib/i18n.js';
import { localized } from '../lib/localized.js';
import { day } from '../lib/dates.js';
import { desk } from './desk.js';

const EXCERPT_CHARS = 160; // more than a wide row shows: the ellipsis is drawn by CSS, the rest never reaches the DOM

/** A measure's value in its unit, as the plan writes it: 55%, 12, 14 / 20, level 3 of 4. */
function measured(measure, value) {
  if (measure.unit === 'percent') return `${value}%`;
  if (measure.unit === 'score') return `${value} / ${measure.out_of}`;
  if (measure.unit === 'rubric') return t('level {level} of {levels}', { level: value, levels: measure.out_of });
  return String(value);
}

/** The answer's lines, in the words of the step. */
export function answerLines(step, value) {
  if (step && step.kind === 'measure' && value && typeof value === 'object') {
    return [t('{what}: {baseline} on {from} → {target} by {to}', {
      what: value.what, baseline: measured(value, value.baseline.value), from: day(value.baseline.date),
      target: measured(value, value.target.value), to: day(value.target.date),
    })];
  }
  if (step && step.kind === 'progress' && Array.isArray(value)) {
    return value.map((row) => t('{step}: {level} of 5', { step: row.step, level: row.level }));
  }
  const list = Array.isArray(value) ? value : [value];
  if (list.some((item) => item && typeof item === 'object')) {
    return list.map((item) => (item && typeof item === 'object' ? t('{text} (by {date})', { text: item.text, date: day(item.date) }) : String(item)));
  }
  if (!step) return list.map(String);
  if (step.kind === 'date') return list.map(day);
  if (step.kind === 'goal') {
    return list.map((id) => {
      const goal = desk.state.session.system_goals.find((g) => g.id === id);
      return goal ? goal.title : String(id);
    });
  }
  if (step.kind === 'choice' || step.kind === 'rank') {
    const options = localized(step, language).options || []; // found by id, named in the session's language
    return list.map((id, n) => {
      const option = options.find((o) => o.id === id);
      const label = option ? option.label : String(id);
      return step.kind === 'rank' ? `${n + 1}. ${label}` : label;
    });
  }
  if (step.kind === 'scale') return [t('{value} of {max}', { value, max: step.max })];
  return list.map(String);
}

/** The lines run together on one line, cut short: a 1,000-character answer is one row like any other. */
export function excerpt(lines) {
  const line = lines.join(' · ').replace(/\s+/g, ' ').trim();
  return line.length > EXCERPT_CHARS ? `${line.slice(0, EXCERPT_CHARS - 1)}…` : line;
}
