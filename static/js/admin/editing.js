/** What the admin page is editing: the protocol library, the session or organisation open in the editor, and the
 * rows its form holds. */

export const editing = {
  library: new Map(), // protocol id -> protocol, from GET /api/protocols
  current: null, // the session being edited (GET /api/sessions/<code>), or null for a new one
  goals: [], // [{id, title, description}]; id is null for a goal not saved yet
  agenda: [], // [{item, protocol, title, rounds, steps: [{id, title, minutes}]}]; item is null for a new pick
  organisations: [], // GET /api/organisations
  organisation: null, // the organisation being edited (GET /api/organisations/<id>), or null for a new one
  organisationGoals: [], // its current goals as the form holds them: [{id, title, description}]
};

/** The list entry of what the editor shows is marked as the current one. */
export function markSelected() {
  for (const button of document.querySelectorAll('.session-item')) {
    const selected = (editing.current && button.dataset.testid === `session-${editing.current.code}`)
      || (editing.organisation && button.dataset.testid === `organisation-${editing.organisation.id}`);
    if (selected) button.setAttribute('aria-current', 'true');
    else button.removeAttribute('aria-current');
  }
}
