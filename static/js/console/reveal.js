/** What the projector shows of the open step's results: the Reveal button that holds them back or shows them, and
 * a scale's mean beside the room's counts. The console itself always sees every result. */

import { $, h } from '../lib/dom.js';
import { t, tn } from '../lib/i18n.js';
import { formatMean } from '../lib/mean.js';
import { desk, send, status } from './desk.js';

/** Steps whose results reach the projector at all: only theirs can be held back (the server refuses the rest). */
const onProjector = (step) => Boolean(step) && step.kind !== 'none'
  && (step.visibility === 'room' || step.visibility === 'room-named');

/** The button's label says what a press does; the pill says what the room sees now. */
export function renderReveal() {
  if (!desk.state) return;
  const step = desk.state.step;
  const offered = desk.state.phase === 'step' && onProjector(step);
  const held = offered && desk.state.revealed === false;
  const button = $('reveal');
  button.hidden = !offered;
  button.textContent = held ? t('Reveal results') : t('Hide results');
  button.dataset.revealed = String(!held);
  $('step-held').hidden = !held;
  renderMean();
}

/** A scale's mean and how many answers it is the mean of, where the step asks for it (``show_mean``): the mean as
 * large as the other counts, how many answers small under it, so the tile keeps the column's width. */
export function renderMean() {
  const live = desk.live;
  const fresh = live && desk.state && desk.state.step && live.step_id === desk.state.step.id;
  const aggregate = fresh ? live.aggregate : null;
  const shown = Boolean(aggregate) && 'mean' in aggregate;
  $('mean-row').hidden = !shown;
  if (shown) {
    const count = h('span', { class: 'mean-count', 'data-testid': 'count-mean-answers',
      text: tn('({n} answer)', '({n} answers)', aggregate.count) });
    if (aggregate.mean == null) $('count-mean').textContent = '–';
    else $('count-mean').replaceChildren(formatMean(aggregate.mean), ' ', count);
  }
}

async function toggle() {
  const step = desk.state && desk.state.step;
  if (!step) return;
  const ack = await send('reveal', { step_id: step.id, revealed: desk.state.revealed === false }, true);
  if (ack && !ack.ok) status(ack.code === 'stale_move' ? t('Not changed: the room had already left the step shown here.') : ack.error, ack.code === 'stale_move' ? 'note' : 'error');
}

export function wireReveal() {
  $('reveal').addEventListener('click', toggle);
}
