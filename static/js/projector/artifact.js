/** The room's student work, large under the step's prompt: the page the facilitator turns to on the console. A
 * table's never comes here. */

import { $ } from '../lib/dom.js';
import { t } from '../lib/i18n.js';

export function renderArtifact(state, code) {
  const artifact = state.phase === 'step' ? state.artifact : null;
  $('projector-artifact').hidden = !artifact;
  $('step').classList.toggle('with-artifact', Boolean(artifact));
  const image = $('projector-artifact-image');
  if (!artifact) {
    image.removeAttribute('src');
    return;
  }
  const src = `/projector/${encodeURIComponent(code)}/artifacts/${artifact.id}/pages/${artifact.page}`;
  if (image.getAttribute('src') !== src) image.src = src;
  image.alt = t('Student work: {title}, page {n} of {total}', { title: artifact.title, n: artifact.page, total: artifact.pages });
  $('projector-artifact-caption').textContent = artifact.pages > 1
    ? t('{title} · page {n} of {total}', { title: artifact.title, n: artifact.page, total: artifact.pages }) : artifact.title;
}
