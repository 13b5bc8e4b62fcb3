// The django-s3file drop-in on /form (rendered like the seed's Django widget).
import { test, expect, file, sha256, submit, submitAndRead } from './fixtures.js';

test.beforeEach(async ({ page }) => {
  await page.goto('/form');
});

test('a single file is uploaded and submitted as its key', async ({ page, server }) => {
  const content = 'hello from the drop-in';
  await page.setInputFiles('#id_file', file('hello.txt', content));
  const posts = await server.posts();
  const json = await submitAndRead(page, () => page.click('#save'));
  const [stored] = json.files.file;
  expect(stored.name).toBe('hello.txt');
  expect(stored.key).toMatch(/^tmp\/s3file\/[0-9a-f]{32}\/hello\.txt$/);
  expect(stored.sha256).toBe(sha256(content));
  expect(await server.object(`${server.storage}/s3file/${stored.key}`)).toEqual(Buffer.from(content));
  expect(await server.posts()).toBe(posts + 1);
  expect(json.fields.save).toEqual(['Save']);
  expect(json.fields.progress).toEqual(['1']);
});

test('the submit button name and value are kept, as the seed does', async ({ page }) => {
  const cases = [['#save', 'save', 'Save'], ['#save_continue', 'save_continue', 'continue'],
                 ['#save_plain', 'save_plain', '1'], ['#outside', 'outside', 'yes']];
  for (const [selector, name, value] of cases) {
    await page.goto('/form');
    await page.setInputFiles('#id_file', file('a.txt', name));
    const json = await submitAndRead(page, () => page.click(selector));
    expect(json.fields[name], selector).toEqual([value]);
    expect(json.files.file).toHaveLength(1);
  }
});

test('progress reaches exactly 1 before submission with every detail field', async ({ page }) => {
  const seen = [];
  await page.exposeFunction('recordProgress', (detail) => seen.push(detail));
  await page.evaluate(() => {
    document.getElementById('upload-form').addEventListener('progress', (e) => {
      const d = e.detail;
      window.recordProgress({ keys: Object.keys(d).sort(), progress: d.progress, loaded: d.loaded, total: d.total,
        currentFileName: d.currentFileName, isFile: d.currentFile instanceof File, currentFileProgress: d.currentFileProgress,
        hasOriginal: d.originalEvent instanceof Event });
    });
  });
  await page.setInputFiles('#id_multiple_file', [file('one.txt', 'x'.repeat(50_000)), file('two.txt', 'y'.repeat(70_000))]);
  const json = await submitAndRead(page, () => page.click('#save'));
  expect(seen.length).toBeGreaterThan(0);
  for (const d of seen) {
    expect(d.keys).toEqual(['currentFile', 'currentFileName', 'currentFileProgress', 'loaded', 'originalEvent', 'progress', 'total']);
    expect(d.isFile && d.hasOriginal).toBe(true);
    expect(Number.isNaN(d.progress)).toBe(false);
  }
  const fractions = seen.map((d) => d.progress);
  expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
  expect(seen.at(-1)).toMatchObject({ progress: 1, loaded: 120_000, total: 120_000 });
  expect(json.fields.progress).toEqual(['1']);
});

test('several files and a second input keep order and basenames', async ({ page }) => {
  const many = ['c.txt', 'a.txt', 'b.txt'].map((name) => file(name, `content of ${name}`));
  await page.setInputFiles('#id_multiple_file', many);
  await page.setInputFiles('#id_other_file', file('other.txt', 'other'));
  const json = await submitAndRead(page, () => page.click('#save'));
  expect(json.files.multiple_file.map((f) => f.name)).toEqual(['c.txt', 'a.txt', 'b.txt']);
  expect(json.files.multiple_file.map((f) => f.sha256)).toEqual(many.map((f) => sha256(f.buffer)));
  expect(json.files.other_file[0].sha256).toBe(sha256('other'));
});

