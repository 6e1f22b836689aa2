"""Scan a log lake for leaked credentials with Spark, one logleaks process per task.

    spark-submit contrib/spark/logleaks_spark.py --out DIR [--logleaks PATH]
        [--scan-arg ARG]... [--batch-size BYTES] INPUT...

INPUT is a local or shared-filesystem path (NFS, a mounted bucket) or an object-store URL
(s3://, gs://, az://) that every executor can reach; HDFS is not supported. DIR must be on a
filesystem that the driver and every executor share (the same path everywhere).

The driver lists the inputs with `logleaks scan --list-inputs` (so logleaks alone decides what
is a log), deals them into batches of about --batch-size bytes (default 1 GB) in listing order,
and runs one task per batch. Each task runs the logleaks binary on its batch (logleaks reads
local files and objects itself, whole and in order) and writes:

    DIR/findings/part-NNNNN.jsonl   the batch's findings (`logleaks scan --format jsonl`)
    DIR/summaries/part-NNNNN.json   its summary (`logleaks summary --format json`)
    DIR/errors/part-NNNNN.jsonl     its input problems (`--errors-json`)

The driver then merges the summaries with `logleaks summary` (the same exact merge) into
DIR/summary.json, and every input problem into DIR/errors.jsonl. Exit code 1 of logleaks
(findings) and 2 (input problems, collected in errors.jsonl) are not task failures; anything
else is. The union of the findings shards equals one `logleaks scan --format jsonl` of the same
inputs, and summary.json equals `logleaks summary` of that scan, byte for byte.

The binary reaches the executors by --logleaks PATH (a path valid on every node), or by
`spark-submit --files /path/to/logleaks` (found with SparkFiles), or as `logleaks` on PATH.
Each --scan-arg is passed on to `logleaks scan` (for listing and scanning alike), e.g.
`--scan-arg=--since=7d --scan-arg=--endpoint-url=http://minio:9000`; output options
(--format, --report, --errors-json, --shard) are set by the job.
"""

import argparse
import base64
import glob
import json
import os
import shutil
import stat
import subprocess
import sys

# Exit codes of logleaks that are not a failure of the job: clean, findings, input problems.
ACCEPTED_CODES = (0, 1, 2)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True, help="output directory (shared by all nodes)")
    parser.add_argument("--logleaks", help="path of the logleaks binary on every node")
    parser.add_argument(
        "--scan-arg",
        action="append",
        default=[],
        help="an argument passed on to `logleaks scan` (repeat for several)",
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        default=1 << 30,
        help="bytes of input per task (default 1 GB)",
    )
    parser.add_argument("inputs", nargs="+", help="paths or object-store URLs")
    return parser.parse_args(argv)


