/** Sharing one's progress, on the plan page: who sees it (nobody, my group, my organisation) with a plain account of
 * what is shown, which evidence files go with it, a preview of one's own card, and the wall of what colleagues
 * share. Each change is saved at once and the section is read again from the server. */

import { h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { progressCard } from '../lib/progress_card.js';
import { requestJson } from '../lib/requests.js';

const w = (key, vars) => t(`progress.plan.${key}`, vars);
const CHOICES = ['nobody', 'group', 'organisation'];

let section = null;
let body = null;
let base = ''; // /p/<token>
let data = null; // GET <base>/progress.json
let said = ''; // the last status, kept across a redraw

const send = (method, path, payload) => requestJson(`${base}${path}`, method, payload, w('network_error'));

const organisationName = () => section.dataset.organisation || '';

/** A change, then the section read again; a refusal shows the server's words and puts the form back. */
async function change(request, done) {
  const error = body.querySelector('[data-testid="progress-error"]');
  error.textContent = '';
  try {
    await request();
    data = await send('GET', '/progress.json');
    said = done;
    draw();
    const status = body.querySelector('[data-testid="progress-status"]');
    if (status) status.focus();
  } catch (failure) {
    draw();
    body.querySelector('[data-testid="progress-error"]').textContent = failure.message;
  }
}

function choice() {
  const legend = h('legend', { text: w('choice_legend') });
  const options = CHOICES.map((value) => {
    const id = `progress-audience-${value}`;
    const hint = value === 'organisation' ? w('organisation_hint', { organisation: organisationName() })
      : value === 'group' && !data.has_group ? `${w('group_hint')} ${w('group_none')}` : w(`${value}_hint`);
    const input = h('input', { type: 'radio', name: 'progress-audience', id, value, checked: data.audience === value,
      'aria-describedby': `${id}-hint`, 'data-testid': `progress-audience-${value}` });
    input.addEventListener('change', () => {
      if (!input.checked) return;
      body.querySelector('[data-testid="progress-status"]').textContent = w('saving');
      change(() => send('POST', '/progress/share', { audience: value }), w(`saved_${value}`));
    });
    return h('div', { class: 'progress-choice' }, input,
      h('label', { for: id }, h('strong', { text: w(value) })),
      h('p', { class: 'hint', id: `${id}-hint`, text: hint }));
  });
  return h('fieldset', { class: 'progress-choices', disabled: !data.own }, legend, ...options);
}

function files() {
  const list = data.files || [];
  return h('div', { class: 'progress-files' },
    h('h3', { text: w('files_heading') }),
    h('p', { class: 'hint', text: list.length ? w('files_hint') : w('files_none') }),
    list.length ? h('ul', { class: 'progress-file-list', 'data-testid': 'progress-files' }, list.map((file) => {
      const id = `progress-file-${file.id}`;
      const box = h('input', { type: 'checkbox', id, checked: file.selected, 'data-testid': 'progress-file' });
      box.addEventListener('change', () => change(
        () => send('POST', `/progress/evidence/${file.id}`, { selected: box.checked }),
        `${file.title}: ${box.checked ? w('file_shown') : w('file_hidden')}`));
      return h('li', { class: 'check' }, box, h('label', { for: id, text: file.title }));
    })) : null);
}

function preview() {
  if (!data.own) return h('p', { class: 'muted', text: w('no_goal_yet') });
  const shown = data.audience !== 'nobody';
  return h('div', { class: 'progress-preview', 'data-testid': 'progress-preview' },
    h('h3', { text: w('preview_heading') }),
    h('p', { class: 'hint', text: shown ? w('preview_shown') : w('preview_hidden') }),
    progressCard(data.own, { heading: 'h4', className: shown ? '' : 'not-shared', fileLink }));
}

function fileLink(file) {
  return h('a', { href: file.url, download: '', 'data-testid': 'progress-card-file', text: file.title });
}

function wallPart(title, cards, none, testid) {
  return h('div', { class: 'progress-wall-part', 'data-testid': testid },
    h('h4', { text: title }),
    cards.length ? h('div', { class: 'progress-cards' }, cards.map((card) => progressCard(card, { heading: 'h5', fileLink })))
      : h('p', { class: 'muted', text: none }));
}

function draw() {
  body.replaceChildren(
    h('p', { text: w('intro') }),
    h('div', { class: 'progress-what' },
      h('h3', { text: w('what_heading') }),
      h('p', { text: w('what') }),
      h('p', { class: 'hint', text: w('never') })),
    choice(),
    h('p', { class: 'progress-status', role: 'status', tabindex: '-1', 'data-testid': 'progress-status', text: said }),
    h('p', { class: 'form-error', role: 'alert', 'data-testid': 'progress-error' }),
    files(),
    preview(),
    h('div', { class: 'progress-wall', 'data-testid': 'progress-wall' },
      h('h3', { class: 'progress-wall-heading', text: w('wall_heading') }),
      h('p', { class: 'hint', text: w('wall_intro') }),
      wallPart(w('wall_group'), data.group || [], w('wall_group_none'), 'progress-wall-group'),
      wallPart(w('wall_organisation', { organisation: organisationName() }), data.organisation || [],
        w('wall_organisation_none'), 'progress-wall-organisation')));
}

export async function startProgress() {
  section = document.querySelector('[data-progress-url]');
  if (!section) return;
  base = section.dataset.progressUrl;
  body = section.querySelector('[data-progress-body]');
  try {
    data = await send('GET', '/progress.json');
  } catch (failure) {
    body.replaceChildren(h('p', { class: 'form-error', role: 'alert', text: failure.message }));
    return;
  }
  draw();
}
