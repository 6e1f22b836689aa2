//! Shared helpers of the end-to-end tests: run the real `logleaks` binary, parse its JSON Lines
//! output, and the answer key of the planted credentials in `fixtures/` (see `fixtures/README.md`).
//!
//! Every test file compiles this module on its own and uses only part of it.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::Engine;
use serde_json::Value;

/// The fixture files, in the order a walk of `fixtures/` visits them.
pub const FIXTURE_FILES: &[&str] = &[
    "fixtures/apache/access_common.log",
    "fixtures/apache/access_log",
    "fixtures/apache/other_vhosts_access.log",
    "fixtures/nginx/access.log",
];

/// One credential planted in a fixture, as logleaks should report it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Planted {
    /// The fixture, relative to the crate root.
    pub file: &'static str,
    /// 1-based line.
    pub line: u64,
    /// 1-based byte column of the credential's first raw byte.
    pub column: u64,
    /// The rule that must report it.
    pub rule: &'static str,
    /// Where in the record it is.
    pub field: &'static str,
    /// The innermost parameter holding it.
    pub param: Option<&'static str>,
    /// The exact decoded credential (random, never issued by anyone).
    pub secret: &'static str,
}

/// Every planted credential, in the order of the table in `fixtures/README.md` (use
/// [`planted_in`] or [`planted_in_walk_order`] for the order of a scan).
pub const PLANTED: &[Planted] = &[
    Planted {
        file: "fixtures/nginx/access.log",
        line: 5,
        column: 75,
        rule: "google-api-key",
        field: "request.query",
        param: Some("key"),
        secret: "AIza5HEv6X_8SBCOZf96gLcblN2TaD0QOJGJOFe",
    },
    Planted {
        file: "fixtures/nginx/access.log",
        line: 9,
        column: 106,
        rule: "aws-access-key-id",
        field: "request.query",
        param: Some("aws_access_key_id"),
        secret: "AKIAIDNQMZEWEV2OLSZE",
    },
    Planted {
        file: "fixtures/nginx/access.log",
        line: 9,
        column: 149,
        rule: "aws-secret-access-key",
        field: "request.query",
        param: Some("aws_secret_access_key"),
        secret: "fhBz+aKgNcfHW0DeguTRT4RB5lG7/8RmxCc2OhDo",
    },
    Planted {
        file: "fixtures/nginx/access.log",
        line: 16,
        column: 138,
        rule: "github-pat",
        field: "request.query",
        param: Some("github_token"),
        secret: "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",
    },
    Planted {
        file: "fixtures/nginx/access.log",
        line: 20,
        column: 162,
        rule: "gitlab-pat",
        field: "referer",
        param: Some("private_token"),
        secret: "glpat-6Buw2XFlHSlvzEyOH4Q4",
    },
    Planted {
        file: "fixtures/nginx/access.log",
        line: 21,
        column: 58,
        rule: "github-fine-grained-pat",
        field: "request.path",
        param: None,
        secret: "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",
    },
    Planted {
        file: "fixtures/nginx/access.log",
        line: 22,
        column: 137,
        rule: "jwt",
        field: "request.query",
        param: Some("access_token"),
        secret: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyXzg0MjEiLCJpYXQiOjE3NjQyMjY4MDAsImV4cCI6MTc2NDIzMDQwMH0.JulYFpdP2rDzAd-fbkQ5_rRrq3kO0xvlTMtQBAwojrk",
    },
    Planted {
        file: "fixtures/nginx/access.log",
        line: 24,
        column: 83,
        rule: "slack-webhook",
        field: "request.query",
        param: Some("url"),
        secret: "hooks.slack.com/services/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",
    },
    Planted {
        file: "fixtures/nginx/access.log",
        line: 25,
        column: 84,
        rule: "password-param",
        field: "request.query",
        param: Some("passwd"),
        secret: "Blue Harbor Lantern 77",
    },
    Planted {
        file: "fixtures/nginx/access.log",
        line: 27,
        column: 94,
        rule: "generic-credential-param",
        field: "request.query",
        param: Some("api_key"),
        secret: "f91b83a50bfee4ad5285a7e99c14539e",
    },
    Planted {
        file: "fixtures/nginx/access.log",
        line: 28,
        column: 84,
        rule: "slack-token",
        field: "request.query",
        param: Some("token"),
        secret: "xoxb-65679506224-4959730067919-aiH7zjQNaB0Hav4SntxEtj4h",
    },
    Planted {
        file: "fixtures/nginx/access.log",
        line: 29,
        column: 91,
        rule: "slack-token",
        field: "request.query",
        param: Some("token"),
        secret: "xoxb-66766435956-7099313832267-FrhVd4Gta3tjeUkFU0oyNvg8",
    },
    Planted {
        file: "fixtures/nginx/access.log",
        line: 31,
        column: 103,
        rule: "stripe-secret-key",
        field: "request.query",
        param: Some("stripe_secret"),
        secret: "sk_live_qvYIKCdeMqpnDeWpLlLHwxXh",
    },
    Planted {
        file: "fixtures/nginx/access.log",
        line: 32,
        column: 75,
        rule: "stripe-restricted-key",
        field: "request.query",
        param: Some("api_key"),
        secret: "rk_live_FVrT9YiQ9C54cSpm8VwjBf0h",
    },
    Planted {
        file: "fixtures/nginx/access.log",
        line: 33,
        column: 89,
        rule: "stripe-test-key",
        field: "request.query",
        param: Some("stripe_key"),
        secret: "sk_test_8ymXNh1sZvVG3fVku6jWEzdl",
    },
    Planted {
        file: "fixtures/nginx/access.log",
        line: 34,
        column: 82,
        rule: "stripe-secret-key",
        field: "request.query",
        param: Some("stripe_key"),
        secret: "sk_live_Fgu951UJ6PNXyxRveOVUegAW",
    },
    Planted {
        file: "fixtures/nginx/access.log",
        line: 35,
        column: 88,
        rule: "jwt",
        field: "request.query",
        param: Some("authorization"),
        secret: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdmMtcmVwb3J0aW5nIiwiaWF0IjoxNzY0MjMwNDAwLCJleHAiOjE3NjQyMzQwMDB9.lCoirKDPrCulncySxdKmM0GJ2eZXHZqir8EVvT_gzCm",
    },
    Planted {
        file: "fixtures/nginx/access.log",
        line: 36,
        column: 103,
        rule: "password-param",
        field: "request.query",
        param: Some("password"),
        secret: "Summer2024!",
    },
    Planted {
        file: "fixtures/nginx/access.log",
        line: 37,
        column: 88,
        rule: "github-oauth-token",
        field: "request.query",
        param: Some("access_token"),
        secret: "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",
    },
    Planted {
        file: "fixtures/nginx/access.log",
        line: 38,
        column: 67,
        rule: "url-userinfo-password",
        field: "userinfo",
        param: None,
        secret: "mDEWrb3W5IV3b5iq",
    },
    Planted {
        file: "fixtures/apache/access_log",
        line: 3,
        column: 82,
        rule: "password-param",
        field: "request.query",
        param: Some("pwd"),
        secret: "P@ssw0rd-2025",
    },
    Planted {
        file: "fixtures/apache/access_log",
        line: 6,
        column: 91,
        rule: "slack-webhook",
        field: "referer",
        param: None,
        secret: "hooks.slack.com/services/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",
    },
    Planted {
        file: "fixtures/apache/access_log",
        line: 8,
        column: 76,
        rule: "stripe-test-key",
        field: "request.query",
        param: Some("sk"),
        secret: "sk_test_F0xbMP6RXFt5flaj2XwNRzgq",
    },
    Planted {
        file: "fixtures/apache/access_log",
        line: 10,
        column: 148,
        rule: "google-api-key",
        field: "referer",
        param: Some("key"),
        secret: "AIzarxjcyKDm7E0zIlpVxTzelxRQC_BFGSPl2lr",
    },
    Planted {
        file: "fixtures/apache/access_log",
        line: 13,
        column: 89,
        rule: "aws-access-key-id",
        field: "request.query",
        param: Some("AWSAccessKeyId"),
        secret: "AKIAEOZZIUC6ST35UEM5",
    },
    Planted {
        file: "fixtures/apache/access_log",
        line: 14,
        column: 93,
        rule: "url-userinfo-password",
        field: "userinfo",
        param: None,
        secret: "IXklV4wUfWdlVz",
    },
    Planted {
        file: "fixtures/apache/other_vhosts_access.log",
        line: 3,
        column: 102,
        rule: "gitlab-pat",
        field: "request.query",
        param: Some("private_token"),
        secret: "glpat-8VtIAgQCICFtd2rWx-61",
    },
    Planted {
        file: "fixtures/apache/other_vhosts_access.log",
        line: 5,
        column: 96,
        rule: "github-pat",
        field: "request.query",
        param: Some("token"),
        secret: "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",
    },
    Planted {
        file: "fixtures/apache/other_vhosts_access.log",
        line: 7,
        column: 100,
        rule: "generic-credential-param",
        field: "request.query",
        param: Some("key"),
        secret: "04497a87ab3a3ada13c3d814c784e846",
    },
    Planted {
        file: "fixtures/apache/access_common.log",
        line: 3,
        column: 102,
        rule: "github-pat",
        field: "request.query",
        param: Some("access_token"),
        secret: "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",
    },
    Planted {
        file: "fixtures/apache/access_common.log",
        line: 5,
        column: 81,
        rule: "jwt",
        field: "request.query",
        param: Some("access_token"),
        secret: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyXzEwMDciLCJpYXQiOjE3NjQyMzQwMDAsImV4cCI6MTc2NDIzNzYwMH0.GBgfuriYuwSrWHPHmjkoA5BrRQSNrmCYv7W9GGJLiaR",
    },
];

