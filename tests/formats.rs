//! Every log format end to end: one fixture per format in `tests/fixtures/formats/` (synthetic
//! logs of a fictional shop with random credentials planted in the fields each format has), and
//! the findings logleaks must report for them — rule, line, field, parameter and the format the
//! line was read as — plus what carries over between lines (IIS `#Fields:`, ModSecurity
//! sections, partial container lines), which must not depend on `--threads`.
//!
//! The fixtures live under `tests/` rather than `fixtures/` because `fixtures/` is scanned whole
//! by other tests that expect exactly the credentials listed in `fixtures/README.md`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;

const DIR: &str = "tests/fixtures/formats";

/// The Apache format of `custom/access-apikey.log`.
const APACHE_FORMAT: &str =
    r#"%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %{X-Api-Key}i"#;

/// The nginx format of `custom/nginx-auth.log`.
const NGINX_FORMAT: &str = r#"$remote_addr $host [$time_local] "$request" $status "$http_authorization" "$cookie_PHPSESSID" "$request_body""#;

/// (file below `tests/fixtures/formats`, line, rule, field, param, format of the line)
type Expected = (
    &'static str,
    u64,
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static str,
);

const ALB: &str =
    "aws/alb/111122223333_elasticloadbalancing_eu-west-1_app.shop-alb_20261127T1000Z.log";
const ELB: &str =
    "aws/elb/111122223333_elasticloadbalancing_eu-west-1_shop-classic_20261127T1000Z.log";
const S3: &str = "aws/s3/2026-11-27-10-00-00-6D3A2F1E0B9C8A7D";
const CLOUDFRONT: &str = "cloudfront/E2EXAMPLE.2026-11-27-10.a1b2c3d4";

