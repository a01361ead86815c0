/** What the room sees of its answers, over the screen's width and height: the spotlit ones (the largest text on
 * screen), the aggregate of the step (bars, a ranking, a histogram, a word cloud with the latest answers). Sizes
 * come from static/css/projector.css; where text could run past its box it is fitted here (fit.js). */

import { $, h } from '../lib/dom.js';
import { language, t } from '../lib/i18n.js';
import { localized } from '../lib/localized.js';
import { renderCloud } from './cloud.js';
import { cssPx, fitSize, keepWhatFits, overflows } from './fit.js';

const CLOUD_UNDER_SPOTLIGHT = 0.8; // the cloud's largest word, as a share of the spotlight's size
const CLOUD_OF_ITS_BOX = 0.7; // …or of the cloud's height, when nothing is spotlit
let spotlightPx = 0; // the spotlight's fitted size, or 0 when nothing is spotlit
let spotlitKey = ''; // what the spotlight shows, so a new count elsewhere leaves it be

/** Answers the facilitator put up: the largest size at which all of them show whole (at least the spotlight's
 * floor, above every other text; below it, each is cut to the lines it has room for). */
export function renderSpotlight(chosen) {
  const list = $('spotlight');
  list.hidden = !chosen.length;
  $('step').classList.toggle('has-spotlight', chosen.length > 0);
  const key = JSON.stringify(chosen);
  if (spotlitKey !== key) {
    spotlitKey = key;
    list.replaceChildren(...chosen.map((entry) => h('li', { class: 'spotlit' },
      h('span', { class: 'spotlit-text', text: entry.text }),
      entry.name ? h('span', { class: 'spotlit-name', text: entry.name }) : null)));
  }
  spotlightPx = chosen.length ? fitSpotlight(list, chosen.length) : 0;
}

function fitSpotlight(list, count) {
  list.style.setProperty('--spotlight-columns', count === 1 ? 1 : count <= 4 ? 2 : 3);
  list.style.removeProperty('--spotlight-lines');
  list.style.fontSize = '';
  const cards = [...list.children];
  const size = fitSize(cssPx(list, '--spotlight-floor'), cssPx(list, '--spotlight-size'),
    (px) => { list.style.fontSize = `${px}px`; }, () => !cards.some(overflows));
  if (cards.some(overflows)) {
    // Too long even at the floor: as many whole lines as the shortest card holds, the last ending in an ellipsis.
    const style = getComputedStyle(cards[0]);
    const name = cards[0].querySelector('.spotlit-name');
    const taken = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom)
      + (name ? name.offsetHeight + (parseFloat(style.rowGap) || 0) : 0);
    const room = Math.min(...cards.map((card) => card.clientHeight)) - taken;
    const line = parseFloat(getComputedStyle(cards[0].querySelector('.spotlit-text')).lineHeight) || size * 1.12;
    list.style.setProperty('--spotlight-lines', Math.max(1, Math.floor(room / line)));
  }
  return size;
}

function note(text) {
  return h('p', { class: 'aggregate-note', text });
}

/** A measure step's bars: how many wrote a measure in each unit, by the unit's id. */
const UNIT_LABELS = { percent: t('Percent'), count: t('Count'), score: t('Score'), rubric: t('Rubric level') };

/**
 * The aggregate in the room's language: an option's bar (named by its id) takes the option's translated label, a
 * measure's bar its unit's; a scale's end labels are the step's translated ones. Counts and order stay the
 * server's.
 */
function inLanguage(step, aggregate) {
  if (!aggregate || !Array.isArray(aggregate.bars)) return aggregate;
  const shown = localized(step, language);
  const labels = new Map((shown.options || []).map((option) => [option.id, option.label]));
  if (step.kind === 'measure') Object.entries(UNIT_LABELS).forEach(([id, label]) => labels.set(id, label));
  const bars = aggregate.bars.map((bar) => (labels.has(bar.id) ? { ...bar, label: labels.get(bar.id) } : bar));
  const ends = aggregate.type === 'histogram' ? { min_label: shown.min_label, max_label: shown.max_label } : {};
  return { ...aggregate, bars, ...ends };
}

export function renderAggregate(step, counted) {
  const box = $('aggregate');
  const aggregate = counted && inLanguage(step, counted);
  const type = aggregate ? aggregate.type : '';
  if (box.dataset.type !== type || box.dataset.step !== step.id) {
    box.replaceChildren();
    box.dataset.type = type;
    box.dataset.step = step.id;
    delete box.dataset.order;
  }
  if (!aggregate) {
    const shared = step.visibility === 'room' || step.visibility === 'room-named';
    box.replaceChildren(note(step.kind === 'none' ? t('Talk it through; nothing to answer on the phone.') : shared ? t('Answers will appear here.') : t('Answers to this step are not shown on the screen.')));
    return;
  }
  if (type === 'bars') renderBars(box, aggregate.bars);
  else if (type === 'ranking') renderRanking(box, aggregate);
  else if (type === 'histogram') renderHistogram(box, aggregate);
  else if (type === 'words') renderWords(box, aggregate);
}