/// The planted credentials of one fixture file, in line and column order.
pub fn planted_in(file: &str) -> Vec<Planted> {
    let mut list: Vec<Planted> = PLANTED.iter().filter(|p| p.file == file).copied().collect();
    list.sort_by_key(|p| (p.line, p.column));
    list
}

/// Every planted credential in the order a scan of `fixtures/` reports them.
pub fn planted_in_walk_order() -> Vec<Planted> {
    FIXTURE_FILES.iter().flat_map(|f| planted_in(f)).collect()
}

/// Known provider prefixes that redaction keeps in clear.
pub const KNOWN_PREFIXES: &[&str] = &[
    "AIza",
    "AKIA",
    "ghp_",
    "gho_",
    "github_pat_",
    "glpat-",
    "xoxb-",
    "hooks.slack.com/services/",
    "sk_live_",
    "rk_live_",
    "sk_test_",
    "eyJ",
];

/// The longest known prefix `secret` starts with ("" when none).
pub fn known_prefix(secret: &[u8]) -> &'static str {
    KNOWN_PREFIXES
        .iter()
        .filter(|p| secret.starts_with(p.as_bytes()))
        .max_by_key(|p| p.len())
        .copied()
        .unwrap_or("")
}

/// The crate root: every command runs there, so that `fixtures/…` paths work.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A `logleaks` command running in the crate root, with no fingerprint key and no `NO_COLOR`
/// inherited from the environment, and a timeout so that a hang fails the test.
pub fn logleaks() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("logleaks").expect("the logleaks binary is built");
    cmd.current_dir(root())
        .env_remove("LOGLEAKS_FINGERPRINT_KEY")
        .env_remove("NO_COLOR")
        .timeout(Duration::from_secs(120));
    cmd
}

