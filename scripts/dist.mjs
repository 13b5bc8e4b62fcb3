// Assembles dist/: the wasm engine beside minified ES modules from web/, then prints the
// gzip bytes a page downloads to use the widget (the size budget is 20 KB).
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { minify } from 'terser';

const root = new URL('..', import.meta.url).pathname;
const dist = `${root}dist/`;
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist);

for (const name of ['s3file-engine.wasm', 's3file-engine.mjs'])
  copyFileSync(`${root}build/wasm/${name}`, `${dist}${name}`);

const modules = readdirSync(`${root}web`).filter((name) => name.endsWith('.js'));
for (const name of modules) {
  const source = readFileSync(`${root}web/${name}`, 'utf8');
  const result = await minify(source, { module: true, compress: { passes: 2 }, mangle: true });
  writeFileSync(`${dist}${name}`, result.code);
}

// The demo page (served by the s3file server at /); not part of what a page downloads.
mkdirSync(`${dist}demo`);
for (const name of readdirSync(`${root}web/demo`)) copyFileSync(`${root}web/demo/${name}`, `${dist}demo/${name}`);

const gzip = (name) => gzipSync(readFileSync(`${dist}${name}`), { level: 9 }).length;
const files = ['s3file-engine.wasm', 's3file-engine.mjs', ...modules];
let total = 0;
for (const name of files) {
  const bytes = gzip(name);
  total += bytes;
  console.log(`  ${name.padEnd(22)} ${String(bytes).padStart(6)} B gzip`);
}
console.log(`s3file dist: a page downloads ${total} B gzip (${(total / 1024).toFixed(1)} KB; budget 20 KB)`);
writeFileSync(`${dist}size.json`, JSON.stringify({ gzipBytes: total, files: Object.fromEntries(files.map((f) => [f, gzip(f)])) }, null, 1));
