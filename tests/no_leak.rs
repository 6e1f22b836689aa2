//! No secret ever leaves logleaks without `--show-secrets`: not in any output format, not in a
//! report file, not on stderr, not in error messages. Redaction keeps at most a known prefix and
//! the last four characters (never more than a quarter of the rest).

mod common;

use std::path::Path;

use common::*;

/// Every planted secret, as a `--show-secrets` run reports it, checked against the answer key.
fn secrets() -> Vec<Vec<u8>> {
    let run = scan_shown(["fixtures/"]);
    let mut shown: Vec<Vec<u8>> = run
        .findings()
        .iter()
        .map(|f| json_bytes(&f["secret"]))
        .collect();
    let mut planted: Vec<Vec<u8>> = PLANTED
        .iter()
        .map(|p| p.secret.as_bytes().to_vec())
        .collect();
    shown.sort();
    planted.sort();
    assert_eq!(
        shown, planted,
        "--show-secrets does not give the planted secrets"
    );
    shown
}

/// Panics when `haystack` holds any 8 bytes of a secret that are not all inside its known prefix.
fn assert_no_leak(what: &str, haystack: &[u8], secrets: &[Vec<u8>]) {
    for secret in secrets {
        let prefix = known_prefix(secret).len();
        for start in 0..secret.len().saturating_sub(7) {
            if start + 8 <= prefix {
                continue;
            }
            let window = &secret[start..start + 8];
            assert!(
                !haystack.windows(8).any(|w| w == window),
                "{what} leaks {:?} of a secret ({} bytes, starting {:?})",
                String::from_utf8_lossy(window),
                secret.len(),
                String::from_utf8_lossy(&secret[..prefix.max(3).min(secret.len())])
            );
        }
    }
}

