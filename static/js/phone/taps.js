/** A thumb's double tap is one intention: what was tapped stays busy for a double tap's time, so the second tap of a
 * double tap (or one that lands as the screen changes under the finger) does nothing, and never takes back the first. */

export const DOUBLE_TAP_MS = 400;

/** Resolves once a double tap's time has passed. */
export const doubleTapOver = () => new Promise((resolve) => { window.setTimeout(resolve, DOUBLE_TAP_MS); });

/** Keys tapped within the last double tap's time: ``hold(key)`` makes one busy, and ``freed(key)`` is called once it
 * is free again (to show its buttons enabled). */
export function tapHold(freed) {
  const busy = new Set();
  return {
    has: (key) => busy.has(key),
    hold(key) {
      busy.add(key);
      doubleTapOver().then(() => {
        busy.delete(key);
        freed(key);
      });
    },
  };
}
