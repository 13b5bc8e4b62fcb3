// import { upload } from 's3file.js': promises, AbortSignal, per-file errors.
import { test, expect, sha256 } from './fixtures.js';

test.beforeEach(async ({ page }) => {
  await page.goto('/');
});

test('upload() resolves with keys and ETags in file order', async ({ page, server }) => {
  const results = await page.evaluate(async () => {
    const { upload } = await import('/s3file.js');
    const files = [new File(['alpha'], 'a.txt', { type: 'text/plain' }), new File(['beta!'], 'b.txt', { type: 'text/plain' })];
    const ticks = [];
    const done = await upload(files, { policyUrl: '/api/policy', field: 'docs', onProgress: (d) => ticks.push(d.formProgress) });
    return { done: done.map(({ key, etag, signature, input }) => ({ key, etag, signature, input })), last: ticks.at(-1) };
  });
  expect(results.last).toBe(1);
  expect(results.done.map((r) => r.key.split('/').pop())).toEqual(['a.txt', 'b.txt']);
  expect(results.done[0].etag).toMatch(/^"[0-9a-f]{32}"$/);
  expect(results.done[0].signature).toHaveLength(43);
  expect(results.done[0].input).toBe('docs');
  expect(sha256(await server.object(`${server.storage}/s3file/${results.done[1].key}`))).toBe(sha256('beta!'));
});

test('names and keys keep every character through the engine, ASCII or not', async ({ page, server }) => {
  // Strings cross into and out of wasm memory: ASCII ones by a loop and fromCharCode, the
  // others by the TextEncoder and TextDecoder (src/wasm/pre.js, scripts/bundle.mjs). Each name
  // ends in a character of the other kind, or of four bytes, where a wrong turn would show.
  const names = ['plain ASCII ~!.txt', 'Übersicht – café.txt', '日本語 ☃ 😀.txt', 'x'.repeat(200) + 'é.txt', 'é' + 'y'.repeat(200) + '.txt'];
  const done = await page.evaluate(async (names) => {
    const { upload } = await import('/s3file.js');
    const files = names.map((name, i) => new File([`body ${i} ${name}`], name, { type: 'text/plain' }));
    const seen = [];
    const results = await upload(files, { policyUrl: '/api/policy', field: 'dokument-ü', onProgress: (d) => d.input && seen.push(d.input) });
    return { results: results.map(({ key, input, file }) => ({ key, input, name: file.name })), inputs: [...new Set(seen)] };
  }, names);
  expect(done.results.map((r) => r.key.split('/').pop())).toEqual(names);
  expect(done.results.map((r) => r.input)).toEqual(names.map(() => 'dokument-ü'));
  expect(done.inputs).toEqual(['dokument-ü']);
  for (const [i, { key }] of done.results.entries())
    expect((await server.stored(key.split('/').map(encodeURIComponent).join('/'))).body.toString()).toBe(`body ${i} ${names[i]}`);
});

test('upload() builds only the events someone listens for now; a listener of the page still hears its type', async ({ page }) => {
  await page.goto('/demo/library-only.html');  // a page with no listener of its own
  const seen = await page.evaluate(async () => {
    // The engine hands each event it builds to its type's listeners, held in a Set
    // (web/engine.js): every Set.forEach callback that is called with an event is counted.
    const built = {};
    const forEach = Set.prototype.forEach;
    Set.prototype.forEach = function (callback, ...rest) {
      return forEach.call(this, (value, ...more) => callback(typeof value !== 'function' ? value : (event, ...args) => {
        if (typeof event?.type === 'string' && event.detail) built[event.type] = (built[event.type] || 0) + 1;
        return value(event, ...args);
      }, ...more), ...rest);
    };
    const { upload, engine } = await import('/s3file.js');
    const files = (n, prefix = 'e') => Array.from({ length: n }, (_, i) => new File([`file ${i}`], `${prefix}${i}.txt`, { type: 'text/plain' }));
    await upload(files(3), { policyUrl: '/api/policy' });
    const alone = { ...built };
    const starts = [];
    const onStart = (e) => starts.push(e.detail.file.name);
    const eng = await engine();
    eng.listen('s3file:start', onStart);
    const ticks = [];
    await upload(files(2), { policyUrl: '/api/policy', onProgress: (d) => ticks.push(d.formProgress) });
    const after = { ...built };
    // Once nobody listens for a type any more, its events are not built again.
    eng.unlisten('s3file:start', onStart);
    for (const type of Object.keys(built)) delete built[type];
    await upload(files(3, 'r'), { policyUrl: '/api/policy' });
    return { alone, starts, lastTick: ticks.at(-1), after, again: built };
  });
  // Without onProgress or a listener: the successes and the end the promise needs, nothing else
  // (before: a start event per file and the progress ticks were built and dispatched too).
  expect(seen.alone).toEqual({ 's3file:success': 3, 's3file:complete': 1 });
  expect(seen.starts).toEqual(['e0.txt', 'e1.txt']);
  expect(seen.lastTick).toBe(1);
  expect(seen.after['s3file:start']).toBe(2);
  expect(seen.after.progress).toBeGreaterThan(0);
  // After a batch with onProgress and the page's start listener are gone: as alone again
  // (before: every type once listened for stayed built for the page's life).
  expect(seen.again).toEqual({ 's3file:success': 3, 's3file:complete': 1 });
});

