/** The session's agenda: protocols picked from the library, their rounds and minutes, and the planned time against
 * the day. */

import { $, h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { editing } from './editing.js';
import { duration } from './format.js';
import { rowButtons } from './rows.js';

export function pickFromLibrary(protocol) {
  return {
    item: null, protocol: protocol.id, title: protocol.title, rounds: 1,
    steps: protocol.steps.map((step) => ({ id: step.id, title: step.title, minutes: step.minutes })),
  };
}

const itemMinutes = (item) => item.steps.reduce((sum, step) => sum + (Number(step.minutes) || 0), 0);
const plannedMinutes = () => editing.agenda.reduce((sum, item) => sum + item.rounds * itemMinutes(item), 0);

export function renderAgenda() {
  const container = $('agenda-rows');
  if (!editing.agenda.length) {
    container.replaceChildren(h('li', { class: 'row-empty hint', text: t('No protocols yet: pick one below.') }));
    renderPlanned();
    return;
  }
  container.replaceChildren(...editing.agenda.map((item, index) => {
    const n = index + 1;
    const times = h('span', { class: 'item-times hint' });
    const showTimes = () => {
      times.textContent = `${t('{minutes} per round', { minutes: duration(itemMinutes(item)) })} · ${
        t('{minutes} in all', { minutes: duration(item.rounds * itemMinutes(item)) })}`;
      renderPlanned();
    };
    const rounds = h('input', { type: 'number', id: `rounds-${n}`, min: '1', max: '30', step: '1', value: item.rounds,
      inputmode: 'numeric', class: 'small-number', 'data-testid': `rounds-${n}`,
      oninput: (event) => { item.rounds = Math.max(1, parseInt(event.target.value, 10) || 1); showTimes(); } });
    const steps = item.steps.map((step, stepIndex) => {
      const id = `minutes-${n}-${stepIndex + 1}`;
      return h('div', { class: 'step-minutes' },
        h('label', { for: id }, step.title, h('span', { class: 'visually-hidden', text: t(', minutes') })),
        h('input', { type: 'number', id, min: '0', max: '240', step: '0.5', value: step.minutes, class: 'small-number',
          'data-testid': `minutes-${n}-${step.id}`,
          oninput: (event) => { step.minutes = Number(event.target.value) || 0; showTimes(); } }));
    });
    const row = h('li', { class: 'row agenda-row', 'data-testid': `agenda-row-${n}` },
      h('span', { class: 'row-number', 'aria-hidden': 'true', text: String(n) }),
      h('fieldset', { class: 'row-fields' },
        h('legend', { class: 'item-title', text: item.title }),
        h('div', { class: 'item-line' },
          h('label', { for: rounds.id, class: 'minor', text: t('Rounds') }), rounds, times),
        h('details', { class: 'steps-box' },
          h('summary', { text: t('Minutes per step ({n} steps)', { n: item.steps.length }) }),
          h('div', { class: 'steps-grid' }, steps))),
      rowButtons(editing.agenda, index, {
        up: t('Move {title} up', { title: item.title }), down: t('Move {title} down', { title: item.title }),
        remove: t('Remove {title}', { title: item.title }),
      }, renderAgenda, container));
    showTimes();
    return row;
  }));
  renderPlanned();
}

function renderPlanned() {
  const planned = plannedMinutes();
  const available = parseInt($('day-minutes').value, 10);
  const line = $('planned-total');
  line.classList.remove('over', 'spare');
  if (!available) {
    line.textContent = t('Planned: {planned}.', { planned: duration(planned) });
    return;
  }
  const text = t('Planned: {planned} of {available} available.', { planned: duration(planned), available: duration(available) });
  if (planned > available) {
    line.classList.add('over');
    line.textContent = `${text} ${t('Over time by {minutes}: shorten steps, drop a round or a protocol, or give the day more time.', { minutes: duration(planned - available) })}`;
  } else {
    line.classList.add('spare');
    line.textContent = `${text} ${t('{minutes} to spare.', { minutes: duration(available - planned) })}`;
  }
}

$('day-minutes').addEventListener('input', renderPlanned);

export async function loadProtocols() {
  const pick = $('protocol-pick');
  try {
    const response = await fetch('/api/protocols', { headers: { Accept: 'application/json' } });
    const body = await response.json();
    if (!response.ok) throw new Error(body.error || response.statusText);
    editing.library = new Map(body.protocols.map((protocol) => [protocol.id, protocol]));
    pick.replaceChildren(h('option', { value: '', text: t('Choose a protocol…') }),
      ...body.protocols.map((protocol) => h('option', {
        value: protocol.id, text: t('{title} ({minutes})', { title: protocol.title, minutes: duration(protocol.minutes) }),
      })));
  } catch (error) {
    pick.replaceChildren(h('option', { value: '', text: '—' }));
    $('protocol-purpose').textContent = t('The protocol library could not be loaded: {error}', { error: error.message });
  }
}

$('protocol-pick').addEventListener('change', (event) => {
  const protocol = editing.library.get(event.target.value);
  $('protocol-purpose').textContent = protocol ? protocol.purpose : '';
});

$('protocol-add').addEventListener('click', () => {
  const protocol = editing.library.get($('protocol-pick').value);
  if (!protocol) {
    $('protocol-pick').focus();
    return;
  }
  editing.agenda.push(pickFromLibrary(protocol));
  renderAgenda();
  $(`rounds-${editing.agenda.length}`).focus();
});
