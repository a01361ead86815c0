/** The room's screen while the open step's results are held back ("results to come", with how many answered), and
 * a scale's mean beside its histogram. The server sends nothing of the answers while they are held back. */

import { $, h } from '../lib/dom.js';
import { t, tn } from '../lib/i18n.js';
import { formatMean } from '../lib/mean.js';

/** The placeholder, made once next to the aggregate, whatever the layout around it. */
function placeholder() {
  let box = $('results-to-come');
  if (!box) {
    box = h('section', { id: 'results-to-come', class: 'results-to-come', 'aria-live': 'polite', 'data-testid': 'results-to-come' },
      h('p', { class: 'results-to-come-title', 'data-testid': 'results-to-come-title', text: t('Results to come') }),
      h('p', { id: 'results-to-come-count', class: 'results-to-come-count', 'data-testid': 'results-to-come-count' }));
    $('aggregate').before(box);
  }
  return box;
}

/** Whether the step's results are held back; if so the placeholder takes the place of the spotlight, the aggregate
 * and the tables. Otherwise it leaves, and they show as usual. */
export function renderHeldBack(step, live) {
  const held = live.revealed === false && step.kind !== 'none';
  const box = placeholder();
  box.hidden = !held;
  if (!held) return false;
  $('results-to-come-count').textContent = t('{n} of {total} answered', { n: live.answered, total: live.joined });
  for (const id of ['spotlight', 'aggregate', 'board', 'answered']) $(id).hidden = true;
  return true;
}

/** "Mean 3.4 · 12 answers" beside a scale's histogram, where the step asks for it; nothing before the first answer.
 * The sentence stays whole for the room's language; the count goes on a line of its own under the mean, so the
 * narrow column beside the chart never cuts it (the separator stays in the text, out of sight). */
export function renderMean(aggregate) {
  const view = $('aggregate').querySelector('.histogram-view');
  let line = $('aggregate').querySelector('.histogram-mean');
  const shown = view && aggregate && aggregate.type === 'histogram' && aggregate.mean != null;
  if (!shown) {
    if (line) line.remove();
    return;
  }
  if (!line) {
    line = h('p', { class: 'histogram-mean histogram-side', 'data-testid': 'mean' });
    view.append(line);
  }
  // Two sentences, so the count keeps its own line in every language; the separator is for screen readers.
  line.replaceChildren(h('span', { class: 'mean-value', text: t('Mean {mean}', { mean: formatMean(aggregate.mean) }) }),
    h('span', { class: 'mean-separator', text: ' · ' }),
    h('span', { class: 'mean-count', text: tn('{n} answer', '{n} answers', aggregate.count) }));
}