test('a small file\'s request asks the browser for upload progress only when the page hears progress', async ({ page, server }) => {
  await page.goto('/demo/library-only.html');  // a page with no listener of its own
  const seen = await page.evaluate(async () => {
    // A listener on xhr.upload makes Chromium time and report the request's upload progress
    // (and forces a CORS preflight); the engine's transport sets upload.onprogress for it.
    let asked = 0;
    const onprogress = Object.getOwnPropertyDescriptor(XMLHttpRequestEventTarget.prototype, 'onprogress');
    Object.defineProperty(XMLHttpRequestEventTarget.prototype, 'onprogress', { ...onprogress, set(listener) {
      if (this instanceof XMLHttpRequestUpload) asked += 1;
      onprogress.set.call(this, listener);
    } });
    const { upload } = await import('/s3file.js');
    const count = async (files, options = {}) => {
      asked = 0;
      const done = await upload(files, { policyUrl: '/api/policy', ...options });
      return { asked, keys: done.map((r) => r.key) };
    };
    const small = (name) => new File([new Uint8Array(4096).fill(97)], name, { type: 'text/plain' });
    const quiet = await count([small('q1.txt'), small('q2.txt'), small('q3.txt')]);
    // Over 16 kB the progress is asked for anyway: the stall timer needs it on a slow link.
    const large = await count([new File([new Uint8Array(20000).fill(98)], 'large.txt', { type: 'text/plain' })]);
    const ticks = [];
    const heard = await count([small('h1.txt'), small('h2.txt')], { onProgress: (d) => ticks.push(d.formProgress) });
    // Once that batch has ended nothing hears progress: small files ask for none again.
    const quietAgain = await count([small('r1.txt'), small('r2.txt'), small('r3.txt')]);
    return { quiet, large, heard, quietAgain, lastTick: ticks.at(-1) };
  });
  expect(seen.quiet.asked).toBe(0);  // 3 before: every request asked for progress nobody heard
  expect(seen.large.asked).toBe(1);
  expect(seen.heard.asked).toBe(2);
  expect(seen.quietAgain.asked).toBe(0);  // 3 before: a type once listened for stayed heard
  expect(seen.lastTick).toBe(1);
  // Every file stored all the same, each with its bytes.
  expect(seen.quiet.keys.map((k) => k.split('/').pop())).toEqual(['q1.txt', 'q2.txt', 'q3.txt']);
  for (const key of seen.quiet.keys)
    expect(sha256(await server.object(`${server.storage}/s3file/${key}`))).toBe(sha256('a'.repeat(4096)));
  expect((await server.object(`${server.storage}/s3file/${seen.large.keys[0]}`)).length).toBe(20000);
});

test('more than 1,000 files: their policies come in requests of at most 1,000, and every file is stored', async ({ page, server }) => {
  // The batch endpoint takes 1 to 1,000 files per request (s3file-server answers 400 past
  // that): 1,001 files asked in one request all failed, "Could not get an upload policy".
  await page.goto('/demo/library-only.html');
  const done = await page.evaluate(async () => {
    const asked = [];
    const pageFetch = window.fetch;
    window.fetch = async (resource, init) => {
      if (String(resource).endsWith('/api/policy')) asked.push(JSON.parse(init.body).files.length);
      return pageFetch(resource, init);
    };
    const { upload } = await import('/s3file.js');
    const files = Array.from({ length: 1001 }, (_, i) => new File([`file ${i}`], `f${i}.txt`, { type: 'text/plain' }));
    const results = await upload(files, { policyUrl: '/api/policy' });
    window.fetch = pageFetch;
    return { asked, names: results.map((r) => r.key.split('/').pop()), keys: new Set(results.map((r) => r.key)).size, last: results.at(-1).key };
  });
  expect(done.asked).toEqual([1000, 1]);
  expect(done.names).toEqual(Array.from({ length: 1001 }, (_, i) => `f${i}.txt`));
  expect(done.keys).toBe(1001);
  expect((await server.object(`${server.storage}/s3file/${done.last}`)).toString()).toBe('file 1000');
});

