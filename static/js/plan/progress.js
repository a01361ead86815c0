/** Sharing one's progress, on the plan page: who sees it (nobody, my group, my organisation) with a plain account of
 * what is shown, which evidence files go with it, a preview of one's own card, and the wall of what colleagues
 * share. Each change is saved at once and the section is read again from the server. */

import { h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { progressCard } from '../lib/progress_card.js';
import { requestJson } from '../lib/requests.js';


let section = null;
let body = null;
let base = ''; // /p/<token>
let data = null; // GET <base>/progress.json
let said = ''; // the last status, kept across a redraw

const send = (method, path, payload) => requestJson(`${base}${path}`, method, payload, t('The server could not be reached; check your connection and try again.'));

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

/** Each audience one may choose, in order: its name, who that is, and what is said once it is saved. */
function audiences() {
  const table = t('The colleagues at your table on the day you wrote your goal.');
  return {
    nobody: { name: t('Nobody'), hint: t('Only you. This is where everyone starts.'),
      saved: t('Saved: nobody sees your progress now, everywhere at once.') },
    group: { name: t('My group'),
      hint: data.has_group ? table : `${table} ${t('You were not seated at a table that day, so nobody would see it yet.')}`,
      saved: t('Saved: the colleagues at your table see your progress.') },
    organisation: { name: t('My organisation'),
      hint: t("Everyone in {organisation}'s sessions and its leaders: on the progress wall, and in a progress round a facilitator runs on a later day.", { organisation: organisationName() }),
      saved: t('Saved: your organisation sees your progress.') },
  };
}

function choice() {
  const legend = h('legend', { text: t('Who sees my progress') });
  const options = Object.entries(audiences()).map(([value, words]) => {
    const id = `progress-audience-${value}`;
    const input = h('input', { type: 'radio', name: 'progress-audience', id, value, checked: data.audience === value,
      'aria-describedby': `${id}-hint`, 'data-testid': `progress-audience-${value}` });
    input.addEventListener('change', () => {
      if (!input.checked) return;
      body.querySelector('[data-testid="progress-status"]').textContent = t('Saving…');
      change(() => send('POST', '/progress/share', { audience: value }), words.saved);
    });
    return h('div', { class: 'progress-choice' }, input,
      h('label', { for: id }, h('strong', { text: words.name })),
      h('p', { class: 'hint', id: `${id}-hint`, text: words.hint }));
  });
  return h('fieldset', { class: 'progress-choices', disabled: !data.own }, legend, ...options);
}

function files() {
  const list = data.files || [];
  return h('div', { class: 'progress-files' },
    h('h3', { text: t('Evidence shown with my progress') }),
    h('p', { class: 'hint', text: list.length ? t('Tick a file to show it. Only the people you share with can open it, and only while you share.') : t('You have no evidence files yet. Add a photo or a PDF under Evidence above, then tick it here.') }),
    list.length ? h('ul', { class: 'progress-file-list', 'data-testid': 'progress-files' }, list.map((file) => {
      const id = `progress-file-${file.id}`;
      const box = h('input', { type: 'checkbox', id, checked: file.selected, 'data-testid': 'progress-file' });
      box.addEventListener('change', () => change(
        () => send('POST', `/progress/evidence/${file.id}`, { selected: box.checked }),
        `${file.title}: ${box.checked ? t('Shown with your progress') : t('No longer shown with your progress')}`));
      return h('li', { class: 'check' }, box, h('label', { for: id, text: file.title }));
    })) : null);
}

function preview() {
  if (!data.own) return h('p', { class: 'muted', text: t('You have no goal yet: write one on a PD day to share your progress.') });
  const shown = data.audience !== 'nobody';
  return h('div', { class: 'progress-preview', 'data-testid': 'progress-preview' },
    h('h3', { text: t('What colleagues see') }),
    h('p', { class: 'hint', text: shown ? t('Your card, as the people you share with see it:') : t('Nobody sees this now. If you share, this is your card:') }),
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
    h('p', { text: t('Accountability is sharing progress with colleagues. You choose who sees yours; nobody does until you say so, and you can stop at any time.') }),
    h('div', { class: 'progress-what' },
      h('h3', { text: t('What is shown') }),
      h('p', { text: t("Your name, your goal as it reads now and its system goal, your measure's chart (baseline, results and target) and only the evidence files you tick below.") }),
      h('p', { class: 'hint', text: t("Never shown: your check-ins' notes and private notes, your private reflection, your conversation with your coach, or anything else on this page.") })),
    choice(),
    h('p', { class: 'progress-status', role: 'status', tabindex: '-1', 'data-testid': 'progress-status', text: said }),
    h('p', { class: 'form-error', role: 'alert', 'data-testid': 'progress-error' }),
    files(),
    preview(),
    h('div', { class: 'progress-wall', 'data-testid': 'progress-wall' },
      h('h3', { class: 'progress-wall-heading', text: t("Colleagues' progress") }),
      h('p', { class: 'hint', text: t('What colleagues chose to share with you.') }),
      wallPart(t('My group'), data.group || [], t('Nobody at your table shares with the group yet.'), 'progress-wall-group'),
      wallPart(t('The progress wall: {organisation}', { organisation: organisationName() }), data.organisation || [],
        t('Nobody shares with the organisation yet.'), 'progress-wall-organisation')));
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
