// <s3-file> as a component: its file list, per-file progress, cancel/retry/remove, restrictions,
// drop and paste, speed, accessibility. Most run on /demo/bare.html: a page holding only the
// element in a form, without any page CSS.
import { test, expect, file, row, sha256, submitAndRead, watchTraffic, sized } from './fixtures.js';


/** Chromium's own upload throttling (CDP): progress then arrives over seconds, as on a real link. */
async function slowLink(page, bytesPerSecond) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: bytesPerSecond });
}

async function openBare(page, attributes = {}) {
  await page.goto('/demo/bare.html');
  await page.locator('s3-file').evaluate((host, attrs) => {
    for (const [name, value] of Object.entries(attrs)) host.setAttribute(name, value);
  }, attributes);
}

const send = (page) => page.click('form button');
const state = (page, name) => row(page, name).getAttribute('data-state');

test('D1: a file\'s own progress bar moves while it uploads, not only at the end', async ({ page }) => {
  await openBare(page);
  await slowLink(page, 256 * 1024);
  await page.setInputFiles('#files', sized('slow.bin', 1500000));
  const done = page.waitForURL('**/submit');
  await send(page);
  const bar = row(page, 'slow.bin').getByRole('progressbar');
  const value = async () => Number(await bar.getAttribute('aria-valuenow'));
  await expect.poll(value).toBeGreaterThan(0);
  const first = await value();
  expect(first).toBeLessThan(100);
  await expect.poll(value).toBeGreaterThan(first);  // and it keeps moving
  expect(await state(page, 'slow.bin')).toBe('uploading');
  await done;
});

test('D2: a new selection during the upload cancels the old file; the submit carries the new one', async ({ page, server }) => {
  await openBare(page);
  const log = watchTraffic(page, server.storage);
  const posts = await server.posts();
  await server.faults([{ kind: 'stall', filename: 'archive.zip', after_bytes: 100000, seconds: 30 }]);
  await page.setInputFiles('#files', sized('archive.zip', 1500000));
  await send(page);
  await expect.poll(() => state(page, 'archive.zip')).toBe('uploading');
  const json = await submitAndRead(page, () => page.setInputFiles('#files', file('notes.txt', 'new notes')));
  // Submitted: exactly the new selection, with the bytes the user chose.
  expect(json.files.files.map((f) => [f.name, f.sha256])).toEqual([['notes.txt', sha256('new notes')]]);
  expect((await server.stored(json.files.files[0].key)).sha256).toBe(sha256('new notes'));
  // Storage saw two POSTs: the old file's (aborted, never stored) and the new one's.
  expect(await server.posts()).toBe(posts + 2);
  expect(log.stored.some((key) => key.endsWith('archive.zip'))).toBe(false);
  expect(log.stored.filter((key) => key.endsWith('notes.txt'))).toHaveLength(1);
});

test('D3: a file over max-size is refused before any byte or policy request, naming file and limit', async ({ page, server }) => {
  await openBare(page, { 'max-size': '1MB' });
  const asked = [];
  page.on('request', (r) => { if (r.url().includes('/api/policy') || r.url().startsWith(server.storage)) asked.push(r.url()); });
  await page.setInputFiles('#files', [sized('huge.bin', 1572864), file('ok.txt', 'ok')]);
  await expect(row(page, 'huge.bin').locator('.status')).toHaveText('huge.bin is 1.5 MB; the largest file allowed is 1 MB.');
  expect(await state(page, 'ok.txt')).toBe('ready');
  await send(page);
  expect(await page.locator('#files').evaluate((input) => input.validationMessage)).toContain('huge.bin is 1.5 MB');
  expect(asked).toEqual([]);
  expect(page.url()).toContain('/demo/bare.html');
});

test('D3: the server refuses a policy for a file its --max-size refuses; only that file fails', async ({ page, server }) => {
  await openBare(page);
  const log = watchTraffic(page, server.storage);
  await page.setInputFiles('#files', [sized('huge.bin', 3 * 1024 * 1024), file('fine.txt', 'fine')]);
  await send(page);
  await expect.poll(() => state(page, 'huge.bin')).toBe('failed');
  await expect(row(page, 'huge.bin').locator('.status')).toHaveText('huge.bin is 3 MB; the largest file allowed is 2 MB.');
  await expect.poll(() => state(page, 'fine.txt')).toBe('stored');
  expect(log.stored).toHaveLength(1);
  expect(log.refused).toEqual([]);
  expect(log.submits).toBe(0);
});

