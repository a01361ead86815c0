/** The person's evidence on their plan page: choosing a photo (the phone's camera) or a PDF uploads it at once; the
 * list of their files, each with a link, a share-with-my-group toggle and delete. A refused file shows the server's
 * reason beside the chooser. */

import { h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';

const KINDS = { image: t('Photo'), pdf: t('PDF') };

class Refused extends Error {}

async function send(url, options) {
  let response;
  try {
    response = await fetch(url, { cache: 'no-store', ...options });
  } catch (error) {
    throw new Refused(t('The file could not be sent: check your connection and try again.'));
  }
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Refused(answer.error || response.statusText);
  return answer;
}

export function startEvidence() {
  const section = document.querySelector('[data-evidence-url]');
  if (!section) return;
  const base = section.dataset.evidenceUrl; // /p/<token>, or /r/<token> behind a reminder's link
  const manage = 'evidenceManage' in section.dataset; // sharing and deleting: the plan page alone
  const choosers = section.querySelectorAll('input[type="file"]'); // the camera, or a photo or PDF kept
  const error = section.querySelector('[data-testid="evidence-error"]');
  const status = section.querySelector('[data-testid="evidence-status"]');
  const list = section.querySelector('[data-testid="evidence-list"]');

  const refused = (message) => {
    error.textContent = message;
    error.hidden = !message;
  };

  async function refresh() {
    const answer = await send(`${base}/evidence`, {});
    list.replaceChildren(...(answer.evidence.length ? answer.evidence.map(item)
      : [h('li', { class: 'muted', 'data-testid': 'evidence-none', text: t('No evidence yet.') })]));
  }

  function item(file) {
    const share = h('input', { type: 'checkbox', checked: file.shared_with_group, 'data-testid': 'evidence-share' });
    share.addEventListener('change', async () => {
      refused('');
      try {
        await send(`${file.url}/share`, {
          method: 'POST', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ shared: share.checked }),
        });
      } catch (failure) {
        share.checked = !share.checked;
        refused(failure.message);
      }
    });
    const remove = h('button', { type: 'button', class: 'button small danger', text: t('Delete'),
      'data-testid': 'evidence-delete' });
    remove.addEventListener('click', async () => {
      if (!window.confirm(t('Delete “{title}”? This cannot be undone.', { title: file.title }))) return;
      refused('');
      try {
        await send(`${file.url}/delete`, { method: 'POST' });
        await refresh();
      } catch (failure) {
        refused(failure.message);
      }
    });
    return h('li', { class: 'evidence-file', 'data-testid': 'evidence-file' },
      h('a', { href: file.url, download: '', 'data-testid': 'evidence-link', text: file.title }),
      h('span', { class: 'muted', text: ` ${KINDS[file.kind] || file.kind} · ${t('{size} KB', { size: Math.ceil(file.bytes / 1024) })}` }),
      ...(manage ? [h('label', { class: 'check' }, share, h('span', { text: t('Share with my group') })), remove] : []));
  }

  const upload = async (input) => {
    const chosen = input.files && input.files[0];
    if (!chosen) return;
    refused('');
    status.textContent = t('Uploading…');
    const form = new FormData();
    form.append('file', chosen);
    try {
      await send(`${base}/evidence`, { method: 'POST', body: form });
      status.textContent = t('Added.');
      await refresh();
    } catch (failure) {
      status.textContent = '';
      refused(failure.message);
    } finally {
      input.value = '';
    }
  };
  choosers.forEach((input) => input.addEventListener('change', () => upload(input)));

  refresh().catch((failure) => refused(failure.message));
}
