// The wasm engine loads in Chromium and uploads through XHR with a FormData body, without any
// server: Playwright answers the page's requests from dist/ and plays the bucket.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';

const dist = new URL('../dist/', import.meta.url);
const origin = 'http://s3file.smoke';
const types = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };

test('the engine loads and posts the fields, then the file, to the bucket', async ({ page }) => {
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  let body = null;
  await page.route(`${origin}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/') return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>smoke</title>' });
    const ext = path.slice(path.lastIndexOf('.'));
    return route.fulfill({ contentType: types[ext], body: readFileSync(new URL(`.${path}`, dist)) });
  });
  await page.route('http://bucket.smoke/**', (route) => {
    body = route.request().postDataBuffer();
    route.fulfill({
      status: 201,
      contentType: 'application/xml',
      headers: { 'Access-Control-Allow-Origin': '*' },
      body: '<?xml version="1.0"?><PostResponse><Key>tmp/x/h\u00e9llo.txt</Key><ETag>"e"</ETag></PostResponse>',
    });
  });
  await page.goto(`${origin}/`);
  const detail = await page.evaluate(async () => {
    const { engine } = await import('/s3file.js');
    const eng = await engine();
    const file = new File(['hello world'], 'h\u00e9llo.txt', { type: 'text/plain' });
    const next = (type) => new Promise((resolve) => eng.listen(type, (e) => resolve(e.detail)));
    const done = next('s3file:complete');
    const succeeded = next('s3file:success');
    eng.enqueue([{ file, input: 'doc', policy: { url: 'http://bucket.smoke/', fields: { key: 'tmp/x/${filename}', policy: 'eyJ9' } } }]);
    const [complete, success] = await Promise.all([done, succeeded]);
    return { complete, key: success.key, sameFile: success.file === file, progress: success.formProgress };
  });
  expect(errors).toEqual([]);
  expect(detail.key).toBe('tmp/x/h\u00e9llo.txt');
  expect(detail.sameFile).toBe(true);
  expect(detail.progress).toBe(1);
  expect(detail.complete.formProgress).toBe(1);
  const text = body.toString('utf8');
  expect(text).toContain('name="key"\r\n\r\ntmp/x/h\u00e9llo.txt\r\n');
  expect(text).toContain('filename="h\u00e9llo.txt"\r\nContent-Type: text/plain\r\n\r\nhello world\r\n--');
  expect(text.indexOf('name="policy"')).toBeLessThan(text.indexOf('name="file"'));
});

// With the policies given, enqueue() starts every request it may before it returns, so the
// number of XHRs sent by then is the number in flight; the bucket never answers.
async function sentAtOnce(page, options) {
  await page.route(`${origin}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/') return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>smoke</title>' });
    const ext = path.slice(path.lastIndexOf('.'));
    return route.fulfill({ contentType: types[ext], body: readFileSync(new URL(`.${path}`, dist)) });
  });
  await page.route('http://bucket.smoke/**', () => {});  // held
  await page.goto(`${origin}/`);
  return page.evaluate(async ({ options }) => {
    const { engine } = await import('/s3file.js');
    const eng = await engine();
    if (options) eng.configure(options);
    let sent = 0;
    const send = XMLHttpRequest.prototype.send;
    XMLHttpRequest.prototype.send = function (body) { sent += 1; return send.call(this, body); };
    const policy = { url: 'http://bucket.smoke/', fields: { key: 'tmp/x/${filename}', policy: 'eyJ9' } };
    eng.enqueue(Array.from({ length: 30 }, (_, i) => ({ file: new File(['tiny'], `f${i}.txt`), input: 'doc', policy })));
    return sent;
  }, { options });
}

test('small files go to the browser sixteen beyond its six connections; queueAhead 6 sends twelve, 0 keeps six', async ({ page }) => {
  // Not all thirty: a thousand sent in one go held the main thread most of a second.
  expect(await sentAtOnce(page)).toBe(22);
  expect(await sentAtOnce(page, { queueAhead: 1000 })).toBe(30);
  expect(await sentAtOnce(page, { queueAhead: 6 })).toBe(12);
  expect(await sentAtOnce(page, { queueAhead: 0 })).toBe(6);
  expect(await sentAtOnce(page, { concurrency: 3 })).toBe(3);
});
