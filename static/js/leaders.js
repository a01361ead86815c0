/* The leaders' view: an organisation's follow-up, opened with the key the address carries after #. */
'use strict';

(() => {
  const { t, h, $ } = Pathways;
  const LEVELS = [1, 2, 3, 4, 5];
  const MAX_MONTHS = 12; // the chart shows the last year; older months stay in the data, not on screen
  const language = document.documentElement.lang || undefined;

  let access = null; // {kind: 'organisation', id, key} or {kind: 'code', code, key}: what the fragment held
  let view = null; // GET /api/follow-up

  class ApiError extends Error {
    constructor(message, status) {
      super(message);
      this.status = status;
    }
  }

  // The key: read from the fragment (or a pasted link) and sent only as a header

  /** What a fragment opens: ``organisation=<id>&key=<key>``, ``code=<code>&key=<key>``, or a console link's
   * ``key=<key>`` with the code taken from its path. Null when it holds no usable key. */
  function accessFrom(fragment, path) {
    const params = new URLSearchParams(fragment.replace(/^#/, ''));
    const key = (params.get('key') || '').trim();
    const organisation = (params.get('organisation') || '').trim();
    let code = (params.get('code') || '').trim();
    const consolePath = (path || '').match(/\/console\/([A-Za-z0-9-]{4,12})\/?$/);
    if (!code && consolePath) code = consolePath[1];
    if (!key) return null;
    if (/^\d{1,12}$/.test(organisation)) return { kind: 'organisation', id: organisation, key };
    if (code) return { kind: 'code', code, key };
    return null;
  }

  function fragmentOf(opened) {
    const where = opened.kind === 'organisation' ? `organisation=${opened.id}` : `code=${encodeURIComponent(opened.code)}`;
    return `${where}&key=${encodeURIComponent(opened.key)}`;
  }

  /** One call to the follow-up API with the key in its header; a refusal becomes a sentence a leader can act on. */
  async function call(method, path) {
    const query = access.kind === 'organisation'
      ? `organisation=${encodeURIComponent(access.id)}` : `code=${encodeURIComponent(access.code)}`;
    const headers = access.kind === 'organisation'
      ? { 'X-Organisation-Key': access.key } : { 'X-Facilitator-Key': access.key };
    let response;
    try {
      response = await fetch(`${path}?${query}`, { method, headers, cache: 'no-store' });
    } catch (error) {
      throw new ApiError(t('leaders.network_error'), 0);
    }
    if (response.ok) return response;
    const data = await response.json().catch(() => ({}));
    let message = data.error || response.statusText;
    if (response.status === 403) message = t('leaders.bad_key');
    else if (response.status === 401) message = t('leaders.no_key');
    else if (data.code === 'no_organisation') message = t('leaders.no_organisation');
    throw new ApiError(message, response.status);
  }

  // Words for numbers and days

  const whole = new Intl.NumberFormat(language);
  const decimal = new Intl.NumberFormat(language, { minimumFractionDigits: 1, maximumFractionDigits: 1 });

  function count(n, key) {
    return n === 1 ? t(`leaders.${key}_one`) : t(`leaders.${key}`, { n: whole.format(n) });
  }

  /** "2026-10" as the month's name; ``style`` is an Intl month style. */
  function monthName(month, options) {
    const [year, number] = month.split('-').map(Number);
    return new Intl.DateTimeFormat(language, { timeZone: 'UTC', ...options }).format(new Date(Date.UTC(year, number - 1, 1)));
  }

  function dayName(iso) {
    const [year, month, day] = iso.split('-').map(Number);
    return new Intl.DateTimeFormat(language, { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' })
      .format(new Date(Date.UTC(year, month - 1, day)));
  }

  function levelLabel(level, given) {
    return given || t(`leaders.levels.${level}`);
  }

  // Opening the follow-up

  function askForLink(message) {
    view = null;
    $('view').hidden = true;
    $('head-tools').hidden = true;
    $('status').textContent = '';
    $('error').textContent = message || '';
    $('open-form').hidden = false;
    $('open-link').value = '';
    $('open-key').value = '';
    $('open-link').focus();
  }

  $('open-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const link = $('open-link').value.trim();
    let found = null;
    if (link) {
      let url = null;
      try {
        url = new URL(link, window.location.href);
      } catch (error) {
        url = null;
      }
      found = url && accessFrom(url.hash, url.pathname);
      if (!found) {
        $('error').textContent = t('leaders.link_unreadable');
        $('open-link').focus();
        return;
      }
    } else {
      const id = $('open-organisation').value.trim();
      const key = $('open-key').value.trim();
      found = accessFrom(`organisation=${encodeURIComponent(id)}&key=${encodeURIComponent(key)}`);
      if (!found) {
        $('error').textContent = t('leaders.need_link');
        (id ? $('open-key') : $('open-organisation')).focus();
        return;
      }
    }
    access = found;
    history.replaceState(null, '', `${window.location.pathname}#${fragmentOf(access)}`);
    load().then((loaded) => { if (loaded) $('heading').focus(); });
  });

  /** Reads the follow-up and shows it; false (and the reason on the page) when it could not. */
  async function load() {
    if (!view) $('status').textContent = t('leaders.loading');
    try {
      const response = await call('GET', '/api/follow-up');
      view = await response.json();
    } catch (error) {
      if (error.status === 0 && view) {
        $('error').textContent = error.message; // keep what is on screen; the next try may reach the server
        return false;
      }
      askForLink(error.message);
      return false;
    }
    render();
    return true;
  }

  // The view

  function render() {
    document.title = t('leaders.title_of', { organisation: view.organisation });
    $('heading').textContent = view.organisation;
    $('open-form').hidden = true;
    $('error').textContent = '';
    $('status').textContent = '';
    $('view').hidden = false;
    $('head-tools').hidden = false;
    $('updated').textContent = t('leaders.updated', {
      time: new Date().toLocaleTimeString(language, { hour: '2-digit', minute: '2-digit' }),
    });
    $('total-people').textContent = whole.format(view.people);
    $('total-without-goal').textContent = whole.format(view.without_goal);
    $('total-open-requests').textContent = whole.format(view.open_requests);
    $('goals').replaceChildren(...(view.system_goals.length
      ? view.system_goals.map(goalSection)
      : [h('p', { class: 'empty card', text: t('leaders.no_goals') })]));
  }

  function goalSection(goal, index) {
    const n = index + 1;
    const counts = [goal.people
      ? count(goal.people, 'goal_people') : t('leaders.goal_people_none')];
    if (goal.people) counts.push(t('leaders.goal_checked_in', { n: whole.format(goal.checked_in) }));
    const held = goal.people > 0 || goal.requests.length > 0; // a goal nobody holds yet is one line, not four empty panels
    return h('section', {
      class: `goal card${held ? '' : ' goal-unheld'}`, 'aria-labelledby': `goal-${n}-title`, 'data-testid': `goal-${n}`,
    },
    h('header', { class: 'goal-head' },
      h('h2', { id: `goal-${n}-title`, text: goal.title }),
      goal.description ? h('p', { class: 'goal-description', text: goal.description }) : null,
      h('p', { class: 'goal-counts', 'data-testid': `goal-${n}-counts` },
        h('strong', { text: counts[0] }), counts[1] ? ` · ${counts[1]}` : null)),
    held ? h('div', { class: 'goal-body' }, progressPanel(goal, n), levelsPanel(goal, n), obstaclesPanel(goal, n)) : null,
    held ? requestsPanel(goal, n) : null);
  }

  function panel(n, part, heading, hint, body) {
    const id = `goal-${n}-${part}-heading`;
    return h('div', { class: `panel panel-${part}` },
      h('h3', { id, text: heading }),
      hint ? h('p', { class: 'hint', text: hint }) : null,
      body(id));
  }

  function empty(text) {
    return h('p', { class: 'empty', text });
  }

  /** Mean level per month as columns on the 1 to 5 scale; each column says in words what it shows. */
  function progressPanel(goal, n) {
    const months = goal.progress.slice(-MAX_MONTHS);
    return panel(n, 'progress', t('leaders.progress_heading'), t('leaders.progress_hint'), (headingId) => {
      if (!months.length) return empty(t('leaders.progress_none'));
      return h('div', { class: 'chart' },
        h('div', { class: 'chart-axis', 'aria-hidden': 'true' }, LEVELS.slice().reverse().map((level) => h('span', { text: String(level) }))),
        h('ol', { class: 'columns', 'aria-labelledby': headingId, 'data-testid': `goal-${n}-progress` },
          months.map((month) => {
            const bar = h('span', { class: 'column-bar' });
            bar.style.height = `${Math.max(0, Math.min(5, month.mean_level)) / 5 * 100}%`; // CSSOM: allowed by the CSP
            return h('li', { class: 'column' },
              h('span', { class: 'visually-hidden', text: `${t('leaders.progress_bar', {
                month: monthName(month.month, { month: 'long', year: 'numeric' }), mean: decimal.format(month.mean_level),
              })}, ${count(month.people, 'progress_people')}` }),
              h('span', { class: 'column-value', 'aria-hidden': 'true', text: decimal.format(month.mean_level) }),
              h('span', { class: 'column-track', 'aria-hidden': 'true' }, bar),
              h('span', { class: 'column-month', 'aria-hidden': 'true' },
                h('span', { text: monthName(month.month, { month: 'short' }) }),
                h('span', { class: 'column-year', text: month.month.slice(0, 4) })),
              h('span', { class: 'column-people', 'aria-hidden': 'true', text: whole.format(month.people) }));
          })));
    });
  }

  /** How many people stand at each level by their latest rating. */
  function levelsPanel(goal, n) {
    const given = new Map(goal.latest_levels.map((row) => [row.level, row]));
    const total = goal.latest_levels.reduce((sum, row) => sum + row.people, 0);
    return panel(n, 'levels', t('leaders.levels_heading'), t('leaders.levels_hint'), (headingId) => {
      if (!total) return empty(t('leaders.levels_none'));
      return h('ul', { class: 'standings', 'aria-labelledby': headingId, 'data-testid': `goal-${n}-levels` },
        LEVELS.map((level) => {
          const row = given.get(level);
          const people = row ? row.people : 0;
          const label = levelLabel(level, row && row.label);
          const fill = h('span', { class: 'standing-fill' });
          fill.style.width = `${people / total * 100}%`;
          return h('li', { class: `standing standing-${level}${people ? '' : ' standing-none'}` },
            h('span', { class: 'visually-hidden', text: t('leaders.level_row', { label, n: whole.format(people), total: whole.format(total) }) }),
            h('span', { class: 'standing-label', 'aria-hidden': 'true' },
              h('span', { class: 'standing-number', text: String(level) }), label),
            h('span', { class: 'standing-track', 'aria-hidden': 'true' }, fill),
            h('span', { class: 'standing-people', 'aria-hidden': 'true', text: whole.format(people) }));
        }));
    });
  }

  function obstaclesPanel(goal, n) {
    return panel(n, 'obstacles', t('leaders.obstacles_heading'), '', (headingId) => {
      if (!goal.obstacles.length) return empty(t('leaders.obstacles_none'));
      return h('ol', { class: 'phrases', 'aria-labelledby': headingId, 'data-testid': `goal-${n}-obstacles` },
        goal.obstacles.map((phrase) => h('li', { class: 'phrase' },
          h('span', { class: 'phrase-text', text: phrase.text }),
          h('span', { class: 'phrase-people', text: count(phrase.people, 'obstacle_people') }))));
    });
  }

  function requestsPanel(goal, n) {
    const headingId = `goal-${n}-requests-heading`;
    const heading = h('h3', { id: headingId, tabindex: '-1',
      text: goal.requests.length ? t('leaders.requests_count', { n: whole.format(goal.requests.length) }) : t('leaders.requests_heading') });
    if (!goal.requests.length) {
      return h('div', { class: 'panel panel-requests' }, heading, empty(t('leaders.requests_none')));
    }
    const columns = ['request_who', 'request_support', 'request_note', 'request_asked', 'request_where'];
    return h('div', { class: 'panel panel-requests' }, heading,
      h('table', { class: 'requests', 'aria-labelledby': headingId, 'data-testid': `goal-${n}-requests` },
        h('thead', {}, h('tr', {},
          columns.map((key) => h('th', { scope: 'col', text: t(`leaders.${key}`) })),
          h('th', { scope: 'col' }, h('span', { class: 'visually-hidden', text: t('leaders.request_action') })))),
        h('tbody', {}, goal.requests.map((request, row) => h('tr', { 'data-testid': `request-${request.key}` },
          h('td', { class: 'request-who', 'data-label': t('leaders.request_who') },
            h('strong', { class: 'request-name', text: request.name }),
            request.identifier ? h('span', { class: 'request-identifier', text: request.identifier }) : null,
            request.goal ? h('span', { class: 'request-goal', text: t('leaders.request_goal', { goal: request.goal }) }) : null),
          h('td', { class: 'request-support', 'data-label': t('leaders.request_support'), text: request.support }),
          h('td', { class: 'request-note', 'data-label': t('leaders.request_note'), text: request.note || '—' }),
          h('td', { class: 'request-asked', 'data-label': t('leaders.request_asked') },
            h('time', { datetime: request.asked_on, text: dayName(request.asked_on) })),
          h('td', { class: 'request-where', 'data-label': t('leaders.request_where'), text: request.where }),
          h('td', { class: 'request-action' },
            h('button', {
              type: 'button', class: 'button secondary small request-close', 'data-testid': 'followed-up',
              'aria-label': t('leaders.followed_up_label', { support: request.support, name: request.name }),
              onclick: (event) => followUp(request, n, row, event.currentTarget),
            }, t('leaders.followed_up'))))))));
  }

  /** Closes a request; the view is read again, and focus goes to the next request of the goal (or its heading). */
  async function followUp(request, n, row, button) {
    button.disabled = true;
    let said = t('leaders.closed', { support: request.support, name: request.name });
    try {
      await call('POST', `/api/follow-up/support-requests/${encodeURIComponent(request.key)}/close`);
    } catch (error) {
      if (error.status === 404) {
        said = t('leaders.already_closed');
      } else {
        button.disabled = false;
        if (error.status === 401 || error.status === 403) askForLink(error.message);
        else $('error').textContent = error.message;
        return;
      }
    }
    if (!(await load())) return;
    $('status').textContent = said;
    const section = document.querySelector(`[data-testid="goal-${n}"]`);
    const buttons = section ? section.querySelectorAll('.request-close') : [];
    const next = buttons[Math.min(row, buttons.length - 1)];
    (next || $(`goal-${n}-requests-heading`) || $('heading')).focus();
  }

  $('download-csv').addEventListener('click', async () => {
    const button = $('download-csv');
    button.disabled = true;
    try {
      const response = await call('GET', '/api/follow-up/support-requests.csv');
      const url = URL.createObjectURL(await response.blob());
      const link = h('a', { href: url, download: 'support-requests.csv', hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 60_000); // the download has long started by then
      $('status').textContent = t('leaders.downloaded');
      $('error').textContent = '';
    } catch (error) {
      if (error.status === 401 || error.status === 403) askForLink(error.message);
      else $('error').textContent = error.message;
    } finally {
      button.disabled = false;
    }
  });

  $('refresh').addEventListener('click', () => load());

  // Start: the address's fragment, or the form

  function start() {
    access = accessFrom(window.location.hash);
    if (access) load();
    else askForLink(window.location.hash.length > 1 ? t('leaders.link_unreadable') : '');
  }

  window.addEventListener('hashchange', () => {
    view = null;
    start();
  });
  start();
})();
