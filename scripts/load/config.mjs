// The load test's knobs, from LOAD_* environment variables; each is bounded so that a typo
// cannot turn a loopback test into a disk-filling or never-ending one.
const KNOBS = {
  LOAD_SLOW: [8, 0, 1000, 'slow clients attached to EACH port'],
  LOAD_SLOW_INTERVAL_MS: [1000, 10, 60000, 'pause between two bytes of a slow client'],
  LOAD_UPLOADS: [200, 0, 10000, 'concurrent uploads'],
  LOAD_MAX_MB: [64, 1, 1024, 'largest upload, MiB; big uploads are MAX/8..MAX, small ones 1 KiB..1 MiB'],
  LOAD_BIG_PERCENT: [10, 0, 100, 'share of big uploads'],
  LOAD_TOTAL_MB: [3072, 1, 8192, 'cap on the bytes of all uploads together, MiB'],
  LOAD_POLICIES: [10000, 0, 1000000, 'policy requests'],
  LOAD_POLICY_CONCURRENCY: [32, 1, 1000, 'policy requests in flight at once'],
  LOAD_POLICY_KEEPALIVE: [1, 0, 1, '1: policy requests reuse connections (as browsers and apps do); 0: one connection each'],
  LOAD_POLICY_TIMEOUT_S: [10, 1, 600, 'timeout of one policy request'],
  LOAD_UPLOAD_TIMEOUT_S: [120, 1, 3600, 'timeout of one upload (and of reading one object back)'],
  LOAD_TIMEOUT_S: [600, 10, 3600, 'hard timeout of the whole run'],
  LOAD_SEED: [1, 0, 2 ** 31 - 1, 'seed of sizes and contents'],
};

export function readConfig(env = process.env) {
  const config = {};
  for (const [name, [fallback, min, max, meaning]] of Object.entries(KNOBS)) {
    const text = env[name];
    const value = text === undefined || text === '' ? fallback : Number(text);
    if (!Number.isInteger(value) || value < min || value > max)
      throw new Error(`${name}=${text}: want an integer in ${min}..${max} (${meaning})`);
    config[name] = value;
  }
  return config;
}
