/** The leaders' progress wall: the cards of everyone who shares their progress with the organisation, their files
 * opened with the organisation key (sent as a header, so the file comes through a fetch), and a count of those who
 * share with their group alone. A facilitator key does not open it: the section stays hidden. */

import { $, h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { progressCard } from '../lib/progress_card.js';
import { call } from './access.js';

/** A file's bytes through the API (the key in a header), saved under its title. */
async function save(access, file, button) {
  button.disabled = true;
  try {
    const response = await call(access, 'GET', file.url);
    const link = h('a', { href: URL.createObjectURL(await response.blob()), download: file.title });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  } catch (error) {
    $('progress-wall-body').prepend(h('p', { class: 'form-error', role: 'alert', text: t('That file could not be opened: {error}', { error: error.message }) }));
  } finally {
    button.disabled = false;
  }
}

export async function renderProgressWall(access) {
  const section = $('progress-wall');
  if (!access || access.kind !== 'organisation') {
    section.hidden = true;
    return;
  }
  let wall;
  try {
    wall = await (await call(access, 'GET', '/api/follow-up/progress-wall')).json();
  } catch (error) {
    section.hidden = true;
    return;
  }
  const fileLink = (file) => h('button', { type: 'button', class: 'progress-file-button', 'data-testid': 'leaders-progress-file',
    text: file.title, onclick: (event) => save(access, file, event.currentTarget) });
  const cards = wall.organisation || [];
  $('progress-wall-body').replaceChildren(
    cards.length ? h('div', { class: 'progress-cards' }, cards.map((card) => progressCard(card, { heading: 'h3', fileLink })))
      : h('p', { class: 'empty', text: t('Nobody shares their progress with the organisation yet.') }),
    wall.sharing_with_group ? h('p', { class: 'hint', 'data-testid': 'leaders-progress-group-count',
      text: t('{n} more share with their group alone: they are counted, not shown.', { n: wall.sharing_with_group }) }) : null);
  section.hidden = false;
}
