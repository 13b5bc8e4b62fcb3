// Page state shared by browser_ports.js, and the engine's API for web/engine.js.
// MINIMAL_RUNTIME keeps exports in local variables; `api` hands them out once instantiated.
// held: a file handle's policy fields that stay in JS; web/engine.js adds target, hears and
// requestPolicies; detail is the event being built.
Module.s3f = {files: new Map(), held: new Map(), xhrs: new Map(), timers: new Map(), items: [], headers: [], fields: []};
// Copies a JS string into wasm memory as NUL-terminated UTF-8; the engine frees it. One
// encoder writes straight into the heap (a TextEncoder and an array per string cost some 20
// strings per file). Room for 3 bytes per UTF-16 unit, UTF-8's most; the engine frees it soon.
Module.s3f.encoder = new TextEncoder();
// ASCII goes in a loop: a tenth of encodeInto's time for a short string (0.06 us against 0.54).
Module.s3f.str = function (text) {
  text = text == null ? '' : String(text);
  var n = text.length, ptr = _malloc(n * 3 + 1), end = ptr, i = 0, c;  // before the view: memory growth replaces HEAPU8
  for (; i < n && (c = text.charCodeAt(i)) < 128; i++) HEAPU8[end++] = c;
  if (i < n) end = ptr + Module.s3f.encoder.encodeInto(text, HEAPU8.subarray(ptr, ptr + n * 3)).written;
  HEAPU8[end] = 0;
  return ptr;
};
// The engine's field names are C string literals: each is decoded once, then found by address.
Module.s3f.names = {};
Module.s3f.name = function (ptr) {
  return Module.s3f.names[ptr] || (Module.s3f.names[ptr] = UTF8ToString(ptr));
};
Module.s3f.api = function () {
  var str = Module.s3f.str;
  return {
    str: str,
    configure: _s3f_configure, retryDelaysClear: _s3f_retry_delays_clear, retryDelay: _s3f_retry_delay,
    batchFile: _s3f_batch_file, policyField: _s3f_policy_field, batchPolicy: _s3f_batch_policy,
    batchCommit: _s3f_batch_commit, nextBatch: _s3f_next_batch,
    policyCommit: _s3f_policy_commit, policyFail: _s3f_policy_fail, cancel: _s3f_cancel,
    cancelBatch: _s3f_cancel_batch,
    forget: _s3f_forget,
  };
};
