//! Streaming: on a pipe, each finding is written as soon as everything before it is done, so
//! that `tail -F access.log | logleaks scan --format jsonl` shows leaks live. Tested by order:
//! the test reads the first finding before it writes the next input line (a generous timeout
//! only turns a hang into a failure). `logleaks redact -` does the same with masked lines, as a
//! pipeline filter.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

use common::*;
use serde_json::Value;

/// How long to wait for a line logleaks should already have written.
const PATIENCE: Duration = Duration::from_secs(60);

/// A running `logleaks scan` (or `redact`) fed line by line.
struct Live {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
}

impl Live {
    fn start(args: &[&str], input: Stdio) -> Live {
        Live::command("scan", args, input)
    }

    fn command(command: &str, args: &[&str], input: Stdio) -> Live {
        let mut child = Command::new(env!("CARGO_BIN_EXE_logleaks"))
            .current_dir(root())
            .env_remove("LOGLEAKS_FINGERPRINT_KEY")
            .arg(command)
            .args(args)
            .stdin(input)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("logleaks starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let (sender, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { return };
                if sender.send(line).is_err() {
                    return;
                }
            }
        });
        let stdin = child.stdin.take();
        Live {
            child,
            stdin,
            lines,
        }
    }

    fn write(&mut self, line: &[u8]) {
        self.write_bytes(&[line, b"\n"].concat());
    }

    /// Writes `bytes` in one write (a line and the start of the next: one read for logleaks).
    fn write_bytes(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin still open");
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    /// The next line of output, which must come without more input.
    fn next_line(&self, what: &str) -> String {
        self.lines
            .recv_timeout(PATIENCE)
            .unwrap_or_else(|_| panic!("logleaks did not write {what} before more input came"))
    }

    /// Closes the input and returns the rest of the output and the exit code.
    fn finish(mut self) -> (Vec<String>, i32) {
        drop(self.stdin.take());
        let status = self.child.wait().expect("logleaks ends");
        let rest = self.lines.iter().collect();
        (rest, status.code().unwrap_or(-1))
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Two fixture lines holding one credential each: a password parameter and a Google key.
fn two_leaking_lines() -> (Vec<u8>, Vec<u8>) {
    let log = fixture("fixtures/apache/access_log");
    (line_of(&log, 3).to_vec(), line_of(&log, 10).to_vec())
}

fn finding(line: &str) -> Value {
    serde_json::from_str(line).unwrap_or_else(|e| panic!("not a JSON finding ({e}): {line}"))
}

#[test]
fn jsonl_writes_each_finding_before_the_next_input_line_comes() {
    let (first, second) = two_leaking_lines();
    let mut live = Live::start(&["--format", "jsonl"], Stdio::piped());
    live.write(&first);
    let got = finding(&live.next_line("the first finding"));
    assert_eq!(s(&got, "rule"), "password-param");
    assert_eq!(n(&got, "line"), 1);
    live.write(&second);
    let (rest, code) = live.finish();
    assert_eq!(rest.len(), 1, "{rest:?}");
    let got = finding(&rest[0]);
    assert_eq!(s(&got, "rule"), "google-api-key");
    assert_eq!(n(&got, "line"), 2);
    assert_eq!(code, 1);
}

#[test]
fn the_format_is_detected_from_the_first_lines_that_came() {
    // One combined line, then a pause: the finding carries the format detected from it.
    let (first, _) = two_leaking_lines();
    let mut live = Live::start(&["--format", "jsonl"], Stdio::piped());
    live.write(&first);
    let got = finding(&live.next_line("the first finding"));
    assert_eq!(s(&got, "format"), "combined");
    assert_eq!(s(&got, "field"), "request.query");
}

#[test]
fn table_rows_are_written_as_they_come() {
    let (first, second) = two_leaking_lines();
    let mut live = Live::start(&["--format", "table"], Stdio::piped());
    live.write(&first);
    let header = live.next_line("the table header");
    assert!(header.starts_with("SEVERITY"), "{header}");
    let row = live.next_line("the first row");
    assert!(
        row.contains("password-param") && row.ends_with("-:1:82"),
        "{row}"
    );
    live.write(&second);
    let (rest, _) = live.finish();
    assert_eq!(rest.len(), 1, "{rest:?}");
    assert!(rest[0].contains("google-api-key"), "{rest:?}");
}

#[test]
fn line_buffered_writes_each_finding_to_a_report_file_at_once() {
    let dir = tempdir();
    let report = dir.path().join("findings.jsonl");
    let (first, second) = two_leaking_lines();
    let report_arg = report.to_str().expect("a UTF-8 temp path");
    let mut live = Live::start(
        &[
            "--format",
            "jsonl",
            "--line-buffered",
            "--report",
            report_arg,
        ],
        Stdio::piped(),
    );
    live.write(&first);
    let waited = std::time::Instant::now();
    let content = loop {
        let content = std::fs::read_to_string(&report).unwrap_or_default();
        if content.ends_with('\n') || waited.elapsed() > PATIENCE {
            break content;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(
        content.lines().count(),
        1,
        "report before more input: {content:?}"
    );
    assert_eq!(s(&finding(content.trim_end()), "rule"), "password-param");
    live.write(&second);
    let (_, code) = live.finish();
    assert_eq!(code, 1);
    let content = std::fs::read_to_string(&report).unwrap();
    assert_eq!(content.lines().count(), 2, "{content}");
}

#[cfg(unix)]
#[test]
fn a_named_fifo_is_read_live_too() {
    let dir = tempdir();
    let fifo = dir.path().join("access.log");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let (first, second) = two_leaking_lines();
    let fifo_arg = fifo.to_str().expect("a UTF-8 temp path");
    let live = Live::start(&["--format", "jsonl", fifo_arg], Stdio::null());
    // Opening for writing waits until logleaks opens it for reading.
    let mut writer = std::fs::OpenOptions::new()
        .write(true)
        .open(&fifo)
        .expect("the FIFO opens");
    writer.write_all(&first).unwrap();
    writer.write_all(b"\n").unwrap();
    let got = finding(&live.next_line("the first finding"));
    assert_eq!(s(&got, "rule"), "password-param");
    writer.write_all(&second).unwrap();
    writer.write_all(b"\n").unwrap();
    drop(writer);
    let (rest, code) = live.finish();
    assert_eq!(rest.len(), 1, "{rest:?}");
    assert_eq!(code, 1);
}

/// The fixture line with an AWS access key id, cut in the middle of the key: the start of the
/// key alone is no credential, so a line written before its end came would leak it.
fn line_with_key_cut() -> (Vec<u8>, Vec<u8>, &'static str) {
    let log = fixture("fixtures/apache/access_log");
    let line = line_of(&log, 13).to_vec();
    let key = "AKIAEOZZIUC6ST35UEM5";
    let at = find(&line, key.as_bytes()).expect("the fixture holds the key") + 8;
    (line[..at].to_vec(), line[at..].to_vec(), key)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[test]
fn redact_writes_each_masked_line_before_the_next_input_line_comes() {
    let (first, second) = two_leaking_lines();
    let mut live = Live::command("redact", &["-"], Stdio::piped());
    live.write(&first);
    let got = live.next_line("the first masked line");
    assert!(got.contains("pwd=REDACTED "), "{got}");
    assert!(!got.contains("ssw0rd"), "{got}");
    live.write(&second);
    let (rest, code) = live.finish();
    assert_eq!(rest.len(), 1, "{rest:?}");
    assert!(rest[0].contains("key=REDACTED"), "{rest:?}");
    assert_eq!(code, 0);
}

#[test]
fn redact_writes_a_line_only_once_all_of_it_came_and_is_masked() {
    let (first, _) = two_leaking_lines();
    let (start, end, key) = line_with_key_cut();
    let mut live = Live::command("redact", &["-"], Stdio::piped());
    // A whole line and the start of the next in one write: when the first comes out masked,
    // logleaks has read the start of the second too.
    live.write_bytes(&[&first[..], b"\n", &start[..]].concat());
    let got = live.next_line("the first masked line");
    assert!(got.contains("pwd=REDACTED "), "{got}");
    live.write(&end);
    let got = live.next_line("the second line, once its end came");
    assert!(got.contains("AWSAccessKeyId=REDACTED&"), "{got}");
    assert!(
        !got.contains(&key[..8]),
        "the start of the key was written: {got}"
    );
    let (rest, code) = live.finish();
    assert!(rest.is_empty(), "{rest:?}");
    assert_eq!(code, 0);
}

#[cfg(unix)]
#[test]
fn redact_killed_mid_line_writes_nothing_of_that_line() {
    let (first, _) = two_leaking_lines();
    let (start, _, key) = line_with_key_cut();
    let mut live = Live::command("redact", &["-"], Stdio::piped());
    live.write_bytes(&[&first[..], b"\n", &start[..]].concat());
    let got = live.next_line("the first masked line");
    assert!(got.contains("pwd=REDACTED "), "{got}");
    // SIGKILL: no chance to write anything more.
    live.child.kill().expect("logleaks is killed");
    let (rest, _) = live.finish();
    let rest = rest.join("\n");
    assert!(
        !rest.contains(&key[..8]),
        "a piece of the key got out: {rest}"
    );
    assert!(rest.is_empty(), "{rest}");
}

#[test]
fn scan_reports_a_line_whose_writer_paused_in_the_next_one() {
    let (first, _) = two_leaking_lines();
    let (start, end, _) = line_with_key_cut();
    let mut live = Live::start(&["--format", "jsonl"], Stdio::piped());
    live.write_bytes(&[&first[..], b"\n", &start[..]].concat());
    let got = finding(&live.next_line("the finding of the whole line"));
    assert_eq!(s(&got, "rule"), "password-param");
    live.write(&end);
    let got = finding(&live.next_line("the finding of the line once its end came"));
    assert_eq!(s(&got, "rule"), "aws-access-key-id");
    assert_eq!(n(&got, "line"), 2);
}

#[test]
fn redact_line_buffered_writes_each_masked_line_into_a_file_at_once() {
    let dir = tempdir();
    let out_path = dir.path().join("clean.log");
    let out = std::fs::File::create(&out_path).unwrap();
    let (first, second) = two_leaking_lines();
    let mut child = Command::new(env!("CARGO_BIN_EXE_logleaks"))
        .current_dir(root())
        .args(["redact", "--line-buffered", "-"])
        .stdin(Stdio::piped())
        .stdout(out)
        .stderr(Stdio::null())
        .spawn()
        .expect("logleaks starts");
    let mut stdin = child.stdin.take().expect("piped stdin");
    stdin.write_all(&[&first[..], b"\n"].concat()).unwrap();
    stdin.flush().unwrap();
    let waited = std::time::Instant::now();
    let content = loop {
        let content = std::fs::read_to_string(&out_path).unwrap_or_default();
        if content.ends_with('\n') || waited.elapsed() > PATIENCE {
            break content;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(
        content.contains("pwd=REDACTED "),
        "before more input: {content:?}"
    );
    assert_eq!(content.lines().count(), 1, "{content:?}");
    stdin.write_all(&[&second[..], b"\n"].concat()).unwrap();
    drop(stdin);
    assert!(child.wait().expect("logleaks ends").success());
    let content = std::fs::read_to_string(&out_path).unwrap();
    assert_eq!(content.lines().count(), 2, "{content}");
    assert!(content.contains("key=REDACTED"), "{content}");
}
