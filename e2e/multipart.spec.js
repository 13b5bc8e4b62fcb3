// S3 multipart in the browser (the multipart engine, loaded on demand): upload() and <s3-file>
// against the server's Companion routes and the emulator's multipart API. A second server
// without --max-size (the shared one caps uploads at 2 MB); part sizes are the engine's 8 MiB
// minimum, files a few parts long, the threshold lowered per call. Every object is read back
// from the emulator and compared by SHA-256 with what the page chose.
import { createHash } from 'node:crypto';
import { mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, expectAccessible, installPatterned, patterned, sha256, startServer } from './fixtures.js';

const MiB = 1024 * 1024;
let second;

test.beforeAll(async () => { second = await startServer(); });
test.afterAll(async () => { await second?.stop(); });

async function faults(request, list) {
  const response = await request.post(`${second.app}/_faults`, { data: list });
  expect(response.status()).toBe(200);
}
const counters = async (request) => (await (await request.get(`${second.app}/_faults`)).json());
/** SHA-256 and size of what GET `url` returns, streamed (objects of hundreds of MiB). */
const streamedSha = (url) => new Promise((resolve, reject) => {
  get(url, (response) => {
    const hash = createHash('sha256');
    let size = 0;
    response.on('data', (chunk) => { hash.update(chunk); size += chunk.length; });
    response.on('end', () => resolve({ status: response.statusCode, size, sha256: hash.digest('hex') }));
  }).on('error', reject);
});

