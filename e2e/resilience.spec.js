// What a user meets when things go wrong: no lost files, no half forms, no duplicate uploads.
import { test, expect, file, sha256, submitAndRead } from './fixtures.js';

test('a double submit while uploading starts nothing twice', async ({ page, server }) => {
  await page.goto('/form');
  await server.faults({ kind: 'delay', seconds: 1 });
  await page.setInputFiles('#id_file', file('once.txt', 'once'));
  const posts = await server.posts();
  let submits = 0;
  page.on('request', (r) => { if (r.url().endsWith('/submit')) submits += 1; });
  const json = await submitAndRead(page, async () => {
    await page.click('#save');
    // The buttons are disabled while it uploads; a scripted second submit is ignored too.
    await expect(page.locator('#save')).toBeDisabled();
    await page.locator('#upload-form').evaluate((form) => form.requestSubmit());
  });
  expect(json.files.file[0].sha256).toBe(sha256('once'));
  expect(await server.posts()).toBe(posts + 1);
  expect(submits).toBe(1);
});

test('after a network outage, submitting again uploads only what failed', async ({ page, server }) => {
  await page.goto('/form');
  // Short retry delays keep the test quick; the schedule is data (engine().configure).
  await page.evaluate(async () => (await import('/s3file.js')).engine().then((e) => e.configure({ retryDelays: [0, 10, 10, 10] })));
  const sent = { 'good.txt': 0, 'bad.txt': 0 };
  let outage = true;
  await page.route(`${server.storage}/**`, async (route) => {
    const body = route.request().postDataBuffer()?.toString('latin1') || '';
    const name = Object.keys(sent).find((n) => body.includes(`filename="${n}"`));
    if (name) sent[name] += 1;
    if (outage && name === 'bad.txt') return route.abort('connectionreset');
    return route.continue();
  });
  await page.setInputFiles('#id_multiple_file', [file('good.txt', 'good'), file('bad.txt', 'bad')]);
  await page.click('#save');
  const alert = page.locator('#id_multiple_file + [role=alert]');
  await expect(alert).toHaveText('bad.txt: Network error: could not reach storage.');
  expect(sent).toEqual({ 'good.txt': 1, 'bad.txt': 5 });
  expect(page.url()).toMatch(/\/form$/);
  expect(await page.locator('input[type=hidden][name=s3file]').count()).toBe(0);

  outage = false;
  const json = await submitAndRead(page, () => page.click('#save'));
  expect(sent).toEqual({ 'good.txt': 1, 'bad.txt': 6 });
  expect(json.files.multiple_file.map((f) => [f.name, f.sha256])).toEqual([['good.txt', sha256('good')], ['bad.txt', sha256('bad')]]);
});

test('a stalled upload is aborted and retried by the stall timer', async ({ page, server }) => {
  await page.goto('/form');
  await page.evaluate(async () => (await import('/s3file.js')).engine().then((e) => e.configure({ stallTimeout: 1000 })));
  await server.faults({ kind: 'stall', after_bytes: 1, seconds: 5 });
  await page.setInputFiles('#id_file', file('stalled.txt', 'stall me'));
  const posts = await server.posts();
  const json = await submitAndRead(page, () => page.click('#save'));
  expect(json.files.file[0].sha256).toBe(sha256('stall me'));
  expect(await server.posts()).toBe(posts + 2);
});

/** Serves /form with a Content-Security-Policy that allows its scripts but not WebAssembly
 *  (no 'wasm-unsafe-eval'): the engine s3file.js carries cannot be compiled. */
async function forbidWebAssembly(page) {
  await page.route(/\/form$/, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': "script-src 'self' 'unsafe-inline'" } });
  });
}

test('where the page forbids WebAssembly the form still submits, the plain way', async ({ page }) => {
  // Before s3file.js carried the engine, a .wasm mangled on the way failed the compile alike.
  const warnings = [];
  page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  await forbidWebAssembly(page);
  await page.goto('/form');
  await page.setInputFiles('#id_file', file('forbidden.txt', 'plain post'));
  const json = await submitAndRead(page, () => page.click('#save'));
  expect(json.files.file).toEqual([{ key: null, name: 'forbidden.txt', size: 10, sha256: sha256('plain post') }]);
  expect(json.fields.save).toEqual(['Save']);
  expect(warnings.join(' ')).toContain('CompileError');
});

test('after the engine has failed once, a submit still posts the form the plain way', async ({ page }) => {
  // A script of the page met the failure first: the submit then found engine() already
  // rejected and asked for the native submit while its own submit event was still firing,
  // which a form ignores; the page stayed as it was.
  await forbidWebAssembly(page);
  await page.goto('/form');
  expect(await page.evaluate(() => import('/s3file.js').then((m) => m.engine()).then(() => 'ready', (error) => error.name))).toBe('CompileError');
  await page.setInputFiles('#id_file', file('again.txt', 'plain post'));
  const json = await submitAndRead(page, () => page.click('#save'));
  expect(json.files.file).toEqual([{ key: null, name: 'again.txt', size: 10, sha256: sha256('plain post') }]);
});

test('without its library the form still submits, the plain way', async ({ page }) => {
  // s3file.js (the library and its engine) cut off: the drop-in's module never runs, and the
  // form is an ordinary one (before, the same held for a .wasm that did not come).
  await page.route(/\/s3file\.js$/, (route) => route.fulfill({ status: 404, body: '' }));
  await page.goto('/form');
  await page.setInputFiles('#id_file', file('fallback.txt', 'plain post'));
  const json = await submitAndRead(page, () => page.click('#save'));
  expect(json.files.file).toEqual([{ key: null, name: 'fallback.txt', size: 10, sha256: sha256('plain post') }]);
  expect(json.fields.save).toEqual(['Save']);
});
