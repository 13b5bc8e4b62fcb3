// Page state shared by browser_ports.js, and the engine's API for web/s3file.js.
// MINIMAL_RUNTIME keeps exports in local variables; `api` hands them out once instantiated.
Module.s3f = {files: new Map(), xhrs: new Map(), timers: new Map(), target: null,
              requestPolicies: null, detail: null, items: [], headers: [], fields: []};
// Copies a JS string into wasm memory as NUL-terminated UTF-8; the engine frees it.
Module.s3f.str = function (text) {
  var bytes = new TextEncoder().encode(text == null ? '' : String(text));
  var ptr = _malloc(bytes.length + 1);
  HEAPU8.set(bytes, ptr);  // after _malloc: memory growth replaces HEAPU8
  HEAPU8[ptr + bytes.length] = 0;
  return ptr;
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
