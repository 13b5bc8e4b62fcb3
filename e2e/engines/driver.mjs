// One small driver-neutral layer over three browser engines, so a cross-engine flow is written
// once: Chromium (Playwright, Debian's /usr/bin/chromium), Firefox ESR (puppeteer-core over
// WebDriver BiDi) and WebKitGTK (selenium-webdriver + WebKitWebDriver, started by the runner).
//
// Every driver has: open(url), chooseFiles(selector, files), click(selector), text(selector),
// evaluate(fn, arg), waitFor(fnOrSelector, arg, timeoutMs), close().
// `files` are {name, mimeType, content}; they are written to a temporary folder and handed to
// the browser's own file upload, so the page gets disk-backed File objects as from the picker.
// (The MIME type is the browser's guess from the extension, as for a real pick.)
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const FIREFOX = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';
const MINIBROWSER = process.env.MINIBROWSER_PATH || '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/** Writes `files` into a fresh folder each (same names may repeat); returns their paths. */
function writeFiles(root, files) {
  return files.map((f, i) => {
    const dir = join(root, String(i));
    mkdirSync(dir, { recursive: true });
    const path = join(dir, f.name);
    writeFileSync(path, f.content);
    return path;
  });
}

/** A function (or its source) as the body of an expression the browser evaluates with `arg`. */
// Wait conditions return JSON values (a DOM node does not cross every protocol: coerce with !!).
const source = (fn) => (typeof fn === 'function' ? fn.toString() : `() => document.querySelector(${JSON.stringify(fn)}) !== null`);

async function poll(check, timeoutMs, what) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await check();
      if (last) return last;
    } catch (error) {
      last = error;  // e.g. evaluated during a navigation: try again
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function base(name, impl) {
  const tmp = mkdtempSync(join(tmpdir(), `s3file-engines-${name}-`));
  return {
    name,
    ...impl,
    chooseFiles: (selector, files) => impl.upload(selector, writeFiles(mkdtempSync(join(tmp, 'f')), files)),
    text: (selector) => impl.evaluate((s) => document.querySelector(s)?.textContent ?? null, selector),
    async waitFor(what, arg, timeoutMs = 15_000) {
      const fn = source(what);
      return poll(() => impl.evaluateSource(fn, arg), timeoutMs, typeof what === 'string' ? what : 'a condition');
    },
    async close() {
      try { await impl.quit(); } finally { rmSync(tmp, { recursive: true, force: true }); }
    },
  };
}

export async function chromium() {
  const { chromium: pw } = await import('@playwright/test');
  const browser = await pw.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
  const page = await browser.newPage();
  const evaluateSource = (fn, arg) => page.evaluate(({ fn, arg }) => (0, eval)(`(${fn})`)(arg), { fn, arg });
  return base('chromium', {
    version: browser.version(),
    open: async (url) => { await page.goto(url); },
    upload: (selector, paths) => page.setInputFiles(selector, paths),
    click: (selector) => page.click(selector, { noWaitAfter: true }),
    evaluate: (fn, arg) => evaluateSource(fn.toString(), arg),
    evaluateSource,
    quit: () => browser.close(),
  });
}

export async function firefox() {
  const puppeteer = (await import('puppeteer-core')).default;
  const browser = await puppeteer.launch({
    browser: 'firefox', executablePath: FIREFOX, headless: true,
    // The /submit answer is JSON; Firefox's JSON viewer would turn it into a devtools page.
    extraPrefsFirefox: { 'devtools.jsonview.enabled': false },
  });
  const page = await browser.newPage();
  const evaluateSource = (fn, arg) => page.evaluate((fn, arg) => (0, eval)(`(${fn})`)(arg), fn, arg);
  return base('firefox', {
    version: await browser.version(),
    open: async (url) => { await page.goto(url, { waitUntil: 'load' }); },
    async upload(selector, paths) {
      const input = await page.waitForSelector(selector);
      await input.uploadFile(...paths);
      await input.dispose();
    },
    click: (selector) => page.click(selector),
    evaluate: (fn, arg) => evaluateSource(fn.toString(), arg),
    evaluateSource,
    quit: () => browser.close(),
  });
}

/** WebKitGTK through a WebKitWebDriver already listening at `server` (the runner starts it). */
export async function webkit(server = process.env.WEBKIT_DRIVER_URL) {
  if (!server) throw new Error('WEBKIT_DRIVER_URL is not set (the runner starts WebKitWebDriver under xvfb-run)');
  const { Builder, By } = await import('selenium-webdriver');
  const capabilities = {
    browserName: 'MiniBrowser',
    'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
  };
  const driver = await new Builder().usingServer(server).withCapabilities(capabilities).build();
  // executeAsyncScript lets the page's promises settle; the result goes back as JSON.
  const evaluateSource = (fn, arg) => driver.executeAsyncScript(
    `const done = arguments[arguments.length - 1];
     Promise.resolve().then(() => (0, eval)('(' + arguments[0] + ')')(arguments[1]))
       .then((v) => done({ ok: v === undefined ? null : v }), (e) => done({ error: String(e && e.stack || e) }));`,
    fn, arg ?? null).then((r) => { if (r.error) throw new Error(r.error); return r.ok; });
  await driver.manage().setTimeouts({ script: 30_000 });
  const caps = await driver.getCapabilities();
  return base('webkit', {
    version: `${caps.get('browserName')} ${caps.get('browserVersion')}`,
    open: (url) => driver.get(url),
    async upload(selector, paths) {
      const input = await driver.findElement(By.css(selector));
      // Several files: one path per line (the WebDriver convention for <input multiple>).
      await input.sendKeys(paths.join('\n'));
    },
    click: async (selector) => (await driver.findElement(By.css(selector))).click(),
    evaluate: (fn, arg) => evaluateSource(fn.toString(), arg),
    evaluateSource,
    quit: () => driver.quit(),
  });
}

export const engines = { chromium, firefox, webkit };
