/** The plan page: this device remembers the plan's token, so the phone can bring this person's goal to their next
 * session; after "delete everything" it forgets it again. The conversation with their coach is coaching.js's. */

import { startCoaching } from './coaching.js';
import { startEvidence } from './evidence.js';
import { startProgress } from './progress.js';

const PLANS_KEY = 'pathways:plans'; // JSON array of plan tokens, oldest first; the phone reads it when joining
const MAX_PLANS = 20;

/** The device's storage, or null where it is off (private mode, blocked): the page works without it. */
function storage() {
  try {
    return window.localStorage;
  } catch (error) {
    return null;
  }
}

function keptPlans(store) {
  try {
    const plans = JSON.parse(store.getItem(PLANS_KEY) || '[]');
    return Array.isArray(plans) ? plans.filter((token) => typeof token === 'string' && token) : [];
  } catch (error) {
    return [];
  }
}

function writePlans(store, plans) {
  try {
    store.setItem(PLANS_KEY, JSON.stringify(plans.slice(-MAX_PLANS)));
  } catch (error) {
    // storage full or refused: the plan link still works, the phone just cannot carry it
  }
}

/** This plan's token, newest last, once. */
function remember(token) {
  const store = storage();
  if (store) writePlans(store, [...keptPlans(store).filter((kept) => kept !== token), token]);
}

/** A deleted plan's token, gone from every place this device kept it. */
function forget(token) {
  const store = storage();
  if (!store) return;
  writePlans(store, keptPlans(store).filter((kept) => kept !== token));
  try {
    for (let n = store.length - 1; n >= 0; n -= 1) {
      const key = store.key(n);
      if (key && key.startsWith('pathways:token:') && store.getItem(key) === token) store.removeItem(key);
    }
  } catch (error) {
    // nothing more this device can do
  }
}

const plan = document.querySelector('[data-plan-token]');
if (plan && plan.dataset.planToken) remember(plan.dataset.planToken);
const forgotten = document.querySelector('[data-forgotten-token]');
if (forgotten && forgotten.dataset.forgottenToken) forget(forgotten.dataset.forgottenToken);

// A refused check-in comes back with the form as typed: take the reader straight to what needs correcting (again
// once the page has loaded, as a browser's own jump to the address's #fragment may move focus).
const error = document.getElementById('check-in-error');
if (error) {
  error.focus();
  window.addEventListener('load', () => error.focus());
}

startCoaching();
startEvidence();
startProgress();
