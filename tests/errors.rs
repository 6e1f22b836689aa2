//! Inputs that cannot be read: each is one line on stderr naming the path, exit code 2, and every
//! readable input is still scanned and reported.

mod common;

use std::io::Read;
use std::path::Path;

use common::*;
use serde_json::Value;

const OTHER: &str = "fixtures/apache/access_common.log";

fn path_str(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

/// The findings of `OTHER`, which every error case scans beside the broken input.
fn other_findings(findings: &[Value]) -> usize {
    findings.iter().filter(|f| s(f, "file") == OTHER).count()
}

/// Exit code 2, no panic, exactly one stderr line naming `path` (besides the closing summary),
/// which also says one of `words`; the findings of `OTHER` are all there.
fn assert_one_error(run: &Run, path: &str, words: &[&str]) {
    run.assert_no_panic().assert_code(2);
    let naming: Vec<&str> = run
        .error_lines()
        .into_iter()
        .filter(|l| l.contains(path))
        .collect();
    assert_eq!(
        naming.len(),
        1,
        "not exactly one line naming {path}:\n{}",
        run.stderr
    );
    let line = naming[0].to_lowercase();
    assert!(
        words.iter().any(|w| line.contains(w)),
        "the message does not say what is wrong ({words:?}): {line}"
    );
    assert_eq!(run.error_lines().len(), 1, "{}", run.stderr);
    assert!(
        run.summary_line().contains("error"),
        "{}",
        run.summary_line()
    );
    assert_eq!(
        other_findings(&run.findings()),
        planted_in(OTHER).len(),
        "the readable input was not fully reported:\n{}",
        run.out()
    );
}

#[test]
fn a_missing_path_is_named_and_the_rest_is_scanned() {
    let dir = tempdir();
    let missing = dir.path().join("access.log.7");
    let run = scan(["--format", "jsonl", path_str(&missing), OTHER]);
    assert_one_error(&run, path_str(&missing), &["no such file", "not found"]);
    // Also in table format, after the error.
    let table = scan([OTHER, path_str(&missing)]);
    table.assert_code(2);
    assert_eq!(table.out().lines().count(), planted_in(OTHER).len() + 1);
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_named_and_the_rest_is_scanned() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir();
    let secret_line = combined_line("/pay?stripe_key=sk_live_Rt6Yq2Wm9Xn4Bv1Kz7Lc3Hp8") + "\n";
    let locked = write(dir.path(), "locked.log", &secret_line);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let (path, words): (std::path::PathBuf, &[&str]) = if std::fs::read(&locked).is_err() {
        (locked, &["permission denied"])
    } else {
        // Running as root, which reads any file whatever its mode. A Unix socket named directly
        // cannot be opened by anyone, so it stands in for the unreadable file.
        let socket = dir.path().join("app.sock");
        // The socket file stays when the listener is closed, and still cannot be opened.
        drop(std::os::unix::net::UnixListener::bind(&socket).unwrap());
        (
            socket,
            &["no such device", "cannot", "not a regular file", "socket"],
        )
    };
    let run = scan(["--format", "jsonl", path_str(&path), OTHER]);
    assert_one_error(&run, path_str(&path), words);
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_with_follow_is_named_and_does_not_hang() {
    let dir = tempdir();
    let root = dir.path().join("logs");
    write(
        &root,
        "d/access.log",
        combined_line("/pay?stripe_key=sk_live_Yb8Tn3Qw6Zr1Kv4Xm9Lp2Hc5") + "\n",
    );
    std::os::unix::fs::symlink(&root, root.join("d/loop")).unwrap();
    // Without --follow the link is not followed: no error.
    let plain = scan(["--format", "jsonl", path_str(&root), OTHER]);
    plain.assert_no_panic().assert_code(1);
    assert!(plain.error_lines().is_empty(), "{}", plain.stderr);
    assert_eq!(plain.findings().len(), 1 + planted_in(OTHER).len());
    // With --follow: the loop is an error, named by its path; the file is scanned once.
    let followed = scan(["--format", "jsonl", "--follow", path_str(&root), OTHER]);
    let loop_path = root.join("d/loop");
    assert_one_error(&followed, path_str(&loop_path), &["loop"]);
    let in_logs = followed
        .findings()
        .iter()
        .filter(|f| s(f, "file").starts_with(path_str(&root)))
        .count();
    assert_eq!(in_logs, 1, "{}", followed.out());
}

/// What a gzip reader can decompress from `gz` before it fails.
fn decompressible_prefix(gz: &[u8]) -> Vec<u8> {
    let mut decoder = flate2::read::GzDecoder::new(gz);
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match decoder.read(&mut buf) {
            Ok(0) | Err(_) => return out,
            Ok(k) => out.extend_from_slice(&buf[..k]),
        }
    }
}

#[test]
fn a_truncated_gzip_reports_what_came_before_the_damage() {
    let nginx = "fixtures/nginx/access.log";
    let plain = scan_shown([nginx]).findings();
    let gz = gzip(&fixture(nginx));
    let cut = &gz[..gz.len() / 2];
    let dir = tempdir();
    let path = write(dir.path(), "access.log.2.gz", cut);
    let run = scan_shown([path_str(&path), OTHER]);
    assert_one_error(&run, path_str(&path), &["truncated", "corrupt"]);
    // Every line that was whole before the damage is scanned, with its own line number.
    let whole_lines = decompressible_prefix(cut)
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u64;
    assert!(
        whole_lines > 5,
        "the cut left too little: {whole_lines} lines"
    );
    let expected: Vec<Key> = plain
        .iter()
        .filter(|f| n(f, "line") <= whole_lines)
        .map(|f| {
            let mut k = key_of(f);
            k.0 = path_str(&path).to_string();
            k
        })
        .collect();
    assert!(!expected.is_empty());
    let got: Vec<Value> = run
        .findings()
        .into_iter()
        .filter(|f| s(f, "file") != OTHER)
        .collect();
    assert_same_findings(&got, &expected, "truncated gzip");
}

#[test]
fn a_corrupt_gzip_is_named_and_the_rest_is_scanned() {
    let dir = tempdir();
    let mut bytes = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03".to_vec();
    bytes.extend(b"this is not deflate data; token=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\n");
    let path = write(dir.path(), "access.log.3.gz", bytes);
    let run = scan(["--format", "jsonl", path_str(&path), OTHER]);
    assert_one_error(&run, path_str(&path), &["corrupt", "truncated", "invalid"]);
    assert_eq!(run.findings().len(), planted_in(OTHER).len());
}

#[test]
fn every_problem_gets_its_own_line_in_input_order() {
    let dir = tempdir();
    let missing = dir.path().join("missing.log");
    let corrupt = write(
        dir.path(),
        "corrupt.gz",
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03garbage-garbage-garbage",
    );
    let run = scan([
        "--format",
        "jsonl",
        path_str(&missing),
        OTHER,
        path_str(&corrupt),
    ]);
    run.assert_no_panic().assert_code(2);
    let errors = run.error_lines();
    assert_eq!(errors.len(), 2, "{}", run.stderr);
    assert!(errors[0].contains(path_str(&missing)), "{}", run.stderr);
    assert!(errors[1].contains(path_str(&corrupt)), "{}", run.stderr);
    assert_eq!(other_findings(&run.findings()), planted_in(OTHER).len());
}

/// A FIFO at `dir/name` (made with `mkfifo`, which every Unix has).
#[cfg(unix)]
fn fifo(dir: &Path, name: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    let made = std::process::Command::new("mkfifo")
        .arg(&path)
        .status()
        .expect("mkfifo runs");
    assert!(made.success(), "mkfifo failed");
    path
}

#[cfg(unix)]
#[test]
fn a_fifo_is_skipped_while_walking_and_read_when_named() {
    let dir = tempdir();
    let secret_line = combined_line("/pay?stripe_key=sk_live_Fq2Wn8Rk4Zt6Yp1Xm3Lc9Hv5") + "\n";
    write(dir.path(), "access.log", &secret_line);
    let pipe = fifo(dir.path(), "access.pipe");
    // A device behind a log's name: reading it would never end.
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("error.log")).unwrap();
    // Walking: the FIFO and the device are skipped (either would block the scan forever),
    // counted, not errors.
    let walked = scan(["--format", "jsonl", path_str(dir.path())]);
    walked.assert_no_panic().assert_code(1);
    assert_eq!(walked.findings().len(), 1);
    assert!(walked.error_lines().is_empty(), "{}", walked.stderr);
    assert!(
        walked.summary_line().contains("2 skipped"),
        "{}",
        walked.summary_line()
    );
    // Named: it is read like standard input.
    let writer = {
        let pipe = pipe.clone();
        let line = combined_line("/pay?stripe_key=sk_live_Jc5Tb9Xw2Qm7Rv4Kz8Np3Ly6") + "\n";
        std::thread::spawn(move || std::fs::write(&pipe, line).expect("write into the FIFO"))
    };
    let named = scan(["--format", "jsonl", path_str(&pipe)]);
    writer.join().expect("the writer finished");
    named.assert_no_panic().assert_code(1);
    assert!(named.error_lines().is_empty(), "{}", named.stderr);
    let findings = named.findings();
    assert_eq!(findings.len(), 1, "{}", named.out());
    assert_eq!(s(&findings[0], "file"), path_str(&pipe));
    assert_eq!(n(&findings[0], "line"), 1);
}

