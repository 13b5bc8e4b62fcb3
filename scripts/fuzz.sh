#!/usr/bin/env bash
# Coverage-guided fuzzing with libFuzzer (Debian's clang 14): builds the targets of tests/fuzz/
# in build/fuzz with -fsanitize=fuzzer,address,undefined, runs each one for FUZZ_SECONDS
# (default 60) on a temporary copy of its committed corpus (new inputs stay out of git), and
# prints one summary line per target. Crash reproducers are kept in build/fuzz/artifacts/;
# copy one to tests/fuzz/corpus/<target>/crash-<what> to make it a regression test.
# Environment: FUZZ_SECONDS, FUZZ_TARGETS (a subset, space-separated), FUZZ_SKIP_KNOWN=1
# (skip inputs that hit the known bugs listed in tests/fuzz/harness.hpp), FUZZ_WORKDIR
# (default /dev/shm), S3FILE_JOBS.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
jobs=${S3FILE_JOBS:-2}  # the machines here have 2 cores
targets=${FUZZ_TARGETS:-"s3_response post_policy form_receiver s3_emulator app_json"}
skip_known=OFF
[ "${FUZZ_SKIP_KNOWN:-0}" = "1" ] && skip_known=ON

# Largest input per target: S3's XML answers, policies and form texts are small; one storage
# connection needs room for S3's 20 KB of fields before the file (kMaxPreFileBytes) and more.
max_len() {
  case "$1" in
    s3_emulator) echo 32768 ;;
    app_json) echo 16384 ;;
    *) echo 4096 ;;
  esac
}
dict() {
  case "$1" in
    s3_response) echo tests/fuzz/xml.dict ;;
    post_policy | form_receiver) echo tests/fuzz/policy.dict ;;
    *) echo tests/fuzz/http.dict ;;
  esac
}

# clang and libFuzzer's runtime are only needed here, so setup.sh does not install them.
missing=()
for package in clang libclang-rt-14-dev; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "s3file fuzz: run as root: apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  echo "s3file fuzz: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

CC=clang CXX=clang++ cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DS3FILE_FUZZ=ON -DS3FILE_FUZZ_SKIP_KNOWN="$skip_known" >/dev/null
build_targets=()
for target in $targets; do build_targets+=(--target "fuzz_$target"); done
cmake --build build/fuzz -j"$jobs" "${build_targets[@]}"

# The emulator target creates, renames and removes files on every input: on tmpfs that is
# several times faster than on the disk (measured here: ~4x on ext4).
base=${FUZZ_WORKDIR:-/dev/shm}
[ -d "$base" ] && [ -w "$base" ] || base=${TMPDIR:-/tmp}
work=$(mktemp -d "$base/s3file-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
failed=0
for target in $targets; do
  dir="$work/$target"
  mkdir -p "$dir/corpus" "$dir/artifacts" "$dir/tmp"
  cp tests/fuzz/corpus/"$target"/* "$dir/corpus/"
  seeds=$(ls "$dir/corpus" | wc -l)
  status=0
  # TMPDIR: the targets' sandboxes go into the work folder, removed even after a crash.
  TMPDIR="$dir/tmp" "build/fuzz/fuzz_$target" "$dir/corpus" \
    -max_total_time="$seconds" -max_len="$(max_len "$target")" -dict="$(dict "$target")" \
    -timeout=30 -artifact_prefix="$dir/artifacts/" -print_final_stats=1 >"$dir/log" 2>&1 || status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -1)
  coverage=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$dir/log" | tail -1)
  crashes=$(ls "$dir/artifacts" | wc -l)
  echo "fuzz $target: ${execs:-?} execs, ${coverage:-no coverage line}, corpus $seeds -> $(ls "$dir/corpus" | wc -l), crashes $crashes"
  if [ "$status" -ne 0 ] || [ "$crashes" -ne 0 ]; then
    failed=1
    mkdir -p "build/fuzz/artifacts/$target"
    cp "$dir/log" "build/fuzz/artifacts/$target/log"
    cp "$dir"/artifacts/* "build/fuzz/artifacts/$target/" 2>/dev/null || true
    grep -m1 -E 'ERROR: |fuzz invariant broken|runtime error' "$dir/log" | sed 's/^/  /' || true
    echo "  reproducer and log: build/fuzz/artifacts/$target/"
  fi
done
exit "$failed"
