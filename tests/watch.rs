//! `scan --watch`: findings come as lines are written, across both kinds of rotation, new files
//! and deleted ones, and SIGTERM ends the watch with the closing summary. Tested by order: each
//! finding is read before the next line is written (a generous timeout only turns a hang into
//! a failure); latency is measured by `scripts/watch-latency.sh`, not here.
//!
//! The test with a real nginx is `#[ignore]`d: `.ci/run` runs it with `LOGLEAKS_NGINX` set to
//! the nginx binary.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

use common::*;
use serde_json::Value;

/// How long to wait for a finding logleaks should write.
const PATIENCE: Duration = Duration::from_secs(60);

/// A running `logleaks scan --watch --format jsonl --show-secrets`.
struct Watch {
    child: Child,
    findings: Receiver<Value>,
    stderr: Receiver<String>,
}

impl Watch {
    fn start(args: &[&std::ffi::OsStr], envs: &[(&str, &str)]) -> Watch {
        let mut child = Command::new(env!("CARGO_BIN_EXE_logleaks"))
            .current_dir(root())
            .env_remove("LOGLEAKS_FINGERPRINT_KEY")
            .envs(envs.iter().copied())
            .args(["scan", "--watch", "--format", "jsonl", "--show-secrets"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("logleaks starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let (sender, findings) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { return };
                let finding = serde_json::from_str(&line).expect("one JSON object per line");
                if sender.send(finding).is_err() {
                    return;
                }
            }
        });
        let stderr = child.stderr.take().expect("piped stderr");
        let (sender, errors) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { return };
                if sender.send(line).is_err() {
                    return;
                }
            }
        });
        Watch {
            child,
            findings,
            stderr: errors,
        }
    }

    /// The next finding, whole.
    fn next_finding(&self, waiting_for: &str) -> Value {
        self.findings
            .recv_timeout(PATIENCE)
            .unwrap_or_else(|_| panic!("no finding for {waiting_for}"))
    }

    /// The next finding: (file name, line, secret).
    fn next(&self, waiting_for: &str) -> (String, u64, String) {
        let f = self.next_finding(waiting_for);
        let file = Path::new(s(&f, "file"))
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        (file, n(&f, "line"), s(&f, "secret").to_string())
    }

    /// Sends `signal` and waits for the end: exit code and stderr.
    fn stop(mut self, signal: i32) -> (i32, String) {
        // SAFETY: a signal to our own child process.
        unsafe { libc::kill(self.child.id() as i32, signal) };
        let status = self.child.wait().expect("logleaks ends");
        let mut stderr = String::new();
        while let Ok(line) = self.stderr.recv_timeout(Duration::from_secs(5)) {
            stderr.push_str(&line);
            stderr.push('\n');
        }
        assert!(
            self.findings.try_recv().is_err(),
            "no finding is left unread"
        );
        (status.code().unwrap_or(-1), stderr)
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn found(file: &str, line: u64, n: u32) -> (String, u64, String) {
    (file.to_string(), line, numbered_secret(n))
}

/// Appends, both rotation styles, a new file and a deleted one, watching `dir`.
fn follow_through_rotations(dir: &Path, watch: &Watch) {
    let log = dir.join("access.log");
    assert_eq!(watch.next("the initial scan"), found("access.log", 1, 1));
    append(&log, &leak_line(2));
    assert_eq!(watch.next("an appended line"), found("access.log", 2, 2));
    // A line written in two parts is reported once it is complete.
    let line = leak_line(3);
    let (start, end) = line.split_at(60);
    append(&log, start);
    std::thread::sleep(Duration::from_millis(300));
    append(&log, end);
    assert_eq!(watch.next("a line completed"), found("access.log", 3, 3));

    // Rename and create: the server writes to the renamed file until it reopens its log.
    std::fs::rename(&log, dir.join("access.log.1")).unwrap();
    append(&dir.join("access.log.1"), &leak_line(4));
    append(&log, &leak_line(5));
    let mut after_rename = vec![watch.next("the rotated file"), watch.next("the new file")];
    after_rename.sort();
    assert_eq!(
        after_rename,
        [found("access.log", 1, 5), found("access.log", 4, 4)],
        "the renamed file's last line under the name it was followed by, the new file's first"
    );
    append(&log, &leak_line(6));
    assert_eq!(watch.next("the new file"), found("access.log", 2, 6));

    // copytruncate: emptied in place, written again from the start.
    truncate(&log);
    append(&log, &leak_line(7));
    assert_eq!(watch.next("the truncated file"), found("access.log", 1, 7));

    // A new file under the watched directory; a deleted one is let go.
    append(&dir.join("error.log"), &leak_line(8));
    assert_eq!(watch.next("a new file"), found("error.log", 1, 8));
    std::fs::remove_file(dir.join("access.log.1")).unwrap();
    append(&log, &leak_line(9));
    assert_eq!(watch.next("after a deletion"), found("access.log", 2, 9));
}

#[test]
fn findings_come_as_lines_are_written_across_rotations_until_sigterm() {
    let dir = tempdir();
    append(&dir.path().join("access.log"), &leak_line(1));
    let watch = Watch::start(&[dir.path().as_os_str()], &[]);
    follow_through_rotations(dir.path(), &watch);
    let (code, stderr) = watch.stop(libc::SIGTERM);
    assert_eq!(code, 1, "findings were reported: {stderr}");
    assert!(
        stderr.contains("logleaks: 9 findings"),
        "the closing summary counts every finding once: {stderr}"
    );
}

#[test]
fn polling_alone_follows_the_same_way() {
    let dir = tempdir();
    append(&dir.path().join("access.log"), &leak_line(1));
    let watch = Watch::start(
        &[
            dir.path().as_os_str(),
            "--poll-interval".as_ref(),
            "100ms".as_ref(),
        ],
        &[("LOGLEAKS_WATCH_POLL_ONLY", "1")],
    );
    follow_through_rotations(dir.path(), &watch);
    let (code, stderr) = watch.stop(libc::SIGINT);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("polling every"), "{stderr}");
    assert!(stderr.contains("logleaks: 9 findings"), "{stderr}");
}