/// Every credential planted in the fixtures, as a scan with [`config`] reports it.
const EXPECTED: &[Expected] = &[
    // Apache error_log: CGI environment dumps, a referer, ModSecurity's ARGS, an echoed request.
    (
        "apache/error_log",
        2,
        "generic-credential-param",
        "request.query",
        Some("api_key"),
        "apache_error",
    ),
    (
        "apache/error_log",
        3,
        "jwt",
        "referer",
        Some("access_token"),
        "apache_error",
    ),
    (
        "apache/error_log",
        4,
        "github-oauth-token",
        "header.authorization",
        Some("authorization"),
        "apache_error",
    ),
    (
        "apache/error_log",
        5,
        "password-param",
        "request.query",
        Some("password"),
        "apache_error",
    ),
    (
        "apache/error_log",
        7,
        "github-pat",
        "request.query",
        Some("token"),
        "apache_error",
    ),
    // AWS: ALB request and redirect URL (with a Classic line in the same file), Classic ELB,
    // an S3 presigned URL (one finding: its signature), CloudFront's query column.
    (
        ALB,
        2,
        "google-api-key",
        "request.query",
        Some("key"),
        "aws_alb",
    ),
    (
        ALB,
        3,
        "jwt",
        "header.location",
        Some("access_token"),
        "aws_alb",
    ),
    (
        ELB,
        2,
        "aws-access-key-id",
        "request.query",
        Some("aws_access_key_id"),
        "aws_elb",
    ),
    (
        S3,
        2,
        "aws-presigned-url-signature",
        "request.query",
        Some("X-Amz-Signature"),
        "aws_s3",
    ),
    (
        CLOUDFRONT,
        4,
        "slack-token",
        "request.query",
        Some("slack_token"),
        "cloudfront",
    ),
    // CloudFront writes the space after a cookie's `;` as `%20`.
    (
        CLOUDFRONT,
        5,
        "php-session-id",
        "cookie",
        Some("PHPSESSID"),
        "cloudfront",
    ),
    // Custom formats (given in the config): a logged header, an nginx header, cookie and body.
    (
        "custom/access-apikey.log",
        2,
        "google-api-key",
        "header.x-api-key",
        Some("x-api-key"),
        "custom",
    ),
    (
        "custom/nginx-auth.log",
        2,
        "jwt",
        "header.authorization",
        Some("authorization"),
        "custom",
    ),
    (
        "custom/nginx-auth.log",
        2,
        "php-session-id",
        "cookie",
        Some("PHPSESSID"),
        "custom",
    ),
    (
        "custom/nginx-auth.log",
        2,
        "password-param",
        "request.body",
        Some("password"),
        "custom",
    ),
    // Docker json-file: a combined line behind JSON escapes, then a line split in two; the
    // credential is in the second part, which is text.
    (
        "docker/0a1b2c3d-json.log",
        2,
        "github-pat",
        "request.query",
        Some("token"),
        "combined",
    ),
    (
        "docker/0a1b2c3d-json.log",
        4,
        "stripe-secret-key",
        "line",
        Some("stripe_key"),
        "docker",
    ),
    (
        "envoy/access.log",
        2,
        "jwt",
        "request.query",
        Some("access_token"),
        "envoy",
    ),
    // HAProxy in syslog: a captured request header, and the request.
    (
        "haproxy/haproxy.log",
        3,
        "bearer-token",
        "header.captured",
        Some("captured"),
        "haproxy",
    ),
    (
        "haproxy/haproxy.log",
        4,
        "github-pat",
        "request.query",
        Some("private_token"),
        "haproxy",
    ),
    // IIS: query and referer columns, then cookies after the #Fields change.
    (
        "iis/u_ex261127.log",
        6,
        "generic-credential-param",
        "request.query",
        Some("apikey"),
        "iis",
    ),
    (
        "iis/u_ex261127.log",
        7,
        "jwt",
        "referer",
        Some("id_token"),
        "iis",
    ),
    (
        "iis/u_ex261127.log",
        12,
        "aspnet-session-id",
        "cookie",
        Some("ASP.NET_SessionId"),
        "iis",
    ),
    (
        "iis/u_ex261127.log",
        13,
        "github-pat",
        "cookie",
        Some("gh_token"),
        "iis",
    ),
    // JSON: headers and cookies at any depth, JSON escapes, flavours by their keys.
    (
        "json/caddy.log",
        3,
        "stripe-secret-key",
        "header.authorization",
        Some("authorization"),
        "caddy",
    ),
    (
        "json/caddy.log",
        3,
        "php-session-id",
        "cookie",
        Some("PHPSESSID"),
        "caddy",
    ),
    (
        "json/caddy.log",
        4,
        "jwt",
        "request.query",
        Some("access_token"),
        "caddy",
    ),
    (
        "json/cloudflare-logpush.json",
        2,
        "generic-credential-param",
        "referer",
        Some("reset_token"),
        "cloudflare",
    ),
    (
        "json/envoy-cri.log",
        2,
        "generic-credential-param",
        "request.query",
        Some("api_key"),
        "envoy_json",
    ),
    (
        "json/gcp-lb.jsonl",
        1,
        "google-api-key",
        "request.query",
        Some("key"),
        "gcp_lb",
    ),
    (
        "json/modsec_audit.json",
        1,
        "github-pat",
        "header.authorization",
        Some("authorization"),
        "modsecurity_json",
    ),
    (
        "json/nginx-json.log",
        2,
        "generic-credential-param",
        "header.x-api-key",
        Some("x-api-key"),
        "json",
    ),
    (
        "json/nginx-json.log",
        2,
        "password-param",
        "request.body",
        Some("password"),
        "json",
    ),
    (
        "json/traefik.json",
        2,
        "github-pat",
        "header.authorization",
        Some("authorization"),
        "traefik_json",
    ),
    // CRI: the first part of a partial line (text), and an nginx error line among access lines.
    (
        "k8s/cri-partial.log",
        2,
        "generic-credential-param",
        "line",
        Some("api_key"),
        "cri",
    ),
    (
        "k8s/cri-partial.log",
        4,
        "jwt",
        "request.query",
        Some("access_token"),
        "nginx_error",
    ),
    (
        "k8s/ingress-nginx-controller.log",
        2,
        "generic-credential-param",
        "request.query",
        Some("api_key"),
        "ingress_nginx",
    ),
    // Two formats interleaved, CR LF line ends: each line is read in its own format.
    (
        "mixed/access-and-error.log",
        2,
        "generic-credential-param",
        "request.query",
        Some("api_key"),
        "nginx_error",
    ),
    (
        "mixed/access-and-error.log",
        3,
        "generic-credential-param",
        "request.query",
        Some("session_token"),
        "combined",
    ),
    // ModSecurity serial audit log: section B headers, section C body.
    (
        "modsecurity/modsec_audit.log",
        7,
        "php-session-id",
        "cookie",
        Some("PHPSESSID"),
        "modsecurity_audit",
    ),
    (
        "modsecurity/modsec_audit.log",
        11,
        "password-param",
        "request.body",
        Some("password"),
        "modsecurity_audit",
    ),
    (
        "modsecurity/modsec_audit.log",
        27,
        "jwt",
        "header.authorization",
        Some("authorization"),
        "modsecurity_audit",
    ),
    // nginx error.log: upstream, request, and debug-level headers and args.
    (
        "nginx/error.log",
        3,
        "generic-credential-param",
        "upstream",
        Some("api_key"),
        "nginx_error",
    ),
    (
        "nginx/error.log",
        4,
        "jwt",
        "request.query",
        Some("access_token"),
        "nginx_error",
    ),
    (
        "nginx/error.log",
        5,
        "github-pat",
        "header.authorization",
        Some("authorization"),
        "nginx_error",
    ),
    (
        "nginx/error.log",
        6,
        "php-session-id",
        "cookie",
        Some("PHPSESSID"),
        "nginx_error",
    ),
    (
        "nginx/error.log",
        8,
        "stripe-secret-key",
        "request.query",
        Some("stripe_key"),
        "nginx_error",
    ),
    // Squid native, and Squid's combined with its status trailer.
    (
        "squid/access.log",
        2,
        "google-api-key",
        "request.query",
        Some("key"),
        "squid",
    ),
    (
        "squid/access.log",
        4,
        "generic-credential-param",
        "request.query",
        Some("session_token"),
        "squid",
    ),
    // Syslog: RFC 5424 around combined, RFC 3164 around nginx error.log.
    (
        "syslog/nginx-access-rfc5424.log",
        2,
        "slack-token",
        "request.query",
        Some("slack_token"),
        "combined",
    ),
    (
        "syslog/nginx-error-rfc3164.log",
        2,
        "jwt",
        "upstream",
        Some("access_token"),
        "nginx_error",
    ),
    (
        "tomcat/atlassian-jira-access.log",
        2,
        "generic-credential-param",
        "request.query",
        Some("token"),
        "tomcat",
    ),
    (
        "tomcat/localhost_access_log.2026-11-27.txt",
        2,
        "java-session-id",
        "request.path",
        Some("jsessionid"),
        "common",
    ),
    (
        "traefik/access.log",
        2,
        "github-pat",
        "request.query",
        Some("token"),
        "traefik",
    ),
    // varnishncsa reads like combined; the config names it.
    (
        "varnish/varnishncsa.log",
        2,
        "stripe-secret-key",
        "request.query",
        Some("stripe_secret"),
        "varnishncsa",
    ),
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn logleaks() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("logleaks").expect("the logleaks binary is built");
    cmd.current_dir(root())
        .env_remove("LOGLEAKS_FINGERPRINT_KEY")
        .timeout(Duration::from_secs(120));
    cmd
}

