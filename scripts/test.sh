#!/usr/bin/env bash
# Every test: the native Catch2 suites through CTest (plain, then under ASan+UBSan), the server
# and the browser flows against Ceph's RADOS Gateway (a real S3), the size budget, the
# TypeScript declarations, Playwright in Debian's Chromium, then the cross-engine subset in
# Chromium, Firefox ESR and WebKitGTK (scripts/engines.sh). Each stage prints its time, and the
# run ends with the table of all of them, set-up and builds included (scripts/timed.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/timed.sh
trap print_times EXIT

timed "CTest" ctest --test-dir build/native --output-on-failure -j2
# Any sanitizer report aborts the test that caused it (-fno-sanitize-recover, halt_on_error).
ASAN_OPTIONS=halt_on_error=1:detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  timed "CTest under ASan+UBSan" ctest --test-dir build/asan --output-on-failure -j2

# Ceph RGW, a one-node cluster started and stopped by the stage itself; S3FILE_RGW=0 skips it.
if [ "${S3FILE_RGW:-1}" = 1 ]; then timed "Ceph RGW (server and browser flows)" bash scripts/test-rgw.sh; fi
timed "size budget" node scripts/check-size.mjs
# The TypeScript declarations in dist/ compile against a typed use of every entry.
timed "tsc --strict on the declarations" npx tsc -p tests/types/tsconfig.json
timed "Playwright (Chromium)" npx playwright test
timed "three engines" bash scripts/engines.sh