#[test]
fn a_watch_with_a_state_file_goes_on_where_the_last_one_stopped() {
    let dir = tempdir();
    let logs = dir.path().join("logs");
    let state = dir.path().join("state.json");
    std::fs::create_dir(&logs).unwrap();
    append(&logs.join("access.log"), &leak_line(1));
    let args = [logs.as_os_str(), "--state".as_ref(), state.as_os_str()];
    let watch = Watch::start(&args, &[]);
    assert_eq!(watch.next("the initial scan"), found("access.log", 1, 1));
    append(&logs.join("access.log"), &leak_line(2));
    assert_eq!(watch.next("an appended line"), found("access.log", 2, 2));
    let (code, _) = watch.stop(libc::SIGINT);
    assert_eq!(code, 1);
    // Written while nothing watched.
    append(&logs.join("access.log"), &leak_line(3));
    let watch = Watch::start(&args, &[]);
    assert_eq!(
        watch.next("the line written meanwhile"),
        found("access.log", 3, 3)
    );
    let (code, stderr) = watch.stop(libc::SIGTERM);
    assert_eq!(code, 1);
    assert!(stderr.contains("logleaks: 1 finding "), "{stderr}");
}

/// An IIS log's `#Fields:` line tells where each value is: it holds for the lines appended
/// after it, and the new file of a rotation is read with its own.
#[test]
fn iis_fields_hold_across_appends_and_are_read_again_after_rotation() {
    let dir = tempdir();
    let log = dir.path().join("u_ex261205.log");
    let head = |fields: &str| {
        format!("#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n#Date: 2026-12-05 10:00:00\n#Fields: {fields}\n")
    };
    let query_fourth = "date time s-ip cs-uri-query cs-method cs-uri-stem c-ip sc-status";
    let row = |n: u32, client: &str| {
        format!(
            "2026-12-05 10:00:0{n} 10.0.0.5 api_key={} GET /api/export {client} 200\n",
            numbered_secret(n)
        )
    };
    append(&log, &(head(query_fourth) + &row(1, "203.0.113.1")));
    let watch = Watch::start(&[dir.path().as_os_str()], &[]);
    let iis = |f: &Value, line: u64, secret: u32, client: &str| {
        assert_eq!(s(f, "format"), "iis", "{f}");
        assert_eq!(s(f, "field"), "request.query", "{f}");
        assert_eq!(s(f, "client"), client, "{f}");
        assert_eq!(n(f, "line"), line, "{f}");
        assert_eq!(s(f, "secret"), numbered_secret(secret), "{f}");
    };
    iis(&watch.next_finding("the initial scan"), 5, 1, "203.0.113.1");
    append(&log, &row(2, "203.0.113.2"));
    iis(&watch.next_finding("an appended row"), 6, 2, "203.0.113.2");

    // Rotation: the new file names its columns in another order.
    std::fs::rename(&log, dir.path().join("u_ex261205.log.1")).unwrap();
    let query_last = "date time c-ip s-ip cs-method cs-uri-stem sc-status cs-uri-query";
    let moved = |n: u32, client: &str| {
        format!(
            "2026-12-05 11:00:0{n} {client} 10.0.0.5 GET /api/export 200 api_key={}\n",
            numbered_secret(n)
        )
    };
    append(&log, &(head(query_last) + &moved(3, "203.0.113.3")));
    iis(&watch.next_finding("the new file"), 5, 3, "203.0.113.3");
    append(&log, &moved(4, "203.0.113.4"));
    iis(
        &watch.next_finding("a row appended to it"),
        6,
        4,
        "203.0.113.4",
    );
    let (code, stderr) = watch.stop(libc::SIGTERM);
    assert_eq!(code, 1, "{stderr}");
}