test('same-named files in one input do not overwrite each other', async ({ page }) => {
  await page.setInputFiles('#id_multiple_file', [file('same.txt', 'first'), file('same.txt', 'second')]);
  const json = await submitAndRead(page, () => page.click('#save'));
  const [a, b] = json.files.multiple_file;
  expect([a.name, b.name]).toEqual(['same.txt', 'same (2).txt']);
  expect(a.key.split('/').slice(0, -1)).toEqual(b.key.split('/').slice(0, -1));  // the one signed folder
  expect([a.sha256, b.sha256]).toEqual([sha256('first'), sha256('second')]);
});

test('an input added after page load is handled', async ({ page }) => {
  await page.evaluate(() => {
    const template = document.getElementById('id_other_file');
    const added = template.cloneNode();
    added.id = 'id_late';
    added.name = 'late';
    template.closest('p').after(added);
  });
  await page.setInputFiles('#id_late', file('late.txt', 'late'));
  const json = await submitAndRead(page, () => page.click('#save'));
  expect(json.files.late[0].sha256).toBe(sha256('late'));
});

test('a zero-byte file and unicode/quote names round-trip', async ({ page }) => {
  const name = 'r\u00e9sum\u00e9 "final" \u65e5\u672c.txt';
  await page.setInputFiles('#id_multiple_file', [file('empty.txt', ''), file(name, 'unicode')]);
  const json = await submitAndRead(page, () => page.click('#save'));
  expect(json.files.multiple_file.map((f) => [f.name, f.size, f.sha256]))
    .toEqual([['empty.txt', 0, sha256('')], [name, 7, sha256('unicode')]]);
});

test('a file over the policy limit shows its message and the form is not submitted', async ({ page, server }) => {
  await page.setInputFiles('#id_file', file('big.bin', Buffer.alloc(3 * 1024 * 1024, 1), 'application/octet-stream'));
  await page.setInputFiles('#id_other_file', file('fine.txt', 'fine'));
  const posts = await server.posts();
  await page.click('#save');
  // Checked against the signed policy's content-length-range as soon as it is chosen.
  const alert = page.locator('#id_file + [role=alert]');
  await expect(alert).toHaveText('big.bin is 3 MB; the largest file allowed is 2 MB.');
  expect(page.url()).toMatch(/\/form$/);
  expect(await page.locator('#id_file').evaluate((input) => input.files.length)).toBe(1);
  expect(await page.locator('input[type=hidden][name=s3file]').count()).toBe(0);
  // Only the file that failed is sent again once it is replaced; the error clears on change.
  await page.setInputFiles('#id_file', file('small.txt', 'small'));
  await expect(alert).toHaveCount(0);
  const json = await submitAndRead(page, () => page.click('#save'));
  expect(json.files.file[0].sha256).toBe(sha256('small'));
  expect(await server.posts()).toBe(posts + 2);  // small and fine: the big file never left the page
});

test('an existing value is replaced by a new upload, or kept and cleared natively', async ({ page }) => {
  await page.goto('/form?initial=tmp/s3file/old/old.txt');
  await expect(page.locator('#current_file')).toHaveText('tmp/s3file/old/old.txt');
  await page.setInputFiles('#id_file', file('new.txt', 'new'));
  const replaced = await submitAndRead(page, () => page.click('#save'));
  expect(replaced.files.file.map((f) => f.name)).toEqual(['new.txt']);
  expect(replaced.fields['file-clear']).toBeUndefined();

  // No new file: the widget stays out of the way and the form submits as it is.
  await page.goto('/form?initial=tmp/s3file/old/old.txt');
  await page.check('#file-clear_id');
  const cleared = await submitAndRead(page, () => page.click('#save'));
  expect(cleared.fields['file-clear']).toEqual(['on']);
  expect(cleared.files.file).toBeUndefined();
});

