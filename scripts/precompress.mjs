// Writes name.br and name.gz beside each text file and .wasm under a folder, as static hosts
// serve them (nginx gzip_static/brotli_static, CDNs): compressed once, at their best settings,
// instead of per response. s3file-server sends them when the browser accepts the encoding;
// a sibling is kept only when it is smaller than its file.
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants, createGzip, gunzipSync } from 'node:zlib';
import { engineBlocks } from './inline-engine.mjs';

const COMPRESSIBLE = /\.(m?js|wasm|css|html|json|map|svg|txt)$/;

/**
 * gzip of `bytes` with a deflate block ended at each of `cuts` (byte offsets), so text and the
 * engine's bytes each get their own Huffman tables (scripts/inline-engine.mjs); Z_BLOCK keeps
 * the window, so later text still refers to earlier text. Any gunzip reads it.
 */
export function gzipInBlocks(bytes, cuts = []) {
  const points = [0, ...cuts, bytes.length];
  return new Promise((resolve, reject) => {
    const gzip = createGzip({ level: 9 });
    const out = [];
    gzip.on('data', (chunk) => out.push(chunk)).on('error', reject).on('end', () => resolve(Buffer.concat(out)));
    const write = (i) => {
      const part = bytes.subarray(points[i], points[i + 1]);
      if (i === points.length - 2) return gzip.end(part);
      gzip.write(part);
      gzip.flush(constants.Z_BLOCK, () => write(i + 1));
    };
    write(0);
  });
}

export async function precompress(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) await precompress(path);
    if (!entry.isFile() || !COMPRESSIBLE.test(entry.name)) continue;
    const bytes = readFileSync(path);
    const encoded = {
      br: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }),
      gz: await gzipInBlocks(bytes, entry.name.endsWith('.js') ? engineBlocks(bytes) : []),
    };
    if (!gunzipSync(encoded.gz).equals(bytes)) throw new Error(`precompress: ${path}.gz does not read back`);
    for (const [suffix, data] of Object.entries(encoded)) {
      if (data.length < bytes.length) writeFileSync(`${path}.${suffix}`, data);
      else rmSync(`${path}.${suffix}`, { force: true });  // an earlier build's
    }
  }
}
