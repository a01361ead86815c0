/** What the phone shows around the answer box: which screen is up, a note, the group, the goal recalled from an
 * earlier day, group-mates' answers and the timer. Each reads the state it is given; none keeps the answer. */

import { $, h, show } from '../lib/dom.js';
import { language, t } from '../lib/i18n.js';
import { localizedRole } from '../lib/localized.js';
import { formatTime, timeLeft } from '../lib/clock.js';
import { day } from '../lib/dates.js';

export function screen(name) {
  for (const id of ['loading', 'name', 'lobby', 'step', 'ended']) show($(`screen-${id}`), id === name);
}

export function note(text) {
  $('phone-note').textContent = text;
  show($('phone-note'), Boolean(text));
}

export function renderGroup(state, me) {
  const group = state.phase !== 'ended' && state.group;
  show($('group-box'), Boolean(group));
  if (!group) return;
  $('group-table').textContent = t('Table {n}', { n: group.table });
  const role = group.role && localizedRole(group.role, state.step, language);
  $('group-role').textContent = role ? t('Your role: {role}', { role: role.title }) : '';
  const others = group.members.map((m) => m.name).filter((n) => n && n !== (me && me.name));
  $('group-members').textContent = others.length ? t('With {names}', { names: others.join(', ') }) : '';
}

/** On a step that revisits the goal: "returning" (a goal to recall), "first_time" or "hidden"; else null. */
export function recallStatus(state) {
  return state.recall ? state.recall.status || 'returning' : null;
}

/** What a step that revisits the goal offers to keep, before the person has answered it: never saved unasked. */
export function prefill(state, step) {
  const recall = step.recall && recallStatus(state) === 'returning' ? state.recall : {};
  if (step.kind === 'goal') return recall.system_goal_id;
  if (step.kind === 'measure') return recall.measure || null;
  return step.kind === 'text' && step.plan === 'goal' && recall.goal ? recall.goal : null;
}

/** Who answers instead, when the step is one role's and someone in the group holds it. */
export function notYourTurn(state, step) {
  const holder = state.group && state.group.members.find((m) => m.role && m.role.id === step.who);
  const role = holder && localizedRole(holder.role, step, language).title;
  return role ? t('This step is answered by the {role} of your group. Follow along and help them.', { role }) : t('Others answer this step: listen and follow along.');
}

let recallShown = null; // built again only when it changes, so a check-in opened stays open

/** Someone returning to a goal sees it, its action steps and their check-ins, newest first and open. */
export function renderRecall(state, recallJson) {
  if (recallJson === recallShown) return;
  recallShown = recallJson;
  const status = recallStatus(state);
  const recall = status === 'returning' ? state.recall : {};
  const rows = [];
  if ((recall.system_goals || []).length) rows.push([t('System goal'), recall.system_goals.join(', ')]);
  if (recall.goal) rows.push([t('My goal'), recall.goal]);
  if ((recall.action_steps || []).length) rows.push([t('Action steps'), bullets(recall.action_steps)]);
  const checkIns = recall.check_ins || [];
  show($('recall'), rows.length + checkIns.length > 0);
  $('recall-source').textContent = recall.source || '';
  $('recall-list').replaceChildren(...terms(rows));
  $('recall-check-ins').replaceChildren(...checkIns.map((checkIn, index) => h('details', {
    class: 'check-in', open: index === 0, 'data-testid': 'check-in',
  }, h('summary', { text: t('Check-in, {date}', { date: checkIn.date }) }), h('dl', {}, terms(checkInRows(checkIn))))));
}

function checkInRows(checkIn) {
  const link = checkIn.evidence_link;
  const evidence = [checkIn.evidence ? h('p', { text: checkIn.evidence }) : null, !link ? null
    : /^https?:\/\//i.test(link) ? h('a', { href: link, target: '_blank', rel: 'noopener', text: link }) : h('p', { text: link })];
  return [
    [t('Measure'), checkIn.result_line || null],
    [t('Progress'), (checkIn.progress || []).length ? bullets(checkIn.progress.map((row) =>
      `${t('{step}: {level} of {of}', { step: row.step, level: row.level, of: row.of })}${row.label ? ` · ${row.label}` : ''}`)) : null],
    [t('Evidence'), evidence.some(Boolean) ? evidence : null],
    [t('What got in the way'), checkIn.obstacles || null],
    [t('Support asked for'), (checkIn.support || []).join(', ') || null],
  ].filter(([, detail]) => detail);
}

const bullets = (lines) => h('ul', {}, lines.map((line) => h('li', { text: line })));
const terms = (rows) => rows.flatMap(([term, detail]) => [h('dt', { text: term }), h('dd', {}, detail)]);

export function renderShared(state, step) {
  const shared = (state.shared || []).filter((answer) => answer.step_id === step.id);
  show($('shared'), shared.length > 0);
  $('shared-list').replaceChildren(...shared.map((answer) =>
    h('li', {}, h('strong', { text: answer.name || '' }), ...lines(state, step, answer.value).map((line) => h('span', { text: line })))));
}

/** An answer as a person reads it: option labels, goal titles, list items with their dates. */
function lines(state, step, value) {
  const label = (id) => ((step.options || []).find((o) => o.id === id) || { label: String(id) }).label;
  return (Array.isArray(value) ? value : [value]).map((item) => {
    if (item && step.kind === 'progress') return t('{step}: {level} of {of}', { step: item.step, level: item.level, of: step.max });
    if (item && typeof item === 'object') return t('{text} (by {date})', { text: item.text, date: day(item.date) });
    if (step.kind === 'goal') return (state.session.system_goals.find((g) => g.id === item) || { title: String(item) }).title;
    if (step.kind === 'choice' || step.kind === 'rank') return label(item);
    return step.kind === 'date' ? day(item) : String(item);
  });
}

export function renderTimer(state) {
  const pill = $('step-timer');
  const left = state && state.phase === 'step' ? timeLeft(state) : null;
  show(pill, Boolean(left));
  if (!left) return;
  pill.textContent = !left.running ? `${formatTime(left.seconds)} · ${t('Paused')}`
    : left.seconds > 0 ? t('{time} left', { time: formatTime(left.seconds) }) : t("Time's up");
}
