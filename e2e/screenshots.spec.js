// The screenshots in docs/screenshots/ (README "The element"): every state of <s3-file> on the
// demo page, light and dark, at 1280 and 375 px. Run by `npm run screenshots`, not by npm test.
import { test, expect, file, row, sized } from './fixtures.js';

test.skip(!process.env.S3FILE_SCREENSHOTS, 'npm run screenshots');

const files = () => [file('meeting-notes.txt', 'Notes of the meeting\n'.repeat(40)), sized('annual-report-2026.pdf', 1800000, 'application/pdf'),
                     { name: 'photo of the whiteboard.png', mimeType: 'image/png', buffer: Buffer.alloc(420000, 9) }];

// Each state: how to reach it from a fresh page; `after` releases what it holds.
const states = {
  idle: async () => {},
  'drag-over': async (page) => {
    await page.setInputFiles('#doc', files().slice(0, 1));
    await page.locator('s3-file').evaluate((host) => host.setAttribute('dragover', ''));
  },
  uploading: async (page) => {
    // Chromium's upload throttling: progress over seconds, as on a real link.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 400 * 1024 });
    await page.evaluate(async () => (await (await import('/s3file.js')).engine()).configure({ concurrency: 1 }));
    await page.setInputFiles('#doc', files());
    await page.click('#element-form button');
    const bar = row(page, 'annual-report-2026.pdf').getByRole('progressbar');
    await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(30);
    await expect(page.locator('s3-file [part=total-text]')).toContainText('/s');
  },
  retrying: async (page, server) => {
    await page.evaluate(async () => (await (await import('/s3file.js')).engine()).configure({ retryDelays: [9000] }));
    await server.faults([{ kind: 'status', status: 503, filename: 'annual-report-2026.pdf' }]);
    await page.setInputFiles('#doc', files());
    await page.click('#element-form button');
    await expect.poll(() => row(page, 'annual-report-2026.pdf').getAttribute('data-state')).toBe('retrying');
    await expect.poll(() => row(page, 'meeting-notes.txt').getAttribute('data-state')).toBe('stored');
  },
  failed: async (page, server) => {
    await server.faults([{ kind: 'status', status: 403, filename: 'annual-report-2026.pdf' }]);
    await page.setInputFiles('#doc', files());
    await page.click('#element-form button');
    await expect.poll(() => row(page, 'annual-report-2026.pdf').getAttribute('data-state')).toBe('failed');
    await expect.poll(() => row(page, 'photo of the whiteboard.png').getAttribute('data-state')).toBe('stored');
  },
  done: async (page) => {
    await page.setInputFiles('#doc', files());
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/submit')), page.click('#element-form button')]);
    await expect.poll(() => row(page, 'annual-report-2026.pdf').getAttribute('data-state')).toBe('stored');
  },
};

for (const scheme of ['light', 'dark']) {
  for (const width of [1280, 375]) {
    for (const [name, reach] of Object.entries(states)) {
      test(`${name} ${scheme} ${width}`, async ({ page, server }) => {
        await page.setViewportSize({ width, height: 900 });
        await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
        await page.goto('/');
        await reach(page, server);
        await page.locator('section').first().screenshot({ path: `docs/screenshots/${name}-${scheme}-${width}.png`, animations: 'disabled' });
        await page.request.delete('/_faults');
      });
    }
  }
}

// The drop-in on /form: busy while uploading, a file refused on choice, a failure after upload.
const dropin = {
  uploading: async (page, server) => {
    await server.faults([{ kind: 'stall', filename: 'annual-report-2026.pdf', after_bytes: 600000, seconds: 30 }]);
    await page.setInputFiles('#id_file', sized('annual-report-2026.pdf', 1800000, 'application/pdf'));
    await page.click('#save');
    await expect(page.locator('.s3file-busy')).toContainText('%');
  },
  refused: async (page) => {
    await page.setInputFiles('#id_file', sized('scan-of-the-whole-archive.pdf', 3 * 1024 * 1024, 'application/pdf'));
    await expect(page.locator('.s3file-error')).toBeVisible();
  },
  failed: async (page, server) => {
    await server.faults([{ kind: 'status', status: 403 }]);
    await page.setInputFiles('#id_file', file('meeting-notes.txt', 'notes'));
    await page.click('#save');
    await expect(page.locator('.s3file-error')).toBeVisible();
  },
};

for (const scheme of ['light', 'dark']) {
  for (const width of [1280, 375]) {
    for (const [name, reach] of Object.entries(dropin)) {
      test(`drop-in ${name} ${scheme} ${width}`, async ({ page, server }) => {
        await page.setViewportSize({ width, height: 900 });
        await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
        await page.goto('/form');
        await reach(page, server);
        await page.screenshot({ path: `docs/screenshots/dropin-${name}-${scheme}-${width}.png`, fullPage: true });
        await page.request.delete('/_faults');
      });
    }
  }
}
