// <s3-file policy-url> on the demo page: real light-DOM input, per-batch policies, own status.
import { test, expect, file, row, sha256 } from './fixtures.js';

async function submitDemo(page) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/submit')),
    page.click('#element-form button'),
  ]);
  return { status: response.status(), json: await response.json() };
}

test('files upload with per-batch policies, each in its own signed folder', async ({ page, server }) => {
  await page.goto('/');
  const files = [file('same.txt', 'one'), file('same.txt', 'two'), file('photo.png', 'png-bytes', 'image/png')];
  await page.setInputFiles('#doc', files);
  const { status, json } = await submitDemo(page);
  expect(status).toBe(201);
  expect(json.fields).toMatchObject({ title: ['Demo'], action: ['save'] });
  expect(json.files.doc.map((f) => f.sha256)).toEqual(files.map((f) => sha256(f.buffer)));
  expect(json.files.doc.map((f) => f.name)).toEqual(['same.txt', 'same.txt', 'photo.png']);
  const folders = json.files.doc.map((f) => f.key.split('/').slice(0, -1).join('/'));
  expect(new Set(folders).size).toBe(3);
  for (const stored of json.files.doc)
    expect(sha256(await server.object(`${server.storage}/s3file/${stored.key}`))).toBe(stored.sha256);
  const total = page.locator('s3-file [part~=total-progress]');
  await expect(total).toHaveAttribute('aria-valuenow', '100');
  await expect(page.locator('s3-file .file')).toHaveCount(3);
  await expect(page.locator('s3-file .file[data-state=stored]')).toHaveCount(3);
});

test('when the form submits with the keys, the element already shows every file stored', async ({ page }) => {
  await page.goto('/');
  // Rendering waits for the next frame; the last file's success must not wait for it, or a page
  // that stays (a form targeting a frame, a fetch submit) shows a stale view at its submit.
  await page.evaluate(() => {
    window.atSubmit = [];
    document.getElementById('element-form').addEventListener('submit', () => {
      if (!document.querySelector('#element-form input[type=hidden][name=s3file]')) return;  // the user's click
      const root = document.querySelector('s3-file').shadowRoot;
      window.atSubmit.push({ stored: root.querySelectorAll('.file[data-state=stored]').length,
        total: root.querySelector('[part~=total-progress]').getAttribute('aria-valuenow'),
        status: [...root.querySelectorAll('.file .status')].map((node) => node.textContent) });
    });
  });
  await page.setInputFiles('#doc', [file('a.txt', 'one'), file('b.txt', 'two'), file('c.txt', 'three '.repeat(10_000))]);
  await submitDemo(page);
  expect(await page.evaluate(() => window.atSubmit)).toEqual([
    { stored: 3, total: '100', status: ['Uploaded', 'Uploaded', 'Uploaded'] }]);
});

test('bars ease in a short list; with many files they move without easing', async ({ page }) => {
  await page.goto('/');
  const easing = () => page.evaluate(() => {
    const root = document.querySelector('s3-file').shadowRoot;
    return [...root.querySelectorAll('.file .fill, .total .fill')].map((fill) => getComputedStyle(fill).transitionDuration);
  });
  await page.setInputFiles('#doc', [file('a.txt', 'one')]);
  expect(await easing()).toEqual(['0.2s', '0.2s']);
  // With a thousand small files, the eased bars (the total's alone) kept frames drawn at 60 fps
  // through the uploads, each checking every row's visibility.
  await page.setInputFiles('#doc', Array.from({ length: 21 }, (_, i) => file(`f${i}.txt`, 'x')));
  expect(new Set(await easing())).toEqual(new Set(['0s']));
});

test('the label opens the file picker and the input keeps accept and required', async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => {
    const input = document.getElementById('doc');
    input.accept = 'text/plain';
    input.required = true;
  });
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click('label[for=doc]')]);
  expect(chooser.isMultiple()).toBe(true);
  expect(await page.locator('#doc').getAttribute('accept')).toBe('text/plain');
  // required still blocks an empty submission, natively.
  await page.click('#element-form button');
  expect(await page.locator('#doc').evaluate((input) => input.validity.valueMissing)).toBe(true);
  await page.keyboard.press('Escape');
});

test('a refused type shows its message on the file, and nothing is submitted', async ({ page }) => {
  await page.goto('/');
  let submitted = false;
  page.on('request', (r) => { if (r.url().endsWith('/submit')) submitted = true; });
  await page.setInputFiles('#doc', [file('ok.txt', 'ok'), file('run.sh', '#!/bin/sh', 'application/x-sh')]);
  await page.click('#element-form button');
  // The policy server refuses it (its --accept) before a byte is sent; the other file is stored.
  await expect(row(page, 'run.sh').locator('.status')).toHaveText(
    'run.sh: files of this type are not accepted (allowed: text/*,image/*,application/pdf,application/octet-stream).');
  await expect(row(page, 'ok.txt').locator('.status')).toHaveText('Uploaded');
  expect(submitted).toBe(false);
  expect(await page.locator('#doc').evaluate((input) => input.files.length)).toBe(2);
  expect(await page.locator('#element-form input[type=hidden]').count()).toBe(0);
});

test('without JavaScript the wrapped input posts its file the plain way', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/');
  await page.setInputFiles('#doc', file('plain.txt', 'no script'));
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/submit')),
    page.click('#element-form button'),
  ]);
  const json = await response.json();
  expect(json.files.doc).toEqual([{ key: null, name: 'plain.txt', size: 9, sha256: sha256('no script') }]);
  await context.close();
});

