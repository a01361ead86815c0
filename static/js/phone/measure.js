/** The answer box of a measure step: what the person will look at in their students' learning, its unit (with what
 * a score is out of, or a rubric's number of levels), a baseline and a target, each a value and a date. */

import { h, show } from '../lib/dom.js';
import { t } from '../lib/i18n.js';

const UNIT_NAMES = {
  percent: t('Percent'), count: t('Count'), score: t('Score out of a maximum'), rubric: t('Rubric level'),
};
const UNITS = Object.keys(UNIT_NAMES);
const WITH_OUT_OF = new Set(['score', 'rubric']);
/** The baseline's and the target's words: the box's legend, its hint, and what the check says when it is not filled. */
const POINTS = {
  baseline: {
    legend: t('Baseline'), hint: t('Where it stands now, and when you looked.'),
    missing: t('Give the baseline a number and a date.'),
  },
  target: {
    legend: t('Target'), hint: t('Where you aim to get, and by when.'),
    missing: t('Give the target a number and a date.'),
  },
};

/** What a value is counted in, for the chosen unit; ``levels`` is what a score or rubric is out of. */
function valueWords(unit, levels) {
  switch (unit) {
    case 'percent': return t('Percent (0 to 100)');
    case 'count': return t('Number');
    case 'score': return t('Score (0 to {n})', { n: levels });
    default: return t('Level (1 to {n})', { n: levels });
  }
}

/** A number as typed ('' for none); what is not a number stays as typed, for the check to name. */
function typedNumber(text) {
  const trimmed = text.trim();
  if (!trimmed) return null;
  const number = Number(trimmed);
  return Number.isFinite(number) ? number : trimmed;
}

/** A labelled input; ``name`` makes its id and test id. */
function field(name, label, props) {
  const input = h('input', { id: `measure-${name}`, 'data-testid': `measure-${name}`, ...props });
  return { input, node: h('div', { class: 'measure-field' }, h('label', { for: input.id, text: label }), input) };
}

/** The baseline's or the target's value and date, side by side. */
function point(name, changed) {
  const value = field(`${name}-value`, '', { type: 'text', inputmode: 'decimal', autocomplete: 'off', oninput: changed });
  const day = field(`${name}-date`, t('Date'), { type: 'date', onchange: changed });
  const hint = h('p', { class: 'hint', text: POINTS[name].hint });
  const box = h('fieldset', { class: `measure-point measure-${name}` },
    h('legend', { text: POINTS[name].legend }), hint, h('div', { class: 'measure-pair' }, value.node, day.node));
  return { box, value: value.input, valueLabel: value.node.querySelector('label'), date: day.input };
}

export function measureInput(step, box, { changed }) {
  const what = field('what', t("What you will look at in your students' learning"), {
    type: 'text', maxlength: 200, autocomplete: 'off', placeholder: t('e.g. share of my class reading at grade level'), oninput: changed,
  });
  const unit = h('select', { id: 'measure-unit', 'data-testid': 'measure-unit' },
    UNITS.map((id) => h('option', { value: id, text: UNIT_NAMES[id] })));
  const outOf = field('out-of', '', { type: 'text', inputmode: 'numeric', autocomplete: 'off', oninput: changed });
  const baseline = point('baseline', changed);
  const target = point('target', changed);

  /** The labels that depend on the unit: what the "out of" is, and what a value is counted in. */
  function relabel() {
    const chosen = unit.value;
    const levels = outOf.input.value.trim() || '…';
    show(outOf.node, WITH_OUT_OF.has(chosen));
    outOf.node.querySelector('label').textContent = chosen === 'rubric' ? t('Number of rubric levels') : t('Maximum score');
    for (const { valueLabel } of [baseline, target]) valueLabel.textContent = valueWords(chosen, levels);
  }
  unit.addEventListener('change', () => { relabel(); changed(); });
  outOf.input.addEventListener('input', relabel);

  box.replaceChildren(h('div', { class: 'measure', 'data-testid': 'measure' },
    what.node,
    h('div', { class: 'measure-field' }, h('label', { for: 'measure-unit', text: t('Unit') }), unit),
    outOf.node, baseline.box, target.box));
  relabel();

  const raw = () => ({
    what: what.input.value,
    unit: unit.value,
    out_of: outOf.input.value,
    baseline: { value: baseline.value.value, date: baseline.date.value },
    target: { value: target.value.value, date: target.date.value },
  });
  const value = () => {
    const typed = raw();
    return {
      what: typed.what.trim(),
      unit: typed.unit,
      out_of: WITH_OUT_OF.has(typed.unit) ? typedNumber(typed.out_of) : null,
      baseline: { value: typedNumber(typed.baseline.value), date: typed.baseline.date },
      target: { value: typedNumber(typed.target.value), date: typed.target.date },
    };
  };
  return {
    value,
    raw,
    /** A saved measure, a draft as typed, or the earlier measure a revisit offers to keep. */
    set(value) {
      const measure = value && typeof value === 'object' ? value : {};
      const text = (item) => (item == null ? '' : String(item));
      what.input.value = text(measure.what);
      unit.value = UNITS.includes(measure.unit) ? measure.unit : UNITS[0];
      outOf.input.value = text(measure.out_of);
      for (const [name, part] of [['baseline', baseline], ['target', target]]) {
        const given = measure[name] && typeof measure[name] === 'object' ? measure[name] : {};
        part.value.value = text(given.value);
        part.date.value = text(given.date);
      }
      relabel();
    },
    check() {
      const typed = value();
      if (!typed.what) return t('Say what you will look at first.');
      if (WITH_OUT_OF.has(typed.unit) && typeof typed.out_of !== 'number') {
        return typed.unit === 'rubric' ? t('Give the number of rubric levels as a whole number.')
          : t('Give the maximum score as a whole number.');
      }
      for (const name of ['baseline', 'target']) {
        const given = typed[name];
        if (typeof given.value !== 'number' || !given.date) return POINTS[name].missing;
      }
      return null; // ranges and dates are the server's to check: its message names the field
    },
  };
}
