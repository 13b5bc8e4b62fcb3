// Shared e2e helpers: a page that fails the test on any JavaScript error, fault control,
// reading stored objects back from the S3 emulator, and the form entries a submit sent.
import { test as base, expect } from '@playwright/test';
import { createHash } from 'node:crypto';

export const sha256 = (data) => createHash('sha256').update(data).digest('hex');

/** The storage origin of the server at `appUrl`: the emulator listens on the app port + 1. */
const storageOf = (appUrl) => {
  const url = new URL(appUrl);
  url.port = String(Number(url.port) + 1);
  return url.origin;
};

export const test = base.extend({
  page: async ({ page }, use) => {
    const errors = [];
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    // Chromium logs every 4xx/5xx response as a console error; a refused upload is one on
    // purpose, so those network lines are not JavaScript errors. Everything else counts.
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
        errors.push(`console: ${message.text()}`);
    });
    await use(page);
    expect(errors, 'no JavaScript errors on the page').toEqual([]);
  },
  server: async ({ request, baseURL }, use) => {
    await request.delete('/_faults');
    const storage = storageOf(baseURL);
    await use({
      storage,
      faults: async (list) => expect((await request.post('/_faults', { data: list })).status()).toBe(200),
      posts: async () => (await (await request.get('/_faults')).json()).storage_posts,
      object: async (url) => Buffer.from(await (await request.get(url)).body()),
    });
    await request.delete('/_faults');
  },
});

export { expect };

/** A file for setInputFiles. */
export const file = (name, content, mimeType = 'text/plain') => ({ name, mimeType, buffer: Buffer.from(content) });

/** Submits with `click`; returns the /submit status, JSON and the form's entries as sent. */
export async function submit(page, click) {
  const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/submit')), click()]);
  const request = response.request();
  const sent = new Response(request.postDataBuffer(), { headers: { 'content-type': request.headers()['content-type'] } });
  return { status: response.status(), json: await response.json(), entries: await sent.formData() };
}

/** Submits with `click` and returns the /submit JSON the navigation lands on. */
export async function submitAndRead(page, click) {
  const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/submit')), click()]);
  expect(response.status()).toBe(201);
  return response.json();
}
