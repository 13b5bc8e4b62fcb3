// Runs every flow of flows.mjs in each engine of driver.mjs against the server at
// S3FILE_ENGINES_APP (scripts/engines.sh starts it, and WebKitWebDriver), prints a pass/fail
// table and exits non-zero on any failure. ENGINES=chromium,firefox limits the engines,
// FLOWS=<substring> the flows.
import { engines } from './driver.mjs';
import { flows } from './flows.mjs';

const app = process.env.S3FILE_ENGINES_APP || 'http://127.0.0.1:19080';
const next = (url, by) => { const u = new URL(url); u.port = String(Number(u.port) + by); return u.origin; };
// The server's storage port is the app's + 1; the second server (multipart, no size cap) is +3.
const env = { app, storage: next(app, 1), mpApp: next(app, 3), mpStorage: next(app, 4) };
const chosen = (process.env.ENGINES || 'chromium,firefox,webkit').split(',');
const names = Object.keys(flows).filter((n) => !process.env.FLOWS || n.includes(process.env.FLOWS));

const results = {};  // engine → flow → {ok, ms, error}
for (const engine of chosen) {
  results[engine] = {};
  const started = Date.now();
  let driver;
  try {
    driver = await engines[engine]();
    console.log(`== ${engine}: ${driver.version} (started in ${Date.now() - started} ms)`);
  } catch (error) {
    console.log(`== ${engine}: could not start: ${error.message}`);
    for (const name of names) results[engine][name] = { ok: false, ms: 0, error: `engine did not start: ${error.message}` };
    continue;
  }
  for (const name of names) {
    const t0 = Date.now();
    try {
      await fetch(`${app}/_faults`, { method: 'DELETE' });
      await flows[name](driver, env);
      results[engine][name] = { ok: true, ms: Date.now() - t0 };
      console.log(`  ok   ${name} (${Date.now() - t0} ms)`);
    } catch (error) {
      results[engine][name] = { ok: false, ms: Date.now() - t0, error: error.message };
      console.log(`  FAIL ${name} (${Date.now() - t0} ms)\n       ${String(error.message).split('\n').join('\n       ')}`);
    }
  }
  await driver.close().catch((error) => console.log(`  (${engine} close: ${error.message})`));
  console.log(`== ${engine}: ${Date.now() - started} ms in all`);
}

const width = Math.max(...names.map((n) => n.length));
console.log(`\n${'flow'.padEnd(width)}  ${chosen.map((e) => e.padEnd(8)).join(' ')}`);
for (const name of names)
  console.log(`${name.padEnd(width)}  ${chosen.map((e) => (results[e][name].ok ? 'pass' : 'FAIL').padEnd(8)).join(' ')}`);
const failed = chosen.flatMap((e) => names.filter((n) => !results[e][n].ok).map((n) => `${e}: ${n}`));
console.log(failed.length ? `\n${failed.length} failed:\n  ${failed.join('\n  ')}` : '\nall passed');
process.exit(failed.length ? 1 : 0);
