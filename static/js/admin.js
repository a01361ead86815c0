/* Preparing the day: the admin token, the list of sessions, one form to create or edit a session, and its tools. */
'use strict';

(() => {
  const { t, h, $ } = Pathways;
  const TOKEN_KEY = 'pathways:admin-token'; // sessionStorage: gone when the tab closes
  const LINKS_KEY = 'pathways:console-links'; // localStorage: join code -> console URL this browser was given
  const MAX_GOALS = 10;

  let token = sessionStorage.getItem(TOKEN_KEY) || '';
  let library = new Map(); // protocol id -> protocol, from GET /api/protocols
  let current = null; // the session being edited (GET /api/sessions/<code>), or null for a new one
  let goals = []; // [{id, title, description}]; id is null for a goal not saved yet
  let agenda = []; // [{item, protocol, title, rounds, steps: [{id, title, minutes}]}]; item is null for a new pick

  const form = $('session-form');
  const submit = $('form-submit');
  const formError = $('form-error');

  class ApiError extends Error {}

  /** One call to the API with the admin token; the server's sentence becomes the error's message. */
  async function api(method, path, body) {
    const headers = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
    const init = { method, headers };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (error) {
      throw new ApiError(t('admin.network_error'));
    }
    if (response.status === 401) {
      askForToken(t('admin.unauthorized'));
      throw new ApiError(t('admin.unauthorized'));
    }
    if (response.status === 204) return null;
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new ApiError(data.error || response.statusText);
    return data;
  }

  // Words for time

  function duration(minutes) {
    const total = Math.round(minutes);
    if (Math.abs(total) < 60) return t('admin.minutes', { n: total });
    return t('admin.hours_minutes', { h: Math.floor(total / 60), m: String(total % 60).padStart(2, '0') });
  }

  /** A day as YYYY-MM-DD in this computer's own time zone (toISOString would give the day in UTC). */
  function isoDay(date) {
    return [date.getFullYear(), date.getMonth() + 1, date.getDate()].map((part) => String(part).padStart(2, '0')).join('-');
  }

  function count(n, key) {
    return n === 1 ? t(`admin.${key}_one`) : t(`admin.${key}`, { n });
  }

  // Console links this browser was given: shown again without making a new key

  function savedLinks() {
    try {
      return JSON.parse(localStorage.getItem(LINKS_KEY) || '{}');
    } catch (error) {
      return {};
    }
  }

  function saveLink(code, url) {
    const links = savedLinks();
    if (url) links[code] = url;
    else delete links[code];
    localStorage.setItem(LINKS_KEY, JSON.stringify(links));
  }

  // The admin token

  function askForToken(message) {
    token = '';
    sessionStorage.removeItem(TOKEN_KEY);
    $('workspace').hidden = true;
    $('token-form').hidden = false;
    $('token-error').textContent = message || '';
    $('admin-token').value = '';
    $('admin-token').focus();
  }

  $('token-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const typed = $('admin-token').value.trim();
    if (!typed) {
      $('token-error').textContent = t('admin.need_token');
      $('admin-token').focus();
      return;
    }
    token = typed;
    if (await loadSessions()) {
      sessionStorage.setItem(TOKEN_KEY, token);
      openWorkspace();
    }
  });

  $('forget-token').addEventListener('click', () => askForToken(''));

  function openWorkspace() {
    $('token-form').hidden = true;
    $('workspace').hidden = false;
    newSession();
  }

  // The list of sessions

  async function loadSessions() {
    $('sessions-status').textContent = t('admin.loading_sessions');
    let body;
    try {
      body = await api('GET', '/api/sessions');
    } catch (error) {
      $('token-error').textContent = error.message;
      $('sessions-status').textContent = error.message;
      return false;
    }
    renderSessions(body.sessions);
    return true;
  }

  function renderSessions(sessions) {
    $('sessions-status').textContent = sessions.length ? count(sessions.length, 'sessions_count') : t('admin.no_sessions');
    $('sessions').replaceChildren(...sessions.map((session) => {
      const time = session.day_minutes
        ? t('admin.planned_of', { planned: duration(session.planned_minutes), available: duration(session.day_minutes) })
        : t('admin.planned', { planned: duration(session.planned_minutes) });
      const selected = current && current.code === session.code;
      return h('li', {},
        h('button', {
          type: 'button', class: 'session-item', 'aria-current': selected ? 'true' : null,
          'data-testid': `session-${session.code}`,
          onclick: () => editSession(session.code),
        },
        h('span', { class: 'session-item-top' },
          h('strong', { class: 'session-item-title', text: session.title }),
          stateBadge(session.state)),
        h('span', { class: 'session-item-meta', text: [
          session.date || t('admin.no_date'), count(session.participants, 'people'), session.code,
        ].join(' · ') }),
        h('span', { class: `session-item-time${overTime(session) ? ' over' : ''}`, text: time })));
    }));
  }

  function overTime(session) {
    return session.day_minutes != null && session.planned_minutes > session.day_minutes;
  }

  function stateBadge(state, props) {
    return h('span', { class: `state-badge state-${state}`, text: t(`admin.state.${state}`), ...props });
  }

  // Choosing what the form edits

  function newSession() {
    current = null;
    fillForm({
      title: '', organisation: '', facilitator: '', date: isoDay(new Date()), day_minutes: null,
      system_goals: [], agenda: [], state: 'draft',
    });
    const first = library.get('goal-setting');
    if (first) agenda = [pickFromLibrary(first)];
    renderAgenda();
    $('editor-heading').textContent = t('admin.new_heading');
    submit.textContent = t('admin.submit');
    markSelected();
  }

  async function editSession(code) {
    try {
      current = await api('GET', `/api/sessions/${code}`);
    } catch (error) {
      $('sessions-status').textContent = error.message;
      return;
    }
    fillForm(current);
    $('editor-heading').textContent = t('admin.edit_heading', { title: current.title });
    submit.textContent = t('admin.save');
    markSelected();
    $('editor-heading').focus();
  }

  function markSelected() {
    for (const button of document.querySelectorAll('.session-item')) {
      const selected = current && button.dataset.testid === `session-${current.code}`;
      if (selected) button.setAttribute('aria-current', 'true');
      else button.removeAttribute('aria-current');
    }
  }

  function fillForm(session) {
    $('created').hidden = true;
    form.hidden = false;
    formError.textContent = '';
    $('form-saved').textContent = '';
    $('session-title').value = session.title;
    $('organisation').value = session.organisation;
    $('facilitator-name').value = session.facilitator;
    $('session-date').value = session.date;
    $('day-minutes').value = session.day_minutes == null ? '' : session.day_minutes;
    goals = session.system_goals.map((goal) => ({ ...goal }));
    agenda = session.agenda.map((item) => ({ ...item, steps: item.steps.map((step) => ({ ...step })) }));
    const editable = session.state === 'draft';
    $('agenda-section').disabled = !editable;
    $('agenda-live').hidden = editable;
    renderGoals();
    renderAgenda();
    renderTools(session);
  }

  function renderTools(session) {
    const existing = current !== null;
    $('session-tools').hidden = !existing;
    $('editor-state').hidden = !existing;
    $('console-link-box').hidden = true;
    if (!existing) return;
    $('editor-state').replaceWith(stateBadge(session.state, { id: 'editor-state', 'data-testid': 'editor-state' }));
    $('tools-code').textContent = session.code;
    const link = savedLinks()[session.code];
    $('tools-console').hidden = !link;
    if (link) $('tools-console').href = link;
    $('tools-projector').href = `/projector/${session.code}`;
    $('handout-a4').href = `/api/sessions/${session.code}/handout.pdf?paper=A4`;
    $('handout-letter').href = `/api/sessions/${session.code}/handout.pdf?paper=LETTER`;
  }

  // Reorderable rows, shared by goals and agenda items

  function move(list, index, by) {
    const to = index + by;
    if (to < 0 || to >= list.length) return index;
    list.splice(to, 0, ...list.splice(index, 1));
    return to;
  }

  /** Buttons to move row ``index`` of ``list`` up or down or remove it; focus follows the row it acted on. */
  function rowButtons(list, index, labels, render, container) {
    const act = (by) => () => {
      const to = move(list, index, by);
      render();
      const row = container.children[to];
      const again = row && row.querySelector(`[data-move="${by}"]:not(:disabled)`);
      (again || (row && row.querySelector('[data-move]:not(:disabled)')) || row)?.focus();
    };
    const remove = () => {
      list.splice(index, 1);
      render();
      const row = container.children[Math.min(index, list.length - 1)];
      (row ? row.querySelector('input') : container.parentElement.querySelector('textarea, select'))?.focus();
    };
    return h('div', { class: 'row-buttons' },
      h('button', { type: 'button', class: 'icon-button', 'data-move': '-1', disabled: index === 0,
        'aria-label': labels.up, title: labels.up, onclick: act(-1) }, '↑'),
      h('button', { type: 'button', class: 'icon-button', 'data-move': '1', disabled: index === list.length - 1,
        'aria-label': labels.down, title: labels.down, onclick: act(1) }, '↓'),
      h('button', { type: 'button', class: 'icon-button remove', 'aria-label': labels.remove, title: labels.remove,
        onclick: remove }, '✕'));
  }

  // System goals

  /** "Title — description" per line; a plain " - " works too, as people type it. */
  function parseGoals(text) {
    return text.split('\n').map((line) => line.trim()).filter(Boolean).map((line) => {
      const match = line.match(/\s[—–-]\s/);
      if (!match) return { id: null, title: line, description: '' };
      return { id: null, title: line.slice(0, match.index).trim(), description: line.slice(match.index + match[0].length).trim() };
    });
  }

  function renderGoals() {
    const container = $('goal-rows');
    if (!goals.length) {
      container.replaceChildren(h('li', { class: 'row-empty hint', text: t('admin.goals_none') }));
      return;
    }
    container.replaceChildren(...goals.map((goal, index) => {
      const n = index + 1;
      const title = h('input', { type: 'text', id: `goal-title-${n}`, maxlength: '200', value: goal.title,
        'data-testid': `goal-title-${n}`, oninput: (event) => { goal.title = event.target.value; } });
      const description = h('input', { type: 'text', id: `goal-description-${n}`, maxlength: '1000',
        value: goal.description, oninput: (event) => { goal.description = event.target.value; } });
      return h('li', { class: 'row goal-row', 'data-testid': `goal-row-${n}` },
        h('span', { class: 'row-number', 'aria-hidden': 'true', text: String(n) }),
        h('div', { class: 'row-fields' },
          h('div', { class: 'field' }, h('label', { for: title.id, text: t('admin.goal_title_label', { n }) }), title),
          h('div', { class: 'field' },
            h('label', { for: description.id, class: 'minor', text: t('admin.goal_description_label', { n }) }), description)),
        rowButtons(goals, index, {
          up: t('admin.goal_move_up', { n }), down: t('admin.goal_move_down', { n }), remove: t('admin.goal_remove', { n }),
        }, renderGoals, container));
    }));
  }

  /** Pasted lines become goal rows; false when some did not fit (a session has at most ten goals). */
  function addPastedGoals() {
    const pasted = parseGoals($('goals-paste').value);
    const room = Math.max(MAX_GOALS - goals.length, 0);
    goals.push(...pasted.slice(0, room));
    formError.textContent = pasted.length > room ? t('admin.too_many_goals', { n: pasted.length - room }) : '';
    $('goals-paste').value = '';
    renderGoals();
    return pasted.length <= room;
  }

  $('goals-add').addEventListener('click', () => {
    addPastedGoals();
    $('goals-paste').focus();
  });

  // The agenda

  function pickFromLibrary(protocol) {
    return {
      item: null, protocol: protocol.id, title: protocol.title, rounds: 1,
      steps: protocol.steps.map((step) => ({ id: step.id, title: step.title, minutes: step.minutes })),
    };
  }

  const itemMinutes = (item) => item.steps.reduce((sum, step) => sum + (Number(step.minutes) || 0), 0);
  const plannedMinutes = () => agenda.reduce((sum, item) => sum + item.rounds * itemMinutes(item), 0);

  function renderAgenda() {
    const container = $('agenda-rows');
    if (!agenda.length) {
      container.replaceChildren(h('li', { class: 'row-empty hint', text: t('admin.agenda_none') }));
      renderPlanned();
      return;
    }
    container.replaceChildren(...agenda.map((item, index) => {
      const n = index + 1;
      const times = h('span', { class: 'item-times hint' });
      const showTimes = () => {
        times.textContent = `${t('admin.item_minutes', { minutes: duration(itemMinutes(item)) })} · ${
          t('admin.item_total', { minutes: duration(item.rounds * itemMinutes(item)) })}`;
        renderPlanned();
      };
      const rounds = h('input', { type: 'number', id: `rounds-${n}`, min: '1', max: '30', step: '1', value: item.rounds,
        inputmode: 'numeric', class: 'small-number', 'data-testid': `rounds-${n}`,
        oninput: (event) => { item.rounds = Math.max(1, parseInt(event.target.value, 10) || 1); showTimes(); } });
      const steps = item.steps.map((step, stepIndex) => {
        const id = `minutes-${n}-${stepIndex + 1}`;
        return h('div', { class: 'step-minutes' },
          h('label', { for: id }, step.title, h('span', { class: 'visually-hidden', text: t('admin.step_minutes_suffix') })),
          h('input', { type: 'number', id, min: '0', max: '240', step: '0.5', value: step.minutes, class: 'small-number',
            'data-testid': `minutes-${n}-${step.id}`,
            oninput: (event) => { step.minutes = Number(event.target.value) || 0; showTimes(); } }));
      });
      const row = h('li', { class: 'row agenda-row', 'data-testid': `agenda-row-${n}` },
        h('span', { class: 'row-number', 'aria-hidden': 'true', text: String(n) }),
        h('fieldset', { class: 'row-fields' },
          h('legend', { class: 'item-title', text: item.title }),
          h('div', { class: 'item-line' },
            h('label', { for: rounds.id, class: 'minor', text: t('admin.rounds_label') }), rounds, times),
          h('details', { class: 'steps-box' },
            h('summary', { text: t('admin.steps_summary', { n: item.steps.length }) }),
            h('div', { class: 'steps-grid' }, steps))),
        rowButtons(agenda, index, {
          up: t('admin.item_move_up', { title: item.title }), down: t('admin.item_move_down', { title: item.title }),
          remove: t('admin.item_remove', { title: item.title }),
        }, renderAgenda, container));
      showTimes();
      return row;
    }));
    renderPlanned();
  }

  function renderPlanned() {
    const planned = plannedMinutes();
    const available = parseInt($('day-minutes').value, 10);
    const line = $('planned-total');
    line.classList.remove('over', 'spare');
    if (!available) {
      line.textContent = t('admin.planned', { planned: duration(planned) });
      return;
    }
    const text = t('admin.planned_of', { planned: duration(planned), available: duration(available) });
    if (planned > available) {
      line.classList.add('over');
      line.textContent = `${text} ${t('admin.over_time', { minutes: duration(planned - available) })}`;
    } else {
      line.classList.add('spare');
      line.textContent = `${text} ${t('admin.spare_time', { minutes: duration(available - planned) })}`;
    }
  }

  $('day-minutes').addEventListener('input', renderPlanned);

  async function loadProtocols() {
    const pick = $('protocol-pick');
    try {
      const response = await fetch('/api/protocols', { headers: { Accept: 'application/json' } });
      const body = await response.json();
      if (!response.ok) throw new Error(body.error || response.statusText);
      library = new Map(body.protocols.map((protocol) => [protocol.id, protocol]));
      pick.replaceChildren(h('option', { value: '', text: t('admin.protocol_pick_prompt') }),
        ...body.protocols.map((protocol) => h('option', {
          value: protocol.id, text: t('admin.protocol_option', { title: protocol.title, minutes: duration(protocol.minutes) }),
        })));
    } catch (error) {
      pick.replaceChildren(h('option', { value: '', text: '—' }));
      $('protocol-purpose').textContent = t('admin.protocols_error', { error: error.message });
    }
  }

  $('protocol-pick').addEventListener('change', (event) => {
    const protocol = library.get(event.target.value);
    $('protocol-purpose').textContent = protocol ? protocol.purpose : '';
  });

  $('protocol-add').addEventListener('click', () => {
    const protocol = library.get($('protocol-pick').value);
    if (!protocol) {
      $('protocol-pick').focus();
      return;
    }
    agenda.push(pickFromLibrary(protocol));
    renderAgenda();
    $(`rounds-${agenda.length}`).focus();
  });

  // Saving

  function fail(message, focus) {
    formError.textContent = message;
    if (focus) focus.focus();
  }

  function formBody() {
    const dayMinutes = $('day-minutes').value.trim();
    const body = {
      title: $('session-title').value,
      organisation: $('organisation').value,
      facilitator: $('facilitator-name').value,
      date: $('session-date').value,
      day_minutes: dayMinutes === '' ? null : Number(dayMinutes),
      system_goals: goals.map((goal) => ({
        ...(goal.id == null ? {} : { id: goal.id }), title: goal.title, description: goal.description,
      })),
    };
    if (!$('agenda-section').disabled) {
      body.agenda = agenda.map((item) => ({
        ...(item.item == null ? { id: item.protocol } : { item: item.item }),
        rounds: item.rounds,
        minutes: Object.fromEntries(item.steps.map((step) => [step.id, Number(step.minutes) || 0])),
      }));
    }
    return body;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    formError.textContent = '';
    $('form-saved').textContent = '';
    if (!$('session-title').value.trim()) return fail(t('admin.need_title'), $('session-title'));
    if ($('goals-paste').value.trim() && !addPastedGoals()) return $('goals-paste').focus(); // pasted, not added
    if (!goals.length) return fail(t('admin.need_goal'), $('goals-paste'));
    if (!agenda.length && !$('agenda-section').disabled) return fail(t('admin.need_agenda'), $('protocol-pick'));
    submit.disabled = true;
    const label = submit.textContent;
    submit.textContent = t('admin.creating');
    try {
      if (current) {
        const saved = await api('PATCH', `/api/sessions/${current.code}`, formBody());
        current = saved;
        fillForm(saved);
        $('editor-heading').textContent = t('admin.edit_heading', { title: saved.title });
        $('form-saved').textContent = t('admin.saved');
      } else {
        showCreated(await api('POST', '/api/sessions', formBody()));
      }
      await loadSessions();
      markSelected();
    } catch (error) {
      fail(error.message);
    } finally {
      submit.disabled = false;
      submit.textContent = current ? t('admin.save') : label;
    }
  });

  /** A new session or a copy: its code and links, shown once; the console link is remembered in this browser. */
  async function showCreated(body) {
    saveLink(body.code, body.console_url);
    current = await api('GET', `/api/sessions/${body.code}`);
    fillForm(current);
    $('editor-heading').textContent = t('admin.edit_heading', { title: current.title });
    $('created-code').textContent = body.code;
    $('console-link').href = body.console_url;
    $('projector-link').href = body.projector_url;
    $('join-link').href = body.join_url;
    $('console-url').value = body.console_url;
    $('join-url').value = body.join_url;
    form.hidden = true;
    $('session-tools').hidden = true;
    $('created').hidden = false;
    $('created').focus();
  }

  $('created-edit').addEventListener('click', () => editSession(current.code));
  $('new-session').addEventListener('click', () => {
    newSession();
    $('session-title').focus();
  });
  for (const id of ['console-url', 'join-url', 'tools-console-url']) {
    $(id).addEventListener('focus', (event) => event.target.select());
  }

  // Tools for a saved session

  /** Opens ``dialog`` and resolves with the button the person chose ("confirm" or "cancel"). */
  function ask(dialog) {
    return new Promise((resolve) => {
      dialog.returnValue = 'cancel';
      dialog.addEventListener('close', () => resolve(dialog.returnValue), { once: true });
      dialog.showModal();
    });
  }

  function confirmWith(heading, text, yes) {
    $('confirm-heading').textContent = heading;
    $('confirm-text').textContent = text;
    $('confirm-yes').textContent = yes;
    return ask($('confirm-dialog'));
  }

  $('tools-new-link').addEventListener('click', async () => {
    const answer = await confirmWith(t('admin.new_link_heading'), t('admin.new_link_text'), t('admin.new_link_confirm'));
    if (answer !== 'confirm') return;
    try {
      const body = await api('POST', `/api/sessions/${current.code}/console-link`);
      saveLink(current.code, body.console_url);
      renderTools(current);
      $('console-link-box').hidden = false;
      $('tools-console-url').value = body.console_url;
      $('tools-console-url').focus();
    } catch (error) {
      fail(error.message);
    }
  });

  $('tools-duplicate').addEventListener('click', async () => {
    const next = new Date(`${current.date}T12:00:00`);
    next.setDate(next.getDate() + 7);
    $('duplicate-date').value = Number.isNaN(next.getTime()) ? '' : isoDay(next);
    if (await ask($('duplicate-dialog')) !== 'confirm') return;
    try {
      const date = $('duplicate-date').value;
      await showCreated(await api('POST', `/api/sessions/${current.code}/duplicate`, date ? { date } : {}));
      await loadSessions();
      markSelected();
    } catch (error) {
      fail(error.message);
    }
  });

  $('tools-delete').addEventListener('click', async () => {
    const { code, title } = current;
    const answer = await confirmWith(t('admin.delete_heading'), t('admin.delete_text', { title }), t('admin.delete_confirm'));
    if (answer !== 'confirm') return;
    try {
      await api('DELETE', `/api/sessions/${code}`);
      saveLink(code, null);
      newSession();
      await loadSessions();
      $('sessions-status').textContent = t('admin.deleted', { title });
      $('sessions-heading').focus();
    } catch (error) {
      fail(error.message);
    }
  });

  // Start

  $('sessions-heading').tabIndex = -1;
  loadProtocols().then(async () => {
    if (token && await loadSessions()) openWorkspace();
    else if (!token) $('admin-token').focus();
    else askForToken($('token-error').textContent);
  });
})();
