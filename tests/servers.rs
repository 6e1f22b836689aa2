//! Live logs written by real servers, on 127.0.0.1 on free ports, each stopped at the end:
//! - nginx writes its access_log and error_log (an unreachable upstream puts the request line in
//!   error_log) while `scan --watch` follows them through a real `logrotate` with `create` and a
//!   reopen, then with `copytruncate`: every key is reported, each exactly once;
//! - Apache runs a CGI script that writes its `QUERY_STRING` to stderr (logged as `AH01215` in
//!   error_log): keys in both logs are reported while watching;
//! - `scan --state`: runs around real `logrotate` rotations (compressed, then copied and
//!   truncated) report each key once in total;
//! - the README's rsyslog recipe: `omprog` feeds `logleaks redact -`, its output captured by
//!   omprog's `output=` file; with logleaks killed mid-stream, no clear key reaches that file.
//!
//! Every test here is `#[ignore]`d and names its programs by environment variables, set by
//! `.ci/run` (which installs the Debian packages when missing): `LOGLEAKS_NGINX`,
//! `LOGLEAKS_APACHE2`, `LOGLEAKS_LOGROTATE`, `LOGLEAKS_RSYSLOGD` (and `curl` on the `PATH`).
//! Tested by order and arrival, with a generous timeout, never by latency.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;

/// How long to wait for something that should come.
const PATIENCE: Duration = Duration::from_secs(60);

/// The program an environment variable names.
fn program(var: &str) -> PathBuf {
    PathBuf::from(std::env::var_os(var).unwrap_or_else(|| panic!("{var} names the program")))
}

