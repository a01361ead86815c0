/** Copying a link that is shown once (the leaders' or a coach's) to the clipboard, or selecting it to copy by hand. */

import { t } from '../lib/i18n.js';

/** Copies ``input``'s link and says in ``said`` whether it worked; where the clipboard is refused (it needs https
 * or localhost), the link is selected for Ctrl+C. */
export async function copyLink(input, said) {
  let copied = false;
  try {
    await navigator.clipboard.writeText(input.value);
    copied = true;
  } catch (error) {
    input.focus();
    input.select();
    try {
      copied = document.execCommand('copy');
    } catch (ignored) {
      copied = false;
    }
  }
  said.textContent = copied ? t('Copied.') : t('Select the link and copy it (Ctrl+C or ⌘C).');
}