/// `--since` narrows what is already there; lines written while watching are reported.
#[test]
fn since_applies_to_the_lines_already_there() {
    let dir = tempdir();
    let log = dir.path().join("access.log");
    let line_at = |time: jiff::Timestamp, n: u32| {
        let stamp = time.strftime("%d/%b/%Y:%H:%M:%S +0000");
        format!(
            "203.0.113.7 - - [{stamp}] \"GET /v1/orders?api_key={} HTTP/1.1\" 200 512 \"-\" \"curl/8.5.0\"\n",
            numbered_secret(n)
        )
    };
    let now = jiff::Timestamp::now();
    let days_ago = |days: i64| {
        now.checked_sub(jiff::SignedDuration::from_hours(24 * days))
            .unwrap()
    };
    append(&log, &line_at(days_ago(3), 1));
    append(&log, &line_at(now, 2));
    let watch = Watch::start(&[log.as_os_str(), "--since".as_ref(), "1d".as_ref()], &[]);
    assert_eq!(watch.next("the recent line"), found("access.log", 2, 2));
    append(&log, &line_at(now, 3));
    assert_eq!(watch.next("a line written now"), found("access.log", 3, 3));
    let (code, stderr) = watch.stop(libc::SIGTERM);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("logleaks: 2 findings"), "{stderr}");
}

/// Expiry facts are judged against the start of the watch, or with `--now live` against the
/// clock when each finding is reported: a token that expires while logleaks watches is still
/// valid at the start, and expired by then.
#[test]
fn now_is_the_start_unless_live_asks_for_the_clock() {
    use base64::Engine;
    let b64 = |text: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text);
    let expires = jiff::Timestamp::now().as_second() + 3;
    let jwt = format!(
        "{}.{}.c2lnbmF0dXJlc2lnbmF0dXJl",
        b64(r#"{"alg":"RS256","typ":"JWT"}"#),
        b64(&format!(
            r#"{{"iss":"https://auth.example","sub":"42","exp":{expires}}}"#
        ))
    );
    let line = format!("{}\n", combined_line(&format!("/api?access_token={jwt}")));
    let mut expired = Vec::new();
    for now in [None, Some("live")] {
        let dir = tempdir();
        let log = dir.path().join("access.log");
        append(&log, "");
        let mut args: Vec<&std::ffi::OsStr> = vec![log.as_os_str()];
        if let Some(now) = now {
            args.extend([std::ffi::OsStr::new("--now"), std::ffi::OsStr::new(now)]);
        }
        let watch = Watch::start(&args, &[]);
        // Written once the token has expired.
        while jiff::Timestamp::now().as_second() <= expires {
            std::thread::sleep(Duration::from_millis(200));
        }
        append(&log, &line);
        let finding = watch.next_finding("the token");
        assert_eq!(s(&finding, "rule"), "jwt", "{finding}");
        expired.push(finding["details"]["expired_now"].clone());
        watch.stop(libc::SIGTERM);
    }
    assert_eq!(expired, [Value::Bool(false), Value::Bool(true)]);
}

#[test]
fn watch_refuses_outputs_written_at_the_end_and_standard_input() {
    let dir = tempdir();
    let log = write(dir.path(), "access.log", leak_line(1));
    for format in ["json", "sarif", "summary"] {
        let run = scan([
            "--watch".as_ref(),
            "--format".as_ref(),
            format.as_ref(),
            log.as_os_str(),
        ]);
        run.assert_code(2);
        assert!(
            run.stderr.contains("--watch") && run.stderr.contains("table or jsonl"),
            "{}",
            run.stderr
        );
        assert!(run.stdout.is_empty());
    }
    let run = scan(["--watch", "-"]);
    run.assert_code(2);
    assert!(run.stderr.contains("standard input"), "{}", run.stderr);
    let run = scan(["--poll-interval".as_ref(), "1s".as_ref(), log.as_os_str()]);
    run.assert_code(2);
}

