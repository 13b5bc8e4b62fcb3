// npm run load: a bounded load test of s3file-server on loopback. Slow clients first (kept
// attached throughout), then concurrent uploads, their verification, a policy storm; then the
// report. Everything it starts it stops (server by pid, sockets, temp folder), also on the hard
// timeout, on Ctrl-C and on errors.
import { setMaxListeners } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from './config.mjs';
import { uploadPlan } from './content.mjs';
import { policyPhase, probe, uploadPhase, verifyPhase } from './phases.mjs';
import { printReport } from './report.mjs';
import { listenOverflows, processSample, startLoadServer } from './server.mjs';
import { attachSlowClients } from './slow-clients.mjs';

// Long enough for the server to hand each slow connection to a worker before the load starts.
const SETTLE_MS = 2000;

const config = readConfig();
const root = new URL('../../', import.meta.url).pathname;
const dir = process.env.LOAD_DIR || mkdtempSync(join(tmpdir(), 's3file-load-'));
const started = performance.now();
const controller = new AbortController();
setMaxListeners(0, controller.signal);  // every request in flight listens; their number is bounded by the pools
const run = { config, signal: controller.signal, server: null };
const abort = (reason) => { if (!controller.signal.aborted) controller.abort(reason); };
const deadline = setTimeout(() => abort('deadline'), config.LOAD_TIMEOUT_S * 1000);

// Ctrl-C: the run unwinds (requests abort, the report prints partial figures); a second one
// leaves at once, and the exit handler still kills the server and removes the folder.
const onSignal = () => {
  if (controller.signal.aborted) process.exit(130);
  abort('interrupted');
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
process.on('exit', () => {
  run.server?.killNow();
  rmSync(dir, { recursive: true, force: true });
});

const files = uploadPlan(config);
const sizes = files.map((file) => file.size);
const results = {
  config,
  plan: { count: files.length, bytes: sizes.reduce((a, b) => a + b, 0), min: files.length ? Math.min(...sizes) : 0,
          max: files.length ? Math.max(...sizes) : 0, big: files.filter((file) => file.big).length },
  samples: [], probes: {}, slow: { app: [], storage: [] }, overflowsBefore: listenOverflows(),
};
const sample = async (when) => {
  results.samples.push([when, run.server.running ? await processSample(run.server.pid).catch(() => null) : null]);
};
const probeBoth = async (when) => {
  if (controller.signal.reason === 'interrupted') return;
  const [app, storage] = await Promise.all([probe(`${run.server.app}/_faults`, 'GET'),
    probe(`${run.server.bucket}/load-probe`, 'HEAD')]);
  results.probes[when] = { app, storage };
};
const sleep = (ms) => new Promise((resolve) => {
  const timer = setTimeout(resolve, ms);
  controller.signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
});

try {
  mkdirSync(join(dir, 'storage'), { recursive: true });
  run.server = results.server = await startLoadServer(root, join(dir, 'storage'), join(dir, 'server.pid'));
  // A terminal's Ctrl-C reaches the server too (same process group): that exit is no crash.
  run.server.exited.then((how) => {
    if (!results.stopping && controller.signal.reason !== 'interrupted') results.serverExit = how;
  });
  await sample('idle');
  if (config.LOAD_SLOW > 0) {
    const appPort = new URL(run.server.app).port;
    const bucket = new URL(run.server.bucket);
    [results.slow.app, results.slow.storage] = await Promise.all([
      attachSlowClients(appPort, '/api/policy', config.LOAD_SLOW, config.LOAD_SLOW_INTERVAL_MS),
      attachSlowClients(bucket.port, bucket.pathname, config.LOAD_SLOW, config.LOAD_SLOW_INTERVAL_MS),
    ]);
    await sleep(SETTLE_MS);
    await sample('slow clients attached');
  }
  await probeBoth('before the load');
  if (!controller.signal.aborted) results.uploads = await uploadPhase(run, files);
  if (!controller.signal.aborted) results.verify = await verifyPhase(run, results.uploads.stored);
  await sample('after uploads');
  if (!controller.signal.aborted) results.policies = await policyPhase(run);
  await sample('after policies');
  await probeBoth('after the load');
} catch (error) {
  results.fatal = error;
} finally {
  clearTimeout(deadline);
  results.abortReason = controller.signal.reason;
  for (const client of [...results.slow.app, ...results.slow.storage]) client.detach();
  results.stopping = true;
  results.stopped = run.server ? await run.server.stopByPid() : 'never started';
  rmSync(dir, { recursive: true, force: true });
}
results.elapsed = (performance.now() - started) / 1000;
results.listenOverflows = listenOverflows() - results.overflowsBefore;
if (results.fatal) console.error(results.fatal.stack);
process.exitCode = printReport(results);
