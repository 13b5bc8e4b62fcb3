// Many small files, side by side in one page (issue 11): the widget's upload() against a plain
// XMLHttpRequest + FormData loop with six in flight, against the seed's way (django-s3file's
// script: every XHR started at once) and against Uppy 6 (@uppy/core + @uppy/aws-s3,
// shouldUseMultipart: false, six at a time). Policies come from the same s3file-server (one batch
// request for the widget and the plain loops; one GET /s3/params per file for Uppy, as it asks
// Companion), and every upload goes to the same loopback sink that answers like S3 (201 and its
// XML, CORS as a bucket would), so the sink costs every contender alike and little. The form
// integrations, <s3-file> and the drop-in, run in the same rounds (forms.mjs). Under a slow link
// (Chromium's network emulation, `link`) the page's every request goes through it.
import { cpSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { build } from 'esbuild';
import { runForm } from './forms.mjs';

/** dist/ plus the Uppy bundle in `dir`, for s3file-server --web. */
export async function benchWeb(root, dir) {
  mkdirSync(dir, { recursive: true });
  cpSync(`${root}dist`, dir, { recursive: true });
  await build({ entryPoints: [`${root}scripts/bench/uppy-entry.js`], bundle: true, format: 'esm', minify: true,
    outfile: `${dir}/uppy-bench.js`, logLevel: 'error' });
  return dir;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** A POST Object sink on loopback: drains the body, answers 201 with the key it was given. */
export async function startSink() {
  const server = createServer((request, response) => {
    const cors = { 'Access-Control-Allow-Origin': request.headers.origin || '*', 'Access-Control-Expose-Headers': 'ETag, Location' };
    if (request.method === 'OPTIONS') {
      response.writeHead(200, { ...cors, 'Access-Control-Allow-Methods': 'POST', 'Access-Control-Allow-Headers': '*',
        'Access-Control-Max-Age': '600' });
      return response.end();
    }
    let head = '';  // the fields come before the file: the first 64 KiB hold the key and filename
    request.on('data', (chunk) => { if (head.length < 65536) head += chunk.toString('latin1'); });
    request.on('end', () => {
      const key = /name="key"\r\n\r\n([^\r]*)/.exec(head)?.[1] || 'key';
      const filename = /filename="([^"]*)"/.exec(head)?.[1] || '';
      const stored = key.replace('${filename}', filename);
      const etag = '"d41d8cd98f00b204e9800998ecf8427e"';
      const location = `http://${request.headers.host}/s3file/${stored}`;
      response.writeHead(201, { ...cors, 'Content-Type': 'application/xml', ETag: etag, Location: location });
      response.end(`<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse><Location>${location}</Location>` +
        `<Bucket>s3file</Bucket><Key>${stored}</Key><ETag>${etag}</ETag></PostResponse>`);
    });
  });
  server.keepAliveTimeout = 10000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: server.address().port, stop: () => new Promise((resolve) => server.close(resolve)) };
}