test('the POST engine comes inside s3file.js, with no request of its own; the multipart engine streams in when the server sends application/wasm, and comes from its bytes otherwise', async ({ page, server }) => {
  const wasmRequests = [];
  page.on('request', (r) => { if (new URL(r.url()).pathname.endsWith('.wasm')) wasmRequests.push(new URL(r.url()).pathname); });
  const compiledBy = async (multipart) => page.evaluate(async (multipart) => {
    // Which of WebAssembly's compiles the engine used (the glue instantiates: compile and
    // compileStreaming would be a step before it), then an upload through it.
    const used = [];
    for (const name of ['compile', 'compileStreaming', 'instantiate', 'instantiateStreaming']) {
      const original = WebAssembly[name];
      WebAssembly[name] = function (...args) { used.push(name); return original.apply(this, args); };
    }
    const { engine, upload } = await import('/s3file.js');
    if (multipart) await engine(true);
    const [stored] = await upload(new File(['compiled'], 'c.txt', { type: 'text/plain' }), { policyUrl: '/api/policy' });
    return { used, key: stored.key };
  }, multipart);
  await page.goto('/demo/library-only.html');
  const carried = await compiledBy(false);
  expect(carried.used).toEqual(['instantiate']);
  expect(wasmRequests).toEqual([]);  // one .wasm request before s3file.js carried the engine
  await page.goto('/demo/library-only.html');
  const streaming = await compiledBy(true);
  expect(streaming.used).toEqual(['instantiateStreaming']);
  expect(wasmRequests).toEqual([expect.stringMatching(/^\/s3file-engine-mp-[0-9A-F]{8}\.wasm$/)]);
  // A static host that sends the .wasm as application/octet-stream: instantiateStreaming would
  // reject that type, so the engine instantiates from the bytes.
  await page.route(/\/s3file-engine-mp-[0-9A-F]{8}\.wasm$/, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-type': 'application/octet-stream' } });
  });
  await page.goto('/demo/library-only.html');
  const bytes = await compiledBy(true);
  expect(bytes.used).toEqual(['instantiate']);
  for (const { key } of [carried, streaming, bytes])
    expect(sha256(await server.object(`${server.storage}/s3file/${key}`))).toBe(sha256('compiled'));
});

test('upload() rejects with a per-file error list', async ({ page }) => {
  const failure = await page.evaluate(async () => {
    const { upload } = await import('/s3file.js');
    const big = new File([new Uint8Array(3 * 1024 * 1024)], 'big.bin', { type: 'application/octet-stream' });
    const ok = new File(['fine'], 'ok.txt', { type: 'text/plain' });
    try {
      await upload([ok, big], { policyUrl: '/api/policy' });
      return null;
    } catch (error) {
      return { name: error.name, errors: error.errors.map((e) => ({ name: e.file.name, code: e.code, message: e.message })) };
    }
  });
  // Refused by the policy server (its --max-size) before a byte was sent.
  expect(failure).toEqual({ name: 'UploadError', errors: [{ name: 'big.bin', code: 'FileTooLarge', message: 'big.bin is 3 MB; the largest file allowed is 2 MB.' }] });
});

test('an AbortSignal cancels the uploads', async ({ page, server }) => {
  await server.faults({ kind: 'delay', seconds: 5 });
  const failure = await page.evaluate(async () => {
    const { upload } = await import('/s3file.js');
    const controller = new AbortController();
    const pending = upload([new File(['slow'], 'slow.txt', { type: 'text/plain' })], { policyUrl: '/api/policy', signal: controller.signal });
    setTimeout(() => controller.abort(), 300);
    try {
      await pending;
      return null;
    } catch (error) {
      return error.errors.map((e) => e.code);
    }
  });
  expect(failure).toEqual(['Canceled']);
});

test('transient storage failures are retried until the upload succeeds', async ({ page, server }) => {
  await server.faults([{ kind: 'status', status: 503, retry_after: '1' }, { kind: 'reset', after_bytes: 200 },
                       { kind: 'status', status: 400 }]);
  const posts = await server.posts();
  const result = await page.evaluate(async () => {
    const { upload } = await import('/s3file.js');
    const [done] = await upload([new File(['x'.repeat(5000)], 'flaky.txt', { type: 'text/plain' })], { policyUrl: '/api/policy' });
    return done.key;
  });
  expect(result).toMatch(/flaky\.txt$/);
  expect(await server.posts()).toBe(posts + 4);
  expect(sha256(await server.object(`${server.storage}/s3file/${result}`))).toBe(sha256('x'.repeat(5000)));
});

