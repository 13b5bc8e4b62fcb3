// Page state shared by browser_ports.js, and the engine's API for web/s3file.js.
// MINIMAL_RUNTIME keeps exports in local variables; `api` hands them out once instantiated.
Module.s3f = {files: new Map(), xhrs: new Map(), timers: new Map(), target: null,
              requestPolicies: null, detail: null, items: []};
Module.s3f.api = function () {
  // Copies a JS string into wasm memory; the engine takes ownership and frees it.
  var str = function (text) {
    text = text == null ? '' : String(text);
    var size = lengthBytesUTF8(text) + 1;
    var ptr = _malloc(size);
    stringToUTF8(text, ptr, size);
    return ptr;
  };
  return {
    str: str,
    configure: _s3f_configure, retryDelaysClear: _s3f_retry_delays_clear, retryDelay: _s3f_retry_delay,
    batchFile: _s3f_batch_file, policyField: _s3f_policy_field, batchPolicy: _s3f_batch_policy,
    batchCommit: _s3f_batch_commit, nextBatch: _s3f_next_batch, batchFirstUpload: _s3f_batch_first_upload,
    policyCommit: _s3f_policy_commit, policyFail: _s3f_policy_fail, cancel: _s3f_cancel,
    cancelBatch: _s3f_cancel_batch, cancelAll: _s3f_cancel_all, retryFailed: _s3f_retry_failed,
    forget: _s3f_forget,
  };
};
