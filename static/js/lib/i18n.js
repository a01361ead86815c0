/** The page's words: the list the server put in #words (only the parts this screen reads), looked up by path. */

const words = JSON.parse(document.getElementById('words').textContent);

/** The word at a dotted path, with {name} placeholders filled from vars; the path itself when there is none. */
export function t(path, vars) {
  let text = path.split('.').reduce((node, key) => (node == null ? node : node[key]), words);
  if (typeof text !== 'string') return path;
  if (vars) text = text.replace(/\{(\w+)\}/g, (whole, key) => (key in vars ? String(vars[key]) : whole));
  return text;
}
