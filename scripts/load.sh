#!/usr/bin/env bash
# Load test of s3file-server on loopback (scripts/load/run.mjs; knobs in scripts/load/config.mjs,
# e.g. LOAD_UPLOADS=20 LOAD_POLICIES=500 for a quick run). The Node side stops its server and
# removes its folder itself; this trap is the net for when Node is killed outright.
set -euo pipefail
cd "$(dirname "$0")/.."

LOAD_DIR=$(mktemp -d "${TMPDIR:-/tmp}/s3file-load.XXXXXX")
export LOAD_DIR
cleanup() {
  local pid
  pid=$(cat "$LOAD_DIR/server.pid" 2>/dev/null || true)
  # Only our server: a pid the system may have reused for something else is left alone.
  if [ -n "$pid" ] && [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$PWD/build/native/s3file-server" ]; then
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -rf "$LOAD_DIR"
}
trap cleanup EXIT

node scripts/load/run.mjs
