#!/usr/bin/env bash
# Coverage-guided fuzzing with libFuzzer (Debian's clang 14): builds the targets of tests/fuzz/
# in build/fuzz with -fsanitize=fuzzer,address,undefined, runs each one for FUZZ_SECONDS
# (default 60) on a temporary copy of its committed corpus (new inputs stay out of git), and
# prints one summary line per target, with the distinct errors of any crashes. Reproducers
# are kept in build/fuzz/artifacts/<target>/; minimise one (fuzz_<target> -minimize_crash=1
# -exact_artifact_path=…) and add it as tests/fuzz/corpus/<target>/crash-<what> to make it a
# regression test.
# Environment: FUZZ_SECONDS, FUZZ_TARGETS (a subset, space-separated), FUZZ_WORKDIR
# (default /dev/shm), S3FILE_JOBS.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
jobs=${S3FILE_JOBS:-2}  # the machines here have 2 cores
targets=${FUZZ_TARGETS:-"s3_response post_policy form_receiver s3_emulator app_json"}

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

# clang and libFuzzer's runtime are only needed here: setup.sh installs them when asked.
bash scripts/setup.sh clang libclang-rt-14-dev

CC=clang CXX=clang++ cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DS3FILE_FUZZ=ON >/dev/null
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
  kept="build/fuzz/artifacts/$target"  # this run's reproducers only
  rm -rf "$kept"
  mkdir -p "$dir/corpus" "$dir/artifacts" "$dir/tmp"
  # crash-* reproducers are the replay test's business: one of a bug not fixed yet would
  # only be reported again here.
  find tests/fuzz/corpus/"$target" -maxdepth 1 -type f ! -name 'crash-*' -exec cp {} "$dir/corpus/" \;
  seeds=$(ls "$dir/corpus" | wc -l)
  # Fork mode: a crash is saved and fuzzing goes on, so one known bug does not end the run.
  # TMPDIR: the targets' sandboxes go into the work folder, removed even after a crash.
  TMPDIR="$dir/tmp" "build/fuzz/fuzz_$target" "$dir/corpus" -fork=1 -ignore_crashes=1 \
    -ignore_timeouts=1 -ignore_ooms=1 -max_total_time="$seconds" -max_len="$(max_len "$target")" \
    -dict="$(dict "$target")" -timeout=30 -artifact_prefix="$dir/artifacts/" >"$dir/log" 2>&1 || true
  stats=$(grep -E '^#[0-9]+: cov:' "$dir/log" | tail -1)
  execs=${stats%%:*}
  coverage=$(grep -o 'cov: [0-9]* ft: [0-9]*' <<<"$stats" || true)
  crashes=$(ls "$dir/artifacts" | wc -l)
  echo "fuzz $target: ${execs#\#} execs, ${coverage:-no coverage line}, corpus $seeds -> $(ls "$dir/corpus" | wc -l), crashes $crashes"
  [ -n "$stats" ] || { failed=1; tail -5 "$dir/log" | sed 's/^/  /'; }
  if [ "$crashes" -ne 0 ]; then
    failed=1
    mkdir -p "$kept"
    cp "$dir"/artifacts/* "$kept/"
    # Fork mode keeps no crash log: run each reproducer once more and count distinct errors.
    for artifact in "$dir"/artifacts/*; do
      error=$({ TMPDIR="$dir/tmp" "build/fuzz/fuzz_$target" "$artifact" 2>&1 || true; } |
        grep -m1 -E 'fuzz invariant broken|what\(\)|ERROR: AddressSanitizer|runtime error|ERROR: libFuzzer' |
        sed -E 's/==[0-9]+==//; s/index [0-9]+/index N/; s/0x[0-9A-F]{2}$/0x../') || true
      echo "${error:-(no error on replay)}"
    done | sort | uniq -c | sort -rn | head -5 | sed 's/^/  /'
    echo "  reproducers: $kept/"
  fi
done
exit "$failed"
