/** Adding protocols to the agenda: from the library (fetched when the panel first opens) or an uploaded file. */

import { $, h } from '../lib/dom.js';
import { language, t } from '../lib/i18n.js';
import { localized } from '../lib/localized.js';
import { send, status } from './desk.js';

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
    const file = event.target.files[0];
    if (!file) return;
    const ack = await send('agenda_add', { toml: await file.text(), file_name: file.name });
    if (ack && ack.ok) status(t('“{title}” added to the end of the agenda.', { title: file.name }), 'ok');
    event.target.value = '';
  });
}
