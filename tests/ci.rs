//! CI features end to end: config files (custom rules, every allowlist kind, gitleaks rule files,
//! clear errors), baselines, time windows, progress, completions and the man page.

mod common;

use std::path::Path;

use common::*;
use serde_json::Value;

const KEY: &str = "d4d3fd81b6ee7b3bb1c863e2601a7462";
const OTHER_KEY: &str = "9a8b7c6d5e4f30211203f4e5d6c7b8a9";
const ACME: &str = "acme_0123456789abcdef0123456789abcdef";

fn combined(time: &str, target: &str) -> String {
    format!("203.0.113.9 - - [{time}] \"GET {target} HTTP/1.1\" 200 5 \"-\" \"curl/8\"\n")
}

/// A log of three days with three keys; returns its directory.
fn logs() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut log = String::new();
    log += &combined("25/Nov/2026:10:00:00 +0000", &format!("/a?api_key={KEY}"));
    log += &combined(
        "26/Nov/2026:10:00:00 +0000",
        &format!("/health?api_key={OTHER_KEY}"),
    );
    log += &combined(
        "27/Nov/2026:10:00:00 +0000",
        &format!("/b?internal={ACME}&state=Xk3mP9qLr2sT8vW1yZ4aB6cD"),
    );
    std::fs::write(dir.path().join("access.log"), log).unwrap();
    dir
}

