#!/usr/bin/env bash
# Every test: the native Catch2 suites through CTest, the size budget, then Playwright in
# Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
ctest --test-dir build/native --output-on-failure -j2
node scripts/check-size.mjs
npx playwright test