/// A config file mapping the fixtures that need it to their formats.
fn config(dir: &Path) -> PathBuf {
    let path = dir.join("formats.toml");
    let text = format!(
        "[[formats]]\nfiles = \"access-apikey.log\"\nlog_format = '{APACHE_FORMAT}'\n\n\
         [[formats]]\nfiles = [\"nginx-auth.log\"]\nlog_format = '{NGINX_FORMAT}'\n\n\
         [[formats]]\nfiles = \"**/varnish/*.log\"\nlog_type = \"varnishncsa\"\n"
    );
    std::fs::write(&path, text).expect("config written");
    path
}

/// Runs `logleaks scan --format jsonl --show-secrets` with `args`; the findings.
fn scan(args: &[&str]) -> Vec<Value> {
    let output = logleaks()
        .args([
            "scan",
            "--format",
            "jsonl",
            "--show-secrets",
            "--no-progress",
        ])
        .args(args)
        .output()
        .expect("logleaks runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "exit {:?}: {stderr}",
        output.status.code()
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    String::from_utf8(output.stdout)
        .expect("JSON Lines are UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

fn s<'a>(f: &'a Value, key: &str) -> &'a str {
    f[key].as_str().unwrap_or("")
}

/// The (file, line, rule, field, param, format) of findings, files relative to [`DIR`].
fn keys(findings: &[Value]) -> BTreeSet<(String, u64, String, String, Option<String>, String)> {
    findings
        .iter()
        .map(|f| {
            let file = s(f, "file");
            let file = file.strip_prefix(&format!("{DIR}/")).unwrap_or(file);
            (
                file.to_string(),
                f["line"].as_u64().expect("line"),
                s(f, "rule").to_string(),
                s(f, "field").to_string(),
                f["param"].as_str().map(str::to_string),
                s(f, "format").to_string(),
            )
        })
        .collect()
}

fn expected(
    filter: impl Fn(&str) -> bool,
) -> BTreeSet<(String, u64, String, String, Option<String>, String)> {
    EXPECTED
        .iter()
        .filter(|(file, ..)| filter(file))
        .map(|(file, line, rule, field, param, format)| {
            (
                file.to_string(),
                *line,
                rule.to_string(),
                field.to_string(),
                param.map(str::to_string),
                format.to_string(),
            )
        })
        .collect()
}

fn assert_same(found: &[Value], filter: impl Fn(&str) -> bool) {
    let found = keys(found);
    let expected = expected(filter);
    let missing: Vec<_> = expected.difference(&found).collect();
    let extra: Vec<_> = found.difference(&expected).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing: {missing:#?}\nnot expected: {extra:#?}"
    );
}

/// Scans the fixtures below `sub` (with the config) and checks them against [`EXPECTED`].
fn check(sub: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = config(dir.path());
    let path = format!("{DIR}/{sub}");
    let findings = scan(&["--config", config.to_str().expect("UTF-8 path"), &path]);
    assert_same(&findings, |file| file.starts_with(sub));
}

#[test]
fn error_logs() {
    check("apache/");
    check("nginx/");
}

#[test]
fn aws_load_balancer_cdn_and_s3_logs() {
    check("aws/");
    check("cloudfront/");
}

#[test]
fn iis_w3c_log_with_a_fields_change() {
    check("iis/");
}

#[test]
fn proxy_and_server_access_logs() {
    for sub in [
        "haproxy/",
        "squid/",
        "tomcat/",
        "envoy/",
        "k8s/ingress-nginx-controller.log",
        "traefik/",
        "varnish/",
    ] {
        check(sub);
    }
}

#[test]
fn json_logs() {
    check("json/");
}

#[test]
fn modsecurity_serial_audit_log() {
    check("modsecurity/");
}

#[test]
fn wrapped_lines() {
    check("syslog/");
    check("docker/");
    check("k8s/cri-partial.log");
}

#[test]
fn custom_formats_from_the_config() {
    check("custom/access-apikey.log");
    check("custom/nginx-auth.log");
}

#[test]
fn custom_formats_from_the_command_line() {
    let apache = scan(&[
        "--log-format",
        APACHE_FORMAT,
        &format!("{DIR}/custom/access-apikey.log"),
    ]);
    assert_same(&apache, |file| file == "custom/access-apikey.log");
    let nginx = scan(&[
        "--no-config",
        "--log-format",
        NGINX_FORMAT,
        &format!("{DIR}/custom/nginx-auth.log"),
    ]);
    assert_same(&nginx, |file| file == "custom/nginx-auth.log");
    // The same nginx line without its format: the credentials are still found, as text.
    let raw = scan(&["--no-config", &format!("{DIR}/custom/nginx-auth.log")]);
    assert!(raw.iter().all(|f| s(f, "field") == "line"), "{raw:?}");
    assert_eq!(raw.len(), 2, "{raw:?}");
}

// A custom format names a column `X-Api-Key`, but a line holds only the value: the scanner's
// fast path, which looks for `name=` or a provider prefix in the line, skips such a line when the
// key is opaque (here 32 hex digits). `Parser::needs_every_line` says so; the block scanner does
// not ask it yet.
#[test]
fn opaque_key_in_a_custom_header_column() {
    let found = scan(&[
        "--no-config",
        "--log-format",
        APACHE_FORMAT,
        &format!("{DIR}/custom/access-opaque-apikey.log"),
    ]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(s(&found[0], "field"), "header.x-api-key");
}

#[test]
fn the_whole_fixture_directory_at_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = config(dir.path());
    let findings = scan(&["--config", config.to_str().expect("UTF-8 path"), DIR]);
    assert_same(&findings, |file| !file.contains("opaque"));
    // Every column points at the first raw byte of its credential.
    for f in &findings {
        let content = std::fs::read(root().join(s(f, "file"))).expect("fixture readable");
        let line = content
            .split(|&b| b == b'\n')
            .nth(f["line"].as_u64().expect("line") as usize - 1)
            .expect("line exists");
        let column = f["column"].as_u64().expect("column") as usize;
        let secret = s(f, "secret").as_bytes();
        let head = &secret[..secret.len().min(8)];
        assert!(
            line[column - 1..].starts_with(head),
            "{f}: column {column} of {:?}",
            String::from_utf8_lossy(line)
        );
    }
}

#[test]
fn facts_from_each_timestamp_syntax() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = config(dir.path());
    let findings = scan(&["--config", config.to_str().expect("UTF-8 path"), DIR]);
    let fact = |file: &str, line: u64, key: &str| -> Value {
        findings
            .iter()
            .find(|f| s(f, "file").ends_with(file) && f["line"] == line)
            .unwrap_or_else(|| panic!("a finding at {file}:{line}"))[key]
            .clone()
    };
    for (file, line, timestamp) in [
        ("apache/error_log", 2, "2026-11-27T10:02:14.337120-00:00"),
        ("nginx/error.log", 3, "2026-11-27T10:02:40-00:00"),
        ("iis/u_ex261127.log", 6, "2026-11-27T10:00:09+00:00"),
        (CLOUDFRONT, 4, "2026-11-27T10:00:04+00:00"),
        (ALB, 2, "2026-11-27T10:00:02.559812+00:00"),
        ("json/caddy.log", 3, "2026-11-27T10:00:02.0311+00:00"),
        (
            "json/cloudflare-logpush.json",
            2,
            "2026-11-27T10:00:01.2+00:00",
        ),
        ("squid/access.log", 2, "2026-11-27T10:00:01.337+00:00"),
        ("haproxy/haproxy.log", 4, "2026-11-27T10:00:03.541-00:00"),
        (
            "k8s/cri-partial.log",
            2,
            "2026-11-27T10:00:01.000000001+00:00",
        ),
        ("custom/nginx-auth.log", 2, "2026-11-27T10:00:03+00:00"),
    ] {
        assert_eq!(fact(file, line, "timestamp"), timestamp, "{file}:{line}");
    }
    for (file, line, client) in [
        ("apache/error_log", 2, "198.51.100.23"),
        ("nginx/error.log", 3, "203.0.113.9"),
        ("iis/u_ex261127.log", 6, "198.51.100.50"),
        (ALB, 2, "198.51.100.71"),
        ("json/caddy.log", 3, "198.51.100.171"),
        ("json/gcp-lb.jsonl", 1, "198.51.100.210"),
        ("haproxy/haproxy.log", 4, "198.51.100.102"),
        ("envoy/access.log", 2, "198.51.100.130"),
    ] {
        assert_eq!(fact(file, line, "client"), client, "{file}:{line}");
    }
    assert_eq!(fact("json/caddy.log", 3, "status"), 201);
    assert_eq!(fact("json/caddy.log", 3, "method"), "POST");
    assert_eq!(fact("json/traefik.json", 2, "status"), 401);
    assert_eq!(fact(ALB, 3, "status"), 302);
    // A syslog timestamp has no year: only month, day and time are checked.
    let syslog = scan(&[
        "--no-config",
        &format!("{DIR}/syslog/nginx-error-rfc3164.log"),
    ]);
    assert!(
        s(&syslog[0], "timestamp").ends_with("-11-27T10:00:05-00:00"),
        "{}",
        syslog[0]
    );
}

