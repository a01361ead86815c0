/** Countdowns on the server's clock: how far this device's clock is from the server's, and the time left. */

/** Server time: remembers how far this device's clock is from the server's at each state. */
export const clock = {
  offset: 0,
  sync(serverTime) {
    if (typeof serverTime === 'number') this.offset = serverTime * 1000 - Date.now();
  },
  now() {
    return (Date.now() + this.offset) / 1000;
  },
};

/** Seconds left on a state's timer, whether it runs; null when no timer is set. */
export function timeLeft(state) {
  if (state && state.deadline != null) {
    return { seconds: Math.max(0, state.deadline - clock.now()), running: true };
  }
  if (state && state.paused_remaining != null) return { seconds: state.paused_remaining, running: false };
  return null;
}

export function formatTime(seconds) {
  const total = Math.max(0, Math.ceil(seconds));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const secs = String(total % 60).padStart(2, '0');
  return hours ? `${hours}:${String(minutes).padStart(2, '0')}:${secs}` : `${minutes}:${secs}`;
}
