/** The session's language, which the console and projector speak: when the facilitator changes it, each of them
 * loads its page again (the server writes it in the session's language). */

/** The language the server wrote this page in. */
export const pageLanguage = document.documentElement.lang || 'en';

/** Follow the session's language: the page again when it changes from the one it is in. */
export function followSessionLanguage(socket) {
  socket.on('session_language', (message) => {
    if (message && message.language && message.language !== pageLanguage) window.location.reload();
  });
}
