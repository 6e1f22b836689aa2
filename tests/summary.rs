//! `logleaks summary` and `scan --format summary`, end to end: two machines' nginx logs scanned
//! to `jsonl` with `--label`, summarised per secret, and the summaries of shards merged again.

mod common;

use std::path::Path;

use common::*;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// The key leaked in the request on both machines.
const KEY: &str = "f91b83a50bfee4ad5285a7e99c14539e";
/// A key only ever seen in a referer.
const REFERER_KEY: &str = "0b7c1e9d24a6f3580c9e2b71d4a6f358";

/// Machine 1: the key twice (times out of order), the referer key once, a clean line.
const M1_LOG: &str = concat!(
    r#"203.0.113.9 - - [27/Nov/2025:10:00:00 +0100] "GET /api/orders?api_key=f91b83a50bfee4ad5285a7e99c14539e HTTP/1.1" 200 512 "-" "curl/8.5.0""#,
    "\n",
    r#"203.0.113.9 - - [27/Nov/2025:09:15:00 +0100] "GET /api/orders?api_key=f91b83a50bfee4ad5285a7e99c14539e HTTP/1.1" 401 64 "-" "curl/8.5.0""#,
    "\n",
    r#"198.51.100.4 - - [27/Nov/2025:09:30:00 +0100] "GET /pricing HTTP/1.1" 200 2048 "https://shop.example/cart?api_key=0b7c1e9d24a6f3580c9e2b71d4a6f358" "Mozilla/5.0 (X11; Linux x86_64)""#,
    "\n",
    r#"198.51.100.4 - - [27/Nov/2025:09:31:00 +0100] "GET /favicon.ico HTTP/1.1" 404 0 "-" "Mozilla/5.0 (X11; Linux x86_64)""#,
    "\n",
);

/// Machine 2: the key twice more, from another client, in another time zone; the second line
/// is the earliest of all.
const M2_LOG: &str = concat!(
    r#"192.0.2.55 - - [27/Nov/2025:11:00:00 +0000] "POST /api/orders?api_key=f91b83a50bfee4ad5285a7e99c14539e HTTP/1.1" 403 12 "-" "python-requests/2.32""#,
    "\n",
    r#"192.0.2.55 - - [27/Nov/2025:02:00:00 -0500] "GET /api/orders?api_key=f91b83a50bfee4ad5285a7e99c14539e HTTP/1.1" 200 512 "-" "python-requests/2.32""#,
    "\n",
);

