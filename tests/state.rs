//! Incremental runs with `--state FILE`: a cron job that scans the same logs again and again,
//! across appends and every kind of rotation, reports each leak exactly once, with the line
//! numbers of the file it is in.

mod common;

use std::path::Path;

use common::*;
use serde_json::Value;

/// A line without a credential.
fn quiet(n: u32) -> String {
    format!("{}\n", combined_line(&format!("/static/app.js?v={n}")))
}

/// One `scan --state` run of `dir`: (file name, line, secret) of each finding.
fn cron_run(dir: &Path, state: &Path) -> Vec<(String, u64, String)> {
    let run = scan_shown([
        "--state".as_ref(),
        state.as_os_str(),
        "--now".as_ref(),
        "2025-11-28".as_ref(),
        dir.as_os_str(),
    ]);
    run.assert_no_panic();
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    run.findings()
        .iter()
        .map(|f: &Value| {
            let file = Path::new(s(f, "file"))
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (file, n(f, "line"), s(f, "secret").to_string())
        })
        .collect()
}

#[test]
fn a_cron_job_reports_each_leak_once_across_appends_and_rotations() {
    let dir = tempdir();
    let logs = dir.path().join("logs");
    std::fs::create_dir(&logs).unwrap();
    let state = dir.path().join("state.json");
    let log = logs.join("access.log");
    let mut seen = Vec::new();

    // First run: everything there is.
    append(
        &log,
        &(quiet(0) + &leak_line(1) + &quiet(2) + &leak_line(2)),
    );
    seen.extend(cron_run(&logs, &state));
    assert_eq!(
        seen,
        [
            ("access.log".into(), 2, numbered_secret(1)),
            ("access.log".into(), 4, numbered_secret(2))
        ]
    );

    // Nothing new: nothing reported.
    assert_eq!(cron_run(&logs, &state), []);

    // Appended, with a line still being written at the end: the complete line only.
    append(
        &log,
        &(leak_line(3)
            + "203.0.113.7 - - [27/Nov/2025:10:00:00 +0100] \"GET /x?api_key=d4d3fd81b6"),
    );
    let run = cron_run(&logs, &state);
    assert_eq!(run, [("access.log".into(), 5, numbered_secret(3))]);
    seen.extend(run);
    // The line is completed; then rename-and-create rotation (logrotate `create`): the server
    // wrote more to the renamed file before it reopened its log.
    append(
        &log,
        "ee7b3bb1c863e2000004 HTTP/1.1\" 200 1 \"-\" \"curl\"\n",
    );
    std::fs::rename(&log, logs.join("access.log.1")).unwrap();
    append(&logs.join("access.log.1"), &leak_line(5));
    append(&log, &(leak_line(6) + &quiet(7)));
    let run = cron_run(&logs, &state);
    assert_eq!(
        run,
        [
            ("access.log".into(), 1, numbered_secret(6)),
            ("access.log.1".into(), 6, numbered_secret(4)),
            ("access.log.1".into(), 7, numbered_secret(5)),
        ]
    );
    seen.extend(run);

    // The rotated file is compressed (delaycompress: `.1` becomes `.2.gz`, a new inode) after
    // one more line reached it, and the live log grows.
    append(&logs.join("access.log.1"), &leak_line(8));
    let rotated = std::fs::read(logs.join("access.log.1")).unwrap();
    std::fs::write(logs.join("access.log.2.gz"), gzip(&rotated)).unwrap();
    std::fs::remove_file(logs.join("access.log.1")).unwrap();
    append(&log, &leak_line(9));
    let run = cron_run(&logs, &state);
    assert_eq!(
        run,
        [
            ("access.log".into(), 3, numbered_secret(9)),
            ("access.log.2.gz".into(), 8, numbered_secret(8)),
        ]
    );
    seen.extend(run);

    // copytruncate: the log is copied to `.1` and emptied in place (same inode); lines written
    // before the copy are in the copy, later ones in the emptied log.
    append(&log, &leak_line(10));
    std::fs::copy(&log, logs.join("access.log.1")).unwrap();
    truncate(&log);
    append(&log, &leak_line(11));
    let run = cron_run(&logs, &state);
    assert_eq!(
        run,
        [
            ("access.log".into(), 1, numbered_secret(11)),
            ("access.log.1".into(), 4, numbered_secret(10)),
        ]
    );
    seen.extend(run);
    assert_eq!(cron_run(&logs, &state), []);

    // Every leak exactly once over all runs.
    let mut secrets: Vec<&str> = seen.iter().map(|(_, _, s)| s.as_str()).collect();
    secrets.sort();
    let expected: Vec<String> = [1, 2, 3, 4, 5, 6, 8, 9, 10, 11]
        .map(numbered_secret)
        .to_vec();
    assert_eq!(
        secrets,
        expected.iter().map(String::as_str).collect::<Vec<_>>()
    );
}

