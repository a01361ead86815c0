/* Shared by every page: the word list, building DOM nodes, random ids and server-synced countdowns. */
'use strict';

const Pathways = (() => {
  const words = JSON.parse(document.getElementById('words').textContent);

  /** The word at a dotted path, with {name} placeholders filled from vars. */
  function t(path, vars) {
    let text = path.split('.').reduce((node, key) => (node == null ? node : node[key]), words);
    if (typeof text !== 'string') return path;
    if (vars) text = text.replace(/\{(\w+)\}/g, (whole, key) => (key in vars ? String(vars[key]) : whole));
    return text;
  }

  /** An element: h('p', {class: 'x', text: 'y', onclick: f, 'data-testid': 'z'}, child, ...). */
  function h(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value == null || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : value);
    }
    for (const child of children.flat()) {
      if (child != null && child !== false) node.append(child);
    }
    return node;
  }

  const $ = (id) => document.getElementById(id);

  function show(node, visible) {
    node.hidden = !visible;
  }

  function randomId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  /** Server time: remembers how far this device's clock is from the server's at each state. */
  const clock = {
    offset: 0,
    sync(serverTime) {
      if (typeof serverTime === 'number') this.offset = serverTime * 1000 - Date.now();
    },
    now() {
      return (Date.now() + this.offset) / 1000;
    },
  };

  /** Seconds left on a state's timer, whether it runs; null when no timer is set. */
  function timeLeft(state) {
    if (state && state.deadline != null) {
      return { seconds: Math.max(0, state.deadline - clock.now()), running: true };
    }
    if (state && state.paused_remaining != null) return { seconds: state.paused_remaining, running: false };
    return null;
  }

  function formatTime(seconds) {
    const total = Math.max(0, Math.ceil(seconds));
    const hours = Math.floor(total / 3600);
    const minutes = Math.floor((total % 3600) / 60);
    const secs = String(total % 60).padStart(2, '0');
    return hours ? `${hours}:${String(minutes).padStart(2, '0')}:${secs}` : `${minutes}:${secs}`;
  }

  return { words, t, h, $, show, randomId, clock, timeLeft, formatTime };
})();
