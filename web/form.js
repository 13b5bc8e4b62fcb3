// Form submission for both ways of use: upload every chosen file, then submit natively once,
// with exactly the hidden fields django-s3file's script adds (protocol.md §3).
import { startBatch } from './batch.js';
import { engine } from './engine.js';
import { showErrors } from './messages.js';

const BYPASS = Symbol('s3file-bypass');
const forms = new WeakMap(); // form → {busy, batch, files}

/** File inputs of `form` that s3file handles: input.s3file, or inside <s3-file>. */
const inputsOf = (form) => [...form.elements].filter((el) => el.type === 'file' && el.name &&
  (el.classList.contains('s3file') || el.closest('s3-file')) && el.files.length);

function itemsOf(inputs) {
  return inputs.flatMap((input) => {
    const fields = [...input.attributes].filter((a) => a.name.startsWith('data-fields-'))
      .map((a) => [a.name.slice('data-fields-'.length), a.value]);
    const policy = input.dataset.url && { url: input.dataset.url, fields };
    const policyUrl = input.closest('s3-file')?.getAttribute('policy-url');
    return [...input.files].map((file) => ({ file, input: input.name, element: input, policy, policyUrl, signature: input.dataset.s3fSignature }));
  });
}

// Seed-compatible `progress` on the form and on the input; other events relayed on the input.
function relay(form, items, event) {
  const d = event.detail;
  const input = items.find((item) => item.file === d.file)?.element;
  if (event.type === 'progress') {
    const detail = (progress, loaded, total) => ({ detail: { progress, loaded, total, currentFile: d.file,
      currentFileName: d.file.name, currentFileProgress: d.progress, originalEvent: event } });
    form.dispatchEvent(new CustomEvent('progress', detail(d.formProgress, d.formLoaded, d.formTotal)));
    input?.dispatchEvent(new CustomEvent('progress', detail(d.inputProgress, d.inputLoaded, d.inputTotal)));
  } else {
    (input || form).dispatchEvent(new CustomEvent(event.type, { detail: d, bubbles: true }));
  }
}

function hidden(form, name, value) {
  const el = Object.assign(document.createElement('input'), { type: 'hidden', name, value });
  form.append(el);
  return el;
}

// Submits natively with the submitter's name/value and form* attributes; our listener lets it pass.
function nativeSubmit(form, submitter) {
  form[BYPASS] = true;
  try {
    if (form.requestSubmit) form.requestSubmit(submitter?.isConnected ? submitter : null);
    else form.submit();
  } finally {
    form[BYPASS] = false;
  }
}

// Adds the keys, hides the file inputs from the form data, and submits once, natively.
function submitWithKeys(form, submitter, results, inputs) {
  const added = [];
  for (const input of inputs) {
    const mine = results.filter((r) => r.element === input);
    added.push(hidden(form, 's3file', input.name));
    for (const signature of new Set(mine.map((r) => r.signature)))
      added.push(hidden(form, `${input.name}-s3f-signature`, signature));
    for (const r of mine) added.push(hidden(form, input.name, r.key));
  }
  const names = inputs.map((input) => [input, input.name]);
  for (const input of inputs) input.removeAttribute('name');
  // The seed submits a value-less button as name=1.
  const blank = submitter?.name && !submitter.getAttribute('value');
  if (blank) submitter.value = '1';
  try {
    nativeSubmit(form, submitter);
  } finally {
    if (blank) submitter.removeAttribute('value');
    for (const [input, name] of names) input.name = name;
    for (const el of added) el.remove();  // the entry list was built synchronously
  }
}

async function onSubmit(event) {
  const form = event.target;
  if (form[BYPASS] || event.defaultPrevented || !(form instanceof HTMLFormElement)) return;
  const inputs = inputsOf(form);
  if (!inputs.length) return;
  event.preventDefault();
  const state = forms.get(form) || {};
  if (state.busy) return;  // a second click while uploading starts nothing new
  forms.set(form, state);
  state.busy = true;
  try {
    await engine();
  } catch (error) {
    // No engine (blocked or missing .wasm): post the files the plain way, as without JavaScript.
    console.warn(error);
    state.busy = false;
    return nativeSubmit(form, event.submitter);
  }
  const items = itemsOf(inputs);
  const same = state.files?.length === items.length && items.every((item, i) => item.file === state.files[i]);
  for (const input of inputs) showErrors(input, []);
  try {
    if (!same) {
      state.files = items.map((item) => item.file);
      state.batch = await startBatch(items, { onEvent: (e) => relay(form, items, e) });
    }
    const results = await (same ? state.batch.retry() : state.batch.done);
    state.files = null;
    submitWithKeys(form, event.submitter, results, inputs);
  } catch (error) {
    for (const input of inputs) {
      const mine = (error.errors || []).filter((e) => e.element === input);
      showErrors(input, mine.length ? mine.map((e) => `${e.file.name}: ${e.message}`) : error.errors ? [] : [String(error.message || error)]);
    }
  } finally {
    state.busy = false;
  }
}

/** Handles every form on the page, present and future, through event delegation. */
export function watchForms(root = document) {
  root.addEventListener('submit', onSubmit);
  root.addEventListener('change', (event) => {
    if (event.target.type === 'file') showErrors(event.target, []);
  });
}
