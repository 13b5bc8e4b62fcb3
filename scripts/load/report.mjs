// The printed report and the verdict (exit code): 0 all uploads stored intact and every request
// answered; 1 an acknowledged object lost or corrupted; 2 blocked (timeouts, hard timeout) or
// other failures; 130 interrupted.
import { formatBytes } from './content.mjs';
import { slowClientSummary } from './slow-clients.mjs';

const ms = (value) => (Number.isNaN(value) ? '–' : `${value.toFixed(value < 10 ? 1 : 0)} ms`);
const latency = (tally) => `p50 ${ms(tally.percentile(50))}, p99 ${ms(tally.percentile(99))}, max ${ms(tally.percentile(100))}`;
const count = (tally) => `${tally.succeeded} ok, ${tally.failed} failed (${tally.describeFailures()})`;
const rate = (amount, seconds) => (seconds > 0 ? (amount / seconds).toFixed(1) : '–');
const timeouts = (tally) => tally?.failures.get('timeout') || 0;

function printPhases({ config, uploads, verify, policies }, line) {
  if (uploads) {
    const active = uploads.upload.activeSeconds(uploads.startedAt);
    line(`uploads      ${count(uploads.upload)}${uploads.notStarted ? `, ${uploads.notStarted} not started` : ''}; ` +
      `phase ${uploads.seconds.toFixed(1)} s`);
    line(`             ${formatBytes(uploads.bytes)} stored in ${active.toFixed(1)} s (until the last one) = ` +
      `${rate(uploads.bytes / 1e6, active)} MB/s; upload POST ${latency(uploads.upload)}`);
    line(`             their policies: ${count(uploads.policy)}; ${latency(uploads.policy)}`);
  }
  if (verify) {
    line(`verify       ${verify.ok} intact, ${verify.lost.length} LOST, ${verify.corrupted.length} CORRUPTED, ` +
      `${verify.unverified.failed} unverified (${verify.unverified.describeFailures()})`);
    for (const key of verify.lost) line(`             lost: ${key}`);
    for (const detail of verify.corrupted) line(`             corrupted: ${detail}`);
  }
  if (policies) {
    line(`policies     ${count(policies.tally)}${policies.notStarted ? `, ${policies.notStarted} not started` : ''}; ` +
      `${config.LOAD_POLICY_CONCURRENCY} at a time, ${config.LOAD_POLICY_KEEPALIVE ? 'keep-alive' : 'a connection each'}`);
    const active = policies.tally.activeSeconds(policies.startedAt);
    line(`             ${rate(policies.tally.succeeded, active)} req/s (${active.toFixed(1)} s until the last answer, ` +
      `phase ${policies.seconds.toFixed(1)} s); ${latency(policies.tally)}`);
  }
}

function printServer({ samples, stopped, serverExit, listenOverflows }, line) {
  line('server       when                      RSS MiB  peak MiB  threads  open fds');
  for (const [when, sample] of samples) {
    if (!sample) line(`             ${when.padEnd(24)}  (process gone)`);
    else line(`             ${when.padEnd(24)} ${(sample.rss / 1024).toFixed(1).padStart(8)} ${(sample.hwm / 1024).toFixed(1).padStart(9)}` +
      ` ${String(sample.threads).padStart(8)} ${String(sample.fds).padStart(9)}`);
  }
  if (serverExit) line(`             exited DURING the run (code ${serverExit.code}, signal ${serverExit.signal})`);
  line(`             at the end: ${stopped}`);
  line(`             TCP listen overflows during the run (machine-wide): ${listenOverflows}`);
}

export function verdictOf(results) {
  const { uploads, verify, policies, abortReason, fatal, probes } = results;
  const damaged = verify ? verify.lost.length + verify.corrupted.length : 0;
  const timedOut = timeouts(uploads?.upload) + timeouts(uploads?.policy) + timeouts(policies?.tally) + timeouts(verify?.unverified);
  const blockedProbes = Object.values(probes).flatMap(Object.entries).filter(([, text]) => text.startsWith('BLOCKED'));
  const failed = (uploads ? uploads.upload.failed + uploads.notStarted : 0) + (verify?.unverified.failed || 0) +
    (policies ? policies.tally.failed + policies.notStarted : 0);
  if (damaged) return { code: 1, text: `FAIL: ${damaged} acknowledged object(s) lost or corrupted` };
  if (abortReason === 'interrupted') return { code: 130, text: 'INTERRUPTED (Ctrl-C): figures are partial' };
  if (fatal) return { code: 2, text: `FAIL: ${fatal.message}` };
  if (timedOut || blockedProbes.length || abortReason === 'deadline') {
    const parts = [`${timedOut} request(s) timed out`];
    if (abortReason === 'deadline') parts.push(`hard timeout of ${results.config.LOAD_TIMEOUT_S} s reached`);
    for (const [port] of blockedProbes) parts.push(`${port} port did not answer a probe`);
    return { code: 2, text: `BLOCKED: ${[...new Set(parts)].join('; ')}` };
  }
  if (failed) return { code: 2, text: `FAIL: ${failed} request(s) failed or never ran` };
  return { code: 0, text: 'OK: every upload stored intact, every request answered' };
}

export function printReport(results, line = console.log) {
  const { config, server, plan, probes, slow, elapsed } = results;
  line('');
  line(`s3file load test (127.0.0.1 only), seed ${config.LOAD_SEED}, ${elapsed.toFixed(1)} s`);
  if (server) line(`server       pid ${server.pid}; app ${server.app}; storage ${server.bucket}`);
  line(`plan         ${config.LOAD_SLOW} slow clients per port (1 byte / ${config.LOAD_SLOW_INTERVAL_MS} ms); ` +
    `${plan.count} uploads, ${formatBytes(plan.bytes)} (${formatBytes(plan.min)}–${formatBytes(plan.max)}, ${plan.big} big); ` +
    `${config.LOAD_POLICIES} policies`);
  line(`             timeouts: policy ${config.LOAD_POLICY_TIMEOUT_S} s, upload ${config.LOAD_UPLOAD_TIMEOUT_S} s, ` +
    `whole run ${config.LOAD_TIMEOUT_S} s`);
  for (const [when, ports] of Object.entries(probes))
    line(`probe        ${when}: app ${ports.app}; storage ${ports.storage}`);
  printPhases(results, line);
  for (const port of ['app', 'storage'])
    if (slow[port].length) line(`slow clients ${port.padEnd(8)}${slowClientSummary(slow[port])}`);
  printServer(results, line);
  if (results.abortReason) line(`aborted      ${results.abortReason}`);
  const verdict = verdictOf(results);
  line(`verdict      ${verdict.text}`);
  return verdict.code;
}
