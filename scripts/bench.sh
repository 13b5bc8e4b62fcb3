#!/usr/bin/env bash
# Benchmarks print ratios measured side by side in one run (see README "Benchmarks").
set -euo pipefail
cd "$(dirname "$0")/.."
echo "s3file bench: the upload benchmarks arrive with the server and browser issues (#3, #4)."
