/** Student work on the step: the room's (from the facilitator) and the table's (from its presenter) under the
 * prompt as page pictures, a full-screen viewer to look closely (pinch, + and −, arrow keys, Escape), and for the
 * round's presenter, sharing the work from the phone's camera or files and taking it down. */

import { $, h, show } from '../lib/dom.js';
import { t } from '../lib/i18n.js';

const ZOOMS = [1, 1.5, 2, 3, 4];
const MAX_ZOOM = ZOOMS[ZOOMS.length - 1];

let token = () => null;
let shownKey = null; // the artifacts on screen, so a state that changes nothing else leaves them (and their images)
let viewing = null; // {artifact, page, zoom, opener}
const pointers = new Map(); // pointer id -> [x, y], for a pinch

const pageUrl = (artifact, page, thumb) =>
  `/p/${encodeURIComponent(token())}/artifacts/${artifact.id}/pages/${page}${thumb ? '?size=thumb' : ''}`;

/** The student work the phone is shown on the open step: the room's first, then the table's. */
export function artifactsOf(state) {
  return [state.artifact, state.table_artifact].filter(Boolean);
}

export function renderArtifacts(state) {
  const artifacts = state.phase === 'step' ? artifactsOf(state) : [];
  const key = JSON.stringify(artifacts.map((a) => [a.id, a.mine]));
  renderShare(state, artifacts);
  if (key === shownKey) return;
  shownKey = key;
  show($('artifacts'), artifacts.length > 0);
  $('artifact-list').replaceChildren(...artifacts.map(card));
  closeViewerIf((shown) => !shown.url && !artifacts.some((a) => a.id === shown.id));
}

function card(artifact) {
  const from = artifact.scope === 'room' ? t('Shared with the room by the facilitator') : t('Shared with table {n} by its presenter', { n: artifact.table });
  const pages = Array.from({ length: artifact.pages }, (_, index) => index + 1);
  return h('li', { class: 'artifact', 'data-testid': `artifact-${artifact.scope}` },
    h('p', { class: 'artifact-from', text: from }),
    h('p', { class: 'artifact-title', text: artifact.title }),
    h('ul', { class: 'artifact-pages', 'aria-label': t('Pages of {title}', { title: artifact.title }) },
      pages.map((page) => h('li', {},
        h('button', {
          type: 'button', class: 'artifact-thumb', 'data-testid': 'artifact-page',
          'aria-label': t('Open page {n} of {total} full screen', { n: page, total: artifact.pages }),
          onclick: (event) => openViewer(artifact, page, event.currentTarget),
        }, h('img', { src: pageUrl(artifact, page, true), alt: '', loading: 'lazy', decoding: 'async' }),
        artifact.pages > 1 ? h('span', { class: 'artifact-page-number', text: String(page) }) : null)))),
    artifact.mine ? h('button', {
      type: 'button', class: 'button secondary small', 'data-testid': 'artifact-remove',
      text: t('Stop sharing this'), onclick: () => remove(artifact),
    }) : null);
}

// Sharing: the presenter of the round, from their phone.

function renderShare(state, artifacts) {
  const role = state.phase === 'step' && state.group && state.group.role;
  const presenting = Boolean(role && role.presents);
  show($('artifact-share'), presenting);
  if (!presenting) return;
  const replacing = artifacts.some((a) => a.scope === 'table' && a.mine);
  $('artifact-share-label').textContent = replacing ? t('Share other student work instead') : t('Share student work');
}

function shareStatus(text, kind) {
  const status = $('artifact-status');
  status.textContent = text;
  status.dataset.kind = kind || '';
}

function upload(file) {
  const body = new FormData();
  body.append('file', file);
  const request = new XMLHttpRequest();
  const progress = $('artifact-progress');
  request.open('POST', `/p/${encodeURIComponent(token())}/artifacts`);
  request.upload.addEventListener('progress', (event) => {
    if (!event.lengthComputable) return;
    progress.value = event.loaded / event.total;
  });
  request.addEventListener('load', () => {
    show(progress, false);
    $('artifact-input').disabled = false;
    if (request.status === 201) return shareStatus(t('Shared with your table.'), 'ok');
    let error = t('Not shared ({status}): try again.', { status: request.status });
    try { error = JSON.parse(request.responseText).error || error; } catch (problem) { /* not JSON: keep the status */ }
    shareStatus(error, 'error');
  });
  request.addEventListener('error', () => {
    show(progress, false);
    $('artifact-input').disabled = false;
    shareStatus(t('Not shared: the connection dropped. Try again.'), 'error');
  });
  progress.value = 0;
  show(progress, true);
  $('artifact-input').disabled = true;
  shareStatus(t('Uploading {name}…', { name: file.name }), '');
  request.send(body);
}

async function remove(artifact) {
  if (!window.confirm(t('Stop sharing this student work with your table? It is deleted.'))) return;
  try {
    const response = await fetch(`/p/${encodeURIComponent(token())}/artifacts/${artifact.id}`, { method: 'DELETE' });
    shareStatus(response.ok ? t('No longer shared.') : t('Not shared ({status}): try again.', { status: response.status }),
      response.ok ? 'ok' : 'error');
  } catch (error) {
    shareStatus(t('Not shared: the connection dropped. Try again.'), 'error');
  }
}

// The viewer: one page at a time, full screen, zoomable.

/** Open the viewer on ``page`` of ``artifact``: student work, or anything with ``title``, ``pages`` and ``url(page)``
 * (the step's media, static/js/phone/media.js). */
