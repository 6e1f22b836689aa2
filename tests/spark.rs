//! The Spark job of `contrib/spark/logleaks_spark.py`, run by a real `spark-submit` in local
//! mode (pyspark from PyPI, Java from the system) on a generated tree of 50 logs. Ignored unless
//! `LOGLEAKS_SPARK_SUBMIT` names `spark-submit` (`.ci/run` installs pyspark into a virtual
//! environment and sets it).
//!
//! The contract: the union of the findings shards equals one `logleaks scan --format jsonl` of
//! the same inputs, line for line in any order; `summary.json` equals `logleaks summary` of that
//! scan byte for byte; input problems are collected in `errors.jsonl` and fail no task.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

/// 50 logs in 5 folders, every fifth gzipped, each leaking a few credentials.
fn lake(dir: &Path) {
    let mut rng = Rng::new(50);
    for i in 0..50 {
        let log: String = (0..12)
            .map(|j| {
                let target = match j % 4 {
                    0 => format!("/pay?api_key={}", rng.stripe_key()),
                    1 => format!("/s3?AWSAccessKeyId={}", rng.aws_key_id()),
                    _ => format!("/static/app.js?v={j}"),
                };
                combined_line(&target) + "\n"
            })
            .collect();
        let folder = format!("host{}", i % 5);
        if i % 5 == 0 {
            write(
                dir,
                &format!("{folder}/access-{i}.log.gz"),
                gzip(log.as_bytes()),
            );
        } else {
            write(dir, &format!("{folder}/access-{i}.log"), log);
        }
    }
}

/// The lines of all `paths`, sorted.
fn sorted_lines(paths: &[std::path::PathBuf]) -> Vec<String> {
    let mut lines: Vec<String> = paths
        .iter()
        .flat_map(|p| {
            std::fs::read_to_string(p)
                .unwrap()
                .lines()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    lines.sort();
    lines
}

#[test]
#[ignore = "needs spark-submit: set LOGLEAKS_SPARK_SUBMIT (see .ci/run)"]
fn the_spark_job_equals_one_scan_and_its_summary() {
    let spark_submit = std::env::var("LOGLEAKS_SPARK_SUBMIT")
        .expect("LOGLEAKS_SPARK_SUBMIT names spark-submit (see .ci/run)");
    let binary = env!("CARGO_BIN_EXE_logleaks");
    let dir = tempdir();
    let logs = dir.path().join("lake");
    lake(&logs);
    let missing = dir.path().join("rotated-away.log");
    let out = dir.path().join("out");
    let inputs = [logs.to_str().unwrap(), missing.to_str().unwrap()];
    let now = "--now=2026-12-01";

    // A pip-installed spark-submit finds Spark through the Python beside it, as in an activated
    // virtual environment.
    let bin = Path::new(&spark_submit).parent().unwrap_or(Path::new("."));
    let path = std::env::join_paths(std::iter::once(bin.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let python = bin.join("python");
    let mut job = Command::new(&spark_submit);
    job.env("PATH", path).env("SPARK_LOCAL_IP", "127.0.0.1");
    if python.exists() {
        job.env("PYSPARK_PYTHON", &python)
            .env("PYSPARK_DRIVER_PYTHON", &python);
    }
    let job = job
        .args(["--master", "local[2]", "--conf", "spark.ui.enabled=false"])
        .arg(root().join("contrib/spark/logleaks_spark.py"))
        .args(["--out", out.to_str().unwrap(), "--logleaks", binary])
        .args(["--batch-size", "8000", &format!("--scan-arg={now}")])
        .args(inputs)
        .output()
        .expect("spark-submit runs");
    // spark-submit passes on what the Python driver prints on stdout.
    let stderr = String::from_utf8_lossy(&job.stdout) + String::from_utf8_lossy(&job.stderr);
    assert!(job.status.success(), "the job failed:\n{stderr}");
    assert!(stderr.contains("logleaks_spark: 50 inputs in "), "{stderr}");

    let single = run(logleaks()
        .args(["scan", "--format", "jsonl", now])
        .args(inputs));
    single.assert_code(2);
    let shards: Vec<_> = std::fs::read_dir(out.join("findings"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    assert!(shards.len() > 3, "several tasks: {shards:?}");
    let single_path = write(dir.path(), "single.jsonl", &single.stdout);
    let expected = sorted_lines(std::slice::from_ref(&single_path));
    assert!(expected.len() >= 250, "{}", single.stderr);
    assert_eq!(sorted_lines(&shards), expected);

    let summary = run(logleaks()
        .args(["summary", "--format", "json"])
        .arg(&single_path));
    summary.assert_code(0);
    assert_eq!(
        String::from_utf8_lossy(&std::fs::read(out.join("summary.json")).unwrap()),
        String::from_utf8_lossy(&summary.stdout),
        "summary.json differs from the summary of one scan"
    );

    let problems = parse_jsonl(&std::fs::read(out.join("errors.jsonl")).unwrap());
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0]["input"], missing.to_str().unwrap());
    assert_eq!(problems[0]["kind"], "not_found");
}
