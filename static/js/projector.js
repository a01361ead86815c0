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
    // The facilitator's "QR on projector" puts the way in up full size over whatever else is showing.
    const bigQr = Boolean(state.show_qr) && phase !== 'lobby';
    document.body.classList.toggle('show-qr', bigQr);
    $('qr-big').hidden = !bigQr;
    $('lobby').hidden = phase !== 'lobby';
    $('step').hidden = phase !== 'step' || bigQr;
    $('ended').hidden = phase !== 'ended' || bigQr;
    $('corner').hidden = phase === 'lobby' || bigQr;
    const step = state.step;
    if (step) {
      const round = step.rounds > 1 ? ` · ${t('projector.round', { n: step.round, total: step.rounds })}` : '';
      $('step-kicker').textContent = `${step.protocol}${round} · ${t('common.step_of', { n: step.number, total: step.of })}`;
      $('step-title').textContent = step.title;
      $('step-prompt').textContent = step.prompt;
      $('step').dataset.kind = step.kind;
    }
    const norms = state.norms || [];
    $('norms').hidden = !norms.length;
    $('norms-list').replaceChildren(...norms.map((norm) => h('li', { text: norm })));
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
    renderSpotlight(live.spotlight || []);
    renderAggregate(step, live.aggregate);
    renderBoard(step, live.aggregate);
  }

  /** Answers the facilitator put up: large, the newest last; a name only where the server sent one. */
  function renderSpotlight(chosen) {
    const list = $('spotlight');
    list.hidden = !chosen.length;
    list.replaceChildren(...chosen.map((entry) => h('li', { class: 'spotlit' },
      h('span', { class: 'spotlit-text', text: entry.text }),
      entry.name ? h('span', { class: 'spotlit-name', text: entry.name }) : null)));
    $('step').classList.toggle('has-spotlight', chosen.length > 0);
  }

  /** The tables, where the room's answers are not on screen: who sits where, and who holds which role. */
  function renderBoard(step, aggregate) {
    const groups = state.groups || [];
    const show = groups.length > 0 && !aggregate;
    $('board').hidden = !show;
    $('aggregate').hidden = show;
    if (!show) return;
    $('board-tables').replaceChildren(...groups.map((group) => h('li', { class: 'board-table' },
      h('h3', { text: t('projector.table', { n: group.table }) }),
      h('ul', {}, group.members.map((member) => h('li', {},
        h('span', { text: member.name }),
        member.role ? h('span', { class: 'board-role', text: member.role.title }) : null))))));
    $('step').classList.toggle('board-dense', groups.length > 8);
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
    else if (type === 'ranking') renderRanking(box, aggregate);
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

  /** The room's order for a rank step: bars of points, most important first, with how the points are counted. */
  function renderRanking(box, aggregate) {
    const order = aggregate.bars.map((bar) => bar.label).join('\n');
    if (box.dataset.order !== order) {
      box.replaceChildren();
      box.dataset.order = order; // a new order rebuilds the list, so each bar keeps its label
    }
    renderBars(box, aggregate.bars.map((bar, n) => ({ label: `${n + 1}. ${bar.label}`, count: bar.count })));
    if (!box.querySelector('.aggregate-note')) {
      box.append(note(t('projector.ranking_note', { n: aggregate.bars.length })));
    }
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
