// Storage faults end to end, one test per case: whatever goes wrong on the way to S3, every file
// ends up stored exactly once with the right bytes, and the form is submitted exactly once.
import { test, expect, file, submitAndRead, watchTraffic, expectStoredOnce, startServer, readStored } from './fixtures.js';

// Every s3file:retry and s3file:error the page dispatches, across navigations.
async function recordEvents(page) {
  const events = [];
  await page.exposeFunction('s3fileRecord', (event) => events.push(event));
  await page.addInitScript(() => {
    for (const type of ['s3file:retry', 's3file:error'])
      document.addEventListener(type, (e) => window.s3fileRecord({
        type, file: e.detail.file.name, delay: e.detail.retryDelay, code: e.detail.error?.code }));
  });
  return events;
}

/** /form with the traffic log and the event record; `options` go to engine().configure. */
async function openForm(page, server, options) {
  const events = await recordEvents(page);
  const log = watchTraffic(page, server.storage);
  await page.goto('/form');
  if (options) await page.evaluate(async (o) => (await (await import('/s3file.js')).engine()).configure(o), options);
  return { events, log };
}

// Bytes of the upload's form parts as the emulator counts them for after_bytes: every field value
// (the key with the file name put in, as the widget does), then the file. Multipart framing is not
// counted, so an offset of exactly this many bytes is the body's last byte.
async function partBytes(page, selector, chosen) {
  const values = await page.locator(selector).evaluate((input) => [...input.attributes]
    .filter((a) => a.name.startsWith('data-fields-')).map((a) => a.value));
  const fields = [...values.map((v) => v.replace('${filename}', chosen.name)), '201', chosen.mimeType];
  return fields.reduce((sum, v) => sum + Buffer.byteLength(v), 0) + chosen.buffer.length;
}

// Not all one byte, so a reordering or a lost chunk would change the SHA-256.
const pattern = (size) => Buffer.from(Array.from({ length: size }, (_, i) => (i * 31 + (i >> 8)) % 251));

test('503 SlowDown with Retry-After: retried after the delay it asks for, stored once', async ({ page, server }) => {
  const { events, log } = await openForm(page, server);
  await server.faults({ kind: 'status', status: 503, retry_after: '2' });
  const posts = await server.posts();
  await page.setInputFiles('#id_file', file('slow.txt', 'slow down'));
  const json = await submitAndRead(page, () => page.click('#save'));
  // The first retry's own delay is 0 ms (± jitter), so 2000 can only come from Retry-After.
  expect(events).toEqual([{ type: 's3file:retry', file: 'slow.txt', delay: 2000, code: 'SlowDown' }]);
  expect(log.refused).toEqual([503]);
  expect(await server.posts()).toBe(posts + 2);
  await expectStoredOnce(server, log, json.files.file, { 'slow.txt': 'slow down' });
  expect(log.submits).toBe(1);
});

for (const [where, offset] of [['first', () => 0], ['middle', (n) => Math.floor(n / 2)], ['last', (n) => n]]) {
  test(`a connection reset at the ${where} byte of the body is retried, stored once`, async ({ page, server }) => {
    const { events, log } = await openForm(page, server);
    const chosen = file(`reset-${where}.bin`, pattern(256 * 1024), 'application/octet-stream');
    const size = await partBytes(page, '#id_file', chosen);
    // Two resets: Chromium itself resends a POST once when a reused keep-alive connection (the
    // one the CORS preflight opened) is reset before any answer, so the widget never hears of a
    // first reset; the second, on a fresh connection, reaches the widget.
    await server.faults({ kind: 'reset', after_bytes: offset(size), count: 2 });
    const posts = await server.posts();
    await page.setInputFiles('#id_file', chosen);
    const json = await submitAndRead(page, () => page.click('#save'));
    expect(await server.posts()).toBe(posts + 3);  // both resets happened, then one upload
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) expect(event).toMatchObject({ type: 's3file:retry', file: chosen.name, code: 'NetworkError' });
    expect(log.refused).toEqual([]);  // a reset has no answer at all
    await expectStoredOnce(server, log, json.files.file, { [chosen.name]: chosen.buffer });
    expect(log.submits).toBe(1);
  });
}

test('a stall (the server stops reading) is aborted by the stall timer and retried, stored once', async ({ page, server }) => {
  // The stall timeout is an option (30 s by default); a short one keeps the test quick.
  const { events, log } = await openForm(page, server, { stallTimeout: 1000 });
  const chosen = file('stalled.bin', pattern(1024 * 1024), 'application/octet-stream');
  // Longer than the test: the fixture's DELETE /_faults ends it.
  await server.faults({ kind: 'stall', after_bytes: 64 * 1024, seconds: 120 });
  const posts = await server.posts();
  await page.setInputFiles('#id_file', chosen);
  const json = await submitAndRead(page, () => page.click('#save'));
  expect(events.map((e) => [e.type, e.code])).toEqual([['s3file:retry', 'Stalled']]);
  expect(await server.posts()).toBe(posts + 2);
  await expectStoredOnce(server, log, json.files.file, { [chosen.name]: chosen.buffer });
  expect(log.submits).toBe(1);
});