test('each <s3-file> in a form asks its own policy-url', async ({ page }) => {
  await page.goto('/');
  const asked = [];
  await page.route('**/api/other-policy', async (route) => {
    asked.push(JSON.parse(route.request().postData()).files.map((f) => f.field));
    const response = await route.fetch({ url: route.request().url().replace('other-policy', 'policy') });
    await route.fulfill({ response });
  });
  await page.evaluate(() => {
    const extra = document.createElement('s3-file');
    extra.setAttribute('policy-url', '/api/other-policy');
    extra.innerHTML = '<input type="file" id="extra" name="extra">';
    document.getElementById('doc').closest('p').after(extra);
  });
  await page.setInputFiles('#doc', file('main.txt', 'main'));
  await page.setInputFiles('#extra', file('extra.txt', 'extra'));
  const { json } = await submitDemo(page);
  expect(asked).toEqual([['extra']]);
  expect(json.files.doc[0].sha256).toBe(sha256('main'));
  expect(json.files.extra[0].sha256).toBe(sha256('extra'));
});

test('a file the browser gives no type is asked for as application/octet-stream', async ({ page }) => {
  await page.goto('/');
  await page.locator('#doc').evaluate((input) => {
    const chosen = new DataTransfer();
    chosen.items.add(new File(['no type'], 'typeless.bin'));  // type "", as WebKitGTK gives .bin
    input.files = chosen.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
  expect(await page.locator('#doc').evaluate((input) => input.files[0].type)).toBe('');
  const { status, json } = await submitDemo(page);
  expect(status).toBe(201);
  expect(json.files.doc.map((f) => [f.name, f.sha256])).toEqual([['typeless.bin', sha256('no type')]]);
});

test('with many small files, the rows beyond the browser\'s six connections say Waiting until their bytes move', async ({ page, server }) => {
  // Every small file is handed to the browser at once; only six of them can be on their way.
  await page.route(`${server.storage}/**`, () => {});  // the bucket holds every upload
  await page.goto('/');
  await page.setInputFiles('#doc', Array.from({ length: 20 }, (_, i) => file(`f${i}.txt`, `file ${i}`)));
  await page.click('#element-form button[name=action]');
  const rows = page.locator('s3-file .file');
  await expect(rows.filter({ hasText: 'Uploading' })).toHaveCount(6);
  await expect(rows.filter({ hasText: 'Waiting' })).toHaveCount(14);
  await expect(rows.nth(6)).toContainText('Waiting');
});

test('1,001 files chosen in <s3-file> are all uploaded, and the form submits with every key', async ({ page }) => {
  // One policy request for them all was refused (the endpoint takes up to 1,000 files), and
  // every row failed with "Could not get an upload policy".
  await page.goto('/');
  const submitted = await page.evaluate(async () => {
    const form = document.getElementById('element-form');
    const input = document.getElementById('doc');
    const chosen = new DataTransfer();
    for (let i = 0; i < 1001; i += 1) chosen.items.add(new File([`file ${i}`], `f${i}.txt`, { type: 'text/plain' }));
    input.files = chosen.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    const keys = new Promise((resolve, reject) => {
      form.addEventListener('s3file:error', (event) => reject(new Error(event.detail.error.message)));
      addEventListener('submit', (event) => {
        if (event.target !== form || event.defaultPrevented) return;  // the user's click, held by the widget
        event.preventDefault();
        resolve(new FormData(form, event.submitter).getAll('doc'));
      });
    });
    form.querySelector('button[name=action]').click();
    return keys;
  });
  expect(submitted).toHaveLength(1001);
  expect(new Set(submitted).size).toBe(1001);
  expect(submitted.at(-1)).toMatch(/\/f1000\.txt$/);
  await expect(page.locator('s3-file .file[data-state=stored]')).toHaveCount(1001);
});

test('a double-click on Remove takes out that file only, not the row that moves under the pointer', async ({ page }) => {
  await page.goto('/demo/bare.html');
  await page.setInputFiles('#files', [file('a.txt', 'a'), file('b.txt', 'b'), file('c.txt', 'c')]);
  await page.locator('s3-file').getByRole('button', { name: 'Remove a.txt' }).dblclick();
  await expect(page.locator('s3-file .file')).toHaveCount(2);
  expect(await page.locator('#files').evaluate((input) => [...input.files].map((f) => f.name))).toEqual(['b.txt', 'c.txt']);
  // A single click and the keyboard still remove (click counts 1 and 0).
  await page.locator('s3-file').getByRole('button', { name: 'Remove b.txt' }).click();
  await page.locator('s3-file').getByRole('button', { name: 'Remove c.txt' }).press('Enter');
  await expect(page.locator('s3-file .file')).toHaveCount(0);
});

test('files pasted while a row\'s button has the keyboard leave the focus on that button', async ({ page }) => {
  await page.goto('/demo/bare.html');
  await page.setInputFiles('#files', [file('a.txt', 'a'), file('b.txt', 'b')]);
  await page.locator('s3-file').getByRole('button', { name: 'Remove b.txt' }).focus();
  await page.evaluate(() => {
    const pasted = new DataTransfer();
    pasted.items.add(new File(['c'], 'c.txt', { type: 'text/plain' }));
    document.querySelector('s3-file').shadowRoot.activeElement
      .dispatchEvent(new ClipboardEvent('paste', { clipboardData: pasted, bubbles: true, composed: true, cancelable: true }));
  });
  await expect(page.locator('s3-file .file')).toHaveCount(3);
  // Before: the rows moved into new groups and the focus fell to <body>.
  await expect(page.locator('s3-file').getByRole('button', { name: 'Remove b.txt' })).toBeFocused();
});