/** One contender uploading `count` in-memory files of `size` bytes: seconds, all stored or throws. */
async function runOnce(page, method, count, size) {
  if (method === 'element' || method === 'dropin') return runForm(page, method, count, size);
  return page.evaluate(async ({ method, count, size }) => {
    // Made once per page and size, and used by every contender and round: in-memory blobs made
    // anew for each run outgrow Chromium's blob memory (ERR_BLOB_OUT_OF_MEMORY) before any is collected.
    const made = (window.benchFiles ||= {});
    if (!made[size] || made[size].length < count) {
      const bytes = new Uint8Array(size).fill(97);
      made[size] = Array.from({ length: count }, (_, i) => new File([bytes], `f${i}.txt`, { type: 'text/plain' }));
    }
    const files = made[size].slice(0, count);
    const policiesFor = async (list) => (await (await fetch('/api/policy', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ files: list.map((f) => ({ name: f.name, size: f.size, type: f.type, field: 'file' })) }) })).json()).files;
    const post = (policy, file) => new Promise((resolve, reject) => {
      const form = new FormData();
      for (const [name, value] of Object.entries(policy.fields)) form.append(name, value);
      form.append('Content-Type', file.type);
      form.append('file', file);
      const xhr = new XMLHttpRequest();
      xhr.open('POST', policy.url);
      xhr.upload.onprogress = () => {};  // as every contender reports progress
      xhr.onload = () => (xhr.status === 201 ? resolve() : reject(new Error(`HTTP ${xhr.status}`)));
      xhr.onerror = () => reject(new Error('network error'));
      xhr.send(form);
    });
    const started = performance.now();
    if (method === 'widget') {
      const { upload } = await import('/s3file.js');
      const results = await upload(files, { policyUrl: '/api/policy' });
      if (results.length !== count) throw new Error('not every file stored');
    } else if (method === 'uppy') {
      const { Uppy, AwsS3 } = await import('/uppy-bench.js');
      // Uppy 6 asks Companion's GET /s3/params for each file's POST fields (its successor of
      // getUploadParameters), which s3file-server serves.
      const uppy = new Uppy().use(AwsS3, { companionEndpoint: location.origin, shouldUseMultipart: false, limit: 6 });
      uppy.addFiles(files.map((file) => ({ name: file.name, type: file.type, data: file })));
      const result = await uppy.upload();
      uppy.destroy();
      if (result.successful.length !== count) throw new Error(`Uppy stored ${result.successful.length} of ${count}: ${result.failed?.[0]?.error}`);
    } else if (method === 'xhr6') {
      const policies = await policiesFor(files);
      let next = 0;
      const lane = async () => { while (next < count) { const i = next++; await post(policies[i], files[i]); } };
      await Promise.all(Array.from({ length: 6 }, lane));
    } else {  // the seed: every request at once, the browser queues them per host
      const policies = await policiesFor(files);
      await Promise.all(files.map((file, i) => post(policies[i], file)));
    }
    return (performance.now() - started) / 1000;
  }, { method, count, size });
}

// Before any page script: count the page's policy requests (POST /api/policy, Uppy's GET
// /s3/params), to print the round trips each way makes per upload run.
// Once per page load, though each size's call adds the script again.
const countPolicyRequests = () => {
  if ('benchPolicyRequests' in window) return;
  window.benchPolicyRequests = 0;
  const { fetch } = window;
  window.fetch = (resource, ...rest) => {
    const url = new URL(resource instanceof Request ? resource.url : resource, location.href);
    if (url.pathname === '/api/policy' || url.pathname === '/s3/params') window.benchPolicyRequests += 1;
    return fetch(resource, ...rest);
  };
};

export const PLAIN = ['xhr6', 'seed'];  // the plain ways the widget is held against

/**
 * Files per second per contender (medians over `rounds` alternating rounds), the policy
 * requests each made per run (the most seen), and each contender's ratio to the fastest plain
 * way and the widget's to Uppy. `link` ({latencyMs, upMbit, downMbit}): Chromium's network
 * emulation for the page's every request (set before the page loads, kept across navigations).
 */
export async function smallFilesBench(page, { app, count, size, rounds, link,
  methods = ['widget', 'xhr6', 'seed', 'uppy', 'element', 'dropin'] }) {
  if (link) {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: link.latencyMs,
      uploadThroughput: link.upMbit * 125000, downloadThroughput: link.downMbit * 125000 });
  }
  await page.addInitScript(countPolicyRequests);
  await page.goto(`${app}/demo/library-only.html`);
  const seconds = Object.fromEntries(methods.map((m) => [m, []]));
  const policyRequests = Object.fromEntries(methods.map((m) => [m, 0]));
  const counted = async (m, n) => {
    const before = await page.evaluate(() => window.benchPolicyRequests);
    const took = await runOnce(page, m, n, size);
    policyRequests[m] = Math.max(policyRequests[m], (await page.evaluate(() => window.benchPolicyRequests)) - before);
    return took;
  };
  for (const m of methods) await counted(m, Math.min(count, 50));  // warm-up: engine, sockets
  for (let round = 0; round < rounds; round += 1) {
    const order = round % 2 ? [...methods].reverse() : methods;
    for (const m of order) seconds[m].push(await counted(m, count));
  }
  const rate = Object.fromEntries(methods.map((m) => [m, count / median(seconds[m])]));
  const fastestPlain = Math.max(...PLAIN.filter((m) => rate[m]).map((m) => rate[m]));
  const ratioToPlain = Object.fromEntries(methods.map((m) => [m, rate[m] / fastestPlain]));
  return { rate, policyRequests, ratioToPlain, ratio: ratioToPlain.widget, uppyRatio: rate.widget / rate.uppy };
}
