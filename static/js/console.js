/* The facilitator's console: the agenda, the open step with its notes, the timer, live counts and answers. */
'use strict';

(() => {
  const { t, h, $, clock, timeLeft, formatTime } = Pathways;
  const code = $('console').dataset.code;
  const key = new URLSearchParams(window.location.hash.slice(1)).get('key');
  const SAFE_KEY = 'pathways:presenter-safe';
  const ACK_TIMEOUT = 8000;

  let state = null;
  let live = null;
  let answers = new Map(); // one entry per participant (or per answer when no name is sent)
  const early = new Map(); // step id -> answers that arrived before the state that opens the step
  let agendaBuilt = false;

  const statusLine = $('status-line');
  const connection = $('connection');

  function status(message, kind) {
    statusLine.textContent = message || '';
    statusLine.dataset.kind = kind || '';
  }

  function setConnection(kind, text) {
    connection.dataset.state = kind;
    connection.textContent = text;
  }

  // Presenter safe: names and the answer stream leave the screen, e.g. while it is shared.
  function applySafe(on) {
    document.body.classList.toggle('presenter-safe', on);
    $('safe-toggle').setAttribute('aria-pressed', String(on));
    $('answers').hidden = on;
    $('answers-hidden').hidden = !on;
    sessionStorage.setItem(SAFE_KEY, on ? '1' : '0');
  }
  $('safe-toggle').addEventListener('click', () => applySafe(!document.body.classList.contains('presenter-safe')));
  applySafe(sessionStorage.getItem(SAFE_KEY) === '1');

  if (!key) {
    status(t('console.no_key'), 'error');
    setConnection('error', t('common.not_connected'));
    for (const button of document.querySelectorAll('.console-main button')) button.disabled = true;
    return;
  }

  const socket = io('/facilitator', { auth: { code, key } });

  socket.on('connect', () => {
    setConnection('connected', t('common.connected'));
    if (statusLine.dataset.kind === 'connection') status('');
  });
  socket.on('disconnect', () => setConnection('reconnecting', t('common.reconnecting')));
  socket.on('connect_error', (error) => {
    // A refusal from the server (wrong key) is final; a network error is retried by the client.
    setConnection(socket.active ? 'reconnecting' : 'error', t(socket.active ? 'common.reconnecting' : 'common.not_connected'));
    status(socket.active ? t('common.reconnecting') : error.message, socket.active ? 'connection' : 'error');
    if (!socket.active) for (const button of document.querySelectorAll('.console-main button')) button.disabled = true;
  });

  socket.on('state', (next) => {
    clock.sync(next.server_time);
    const stepChanged = !state || (state.step && state.step.id) !== (next.step && next.step.id);
    state = next;
    live = next.live;
    answers = new Map();
    for (const answer of next.answers || []) upsertAnswer(answer);
    for (const answer of (next.step && early.get(next.step.id)) || []) upsertAnswer(answer);
    early.clear();
    render(stepChanged);
  });

  socket.on('live', (counts) => {
    live = counts;
    renderCounts();
  });

  socket.on('answer', (answer) => {
    if (!state || !state.step || answer.step_id !== state.step.id) {
      // An answer to a step this console has not been told about yet: kept until its state arrives.
      early.set(answer.step_id, [...(early.get(answer.step_id) || []), answer]);
      return;
    }
    upsertAnswer(answer);
    renderAnswers();
  });

  /** One entry per participant, the newest answer winning, whichever order the messages came in. */
  function upsertAnswer(answer) {
    const id = answer.participant_id != null ? `p${answer.participant_id}` : `a${answers.size}`;
    const known = answers.get(id);
    if (!known || known.saved_at <= answer.saved_at) answers.set(id, answer);
  }

  /** Send a console event; the ack's error, if any, goes to the status line. */
  function send(event, payload) {
    if (!socket.connected) {
      status(t('common.not_connected'), 'error');
      return;
    }
    socket.timeout(ACK_TIMEOUT).emit(event, payload || {}, (timeout, ack) => {
      if (timeout) status(t('console.timeout'), 'error');
      else if (!ack || !ack.ok) status((ack && ack.error) || event, 'error');
      else status('');
    });
  }

  const stepSeconds = () => Math.round(((state && state.step && state.step.minutes) || 0) * 60);

  function toggleTimer() {
    if (!state || state.phase !== 'step') return;
    const left = timeLeft(state);
    if (!left) {
      if (stepSeconds() > 0) send('timer', { action: 'start', seconds: stepSeconds() });
    } else if (left.running) send('timer', { action: 'pause' });
    else send('timer', { action: 'resume' });
  }

  $('back').addEventListener('click', () => send('prev'));
  $('next').addEventListener('click', () => send('next'));
  $('timer-start').addEventListener('click', () => send('timer', { action: 'start', seconds: stepSeconds() }));
  $('timer-pause').addEventListener('click', () => send('timer', { action: 'pause' }));
  $('timer-resume').addEventListener('click', () => send('timer', { action: 'resume' }));
  $('timer-extend').addEventListener('click', () => send('timer', { action: 'extend', seconds: 60 }));

  // Keys for a presenter with a clicker: → next, ← back, space for the timer. Buttons keep Enter.
  document.addEventListener('keydown', (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.repeat) return;
    if (event.target.closest('input, textarea, select, [contenteditable]')) return;
    if (event.key === 'ArrowRight' || event.key === 'PageDown') send('next');
    else if (event.key === 'ArrowLeft' || event.key === 'PageUp') send('prev');
    else if (event.key === ' ') toggleTimer();
    else return;
    event.preventDefault();
  });

  function render(stepChanged) {
    $('session-title').textContent = state.session.title;
    renderAgenda();
    renderStep();
    renderTimer();
    renderCounts();
    renderAnswers();
    if (stepChanged) status('');
  }

  function renderAgenda() {
    const list = $('agenda-list');
    if (!agendaBuilt) {
      const groups = [];
      for (const step of state.agenda) {
        const item = step.id.split(':')[0];
        if (!groups.length || groups[groups.length - 1].item !== item) {
          groups.push({ item, title: step.protocol, steps: [] });
        }
        groups[groups.length - 1].steps.push(step);
      }
      list.replaceChildren(...groups.map((group) =>
        h('li', { class: 'agenda-protocol' },
          h('p', { class: 'agenda-protocol-title', text: group.title }),
          h('ol', {}, group.steps.map((step) =>
            h('li', {},
              h('button', {
                type: 'button', class: 'agenda-step', 'data-step-id': step.id, 'data-testid': `agenda-step-${step.id}`,
                onclick: () => send('goto', { step_id: step.id }),
              },
              h('span', { class: 'agenda-number', text: step.number }),
              h('span', { class: 'agenda-title', text: step.title }),
              h('span', { class: 'agenda-minutes', text: t('common.minutes', { n: step.minutes }) }))))))));
      const total = state.agenda.reduce((sum, step) => sum + step.minutes, 0);
      $('agenda-total').textContent = t('console.total', { n: Math.round(total * 10) / 10 });
      agendaBuilt = true;
    }
    const current = state.step ? state.step.id : null;
    for (const button of list.querySelectorAll('.agenda-step')) {
      const index = state.agenda.findIndex((step) => step.id === button.dataset.stepId);
      if (button.dataset.stepId === current) button.setAttribute('aria-current', 'step');
      else button.removeAttribute('aria-current');
      button.classList.toggle('done', state.phase === 'ended' || (state.position > index));
    }
  }

  function renderStep() {
    const step = state.step;
    const last = state.agenda.length - 1;
    let kicker;
    let title;
    let prompt;
    if (state.phase === 'lobby') {
      kicker = t('console.lobby_kicker');
      title = t('console.lobby_title');
      prompt = t('console.lobby_prompt', { url: `${window.location.origin}/j/${code}`, code });
    } else if (state.phase === 'ended') {
      kicker = t('console.ended_kicker');
      title = t('console.ended_title');
      prompt = t('console.ended_prompt');
    } else {
      kicker = `${step.protocol} · ${t('common.step_of', { n: step.number, total: step.of })}`;
      title = step.title;
      prompt = step.prompt;
    }
    $('step-kicker').textContent = kicker;
    $('step-title').textContent = title;
    $('step-prompt').textContent = prompt;
    const visibility = $('step-visibility');
    visibility.hidden = !step || step.kind === 'none';
    if (step) visibility.textContent = t(`console.visibility.${step.visibility}`);
    $('notes').hidden = !(step && step.notes);
    $('step-notes').textContent = step && step.notes ? step.notes : '';
    $('back').disabled = state.phase === 'lobby';
    const next = $('next');
    next.disabled = state.phase === 'ended';
    if (state.phase === 'lobby') next.textContent = `${t('console.start_session')} →`;
    else if (state.position >= last) next.textContent = `${t('console.end_session')} →`;
    else next.textContent = `${t('console.next')} →`;
  }

  function renderTimer() {
    const inStep = state && state.phase === 'step';
    const left = inStep ? timeLeft(state) : null;
    const countdown = $('countdown');
    if (!left) {
      countdown.textContent = t('console.no_timer');
      countdown.dataset.state = 'idle';
    } else {
      countdown.textContent = left.running ? formatTime(left.seconds) : `${formatTime(left.seconds)} · ${t('common.paused')}`;
      countdown.dataset.state = !left.running ? 'paused' : left.seconds <= 0 ? 'over' : 'running';
      if (left.running && left.seconds <= 0) countdown.textContent = `0:00 · ${t('common.time_up')}`;
    }
    const start = $('timer-start');
    start.textContent = t('console.start', { time: inStep ? formatTime(stepSeconds()) : '' }).trim();
    start.disabled = !inStep || stepSeconds() <= 0;
    $('timer-pause').hidden = !(left && left.running);
    $('timer-resume').hidden = !(left && !left.running);
    $('timer-extend').disabled = !left;
  }

  function renderCounts() {
    if (!live) return;
    $('count-joined').textContent = live.joined;
    $('count-connected').textContent = live.connected;
    const current = state && state.step ? state.step.id : null;
    $('count-answered').textContent = live.step_id === current ? live.answered : 0;
  }

  function day(iso) {
    const date = new Date(`${iso}T00:00:00`);
    return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
  }

  /** An answer as the facilitator reads it: labels for ids, titles for system goals, list items with dates. */
  function formatValue(step, value) {
    const list = Array.isArray(value) ? value : [value];
    if (list.some((item) => item && typeof item === 'object')) {
      return list.map((item) => (item && typeof item === 'object' ? t('console.by_date', { text: item.text, date: day(item.date) }) : String(item)));
    }
    if (!step) return list.map(String);
    if (step.kind === 'date') return list.map(day);
    if (step.kind === 'goal') {
      return list.map((id) => {
        const goal = state.session.system_goals.find((g) => g.id === id);
        return goal ? goal.title : String(id);
      });
    }
    if (step.kind === 'choice' || step.kind === 'rank') {
      return list.map((id) => {
        const option = (step.options || []).find((o) => o.id === id);
        return option ? option.label : String(id);
      });
    }
    if (step.kind === 'scale') return [t('console.scale_value', { value, max: step.max })];
    return list.map(String);
  }

  function renderAnswers() {
    if (!state) return;
    const step = state.step;
    const sorted = Array.from(answers.values()).sort((a, b) => b.saved_at - a.saved_at);
    const empty = $('answers-empty');
    empty.hidden = sorted.length > 0;
    if (!step) empty.textContent = t('console.no_answers');
    else if (step.kind === 'none') empty.textContent = t('console.not_answerable');
    else if (step.visibility === 'private') empty.textContent = t('console.private_answers');
    else empty.textContent = t('console.no_answers');
    $('answers-count').textContent = sorted.length ? `(${sorted.length})` : '';
    $('answer-list').replaceChildren(...sorted.map((answer) => {
      const lines = formatValue(step, answer.value);
      const time = new Date(answer.saved_at * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
      return h('li', { class: 'answer', 'data-testid': 'answer' },
        h('p', { class: 'answer-head' },
          h('span', { class: 'who', text: answer.name || t('console.anonymous') }),
          h('span', { class: 'muted', text: time })),
        lines.length === 1 ? h('p', { class: 'answer-value', text: lines[0] })
          : h('ul', { class: 'answer-value' }, lines.map((line) => h('li', { text: line }))));
    }));
  }

  setInterval(() => {
    if (state) renderTimer();
  }, 250);
})();
