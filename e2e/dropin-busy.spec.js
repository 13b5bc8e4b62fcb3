// D4: the django drop-in (/form) while it uploads: busy form, disabled submitters, a warning
// before leaving, a visible status; the seed's progress events unchanged.
import { test, expect, file, sized } from './fixtures.js';


test('D4: while uploading the form is busy, its submitters are disabled and leaving asks first', async ({ page, server }) => {
  await page.goto('/form');
  const buttons = page.locator('form button, form input[type=submit]');
  const count = await buttons.count();
  expect(count).toBeGreaterThan(0);
  await server.faults([{ kind: 'stall', filename: 'slow.bin', after_bytes: 100000, seconds: 30 }]);
  await page.setInputFiles('input.s3file >> nth=0', sized('slow.bin', 1500000));
  const progress = page.evaluate(() => new Promise((resolve) => document.querySelector('form')
    .addEventListener('progress', (e) => resolve(Object.keys(e.detail).sort()), { once: true })));
  await buttons.first().click();
  await expect(page.locator('form')).toHaveAttribute('aria-busy', 'true');
  for (let i = 0; i < count; i += 1) await expect(buttons.nth(i)).toBeDisabled();
  await expect(page.locator('.s3file-busy')).toHaveText(/^Uploading \d+\s?%$/);
  expect(await progress).toEqual(['currentFile', 'currentFileName', 'currentFileProgress', 'loaded', 'originalEvent', 'progress', 'total']);
  // Leaving mid-upload: the browser asks (beforeunload); dismissing it keeps the page.
  const dialog = new Promise((resolve) => page.once('dialog', async (d) => { resolve(d.type()); await d.dismiss(); }));
  await page.close({ runBeforeUnload: true });
  expect(await dialog).toBe('beforeunload');
  expect(page.isClosed()).toBe(false);
  const done = page.waitForURL('**/submit');
  await page.request.delete('/_faults');
  await done;
});

test('D4: after a failure the form is no longer busy and its submitters work again', async ({ page, server }) => {
  await page.goto('/form');
  await server.faults([{ kind: 'status', status: 403 }]);
  await page.setInputFiles('input.s3file >> nth=0', file('refused.txt', 'no'));
  const button = page.locator('form button').first();
  // Every value aria-busy took: it must have been busy, and no longer be.
  await page.evaluate(() => {
    window.busyValues = [];
    new MutationObserver(() => window.busyValues.push(document.querySelector('form').getAttribute('aria-busy')))
      .observe(document.querySelector('form'), { attributes: true, attributeFilter: ['aria-busy'] });
  });
  await button.click();
  await expect(page.locator('.s3file-error')).toContainText('refused.txt: ');
  expect(await page.evaluate(() => window.busyValues)).toContain('true');
  await expect(page.locator('form')).not.toHaveAttribute('aria-busy', 'true');
  await expect(button).toBeEnabled();
  await expect(page.locator('.s3file-busy')).toHaveCount(0);
});

test('the drop-in refuses a file outside its policy\'s size range before sending it', async ({ page, server }) => {
  await page.goto('/form');
  let sent = 0;
  page.on('request', (r) => { if (r.url().startsWith(server.storage)) sent += 1; });
  await page.setInputFiles('input.s3file >> nth=0', sized('huge.bin', 3 * 1024 * 1024));
  await expect(page.locator('.s3file-error').first()).toHaveText('huge.bin is 3 MB; the largest file allowed is 2 MB.');
  expect(await page.locator('input.s3file >> nth=0').getAttribute('aria-invalid')).toBe('true');
  await page.locator('form button').first().click();
  expect(sent).toBe(0);
  expect(page.url()).toContain('/form');
});
