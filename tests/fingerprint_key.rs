//! The fingerprint key id (SPEC "Run metadata"): every finding records which
//! `LOGLEAKS_FINGERPRINT_KEY` made its fingerprint, and a baseline or summary input made with
//! another key is refused with a clear message instead of silently matching nothing.

mod common;

use std::path::Path;

use common::*;
use serde_json::Value;

/// `sha256("key-a")[..4]` and `sha256("key-b")[..4]`, in hex.
const KEY_A: &str = "key-a";
const KEY_B: &str = "key-b";

fn key_id(key: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(key.as_bytes())[..4]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

/// `logleaks scan --format jsonl ARGS...` with the fingerprint key `key` (none: unset).
fn scan_with_key(key: Option<&str>, args: &[&str]) -> Run {
    let mut cmd = logleaks();
    cmd.args(["scan", "--format", "jsonl"]).args(args);
    if let Some(key) = key {
        cmd.env("LOGLEAKS_FINGERPRINT_KEY", key);
    }
    let run = run(&mut cmd);
    run.assert_no_panic();
    run
}

fn log_dir() -> tempfile::TempDir {
    let dir = tempdir();
    write(
        dir.path(),
        "access.log",
        combined_line("/pay?stripe_key=sk_live_Hn3Kq8Wz1Rb6Tv9Xy2Lm5Pc7") + "\n",
    );
    dir
}

#[test]
fn every_finding_names_its_fingerprint_key() {
    let dir = log_dir();
    let log = dir.path().join("access.log");
    for (key, id) in [(None, "none".to_string()), (Some(KEY_A), key_id(KEY_A))] {
        let run = scan_with_key(key, &[path_str(&log)]);
        run.assert_code(1);
        let findings = run.findings();
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0]["fingerprint_key"], Value::from(id.as_str()));
        let json = run_json(key, &log);
        assert_eq!(json[0]["fingerprint_key"], Value::from(id.as_str()));
    }
}

fn run_json(key: Option<&str>, log: &Path) -> Value {
    let mut cmd = logleaks();
    cmd.args(["scan", "--format", "json", path_str(log)]);
    if let Some(key) = key {
        cmd.env("LOGLEAKS_FINGERPRINT_KEY", key);
    }
    serde_json::from_slice(&run(&mut cmd).stdout).expect("json output")
}

#[test]
fn a_baseline_of_another_key_is_refused_and_of_the_same_key_suppresses() {
    let dir = log_dir();
    let log = dir.path().join("access.log");
    let baseline = dir.path().join("baseline.jsonl");
    let made = scan_with_key(None, &[path_str(&log)]);
    std::fs::write(&baseline, &made.stdout).unwrap();
    // Another key: refused up front, naming the baseline and both key ids.
    let other = scan_with_key(
        Some(KEY_A),
        &["--baseline", path_str(&baseline), path_str(&log)],
    );
    other.assert_code(2);
    assert!(other.stdout.is_empty(), "{}", other.out());
    assert!(
        other.stderr.contains(path_str(&baseline))
            && other.stderr.contains("fingerprint key none")
            && other.stderr.contains(&key_id(KEY_A)),
        "{}",
        other.stderr
    );
    assert!(
        !other.stderr.contains(KEY_A),
        "the key itself leaked: {}",
        other.stderr
    );
    // The same (no) key: the known secret is hidden.
    let same = scan_with_key(None, &["--baseline", path_str(&baseline), path_str(&log)]);
    same.assert_code(0);
    assert!(same.findings().is_empty());
}

/// A baseline written before key ids were recorded has no `fingerprint_key`: it is taken as it
/// is (it may well have been made with the key in use), and when it matches nothing a note says
/// that another key is the likely cause.
#[test]
fn a_baseline_without_key_ids_still_works_and_says_when_it_matches_nothing() {
    let dir = log_dir();
    let log = dir.path().join("access.log");
    let made = scan_with_key(Some(KEY_A), &[path_str(&log)]);
    let old: String = made
        .out()
        .lines()
        .map(|l| {
            let mut v: Value = serde_json::from_str(l).unwrap();
            v.as_object_mut().unwrap().remove("fingerprint_key");
            v.to_string() + "\n"
        })
        .collect();
    let baseline = write(dir.path(), "old.jsonl", old);
    let same = scan_with_key(
        Some(KEY_A),
        &["--baseline", path_str(&baseline), path_str(&log)],
    );
    same.assert_code(0);
    let other = scan_with_key(
        Some(KEY_B),
        &["--baseline", path_str(&baseline), path_str(&log)],
    );
    other.assert_code(1);
    assert!(
        other.stderr.contains("baseline matched none")
            && other.stderr.contains("LOGLEAKS_FINGERPRINT_KEY"),
        "{}",
        other.stderr
    );
}

#[test]
fn summaries_of_different_keys_are_refused_not_merged() {
    let dir = log_dir();
    let log = dir.path().join("access.log");
    let a = write(
        dir.path(),
        "a.jsonl",
        scan_with_key(Some(KEY_A), &[path_str(&log)]).stdout,
    );
    let b = write(
        dir.path(),
        "b.jsonl",
        scan_with_key(Some(KEY_B), &[path_str(&log)]).stdout,
    );
    let merged = run(logleaks().args(["summary", "--format", "json", path_str(&a), path_str(&b)]));
    merged.assert_no_panic().assert_code(2);
    assert!(
        merged.stderr.contains("b.jsonl:1")
            && merged.stderr.contains(&key_id(KEY_B))
            && merged.stderr.contains(&key_id(KEY_A)),
        "{}",
        merged.stderr
    );
    // The summary records its key, and a summary of another key is refused too.
    let summary: Value = serde_json::from_slice(&merged.stdout).unwrap();
    assert_eq!(
        summary["meta"]["fingerprint_key"],
        Value::from(key_id(KEY_A))
    );
    assert_eq!(summary["secrets"][0]["count"], 1, "{summary}");
    let sa = write(dir.path(), "sa.json", &merged.stdout);
    let again = run(logleaks().args(["summary", "--format", "json", path_str(&b), path_str(&sa)]));
    again.assert_code(2);
    assert!(again.stderr.contains("sa.json:1"), "{}", again.stderr);
}
