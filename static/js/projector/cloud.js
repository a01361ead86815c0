/** The word cloud for text and list steps: the room's recurring words filling their box, the most frequent
 * largest and in the middle; every word at least the label size, the least frequent left out when space runs out. */

import { h } from '../lib/dom.js';
import { fitSize, overflows } from './fit.js';

const SPREAD = 2.2; // the most frequent word is this much larger than the least (plus one)

/** Most frequent in the middle: the sorted words dealt alternately to the right and to the left. */
function middleOut(words) {
  const sorted = words.slice().sort((a, b) => b.count - a.count);
  const dealt = [];
  sorted.forEach((word, index) => (index % 2 ? dealt.unshift(word) : dealt.push(word)));
  return dealt;
}

/** ``words`` ([{word, count}]) into ``list`` at sizes from ``floor`` px up to at most ``ceiling`` px. */
export function renderCloud(list, words, floor, ceiling) {
  const counts = words.map((word) => word.count);
  const least = Math.min(...counts);
  const most = Math.max(...counts);
  const items = middleOut(words).map((word) => {
    const item = h('li', { class: 'word', title: String(word.count) }, word.word);
    item.dataset.weight = most > least ? Math.sqrt((word.count - least) / (most - least)) : 0.5;
    return item;
  });
  list.replaceChildren(...items);
  const spread = Math.max(0, Math.min(SPREAD, ceiling / floor - 1)); // never past the ceiling
  const apply = (base) => items.forEach((item) => {
    item.style.fontSize = `${Math.round(base * (1 + spread * item.dataset.weight))}px`;
  });
  const fits = () => !overflows(list);
  fitSize(floor, Math.max(floor, ceiling / (1 + spread)), apply, fits);
  // At the floor and still too many: the rarest words (the outer ends of the line) go first.
  while (overflows(list) && list.children.length > 1) {
    const ends = [list.firstElementChild, list.lastElementChild];
    ends.sort((a, b) => a.dataset.weight - b.dataset.weight)[0].remove();
  }
}