/// A real nginx on 127.0.0.1 writes its access log while `scan --watch` follows it; rotation
/// is `mv` then `nginx -s reopen`, as logrotate's `create` does.
#[test]
#[ignore = "needs nginx: LOGLEAKS_NGINX=/usr/sbin/nginx cargo test --test watch -- --ignored"]
fn a_real_nginx_log_is_followed_across_reopen() {
    let nginx = PathBuf::from(
        std::env::var_os("LOGLEAKS_NGINX").expect("LOGLEAKS_NGINX names the nginx binary"),
    );
    let dir = tempdir();
    let prefix = dir.path();
    let logs = prefix.join("logs");
    std::fs::create_dir(&logs).unwrap();
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let conf = prefix.join("nginx.conf");
    std::fs::write(
        &conf,
        format!(
            "daemon off;\nmaster_process off;\nworker_processes 1;\npid {pid};\nerror_log {err} info;\nevents {{ worker_connections 64; }}\nhttp {{\n  access_log {log} combined;\n  client_body_temp_path {tmp};\n  proxy_temp_path {tmp};\n  fastcgi_temp_path {tmp};\n  uwsgi_temp_path {tmp};\n  scgi_temp_path {tmp};\n  server {{\n    listen 127.0.0.1:{port};\n    location / {{ return 204; }}\n  }}\n}}\n",
            pid = prefix.join("nginx.pid").display(),
            err = logs.join("error.log").display(),
            log = logs.join("access.log").display(),
            tmp = prefix.display(),
        ),
    )
    .unwrap();
    let nginx_cmd = |extra: &[&str]| {
        let mut cmd = Command::new(&nginx);
        cmd.arg("-p").arg(prefix).arg("-c").arg(&conf).args(extra);
        cmd
    };
    let server = nginx_cmd(&[])
        .stderr(Stdio::null())
        .spawn()
        .expect("nginx starts");
    struct Stop(Child);
    impl Drop for Stop {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let server = Stop(server);
    let request = |n: u32| {
        // Retried while nginx starts.
        for _ in 0..100 {
            if let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) {
                let text = format!(
                    "GET /v1/orders?api_key={} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                    numbered_secret(n)
                );
                stream.write_all(text.as_bytes()).unwrap();
                let mut answer = String::new();
                let _ = std::io::Read::read_to_string(&mut stream, &mut answer);
                assert!(answer.starts_with("HTTP/1.1 204"), "{answer}");
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("nginx does not answer on port {port}");
    };
    request(1);
    let watch = Watch::start(&[logs.as_os_str()], &[]);
    assert_eq!(watch.next("the first request").2, numbered_secret(1));
    request(2);
    assert_eq!(watch.next("the second request"), found("access.log", 2, 2));
    std::fs::rename(logs.join("access.log"), logs.join("access.log.1")).unwrap();
    request(3); // still written to the renamed file
    let reopened = nginx_cmd(&["-s", "reopen"])
        .status()
        .expect("nginx -s reopen");
    assert!(reopened.success());
    // nginx reopens asynchronously: wait for the new log before the next request.
    for _ in 0..100 {
        if logs.join("access.log").exists() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let third = watch.next("the request logged to the renamed file");
    assert_eq!((third.1, third.2), (3, numbered_secret(3)));
    request(4);
    assert_eq!(
        watch.next("the request after reopen"),
        found("access.log", 1, 4)
    );
    let (code, stderr) = watch.stop(libc::SIGTERM);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("logleaks: 4 findings"), "{stderr}");
    drop(server);
}

/// At-least-once: a watch with `--state` killed with SIGKILL after its state was committed, and
/// a run after it, report every leak, and repeat nothing that came before the commit.
#[test]
fn a_run_killed_after_a_commit_skips_nothing_and_repeats_nothing_before_it() {
    let dir = tempdir();
    let logs = dir.path().join("logs");
    std::fs::create_dir(&logs).unwrap();
    let log = logs.join("access.log");
    let state = dir.path().join("state.json");
    append(&log, &leak_line(1));
    let watch = Watch::start(
        &[logs.as_os_str(), "--state".as_ref(), state.as_os_str()],
        &[],
    );
    assert_eq!(watch.next("the initial scan"), found("access.log", 1, 1));
    append(&log, &leak_line(2));
    assert_eq!(watch.next("an appended line"), found("access.log", 2, 2));
    // Wait for the commit that covers both lines (at least every second, and after each pass).
    let size = std::fs::metadata(&log).unwrap().len();
    let committed = (0..600).any(|_| {
        let offset = std::fs::read(&state)
            .ok()
            .and_then(|text| serde_json::from_slice::<Value>(&text).ok())
            .and_then(|json| json["files"][0]["offset"].as_u64());
        if offset == Some(size) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
        false
    });
    assert!(committed, "the state file records both lines");
    let (code, _) = watch.stop(libc::SIGKILL);
    assert_eq!(code, -1, "killed");
    append(&log, &leak_line(3));
    let run = scan_shown(["--state".as_ref(), state.as_os_str(), logs.as_os_str()]);
    let found: Vec<(u64, String)> = run
        .findings()
        .iter()
        .map(|f| (n(f, "line"), s(f, "secret").to_string()))
        .collect();
    assert_eq!(found, [(3, numbered_secret(3))], "{}", run.stderr);
}