/// What one run of logleaks did.
#[derive(Debug)]
pub struct Run {
    /// Exit code (-1 when killed, e.g. by the timeout).
    pub code: i32,
    /// Standard output.
    pub stdout: Vec<u8>,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// Standard output as text (lossy).
    pub fn out(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    /// Standard output parsed as JSON Lines.
    pub fn findings(&self) -> Vec<Value> {
        parse_jsonl(&self.stdout)
    }

    /// Standard error without the closing summary line.
    pub fn error_lines(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| !is_summary_line(l))
            .collect()
    }

    /// The closing summary line on stderr.
    pub fn summary_line(&self) -> &str {
        self.stderr
            .lines()
            .rfind(|l| is_summary_line(l))
            .unwrap_or_else(|| panic!("no closing summary on stderr:\n{}", self.stderr))
    }

    /// Panics with everything there is to know when `code` is not the exit code.
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code,
            code,
            "exit code {} instead of {code}\nstderr:\n{}\nstdout:\n{}",
            self.code,
            self.stderr,
            self.out()
        );
        self
    }

    /// Panics when stderr shows a panic or a backtrace.
    pub fn assert_no_panic(&self) -> &Self {
        assert!(
            !self.stderr.contains("panicked") && !self.stderr.contains("RUST_BACKTRACE"),
            "logleaks panicked:\n{}",
            self.stderr
        );
        self
    }
}

fn is_summary_line(line: &str) -> bool {
    line.starts_with("logleaks: ") && line.contains(" finding") && line.contains(" file")
}

