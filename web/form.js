// Form submission for both ways of use: upload every chosen file, then submit natively once,
// with exactly the hidden fields django-s3file's script adds (protocol.md §3). Each form keeps a
// session: what is stored (so a resubmit uploads only what is missing), what runs (so a new
// selection cancels the old one's uploads), and a busy state (aria-busy, submitters disabled,
// a warning before leaving the page).
import { startBatch } from './batch.js';
import { engine } from './engine.js';
import { errorMessage, langOf, numberFormat, t } from './i18n/messages.js';
import { showErrors, showStatus } from './messages.js';
import { checkFile, policyRange } from './restrictions.js';

const BYPASS = Symbol('s3file-bypass');
const sessions = new WeakMap(); // form → session

/** The form's session: stored and running uploads by input and File, and its busy count. */
export function session(form) {
  let s = sessions.get(form);
  if (!s) sessions.set(form, s = { form, busy: 0, submitting: false, changed: false, stored: new WeakMap(), running: new WeakMap(), disabled: [] });
  return s;
}

const mapOf = (weak, input) => weak.get(input) || weak.set(input, new Map()).get(input);
/** The stored result of `file` chosen in `input`, if it was uploaded since it was chosen. */
export const storedResult = (input, file) => input.form && session(input.form).stored.get(input)?.get(file);

/** File inputs of `form` that s3file handles: input.s3file, or inside <s3-file>; not a disabled
 *  one (itself or by its fieldset), which the form's own data leaves out too. */
const inputsOf = (form) => [...form.elements].filter((el) => el.type === 'file' && el.name && !el.matches(':disabled') &&
  (el.classList.contains('s3file') || el.closest('s3-file')) && el.files.length);
/** An input holding a refused file (restrictions): it blocks the submit. */
const invalidOf = (inputs) => inputs.find((input) => input.validity.customError);

function itemsOf(inputs) {
  return inputs.flatMap((input) => {
    const fields = [...input.attributes].filter((a) => a.name.startsWith('data-fields-'))
      .map((a) => [a.name.slice('data-fields-'.length), a.value]);
    const policy = input.dataset.url && { url: input.dataset.url, fields };
    const host = input.closest('s3-file');
    const policyUrl = host?.getAttribute('policy-url');
    // S3 multipart from a size on (<s3-file multipart-url multipart-threshold>, or the drop-in's data-s3f-multipart-url).
    const multipartUrl = host?.getAttribute('multipart-url') || input.dataset.s3fMultipartUrl;
    const multipartThreshold = host?.multipartThreshold;  // the drop-in: 100 MiB
    return [...input.files].map((file) => ({ file, input: input.name, element: input, policy, policyUrl, signature: input.dataset.s3fSignature,
      multipartUrl, multipartThreshold }));
  });
}

// Seed-compatible `progress` on the form and on the input; other events relayed on the input.
function relay(form, elements, event) {
  const d = event.detail;
  const input = elements.get(d.file);
  if (event.type === 'progress') {
    // originalEvent is an Event, as the seed's was: the engine's progress as a CustomEvent.
    const originalEvent = new CustomEvent('progress', event);
    const detail = (progress, loaded, total) => ({ detail: { progress, loaded, total, currentFile: d.file,
      currentFileName: d.file.name, currentFileProgress: d.progress, originalEvent } });
    form.dispatchEvent(new CustomEvent('progress', detail(d.formProgress, d.formLoaded, d.formTotal)));
    input?.dispatchEvent(new CustomEvent('progress', detail(d.inputProgress, d.inputLoaded, d.inputTotal)));
  } else {
    (input || form).dispatchEvent(new CustomEvent(event.type, { detail: d, bubbles: true }));
  }
  if (input && (event.type === 'progress' || event.type === 's3file:retry')) {
    const lang = langOf(input);
    // The sentence is made only when its percent changes: a thousand small files move it a
    // hundred times, not once per event.
    const shown = event.type === 'progress' && `${lang} ${Math.round(d.inputProgress * 100)}`;
    if (shown && shown === input.s3fileShown) return;
    input.s3fileShown = shown;
    showStatus(input, shown
      ? t(lang, 'uploading', { percent: numberFormat(lang, { style: 'percent' }).format(d.inputProgress) })
      : t(lang, 'retrying', { seconds: Math.ceil(d.retryDelay / 1000), attempt: d.attempt + 1 }));
  }
}

