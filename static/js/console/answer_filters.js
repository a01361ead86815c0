/** Which answers the list shows and in what order: text (once the typing stops), a table, a moderation state;
 * newest first, oldest first, or by name. */

import { $, h } from '../lib/dom.js';
import { language, t } from '../lib/i18n.js';
import { debounce, folded } from './list_tools.js';

const TYPING_MS = 150;
const filters = { text: '', table: '', state: 'all', sort: 'time' };

const STATES = {
  all: () => true,
  hidden: (answer) => Boolean(answer.hidden),
  spotlight: (answer) => Boolean(answer.spotlight),
  waiting: (answer) => answer.approved === false,
};
const newest = (a, b) => b.saved_at - a.saved_at || (b.participant_id || 0) - (a.participant_id || 0);
const SORTS = {
  time: newest,
  oldest: (a, b) => newest(b, a),
  name: (a, b) => (a.name || '').localeCompare(b.name || '', language, { sensitivity: 'base' }) || newest(a, b),
};

/** Whether a filter narrows the list (then it says how many of all it shows). */
export const narrowed = () => filters.text !== '' || filters.table !== '' || filters.state !== 'all';

const tableMaps = new WeakMap(); // a state's groups -> participant id -> table

function tablesOf(groups) {
  if (!tableMaps.has(groups)) {
    tableMaps.set(groups, new Map(groups.flatMap((group) => group.members.map((m) => [m.participant_id, group.table]))));
  }
  return tableMaps.get(groups);
}

/** The answers to list, in order; ``searchable(answer)`` is the folded text a search looks in. */
export function shownAnswers(answers, searchable, groups) {
  const table = filters.table === '' ? null : Number(filters.table);
  const tableOf = tablesOf(groups);
  const keep = STATES[filters.state] || STATES.all;
  const shown = answers.filter((answer) => keep(answer)
    && (table == null || tableOf.get(answer.participant_id) === table)
    && (!filters.text || searchable(answer).includes(filters.text)));
  return shown.sort(SORTS[filters.sort] || SORTS.time);
}

let tablesOffered = '';

/** The choices the room decides: one per table, and "waiting for approval" on a step whose answers carry approval.
 * A choice that goes away falls back to showing everything. */
export function offerChoices(answers, groups) {
  const tables = groups.map((group) => group.table);
  if (tables.join() !== tablesOffered) {
    tablesOffered = tables.join();
    const select = $('answer-table');
    select.replaceChildren(select.options[0], ...tables.map((n) => h('option', { value: n, text: t('Table {n}', { n }) })));
    if (!tables.includes(Number(filters.table))) filters.table = '';
    select.value = filters.table;
  }
  $('answer-table').closest('.field').hidden = tables.length === 0;
  offer('answer-state', 'state', 'waiting', answers.some((answer) => 'approved' in answer), 'all');
}

function offer(id, name, value, available, fallback) {
  const option = $(id).querySelector(`option[value="${value}"]`);
  option.hidden = !available;
  option.disabled = !available;
  if (!available && filters[name] === value) {
    filters[name] = fallback;
    $(id).value = fallback;
  }
}

/** Follow the filter fields; ``changed`` draws the list again. */
export function wireFilters(changed) {
  const typed = debounce(() => {
    filters.text = folded($('answer-search').value.trim());
    changed();
  }, TYPING_MS);
  $('answer-search').addEventListener('input', typed);
  for (const [id, name] of [['answer-table', 'table'], ['answer-state', 'state'], ['answer-sort', 'sort']]) {
    $(id).addEventListener('change', (event) => {
      filters[name] = event.target.value;
      changed();
    });
  }
  $('answer-filters').addEventListener('submit', (event) => event.preventDefault());
}
