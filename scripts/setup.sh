#!/usr/bin/env bash
# Installs what s3file needs on Debian 12, idempotently: quick when everything is present.
# Run by `npm start`, `npm test`, `npm run build` and `npm run bench`; extra Debian packages
# that only one script needs can be named as arguments (scripts/fuzz.sh: clang and libFuzzer).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/timed.sh
setup_start=$(date +%s.%N)
rm -f "$S3FILE_TIMES"  # first in every npm script: a new table of stage times

# Debian packages (see README "Requirements"): the toolchains, libraries and the browser.
packages=(
  cmake g++ make pkg-config            # native build
  emscripten                           # wasm build (clang-14, lld, binaryen)
  nlohmann-json3-dev catch2            # JSON for server and tests; Catch2 v2 test framework
  libcpp-httplib-dev libssl-dev        # HTTP server/client and OpenSSL (HMAC, SHA-256, MD5)
  zopfli                               # dist/'s .gz siblings (scripts/precompress.mjs)
  chromium                             # the browser Playwright drives
  python3 python3-boto3                # the real AWS SDK, to cross-check policies
  "$@"
)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$package")
done

if [ ${#missing[@]} -gt 0 ]; then
  command="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "s3file setup: missing Debian packages: ${missing[*]}" >&2
    echo "Run as root:  $command" >&2
    exit 1
  fi
  echo "s3file setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm packages: `npm ci` only when package-lock.json changed since the last install.
stamp=node_modules/.s3file-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "s3file setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi
record "set-up (apt-get, npm ci)" "$setup_start"
