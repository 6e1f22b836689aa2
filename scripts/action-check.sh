#!/usr/bin/env bash
# Runs the GitHub Action's script (scripts/action.sh) as the action does, against the fixtures,
# and checks its outputs: a scan with leaks, a baseline that accepts them all, a missing path and
# a missing baseline. LOGLEAKS names the binary to use (default: the debug build). Run by
# scripts/package-check.sh with the packaged binary.
set -euo pipefail
cd "$(dirname "$0")/.."

export LOGLEAKS=${LOGLEAKS:-${CARGO_TARGET_DIR:-target}/debug/logleaks}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
die() {
    echo "action-check: FAILED: $*" >&2
    exit 1
}
# Runs the action's script with the given inputs; its outputs land in $work/out.
run_action() {
    : >"$work/out"
    env GITHUB_OUTPUT="$work/out" INPUT_SARIF="$work/logleaks.sarif" "$@" scripts/action.sh \
        2>"$work/stderr"
}
output() { sed -n "s/^$1=//p" "$work/out"; }

# Leaks in the fixtures: the step succeeds, says exit-code 1, and the SARIF lists them.
run_action INPUT_PATHS=$'fixtures/nginx\n  fixtures/apache  \n' INPUT_ARGS="--now 2025-11-27 --no-config" \
    || die "the scan step failed: $(cat "$work/stderr")"
[ "$(output exit-code)" = 1 ] || die "exit-code $(output exit-code), expected 1: $(cat "$work/stderr")"
[ "$(output sarif-file)" = "$work/logleaks.sarif" ] || die "sarif-file output: $(output sarif-file)"
grep -q '"ruleId": *"github-pat"' "$work/logleaks.sarif" || die "the SARIF lacks the fixtures' GitHub token"
grep -q '::error title=logleaks::leaked credentials found' "$work/stderr" || die "no error annotation"

# A baseline holding every finding: nothing new, exit-code 0. Extra flags are passed on.
"$LOGLEAKS" scan fixtures/ --no-config --now 2025-11-27 --format jsonl --report "$work/baseline.jsonl" \
    --fail-on never 2>/dev/null
run_action INPUT_PATHS=fixtures INPUT_BASELINE="$work/baseline.jsonl" INPUT_ARGS="--no-config --now 2025-11-27" \
    || die "the baseline scan step failed: $(cat "$work/stderr")"
[ "$(output exit-code)" = 0 ] || die "with a baseline of every finding: exit-code $(output exit-code)"
run_action INPUT_PATHS=fixtures INPUT_ARGS="--no-config --fail-on never" || die "--fail-on never failed"
[ "$(output exit-code)" = 0 ] || die "extra flags were not passed: exit-code $(output exit-code)"

# A path that does not exist: exit-code 2, the path named.
run_action INPUT_PATHS=$'fixtures/nginx\nno/such/dir' INPUT_ARGS=--no-config || die "the step itself failed"
[ "$(output exit-code)" = 2 ] || die "missing path: exit-code $(output exit-code)"
grep -q 'no/such/dir' "$work/stderr" || die "the missing path is not named: $(cat "$work/stderr")"

# Mistakes in the inputs fail the step with one clear message.
if run_action INPUT_PATHS=fixtures INPUT_BASELINE="$work/none.jsonl"; then die "a missing baseline passed"; fi
grep -q "none.jsonl: baseline file not found" "$work/stderr" || die "missing baseline: $(cat "$work/stderr")"
if run_action INPUT_PATHS=$'\n  \n'; then die "no paths passed"; fi
grep -q "no paths to scan" "$work/stderr" || die "no paths: $(cat "$work/stderr")"
if run_action INPUT_PATHS=fixtures LOGLEAKS="$work/missing-logleaks"; then die "a missing binary passed"; fi
grep -q "missing-logleaks: no such logleaks binary" "$work/stderr" || die "missing binary: $(cat "$work/stderr")"

echo "action-check: the action's script works on the fixtures"
