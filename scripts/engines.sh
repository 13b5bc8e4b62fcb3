#!/usr/bin/env bash
# The cross-engine subset (issue 9): every flow of e2e/engines/flows.mjs in Chromium
# (Playwright), Firefox ESR (puppeteer-core, WebDriver BiDi) and WebKitGTK (selenium-webdriver +
# WebKitWebDriver under xvfb-run). Builds nothing: uses build/native/s3file-server and dist/.
# Starts its own server (ports S3FILE_ENGINES_PORT and +1, default 19080/19081, with
# playwright.config.js's options), WebKitWebDriver (+2) and a second server without the 2 MB
# cap for the multipart flow (+3/+4); stops them by PID on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

port=${S3FILE_ENGINES_PORT:-19080}
storage=e2e/.tmp/engines-storage
server_pid= driver_pid= mp_pid=
stop() {
  # WebKitWebDriver runs in its own session (setsid): its group holds xvfb-run, Xvfb, the
  # driver and MiniBrowser, so one signal to that group ends them all.
  [ -n "$driver_pid" ] && kill -TERM -- "-$driver_pid" 2>/dev/null || true
  [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null || true
  [ -n "$mp_pid" ] && kill -TERM "$mp_pid" 2>/dev/null || true
  [ -n "$server_pid" ] && wait "$server_pid" 2>/dev/null || true
  [ -n "$mp_pid" ] && wait "$mp_pid" 2>/dev/null || true
  [ -n "$driver_pid" ] && wait "$driver_pid" 2>/dev/null || true
  # …and return only once that group is gone (at most 5 s, then SIGKILL to the group).
  if [ -n "$driver_pid" ]; then
    for _ in $(seq 1 50); do kill -0 -- "-$driver_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$driver_pid" 2>/dev/null || true
  fi
  rm -rf "$storage" "$storage-mp"
}
trap stop EXIT

wait_for() {  # url, what
  for _ in $(seq 1 100); do
    curl -fs -o /dev/null "$1" && return 0
    sleep 0.1
  done
  echo "engines: $2 did not answer at $1" >&2
  return 1
}

rm -rf "$storage" "$storage-mp"
mkdir -p "$(dirname "$storage")"
build/native/s3file-server --port "$port" --s3-port $((port + 1)) --storage "$storage" --max-size 2MB \
  --accept "text/*,image/*,application/pdf,application/octet-stream" \
  --secret e2e-secret-e2e-secret-e2e-secret-e2e >/dev/null 2>e2e/.tmp/engines-server.log &
server_pid=$!
wait_for "http://127.0.0.1:$port/form" "s3file-server"
build/native/s3file-server --port $((port + 3)) --s3-port $((port + 4)) --storage "$storage-mp" \
  --secret e2e-secret-e2e-secret-e2e-secret-e2e >/dev/null 2>e2e/.tmp/engines-server-mp.log &
mp_pid=$!
wait_for "http://127.0.0.1:$((port + 3))/form" "the second s3file-server"

driver_port=$((port + 2))
setsid xvfb-run -a WebKitWebDriver --port="$driver_port" --host=127.0.0.1 >e2e/.tmp/engines-webkitdriver.log 2>&1 &
driver_pid=$!
wait_for "http://127.0.0.1:$driver_port/status" "WebKitWebDriver"

S3FILE_ENGINES_APP="http://127.0.0.1:$port" WEBKIT_DRIVER_URL="http://127.0.0.1:$driver_port" \
  node e2e/engines/run.mjs
