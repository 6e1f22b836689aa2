//! Output: the table, JSON and JSON Lines shapes, the fields every finding carries, fingerprints,
//! `--report`, `--label`, `logleaks rules`, and usage errors.

mod common;

use common::*;
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::{Digest, Sha256};

const KINDS: &[&str] = &[
    "api_key",
    "access_token",
    "session",
    "password",
    "signed_url",
    "webhook",
    "private_key",
    "credential",
];

fn hex16(digest: &[u8]) -> String {
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

fn sha256_16(secret: &[u8]) -> String {
    hex16(&Sha256::digest(secret))
}

fn hmac_16(key: &[u8], secret: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key");
    mac.update(secret);
    hex16(&mac.finalize().into_bytes())
}

/// The severity one step below `severity`.
fn lowered(severity: &str) -> String {
    match severity {
        "critical" => "high",
        "high" => "medium",
        _ => "low",
    }
    .to_string()
}

#[test]
fn table_has_a_header_and_one_row_per_finding() {
    // A `--now` before every fixture token expires keeps each rule's own severity.
    let run = scan(["--now", "2000-01-01", "fixtures/"]);
    run.assert_code(1);
    let out = run.out();
    let mut lines = out.lines();
    let header = lines.next().expect("a header");
    for column in ["SEVERITY", "RULE", "WHERE", "SECRET", "LOCATION"] {
        assert!(header.contains(column), "header without {column}: {header}");
    }
    let rows: Vec<&str> = lines.collect();
    let planted = planted_in_walk_order();
    assert_eq!(rows.len(), planted.len(), "{out}");
    let severity = severity_of_rules();
    for (row, p) in rows.iter().zip(&planted) {
        let location = format!("{}:{}:{}", p.file, p.line, p.column);
        assert!(row.ends_with(&location), "row for {location}: {row}");
        // A Google key in a referer is public by design and reported one severity lower.
        let expected = if p.rule == "google-api-key" && p.field == "referer" {
            lowered(&severity[p.rule])
        } else {
            severity[p.rule].clone()
        };
        assert!(row.starts_with(expected.as_str()), "{row}");
        assert!(row.contains(p.rule), "{row}");
        assert!(row.contains(p.field), "{row}");
        assert!(
            !row.contains(p.secret),
            "secret shown without --show-secrets: {row}"
        );
    }
}

#[test]
fn table_has_no_ansi_escapes_when_not_on_a_terminal() {
    for no_color in [None, Some("1")] {
        let mut cmd = logleaks();
        cmd.args(["scan", "fixtures/"]);
        if let Some(v) = no_color {
            cmd.env("NO_COLOR", v);
        }
        let run = run(&mut cmd);
        run.assert_code(1);
        assert!(!run.stdout.is_empty());
        assert!(
            !run.stdout.contains(&0x1b),
            "ANSI escape in stdout (NO_COLOR={no_color:?})"
        );
        assert!(!run.stderr.contains('\x1b'), "ANSI escape in stderr");
    }
}

#[test]
fn json_is_one_array_with_the_same_findings_as_jsonl() {
    for shown in [false, true] {
        let mut args = vec!["fixtures/"];
        if shown {
            args.push("--show-secrets");
        }
        let json = scan([&["--format", "json"][..], &args].concat());
        let jsonl = scan([&["--format", "jsonl"][..], &args].concat());
        json.assert_code(1);
        jsonl.assert_code(1);
        let array: Value = serde_json::from_slice(&json.stdout)
            .unwrap_or_else(|e| panic!("--format json is not one JSON value: {e}\n{}", json.out()));
        let array = array.as_array().expect("--format json is an array");
        assert_eq!(array, &jsonl.findings(), "show_secrets={shown}");
        assert_eq!(array.len(), PLANTED.len());
    }
}

#[test]
fn nothing_found_is_an_empty_array_and_exit_code_0() {
    let dir = tempdir();
    let clean = write(
        dir.path(),
        "clean.log",
        combined_line("/static/app.css?v=3f9a1c2e7b") + "\n",
    );
    let json = scan(["--format", "json", clean.to_str().unwrap()]);
    json.assert_code(0);
    let v: Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(v, Value::Array(vec![]));
    let jsonl = scan(["--format", "jsonl", clean.to_str().unwrap()]);
    jsonl.assert_code(0);
    assert!(jsonl.stdout.is_empty(), "{}", jsonl.out());
    assert!(
        json.summary_line().contains("0 findings"),
        "{}",
        json.stderr
    );
}

#[test]
fn every_finding_has_the_contract_fields() {
    let fields = [
        "request.path",
        "request.query",
        "request.body",
        "referer",
        "upstream",
        "cookie",
        "userinfo",
        "message",
        "line",
    ];
    let rules = severity_of_rules();
    for shown in [false, true] {
        // A `--now` before every fixture token expires keeps each rule's own severity.
        let run = if shown {
            scan_shown(["--now", "2000-01-01", "fixtures/"])
        } else {
            scan(["--format", "jsonl", "--now", "2000-01-01", "fixtures/"])
        };
        let findings = run.findings();
        assert_eq!(findings.len(), PLANTED.len());
        for f in &findings {
            for key in [
                "rule",
                "kind",
                "severity",
                "file",
                "line",
                "column",
                "field",
                "param",
                "secret",
                "fingerprint",
            ] {
                assert!(f.get(key).is_some(), "no `{key}` in {f}");
            }
            let rule = s(f, "rule");
            // A rule's severity, or one step lower when a note says why (browser-used keys).
            let own = rules.get(rule).cloned();
            let expected = match f["details"].get("note") {
                Some(_) => own.map(|s| lowered(&s)),
                None => own,
            };
            assert_eq!(expected.as_deref(), Some(s(f, "severity")), "{f}");
            assert!(
                rule.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "rule id not kebab-case: {rule}"
            );
            assert!(KINDS.contains(&s(f, "kind")), "{f}");
            // Every built-in rule names whom to call.
            assert!(!s(f, "vendor").is_empty(), "{f}");
            let field = s(f, "field");
            assert!(
                fields.contains(&field) || field.starts_with("header."),
                "{f}"
            );
            assert!(n(f, "line") >= 1 && n(f, "column") >= 1, "{f}");
            assert!(f["param"].is_null() || !json_bytes(&f["param"]).is_empty());
            assert!(!json_bytes(&f["secret"]).is_empty());
            let fp = s(f, "fingerprint");
            assert!(
                fp.len() == 16
                    && fp
                        .bytes()
                        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
                "fingerprint is not 16 lowercase hex digits: {fp}"
            );
        }
    }
}

#[test]
fn fingerprint_is_sha256_of_the_exact_secret() {
    let shown = scan_shown(["fixtures/"]).findings();
    let redacted = scan(["--format", "jsonl", "fixtures/"]).findings();
    assert_eq!(shown.len(), PLANTED.len());
    for (a, b) in shown.iter().zip(&redacted) {
        let secret = json_bytes(&a["secret"]);
        assert_eq!(s(a, "fingerprint"), sha256_16(&secret), "{a}");
        // Redaction changes the secret shown, never the fingerprint.
        assert_eq!(s(a, "fingerprint"), s(b, "fingerprint"));
    }
}

#[test]
fn fingerprint_key_turns_fingerprints_into_an_hmac() {
    let key = "a key only the incident team knows";
    let run = run(logleaks().env("LOGLEAKS_FINGERPRINT_KEY", key).args([
        "scan",
        "--format",
        "jsonl",
        "--show-secrets",
        "fixtures/",
    ]));
    run.assert_code(1);
    let findings = run.findings();
    assert_eq!(findings.len(), PLANTED.len());
    for f in &findings {
        let secret = json_bytes(&f["secret"]);
        assert_eq!(s(f, "fingerprint"), hmac_16(key.as_bytes(), &secret), "{f}");
        assert_ne!(s(f, "fingerprint"), sha256_16(&secret));
    }
}

#[test]
fn the_same_secret_has_the_same_fingerprint_in_every_file_and_place() {
    let secret = "sk_live_Tq8Vw3Zr6Yp1Lm4Xk9Nb2Hc5";
    let dir = tempdir();
    let a = write(
        dir.path(),
        "a.log",
        combined_line(&format!("/pay?stripe_key={secret}")) + "\n",
    );
    let b = write(
        dir.path(),
        "b.log",
        format!(
            "{}\nplain text: {secret}\n",
            combined_line(&format!("/x/{secret}/y"))
        ),
    );
    let run = scan([
        "--format",
        "jsonl",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
    ]);
    let findings = run.findings();
    assert_eq!(findings.len(), 3, "{}", run.out());
    for f in &findings {
        assert_eq!(s(f, "fingerprint"), sha256_16(secret.as_bytes()), "{f}");
    }
}

#[test]
fn report_file_receives_the_output_and_stdout_stays_empty() {
    let dir = tempdir();
    for format in ["table", "json", "jsonl"] {
        let path = dir.path().join(format!("report.{format}"));
        let with_report = scan([
            "--format",
            format,
            "--report",
            path.to_str().unwrap(),
            "fixtures/",
        ]);
        with_report.assert_code(1);
        assert!(with_report.stdout.is_empty(), "{}", with_report.out());
        let plain = scan(["--format", format, "fixtures/"]);
        let report = std::fs::read(&path).expect("report written");
        assert_eq!(report, plain.stdout, "--report with --format {format}");
    }
}

#[test]
fn report_to_an_unwritable_place_is_an_error() {
    let dir = tempdir();
    let path = dir.path().join("no/such/dir/report.json");
    let run = scan(["--report", path.to_str().unwrap(), "fixtures/"]);
    run.assert_no_panic().assert_code(2);
    assert!(
        run.stderr.contains(path.to_str().unwrap()),
        "{}",
        run.stderr
    );
}

#[test]
fn label_adds_source_to_every_finding() {
    let run = scan(["--format", "jsonl", "--label", "web-01", "fixtures/"]);
    let findings = run.findings();
    assert_eq!(findings.len(), PLANTED.len());
    for f in &findings {
        assert_eq!(s(f, "source"), "web-01", "{f}");
    }
    let unlabelled = scan(["--format", "jsonl", "fixtures/nginx/access.log"]);
    for f in unlabelled.findings() {
        assert!(f.get("source").is_none(), "{f}");
    }
}

#[test]
fn output_is_byte_identical_between_runs() {
    let a = scan(["--format", "jsonl", "fixtures/"]);
    let b = scan(["--format", "jsonl", "fixtures/"]);
    assert!(!a.stdout.is_empty());
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn rules_lists_every_rule() {
    let rules = rules_json();
    assert!(rules.len() >= 20, "only {} rules", rules.len());
    let table = run(logleaks().arg("rules"));
    table.assert_code(0);
    let table = table.out();
    let mut ids = std::collections::HashSet::new();
    for r in &rules {
        let id = s(r, "id");
        assert!(ids.insert(id.to_string()), "duplicate rule id {id}");
        assert!(
            table
                .lines()
                .any(|l| l.split_whitespace().next() == Some(id)),
            "`logleaks rules` does not list {id}"
        );
        assert!(KINDS.contains(&s(r, "kind")), "{r}");
        rank(s(r, "severity"));
        assert!(!s(r, "description").is_empty(), "{r}");
        let vendor = s(r, "vendor");
        assert!(!vendor.is_empty(), "{r}");
        assert!(s(r, "rotate").starts_with("https://"), "{r}");
        assert!(
            table
                .lines()
                .any(|l| l.split_whitespace().next() == Some(id) && l.contains(vendor)),
            "`logleaks rules` does not show the vendor of {id}"
        );
    }
    for p in PLANTED {
        assert!(ids.contains(p.rule), "{} is not listed", p.rule);
    }
    assert_eq!(
        table.lines().count(),
        rules.len() + 1,
        "one header and one row per rule:\n{table}"
    );
}

#[test]
fn usage_errors_exit_with_2() {
    for args in [
        &["scan", "--bogus", "fixtures/"][..],
        &["scan", "--format", "xml", "fixtures/"],
        &["scan", "--fail-on", "sometimes", "fixtures/"],
        &["scan", "--min-severity", "urgent", "fixtures/"],
        &["scan", "--threads", "0", "fixtures/"],
        &["scan", "--log-type", "w3c-extended-bogus", "fixtures/"],
        &["scan", "--glob", "[", "fixtures/"],
        &["frobnicate"],
    ] {
        let run = run(logleaks().args(args));
        run.assert_no_panic();
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.out());
        assert!(!run.stderr.trim().is_empty(), "{args:?}: no message");
    }
}

#[test]
fn into_a_pipe_the_table_keeps_fixed_columns_whatever_columns_says() {
    let run_with = |columns: &str| {
        let run = run(logleaks()
            .args(["scan", "--no-config", "fixtures/"])
            .env("COLUMNS", columns));
        run.assert_code(1);
        run.stdout
    };
    let narrow = run_with("40");
    assert_eq!(narrow, run_with("300"), "COLUMNS changed piped output");
    let text = String::from_utf8_lossy(&narrow);
    // Nothing is cut: the longest parameter name is whole.
    assert!(
        text.contains("request.query[aws_secret_access_key]"),
        "{text}"
    );
    assert!(!text.contains("[aws_secret_access…"), "{text}");
}

#[test]
fn a_header_holding_the_secret_is_named_once() {
    let run = scan([
        "--no-config",
        "--now",
        "2000-01-01",
        "tests/fixtures/formats/apache/error_log",
    ]);
    let out = run.out();
    let row = out
        .lines()
        .find(|l| l.contains("github-oauth-token"))
        .unwrap_or_else(|| panic!("no Authorization finding:\n{out}"));
    assert!(row.contains(" header.authorization "), "{row}");
    assert!(!row.contains("header.authorization["), "{row}");
    // JSON keeps the parameter, as the contract says.
    let json = scan([
        "--no-config",
        "--format",
        "jsonl",
        "tests/fixtures/formats/apache/error_log",
    ]);
    let finding = json
        .findings()
        .into_iter()
        .find(|f| s(f, "rule") == "github-oauth-token")
        .expect("the Authorization finding");
    assert_eq!(s(&finding, "param"), "authorization");
}

#[test]
fn color_always_colours_even_a_pipe() {
    let run = scan([
        "--no-config",
        "--color",
        "always",
        "fixtures/nginx/access.log",
    ]);
    run.assert_code(1);
    assert!(run.out().contains("\x1b[31mhigh"), "{}", run.out());
    let run = scan([
        "--no-config",
        "--color",
        "never",
        "fixtures/nginx/access.log",
    ]);
    assert!(!run.stdout.contains(&0x1b));
}

#[test]
fn one_of_anything_is_singular_in_the_closing_summary() {
    let dir = tempdir();
    let log = line_of(&fixture("fixtures/apache/access_log"), 3).to_vec();
    let path = write(dir.path(), "one.log", log);
    let run = scan(["--no-config".as_ref(), path.as_os_str()]);
    let summary = run.summary_line();
    assert!(
        summary.starts_with(
            "logleaks: 1 finding (0 critical, 1 high, 0 medium, 0 low) in 1 file; 1 line,"
        ),
        "{summary}"
    );
}