/// A TCP port nobody listens on right now.
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// Waits until something accepts connections on `port`.
fn wait_for_port(port: u16, what: &str) {
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < PATIENCE,
            "{what} does not listen on {port}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A server process, killed when dropped.
struct Stop(Child);

impl Drop for Stop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn secret(n: u32) -> String {
    format!("d4d3fd81b6ee7b3bb1c863e2{n:06}")
}

/// `curl` asking for `path` with a key in its query (`n`) and one in its referer (`n + 500`).
fn request(port: u16, path: &str, n: u32) {
    let url = format!("http://127.0.0.1:{port}{path}?api_key={}", secret(n));
    let referer = format!("https://shop.example/cart?api_key={}", secret(n + 500));
    let status = Command::new("curl")
        .args([
            "-s",
            "-o",
            "/dev/null",
            "--max-time",
            "30",
            "-e",
            &referer,
            &url,
        ])
        .status()
        .expect("curl runs");
    assert!(status.success(), "curl {url}: {status}");
}

/// Which log a finding comes from, whatever its rotated name: `access` or `error`.
fn kind_of(file: &str) -> String {
    let name = Path::new(file).file_name().unwrap().to_string_lossy();
    name.split('.').next().unwrap().to_string()
}

/// A running `logleaks scan --watch --format jsonl --show-secrets`.
struct Watch {
    child: Child,
    findings: Receiver<Value>,
    stderr: Option<std::thread::JoinHandle<String>>,
    /// Every finding so far: (log kind, secret) → the (file, line) places it was reported at.
    seen: BTreeMap<(String, String), BTreeSet<(String, u64)>>,
}

impl Watch {
    fn start(logs: &Path) -> Watch {
        let mut child = Command::new(env!("CARGO_BIN_EXE_logleaks"))
            .current_dir(root())
            .env_remove("LOGLEAKS_FINGERPRINT_KEY")
            .args([
                "scan",
                "--watch",
                "--format",
                "jsonl",
                "--show-secrets",
                "--no-config",
            ])
            .arg(logs)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("logleaks starts");
        let stderr = child.stderr.take().expect("piped stderr");
        let stderr = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = std::io::Read::read_to_string(&mut BufReader::new(stderr), &mut text);
            text
        });
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
        Watch {
            child,
            findings,
            stderr: Some(stderr),
            seen: BTreeMap::new(),
        }
    }

    fn record(&mut self, f: &Value) {
        let file = s(f, "file").to_string();
        let place = (file.clone(), n(f, "line"));
        let key = (kind_of(&file), s(f, "secret").to_string());
        self.seen.entry(key).or_default().insert(place);
    }

    /// Reads findings until each of `expected` — (log kind, key number) — has been reported.
    fn wait_for(&mut self, expected: &[(&str, u32)], after: &str) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let missing: Vec<_> = expected
                .iter()
                .filter(|(kind, n)| !self.seen.contains_key(&(kind.to_string(), secret(*n))))
                .collect();
            if missing.is_empty() {
                return;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.findings.recv_timeout(left) {
                Ok(f) => self.record(&f),
                Err(_) => panic!(
                    "after {after}, not reported: {missing:?}; seen {:?}",
                    self.seen
                ),
            }
        }
    }

    /// Ends the watch with SIGTERM and reads the findings left.
    fn stop(mut self) -> BTreeMap<(String, String), BTreeSet<(String, u64)>> {
        // SAFETY: a signal to our own child process.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let status = self.child.wait().expect("logleaks ends");
        let stderr = self.stderr.take().and_then(|t| t.join().ok());
        assert_eq!(
            status.code(),
            Some(1),
            "findings: exit 1; stderr: {stderr:?}"
        );
        while let Ok(f) = self.findings.recv_timeout(Duration::from_secs(5)) {
            self.record(&f);
        }
        std::mem::take(&mut self.seen)
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Each key reported in exactly one place.
fn assert_each_once(seen: &BTreeMap<(String, String), BTreeSet<(String, u64)>>) {
    let repeated: Vec<_> = seen.iter().filter(|(_, places)| places.len() > 1).collect();
    assert!(repeated.is_empty(), "reported more than once: {repeated:?}");
}

/// Runs `logrotate -f` with `config` (written to a file) and its own state file.
fn logrotate(dir: &Path, name: &str, config: &str) {
    let conf = dir.join(name);
    std::fs::write(&conf, config).unwrap();
    let out = Command::new(program("LOGLEAKS_LOGROTATE"))
        .arg("-f")
        .arg("-s")
        .arg(dir.join("logrotate.state"))
        .arg(&conf)
        .output()
        .expect("logrotate runs");
    assert!(
        out.status.success(),
        "logrotate {name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
#[ignore = "needs nginx, logrotate, curl: LOGLEAKS_NGINX=/usr/sbin/nginx LOGLEAKS_LOGROTATE=/usr/sbin/logrotate cargo test --test servers -- --ignored"]
fn nginx_access_and_error_logs_are_followed_through_logrotate() {
    let nginx = program("LOGLEAKS_NGINX");
    let dir = tempdir();
    let prefix = dir.path();
    let logs = prefix.join("logs");
    std::fs::create_dir(&logs).unwrap();
    let (port, closed) = (free_port(), free_port());
    let conf = prefix.join("nginx.conf");
    std::fs::write(
        &conf,
        format!(
            "daemon off;\nmaster_process off;\nworker_processes 1;\npid {pid};\nerror_log {logs}/error.log error;\nevents {{ worker_connections 64; }}\nhttp {{\n  access_log {logs}/access.log combined;\n  client_body_temp_path {tmp};\n  proxy_temp_path {tmp};\n  fastcgi_temp_path {tmp};\n  uwsgi_temp_path {tmp};\n  scgi_temp_path {tmp};\n  server {{\n    listen 127.0.0.1:{port};\n    location /api/ {{ proxy_pass http://127.0.0.1:{closed}; }}\n    location / {{ return 204; }}\n  }}\n}}\n",
            pid = prefix.join("nginx.pid").display(),
            logs = logs.display(),
            tmp = prefix.display(),
        ),
    )
    .unwrap();
    let server = Command::new(&nginx)
        .arg("-p")
        .arg(prefix)
        .arg("-c")
        .arg(&conf)
        .stderr(Stdio::null())
        .spawn()
        .expect("nginx starts");
    let server = Stop(server);
    wait_for_port(port, "nginx");

    let mut watch = Watch::start(&logs);
    // The upstream is closed: 502, and the request line and referrer (with their keys) in
    // error_log too.
    let proxied = |n: u32| {
        [
            ("access", n),
            ("access", n + 500),
            ("error", n),
            ("error", n + 500),
        ]
    };
    for n in 1..=2 {
        request(port, "/api/orders", n);
        watch.wait_for(&proxied(n), &format!("request {n}"));
    }
    request(port, "/static/app.js", 3);
    watch.wait_for(
        &[("access", 3), ("access", 503)],
        "a request to nginx itself",
    );

    // Rename and create, then reopen: what comes after goes to the new files.
    let reopen = format!(
        "{} -p {} -c {} -s reopen",
        nginx.display(),
        prefix.display(),
        conf.display()
    );
    logrotate(
        prefix,
        "create.conf",
        &format!(
            "{logs}/access.log {logs}/error.log {{\n  rotate 5\n  create\n  sharedscripts\n  postrotate\n    {reopen}\n  endscript\n}}\n",
            logs = logs.display()
        ),
    );
    assert!(logs.join("access.log.1").exists() && logs.join("error.log.1").exists());
    for n in 4..=5 {
        request(port, "/api/orders", n);
        watch.wait_for(&proxied(n), &format!("request {n}, after create"));
    }

    // Copied and truncated: nginx writes on into the same file, from its start.
    logrotate(
        prefix,
        "copytruncate.conf",
        &format!(
            "{logs}/access.log {logs}/error.log {{\n  rotate 5\n  copytruncate\n}}\n",
            logs = logs.display()
        ),
    );
    assert_eq!(std::fs::metadata(logs.join("access.log")).unwrap().len(), 0);
    for n in 6..=7 {
        request(port, "/api/orders", n);
        watch.wait_for(&proxied(n), &format!("request {n}, after copytruncate"));
    }
    let seen = watch.stop();
    drop(server);
    assert_each_once(&seen);
    let after_copy = &seen[&("access".to_string(), secret(6))];
    assert!(
        after_copy.contains(&(logs.join("access.log").display().to_string(), 1)),
        "the first line after copytruncate: {after_copy:?}"
    );
}

#[test]
#[ignore = "needs apache2 and curl: LOGLEAKS_APACHE2=/usr/sbin/apache2 cargo test --test servers -- --ignored"]
fn apache_access_log_and_cgi_stderr_in_error_log_are_followed() {
    let apache = program("LOGLEAKS_APACHE2");
    let dir = tempdir();
    let root_dir = dir.path();
    // SAFETY: geteuid has no preconditions.
    let as_root = unsafe { libc::geteuid() } == 0;
    let logs = root_dir.join("logs");
    let cgi = root_dir.join("cgi-bin");
    std::fs::create_dir(&logs).unwrap();
    std::fs::create_dir(&cgi).unwrap();
    let script = cgi.join("echo.cgi");
    std::fs::write(
        &script,
        "#!/bin/sh\necho \"$QUERY_STRING\" >&2\nprintf 'Content-Type: text/plain\\r\\n\\r\\nok\\n'\n",
    )
    .unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |m| std::fs::Permissions::from_mode(m);
        std::fs::set_permissions(&script, mode(0o755)).unwrap();
        // As root, Apache runs the script as www-data, which must reach it.
        std::fs::set_permissions(root_dir, mode(0o755)).unwrap();
        std::fs::set_permissions(&cgi, mode(0o755)).unwrap();
    }
    let port = free_port();
    let modules = Path::new("/usr/lib/apache2/modules");
    let user = if as_root {
        "User www-data\nGroup www-data\n"
    } else {
        ""
    };
    let conf = root_dir.join("apache2.conf");
    std::fs::write(
        &conf,
        format!(
            "ServerRoot {root}\nServerName localhost\nListen 127.0.0.1:{port}\nPidFile {root}/apache2.pid\nDefaultRuntimeDir {root}\n{user}\
LoadModule mpm_prefork_module {m}/mod_mpm_prefork.so\nLoadModule authz_core_module {m}/mod_authz_core.so\n\
LoadModule alias_module {m}/mod_alias.so\nLoadModule cgi_module {m}/mod_cgi.so\n\
ErrorLog {logs}/error.log\nLogLevel warn\n\
LogFormat \"%h %l %u %t \\\"%r\\\" %>s %O \\\"%{{Referer}}i\\\" \\\"%{{User-Agent}}i\\\"\" combined\n\
CustomLog {logs}/access.log combined\n\
ScriptAlias /cgi-bin/ {cgi}/\n<Directory {cgi}>\n  Require all granted\n</Directory>\n",
            root = root_dir.display(),
            m = modules.display(),
            logs = logs.display(),
            cgi = cgi.display(),
        ),
    )
    .unwrap();
    let server = Command::new(&apache)
        .arg("-d")
        .arg(root_dir)
        .arg("-f")
        .arg(&conf)
        .arg("-X")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("apache2 starts");
    let server = Stop(server);
    wait_for_port(port, "apache2");

    let mut watch = Watch::start(&logs);
    for n in 1..=3 {
        request(port, "/cgi-bin/echo.cgi", n);
        watch.wait_for(
            &[("access", n), ("access", n + 500), ("error", n)],
            &format!("CGI request {n}"),
        );
    }
    let seen = watch.stop();
    drop(server);
    assert_each_once(&seen);
    let error_log = std::fs::read_to_string(logs.join("error.log")).unwrap();
    assert!(error_log.contains("AH01215"), "{error_log}");
}

/// Appends one access line with key `n` to `log`.
fn append_leak(log: &Path, n: u32) {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .unwrap();
    let line = combined_line(&format!("/v1/orders?api_key={}", secret(n)));
    file.write_all(format!("{line}\n").as_bytes()).unwrap();
}

/// `scan --state` once: the keys found, sorted (files are read in name order: `access.log`
/// before the rotated `access.log.1`).
fn keys_found(state: &Path, logs: &Path) -> Vec<String> {
    let run = scan_shown(["--state".as_ref(), state.as_os_str(), logs.as_os_str()]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    let mut keys: Vec<String> = run
        .findings()
        .iter()
        .map(|f| s(f, "secret").to_string())
        .collect();
    keys.sort();
    keys
}

#[test]
#[ignore = "needs logrotate: LOGLEAKS_LOGROTATE=/usr/sbin/logrotate cargo test --test servers -- --ignored"]
fn state_runs_around_logrotate_report_each_key_once() {
    let dir = tempdir();
    let logs = dir.path().join("logs");
    std::fs::create_dir(&logs).unwrap();
    let log = logs.join("access.log");
    let state = dir.path().join("state.json");
    append_leak(&log, 1);
    append_leak(&log, 2);
    assert_eq!(keys_found(&state, &logs), [secret(1), secret(2)]);

    // Rotated and compressed at once (no delaycompress): the tail is in access.log.1.gz.
    append_leak(&log, 3);
    logrotate(
        dir.path(),
        "compress.conf",
        &format!(
            "{} {{\n  rotate 5\n  create\n  compress\n}}\n",
            log.display()
        ),
    );
    assert!(logs.join("access.log.1.gz").exists());
    append_leak(&log, 4);
    assert_eq!(keys_found(&state, &logs), [secret(3), secret(4)]);

    // Copied and truncated, the copy compressed on the next rotation only (as Debian's nginx
    // config does): the copy is known by its first bytes.
    append_leak(&log, 5);
    logrotate(
        dir.path(),
        "copytruncate.conf",
        &format!(
            "{} {{\n  rotate 5\n  copytruncate\n  compress\n  delaycompress\n}}\n",
            log.display()
        ),
    );
    assert!(logs.join("access.log.2.gz").exists() && logs.join("access.log.1").exists());
    append_leak(&log, 6);
    assert_eq!(keys_found(&state, &logs), [secret(5), secret(6)]);
    assert!(keys_found(&state, &logs).is_empty());
}

/// The pid of the child of `parent` whose command is `comm`, if there is one now.
fn child_named(parent: u32, comm: &str) -> Option<u32> {
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // pid (comm) state ppid ...
        let Some((head, rest)) = stat.rsplit_once(')') else {
            continue;
        };
        let name = head.split_once('(').map_or("", |(_, n)| n);
        let ppid = rest.split_whitespace().nth(1).and_then(|p| p.parse().ok());
        if name == comm && ppid == Some(parent) {
            return Some(pid);
        }
    }
    None
}

/// Lines in `file` (0 when it is not there yet).
fn lines_in(file: &Path) -> usize {
    std::fs::read(file).map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count())
}

/// Waits until `done` says so.
fn wait_until(done: impl Fn() -> bool, what: &str) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < PATIENCE, "waited in vain for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Waits until `file` holds a line with `needle`; its content.
fn wait_for_line(file: &Path, needle: &str) -> String {
    let started = Instant::now();
    loop {
        let content = std::fs::read_to_string(file).unwrap_or_default();
        if content.lines().any(|l| l.contains(needle)) {
            return content;
        }
        assert!(
            started.elapsed() < PATIENCE,
            "no line with {needle} in {}:\n{content}",
            file.display()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
#[ignore = "needs rsyslog: LOGLEAKS_RSYSLOGD=/usr/sbin/rsyslogd cargo test --test servers -- --ignored"]
fn rsyslog_omprog_recipe_writes_masked_lines_even_when_logleaks_is_killed() {
    let rsyslogd = program("LOGLEAKS_RSYSLOGD");
    let dir = tempdir();
    let work = dir.path().join("work");
    std::fs::create_dir(&work).unwrap();
    let output = dir.path().join("redacted.log");
    let port = free_port();
    let conf = dir.path().join("rsyslog.conf");
    // The README's recipe, with this build of logleaks and a TCP input of our own.
    std::fs::write(
        &conf,
        format!(
            "global(workDirectory=\"{work}\")\nmodule(load=\"imtcp\")\nmodule(load=\"omprog\")\n\
input(type=\"imtcp\" address=\"127.0.0.1\" port=\"{port}\" ruleset=\"scrub\")\n\
ruleset(name=\"scrub\") {{\n  action(type=\"omprog\"\n         binary=\"{logleaks} redact --quiet --no-config -\"\n         output=\"{output}\"\n         action.resumeRetryCount=\"-1\" action.resumeInterval=\"1\")\n}}\n",
            work = work.display(),
            logleaks = env!("CARGO_BIN_EXE_logleaks"),
            output = output.display(),
        ),
    )
    .unwrap();
    let server = Command::new(&rsyslogd)
        .arg("-n")
        .arg("-f")
        .arg(&conf)
        .arg("-i")
        .arg(dir.path().join("rsyslogd.pid"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("rsyslogd starts");
    let server = Stop(server);
    wait_for_port(port, "rsyslogd");

    // One message sent the way a host would: logger over TCP.
    let first = combined_line(&format!("/v1/orders?api_key={}", secret(1)));
    let sent = Command::new("logger")
        .args([
            "-T",
            "-n",
            "127.0.0.1",
            "-P",
            &port.to_string(),
            "-t",
            "nginx",
        ])
        .arg(&first)
        .status()
        .expect("logger runs");
    assert!(sent.success());
    let content = wait_for_line(&output, "api_key=REDACTED");
    assert!(!content.contains(&secret(1)), "{content}");
    let logleaks = child_named(server.0.id(), "logleaks").expect("omprog started logleaks");

    // A stream of messages; logleaks is killed while they flow, and omprog starts a new one.
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    let message = |n: u32| {
        let line = combined_line(&format!("/v1/orders?api_key={}", secret(n)));
        format!("<14>Dec  5 00:00:00 web01 nginx: {line}\n")
    };
    for n in 2..=100 {
        stream.write_all(message(n).as_bytes()).unwrap();
        if n == 50 {
            // Killed once the stream flows through it: lines are in flight.
            wait_until(|| lines_in(&output) >= 10, "ten lines through logleaks");
            // SAFETY: a signal to a process of ours (the child of our rsyslogd).
            unsafe { libc::kill(logleaks as i32, libc::SIGKILL) };
        }
    }
    stream.flush().unwrap();
    // omprog starts a new logleaks (what the killed one had read and not written is lost, and
    // so are the messages written into its pipe before rsyslog saw it end: never in clear).
    // It does so for the next message it has to hand on: messages keep coming.
    let started = Instant::now();
    let mut n = 101;
    while child_named(server.0.id(), "logleaks").is_none_or(|pid| pid == logleaks) {
        assert!(
            started.elapsed() < PATIENCE,
            "omprog did not start logleaks again"
        );
        stream.write_all(message(n).as_bytes()).unwrap();
        n += 1;
        std::thread::sleep(Duration::from_millis(50));
    }
    let last = format!(
        "<14>Dec  5 00:00:01 web01 nginx: GET /done?api_key={} HTTP/1.1\n",
        secret(999)
    );
    stream.write_all(last.as_bytes()).unwrap();
    wait_for_line(&output, "/done?api_key=REDACTED");
    drop(stream);
    // rsyslogd stops as a service manager stops it; logleaks sees the end of its input.
    let mut server = server;
    // SAFETY: a signal to our own child process.
    unsafe { libc::kill(server.0.id() as i32, libc::SIGTERM) };
    let _ = server.0.wait();
    let content = std::fs::read_to_string(&output).unwrap();
    assert!(
        !content.contains("d4d3fd81b6ee7b3bb1c863e2"),
        "a clear key (or the start of one) in the file rsyslog wrote:\n{content}"
    );
    let masked = content.matches("api_key=REDACTED").count();
    assert!(masked >= 3, "{content}");
    assert!(
        !content.contains("logleaks:"),
        "logleaks' own stderr in the log:\n{content}"
    );
}
