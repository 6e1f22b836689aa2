#!/usr/bin/env bash
# Follow latency of `logleaks scan --watch`: the time from a log line written (appended to a
# file in a watched directory) to its finding read from logleaks' standard output, over N lines
# written one at a time; then the CPU logleaks uses while it follows files that do not change.
#
#   scripts/watch-latency.sh                      # builds a release binary, 200 lines
#   LOGLEAKS=target/debug/logleaks LINES=500 IDLE_SECONDS=20 scripts/watch-latency.sh
#   POLL_ONLY=1 scripts/watch-latency.sh          # without inotify (the --poll-interval fallback)
#
# Prints p50, p90, p99 and max latency, and idle CPU as a share of one core. A measurement,
# not a test: nothing here fails on a slow machine.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${LOGLEAKS:-}" ]; then
    cargo build --release --quiet
    LOGLEAKS="${CARGO_TARGET_DIR:-target}/release/logleaks"
fi
export LOGLEAKS LINES="${LINES:-200}" IDLE_SECONDS="${IDLE_SECONDS:-10}" POLL_INTERVAL="${POLL_INTERVAL:-1s}"
if [ -n "${POLL_ONLY:-}" ]; then export LOGLEAKS_WATCH_POLL_ONLY=1; fi

python3 - <<'PY'
import os, random, signal, subprocess, tempfile, time

binary = os.environ["LOGLEAKS"]
lines = int(os.environ["LINES"])
idle = float(os.environ["IDLE_SECONDS"])
work = tempfile.mkdtemp(prefix="logleaks-latency-")
log = os.path.join(work, "access.log")
open(log, "w").close()

watch = subprocess.Popen(
    [binary, "scan", "--watch", work, "--format", "jsonl", "--no-config",
     "--poll-interval", os.environ["POLL_INTERVAL"]],
    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0)
time.sleep(1.0)  # the initial scan of an empty file

def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

latencies = []
reader = watch.stdout
rng = random.Random(7)
for i in range(lines):
    key = "d4d3fd81b6ee7b3bb1c863e2%06d" % i
    line = ('203.0.113.7 - - [04/Dec/2026:10:00:00 +0000] "GET /v1/orders?api_key=%s HTTP/1.1" '
            '200 512 "-" "curl/8.5.0"\n' % key)
    with open(log, "a") as f:
        start = time.perf_counter()
        f.write(line)
    got = reader.readline()
    latencies.append(time.perf_counter() - start)
    if key[-4:] not in got.decode():
        raise SystemExit(f"unexpected output for line {i + 1}: {got!r}")
    time.sleep(rng.uniform(0.005, 0.05))

before = cpu_seconds(watch.pid)
time.sleep(idle)
idle_cpu = (cpu_seconds(watch.pid) - before) / idle

watch.send_signal(signal.SIGTERM)
watch.wait(timeout=30)
latencies.sort()
def pct(p):
    return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000
print(f"binary: {binary}")
print(f"lines: {lines}, one at a time; poll interval {os.environ['POLL_INTERVAL']}"
      + (", inotify off" if os.environ.get("LOGLEAKS_WATCH_POLL_ONLY") else ", inotify"))
print("latency from line written to finding read: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms"
      % (pct(50), pct(90), pct(99), latencies[-1] * 1000))
print("idle CPU over %.0f s: %.2f%% of one core" % (idle, idle_cpu * 100))
PY
