#!/usr/bin/env bash
# The server and the widget against Ceph's RADOS Gateway, a real S3 implementation: the server's
# round trip, boto3 and the refusals (tests/rgw/rgw_test.py), then the browser flows of the
# drop-in, <s3-file> and upload() in Chromium (e2e/rgw/, playwright.rgw.config.js). A one-node
# cluster for this stage only (scripts/rgw.sh), stopped by PID whatever happens. The directory is
# chosen here, so the trap knows it before any daemon starts. RGW_PORT / RGW_MON_PORT (scripts/rgw.sh)
# and S3FILE_RGW_E2E_PORT (playwright.rgw.config.js; the multipart flow takes that port + 2) come
# from the environment.
# Needs: bash scripts/setup.sh ceph-mon ceph-osd radosgw ceph-common; the build (server and dist/).
set -euo pipefail
cd "$(dirname "$0")/.."
stage_start=$(date +%s.%N)
RGW_DIR=$(mktemp -d /tmp/s3file-rgw.XXXXXX)
export RGW_DIR
trap 'bash scripts/rgw.sh stop "$RGW_DIR" || true' EXIT
eval "$(bash scripts/rgw.sh start)"
sed 's/^/s3file test: rgw start /' "$RGW_DIR/log/times"
checks_start=$(date +%s.%N)
python3 tests/rgw/rgw_test.py build/native/s3file-server
server_done=$(date +%s.%N)
awk -v a="$checks_start" -v b="$server_done" 'BEGIN{printf "s3file test: RGW server checks %.1f s\n", b-a}'
npx playwright test -c playwright.rgw.config.js
awk -v a="$server_done" -v b="$(date +%s.%N)" 'BEGIN{printf "s3file test: RGW browser flows %.1f s\n", b-a}'
bash scripts/rgw.sh stop "$RGW_DIR"
trap - EXIT
awk -v a="$stage_start" -v b="$(date +%s.%N)" 'BEGIN{printf "s3file test: RGW stage %.1f s (start, server checks, browser flows, stop)\n", b-a}'
