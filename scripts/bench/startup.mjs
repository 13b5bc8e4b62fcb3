// Start-up (issue 11's target 5): how long a page waits from `import('/s3file.js')` until the
// engine is ready (web/engine.js `engine()` resolved: the .wasm fetched, compiled and
// instantiated, the glue's state set up). Medians over fresh page loads:
// - cold: a new browser context for every load, so its HTTP cache and Chromium's compiled-code
//   cache are empty and the modules and the .wasm are fetched and compiled each time (what a
//   first visit costs);
// - warm: new pages in one context that loaded the page once before (a return visit).
// The target asks for WebAssembly's streaming compile when the server sends application/wasm, so
// the section also reads the Content-Type the server gives the .wasm, and loads a scratch copy
// of dist/ whose engine.js compiles the .wasm while it downloads (WebAssembly.compileStreaming)
// side by side with today's fetch + arrayBuffer(). The scratch glue takes a compiled Module as
// Emscripten's -sMINIMAL_RUNTIME_STREAMING_WASM_COMPILATION=1 makes it do (the one line that
// setting changes in 3.1.6's postamble_minimal.js); dist/ and web/ are not touched.
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { bundle, copyEngines } from '../bundle.mjs';
import { precompress } from '../precompress.mjs';

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The Content-Type header the server sends for `url` (a HEAD request, as curl -I shows it). */
export function contentTypeOf(url) {
  const head = execFileSync('curl', ['-sI', '--max-time', '10', url], { encoding: 'utf8' });
  return /^content-type:\s*(.*?)\s*$/im.exec(head)?.[1] ?? '(none)';
}

// Today's engine.js (web/engine.js): the whole .wasm as bytes, then the glue compiles and
// instantiates them. The scratch copy hands the glue a Module compiled while the bytes arrive.
const TODAY = `  const module = await load({ wasm: await response.arrayBuffer() });`;
const STREAMING = `  // Compiled while it downloads when the server says application/wasm (what compileStreaming
  // requires); from bytes otherwise. The glue instantiates either.
  const streaming = WebAssembly.compileStreaming && /^application\\/wasm\\b/i.test(response.headers.get('Content-Type') || '');
  const module = await load({ wasm: await (streaming ? WebAssembly.compileStreaming(response) : response.arrayBuffer()) });`;
// The minimal runtime's glue reads `output.instance.exports` (what instantiate(bytes) resolves
// to); -sMINIMAL_RUNTIME_STREAMING_WASM_COMPILATION=1 makes it `(output.instance || output)`, as
// instantiate(Module) resolves to the Instance itself.
const GLUE = 'output.instance.exports';

/**
 * dist/ copied to `dir`, with the entries bundled again (as scripts/dist.mjs bundles them) from
 * a copy of web/ whose engine.js streams, and glue that takes a Module. {dir}, or {dir: null,
 * why} when today's sources no longer have the lines this patches.
 */
export async function streamingWeb(root, dir) {
  cpSync(`${root}dist`, dir, { recursive: true });
  const src = `${dir}.src`;
  cpSync(`${root}web`, `${src}/web`, { recursive: true });
  const engine = readFileSync(`${src}/web/engine.js`, 'utf8');
  if (!engine.includes(TODAY)) return { dir: null, why: 'web/engine.js no longer reads the .wasm with arrayBuffer()' };
  writeFileSync(`${src}/web/engine.js`, engine.replace(TODAY, STREAMING));
  for (const glue of ['s3file-engine.mjs', 's3file-engine-mp.mjs']) {
    const text = readFileSync(`${root}build/wasm/${glue}`, 'utf8');
    if (!text.includes(GLUE)) return { dir: null, why: `build/wasm/${glue} has no ${GLUE} to patch` };
    writeFileSync(`${src}/${glue}`, text.replace(GLUE, '(output.instance||output).exports'));
  }
  // Every entry, as dist.mjs bundles them, so the chunks a page loads are split the same way.
  await bundle({ web: `${src}/web/`, glue: `${src}/`, outdir: `${dir}/`, engines: copyEngines(root, `${dir}/`) });
  precompress(dir);  // the copied siblings are today's entries'
  return { dir };
}

/**
 * Median ms to the first byte of `url` over `times` requests, per Accept-Encoding: what a page
 * waits for on the wire (s3file-server sends dist/'s precompressed siblings; it used to
 * compress each response as it sent it).
 */
export function firstByteMs(url, encodings = ['br', 'gzip', 'identity'], times = 5) {
  return Object.fromEntries(encodings.map((encoding) => [encoding, median(Array.from({ length: times }, () =>
    1000 * Number(execFileSync('curl', ['-s', '-o', '/dev/null', '--max-time', '10', '-H', `Accept-Encoding: ${encoding}`,
      '-w', '%{time_starttransfer}', url], { encoding: 'utf8' }))))]));
}

/** One load of the page at `origin` in `context` (a new page): ms to import, ms to engine ready. */
async function loadOnce(context, origin) {
  const page = await context.newPage();
  try {
    await page.goto(`${origin}/demo/library-only.html`);  // a page that imports nothing by itself
    return await page.evaluate(async () => {
      const started = performance.now();
      const { engine } = await import('/s3file.js');
      const imported = performance.now();
      await engine();
      const ready = performance.now();
      const wasm = performance.getEntriesByType('resource').find((e) => e.name.endsWith('.wasm'));
      return { importMs: imported - started, readyMs: ready - started, wasmCached: wasm?.transferSize === 0 };
    });
  } finally {
    await page.close();
  }
}

/**
 * variants: {name: origin}; per variant {cold, warm} with medians of readyMs and importMs over
 * `loads` loads each, the variants alternating so machine noise hits each alike.
 */
export async function startupBench(browser, variants, loads) {
  const names = Object.keys(variants);
  const runs = Object.fromEntries(names.map((n) => [n, { cold: [], warm: [] }]));
  const warmContexts = {};
  for (const name of names) {  // the first visit, whose caches the warm loads reuse
    warmContexts[name] = await browser.newContext();
    await loadOnce(warmContexts[name], variants[name]);
  }
  for (let i = 0; i < loads; i += 1) {
    for (const name of i % 2 ? [...names].reverse() : names) {
      const context = await browser.newContext();  // empty caches: a first visit
      runs[name].cold.push(await loadOnce(context, variants[name]));
      await context.close();
      runs[name].warm.push(await loadOnce(warmContexts[name], variants[name]));
    }
  }
  for (const context of Object.values(warmContexts)) await context.close();
  const summary = (list) => ({ readyMs: median(list.map((r) => r.readyMs)), importMs: median(list.map((r) => r.importMs)),
    engineMs: median(list.map((r) => r.readyMs - r.importMs)),
    wasmCached: list.filter((r) => r.wasmCached).length, loads: list.length });
  return Object.fromEntries(names.map((n) => [n, { cold: summary(runs[n].cold), warm: summary(runs[n].warm) }]));
}
