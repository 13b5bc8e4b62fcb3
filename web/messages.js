// Error messages next to a file input, announced to screen readers, cleared on change.
let counter = 0;

/** Shows `messages` (strings) after `input`; an empty list clears them. */
export function showErrors(input, messages) {
  if (input.closest('s3-file')) return;  // the element shows its own per-file status
  let box = input.s3fileErrors;
  if (!messages.length) {
    box?.remove();
    input.s3fileErrors = null;
    input.removeAttribute('aria-invalid');
    return;
  }
  if (!box) {
    box = document.createElement('div');
    box.className = 's3file-error';
    box.id = `s3file-error-${++counter}`;
    box.setAttribute('role', 'alert');
    input.s3fileErrors = box;
    input.setAttribute('aria-describedby', box.id);
    input.insertAdjacentElement('afterend', box);
  }
  box.textContent = messages.join(' ');
  input.setAttribute('aria-invalid', 'true');
}
