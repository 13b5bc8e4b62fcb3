// Errors and upload status next to a drop-in file input, announced to screen readers. The
// element (<s3-file>) shows its own per-file status instead.
let counter = 0;

function box(input, slot, className, role) {
  let el = input[slot];
  if (!el) {
    el = input[slot] = Object.assign(document.createElement('div'), { className, id: `s3file-${++counter}` });
    if (role) el.setAttribute('role', role);
    input.insertAdjacentElement('afterend', el);
  }
  return el;
}

/** Shows `messages` (strings) after `input`, one per line; an empty list clears them. */
export function showErrors(input, messages) {
  if (input.closest('s3-file')) return;
  if (!messages.length) {
    if (input.s3fileErrors) markInvalid(input, input.s3fileErrors.id, false);
    else input.removeAttribute('aria-invalid');
    input.s3fileErrors?.remove();
    input.s3fileErrors = null;
    return;
  }
  const el = box(input, 's3fileErrors', 's3file-error', 'alert');
  el.replaceChildren(...messages.map((text) => Object.assign(document.createElement('div'), { textContent: text })));
  markInvalid(input, el.id, true);
}

/**
 * Marks `input` invalid, described by the errors in `id` (on), or valid again: aria-invalid, and
 * `id` added to or taken out of its aria-describedby, which keeps the page's own ids (help text).
 */
export function markInvalid(input, id, on) {
  const ids = (input.getAttribute('aria-describedby') || '').split(/\s+/).filter((other) => other && other !== id);
  if (on) ids.push(id);
  if (ids.length) input.setAttribute('aria-describedby', ids.join(' '));
  else input.removeAttribute('aria-describedby');
  if (on) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

/** Shows what the uploads of `input` are doing ("Uploading 40 %"); empty text removes it. */
export function showStatus(input, text) {
  if (input.closest('s3-file')) return;
  if (!text) {
    input.s3fileStatus?.remove();
    input.s3fileStatus = input.s3fileShown = null;
    return;
  }
  // Visual only, no live region: the form's aria-busy says it, and errors are alerts. Written
  // only when it changes: a thousand small files move the percent a hundred times, not a thousand.
  setText(box(input, 's3fileStatus', 's3file-busy'), text);
}

/** Sets `node`'s text when it differs: an equal write still costs the page a style pass. */
export const setText = (node, text) => { if (node.textContent !== text) node.textContent = text; };
