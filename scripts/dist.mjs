// Assembles dist/ (the npm package and what the server serves): ES modules bundling web/ with
// the Emscripten glue — one entry per way of use, the others importing the library's, which
// carries the POST engine's .wasm — the multipart engine's .wasm beside them (found through
// import.meta.url), the TypeScript declarations, and the demo. Prints and records (size.json)
// the gzip bytes a page downloads for each entry (the .gz siblings the server sends); the
// budget is 20 KB.
import { bundle, copyEngines } from './bundle.mjs';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { precompress } from './precompress.mjs';

const root = new URL('..', import.meta.url).pathname;
const dist = `${root}dist/`;
rmSync(dist, { recursive: true, force: true });
mkdirSync(`${dist}demo`, { recursive: true });

const engines = copyEngines(root, dist);
const metafile = await bundle({ web: `${root}web/`, glue: `${root}build/wasm/`, outdir: dist, engines });
// TypeScript declarations: one file for the library, the other entries re-export it.
copyFileSync(`${root}web/types/s3file.d.ts`, `${dist}s3file.d.ts`);
copyFileSync(`${root}web/types/s3file-element.d.ts`, `${dist}s3file-element.d.ts`);
writeFileSync(`${dist}s3file-django.d.ts`, "export * from './s3file.js';\n");

// The demo page (served by the s3file server at /); not part of what a page downloads.
for (const name of readdirSync(`${root}web/demo`)) copyFileSync(`${root}web/demo/${name}`, `${dist}demo/${name}`);

// Every file gets its siblings first (the server sends them; see scripts/precompress.mjs).
await precompress(dist.slice(0, -1));
// What a page downloads for each entry: the entry and every module it imports (s3file.js holds
// the engine), as the .gz siblings are.
const gzip = (path) => statSync(`${root}${path}${existsSync(`${root}${path}.gz`) ? '.gz' : ''}`).size;
const closure = (path, seen = new Set()) => {
  if (seen.has(path)) return seen;
  seen.add(path);
  for (const { path: next, kind, external } of metafile.outputs[path].imports) {
    // The entries that use the library import it as an external ./s3file.js (scripts/bundle.mjs).
    if (kind === 'import-statement') closure(external ? `dist/${next.replace(/^\.\//, '')}` : next, seen);
  }
  return seen;
};
const pages = {};
for (const name of ['s3file', 's3file-django', 's3file-element']) {
  const files = [...closure(`dist/${name}.js`)];
  const sizes = Object.fromEntries(files.map((path) => [path.slice('dist/'.length), gzip(path)]));
  const total = Object.values(sizes).reduce((sum, bytes) => sum + bytes, 0);
  pages[name] = { gzipBytes: total, files: sizes };
  console.log(`s3file dist: ${`${name}.js`.padEnd(20)} a page downloads ${total} B gzip (${Object.entries(sizes).map(([file, bytes]) => `${file} ${bytes}`).join(', ')})`);
}
writeFileSync(`${dist}size.json`, `${JSON.stringify(pages, null, 1)}\n`);
