/* The facilitator's console: agenda, the open step, timer, counts, answers with moderation, groups and exports. */
'use strict';

(() => {
  const { t, h, $, clock, timeLeft, formatTime } = Pathways;
  const code = $('console').dataset.code;
  const joinAddress = $('console').dataset.joinAddress; // as the projector shows it
  const key = new URLSearchParams(window.location.hash.slice(1)).get('key');
  const SAFE_KEY = 'pathways:presenter-safe';
  const ACK_TIMEOUT = 8000;
  const EXPORT_POLL_MS = 1000;
  const SHOWN_WAITING = 40; // names listed before "and n more"
  // A clicker's double fire or a double press lands within this of the first; a presenter's second press rarely does.
  const MOVE_SETTLE_MS = 400;

  let state = null;
  let live = null;
  let answers = new Map(); // participant id -> their newest answer to the open step
  const early = new Map(); // step id -> answers that arrived before the state that opens the step
  let groupFormEdited = false; // the presenter changed the group form: their choice stands until groups are formed
  let moveUnanswered = false; // a move is on its way to the server
  let moveSettling = false; // ...or was answered less than MOVE_SETTLE_MS after it was sent: moves wait for both
  let timerAfterMove = false; // space pressed while a move was on its way: it is for the step the move opens

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

  // Presenter safe: answers, names and notes leave the screen, e.g. while the laptop is mirrored to the room.
  function applySafe(on) {
    document.body.classList.toggle('presenter-safe', on);
    $('safe-toggle').setAttribute('aria-pressed', String(on));
    $('safe-note').hidden = !on;
    try { sessionStorage.setItem(SAFE_KEY, on ? '1' : '0'); } catch (error) { /* private mode: this page only */ }
  }
  $('safe-toggle').addEventListener('click', () => applySafe(!document.body.classList.contains('presenter-safe')));
  applySafe((() => { try { return sessionStorage.getItem(SAFE_KEY) === '1'; } catch (error) { return false; } })());

  const allButtons = () => document.querySelectorAll('.console-main button, .agenda button, .console-actions button');

  if (!key) {
    status(t('console.no_key'), 'error');
    setConnection('error', t('common.not_connected'));
    for (const button of allButtons()) button.disabled = true;
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
    if (!socket.active) for (const button of allButtons()) button.disabled = true;
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

  /** One entry per participant: the newest answer wins, and a moderation update (same saved_at) replaces it. */
  function upsertAnswer(answer) {
    const id = answer.participant_id != null ? `p${answer.participant_id}` : `a${answers.size}`;
    const known = answers.get(id);
    if (!known || known.saved_at <= answer.saved_at) answers.set(id, answer);
  }

  /** Send a console event; resolves with the ack (null if it never came). An error ack goes to the status line
   * unless ``quiet``: then the caller says what it means. */
  function send(event, payload, quiet) {
    return new Promise((resolve) => {
      if (!socket.connected) {
        status(t('common.not_connected'), 'error');
        resolve(null);
        return;
      }
      socket.timeout(ACK_TIMEOUT).emit(event, payload || {}, (timeout, ack) => {
        if (timeout) status(t('console.timeout'), 'error');
        else if (!ack || !ack.ok) { if (!quiet) status((ack && ack.error) || event, 'error'); }
        else status('');
        resolve(timeout ? null : ack);
      });
    });
  }

  const stepSeconds = () => Math.round(((state && state.step && state.step.minutes) || 0) * 60);

  function toggleTimer() {
    if (moveUnanswered) {
      timerAfterMove = !timerAfterMove;
      return;
    }
    if (!state || state.phase !== 'step') return;
    const left = timeLeft(state);
    if (!left) {
      if (stepSeconds() > 0) send('timer', { action: 'start', seconds: stepSeconds() });
    } else if (left.running) send('timer', { action: 'pause' });
    else send('timer', { action: 'resume' });
  }

  const toggleQr = () => state && send('show_qr', { on: !state.show_qr });

  /**
   * Move the room, from the step this console shows open: the server refuses a move from a step the room has left
   * (``stale_move``), so a double press moves once. One move at a time: presses while one is on its way or
   * settling are dropped, as is the second click of a double-click.
   */
  async function move(name, payload, click) {
    if (!state || movePending() || (click && click.detail > 1)) return;
    const focused = document.activeElement;
    const focusKey = focused && focused.dataset ? focused.dataset.focus || focused.id : null;
    moveUnanswered = true;
    moveSettling = true;
    renderMoveButtons();
    const settled = new Promise((resolve) => { setTimeout(resolve, MOVE_SETTLE_MS); });
    const ack = await send(name, { ...payload, from: state.step ? state.step.id : null }, true);
    moveUnanswered = false;
    if (ack && !ack.ok) {
      if (ack.code === 'stale_move') status(t('console.stale_move'), 'note');
      else status(ack.error || name, 'error');
    }
    if (timerAfterMove) {
      timerAfterMove = false;
      toggleTimer();
    }
    await settled;
    moveSettling = false;
    renderMoveButtons();
    // A disabled button loses the focus (and the agenda is rebuilt): a keyboard user gets it back where it was.
    const lost = !document.activeElement || document.activeElement === document.body;
    const again = focusKey && document.querySelector(`[data-focus="${CSS.escape(focusKey)}"], #${CSS.escape(focusKey)}`);
    if (lost && again && !again.disabled) again.focus();
  }

  const movePending = () => moveUnanswered || moveSettling;

  /** Back, Next and the agenda's steps wait while a move is on its way. */
  function renderMoveButtons() {
    $('back').disabled = movePending() || !state || state.phase === 'lobby';
    $('next').disabled = movePending() || !state || state.phase === 'ended';
    for (const button of document.querySelectorAll('.agenda-step')) button.disabled = movePending();
  }

  $('back').addEventListener('click', (event) => move('prev', {}, event));
  $('next').addEventListener('click', (event) => move('next', {}, event));
  $('lock').addEventListener('click', () => state && send('lock', { locked: !state.locked }));
  $('qr-toggle').addEventListener('click', toggleQr);
  $('timer-start').addEventListener('click', () => send('timer', { action: 'start', seconds: stepSeconds() }));
  $('timer-pause').addEventListener('click', () => send('timer', { action: 'pause' }));
  $('timer-resume').addEventListener('click', () => send('timer', { action: 'resume' }));
  $('timer-extend').addEventListener('click', () => send('timer', { action: 'extend', seconds: 60 }));

  // Keys for a presenter with a clicker: → next, ← back, space for the timer, q for the QR code. Buttons keep Enter.
  const MOVE_KEYS = { ArrowRight: 'next', PageDown: 'next', ArrowLeft: 'prev', PageUp: 'prev' };
  const TEXT_INPUTS = new Set(['text', 'search', 'email', 'url', 'tel', 'password']);
  const isSpace = (event) => event.key === ' ' && !(event.altKey || event.ctrlKey || event.metaKey);
  /** A field where a space is typed: the only place space is not the timer. */
  const typesSpace = (node) => Boolean(node.closest && (node.closest('textarea, [contenteditable]')
    || (node.matches('input') && TEXT_INPUTS.has(node.type))));

  // Space is the timer whatever has focus: it must never press the focused button (a mouse click on Next leaves
  // the focus there). Its default is stopped on keydown and on keyup, where a button would fire its click.
  window.addEventListener('keydown', (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (isSpace(event)) {
      if (typesSpace(event.target)) return;
      event.preventDefault();
      if (!event.repeat) toggleTimer();
      return;
    }
    if (event.target.closest('input, textarea, select, [contenteditable]')) return; // a field's own keys
    if (MOVE_KEYS[event.key]) {
      event.preventDefault();
      if (!event.repeat) move(MOVE_KEYS[event.key], {});
    } else if ((event.key === 'q' || event.key === 'Q') && !event.repeat) {
      event.preventDefault();
      toggleQr();
    }
  }, true);
  window.addEventListener('keyup', (event) => {
    if (isSpace(event) && !typesSpace(event.target)) event.preventDefault();
  }, true);

  function render(stepChanged) {
    $('session-title').textContent = state.session.title;
    const qr = $('qr-toggle');
    qr.setAttribute('aria-pressed', String(Boolean(state.show_qr)));
    renderAgenda();
    renderStep();
    renderTimer();
    renderCounts();
    renderAnswers();
    renderGroups();
    if (stepChanged) status('');
  }

  /** Rebuilding a list must not drop the keyboard focus: it goes back to the element with the same data-focus. */
  function keepingFocus(build) {
    const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.focus : null;
    build();
    if (focused) {
      const again = document.querySelector(`[data-focus="${CSS.escape(focused)}"]`);
      if (again && !again.disabled) again.focus();
    }
  }

  function usedSeconds(step) {
    const base = step.seconds_used || 0;
    const open = state.step && state.step.id === step.id;
    return open ? base + Math.max(0, clock.now() - state.server_time) : base;
  }

  const formatUsed = (seconds) => (seconds >= 1 ? formatTime(seconds) : '–');

  function renderAgenda() {
    const ahead = aheadItems();
    keepingFocus(() => {
      const byItem = new Map();
      for (const step of state.agenda) {
        if (!byItem.has(step.item)) byItem.set(step.item, []);
        byItem.get(step.item).push(step);
      }
      $('agenda-list').replaceChildren(...state.items.map((item, index) =>
        agendaItem(item, byItem.get(item.item) || [], ahead.has(item.item), index)));
    });
    const planned = state.agenda.reduce((sum, step) => sum + step.minutes, 0);
    const used = state.agenda.reduce((sum, step) => sum + usedSeconds(step), 0);
    $('agenda-total').textContent = t('console.total', { used: formatTime(used), n: Math.round(planned * 10) / 10 });
  }

  /** The agenda items that have not started: only they may be moved, repeated or skipped. */
  function aheadItems() {
    if (state.phase === 'lobby') return new Set(state.items.map((item) => item.item));
    if (state.phase === 'ended') return new Set();
    const index = state.items.findIndex((item) => item.item === state.step.item);
    return new Set(state.items.slice(index + 1).map((item) => item.item));
  }

  function agendaItem(item, steps, ahead, index) {
    const first = state.items.findIndex((i) => aheadItems().has(i.item));
    const controls = ahead ? h('div', { class: 'item-controls' },
      h('button', {
        type: 'button', class: 'icon-button', text: '↑', 'data-focus': `up-${item.item}`, 'data-testid': `item-up-${item.item}`,
        'aria-label': t('console.move_up', { title: item.title }), disabled: index <= first,
        onclick: () => send('agenda_move', { item: item.item, to: index - 1 }),
      }),
      h('button', {
        type: 'button', class: 'icon-button', text: '↓', 'data-focus': `down-${item.item}`, 'data-testid': `item-down-${item.item}`,
        'aria-label': t('console.move_down', { title: item.title }), disabled: index >= state.items.length - 1,
        onclick: () => send('agenda_move', { item: item.item, to: index + 1 }),
      }),
      roundsPicker(item),
      h('button', {
        type: 'button', class: 'icon-button remove', text: '×', 'data-focus': `remove-${item.item}`, 'data-testid': `item-remove-${item.item}`,
        'aria-label': t('console.remove', { title: item.title }), disabled: state.items.length <= 1,
        onclick: () => { if (window.confirm(t('console.remove_confirm', { title: item.title }))) send('agenda_remove', { item: item.item }); },
      })) : null;
    const rounds = item.rounds > 1 && !ahead ? ` ${t('console.rounds_short', { n: item.rounds })}` : ''; // ahead: the menu says it
    return h('li', { class: `agenda-protocol${ahead ? ' ahead' : ''}`, 'data-item': item.item },
      h('div', { class: 'agenda-protocol-head' },
        h('p', { class: 'agenda-protocol-title', text: `${item.title}${rounds}` }),
        controls),
      h('ol', {}, steps.map((step) => agendaStep(step))));
  }

  function roundsPicker(item) {
    const id = `rounds-${item.item}`;
    const select = h('select', {
      id, class: 'rounds-select', 'data-focus': id, 'data-testid': id,
      onchange: (event) => send('agenda_rounds', { item: item.item, rounds: Number(event.target.value) }),
    }, Array.from({ length: Math.max(12, item.rounds) }, (_, n) => h('option', { value: n + 1, text: t('console.rounds_short', { n: n + 1 }) })));
    select.value = String(item.rounds);
    return h('span', { class: 'rounds-picker' },
      h('label', { for: id, class: 'visually-hidden', text: t('console.rounds', { title: item.title }) }), select);
  }

  function agendaStep(step) {
    const used = usedSeconds(step);
    const over = used > step.minutes * 60 && step.minutes > 0;
    const index = state.agenda.indexOf(step);
    const current = state.step && state.step.id === step.id;
    const round = step.rounds > 1 ? ` (${step.round}/${step.rounds})` : '';
    return h('li', {},
      h('button', {
        type: 'button', class: `agenda-step${state.phase === 'ended' || state.position > index ? ' done' : ''}${over ? ' over' : ''}`,
        'data-step-id': step.id, 'data-focus': `step-${step.id}`, 'data-testid': `agenda-step-${step.id}`,
        'aria-current': current ? 'step' : null, disabled: movePending(),
        onclick: (event) => move('goto', { step_id: step.id }, event),
      },
      h('span', { class: 'agenda-number', text: step.number }),
      h('span', { class: 'agenda-title', text: `${step.title}${round}` }),
      h('span', { class: 'agenda-minutes' },
        h('span', { class: 'used', 'data-used': step.id, text: formatUsed(used) }),
        ` / ${t('common.minutes', { n: step.minutes })}`,
        over ? h('span', { class: 'visually-hidden', text: ` (${t('console.over_time')})` }) : null)));
  }

  /** Only the open step's time used moves; the rest of the agenda stays as built. */
  function tickUsed() {
    if (!state || !state.step) return;
    const step = state.agenda.find((s) => s.id === state.step.id);
    const span = step && document.querySelector(`[data-used="${CSS.escape(step.id)}"]`);
    if (!span) return;
    const used = usedSeconds(step);
    span.textContent = formatUsed(used);
    span.closest('.agenda-step').classList.toggle('over', used > step.minutes * 60 && step.minutes > 0);
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
      prompt = t('console.lobby_prompt', { url: joinAddress, code });
    } else if (state.phase === 'ended') {
      kicker = t('console.ended_kicker');
      title = t('console.ended_title');
      prompt = t('console.ended_prompt');
    } else {
      const round = step.rounds > 1 ? ` · ${t('console.round', { n: step.round, total: step.rounds })}` : '';
      kicker = `${step.protocol}${round} · ${t('common.step_of', { n: step.number, total: step.of })}`;
      title = step.title;
      prompt = step.prompt;
    }
    $('step-kicker').textContent = kicker;
    $('step-title').textContent = title;
    $('step-prompt').textContent = prompt;
    const visibility = $('step-visibility');
    visibility.hidden = !step || step.kind === 'none';
    if (step) visibility.textContent = t(`console.visibility.${step.visibility}`);
    $('step-locked').hidden = !state.locked;
    $('notes').hidden = !(step && step.notes);
    $('step-notes').textContent = step && step.notes ? step.notes : '';
    $('norms').hidden = !(state.norms && state.norms.length);
    $('norms-list').replaceChildren(...(state.norms || []).map((norm) => h('li', { text: norm })));
    const roles = state.roles || [];
    $('roles').hidden = !roles.length;
    $('roles-list').replaceChildren(...roles.flatMap((role) => [h('dt', { text: role.title }), h('dd', { text: role.notes || '' })]));
    renderMoveButtons();
    const next = $('next');
    if (state.phase === 'lobby') next.textContent = `${t('console.start_session')} →`;
    else if (state.position >= last) next.textContent = `${t('console.end_session')} →`;
    else next.textContent = `${t('console.next')} →`;
    const lock = $('lock');
    lock.hidden = !step; // only an open step can be locked
    lock.disabled = !step || step.kind === 'none';
    lock.setAttribute('aria-pressed', String(Boolean(state.locked)));
    lock.textContent = t(state.locked ? 'console.unlock' : 'console.lock');
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
    const fresh = live.step_id === current;
    $('count-answered').textContent = fresh ? live.answered : 0;
    const waiting = fresh ? live.waiting : null;
    $('waiting').hidden = !Array.isArray(waiting);
    if (!Array.isArray(waiting)) return;
    const names = waiting.slice(0, SHOWN_WAITING).map((person) => person.name);
    const more = live.waiting_count - names.length;
    if (more > 0) names.push(t('console.waiting_more', { n: more }));
    $('waiting-names').textContent = live.waiting_count ? names.join(', ') : t('console.waiting_none');
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
      return list.map((id, n) => {
        const option = (step.options || []).find((o) => o.id === id);
        const label = option ? option.label : String(id);
        return step.kind === 'rank' ? `${n + 1}. ${label}` : label;
      });
    }
    if (step.kind === 'scale') return [t('console.scale_value', { value, max: step.max })];
    return list.map(String);
  }

  const onProjector = (step) => step && (step.visibility === 'room' || step.visibility === 'room-named');

  function moderation(step, answer) {
    if (!onProjector(step) || answer.participant_id == null) return null;
    const id = answer.participant_id;
    const flag = (name, on, offWord, onWord) => h('button', {
      type: 'button', class: `button secondary tiny ${name}`, 'aria-pressed': String(on),
      'data-focus': `${name}-${id}`, 'data-testid': `${name}-${id}`, text: t(on ? onWord : offWord),
      onclick: () => send('moderate', { participant_id: id, step_id: answer.step_id, [name]: !on }),
    });
    return h('div', { class: 'answer-actions' },
      flag('spotlight', Boolean(answer.spotlight), 'console.spotlight', 'console.unspotlight'),
      flag('hidden', Boolean(answer.hidden), 'console.hide', 'console.unhide'));
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
    $('answers-moderation').hidden = !(onProjector(step) && sorted.length);
    $('answers-count').textContent = sorted.length ? `(${sorted.length})` : '';
    keepingFocus(() => $('answer-list').replaceChildren(...sorted.map((answer) => {
      const lines = formatValue(step, answer.value);
      const time = new Date(answer.saved_at * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
      const tags = [
        answer.spotlight ? h('span', { class: 'tag spotlight-tag', text: t('console.spotlight_tag') }) : null,
        answer.hidden ? h('span', { class: 'tag hidden-tag', text: t('console.hidden_tag') }) : null,
      ];
      return h('li', {
        class: `answer${answer.hidden ? ' is-hidden' : ''}${answer.spotlight ? ' is-spotlight' : ''}`, 'data-testid': 'answer',
      },
      h('p', { class: 'answer-head' },
        h('span', { class: 'who', text: answer.name || t('console.anonymous') }),
        h('span', { class: 'answer-tags' }, tags, h('span', { class: 'muted', text: time }))),
      lines.length === 1 ? h('p', { class: 'answer-value', text: lines[0] })
        : h('ul', { class: 'answer-value' }, lines.map((line) => h('li', { text: line }))),
      moderation(step, answer));
    })));
  }

  // Groups: form them, see the tables with each member's role, move a person with one select.

  function renderGroups() {
    const grouped = state.items.some((item) => item.grouping) || state.groups.length > 0;
    $('groups').hidden = !grouped;
    if (!grouped) return;
    const grouping = state.grouping;
    if (grouping && !groupFormEdited) {
      // The size and seating used last in this session, else the open or next grouped protocol's own.
      $('group-size').value = String(grouping.size);
      $('group-by').value = grouping.by;
    }
    const range = $('group-range');
    range.hidden = !hasRange(grouping);
    range.textContent = hasRange(grouping) ? t('console.group_range', grouping) : '';
    $('group-by').querySelector('option[value="join_answer"]').disabled = !state.join_question;
    $('groups-submit').textContent = t(state.groups.length ? 'console.regroup' : 'console.form_groups');
    $('groups-empty').hidden = state.groups.length > 0;
    const tables = state.groups.length;
    keepingFocus(() => $('group-board').replaceChildren(...state.groups.map((group) =>
      h('li', { class: 'table', 'data-testid': `table-${group.table}` },
        h('h3', {}, t('console.table', { n: group.table }), ' ',
          h('span', { class: 'muted', text: t('console.members', { n: group.members.length }) })),
        h('ul', { class: 'group-members' }, group.members.map((member) => groupMember(member, group, tables)))))));
  }

  function groupMember(member, group, tables) {
    const id = `move-${member.participant_id}`;
    const options = Array.from({ length: tables }, (_, n) => h('option', { value: n + 1, text: t('console.table', { n: n + 1 }) }));
    options.push(h('option', { value: tables + 1, text: t('console.new_table') }));
    const select = h('select', {
      id, class: 'move-select', 'data-focus': id, 'data-testid': id,
      onchange: (event) => send('move', { participant_id: member.participant_id, group: Number(event.target.value) }),
    }, options);
    select.value = String(group.number);
    return h('li', { class: 'member' },
      h('span', { class: 'member-name', text: member.name }),
      member.role ? h('span', { class: 'member-role', text: member.role.title }) : null,
      h('label', { for: id, class: 'visually-hidden', text: t('console.move_to', { name: member.name }) }),
      select);
  }

  const hasRange = (grouping) => Boolean(grouping && grouping.protocol && grouping.min != null && grouping.max != null);
  let warnedGroups = null; // the size and seating the presenter was asked to confirm

  function closeGroupWarning() {
    warnedGroups = null;
    $('group-warning').hidden = true;
  }

  /** The server refuses a size outside the protocol's range unless confirmed: ask the presenter, in the page. */
  function askAboutGroupSize(payload, refusal) {
    const grouping = state.grouping;
    warnedGroups = payload;
    $('group-warning-text').textContent = hasRange(grouping)
      ? t('console.group_size_warning', { ...grouping, size: payload.size }) : refusal.error;
    $('group-confirm').textContent = t('console.group_confirm', { size: payload.size });
    $('group-warning').hidden = false;
  }

  async function formGroups(payload) {
    const ack = await send('form_groups', payload, true);
    if (!ack) return;
    if (ack.ok) {
      closeGroupWarning();
      groupFormEdited = false;
      status(t('console.formed', { groups: ack.groups, placed: ack.placed }), 'ok');
    } else if (ack.code === 'group_size_outside_protocol' && !payload.confirm) {
      askAboutGroupSize(payload, ack);
    } else {
      status(ack.error || 'form_groups', 'error');
    }
  }

  const editedGroupForm = () => {
    groupFormEdited = true;
    closeGroupWarning(); // a confirmation is for the size it named
  };
  $('group-size').addEventListener('input', editedGroupForm);
  $('group-by').addEventListener('change', editedGroupForm);
  $('groups-form').addEventListener('submit', (event) => {
    event.preventDefault();
    closeGroupWarning();
    formGroups({ size: Number($('group-size').value), by: $('group-by').value });
  });
  $('group-confirm').addEventListener('click', () => {
    if (warnedGroups) formGroups({ ...warnedGroups, confirm: true });
  });
  $('group-change').addEventListener('click', () => {
    closeGroupWarning();
    $('group-size').focus();
    $('group-size').select();
  });

  // Adding protocols: from the library (fetched when the panel first opens) or an uploaded file.

  let libraryLoaded = false;
  $('agenda-add').addEventListener('toggle', async () => {
    if (!$('agenda-add').open || libraryLoaded) return;
    libraryLoaded = true;
    const select = $('add-protocol');
    try {
      const response = await fetch('/api/protocols');
      if (!response.ok) throw new Error(String(response.status));
      const { protocols } = await response.json();
      select.replaceChildren(...protocols.map((protocol) =>
        h('option', { value: protocol.id, text: `${protocol.title} · ${t('common.minutes', { n: protocol.minutes })}` })));
    } catch (error) {
      libraryLoaded = false;
      select.replaceChildren(h('option', { value: '', text: t('console.library_error') }));
    }
  });

  $('add-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const select = $('add-protocol');
    if (!select.value) return;
    const title = select.selectedOptions[0].textContent;
    const ack = await send('agenda_add', { protocol_id: select.value, rounds: Number($('add-rounds').value) || 1 });
    if (ack && ack.ok) status(t('console.added', { title }), 'ok');
  });

  $('upload-file').addEventListener('change', async (event) => {
    const file = event.target.files[0];
    if (!file) return;
    const ack = await send('agenda_add', { toml: await file.text(), file_name: file.name });
    if (ack && ack.ok) status(t('console.added', { title: file.name }), 'ok');
    event.target.value = '';
  });

  // Export everything: start the export, follow its progress, then save the ZIP from a blob link.

  const exportStatus = (text, kind) => {
    $('export-status').textContent = text;
    $('export-status').dataset.kind = kind || '';
  };

  /** An Error whose message says, in the console's words, why the server answered ``response`` with a failure. */
  async function refusal(response) {
    if (response.status === 404 || response.status === 405 || response.status === 501) {
      return new Error(t('console.export_unavailable', { status: response.status }));
    }
    let message = `${response.status} ${response.statusText}`;
    try { message = (await response.json()).error || message; } catch (error) { /* not JSON: keep the status */ }
    return new Error(t('console.export_refused', { error: message }));
  }

  async function fetchOk(url, options) {
    let response;
    try {
      response = await fetch(url, { ...options, headers: { 'X-Facilitator-Key': key }, cache: 'no-store' });
    } catch (error) {
      throw new Error(t('console.export_network'));
    }
    if (!response.ok) throw await refusal(response);
    return response;
  }

  function fileName(response) {
    const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(response.headers.get('Content-Disposition') || '');
    return match ? decodeURIComponent(match[1]) : `pathways-${code}.zip`;
  }

  $('export').addEventListener('click', async () => {
    const button = $('export');
    const link = $('export-download');
    button.disabled = true;
    link.hidden = true;
    exportStatus(t('console.export_starting'));
    try {
      const started = await (await fetchOk(`/api/sessions/${code}/export`, { method: 'POST' })).json();
      for (;;) {
        const progress = await (await fetchOk(started.status_url)).json();
        if (progress.state === 'done') break;
        if (progress.state === 'failed') throw new Error(t('console.export_failed', { error: progress.error || '' }));
        exportStatus(t('console.export_running', { done: progress.done || 0, total: progress.total || 0 }));
        await new Promise((resolve) => { setTimeout(resolve, EXPORT_POLL_MS); });
      }
      exportStatus(t('console.export_fetching'));
      const zip = await fetchOk(started.download_url);
      const name = fileName(zip);
      if (link.href.startsWith('blob:')) URL.revokeObjectURL(link.href);
      link.href = URL.createObjectURL(await zip.blob());
      link.download = name;
      link.hidden = false;
      exportStatus(t('console.export_done', { name }), 'ok');
      link.click();
    } catch (error) {
      exportStatus(error.message, 'error');
    } finally {
      button.disabled = false;
    }
  });

  setInterval(() => {
    if (!state) return;
    renderTimer();
    tickUsed();
  }, 250);
})();