fn rules_of(output: &Run) -> Vec<String> {
    output
        .findings()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

const CUSTOM_RULE: &str = r#"
[[rules]]
id = "acme-internal-key"
description = "ACME internal API key"
regex = 'acme_[0-9a-f]{32}'
kind = "api_key"
severity = "high"
examples = ["/x?k=acme_0123456789abcdef0123456789abcdef"]
negative_examples = ["acme_0123"]
references = ["https://wiki.acme.example/keys"]
"#;

#[test]
fn the_default_config_is_found_named_and_its_custom_rules_used() {
    let dir = logs();
    let without = run_in(dir.path(), &["scan", "--format", "jsonl", "access.log"]);
    assert!(!rules_of(&without).contains(&"acme-internal-key".to_string()));
    std::fs::write(dir.path().join(".logleaks.toml"), CUSTOM_RULE).unwrap();
    let with = run_in(dir.path(), &["scan", "--format", "jsonl", "access.log"]);
    assert_eq!(with.code, 1, "{}", with.stderr);
    assert!(
        with.stderr.contains("using config .logleaks.toml"),
        "{}",
        with.stderr
    );
    let acme: Vec<_> = with
        .findings()
        .into_iter()
        .filter(|f| f["rule"] == "acme-internal-key")
        .collect();
    assert_eq!(acme.len(), 1);
    assert_eq!(acme[0]["severity"], "high");
    assert_eq!(acme[0]["line"], 3);
    let ignored = run_in(
        dir.path(),
        &["scan", "--no-config", "--format", "jsonl", "access.log"],
    );
    assert!(!rules_of(&ignored).contains(&"acme-internal-key".to_string()));
    assert!(!ignored.stderr.contains("using config"));
}

#[test]
fn every_allowlist_kind_hides_what_it_names() {
    let dir = logs();
    let all = run_in(
        dir.path(),
        &[
            "scan",
            "--config",
            "/dev/null",
            "--format",
            "jsonl",
            "access.log",
        ],
    );
    let all = all.findings();
    assert_eq!(all.len(), 2, "{all:?}");
    let fingerprint = all[0]["fingerprint"].as_str().unwrap().to_string();
    let cases = [
        (format!("fingerprints = [\"{fingerprint}\"]"), 1),
        ("params = [\"API_KEY\"]".to_string(), 0),
        ("request_paths = [\"/health\"]".to_string(), 1),
        ("request_paths = [\"/a*\"]".to_string(), 1),
        ("files = [\"**/access.log\"]".to_string(), 0),
        ("rules = [\"generic-credential-param\"]".to_string(), 0),
    ];
    for (allow, left) in cases {
        std::fs::write(dir.path().join("c.toml"), format!("[allowlist]\n{allow}\n")).unwrap();
        let out = run_in(
            dir.path(),
            &[
                "scan",
                "--config",
                "c.toml",
                "--format",
                "jsonl",
                "access.log",
            ],
        );
        assert_eq!(out.findings().len(), left, "{allow}: {}", out.stderr);
        if left < 2 {
            assert!(
                out.stderr.contains("allowlisted by the config"),
                "{allow}: {}",
                out.stderr
            );
        }
    }
}

#[test]
fn bad_configs_are_clear_errors_with_exit_code_2() {
    let dir = logs();
    for (config, expected) in [
        ("[[rules]]\nid = \"x\"\nregex = 3\n", "bad.toml:3:"),
        (
            &CUSTOM_RULE.replace("acme_0123456789abcdef0123456789abcdef", "acme_zz"),
            "example 1 is not found",
        ),
        (
            &CUSTOM_RULE.replace("'acme_[0-9a-f]{32}'", "'acme_[0-9a-f'"),
            "regex",
        ),
        ("[allowlist]\nfingerprints = [\"nope\"]\n", "16 hex"),
        ("[nonsense]\n", "bad.toml:"),
    ] {
        std::fs::write(dir.path().join("bad.toml"), config).unwrap();
        let out = run_in(dir.path(), &["scan", "--config", "bad.toml", "access.log"]);
        assert_eq!(out.code, 2, "{config}");
        let err = out.stderr;
        assert!(
            err.contains("bad.toml") && err.contains(expected),
            "{config}: {err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(out.stdout.is_empty());
    }
    let missing = run_in(
        dir.path(),
        &["scan", "--config", "missing.toml", "access.log"],
    );
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("missing.toml"));
}

#[test]
fn gitleaks_rule_files_work_as_configs() {
    let dir = logs();
    let config = r#"
title = "team rules"
[[rules]]
id = "acme_key"
regex = '''internal=(acme_[0-9a-f]{32})'''
secretGroup = 1
keywords = ["acme_"]
"#;
    std::fs::write(dir.path().join("gitleaks.toml"), config).unwrap();
    let out = run_in(
        dir.path(),
        &[
            "scan",
            "--config",
            "gitleaks.toml",
            "--format",
            "jsonl",
            "--show-secrets",
            "access.log",
        ],
    );
    let acme: Vec<_> = out
        .findings()
        .into_iter()
        .filter(|f| f["rule"] == "acme-key")
        .collect();
    assert_eq!(acme.len(), 1, "{}", out.stderr);
    assert_eq!(acme[0]["secret"], ACME);
}

#[test]
fn a_baseline_suppresses_known_findings_and_new_ones_still_fail() {
    let dir = logs();
    let first = run_in(
        dir.path(),
        &[
            "scan",
            "--no-config",
            "--format",
            "jsonl",
            "--report",
            "baseline.jsonl",
            "access.log",
        ],
    );
    assert_eq!(first.code, 1);
    let again = run_in(
        dir.path(),
        &[
            "scan",
            "--no-config",
            "--baseline",
            "baseline.jsonl",
            "--format",
            "jsonl",
            "access.log",
        ],
    );
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(again.findings().is_empty());
    assert!(
        again.stderr.contains("2 in the baseline"),
        "{}",
        again.stderr
    );
    // A new leak is reported and fails the run.
    let mut log = std::fs::read_to_string(dir.path().join("access.log")).unwrap();
    log += &combined(
        "28/Nov/2026:10:00:00 +0000",
        "/c?token=Xk3mP9qLr2sT8vW1yZ4aB6cDq",
    );
    std::fs::write(dir.path().join("access.log"), log).unwrap();
    let json_baseline = run_in(
        dir.path(),
        &[
            "scan",
            "--no-config",
            "--format",
            "json",
            "--report",
            "b.json",
            "--baseline",
            "baseline.jsonl",
            "access.log",
        ],
    );
    assert_eq!(json_baseline.code, 1);
    let after = run_in(
        dir.path(),
        &[
            "scan",
            "--no-config",
            "--baseline",
            "baseline.jsonl",
            "--format",
            "jsonl",
            "access.log",
        ],
    );
    assert_eq!(after.code, 1);
    assert_eq!(after.findings().len(), 1);
    assert_eq!(after.findings()[0]["line"], 4);
    let bad = run_in(
        dir.path(),
        &["scan", "--baseline", "access.log", "access.log"],
    );
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("access.log:1"), "{}", bad.stderr);
}

