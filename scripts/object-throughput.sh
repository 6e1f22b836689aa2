#!/usr/bin/env bash
# Throughput of object-store scans against the same data on local disk, through a local
# S3-protocol server (moto's standalone server, which keeps objects in memory).
#
#   scripts/object-throughput.sh [FILES [MB_EACH]]      (default: 40 files of 5 MB, half gzipped)
#
# LOGLEAKS (default target/release/logleaks) is the binary measured; LOGLEAKS_MOTO_SERVER (default
# moto_server on PATH) the server, whose Python (with boto3, a dependency of moto) uploads the
# objects. Prints objects/s and MB/s (of the bytes stored) for both, best of RUNS (default 3).
# The server is the same Python process for every run: the figures say what logleaks achieves
# against a slow single-threaded server, not against S3.
set -euo pipefail
cd "$(dirname "$0")/.."

FILES="${1:-40}"
MB_EACH="${2:-5}"
RUNS="${RUNS:-3}"
LOGLEAKS="${LOGLEAKS:-target/release/logleaks}"
MOTO="${LOGLEAKS_MOTO_SERVER:-$(command -v moto_server)}"
PYTHON="$(dirname "$MOTO")/python"
[ -x "$PYTHON" ] || PYTHON=python3
[ -x "$LOGLEAKS" ] || { echo "no $LOGLEAKS: cargo build --release first" >&2; exit 2; }

WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

rustc -O --edition 2021 examples/genlog.rs -o "$WORK/genlog"
mkdir -p "$WORK/logs"
for i in $(seq 1 "$FILES"); do
    host="web$((i % 8))"
    mkdir -p "$WORK/logs/$host"
    out="$WORK/logs/$host/access-$i.log"
    "$WORK/genlog" --size "${MB_EACH}M" --seed "$i" > "$out"
    if [ $((i % 2)) -eq 0 ]; then gzip -6 "$out"; fi
done
BYTES=$(du -sb "$WORK/logs" | cut -f1)

PORT=$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$MOTO" -H 127.0.0.1 -p "$PORT" >/dev/null 2>&1 &
SERVER_PID=$!
ENDPOINT="http://127.0.0.1:$PORT"
for _ in $(seq 1 120); do
    curl -s -o /dev/null "$ENDPOINT/" && break
    sleep 0.5
done
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1
"$PYTHON" - "$ENDPOINT" "$WORK/logs" <<'PY'
import os, sys, boto3
endpoint, root = sys.argv[1], sys.argv[2]
s3 = boto3.client("s3", endpoint_url=endpoint)
s3.create_bucket(Bucket="bench")
for folder, _, names in os.walk(root):
    for name in names:
        path = os.path.join(folder, name)
        s3.upload_file(path, "bench", "logs/" + os.path.relpath(path, root))
PY

best() {
    local best=""
    for _ in $(seq 1 "$RUNS"); do
        local start end t
        start=$(date +%s.%N)
        "$@" --format jsonl --fail-on never --no-progress > /dev/null 2>"$WORK/stderr" \
            || { cat "$WORK/stderr" >&2; exit 2; }
        end=$(date +%s.%N)
        t=$(echo "$end - $start" | bc -l)
        if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
    done
    echo "$best"
}
report() {
    printf '%-28s %6.2f s  %7.1f objects/s  %7.1f MB/s\n' "$1" "$2" \
        "$(echo "$FILES / $2" | bc -l)" "$(echo "$BYTES / 1000000 / $2" | bc -l)"
}
echo "$FILES files, $(echo "$BYTES / 1000000" | bc) MB stored (half gzipped), best of $RUNS, load $(cut -d' ' -f1 /proc/loadavg)"
report "local disk" "$(best "$LOGLEAKS" scan "$WORK/logs")"
report "s3:// (moto, 127.0.0.1)" "$(best "$LOGLEAKS" scan "s3://bench/logs/" --endpoint-url "$ENDPOINT")"
