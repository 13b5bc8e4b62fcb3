// The esbuild build of the page entries, shared by scripts/dist.mjs and the bench's start-up
// variant (scripts/bench/startup.mjs), so both split and name the chunks alike.
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { minify as terse } from 'terser';
import { inlineEngine, PLACEHOLDER } from './inline-engine.mjs';

/** One entry per way of use. */
export const ENTRIES = ['s3file', 's3file-django', 's3file-element', 'locales/de'];
// The library holds the engine's code itself, and the other entries import it from there
// rather than from a chunk they share: a page that imports s3file.js waits for one module, not
// two, before it can fetch the .wasm (import to engine ready, cold: 0.81-0.93 of the time in
// three A/Bs of 31 loads). The pages of the other entries load their entry and s3file.js, as
// they loaded their entry and the chunk, and share one engine with any script of the page
// that imports s3file.js.
const LIBRARY = ['s3file', 'locales/de'];
const USING_LIBRARY = ['s3file-django', 's3file-element'];

/**
 * Copies build/wasm/<name>.wasm to `outdir` as <name>-<HASH>.wasm, named by its content like
 * esbuild's chunks: the server caches such names for a year (a new build gets a new name), so a
 * return visit loads the engine without a request. {name: fileName}. The POST engine's only
 * for a build that fetches it (bundle()'s `inline` false); s3file.js carries it.
 */
export function copyEngines(root, outdir, engines = ['s3file-engine-mp']) {
  const names = {};
  for (const name of engines) {
    const hash = createHash('sha256').update(readFileSync(`${root}build/wasm/${name}.wasm`)).digest('hex').slice(0, 8).toUpperCase();
    names[name] = `${name}-${hash}.wasm`;
    copyFileSync(`${root}build/wasm/${name}.wasm`, `${outdir}${names[name]}`);
  }
  return names;
}

// Emscripten 3.1.6's minimal runtime makes eight views of the heap (and again whenever memory
// grows), keeps the function table in a variable and the ready promise's reject function; the
// engine's glue reads only HEAPU8 of them, and the reject once adaptedInstantiate() uses it.
// esbuild keeps them (a `new Int8Array(b)` could throw), so a view or the table that the glue
// names only where it declares and assigns it is dropped here: bytes every page downloaded
// for nothing.
const UNREAD = ['HEAP8', 'HEAP16', 'HEAP32', 'HEAPU16', 'HEAPU32', 'HEAPF32', 'HEAPF64', 'wasmTable', 'readyPromiseReject'];
export function withoutUnread(glue) {
  let text = glue;
  for (const name of UNREAD) {
    if ((text.match(new RegExp(`\\b${name}\\b`, 'g')) || []).length !== 2) continue;  // read somewhere: kept
    text = text.replace(new RegExp(`\\b${name}=[^;}]*;?`), '').replace(new RegExp(`\\b${name},|,${name}\\b`), '');
  }
  return text;
}