test('D11: upload() takes a single File or a Blob as well as a list', async ({ page, server }) => {
  const keys = await page.evaluate(async () => {
    const { upload } = await import('/s3file.js');
    const [one] = await upload(new File(['single'], 'single.txt', { type: 'text/plain' }), { policyUrl: '/api/policy' });
    const [blob] = await upload(new Blob(['from a blob'], { type: 'text/plain' }), { policyUrl: '/api/policy', name: 'notes.txt' });
    const [unnamed] = await upload([new Blob(['x'], { type: 'text/plain' })], { policyUrl: '/api/policy' });
    return [one.key, blob.key, unnamed.key];
  });
  expect(keys.map((key) => key.split('/').pop())).toEqual(['single.txt', 'notes.txt', 'blob']);
  expect(sha256(await server.object(`${server.storage}/s3file/${keys[1]}`))).toBe(sha256('from a blob'));
});

test('D11: an abort before or during the upload rejects the same way: UploadError, code Canceled', async ({ page, server }) => {
  await server.faults({ kind: 'delay', seconds: 5 });
  const outcomes = await page.evaluate(async () => {
    const { upload } = await import('/s3file.js');
    const attempt = async (abortFirst) => {
      const controller = new AbortController();
      if (abortFirst) controller.abort();
      const pending = upload(new File(['x'], 'x.txt', { type: 'text/plain' }), { policyUrl: '/api/policy', signal: controller.signal });
      if (!abortFirst) setTimeout(() => controller.abort(), 300);
      try {
        await pending;
        return 'resolved';
      } catch (error) {
        return `${error.name} ${error.errors.map((e) => `${e.code}: ${e.message}`)}`;
      }
    };
    return [await attempt(true), await attempt(false)];
  });
  expect(outcomes).toEqual(['UploadError Canceled: The upload was canceled.', 'UploadError Canceled: The upload was canceled.']);
});

test('D11: importing the library installs no submit handler; the drop-in is its own entry', async ({ page }) => {
  await page.goto('/demo/library-only.html');
  const installed = await page.evaluate(async () => {
    await import('/s3file.js');
    return Boolean(document.s3fileWatching);
  });
  expect(installed).toBe(false);
});

test('storage\'s own EntityTooLarge (a policy used for a larger file than asked for) names the limit', async ({ page }) => {
  const failure = await page.evaluate(async () => {
    const { upload } = await import('/s3file.js');
    const response = await fetch('/api/policy', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ files: [{ name: 'big.bin', size: 10, type: 'application/octet-stream', field: 'file' }] }) });
    const { files: [policy] } = await response.json();
    const big = new File([new Uint8Array(3 * 1024 * 1024)], 'big.bin', { type: 'application/octet-stream' });
    try {
      await upload(big, { policies: [policy] });
      return null;
    } catch (error) {
      return error.errors.map((e) => [e.code, e.limit, e.message]);
    }
  });
  expect(failure).toEqual([['EntityTooLarge', 2 * 1024 * 1024, 'The file exceeds the maximum size of 2 MB.']]);
});

test('the engine\'s memory grows when a file asks for more than its first 16 MiB, and it goes on working', async ({ page }) => {
  const seen = await page.evaluate(async () => {
    // Every growth goes through WebAssembly.Memory.prototype.grow (src/wasm/browser_ports.js
    // replaces Emscripten's resize with one that grows by what is asked).
    const grown = [];
    const grow = WebAssembly.Memory.prototype.grow;
    WebAssembly.Memory.prototype.grow = function (pages) {
      grown.push(pages);
      return grow.call(this, pages);
    };
    const { upload } = await import('/s3file.js');
    // A name of 6 Mi characters: copied into wasm memory with room for 3 bytes each.
    const long = new File(['long'], `${'n'.repeat(6 * 1024 * 1024)}.txt`, { type: 'text/plain' });
    // Storage refuses a key that long: the upload fails with its reason, the page goes on.
    const first = await upload(long, { policyUrl: '/api/policy' }).then(() => 'stored', (e) => e.name);
    const after = await upload(new File(['after'], 'after.txt', { type: 'text/plain' }), { policyUrl: '/api/policy' });
    return { grown, first, after: after.map((r) => r.key.split('/').pop()) };
  });
  expect(seen.grown.length).toBeGreaterThan(0);
  expect(seen.first).toBe('UploadError');
  expect(seen.after).toEqual(['after.txt']);
});

test('upload() names a Blob "blob" when the name given is empty (the policy server refuses an empty name)', async ({ page, server }) => {
  await page.goto('/demo/library-only.html');
  const key = await page.evaluate(async () => {
    const { upload } = await import('/s3file.js');
    const [done] = await upload(new Blob(['unnamed']), { policyUrl: '/api/policy', name: '' });
    return done.key;
  });
  expect(key.split('/').pop()).toBe('blob');
  expect((await server.stored(key)).body.toString()).toBe('unnamed');
});
