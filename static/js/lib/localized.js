/** A protocol's own texts in the language a screen shows: what `step.translations` carries (docs/API.md). */

import { t } from './i18n.js';

const STEP_TEXTS = ['title', 'prompt', 'first_time_prompt', 'min_label', 'max_label', 'notes'];
// A slide the console adds between activities (protocols/media.py) is asked in Pathways' own words: the step goes
// to the whole room once, in English, and each screen says it in its own language.
const SLIDE_PROMPT = 'Look at the screen.';

/** The step's texts in `code` (`es-MX` reads `es` when it has no `es-MX`), or null when it has none. */
function textsFor(step, code) {
  const known = (step && step.translations) || {};
  if (!code) return null;
  return known[code] || known[code.split(/[-_]/)[0]] || null;
}

/**
 * The step with every text it has in `code` put in place of its own, field by field: title, prompt,
 * first_time_prompt, min_label, max_label, notes (the console's), the protocol's title, each option's label and
 * each role's prompt. A text the language lacks stays the step's own; ids never change.
 */
export function localized(step, code) {
  const texts = textsFor(step, code);
  if (step && step.prompt === SLIDE_PROMPT) return { ...step, prompt: t('Look at the screen.') };
  if (!texts) return step;
  const shown = { ...step };
  for (const field of STEP_TEXTS) {
    if (texts[field] && field in step) shown[field] = texts[field];
  }
  if (texts.protocol) shown.protocol = texts.protocol;
  if (Array.isArray(step.options) && texts.options) {
    shown.options = step.options.map((option) => ({ ...option, label: texts.options[option.id] || option.label }));
  }
  if (step.prompts && texts.prompts) shown.prompts = { ...step.prompts, ...texts.prompts };
  return shown;
}

/** What a role is asked on the step in `code`: its translated prompt, else `rolePrompt` (the state's own). */
export function localizedRolePrompt(step, code, roleId, rolePrompt) {
  const texts = textsFor(step, code);
  return (rolePrompt && roleId && texts && texts.prompts && texts.prompts[roleId]) || rolePrompt;
}

/** A role (`{id, title, notes, presents}`) with its title and notes in `code`, from the open step's translations. */
export function localizedRole(role, step, code) {
  const texts = textsFor(step, code);
  const own = role && texts && texts.roles && texts.roles[role.id];
  if (!own) return role;
  return { ...role, title: own.title || role.title, notes: own.notes || role.notes };
}

/** The protocol's norms in `code` (`normsTranslations` is a state's `norms_translations`), else as written. */
export function localizedNorms(norms, normsTranslations, code) {
  const known = normsTranslations || {};
  const found = code && (known[code] || known[code.split(/[-_]/)[0]]);
  return found && found.length === norms.length ? found : norms;
}