export function openViewer(artifact, page, opener) {
  viewing = { artifact, page, zoom: 1, opener };
  const dialog = $('artifact-viewer');
  $('viewer-title').textContent = artifact.title;
  showPage();
  if (!dialog.open) dialog.showModal();
  $('viewer-close').focus();
}

function closeViewer() {
  const dialog = $('artifact-viewer');
  if (dialog.open) dialog.close();
}

/** Close the viewer if what it shows passes ``test`` (gone from the step, say). */
export function closeViewerIf(test) {
  if (viewing && test(viewing.artifact)) closeViewer();
}

function showPage() {
  const { artifact, page } = viewing;
  const image = $('viewer-image');
  image.src = artifact.url ? artifact.url(page) : pageUrl(artifact, page, false);
  image.alt = t('{title}, page {n} of {total}', { title: artifact.title, n: page, total: artifact.pages });
  $('viewer-page').textContent = t('Page {n} of {total}', { n: page, total: artifact.pages });
  $('viewer-prev').disabled = page <= 1;
  $('viewer-next').disabled = page >= artifact.pages;
  for (const id of ['viewer-prev', 'viewer-page', 'viewer-next']) show($(id), artifact.pages > 1); // one page: none to turn
  setZoom(1);
}

function turn(by) {
  if (!viewing) return;
  const page = viewing.page + by;
  if (page < 1 || page > viewing.artifact.pages) return;
  viewing.page = page;
  showPage();
}

/** Zoom to ``zoom`` (1: the page fits the screen's width), keeping the point at ``[x, y]`` of the view still. */
function setZoom(zoom, at) {
  if (!viewing) return;
  const frame = $('viewer-frame');
  const next = Math.min(MAX_ZOOM, Math.max(1, zoom));
  const [x, y] = at || [frame.clientWidth / 2, frame.clientHeight / 2];
  const ratio = next / viewing.zoom;
  const left = (frame.scrollLeft + x) * ratio - x;
  const top = (frame.scrollTop + y) * ratio - y;
  viewing.zoom = next;
  $('viewer-image').style.width = `${next * 100}%`;
  frame.scrollLeft = left;
  frame.scrollTop = top;
  $('viewer-zoom').textContent = t('{n}%', { n: Math.round(next * 100) });
  $('viewer-zoom-out').disabled = next <= 1;
  $('viewer-zoom-in').disabled = next >= MAX_ZOOM;
}

function step(direction) {
  const { zoom } = viewing;
  const next = direction > 0 ? ZOOMS.find((z) => z > zoom + 0.01) : [...ZOOMS].reverse().find((z) => z < zoom - 0.01);
  setZoom(next || zoom);
}

function pinchDistance() {
  const [[x1, y1], [x2, y2]] = [...pointers.values()];
  return { distance: Math.hypot(x2 - x1, y2 - y1), middle: [(x1 + x2) / 2, (y1 + y2) / 2] };
}

function wireViewer() {
  const dialog = $('artifact-viewer');
  const frame = $('viewer-frame');
  $('viewer-close').addEventListener('click', closeViewer);
  $('viewer-prev').addEventListener('click', () => turn(-1));
  $('viewer-next').addEventListener('click', () => turn(1));
  $('viewer-zoom-in').addEventListener('click', () => step(1));
  $('viewer-zoom-out').addEventListener('click', () => step(-1));
  dialog.addEventListener('close', () => {
    const opener = viewing && viewing.opener;
    viewing = null;
    pointers.clear();
    if (opener && opener.isConnected) opener.focus();
  });
  dialog.addEventListener('keydown', (event) => {
    if (!viewing || event.target.tagName === 'INPUT') return;
    const actions = { ArrowLeft: () => turn(-1), ArrowRight: () => turn(1), '+': () => step(1), '=': () => step(1), '-': () => step(-1), 0: () => setZoom(1) };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  });
  let pinch = null;
  frame.addEventListener('pointerdown', (event) => {
    pointers.set(event.pointerId, [event.clientX, event.clientY]);
    if (pointers.size === 2) pinch = { ...pinchDistance(), zoom: viewing.zoom };
  });
  frame.addEventListener('pointermove', (event) => {
    if (!pointers.has(event.pointerId)) return;
    pointers.set(event.pointerId, [event.clientX, event.clientY]);
    if (pointers.size !== 2 || !pinch || !viewing) return;
    const { distance, middle } = pinchDistance();
    const box = frame.getBoundingClientRect();
    setZoom(pinch.zoom * (distance / Math.max(pinch.distance, 1)), [middle[0] - box.left, middle[1] - box.top]);
  });
  const lift = (event) => {
    pointers.delete(event.pointerId);
    if (pointers.size < 2) pinch = null;
  };
  for (const name of ['pointerup', 'pointercancel', 'pointerleave']) frame.addEventListener(name, lift);
  frame.addEventListener('dblclick', (event) => {
    const box = frame.getBoundingClientRect();
    setZoom(viewing.zoom > 1 ? 1 : 2, [event.clientX - box.left, event.clientY - box.top]);
  });
}

/** Wire the share form and the viewer once; ``tokenOf`` gives this phone's participant token when asked. */
export function wireArtifacts(tokenOf) {
  token = tokenOf;
  $('artifact-input').addEventListener('change', (event) => {
    const [file] = event.target.files;
    event.target.value = ''; // choosing the same file again uploads it again
    if (file) upload(file);
  });
  wireViewer();
}
