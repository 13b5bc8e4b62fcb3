// Writes name.br and name.gz beside each text file and .wasm under a folder, as static hosts
// serve them (nginx gzip_static/brotli_static, CDNs): compressed once, at their best settings,
// instead of per response. s3file-server sends them when the browser accepts the encoding;
// a sibling is kept only when it is smaller than its file.
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const COMPRESSIBLE = /\.(m?js|wasm|css|html|json|map|svg|txt)$/;

export function precompress(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) precompress(path);
    if (!entry.isFile() || !COMPRESSIBLE.test(entry.name)) continue;
    const bytes = readFileSync(path);
    const encoded = {
      br: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }),
      gz: gzipSync(bytes, { level: 9 }),
    };
    for (const [suffix, data] of Object.entries(encoded)) {
      if (data.length < bytes.length) writeFileSync(`${path}.${suffix}`, data);
      else rmSync(`${path}.${suffix}`, { force: true });  // an earlier build's
    }
  }
}
