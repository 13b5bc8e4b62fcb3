// The size budget (README "Size"): what a page downloads to use the widget, gzip -9, must stay
// within 20 KB (20 × 1024 bytes). Reads the figure scripts/dist.mjs measured.
import { readFileSync } from 'node:fs';

const BUDGET = 20 * 1024;
const { gzipBytes, files } = JSON.parse(readFileSync(new URL('../dist/size.json', import.meta.url)));
const detail = Object.entries(files).map(([name, bytes]) => `${name} ${bytes} B`).join(', ');
if (gzipBytes > BUDGET) {
  console.error(`size budget: FAIL — ${gzipBytes} B gzip > ${BUDGET} B (${detail})`);
  process.exit(1);
}
console.log(`size budget: ok — ${gzipBytes} B gzip of ${BUDGET} B (${detail})`);
