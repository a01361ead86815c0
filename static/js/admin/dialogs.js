/** Asking the person before something that cannot be undone, in the page's own dialogs. */

import { $ } from '../lib/dom.js';

/** Opens ``dialog`` and resolves with the button the person chose ("confirm" or "cancel"). */
export function ask(dialog) {
  return new Promise((resolve) => {
    dialog.returnValue = 'cancel';
    dialog.addEventListener('close', () => resolve(dialog.returnValue), { once: true });
    dialog.showModal();
  });
}

export function confirmWith(heading, text, yes) {
  $('confirm-heading').textContent = heading;
  $('confirm-text').textContent = text;
  $('confirm-yes').textContent = yes;
  return ask($('confirm-dialog'));
}
