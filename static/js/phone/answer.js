/** The open step's screen and its answer box: built from the state, what was typed kept as a draft until the
 * server has it, and answers kept in an outbox until the server acknowledges them (sent again after a drop). */

import { $, show } from '../lib/dom.js';
import { language, t } from '../lib/i18n.js';
import { localized, localizedRolePrompt } from '../lib/localized.js';
import { randomId } from '../lib/ids.js';
import { ask } from '../lib/socket.js';
import { buildInput, noInput } from './inputs.js';
import { keptByStep, removeKept } from './storage.js';
import { note, notYourTurn, prefill, recallStatus, renderRecall, renderShared, screen } from './view.js';

export const ACK_TIMEOUT = 10000;
const DRAFT_DELAY_MS = 300; // a pause in typing; leaving the page keeps it at once
// Refusals that pass: the answer stays kept and is sent again.
const PASSING = new Set(['rate_limited', 'internal_error', 'not_connected']);
const RETRY_MS = 5000;
/** Who will see an answer to the step (its ``visibility``), in the participant's words. */
const VISIBILITY = {
  private: t('Only you will see this'),
  facilitator: t('Your facilitator will see this'),
  group: t('Your group and your facilitator will see this'),
  room: t('Shared on the screen without your name'),
  'room-named': t('Shared on the screen with your name'),
};
/** The line under the answer for each state of saving (an error shows the server's own message). */
const STATUS_LINES = {
  saving: t('Saving…'),
  before: t('You answered this already. Change it and save again if you like.'),
  unsaved: t('Not saved yet.'),
  waiting: t('Kept on this phone: it will be sent as soon as you are back online.'),
  prefilled: t('Filled in from your plan so far: save to keep it, or change it first.'),
  restored: t('Restored what you had typed; not saved yet.'),
};

/**
 * The answer box of the phone of session ``code``. ``live`` tells it what the phone holds now: ``state()``, the
 * ``socket()`` (null before the first connection), and ``answered(stepId, value)`` to lay an acknowledged answer
 * into the state.
 */
