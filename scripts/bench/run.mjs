// npm run bench: every figure is measured side by side in this one run and printed as a ratio.
import { mkdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { browserBench } from './browser.mjs';
import { startServer } from './server.mjs';
import { storageBench } from './storage.mjs';

const root = new URL('../../', import.meta.url).pathname;
const work = `${root}build/bench/`;
rmSync(work, { recursive: true, force: true });
mkdirSync(`${work}storage`, { recursive: true });

// Sparse files: created instantly, read at disk-cache speed, no download or fixture needed.
const sized = (name, mib) => {
  const path = `${work}${name}`;
  writeFileSync(path, '');
  truncateSync(path, mib * (1 << 20));
  return path;
};
const big = Number(process.env.S3FILE_BENCH_SERVER_MIB || 2048);
const browserMiB = Number(process.env.S3FILE_BENCH_BROWSER_MIB || 256);

const server = await startServer(root, ['--storage', `${work}storage`, '--max-size', '5GB']);
try {
  const storage = await storageBench(server, sized('server.bin', big));
  console.log(`storage: ${storage.mib} MiB upload into the emulator at ${storage.emulatorMBps.toFixed(0)} MB/s; ` +
    `SHA-256 alone over the same file ${storage.sha256MBps.toFixed(0)} MB/s; ratio ${storage.ratio.toFixed(2)}`);
  console.log(`storage: server peak RSS grew by ${storage.rssGrowthMiB.toFixed(1)} MiB during the ${storage.mib} MiB upload`);

  const browser = await browserBench(server, sized('browser.bin', browserMiB), browserMiB);
  console.log(`browser: ${browserMiB} MiB disk-backed file, widget ${browser.widget.MBps.toFixed(0)} MB/s vs ` +
    `plain XHR+FormData ${browser.xhr.MBps.toFixed(0)} MB/s; ratio ${browser.ratio.toFixed(2)}`);
  console.log(`browser: the same file through S3 multipart (8 MiB parts, 6 at a time, Content-MD5 each) ` +
    `${browser.multipart.MBps.toFixed(0)} MB/s vs one POST ${browser.post.MBps.toFixed(0)} MB/s; ratio ${browser.multipartRatio.toFixed(2)} ` +
    `(loopback; JS heap growth ${browser.multipart.heapMiB.toFixed(2)} MiB)`);
  console.log(`browser: peak JS heap growth, widget ${browser.widget.heapMiB.toFixed(2)} MiB vs plain XHR ` +
    `${browser.xhr.heapMiB.toFixed(2)} MiB (file bytes never enter JS or wasm memory)`);
} finally {
  server.stop();
  rmSync(work, { recursive: true, force: true });
}