fn fingerprint(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Runs `logleaks ARGS...` in `dir`.
fn in_dir(dir: &Path, args: &[&str]) -> Run {
    let out = run(logleaks().current_dir(dir).args(args));
    out.assert_no_panic();
    out
}

/// Writes both machines' logs and their `jsonl` findings (`a.jsonl`, `b.jsonl`, and both in
/// `all.jsonl`) into a new temporary directory.
fn two_machines() -> tempfile::TempDir {
    let dir = tempdir();
    write(dir.path(), "m1/access.log", M1_LOG);
    write(dir.path(), "m2/access.log", M2_LOG);
    let a = in_dir(
        dir.path(),
        &[
            "scan",
            "--format",
            "jsonl",
            "--label",
            "m1",
            "m1/access.log",
        ],
    );
    a.assert_code(1);
    let b = in_dir(
        dir.path(),
        &[
            "scan",
            "--format",
            "jsonl",
            "--label",
            "m2",
            "m2/access.log",
        ],
    );
    b.assert_code(1);
    write(dir.path(), "a.jsonl", &a.stdout);
    write(dir.path(), "b.jsonl", &b.stdout);
    write(dir.path(), "all.jsonl", [a.stdout, b.stdout].concat());
    dir
}

/// `logleaks summary --format json FILES...` in `dir`, which must succeed.
fn summary_json(dir: &Path, files: &[&str]) -> Vec<u8> {
    let mut args = vec!["summary", "--format", "json"];
    args.extend(files);
    let out = in_dir(dir, &args);
    out.assert_code(0);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    out.stdout
}

#[test]
fn summary_json_counts_every_secret_exactly() {
    let dir = two_machines();
    let out = summary_json(dir.path(), &["a.jsonl", "b.jsonl"]);
    let object: Value = serde_json::from_slice(&out).expect("summary --format json is JSON");
    assert_eq!(object["schema_version"], 2, "{object}");
    assert_eq!(object["meta"]["fingerprint_key"], "none", "{object}");
    let list = object["secrets"].clone();
    let expected = json!([
        {
            "fingerprint": fingerprint(KEY),
            "rule": "generic-credential-param",
            "kind": "credential",
            "severity": "medium",
            "secret": "…539e",
            "count": 4,
            "first_seen": "2025-11-27T02:00:00-05:00",
            "last_seen": "2025-11-27T11:00:00+00:00",
            "files": ["m1/access.log", "m2/access.log"],
            "sources": ["m1", "m2"],
            "clients": {"192.0.2.55": 2, "203.0.113.9": 2},
            "statuses": {"200": 2, "401": 1, "403": 1},
            "referer_statuses": {},
            "user_agents": {"curl/8.5.0": 2, "python-requests/2.32": 2},
            "hourly": {
                "2025-11-27T07:00:00Z": {"2xx": 1},
                "2025-11-27T08:00:00Z": {"4xx": 1},
                "2025-11-27T09:00:00Z": {"2xx": 1},
                "2025-11-27T11:00:00Z": {"4xx": 1},
            },
            "client_hourly": {
                "192.0.2.55": {"2025-11-27T07:00:00Z": 1, "2025-11-27T11:00:00Z": 1},
                "203.0.113.9": {"2025-11-27T08:00:00Z": 1, "2025-11-27T09:00:00Z": 1},
            },
            "referer_hosts": {},
            "first_lines": {"m1/access.log": 1, "m2/access.log": 1},
            "details": {},
        },
        {
            "fingerprint": fingerprint(REFERER_KEY),
            "rule": "generic-credential-param",
            "kind": "credential",
            "severity": "medium",
            "secret": "…f358",
            "count": 1,
            "first_seen": "2025-11-27T09:30:00+01:00",
            "last_seen": "2025-11-27T09:30:00+01:00",
            "files": ["m1/access.log"],
            "sources": ["m1"],
            "clients": {"198.51.100.4": 1},
            "statuses": {},
            "referer_statuses": {"200": 1},
            "user_agents": {"Mozilla/5.0 (X11; Linux x86_64)": 1},
            "hourly": {"2025-11-27T08:00:00Z": {"none": 1}},
            "client_hourly": {"198.51.100.4": {"2025-11-27T08:00:00Z": 1}},
            "referer_hosts": {"shop.example": 1},
            "first_lines": {"m1/access.log": 3},
            "details": {},
        },
    ]);
    assert_eq!(list, expected, "{}", String::from_utf8_lossy(&out));
    // Field names and order are part of the contract.
    let keys: Vec<&str> = list[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys.len(), 19, "{keys:?}");
    let text = String::from_utf8_lossy(&out);
    assert!(!text.contains(KEY) && !text.contains(REFERER_KEY), "{text}");
}

#[test]
fn shards_reduce_to_the_same_summary_in_any_grouping() {
    let dir = two_machines();
    let d = dir.path();
    let from_files = summary_json(d, &["a.jsonl", "b.jsonl"]);
    let from_all = summary_json(d, &["all.jsonl"]);
    assert_eq!(
        String::from_utf8_lossy(&from_all),
        String::from_utf8_lossy(&from_files)
    );
    // Each machine summarises its own findings; the summaries are then merged.
    write(d, "sa.json", summary_json(d, &["a.jsonl"]));
    write(d, "sb.json", summary_json(d, &["b.jsonl"]));
    let from_summaries = summary_json(d, &["sa.json", "sb.json"]);
    assert_eq!(
        String::from_utf8_lossy(&from_summaries),
        String::from_utf8_lossy(&from_files)
    );
    // In any order, mixed with findings, read back from its own output, and from stdin.
    for files in [
        &["sb.json", "sa.json"][..],
        &["b.jsonl", "sa.json"],
        &["a.jsonl", "sb.json"],
    ] {
        assert_eq!(summary_json(d, files), from_files, "{files:?}");
    }
    write(d, "s.json", &from_files);
    assert_eq!(summary_json(d, &["s.json"]), from_files);
    let piped = run(logleaks()
        .current_dir(d)
        .args(["summary", "--format", "json", "-"])
        .write_stdin(std::fs::read(d.join("all.jsonl")).unwrap()));
    piped.assert_code(0);
    assert_eq!(piped.stdout, from_files);
}

#[test]
fn scan_format_summary_prints_the_table() {
    let dir = two_machines();
    let d = dir.path();
    let out = in_dir(
        d,
        &[
            "scan",
            "--format",
            "summary",
            "m1/access.log",
            "m2/access.log",
        ],
    );
    out.assert_code(1);
    let table = out.out();
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 3, "{table}");
    for column in [
        "SEVERITY",
        "RULE",
        "SECRET",
        "COUNT",
        "FIRST SEEN",
        "LAST SEEN",
    ] {
        assert!(lines[0].contains(column), "{table}");
    }
    let row = lines[1];
    assert!(row.starts_with("medium"), "{table}");
    for cell in [
        "generic-credential-param",
        "…539e",
        "  4  ",
        "2025-11-27T02:00:00-05:00",
        "2025-11-27T11:00:00+00:00",
        "192.0.2.55 (2), +1 more",
        "200 (2), 401 (1), 403 (1)",
    ] {
        assert!(row.contains(cell), "no {cell:?} in the key's row:\n{table}");
    }
    assert!(
        lines[2].contains("…f358") && lines[2].ends_with("referer 200 (1)"),
        "{table}"
    );
    assert!(!table.contains(KEY), "{table}");
    // The same table as `logleaks summary` of the findings (default format: table).
    let jsonl = in_dir(
        d,
        &[
            "scan",
            "--format",
            "jsonl",
            "m1/access.log",
            "m2/access.log",
        ],
    );
    write(d, "both.jsonl", &jsonl.stdout);
    let summary = in_dir(d, &["summary", "both.jsonl"]);
    summary.assert_code(0);
    assert_eq!(summary.out(), table);
}