#[test]
fn time_windows_filter_by_each_lines_own_time_in_every_access_format() {
    let dir = tempfile::tempdir().unwrap();
    let lines = [
        ("25/Nov/2026:10:00:00 +0000", KEY),
        ("26/Nov/2026:23:30:00 -0200", OTHER_KEY),
        (
            "27/Nov/2026:10:00:00 +0000",
            "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
        ),
    ];
    let common: String = lines
        .iter()
        .map(|(t, k)| format!("10.0.0.1 - - [{t}] \"GET /x?api_key={k} HTTP/1.0\" 200 5\n"))
        .collect();
    let vhost: String = lines
        .iter()
        .map(|(t, k)| format!("shop.example:443 10.0.0.1 - - [{t}] \"GET /x?api_key={k} HTTP/1.1\" 200 5 \"-\" \"ua\"\n"))
        .collect();
    let combined_log: String = lines
        .iter()
        .map(|(t, k)| combined(t, &format!("/x?api_key={k}")))
        .collect();
    for (name, text) in [
        ("common.log", common),
        ("vhost.log", vhost),
        ("combined.log", combined_log),
    ] {
        std::fs::write(dir.path().join(name), text).unwrap();
        let lines_of = |args: &[&str]| -> Vec<u64> {
            let mut all = vec![
                "scan",
                "--no-config",
                "--format",
                "jsonl",
                "--now",
                "2026-11-28T00:00:00Z",
            ];
            all.extend_from_slice(args);
            all.push(name);
            let out = run_in(dir.path(), &all);
            out.findings()
                .iter()
                .map(|f| f["line"].as_u64().unwrap())
                .collect()
        };
        // 26/Nov 23:30 -02:00 is 27/Nov 01:30 UTC.
        assert_eq!(lines_of(&["--since", "2026-11-27"]), [2, 3], "{name}");
        assert_eq!(
            lines_of(&["--until", "2026-11-27T00:00:00Z"]),
            [1],
            "{name}"
        );
        assert_eq!(
            lines_of(&[
                "--since",
                "2026-11-26",
                "--until",
                "2026-11-27T05:00:00+00:00"
            ]),
            [2],
            "{name}"
        );
        assert_eq!(lines_of(&["--since", "1d"]), [2, 3], "{name}");
        assert_eq!(lines_of(&["--since", "16h"]), [3], "{name}");
    }
    let out = run_in(
        dir.path(),
        &["scan", "--since", "last tuesday", "combined.log"],
    );
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--since"), "{}", out.stderr);
}

#[test]
fn lines_without_a_timestamp_are_left_out_of_a_window_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let log = format!(
        "{}free text api_key={OTHER_KEY}\n",
        combined("27/Nov/2026:10:00:00 +0000", &format!("/x?api_key={KEY}"))
    );
    std::fs::write(dir.path().join("a.log"), log).unwrap();
    let out = run_in(
        dir.path(),
        &[
            "scan",
            "--no-config",
            "--format",
            "jsonl",
            "--since",
            "2026-11-01",
            "a.log",
        ],
    );
    assert_eq!(out.findings().len(), 1);
    assert!(
        out.stderr.contains("1 on lines without a timestamp"),
        "{}",
        out.stderr
    );
}