#[cfg(unix)]
#[test]
fn dev_null_named_is_an_empty_input() {
    let run = scan(["--format", "jsonl", "/dev/null"]);
    run.assert_no_panic().assert_code(0);
    assert!(run.stdout.is_empty());
    assert!(run.error_lines().is_empty(), "{}", run.stderr);
    assert!(
        run.summary_line().contains("0 findings"),
        "{}",
        run.summary_line()
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_between_files_is_named_and_the_rest_is_scanned() {
    let dir = tempdir();
    let a = dir.path().join("a.log");
    let b = dir.path().join("b.log");
    std::os::unix::fs::symlink(&b, &a).unwrap();
    std::os::unix::fs::symlink(&a, &b).unwrap();
    // Named directly.
    let run = scan(["--format", "jsonl", path_str(&a), OTHER]);
    assert_one_error(
        &run,
        path_str(&a),
        &["too many levels of symbolic links", "loop"],
    );
    // Met while walking: both links are named.
    let walked = scan(["--format", "jsonl", path_str(dir.path()), OTHER]);
    walked.assert_no_panic().assert_code(2);
    for link in [&a, &b] {
        assert!(
            walked
                .error_lines()
                .iter()
                .any(|l| l.contains(path_str(link))
                    && l.to_lowercase()
                        .contains("too many levels of symbolic links")),
            "{}",
            walked.stderr
        );
    }
    assert_eq!(other_findings(&walked.findings()), planted_in(OTHER).len());
}

#[cfg(target_os = "linux")]
#[test]
fn a_file_that_fails_while_being_read_is_named_and_the_rest_is_scanned() {
    // `/proc/self/mem` opens (it is logleaks' own memory) but reading its first page fails with
    // an I/O error, whoever runs the test: a read error after a successful open.
    let run = scan(["--format", "jsonl", "/proc/self/mem", OTHER]);
    assert_one_error(
        &run,
        "/proc/self/mem",
        &["input/output error", "read error"],
    );
}

#[test]
fn a_directory_where_a_file_is_expected_is_a_clear_error() {
    let dir = tempdir();
    let as_dir = path_str(dir.path());
    // The report.
    let run = scan(["--format", "jsonl", "--report", as_dir, OTHER]);
    run.assert_no_panic().assert_code(2);
    assert!(
        run.stderr
            .contains(&format!("{as_dir}: cannot write report: is a directory"))
            || run
                .stderr
                .contains(&format!("{as_dir}: cannot write report: Is a directory")),
        "{}",
        run.stderr
    );
    // The config file.
    let run = scan(["--config", as_dir, OTHER]);
    run.assert_no_panic().assert_code(2);
    let line = run.stderr.to_lowercase();
    assert!(
        line.contains(&as_dir.to_lowercase()) && line.contains("is a directory"),
        "{}",
        run.stderr
    );
    // The input of `summary`.
    let summary = run_summary(as_dir);
    summary.assert_no_panic().assert_code(2);
    let line = summary.stderr.to_lowercase();
    assert!(
        line.contains(&as_dir.to_lowercase()) && line.contains("is a directory"),
        "{}",
        summary.stderr
    );
}

fn run_summary(path: &str) -> Run {
    run(logleaks().args(["summary", path]))
}

#[cfg(unix)]
#[test]
fn a_closed_output_pipe_stops_the_scan_quietly() {
    use std::io::BufRead;
    use std::process::{Command, Stdio};
    // Many findings, so that the scan is still writing when the reader goes (`| head -1`).
    let dir = tempdir();
    let mut log = String::new();
    let mut rng = Rng::new(7);
    for _ in 0..20_000 {
        log.push_str(&combined_line(&format!(
            "/pay?stripe_key={}",
            rng.stripe_key()
        )));
        log.push('\n');
    }
    let big = write(dir.path(), "access.log", log);
    let mut child = Command::new(env!("CARGO_BIN_EXE_logleaks"))
        .args(["scan", "--format", "jsonl", "--no-progress", path_str(&big)])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("logleaks starts");
    let mut stdout = std::io::BufReader::new(child.stdout.take().expect("piped stdout"));
    let mut first = String::new();
    stdout.read_line(&mut first).expect("one line");
    assert!(first.starts_with('{'), "{first}");
    drop(stdout);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("piped stderr")
        .read_to_string(&mut stderr)
        .expect("stderr");
    let status = child.wait().expect("logleaks ends");
    assert!(
        !stderr.contains("panicked")
            && !stderr.contains("Broken pipe")
            && !stderr.contains("error"),
        "{stderr}"
    );
    // Findings were shown, so the exit code is that of findings; no error, no signal.
    assert_eq!(status.code(), Some(1), "{stderr}");
}

#[cfg(target_os = "linux")]
#[test]
fn a_report_to_a_full_disk_is_a_clear_error() {
    let report = scan(["--format", "jsonl", "--report", "/dev/full", OTHER]);
    report.assert_no_panic().assert_code(2);
    assert!(
        report
            .stderr
            .to_lowercase()
            .contains("logleaks: /dev/full: cannot write report: no space left on device"),
        "{}",
        report.stderr
    );
    assert_eq!(report.error_lines().len(), 1, "{}", report.stderr);
    // Standard output on a full disk too.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_logleaks"))
        .args(["scan", "--format", "jsonl", OTHER])
        .current_dir(root())
        .stdout(std::fs::File::create("/dev/full").expect("/dev/full opens"))
        .output()
        .expect("logleaks runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr
            .to_lowercase()
            .contains("logleaks: standard output: cannot write report: no space left on device"),
        "{stderr}"
    );
}