test('D5: cancel one upload — the others are stored, the total keeps them, retry and remove recover', async ({ page, server }) => {
  await openBare(page);
  const log = watchTraffic(page, server.storage);
  await server.faults([{ kind: 'stall', filename: 'b.bin', after_bytes: 100000, seconds: 30 }]);
  await page.setInputFiles('#files', [file('a.txt', 'first file'), sized('b.bin', 1500000)]);
  await send(page);
  await expect.poll(() => state(page, 'b.bin')).toBe('uploading');
  await row(page, 'b.bin').getByRole('button', { name: 'Cancel upload of b.bin' }).click();
  await expect.poll(() => state(page, 'b.bin')).toBe('canceled');
  await expect.poll(() => state(page, 'a.txt')).toBe('stored');
  // The stored file still counts; the canceled one starts again from zero.
  await expect(page.locator('s3-file [part=total-text]')).toHaveText('10 bytes of 1.4 MB');
  expect(log.submits).toBe(0);
  await expect(row(page, 'b.bin').getByRole('button')).toHaveText(['Retry', 'Remove']);
  await page.request.delete('/_faults');
  await row(page, 'b.bin').getByRole('button', { name: 'Retry upload of b.bin' }).click();
  await expect.poll(() => state(page, 'b.bin')).toBe('stored');
  expect(log.submits).toBe(0);  // a retry uploads; it does not submit
  const json = await submitAndRead(page, () => send(page));
  expect(json.files.files.map((f) => f.name)).toEqual(['a.txt', 'b.bin']);
  expect(log.stored.filter((key) => key.endsWith('a.txt'))).toHaveLength(1);  // not uploaded again
});

test('D5: a failed row is marked as an error, and removing it lets the rest submit without re-uploading', async ({ page, server }) => {
  await openBare(page);
  const log = watchTraffic(page, server.storage);
  await server.faults([{ kind: 'status', status: 403, filename: 'bad.txt' }]);
  await page.setInputFiles('#files', [file('good.txt', 'good'), file('bad.txt', 'bad')]);
  await send(page);
  await expect.poll(() => state(page, 'bad.txt')).toBe('failed');
  const status = row(page, 'bad.txt').locator('.status');
  // The error colour (#b3261e), not the muted grey of other notes.
  expect(await status.evaluate((node) => getComputedStyle(node).color)).toBe('rgb(179, 38, 30)');
  expect(await page.locator('#files').getAttribute('aria-invalid')).toBe('true');
  await row(page, 'bad.txt').getByRole('button', { name: 'Remove bad.txt' }).click();
  await expect(page.locator('s3-file .file')).toHaveCount(1);
  expect(await page.locator('#files').getAttribute('aria-invalid')).toBe(null);
  const json = await submitAndRead(page, () => send(page));
  expect(json.files.files.map((f) => f.name)).toEqual(['good.txt']);
  expect(log.stored.filter((key) => key.endsWith('good.txt'))).toHaveLength(1);
});

test('D6: every chosen file has a row before upload; files behind the concurrency limit wait in theirs', async ({ page, server }) => {
  await openBare(page);
  await page.evaluate(async () => (await (await import('/s3file.js')).engine()).configure({ concurrency: 1 }));
  const names = ['1.txt', '2.txt', '3.txt', '4.txt', '5.txt'];
  await page.setInputFiles('#files', names.map((name) => file(name, name)));
  await expect(page.locator('s3-file .file')).toHaveCount(5);
  for (const name of names) expect(await state(page, name)).toBe('ready');
  await expect(page.locator('s3-file [part=summary]')).toHaveText('5 files chosen, 25 bytes');
  await server.faults([{ kind: 'stall', filename: '1.txt', seconds: 30 }]);
  await send(page);
  await expect.poll(() => state(page, '1.txt')).toBe('uploading');
  for (const name of names.slice(1)) {
    expect(await state(page, name)).toBe('queued');
    await expect(row(page, name).locator('.status')).toHaveText('Waiting');
  }
  const done = page.waitForURL('**/submit');
  await page.request.delete('/_faults');
  await done;
});

test('D7: bytes, speed and time left are shown while uploading; percent on the row', async ({ page }) => {
  await openBare(page);
  await slowLink(page, 256 * 1024);
  await page.setInputFiles('#files', sized('slow.bin', 1500000));
  const done = page.waitForURL('**/submit');
  await send(page);
  const text = page.locator('s3-file [part=total-text]');
  await expect(text).toHaveText(/^[\d.]+ (bytes|kB|MB) of 1\.4 MB · [\d.]+ (bytes|kB|MB)\/s · [\d,.]+ (sec|min|hr) left$/);
  await expect(row(page, 'slow.bin').locator('.status')).toHaveText(/^Uploading \d+\s?%$/);
  await done;
});

