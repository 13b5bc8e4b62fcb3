// Loads the wasm engine once per page and wraps its C API in JS types. Two engines come from
// one core: this POST engine, which every page loads and whose .wasm this module carries, and
// the multipart one (multipart/engine-mp.js, 8 KB gzip more), fetched only once a file needs S3
// multipart, its .wasm beside it (import.meta.url), so dist/ works from any static host or CDN
// without a bundler.
import loadEngine from './s3file-engine.mjs';
import { errorMessage, langOf } from './i18n/messages.js';
import { typeOf } from './restrictions.js';

let loading = null;
let withParts = false;
let options = {};
let nextHandle = 1;

/**
 * The page's engine: one queue for all forms (the connection limit is per storage host).
 * engine(true) switches the page to the multipart engine (see multipart/engine-mp.js).
 */
export function engine(multipart) {
  if (multipart && !withParts) {
    withParts = true;
    const previous = loading;
    const upgraded = (loading = import('./multipart/engine-mp.js').then((mp) => mp.upgrade(previous, instantiate, options)));
    // One that does not come (offline for a moment) fails the upload that asked for it; the
    // page keeps the engine it had, and the next large file asks again.
    upgraded.catch(() => loading === upgraded && ((loading = previous), (withParts = false)));
  }
  // S3FILE_ENGINE_WASM: the POST engine's .wasm as a string of one character per byte, written
  // in by the build (scripts/inline-engine.mjs). Carried here, not fetched beside this module:
  // a second request after the module's was most of the time to a ready engine (import to ready,
  // cold: 22.5 -> 16.4 ms). btoa() and fromBase64() turn it into bytes in two native passes
  // (1 ms; a loop over its characters took 2, Uint8Array.from with a callback 9, the fallback).
  return (loading ??= instantiate(loadEngine, bytesOf(S3FILE_ENGINE_WASM)));
}

const bytesOf = (text) => Uint8Array.fromBase64?.(btoa(text)) ?? Uint8Array.from(text, (c) => c.charCodeAt(0));

/** The engine from `load` (an Emscripten glue) and `wasm`: its bytes, or a Response, or a promise of either. */
async function instantiate(load, wasm, attach) {
  const module = await load({ wasm: await wasm });
  // The page's listeners by event type (batch.js adds one per batch and removes it when the
  // batch settles; the ports ask Module.s3f.hears): the engine builds no event of a type nobody
  // listens for now (a page that only calls upload() without onProgress gets no start or progress events,
  // half of what a thousand small files sent, even after a form's batch that showed progress).
  // Listeners get {type, detail}: a Map of Sets, not an EventTarget, as no event of this one
  // reaches the page (form.js dispatches its own). A type whose Set is empty is not heard.
  const heard = new Map();
  const events = {
    listen: (type, listener) => heard.set(type, (heard.get(type) || new Set()).add(listener)),
    unlisten: (type, listener) => heard.get(type)?.delete(listener),
  };
  const sources = new Map(); // batch id → requestPolicies(items) of its caller
  const api = { ...module.s3f.api(), ...attach?.(module.s3f) };
  // Without a source the uploads fail (later: the engine is still inside the call that asked).
  const refuse = (items) => queueMicrotask(() => items.forEach((item) => api.policyFail(item.upload, 400, api.str(''), api.str('no policy source'), 0)));
  // The engine reports error codes and numbers; each error gets its sentence in the page's language.
  const target = (type, detail) => {
    const { error, errors = [], file } = detail;
    if (error || errors.length) {  // the page's language, read once per event that needs it
      const lang = langOf();
      if (error) error.message = errorMessage(lang, { ...error, file });
      for (const each of errors) each.message = errorMessage(lang, each);
    }
    heard.get(type)?.forEach((listener) => listener({ type, detail }));
  };
  const hears = (type) => heard.get(type)?.size;
  Object.assign(module.s3f, { target, hears, requestPolicies: (batch, items) => (sources.get(batch) || refuse)(items) });
  return wrap(api, module.s3f, events, sources);
}

const READ = ['key', 'success_action_status', 'Content-Type'];

function wrap(api, state, events, sources) {
  const s = api.str;
  // The engine reads three fields (key, success_action_status, Content-Type: upload_queue.cpp);
  // the others stay here, beside the file's handle, for the port to put in the form as they
  // are (copying them into wasm memory and out again was a third of the page's string work).
  const policyFields = (policy, handle) => {
    const fields = Array.isArray(policy.fields) ? policy.fields : Object.entries(policy.fields || {});
    const held = [];
    for (const [name, value] of fields) {
      if (READ.includes(name)) api.policyField(s(name), s(value));
      else held.push([name, value]);
    }
    state.held.set(handle, held);
  };
  return {
    /** listen(type, listener) / unlisten(type, listener): listener({type, detail}) for each event of the type. */
    ...events,
    /** The File objects of batches not yet forgotten: none once every batch has ended. */
    files: state.files,
    /** How long a request may go unanswered, in ms: the stall time (default 30 s). */
    stallTime: () => options.stallTimeout || 30000,
    /** Page-wide options; they apply when the first upload starts the queue. */
    configure(given) {
      Object.assign(options, given);  // for the multipart engine, should the page switch
      const { concurrency = 0, progressInterval = 0, stallTimeout = 0, retryDelays, queueAhead = -1 } = given;
      api.configure(concurrency, progressInterval, stallTimeout, queueAhead);
      if (retryDelays) {
        api.retryDelaysClear();
        for (const ms of retryDelays) api.retryDelay(ms);
      }
    },
    /** The id the next enqueue returns (its first events can fire during the call). */
    nextBatch: api.nextBatch,
    /** items: [{file, input, policy?}] → id of the first upload (the others follow in order);
     *  the batch's id is nextBatch()'s. requestPolicies(items) serves policy-less files. */
    enqueue(items, requestPolicies) {
      const batch = api.nextBatch();
      if (requestPolicies) sources.set(batch, requestPolicies);
      for (const { file, input, policy, multipartUrl, multipartThreshold } of items) {
        const handle = nextHandle++;
        state.files.set(handle, file);
        api.batchFile(handle, file.size, s(file.name), s(typeOf(file)), s(input));
        if (multipartUrl) api.batchMultipart?.(s(multipartUrl), multipartThreshold || 0, file.lastModified);
        if (policy) {
          policyFields(policy, handle);
          api.batchPolicy(s(policy.url), s(policy.fileField || 'file'));
        }
      }
      return api.batchCommit();
    },
    /** item: one of requestPolicies(items)'s. */
    providePolicy({ upload, handle }, policy) {
      policyFields(policy, handle);
      api.policyCommit(upload, s(policy.url), s(policy.fileField || 'file'));
    },
    /** Fails a file's upload before it starts: `code` (default PolicyError) with `detail` and `limit`. */
    failPolicy: (upload, status, detail, code = '', limit = 0) => api.policyFail(upload, status, s(code), s(detail), limit),
    cancel: api.cancel,  // (upload)
    cancelBatch: api.cancelBatch,  // (batch)
    forget(batch) {
      sources.delete(batch);
      api.forget(batch);
    },
  };
}
