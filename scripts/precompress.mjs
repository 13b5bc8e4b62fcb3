// Writes name.br and name.gz beside each text file and .wasm under a folder, as static hosts
// serve them (nginx gzip_static/brotli_static, CDNs): compressed once, at their best settings,
// instead of per response. s3file-server sends them when the browser accepts the encoding;
// a sibling is kept only when it is smaller than its file.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants, gunzipSync } from 'node:zlib';

const COMPRESSIBLE = /\.(m?js|wasm|css|html|json|map|svg|txt)$/;

/**
 * gzip of the file at `path` by zopfli (Debian's `zopfli`, scripts/setup.sh), which searches
 * for the smallest deflate stream, blocks included: 3.8 % less of s3file.js than zlib's level 9
 * with blocks ended around the engine's bytes by hand (19,641 against 20,418 B). Any gunzip
 * reads it, and it costs only the build (under a second per file).
 */
const zopfli = (path) => execFileSync('zopfli', ['-c', '--i15', path], { maxBuffer: 1 << 28 });

export async function precompress(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) await precompress(path);
    if (!entry.isFile() || !COMPRESSIBLE.test(entry.name)) continue;
    const bytes = readFileSync(path);
    const encoded = {
      br: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }),
      gz: zopfli(path),
    };
    if (!gunzipSync(encoded.gz).equals(bytes)) throw new Error(`precompress: ${path}.gz does not read back`);
    for (const [suffix, data] of Object.entries(encoded)) {
      if (data.length < bytes.length) writeFileSync(`${path}.${suffix}`, data);
      else rmSync(`${path}.${suffix}`, { force: true });  // an earlier build's
    }
  }
}
