// npm run bench: every figure is measured side by side in this one run and printed as a ratio.
import { mkdirSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { browserBench, fileInput, launchChromium } from './browser.mjs';
import { multipartBench } from './multipart.mjs';
import { CONCURRENCY, policyBench } from './policies.mjs';
import { startServer } from './server.mjs';
import { benchWeb, smallFilesBench, startSink } from './smallfiles.mjs';
import { storageBench } from './storage.mjs';

const root = new URL('../../', import.meta.url).pathname;
const work = `${root}build/bench/`;
rmSync(work, { recursive: true, force: true });
mkdirSync(`${work}storage`, { recursive: true });

// Sparse files: created instantly, read at disk-cache speed, no download or fixture needed.
const sized = (name, mib) => {
  const path = `${work}${name}`;
  writeFileSync(path, '');
  truncateSync(path, mib * (1 << 20));
  return path;
};
// Stored objects are removed after each upload (the emulator's own folders, named with a dot,
// stay), so a run of many 2 GiB uploads does not fill the disk.
const emptyStorage = () => {
  for (const name of readdirSync(`${work}storage`))
    if (!name.startsWith('.')) rmSync(`${work}storage/${name}`, { recursive: true, force: true });
};
const big = Number(process.env.S3FILE_BENCH_SERVER_MIB || 2048);
const browserMiB = Number(process.env.S3FILE_BENCH_BROWSER_MIB || 256);
const multipartMiB = Number(process.env.S3FILE_BENCH_MULTIPART_MIB || 2048);
const linkMiB = Number(process.env.S3FILE_BENCH_LINK_MIB || 64);
// S3FILE_BENCH_LINK=tc: bench.sh runs this file again inside a private network namespace whose
// loopback a tc token bucket holds to 50 Mbit/s; only the link sections run there.
const tcLink = process.env.S3FILE_BENCH_LINK === 'tc';
// S3FILE_BENCH_ONLY=multipart,link runs only those sections (storage, policies, browser, small,
// multipart, link).
const only = process.env.S3FILE_BENCH_ONLY?.split(',');
const wanted = (section) => !only || only.includes(section);

// One POST against multipart at the default (8 MiB parts, six at a time) and the alternatives
// the defaults were chosen from.
const multipartConfigs = [
  { name: 'one POST', concurrency: 6, partMiB: 8, multipart: false },
  { name: '8 MiB x 6', concurrency: 6, partMiB: 8, multipart: true },
  { name: '32 MiB x 1', concurrency: 1, partMiB: 32, multipart: true },
  { name: '32 MiB x 6', concurrency: 6, partMiB: 32, multipart: true },
];

async function multipartSection(server, title, sizeMiB, link) {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const { hash, uploads } = await multipartBench(page, { root, app: server.app, setup: fileInput(sized('multipart.bin', sizeMiB)),
      sizeMiB, rounds: 3, configs: multipartConfigs, link, afterEach: emptyStorage });
    const post = uploads['one POST'].MiBps;
    console.log(`${title}: ${sizeMiB} MiB disk-backed file; Content-MD5 hashing in wasm ${hash.fileMiBps.toFixed(0)} MiB/s ` +
      `streaming each 8 MiB part in 256 KiB chunks (${hash.computeMiBps.toFixed(0)} MiB/s from memory)`);
    for (const [name, r] of Object.entries(uploads))
      console.log(`${title}:   ${name.padEnd(10)} ${r.MiBps.toFixed(1).padStart(6)} MiB/s  ratio to one POST ${(r.MiBps / post).toFixed(2)}  ` +
        `JS heap growth ${r.heapMiB.toFixed(2)} MiB` + (name === 'one POST' ? '' :
        `  (parts ${r.partsMiBps.toFixed(1)} MiB/s, then ${r.completeSeconds.toFixed(1)} s to complete)`));
  } finally {
    await browser.close();
  }
}

