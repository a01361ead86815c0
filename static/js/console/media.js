/** The image or PDF on a step: put one on the open step or any step ahead (replacing or taking off what it shows,
 * the protocol's own file too), add a slide after this activity, and turn the pages the room is on: the buttons, or
 * → / PageDown and ← / PageUp (a clicker's keys) until the first or last page, then they move the agenda as ever. */

import { inAField } from '../lib/keys.js';
import { $, h, show } from '../lib/dom.js';
import { language, t, tn } from '../lib/i18n.js';
import { localized } from '../lib/localized.js';
import { keyedPicture } from './artifact.js';
import { desk, send } from './desk.js';

const MOVE_KEYS = { ArrowRight: 1, PageDown: 1, ArrowLeft: -1, PageUp: -1 };
let previewSrc = null; // the address of the page the preview shows
/** Where the projector puts a step's media (``on_projector``), in the facilitator's words. */
const PLACEMENTS = {
  full_screen: t('On the projector: full screen (the projector shows no answers to this step), the join address along the bottom.'),
  beside_results: t("On the projector: beside the room's results, so Hide results and Reveal results still show."),
};

const base = () => `/api/sessions/${encodeURIComponent(desk.code)}/media`;
const headers = () => ({ 'X-Facilitator-Key': desk.key });
/** A step's media key: its agenda item and the protocol's own step id (every round of the step shows the same). */
const mediaKey = (step) => `${step.item}:${step.id.split(':')[1].split('@')[0]}`;

function openKey() {
  const { state } = desk;
  return state && state.phase === 'step' && state.step ? mediaKey(state.step) : null;
}

/** The step the panel is about: the one chosen, else the open one. */
function chosenKey() {
  return $('media-step').value || openKey();
}

function mediaOf(key) {
  return (key && desk.state && desk.state.media && desk.state.media[key]) || null;
}

function panelStatus(text, kind) {
  $('media-status').textContent = text;
  $('media-status').dataset.kind = kind || '';
}

export function renderMedia() {
  if (!desk.state) return;
  renderChoices();
  const key = chosenKey();
  const media = mediaOf(key);
  const shown = Boolean(media && !media.missing);
  const isOpen = key === openKey();
  show($('media-shown'), shown);
  show($('media-projector'), shown);
  show($('media-missing'), Boolean(media && media.missing));
  if (media && media.missing) $('media-missing').textContent = t('The protocol names {path}, which this server does not have: upload it here.', { path: media.title });
  show($('media-remove'), shown);
  $('media-file').disabled = !key;
  $('media-upload-label').textContent = shown ? t('Replace it') : t('Show an image or PDF');
  const turning = shown && isOpen && media.pages > 1; // a single page has nothing to turn: no controls, no "1 of 1"
  show($('media-pages'), turning);
  show($('media-keys'), turning);
  if (!turning) $('media-on').textContent = '';
  if (!shown) return showPreview(null);
  $('media-name').textContent = media.title;
  $('media-about').textContent = media.source === 'protocol'
    ? tn('From the protocol · {n} page', 'From the protocol · {n} pages', media.pages)
    : tn('Uploaded · {n} page', 'Uploaded · {n} pages', media.pages);
  $('media-projector').textContent = PLACEMENTS[media.on_projector] || '';
  const page = isOpen ? media.page : 1;
  if (turning) {
    $('media-on').textContent = t('Page {n} of {total} on the projector and phones', { n: page, total: media.pages });
    $('media-prev').disabled = page <= 1;
    $('media-next').disabled = page >= media.pages;
  }
  showPreview(`${base()}/${encodeURIComponent(media.step)}/pages/${page}?size=thumb&v=${media.version}`);
}

/** The open step, then each step of the agenda once (its first round), marked when it shows media. */
function renderChoices() {
  const select = $('media-step');
  const chosen = select.value;
  const steps = (desk.state.agenda || []).filter((step) => !step.id.includes('@'));
  const labels = steps.map((step) => [mediaKey(step),
    `${step.number}. ${localized(step, language).title}${mediaOf(mediaKey(step)) ? ' ▣' : ''}`]);
  const signature = JSON.stringify(labels);
  if (select.dataset.signature === signature) return;
  select.dataset.signature = signature;
  select.replaceChildren(h('option', { value: '', text: t('The open step') }),
    ...labels.map(([key, label]) => h('option', { value: key, text: label })));
  select.value = labels.some(([key]) => key === chosen) ? chosen : '';
}

/** The page's small picture, as student work's (a data: URL fetched with the console's key). */
async function showPreview(src) {
  if (src === previewSrc) return;
  previewSrc = src;
  if (!src) return;
  const picture = await keyedPicture(src);
  if (!picture || previewSrc !== src) return;
  const image = $('media-preview');
  image.src = picture;
  image.alt = t('{title}, as the room sees it', { title: $('media-name').textContent });
}

async function turn(by) {
  const media = mediaOf(openKey());
  if (!media || media.missing) return;
  const page = media.page + by;
  if (page >= 1 && page <= media.pages) await send('media_page', { page });
}

async function post(url, form, done) {
  panelStatus(t('Uploading…'), '');
  try {
    const response = await fetch(url, { method: 'POST', body: form, headers: headers() });
    let error = '';
    if (!response.ok) {
      try { error = (await response.json()).error; } catch (problem) { error = `${response.status}`; }
    }
    panelStatus(response.ok ? done : t('Not shown: {error}', { error }), response.ok ? 'ok' : 'error');
  } catch (error) {
    panelStatus(t('That did not work; check the connection and try again.'), 'error');
  }
}

function upload(file) {
  const form = new FormData();
  form.append('file', file);
  if ($('media-step').value) form.append('step_id', $('media-step').value);
  return post(base(), form, t('Shown on the step.'));
}

function addSlide(file) {
  const form = new FormData();
  form.append('file', file);
  return post(`${base()}/slides`, form, t('The slide is in the agenda, after this activity.'));
}

async function remove() {
  const key = chosenKey();
  if (!key || !window.confirm(t('Take this image or PDF off the step? Phones and the projector stop showing it.'))) return;
  const response = await fetch(`${base()}/${encodeURIComponent(key)}`, { method: 'DELETE', headers: headers() }).catch(() => null);
  panelStatus(response && response.ok ? t('Taken off the step.') : t('That did not work; check the connection and try again.'), response && response.ok ? 'ok' : 'error');
}

function onFile(input, action) {
  input.addEventListener('change', async (event) => {
    const [file] = event.target.files;
    event.target.value = ''; // choosing the same file again sends it again
    if (!file) return;
    input.disabled = true;
    await action(file);
    input.disabled = false;
  });
}

/** Wire the panel and the page keys. Called before the agenda's own keys: on the open step's media, → and ← turn
 * its pages first. */
export function wireMedia() {
  $('media-step').addEventListener('change', renderMedia);
  $('media-prev').addEventListener('click', () => turn(-1));
  $('media-next').addEventListener('click', () => turn(1));
  $('media-remove').addEventListener('click', remove);
  onFile($('media-file'), upload);
  onFile($('media-slide'), addSlide);
  window.addEventListener('keydown', (event) => {
    const by = MOVE_KEYS[event.key];
    if (!by || event.altKey || event.ctrlKey || event.metaKey) return;
    if (inAField(event.target)) return;
    const media = mediaOf(openKey());
    if (!media || media.missing || media.page + by < 1 || media.page + by > media.pages) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    if (!event.repeat) turn(by);
  }, true);
}
