# Sourced by setup.sh, build.sh and test.sh, so every stage of `npm test` reports its time:
# `timed LABEL COMMAND…` runs COMMAND and prints "s3file time: LABEL N.N s", also appended to
# build/stage-times.tsv (setup.sh, first in every npm script, starts it afresh); test.sh ends
# with `print_times`, the whole table (the README's "Time per stage" comes from it).
S3FILE_TIMES=${S3FILE_TIMES:-build/stage-times.tsv}

timed() {
  local label=$1 start status=0
  shift
  start=$(date +%s.%N)
  "$@" || status=$?
  record "$label" "$start"
  return "$status"
}

# record LABEL START: the time since START (date +%s.%N) as one stage.
record() {
  local line
  line=$(awk -v a="$2" -v b="$(date +%s.%N)" -v l="$1" 'BEGIN{printf "%s\t%.1f", l, b-a}')
  echo "s3file time: ${line/$'\t'/: } s"
  mkdir -p "$(dirname "$S3FILE_TIMES")"
  echo "$line" >> "$S3FILE_TIMES"
}

print_times() {
  [ -f "$S3FILE_TIMES" ] || return 0
  echo "s3file time per stage:"
  awk -F'\t' '{printf "  %-40s %7.1f s\n", $1, $2; total += $2} END {printf "  %-40s %7.1f s\n", "total", total}' "$S3FILE_TIMES"
}