def find_binary(given):
    """The logleaks binary on this node: --logleaks, a file shipped with --files, or PATH."""
    if given:
        return given
    try:
        from pyspark import SparkFiles

        shipped = SparkFiles.get("logleaks")
        if os.path.isfile(shipped):
            mode = os.stat(shipped).st_mode
            if not mode & stat.S_IXUSR:
                os.chmod(shipped, mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
            return shipped
    except Exception:  # no Spark context here, or no shipped file
        pass
    found = shutil.which("logleaks")
    if not found:
        raise RuntimeError("no logleaks binary: give --logleaks PATH or spark-submit --files logleaks")
    return found


def name_bytes(value):
    """An input name from logleaks' JSON: a string, or {"bytes": base64} when not UTF-8."""
    if isinstance(value, dict):
        return base64.b64decode(value["bytes"])
    return value.encode("utf-8")


def list_inputs(binary, inputs, scan_args, errors_path):
    """The inputs a scan would read, as (name bytes, size), in logleaks' order."""
    command = [binary, "scan", "--list-inputs", "--errors-json", errors_path, *scan_args, "--", *inputs]
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    sys.stderr.write(done.stderr.decode("utf-8", "replace"))
    if done.returncode not in (0, 2):
        raise RuntimeError(f"logleaks could not list the inputs (exit {done.returncode})")
    listed = []
    for line in done.stdout.splitlines():
        entry = json.loads(line)
        listed.append((name_bytes(entry["input"]), entry.get("size") or 0))
    return listed


def batches(listed, batch_size):
    """Consecutive inputs grouped into batches of about batch_size bytes (at least one each)."""
    out, current, size = [], [], 0
    for name, bytes_ in listed:
        if current and size + bytes_ > batch_size:
            out.append(current)
            current, size = [], 0
        current.append(name)
        size += bytes_
    if current:
        out.append(current)
    return out


def scan_batch(task, binary_given, scan_args, out):
    """One task: scan a batch into its findings shard, then summarise it."""
    index, names = task
    binary = find_binary(binary_given)
    part = f"part-{index:05d}"
    findings = os.path.join(out, "findings", part + ".jsonl")
    errors = os.path.join(out, "errors", part + ".jsonl")
    summary = os.path.join(out, "summaries", part + ".json")
    listing = os.path.join(out, "lists", part + ".list")
    with open(listing, "wb") as f:
        f.write(b"".join(name + b"\0" for name in names))
    command = [
        binary, "scan", *scan_args,
        "--files-from", listing, "-0",
        "--format", "jsonl", "--report", findings, "--errors-json", errors,
        "--fail-on", "never", "--no-progress",
    ]
    scanned = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if scanned.returncode not in ACCEPTED_CODES or not os.path.exists(findings):
        raise RuntimeError(
            f"{part}: logleaks scan failed (exit {scanned.returncode}): "
            + scanned.stderr.decode("utf-8", "replace")[-2000:]
        )
    with open(summary, "wb") as f:
        summarised = subprocess.run(
            [binary, "summary", "--format", "json", findings], stdout=f, stderr=subprocess.PIPE
        )
    if summarised.returncode != 0:
        raise RuntimeError(
            f"{part}: logleaks summary failed (exit {summarised.returncode}): "
            + summarised.stderr.decode("utf-8", "replace")[-2000:]
        )
    return part, scanned.returncode


def merge(binary, out):
    """DIR/summary.json from every task's summary, DIR/errors.jsonl from every problem."""
    parts = sorted(glob.glob(os.path.join(out, "summaries", "part-*.json")))
    if not parts:
        # Nothing was listed: the summary of no findings, as `logleaks summary` gives it.
        empty = os.path.join(out, "findings", "empty.jsonl")
        open(empty, "wb").close()
        parts = [empty]
    with open(os.path.join(out, "summary.json"), "wb") as f:
        merged = subprocess.run([binary, "summary", "--format", "json", *parts], stdout=f)
    if merged.returncode != 0:
        raise RuntimeError(f"logleaks summary could not merge the summaries (exit {merged.returncode})")
    with open(os.path.join(out, "errors.jsonl"), "wb") as merged_errors:
        for path in [os.path.join(out, "errors", "listing.jsonl")] + sorted(
            glob.glob(os.path.join(out, "errors", "part-*.jsonl"))
        ):
            if os.path.exists(path):
                with open(path, "rb") as f:
                    shutil.copyfileobj(f, merged_errors)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.appName("logleaks").getOrCreate()
    context = spark.sparkContext
    out = os.path.abspath(args.out)
    for folder in ("findings", "summaries", "errors", "lists"):
        os.makedirs(os.path.join(out, folder), exist_ok=True)
    binary = find_binary(args.logleaks)
    listed = list_inputs(binary, args.inputs, args.scan_arg, os.path.join(out, "errors", "listing.jsonl"))
    tasks = list(enumerate(batches(listed, args.batch_size)))
    print(f"logleaks_spark: {len(listed)} inputs in {len(tasks)} batches", file=sys.stderr)
    scan_args, given = list(args.scan_arg), args.logleaks
    if tasks:
        done = (
            context.parallelize(tasks, numSlices=len(tasks))
            .map(lambda task: scan_batch(task, given, scan_args, out))
            .collect()
        )
        with_problems = sum(1 for _, code in done if code == 2)
        print(f"logleaks_spark: {len(done)} batches scanned, {with_problems} with input problems", file=sys.stderr)
    merge(binary, out)
    spark.stop()


if __name__ == "__main__":
    main()
