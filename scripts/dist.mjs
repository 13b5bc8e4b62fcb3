// Assembles dist/ (the npm package and what the server serves): one ES module bundling web/
// with the Emscripten glue, the .wasm beside it (found through import.meta.url), and the demo.
// Prints the gzip bytes a page downloads to use the widget (the budget is 20 KB).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const root = new URL('..', import.meta.url).pathname;
const dist = `${root}dist/`;
rmSync(dist, { recursive: true, force: true });
mkdirSync(`${dist}demo`, { recursive: true });

copyFileSync(`${root}build/wasm/s3file-engine.wasm`, `${dist}s3file-engine.wasm`);
await build({
  entryPoints: [`${root}web/s3file.js`],
  outfile: `${dist}s3file.js`,
  bundle: true,
  format: 'esm',
  minify: true,
  target: ['es2021'],
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [{
    name: 's3file-engine',  // the glue comes from the wasm build, not from web/
    setup(context) {
      context.onResolve({ filter: /s3file-engine\.mjs$/ }, () => ({ path: `${root}build/wasm/s3file-engine.mjs` }));
    },
  }],
});

// The demo page (served by the s3file server at /); not part of what a page downloads.
for (const name of readdirSync(`${root}web/demo`)) copyFileSync(`${root}web/demo/${name}`, `${dist}demo/${name}`);

const files = ['s3file.js', 's3file-engine.wasm'];
const sizes = Object.fromEntries(files.map((name) => [name, gzipSync(readFileSync(`${dist}${name}`), { level: 9 }).length]));
const total = files.reduce((sum, name) => sum + sizes[name], 0);
for (const name of files) console.log(`  ${name.padEnd(20)} ${String(sizes[name]).padStart(6)} B gzip`);
console.log(`s3file dist: a page downloads ${total} B gzip (${(total / 1024).toFixed(1)} KB; budget 20 KB)`);
writeFileSync(`${dist}size.json`, `${JSON.stringify({ gzipBytes: total, files: sizes }, null, 1)}\n`);
