#!/usr/bin/env bash
# Benchmarks: ratios measured side by side in one run (README "Benchmarks").
set -euo pipefail
cd "$(dirname "$0")/.."
# The MD5 alone, for the hashing figure (not part of the product build).
NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH} cmake --build build/wasm --target s3file_md5_bench >/dev/null
node scripts/bench/run.mjs
# The link sections (multipart, and small files: S3FILE_BENCH_ONLY link,small-link) again over a
# rate-limited loopback: a private network namespace (nothing outside it is touched) whose lo a
# token bucket holds to 50 Mbit/s (this kernel has no netem, so no added latency there; the
# bucket's queue adds up to 100 ms under load). Needs root for unshare; skipped with a note otherwise.
if unshare -n true 2>/dev/null; then
  # lo's MTU is 64 KiB: a bucket smaller than one packet would drop every full one, so the
  # namespace's lo gets Ethernet's 1500 bytes.
  unshare -n bash -c 'ip link set lo mtu 1500 up &&
    tc qdisc add dev lo root tbf rate 50mbit burst 32kb latency 100ms &&
    S3FILE_BENCH_LINK=tc node scripts/bench/run.mjs'
else
  echo "bench: tc link section skipped (unshare -n needs root)"
fi