/// Runs a prepared command to completion.
pub fn run(cmd: &mut assert_cmd::Command) -> Run {
    let output = cmd.output().expect("logleaks runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: output.stdout,
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Runs `logleaks ARGS...` in `dir`.
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    run(logleaks().current_dir(dir).args(args))
}

/// Runs `logleaks scan ARGS...`.
pub fn scan<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    run(logleaks().arg("scan").args(args))
}

/// Runs `logleaks scan --format jsonl --show-secrets ARGS...`.
pub fn scan_shown<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    run(logleaks()
        .args(["scan", "--format", "jsonl", "--show-secrets"])
        .args(args))
}

/// Parses JSON Lines; panics on anything that is not one object per line.
pub fn parse_jsonl(bytes: &[u8]) -> Vec<Value> {
    let text = std::str::from_utf8(bytes).expect("JSON output is UTF-8");
    text.lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"));
            assert!(v.is_object(), "not an object: {l}");
            v
        })
        .collect()
}

/// The bytes of a JSON string, or of `{"bytes": "<base64>"}`.
pub fn json_bytes(v: &Value) -> Vec<u8> {
    match v {
        Value::String(s) => s.as_bytes().to_vec(),
        Value::Object(map) => {
            let b64 = map
                .get("bytes")
                .and_then(Value::as_str)
                .unwrap_or_else(|| panic!("not a {{\"bytes\": …}} object: {v}"));
            base64::engine::general_purpose::STANDARD
                .decode(b64)
                .unwrap_or_else(|e| panic!("bad base64 in {v}: {e}"))
        }
        other => panic!("neither a string nor {{\"bytes\": …}}: {other}"),
    }
}

/// A string field of a finding, panicking when it is not a string.
pub fn s<'a>(finding: &'a Value, key: &str) -> &'a str {
    finding[key]
        .as_str()
        .unwrap_or_else(|| panic!("`{key}` is not a string in {finding}"))
}

/// A number field of a finding.
pub fn n(finding: &Value, key: &str) -> u64 {
    finding[key]
        .as_u64()
        .unwrap_or_else(|| panic!("`{key}` is not a number in {finding}"))
}

/// What identifies a finding for comparisons: file, line, column, rule, field, param, secret.
pub type Key = (String, u64, u64, String, String, Option<String>, Vec<u8>);

/// The key of a reported finding.
pub fn key_of(finding: &Value) -> Key {
    (
        String::from_utf8_lossy(&json_bytes(&finding["file"])).into_owned(),
        n(finding, "line"),
        n(finding, "column"),
        s(finding, "rule").to_string(),
        s(finding, "field").to_string(),
        match &finding["param"] {
            Value::Null => None,
            p => Some(String::from_utf8_lossy(&json_bytes(p)).into_owned()),
        },
        json_bytes(&finding["secret"]),
    )
}

/// The key of a planted credential, reported under the file name `file`.
pub fn key_of_planted(p: &Planted, file: &str) -> Key {
    (
        file.to_string(),
        p.line,
        p.column,
        p.rule.to_string(),
        p.field.to_string(),
        p.param.map(str::to_string),
        p.secret.as_bytes().to_vec(),
    )
}

/// Compares reported findings with the expected ones, in order, and panics with a readable
/// difference: what is missing and what was not expected.
pub fn assert_same_findings(got: &[Value], expected: &[Key], context: &str) {
    let got_keys: Vec<Key> = got.iter().map(key_of).collect();
    if got_keys == expected {
        return;
    }
    let show = |k: &Key| {
        format!(
            "{}:{}:{} {} {}[{}] {:?}",
            k.0,
            k.1,
            k.2,
            k.3,
            k.4,
            k.5.as_deref().unwrap_or("-"),
            String::from_utf8_lossy(&k.6)
        )
    };
    let missing: Vec<String> = expected
        .iter()
        .filter(|k| !got_keys.contains(k))
        .map(show)
        .collect();
    let extra: Vec<String> = got_keys
        .iter()
        .filter(|k| !expected.contains(k))
        .map(show)
        .collect();
    panic!(
        "{context}: findings differ\n  missing (expected, not reported):\n    {}\n  unexpected (reported, not expected):\n    {}\n  order: got\n    {}",
        missing.join("\n    "),
        extra.join("\n    "),
        got_keys.iter().map(show).collect::<Vec<_>>().join("\n    ")
    );
}

