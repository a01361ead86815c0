/** Finding people on the group board: part of a name (any case, accents or not) or a table's number (digits alone)
 * narrows the board to the tables that match, once the typing stops. */

import { $ } from '../lib/dom.js';
import { t, tn } from '../lib/i18n.js';
import { debounce, folded } from './list_tools.js';

const TYPING_MS = 150;
const NOBODY = new Set();
let query = '';
const names = new Map(); // a name -> as searched

function searchable(name) {
  if (!names.has(name)) names.set(name, folded(name));
  return names.get(name);
}

/** Whether the search shows ``group``, and the members it found there (their ids). */
export function matching(group) {
  if (!query) return { shown: true, found: NOBODY };
  if (/^\d+$/.test(query)) return { shown: String(group.table) === query, found: NOBODY }; // a table's number
  const found = new Set(group.members.filter((m) => searchable(m.name).includes(query)).map((m) => m.participant_id));
  return { shown: found.size > 0 || String(group.table) === query, found };
}

/** The board's search field shows when there are tables; it says how many the search left. */
export function sayFound(shown, total) {
  $('board-search-field').hidden = total === 0;
  let said = '';
  if (query && shown === 0) said = t('No table has anyone called “{query}”.', { query: $('board-search').value.trim() });
  else if (query) said = tn('{n} table of {total}', '{n} tables of {total}', shown, { total });
  $('board-found').textContent = said;
}

/** Follow the search field; ``changed`` draws the board again. */
export function wireBoardSearch(changed) {
  $('board-search').addEventListener('input', debounce(() => {
    query = folded($('board-search').value.trim());
    changed();
  }, TYPING_MS));
}
