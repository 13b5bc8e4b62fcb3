// npm run bench: every figure is measured side by side in this one run and printed as a ratio.
import { cpSync, mkdirSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { browserBench, fileInput, launchChromium } from './browser.mjs';
import { largeUploadMemory, retainedAfterBatches, watchWasm } from './memory.mjs';
import { multipartBench } from './multipart.mjs';
import { CONCURRENCY, policyBench } from './policies.mjs';
import { startServer } from './server.mjs';
import { benchWeb, smallFilesBench, startSink } from './smallfiles.mjs';
import { FLOOR, PAGES, addStartupPages, contentTypeOf, fetchedWeb, firstByteMs, startupBench } from './startup.mjs';
import { readFileSync } from 'node:fs';
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
const browserMiB = Number(process.env.S3FILE_BENCH_BROWSER_MIB || 1024);
const memoryMiB = Number(process.env.S3FILE_BENCH_MEMORY_MIB || 1024);
const startupLoads = Number(process.env.S3FILE_BENCH_STARTUP_LOADS || 41);
// S3FILE_BENCH_SMALL_SCALE=0.1 scales every small-files count down, to try the sections quickly.
const smallScale = Number(process.env.S3FILE_BENCH_SMALL_SCALE || 1);
const multipartMiB = Number(process.env.S3FILE_BENCH_MULTIPART_MIB || 2048);
const linkMiB = Number(process.env.S3FILE_BENCH_LINK_MIB || 64);
// S3FILE_BENCH_LINK=tc: bench.sh runs this file again inside a private network namespace whose
// loopback a tc token bucket holds to 50 Mbit/s; only the link sections run there.
const tcLink = process.env.S3FILE_BENCH_LINK === 'tc';
// S3FILE_BENCH_ONLY=multipart,link runs only those sections (startup, memory, storage, policies,
// browser (also called large), small, small-large, small-link, multipart, link). In the tc pass only link and
// small-link can run.
const only = process.env.S3FILE_BENCH_ONLY?.split(',');
const wanted = (...names) => !only || names.some((name) => only.includes(name));
const passFail = (ok) => (ok ? 'pass' : 'FAIL');
// The lowest and highest of a ratio within single rounds, [low, high].
const roundsSpan = ([low, high]) => `rounds ${low.toFixed(2)}-${high.toFixed(2)}`;
// A ratio with two decimals, or three where two would round it across its target (0.998 is not 1.00).
const fix = (ratio, target) => (Number(ratio.toFixed(2)) >= target && ratio < target ? ratio.toFixed(3) : ratio.toFixed(2));
const MiB = 1 << 20;

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
// `sets`: [[count, size, label]]; `link`: Chromium's network emulation; `methods`: the contenders.
// The rounds run unattended, with no DevTools attached (unattended.mjs), except under an
// emulated link; `attachedToo`: upload() and the plain ways once more in Playwright's page,
// to show what DevTools' per-request events do to the same figures.
async function smallFilesSection(title, sets, { link, methods, attachedToo = false, rounds: roundsRun = SMALL_ROUNDS } = {}) {
  const sink = await startSink();
  const credentials = { AWS_ACCESS_KEY_ID: 'AKIDBENCH', AWS_SECRET_ACCESS_KEY: 'bench-secret' };
  Object.assign(process.env, credentials);
  const policies = await startServer(root, ['--s3-endpoint', `http://127.0.0.1:${sink.port}`,
    '--web', await benchWeb(root, `${work}web`)]);
  // Playwright's browser only for the rounds that run in it.
  const browser = link || attachedToo ? await launchChromium() : null;
  const how = link ? 'in Playwright' : 'no DevTools attached';
  try {
    const page = await browser?.newPage();
    for (const [fullCount, size, label] of sets) {
      const count = Math.max(10, Math.round(fullCount * smallScale));
      const shown = count === fullCount ? label : `${count} x ${label.split(' x ')[1]}`;
      const { rate, ratio, uppyRatio, ratioToPlain, spread, paired, policyRequests } = await smallFilesBench(page,
        { app: policies.app, count, size, rounds: roundsRun, link, methods });
      const per = (m) => `${rate[m].toFixed(rate[m] < 10 ? 1 : 0)} files/s`;
      const rounds = (m) => roundsSpan(spread[m]);
      const perRound = paired.xhr6 ? `; per round, medians: widget / raw XHR ${paired.xhr6.toFixed(2)}, widget / the seed's ${paired.seed.toFixed(2)}` : '';
      if (rate.uppy) {
        console.log(`${title}: ${shown}, policies included, ${how}: widget upload() ${rate.widget.toFixed(0)} files/s, ` +
          `raw XHR 6 in flight ${rate.xhr6.toFixed(0)}, the seed's all at once ${rate.seed.toFixed(0)}, Uppy 6 ${rate.uppy.toFixed(0)}; ` +
          `widget / fastest plain ${fix(ratio, 1)} (${rounds('widget')}; target >= 1.00: ${passFail(ratio >= 1)}), ` +
          `widget / Uppy ${fix(uppyRatio, 1.2)} (target >= 1.20: ${passFail(uppyRatio >= 1.2)})${perRound}`);
      } else if (rate.widget) {  // not in a set of the forms alone
        console.log(`${title}: ${shown}, policies included, ${how}: widget upload() ${per('widget')}, raw XHR 6 in flight ${per('xhr6')}, ` +
          `the seed's all at once ${per('seed')}; widget / raw XHR ${(rate.widget / rate.xhr6).toFixed(2)}, ` +
          `widget / fastest plain ${fix(ratio, 1)} (${rounds('widget')}; target >= 1.00: ${passFail(ratio >= 1)})${perRound}`);
      }
      if (rate.element) {
        // The integrations' own target is the widget's (>= 1.0 of the fastest plain way), judged
        // where the widget runs beside them; the drop-in's policy comes with the page
        // (django-s3file's data-url and data-fields-*), so it asks none per submit; <s3-file>
        // asks its policy-url once per upload run.
        const judged = (m, label) => (rate.widget ? `; ${label}${passFail(ratioToPlain[m] >= 1)}` : '');
        const forms = `${title}: ${shown}, forms, submit to final submission, ${how}: <s3-file> ${per('element')} ` +
          `(${fix(ratioToPlain.element, 1)} of the fastest plain, ${rounds('element')}${judged('element', 'target >= 1.00: ')}), ` +
          `drop-in ${per('dropin')} (${fix(ratioToPlain.dropin, 1)}, ${rounds('dropin')}${judged('dropin', '')})`;
        if (rate.widget) {
          const most = Math.max(policyRequests.element, policyRequests.dropin, policyRequests.widget);
          console.log(`${forms}; policy requests per submit: <s3-file> ${policyRequests.element}, drop-in ` +
            `${policyRequests.dropin} (its policy is in the page), upload() ${policyRequests.widget}, Uppy ` +
            `${policyRequests.uppy} (target <= 1 per submit: ${passFail(most <= 1)})`);
        } else {
          console.log(`${forms}; <s3-file> / drop-in ${(rate.element / rate.dropin).toFixed(2)}; raw XHR 6 in flight ${per('xhr6')}`);
        }
      }
      if (attachedToo && !link) {
        const attached = await smallFilesBench(page, { app: policies.app, count, size, rounds: SMALL_ROUNDS,
          attached: true, methods: ['widget', 'xhr6', 'seed'] });
        console.log(`${title}: ${shown}, the same in Playwright (DevTools' Network domain on: every request sends it ` +
          `its events): widget upload() ${attached.rate.widget.toFixed(0)} files/s, raw XHR 6 in flight ` +
          `${attached.rate.xhr6.toFixed(0)}, the seed's all at once ${attached.rate.seed.toFixed(0)}; widget / fastest plain ` +
          `${fix(attached.ratio, 1)} (${roundsSpan(attached.spread.widget)}); unattended / attached, the seed's way: ` +
          `${(rate.seed / attached.rate.seed).toFixed(2)}`);
      }
    }
  } finally {
    await browser?.close();
    policies.stop();
    await sink.stop();
    for (const name of Object.keys(credentials)) delete process.env[name];
  }
}

const SMALL = [[1000, 4096, '1,000 x 4 KiB'], [200, 1 << 20, '200 x 1 MiB']];
// Medians of 7 alternating rounds: one run of 1,000 x 4 KiB moves by 5-10 % on this 2-core
// machine, so medians of 3 moved a ratio by as much between full runs (upload() 0.85-1.05 of
// the fastest plain way, which is itself the higher of two medians).
const SMALL_ROUNDS = 7;
// A selection five times that, through the forms alone (<s3-file> draws a row per file, the
// drop-in none): whether the element's cost per file grows with the list. Three rounds keep
// it to about two minutes. Not the seed's way: 5,000 requests started at once fail in
// Chromium ("network error"), so raw XHR with six in flight is the plain way here.
const LARGE_SELECTION = [[5000, 4096, '5,000 x 4 KiB']];
const LARGE_METHODS = ['xhr6', 'element', 'dropin'];
// Slow links: fewer files (the same shapes), so the section stays within a minute or two; the
// plain ways and the widget only.
const SMALL_SLOW = [[200, 4096, '200 x 4 KiB'], [20, 1 << 20, '20 x 1 MiB']];
// Under tc the rounds run unattended, whose 200 small files took a third of a second, and
// single rounds strayed by -24 to +30 %: a thousand, as on loopback.
const SMALL_TC = [[1000, 4096, '1,000 x 4 KiB'], [20, 1 << 20, '20 x 1 MiB']];
const SLOW_METHODS = ['widget', 'xhr6', 'seed'];
const EMULATED = { latencyMs: 40, upMbit: 50, downMbit: 100 };

// Start-up (target 5): import to engine ready, cold and warm, today's s3file.js (which carries
// the POST engine's .wasm) against a scratch copy that fetches it and compiles it while it
// streams in.
async function startupSection(server) {
  // What the page loads, by the names dist.mjs gave them; the multipart engine's .wasm is still
  // fetched (once a file needs it), so its type decides whether that compile streams.
  const loaded = Object.keys(JSON.parse(readFileSync(`${root}dist/size.json`, 'utf8')).s3file.files);
  const mp = readdirSync(`${root}dist`).find((f) => /^s3file-engine-mp-.*\.wasm$/.test(f));
  const mpType = contentTypeOf(`${server.app}/${mp}`);
  console.log(`startup: s3file.js carries the POST engine's .wasm; the server sends the multipart engine's, ${mp}, as ${mpType} ` +
    `(${/^application\/wasm\b/i.test(mpType) ? 'streaming compile possible' : 'not application/wasm: no streaming compile'})`);
  // The modules' share: s3file-server sends dist/'s precompressed siblings (scripts/precompress.mjs)
  // as a static host or CDN does; it used to compress each response as it sent it (Brotli at
  // cpp-httplib's default quality: 21 ms to the first byte). The first byte of the library's
  // module (the engine's JS and .wasm; one module since it holds the code the other entries
  // share), per encoding, shows what is left.
  const library = loaded.find((f) => f.endsWith('.js'));
  if (library) {
    const ms = firstByteMs(`${server.app}/${library}`);
    console.log(`startup: first byte of ${library} (the engine) from s3file-server, median of 5 (curl): ` +
      Object.entries(ms).map(([encoding, t]) => `${encoding} ${t.toFixed(1)} ms`).join(', '));
  }
  // Copies of dist/ with the styled page and the floor module beside it (startup.mjs PAGES):
  // today's, and one whose engine.js fetches the .wasm, built before any server starts (a
  // build that throws leaves none running), the servers stopped whatever happens after.
  const todayDir = `${work}startup-today/`;
  cpSync(`${root}dist`, todayDir, { recursive: true });
  addStartupPages(todayDir);
  const fetched = await fetchedWeb(root, `${work}startup-web`);
  if (fetched.dir) addStartupPages(fetched.dir);
  else console.log(`startup: the variant that fetches the .wasm is skipped: ${fetched.why}`);
  const today = await startServer(root, ['--storage', `${work}startup-storage-today`, '--web', todayDir]);
  let scratch = null;
  try {
    const variants = {
      bare: { origin: today.app, page: PAGES.bare }, styled: { origin: today.app, page: PAGES.styled },
      floorBare: { origin: today.app, page: PAGES.bare, module: FLOOR }, floorStyled: { origin: today.app, page: PAGES.styled, module: FLOOR },
    };
    if (fetched.dir) {
      scratch = await startServer(root, ['--storage', `${work}startup-storage`, '--web', fetched.dir]);
      variants.fetched = { origin: scratch.app, page: PAGES.styled };
      const type = contentTypeOf(`${scratch.app}/${fetched.wasm}`);
      if (!/^application\/wasm\b/i.test(type)) console.log(`startup: the scratch copy's .wasm comes as ${type}: it compiles from bytes, not streaming`);
    }
    await startupRuns(variants);
  } finally {
    today.stop();
    scratch?.stop();
  }
}

/** Times `variants` (startup.mjs startupBench) in a browser of their own and prints the lines. */
async function startupRuns(variants) {
  const browser = await launchChromium();
  try {
    const results = await startupBench(browser, variants, startupLoads);
    const ms = (t) => `${t.toFixed(1)} ms`;
    const line = (name, label) => {
      const { cold, warm } = results[name];
      return `startup: ${label}, import('/s3file.js') to engine ready, median of ${cold.loads} loads: ` +
        `cold ${ms(cold.readyMs)} (target <= 20 ms: ${passFail(cold.readyMs <= 20)}; the modules' import ` +
        `${ms(cold.importMs)}, then the engine ${ms(cold.engineMs)}), warm ${ms(warm.readyMs)} (target: ${passFail(warm.readyMs <= 20)}; ` +
        `import ${warm.importMs.toFixed(1)}, engine ${ms(warm.engineMs)})`;
    };
    console.log(line('styled', 'a page with a stylesheet (as real pages have), the .wasm carried in s3file.js (today)'));
    console.log(line('bare', 'a page with no subresource at all (the import is the new context\'s first request)'));
    const floor = (phase) => `${phase} ${ms(results.floorStyled[phase].importMs)} and ${ms(results.floorBare[phase].importMs)}, ` +
      `so the library's own share is ${ms(results.styled[phase].readyMs - results.floorStyled[phase].importMs)} and ` +
      `${ms(results.bare[phase].readyMs - results.floorBare[phase].importMs)}`;
    console.log(`startup: Chromium's floor, the import of a 20-byte module instead, on the same two pages: ${floor('cold')}; ${floor('warm')}`);
    if (results.fetched) {
      console.log(line('fetched', 'the page with a stylesheet, the .wasm fetched beside the module with instantiateStreaming (scratch copy: before)'));
      const ratio = (phase, part) => (results.styled[phase][part] / results.fetched[phase][part]).toFixed(2);
      console.log(`startup: carried / fetched: import to ready cold ${ratio('cold', 'readyMs')}, warm ${ratio('warm', 'readyMs')}; ` +
        `the engine part cold ${ratio('cold', 'engineMs')}, warm ${ratio('warm', 'engineMs')} (below 1: carrying it is quicker)`);
    }
  } finally {
    await browser.close();
  }
}

// Memory (target 4): (a) the large upload's JS heap and wasm memory growth, median and largest
// of three fresh pages; (b) what stays per file after batches of 1,000 x 4 KiB, forced GC.
async function memorySection(server) {
  let browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await watchWasm(page);
    const runs = [];
    for (let i = 0; i < 3; i += 1) {
      runs.push(await largeUploadMemory(page, server.app, fileInput(sized('memory.bin', memoryMiB))));
      emptyStorage();
    }
    const heap = runs.map((r) => r.heapGrowth / MiB).sort((a, b) => a - b);
    const wasm = Math.max(...runs.map((r) => r.wasmAfter - r.wasmBefore));
    console.log(`memory: ${memoryMiB} MiB disk-backed upload() (one POST, 3 fresh pages): peak JS heap growth median ` +
      `${heap[1].toFixed(2)} MiB (${heap[0].toFixed(2)}-${heap[2].toFixed(2)}; target <= 1 MiB: ${passFail(heap[1] <= 1)}); ` +
      `wasm memory ${(runs[0].wasmBefore / MiB).toFixed(0)} MiB, grew by ${wasm} bytes at most (target 0: ${passFail(wasm === 0)})`);
  } finally {
    await browser.close();
  }
  const sink = await startSink();
  const credentials = { AWS_ACCESS_KEY_ID: 'AKIDBENCH', AWS_SECRET_ACCESS_KEY: 'bench-secret' };
  Object.assign(process.env, credentials);
  const policies = await startServer(root, ['--s3-endpoint', `http://127.0.0.1:${sink.port}`]);
  browser = await launchChromium(['--js-flags=--expose-gc']);
  try {
    const count = Math.max(10, Math.round(1000 * smallScale));
    const batches = Number(process.env.S3FILE_BENCH_MEMORY_BATCHES || 3);
    const { baseline, after, filesLeft } = await retainedAfterBatches(await browser.newPage(), policies.app,
      { count, size: 4096, batches });
    const perFile = (after[after.length - 1] - baseline) / (count * batches);
    const slope = batches > 1 ? (after[after.length - 1] - after[0]) / (count * (batches - 1)) : 0;
    // The pass line: a leak of anything per file (a Map entry, a closure, a listener, a result
    // object) is 40 bytes or more per file and grows with every batch; below 64 B per file
    // the remainder is the heap's own noise between full collections (tens of KiB of lazily
    // compiled code and inline caches) spread over the files.
    console.log(`memory: ${count} x 4 KiB with upload(), ${batches} batches after a warm-up batch, forced GC: JS heap ` +
      `${after.map((a) => `${a - baseline >= 0 ? '+' : ''}${((a - baseline) / 1024).toFixed(1)}`).join(', ')} KiB ` +
      `against the baseline, ${perFile.toFixed(1)} B retained per file upload (target <= 64 B: ${passFail(perFile <= 64)}; ` +
      `from the first to the last batch ${slope.toFixed(1)} B per file, where a leak would keep growing); ` +
      `engine().files holds ${filesLeft} File objects afterwards (target 0: ${passFail(filesLeft === 0)})`);
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
    if (wanted('link')) await multipartSection(server, 'multipart, tc tbf 50 Mbit/s on loopback', linkMiB);
    if (wanted('small-link')) await smallFilesSection('small files, tc tbf 50 Mbit/s', SMALL_TC, { methods: SLOW_METHODS });
  }
  if (!tcLink && wanted('startup')) await startupSection(server);
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
  if (!tcLink && wanted('browser', 'large')) {
    const browser = await browserBench(server, sized('browser.bin', browserMiB), browserMiB);
    emptyStorage();
    console.log(`browser: ${browserMiB} MiB disk-backed file, widget ${browser.widget.MBps.toFixed(0)} MB/s vs ` +
      `plain XHR+FormData ${browser.xhr.MBps.toFixed(0)} MB/s (medians of ${browser.rounds} alternating rounds); ` +
      `ratio ${fix(browser.ratio, 0.95)} (target >= 0.95: ${passFail(browser.ratio >= 0.95)})`);
    console.log(`browser: peak JS heap growth, widget ${browser.widget.heapMiB.toFixed(2)} MiB vs plain XHR ` +
      `${browser.xhr.heapMiB.toFixed(2)} MiB (file bytes never enter JS or wasm memory)`);
  }
  if (!tcLink && wanted('memory')) await memorySection(server);
  if (!tcLink && wanted('small')) await smallFilesSection('small files', SMALL, { attachedToo: true });
  if (!tcLink && wanted('small', 'small-large')) {
    await smallFilesSection('small files, a large selection', LARGE_SELECTION, { methods: LARGE_METHODS, rounds: 3 });
  }
  if (!tcLink && wanted('small-link')) {
    await smallFilesSection('small files, Chromium-emulated 50 Mbit/s up, 40 ms', SMALL_SLOW,
      { link: EMULATED, methods: SLOW_METHODS });
  }
  if (!tcLink && wanted('multipart')) await multipartSection(server, 'multipart, loopback', multipartMiB);
  if (!tcLink && wanted('link')) {
    await multipartSection(server, 'multipart, Chromium-emulated 50 Mbit/s up, 40 ms', linkMiB, EMULATED);
  }
} finally {
  server.stop();
  rmSync(work, { recursive: true, force: true });
}
