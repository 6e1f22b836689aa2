//! Real public web server logs (the shared corpus next to a development checkout): every finding
//! logleaks reports there is listed below with the reason it is right, so that a new false alarm
//! or a lost finding fails CI.
//!
//! The corpus is not part of the repository, so these tests are ignored by a plain `cargo test`;
//! `.ci/run` runs them with `--ignored` and `LOGLEAKS_CORPUS` set when the corpus exists.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

/// (file below the corpus, line, rule, param, reason)
const EXPECTED: &[(&str, u64, &str, &str, &str)] = &[
    (
        "caddy/crowdsec-caddy-coraza.log",
        1,
        "jwt",
        "access_token",
        "real Vaultwarden RS256 JWT in /notifications/hub?access_token=",
    ),
    (
        "caddy/crowdsec-caddy-coraza.log",
        2,
        "jwt",
        "access_token",
        "same JWT, next request",
    ),
    (
        "caddy/crowdsec-caddy-coraza.log",
        3,
        "jwt",
        "access_token",
        "same JWT, next request",
    ),
    (
        "caddy/crowdsec-caddy-coraza.log",
        16,
        "jwt",
        "access_token",
        "a second Vaultwarden JWT",
    ),
    (
        "caddy/crowdsec-caddy-coraza.log",
        17,
        "jwt",
        "access_token",
        "same JWT, next request",
    ),
    (
        "caddy/crowdsec-caddy-coraza.log",
        18,
        "jwt",
        "access_token",
        "same JWT, next request",
    ),
    (
        "caddy/crowdsec-caddy-coraza.log",
        19,
        "jwt",
        "access_token",
        "a third Vaultwarden JWT",
    ),
    (
        "caddy/crowdsec-caddy-coraza.log",
        41,
        "jwt",
        "access_token",
        "a fourth Vaultwarden JWT",
    ),
    (
        "caddy/crowdsec-caddy-coraza.log",
        53,
        "jwt",
        "access_token",
        "same JWT, later request",
    ),
    (
        "combined/crowdsec-zoneminder-39291.log",
        1,
        "generic-credential-param",
        "auth",
        "ZoneMinder auth= login hash: replayable until it expires",
    ),
    (
        "combined/crowdsec-zoneminder-auth.log",
        1,
        "generic-credential-param",
        "auth",
        "ZoneMinder auth= login hash",
    ),
    (
        "combined/crowdsec-zoneminder-auth.log",
        2,
        "generic-credential-param",
        "auth",
        "ZoneMinder auth= login hash",
    ),
    (
        "combined/crowdsec-zoneminder-auth.log",
        3,
        "generic-credential-param",
        "auth",
        "ZoneMinder auth= login hash",
    ),
    (
        "combined/crowdsec-zoneminder-auth.log",
        4,
        "generic-credential-param",
        "auth",
        "ZoneMinder auth= login hash",
    ),
    (
        "combined/crowdsec-zoneminder-auth.log",
        6,
        "generic-credential-param",
        "auth",
        "ZoneMinder auth= login hash",
    ),
    (
        "combined/crowdsec-zoneminder-auth.log",
        7,
        "generic-credential-param",
        "auth",
        "ZoneMinder auth= login hash",
    ),
    (
        "combined/crowdsec-zoneminder-auth.log",
        8,
        "generic-credential-param",
        "auth",
        "ZoneMinder auth= login hash",
    ),
    (
        "combined/crowdsec-zoneminder-auth.log",
        9,
        "jwt",
        "token",
        "real HS256 ZoneMinder JWT in ?token=",
    ),
    (
        "combined/crowdsec-zoneminder-auth.log",
        10,
        "generic-credential-param",
        "auth",
        "ZoneMinder auth= login hash",
    ),
    (
        "combined/crowdsec-zoneminder-auth.log",
        11,
        "jwt",
        "token",
        "same ZoneMinder JWT",
    ),
    (
        "combined/crowdsec-zoneminder-auth.log",
        12,
        "jwt",
        "token",
        "same ZoneMinder JWT",
    ),
    (
        "combined/crowdsec-zoneminder-auth.log",
        13,
        "generic-credential-param",
        "auth",
        "ZoneMinder auth= login hash",
    ),
    ("combined/elastic-examples-apache_logs.log", 4293, "session-id-param", "sid", "phpBB forum session id in a referer URL (viewtopic.php?...&sid=<32 hex>): it logs the visitor in"),
    ("combined/elastic-examples-apache_logs.log", 4304, "session-id-param", "sid", "phpBB forum session id in a referer URL (viewtopic.php?...&sid=<32 hex>): it logs the visitor in"),
    ("combined/elastic-examples-apache_logs.log", 4333, "session-id-param", "sid", "phpBB forum session id in a referer URL (viewtopic.php?...&sid=<32 hex>): it logs the visitor in"),
    ("combined/elastic-examples-apache_logs.log", 4660, "session-id-param", "sid", "phpBB forum session id in a referer URL (viewtopic.php?...&sid=<32 hex>): it logs the visitor in"),
    ("combined/elastic-examples-apache_logs.log", 6560, "session-id-param", "sid", "phpBB forum session id in a referer URL (viewtopic.php?...&sid=<32 hex>): it logs the visitor in"),
    (
        "common/hrjasn-xampp-apache-access.log",
        400,
        "generic-credential-param",
        "token",
        "phpMyAdmin session token in the query (CSRF token bound to a logged-in session)",
    ),
    (
        "common/hrjasn-xampp-apache-access.log",
        484,
        "generic-credential-param",
        "token",
        "phpMyAdmin session token",
    ),
    (
        "common/hrjasn-xampp-apache-access.log",
        504,
        "generic-credential-param",
        "token",
        "phpMyAdmin session token",
    ),
    (
        "common/hrjasn-xampp-apache-access.log",
        564,
        "generic-credential-param",
        "token",
        "phpMyAdmin session token",
    ),
    (
        "common/hrjasn-xampp-apache-access.log",
        792,
        "generic-credential-param",
        "token",
        "phpMyAdmin session token",
    ),
];