/// Repeats the lines of a fixture `times` times into a file in `dir`.
fn repeated(dir: &Path, fixture: &str, times: usize) -> PathBuf {
    let content = std::fs::read(root().join(DIR).join(fixture)).expect("fixture readable");
    let path = dir.join(Path::new(fixture).file_name().expect("a file name"));
    let mut out = Vec::with_capacity(content.len() * times);
    for _ in 0..times {
        out.extend_from_slice(&content);
    }
    std::fs::write(&path, out).expect("written");
    path
}

#[test]
fn formats_that_carry_state_give_the_same_findings_for_any_threads() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (fixture, per_copy) in [
        ("iis/u_ex261127.log", 4),
        ("modsecurity/modsec_audit.log", 3),
        ("k8s/cri-partial.log", 2),
        ("docker/0a1b2c3d-json.log", 2),
        ("cloudfront/E2EXAMPLE.2026-11-27-10.a1b2c3d4", 2),
    ] {
        let path = repeated(dir.path(), fixture, 200);
        let path = path.to_str().expect("UTF-8 path");
        let one = scan(&["--no-config", "--threads", "1", path]);
        assert_eq!(one.len(), 200 * per_copy, "{fixture}");
        for threads in ["2", "4"] {
            let many = scan(&[
                "--no-config",
                "--threads",
                threads,
                "--segment-size",
                "4096",
                path,
            ]);
            assert_eq!(many, one, "{fixture} with {threads} threads");
        }
    }
}