// UTF8ToString(ptr, maxBytesToRead): the ports never pass a length (the bound was NaN, always
// true), so the copy in the glue reads up to the NUL alone, unless some call does pass one.
// Its null test goes too: the ports pass C strings, and address 0 reads as "" regardless (the
// wasm's data starts at Emscripten's GLOBAL_BASE, 1,024; nothing is stored below it). An ASCII
// string, as keys, URLs, field names and types nearly always are, becomes a string without the
// TextDecoder: some fifteen strings per small file, 0.16 us each against 0.55 (Chromium, a loop
// over ten such strings; spreading the bytes instead took 0.63); up to 4,096 bytes, well within
// any engine's limit on arguments.
const UTF8_BOUNDED = 'function UTF8ToString(ptr,maxBytesToRead){if(!ptr)return"";var maxPtr=ptr+maxBytesToRead;for(var end=ptr;!(end>=maxPtr)&&HEAPU8[end];)++end;return UTF8Decoder.decode(HEAPU8.subarray(ptr,end))}';
const UTF8_ASCII = 'function UTF8ToString(ptr){for(var end=ptr,high=0;HEAPU8[end];)high|=HEAPU8[end++];var bytes=HEAPU8.subarray(ptr,end);return high<128&&end-ptr<4096?String.fromCharCode.apply(null,bytes):UTF8Decoder.decode(bytes)}';
export function unboundedUtf8(glue) {
  if (!glue.includes(UTF8_BOUNDED) || /UTF8ToString\([^()]*,/.test(glue.replace(UTF8_BOUNDED, ''))) return glue;
  return glue.replace(UTF8_BOUNDED, UTF8_ASCII);
}

// web/multipart/wasm-file.js hands the glue the .wasm's Response when the server sends
// application/wasm, else its bytes; Emscripten 3.1.6's minimal runtime takes bytes alone. With
// `streaming`, the glue's one WebAssembly.instantiate() becomes instantiateStreaming() for a
// Response: compiled while it downloads and instantiated in the same step (what
// -sMINIMAL_RUNTIME_STREAMING_WASM_COMPILATION would do, without its own fetch code). Both
// resolve to {module, instance}. The POST engine's glue always gets bytes (web/engine.js).
// A .wasm that does not compile (mangled on the way, cut short, or a Content-Security-Policy
// without 'wasm-unsafe-eval') must reject the glue's ready promise, or engine() would wait for
// ever and a form could not fall back to posting its files the plain way: the instantiate's
// rejection goes to the ready promise's reject.
const INSTANTIATE = 'WebAssembly.instantiate(Module["wasm"],imports)';
const READY = 'initRuntime(asm);ready()})';
export function adaptedInstantiate(glue, streaming) {
  if (!glue.includes(INSTANTIATE) || !glue.includes(READY))
    throw new Error('bundle: the Emscripten glue no longer instantiates as scripts/bundle.mjs expects');
  const instantiate = streaming ? 'WebAssembly[Module.wasm instanceof Response?"instantiateStreaming":"instantiate"](Module.wasm,imports)' : INSTANTIATE;
  return glue.replace(INSTANTIATE, instantiate).replace(READY, 'initRuntime(asm);ready()},readyPromiseReject)');
}

/**
 * Bundles `${web}<entry>.js` into `outdir` with the Emscripten glue from `glue` (a folder with
 * s3file-engine.mjs, s3file-engine-mp.mjs and their .wasm); `engines` are copyEngines()'s
 * names, which the loaders fetch beside themselves (import.meta.url). Two builds: the library
 * (with the multipart engine as a chunk it imports on demand; it shares no code with the
 * library), then the entries that use it, whose every import of a module the library holds
 * becomes an import of ./s3file.js (web/s3file.js exports what they need). Then the POST
 * engine's .wasm goes into s3file.js (scripts/inline-engine.mjs); with `inline` false,
 * S3FILE_ENGINE_WASM is its copied file's name instead, for a web/ that fetches it (the bench's
 * comparison). Resolves to one metafile of both builds.
 */
export async function bundle({ web, glue, outdir, engines, minify = true, inline = true }) {  // minify false: readable, to profile
  const options = (entries, plugins) => ({
    entryPoints: Object.fromEntries(entries.map((name) => [name, `${web}${name}.js`])),
    outdir,
    chunkNames: 'chunk-[hash]',  // beside the .wasm: the engine finds it through import.meta.url
    splitting: true,
    metafile: true,
    bundle: true,
    format: 'esm',
    minify,
    target: ['es2021'],
    legalComments: 'none',
    logLevel: 'warning',
    define: { S3FILE_ENGINE_WASM: JSON.stringify(inline ? PLACEHOLDER : engines['s3file-engine']), S3FILE_ENGINE_MP_WASM: JSON.stringify(engines['s3file-engine-mp']) },
    plugins: [{
      name: 's3file-engine',  // the glue comes from the wasm build, not from web/
      setup(context) {
        context.onResolve({ filter: /s3file-engine(-mp)?\.mjs$/ }, (args) => ({ path: `${glue}${args.path.split('/').pop()}` }));
        context.onLoad({ filter: /s3file-engine(-mp)?\.mjs$/ }, (args) => ({
          contents: withoutUnread(unboundedUtf8(adaptedInstantiate(readFileSync(args.path, 'utf8'), !inline || args.path.endsWith('-mp.mjs')))), loader: 'js' }));
      },
    }, ...plugins],
  });
  const library = (await build(options(LIBRARY, []))).metafile;
  const held = new Set(Object.keys(library.inputs).map((input) => resolve(input)));
  for (const [path, { imports }] of Object.entries(library.outputs)) {
    if (path.endsWith('/s3file.js') && imports.some((i) => i.kind === 'import-statement'))
      throw new Error(`bundle: ${path} imports a chunk; the library must load as one module`);
  }
  const { metafile } = await build(options(USING_LIBRARY, [{
    name: 's3file-library',
    setup(context) {
      context.onResolve({ filter: /^\./ }, (args) => (args.kind !== 'entry-point' && held.has(resolve(args.resolveDir, args.path))
        ? { path: './s3file.js', external: true } : undefined));
    },
  }]));
  const outputs = { ...library.outputs, ...metafile.outputs };
  if (minify) await compressed(Object.keys(outputs).filter((path) => path.endsWith('.js')));
  if (inline) inlineEngine(`${outdir}s3file.js`, readFileSync(`${glue}s3file-engine.wasm`));
  return { inputs: { ...library.inputs, ...metafile.inputs }, outputs };
}

// esbuild bundles and minifies in one pass; terser's compressor then finds what that pass
// leaves (names it does not mangle at the module's top level, sequences and conditionals it
// does not fold): 7,617 -> 7,206 B gzip for s3file.js, 6,601 -> 6,481 B for the element's
// entry. Its default compress options are the safe ones; `module` lets it rename top-level
// names (an ES module's exports keep theirs). The outputs' names stay esbuild's content hashes:
// the same esbuild output always becomes the same terser output.
async function compressed(paths) {
  for (const path of paths) {
    const { code } = await terse(readFileSync(path, 'utf8'), { module: true, ecma: 2020, compress: { passes: 2 }, format: { comments: false } });
    writeFileSync(path, code);
  }
}
