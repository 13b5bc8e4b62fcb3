// S3 multipart in the browser (the multipart engine, loaded on demand): upload() and <s3-file>
// against the server's Companion routes and the emulator's multipart API. A second server
// without --max-size (the shared one caps uploads at 2 MB); part sizes are the engine's 8 MiB
// minimum, files a few parts long, the threshold lowered per call. Every object is read back
// from the emulator and compared by SHA-256 with what the page chose.
import { test, expect, sha256, startServer } from './fixtures.js';

const MiB = 1024 * 1024;
let second;

test.beforeAll(async () => { second = await startServer(); });
test.afterAll(async () => { await second?.stop(); });

async function faults(request, list) {
  const response = await request.post(`${second.app}/_faults`, { data: list });
  expect(response.status()).toBe(200);
}
const counters = async (request) => (await (await request.get(`${second.app}/_faults`)).json());
const stored = async (request, key) => Buffer.from(await (await request.get(`${second.storage}/s3file/${key}`)).body());

/** Defines window.makeFile(size, seed): a File of deterministic bytes with a fixed lastModified. */
async function openPage(page) {
  await page.goto(`${second.app}/demo/library-only.html`);
  await page.evaluate(() => {
    window.makeFile = (size, seed, name = 'video.bin') => {
      const bytes = new Uint8Array(size);
      let x = seed;
      for (let i = 0; i < size; i += 4) { x = (Math.imul(x, 1103515245) + 12345) >>> 0; bytes[i] = x >>> 24; }
      return new File([bytes], name, { type: 'application/octet-stream', lastModified: 1700000000000 + seed });
    };
  });
}

const expected = (size, seed) => {
  const bytes = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i < size; i += 4) { x = (Math.imul(x, 1103515245) + 12345) >>> 0; bytes[i] = x >>> 24; }
  return bytes;
};

test('upload() sends a file over the threshold in parts, each with Content-MD5, and completes it', async ({ page, request }) => {
  await openPage(page);
  const before = await counters(request);
  const result = await page.evaluate(async () => {
    const { upload } = await import('/s3file.js');
    const parts = [];
    const file = window.makeFile(20 * 1024 * 1024 + 5, 1);
    const engine = await (await import('/s3file.js')).engine(true);
    engine.events.addEventListener('s3file:part', (e) => parts.push([e.detail.part, e.detail.partSize]));
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
    const twoStored = new Promise((resolve) => eng.events.addEventListener('s3file:part', () => (++parts === 2 ? resolve() : 0)));
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
  const row = page.locator('s3-file li.file');
  const submitted = page.waitForResponse((r) => r.url().endsWith('/submit'));
  await page.click('form button');
  // Parts 1 and 3 stored (part 2 hangs): then pause.
  await expect.poll(() => page.evaluate(() => window.partsStored)).toBe(2);
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
    eng.events.addEventListener('s3file:part', () => controller.abort());
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
