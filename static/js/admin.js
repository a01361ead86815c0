/* Preparing the day: the admin token, the lists of sessions and organisations, one form to create or edit a session
 * (or an organisation), and their tools. */
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
  let organisations = []; // GET /api/organisations
  let organisation = null; // the organisation being edited (GET /api/organisations/<id>), or null for a new one
  let organisationGoals = []; // its current goals as the form holds them: [{id, title, description}]

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
    loadOrganisations();
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
    editorFor('session');
    fillForm({
      title: '', organisation: '', organisation_id: null, facilitator: '', date: isoDay(new Date()), day_minutes: null,
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
    editorFor('session');
    fillForm(current);
    $('editor-heading').textContent = t('admin.edit_heading', { title: current.title });
    submit.textContent = t('admin.save');
    markSelected();
    $('editor-heading').focus();
  }

  function markSelected() {
    for (const button of document.querySelectorAll('.session-item')) {
      const selected = (current && button.dataset.testid === `session-${current.code}`)
        || (organisation && button.dataset.testid === `organisation-${organisation.id}`);
      if (selected) button.setAttribute('aria-current', 'true');
      else button.removeAttribute('aria-current');
    }
  }

  /** The editor shows a session (its form, tools or links) or an organisation (its form, tools or leaders' link). */
  function editorFor(kind) {
    const parts = {
      session: ['session-form', 'session-tools', 'created', 'editor-state'],
      organisation: ['organisation-form', 'organisation-tools', 'leaders-link'],
    };
    for (const id of parts[kind === 'session' ? 'organisation' : 'session']) $(id).hidden = true;
    if (kind === 'session') {
      organisation = null;
      $('leaders-url').value = ''; // the key is not left in the page
    }
  }

  function fillForm(session) {
    $('created').hidden = true;
    form.hidden = false;
    formError.textContent = '';
    $('form-saved').textContent = '';
    $('session-title').value = session.title;
    $('organisation').value = session.organisation;
    $('session-organisation').disabled = current !== null; // an organisation's session is made as one
    $('session-organisation').value = session.organisation_id == null ? '' : String(session.organisation_id);
    $('session-organisation-hint').textContent = t(current ? 'admin.session_organisation_fixed' : 'admin.session_organisation_hint');
    $('facilitator-name').value = session.facilitator;
    $('session-date').value = session.date;
    $('day-minutes').value = session.day_minutes == null ? '' : session.day_minutes;
    goals = session.system_goals.map((goal) => ({ ...goal }));
    agenda = session.agenda.map((item) => ({ ...item, steps: item.steps.map((step) => ({ ...step })) }));
    const editable = session.state === 'draft';
    $('agenda-section').disabled = !editable;
    $('agenda-live').hidden = editable;
    renderSessionOrganisation();
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

  /** Editable rows for ``list``, numbered from ``offset + 1``; ``words`` names the labels (goal_title_label…). */
  function goalRows(list, container, { prefix, words, offset = 0, empty, render }) {
    if (!list.length) {
      container.replaceChildren(h('li', { class: 'row-empty hint', text: empty }));
      return;
    }
    container.replaceChildren(...list.map((goal, index) => {
      const n = offset + index + 1;
      const title = h('input', { type: 'text', id: `${prefix}-title-${n}`, maxlength: '200', value: goal.title,
        'data-testid': `${prefix}-title-${n}`, oninput: (event) => { goal.title = event.target.value; } });
      const description = h('input', { type: 'text', id: `${prefix}-description-${n}`, maxlength: '1000',
        value: goal.description, 'data-testid': `${prefix}-description-${n}`,
        oninput: (event) => { goal.description = event.target.value; } });
      return h('li', { class: 'row goal-row', 'data-testid': `${prefix}-row-${n}` },
        h('span', { class: 'row-number', 'aria-hidden': 'true', text: String(n) }),
        h('div', { class: 'row-fields' },
          h('div', { class: 'field' }, h('label', { for: title.id, text: t(`admin.${words}_title_label`, { n }) }), title),
          h('div', { class: 'field' },
            h('label', { for: description.id, class: 'minor', text: t(`admin.${words}_description_label`, { n }) }), description)),
        rowButtons(list, index, {
          up: t(`admin.${words}_move_up`, { n }), down: t(`admin.${words}_move_down`, { n }),
          remove: t(`admin.${words}_remove`, { n }),
        }, render, container));
    }));
  }

  /** The organisation a new session is being made for, or null. */
  function sessionOrganisation() {
    if (current) return null;
    const id = Number($('session-organisation').value);
    return (id && organisations.find((candidate) => candidate.id === id)) || null;
  }

  const sharedGoals = () => (sessionOrganisation() ? sessionOrganisation().system_goals.length : 0);

  function renderGoals() {
    const shared = sharedGoals();
    goalRows(goals, $('goal-rows'), {
      prefix: 'goal', words: 'goal', offset: shared, render: renderGoals,
      empty: shared ? t('admin.own_goals_none') : t('admin.goals_none'),
    });
  }

  /** A new session of an organisation starts with its goals (shown, not edited here), then any of its own. */
  function renderSessionOrganisation() {
    const chosen = sessionOrganisation();
    const copied = Boolean(current && current.organisation_id != null); // its goals were copied when it was made
    $('organisation-field').hidden = Boolean(chosen) || copied;
    $('copied-goals-note').hidden = !copied;
    $('shared-goals').hidden = !chosen;
    $('goals-hint').textContent = chosen
      ? t('admin.own_goals_hint', { n: Math.max(MAX_GOALS - chosen.system_goals.length, 0) }) : t('admin.goals_hint');
    $('own-goals-heading').hidden = !chosen;
    if (chosen) {
      $('shared-goals-heading').textContent = t('admin.shared_goals_heading', { name: chosen.name });
      $('shared-goal-list').replaceChildren(...chosen.system_goals.map((goal) => h('li', {},
        h('strong', { text: goal.title }), goal.description ? ` — ${goal.description}` : null)));
    }
    renderGoals();
  }

  $('session-organisation').addEventListener('change', renderSessionOrganisation);

  /** Pasted lines become goal rows; false when some did not fit (a session has at most ten goals). */
  function addPastedGoals() {
    const pasted = parseGoals($('goals-paste').value);
    const shared = sharedGoals();
    const room = Math.max(MAX_GOALS - shared - goals.length, 0);
    goals.push(...pasted.slice(0, room));
    const left = pasted.length - room;
    formError.textContent = left <= 0 ? ''
      : shared ? t('admin.too_many_own_goals', { shared, n: left }) : t('admin.too_many_goals', { n: left });
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
    const chosen = sessionOrganisation();
    const body = {
      title: $('session-title').value,
      facilitator: $('facilitator-name').value,
      date: $('session-date').value,
      day_minutes: dayMinutes === '' ? null : Number(dayMinutes),
    };
    if (chosen) body.organisation_id = chosen.id; // its name and goals come from the organisation
    else body.organisation = $('organisation').value;
    if (!chosen || goals.length) {
      body.system_goals = goals.map((goal) => ({
        ...(goal.id == null ? {} : { id: goal.id }), title: goal.title, description: goal.description,
      }));
    }
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
    if (!goals.length && !sessionOrganisation()) return fail(t('admin.need_goal'), $('goals-paste'));
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
        const made = await api('POST', '/api/sessions', formBody());
        await showCreated(made);
        if (made.organisation_id != null) loadOrganisations(); // its count of sessions
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

  // Organisations: their system goals, shared by their sessions, and the leaders' link

  async function loadOrganisations() {
    let body;
    try {
      body = await api('GET', '/api/organisations');
    } catch (error) {
      $('organisations-status').textContent = error.message;
      return;
    }
    organisations = body.organisations;
    $('organisations-status').textContent = organisations.length
      ? count(organisations.length, 'organisations_count') : t('admin.no_organisations');
    $('organisations').replaceChildren(...organisations.map((each) => h('li', {},
      h('button', {
        type: 'button', class: 'session-item', 'data-testid': `organisation-${each.id}`,
        onclick: () => editOrganisation(each.id),
      },
      h('span', { class: 'session-item-top' }, h('strong', { class: 'session-item-title', text: each.name })),
      h('span', { class: 'session-item-meta', text: [
        count(each.system_goals.length, 'goals_count'), count(each.sessions, 'sessions_of'), count(each.people, 'people_of'),
      ].join(' · ') })))));
    markSelected();
    const pick = $('session-organisation');
    const wanted = current ? String(current.organisation_id ?? '') : pick.value;
    pick.replaceChildren(h('option', { value: '', text: t('admin.session_organisation_none') }),
      ...organisations.map((each) => h('option', { value: String(each.id), text: each.name })));
    pick.value = organisations.some((each) => String(each.id) === wanted) ? wanted : '';
    if (!form.hidden) renderSessionOrganisation();
  }

  function newOrganisation() {
    showOrganisation(null);
    $('organisation-name').focus();
  }

  async function editOrganisation(id) {
    let found;
    try {
      found = await api('GET', `/api/organisations/${id}`);
    } catch (error) {
      $('organisations-status').textContent = error.message;
      return;
    }
    showOrganisation(found);
    $('editor-heading').focus();
  }

  /** The organisation form for ``shown`` (null: a new one). */
  function showOrganisation(shown) {
    current = null;
    editorFor('organisation');
    organisation = shown;
    $('editor-heading').textContent = shown
      ? t('admin.organisation_heading', { name: shown.name }) : t('admin.organisation_heading_new');
    $('organisation-form').hidden = false;
    $('organisation-tools').hidden = !shown;
    $('organisation-error').textContent = '';
    $('organisation-saved').textContent = '';
    $('organisation-name').value = shown ? shown.name : '';
    $('organisation-goals-paste').value = '';
    $('organisation-submit').textContent = shown ? t('admin.save') : t('admin.organisation_submit');
    organisationGoals = shown ? shown.system_goals.map((goal) => ({ ...goal })) : [];
    if (shown) {
      $('organisation-counts').textContent = [
        count(shown.system_goals.length, 'goals_count'), count(shown.sessions, 'sessions_of'),
        count(shown.people, 'people_of'),
      ].join(' · ');
    }
    renderOrganisationGoals();
    markSelected();
  }

  function renderOrganisationGoals() {
    goalRows(organisationGoals, $('organisation-goal-rows'), {
      prefix: 'organisation-goal', words: 'organisation_goal', render: renderOrganisationGoals,
      empty: t('admin.organisation_goals_none'),
    });
    const kept = new Set(organisationGoals.map((goal) => goal.id));
    const leaving = organisation ? organisation.system_goals.filter((goal) => !kept.has(goal.id)) : [];
    $('organisation-archiving').hidden = !leaving.length;
    $('organisation-archiving').textContent = leaving.length
      ? t('admin.archiving', { titles: leaving.map((goal) => `“${goal.title}”`).join(', ') }) : '';
    const archived = organisation ? organisation.archived_goals.filter((goal) => !kept.has(goal.id)) : [];
    $('archived-section').hidden = !archived.length;
    $('archived-goals').replaceChildren(...archived.map((goal) => h('li', { class: 'archived-goal' },
      h('span', {}, h('strong', { text: goal.title }), goal.description ? ` — ${goal.description}` : null),
      h('button', {
        type: 'button', class: 'button secondary small', 'aria-label': t('admin.restore_label', { title: goal.title }),
        onclick: () => {
          if (organisationGoals.length >= MAX_GOALS) {
            $('organisation-error').textContent = t('admin.organisation_too_many_goals', { n: 1 });
            return;
          }
          organisationGoals.push({ ...goal });
          renderOrganisationGoals();
          $(`organisation-goal-title-${organisationGoals.length}`).focus();
        },
      }, t('admin.restore')))));
  }

  function addPastedOrganisationGoals() {
    const pasted = parseGoals($('organisation-goals-paste').value);
    const room = Math.max(MAX_GOALS - organisationGoals.length, 0);
    organisationGoals.push(...pasted.slice(0, room));
    $('organisation-error').textContent = pasted.length > room
      ? t('admin.organisation_too_many_goals', { n: pasted.length - room }) : '';
    $('organisation-goals-paste').value = '';
    renderOrganisationGoals();
    return pasted.length <= room;
  }

  $('organisation-goals-add').addEventListener('click', () => {
    addPastedOrganisationGoals();
    $('organisation-goals-paste').focus();
  });

  $('organisation-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const error = $('organisation-error');
    error.textContent = '';
    $('organisation-saved').textContent = '';
    if (!$('organisation-name').value.trim()) {
      error.textContent = t('admin.need_organisation_name');
      return $('organisation-name').focus();
    }
    if ($('organisation-goals-paste').value.trim() && !addPastedOrganisationGoals()) {
      return $('organisation-goals-paste').focus();
    }
    if (!organisationGoals.length) {
      error.textContent = t('admin.need_organisation_goal');
      return $('organisation-goals-paste').focus();
    }
    const body = {
      name: $('organisation-name').value,
      system_goals: organisationGoals.map((goal) => ({
        ...(goal.id == null ? {} : { id: goal.id }), title: goal.title, description: goal.description,
      })),
    };
    const button = $('organisation-submit');
    button.disabled = true;
    try {
      if (organisation) {
        showOrganisation(await api('PATCH', `/api/organisations/${organisation.id}`, body));
        $('organisation-saved').textContent = t('admin.saved');
      } else {
        const made = await api('POST', '/api/organisations', body);
        const { key, leaders_url: url, ...kept } = made; // the key is shown once, in the link, and kept nowhere
        showOrganisation(kept);
        showLeadersLink(url);
      }
      await loadOrganisations();
    } catch (failure) {
      error.textContent = failure.message;
    } finally {
      button.disabled = false;
    }
  });

  /** The leaders' link, shown once: it carries the organisation key after #. */
  function showLeadersLink(url) {
    $('organisation-form').hidden = true;
    $('leaders-link').hidden = false;
    $('leaders-url').value = url;
    $('leaders-open').href = url;
    $('leaders-copied').textContent = '';
    $('leaders-link').focus();
  }

  $('leaders-copy').addEventListener('click', async () => {
    const input = $('leaders-url');
    let copied = false;
    try {
      await navigator.clipboard.writeText(input.value); // needs https or localhost
      copied = true;
    } catch (error) {
      input.focus();
      input.select();
      try {
        copied = document.execCommand('copy');
      } catch (ignored) {
        copied = false;
      }
    }
    $('leaders-copied').textContent = copied ? t('admin.copied') : t('admin.copy_failed');
  });

  $('leaders-url').addEventListener('focus', (event) => event.target.select());

  $('leaders-done').addEventListener('click', () => {
    $('leaders-link').hidden = true;
    $('leaders-url').value = '';
    $('leaders-open').href = '#';
    $('organisation-form').hidden = false;
    $('organisation-name').focus();
  });

  $('organisation-new-key').addEventListener('click', async () => {
    const answer = await confirmWith(t('admin.new_key_heading'), t('admin.new_key_text'), t('admin.new_key_confirm'));
    if (answer !== 'confirm') return;
    try {
      showLeadersLink((await api('POST', `/api/organisations/${organisation.id}/key`)).leaders_url);
    } catch (error) {
      $('organisation-error').textContent = error.message;
    }
  });

  $('organisation-new-session').addEventListener('click', () => {
    const id = organisation.id;
    newSession();
    $('session-organisation').value = String(id);
    renderSessionOrganisation();
    $('session-title').focus();
  });

  $('new-organisation').addEventListener('click', newOrganisation);

  // Start

  $('sessions-heading').tabIndex = -1;
  loadProtocols().then(async () => {
    if (token && await loadSessions()) openWorkspace();
    else if (!token) $('admin-token').focus();
    else askForToken($('token-error').textContent);
  });
})();
