// S3 multipart in the browser, measured side by side in one run: Content-MD5 hashing alone (the
// engine's MD5, built with the engine's flags, over the file read in the engine's 1 MiB chunks),
// then one POST against multipart uploads at several part sizes and parallelisms, alternating
// rounds so machine noise hits each alike. Each upload runs in a freshly loaded page, because the
// engine's options apply from the first upload on.
import { readFileSync } from 'node:fs';

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Serves the MD5 bench module (built by bench.sh, not shipped) under the page's origin. Only
 * while hashing: with a route in place Chromium hands every request's body to Playwright,
 * uploads included.
 */
async function routeMd5Bench(page, root) {
  const dir = `${root}build/wasm/`;
  await page.route('**/md5-bench.*', (route) => {
    const name = new URL(route.request().url()).pathname.split('/').pop();
    route.fulfill({ body: readFileSync(dir + name),
      contentType: name.endsWith('.wasm') ? 'application/wasm' : 'text/javascript' });
  });
}

/** MiB/s of MD5 over the file read chunk by chunk, and over bytes already in wasm memory. */
async function hashRates(page) {
  return page.evaluate(async () => {
    const { default: load } = await import('/md5-bench.mjs');
    const md5 = await load();
    const file = document.getElementById('bench-file').files[0];
    const MiB = 1 << 20;
    const chunk = 256 << 10;  // the engine's hash_chunk_bytes
    const ptr = md5._malloc(chunk);
    // Compute only: the same 256 KiB hashed over and over, 256 MiB in all.
    let started = performance.now();
    md5._md5_bench_begin();
    for (let i = 0; i < 1024; i += 1) md5._md5_bench_update(ptr, chunk);
    md5._md5_bench_finish();
    const computeMiBps = 256 / ((performance.now() - started) / 1000);
    // The engine's path: each 8 MiB part streamed from Blob.slice() through one BYOB reader into
    // a reused 256 KiB buffer, copied into wasm memory, hashed.
    let buffer = new ArrayBuffer(chunk);
    const part = 8 * MiB;
    started = performance.now();
    md5._md5_bench_begin();
    for (let start = 0; start < file.size; start += part) {
      const end = Math.min(file.size, start + part);
      const reader = file.slice(start, end).stream().getReader({ mode: 'byob' });
      for (let offset = start; offset < end; offset += chunk) {
        const length = Math.min(chunk, end - offset);
        let filled = 0;
        while (filled < length) {
          const { value, done } = await reader.read(new Uint8Array(buffer, filled, length - filled));
          buffer = value.buffer;
          filled += value.byteLength;
          if (done) break;
        }
        md5.HEAPU8.set(new Uint8Array(buffer, 0, filled), ptr);
        md5._md5_bench_update(ptr, filled);
      }
    }
    md5._md5_bench_finish();
    const fileMiBps = file.size / MiB / ((performance.now() - started) / 1000);
    return { computeMiBps, fileMiBps };
  });
}

/** One upload of the chosen file in a fresh page: {seconds, heapGrowth (bytes), puts}. */
async function uploadOnce(page, app, setup, config) {
  await page.goto(`${app}/`);
  await setup(page);
  return page.evaluate(async ({ concurrency, partMiB, multipart }) => {
    const file = document.getElementById('bench-file').files[0];
    const { upload, engine } = await import('/s3file.js');
    (await engine()).configure({ concurrency, partSize: partMiB * 2 ** 20 });
    const options = { policyUrl: '/api/policy', ...(multipart && { multipartUrl: '/s3/multipart', multipartThreshold: 1 }) };
    let lastPart = 0;
    if (multipart) {
      await upload([new File(['warm-up'], 'w.bin')], options);  // loads the multipart engine
      (await engine(true)).listen('s3file:part', () => { lastPart = performance.now(); });
    }
    const base = performance.memory.usedJSHeapSize;
    let peak = base;
    const sampler = setInterval(() => { peak = Math.max(peak, performance.memory.usedJSHeapSize); }, 20);
    const started = performance.now();
    await upload([file], options);
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    // Until the last part is stored: what the browser does, without the store's assembly at complete.
    return { seconds, partsSeconds: multipart ? (lastPart - started) / 1000 : seconds, heapGrowth: peak - base };
  }, config);
}

/**
 * configs: [{name, concurrency, partMiB, multipart}]; returns per config {MBps, heapMiB} (medians over
 * `rounds`) and the hash rates. `setup(page)` puts the file into #bench-file.
 */
export async function multipartBench(page, { root, app, setup, sizeMiB, rounds, configs, link, afterEach = () => {} }) {
  await routeMd5Bench(page, root);
  if (link) {  // Chromium's own network emulation (DevTools' throttling), kept across navigations
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: link.latencyMs,
      uploadThroughput: link.upMbit * 125000, downloadThroughput: link.downMbit * 125000 });
  }
  await page.goto(`${app}/`);
  await setup(page);
  const hash = await hashRates(page);
  await page.unrouteAll();
  const results = new Map(configs.map((c) => [c.name, []]));
  for (let round = 0; round < rounds; round += 1) {
    const order = round % 2 ? [...configs].reverse() : configs;
    for (const config of order) {
      results.get(config.name).push(await uploadOnce(page, app, setup, config));
      afterEach();
    }
  }
  const summary = {};
  for (const [name, list] of results) {
    summary[name] = { MiBps: sizeMiB / median(list.map((r) => r.seconds)),
      partsMiBps: sizeMiB / median(list.map((r) => r.partsSeconds)),
      completeSeconds: median(list.map((r) => r.seconds - r.partsSeconds)),
      heapMiB: median(list.map((r) => r.heapGrowth)) / (1 << 20) };
  }
  return { hash, uploads: summary };
}
