/** Days as a person reads them. */

/** "2027-01-15" as this device writes a day ("15 Jan 2027"); what is not a day comes back as it was. */
export function day(iso) {
  const date = new Date(`${iso}T00:00:00`);
  return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
}
