/** Export everything: start the export, follow its progress, then save the ZIP from a blob link. */

import { $ } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { desk } from './desk.js';

const EXPORT_POLL_MS = 1000;

const exportStatus = (text, kind) => {
  $('export-status').textContent = text;
  $('export-status').dataset.kind = kind || '';
};

/** An Error whose message says, in the console's words, why the server answered ``response`` with a failure. */
async function refusal(response) {
  if (response.status === 404 || response.status === 405 || response.status === 501) {
    return new Error(t('This server cannot export yet (it answered {status}).', { status: response.status }));
  }
  let message = `${response.status} ${response.statusText}`;
  try { message = (await response.json()).error || message; } catch (error) { /* not JSON: keep the status */ }
  return new Error(t('The server refused the export: {error}', { error: message }));
}

async function fetchOk(url, options) {
  let response;
  try {
    response = await fetch(url, { ...options, headers: { 'X-Facilitator-Key': desk.key }, cache: 'no-store' });
  } catch (error) {
    throw new Error(t('The server could not be reached; the export stopped. Try again.'));
  }
  if (!response.ok) throw await refusal(response);
  return response;
}

function fileName(response) {
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(response.headers.get('Content-Disposition') || '');
  return match ? decodeURIComponent(match[1]) : `pathways-${desk.code}.zip`;
}

export function wireExport() {
  $('export').addEventListener('click', async () => {
    const button = $('export');
    const link = $('export-download');
    button.disabled = true;
    link.hidden = true;
    exportStatus(t('Starting the export…'));
    try {
      const started = await (await fetchOk(`/api/sessions/${desk.code}/export`, { method: 'POST' })).json();
      for (;;) {
        const progress = await (await fetchOk(started.status_url)).json();
        if (progress.state === 'done') break;
        if (progress.state === 'failed') throw new Error(t('The export failed: {error}', { error: progress.error || '' }));
        exportStatus(t('Exporting… {done} of {total}', { done: progress.done || 0, total: progress.total || 0 }));
        await new Promise((resolve) => { setTimeout(resolve, EXPORT_POLL_MS); });
      }
      exportStatus(t('Downloading the ZIP…'));
      const zip = await fetchOk(started.download_url);
      const name = fileName(zip);
      if (link.href.startsWith('blob:')) URL.revokeObjectURL(link.href);
      link.href = URL.createObjectURL(await zip.blob());
      link.download = name;
      link.hidden = false;
      exportStatus(t('Export ready: {name}', { name }), 'ok');
      link.click();
    } catch (error) {
      exportStatus(error.message, 'error');
    } finally {
      button.disabled = false;
    }
  });
}
