#!/usr/bin/env bash
# `logleaks redact -` as a pipeline filter: throughput through a pipe (MB/s and lines/s, input
# from a pipe, output into a pipe, so each block is flushed as it would be between a log source
# and its destination), then per-line latency: N lines written one at a time, each timed from
# its write to its masked line read back (after one line that starts the process, not timed).
#
#   scripts/redact-pipe-bench.sh                   # release build, 200 MB generated, 1000 lines
#   SIZE=1G RUNS=3 LINES=5000 scripts/redact-pipe-bench.sh
#   LOGLEAKS=target/debug/logleaks FILE=some.log scripts/redact-pipe-bench.sh
#
# The throughput input is the genlog example's synthetic access log (`--seed 3`), kept in
# target/bench. Prints the best of RUNS runs, and latency p50, p90, p99 and max. A measurement,
# not a test: nothing here fails on a slow machine.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
size=${SIZE:-200M}
runs=${RUNS:-3}

if [ -z "${LOGLEAKS:-}" ]; then
    cargo build --release --quiet --bin logleaks
    LOGLEAKS="$target/release/logleaks"
fi
file=${FILE:-$target/bench/redact-${size,,}.log}
if [ ! -e "$file" ]; then
    echo "redact-pipe-bench: generating $file ($size)" >&2
    mkdir -p "$(dirname "$file")"
    cargo run --release --quiet --example genlog -- --size "$size" --seed 3 >"$file.partial"
    mv "$file.partial" "$file"
fi
export LOGLEAKS FILE="$file" RUNS="$runs" LINES="${LINES:-1000}"

python3 - <<'PY'
import os, subprocess, time

binary, path = os.environ["LOGLEAKS"], os.environ["FILE"]
size = os.path.getsize(path)
with open(path, "rb") as f:
    lines = sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))

best = None
for _ in range(int(os.environ["RUNS"])):
    start = time.perf_counter()
    # cat | logleaks redact - | cat: both ends are pipes.
    cat_in = subprocess.Popen(["cat", path], stdout=subprocess.PIPE)
    redact = subprocess.Popen([binary, "redact", "-", "--no-config"], stdin=cat_in.stdout,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    cat_in.stdout.close()
    sink = subprocess.Popen(["cat"], stdin=redact.stdout, stdout=subprocess.DEVNULL)
    redact.stdout.close()
    sink.wait(); redact.wait(); cat_in.wait()
    elapsed = time.perf_counter() - start
    if redact.returncode != 0:
        raise SystemExit(f"logleaks redact exited with {redact.returncode}")
    best = elapsed if best is None else min(best, elapsed)

print(f"binary: {binary}")
print(f"throughput, cat {os.path.basename(path)} | logleaks redact - | cat (best of {os.environ['RUNS']}): "
      f"{size / 1e6:.0f} MB, {lines} lines in {best:.2f} s: "
      f"{size / 1e6 / best:.0f} MB/s, {lines / best:,.0f} lines/s")

count = int(os.environ["LINES"])
redact = subprocess.Popen([binary, "redact", "-", "--no-config"], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0)
# One line first, not timed: the start of the process and the detection of the format.
redact.stdin.write(b'203.0.113.7 - - [04/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 512 "-" "curl/8.5.0"\n')
redact.stdout.readline()
latencies = []
for i in range(count):
    key = "d4d3fd81b6ee7b3bb1c863e2%06d" % i
    query = f"api_key={key}" if i % 2 == 0 else f"page={i}"
    line = ('203.0.113.7 - - [04/Dec/2026:10:00:00 +0000] "GET /v1/orders?%s HTTP/1.1" '
            '200 512 "-" "curl/8.5.0"\n' % query).encode()
    start = time.perf_counter()
    redact.stdin.write(line)
    got = redact.stdout.readline()
    latencies.append(time.perf_counter() - start)
    if key.encode() in got or not got.endswith(b'HTTP/1.1" 200 512 "-" "curl/8.5.0"\n'):
        raise SystemExit(f"unexpected output for line {i + 1}: {got!r}")
redact.stdin.close()
redact.wait(timeout=30)
latencies.sort()
def pct(p):
    return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000
print(f"latency, {count} lines written one at a time (every other one with a key), from the "
      "write to the masked line read: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms"
      % (pct(50), pct(90), pct(99), latencies[-1] * 1000))
PY
