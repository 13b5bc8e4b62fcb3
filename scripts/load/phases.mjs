// The measured phases. Each is bounded by count (its items) and by time (per-request timeouts
// and the run's abort signal), and returns figures for the report, never throws for a failed
// request.
import { Agent } from 'node:http';
import { readBack, requestPolicy, uploadFile } from './client.mjs';
import { send } from './http.mjs';
import { runPool } from './pool.mjs';
import { reasonOf, Tally } from './stats.mjs';

const VERIFY_CONCURRENCY = 8;
const PROBE_TIMEOUT_MS = 5000;

/**
 * Every file at once, each like a browser of its own: policy, then upload. Connections close
 * after each request (keepAlive off), so an idle keep-alive socket never holds a server worker
 * and the figure measures ingest.
 */
export async function uploadPhase(run, files) {
  const agent = new Agent({ keepAlive: false });
  const policy = new Tally();
  const upload = new Tally();
  const stored = [];
  const pool = await runPool(files, files.length, async (file) => {
    let entry;
    try {
      const answer = await requestPolicy(run, agent, file);
      policy.ok(answer.ms);
      entry = answer.entry;
    } catch (error) {
      policy.fail(reasonOf(error));
      upload.fail('no policy');
      return;
    }
    try {
      const sent = await uploadFile(run, agent, entry, file);
      upload.ok(sent.ms);
      stored.push({ file, bucketUrl: entry.url, ...sent });
    } catch (error) {
      upload.fail(reasonOf(error));
    }
  }, run.signal);
  const bytes = stored.reduce((sum, { file }) => sum + file.size, 0);
  return { policy, upload, stored, bytes, ...pool, notStarted: files.length - pool.started };
}

/** Reads every acknowledged object back: lost (404), corrupted (size or SHA-256 differ), or unverified. */
export async function verifyPhase(run, stored) {
  const agent = new Agent({ keepAlive: false });
  const result = { ok: 0, lost: [], corrupted: [], unverified: new Tally() };
  const pool = await runPool(stored, VERIFY_CONCURRENCY, async ({ file, bucketUrl, key, sha256 }) => {
    try {
      const read = await readBack(run, agent, bucketUrl, key);
      if (read.status === 404) result.lost.push(key);
      else if (read.status !== 200) result.unverified.fail(`HTTP ${read.status}`);
      else if (read.size !== file.size || read.sha256 !== sha256 || read.serverSha256 !== sha256)
        result.corrupted.push(`${key}: sent ${file.size} B ${sha256.slice(0, 12)}…, read ${read.size} B ` +
          `${read.sha256.slice(0, 12)}…, server says ${String(read.serverSha256).slice(0, 12)}…`);
      else result.ok += 1;
    } catch (error) {
      result.unverified.fail(reasonOf(error));
    }
  }, run.signal);
  for (let skipped = pool.started; skipped < stored.length; skipped += 1) result.unverified.fail('not read (run ended)');
  return { ...result, ...pool };
}

/**
 * LOAD_POLICIES policy requests, LOAD_POLICY_CONCURRENCY at a time, over that many keep-alive
 * connections (as browsers and apps reuse them) or, with LOAD_POLICY_KEEPALIVE=0, a fresh
 * connection each: a server with a thread per connection serves the two very differently.
 */
export async function policyPhase(run) {
  const concurrency = run.config.LOAD_POLICY_CONCURRENCY;
  const agent = new Agent({ keepAlive: Boolean(run.config.LOAD_POLICY_KEEPALIVE), maxSockets: concurrency });
  const tally = new Tally();
  const files = Array.from({ length: run.config.LOAD_POLICIES },
    (_, index) => ({ name: `policy-${index}.bin`, size: 1024 + index }));
  const pool = await runPool(files, concurrency, async (file) => {
    try {
      tally.ok((await requestPolicy(run, agent, file)).ms);
    } catch (error) {
      tally.fail(reasonOf(error));
    }
  }, run.signal);
  agent.destroy();
  return { tally, ...pool, notStarted: files.length - pool.started };
}

/** One request on a fresh connection: does the port answer at all right now? */
export async function probe(url, method) {
  try {
    const answer = await send(url, { method, agent: false, timeoutMs: PROBE_TIMEOUT_MS });
    return `answered ${answer.status} in ${answer.ms.toFixed(0)} ms`;
  } catch (error) {
    return error.kind === 'timeout' ? `BLOCKED: no answer within ${PROBE_TIMEOUT_MS / 1000} s` : `failed: ${reasonOf(error)}`;
  }
}
