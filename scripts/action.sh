#!/usr/bin/env bash
# The shell logic of the logleaks GitHub Action (action.yml): runs `logleaks scan` on the given
# paths with a SARIF report, and writes the step outputs. It always exits 0 when the scan ran, so
# that the SARIF upload step runs first; the action's last step then fails the job with the
# scan's exit code. CI runs this script directly (scripts/action-check.sh).
#
# Environment (set by action.yml from the inputs):
#   LOGLEAKS        the logleaks binary (default: logleaks on PATH)
#   INPUT_PATHS     files and directories to scan, one per line (required)
#   INPUT_ARGS      extra flags for `logleaks scan`, split on whitespace (e.g. `--fail-on high`)
#   INPUT_BASELINE  an earlier json/jsonl report whose secrets are not reported (optional)
#   INPUT_SARIF     where to write the SARIF report (default: logleaks.sarif)
#   GITHUB_OUTPUT   the file step outputs go to: `sarif-file` and `exit-code`
set -euo pipefail

logleaks=${LOGLEAKS:-logleaks}
sarif=${INPUT_SARIF:-logleaks.sarif}
output=${GITHUB_OUTPUT:-/dev/null}

fail() {
    echo "::error title=logleaks::$1" >&2
    exit 2
}

paths=()
while IFS= read -r line; do
    # Surrounding blanks of a YAML block are not part of a path.
    line=${line#"${line%%[![:space:]]*}"}
    line=${line%"${line##*[![:space:]]}"}
    if [ -n "$line" ]; then
        paths+=("$line")
    fi
done <<<"${INPUT_PATHS:-}"
if [ "${#paths[@]}" -eq 0 ]; then
    fail "no paths to scan: set the 'paths' input (one file or directory per line)"
fi

if ! command -v "$logleaks" >/dev/null 2>&1; then
    fail "$logleaks: no such logleaks binary: set 'binary' to its path, or 'version' to install it"
fi

flags=(scan --format sarif --report "$sarif" --no-progress)
if [ -n "${INPUT_BASELINE:-}" ]; then
    if [ ! -f "$INPUT_BASELINE" ]; then
        fail "$INPUT_BASELINE: baseline file not found (create it with: logleaks scan PATHS --format jsonl --report $INPUT_BASELINE --fail-on never)"
    fi
    flags+=(--baseline "$INPUT_BASELINE")
fi
extra=()
if [ -n "${INPUT_ARGS:-}" ]; then
    # Split on whitespace without expanding globs.
    read -r -a extra <<<"$INPUT_ARGS"
fi

echo "logleaks ${flags[*]} ${extra[*]} ${paths[*]}" >&2
status=0
"$logleaks" "${flags[@]}" "${extra[@]}" -- "${paths[@]}" || status=$?

{
    echo "sarif-file=$sarif"
    echo "exit-code=$status"
} >>"$output"
case $status in
    0) echo "logleaks: no leaked credential found" >&2 ;;
    1) echo "::error title=logleaks::leaked credentials found: see $sarif (or the code scanning alerts)" >&2 ;;
    *) echo "::error title=logleaks::logleaks scan exited with $status: see the messages above" >&2 ;;
esac