test('two inputs with the same name each submit their own key, once', async ({ page, server }) => {
  // A field rendered twice (a template that repeats it, formsets without prefixes) gives two
  // inputs of one name, each with its own signed folder: rename the second input to `file`.
  await page.locator('#id_other_file').evaluate((input) => { input.name = 'file'; });
  const signed = await page.locator('input.s3file[name=file]').evaluateAll((inputs) =>
    inputs.map((input) => ({ folder: input.dataset.fieldsKey.replace('${filename}', ''), signature: input.dataset.s3fSignature })));
  expect(signed).toHaveLength(2);
  expect(signed[0].folder).not.toBe(signed[1].folder);
  await page.setInputFiles('#id_file', file('one.txt', 'one'));
  await page.setInputFiles('#id_other_file', file('two.txt', 'two'));
  const posts = await server.posts();
  const { status, json, entries } = await submit(page, () => page.click('#save'));
  expect(status).toBe(201);
  // The seed's contract (protocol.md §3): per input one s3file=F and its F-s3f-signature, then
  // one F=<key> per file of that input, so each key appears once, in input order.
  expect(entries.getAll('file')).toEqual([`${signed[0].folder}one.txt`, `${signed[1].folder}two.txt`]);
  expect(entries.getAll('s3file')).toEqual(['file', 'file']);
  expect(entries.getAll('file-s3f-signature')).toEqual(signed.map((s) => s.signature));
  expect(json.files.file.map((f) => [f.name, f.sha256])).toEqual([['one.txt', sha256('one')], ['two.txt', sha256('two')]]);
  expect(await server.posts()).toBe(posts + 2);
  await page.waitForLoadState();
  await page.screenshot({ path: '/tmp/e2e-shots/d8-submitted.png' });
});

test('with two same-named inputs, an error shows next to the input whose file failed', async ({ page }) => {
  await page.locator('#id_other_file').evaluate((input) => { input.name = 'file'; });
  await page.setInputFiles('#id_file', file('fine.txt', 'fine'));
  await page.setInputFiles('#id_other_file', file('big.bin', Buffer.alloc(3 * 1024 * 1024, 1), 'application/octet-stream'));
  await page.click('#save');
  await expect(page.locator('#id_other_file + [role=alert]')).toHaveText('big.bin is 3 MB; the largest file allowed is 2 MB.');
  await expect(page.locator('#id_file')).not.toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#id_file + [role=alert]')).toHaveCount(0);
});

test('a file the browser gives no type is sent as application/octet-stream (WebKitGTK: .bin)', async ({ page }) => {
  // WebKit names no type for extensions it does not know; a plain form post sends such a file
  // as application/octet-stream, which this server's --accept allows.
  await page.locator('#id_file').evaluate((input) => {
    const chosen = new DataTransfer();
    chosen.items.add(new File(['no type'], 'typeless.bin'));  // type ""
    input.files = chosen.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
  expect(await page.locator('#id_file').evaluate((input) => input.files[0].type)).toBe('');
  await expect(page.locator('#id_file + [role=alert]')).toHaveCount(0);
  const json = await submitAndRead(page, () => page.click('#save'));
  expect(json.files.file.map((f) => [f.name, f.sha256])).toEqual([['typeless.bin', sha256('no type')]]);
});

test('a refusal adds its message to the input\'s own aria-describedby and takes only it out again', async ({ page }) => {
  // Django 5 renders aria-describedby for a field's help text; the drop-in had replaced it.
  await page.locator('#id_file').evaluate((input) => {
    input.accept = '.pdf';
    input.insertAdjacentHTML('afterend', '<span id="id_file_helptext">PDF only.</span>');
    input.setAttribute('aria-describedby', 'id_file_helptext');
  });
  await page.setInputFiles('#id_file', file('notes.txt', 'text'));
  const error = page.locator('#id_file ~ [role=alert]');
  await expect(error).toHaveCount(1);
  const errorId = await error.getAttribute('id');
  await expect(page.locator('#id_file')).toHaveAttribute('aria-describedby', `id_file_helptext ${errorId}`);
  await page.setInputFiles('#id_file', file('ok.pdf', '%PDF', 'application/pdf'));
  await expect(error).toHaveCount(0);
  await expect(page.locator('#id_file')).toHaveAttribute('aria-describedby', 'id_file_helptext');
});