test('D7: retrying shows the countdown and the attempt', async ({ page, server }) => {
  await openBare(page);
  await page.evaluate(async () => (await (await import('/s3file.js')).engine()).configure({ retryDelays: [3000] }));
  await server.faults([{ kind: 'status', status: 503, filename: 'flaky.txt' }]);
  await page.setInputFiles('#files', file('flaky.txt', 'flaky'));
  const submitted = submitAndRead(page, () => send(page));
  await expect(row(page, 'flaky.txt').locator('.status')).toHaveText(/^Retrying in [1-3] s — attempt 2$/);
  const json = await submitted;
  expect(json.files.files[0].name).toBe('flaky.txt');
});

test('D8: the element brings its own styles, custom properties, parts and a dark scheme', async ({ page }) => {
  await openBare(page);
  await page.setInputFiles('#files', [file('a.txt', 'a'), file('b.txt', 'b')]);
  const list = page.locator('s3-file [part=list]');
  expect(await list.getAttribute('role')).toBe('list');
  expect(await row(page, 'a.txt').evaluate((node) => getComputedStyle(node).display)).toBe('grid');
  // A page restyles through custom properties and ::part().
  await page.addStyleTag({ content: 's3-file { --s3file-accent: rgb(1, 2, 3); } s3-file::part(file-name) { color: rgb(4, 5, 6); }' });
  expect(await row(page, 'a.txt').getByRole('button').first().evaluate((node) => getComputedStyle(node).color)).toBe('rgb(1, 2, 3)');
  expect(await row(page, 'a.txt').locator('.name').evaluate((node) => getComputedStyle(node).color)).toBe('rgb(4, 5, 6)');
  const background = () => page.locator('s3-file [part=dropzone]').evaluate((node) => getComputedStyle(node).backgroundColor);
  const light = await background();
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await background()).not.toBe(light);
  await page.locator('s3-file').evaluate((host) => host.setAttribute('theme', 'light'));
  expect(await background()).toBe(light);
  // Touch targets of at least 24 × 24 px (of the buttons shown: Pause all waits hidden).
  for (const box of await page.locator('s3-file button').evaluateAll((nodes) => nodes.filter((n) => n.getClientRects().length)
    .map((n) => n.getBoundingClientRect().toJSON())))
    expect(Math.min(box.width, box.height)).toBeGreaterThanOrEqual(24);
});

test('D8: /form scales to a phone and keeps its content in a main landmark', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 700 });
  await page.goto('/form');
  expect(await page.locator('meta[name=viewport]').getAttribute('content')).toContain('width=device-width');
  await expect(page.locator('main')).toHaveCount(1);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
});

test('D9: element mode marks its input invalid and describes each problem on its own line', async ({ page }) => {
  await openBare(page, { 'max-size': '3', 'max-files': '2' });
  await page.setInputFiles('#files', [file('a.txt', 'aaaa'), file('b.txt', 'bbbb'), file('c.txt', 'c')]);
  const input = page.locator('#files');
  expect(await input.getAttribute('aria-invalid')).toBe('true');
  const lines = await input.evaluate((node) => [...document.getElementById(node.getAttribute('aria-describedby')).children].map((line) => line.textContent));
  expect(lines).toEqual(['3 files chosen; the limit is 2.',
    'a.txt: a.txt is 4 bytes; the largest file allowed is 3 bytes.', 'b.txt: b.txt is 4 bytes; the largest file allowed is 3 bytes.']);
  await page.setInputFiles('#files', file('c.txt', 'c'));
  expect(await input.getAttribute('aria-invalid')).toBe(null);
  expect(await input.getAttribute('aria-describedby')).toBe(null);
});

test('restrictions: min-size, max-total-size and accept by MIME, wildcard and extension', async ({ page }) => {
  await openBare(page, { 'min-size': '2', 'max-total-size': '10' });
  await page.setInputFiles('#files', [file('tiny.txt', 'x'), file('six.txt', 'sixsix'), file('five.txt', 'fivef')]);
  await expect(row(page, 'tiny.txt').locator('.status')).toHaveText('tiny.txt is 1 byte; the smallest file allowed is 2 bytes.');
  await expect(page.locator('s3-file [part=problems]')).toHaveText('The files add up to 12 bytes; the total allowed is 10 bytes.');
  await page.locator('#files').evaluate((input) => { input.accept = 'image/*,.pdf,text/csv'; });
  await page.setInputFiles('#files', [file('a.png', 'png', 'image/png'), file('b.pdf', 'pdf', 'application/octet-stream'),
    file('c.csv', 'c,s,v', 'text/csv'), file('d.txt', 'txt')]);
  for (const name of ['a.png', 'b.pdf', 'c.csv']) expect(await state(page, name)).toBe('ready');
  await expect(row(page, 'd.txt').locator('.status')).toHaveText('d.txt: files of this type are not accepted (allowed: image/*,.pdf,text/csv).');
});