const warn = (event) => {
  event.preventDefault();
  event.returnValue = '';  // older engines show the prompt only when this is set
};

/** Counts uploads running in `form`; while any run the form is busy. */
function busy(form, delta) {
  const s = session(form);
  const was = s.busy > 0;
  s.busy += delta;
  if (was === s.busy > 0) return;
  if (s.busy > 0) {
    form.setAttribute('aria-busy', 'true');
    s.disabled = [...form.elements].filter((el) => el.type === 'submit' && !el.disabled);
    s.focused = s.disabled.find((el) => el === document.activeElement);
    for (const el of s.disabled) el.disabled = true;
    addEventListener('beforeunload', warn);
  } else {
    form.removeAttribute('aria-busy');
    for (const el of s.disabled) el.disabled = false;
    if (s.focused && document.activeElement === document.body) s.focused.focus();
    removeEventListener('beforeunload', warn);
    for (const input of form.elements) if (input.s3fileStatus) showStatus(input, '');
  }
}

/** Uploads `items` as one batch; records what was stored; true when all were. */
async function run(form, items) {
  const s = session(form);
  busy(form, 1);
  for (const input of new Set(items.map((item) => item.element))) {
    const files = items.filter((item) => item.element === input).map((item) => item.file);
    input.dispatchEvent(new CustomEvent('s3file:queued', { bubbles: true, detail: { files } }));
  }
  try {
    // Each event's input by its File, found in a Map (a scan per event was quadratic).
    const elements = new Map();
    for (const item of items) if (!elements.has(item.file)) elements.set(item.file, item.element);
    const batch = await startBatch(items, { onEvent: (e) => relay(form, elements, e) });
    for (const item of items) mapOf(s.running, item.element).set(item.file, batch);
    const record = (results) => { for (const r of results) mapOf(s.stored, r.element).set(r.file, r); };
    try {
      record(await batch.done);
      return true;
    } catch (error) {
      record(error.results || []);
      // Errors of files no longer chosen (replaced by a new selection) are not the user's concern.
      for (const input of new Set(items.map((item) => item.element))) {
        const mine = (error.errors || []).filter((e) => e.element === input && [...input.files].includes(e.file));
        const lang = langOf(input);
        showErrors(input, mine.length ? mine.map((e) => {
          const message = errorMessage(lang, e);
          return message.includes(e.file.name) ? message : t(lang, 'fileError', { name: e.file.name, message });
        }) : error.errors ? [] : [String(error.message || error)]);
      }
      return false;
    } finally {
      for (const item of items) if (s.running.get(item.element)?.get(item.file) === batch) s.running.get(item.element).delete(item.file);
    }
  } finally {
    busy(form, -1);
  }
}

/** Uploads the given files of `input` now (a retry); nothing is submitted. */
export function uploadFiles(input, files) {
  const items = itemsOf([input]).filter((item) => files.includes(item.file));
  return items.length && input.form ? run(input.form, items) : Promise.resolve(false);
}

/** Cancels the running upload of `file` chosen in `input`. */
export function cancelFile(input, file) {
  if (input.form) session(input.form).running.get(input)?.get(file)?.cancelFile(file);
}

