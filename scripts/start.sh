#!/usr/bin/env bash
# Runs the demo: the s3file server with its embedded S3 emulator (storage in build/storage).
# Extra arguments go to the server, e.g. `npm start -- --port 9000 --max-size 10MB`.
set -euo pipefail
cd "$(dirname "$0")/.."
exec build/native/s3file-server --storage build/storage --max-size 1GB "$@"
