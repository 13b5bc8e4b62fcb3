// Browser benchmark in Debian's Chromium (issue 11's target 2, "large"): the widget's upload()
// side by side with a plain XMLHttpRequest + FormData (the browser's own multipart encoder)
// posting the same disk-backed file (1 GiB by default, S3FILE_BENCH_BROWSER_MIB) to the same
// emulator, in alternating rounds. Reports throughput and peak JS heap growth for each.
import { chromium } from '@playwright/test';

// Alternating, so machine noise hits both sides alike; medians reported (at least 3).
const ROUNDS = Math.max(3, Number(process.env.S3FILE_BENCH_BROWSER_ROUNDS || 5));

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function run(page, method) {
  return page.evaluate(async (method) => {
    const file = document.getElementById('bench-file').files[0];
    const base = performance.memory.usedJSHeapSize;
    let peak = base;
    const sampler = setInterval(() => { peak = Math.max(peak, performance.memory.usedJSHeapSize); }, 20);
    const started = performance.now();
    if (method === 'widget') {
      const { upload } = await import('/s3file.js');
      await upload([file], { policyUrl: '/api/policy' });
    } else {
      const policy = await (await fetch('/api/policy', { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: file.name, size: file.size, type: file.type, field: 'file' }) })).json();
      const form = new FormData();
      for (const [name, value] of Object.entries(policy.fields)) form.append(name, value);
      form.append('Content-Type', file.type);
      form.append('file', file);
      await new Promise((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        xhr.open('POST', policy.url);
        xhr.upload.onprogress = () => {};
        xhr.onload = () => (xhr.status === 201 ? resolve() : reject(new Error(`HTTP ${xhr.status}`)));
        xhr.onerror = () => reject(new Error('network error'));
        xhr.send(form);
      });
    }
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    return { seconds, heapGrowth: peak - base };
  }, method);
}

/**
 * Debian's Chromium, headless, with precise heap figures for the memory columns; `extraArgs`
 * e.g. ['--js-flags=--expose-gc'] for the memory section's forced collections.
 */
export function launchChromium(extraArgs = []) {
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, '--enable-precise-memory-info', ...extraArgs] });
}

/** The bench's Chromium and the flags every launch of it gets (Playwright's, and unattended.mjs's). */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

/** A page setup: an <input type=file id=bench-file> holding the file at `path`. */
export const fileInput = (path) => async (page) => {
  await page.evaluate(() => {
    const input = Object.assign(document.createElement('input'), { type: 'file', id: 'bench-file' });
    document.body.append(input);
  });
  await page.setInputFiles('#bench-file', path);
};

export async function browserBench(server, path, sizeMiB) {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`${server.app}/`);
    await fileInput(path)(page);
    const results = { widget: [], xhr: [] };
    await run(page, 'widget');  // warm-up: loads and compiles the engine
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const method of round % 2 ? ['widget', 'xhr'] : ['xhr', 'widget']) results[method].push(await run(page, method));
    }
    const summary = (list) => ({
      MBps: sizeMiB / median(list.map((r) => r.seconds)),
      heapMiB: median(list.map((r) => r.heapGrowth)) / (1 << 20),
    });
    const widget = summary(results.widget);
    const xhr = summary(results.xhr);
    return { widget, xhr, ratio: widget.MBps / xhr.MBps, rounds: ROUNDS };
  } finally {
    await browser.close();
  }
}
