/** Console links this browser was given: shown again without making a new key. */

const LINKS_KEY = 'pathways:console-links'; // localStorage: join code -> console URL this browser was given

export function savedLinks() {
  try {
    return JSON.parse(localStorage.getItem(LINKS_KEY) || '{}');
  } catch (error) {
    return {};
  }
}

export function saveLink(code, url) {
  const links = savedLinks();
  if (url) links[code] = url;
  else delete links[code];
  localStorage.setItem(LINKS_KEY, JSON.stringify(links));
}
