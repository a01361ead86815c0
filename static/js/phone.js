/* The participant's phone: join once, come back with the token, answer each step and see it saved. */
'use strict';

(() => {
  const { t, h, $, show, randomId, clock, timeLeft, formatTime } = Pathways;
  const code = $('phone').dataset.code;
  const TOKEN_KEY = `pathways:token:${code}`;
  const ACK_TIMEOUT = 10000;
  const kept = (use) => {
    try { return use(window.localStorage); } catch (error) { return null; } // private mode: this tab only
  };

  const OUTBOX_KEY = `pathways:outbox:${code}`;
  const DRAFTS_KEY = `pathways:drafts:${code}:`; // and the participant's id: one person's drafts, never another's

  /** Entries by step id, kept in storage that survives a reload (in this tab's memory only where storage is
   * refused). Read again before every change: another tab of this session may have changed them meanwhile. */
  function keptByStep(key) {
    let memory = {};
    const load = () => {
      const stored = kept((s) => JSON.parse(s.getItem(key) || '{}'));
      if (stored) memory = stored;
      return memory;
    };
    const save = () => kept((s) => s.setItem(key, JSON.stringify(memory)));
    return {
      put(entry) { load()[entry.step_id] = entry; save(); },
      get: (stepId) => load()[stepId],
      /** Drop a step's entry, only if it is still the one ``which`` picks out. */
      drop(stepId, which = () => true) {
        const entry = load()[stepId];
        if (entry && which(entry)) { delete memory[stepId]; save(); }
      },
      clear() { memory = {}; kept((s) => s.removeItem(key)); },
      all: () => Object.values(load()),
    };
  }

  /** Answers not yet acknowledged: sent when back online. */
  const outbox = keptByStep(OUTBOX_KEY);
  /** What this person typed and has not saved yet, per step: put back in the box after a reload or a closed tab,
   * until the server has saved it. Made once the server says who the token is. */
  let drafts = null;

  let token = kept((s) => s.getItem(TOKEN_KEY));
  let joining = null; // {name, join_answer, identifier, consent} as typed, until the server welcomes us
  let me = null;
  let state = null;
  let socket = null;
  let form = null; // the open step's input: {stepId, may, kind, value(), set(v), check()}
  let saved = null; // JSON of the value the server holds for the open step
  let pending = null; // {json, id}: a fresh answer_id for each new value, the same one for a resend
  let dirty = false;
  let draftTimer = 0;

  /** Who this phone is on every (re)connection: the token once welcomed, else what was typed; and the tokens it
   * holds from other sessions, so the server can recall this person's goal from an earlier day. */
  const currentAuth = () => ({ ...(token ? { code, token } : { code, ...joining }), earlier: earlierTokens() });

  /** Participant tokens of other sessions in this browser: its other phone pages' and the plan pages it opened. */
  function earlierTokens() {
    const plans = kept((s) => JSON.parse(s.getItem('pathways:plans') || '[]'));
    const found = new Set(Array.isArray(plans) ? plans.slice().reverse() : []); // the plan opened last first
    kept((s) => {
      for (let n = 0; n < s.length; n += 1) {
        const key = s.key(n);
        if (key.startsWith('pathways:token:') && key !== TOKEN_KEY) found.add(s.getItem(key));
      }
    });
    found.delete(token);
    return [...found].filter((earlier) => earlier && typeof earlier === 'string').slice(0, 20);
  }

  function screen(name) {
    for (const id of ['loading', 'name', 'lobby', 'step', 'ended']) show($(`screen-${id}`), id === name);
  }

  function connect() {
    if (!socket) {
      socket = io('/participant', { auth: (cb) => cb(currentAuth()), autoConnect: false });
      socket.on('connect', () => show($('offline'), false));
      socket.on('disconnect', (reason) => {
        show($('offline'), true);
        if (reason === 'io server disconnect') socket.connect(); // closed by the server: ask why (e.g. session gone)
      });
      socket.on('connect_error', onConnectError);
      socket.on('welcome', onWelcome);
      socket.on('state', onState);
      socket.on('step', onStep); // the open step, broadcast to the whole room
      socket.on('me', onMe); // this phone's own part of the next step, where it differs from the broadcast
      socket.on('saved', onSaved); // an answer this person saved from another tab
    }
    socket.connect();
  }

  // A plan page opened in another tab keeps its token in this browser: someone whose earlier plan was not on this
  // phone connects again with it, and the open step recalls it.
  window.addEventListener('storage', (event) => {
    if (state && recallStatus() === 'hidden' && socket.connected && /^pathways:(plans|token:)/.test(event.key || '')) {
      socket.disconnect().connect();
    }
  });

  function onConnectError(error) {
    if (socket.active) return show($('offline'), true); // the network: the client retries by itself
    const reason = error.data && error.data.code;
    resetJoin();
    if (reason === 'rate_limited' && token) { // busy, not wrong: try again in a while with the same token
      show($('offline'), true);
      return window.setTimeout(connect, 15000);
    }
    if (reason === 'bad_token') {
      token = null;
      outbox.clear();
      forgetDrafts(); // whoever held that token is gone: what they typed is not the next person's
      kept((s) => s.removeItem(TOKEN_KEY));
      askName();
    } else if (!token && reason !== 'unknown_session') {
      $('name-error').textContent = error.message;
      askName();
    } else {
      $('loading-text').textContent = reason === 'unknown_session' ? t('phone.session_gone') : error.message;
      screen('loading');
    }
  }

  function onWelcome(welcome) {
    me = welcome;
    token = welcome.token;
    joining = null;
    kept((s) => s.setItem(TOKEN_KEY, token));
    drafts = keptByStep(`${DRAFTS_KEY}${welcome.participant_id}`);
    const plan = `/p/${encodeURIComponent(token)}/plan`;
    $('menu-plan').href = plan;
    $('plan-link').href = plan;
    $('menu-pdf').href = `${plan}.pdf`;
    $('pdf-link').href = `${plan}.pdf`;
    show($('menu'), true);
    outbox.all().forEach(send);
  }

  function note(text) {
    $('phone-note').textContent = text;
    show($('phone-note'), Boolean(text));
  }

  $('menu-forget').addEventListener('click', () => {
    if (!socket || !window.confirm(t('phone.forget_confirm'))) return;
    socket.timeout(ACK_TIMEOUT).emit('forget', {}, (timeout, ack) => {
      if (timeout || !ack || !ack.ok) return note(t('phone.forget_failed', { error: (ack && ack.error) || t('phone.timeout') }));
      outbox.clear();
      window.clearTimeout(draftTimer);
      if (drafts) drafts.clear();
      saved = null;
      pending = null;
      dirty = false;
      form = null; // the server sent the emptied state before this ack: build the step again from it
      if (state && state.phase === 'step') renderStep(state.step);
      note(t('phone.forgotten'));
      $('menu').open = false;
    });
  });

  function askName() {
    screen('name');
    $('name-input').focus();
  }

  function resetJoin() {
    $('join-button').disabled = false;
    $('join-button').textContent = t('phone.join');
  }

  $('name-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const name = $('name-input').value.trim();
    const question = $('join-answer');
    const identifier = $('identifier-input') ? $('identifier-input').value.trim() : '';
    const consent = Boolean(identifier) && $('consent-input').checked;
    const problem = !name ? [t('phone.need_name'), $('name-input')]
      : question && !question.value.trim() ? [t('phone.need_join_answer'), question]
        : identifier && !consent ? [t('phone.need_consent'), $('consent-input')] : null;
    $('name-error').textContent = problem ? problem[0] : '';
    if (problem) return problem[1].focus();
    joining = { name, ...(question && { join_answer: question.value.trim() }), ...(identifier && { identifier, consent }) };
    $('join-button').disabled = true;
    $('join-button').textContent = t('phone.joining');
    connect();
  });

  let early = null; // this phone's own part of a step whose broadcast is on its way

  function onMe(part) {
    const { step_id: stepId, ...fields } = part;
    if (state && state.step && state.step.id === stepId) onState({ ...state, ...fields }, false);
    else early = part;
  }

  /** The step, laid over the whole state this phone was sent when it connected, with its own part if it came. */
  function onStep(part) {
    const mine = early && part.step && early.step_id === part.step.id ? early : {};
    early = null;
    const { step_id: stepId, ...fields } = mine;
    if (state) onState({ ...state, ...part, ...fields });
  }

  function onSaved(answer) {
    if (!state) return;
    state.answers = { ...state.answers, [answer.step_id]: answer.value };
    if (state.phase === 'step' && state.step.id === answer.step_id) renderStep(state.step);
  }

  function onState(next, fresh = true) {
    if (fresh) clock.sync(next.server_time);
    state = next;
    const title = $('session-title');
    if (title) title.textContent = next.session.title;
    const name = me ? me.name : '';
    if (next.phase === 'step') {
      renderStep(next.step);
    } else {
      const phase = next.phase === 'ended' ? 'ended' : 'lobby';
      $(`${phase}-heading`).textContent = t(`phone.${phase}_heading`, { name });
      const shown = !$(`screen-${phase}`).hidden;
      keepDraft();
      form = null;
      screen(phase);
      if (!shown) $(`${phase}-heading`).focus({ preventScroll: true });
    }
    renderGroup();
    renderTimer();
  }

  function renderGroup() {
    const group = state.phase !== 'ended' && state.group;
    show($('group-box'), Boolean(group));
    if (!group) return;
    $('group-table').textContent = t('phone.table', { n: group.table });
    $('group-role').textContent = group.role ? t('phone.your_role', { role: group.role.title }) : '';
    const others = group.members.map((m) => m.name).filter((n) => n && n !== (me && me.name));
    $('group-members').textContent = others.length ? t('phone.with', { names: others.join(', ') }) : '';
  }

  function renderStep(step) {
    const answer = state.answers[step.id];
    const serverJson = answer === undefined ? null : JSON.stringify(answer);
    const may = state.may_answer !== false && step.kind !== 'none';
    const recallJson = JSON.stringify(state.recall || null); // a progress step's rows and a prefill come from it
    const same = form && form.stepId === step.id && form.may === may && !$('screen-step').hidden;
    if (!same || (!dirty && ((serverJson !== null && serverJson !== saved) || form.recall !== recallJson))) {
      $('step-kicker').textContent = `${t('common.step_of', { n: step.number, total: step.of })} · ${step.protocol}`;
      $('step-title').textContent = step.title;
      $('step-visibility').textContent = t(`phone.visibility.${step.visibility}`);
      $('step-visibility').dataset.visibility = step.visibility;
      $('screen-step').dataset.kind = step.kind;
      keepDraft(); // the box built again may hold what was typed a moment ago
      const input = may ? buildInput(step) : noInput(step);
      form = { stepId: step.id, may, kind: step.kind, recall: recallJson, raw: input.value, ...input };
      form.blank = JSON.stringify(form.raw());
      saved = serverJson;
      pending = null;
      dirty = false;
      const waiting = may && outbox.get(step.id);
      const earlier = may && !waiting && answer === undefined ? prefill(step) : null;
      if (waiting) {
        form.set(waiting.value);
        pending = { json: JSON.stringify(waiting.value), id: waiting.answer_id };
      } else if (may && answer !== undefined) {
        form.set(answer);
      } else if (earlier != null) {
        form.set(earlier);
      }
      // What this person typed here and has not saved comes back, with a note, even over a saved answer it differs
      // from: they typed it after that answer was given (here or in another tab), so showing the answer instead
      // would lose their words silently. It goes once the server has it, or once the box holds the answer again.
      const draft = may && drafts ? drafts.get(step.id) : null;
      const draftJson = draft ? JSON.stringify(draft.value) : null;
      if (draft && draftJson === serverJson) drafts.drop(step.id);
      const restored = draft && draftJson !== serverJson && !(waiting && draftJson === pending.json);
      if (restored) {
        form.set(draft.raw);
        dirty = true;
      }
      setStatus(restored ? 'restored' : waiting ? 'waiting' : may && answer !== undefined ? 'before'
        : earlier != null ? 'prefilled' : '');
      $('answer-submit').disabled = false;
      if (!same) {
        screen('step');
        window.scrollTo(0, 0);
        $('step-title').focus({ preventScroll: true });
      }
    }
    const locked = Boolean(state.locked);
    $('answer-fields').disabled = locked;
    show($('answer-submit'), may && !locked);
    show($('step-visibility'), may);
    show($('answer-form'), may || step.kind === 'none');
    const status = recallStatus();
    const rolePrompt = state.role_prompt; // what this person's role is asked here, in place of the step's prompt
    $('step-prompt').textContent = rolePrompt || (status && status !== 'returning' && step.first_time_prompt) || step.prompt;
    const listening = !may && step.kind !== 'none' && step.returning_only && status !== 'returning';
    const note = $('step-note');
    note.textContent = may || step.kind === 'none' ? (locked && may ? t('phone.locked') : '')
      : rolePrompt ? '' : listening ? t('phone.returning_only') : notYourTurn(step);
    show(note, Boolean(note.textContent));
    // Someone without a goal here is told what comes next, once; someone whose plan is elsewhere, how to bring it.
    const recallNote = status === 'hidden' ? 'phone.hidden_note'
      : status === 'first_time' && !listening ? 'phone.first_time_note' : '';
    $('recall-note').textContent = recallNote ? t(recallNote) : '';
    show($('recall-note'), Boolean(recallNote));
    renderRecall(recallJson);
    renderShared(step);
  }

  /** On a step that revisits the goal: "returning" (a goal to recall), "first_time" or "hidden"; else null. */
  function recallStatus() {
    return state.recall ? state.recall.status || 'returning' : null;
  }

  /** What a step that revisits the goal offers to keep, before the person has answered it: never saved unasked. */
  function prefill(step) {
    const recall = step.recall && recallStatus() === 'returning' ? state.recall : {};
    if (step.kind === 'goal') return recall.system_goal_id;
    return step.kind === 'text' && step.plan === 'goal' && recall.goal ? recall.goal : null;
  }

  /** Who answers instead, when the step is one role's and someone in the group holds it. */
  function notYourTurn(step) {
    const holder = state.group && state.group.members.find((m) => m.role && m.role.id === step.who);
    return holder ? t('phone.not_your_turn', { role: holder.role.title }) : t('phone.listen');
  }

  let recallShown = null; // built again only when it changes, so a check-in opened stays open

  /** Someone returning to a goal sees it, its action steps and their check-ins, newest first and open. */
  function renderRecall(recallJson) {
    if (recallJson === recallShown) return;
    recallShown = recallJson;
    const status = recallStatus();
    const recall = status === 'returning' ? state.recall : {};
    const rows = [];
    if ((recall.system_goals || []).length) rows.push([t('phone.recall_system_goal'), recall.system_goals.join(', ')]);
    if (recall.goal) rows.push([t('phone.recall_goal'), recall.goal]);
    if ((recall.action_steps || []).length) rows.push([t('phone.recall_steps'), bullets(recall.action_steps)]);
    const checkIns = recall.check_ins || [];
    show($('recall'), rows.length + checkIns.length > 0);
    $('recall-source').textContent = recall.source || '';
    $('recall-list').replaceChildren(...terms(rows));
    $('recall-check-ins').replaceChildren(...checkIns.map((checkIn, index) => h('details', {
      class: 'check-in', open: index === 0, 'data-testid': 'check-in',
    }, h('summary', { text: t('phone.check_in', { date: checkIn.date }) }), h('dl', {}, terms(checkInRows(checkIn))))));
  }

  function checkInRows(checkIn) {
    const link = checkIn.evidence_link;
    const evidence = [checkIn.evidence ? h('p', { text: checkIn.evidence }) : null, !link ? null
      : /^https?:\/\//i.test(link) ? h('a', { href: link, target: '_blank', rel: 'noopener', text: link }) : h('p', { text: link })];
    return [
      [t('phone.check_in_progress'), (checkIn.progress || []).length ? bullets(checkIn.progress.map((row) =>
        `${t('phone.progress_line', { step: row.step, level: row.level, of: row.of })}${row.label ? ` · ${row.label}` : ''}`)) : null],
      [t('phone.check_in_evidence'), evidence.some(Boolean) ? evidence : null],
      [t('phone.check_in_obstacles'), checkIn.obstacles || null],
      [t('phone.check_in_support'), (checkIn.support || []).join(', ') || null],
    ].filter(([, detail]) => detail);
  }

  const bullets = (lines) => h('ul', {}, lines.map((line) => h('li', { text: line })));
  const terms = (rows) => rows.flatMap(([term, detail]) => [h('dt', { text: term }), h('dd', {}, detail)]);

  function renderShared(step) {
    const shared = (state.shared || []).filter((answer) => answer.step_id === step.id);
    show($('shared'), shared.length > 0);
    $('shared-list').replaceChildren(...shared.map((answer) =>
      h('li', {}, h('strong', { text: answer.name || '' }), ...lines(step, answer.value).map((line) => h('span', { text: line })))));
  }

  /** An answer as a person reads it: option labels, goal titles, list items with their dates. */
  function lines(step, value) {
    const label = (id) => ((step.options || []).find((o) => o.id === id) || { label: String(id) }).label;
    return (Array.isArray(value) ? value : [value]).map((item) => {
      if (item && step.kind === 'progress') return t('phone.progress_line', { step: item.step, level: item.level, of: step.max });
      if (item && typeof item === 'object') return t('phone.by_date', { text: item.text, date: day(item.date) });
      if (step.kind === 'goal') return (state.session.system_goals.find((g) => g.id === item) || { title: String(item) }).title;
      if (step.kind === 'choice' || step.kind === 'rank') return label(item);
      return step.kind === 'date' ? day(item) : String(item);
    });
  }

  function day(iso) {
    const date = new Date(`${iso}T00:00:00`);
    return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
  }

  function renderTimer() {
    const pill = $('step-timer');
    const left = state && state.phase === 'step' ? timeLeft(state) : null;
    show(pill, Boolean(left));
    if (!left) return;
    pill.textContent = !left.running ? `${formatTime(left.seconds)} · ${t('common.paused')}`
      : left.seconds > 0 ? t('common.time_left', { time: formatTime(left.seconds) }) : t('common.time_up');
  }

  /** Under the answer: the saved mark shows only once the server has acknowledged the answer. */
  function setStatus(kind, message) {
    show($('saved-mark'), kind === 'saved');
    const line = $('answer-message');
    line.dataset.kind = kind;
    const text = {
      saving: 'phone.saving', before: 'phone.answered_before', unsaved: 'phone.unsaved', waiting: 'phone.waiting',
      prefilled: 'phone.prefilled', restored: 'phone.restored',
    }[kind];
    line.textContent = kind === 'error' ? message : text ? t(text) : '';
  }

  function changed() {
    dirty = true;
    const restored = $('answer-message').dataset.kind === 'restored'; // still true: say it until saved
    setStatus(restored ? 'restored' : saved === null ? '' : 'unsaved');
    window.clearTimeout(draftTimer);
    draftTimer = window.setTimeout(keepDraft, DRAFT_DELAY_MS);
  }

  const DRAFT_DELAY_MS = 300; // a pause in typing; leaving the page keeps it at once

  /** Keep what the open step's box holds and the server does not, on this phone; let it go once they agree, or
   * when the box is back as it was built with nothing saved. */
  function keepDraft() {
    window.clearTimeout(draftTimer);
    if (!drafts || !form || !form.may || !dirty) return;
    const value = form.value();
    const raw = form.raw();
    if (JSON.stringify(value) === saved || (saved === null && JSON.stringify(raw) === form.blank)) drafts.drop(form.stepId);
    else drafts.put({ step_id: form.stepId, value, raw });
  }

  window.addEventListener('pagehide', keepDraft);
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') keepDraft(); });

  /** Remove every draft kept for this session on this phone, whoever typed it. */
  function forgetDrafts() {
    drafts = null;
    kept((s) => {
      const keys = [];
      for (let n = 0; n < s.length; n += 1) if (s.key(n).startsWith(DRAFTS_KEY)) keys.push(s.key(n));
      keys.forEach((key) => s.removeItem(key));
    });
  }

  $('answer-form').addEventListener('submit', (event) => {
    event.preventDefault();
    if (!form || !form.may || state.locked) return;
    const problem = form.check();
    if (problem) return setStatus('error', problem);
    const value = form.value();
    const json = JSON.stringify(value);
    if (!pending || pending.json !== json) pending = { json, id: randomId() };
    const entry = { step_id: form.stepId, answer_id: pending.id, value, title: $('step-title').textContent };
    keepDraft(); // kept as typed until the server has this answer: a refusal loses nothing
    outbox.put(entry);
    if (!socket || !socket.connected) return setStatus('waiting');
    send(entry);
  });

  // Refusals that pass: the answer stays kept and is sent again.
  const PASSING = new Set(['rate_limited', 'internal_error', 'not_connected']);
  const RETRY_MS = 5000;

  /** Send a kept answer again in a while, if it is still kept then and the phone is connected. */
  function retrySoon(entry) {
    window.setTimeout(() => {
      const still = outbox.get(entry.step_id);
      if (still && still.answer_id === entry.answer_id && socket && socket.connected) send(still);
    }, RETRY_MS);
  }

  /** Send one kept answer; it leaves the outbox once the server has committed it, or has refused it for good. */
  function send(entry) {
    const current = () => form && form.stepId === entry.step_id;
    if (current()) {
      setStatus('saving');
      $('answer-submit').disabled = true;
    }
    const { title, ...answer } = entry;
    socket.timeout(ACK_TIMEOUT).emit('answer', answer, (timeout, ack) => {
      if (current()) $('answer-submit').disabled = false;
      if (timeout || (ack && PASSING.has(ack.code))) { // kept: tried again soon, and on every new connection
        if (current()) setStatus('waiting');
        return retrySoon(entry);
      }
      const sameAnswer = (kept) => kept.answer_id === entry.answer_id;
      if (ack && ack.ok) {
        outbox.drop(entry.step_id, sameAnswer);
        if (drafts) drafts.drop(entry.step_id, (draft) => JSON.stringify(draft.value) === JSON.stringify(entry.value));
        if (state) state.answers = { ...state.answers, [entry.step_id]: entry.value };
        if (!current()) return;
        saved = JSON.stringify(entry.value);
        dirty = JSON.stringify(form.value()) !== saved; // edited again while this was saving
        return setStatus(dirty ? 'unsaved' : 'saved');
      }
      outbox.drop(entry.step_id, sameAnswer); // refused for good (e.g. the step closed): say so; the draft stays
      const error = (ack && ack.error) || t('phone.timeout');
      return current() ? setStatus('error', error) : note(t('phone.not_sent', { title: title || '', error }));
    });
  }

  // One builder per step kind; each fills #answer-input and returns {value(), set(value), check()}.
  function buildInput(step) {
    const builders = {
      text: textInput, list: listInput, choice: choiceInput, scale: scaleInput, goal: goalInput, rank: rankInput, date: dateInput,
      progress: progressInput,
    };
    return (builders[step.kind] || noInput)(step, $('answer-input'));
  }

  function noInput(step) {
    $('answer-input').replaceChildren(step.kind === 'none' ? h('p', { class: 'muted', text: t('phone.none_kind') }) : '');
    return { value: () => null, set() {}, check: () => null };
  }

  function textInput(step, box) {
    const counter = h('p', { id: 'answer-counter', class: 'hint counter' });
    const area = h('textarea', {
      id: 'answer-text', rows: 5, maxlength: step.max_chars, 'aria-describedby': 'step-prompt answer-counter', 'data-testid': 'answer-text',
    });
    const count = () => { counter.textContent = t('phone.chars', { n: area.value.length, max: step.max_chars }); };
    area.addEventListener('input', () => { count(); changed(); });
    box.replaceChildren(h('label', { for: 'answer-text', text: t('phone.your_answer') }), area, counter);
    count();
    return {
      value: () => area.value.trim(),
      raw: () => area.value,
      set(value) { area.value = String(value); count(); },
      check: () => (area.value.trim() ? null : t('phone.need_text')),
    };
  }

  function dateInput(step, box) {
    const input = h('input', { id: 'answer-date', type: 'date', 'aria-describedby': 'step-prompt', 'data-testid': 'answer-date', onchange: changed });
    box.replaceChildren(h('label', { for: 'answer-date', text: t('phone.your_answer') }), input);
    return { value: () => input.value, set(value) { input.value = String(value); }, check: () => (input.value ? null : t('phone.need_day')) };
  }

  function listInput(step, box) {
    const rows = h('ol', { class: 'list-items' });
    const add = h('button', { type: 'button', class: 'button secondary', 'data-testid': 'add-item', text: `+ ${t('phone.add_item')}` });
    const minimum = Math.max(1, step.min_items);
    const items = () => Array.from(rows.children, (row) => ({
      text: row.querySelector('[data-testid="answer-item"]').value.trim(),
      date: step.dated ? row.querySelector('input[type="date"]').value : '',
    }));

    function relabel() {
      Array.from(rows.children).forEach((row, index) => {
        const n = index + 1;
        const [label, dateLabel] = row.querySelectorAll('label');
        const [input, date] = row.querySelectorAll('input');
        input.id = `answer-item-${n}`;
        label.htmlFor = input.id;
        label.textContent = t('phone.item_label', { n });
        if (date) {
          date.id = `answer-item-date-${n}`;
          dateLabel.htmlFor = date.id;
        }
        const remove = row.querySelector('.remove-item');
        remove.setAttribute('aria-label', t('phone.remove_item', { n }));
        show(remove, rows.children.length > minimum);
      });
      show(add, rows.children.length < step.max_items);
    }

    function addRow(item) {
      const input = h('input', { type: 'text', maxlength: step.max_chars, 'data-testid': 'answer-item', oninput: changed });
      input.value = (item && typeof item === 'object' ? item.text : item) || '';
      const row = h('li', { class: 'list-item' }, h('label', { class: 'item-label' }), h('div', { class: 'item-row' }, input,
        h('button', {
          type: 'button', class: 'remove-item', 'data-testid': 'remove-item', text: '×',
          onclick: () => {
            const index = Array.from(rows.children).indexOf(row);
            row.remove();
            relabel();
            changed();
            rows.querySelectorAll('[data-testid="answer-item"]')[Math.max(0, index - 1)].focus();
          },
        })));
      if (step.dated) {
        const date = h('input', { type: 'date', class: 'item-date', 'data-testid': 'answer-item-date', onchange: changed });
        date.value = (item && item.date) || '';
        row.append(h('label', { class: 'date-label', text: t('phone.date_label') }), date);
      }
      rows.append(row);
      relabel();
      return input;
    }

    add.addEventListener('click', () => { addRow('').focus(); changed(); });
    box.replaceChildren(rows, add);
    for (let n = 0; n < minimum; n += 1) addRow('');
    return {
      value: () => items().filter((item) => item.text).map((item) => (step.dated ? item : item.text)),
      raw: items, // every row as typed, a date without its text too
      set(value) {
        rows.replaceChildren();
        for (const item of (Array.isArray(value) ? value : []).slice(0, step.max_items)) addRow(item);
        while (rows.children.length < minimum) addRow('');
      },
      check() {
        const all = items();
        const undated = all.findIndex((item) => item.text && !item.date);
        if (step.dated && undated >= 0) return t('phone.need_date', { n: undated + 1 });
        const filled = all.filter((item) => item.text).length;
        return filled >= minimum ? null : t('phone.need_items', { n: minimum });
      },
    };
  }

  /** Pressable buttons: one pressed at a time, or any number when ``multiple``. */
  function pressGroup(buttons, multiple, className) {
    const group = h('div', { class: className, role: 'group', 'aria-labelledby': 'step-title', 'aria-describedby': 'step-prompt' }, buttons);
    for (const button of buttons) {
      button.setAttribute('aria-pressed', 'false');
      button.addEventListener('click', () => {
        const on = button.getAttribute('aria-pressed') !== 'true';
        if (!multiple) for (const other of buttons) other.setAttribute('aria-pressed', 'false');
        button.setAttribute('aria-pressed', String(multiple ? on : true));
        changed();
      });
    }
    const pressed = () => buttons.filter((b) => b.getAttribute('aria-pressed') === 'true').map((b) => b.dataset.value);
    return {
      group,
      pressed,
      set(values) {
        const wanted = (Array.isArray(values) ? values : [values]).map(String);
        for (const b of buttons) b.setAttribute('aria-pressed', String(wanted.includes(b.dataset.value)));
      },
      check: () => (pressed().length ? null : t('phone.need_choice')),
    };
  }

  function choiceInput(step, box) {
    const buttons = (step.options || []).map((option) =>
      h('button', { type: 'button', class: 'option', 'data-value': option.id, 'data-testid': 'answer-option', text: option.label }));
    const choice = pressGroup(buttons, step.multiple, 'options');
    box.replaceChildren(choice.group);
    return { ...choice, value: () => (step.multiple ? choice.pressed() : choice.pressed()[0]) };
  }

  /** A row of numbered buttons from the step's min to max, with its end labels under it. */
  function scaleGroup(step, testId) {
    const buttons = [];
    for (let n = step.min; n <= step.max; n += 1) {
      const end = n === step.min ? step.min_label : n === step.max ? step.max_label : '';
      buttons.push(h('button', {
        type: 'button', class: 'scale-button', 'data-value': String(n), 'data-testid': testId,
        'aria-label': end ? `${n} · ${end}` : null, text: String(n),
      }));
    }
    const scale = pressGroup(buttons, false, 'scale');
    scale.group.style.setProperty('--count', String(buttons.length));
    const ends = h('p', { class: 'scale-ends', 'aria-hidden': 'true' },
      h('span', { text: step.min_label || '' }), h('span', { text: step.max_label || '' }));
    return { ...scale, nodes: [scale.group, ends], level: () => Number.parseInt(scale.pressed()[0], 10) };
  }

  function scaleInput(step, box) {
    const scale = scaleGroup(step, 'answer-scale');
    box.replaceChildren(...scale.nodes);
    return { ...scale, value: scale.level };
  }

  /** A level for each action step the person recalls (or for their goal when they listed none), every one rated. */
  function progressInput(step, box) {
    const recall = state.recall || {};
    let rows = [];

    function fill(texts) {
      rows = texts.map((text, index) => {
        const scale = scaleGroup(step, 'progress-level');
        scale.group.setAttribute('aria-labelledby', `progress-step-${index + 1}`);
        return { text, scale, row: h('div', { class: 'progress-row', 'data-testid': 'progress-row' },
          h('p', { id: `progress-step-${index + 1}`, class: 'progress-step', text }), scale.nodes) };
      });
      box.replaceChildren(...rows.map((row) => row.row));
    }

    const items = (recall.action_step_items || []).map((item) => item.text).filter(Boolean);
    fill(items.length ? items : [recall.goal || t('phone.recall_goal')]);
    return {
      value: () => rows.map((row) => ({ step: row.text, level: row.scale.level() })),
      set(value) { // a saved answer shows the steps it rated, each at its level
        if (!Array.isArray(value) || !value.length) return;
        fill(value.map((rated) => String(rated.step)));
        value.forEach((rated, index) => rows[index].scale.set(rated.level));
      },
      check() {
        const unrated = rows.find((row) => !row.scale.pressed().length);
        return unrated ? t('phone.need_levels', { step: unrated.text }) : null;
      },
    };
  }

  function goalInput(step, box) {
    const buttons = state.session.system_goals.map((goal) =>
      h('button', { type: 'button', class: 'goal-option', 'data-value': String(goal.id), 'data-testid': 'answer-goal' },
        h('strong', { text: goal.title }), goal.description ? h('span', { text: goal.description }) : null));
    const goals = pressGroup(buttons, false, 'goals');
    box.replaceChildren(goals.group);
    return { ...goals, value: () => Number.parseInt(goals.pressed()[0], 10) };
  }

  /** Options in order, most important first: each row moves up or down with a big button, no dragging. */
  function rankInput(step, box) {
    const rows = h('ol', { class: 'rank', 'aria-labelledby': 'step-title', 'aria-describedby': 'rank-hint' });
    const options = step.options || [];
    const label = (id) => (options.find((o) => o.id === id) || { label: id }).label;

    function move(row, by, button) {
      const items = Array.from(rows.children);
      const to = items.indexOf(row) + by;
      if (to < 0 || to >= items.length) return;
      if (by < 0) rows.insertBefore(row, items[to]);
      else rows.insertBefore(row, items[to].nextSibling);
      relabel();
      changed();
      // Keep the finger (and the keyboard focus) on the same button while it can still move that way.
      (button.disabled ? row.querySelector(by < 0 ? '.rank-down' : '.rank-up') : button).focus();
    }

    function relabel() {
      const items = Array.from(rows.children);
      items.forEach((row, index) => {
        const name = label(row.dataset.value);
        row.querySelector('.rank-place').textContent = String(index + 1);
        const up = row.querySelector('.rank-up');
        const down = row.querySelector('.rank-down');
        up.disabled = index === 0;
        down.disabled = index === items.length - 1;
        up.setAttribute('aria-label', t('phone.move_up', { option: name, n: index + 1 }));
        down.setAttribute('aria-label', t('phone.move_down', { option: name, n: index + 1 }));
      });
    }

    function fill(ids) {
      rows.replaceChildren(...ids.map((id) => {
        const row = h('li', { class: 'rank-item', 'data-value': id, 'data-testid': 'rank-item' },
          h('span', { class: 'rank-place', 'aria-hidden': 'true' }),
          h('span', { class: 'rank-label', text: label(id) }),
          h('button', { type: 'button', class: 'rank-up', 'data-testid': 'rank-up', text: '↑' }),
          h('button', { type: 'button', class: 'rank-down', 'data-testid': 'rank-down', text: '↓' }));
        row.querySelector('.rank-up').addEventListener('click', (event) => move(row, -1, event.currentTarget));
        row.querySelector('.rank-down').addEventListener('click', (event) => move(row, 1, event.currentTarget));
        return row;
      }));
      relabel();
    }

    fill(options.map((o) => o.id));
    box.replaceChildren(h('p', { id: 'rank-hint', class: 'hint', text: t('phone.rank_hint') }), rows);
    const value = () => Array.from(rows.children, (row) => row.dataset.value);
    return {
      value,
      set(ids) {
        const known = options.map((o) => o.id);
        if (Array.isArray(ids) && ids.length === known.length && ids.every((id) => known.includes(id))) fill(ids);
      },
      check: () => null, // every order is an answer; the first save may keep the order shown
    };
  }

  setInterval(renderTimer, 1000);

  if (token) {
    screen('loading');
    connect();
  } else {
    askName();
  }
})();
