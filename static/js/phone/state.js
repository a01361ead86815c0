/** The phone's picture of the room, as pure functions: each message the server sends, laid over what came before.
 *
 * A phone is sent its whole ``state`` when it connects; after that a step change is one ``step`` broadcast to the
 * room, with a ``me`` just before it where this phone's own part differs, ``saved`` when the person saved an
 * answer from another tab, and ``shared`` when a group-mate's answer to the open step arrives. No DOM here:
 * facilitator/loadtest/phone_view.py keeps the same picture in Python, and both run the cases in
 * tests/vectors/phone_state/. */

/** Nothing heard yet: no state, and no ``me`` waiting for its step. */
export const initialView = () => ({ state: null, early: null });

/** The id of the step a state or a ``step`` message has open; null when none is (the lobby, the end). */
const stepIdOf = (message) => (message.step ? message.step.id : null);

/** A ``me`` without the id of the step it belongs to: the fields to lay over the state. */
const ownFields = ({ step_id: stepId, ...fields }) => fields;

/** On a step change, what this phone's role is asked (the broadcast's ``role_parts``), its role read from its
 * group: the one a ``me`` brings, else the one it had. */
function rolePart(state, data, mine) {
  if (!state || stepIdOf(state) === stepIdOf(data)) return {};
  const group = ('group' in mine ? mine.group : state.group) || {};
  const role = group.role ? group.role.id : null;
  return (role && data.role_parts && data.role_parts[role]) || {};
}

/** The state with one more saved answer; null stays null (nothing to lay it into yet). */
export function withAnswer(state, stepId, value) {
  return state && { ...state, answers: { ...state.answers, [stepId]: value } };
}

/**
 * The view after one message: {state, early}, where ``early`` is this phone's own part of a step whose broadcast
 * is on its way. The view passed in is never changed; an unknown event leaves it as it was.
 */
export function receive(view, event, data) {
  const { state, early } = view;
  if (event === 'state') return { state: data, early };
  if (event === 'me') { // for the open step (null: none open, the lobby or the end), or the one on its way
    const open = state && stepIdOf(state) === data.step_id;
    return open ? { state: { ...state, ...ownFields(data) }, early } : { state, early: data };
  }
  if (event === 'step') { // the step, laid over the whole state, with this phone's own part if it came first
    const mine = early && early.step_id === stepIdOf(data) ? ownFields(early) : {};
    return { state: state && { ...state, ...data, ...rolePart(state, data, mine), ...mine }, early: null };
  }
  if (event === 'saved') return { state: withAnswer(state, data.step_id, data.value), early };
  if (event === 'shared') { // a group-mate's answer to the open step: new, or their edit (which moves it last)
    if (!state || !state.step || state.step.id !== data.step_id) return view; // for a step this phone has left
    const held = (state.shared || []).find((shown) => shown.participant_id === data.participant_id);
    if (held && held.saved_at > data.saved_at) return view; // an older edit that arrived late
    const others = (state.shared || []).filter((shown) => shown !== held);
    return { state: { ...state, shared: [...others, data] }, early };
  }
  return view;
}
