// One upload batch as a promise: resolves with every file's result in order, or rejects with
// the per-file errors (and the results of the files that were stored). Policies come with the
// items, or per batch from a policy URL.
import { engine } from './engine.js';
import { typeOf } from './restrictions.js';

// What the batch reads itself, and what it relays to onEvent unless told fewer (`relay`).
const OWN = ['s3file:success', 's3file:complete', 's3file:failed'];
const RELAYED = ['s3file:start', 'progress', 's3file:retry', 's3file:success', 's3file:error',
                 's3file:cancel', 's3file:complete', 's3file:failed', 's3file:part', 's3file:pause', 's3file:resume'];

/**
 * An error whose `errors` lists {file, input, element, code, message, detail, status, limit} per
 * failed file, and `results` the files of the same batch that were stored.
 */
export class UploadError extends Error {
  constructor(errors, results = []) {
    super(errors.map((e) => `${e.file?.name}: ${e.message}`).join('\n') || 'Upload failed');
    this.name = 'UploadError';
    this.errors = errors;
    this.results = results;
  }
}

// Files per policy request: the batch endpoint takes 1 to 1,000 (s3file-server answers 400
// past that, README), so a larger selection asks in several requests (1,001 files in one had
// every file fail).
const POLICY_BATCH = 1000;
// An answer the engine can send: a URL to post to, and fields as an object or pairs if any (an
// entry without a URL would post the file to the page's own address).
const usable = (answer) => typeof answer?.url === 'string' && answer.url !== '' && typeof (answer.fields || {}) === 'object';

/**
 * POSTs {files: [{name, size, type, field}]}; expects {files: [{url, fields, signature}]}. A 400
 * whose `files` gives a {code, error, limit|accept} for refused files fails just those; the
 * others ask again, so one refused file does not sink the rest.
 */
async function fetchPolicies(url, items, eng, onSignature) {
  let status = 0;
  // Unanswered for the uploads' stall time, the request fails its files: a server that takes it
  // and never answers would otherwise keep the form busy for good.
  const wait = eng.stallTime();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ files: items.map(({ file, input }) => ({ name: file.name, size: file.size, type: typeOf(file), field: input })) }),
      signal: AbortSignal.timeout(wait),
    });
    status = response.status;
    const body = await response.json().catch(() => ({}));
    const answers = body.files?.length === items.length ? body.files : null;
    if (!response.ok && answers?.some((answer) => answer?.code)) {
      const rest = items.filter((item, i) => {
        const { code, error, limit, accept } = answers[i] || {};
        if (code) eng.failPolicy(item.upload, status, accept || error, code, limit);
        return !code;
      });
      if (rest.length) fetchPolicies(url, rest, eng, onSignature);
      return;
    }
    if (!response.ok || !answers) throw new Error(body.error || (response.ok ? 'the answer lists no policy per file' : `HTTP ${status}`));
    items.forEach((item, i) => {
      if (!usable(answers[i])) return eng.failPolicy(item.upload, status, 'the answer has no usable policy for this file');
      onSignature(item.upload, answers[i].signature);
      eng.providePolicy(item, answers[i]);
    });
  } catch (error) {
    const detail = error.name === 'TimeoutError' ? `no answer in ${wait / 1000} s` : error.message;
    for (const item of items) eng.failPolicy(item.upload, status || 400, detail);
  }
}

/**
 * Starts a batch. items: [{file, input, element?, policy?, signature?, policyUrl?, multipartUrl?,
 * multipartThreshold?}] (from the threshold, default 100 MiB as in Uppy, a file with a multipart
 * URL goes through S3 multipart, on the multipart engine); options: {policyUrl, onEvent, relay}
 * (relay: the event types onEvent wants besides the batch's own success, complete and failed;
 * default all; the engine builds no event nobody listens for). Files without a policy get theirs
 * from their own policyUrl or the batch's, one request per URL. Returns {id, done:
 * Promise<results>, cancel(), cancelFile(file)}; the engine forgets the batch once it settles
 * (a retry is a new batch).
 */
export async function startBatch(items, { policyUrl, onEvent, relay = RELAYED } = {}) {
  const eng = await engine(items.some((item) => item.multipartUrl && item.file.size >= (item.multipartThreshold || 104857600)));
  const id = eng.nextBatch();
  let first = 0; // upload id of items[0]; uploads follow in item order
  const found = [];
  const signatures = items.map((item) => item.signature);
  let settle = null;
  const done = new Promise((resolve, reject) => { settle = { resolve, reject }; });
  // Results and errors carry the item's element: names repeat (two inputs named `file`).
  const results = () => items.flatMap((item, i) => (found[i] ? [{
    // A multipart upload's key lies in the folder its create call signed.
    file: item.file, input: item.input, element: item.element, signature: found[i].signature || signatures[i],
    key: found[i].key, etag: found[i].etag, location: found[i].location,
  }] : []));
  const listener = (event) => {
    const detail = event.detail;
    if (detail.batch !== id) return;
    if (event.type === 's3file:success') found[detail.upload - first] = detail;
    onEvent?.(event);
    if (event.type === 's3file:complete') settle.resolve(results());
    if (event.type === 's3file:failed')
      settle.reject(new UploadError(detail.errors.map((e) => ({ ...e, element: items[e.upload - first]?.element })), results()));
  };
  const types = OWN.concat(relay);  // a listener added twice for a type is added once
  for (const type of types) eng.listen(type, listener);
  // Successes arrive asynchronously, so `first` is known before any lands in `found`.
  const onSignature = (upload, signature) => { signatures[upload - first] = signature; };
  // Asked during enqueue, before `first` is known: the item is found by its File (a Map, as a
  // scan per file made a 1,000-file batch quadratic).
  const byFile = new Map(items.map((item) => [item.file, item]));
  const fetcher = (asked) => {
    const byUrl = new Map();
    for (const item of asked) {
      const url = byFile.get(item.file)?.policyUrl || policyUrl;
      if (!byUrl.has(url)) byUrl.set(url, []);
      byUrl.get(url).push(item);
    }
    for (const [url, group] of byUrl) {
      if (!url) for (const item of group) eng.failPolicy(item.upload, 400, 'no policy-url');
      // Asked together, at most POLICY_BATCH files per request.
      else for (let i = 0; i < group.length; i += POLICY_BATCH) fetchPolicies(url, group.slice(i, i + POLICY_BATCH), eng, onSignature);
    }
  };
  first = eng.enqueue(items, fetcher);

  return {
    id,
    done: done.finally(() => {
      for (const type of types) eng.unlisten(type, listener);
      eng.forget(id);
    }),
    cancel: () => eng.cancelBatch(id),
    cancelFile(file) {
      const i = items.findIndex((item) => item.file === file);
      if (i >= 0) eng.cancel(first + i);
    },
  };
}
