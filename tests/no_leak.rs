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
    // Every 8-byte window of every secret, with the secret it comes from, looked up once per
    // window of the haystack.
    let mut windows: std::collections::HashMap<&[u8], &Vec<u8>> = std::collections::HashMap::new();
    for secret in secrets {
        let prefix = known_prefix(secret).len();
        for start in 0..secret.len().saturating_sub(7) {
            if start + 8 > prefix {
                windows.insert(&secret[start..start + 8], secret);
            }
        }
    }
    for window in haystack.windows(8) {
        if let Some(secret) = windows.get(window) {
            let prefix = known_prefix(secret).len();
            panic!(
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
fn the_request_path_and_host_never_show_a_secret() {
    // Secrets inside request paths: a Telegram bot token, a Java session id, an ASP.NET
    // cookieless session, a Slack webhook (through a forward proxy), and the path of a line
    // whose secret is in its query.
    let dir = tempdir();
    let line = |target: &str| {
        format!(
            "203.0.113.7 - - [27/Nov/2026:10:00:00 +0000] \"GET {target} HTTP/1.1\" 200 512 \"-\" \"curl/8.5.0\"\n"
        )
    };
    let log = [
        line("/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw9/sendMessage?chat_id=42"),
        line("/app/cart;jsessionid=8F2A9C1D3B4E5F60718293A4B5C6D7E8?item=3"),
        line("/(S(q0nkmsaccnnkiftx4fz1fwos))/orders/default.aspx"),
        line("https://hooks.slack.com/services/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"),
        line("/bot987654321:AAF1x2y3z4w5v6u7t8s9r0qPoNmLkJiHgFe/getUpdates?offset=9"),
    ]
    .concat();
    let path = write(dir.path(), "paths.log", log);
    let path = path_str(&path);
    let secrets = secrets_in(&[path]);
    assert_eq!(secrets.len(), 5, "{secrets:?}");
    for format in ["table", "json", "jsonl", "sarif", "summary"] {
        let run = scan(["--no-progress", "--format", format, path]);
        assert_run_leaks_nothing(&format!("--format {format}"), &run, &secrets);
        if format != "table" && format != "summary" {
            assert!(run.out().contains("sendMessage"), "no path in {format}");
        }
    }
    // The paths are there, in clear, with --show-secrets.
    let shown = scan_shown([path]);
    let with_path = shown
        .findings()
        .iter()
        .filter(|f| f["path"].is_string())
        .count();
    assert_eq!(with_path, 5);
    assert!(shown
        .out()
        .contains("\"path\":\"/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw9/sendMessage\""));
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

/// `scan ARGS`, which must not panic.
fn scan_within_limit(args: &[&str]) -> Run {
    let run = scan(args);
    run.assert_no_panic();
    run
}

/// Every secret a `--show-secrets` scan reports in `paths` (the fixtures of every log format hold
/// many more than the planted ones).
fn secrets_in(paths: &[&str]) -> Vec<Vec<u8>> {
    let mut args = vec!["--no-progress"];
    args.extend_from_slice(paths);
    let run = scan_shown(args);
    let mut secrets: Vec<Vec<u8>> = run
        .findings()
        .iter()
        .map(|f| json_bytes(&f["secret"]))
        .collect();
    secrets.sort();
    secrets.dedup();
    secrets
}

/// Every byte logleaks writes, whatever it is asked and whatever goes wrong: stdout, stderr and
/// report files of every output format and command, notes about cut lines, errors about damaged
/// and unwritable files, a closed pipe. None holds a secret without `--show-secrets`, and nothing
/// panics.
#[test]
fn no_byte_written_for_inputs_full_of_secrets_holds_one() {
    let dir = tempdir();
    // A line longer than the matching limit, with secrets before the cut, and a damaged gzip.
    let mut long = fixture("fixtures/nginx/access.log");
    long.extend(std::iter::repeat_n(b'x', 9 << 20));
    long.push(b'\n');
    let long = write(dir.path(), "long.log", long);
    let gz = gzip(&fixture("fixtures/apache/access_log"));
    let damaged = write(dir.path(), "access_log.1.gz", &gz[..gz.len() * 2 / 3]);
    let inputs = ["fixtures/", "tests/fixtures/formats/", path_str(&damaged)];
    let mut secrets = secrets_in(&inputs);
    secrets.extend(secrets_in(&[path_str(&long)]));
    assert!(secrets.len() > 50, "only {} secrets", secrets.len());
    let mut written: Vec<(String, Vec<u8>)> = Vec::new();
    fn keep(written: &mut Vec<(String, Vec<u8>)>, what: String, run: &Run) {
        run.assert_no_panic();
        written.push((format!("{what}: stdout"), run.stdout.clone()));
        written.push((format!("{what}: stderr"), run.stderr.clone().into_bytes()));
    }
    for format in ["table", "json", "jsonl", "sarif", "summary"] {
        let mut args = vec!["--no-progress", "--format", format];
        args.extend_from_slice(&inputs);
        let run = scan(&args);
        run.assert_code(2);
        keep(&mut written, format!("scan --format {format}"), &run);
        let report = dir.path().join(format!("report.{format}"));
        let mut args = vec![
            "--no-progress",
            "--format",
            format,
            "--report",
            path_str(&report),
        ];
        args.extend_from_slice(&inputs);
        let run = scan(&args);
        run.assert_code(2);
        keep(
            &mut written,
            format!("scan --format {format} --report"),
            &run,
        );
        written.push((
            format!("report file, --format {format}"),
            std::fs::read(&report).expect("report written"),
        ));
    }
    // The incident summary of the (redacted) findings, in both its formats.
    let jsonl = dir.path().join("findings.jsonl");
    let mut args = vec![
        "--no-progress",
        "--format",
        "jsonl",
        "--report",
        path_str(&jsonl),
    ];
    args.extend_from_slice(&inputs);
    scan(&args).assert_code(2);
    for format in ["table", "json"] {
        let run = run(logleaks().args(["summary", "--format", format, path_str(&jsonl)]));
        run.assert_code(0);
        keep(&mut written, format!("summary --format {format}"), &run);
    }
    // What logleaks makes of each file.
    for format in ["table", "json"] {
        let mut args = vec!["inspect", "--format", format];
        args.extend_from_slice(&inputs);
        let run = run(logleaks().args(&args));
        keep(&mut written, format!("inspect --format {format}"), &run);
    }
    // The note about the cut line (a 9 MiB line takes a while in a debug build: once).
    let run = scan_within_limit(&["--no-progress", "--format", "jsonl", path_str(&long)]);
    assert!(
        run.stderr.contains("note: 1 line longer than"),
        "{}",
        run.stderr
    );
    keep(&mut written, "scan of a cut line".into(), &run);
    // A report that cannot be written, and a reader that goes away after the first line.
    let mut args = vec!["--no-progress", "--report", "/dev/full"];
    args.extend_from_slice(&inputs);
    let full = scan(&args);
    full.assert_code(2);
    keep(&mut written, "scan --report /dev/full".into(), &full);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_logleaks"))
        .args(["scan", "--no-progress", "--format", "jsonl"])
        .args(inputs)
        .current_dir(root())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("logleaks starts");
    {
        use std::io::BufRead;
        let mut first = String::new();
        std::io::BufReader::new(child.stdout.take().expect("piped"))
            .read_line(&mut first)
            .expect("a first line");
        written.push(("closed pipe: first line".into(), first.into_bytes()));
    }
    let closed = child.wait_with_output().expect("logleaks ends");
    assert!(!String::from_utf8_lossy(&closed.stderr).contains("panicked"));
    written.push(("closed pipe: stderr".into(), closed.stderr));
    for (what, bytes) in &written {
        assert_no_leak(what, bytes, &secrets);
    }
    // The same outputs with --show-secrets do hold them: the check above can fail.
    let shown = scan_shown(inputs);
    let shown_secret = &secrets[0];
    assert!(
        shown
            .stdout
            .windows(shown_secret.len())
            .any(|w| w == &shown_secret[..]),
        "--show-secrets does not show the secrets this test looks for"
    );
}

#[test]
fn the_html_report_never_shows_a_secret_even_with_show_secrets() {
    let secrets = secrets();
    for show in [false, true] {
        let mut args = vec!["--format", "html", "--top", "3", "fixtures/"];
        if show {
            args.push("--show-secrets");
        }
        let run = scan(&args);
        assert!(run.out().contains("<!DOCTYPE html>"));
        assert_run_leaks_nothing(&format!("--format html (show: {show})"), &run, &secrets);
    }
    // From findings made with --show-secrets, through `summary`: the secrets are redacted here.
    let shown = scan_shown(["fixtures/"]);
    let dir = tempdir();
    let findings = write(dir.path(), "shown.jsonl", &shown.stdout);
    for top in ["0", "50"] {
        let page = run(logleaks().args([
            "summary",
            "--format",
            "html",
            "--top",
            top,
            path_str(&findings),
        ]));
        page.assert_code(0);
        assert!(page.out().contains("<!DOCTYPE html>"));
        assert_no_leak("summary --format html", &page.stdout, &secrets);
        assert_no_leak(
            "summary --format html: stderr",
            page.stderr.as_bytes(),
            &secrets,
        );
    }
}

#[test]
fn the_referer_host_never_shows_a_secret() {
    // A token as the first label of the referring page's host.
    let token = "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";
    let dir = tempdir();
    let log = write(
        dir.path(),
        "referer.log",
        format!("203.0.113.7 - - [27/Nov/2026:10:00:00 +0000] \"GET /x HTTP/1.1\" 200 5 \"https://{token}.pages.example/p\" \"curl/8.5.0\"\n"),
    );
    let log = path_str(&log);
    let secrets = vec![token.as_bytes().to_vec()];
    let jsonl = scan(["--format", "jsonl", log]);
    assert_run_leaks_nothing("jsonl", &jsonl, &secrets);
    assert_eq!(
        jsonl.findings()[0]["referer_host"],
        "ghp_…e4r1.pages.example",
        "the host is kept, its secret masked"
    );
    for format in ["json", "sarif", "summary", "html"] {
        let run = scan(["--format", format, log]);
        assert_run_leaks_nothing(&format!("--format {format}"), &run, &secrets);
    }
    let summary = write(dir.path(), "f.jsonl", &jsonl.stdout);
    let json = run(logleaks().args(["summary", "--format", "json", path_str(&summary)]));
    json.assert_code(0);
    assert_no_leak("summary --format json", &json.stdout, &secrets);
    assert!(json
        .out()
        .contains(r#""referer_hosts":{"ghp_…e4r1.pages.example":1}"#));
    // The per-client hourly counts are in what was checked.
    assert!(json
        .out()
        .contains(r#""client_hourly":{"203.0.113.7":{"2026-11-27T10:00:00Z":1}}"#));
}

#[test]
fn input_names_holding_a_secret_are_masked_everywhere() {
    // A presigned URL saved as a file name (as `wget` names a download), a token in a file
    // name, a damaged file whose name holds a key, and a presigned URL given as --stdin-name.
    let token = "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";
    let key_id = "AKIA24UPIT7CILITYUJ2";
    let signature = "4d32feb3e719e01fcd3fe22a4248ac9ed336de7daecd3ada8b4f2222d3b41a3d";
    let presigned = format!(
        "export.log?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={key_id}%2F20261127%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Signature={signature}"
    );
    let names: Vec<Vec<u8>> = [token, key_id, signature]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .collect();
    let dir = tempdir();
    let logs = dir.path().join("logs");
    let mut rng = Rng::new(5);
    let mut leak = || combined_line(&format!("/pay?api_key={}", rng.stripe_key())) + "\n";
    write(&logs, &presigned, leak());
    write(&logs, &format!("dump-{token}.log"), leak());
    let mut broken = gzip(leak().as_bytes());
    broken.truncate(20);
    write(&logs, &format!("old-{key_id}.log.gz"), broken);
    let logs_arg = path_str(&logs);
    let errors = dir.path().join("errors.jsonl");

    for format in ["table", "json", "jsonl", "sarif", "summary", "html"] {
        let report = dir.path().join(format!("report.{format}"));
        let run = scan([
            "--no-progress",
            "--format",
            format,
            logs_arg,
            "--errors-json",
            path_str(&errors),
        ]);
        run.assert_no_panic();
        assert_run_leaks_nothing(&format!("names, --format {format}"), &run, &names);
        assert!(run.stderr.contains("old-AKIA…"), "{}", run.stderr);
        assert_no_leak("errors-json", &std::fs::read(&errors).unwrap(), &names);
        let to_file = scan([
            "--no-progress",
            "--format",
            format,
            logs_arg,
            "--report",
            path_str(&report),
        ]);
        assert_run_leaks_nothing(&format!("names, --report {format}"), &to_file, &names);
        let written = std::fs::read(&report).unwrap();
        assert!(!written.is_empty());
        assert_no_leak(&format!("names, report file {format}"), &written, &names);
    }
    // The names are there, masked: the finding can be found.
    let jsonl = scan(["--format", "jsonl", logs_arg]);
    let files: Vec<String> = jsonl
        .findings()
        .iter()
        .map(|f| s(f, "file").to_string())
        .collect();
    assert!(
        files.contains(&format!("{}/dump-ghp_…yccg.log", logs.display())),
        "{files:?}"
    );
    assert!(
        files
            .iter()
            .any(|f| f.contains("export.log?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=")),
        "{files:?}"
    );

    // Standard input named by a presigned URL.
    let url = format!("https://logs.s3.eu-west-1.amazonaws.com/web/{presigned}");
    let stdin = run(logleaks()
        .args(["scan", "--format", "jsonl", "--stdin-name", &url])
        .write_stdin(leak_line()));
    stdin.assert_code(1);
    assert_run_leaks_nothing("--stdin-name", &stdin, &names);

    // inspect and redact name their inputs too.
    let inspect = run(logleaks().args(["inspect", logs_arg]));
    assert_no_leak("inspect: stdout", &inspect.stdout, &names);
    assert_no_leak("inspect: stderr", inspect.stderr.as_bytes(), &names);
    let out = dir.path().join("out");
    let redact_report = dir.path().join("redact.json");
    let redacted = run(logleaks().args([
        "redact",
        "--no-config",
        logs_arg,
        "--output",
        path_str(&out),
        "--report",
        path_str(&redact_report),
    ]));
    redacted.assert_no_panic();
    assert_no_leak("redact: stderr", redacted.stderr.as_bytes(), &names);
    assert_no_leak(
        "redact: report",
        &std::fs::read(&redact_report).unwrap(),
        &names,
    );
    // The redacted copies are named as the inputs are shown.
    let mut copies = 0;
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let name = entry.path().as_os_str().as_encoded_bytes();
            assert_no_leak("redact: name of a copy", name, &names);
            copies += 1;
        }
    }
    assert_eq!(copies, 2);

    // With --show-secrets, names are shown as they are.
    let shown = scan_shown([logs_arg]);
    assert!(shown
        .findings()
        .iter()
        .any(|f| s(f, "file").ends_with(&format!("dump-{token}.log"))));
    assert!(shown.stderr.contains(&format!("old-{key_id}.log.gz")));
}

/// One access-log line leaking a Stripe key.
fn leak_line() -> String {
    combined_line(&format!("/pay?api_key={}", Rng::new(9).stripe_key())) + "\n"
}
