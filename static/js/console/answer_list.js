/** A list of thousands of one-line rows that stays smooth: only the rows in sight (and the selected one) are in the
 * page, each placed at its index times the row height, and a row is rebuilt only when what it shows changed. One
 * row at a time may be open, taller than the rest; its height is measured as it changes, never read in a draw. */

import { keepingFocus } from './desk.js';
import { perFrame, placeInOrder } from './list_tools.js';

const ROW_REM = 2.75; // the one-line row's height, as console.css draws it (.answer-line)
const OVERSCAN = 8; // rows drawn above and below the visible ones, so a quick scroll shows no gap

export class WindowedList {
  /** ``row(item, open)`` builds a row; ``key(item)`` names it; ``version(item)`` changes when it must be rebuilt;
   * ``focusOf(key)`` is the data-focus of the control a row takes the focus on. */
  constructor({ viewport, list, row, key, version, focusOf }) {
    Object.assign(this, { viewport, list, row, key, version, focusOf });
    this.items = [];
    this.at = new Map(); // key -> index in items
    this.built = new Map(); // key -> {node, version, open}
    this.selected = null;
    this.open = null;
    this.extra = 0; // the open row's height beyond a closed row's
    this.scrollTop = 0;
    this.rowPx = ROW_REM * parseFloat(getComputedStyle(document.documentElement).fontSize);
    this.redraw = perFrame(() => this.draw());
    viewport.addEventListener('scroll', () => {
      this.scrollTop = viewport.scrollTop;
      this.redraw();
    }, { passive: true });
    list.addEventListener('focusin', (event) => { // Tab or a click chose a row: j and k go on from it
      const row = event.target.closest('[data-key]');
      if (!row || row.dataset.key === this.selected) return;
      this.selected = row.dataset.key;
      for (const node of list.children) node.classList.toggle('is-selected', node === row);
    });
    this.sizes = new ResizeObserver((entries) => {
      const entry = entries[entries.length - 1];
      const extra = Math.max(0, entry.borderBoxSize[0].blockSize - this.rowPx);
      if (entry.target.isConnected && Math.abs(extra - this.extra) > 0.5) {
        this.extra = extra;
        this.draw(); // before this frame is painted: the rows below move down with the open row's growth
      }
    });
  }

  /** The rows to list, in order, for the next ``draw``. */
  show(items) {
    this.items = items;
    this.at = new Map(items.map((item, index) => [this.key(item), index]));
  }

  /** Back to the top, nothing selected or open: for a new set of rows. */
  reset() {
    this.open = null;
    this.selected = null;
    this.extra = 0;
    this.sizes.disconnect();
    this.viewport.scrollTop = 0;
    this.scrollTop = 0;
  }

  itemOf(key) {
    return this.at.has(key) ? this.items[this.at.get(key)] : null;
  }

  top(index) {
    const open = this.open != null && this.at.has(this.open) ? this.at.get(this.open) : -1;
    return index * this.rowPx + (open >= 0 && index > open ? this.extra : 0);
  }

  indexAt(y) {
    const open = this.open != null && this.at.has(this.open) ? this.at.get(this.open) : -1;
    if (open < 0 || y < (open + 1) * this.rowPx) return Math.floor(y / this.rowPx);
    if (y < (open + 1) * this.rowPx + this.extra) return open;
    return Math.floor((y - this.extra) / this.rowPx);
  }

  /** The rows in sight, and the selected row wherever it is: the focus may be on it. */
  draw() {
    const { items } = this;
    const first = Math.max(0, this.indexAt(this.scrollTop) - OVERSCAN);
    const last = Math.min(items.length, this.indexAt(this.scrollTop + window.innerHeight) + OVERSCAN + 1);
    const wanted = items.slice(first, last);
    const selected = this.itemOf(this.selected);
    if (selected && !wanted.includes(selected)) wanted.push(selected);
    const entries = wanted.map((item) => this.node(item)).sort((a, b) => a.index - b.index);
    const kept = new Set(entries.map((entry) => entry.node));
    for (const [key, built] of this.built) if (!kept.has(built.node)) this.built.delete(key);
    this.list.style.height = `${items.length * this.rowPx + (this.itemOf(this.open) ? this.extra : 0)}px`;
    keepingFocus(() => placeInOrder(this.list, entries.map((entry) => entry.node)));
  }

  /** A row's node at its place: the one built before if its item has not changed. */
  node(item) {
    const key = this.key(item);
    const index = this.at.get(key);
    const open = key === this.open;
    const version = this.version(item);
    let built = this.built.get(key);
    if (!built || built.version !== version || built.open !== open) {
      built = { node: this.row(item, open), version, open };
      this.built.set(key, built);
      if (open) {
        this.sizes.disconnect();
        this.sizes.observe(built.node);
      }
    }
    const { node } = built;
    const place = `translateY(${this.top(index)}px)`;
    if (node.style.transform !== place) node.style.transform = place;
    node.dataset.key = key;
    node.setAttribute('aria-posinset', String(index + 1));
    node.setAttribute('aria-setsize', String(this.items.length));
    node.classList.toggle('is-selected', key === this.selected);
    return { node, index };
  }

  /** Open ``key``'s row (closing the one open), or close it if it is the open one. */
  toggle(key) {
    this.open = this.open === key ? null : key;
    if (this.open == null) this.sizes.disconnect();
    this.extra = 0; // measured again once the open row is in the page
    this.select(key);
  }

  /** Select ``key``'s row, scroll it into sight and put the focus on it. */
  select(key) {
    if (!this.at.has(key)) return;
    this.selected = key;
    const top = this.top(this.at.get(key));
    const height = this.viewport.clientHeight;
    const bottom = top + (key === this.open ? this.rowPx + this.extra : this.rowPx);
    if (top < this.viewport.scrollTop) this.viewport.scrollTop = top;
    else if (bottom > this.viewport.scrollTop + height) this.viewport.scrollTop = Math.max(0, bottom - height);
    this.scrollTop = this.viewport.scrollTop;
    this.draw();
    const target = this.list.querySelector(`[data-focus="${CSS.escape(this.focusOf(key))}"]`);
    if (target && document.activeElement !== target) target.focus({ preventScroll: false });
  }

  /** The next (``step`` 1) or previous (-1) row from the selected one; the first when none is. */
  move(step) {
    if (!this.items.length) return;
    const from = this.at.has(this.selected) ? this.at.get(this.selected) : (step > 0 ? -1 : this.items.length);
    const to = Math.min(this.items.length - 1, Math.max(0, from + step));
    this.select(this.key(this.items[to]));
  }
}
