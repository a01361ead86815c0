/** What this phone keeps in the browser's storage (in this tab's memory where storage is refused): its token, the
 * answers waiting to be sent, the drafts, and the tokens of other sessions it has seen. */

/** ``use(localStorage)``, or null where storage is refused (private mode): then this tab only. */
export const kept = (use) => {
  try { return use(window.localStorage); } catch (error) { return null; }
};

/** Entries by step id, kept in storage that survives a reload (in this tab's memory only where storage is
 * refused). Read again before every change: another tab of this session may have changed them meanwhile. */
export function keptByStep(key) {
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

/** Participant tokens of other sessions in this browser, besides ``token`` (kept under ``ownKey``): its other phone
 * pages' and the plan pages it opened, the plan opened last first. */
export function earlierTokens(ownKey, token) {
  const plans = kept((s) => JSON.parse(s.getItem('pathways:plans') || '[]'));
  const found = new Set(Array.isArray(plans) ? plans.slice().reverse() : []); // the plan opened last first
  kept((s) => {
    for (let n = 0; n < s.length; n += 1) {
      const key = s.key(n);
      if (key.startsWith('pathways:token:') && key !== ownKey) found.add(s.getItem(key));
    }
  });
  found.delete(token);
  return [...found].filter((earlier) => earlier && typeof earlier === 'string').slice(0, 20);
}

/** Remove every key that starts with ``prefix``. */
export function removeKept(prefix) {
  kept((s) => {
    const keys = [];
    for (let n = 0; n < s.length; n += 1) if (s.key(n).startsWith(prefix)) keys.push(s.key(n));
    keys.forEach((key) => s.removeItem(key));
  });
}