fn corpus() -> PathBuf {
    PathBuf::from(
        std::env::var_os("LOGLEAKS_CORPUS")
            .expect("set LOGLEAKS_CORPUS to the corpus directory (.ci/run does)"),
    )
}

#[test]
#[ignore = "needs the shared corpus; run by .ci/run with LOGLEAKS_CORPUS"]
fn corpus_findings_are_exactly_the_expected_ones() {
    let root = corpus();
    let output = Command::new(env!("CARGO_BIN_EXE_logleaks"))
        .args(["scan", "--format", "jsonl", "--no-progress"])
        .arg(&root)
        .output()
        .expect("logleaks runs");
    assert_ne!(
        output.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let prefix = format!("{}/", root.display());
    let mut found = BTreeSet::new();
    for line in String::from_utf8(output.stdout)
        .expect("JSON is UTF-8")
        .lines()
    {
        let f: serde_json::Value = serde_json::from_str(line).expect("one JSON object per line");
        let file = f["file"]
            .as_str()
            .expect("file")
            .strip_prefix(&prefix)
            .expect("under the corpus")
            .to_string();
        found.insert((
            file,
            f["line"].as_u64().expect("line"),
            f["rule"].as_str().expect("rule").to_string(),
            f["param"].as_str().unwrap_or("").to_string(),
        ));
    }
    let expected: BTreeSet<_> = EXPECTED
        .iter()
        .map(|(file, line, rule, param, _)| {
            (file.to_string(), *line, rule.to_string(), param.to_string())
        })
        .collect();
    let new: Vec<_> = found.difference(&expected).collect();
    let lost: Vec<_> = expected.difference(&found).collect();
    assert!(
        new.is_empty() && lost.is_empty(),
        "new findings: {new:#?}\nlost findings: {lost:#?}"
    );
}