/// The bytes of a fixture.
pub fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Line `line` (1-based) of some content, without its line ending.
pub fn line_of(content: &[u8], line: u64) -> &[u8] {
    let l = content
        .split(|&b| b == b'\n')
        .nth(line as usize - 1)
        .unwrap_or_else(|| panic!("no line {line}"));
    l.strip_suffix(b"\r").unwrap_or(l)
}

/// gzip of `data`, one member.
pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).expect("gzip in memory");
    enc.finish().expect("gzip in memory")
}

/// A temporary directory.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temporary directory")
}

/// Writes `content` to `dir/name` (creating parent directories) and returns the path.
pub fn write(dir: &Path, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create directories");
    }
    std::fs::write(&path, content).expect("write file");
    path
}

/// A combined log line whose request target is `target`.
pub fn combined_line(target: &str) -> String {
    format!(
        "203.0.113.7 - - [27/Nov/2025:10:00:00 +0100] \"GET {target} HTTP/1.1\" 200 512 \"-\" \"curl/8.5.0\""
    )
}

/// A small deterministic generator of random-looking credentials (xorshift).
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// The next number.
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// `n` characters of `alphabet`.
    pub fn string(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n)
            .map(|_| alphabet[(self.next() % alphabet.len() as u64) as usize] as char)
            .collect()
    }

    /// A Stripe live secret key.
    pub fn stripe_key(&mut self) -> String {
        format!("sk_live_{}", self.string(BASE62, 24))
    }

    /// An AWS access key id.
    pub fn aws_key_id(&mut self) -> String {
        format!(
            "AKIA{}",
            self.string(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)
        )
    }

    /// 32 lowercase hex digits.
    pub fn hex32(&mut self) -> String {
        self.string(b"0123456789abcdef", 32)
    }
}

/// Base62, in the order GitHub's token checksums use.
pub const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// The rules of `logleaks rules --format json`.
pub fn rules_json() -> Vec<Value> {
    let out = run(logleaks().args(["rules", "--format", "json"]));
    out.assert_code(0);
    let v: Value = serde_json::from_slice(&out.stdout).expect("rules --format json is JSON");
    v.as_array().expect("an array").clone()
}

/// The severity of each rule id.
pub fn severity_of_rules() -> std::collections::HashMap<String, String> {
    rules_json()
        .iter()
        .map(|r| (s(r, "id").to_string(), s(r, "severity").to_string()))
        .collect()
}

/// Severity rank: low 0 … critical 3.
pub fn rank(severity: &str) -> u8 {
    match severity {
        "low" => 0,
        "medium" => 1,
        "high" => 2,
        "critical" => 3,
        other => panic!("unknown severity {other}"),
    }
}

/// Appends `text` to the file at `path`, creating it when missing (a log being written).
pub fn append(path: &Path, text: &str) {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .expect("open for append");
    file.write_all(text.as_bytes()).expect("append");
}

/// Empties the file at `path` in place, as `copytruncate` rotation does.
pub fn truncate(path: &Path) {
    std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .and_then(|f| f.set_len(0))
        .expect("truncate");
}

/// The `n`th of a family of credentials (32 hex digits ending in `n`), as in [`leak_line`].
pub fn numbered_secret(n: u32) -> String {
    format!("d4d3fd81b6ee7b3bb1c863e2{n:06}")
}

/// A combined log line, newline included, with [`numbered_secret`] `n` as its `api_key`.
pub fn leak_line(n: u32) -> String {
    format!(
        "{}\n",
        combined_line(&format!("/v1/orders?api_key={}", numbered_secret(n)))
    )
}

/// The byte offset just after the first `lines` lines of `content`.
pub fn after_lines(content: &[u8], lines: usize) -> usize {
    content
        .iter()
        .enumerate()
        .filter(|(_, &b)| b == b'\n')
        .nth(lines - 1)
        .map(|(i, _)| i + 1)
        .unwrap_or_else(|| panic!("fewer than {lines} lines"))
}

/// A custom rule of a config file (`acme-internal-key`), for tests of configs.
pub const ACME_RULE: &str = r#"[[rules]]
id = "acme-internal-key"
description = "ACME internal API key"
regex = 'acme_[0-9a-f]{32}'
kind = "api_key"
severity = "high"
examples = ["/v1/orders?key=acme_0123456789abcdef0123456789abcdef"]
"#;
