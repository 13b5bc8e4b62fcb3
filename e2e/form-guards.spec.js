// What a form submits when the user changes it under a running upload: a file refused meanwhile,
// a disabled input, a reset. Each was a defect a hostile probe found (the submit sent what the
// form would not have sent).
import { test, expect, file, row, sized, submitAndRead, watchTraffic } from './fixtures.js';

/** Storage POSTs whose body names `name` as the file, counted as the page sends them. */
function postsOf(page, storage, name) {
  const seen = { count: 0 };
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().startsWith(storage) && r.postDataBuffer()?.includes(`filename="${name}"`)) seen.count += 1;
  });
  return seen;
}

test('a file refused while the uploads run is neither sent nor submitted, on a novalidate form too', async ({ page, server }) => {
  await page.goto('/demo/bare.html');
  await page.evaluate(() => {
    document.querySelector('s3-file').setAttribute('max-size', '100KB');
    document.forms[0].noValidate = true;
  });
  const log = watchTraffic(page, server.storage);
  const big = postsOf(page, server.storage, 'big.bin');
  // The first file's request is held by storage until the faults are cleared.
  await server.faults([{ kind: 'stall', filename: 'first.bin', after_bytes: 1000, seconds: 30 }]);
  await page.setInputFiles('#files', sized('first.bin', 50 * 1024));
  await page.click('form button');
  await expect.poll(() => server.pending()).toEqual([]);  // the stall has taken the request
  await page.setInputFiles('#files', sized('big.bin', 300 * 1024));
  await expect(row(page, 'big.bin')).toHaveAttribute('data-state', 'refused');
  await page.request.delete('/_faults');
  // The submit stops at the refusal: the input gets the focus, the form is no longer busy.
  await expect(page.locator('#files')).toBeFocused();
  await expect(page.locator('form')).not.toHaveAttribute('aria-busy', 'true');
  expect(big.count).toBe(0);
  expect(log.submits).toBe(0);
  expect(page.url()).toContain('/demo/bare.html');
});

test('a disabled file input, itself or by its fieldset, is neither uploaded nor submitted', async ({ page, server }) => {
  await page.goto('/form');
  const log = watchTraffic(page, server.storage);
  await page.setInputFiles('#id_file', file('kept.txt', 'kept'));
  await page.setInputFiles('#id_other_file', file('fieldset.txt', 'no'));
  await page.setInputFiles('#id_multiple_file', file('disabled.txt', 'no'));
  await page.evaluate(() => {
    const fieldset = document.createElement('fieldset');
    fieldset.disabled = true;
    const other = document.getElementById('id_other_file');
    other.parentElement.replaceWith(fieldset);
    fieldset.append(other);
    document.getElementById('id_multiple_file').disabled = true;
  });
  const json = await submitAndRead(page, () => page.click('#save'));
  expect(json.files.file.map((f) => f.name)).toEqual(['kept.txt']);
  expect(json.files.other_file).toBeUndefined();
  expect(json.files.multiple_file).toBeUndefined();
  expect(log.stored.map((key) => key.split('/').pop())).toEqual(['kept.txt']);
});

test('a reset during the uploads stops them and submits nothing; the form can be filled again', async ({ page, server }) => {
  await page.goto('/form');
  const log = watchTraffic(page, server.storage);
  await server.faults([{ kind: 'stall', filename: 'slow.bin', after_bytes: 1000, seconds: 30 }]);
  await page.fill('#id_title', 'discarded');
  await page.setInputFiles('#id_file', sized('slow.bin', 50 * 1024));
  const canceled = page.locator('#id_file').evaluate((input) => new Promise((resolve) =>
    input.addEventListener('s3file:cancel', (e) => resolve(e.detail.file.name), { once: true })));
  await page.click('#save');
  await expect(page.locator('#upload-form')).toHaveAttribute('aria-busy', 'true');
  await page.evaluate(() => document.getElementById('upload-form').reset());
  expect(await canceled).toBe('slow.bin');
  await expect(page.locator('#upload-form')).not.toHaveAttribute('aria-busy', 'true');
  await page.request.delete('/_faults');
  expect(log.submits).toBe(0);
  expect(page.url()).toContain('/form');
  // The same form, filled again, submits as usual.
  await page.setInputFiles('#id_file', file('again.txt', 'again'));
  const json = await submitAndRead(page, () => page.click('#save'));
  expect(json.files.file.map((f) => f.name)).toEqual(['again.txt']);
});

test('a reset clears <s3-file>\'s rows and its refusal, so the emptied form is not blocked', async ({ page }) => {
  await page.goto('/demo/bare.html');
  await page.locator('s3-file').evaluate((host) => host.setAttribute('max-size', '100KB'));
  await page.setInputFiles('#files', [file('a.txt', 'a'), sized('big.bin', 300 * 1024)]);
  await expect(row(page, 'big.bin')).toHaveAttribute('data-state', 'refused');
  expect(await page.locator('#files').evaluate((input) => input.validity.valid)).toBe(false);
  await page.evaluate(() => document.forms[0].reset());
  await expect(page.locator('s3-file .file')).toHaveCount(0);
  await expect(page.locator('s3-file .summary')).toBeHidden();
  expect(await page.locator('#files').evaluate((input) => input.validity.valid)).toBe(true);
  await expect(page.locator('#files')).not.toHaveAttribute('aria-invalid', 'true');
});

test('a reset clears the drop-in\'s refusal and its message', async ({ page }) => {
  await page.goto('/form');
  await page.setInputFiles('#id_file', sized('huge.bin', 3 * 1024 * 1024));
  await expect(page.locator('.s3file-error')).toHaveCount(1);
  await page.evaluate(() => document.getElementById('upload-form').reset());
  await expect(page.locator('.s3file-error')).toHaveCount(0);
  expect(await page.locator('#id_file').evaluate((input) => input.validity.valid)).toBe(true);
  await expect(page.locator('#id_file')).not.toHaveAttribute('aria-invalid', 'true');
});
