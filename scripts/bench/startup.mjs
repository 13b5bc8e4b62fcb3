// Start-up (issue 11's target 5): how long a page waits from `import('/s3file.js')` until the
// engine is ready (web/engine.js `engine()` resolved: the .wasm compiled and instantiated, the
// glue's state set up). Medians over fresh page loads:
// - cold: a new browser context for every load, so its HTTP cache and Chromium's compiled-code
//   cache are empty and the modules are fetched and compiled each time (what a first visit
//   costs);
// - warm: new pages in one context that loaded the page once before (a return visit).
// s3file.js carries the POST engine's .wasm (scripts/inline-engine.mjs). The section also loads
// a scratch copy of dist/ whose engine.js fetches the .wasm from beside the module and compiles
// it while it streams in (WebAssembly.instantiateStreaming, as the target words it, and as
// web/engine.js did before), side by side, so the bench shows what carrying it is worth.
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundle, copyEngines } from '../bundle.mjs';
import { precompress } from '../precompress.mjs';

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The Content-Type header the server sends for `url` (a HEAD request, as curl -I shows it). */
export function contentTypeOf(url) {
  const head = execFileSync('curl', ['-sI', '--max-time', '10', url], { encoding: 'utf8' });
  return /^content-type:\s*(.*?)\s*$/im.exec(head)?.[1] ?? '(none)';
}

// web/engine.js's engine bytes; the scratch copy fetches them instead (web/multipart/wasm-file.js).
const CARRIED = /bytesOf\(S3FILE_ENGINE_WASM\)/;

/**
 * dist/ copied to `dir`, with the entries bundled again (as scripts/dist.mjs bundles them) from
 * a copy of web/ whose engine.js fetches the POST engine's .wasm, copied beside the modules,
 * with instantiateStreaming. {dir}, or {dir: null, why} when today's engine.js no longer has
 * what this patches.
 */
export async function fetchedWeb(root, dir) {
  cpSync(`${root}dist`, dir, { recursive: true });
  const src = `${dir}.src`;
  cpSync(`${root}web`, `${src}/web`, { recursive: true });
  const engine = readFileSync(`${src}/web/engine.js`, 'utf8');
  if (!CARRIED.test(engine)) return { dir: null, why: 'web/engine.js no longer decodes the engine it carries as this variant expects' };
  // fetchWasm's own copy: imported, it would become a chunk the library shares with the
  // multipart engine's, and the library loads as one module (scripts/bundle.mjs).
  const fetchWasm = readFileSync(`${src}/web/multipart/wasm-file.js`, 'utf8').replace('export async function', 'async function');
  writeFileSync(`${src}/web/engine.js`, `${engine.replace(CARRIED, 'fetchWasm(new URL(S3FILE_ENGINE_WASM, import.meta.url))')}\n${fetchWasm}`);
  // Every entry, as dist.mjs bundles them, so the chunks a page loads are split the same way.
  const engines = copyEngines(root, `${dir}/`, ['s3file-engine', 's3file-engine-mp']);
  await bundle({ web: `${src}/web/`, glue: `${root}build/wasm/`, outdir: `${dir}/`, engines, inline: false });
  await precompress(dir);  // the copied siblings are today's entries'
  return { dir, wasm: engines['s3file-engine'] };
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

// The pages a load imports from. A new browser context's first subresource request waits about
// 8 ms in Chromium before it is sent, whatever it fetches (a 20-byte module's import took 13 ms
// cold as the page's first subresource, 4 ms after one): on `bare` (a page with no subresource)
// the library's import pays that; on `styled`, the same page with a stylesheet as real pages
// have, the page's own request did. FLOOR is a module of 20 bytes, imported instead of the
// library to show what Chromium alone takes on each page.
export const PAGES = { bare: '/demo/library-only.html', styled: '/demo/library-styled.html' };
export const FLOOR = '/bench-floor.js';

/** Adds the styled page and the floor module to a copy of dist/ (`dir`). */
export function addStartupPages(dir) {
  const bare = readFileSync(join(dir, PAGES.bare), 'utf8');
  if (!bare.includes('</head>')) throw new Error(`${PAGES.bare} has no </head> to add a stylesheet before`);
  writeFileSync(join(dir, PAGES.styled), bare.replace('</head>', '<link rel="stylesheet" href="/demo/demo.css">\n</head>'));
  writeFileSync(join(dir, FLOOR), 'export const x = 1;\n');
}

/**
 * One load in `context` (a new page) of `origin` + `page`, then import(`module`) and, for the
 * library, engine(): ms to import, ms to engine ready (the floor module has no engine: ready =
 * imported).
 */
async function loadOnce(context, { origin, page: path = PAGES.bare, module = '/s3file.js' }) {
  const page = await context.newPage();
  try {
    await page.goto(`${origin}${path}`);
    return await page.evaluate(async (module) => {
      const started = performance.now();
      const { engine } = await import(module);
      const imported = performance.now();
      await engine?.();
      const ready = performance.now();
      return { importMs: imported - started, readyMs: ready - started };
    }, module);
  } finally {
    await page.close();
  }
}

/**
 * variants: {name: {origin, page?, module?}}; per variant {cold, warm} with medians of readyMs
 * and importMs over `loads` loads each, the variants alternating so machine noise hits each alike.
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
    engineMs: median(list.map((r) => r.readyMs - r.importMs)), loads: list.length });
  return Object.fromEntries(names.map((n) => [n, { cold: summary(runs[n].cold), warm: summary(runs[n].warm) }]));
}
