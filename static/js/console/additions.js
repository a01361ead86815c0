/** Adding protocols to the agenda: from the library (fetched when the panel first opens) or an uploaded file (a
 * .toml alone, or a .zip of one with its media). */

import { $, h } from '../lib/dom.js';
import { language, t } from '../lib/i18n.js';
import { localized } from '../lib/localized.js';
import { desk, send, status } from './desk.js';

let libraryLoaded = false;

export function wireAdditions() {
  $('agenda-add').addEventListener('toggle', async () => {
    if (!$('agenda-add').open || libraryLoaded) return;
    libraryLoaded = true;
    const select = $('add-protocol');
    try {
      const response = await fetch('/api/protocols');
      if (!response.ok) throw new Error(String(response.status));
      const { protocols } = await response.json();
      select.replaceChildren(...protocols.map((protocol) =>
        h('option', { value: protocol.id, text: `${localized(protocol, language).title} · ${t('{n} min', { n: protocol.minutes })}` })));
    } catch (error) {
      libraryLoaded = false;
      select.replaceChildren(h('option', { value: '', text: t('The protocol library could not be loaded.') }));
    }
  });

  $('add-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const select = $('add-protocol');
    if (!select.value) return;
    const title = select.selectedOptions[0].textContent;
    const ack = await send('agenda_add', { protocol_id: select.value, rounds: Number($('add-rounds').value) || 1 });
    if (ack && ack.ok) status(t('“{title}” added to the end of the agenda.', { title }), 'ok');
  });

  $('upload-file').addEventListener('change', async (event) => {
    const input = event.target;
    const [file] = input.files;
    if (!file || input.disabled) return;
    input.disabled = true; // one upload at a time: a second choice waits for the first's answer
    try {
      const added = /\.zip$/i.test(file.name) ? await uploadZip(file) : await uploadToml(file);
      if (added) status(t('“{title}” added to the end of the agenda.', { title: added }), 'ok');
    } finally {
      input.value = ''; // choosing the same file again sends it again
      input.disabled = false;
    }
  });
}

/** A protocol file alone, over the console's socket; the title to announce, or null (the error is shown). */
async function uploadToml(file) {
  const ack = await send('agenda_add', { toml: await file.text(), file_name: file.name });
  return ack && ack.ok ? file.name : null;
}

/** A zip of a protocol file and its media, over HTTP with the facilitator key (the socket carries no files);
 * refusals are shown as the socket's are. */
async function uploadZip(file) {
  status(t('Uploading…'), '');
  const form = new FormData();
  form.append('file', file);
  const url = `/api/sessions/${encodeURIComponent(desk.code)}/agenda/protocol`;
  let response;
  try {
    response = await fetch(url, { method: 'POST', body: form, headers: { 'X-Facilitator-Key': desk.key } });
  } catch (error) {
    status(t('That did not work; check the connection and try again.'), 'error');
    return null;
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    status(body.error || `${response.status}`, 'error');
    return null;
  }
  return body.title;
}
