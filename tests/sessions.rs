//! Sessions recognised by what they are, end to end: a ModSecurity audit log keeps the request's
//! `Cookie` and the response's `Set-Cookie` headers, and logleaks reports the sessions in both
//! (Joomla's hash-named PHP session, an express-session signed cookie), with their confidence,
//! while Joomla's anti-CSRF form token (a 32-hex name with the value `1`) is not reported.

use std::process::Command;

use serde_json::Value;

const JOOMLA_NAME: &str = "1d286b425cb9251350449f9113a04b25";
const JOOMLA_ID: &str = "nn5uo51ot7i02tc930nknu45dc";
const EXPRESS: &str =
    "s:mXv5eh1YcuCbCh4lScW-yejH7z6LBlnv.eoEz11QG46/UVNMjepfZ0ZkakTcMR6rcf1QorDp48eY";

fn audit_log() -> String {
    let express = EXPRESS.replace(':', "%3A").replace('/', "%2F");
    [
        "--5b8f0001-A--",
        "[27/Nov/2026:10:00:00 +0000] Z0cXq9lQ1mYcOaJ8o4d00000001 198.51.100.4 51230 10.0.0.5 443",
        "--5b8f0001-B--",
        &format!("POST /administrator/index.php?option=com_login&{JOOMLA_NAME}=1 HTTP/1.1"),
        "Host: cms.example.org",
        "User-Agent: Mozilla/5.0",
        &format!("Cookie: theme=dark; mongo-express={express}"),
        "",
        "--5b8f0001-F--",
        "HTTP/1.1 303 See Other",
        &format!("Set-Cookie: {JOOMLA_NAME}={JOOMLA_ID}; path=/; HttpOnly"),
        "Content-Type: text/html; charset=utf-8",
        "",
        "--5b8f0001-Z--",
        "",
    ]
    .join("\n")
}

#[test]
fn sessions_in_a_modsecurity_audit_log_are_found_in_cookie_and_set_cookie() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("modsec_audit.log");
    std::fs::write(&log, audit_log()).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_logleaks"))
        .args(["scan", "--format", "jsonl", "--show-secrets", "--no-config"])
        .args(["--fail-on", "never", "--no-progress"])
        .arg(&log)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let found: Vec<Value> = output
        .stdout
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).unwrap())
        .collect();
    let summary: Vec<(String, u64, String, String, String, String)> = found
        .iter()
        .map(|f| {
            let text = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            (
                text("rule"),
                f["line"].as_u64().unwrap(),
                text("field"),
                text("param"),
                text("secret"),
                text("confidence"),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "express-session-cookie".into(),
                7,
                "cookie".into(),
                "mongo-express".into(),
                EXPRESS.into(),
                "high".into()
            ),
            (
                "php-hash-named-session".into(),
                11,
                "header.set-cookie".into(),
                JOOMLA_NAME.into(),
                JOOMLA_ID.into(),
                "medium".into()
            ),
        ],
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}
