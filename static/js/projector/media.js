/** The facilitator's image or PDF on the open step. On a step whose answers the projector shows, beside them (in a
 * column under the corner's QR: the results, or "Results to come", stay in view); elsewhere full screen, with the
 * step's title small above it and the way in along the bottom edge. The QR put up for latecomers goes over it. */

import { $ } from '../lib/dom.js';
import { language, t } from '../lib/i18n.js';
import { localized } from '../lib/localized.js';

export function renderMedia(state, code) {
  const media = state.phase === 'step' && !state.show_qr ? state.media : null;
  const beside = Boolean(media) && media.on_projector === 'beside_results';
  $('projector-media').hidden = !media;
  document.body.classList.toggle('media-full', Boolean(media) && !beside);
  document.body.classList.toggle('media-beside', beside);
  const image = $('projector-media-image');
  if (!media) {
    image.removeAttribute('src');
    return;
  }
  const src = `/projector/${encodeURIComponent(code)}/media/${encodeURIComponent(media.step)}/pages/${media.page}?v=${media.version}`;
  if (image.getAttribute('src') !== src) image.src = src;
  image.alt = t('{title}, page {n} of {total}', { title: media.title, n: media.page, total: media.pages });
  // Beside the step, whose title is on screen already, the file's own title names it.
  $('projector-media-title').textContent = beside ? media.title : state.step ? localized(state.step, language).title : '';
  $('projector-media-page').textContent = media.pages > 1 ? t('{n} / {total}', { n: media.page, total: media.pages }) : '';
}
