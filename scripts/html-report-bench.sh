#!/usr/bin/env bash
# HTML report at scale: the report of a summary of 10,000 secrets and 10 million findings must
# stay under 10 MB and open quickly in a browser. Prints the summary's size, the time logleaks
# takes to write the report, the report's size, and the time headless Chromium takes to load it
# (--dump-dom, after the load event, and a full-page screenshot), each less the same for an
# empty page (Chromium's own start-up).
#
#   scripts/html-report-bench.sh
#
# Environment: BENCH_SECRETS (default 10000), BENCH_FINDINGS (default 10000000), BENCH_RUNS
# (Chromium runs, best shown; default 3), LOGLEAKS_BIN (a logleaks binary to use instead of
# building this checkout's release binary), CHROMIUM (default: chromium; installed with apt-get
# when missing and run as root).
# Exit status 1 when the report is 10 MB or more.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
secrets=${BENCH_SECRETS:-10000}
findings=${BENCH_FINDINGS:-10000000}
runs=${BENCH_RUNS:-3}
chromium=${CHROMIUM:-chromium}
work=$target/bench/html
mkdir -p "$work"

if [[ -n ${LOGLEAKS_BIN:-} ]]; then
    bin=$LOGLEAKS_BIN
else
    (cd "$root" && cargo build --release --quiet)
    bin=$target/release/logleaks
fi

if ! command -v "$chromium" >/dev/null; then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
        echo "html-bench: installing chromium" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
        echo "html-bench: no $chromium: install the Debian package chromium (or set CHROMIUM)" >&2
        exit 2
    fi
fi

summary=$work/summary-$secrets-$findings.json
if [[ ! -e $summary ]]; then
    echo "html-bench: generating $summary" >&2
    python3 "$root/scripts/html-bench-summary.py" "$secrets" "$findings" >"$summary.tmp"
    mv "$summary.tmp" "$summary"
fi

report=$work/report.html
start=$(date +%s.%N)
"$bin" summary --format html "$summary" >"$report"
end=$(date +%s.%N)
size=$(stat -c %s "$report")

# Seconds of the best of $runs runs of a command (output discarded).
best() {
    local best=
    for _ in $(seq "$runs"); do
        local profile s e t
        profile=$(mktemp -d)
        s=$(date +%s.%N)
        "$@" --user-data-dir="$profile" >/dev/null 2>&1
        e=$(date +%s.%N)
        rm -rf "$profile"
        t=$(echo "$e - $s" | bc)
        if [[ -z $best ]] || (($(echo "$t < $best" | bc))); then best=$t; fi
    done
    echo "$best"
}

flags=(--headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run)
empty=$work/empty.html
printf '<!DOCTYPE html>\n<title>empty</title><p>empty</p>\n' >"$empty"
cd "$work"
dom_empty=$(best "$chromium" "${flags[@]}" --dump-dom "file://$empty")
dom_report=$(best "$chromium" "${flags[@]}" --dump-dom "file://$report")
shot_empty=$(best "$chromium" "${flags[@]}" --window-size=1200,900 --screenshot="$work/empty.png" "file://$empty")
shot_report=$(best "$chromium" "${flags[@]}" --window-size=1200,900 --screenshot="$work/report.png" "file://$report")

printf 'summary:    %s secrets, %s findings, %.1f MB of JSON\n' "$secrets" "$findings" "$(echo "$(stat -c %s "$summary") / 1000000" | bc -l)"
printf 'report:     %.2f MB, written in %.2f s\n' "$(echo "$size / 1000000" | bc -l)" "$(echo "$end - $start" | bc)"
printf 'chromium:   load (--dump-dom) %.2f s, %.2f s more than an empty page\n' "$dom_report" "$(echo "$dom_report - $dom_empty" | bc)"
printf 'chromium:   screenshot %.2f s, %.2f s more than an empty page\n' "$shot_report" "$(echo "$shot_report - $shot_empty" | bc)"
if ((size >= 10000000)); then
    echo "html-bench: the report is 10 MB or more" >&2
    exit 1
fi
