/** The agenda down the side: each protocol and its steps with the time used, and the controls that edit what
 * has not started yet (move, rounds, remove). */

import { $, h } from '../lib/dom.js';
import { language, t } from '../lib/i18n.js';
import { localized } from '../lib/localized.js';
import { clock, formatTime } from '../lib/clock.js';
import { move, movePending } from './controls.js';
import { desk, keepingFocus, send } from './desk.js';

function usedSeconds(step) {
  const base = step.seconds_used || 0;
  const open = desk.state.step && desk.state.step.id === step.id;
  return open ? base + Math.max(0, clock.now() - desk.state.server_time) : base;
}

const formatUsed = (seconds) => (seconds >= 1 ? formatTime(seconds) : '–');

export function renderAgenda() {
  const ahead = aheadItems();
  keepingFocus(() => {
    const byItem = new Map();
    for (const step of desk.state.agenda) {
      if (!byItem.has(step.item)) byItem.set(step.item, []);
      byItem.get(step.item).push(step);
    }
    $('agenda-list').replaceChildren(...desk.state.items.map((item, index) =>
      agendaItem(localized(item, language), byItem.get(item.item) || [], ahead.has(item.item), index)));
  });
  const planned = desk.state.agenda.reduce((sum, step) => sum + step.minutes, 0);
  const used = desk.state.agenda.reduce((sum, step) => sum + usedSeconds(step), 0);
  $('agenda-total').textContent = t('{used} used of {n} min planned', { used: formatTime(used), n: Math.round(planned * 10) / 10 });
}

/** The agenda items that have not started: only they may be moved, repeated or skipped. */
function aheadItems() {
  if (desk.state.phase === 'lobby') return new Set(desk.state.items.map((item) => item.item));
  if (desk.state.phase === 'ended') return new Set();
  const index = desk.state.items.findIndex((item) => item.item === desk.state.step.item);
  return new Set(desk.state.items.slice(index + 1).map((item) => item.item));
}

function agendaItem(item, steps, ahead, index) {
  const first = desk.state.items.findIndex((i) => aheadItems().has(i.item));
  const controls = ahead ? h('div', { class: 'item-controls' },
    h('button', {
      type: 'button', class: 'icon-button', text: '↑', 'data-focus': `up-${item.item}`, 'data-testid': `item-up-${item.item}`,
      'aria-label': t('Move “{title}” earlier', { title: item.title }), disabled: index <= first,
      onclick: () => send('agenda_move', { item: item.item, to: index - 1 }),
    }),
    h('button', {
      type: 'button', class: 'icon-button', text: '↓', 'data-focus': `down-${item.item}`, 'data-testid': `item-down-${item.item}`,
      'aria-label': t('Move “{title}” later', { title: item.title }), disabled: index >= desk.state.items.length - 1,
      onclick: () => send('agenda_move', { item: item.item, to: index + 1 }),
    }),
    roundsPicker(item),
    h('button', {
      type: 'button', class: 'icon-button remove', text: '×', 'data-focus': `remove-${item.item}`, 'data-testid': `item-remove-${item.item}`,
      'aria-label': t('Skip “{title}”', { title: item.title }), disabled: desk.state.items.length <= 1,
      onclick: () => { if (window.confirm(t('Take “{title}” out of the agenda?', { title: item.title }))) send('agenda_remove', { item: item.item }); },
    })) : null;
  const rounds = item.rounds > 1 && !ahead ? ` ${t('× {n}', { n: item.rounds })}` : ''; // ahead: the menu says it
  return h('li', { class: `agenda-protocol${ahead ? ' ahead' : ''}`, 'data-item': item.item },
    h('div', { class: 'agenda-protocol-head' },
      h('p', { class: 'agenda-protocol-title', text: `${item.title}${rounds}` }),
      controls),
    h('ol', {}, steps.map((step) => agendaStep(step))));
}

function roundsPicker(item) {
  const id = `rounds-${item.item}`;
  const select = h('select', {
    id, class: 'rounds-select', 'data-focus': id, 'data-testid': id,
    onchange: (event) => send('agenda_rounds', { item: item.item, rounds: Number(event.target.value) }),
  }, Array.from({ length: Math.max(12, item.rounds) }, (_, n) => h('option', { value: n + 1, text: t('× {n}', { n: n + 1 }) })));
  select.value = String(item.rounds);
  return h('span', { class: 'rounds-picker' },
    h('label', { for: id, class: 'visually-hidden', text: t('Rounds of “{title}”', { title: item.title }) }), select);
}

/** A step behind the room that was open for a time (a step jumped over has none: no tick, its time "–"). */
function ran(step, index) {
  const behind = desk.state.phase === 'ended' || desk.state.position > index;
  return behind && step.seconds_used >= 1;
}

function agendaStep(step) {
  const used = usedSeconds(step);
  const over = used > step.minutes * 60 && step.minutes > 0;
  const index = desk.state.agenda.indexOf(step);
  const current = desk.state.step && desk.state.step.id === step.id;
  const round = step.rounds > 1 ? ` (${step.round}/${step.rounds})` : '';
  return h('li', {},
    h('button', {
      type: 'button', class: `agenda-step${ran(step, index) ? ' done' : ''}${over ? ' over' : ''}`,
      'data-step-id': step.id, 'data-focus': `step-${step.id}`, 'data-testid': `agenda-step-${step.id}`,
      'aria-current': current ? 'step' : null, disabled: movePending(),
      onclick: (event) => move('goto', { step_id: step.id }, event),
    },
    h('span', { class: 'agenda-number', text: step.number }),
    h('span', { class: 'agenda-title', text: `${localized(step, language).title}${round}` }),
    h('span', { class: 'agenda-minutes' },
      h('span', { class: 'used', 'data-used': step.id, text: formatUsed(used) }),
      ` / ${t('{n} min', { n: step.minutes })}`,
      over ? h('span', { class: 'visually-hidden', text: ` (${t('over time')})` }) : null)));
}

/** Only the open step's time used moves; the rest of the agenda stays as built. */
export function tickUsed() {
  if (!desk.state || !desk.state.step) return;
  const step = desk.state.agenda.find((s) => s.id === desk.state.step.id);
  const span = step && document.querySelector(`[data-used="${CSS.escape(step.id)}"]`);
  if (!span) return;
  const used = usedSeconds(step);
  span.textContent = formatUsed(used);
  span.closest('.agenda-step').classList.toggle('over', used > step.minutes * 60 && step.minutes > 0);
}