/** A file of `mib` MiB on disk (1 MiB of random bytes, each copy numbered); its path and SHA-256. */
function diskFile(mib, name) {
  const dir = mkdtempSync(join(tmpdir(), 's3file-mp-'));
  const path = join(dir, name);
  const block = Buffer.from(createHash('sha512').update(name).digest().toString('hex').repeat(8192));  // 1 MiB
  const hash = createHash('sha256');
  const fd = openSync(path, 'w');
  for (let i = 0; i < mib; i += 1) {
    block.writeUInt32BE(i, 0);
    writeSync(fd, block);
    hash.update(block);
  }
  closeSync(fd);
  return { path, sha256: hash.digest('hex'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

const stored = async (request, key) => Buffer.from(await (await request.get(`${second.storage}/s3file/${key}`)).body());

/** Defines window.makeFile(size, seed): a File of deterministic bytes with a fixed lastModified. */
async function openPage(page) {
  await page.goto(`${second.app}/demo/library-only.html`);
  await installPatterned(page);
  await page.evaluate(() => {
    window.makeFile = (size, seed, name = 'video.bin') =>
      new File([window.patterned(size, seed)], name, { type: 'application/octet-stream', lastModified: 1700000000000 + seed });
  });
}

/** The bytes of window.makeFile(size, seed). */
const expected = (size, seed) => Buffer.from(patterned(size, seed).buffer);

test('without the multipart engine upload() rejects with a clear error', async ({ page }) => {
  // Its .wasm is fetched when a file first needs it (s3file.js carries only the POST engine).
  await page.route(/\/s3file-engine-mp-[0-9A-F]{8}\.wasm$/, (route) => route.fulfill({ status: 404, body: '' }));
  await openPage(page);
  const message = await page.evaluate(async () => {
    const { upload } = await import('/s3file.js');
    return upload(window.makeFile(6 * 1024 * 1024, 4), { policyUrl: '/api/policy', multipartUrl: '/s3/multipart', multipartThreshold: 5 * 1024 * 1024 })
      .then(() => 'stored', (error) => error.message);
  });
  expect(message).toBe('s3file: could not load its engine (HTTP 404)');
});

test('a multipart engine that did not come once leaves the page its uploads, and comes the next time', async ({ page }) => {
  // Offline for a moment while the first large file was chosen: that file's upload fails, but
  // small files still upload, and the next large file fetches the multipart engine again (the
  // page kept the failed load as its engine, and every later upload failed with it).
  let refused = 0;
  await page.route(/\/s3file-engine-mp-[0-9A-F]{8}\.wasm$/, (route) => (refused++ ? route.continue() : route.fulfill({ status: 503, body: '' })));
  await openPage(page);
  const outcome = await page.evaluate(async () => {
    const { upload } = await import('/s3file.js');
    const options = { policyUrl: '/api/policy', multipartUrl: '/s3/multipart', multipartThreshold: 5 * 1024 * 1024 };
    const tried = (files) => upload(files, options).then((done) => done.map((d) => d.key.split('/').pop()), (error) => error.message);
    return [await tried(window.makeFile(6 * 1024 * 1024, 5)), await tried(window.makeFile(100, 6, 'small.bin')),
      await tried(window.makeFile(6 * 1024 * 1024, 7, 'large.bin'))];
  });
  expect(outcome).toEqual(['s3file: could not load its engine (HTTP 503)', ['small.bin'], ['large.bin']]);
  expect(refused).toBe(2);
});

test('upload() sends a file over the threshold in parts, each with Content-MD5, and completes it', async ({ page, request }) => {
  await openPage(page);
  const before = await counters(request);
  const result = await page.evaluate(async () => {
    const { upload } = await import('/s3file.js');
    const parts = [];
    const file = window.makeFile(20 * 1024 * 1024 + 5, 1);
    const engine = await (await import('/s3file.js')).engine(true);
    engine.listen('s3file:part', (e) => parts.push([e.detail.part, e.detail.partSize]));
    const [done] = await upload(file, { policyUrl: '/api/policy', multipartUrl: '/s3/multipart', multipartThreshold: 5 * 1024 * 1024 });
    return { key: done.key, etag: done.etag, signature: done.signature, parts: parts.sort((a, b) => a[0] - b[0]) };
  });
  // 8 MiB parts (the engine's minimum): 8 + 8 + 4 MiB and 5 bytes.
  expect(result.parts).toEqual([[1, 8 * MiB], [2, 8 * MiB], [3, 4 * MiB + 5]]);
  const after = await counters(request);
  expect(after.part_puts - before.part_puts).toBe(3);
  expect(sha256(await stored(request, result.key))).toBe(sha256(expected(20 * MiB + 5, 1)));
  expect(result.signature).toHaveLength(43);
});

test('configure({partSize}) sets the smallest part: 6 MiB parts instead of 8', async ({ page, request }) => {
  await openPage(page);
  const before = await counters(request);
  const result = await page.evaluate(async () => {
    const { upload, engine } = await import('/s3file.js');
    (await engine()).configure({ partSize: 6 * 1024 * 1024 });  // before the first upload
    const parts = [];
    (await engine(true)).listen('s3file:part', (e) => parts.push([e.detail.part, e.detail.partSize]));
    const [done] = await upload(window.makeFile(20 * 1024 * 1024 + 5, 7), { policyUrl: '/api/policy', multipartUrl: '/s3/multipart', multipartThreshold: 5 * 1024 * 1024 });
    return { key: done.key, etag: done.etag, parts: parts.sort((a, b) => a[0] - b[0]) };
  });
  expect(result.parts).toEqual([[1, 6 * MiB], [2, 6 * MiB], [3, 6 * MiB], [4, 2 * MiB + 5]]);
  expect(result.etag).toMatch(/^"[0-9a-f]{32}-4"$/);
  expect((await counters(request)).part_puts - before.part_puts).toBe(4);
  expect(sha256(await stored(request, result.key))).toBe(sha256(expected(20 * MiB + 5, 7)));
});

test('where Blob.stream() is no byte stream (WebKit), a default reader streams each part: same object', async ({ page, request }) => {
  await openPage(page);
  const result = await page.evaluate(async () => {
    // As in WebKit, whose Blob.stream() is no byte stream: getReader({mode: 'byob'}) throws.
    let byobAsked = 0;
    const getReader = ReadableStream.prototype.getReader;
    ReadableStream.prototype.getReader = function (options) {
      if (options?.mode === 'byob') { byobAsked += 1; throw new TypeError('byob unsupported'); }
      return getReader.call(this, options);
    };
    const { upload } = await import('/s3file.js');
    const [done] = await upload(window.makeFile(17 * 1024 * 1024 + 3, 8), { policyUrl: '/api/policy', multipartUrl: '/s3/multipart', multipartThreshold: 5 * 1024 * 1024 });
    return { key: done.key, etag: done.etag, byobAsked };
  });
  expect(result.byobAsked).toBe(3);  // one stream per part, each read by a default reader
  expect(result.etag).toMatch(/^"[0-9a-f]{32}-3"$/);
  expect(sha256(await stored(request, result.key))).toBe(sha256(expected(17 * MiB + 3, 8)));
});

test('a connection reset in the middle of part 2 sends only part 2 again', async ({ page, request }) => {
  await openPage(page);
  await faults(request, [{ kind: 'reset', part_number: 2, after_bytes: 4 * MiB }]);
  const before = await counters(request);
  const key = await page.evaluate(async () => {
    const { upload } = await import('/s3file.js');
    const [done] = await upload(window.makeFile(20 * 1024 * 1024, 2), { policyUrl: '/api/policy', multipartUrl: '/s3/multipart', multipartThreshold: 5 * 1024 * 1024 });
    return done.key;
  });
  const after = await counters(request);
  expect(after.part_puts - before.part_puts).toBe(4);
  expect((after.part_puts_by_number['2'] || 0) - (before.part_puts_by_number?.['2'] || 0)).toBe(2);
  expect(sha256(await stored(request, key))).toBe(sha256(expected(20 * MiB, 2)));
});

test('after a reload, choosing the same file again sends only the parts storage does not have', async ({ page, request }) => {
  await openPage(page);
  // Part 3 of the first attempt hangs; parts 1 and 2 are stored when the page goes away.
  await faults(request, [{ kind: 'stall', part_number: 3, after_bytes: 1000, seconds: 30 }]);
  await page.evaluate(async () => {
    const { upload, engine } = await import('/s3file.js');
    const eng = await engine(true);
    let parts = 0;
    const twoStored = new Promise((resolve) => eng.listen('s3file:part', () => (++parts === 2 ? resolve() : 0)));
    upload(window.makeFile(24 * 1024 * 1024, 3), { policyUrl: '/api/policy', multipartUrl: '/s3/multipart', multipartThreshold: 5 * 1024 * 1024 }).catch(() => {});
    await twoStored;
  });
  await page.reload();
  await request.delete(`${second.app}/_faults`);  // ends the hanging part
  await openPage(page);
  const before = await counters(request);
  const key = await page.evaluate(async () => {
    const { upload } = await import('/s3file.js');
    const [done] = await upload(window.makeFile(24 * 1024 * 1024, 3), { policyUrl: '/api/policy', multipartUrl: '/s3/multipart', multipartThreshold: 5 * 1024 * 1024 });
    return done.key;
  });
  const after = await counters(request);
  expect(after.part_puts - before.part_puts).toBe(1);  // part 3 only
  expect(sha256(await stored(request, key))).toBe(sha256(expected(24 * MiB, 3)));
});

test('<s3-file multipart-url>: pause keeps the stored parts, resume sends the rest, the form is submitted', async ({ page, request }) => {
  await page.goto(`${second.app}/demo/bare.html`);
  await page.locator('s3-file').evaluate((host) => {
    host.setAttribute('multipart-url', '/s3/multipart');
    host.setAttribute('multipart-threshold', '5MB');
  });
  // Part 2 hangs until the page pauses; the paused upload then resumes without it hanging.
  await faults(request, [{ kind: 'stall', part_number: 2, after_bytes: 1000, seconds: 30 }]);
  const before = await counters(request);
  await page.evaluate(() => {
    window.partsStored = 0;
    document.addEventListener('s3file:part', () => { window.partsStored += 1; }, true);
  });
  await page.setInputFiles('#files', { name: 'movie.bin', mimeType: 'application/octet-stream', buffer: expected(17 * MiB, 4) });
  const row = page.locator('s3-file .file');
  const submitted = page.waitForResponse((r) => r.url().endsWith('/submit'));
  await page.click('form button');
  // Parts 1 and 3 stored and part 2 hanging at storage (its PUT counted): then pause. Waits are
  // bounded generously: hashing and sending 17 MiB takes longer on a loaded machine.
  await expect.poll(() => page.evaluate(() => window.partsStored), { timeout: 30_000 }).toBe(2);
  await expect.poll(async () => (await counters(request)).part_puts_by_number['2'] || 0, { timeout: 30_000 })
    .toBeGreaterThan(before.part_puts_by_number?.['2'] || 0);
  const shot = (state) => process.env.S3FILE_SCREENSHOTS &&
    page.locator('form').screenshot({ path: `docs/screenshots/multipart-${state}-light-1280.png`, animations: 'disabled' });
  await shot('uploading');
  await row.getByRole('button', { name: 'Pause upload of movie.bin' }).click();
  await expect(row).toHaveAttribute('data-state', 'paused');
  await expect(row.locator('.status')).toHaveText('Paused');
  await shot('paused');
  await request.delete(`${second.app}/_faults`);
  await row.getByRole('button', { name: 'Resume upload of movie.bin' }).click();
  const json = await (await submitted).json();
  const [entry] = json.files.files;
  expect(sha256(await stored(request, entry.key))).toBe(sha256(expected(17 * MiB, 4)));
  const after = await counters(request);
  // Three parts stored, each once; part 2's hanging attempt was the one extra PUT.
  expect(after.part_puts - before.part_puts).toBe(4);
});

test('canceling a multipart upload aborts it: no object, and the upload id is gone', async ({ page, request }) => {
  await openPage(page);
  await faults(request, [{ kind: 'stall', part_number: 2, after_bytes: 1000, seconds: 30 }]);
  const outcome = await page.evaluate(async () => {
    const { upload, engine } = await import('/s3file.js');
    const eng = await engine(true);
    const controller = new AbortController();
    let created = null;
    eng.listen('s3file:part', () => controller.abort());
    const original = window.fetch;
    window.fetch = async (url, init) => {
      const response = await original(url, init);
      if (String(url).endsWith('/s3/multipart') && init?.method === 'POST') created = await response.clone().json();
      return response;
    };
    try {
      await upload(window.makeFile(20 * 1024 * 1024, 5), { policyUrl: '/api/policy', multipartUrl: '/s3/multipart', multipartThreshold: 5 * 1024 * 1024, signal: controller.signal });
      return null;
    } catch (error) {
      return { codes: error.errors.map((e) => e.code), created };
    }
  });
  expect(outcome.codes).toEqual(['Canceled']);
  await request.delete(`${second.app}/_faults`);
  const { key, uploadId } = outcome.created;
  await expect.poll(async () => (await request.get(`${second.app}/s3/multipart/${encodeURIComponent(uploadId)}?key=${encodeURIComponent(key)}`)).status()).toBe(404);
  expect((await request.get(`${second.storage}/s3file/${key}`)).status()).toBe(404);
});

test('a Companion route that never answers is given up after the stall time and asked again', async ({ page, request }) => {
  await openPage(page);
  // The first sign call is taken and never answered (a hung app server); the rest pass.
  let hung = 0;
  await page.route('**/s3/multipart/*/batch?*', (route) => (hung++ ? route.continue() : undefined));
  const result = await page.evaluate(async () => {
    const { upload, engine } = await import('/s3file.js');
    (await engine(true)).configure({ stallTimeout: 2000, retryDelays: [100] });  // 2 s keeps the test short
    const [done] = await upload(window.makeFile(10 * 1024 * 1024, 9), { policyUrl: '/api/policy', multipartUrl: '/s3/multipart', multipartThreshold: 5 * 1024 * 1024 });
    return done.key;
  });
  // Before: the upload waited on the first call for good.
  expect(hung).toBe(2);
  expect(sha256(await stored(request, result))).toBe(sha256(expected(10 * MiB, 9)));
});

test('a part whose Content-MD5 does not match its bytes is refused (BadDigest)', async ({ request }) => {
  const created = await (await request.post(`${second.app}/s3/multipart`, { data: { filename: 'x.bin', type: 'application/octet-stream', metadata: {} } })).json();
  const query = `key=${encodeURIComponent(created.key)}`;
  const { url } = await (await request.get(`${second.app}/s3/multipart/${encodeURIComponent(created.uploadId)}/1?${query}`)).json();
  const body = Buffer.from('the part');
  const wrong = await request.put(url, { data: body, headers: { 'Content-MD5': Buffer.alloc(16, 1).toString('base64') } });
  expect(wrong.status()).toBe(400);
  expect(await wrong.text()).toContain('<Code>BadDigest</Code>');
  const right = await request.put(url, { data: body, headers: { 'Content-MD5': (await import('node:crypto')).createHash('md5').update(body).digest('base64') } });
  expect(right.status()).toBe(200);
});

test('the drop-in with data-s3f-multipart-url: a 300 MiB disk file in parts, a reset in the middle of part 3 sends only part 3 again', async ({ page, request }) => {
  test.setTimeout(180_000);
  const big = diskFile(300, 'archive-300.bin');
  try {
    await page.goto(`${second.app}/form`);
    // A POST policy capped at 200 MiB, as a Django app might sign: a file of 300 MiB with a
    // multipart URL goes in parts, so the POST's cap is not its limit (no refusal on choice).
    await page.locator('#id_file').evaluate((input) => {
      input.dataset.s3fMultipartUrl = '/s3/multipart';
      input.dataset.fieldsPolicy = btoa(JSON.stringify({ conditions: [['content-length-range', 0, 200 * 1024 * 1024]] }));
    });
    await faults(request, [{ kind: 'reset', part_number: 3, after_bytes: 4 * MiB }]);
    const before = await counters(request);
    await page.setInputFiles('#id_file', big.path);
    await expect(page.locator('#id_file')).not.toHaveAttribute('aria-invalid', 'true');
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/submit'), { timeout: 170_000 }), page.click('#save')]);
    expect(response.status()).toBe(201);
    const [entry] = (await response.json()).files.file;
    const after = await counters(request);
    // 300 MiB in 8 MiB parts: 38 parts, part 3 twice.
    expect(after.part_puts - before.part_puts).toBe(39);
    expect((after.part_puts_by_number['3'] || 0) - (before.part_puts_by_number?.['3'] || 0)).toBe(2);
    expect(await streamedSha(`${second.storage}/s3file/${entry.key}`)).toEqual({ status: 200, size: 300 * MiB, sha256: big.sha256 });
  } finally {
    big.remove();
  }
});

test('<s3-file>: Pause all pauses every file uploading in parts; Resume all sends the rest', async ({ page, request }) => {
  await page.goto(`${second.app}/demo/bare.html`);
  await page.locator('s3-file').evaluate((host) => {
    host.setAttribute('multipart-url', '/s3/multipart');
    host.setAttribute('multipart-threshold', '5MB');
  });
  // Each file's part 2 hangs until Pause all; the parts stored by then are not sent again.
  await faults(request, [{ kind: 'stall', part_number: 2, after_bytes: 1000, seconds: 30 },
                         { kind: 'stall', part_number: 2, after_bytes: 1000, seconds: 30 }]);
  await page.evaluate(() => {
    window.partsStored = 0;
    document.addEventListener('s3file:part', () => { window.partsStored += 1; }, true);
  });
  const before = await counters(request);
  await page.setInputFiles('#files', [{ name: 'a.bin', mimeType: 'application/octet-stream', buffer: expected(9 * MiB, 6) },
                                      { name: 'b.bin', mimeType: 'application/octet-stream', buffer: expected(9 * MiB, 7) }]);
  const submitted = page.waitForResponse((r) => r.url().endsWith('/submit'));
  await page.click('form button');
  await expect.poll(() => page.evaluate(() => window.partsStored), { timeout: 30_000 }).toBe(2);  // part 1 of each
  // …and each file's part 2 hanging at storage (both PUTs counted), so each is sent again once.
  await expect.poll(async () => (await counters(request)).part_puts_by_number['2'] || 0, { timeout: 30_000 })
    .toBe((before.part_puts_by_number?.['2'] || 0) + 2);
  const all = page.locator('s3-file').getByRole('button', { name: 'Pause all' });
  await all.click();
  await expect(page.locator('s3-file .file[data-state=paused]')).toHaveCount(2);
  if (process.env.S3FILE_SCREENSHOTS)
    await page.locator('form').screenshot({ path: 'docs/screenshots/multipart-paused-all-light-1280.png', animations: 'disabled' });
  await expectAccessible(page, 'every file paused');
  await request.delete(`${second.app}/_faults`);
  await page.locator('s3-file').getByRole('button', { name: 'Resume all' }).click();
  const json = await (await submitted).json();
  expect(json.files.files.map((f) => f.name)).toEqual(['a.bin', 'b.bin']);
  for (const [index, seed] of [[0, 6], [1, 7]])
    expect(sha256(await stored(request, json.files.files[index].key))).toBe(sha256(expected(9 * MiB, seed)));
  // 2 parts per file, each stored once, plus the two hanging attempts of part 2.
  expect((await counters(request)).part_puts - before.part_puts).toBe(6);
});
