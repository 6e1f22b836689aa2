//! What a scan walks and what it refuses: scanning nothing is an error, the nginx container
//! layout (`access.log` → `/dev/stdout`) neither hangs nor reads logleaks' own output, broken
//! links are notes while walking and errors when named, and VCS metadata and the config file in
//! use are not scanned.

mod common;

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use common::*;

fn path_str(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

/// A log line holding one Stripe key (random, never issued).
fn secret_line(key: &str) -> String {
    combined_line(&format!("/pay?stripe_key=sk_live_{key}")) + "\n"
}

#[test]
fn a_glob_matching_no_file_is_an_error_naming_the_directory() {
    let dir = tempdir();
    write(
        dir.path(),
        "access.log",
        secret_line("Hn3Kq8Wz1Rb6Tv9Xy2Lm5Pc7"),
    );
    let run = scan([
        "--format",
        "jsonl",
        "--glob",
        "*.nothing",
        path_str(dir.path()),
    ]);
    run.assert_no_panic().assert_code(2);
    let errors = run.error_lines();
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(
        errors[0].contains(path_str(dir.path())) && errors[0].contains("no file matches --glob"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_empty_directory_is_an_error_but_a_directory_of_empty_files_is_not() {
    let dir = tempdir();
    let empty = dir.path().join("empty");
    std::fs::create_dir_all(empty.join("sub")).unwrap();
    let run = scan(["--format", "jsonl", path_str(&empty)]);
    run.assert_no_panic().assert_code(2);
    assert!(
        run.error_lines()
            .iter()
            .any(|l| l.contains(path_str(&empty)) && l.contains("nothing to scan")),
        "{}",
        run.stderr
    );
    // One empty file is something scanned.
    write(&empty, "sub/access.log", "");
    scan(["--format", "jsonl", path_str(&empty)])
        .assert_no_panic()
        .assert_code(0);
}

#[test]
fn an_empty_directory_beside_a_scanned_one_is_not_an_error() {
    let dir = tempdir();
    let logs = dir.path().join("logs");
    write(&logs, "access.log", secret_line("Hn3Kq8Wz1Rb6Tv9Xy2Lm5Pc7"));
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let run = scan(["--format", "jsonl", path_str(&logs), path_str(&empty)]);
    run.assert_no_panic().assert_code(1);
    assert_eq!(run.findings().len(), 1);
}

#[cfg(unix)]
fn nginx_container_layout(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    std::os::unix::fs::symlink("/dev/stdout", dir.join("access.log")).unwrap();
    std::os::unix::fs::symlink("/dev/stderr", dir.join("error.log")).unwrap();
    write(dir, "a.log", secret_line("Hn3Kq8Wz1Rb6Tv9Xy2Lm5Pc7"));
}

/// The official nginx image links its logs to the container's standard streams. Walking skips
/// them with a note, even when logleaks' own output is a regular file the link would reach.
#[cfg(unix)]
#[test]
fn links_to_standard_streams_are_skipped_while_walking() {
    let dir = tempdir();
    let logs = dir.path().join("nginx");
    nginx_container_layout(&logs);
    let stdout_file = dir.path().join("out.jsonl");
    let stderr_file = dir.path().join("err.txt");
    let status = std::process::Command::new(assert_cmd::cargo::cargo_bin("logleaks"))
        .current_dir(root())
        .env_remove("LOGLEAKS_FINGERPRINT_KEY")
        .args(["scan", "--format", "jsonl", path_str(&logs)])
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout_file).unwrap())
        .stderr(std::fs::File::create(&stderr_file).unwrap())
        .status()
        .expect("logleaks runs");
    let stderr = std::fs::read_to_string(&stderr_file).unwrap();
    assert_eq!(status.code(), Some(1), "{stderr}");
    let findings = parse_jsonl(&std::fs::read(&stdout_file).unwrap());
    assert_eq!(findings.len(), 1, "{stderr}");
    for (name, target) in [("access.log", "/dev/stdout"), ("error.log", "/dev/stderr")] {
        assert!(
            stderr
                .lines()
                .any(|l| l.contains(name) && l.contains("note") && l.contains(target)),
            "{name}: {stderr}"
        );
    }
    assert!(stderr.contains("2 skipped"), "{stderr}");
}

/// Named, a link to logleaks' own standard output is refused instead of read (reading the pipe
/// logleaks writes into would wait forever), and the other inputs are still scanned.
#[cfg(unix)]
#[test]
fn a_named_link_to_our_own_standard_output_is_refused_not_read() {
    let dir = tempdir();
    let logs = dir.path().join("nginx");
    nginx_container_layout(&logs);
    let access = logs.join("access.log");
    let a = logs.join("a.log");
    let run = run(logleaks().timeout(Duration::from_secs(60)).args([
        "scan",
        "--format",
        "jsonl",
        path_str(&access),
        path_str(&a),
    ]));
    run.assert_no_panic().assert_code(2);
    assert_eq!(run.findings().len(), 1);
    let errors = run.error_lines();
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(
        errors[0].contains(path_str(&access)) && errors[0].contains("own standard output"),
        "{}",
        run.stderr
    );
}

/// The report being written is logleaks' own output too.
#[test]
fn the_report_file_is_not_scanned_while_it_is_written() {
    let dir = tempdir();
    write(dir.path(), "a.log", secret_line("Hn3Kq8Wz1Rb6Tv9Xy2Lm5Pc7"));
    let report = write(dir.path(), "z-report.jsonl", "");
    let run = scan([
        "--format",
        "jsonl",
        "--show-secrets",
        "--report",
        path_str(&report),
        path_str(dir.path()),
    ]);
    run.assert_no_panic().assert_code(1);
    let findings = parse_jsonl(&std::fs::read(&report).unwrap());
    assert_eq!(findings.len(), 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("z-report.jsonl") && run.stderr.contains("own report"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn a_broken_link_is_a_note_while_walking_and_an_error_when_named() {
    let dir = tempdir();
    write(dir.path(), "a.log", secret_line("Hn3Kq8Wz1Rb6Tv9Xy2Lm5Pc7"));
    let broken = dir.path().join("old.log");
    std::os::unix::fs::symlink(dir.path().join("rotated-away.log"), &broken).unwrap();
    let walked = scan(["--format", "jsonl", path_str(dir.path())]);
    walked.assert_no_panic().assert_code(1);
    assert_eq!(walked.findings().len(), 1);
    let notes = walked.error_lines();
    assert_eq!(notes.len(), 1, "{}", walked.stderr);
    assert!(
        notes[0].contains(path_str(&broken))
            && notes[0].contains("note")
            && notes[0].contains("broken symbolic link"),
        "{}",
        walked.stderr
    );
    let named = scan(["--format", "jsonl", path_str(&broken)]);
    named.assert_no_panic().assert_code(2);
    assert!(
        named
            .error_lines()
            .iter()
            .any(|l| l.contains(path_str(&broken)) && l.contains("broken symbolic link")),
        "{}",
        named.stderr
    );
}

#[test]
fn vcs_metadata_is_skipped_unless_include_vcs() {
    let dir = tempdir();
    write(
        dir.path(),
        "access.log",
        combined_line("/index.html") + "\n",
    );
    for vcs in [".git", ".hg", ".svn"] {
        write(
            dir.path(),
            &format!("{vcs}/logs/HEAD"),
            secret_line("Hn3Kq8Wz1Rb6Tv9Xy2Lm5Pc7"),
        );
    }
    let run = scan(["--format", "jsonl", path_str(dir.path())]);
    run.assert_no_panic().assert_code(0);
    assert!(run.findings().is_empty(), "{}", run.out());
    let included = scan(["--format", "jsonl", "--include-vcs", path_str(dir.path())]);
    included.assert_no_panic().assert_code(1);
    assert_eq!(included.findings().len(), 3, "{}", included.out());
    // A directory of nothing but VCS metadata is nothing scanned, and the message says why.
    let repo = dir.path().join("repo");
    write(
        &repo,
        ".git/logs/HEAD",
        secret_line("Hn3Kq8Wz1Rb6Tv9Xy2Lm5Pc7"),
    );
    let nothing = scan(["--format", "jsonl", path_str(&repo)]);
    nothing.assert_no_panic().assert_code(2);
    assert!(
        nothing.stderr.contains("--include-vcs"),
        "{}",
        nothing.stderr
    );
    // Named directly, a VCS directory is scanned.
    scan(["--format", "jsonl", path_str(&repo.join(".git"))])
        .assert_no_panic()
        .assert_code(1);
}

#[test]
fn the_config_file_in_use_is_not_scanned() {
    let dir = tempdir();
    let config = write(dir.path(), ".logleaks.toml", ACME_RULE);
    write(
        dir.path(),
        "access.log",
        combined_line("/index.html") + "\n",
    );
    let with_config = scan([
        "--format",
        "jsonl",
        "--config",
        path_str(&config),
        path_str(dir.path()),
    ]);
    with_config.assert_no_panic().assert_code(0);
    assert!(with_config.findings().is_empty(), "{}", with_config.out());
    // Another file with the same text is an ordinary file of the directory.
    let elsewhere = tempdir();
    let copy = write(
        elsewhere.path(),
        "rules.toml",
        std::fs::read(&config).unwrap(),
    );
    let other = scan([
        "--format",
        "jsonl",
        "--config",
        path_str(&copy),
        path_str(dir.path()),
    ]);
    other.assert_no_panic().assert_code(1);
    assert!(
        other
            .findings()
            .iter()
            .any(|f| s(f, "file").ends_with(".logleaks.toml")),
        "{}",
        other.out()
    );
}