#[test]
fn a_resumed_iis_log_is_read_with_the_fields_of_its_head() {
    let dir = tempdir();
    let state = dir.path().join("state.json");
    let log = dir.path().join("u_ex261204.log");
    let head = "#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n#Date: 2026-12-04 10:00:00\n#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\n";
    let row = |query: &str| {
        format!("2026-12-04 10:00:01 10.0.0.5 GET /api/export {query} 443 - 203.0.113.9 curl/8.5.0 - 200 0 0 12\n")
    };
    append(&log, &(head.to_string() + &row("v=1")));
    assert_eq!(cron_run(dir.path(), &state), []);
    append(&log, &row(&format!("api_key={}", numbered_secret(42))));
    let run = scan_shown(["--state".as_ref(), state.as_os_str(), log.as_os_str()]);
    let findings = run.findings();
    assert_eq!(findings.len(), 1, "{}", run.stderr);
    assert_eq!(n(&findings[0], "line"), 6);
    assert_eq!(s(&findings[0], "field"), "request.query");
    assert_eq!(s(&findings[0], "format"), "iis");
}

#[test]
fn a_foreign_or_damaged_state_file_stops_the_run() {
    let dir = tempdir();
    let log = write(dir.path(), "access.log", leak_line(1));
    for text in [
        "",
        "{\"files\": []}",
        "{\"logleaks_state\": 1, \"files\": [{]",
    ] {
        let state = write(dir.path(), "state.json", text);
        let run = scan(["--state".as_ref(), state.as_os_str(), log.as_os_str()]);
        run.assert_code(2).assert_no_panic();
        assert!(run.stdout.is_empty(), "nothing scanned: {}", run.out());
        assert!(
            run.stderr.contains("state.json") && run.stderr.contains("not a logleaks state file"),
            "{}",
            run.stderr
        );
        // Left as it was.
        assert_eq!(std::fs::read_to_string(&state).unwrap(), text);
    }
}

#[test]
fn the_state_file_is_json_naming_each_file_and_never_a_secret() {
    let dir = tempdir();
    let log = write(dir.path(), "access.log", leak_line(1) + &quiet(2));
    let state = dir.path().join("state.json");
    scan(["--state".as_ref(), state.as_os_str(), log.as_os_str()]).assert_code(1);
    let text = std::fs::read_to_string(&state).unwrap();
    let json: Value = serde_json::from_str(&text).unwrap();
    let files = json["files"].as_array().unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0]["offset"], std::fs::metadata(&log).unwrap().len());
    assert_eq!(files[0]["line"], 2);
    assert!(files[0]["path"].as_str().unwrap().ends_with("access.log"));
    assert!(!text.contains(&numbered_secret(1)), "{text}");
    // Scanning the directory that holds the state file does not read the state file.
    let run = scan([
        "--state".as_ref(),
        state.as_os_str(),
        dir.path().as_os_str(),
    ]);
    run.assert_code(0);
    assert!(run.summary_line().contains(" 1 file"), "{}", run.stderr);
}
