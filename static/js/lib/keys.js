/** Whose a key is: a field being typed in keeps its own keys; anywhere else (a button, a checkbox, a file chooser
 * whose dialog was closed) a presenter's clicker and the console's shortcuts act. */

const NO_TYPING = new Set(['file', 'checkbox', 'radio', 'button', 'submit', 'reset', 'image', 'hidden']);

/** Whether a key pressed on ``node`` belongs to a field: a text input, a text area, a menu, an editable block. */
export function inAField(node) {
  const field = node && node.closest && node.closest('input, textarea, select, [contenteditable]');
  return Boolean(field) && !(field.matches('input') && NO_TYPING.has(field.type));
}
