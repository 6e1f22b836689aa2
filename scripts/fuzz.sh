#!/usr/bin/env bash
# Runs every fuzz target (or the ones named) one after the other, one job each, for SECONDS
# seconds (default 600), with the nightly toolchain and cargo-fuzz. Crashes, hangs and
# out-of-memory inputs are collected in fuzz/artifacts/<target>/ and fuzzing goes on; the
# executions of each run are printed at the end. New inputs go to a working corpus in
# $LOGLEAKS_FUZZ_LOGS/corpus/<target> (default /tmp/logleaks-fuzz), logs beside it; the
# committed corpus fuzz/corpus/<target> is only read. Afterwards, `scripts/fuzz.sh --merge` adds
# to the committed corpus the smallest inputs of a set-cover minimisation of what was found.
#
#   scripts/fuzz.sh                 # every target, 10 minutes each
#   SECONDS_EACH=10 scripts/fuzz.sh # the short CI run
#   scripts/fuzz.sh decode_value    # one target
set -uo pipefail
cd "$(dirname "$0")/../fuzz"

seconds="${SECONDS_EACH:-600}"
logs="${LOGLEAKS_FUZZ_LOGS:-/tmp/logleaks-fuzz}"
mkdir -p "$logs"
merge=0
if [ "${1:-}" = "--merge" ]; then
    merge=1
    shift
fi
if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo +nightly fuzz list)
fi

cargo +nightly fuzz build -O -a || exit 1
status=0
for target in "${targets[@]}"; do
    work="$logs/corpus/$target"
    mkdir -p "$work"
    if [ "$merge" = 1 ]; then
        # A set-cover minimisation of everything found, of which the smallest inputs not yet
        # committed are added up to MERGE_BYTES (default 32 KiB) per target: the committed
        # corpus stays small and CI's replay fast.
        minimal="$logs/minimal/$target"
        rm -rf "$minimal" && mkdir -p "$minimal"
        cargo +nightly fuzz run -O -a "$target" "$minimal" "corpus/$target" "$work" -- \
            -set_cover_merge=1 >"$logs/$target.merge.log" 2>&1
        budget="${MERGE_BYTES:-32768}"
        added=0
        while read -r size file; do
            name=$(basename "$file")
            [ -e "corpus/$target/$name" ] && continue
            [ $((added + size)) -le "$budget" ] || break
            cp "$file" "corpus/$target/$name"
            added=$((added + size))
        done < <(find "$minimal" -type f -printf '%s %p\n' | sort -n)
        echo "$target: $(ls "$minimal" | wc -l) inputs cover what was found; $added bytes added, $(ls "corpus/$target" | wc -l) inputs committed"
        continue
    fi
    mkdir -p "artifacts/$target"
    log="$logs/$target.log"
    started=$(date +%s)
    # Fork mode with one job: a crash is saved and fuzzing goes on for the whole time.
    cargo +nightly fuzz run -O -a "$target" "$work" "corpus/$target" -- \
        -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        >"$log" 2>&1
    ended=$(date +%s)
    execs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
    crashes=$(grep -cE 'CRASH|Test unit written|deadly signal|ERROR: libFuzzer' "$log")
    echo "$target: $((ended - started)) s, ${execs:-0} executions, $crashes crash report(s) (log: $log)"
    [ "$crashes" -eq 0 ] || status=1
done
exit $status
