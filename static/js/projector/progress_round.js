/** The projector during a progress round: one large card at a time (name, system goal, goal, the measure's chart),
 * over whatever the step shows, until the facilitator ends the round. */

import { $, h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { progressCard } from '../lib/progress_card.js';

function show(round) {
  const stage = $('progress-round');
  const active = Boolean(round && round.active);
  document.body.classList.toggle('in-progress-round', active);
  stage.hidden = !active;
  if (!active) {
    stage.replaceChildren();
    return;
  }
  stage.replaceChildren(
    h('p', { class: 'kicker' }, t('Progress round'), ' · ',
      h('span', { class: 'progress-round-place', 'data-testid': 'projector-round-place', text: t('{n} of {of}', { n: round.place, of: round.of }) })),
    round.featured ? progressCard(round.featured, { heading: 'h1', className: 'projector-card', counted: false })
      : h('p', { class: 'muted', 'data-testid': 'projector-round-withdrawn', text: t('Moving on…') }));
}

/** Whether a round's card is up (the corner's way in stays over it). */
export function progressRoundShown() {
  return document.body.classList.contains('in-progress-round');
}

/** Follow the round: the server sends it on connecting and at every move; ``changed`` runs after each. */
export function watchProgressRound(socket, changed) {
  socket.on('progress_round', (round) => {
    show(round);
    changed();
  });
}
