/** The live connection: Socket.IO's client (the vendored classic script, loaded before the page's module, defines
 * ``io``) and sending an event that the server acknowledges. */

/** A Socket.IO connection to one namespace of this server. */
export function socketTo(namespace, options) {
  return window.io(namespace, options);
}

/** Send ``event`` and wait for its ack: resolves with {timeout: true} when none came within ``ms``, else {ack}. */
export function ask(socket, event, payload, ms) {
  return new Promise((resolve) => {
    socket.timeout(ms).emit(event, payload, (timeout, ack) => resolve(timeout ? { timeout: true, ack: null } : { timeout: false, ack }));
  });
}
