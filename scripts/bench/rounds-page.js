// The many-small-files rounds (issue 11's first target), run inside the bench page
// (smallfiles.mjs copies this file beside dist/ as /bench-rounds.js and makes
// /bench-rounds.html load it). Every contender uploads the same in-memory files to the same
// loopback sink, one after another, in alternating order; `window.benchRounds(run)` resolves
// with each contender's seconds per round and the policy requests it made per run.
//
// Either way of running it:
// - unattended, as a user's browser runs a page: Chromium opens
//   /bench-rounds.html#args=...&result=... with no DevTools attached, and this script POSTs what
//   benchRounds resolved with (or {error}) to `result` (unattended.mjs);
// - attached: Playwright loads the page and calls benchRounds (slow links, whose emulation is a
//   DevTools command).
//
// Contenders:
// - widget: the library's upload() with a policy URL (one batch request per run);
// - xhr6: XMLHttpRequest + FormData, six in flight; seed: the same with every request started
//   at once, as django-s3file's script did (the browser queues them per host); both get their
//   policies in one batch request from the same server;
// - uppy: Uppy 6 (@uppy/core + @uppy/aws-s3, shouldUseMultipart: false, six at a time), which
//   asks Companion's GET /s3/params once per file (s3file-server serves it);
// - element and dropin: the two form integrations, submit to final submission (viaForm).
(() => {
  // Policy requests per run: POST /api/policy, Uppy's GET /s3/params.
  let policyRequests = 0;
  const pageFetch = window.fetch;
  window.fetch = (resource, ...rest) => {
    const url = new URL(resource instanceof Request ? resource.url : resource, location.href);
    if (url.pathname === '/api/policy' || url.pathname === '/s3/params') policyRequests += 1;
    return pageFetch(resource, ...rest);
  };

  // Made once per size and used by every contender and round: in-memory files made anew for
  // each run outgrow Chromium's blob memory (ERR_BLOB_OUT_OF_MEMORY) before any is collected.
  const made = {};
  const filesOf = (count, size) => {
    if (!made[size] || made[size].length < count) {
      const bytes = new Uint8Array(size).fill(97);
      made[size] = Array.from({ length: count }, (_, i) => new File([bytes], `f${i}.txt`, { type: 'text/plain' }));
    }
    return made[size].slice(0, count);
  };

  // One request per 1,000 files, the batch endpoint's most, all sent together (as upload() asks).
  const policiesFor = async (list) => (await Promise.all(Array.from({ length: Math.ceil(list.length / 1000) }, async (_, i) =>
    (await (await fetch('/api/policy', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ files: list.slice(i * 1000, i * 1000 + 1000).map((f) => ({ name: f.name, size: f.size, type: f.type, field: 'file' })) }),
    })).json()).files))).flat();

  const post = (policy, file) => new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(policy.fields)) form.append(name, value);
    form.append('Content-Type', file.type);
    form.append('file', file);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', policy.url);
    xhr.upload.onprogress = () => {};  // as every contender reports progress
    xhr.onload = () => (xhr.status === 201 ? resolve() : reject(new Error(`HTTP ${xhr.status}`)));
    xhr.onerror = () => reject(new Error('network error'));
    xhr.send(form);
  });

  /** Seconds for one contender to store `count` files of `size` bytes; throws unless all are stored. */
  async function upload(method, count, size) {
    const files = filesOf(count, size);
    const started = performance.now();
    if (method === 'widget') {
      const { upload: widget } = await import('/s3file.js');
      const results = await widget(files, { policyUrl: '/api/policy' });
      if (results.length !== count) throw new Error('not every file stored');
    } else if (method === 'uppy') {
      const { Uppy, AwsS3 } = await import('/uppy-bench.js');
      const uppy = new Uppy().use(AwsS3, { companionEndpoint: location.origin, shouldUseMultipart: false, limit: 6 });
      uppy.addFiles(files.map((file) => ({ name: file.name, type: file.type, data: file })));
      const result = await uppy.upload();
      uppy.destroy();
      if (result.successful.length !== count) throw new Error(`Uppy stored ${result.successful.length} of ${count}: ${result.failed?.[0]?.error}`);
    } else if (method === 'xhr6') {
      const policies = await policiesFor(files);
      let next = 0;
      const lane = async () => { while (next < count) { const i = next++; await post(policies[i], files[i]); } };
      await Promise.all(Array.from({ length: 6 }, lane));
    } else if (method === 'seed') {
      const policies = await policiesFor(files);
      await Promise.all(files.map((file, i) => post(policies[i], file)));
    } else {
      throw new Error(`no contender ${method}`);
    }
    return (performance.now() - started) / 1000;
  }

  /**
   * Seconds from submit to the final native submission of a form with `count` files; throws on
   * any upload error.
   * - element: <s3-file policy-url="/api/policy"> around an <input type=file multiple>;
   * - dropin: the django-s3file drop-in, with the input exactly as the server renders it for
   *   Django's widget (/form: input.s3file with data-url, data-fields-* and data-s3f-signature:
   *   the policy comes with the page, one signed folder per input).
   * Both upload when the form is submitted and then submit it natively, once, with the keys
   * (web/form.js); the page intercepts that submission. The files are chosen (and the element's
   * rows drawn) before the clock starts, as a user chooses files before pressing Save. Each run
   * gets a new form: a form's session remembers what it stored and would not upload the same
   * File objects again.
   */
  async function viaForm(method, count, size) {
    const files = filesOf(count, size);
    await import('/s3file-element.js');  // defines <s3-file>; includes the drop-in (watchForms(document))
    const form = Object.assign(document.createElement('form'), { method: 'post', action: '/submit', enctype: 'multipart/form-data' });
    let input;
    if (method === 'element') {
      const host = document.createElement('s3-file');
      host.setAttribute('policy-url', '/api/policy');
      input = Object.assign(document.createElement('input'), { type: 'file', name: 'files', multiple: true });
      host.append(input);
      form.append(host);
    } else {
      viaForm.dropinMarkup ||= new DOMParser().parseFromString(await (await fetch('/form')).text(), 'text/html')
        .getElementById('id_multiple_file').outerHTML;
      form.innerHTML = viaForm.dropinMarkup;
      input = form.querySelector('input');
      input.removeAttribute('id');
    }
    const name = input.name;  // the drop-in takes the name off the file input while it submits
    const button = Object.assign(document.createElement('button'), { type: 'submit', name: 'save', value: 'save' });
    form.append(button);
    document.body.append(form);
    // Chosen as the picker chooses: the input's FileList, then input and change.
    const transfer = new DataTransfer();
    for (const file of files) transfer.items.add(file);
    input.files = transfer.files;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
    // The drop-in cancels the user's submit and later submits natively; only that last submit
    // event reaches window (after the drop-in's listener on document) not cancelled.
    let onSubmit;
    const submitted = new Promise((resolve, reject) => {
      onSubmit = (event) => {
        if (event.target !== form || event.defaultPrevented) return;
        event.preventDefault();  // stay on the page
        resolve({ at: performance.now(), keys: new FormData(form, event.submitter).getAll(name).length });
      };
      form.addEventListener('s3file:error', (event) => reject(new Error(`${method}: ${event.detail?.error?.message || 'upload error'}`)));
    });
    addEventListener('submit', onSubmit);
    const started = performance.now();
    form.requestSubmit(button);
    try {
      const { at, keys } = await submitted;
      if (keys !== count) throw new Error(`${method}: the form carried ${keys} keys for ${count} files`);
      return (at - started) / 1000;
    } finally {
      removeEventListener('submit', onSubmit);
      form.remove();
    }
  }

  /** {methods, count, size, rounds} → {seconds: {method: [per round]}, policyRequests: {method: most per run}}. */
  window.benchRounds = async ({ methods, count, size, rounds }) => {
    const seconds = Object.fromEntries(methods.map((m) => [m, []]));
    const requests = Object.fromEntries(methods.map((m) => [m, 0]));
    const once = async (method, n) => {
      const before = policyRequests;
      const took = await (method === 'element' || method === 'dropin' ? viaForm : upload)(method, n, size);
      requests[method] = Math.max(requests[method], policyRequests - before);
      return took;
    };
    for (const m of methods) await once(m, Math.min(count, 50));  // warm-up: engine, sockets
    for (let round = 0; round < rounds; round += 1) {
      const order = round % 2 ? [...methods].reverse() : methods;
      for (const m of order) seconds[m].push(await once(m, count));
    }
    return { seconds, policyRequests: requests };
  };

  const unattended = new URLSearchParams(location.hash.slice(1));
  if (unattended.has('result')) {
    window.benchRounds(JSON.parse(unattended.get('args')))
      .catch((error) => ({ error: String(error?.message || error) }))
      .then((result) => pageFetch(unattended.get('result'), { method: 'POST', body: JSON.stringify(result) }));
  }
})();