/** Rows of bars sharing the room's height, one per option or system goal; updated in place so the bars grow
 * smoothly. Many options take two or three columns; short rows give each label one line. */
function renderBars(box, bars, ...after) {
  let list = box.querySelector('.bars');
  if (!list || list.children.length !== bars.length) {
    list = h('ol', { class: 'bars' }, bars.map(() =>
      h('li', { class: 'bar' },
        h('span', { class: 'bar-label' }),
        h('span', { class: 'bar-track' }, h('span', { class: 'bar-fill' })),
        h('span', { class: 'bar-count' }))));
    box.replaceChildren(list, ...after);
  }
  const max = Math.max(1, ...bars.map((bar) => bar.count));
  bars.forEach((bar, index) => {
    const row = list.children[index];
    row.querySelector('.bar-label').textContent = bar.label;
    row.querySelector('.bar-count').textContent = bar.count;
    row.querySelector('.bar-fill').style.width = `${(bar.count / max) * 100}%`;
  });
  layOutBars(list, bars.length);
}

function layOutBars(list, count) {
  const line = cssPx(list, '--label-size') * 1.12; // .bar's line-height
  const slack = 2; // a pixel or two of rounding per row
  const height = list.clientHeight;
  const gap = parseFloat(getComputedStyle(list).rowGap) || 0;
  const rowsThatFit = Math.max(1, Math.floor((height + gap) / (line + slack + gap)));
  const columns = Math.min(3, Math.ceil(count / rowsThatFit));
  const rows = Math.ceil(count / columns);
  list.style.setProperty('--bar-columns', columns);
  list.style.setProperty('--bar-rows', rows);
  list.style.setProperty('--label-lines', (height + gap) / rows - gap >= 2 * line + slack ? 2 : 1);
}

/** The room's order for a rank step: bars of points, most important first, with how the points are counted. */
function renderRanking(box, aggregate) {
  const order = aggregate.bars.map((bar) => bar.label).join('\n');
  if (box.dataset.order !== order) {
    box.replaceChildren();
    box.dataset.order = order; // a new order rebuilds the list, so each bar keeps its label
  }
  renderBars(box, aggregate.bars.map((bar, n) => ({ label: `${n + 1}. ${bar.label}`, count: bar.count })),
    note(t('Points: first place earns {n}, last place 1.', { n: aggregate.bars.length })));
}

/** A column per scale value across the width, the scale's end labels underneath. */
function renderHistogram(box, aggregate) {
  const bars = aggregate.bars;
  let chart = box.querySelector('.histogram');
  if (!chart || chart.children.length !== bars.length) {
    chart = h('ol', { class: 'histogram' }, bars.map(() =>
      h('li', { class: 'column' },
        h('span', { class: 'column-count' }),
        h('span', { class: 'column-track' }, h('span', { class: 'column-fill' })),
        h('span', { class: 'column-label' }))));
    box.replaceChildren(h('div', { class: 'histogram-view' }, chart,
      h('p', { class: 'histogram-ends' },
        h('span', { text: aggregate.min_label || '' }),
        h('span', { text: aggregate.max_label || '' }))));
  }
  const max = Math.max(1, ...bars.map((bar) => bar.count));
  bars.forEach((bar, index) => {
    const column = chart.children[index];
    column.querySelector('.column-count').textContent = bar.count;
    column.querySelector('.column-label').textContent = bar.label;
    column.querySelector('.column-fill').style.height = `${(bar.count / max) * 100}%`;
  });
}

/** The word cloud over the room's space and, beneath it, the latest answers large (named on room-named steps),
 * the newest first, as many as show whole. */
function renderWords(box, aggregate) {
  const words = aggregate.words || [];
  const latest = aggregate.named
    ? aggregate.named.map((entry) => h('li', {}, h('span', { class: 'answer-lines' }, h('strong', { text: entry.name }), h('span', { text: entry.text }))))
    : (aggregate.recent || []).map((text) => h('li', {}, h('span', { class: 'answer-lines', text })));
  if (!words.length && !latest.length) {
    box.replaceChildren(note(t('Answers will appear here.')));
    return;
  }
  const cloud = h('ul', { class: 'words' });
  const answers = h('ul', { class: `answers ${aggregate.named ? 'named' : 'recent'}` }, latest.reverse());
  const both = words.length && latest.length;
  box.replaceChildren(h('div', { class: `words-view${both ? ' with-answers' : ''}` },
    words.length ? cloud : null, latest.length ? answers : null));
  const floor = cssPx(cloud, '--label-size');
  const ceiling = spotlightPx ? spotlightPx * CLOUD_UNDER_SPOTLIGHT : cloud.clientHeight * CLOUD_OF_ITS_BOX;
  if (words.length) renderCloud(cloud, words, floor, Math.max(floor, ceiling));
  if (latest.length) keepWhatFits(answers);
}
