/** The facilitator's image or PDF on the open step, full screen: the page the console turned to, the step's title
 * small above it. The QR put up for latecomers goes over it, as over everything. */

import { $ } from '../lib/dom.js';
import { t } from '../lib/i18n.js';

export function renderMedia(state, code) {
  const media = state.phase === 'step' && !state.show_qr ? state.media : null;
  $('projector-media').hidden = !media;
  document.body.classList.toggle('with-media', Boolean(media));
  const image = $('projector-media-image');
  if (!media) {
    image.removeAttribute('src');
    return;
  }
  const src = `/projector/${encodeURIComponent(code)}/media/${encodeURIComponent(media.step)}/pages/${media.page}?v=${media.version}`;
  if (image.getAttribute('src') !== src) image.src = src;
  image.alt = t('projector.media.alt', { title: media.title, n: media.page, total: media.pages });
  $('projector-media-title').textContent = state.step ? state.step.title : '';
  $('projector-media-page').textContent = media.pages > 1 ? t('projector.media.page_of', { n: media.page, total: media.pages }) : '';
}
