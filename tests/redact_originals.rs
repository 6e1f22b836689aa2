//! `logleaks redact` never loses the original and never passes silently: an existing backup is
//! never overwritten, a file with nothing to mask is not rewritten, a rewritten file keeps its
//! times, an input inside the `--output` directory is refused, files that are not copied are
//! said to be, decompression has a limit, and a closed pipe is reported.

mod common;

use std::io::Read;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, SystemTime};

use common::*;

const KEY: &str = "d4d3fd81b6ee7b3bb1c863e2601a0042";

/// Runs `logleaks redact --no-config ARGS...` in `dir`.
fn redact_in<I, S>(dir: &Path, args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    run(logleaks()
        .current_dir(dir)
        .arg("redact")
        .arg("--no-config")
        .args(args))
}

fn p(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}

fn with_key(n: u32) -> String {
    format!(
        "{}\n",
        combined_line(&format!("/api/items?api_key={KEY}&page={n}"))
    )
}

/// A time well in the past, whole seconds.
fn long_ago() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

fn set_times(path: &Path, accessed: SystemTime, modified: SystemTime) {
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_times(
        std::fs::FileTimes::new()
            .set_accessed(accessed)
            .set_modified(modified),
    )
    .unwrap();
}

#[cfg(unix)]
fn inode(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).unwrap().ino()
}

#[test]
fn a_second_in_place_run_never_overwrites_the_backup() {
    let dir = tempdir();
    let original = with_key(1);
    let path = write(dir.path(), "access.log.1", &original);
    let backup = dir.path().join("access.log.1.orig");
    redact_in(
        dir.path(),
        ["--in-place", "--backup", ".orig", "access.log.1"],
    )
    .assert_code(0);
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), original);
    assert!(!std::fs::read_to_string(&path).unwrap().contains(KEY));

    // The same command again: refused, naming the backup; both files stay as they are.
    let redacted = std::fs::read(&path).unwrap();
    let again = redact_in(
        dir.path(),
        ["--in-place", "--backup", ".orig", "access.log.1"],
    );
    again.assert_code(2);
    assert!(
        again.stderr.contains("access.log.1.orig"),
        "{}",
        again.stderr
    );
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert!(
        again.stderr.contains("--overwrite-backup"),
        "{}",
        again.stderr
    );
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), original);
    assert_eq!(std::fs::read(&path).unwrap(), redacted);

    // A file with a secret again: still refused while the backup is there.
    let second = with_key(2);
    std::fs::write(&path, &second).unwrap();
    redact_in(
        dir.path(),
        ["--in-place", "--backup", ".orig", "access.log.1"],
    )
    .assert_code(2);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), second);
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), original);

    // Only --overwrite-backup replaces it.
    redact_in(
        dir.path(),
        [
            "--in-place",
            "--backup",
            ".orig",
            "--overwrite-backup",
            "access.log.1",
        ],
    )
    .assert_code(0);
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), second);
    assert!(!std::fs::read_to_string(&path).unwrap().contains(KEY));
}

#[test]
fn overwrite_backup_needs_backup() {
    let dir = tempdir();
    write(dir.path(), "a.log", with_key(1));
    let run = redact_in(dir.path(), ["--in-place", "--overwrite-backup", "a.log"]);
    run.assert_code(2);
    assert!(run.stderr.contains("--backup"), "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn a_file_with_nothing_to_mask_is_not_rewritten() {
    let dir = tempdir();
    let content = format!("{}\n", combined_line("/static/app.js?v=3"));
    let path = write(dir.path(), "clean.log", &content);
    set_times(&path, long_ago(), long_ago());
    let before = inode(&path);
    let run = redact_in(dir.path(), ["--in-place", "--backup", ".orig", "clean.log"]);
    run.assert_code(0);
    assert!(run.stderr.contains("0 secrets masked"), "{}", run.stderr);
    assert_eq!(inode(&path), before, "the file was replaced");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), content);
    assert_eq!(
        std::fs::metadata(&path).unwrap().modified().unwrap(),
        long_ago()
    );
    // Nothing was replaced, so no backup was needed.
    assert!(!dir.path().join("clean.log.orig").exists());
}

#[cfg(unix)]
#[test]
fn a_rewritten_file_keeps_its_mode_and_times_unless_touched() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir();
    let accessed = long_ago() + Duration::from_secs(3600);
    for name in ["kept.log", "touched.log"] {
        let path = write(dir.path(), name, with_key(1));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        set_times(&path, accessed, long_ago());
    }
    redact_in(dir.path(), ["--in-place", "kept.log"]).assert_code(0);
    let kept = std::fs::metadata(dir.path().join("kept.log")).unwrap();
    assert_eq!(kept.permissions().mode() & 0o7777, 0o640);
    assert_eq!(kept.modified().unwrap(), long_ago());
    assert_eq!(kept.accessed().unwrap(), accessed);
    assert!(!std::fs::read_to_string(dir.path().join("kept.log"))
        .unwrap()
        .contains(KEY));

    redact_in(dir.path(), ["--in-place", "--touch", "touched.log"]).assert_code(0);
    let touched = std::fs::metadata(dir.path().join("touched.log")).unwrap();
    assert!(touched.modified().unwrap() > long_ago() + Duration::from_secs(86_400));

    // An --output copy keeps the original's times too.
    let source = write(dir.path(), "in/copy.log", with_key(3));
    set_times(&source, accessed, long_ago());
    redact_in(dir.path(), ["in/copy.log", "--output", "out"]).assert_code(0);
    let copy = std::fs::metadata(dir.path().join("out/in/copy.log")).unwrap();
    assert_eq!(copy.modified().unwrap(), long_ago());
}

