// The POST engine's .wasm travels inside s3file.js (web/engine.js S3FILE_ENGINE_WASM): a page
// that imports the library has its engine with the module, without a second request.
//
// It is a template literal of one character per byte (U+0000-U+00FF), which web/engine.js turns
// back into bytes with btoa() and Uint8Array.fromBase64(). Module scripts are always read as
// UTF-8, so bytes from 0x80 take two bytes in the file; gzip takes the literal to 13,172 B
// against 12,793 for the .wasm alone (base64 would be 16,375). Escaped: `\`, the backtick, a
// `$` before `{`, and CR (a template literal reads CR and CRLF as LF).
//
// Deflate codes a block with one Huffman table: blocks that mix the module's text with the
// engine's bytes code both badly, so the .gz siblings come from zopfli, which chooses where
// blocks end by their cost (scripts/precompress.mjs).
import { readFileSync, writeFileSync } from 'node:fs';

/** What the build defines S3FILE_ENGINE_WASM as, replaced by the literal once minified. */
export const PLACEHOLDER = '@@S3FILE_ENGINE_WASM@@';
const [BACKSLASH, BACKTICK, DOLLAR, BRACE, CR] = [0x5c, 0x60, 0x24, 0x7b, 0x0d];

/** `wasm` (bytes) as the text of a template literal, backticks included. */
export function literalOf(wasm) {
  let text = '`';
  for (let i = 0; i < wasm.length; i++) {
    const byte = wasm[i];
    if (byte === BACKSLASH || byte === BACKTICK || (byte === DOLLAR && wasm[i + 1] === BRACE)) text += '\\';
    text += byte === CR ? '\\r' : String.fromCharCode(byte);
  }
  return `${text}\``;
}

/** Writes `wasm` into the JavaScript file at `path` where the quoted PLACEHOLDER stands (once). */
export function inlineEngine(path, wasm) {
  const code = readFileSync(path, 'utf8');
  const places = code.match(new RegExp(`(["'\`])${PLACEHOLDER}\\1`, 'g')) || [];
  if (places.length !== 1) throw new Error(`inline-engine: ${path} holds ${places.length} placeholders, not 1`);
  const literal = literalOf(wasm);
  // What the browser reads back, before any page gets it.
  const read = Function(`return ${literal}`)();
  if (read.length !== wasm.length || !wasm.every((byte, i) => read.charCodeAt(i) === byte))
    throw new Error('inline-engine: the literal does not read back as the .wasm');
  writeFileSync(path, code.replace(places[0], () => literal));
}
