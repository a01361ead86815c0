/* The room's screen: the lobby with the QR code, then each step with its countdown and the room's aggregate. */
'use strict';

(() => {
  const { t, h, $, clock, timeLeft, formatTime } = Pathways;
  const code = $('main').dataset.code;
  let state = null;
  let live = null;

  const socket = io('/projector', { auth: { code } });
  const offline = $('offline');

  socket.on('connect', () => {
    offline.hidden = true;
  });
  socket.on('disconnect', () => {
    offline.textContent = t('common.reconnecting');
    offline.hidden = false;
  });
  socket.on('connect_error', (error) => {
    offline.textContent = socket.active ? t('common.reconnecting') : error.message;
    offline.hidden = false;
  });

  socket.on('state', (next) => {
    clock.sync(next.server_time);
    state = next;
    live = next.live;
    render();
  });

  socket.on('live', (counts) => {
    live = counts;
    renderLive();
  });

  function render() {
    const phase = state.phase;
    document.body.classList.remove('phase-lobby', 'phase-step', 'phase-ended');
    document.body.classList.add(`phase-${phase}`);
    $('lobby').hidden = phase !== 'lobby';
    $('step').hidden = phase !== 'step';
    $('ended').hidden = phase !== 'ended';
    $('corner').hidden = phase === 'lobby';
    const step = state.step;
    if (step) {
      $('step-kicker').textContent = `${step.protocol} · ${t('common.step_of', { n: step.number, total: step.of })}`;
      $('step-title').textContent = step.title;
      $('step-prompt').textContent = step.prompt;
      $('step').dataset.kind = step.kind;
    }
    renderCountdown();
    renderLive();
  }

  function renderCountdown() {
    const countdown = $('countdown');
    const left = state && state.phase === 'step' ? timeLeft(state) : null;
    countdown.hidden = !left;
    if (!left) return;
    const over = left.running && left.seconds <= 0;
    countdown.textContent = over ? t('common.time_up') : formatTime(left.seconds);
    if (!left.running) countdown.textContent += ` · ${t('common.paused')}`;
    countdown.dataset.state = !left.running ? 'paused' : over ? 'over' : left.seconds <= 30 ? 'soon' : 'running';
  }

  function renderLive() {
    if (!live || !state) return;
    $('joined').textContent = t('projector.joined', { n: live.joined });
    const step = state.step;
    if (!step || live.step_id !== step.id) return;
    const answered = $('answered');
    answered.hidden = step.kind === 'none';
    answered.textContent = t('projector.answered', { n: live.answered, total: live.joined });
    renderAggregate(step, live.aggregate);
  }

  function note(text) {
    return h('p', { class: 'aggregate-note', text });
  }

  function renderAggregate(step, aggregate) {
    const box = $('aggregate');
    const type = aggregate ? aggregate.type : '';
    if (box.dataset.type !== type || box.dataset.step !== step.id) {
      box.replaceChildren();
      box.dataset.type = type;
      box.dataset.step = step.id;
    }
    if (!aggregate) {
      const shared = step.visibility === 'room' || step.visibility === 'room-named';
      box.replaceChildren(note(step.kind === 'none' ? t('projector.talk') : shared ? t('projector.waiting') : t('projector.not_shown')));
      return;
    }
    if (type === 'bars') renderBars(box, aggregate.bars);
    else if (type === 'histogram') renderHistogram(box, aggregate);
    else if (type === 'words') renderWords(box, aggregate);
  }

  /** Horizontal bars, one per option or system goal; updated in place so the bars grow smoothly. */
  function renderBars(box, bars) {
    let list = box.querySelector('.bars');
    if (!list || list.children.length !== bars.length) {
      list = h('ol', { class: 'bars' }, bars.map(() =>
        h('li', { class: 'bar' },
          h('span', { class: 'bar-label' }),
          h('span', { class: 'bar-track' }, h('span', { class: 'bar-fill' })),
          h('span', { class: 'bar-count' }))));
      box.replaceChildren(list);
    }
    const max = Math.max(1, ...bars.map((bar) => bar.count));
    bars.forEach((bar, index) => {
      const row = list.children[index];
      row.querySelector('.bar-label').textContent = bar.label;
      row.querySelector('.bar-count').textContent = bar.count;
      row.querySelector('.bar-fill').style.width = `${(bar.count / max) * 100}%`;
    });
  }

  /** A column per scale value, with the scale's end labels underneath. */
  function renderHistogram(box, aggregate) {
    const bars = aggregate.bars;
    let chart = box.querySelector('.histogram');
    if (!chart || chart.children.length !== bars.length) {
      chart = h('ol', { class: 'histogram' }, bars.map(() =>
        h('li', { class: 'column' },
          h('span', { class: 'column-count' }),
          h('span', { class: 'column-track' }, h('span', { class: 'column-fill' })),
          h('span', { class: 'column-label' }))));
      box.replaceChildren(chart,
        h('p', { class: 'histogram-ends' },
          h('span', { text: aggregate.min_label || '' }),
          h('span', { text: aggregate.max_label || '' })));
    }
    const max = Math.max(1, ...bars.map((bar) => bar.count));
    bars.forEach((bar, index) => {
      const column = chart.children[index];
      column.querySelector('.column-count').textContent = bar.count;
      column.querySelector('.column-label').textContent = bar.label;
      column.querySelector('.column-fill').style.height = `${(bar.count / max) * 100}%`;
    });
  }

  /** Recurring words sized by how often they came up; named answers when the step shows names. */
  function renderWords(box, aggregate) {
    const words = aggregate.words || [];
    const named = aggregate.named || [];
    if (!words.length && !named.length) {
      box.replaceChildren(note(t('projector.waiting')));
      return;
    }
    const max = Math.max(1, ...words.map((word) => word.count));
    const cloud = h('ul', { class: 'words' }, words.map((word) => {
      const item = h('li', { class: 'word', title: String(word.count) }, word.word);
      item.style.fontSize = `${1 + (max > 1 ? (word.count - 1) / (max - 1) : 0) * 1.6}em`;
      return item;
    }));
    const parts = [cloud];
    if (named.length) {
      parts.push(h('ul', { class: 'named' }, named.slice().reverse().map((entry) =>
        h('li', {}, h('strong', { text: entry.name }), h('span', { text: entry.text })))));
    }
    box.replaceChildren(...parts);
  }

  const fullscreen = $('fullscreen');
  fullscreen.hidden = !document.fullscreenEnabled;
  fullscreen.addEventListener('click', () => document.documentElement.requestFullscreen().catch(() => {}));
  document.addEventListener('fullscreenchange', () => {
    fullscreen.hidden = Boolean(document.fullscreenElement);
  });

  // The pointer and the full-screen button leave the room's view when the mouse rests.
  let idleTimer = null;
  function wake() {
    document.body.classList.remove('idle');
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => document.body.classList.add('idle'), 3000);
  }
  document.addEventListener('pointermove', wake);
  document.addEventListener('keydown', wake);
  wake();

  setInterval(() => {
    if (state) renderCountdown();
  }, 250);
})();
