// axe-core (npm) finds no violations on /, /form and the bare element page, in every state the
// widget shows: idle, files chosen, refused, uploading, retrying, failed and done.
import { test, expect, file, row, expectAccessible, sized } from './fixtures.js';


for (const scheme of ['light', 'dark']) {
  test(`the element page in every state (${scheme})`, async ({ page, server }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto('/');
    await expectAccessible(page, 'idle');
    await page.evaluate(async () => (await (await import('/s3file.js')).engine()).configure({ retryDelays: [30000] }));
    await page.setInputFiles('#doc', [file('ready.txt', 'ready'), sized('slow.bin', 1500000), file('flaky.txt', 'flaky')]);
    await expectAccessible(page, 'files chosen');
    await server.faults([{ kind: 'stall', filename: 'slow.bin', after_bytes: 100000, seconds: 30 },
                         { kind: 'status', status: 503, filename: 'flaky.txt' }]);
    await page.click('#element-form button');
    await expect.poll(() => row(page, 'flaky.txt').getAttribute('data-state')).toBe('retrying');
    await expect.poll(() => row(page, 'slow.bin').getAttribute('data-state')).toBe('uploading');
    await expectAccessible(page, 'uploading and retrying');
    await row(page, 'flaky.txt').getByRole('button', { name: /^Cancel/ }).click();
    await page.request.delete('/_faults');
    await expect.poll(() => row(page, 'slow.bin').getAttribute('data-state')).toBe('stored');
    await expectAccessible(page, 'canceled and stored');
    await server.faults([{ kind: 'status', status: 403, filename: 'flaky.txt' }]);
    await row(page, 'flaky.txt').getByRole('button', { name: /^Retry/ }).click();
    await expect.poll(() => row(page, 'flaky.txt').getAttribute('data-state')).toBe('failed');
    await expectAccessible(page, 'failed');
    await row(page, 'flaky.txt').getByRole('button', { name: /^Remove/ }).click();
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/submit')), page.click('#element-form button')]);
    await expectAccessible(page, 'done');
  });
}

test('/form (the drop-in) idle, refused, uploading and failed', async ({ page, server }) => {
  await page.goto('/form');
  await expectAccessible(page, 'idle');
  await page.setInputFiles('input.s3file >> nth=0', sized('huge.bin', 3 * 1024 * 1024));
  await expectAccessible(page, 'refused');
  await page.setInputFiles('input.s3file >> nth=0', sized('slow.bin', 1500000));
  await server.faults([{ kind: 'stall', filename: 'slow.bin', after_bytes: 100000, seconds: 30 }]);
  await page.locator('form button').first().click();
  await expect(page.locator('form')).toHaveAttribute('aria-busy', 'true');
  await expectAccessible(page, 'uploading');
  await page.request.delete('/_faults');
  await server.faults([{ kind: 'status', status: 403 }]);
  await page.waitForURL('**/submit');
  await page.goto('/form');
  await page.setInputFiles('input.s3file >> nth=0', file('refused.txt', 'no'));
  await page.locator('form button').first().click();
  await expect(page.locator('.s3file-error')).toBeVisible();
  await expectAccessible(page, 'failed');
});

test('the bare element page: idle, refused, drag-over', async ({ page }) => {
  await page.goto('/demo/bare.html');
  await expectAccessible(page, 'idle');
  await page.locator('s3-file').evaluate((host) => host.setAttribute('max-files', '1'));
  await page.setInputFiles('#files', [file('a.txt', 'a'), file('b.txt', 'b')]);
  await expectAccessible(page, 'refused');
  await page.locator('s3-file').evaluate((host) => host.setAttribute('dragover', ''));
  await expectAccessible(page, 'drag-over');
});

test('a long list is one list of every file: rows drawn in groups say where each stands', async ({ page }) => {
  // Rows go in groups of 40 that are skipped whole while out of view (web/element/styles.js);
  // the groups are generic containers, and each row carries its place in the whole list.
  await page.goto('/demo/bare.html');
  await page.setInputFiles('#files', Array.from({ length: 45 }, (_, i) => file(`f${i}.txt`, 'x')));
  const rows = page.locator('s3-file [role=list] [role=listitem]');
  await expect(rows).toHaveCount(45);
  expect(await page.locator('s3-file [role=list]').count()).toBe(1);
  expect(await rows.evaluateAll((nodes) => nodes.map((n) => `${n.getAttribute('aria-posinset')}/${n.getAttribute('aria-setsize')}`)))
    .toEqual(Array.from({ length: 45 }, (_, i) => `${i + 1}/45`));
  await expectAccessible(page, '45 files');
  // Removing one renumbers the rest.
  await page.locator('s3-file').getByRole('button', { name: 'Remove f0.txt' }).click();
  expect(await rows.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('aria-setsize')))).toEqual(Array(44).fill('44'));
  expect(await rows.first().getAttribute('aria-posinset')).toBe('1');
});