test('drop and paste add files to the input, which stays the source of truth', async ({ page }) => {
  await openBare(page);
  await page.setInputFiles('#files', file('chosen.txt', 'chosen'));
  const host = page.locator('s3-file');
  await host.evaluate((node) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['dropped'], 'dropped.txt', { type: 'text/plain' }));
    node.dispatchEvent(new DragEvent('dragenter', { dataTransfer: transfer, bubbles: true }));
    node.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  });
  expect(await host.getAttribute('dragover')).toBe('');
  await expect(page.locator('s3-file [part=hint]')).toHaveText('Drop to add the files');
  await host.evaluate((node) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['dropped'], 'dropped.txt', { type: 'text/plain' }));
    node.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  });
  expect(await host.getAttribute('dragover')).toBe(null);
  await expect.poll(() => page.locator('#files').evaluate((input) => input.files.length)).toBe(2);
  await host.evaluate((node) => {
    const pasted = new DataTransfer();
    pasted.items.add(new File(['pasted'], 'pasted.png', { type: 'image/png' }));
    node.querySelector('input').dispatchEvent(new ClipboardEvent('paste', { clipboardData: pasted, bubbles: true, cancelable: true }));
  });
  expect(await host.getAttribute('dragover')).toBe(null);
  await expect.poll(() => page.locator('#files').evaluate((input) => [...input.files].map((f) => f.name)))
    .toEqual(['chosen.txt', 'dropped.txt', 'pasted.png']);
  await expect(page.locator('s3-file .file')).toHaveCount(3);
  const json = await submitAndRead(page, () => send(page));
  expect(json.files.files.map((f) => f.name)).toEqual(['chosen.txt', 'dropped.txt', 'pasted.png']);
});

test('keyboard only: remove a file with Enter; focus moves to the next row', async ({ page }) => {
  await openBare(page);
  await page.setInputFiles('#files', [file('one.txt', '1'), file('two.txt', '2')]);
  await page.locator('#files').focus();
  await page.keyboard.press('Tab');
  await expect(row(page, 'one.txt').getByRole('button', { name: 'Remove one.txt' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('s3-file .file')).toHaveCount(1);
  await expect(row(page, 'two.txt').getByRole('button', { name: 'Remove two.txt' })).toBeFocused();
  await page.keyboard.press('Space');
  await expect(page.locator('s3-file .file')).toHaveCount(0);
  await expect(page.locator('#files')).toBeFocused();
});

test('keyboard only: a button that stays when its row changes state keeps the focus', async ({ page }) => {
  // A file in parts goes from queued (Cancel) to uploading (Pause, Cancel): the same Cancel stays.
  await openBare(page, { 'multipart-url': '/s3/multipart', 'multipart-threshold': '1' });
  await page.setInputFiles('#files', file('big.bin', 'in parts'));
  const fire = (type, detail) => page.locator('#files').evaluate((input, [type, detail]) => {
    const file = input.files[0];
    input.dispatchEvent(new CustomEvent(type, { bubbles: true, detail: { ...detail, files: [file], file } }));
  }, [type, detail]);
  await fire('s3file:queued', {});
  const cancel = row(page, 'big.bin').getByRole('button', { name: 'Cancel upload of big.bin' });
  await cancel.focus();
  await fire('s3file:start', { loaded: 0, attempt: 1, upload: 1 });
  await expect(row(page, 'big.bin').getByRole('button', { name: 'Pause upload of big.bin' })).toBeVisible();
  await expect(cancel).toBeFocused();
});

test('a dropped folder adds the files inside it, subfolders included', async ({ page }) => {
  await openBare(page);
  await page.locator('s3-file').evaluate((host) => {
    // A drop's DataTransfer of a folder, as Chromium exposes it (webkitGetAsEntry); readEntries
    // answers in pages, then with an empty one.
    const fileEntry = (name, text) => ({ isFile: true, isDirectory: false, file: (done) => done(new File([text], name, { type: 'text/plain' })) });
    const dirEntry = (pages) => ({ isFile: false, isDirectory: true,
      createReader: () => { const queue = [...pages, []]; return { readEntries: (done) => setTimeout(() => done(queue.shift())) }; } });
    const folder = dirEntry([[fileEntry('a.txt', 'a'), dirEntry([[fileEntry('b.txt', 'b')]])], [fileEntry('c.txt', 'c')]]);
    const transfer = { types: ['Files'], files: [], dropEffect: 'none',
      items: [{ kind: 'file', webkitGetAsEntry: () => folder, getAsFile: () => null }] };
    const drop = new DragEvent('drop', { bubbles: true, cancelable: true });
    Object.defineProperty(drop, 'dataTransfer', { value: transfer });
    host.dispatchEvent(drop);
  });
  await expect.poll(() => page.locator('#files').evaluate((input) => [...input.files].map((f) => f.name))).toEqual(['a.txt', 'b.txt', 'c.txt']);
  await expect(page.locator('s3-file .file')).toHaveCount(3);
});
