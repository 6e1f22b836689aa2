#!/usr/bin/env bash
# The Spark job (contrib/spark/logleaks_spark.py) against one `logleaks scan` of the same
# generated logs on this machine: by default about 2 GB in 50 files (examples/genlog.rs).
#
#   scripts/spark-bench.sh [FILES [MB_EACH]]      (default: 50 files of 40 MB)
#
# LOGLEAKS (default target/release/logleaks; `cargo build --release --no-default-features` is
# enough for local paths) is the binary measured, SPARK_SUBMIT (default the CI's
# ~/.cache/logleaks-ci/spark-venv/bin/spark-submit) runs the job. Each run is timed once, wall
# clock, start-up included:
#   - one `logleaks scan --format jsonl --report FILE`, then `logleaks summary` of it (what the
#     job writes: findings and a summary);
#   - the job on local[1] and on local[2], with the default batches of about 1 GB;
#   - the job on one small file on local[1] and local[2]: its start-up (JVM, Spark context,
#     listing, one task), subtracted from the full run for the time "start-up excluded".
# It also checks that the job found as many findings as the single scan. The logs are written
# under a temporary directory that is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

FILES="${1:-50}"
MB_EACH="${2:-40}"
LOGLEAKS="$(realpath "${LOGLEAKS:-target/release/logleaks}")"
SPARK_SUBMIT="${SPARK_SUBMIT:-$HOME/.cache/logleaks-ci/spark-venv/bin/spark-submit}"
[ -x "$LOGLEAKS" ] || { echo "no $LOGLEAKS: cargo build --release --no-default-features first" >&2; exit 2; }
[ -x "$SPARK_SUBMIT" ] || { echo "no $SPARK_SUBMIT: install pyspark (see .ci/run)" >&2; exit 2; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/logleaks-spark-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# spark-submit from a virtual environment finds Spark and Python beside it.
SPARK_BIN="$(dirname "$SPARK_SUBMIT")"
export PATH="$SPARK_BIN:$PATH" SPARK_LOCAL_IP=127.0.0.1
if [ -x "$SPARK_BIN/python" ]; then
    export PYSPARK_PYTHON="$SPARK_BIN/python" PYSPARK_DRIVER_PYTHON="$SPARK_BIN/python"
fi

echo "generating $FILES files of $MB_EACH MB under $WORK"
rustc -O --edition 2021 examples/genlog.rs -o "$WORK/genlog"
mkdir -p "$WORK/lake" "$WORK/tiny"
for i in $(seq 1 "$FILES"); do
    host="web$((i % 8))"
    mkdir -p "$WORK/lake/$host"
    "$WORK/genlog" --size "${MB_EACH}M" --seed "$i" > "$WORK/lake/$host/access-$i.log"
done
"$WORK/genlog" --size 10K --seed 1 > "$WORK/tiny/access.log"
BYTES=$(du -sb "$WORK/lake" | cut -f1)
echo "$(du -sh "$WORK/lake" | cut -f1) in $FILES files; $(nproc) cores"

# The same clock for both, so that expiry facts (and severities) agree.
NOW="--now=2026-12-01"
now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# One scan, its findings to a file, then their summary.
start=$(now)
status=0
"$LOGLEAKS" scan "$NOW" --no-progress --format jsonl --report "$WORK/scan.jsonl" "$WORK/lake" \
    2>"$WORK/scan.stderr" || status=$?
scanned=$(now)
[ "$status" -le 1 ] || { cat "$WORK/scan.stderr" >&2; exit 1; }
"$LOGLEAKS" summary --format json "$WORK/scan.jsonl" > "$WORK/scan-summary.json"
summarised=$(now)
SCAN=$(seconds "$start" "$scanned")
SCAN_SUMMARY=$(seconds "$start" "$summarised")
FINDINGS=$(wc -l < "$WORK/scan.jsonl")

# The job on INPUT with MASTER into OUT: its wall time.
job() {
    local master="$1" input="$2" out="$3"
    local start end
    start=$(now)
    "$SPARK_SUBMIT" --master "$master" --conf spark.ui.enabled=false \
        contrib/spark/logleaks_spark.py --out "$out" --logleaks "$LOGLEAKS" --scan-arg="$NOW" "$input" \
        >"$out.log" 2>&1 || { cat "$out.log" >&2; exit 1; }
    end=$(now)
    seconds "$start" "$end"
}

declare -A TOTAL STARTUP
for master in 'local[1]' 'local[2]'; do
    tag="${master//[^0-9]/}"
    STARTUP[$master]=$(job "$master" "$WORK/tiny" "$WORK/tiny-out-$tag")
    TOTAL[$master]=$(job "$master" "$WORK/lake" "$WORK/out-$tag")
    found=$(cat "$WORK/out-$tag"/findings/*.jsonl | wc -l)
    [ "$found" -eq "$FINDINGS" ] ||
        { echo "the job on $master found $found findings, the scan $FINDINGS" >&2; exit 1; }
    cmp -s "$WORK/out-$tag/summary.json" "$WORK/scan-summary.json" ||
        { echo "the job's summary on $master differs from the scan's" >&2; exit 1; }
done

mb() { awk -v b="$BYTES" -v s="$1" 'BEGIN { printf "%.1f", b / 1000000 / s }'; }
echo
printf '%-34s %9s %9s\n' "run ($FINDINGS findings each)" "seconds" "MB/s"
printf '%-34s %9.1f %9s\n' "logleaks scan" "$SCAN" "$(mb "$SCAN")"
printf '%-34s %9.1f %9s\n' "logleaks scan + summary" "$SCAN_SUMMARY" "$(mb "$SCAN_SUMMARY")"
for master in 'local[1]' 'local[2]'; do
    excluded=$(seconds "${STARTUP[$master]}" "${TOTAL[$master]}")
    printf '%-34s %9.1f %9s\n' "spark $master, start-up included" "${TOTAL[$master]}" "$(mb "${TOTAL[$master]}")"
    printf '%-34s %9.1f %9s\n' "spark $master, start-up (tiny job)" "${STARTUP[$master]}" "-"
    printf '%-34s %9.1f %9s\n' "spark $master, start-up excluded" "$excluded" "$(mb "$excluded")"
done