#[test]
fn timezone_gives_offsetless_times_their_offset() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.log"),
        combined("27/Jul/2026:10:00:00", &format!("/x?api_key={KEY}")),
    )
    .unwrap();
    let plain = run_in(
        dir.path(),
        &["scan", "--no-config", "--format", "jsonl", "a.log"],
    );
    assert_eq!(
        plain.findings()[0]["timestamp"],
        "2026-07-27T10:00:00-00:00"
    );
    let zoned = run_in(
        dir.path(),
        &[
            "scan",
            "--no-config",
            "--format",
            "jsonl",
            "--timezone",
            "Europe/Berlin",
            "a.log",
        ],
    );
    assert_eq!(
        zoned.findings()[0]["timestamp"],
        "2026-07-27T10:00:00+02:00"
    );
    let bad = run_in(dir.path(), &["scan", "--timezone", "Mars/Olympus", "a.log"]);
    assert_eq!(bad.code, 2);
}

#[test]
fn progress_never_appears_when_stderr_is_not_a_terminal() {
    let dir = logs();
    let out = run_in(dir.path(), &["scan", "--no-config", "access.log"]);
    let err = out.stderr;
    assert!(!err.contains('\r') && !err.contains('\u{1b}'), "{err:?}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn shell_completions_and_man_page() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish"] {
        let out = run_in(dir.path(), &["completions", shell]);
        assert_eq!(out.code, 0);
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("show-secrets"),
            "{shell}"
        );
    }
    let man = run_in(dir.path(), &["man"]);
    assert_eq!(man.code, 0);
    let text = String::from_utf8_lossy(&man.stdout);
    assert!(
        text.contains(".TH logleaks") && text.contains("scan"),
        "{text}"
    );
}

#[test]
fn jwt_expiry_facts_are_reported_against_the_log_time_and_now() {
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    // Issued 2026-11-27T09:00:00Z, expires 2026-11-27T10:30:00Z.
    let jwt = format!(
        "{}.{}.c2lnbmF0dXJlc2lnbmF0dXJl",
        b64(r#"{"alg":"RS256","typ":"JWT"}"#),
        b64(
            r#"{"iss":"https://auth.example","sub":"42","aud":"api","iat":1795770000,"exp":1795775400}"#
        )
    );
    let dir = tempfile::tempdir().unwrap();
    let log = combined(
        "27/Nov/2026:10:00:00 +0000",
        &format!("/api?access_token={jwt}"),
    ) + &combined(
        "27/Nov/2026:11:00:00 +0000",
        &format!("/api?access_token={jwt}"),
    );
    std::fs::write(dir.path().join("a.log"), log).unwrap();
    let before = run_in(
        dir.path(),
        &[
            "scan",
            "--no-config",
            "--format",
            "jsonl",
            "--now",
            "2026-11-27T10:15:00Z",
            "a.log",
        ],
    );
    let f = &before.findings()[0];
    assert_eq!(f["rule"], "jwt");
    assert_eq!(f["details"]["jwt"]["alg"], "RS256");
    assert_eq!(f["details"]["jwt"]["iss"], "https://auth.example");
    assert_eq!(f["details"]["jwt"]["exp"], 1795775400);
    assert_eq!(f["details"]["expires_at"], "2026-11-27T10:30:00Z");
    assert_eq!(f["details"]["expired_when_logged"], false);
    assert_eq!(f["details"]["expired_now"], false);
    assert_eq!(f["severity"], "medium");
    let after = run_in(
        dir.path(),
        &[
            "scan",
            "--no-config",
            "--format",
            "jsonl",
            "--now",
            "2026-11-28",
            "a.log",
        ],
    );
    let all = after.findings();
    assert_eq!(all[0]["details"]["expired_now"], true);
    assert_eq!(all[0]["severity"], "low");
    assert_eq!(all[1]["details"]["expired_when_logged"], true);
}

/// The fixture log and the baseline the round-1 release (before `confidence` and the credential
/// policy) wrote for it.
fn round1_fixture() -> (std::path::PathBuf, std::path::PathBuf) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/baseline");
    (dir.join("round1.log"), dir.join("round1.baseline.jsonl"))
}

