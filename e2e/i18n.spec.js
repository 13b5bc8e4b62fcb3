// D10: every sentence from one message table, chosen by `lang`, overridable per page; German
// shipped complete.
import { test, expect, file, row } from './fixtures.js';
import { setMessages, t } from '../web/i18n/messages.js';
import '../web/element/messages.js';
import '../web/multipart/messages.js';  // queued: the next t() adds it
import de from '../web/locales/de.js';

test('German covers every key of the English table', () => {
  t('en', 'cancel');  // takes in the queued tables (German, the multipart sentences)
  const en = setMessages('en', {});
  expect(Object.keys(de).sort()).toEqual(Object.keys(en).sort());
  for (const [key, text] of Object.entries(de)) {
    const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    expect(placeholders(text), key).toEqual(placeholders(en[key]));
  }
  expect(t('de-AT', 'cancel')).toBe('Abbrechen');  // a regional tag falls back to its language
});

test('D10: on a lang="de" page the element and the engine\'s failures speak German', async ({ page, server }) => {
  await page.goto('/demo/bare.html');
  await page.evaluate(async () => {
    document.documentElement.lang = 'de';
    await import('/locales/de.js');
    document.querySelector('s3-file').setAttribute('max-size', '1KB');
  });
  await page.setInputFiles('#files', [{ name: 'gross.bin', mimeType: 'text/plain', buffer: Buffer.alloc(2048) }, file('klein.txt', 'k')]);
  await expect(row(page, 'gross.bin').locator('.status')).toHaveText('gross.bin ist 2 kB groß; erlaubt sind höchstens 1 kB.');
  await expect(row(page, 'klein.txt').locator('.status')).toHaveText('Bereit');
  await expect(row(page, 'klein.txt').getByRole('button')).toHaveText('Entfernen');
  await row(page, 'gross.bin').getByRole('button', { name: 'gross.bin entfernen' }).click();
  await server.faults([{ kind: 'status', status: 500 }]);
  await page.evaluate(async () => (await (await import('/s3file.js')).engine()).configure({ retryDelays: [] }));
  await page.click('form button');
  await expect(row(page, 'klein.txt').locator('.status')).toHaveText(/^Der Speicher hat den Upload abgelehnt \(InternalError\): /);
});

test('D10: a page overrides any sentence with setMessages, the engine\'s included', async ({ page, server }) => {
  await page.goto('/form');
  await page.evaluate(async () => {
    const { setMessages, engine } = await import('/s3file.js');
    setMessages('en', { AccessDenied: 'Nope: {detail}', fileError: '{name} → {message}' });
    (await engine()).configure({ retryDelays: [] });
  });
  await server.faults([{ kind: 'status', status: 403 }]);
  await page.setInputFiles('input.s3file >> nth=0', file('x.txt', 'x'));
  await page.locator('form button').first().click();
  await expect(page.locator('.s3file-error')).toHaveText(/^x\.txt → Nope: /);
});
