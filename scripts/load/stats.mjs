// Outcome tallies and latency percentiles of one kind of request.
export class Tally {
  latencies = [];  // ms of the requests that succeeded
  failures = new Map();  // reason → count
  lastOkAt = null;  // performance.now() of the last success: throughput ends there, not with the timeouts
  #sorted = null;

  ok(ms) {
    this.latencies.push(ms);
    this.lastOkAt = performance.now();
    this.#sorted = null;
  }

  /** Seconds from `startedAt` to the last success (0 when none succeeded). */
  activeSeconds(startedAt) {
    return this.lastOkAt === null ? 0 : (this.lastOkAt - startedAt) / 1000;
  }

  fail(reason) {
    this.failures.set(reason, (this.failures.get(reason) || 0) + 1);
  }

  get succeeded() {
    return this.latencies.length;
  }

  get failed() {
    let sum = 0;
    for (const count of this.failures.values()) sum += count;
    return sum;
  }

  /** Nearest-rank percentile of the successful latencies, in ms (NaN when none succeeded). */
  percentile(p) {
    if (!this.latencies.length) return NaN;
    this.#sorted ??= [...this.latencies].sort((a, b) => a - b);
    return this.#sorted[Math.min(this.#sorted.length - 1, Math.ceil((p / 100) * this.#sorted.length) - 1)];
  }

  /** "timeout ×12, HTTP 503 ×3" */
  describeFailures() {
    return [...this.failures].map(([reason, count]) => `${reason} ×${count}`).join(', ') || 'none';
  }
}

/** A failure's reason for a tally: the RequestFailure kind (with the error code for network). */
export const reasonOf = (error) => (error.kind === 'network' ? `network ${error.message}` : error.kind || error.message);
