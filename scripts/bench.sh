#!/usr/bin/env bash
# Benchmarks: ratios measured side by side in one run (README "Benchmarks").
set -euo pipefail
cd "$(dirname "$0")/.."
node scripts/bench/run.mjs