// Many small files (issue 11's first target): policies from a second s3file-server issuing them
// for a loopback sink that answers like S3, so the contenders' own costs show, not the emulator's.
async function smallFilesSection() {
  const sink = await startSink();
  const credentials = { AWS_ACCESS_KEY_ID: 'AKIDBENCH', AWS_SECRET_ACCESS_KEY: 'bench-secret' };
  Object.assign(process.env, credentials);
  const policies = await startServer(root, ['--s3-endpoint', `http://127.0.0.1:${sink.port}`,
    '--web', await benchWeb(root, `${work}web`)]);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    for (const [count, size, label] of [[1000, 4096, '1,000 x 4 KiB'], [200, 1 << 20, '200 x 1 MiB']]) {
      const { rate, ratio, uppyRatio } = await smallFilesBench(page, { app: policies.app, count, size, rounds: 3 });
      console.log(`small files: ${label}, policies included: widget upload() ${rate.widget.toFixed(0)} files/s, ` +
        `raw XHR 6 in flight ${rate.xhr6.toFixed(0)}, the seed's all at once ${rate.seed.toFixed(0)}, Uppy 6 ${rate.uppy.toFixed(0)}; ` +
        `widget / fastest plain ${ratio.toFixed(2)} (target >= 1.00: ${ratio >= 1 ? 'pass' : 'FAIL'}), ` +
        `widget / Uppy ${uppyRatio.toFixed(2)} (target >= 1.20: ${uppyRatio >= 1.2 ? 'pass' : 'FAIL'})`);
    }
  } finally {
    await browser.close();
    policies.stop();
    await sink.stop();
    for (const name of Object.keys(credentials)) delete process.env[name];
  }
}

const server = await startServer(root, ['--storage', `${work}storage`, '--max-size', '5GB']);
try {
  if (tcLink) {
    await multipartSection(server, 'multipart, tc tbf 50 Mbit/s on loopback', linkMiB);
  }
  if (!tcLink && wanted('storage')) {
    const storage = await storageBench(server, sized('server.bin', big));
    emptyStorage();
    console.log(`storage: ${storage.mib} MiB upload into the emulator at ${storage.emulatorMBps.toFixed(0)} MB/s; ` +
      `SHA-256 alone over the same file ${storage.sha256MBps.toFixed(0)} MB/s; ratio ${storage.ratio.toFixed(2)}`);
    console.log(`storage: server peak RSS grew by ${storage.rssGrowthMiB.toFixed(1)} MiB during the ${storage.mib} MiB upload`);
  }
  if (!tcLink && wanted('policies')) {
    const { single, batch } = await policyBench(server);
    for (const [label, r] of [['one file per request', single], ['100 files per request', batch]])
      console.log(`policies: ${label}, ${CONCURRENCY} in flight, keep-alive: ${r.policiesPerSecond.toFixed(0)} policies/s ` +
        `(${r.requestsPerSecond.toFixed(0)} requests/s), p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms`);
  }
  if (!tcLink && wanted('browser')) {
    const browser = await browserBench(server, sized('browser.bin', browserMiB), browserMiB);
    emptyStorage();
    console.log(`browser: ${browserMiB} MiB disk-backed file, widget ${browser.widget.MBps.toFixed(0)} MB/s vs ` +
      `plain XHR+FormData ${browser.xhr.MBps.toFixed(0)} MB/s; ratio ${browser.ratio.toFixed(2)}`);
    console.log(`browser: peak JS heap growth, widget ${browser.widget.heapMiB.toFixed(2)} MiB vs plain XHR ` +
      `${browser.xhr.heapMiB.toFixed(2)} MiB (file bytes never enter JS or wasm memory)`);
  }
  if (!tcLink && wanted('small')) await smallFilesSection();
  if (!tcLink && wanted('multipart')) await multipartSection(server, 'multipart, loopback', multipartMiB);
  if (!tcLink && wanted('link')) {
    await multipartSection(server, 'multipart, Chromium-emulated 50 Mbit/s up, 40 ms', linkMiB,
      { latencyMs: 40, upMbit: 50, downMbit: 100 });
  }
} finally {
  server.stop();
  rmSync(work, { recursive: true, force: true });
}
