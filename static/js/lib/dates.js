/** Days as a person reads them. */

import { language } from './i18n.js';

/** "2027-01-15" as the page's language writes a day ("15 Jan 2027"); what is not a day comes back as it was. */
export function day(iso) {
  const date = new Date(`${iso}T00:00:00`);
  if (Number.isNaN(date.getTime())) return String(iso);
  return date.toLocaleDateString(language, { day: 'numeric', month: 'short', year: 'numeric' });
}
