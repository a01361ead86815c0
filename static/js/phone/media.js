/** The facilitator's image or PDF on the step: the page the room is on, fitting the phone's width above the answer
 * (when the step takes one); a tap or the zoom button opens it full screen in the viewer (pinch, double-tap, + and −),
 * where the person may turn the pages on their own. */

import { $, show } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { closeViewerIf, openViewer } from './artifact.js';

let token = () => null;
let shown = null; // the media on screen, as the last state had it

const pageUrl = (media, page) =>
  `/p/${encodeURIComponent(token())}/media/${encodeURIComponent(media.step)}/pages/${page}?v=${media.version}`;
const sameFile = (a, b) => Boolean(a && b && a.step === b.step && a.version === b.version);

export function renderMedia(state) {
  const media = state && state.phase === 'step' ? state.media : null;
  if (!sameFile(media, shown)) closeViewerIf((viewed) => viewed.owner === 'media');
  shown = media;
  show($('media'), Boolean(media));
  document.body.classList.toggle('with-media', Boolean(media));
  const image = $('media-image');
  if (!media) {
    image.removeAttribute('src');
    return;
  }
  const src = pageUrl(media, media.page);
  if (image.getAttribute('src') !== src) image.src = src;
  image.alt = t('{title}, page {n} of {total}', { title: media.title, n: media.page, total: media.pages });
  $('media-title').textContent = media.title;
  $('media-page').textContent = media.pages > 1 ? t('page {n} of {total}', { n: media.page, total: media.pages }) : '';
}

function zoom(event) {
  if (!shown) return;
  const media = shown;
  openViewer({ owner: 'media', title: media.title, pages: media.pages, url: (page) => pageUrl(media, page) },
    media.page, event.currentTarget);
}

/** Wire the page and its zoom button once; ``tokenOf`` gives this phone's participant token when asked. */
export function wireMedia(tokenOf) {
  token = tokenOf;
  $('media-open').addEventListener('click', zoom);
  $('media-zoom').addEventListener('click', zoom);
}