test('offline during an upload, then back: the user sees the error, submits again, only what failed is sent', async ({ page, server }) => {
  // A dropped network leaves an upload silent, not failed: the stall timer notices (short here),
  // and the retries made while offline fail at once (short delays keep the test quick).
  const { events, log } = await openForm(page, server, { stallTimeout: 1000, retryDelays: [0, 10, 10, 10] });
  // The server holds b.txt, so it is in flight when the network drops; a.txt is stored first.
  await server.faults({ kind: 'stall', filename: 'b.txt', seconds: 120 });
  const posts = await server.posts();
  const chosen = { 'a.txt': 'alpha', 'b.txt': 'bravo' };
  await page.setInputFiles('#id_multiple_file', Object.entries(chosen).map(([name, text]) => file(name, text)));
  await page.click('#save');
  await expect.poll(() => log.stored.map((key) => key.split('/').pop())).toEqual(['a.txt']);
  await expect.poll(async () => (await server.pending()).length).toBe(0);  // b.txt took its stall

  await page.context().setOffline(true);
  const alert = page.locator('#id_multiple_file + [role=alert]');
  await expect(alert).toHaveText('b.txt: Network error: could not reach storage.');
  await page.screenshot({ path: '/tmp/e2e-shots/faults-offline.png' });
  expect(events.map((e) => [e.type, e.file, e.code])).toEqual([
    ['s3file:retry', 'b.txt', 'Stalled'], ...Array(3).fill(['s3file:retry', 'b.txt', 'NetworkError']),
    ['s3file:error', 'b.txt', 'NetworkError']]);
  expect(log.submits).toBe(0);
  expect(page.url()).toMatch(/\/form$/);
  expect(await page.locator('input[type=hidden][name=s3file]').count()).toBe(0);
  expect(await server.posts()).toBe(posts + 2);  // nothing sent offline reached the server

  await page.context().setOffline(false);
  const json = await submitAndRead(page, () => page.click('#save'));
  expect(await server.posts()).toBe(posts + 3);  // only b.txt again
  await expectStoredOnce(server, log, json.files.multiple_file, chosen);
  expect(log.submits).toBe(1);
});

test('<s3-file>: a policy that expired before its upload is renewed once, transparently', async ({ page }) => {
  // A server of its own whose policies live one second (the shared one issues them for an hour).
  const second = await startServer(['--expires', '1']);
  try {
    const events = await recordEvents(page);
    const log = watchTraffic(page, second.storage);
    const policies = [];
    page.on('request', (r) => { if (r.url().endsWith('/api/policy')) policies.push(r.url()); });
    // Hold the first upload until its policy has expired: the emulator compares whole seconds.
    let held = 0;
    await page.route(`${second.storage}/**`, async (route) => {
      const body = route.request().postDataBuffer()?.toString('latin1') || '';
      const policy = /name="policy"\r\n\r\n([^\r]*)\r\n/.exec(body);
      if (policy && held++ === 0) {
        const expires = Date.parse(JSON.parse(Buffer.from(policy[1], 'base64')).expiration);
        while (Date.now() < expires + 1000) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await route.continue();
    });
    await page.goto(`${second.app}/`);
    await page.setInputFiles('#doc', file('late.txt', 'late but fine'));
    const json = await submitAndRead(page, () => page.click('#element-form button'));

    // The renewal is a retry without a wait; the user never sees an error.
    expect(events).toEqual([{ type: 's3file:retry', file: 'late.txt', delay: 0, code: 'PolicyExpired' }]);
    expect(log.refused).toEqual([403]);
    expect(policies).toHaveLength(2);  // the page's batch, then the renewal
    expect(json.files.doc).toHaveLength(1);
    await expectStoredOnce({ stored: (key) => readStored(page.request, second.storage, key) }, log, json.files.doc,
                           { 'late.txt': 'late but fine' });
    expect(log.submits).toBe(1);
  } finally {
    await second.stop();
  }
});

test('a permanent 403 on one file of five: the others are stored, nothing is submitted until it is removed', async ({ page, server }) => {
  const { events, log } = await openForm(page, server);
  const names = ['a.txt', 'b.txt', 'c.txt', 'd.txt', 'e.txt'];
  const chosen = Object.fromEntries(names.map((name) => [name, `content of ${name}`]));
  // More than one, so a retry of the refusal would be refused again and show in the count.
  await server.faults({ kind: 'status', status: 403, filename: 'c.txt', count: 3 });
  await page.setInputFiles('#id_multiple_file', names.map((name) => file(name, chosen[name])));
  await page.click('#save');

  const alert = page.locator('#id_multiple_file + [role=alert]');
  await expect(alert).toHaveText('c.txt: Storage refused the upload (AccessDenied): Access Denied');
  await page.screenshot({ path: '/tmp/e2e-shots/faults-403-error.png' });
  expect(events).toEqual([{ type: 's3file:error', file: 'c.txt', delay: undefined, code: 'AccessDenied' }]);
  expect(log.refused).toEqual([403]);
  expect(await server.pending()).toHaveLength(2);  // a 403 is a verdict: asked once, not retried
  expect(log.stored.map((key) => key.split('/').pop()).sort()).toEqual(['a.txt', 'b.txt', 'd.txt', 'e.txt']);
  for (const key of log.stored)
    expect((await server.stored(key)).body.toString()).toBe(chosen[key.split('/').pop()]);
  expect(log.submits).toBe(0);
  expect(page.url()).toMatch(/\/form$/);
  expect(await page.locator('input[type=hidden][name=s3file]').count()).toBe(0);

  // The user picks the files again without c.txt; the message goes with the change, and the
  // form goes through. A new selection is a new batch: the picker hands over new File objects,
  // so the four are uploaded once more, to the same keys with the same bytes.
  delete chosen['c.txt'];
  const before = log.stored.length;
  await page.setInputFiles('#id_multiple_file', Object.keys(chosen).map((name) => file(name, chosen[name])));
  await expect(alert).toHaveCount(0);
  const json = await submitAndRead(page, () => page.click('#save'));
  await expectStoredOnce(server, { stored: log.stored.slice(before) }, json.files.multiple_file, chosen);
  expect(log.stored.slice(0, before).sort()).toEqual(json.files.multiple_file.map((f) => f.key).sort());
  expect(log.submits).toBe(1);
});
