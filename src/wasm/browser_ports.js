// Browser side of the engine's ports (an Emscripten JS library, linked with --js-library).
// Each function converts arguments, calls one browser API, and returns. Module.s3f (pre.js)
// holds the page's state: File objects by handle, in-flight XHRs and timers, and the functions
// that deliver events to the page's listeners (target and hears, set by web/engine.js).
mergeInto(LibraryManager.library, {
  // The request's headers and form fields, one call each, just before s3f_js_send.
  s3f_js_header: function (name, value) { Module.s3f.headers.push([UTF8ToString(name), UTF8ToString(value)]); },
  s3f_js_field: function (name, value) { Module.s3f.fields.push([UTF8ToString(name), UTF8ToString(value)]); },
  // A form (fileField given) goes as a FormData, the browser's own multipart/form-data encoder
  // (boundary, escaping, Content-Type): half the main-thread time of a Blob assembled from the
  // encoded strings and the File, which made many small files slower than a plain loop. A part
  // is the file's slice alone. Either way the bytes stream from disk, never copied here.
  s3f_js_send: function (request, method, url, file, offset, length, fileField, filename) {
    var s3f = Module.s3f, xhr = new XMLHttpRequest();
    xhr.open(s3f.name(method), UTF8ToString(url));  // the method is a literal: decoded once
    s3f.headers.forEach(function (h) { xhr.setRequestHeader(h[0], h[1]); });
    s3f.headers = [];
    // Upload progress only when the page hears it or the body is over 16 kB: without a
    // listener on xhr.upload, Chromium keeps no progress timer and sends no progress messages
    // for the request, nor a CORS preflight (1,000 x 4 KiB with upload(): 1.03, one A/B each way).
    // A smaller body's progress tells nothing its reply does not: even at 9.6 kbit/s it is sent
    // in 14 s, within the stall timeout, which then runs from the send. Late events of an
    // aborted request are the engine's to ignore (it knows its requests).
    if (length > 16e3 || s3f.hears('progress'))
      xhr.upload.onprogress = function (e) { _s3f_on_progress(request, e.loaded, e.total); };
    // One handler for the end, whichever it is: status 0 is a network error (no timeout is set:
    // the engine's stall rule is it), and an aborted request was already dropped from xhrs.
    xhr.onloadend = function () {
      if (!s3f.xhrs.delete(request)) return;
      s3f.reply = xhr;  // whose headers s3f_js_response_header reads during the call
      _s3f_on_response(request, xhr.status, s3f.str(xhr.status ? xhr.responseText : ''));
    };
    s3f.xhrs.set(request, xhr);
    var body = s3f.files.get(file), fields = s3f.fields, i;
    s3f.fields = [];
    fileField = UTF8ToString(fileField);
    if (fileField) {
      var form = new FormData(), held = s3f.held.get(file) || [];
      // The policy's fields kept in JS (web/engine.js), then the engine's: key, status, type.
      for (i = 0; i < held.length; i++) form.append(held[i][0], held[i][1]);
      for (i = 0; i < fields.length; i++) form.append(fields[i][0], fields[i][1]);
      form.append(fileField, body, UTF8ToString(filename));  // the name the widget chose
      body = form;
    } else if (offset || length < body.size) {
      body = body.slice(offset, offset + length);  // a whole file goes as it is: one blob less to register
    }
    xhr.send(body);
  },

  // A header of the reply being delivered, when the engine asks (most replies need none).
  // getAllResponseHeaders lists only CORS-exposed headers, without console errors; one
  // "name: value" per line, names in any case.
  s3f_js_response_header: function (name) {
    return Module.s3f.str((RegExp('^' + UTF8ToString(name) + ': *(.*)', 'im').exec(Module.s3f.reply.getAllResponseHeaders()) || [])[1]);
  },

  s3f_js_abort: function (request) {
    var xhr = Module.s3f.xhrs.get(request);
    if (!xhr) return;
    Module.s3f.xhrs.delete(request);
    xhr.abort();
  },

  s3f_js_timer_start: function (timer, delay) {
    Module.s3f.timers.set(timer, setTimeout(function () {
      Module.s3f.timers.delete(timer);
      _s3f_on_timer(timer);
    }, delay));
  },

  s3f_js_timer_cancel: function (timer) {
    clearTimeout(Module.s3f.timers.get(timer));
    Module.s3f.timers.delete(timer);
  },

  s3f_js_now: function () { return performance.now(); },

  // Replaces Emscripten's: memory grows by what emmalloc asks, in 64 KiB pages. The heap stays
  // within its first 16 MiB (npm run bench: before and after a thousand files and a 1 GiB
  // upload), so growing ahead by a fifth, and the retries at smaller steps, were bytes every
  // page downloaded for nothing.
  emscripten_resize_heap: function (size) {
    try {
      wasmMemory.grow(size - buffer.byteLength + 65535 >>> 16);  // size < 2 GiB, the heap's most
      updateGlobalBufferAndViews(wasmMemory.buffer);
      return 1;
    } catch (e) {}
  },
  s3f_js_epoch: function () { return Date.now(); },

  // Streams [offset, offset + length) of a file in chunks of `chunk` bytes for a part's
  // Content-MD5: one Blob.slice().stream() per part, read into a pooled buffer (Blob.arrayBuffer()
  // per chunk put a fresh 1 MiB ArrayBuffer on the JS heap each time, +53 MiB during a 256 MiB
  // upload, and a stream per chunk read 3x slower). A BYOB reader fills the buffer itself; where
  // Blob.stream() is no byte stream (WebKit), a default reader's chunks are copied into it. Each
  // full chunk is copied into wasm memory (freed by the engine); the next is read only once the
  // engine has returned.
  s3f_js_read: function (id, file, offset, length, chunk) {
    var s3f = Module.s3f, reads = s3f.reads = s3f.reads || new Map(), pool = s3f.readBuffers = s3f.readBuffers || [];
    var stream = s3f.files.get(file).slice(offset, offset + length).stream();
    var byob = true, reader;
    try { reader = stream.getReader({mode: 'byob'}); } catch (e) { byob = false; reader = stream.getReader(); }
    var buffer = pool.pop();
    if (!buffer || buffer.byteLength < chunk) buffer = new ArrayBuffer(chunk);
    var sent = 0, filled = 0, rest = null;  // rest: what a default reader gave beyond the chunk
    var want = function () { return Math.min(chunk, length - sent); };
    var fail = function () { if (reads.delete(id)) _s3f_read_done(id, 0, 0); };
    var pump = function () {
      while (rest && filled < want()) {
        var take = Math.min(rest.byteLength, want() - filled);
        new Uint8Array(buffer, filled, take).set(rest.subarray(0, take));
        filled += take;
        rest = take < rest.byteLength ? rest.subarray(take) : null;
      }
      if (filled === want()) {
        var ptr = _malloc(filled || 1);
        HEAPU8.set(new Uint8Array(buffer, 0, filled), ptr);  // after _malloc: memory growth replaces HEAPU8
        sent += filled;
        _s3f_read_done(id, ptr, filled);
        filled = 0;
        if (reads.has(id) && sent < length) return pump();
        // Done, or canceled by the engine meanwhile: no read is pending, the buffer is free again.
        if (reads.get(id) === reader) {
          reads.delete(id);
          reader.cancel().catch(function () {});
        }
        return pool.push(buffer);
      }
      (byob ? reader.read(new Uint8Array(buffer, filled, want() - filled)) : reader.read()).then(function (result) {
        if (!reads.has(id)) return;  // canceled while reading: the buffer goes with the reader
        if (byob) {
          buffer = result.value.buffer;  // each read transfers the buffer; this view holds it now
          filled += result.value.byteLength;
        } else if (result.value) {
          rest = result.value;
        }
        if (result.done && filled < want() && !rest) return fail();  // the file shrank since it was chosen
        pump();
      }, fail);
    };
    reads.set(id, reader);
    pump();
  },

  s3f_js_read_cancel: function (id) {
    var reader = Module.s3f.reads && Module.s3f.reads.get(id);
    if (!reader) return;
    Module.s3f.reads.delete(id);
    reader.cancel().catch(function () {});
  },

  // The multipart API and the resume store: Module.s3f.multipart / .resume, provided by web/
  // (shapes in exports.cpp). Strings are copied out here; answers come back through s3f_mp_*.
  s3f_js_mp_create: function (call, endpoint, file, input) {
    Module.s3f.multipart.create(call, UTF8ToString(endpoint), Module.s3f.files.get(file), UTF8ToString(input));
  },
  s3f_js_mp_sign: function (call, endpoint, key, uploadId, numbers) {
    Module.s3f.multipart.sign(call, UTF8ToString(endpoint), UTF8ToString(key), UTF8ToString(uploadId),
                              UTF8ToString(numbers).split(',').map(Number));
  },
  s3f_js_mp_list: function (call, endpoint, key, uploadId) {
    Module.s3f.multipart.list(call, UTF8ToString(endpoint), UTF8ToString(key), UTF8ToString(uploadId));
  },
  s3f_js_mp_complete: function (call, endpoint, key, uploadId, parts) {
    parts = UTF8ToString(parts).split('\n').filter(Boolean).map(function (line) {
      var space = line.indexOf(' ');
      return {PartNumber: +line.slice(0, space), ETag: line.slice(space + 1)};
    });
    Module.s3f.multipart.complete(call, UTF8ToString(endpoint), UTF8ToString(key), UTF8ToString(uploadId), parts);
  },
  s3f_js_mp_abort: function (endpoint, key, uploadId) {
    Module.s3f.multipart.abort(UTF8ToString(endpoint), UTF8ToString(key), UTF8ToString(uploadId));
  },
  s3f_js_resume_load: function (call, fingerprint) { Module.s3f.resume.load(call, UTF8ToString(fingerprint)); },
  s3f_js_resume_save: function (fingerprint, uploadId, key, signature, partSize, created) {
    Module.s3f.resume.save(UTF8ToString(fingerprint), {uploadId: UTF8ToString(uploadId), key: UTF8ToString(key),
                           signature: UTF8ToString(signature), partSize: partSize, created: created});
  },
  s3f_js_resume_remove: function (fingerprint) { Module.s3f.resume.remove(UTF8ToString(fingerprint)); },

  s3f_js_random: function () { return crypto.getRandomValues(new Uint32Array(1))[0]; },

  // 0: nothing listens for `type` (Module.s3f.hears, from web/engine.js), so no detail is built.
  s3f_js_event_begin: function (type) {
    var s3f = Module.s3f;
    if (!s3f.hears(s3f.name(type))) return 0;
    s3f.detail = {};
    return 1;
  },
  s3f_js_event_number: function (name, value) { Module.s3f.detail[Module.s3f.name(name)] = value; },
  s3f_js_event_string: function (name, value) {
    Module.s3f.detail[Module.s3f.name(name)] = UTF8ToString(value);
  },
  s3f_js_event_file: function (name, file) {
    Module.s3f.detail[Module.s3f.name(name)] = Module.s3f.files.get(file);
  },
  // {code, detail, status, limit}: the page words it from its message table.
  s3f_js_event_error: function (upload, file, input, code, detail, status, limit) {
    var error = {code: UTF8ToString(code), detail: UTF8ToString(detail), status: status, limit: limit};
    var event = Module.s3f.detail;  // the event's detail being built
    if (!upload) { event.error = error; return; }
    error.upload = upload;
    error.file = Module.s3f.files.get(file);
    error.input = UTF8ToString(input);
    (event.errors = event.errors || []).push(error);
  },
  s3f_js_event_dispatch: function (type) { Module.s3f.target(Module.s3f.name(type), Module.s3f.detail); },

  s3f_js_policy_item: function (upload, file, input) {
    Module.s3f.items.push({upload: upload, handle: file, file: Module.s3f.files.get(file), input: UTF8ToString(input)});
  },
  s3f_js_policy_request: function (batch) {
    var items = Module.s3f.items;
    Module.s3f.items = [];
    Module.s3f.requestPolicies(batch, items);
  },

  s3f_js_release: function (file) {
    Module.s3f.files.delete(file);
    Module.s3f.held.delete(file);
  },
});
