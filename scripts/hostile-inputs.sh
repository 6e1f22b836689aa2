#!/usr/bin/env bash
# Makes the hostile inputs of the resource-limit checks and measures a release build on each
# with GNU time: exit code, wall time and peak RSS (which must stay under 100 MB).
#
#   cargo build --release && scripts/hostile-inputs.sh [DIR]    # DIR default: a temporary one
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/target/release/logleaks"
dir="${1:-$(mktemp -d)}"
mkdir -p "$dir" && cd "$dir" || exit 1

head -c 100M /dev/urandom >random.bin
# 100 MB of random bytes that pass as text (printable ASCII, `%=&?\`, newlines).
python3 - <<'PY'
import os
alphabet = bytes(range(0x20, 0x7f)) + b"%%%%====&&&&????\\\\\\\\\n\n"
table = bytes(alphabet[i % len(alphabet)] for i in range(256))
with open("random-text.log", "wb") as f:
    for _ in range(100):
        f.write(os.urandom(1 << 20).translate(table))
# A single 10 MB line of `%25`, bare and as a request's query.
open("percent.log", "wb").write(b"%25" * (10 * 1024 * 1024 // 3) + b"\n")
q = b"%25" * (10 * 1024 * 1024 // 3 - 40)
open("percent-query.log", "wb").write(
    b'203.0.113.7 - - [27/Nov/2026:10:00:00 +0000] "GET /search?q=' + q
    + b' HTTP/1.1" 200 512 "-" "curl/8.5.0"\n')
# A single 10 MB line full of vendor prefixes that are not credentials.
prefixes = b"eyJ pat ghp_ AKIA sk_live_ glpat- dp.st. -us1 hvs. SG. AIza npm_ "
open("prefixes.log", "wb").write((prefixes * (10 * 1024 * 1024 // len(prefixes))) + b"\n")
PY
# About 2 MB of gzip that expands to 2 GiB of zeros.
head -c 2G /dev/zero | gzip -9 >zeros.gz
# A directory whose symlink points back at its parent.
rm -rf looped && mkdir -p looped/logs
printf '203.0.113.7 - - [27/Nov/2026:10:00:00 +0000] "GET /index.html HTTP/1.1" 200 512 "-" "curl/8.5.0"\n' \
    >looped/logs/access.log
ln -s .. looped/logs/loop

measure() {
    /usr/bin/time -v "$bin" scan --no-progress "$@" >/dev/null 2>time.txt
    code=$?
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' time.txt)
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' time.txt)
    panic=$(grep -c panicked time.txt)
    printf '%-55s exit %s  wall %s  peak RSS %6d KiB  panics %s\n' "scan $*" "$code" "$wall" "$rss" "$panic"
}
ls -l random.bin random-text.log percent.log percent-query.log prefixes.log zeros.gz
measure random.bin
measure random-text.log
measure percent.log
measure percent-query.log
measure prefixes.log
measure zeros.gz
measure --max-decompressed-size 100M zeros.gz
measure looped
measure --follow looped