#[test]
fn stateless_formats_split_across_threads_give_the_same_findings() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = repeated(dir.path(), "custom/nginx-auth.log", 500);
    let path = path.to_str().expect("UTF-8 path");
    let one = scan(&[
        "--no-config",
        "--log-format",
        NGINX_FORMAT,
        "--threads",
        "1",
        path,
    ]);
    assert_eq!(one.len(), 1500);
    assert!(one.iter().all(|f| s(f, "format") == "custom"));
    let many = scan(&[
        "--no-config",
        "--log-format",
        NGINX_FORMAT,
        "--threads",
        "4",
        "--segment-size",
        "2048",
        path,
    ]);
    assert_eq!(many, one);
}

#[test]
fn log_type_forces_a_format_and_help_lists_every_type() {
    let forced = scan(&[
        "--no-config",
        "--log-type",
        "lighttpd",
        &format!("{DIR}/varnish/varnishncsa.log"),
    ]);
    assert_eq!(forced.len(), 1);
    assert_eq!(s(&forced[0], "format"), "lighttpd");
    let help = logleaks()
        .args(["scan", "--help"])
        .output()
        .expect("logleaks runs");
    let help = String::from_utf8_lossy(&help.stdout);
    for name in logleaks::logformat::LogType::NAMES {
        assert!(help.contains(name), "{name} missing from --help");
    }
    let bad = logleaks()
        .args(["scan", "--log-type", "w3c-bogus", DIR])
        .output()
        .expect("logleaks runs");
    assert_eq!(bad.status.code(), Some(2));
    let bad = logleaks()
        .args(["scan", "--no-config", "--log-format", "%h %Z", DIR])
        .output()
        .expect("logleaks runs");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown directive `%Z`"));
}

