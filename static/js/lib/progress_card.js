/** A card of someone's shared progress, as the plan page's wall, the leaders' wall, the console and the projector
 * show it: name, system goal, goal, the measure's chart and the files shared with the viewer. Every text goes in as
 * text; the chart is the server's own SVG drawing, parsed as SVG and stripped of anything active before it is
 * put in the page. */

import { h } from './dom.js';
import { percent, t } from './i18n.js';

const KINDS = { image: t('photo'), pdf: t('PDF') };
const AUDIENCES = { group: t('Shared with the group'), organisation: t('Shared with the organisation') };
const ACTIVE = 'script, foreignObject, a, use, image, iframe, style, animate, set';

/** The server's chart as an SVG element, or null: only an <svg> with no script, link or event handler survives. */
export function chartElement(svgText) {
  if (typeof svgText !== 'string' || !svgText.startsWith('<svg')) return null;
  const parsed = new DOMParser().parseFromString(svgText, 'image/svg+xml');
  const svg = parsed.documentElement;
  if (!svg || svg.localName !== 'svg' || parsed.getElementsByTagName('parsererror').length) return null;
  svg.querySelectorAll(ACTIVE).forEach((node) => node.remove());
  for (const node of [svg, ...svg.querySelectorAll('*')]) {
    for (const attribute of [...node.attributes]) {
      if (/^on|href$/i.test(attribute.name)) node.removeAttribute(attribute.name);
    }
  }
  return document.importNode(svg, true);
}

/** The measure in a line: baseline, latest, target and how far it has come. */
export function measureLine(measure) {
  const parts = [t('Baseline {baseline} · target {target}', { baseline: measure.baseline.label, target: measure.target.label })];
  if (measure.latest) parts.push(t('Latest {latest}', { latest: measure.latest.label }));
  if (!measure.latest) parts.push(t('No result recorded yet'));
  else parts.push(measure.moved ? t('{share} of the way to the target', { share: percent(measure.share) }) : t('Not moved toward the target yet'));
  return parts.join(' · ');
}

/**
 * The card. ``options``: ``heading`` (the name's tag), ``className`` (more classes), ``fileLink(file)`` (an element
 * that opens a shared file; without it files are counted, not listed, unless ``counted`` is false) and ``audience``
 * (say who it is shared with).
 */
export function progressCard(card, options = {}) {
  const { heading = 'h3', className = '', fileLink = null, audience = false, counted = true } = options;
  const measure = card.measure;
  const chart = measure ? chartElement(card.chart_svg) : null;
  const files = card.evidence || [];
  return h('article', { class: `progress-card ${className}`.trim(), 'data-testid': 'progress-card' },
    h(heading, { class: 'progress-card-name', 'data-testid': 'progress-card-name', text: card.name }),
    audience ? h('p', { class: 'progress-card-audience', text: AUDIENCES[card.audience] || '' }) : null,
    card.system_goal ? h('p', { class: 'progress-card-system', text: card.system_goal }) : null,
    h('p', { class: 'progress-card-goal', 'data-testid': 'progress-card-goal', text: card.goal || t('No goal written yet') }),
    measure ? h('figure', { class: 'progress-card-chart' },
      h('p', { class: 'progress-card-what', text: measure.what }),
      chart,
      h('figcaption', { class: 'progress-card-line', 'data-testid': 'progress-card-measure', text: measureLine(measure) }))
      : h('p', { class: 'muted', text: t("No measure of students' learning yet.") }),
    fileLink && files.length ? h('div', { class: 'progress-card-files' },
      h('p', { class: 'progress-card-files-heading', text: t('Evidence') }),
      h('ul', {}, files.map((file) => h('li', {}, fileLink(file),
        h('span', { class: 'muted', text: ` ${KINDS[file.kind] || file.kind}` })))))
      : null,
    !fileLink && counted && card.evidence_count ? h('p', { class: 'muted', text: t('{n} evidence file(s) shared', { n: card.evidence_count }) }) : null);
}
