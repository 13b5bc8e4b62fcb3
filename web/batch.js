// One upload batch as a promise: resolves with every file's result in order, or rejects with
// the per-file errors. Policies come with the items, or per batch from a policy URL.
import { engine } from './engine.js';

const RELAYED = ['s3file:start', 'progress', 's3file:retry', 's3file:success', 's3file:error',
                 's3file:cancel', 's3file:complete', 's3file:failed'];

/** An error whose `errors` lists {file, input, element, code, message, status} per failed file. */
export class UploadError extends Error {
  constructor(errors) {
    super(errors.map((e) => `${e.file?.name}: ${e.message}`).join('\n') || 'Upload failed');
    this.name = 'UploadError';
    this.errors = errors;
  }
}

/** POSTs {files: [{name, size, type, field}]}; expects {files: [{url, fields, signature}]}. */
async function fetchPolicies(url, items, eng, onSignature) {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ files: items.map(({ file, input }) => ({ name: file.name, size: file.size, type: file.type, field: input })) }),
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok || body.files?.length !== items.length)
      throw Object.assign(new Error(body.error || `HTTP ${response.status}`), { status: response.status || 400 });
    items.forEach((item, i) => {
      onSignature(item.upload, body.files[i].signature);
      eng.providePolicy(item.upload, body.files[i]);
    });
  } catch (error) {
    for (const item of items) eng.failPolicy(item.upload, error.status || 0, error.message);
  }
}

/**
 * Starts a batch. items: [{file, input, element?, policy?, signature?, policyUrl?}]; options: {policyUrl,
 * onEvent}. Files without a policy get theirs from their own policyUrl or the batch's, one
 * request per URL. Returns {id, done: Promise<results>, retry(): Promise<results>, cancel()}.
 */
export async function startBatch(items, { policyUrl, onEvent } = {}) {
  const eng = await engine();
  const id = eng.nextBatch();
  let first = 0; // upload id of items[0]; uploads follow in item order
  const found = [];
  const signatures = items.map((item) => item.signature);
  let settle = null;
  const wait = () => new Promise((resolve, reject) => { settle = { resolve, reject }; });
  let done = wait();
  const listener = (event) => {
    const detail = event.detail;
    if (detail.batch !== id) return;
    if (event.type === 's3file:success') found[detail.upload - first] = detail;
    onEvent?.(event);
    // Results and errors carry the item's element: names repeat (two inputs named `file`).
    if (event.type === 's3file:complete') settle.resolve(items.map((item, i) => ({
      file: item.file, input: item.input, element: item.element, signature: signatures[i],
      key: found[i].key, etag: found[i].etag, location: found[i].location,
    })));
    if (event.type === 's3file:failed')
      settle.reject(new UploadError(detail.errors.map((e) => ({ ...e, element: items[e.upload - first]?.element }))));
  };
  for (const type of RELAYED) eng.events.addEventListener(type, listener);
  // Successes arrive asynchronously, so `first` is known before any lands in `found`.
  const onSignature = (upload, signature) => { signatures[upload - first] = signature; };
  const fetcher = (asked) => {
    const byUrl = new Map();
    for (const item of asked) {
      // Asked during enqueue, before `first` is known: find the item by its File.
      const url = items.find((mine) => mine.file === item.file)?.policyUrl || policyUrl;
      byUrl.set(url, [...(byUrl.get(url) || []), item]);
    }
    for (const [url, group] of byUrl) {
      if (url) fetchPolicies(url, group, eng, onSignature);
      else for (const item of group) eng.failPolicy(item.upload, 400, 'no policy-url');
    }
  };
  first = eng.enqueue(items, fetcher);
  const finish = (promise) => promise.finally(() => {
    // A failed batch is kept so that its files can be retried; a finished one is released.
    if (found.filter(Boolean).length === items.length) {
      for (const type of RELAYED) eng.events.removeEventListener(type, listener);
      eng.forget(id);
    }
  });
  return {
    id,
    done: finish(done),
    retry() {
      done = wait();
      eng.retryFailed(id);
      return finish(done);
    },
    cancel: () => eng.cancelBatch(id),
  };
}
