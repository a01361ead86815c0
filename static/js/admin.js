/* The create-a-session page: reads the protocol library, posts the new session, shows its links. */
'use strict';

(() => {
  const { t, h, $ } = Pathways;
  const TOKEN_KEY = 'pathways:admin-token';
  const form = $('create-form');
  const token = $('admin-token');
  const errorLine = $('create-error');
  const submit = $('create-submit');
  const agendaBox = $('agenda-options');
  const created = $('created');

  token.value = sessionStorage.getItem(TOKEN_KEY) || '';

  async function loadProtocols() {
    try {
      const response = await fetch('/api/protocols', { headers: { Accept: 'application/json' } });
      const body = await response.json();
      if (!response.ok) throw new Error(body.error || response.statusText);
      agendaBox.replaceChildren(
        ...body.protocols.map((protocol) =>
          h('label', { class: 'check' },
            h('input', {
              type: 'checkbox', name: 'agenda', value: protocol.id,
              checked: protocol.id === 'goal-setting', 'data-testid': `agenda-${protocol.id}`,
            }),
            h('span', { class: 'check-text' },
              h('strong', { text: protocol.title }),
              h('span', {
                class: 'muted',
                text: ` · ${t('common.minutes', { n: protocol.minutes })} · ${t('admin.steps', { n: protocol.steps.length })}`,
              }),
              h('span', { class: 'hint', text: protocol.purpose }))))
      );
    } catch (error) {
      agendaBox.replaceChildren(h('p', { class: 'form-error', text: t('admin.protocols_error', { error: error.message }) }));
    }
  }

  /** "Title — description" per line; a plain " - " works too, as people type it. */
  function parseGoals(text) {
    return text.split('\n').map((line) => line.trim()).filter(Boolean).map((line) => {
      const match = line.match(/\s[—–-]\s/);
      if (!match) return { title: line, description: '' };
      return { title: line.slice(0, match.index).trim(), description: line.slice(match.index + match[0].length).trim() };
    });
  }

  function fail(message, focus) {
    errorLine.textContent = message;
    if (focus) focus.focus();
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errorLine.textContent = '';
    const systemGoals = parseGoals($('system-goals').value);
    const agenda = Array.from(form.querySelectorAll('input[name="agenda"]:checked'), (box) => box.value);
    if (!token.value.trim()) return fail(t('admin.need_token'), token);
    if (!systemGoals.length) return fail(t('admin.need_goal'), $('system-goals'));
    if (!agenda.length) return fail(t('admin.need_agenda'), agendaBox.querySelector('input'));
    sessionStorage.setItem(TOKEN_KEY, token.value.trim());
    submit.disabled = true;
    submit.textContent = t('admin.creating');
    try {
      const response = await fetch('/api/sessions', {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token.value.trim()}`,
          'Content-Type': 'application/json',
          Accept: 'application/json',
        },
        body: JSON.stringify({
          title: $('session-title').value,
          organisation: $('organisation').value,
          system_goals: systemGoals,
          agenda,
        }),
      });
      const body = await response.json().catch(() => ({}));
      if (response.status === 201) return showCreated(body);
      if (response.status === 401) return fail(t('admin.unauthorized'), token);
      fail(body.error || response.statusText);
    } catch (error) {
      fail(t('admin.network_error'));
    } finally {
      submit.disabled = false;
      submit.textContent = t('admin.submit');
    }
  });

  function showCreated(body) {
    $('created-code').textContent = body.code;
    $('console-link').href = body.console_url;
    $('projector-link').href = body.projector_url;
    $('join-link').href = body.join_url;
    $('console-url').value = body.console_url;
    $('join-url').value = body.join_url;
    form.hidden = true;
    created.hidden = false;
    created.focus();
  }

  for (const id of ['console-url', 'join-url']) {
    $(id).addEventListener('focus', (event) => event.target.select());
  }

  $('create-another').addEventListener('click', () => {
    created.hidden = true;
    form.hidden = false;
    $('session-title').focus();
  });

  loadProtocols();
})();
