/** Join-code forms (home page, the phone's enter-the-code page): go to /j/<CODE>, or say why it cannot be one. */

import { t } from '../lib/i18n.js';

const CODE_ALPHABET = /^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}$/;

/** A join code in canonical form, or null: what people type is forgiven for case, spaces and dashes. */
function normaliseCode(raw) {
  const code = String(raw || '').trim().toUpperCase().replace(/[\s-]/g, '');
  return CODE_ALPHABET.test(code) ? code : null;
}

for (const form of document.querySelectorAll('form[data-join-form]')) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const input = form.querySelector('input[name="code"]');
    const code = normaliseCode(input.value);
    if (code) {
      window.location.assign(`/j/${code}`);
      return;
    }
    form.querySelector('.field-error').textContent = t('A join code has six letters and numbers, like K7PQ2M.');
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  });
}