#[test]
fn bad_input_exits_2_and_names_the_file_and_line() {
    let dir = two_machines();
    let d = dir.path();
    let good = std::fs::read_to_string(d.join("a.jsonl")).unwrap();
    let first = good.lines().next().unwrap();
    let broken = first.replace(&format!(r#""fingerprint":"{}","#, fingerprint(KEY)), "");
    assert_ne!(broken, first);
    write(d, "findings.jsonl", format!("{first}\n{broken}\n"));
    let out = in_dir(d, &["summary", "--format", "json", "findings.jsonl"]);
    out.assert_code(2);
    assert!(
        out.stderr
            .contains(r#"findings.jsonl:2: not a logleaks finding (missing "fingerprint")"#),
        "{}",
        out.stderr
    );
    // The good record is still summarised.
    let object: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(object["secrets"][0]["count"], 1, "{object}");

    // A log instead of findings, and a missing file: one line each, the rest still summarised.
    let out = in_dir(d, &["summary", "m1/access.log", "missing.jsonl", "b.jsonl"]);
    out.assert_code(2);
    let errors: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(errors.len(), 2, "{}", out.stderr);
    assert!(
        errors[0].starts_with("logleaks: m1/access.log:1: not logleaks output"),
        "{}",
        out.stderr
    );
    assert!(
        errors[1].starts_with("logleaks: missing.jsonl: cannot read"),
        "{}",
        out.stderr
    );
    assert!(out.out().contains("…539e"), "{}", out.out());
    assert!(!out.stderr.contains(KEY), "{}", out.stderr);
}