#[test]
fn an_input_inside_the_output_directory_is_refused_by_name() {
    let dir = tempdir();
    let evidence = dir.path().join("evidence");
    let log = write(&evidence, "web01/nginx/access.log", with_key(1));
    for (cwd, args) in [
        (&evidence, ["web01", "--output", "."]),
        (&evidence, ["web01/nginx/access.log", "--output", "web01"]),
        (&evidence, ["web01/nginx", "--output", "web01"]),
    ] {
        let run = redact_in(cwd, args);
        run.assert_code(2);
        assert!(run.stderr.contains(args[0]), "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("inside the --output directory"),
            "{args:?}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains("masked in 0 files"), "{}", run.stderr);
    }
    // Nothing was written anywhere, and the input is as it was.
    assert_eq!(
        std::fs::read_to_string(&log).unwrap(),
        with_key(1),
        "the input changed"
    );
    let mut names = Vec::new();
    for entry in walkdir(&evidence) {
        names.push(entry);
    }
    assert_eq!(names, ["web01/nginx/access.log"]);
    // An --output directory beside the inputs is fine.
    redact_in(&evidence, ["web01", "--output", "../redacted"]).assert_code(0);
    assert!(dir.path().join("redacted/web01/nginx/access.log").is_file());
}

/// Every file under `dir`, relative, sorted.
fn walkdir(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                found.push(
                    path.strip_prefix(dir)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
    found.sort();
    found
}

#[test]
fn output_says_which_files_were_not_copied() {
    let dir = tempdir();
    let mut elf = b"\x7fELF\x02\x01\x01\0".to_vec();
    elf.extend(std::iter::repeat_n(0u8, 600));
    write(dir.path(), "logs/a.out", &elf);
    write(dir.path(), "logs/access.log", with_key(1));
    let run = redact_in(dir.path(), ["logs", "--output", "out"]);
    run.assert_code(0);
    assert!(
        run.stderr.contains("logs/a.out: skipped: not a text log")
            && run.stderr.contains("not copied to out/logs/a.out"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("1 skipped"), "{}", run.stderr);
    assert!(!dir.path().join("out/logs/a.out").exists());
    assert!(dir.path().join("out/logs/access.log").is_file());
    // The JSON report says the same.
    let report = dir.path().join("report.json");
    redact_in(
        dir.path(),
        ["logs", "--output", "out2", "--report", p(&report)],
    )
    .assert_code(0);
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let skipped = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["status"] == "skipped")
        .unwrap();
    assert!(
        skipped["message"]
            .as_str()
            .unwrap()
            .contains("not copied to out2/logs/a.out"),
        "{skipped}"
    );
}

#[test]
fn max_decompressed_size_stops_a_large_compressed_input() {
    let dir = tempdir();
    let mut text = String::new();
    for n in 0..2000 {
        text.push_str(&with_key(n));
    }
    let packed = gzip(text.as_bytes());
    let path = write(dir.path(), "big.log.gz", &packed);
    for args in [
        vec!["--max-decompressed-size", "16K", "big.log.gz"],
        vec!["--max-decompressed-size", "16K", "--in-place", "big.log.gz"],
    ] {
        let run = redact_in(dir.path(), &args);
        run.assert_code(2);
        assert!(
            run.stderr.contains("big.log.gz")
                && run
                    .stderr
                    .contains("stopped after 16384 decompressed bytes"),
            "{args:?}: {}",
            run.stderr
        );
        assert_eq!(std::fs::read(&path).unwrap(), packed, "{args:?}");
    }
    // Within the limit, it is redacted.
    redact_in(
        dir.path(),
        ["--max-decompressed-size", "10M", "--in-place", "big.log.gz"],
    )
    .assert_code(0);
    assert_ne!(std::fs::read(&path).unwrap(), packed);
}

#[cfg(unix)]
#[test]
fn a_closed_pipe_is_reported_and_exits_141() {
    let dir = tempdir();
    let line = format!("{}\n", combined_line("/static/app.js?v=3"));
    let path = write(dir.path(), "big.log", line.repeat(40_000));
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("logleaks"))
        .args(["redact", "--no-config"])
        .arg(&path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read the first line, then close the pipe as `head -1` does.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = vec![0u8; line.len()];
    stdout.read_exact(&mut first).unwrap();
    assert_eq!(first, line.as_bytes());
    drop(stdout);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(141), "{stderr}");
    assert!(
        stderr.contains("standard output was closed before the end"),
        "{stderr}"
    );
    assert!(!stderr.contains("0 secrets masked"), "{stderr}");
}
