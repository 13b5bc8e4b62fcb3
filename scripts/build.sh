#!/usr/bin/env bash
# Builds both ways from one CMakeLists.txt and assembles dist/ (the npm package contents).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/timed.sh
jobs=${S3FILE_JOBS:-2}  # the machines here have 2 cores

cmake -S . -B build/native -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
timed "build: native" cmake --build build/native -j"$jobs"

# The same native suites under AddressSanitizer + UndefinedBehaviorSanitizer (npm test runs
# both). Skipped by `npm start`, which only needs the server.
if [ "${S3FILE_SANITIZE:-1}" = 1 ]; then
  cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug -DS3FILE_SANITIZE=ON >/dev/null
  timed "build: ASan+UBSan" cmake --build build/asan -j"$jobs"
fi

# Debian's emscripten finds its JS optimiser's dependency (acorn) only through NODE_PATH.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
if [ ! -f build/wasm/CMakeCache.txt ]; then
  emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=MinSizeRel >/dev/null
fi
timed "build: wasm" cmake --build build/wasm -j"$jobs"

timed "build: dist/" node scripts/dist.mjs