#[test]
fn detection_survives_junk_comments_and_mixed_line_ends() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("error.log");
    let original =
        std::fs::read_to_string(root().join(DIR).join("nginx/error.log")).expect("fixture");
    let mut text =
        String::from("### rotated by logrotate\n\0\0\0\0\ngarbage that is no log line\r\n");
    for (i, line) in original.lines().enumerate() {
        text.push_str(line);
        text.push_str(if i % 2 == 0 { "\r\n" } else { "\n" });
    }
    std::fs::write(&path, text).expect("written");
    let found = scan(&["--no-config", path.to_str().expect("UTF-8 path")]);
    let lines: Vec<u64> = found
        .iter()
        .map(|f| f["line"].as_u64().expect("line"))
        .collect();
    assert_eq!(lines, [6, 7, 8, 9, 11]);
    assert!(found.iter().all(|f| s(f, "format") == "nginx_error"));
}

/// Apache's `ssl_request_log` read with the `[[formats]]` entry the README gives for it: the
/// finding has its client, time and request field, as an access log's would.
#[test]
fn ssl_request_log_is_read_with_the_readme_format_entry() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("logleaks.toml");
    std::fs::write(
        &config,
        "[[formats]]\nfiles = \"ssl_request_log*\"\nlog_format = '%t %h %{SSL_PROTOCOL}x %{SSL_CIPHER}x \"%r\" %b'\n",
    )
    .unwrap();
    let log = dir.path().join("ssl_request_log-20261205");
    std::fs::write(
        &log,
        "[05/Dec/2026:10:00:00 +0000] 203.0.113.9 TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256 \
         \"GET /v1/orders?api_key=d4d3fd81b6ee7b3bb1c863e2000001 HTTP/1.1\" 512\n",
    )
    .unwrap();
    let findings = scan(&["--config", config.to_str().unwrap(), log.to_str().unwrap()]);
    assert_eq!(findings.len(), 1, "{findings:?}");
    let f = &findings[0];
    assert_eq!(s(f, "field"), "request.query", "{f}");
    assert_eq!(s(f, "param"), "api_key", "{f}");
    assert_eq!(s(f, "client"), "203.0.113.9", "{f}");
    assert_eq!(s(f, "timestamp"), "2026-12-05T10:00:00+00:00", "{f}");
}