const hidden = (name, value) => Object.assign(document.createElement('input'), { type: 'hidden', name, value });

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
    added.push(hidden('s3file', input.name));
    for (const signature of new Set(mine.map((r) => r.signature)))
      added.push(hidden(`${input.name}-s3f-signature`, signature));
    for (const r of mine) added.push(hidden(input.name, r.key));
  }
  form.append(...added);  // in one go: an append each cost 0.3 ms per file with 1,000 files
  // (Removed one by one below only after the native submit has built its entry list.)
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
  const chosen = inputsOf(form);
  if (!chosen.length) return;
  event.preventDefault();
  const s = session(form);
  if (s.submitting) return;  // a second click while uploading starts nothing new
  // A refused file (restrictions) blocks the submit; a `novalidate` form gets here with one.
  const invalid = invalidOf(chosen);
  if (invalid) return void invalid.focus();
  s.submitting = true;
  s.reset = false;
  const ready = engine().then(() => true, (error) => void console.warn(error));
  // Any native submit must wait until this submit event has been dispatched: a form ignores
  // requestSubmit() while it is firing one (HTML "firing submission events"). An engine that
  // fails at once (a Content-Security-Policy without 'wasm-unsafe-eval') rejects within it.
  await new Promise((resolve) => setTimeout(resolve));
  if (!(await ready)) {
    // No engine (WebAssembly forbidden or failing): post the files the plain way, as without JavaScript.
    s.submitting = false;
    return nativeSubmit(form, event.submitter);
  }
  try {
    // Upload what is not stored yet; a new selection during the uploads cancels the old
    // files' uploads and goes round again, so the submit carries what the inputs hold then.
    for (;;) {
      const inputs = inputsOf(form);
      // Again each round: a file refused when chosen during the uploads is not sent, and a
      // form reset meanwhile (the user discarded it) submits nothing.
      const invalid = invalidOf(inputs);
      if (invalid || s.reset) return void invalid?.focus();
      const items = itemsOf(inputs);
      const pending = items.filter((item) => !s.stored.get(item.element)?.has(item.file));
      for (const input of inputs) showErrors(input, []);
      if (!pending.length) {
        submitWithKeys(form, event.submitter, items.map((item) => s.stored.get(item.element).get(item.file)), inputs);
        break;
      }
      s.changed = false;
      if (!(await run(form, pending)) && !s.changed) break;
    }
  } finally {
    s.submitting = false;
  }
}

/** The drop-in's own checks on a new selection: the input's `accept` and its policy's size range. */
function checkDropIn(input) {
  if (!input.classList.contains('s3file') || input.closest('s3-file')) return;
  const lang = langOf(input);
  const limits = { accept: input.accept, ...policyRange(input) };
  const errors = [...input.files].map((file) => checkFile(file, limits)).filter(Boolean);
  const messages = errors.map((e) => errorMessage(lang, e));
  input.setCustomValidity(messages.join('\n'));
  showErrors(input, messages);
}

function onChange(event) {
  const input = event.target;
  if (input.type !== 'file') return;
  showErrors(input, []);
  checkDropIn(input);
  // Uploads of files that are no longer chosen stop; the submit in progress starts over.
  const running = input.form && session(input.form).running.get(input);
  for (const [file, batch] of running || []) {
    if ([...input.files].includes(file)) continue;
    session(input.form).changed = true;
    batch.cancelFile(file);
  }
}

// A reset empties the inputs without a change event: once it is done (it runs after its
// event, and only if no listener canceled it), their running uploads stop and their refusals
// go as for a new choice, <s3-file> draws the empty selection, and a submit waiting for the
// uploads submits nothing.
function onReset(event) {
  const form = event.target;
  setTimeout(() => {
    if (event.defaultPrevented) return;
    session(form).reset = true;
    for (const input of form.elements) {
      onChange({ target: input });
      input.closest('s3-file')?.select?.();
    }
  });
}

/** Handles every form on the page, present and future, through event delegation. */
export function watchForms(root = document) {
  if (root.s3fileWatching) return;
  root.s3fileWatching = true;
  root.addEventListener('submit', onSubmit);
  root.addEventListener('change', onChange);
  root.addEventListener('reset', onReset);
}