fn assert_run_leaks_nothing(what: &str, run: &Run, secrets: &[Vec<u8>]) {
    assert!(
        run.code == 1 || run.code == 2,
        "{what}: exit code {}",
        run.code
    );
    assert_no_leak(&format!("{what}: stdout"), &run.stdout, secrets);
    assert_no_leak(&format!("{what}: stderr"), run.stderr.as_bytes(), secrets);
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

#[test]
fn no_output_format_shows_a_secret() {
    let secrets = secrets();
    for format in ["table", "json", "jsonl"] {
        let run = scan(["--format", format, "fixtures/"]);
        assert!(!run.stdout.is_empty());
        assert_run_leaks_nothing(&format!("--format {format}"), &run, &secrets);
    }
    // From standard input too.
    let stdin = run(logleaks()
        .args(["scan", "--format", "jsonl"])
        .write_stdin(fixture("fixtures/nginx/access.log")));
    assert_run_leaks_nothing("stdin", &stdin, &secrets);
}

#[test]
fn no_report_file_shows_a_secret() {
    let secrets = secrets();
    let dir = tempdir();
    for format in ["table", "json", "jsonl"] {
        let report = dir.path().join(format!("report.{format}"));
        let run = scan([
            "--format",
            format,
            "--report",
            path_str(&report),
            "fixtures/",
        ]);
        assert_run_leaks_nothing(&format!("--report, --format {format}"), &run, &secrets);
        let written = std::fs::read(&report).expect("report written");
        assert!(!written.is_empty());
        assert_no_leak(
            &format!("report file, --format {format}"),
            &written,
            &secrets,
        );
    }
}

#[test]
fn no_error_message_shows_a_secret() {
    let secrets = secrets();
    let dir = tempdir();
    let nginx = fixture("fixtures/nginx/access.log");
    let gz = gzip(&nginx);
    let truncated = write(dir.path(), "access.log.1.gz", &gz[..gz.len() / 2]);
    // A gzip whose damage comes right after a secret in the clear.
    let mut corrupt = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03".to_vec();
    corrupt.extend_from_slice(&nginx[..nginx.len() / 2]);
    let corrupt = write(dir.path(), "access.log.2.gz", corrupt);
    // Messages about these must name the files, never quote their content.
    let missing = dir.path().join("missing.log");
    let report = dir.path().join("report.jsonl");
    for format in ["table", "jsonl"] {
        let run = scan([
            "--format",
            format,
            "--report",
            path_str(&report),
            "fixtures/",
            path_str(&truncated),
            path_str(&corrupt),
            path_str(&missing),
        ]);
        run.assert_no_panic().assert_code(2);
        assert!(run.error_lines().len() >= 3, "{}", run.stderr);
        assert_run_leaks_nothing(&format!("errors, --format {format}"), &run, &secrets);
        let written = std::fs::read(&report).expect("report written");
        assert_no_leak("report file with errors", &written, &secrets);
    }
}

#[test]
fn redacted_secrets_keep_only_a_known_prefix_and_at_most_four_last_characters() {
    let run = scan(["--format", "jsonl", "fixtures/"]);
    let findings = run.findings();
    let planted = planted_in_walk_order();
    assert_eq!(findings.len(), planted.len());
    for (f, p) in findings.iter().zip(&planted) {
        let redacted = s(f, "secret");
        let secret = p.secret;
        let prefix = known_prefix(secret.as_bytes());
        let rest = &secret[prefix.len()..];
        let after_prefix = redacted
            .strip_prefix(prefix)
            .unwrap_or_else(|| panic!("{redacted:?} does not keep the prefix {prefix:?}"));
        let tail = after_prefix
            .strip_prefix('…')
            .unwrap_or_else(|| panic!("{redacted:?}: no `…` after the prefix"));
        let allowed = (rest.chars().count() / 4).min(4);
        assert!(
            tail.chars().count() <= allowed,
            "{redacted:?} shows {} characters of {} after the prefix",
            tail.chars().count(),
            rest.chars().count()
        );
        let secret_tail: String = rest
            .chars()
            .skip(rest.chars().count() - tail.chars().count())
            .collect();
        for (a, b) in tail.chars().zip(secret_tail.chars()) {
            assert!(
                a == b || a == '?',
                "{redacted:?} is not the end of the secret"
            );
        }
    }
}

#[test]
fn redact_never_shows_a_secret_on_stderr_in_its_report_or_in_its_output() {
    let secrets = secrets();
    let dir = tempdir();
    let out = dir.path().join("out");
    let report = dir.path().join("redact.json");
    let redacted = run(logleaks().args([
        "redact",
        "--no-config",
        "fixtures/",
        // The fixtures' README is their answer key, in prose: not a log.
        "--exclude",
        "README.md",
        "--output",
        path_str(&out),
        "--report",
        path_str(&report),
    ]));
    redacted.assert_code(0);
    assert_no_leak("redact: stderr", redacted.stderr.as_bytes(), &secrets);
    assert_no_leak("redact: stdout", &redacted.stdout, &secrets);
    let written = std::fs::read(&report).expect("report written");
    assert!(written.len() > 100);
    assert_no_leak("redact: report", &written, &secrets);
    let mut copies = 0;
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.expect("walk the output");
        if entry.file_type().is_file() {
            let content = std::fs::read(entry.path()).expect("read a redacted copy");
            assert_no_leak(&entry.path().display().to_string(), &content, &secrets);
            copies += 1;
        }
    }
    assert!(copies >= 4, "{copies} redacted copies");
    // Per-file lines on stderr (no --report), and the messages of a failed rewrite.
    let copy = write(
        dir.path(),
        "access.log",
        fixture("fixtures/nginx/access.log"),
    );
    let failed = run(logleaks()
        .env("LOGLEAKS_TEST_FAIL_WRITE_AFTER", "500")
        .args(["redact", "--no-config", "--in-place", path_str(&copy)]));
    failed.assert_code(2);
    assert_no_leak("redact failure: stderr", failed.stderr.as_bytes(), &secrets);
    let to_stdout = run(logleaks().args(["redact", "--no-config", "fixtures/nginx/access.log"]));
    to_stdout.assert_code(0);
    assert!(to_stdout.stderr.contains("secrets masked"));
    assert_no_leak("redact: stderr", to_stdout.stderr.as_bytes(), &secrets);
    assert_no_leak("redact: stdout", &to_stdout.stdout, &secrets);
}
