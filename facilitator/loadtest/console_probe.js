/* Installed in the console's page before its own scripts by facilitator/loadtest/console_benchmark.py: when each
 * Socket.IO message arrives (noted before the page's own handler runs), and when a frame is painted after the page
 * shows what it should. A frame is over once a task queued from its requestAnimationFrame runs. */
(() => {
  const probe = { arrivals: [] };
  window.consoleProbe = probe;
  let real = null;
  function watched(...args) {
    const socket = real(...args);
    socket.onAny((event) => probe.arrivals.push({ event, at: performance.now() }));
    return socket;
  }
  Object.defineProperty(window, 'io', { configurable: true, get: () => real && watched, set: (io) => { real = io; } });

  const frameEnd = () => new Promise((resolve) => {
    requestAnimationFrame(() => setTimeout(resolve, 0));
  });
  const count = () => Number((document.getElementById('answers-count').textContent.match(/\d+/) || ['0'])[0]);

  /** The time of the first frame painted once ``shows()`` is true, ``timeout`` ms at most. */
  probe.paintedWhen = async (shows, timeout = 120000) => {
    const started = performance.now();
    for (;;) {
      await frameEnd();
      if (shows()) return performance.now();
      if (performance.now() - started > timeout) throw new Error(`not shown within ${timeout} ms: ${shows}; the page says ${document.getElementById('answers').innerText.slice(0, 300)}`);
    }
  };

  /** The page opened on ``event``: from that message to the first frame painted showing it. */
  probe.opened = async (event, shows) => {
    const painted = await probe.paintedWhen(shows);
    const arrival = probe.arrivals.filter((a) => a.event === event).pop();
    return painted - arrival.at;
  };

  /** Follow ``expected`` new answers from now: each from its message to the first frame whose count includes it. */
  probe.followAnswers = (expected) => {
    const from = probe.arrivals.length;
    const start = count();
    probe.followed = (async () => {
      const latencies = [];
      let firstAt = null;
      while (latencies.length < expected) {
        await frameEnd();
        const now = performance.now();
        const shown = count() - start;
        const answers = probe.arrivals.slice(from).filter((a) => a.event === 'answer');
        if (answers.length && firstAt == null) firstAt = answers[0].at;
        while (latencies.length < Math.min(shown, answers.length)) latencies.push(now - answers[latencies.length].at);
      }
      return { latencies, all: performance.now() - firstAt };
    })();
  };

  /** How many elements the page holds. */
  probe.elements = () => document.getElementsByTagName('*').length;
})();