export function answerBox(code, live) {
  /** Answers not yet acknowledged: sent when back online. */
  const outbox = keptByStep(`pathways:outbox:${code}`);
  const draftsKey = `pathways:drafts:${code}:`; // and the participant's id: one person's drafts, never another's
  /** What this person typed and has not saved yet, per step: put back in the box after a reload or a closed tab,
   * until the server has saved it. Made once the server says who the token is. */
  let drafts = null;
  let form = null; // the open step's input: {stepId, may, kind, value(), set(v), check()}
  let saved = null; // JSON of the value the server holds for the open step
  let pending = null; // {json, id}: a fresh answer_id for each new value, the same one for a resend
  let dirty = false;
  let draftTimer = 0;

  /** The open step, in this person's language: ids, kinds and options' values stay the step's own. */
  function renderStep(openStep) {
    const state = live.state();
    const step = localized(openStep, language);
    const answer = state.answers[step.id];
    const serverJson = answer === undefined ? null : JSON.stringify(answer);
    const may = state.may_answer !== false && step.kind !== 'none';
    const recallJson = JSON.stringify(state.recall || null); // a progress step's rows and a prefill come from it
    const same = form && form.stepId === step.id && form.may === may && !$('screen-step').hidden;
    if (!same || (!dirty && ((serverJson !== null && serverJson !== saved) || form.recall !== recallJson))) {
      $('step-kicker').textContent = `${t('Step {n} of {total}', { n: step.number, total: step.of })} · ${step.protocol}`;
      $('step-title').textContent = step.title;
      $('step-visibility').textContent = VISIBILITY[step.visibility] || '';
      $('step-visibility').dataset.visibility = step.visibility;
      $('screen-step').dataset.kind = step.kind;
      keepDraft(); // the box built again may hold what was typed a moment ago
      const input = may ? buildInput(step, { state, changed }) : noInput(step);
      form = { stepId: step.id, may, kind: step.kind, recall: recallJson, raw: input.value, ...input };
      form.blank = JSON.stringify(form.raw());
      saved = serverJson;
      pending = null;
      dirty = false;
      const waiting = may && outbox.get(step.id);
      const earlier = may && !waiting && answer === undefined ? prefill(state, step) : null;
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
    const status = recallStatus(state);
    const roleId = state.group && state.group.role ? state.group.role.id : null;
    // what this person's role is asked here, in place of the step's prompt
    const rolePrompt = localizedRolePrompt(step, language, roleId, state.role_prompt);
    $('step-prompt').textContent = rolePrompt || (status && status !== 'returning' && step.first_time_prompt) || step.prompt;
    const listening = !may && step.kind !== 'none' && step.returning_only && status !== 'returning';
    const stepNote = $('step-note');
    stepNote.textContent = may || step.kind === 'none' ? (locked && may ? t('Answers to this step are closed.') : '')
      : rolePrompt ? '' : listening ? t('This step is for people returning to a goal: listen in. Your first steps come next.') : notYourTurn(state, step);
    show(stepNote, Boolean(stepNote.textContent));
    // Someone without a goal here is told what comes next, once; someone whose plan is elsewhere, how to bring it.
    const recallNote = status === 'hidden'
      ? t("An earlier plan matches the e-mail or staff id you gave. To see it here, open that plan's link on this phone (scan the QR code on its PDF), then come back to this page.")
      : status === 'first_time' && !listening ? t('Your first day with a goal here: set it in the steps that follow.') : '';
    $('recall-note').textContent = recallNote;
    show($('recall-note'), Boolean(recallNote));
    renderRecall(state, recallJson);
    renderShared(state, step);
  }

  /** Under the answer: the saved mark shows only once the server has acknowledged the answer. */
  function setStatus(kind, message) {
    show($('saved-mark'), kind === 'saved');
    const line = $('answer-message');
    line.dataset.kind = kind;
    line.textContent = kind === 'error' ? message : STATUS_LINES[kind] || '';
  }

  function changed() {
    dirty = true;
    const restored = $('answer-message').dataset.kind === 'restored'; // still true: say it until saved
    setStatus(restored ? 'restored' : saved === null ? '' : 'unsaved');
    window.clearTimeout(draftTimer);
    draftTimer = window.setTimeout(keepDraft, DRAFT_DELAY_MS);
  }

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

  $('answer-form').addEventListener('submit', (event) => {
    event.preventDefault();
    if (!form || !form.may || live.state().locked) return;
    const problem = form.check();
    if (problem) return setStatus('error', problem);
    const value = form.value();
    const json = JSON.stringify(value);
    if (!pending || pending.json !== json) pending = { json, id: randomId() };
    const entry = { step_id: form.stepId, answer_id: pending.id, value, title: $('step-title').textContent };
    keepDraft(); // kept as typed until the server has this answer: a refusal loses nothing
    outbox.put(entry);
    const socket = live.socket();
    if (!socket || !socket.connected) return setStatus('waiting');
    send(entry);
  });

  /** Send a kept answer again in a while, if it is still kept then and the phone is connected. */
  function retrySoon(entry) {
    window.setTimeout(() => {
      const still = outbox.get(entry.step_id);
      const socket = live.socket();
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
    ask(live.socket(), 'answer', answer, ACK_TIMEOUT).then(({ timeout, ack }) => {
      if (current()) $('answer-submit').disabled = false;
      if (timeout || (ack && PASSING.has(ack.code))) { // kept: tried again soon, and on every new connection
        if (current()) setStatus('waiting');
        return retrySoon(entry);
      }
      const sameAnswer = (kept) => kept.answer_id === entry.answer_id;
      if (ack && ack.ok) {
        outbox.drop(entry.step_id, sameAnswer);
        if (drafts) drafts.drop(entry.step_id, (draft) => JSON.stringify(draft.value) === JSON.stringify(entry.value));
        live.answered(entry.step_id, entry.value);
        if (!current()) return;
        saved = JSON.stringify(entry.value);
        dirty = JSON.stringify(form.value()) !== saved; // edited again while this was saving
        return setStatus(dirty ? 'unsaved' : 'saved');
      }
      outbox.drop(entry.step_id, sameAnswer); // refused for good (e.g. the step closed): say so; the draft stays
      const error = (ack && ack.error) || t('No answer from the server. Check your connection and tap Save again.');
      return current() ? setStatus('error', error) : note(t('Your answer to “{title}” was not saved: {error}', { title: title || '', error }));
    });
  }

  return {
    renderStep,
    /** The phone left the step screen (lobby, end): what was typed stays kept, the box goes. */
    leave() {
      keepDraft();
      form = null;
    },
    /** The server said who this phone is: that person's drafts come back, and what waits in the outbox goes out. */
    welcome(participantId) {
      drafts = keptByStep(`${draftsKey}${participantId}`);
      outbox.all().forEach(send);
    },
    /** The server deleted every answer of this person: nothing kept here either, and the box is built again. */
    forgotten() {
      outbox.clear();
      window.clearTimeout(draftTimer);
      if (drafts) drafts.clear();
      saved = null;
      pending = null;
      dirty = false;
      form = null; // the server sent the emptied state before this ack: build the step again from it
    },
    /** Whoever held this phone's token is gone: what they typed and sent is not the next person's. */
    dropKept() {
      outbox.clear();
      drafts = null;
      removeKept(draftsKey); // every draft kept for this session on this phone, whoever typed it
    },
  };
}
