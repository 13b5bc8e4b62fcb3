// Shared e2e helpers: a page that fails the test on any JavaScript error, fault control,
// reading stored objects back from the S3 emulator, and what the page sent to storage and /submit.
import { test as base, expect } from '@playwright/test';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const sha256 = (data) => createHash('sha256').update(data).digest('hex');

/** The storage origin of the server at `appUrl`: the emulator listens on the app port + 1. */
const storageOf = (appUrl) => {
  const url = new URL(appUrl);
  url.port = String(Number(url.port) + 1);
  return url.origin;
};

/** The stored object of `key`: its bytes and the SHA-256 the emulator computed on arrival. */
export async function readStored(request, storage, key) {
  const response = await request.get(`${storage}/s3file/${key}`);
  expect(response.status(), `object ${key}`).toBe(200);
  return { body: Buffer.from(await response.body()), sha256: response.headers()['x-amz-meta-sha256'] };
}

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
      pending: async () => (await (await request.get('/_faults')).json()).pending,
      posts: async () => (await (await request.get('/_faults')).json()).storage_posts,
      object: async (url) => Buffer.from(await (await request.get(url)).body()),
      stored: (key) => readStored(request, storage, key),
    });
    await request.delete('/_faults');  // also ends any stall still holding a storage request
  },
});

export { expect };

/** A file for setInputFiles. */
export const file = (name, content, mimeType = 'text/plain') => ({ name, mimeType, buffer: Buffer.from(content) });

/**
 * `size` bytes that follow from `seed` (an LCG in every fourth byte): the same here and in a page
 * after installPatterned(page), so a test can build a big File in the page and check it here.
 */
export function patterned(size, seed) {
  const bytes = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i += 4) { x = (Math.imul(x, 1103515245) + 12345) >>> 0; bytes[i] = x >>> 24; }
  return bytes;
}

/** Defines window.patterned(size, seed) in the page: patterned() itself, by its source. */
export const installPatterned = (page) => page.evaluate(`window.patterned = ${patterned}`);

/** A file of `size` bytes for setInputFiles, when only its size matters. */
export const sized = (name, size, mimeType = 'application/octet-stream') => ({ name, mimeType, buffer: Buffer.alloc(size, 7) });

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

/**
 * Records what the page exchanges with storage and the app: `stored` lists the key of every
 * 201 from storage (a key twice = stored twice), `refused` every other storage status,
 * `submits` counts form submissions to /submit.
 */
export function watchTraffic(page, storage) {
  const log = { stored: [], refused: [], submits: 0 };
  page.on('request', (r) => { if (r.url().endsWith('/submit')) log.submits += 1; });
  page.on('response', (r) => {
    if (!r.url().startsWith(storage) || r.request().method() !== 'POST') return;
    if (r.status() !== 201) return void log.refused.push(r.status());
    // The key from the Location header: unlike the body, it is there even after a navigation.
    const path = new URL(r.headers().location).pathname;
    log.stored.push(decodeURIComponent(path.slice(path.indexOf('/', 1) + 1)));
  });
  return log;
}

/**
 * The end state every fault case must reach: each submitted file was stored by exactly one
 * successful storage POST, and its stored bytes have the SHA-256 of what the user chose.
 */
export async function expectStoredOnce(server, log, submitted, contents) {
  expect(submitted.map((f) => f.name)).toEqual(Object.keys(contents));
  for (const entry of submitted) {
    const want = sha256(contents[entry.name]);
    expect(log.stored.filter((key) => key === entry.key), `201s for ${entry.key}`).toHaveLength(1);
    expect(entry.sha256).toBe(want);
    const stored = await server.stored(entry.key);
    expect(stored.sha256).toBe(want);
    expect(sha256(stored.body)).toBe(want);
  }
}

/**
 * Starts a second s3file server on ephemeral ports (for options the shared one does not have,
 * like a short --expires; later `args` win, e.g. --port); stop() ends it by its PID and removes
 * its storage. `env`: its environment (the store's keys for --s3-endpoint, which runs no emulator:
 * `storage` is then undefined).
 */
export async function startServer(args = [], { env = process.env } = {}) {
  const storage = mkdtempSync(join(tmpdir(), 's3file-e2e-'));
  const external = args.includes('--s3-endpoint');
  const child = spawn('build/native/s3file-server', ['--port', '0', '--s3-port', '0', '--storage', storage,
    '--secret', 'e2e-second-server-secret-e2e-second', ...args], { stdio: ['ignore', 'pipe', 'ignore'], env });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // The server prints its app and storage URLs once both ports accept connections.
  const ports = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const app = /app (http:\/\/[^/\s]+)\//.exec(out);
      const s3 = /storage (http:\/\/[^/\s]+)\//.exec(out);
      if (app && (s3 || external)) resolve({ app: app[1], storage: s3?.[1] });
    });
    exited.then((code) => reject(new Error(`s3file-server exited (${code}) before listening: ${out}`)));
  });
  return {
    ...ports,
    pid: child.pid,
    async stop() {
      process.kill(child.pid, 'SIGTERM');
      await exited;
      rmSync(storage, { recursive: true, force: true });
    },
  };
}

/** Runs axe-core (npm) on the page, shadow roots included; fails on any violation. */
export async function expectAccessible(page, state) {
  if (!(await page.evaluate(() => 'axe' in window)))
    await page.addScriptTag({ path: 'node_modules/axe-core/axe.min.js' });
  const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] }))
    .violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
  expect(violations, `axe violations (${state})`).toEqual([]);
}

/** The row of `name` in the <s3-file> `host` (the list lives in its open shadow root). */
export const row = (page, name, host = 's3-file') => page.locator(`${host} .file`).filter({ has: page.locator(`.name[title="${name}"]`) });
