/** Student work in the open round: put the room's up (every phone and the projector show it), turn the page the
 * projector shows, take it down; see each table's, shared by its presenter, and take one down if need be. */

import { $, h, show } from '../lib/dom.js';
import { t, tn } from '../lib/i18n.js';
import { desk, send, status } from './desk.js';

const pictures = new Map(); // "<id>:<page>" -> a data: URL of the page's small picture, fetched once with the key
let shownKey = null;

const base = () => `/api/sessions/${encodeURIComponent(desk.code)}/artifacts`;
const headers = () => ({ 'X-Facilitator-Key': desk.key });

/** A picture the console fetches with its key, as a data: URL (null if it cannot be had): the key goes in a header,
 * which an <img> cannot send, and the app's policy lets in images from itself and data: URLs alone (no blob:). */
export function keyedPicture(url) {
  return fetch(url, { headers: headers(), cache: 'no-store' })
    .then((response) => (response.ok ? response.blob() : null))
    .then((blob) => blob && new Promise((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result);
      reader.onerror = () => resolve(null);
      reader.readAsDataURL(blob);
    }))
    .catch(() => null);
}

/** The page's small picture, fetched once. */
async function picture(artifact, page) {
  const key = `${artifact.id}:${page}`;
  if (!pictures.has(key)) pictures.set(key, keyedPicture(`${base()}/${artifact.id}/pages/${page}?size=thumb`));
  return pictures.get(key);
}

function panelStatus(text, kind) {
  $('artifact-console-status').textContent = text;
  $('artifact-console-status').dataset.kind = kind || '';
}

/** The open round's artifacts, as the last state or ``artifacts`` message had them. */
export function renderArtifacts() {
  const { state } = desk;
  const open = Boolean(state && state.phase === 'step');
  show($('artifact-panel'), open);
  if (!open) return;
  const artifacts = state.artifacts || [];
  const room = artifacts.find((a) => a.scope === 'room');
  $('artifact-upload-label').textContent = room ? t('Show other student work instead') : t('Show student work to the room');
  const key = JSON.stringify(artifacts);
  if (key === shownKey) return;
  shownKey = key;
  show($('artifact-none'), artifacts.length === 0);
  $('artifact-rows').replaceChildren(...artifacts.map(row));
}

function row(artifact) {
  const image = h('img', { alt: t('{title}', { title: artifact.title }) });
  picture(artifact, artifact.scope === 'room' ? artifact.page : 1).then((url) => { if (url) image.src = url; });
  const where = artifact.scope === 'room' ? t('The room') : t('Table {n}', { n: artifact.table });
  const pages = artifact.scope === 'room' && artifact.pages > 1 ? h('span', { class: 'artifact-row-pages' },
    h('button', { type: 'button', class: 'button secondary small', 'data-testid': 'artifact-prev-page', disabled: artifact.page <= 1,
      'aria-label': t('Previous page on the projector'), text: '‹', onclick: () => turn(artifact, artifact.page - 1) }),
    h('span', { 'data-testid': 'artifact-shown-page', text: t('Projector: page {n} of {total}', { n: artifact.page, total: artifact.pages }) }),
    h('button', { type: 'button', class: 'button secondary small', 'data-testid': 'artifact-next-page', disabled: artifact.page >= artifact.pages,
      'aria-label': t('Next page on the projector'), text: '›', onclick: () => turn(artifact, artifact.page + 1) }))
    : h('span', { class: 'muted', text: tn('{n} page', '{n} pages', artifact.pages) });
  // A table's work is its table's: presenter safe takes it off a laptop the room can see, as it does answers.
  const rowClass = artifact.scope === 'room' ? 'artifact-row' : 'artifact-row private-area';
  return h('li', { class: rowClass, 'data-testid': `console-artifact-${artifact.scope}` }, image,
    h('span', { class: 'artifact-row-text' }, h('strong', { text: where }), h('br'), h('span', { text: artifact.title })),
    pages,
    h('button', { type: 'button', class: 'button secondary small', 'data-testid': 'artifact-take-down',
      text: t('Take down'), onclick: () => takeDown(artifact) }));
}

async function turn(artifact, page) {
  await send('artifact_page', { artifact_id: artifact.id, page });
}

async function takeDown(artifact) {
  const where = artifact.scope === 'room' ? t('The room') : t('Table {n}', { n: artifact.table });
  if (!window.confirm(t('Take down the student work of {where}? It is deleted.', { where }))) return;
  const response = await fetch(`${base()}/${artifact.id}`, { method: 'DELETE', headers: headers() }).catch(() => null);
  panelStatus(response && response.ok ? t('Taken down.') : t('Not done: the connection dropped. Try again.'), response && response.ok ? 'ok' : 'error');
}

async function upload(file) {
  const body = new FormData();
  body.append('file', file);
  panelStatus(t('Uploading {name}…', { name: file.name }), '');
  $('artifact-file').disabled = true;
  try {
    const response = await fetch(base(), { method: 'POST', body, headers: headers() });
    let error = '';
    if (!response.ok) {
      try { error = (await response.json()).error; } catch (problem) { error = `${response.status}`; }
    }
    panelStatus(response.ok ? t('Shown to the room.') : t('Not shown: {error}', { error }), response.ok ? 'ok' : 'error');
  } catch (error) {
    panelStatus(t('Not done: the connection dropped. Try again.'), 'error');
  } finally {
    $('artifact-file').disabled = false;
  }
}

export function wireArtifacts() {
  $('artifact-file').addEventListener('change', (event) => {
    const [file] = event.target.files;
    event.target.value = '';
    if (file) upload(file);
  });
  desk.socket.on('artifacts', (artifacts) => {
    if (!desk.state) return;
    desk.state = { ...desk.state, artifacts };
    renderArtifacts();
    status('');
  });
}
