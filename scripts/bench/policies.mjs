// The app server's policy endpoint under a bounded keep-alive client (issue 11, target 7): a fixed
// number of POST /api/policy requests, CONCURRENCY in flight over reused connections, one file
// per request and then batches of 100 (what a submit of 100 files sends), with p50 and p99.
import { Agent } from 'node:http';
import { send } from '../load/http.mjs';

export const CONCURRENCY = 8;

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function hammer(app, requests, filesPerRequest) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const body = JSON.stringify({ files: Array.from({ length: filesPerRequest }, (_, i) =>
    ({ name: `photo ${i}.jpg`, size: 1 << 20, type: 'image/jpeg', field: 'file' })) });
  const latencies = [];
  let next = 0;
  const lane = async () => {
    while (next < requests) {
      next += 1;
      const answer = await send(`${app}/api/policy`, { method: 'POST', agent, timeoutMs: 10000, body,
        headers: { 'Content-Type': 'application/json' } });
      if (answer.status !== 200 || JSON.parse(answer.body).files?.length !== filesPerRequest)
        throw new Error(`policy request answered ${answer.status}`);
      latencies.push(answer.ms);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { policiesPerSecond: (requests * filesPerRequest) / seconds, requestsPerSecond: requests / seconds,
    p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/** {single, batch}: policies/s, requests/s, p50 and p99 latency (ms) of each. */
export async function policyBench(server) {
  await hammer(server.app, 200, 1);  // warm-up
  return { single: await hammer(server.app, 5000, 1), batch: await hammer(server.app, 200, 100) };
}
