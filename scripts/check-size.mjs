// The size budget (README "Size"): what a page downloads to use the engine with the django
// drop-in or upload(), gzip -9 as the .gz siblings are (scripts/precompress.mjs), must stay
// within 20 KB (20 × 1024 bytes). <s3-file>'s extra bytes load only on pages that use the
// element; its figure is printed beside. Reads the figures scripts/dist.mjs measured.
import { readFileSync } from 'node:fs';

const BUDGET = 20 * 1024;
const pages = JSON.parse(readFileSync(new URL('../dist/size.json', import.meta.url)));
let failed = false;
for (const [entry, { gzipBytes, files }] of Object.entries(pages)) {
  const detail = Object.entries(files).map(([name, bytes]) => `${name} ${bytes} B`).join(', ');
  const budgeted = entry !== 's3file-element';
  const verdict = !budgeted ? 'element page, outside the budget' : gzipBytes <= BUDGET ? 'ok' : 'FAIL';
  failed ||= verdict === 'FAIL';
  console[verdict === 'FAIL' ? 'error' : 'log'](`size budget: ${entry}.js ${gzipBytes} B gzip of ${BUDGET} B — ${verdict} (${detail})`);
}
process.exit(failed ? 1 : 0);
