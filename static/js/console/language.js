/** The console's language menu: the session's language for its console and projector. Every console and projector
 * of the session hears the change and loads again in it (lib/session_language.js). */

import { $ } from '../lib/dom.js';
import { followSessionLanguage, pageLanguage } from '../lib/session_language.js';
import { send } from './desk.js';

export function wireLanguage(socket) {
  followSessionLanguage(socket);
  const select = $('session-language');
  select.addEventListener('change', async () => {
    const ack = await send('session_language', { language: select.value });
    if (!ack || !ack.ok) select.value = pageLanguage; // the status line says why
  });
}
