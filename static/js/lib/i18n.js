/**
 * The page's words in the reader's language: sentences are written in English where they are used, `t('…')` or
 * `tn('…', '…', n)`, and looked up in the language's catalogue (a gettext catalogue the server hands over as JSON,
 * named by <html data-catalogue>, cached by the browser). A sentence the catalogue lacks stays in English.
 */

const root = document.documentElement;

const ATTEMPT_MS = 4000; // a venue's Wi-Fi can swallow a request whole: each try gives up after this
const PAUSES_MS = [0, 500, 1500];

/** The catalogue, fetched once before any screen draws (modules that import this wait for it): a few tries, each
 * cut short when nothing comes back, then English rather than a page that never starts. The browser keeps the
 * catalogue once it has it, so a reload does not ask again. */
async function load(address) {
  const empty = { language: root.lang || 'en', plural: { one: 0, other: 1 }, messages: {} };
  if (!address) return empty;
  for (const pause of PAUSES_MS) {
    await new Promise((resolve) => { setTimeout(resolve, pause); });
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(), ATTEMPT_MS);
    try {
      const response = await fetch(address, { credentials: 'same-origin', signal: stop.signal });
      if (response.ok) return await response.json();
    } catch {
      // dropped or cut short: try again
    } finally {
      clearTimeout(timer);
    }
  }
  return empty;
}

const catalogue = await load(root.dataset.catalogue);
const rules = new Intl.PluralRules(catalogue.language);

/** The page's language code (`es`), for dates and numbers written the language's way. */
export const language = catalogue.language;

const numbers = new Intl.NumberFormat(language);
const percents = new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 0 });

/** A number written the language's way (`1,234`, `1 234`). */
export function number(n) {
  return numbers.format(n);
}

/** A share (0.25) as the language writes a percentage (`25%`, `25 %`). */
export function percent(share) {
  return percents.format(share);
}

function fill(text, vars) {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, key) => (key in vars ? String(vars[key]) : whole));
}

/** `message` in the page's language, with {name} placeholders filled from vars. */
export function t(message, vars) {
  const found = catalogue.messages[message];
  return fill(typeof found === 'string' && found ? found : message, vars);
}

/** The form of a sentence the language uses for `n`; {n} is filled with n written the language's way. */
export function tn(singular, plural, n, vars) {
  const forms = catalogue.messages[singular];
  const index = catalogue.plural[rules.select(n)] ?? catalogue.plural.other ?? 1;
  const chosen = Array.isArray(forms) && forms[index] ? forms[index] : n === 1 ? singular : plural;
  return fill(chosen, { n: number(n), ...vars });
}