#[test]
fn a_baseline_of_the_round1_release_still_hides_every_secret_it_knew() {
    let (log, baseline) = round1_fixture();
    let dir = log.parent().unwrap();
    let known: std::collections::HashSet<String> = std::fs::read_to_string(&baseline)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["fingerprint"].to_string())
        .collect();
    assert!(known.len() >= 8, "the fixture baseline knows {known:?}");
    // Without the baseline, every level shown: what is reported today is only known secrets
    // (some with another rule or confidence than in round 1, some no longer reported at all).
    let now = run_in(
        dir,
        &[
            "scan",
            "round1.log",
            "--no-config",
            "--format",
            "jsonl",
            "--min-confidence",
            "low",
        ],
    );
    let reported = now.findings();
    assert!(!reported.is_empty());
    for f in &reported {
        assert!(
            known.contains(&f["fingerprint"].to_string()),
            "a finding the round-1 release did not report: {f}"
        );
    }
    let with_baseline = run_in(
        dir,
        &[
            "scan",
            "round1.log",
            "--no-config",
            "--format",
            "jsonl",
            "--min-confidence",
            "low",
            "--baseline",
            "round1.baseline.jsonl",
        ],
    );
    assert_eq!(with_baseline.code, 0, "{}", with_baseline.stderr);
    assert!(with_baseline.findings().is_empty());
    assert!(
        with_baseline
            .stderr
            .contains(&format!("{} in the baseline", reported.len())),
        "{}",
        with_baseline.stderr
    );
}

#[test]
fn a_baseline_hides_a_secret_that_another_rule_reports_now() {
    let dir = logs();
    let first = run_in(
        dir.path(),
        &["scan", "access.log", "--no-config", "--format", "jsonl"],
    );
    // The same secrets, recorded under the names an older release might have used.
    let renamed: String = first
        .findings()
        .into_iter()
        .map(|mut f| {
            f["rule"] = Value::from("generic-credential-param-v0");
            f["confidence"] = Value::from("low");
            format!("{f}\n")
        })
        .collect();
    assert!(!renamed.is_empty());
    std::fs::write(dir.path().join("old.jsonl"), renamed).unwrap();
    let again = run_in(
        dir.path(),
        &[
            "scan",
            "access.log",
            "--no-config",
            "--baseline",
            "old.jsonl",
        ],
    );
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(again.findings().is_empty());
}

#[test]
fn min_confidence_hides_lower_findings_says_so_and_they_do_not_fail() {
    let dir = logs();
    let all = run_in(
        dir.path(),
        &["scan", "access.log", "--no-config", "--format", "jsonl"],
    );
    let levels: Vec<String> = all
        .findings()
        .iter()
        .map(|f| f["confidence"].as_str().unwrap().to_string())
        .collect();
    // The two api_key values are credential-like values under a credential name.
    assert_eq!(levels, ["medium", "medium"], "{}", all.stderr);
    assert_eq!(all.code, 1);
    let high = run_in(
        dir.path(),
        &[
            "scan",
            "access.log",
            "--no-config",
            "--min-confidence",
            "high",
        ],
    );
    assert_eq!(high.code, 0, "{}", high.stderr);
    assert!(String::from_utf8_lossy(&high.stdout).trim().is_empty());
    assert!(
        high.stderr.contains("2 below --min-confidence"),
        "{}",
        high.stderr
    );
    let bad = run_in(
        dir.path(),
        &[
            "scan",
            "access.log",
            "--no-config",
            "--min-confidence",
            "certain",
        ],
    );
    assert_eq!(bad.code, 2);
}
