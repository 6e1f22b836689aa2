//! `--format sarif`: the structure of the SARIF 2.1.0 log the real binary writes for a log with
//! planted credentials (grouping, rules, URIs, redaction, the results limit), and its validity
//! against the official schema (ignored by default: it needs the schema from `../shared/schemas`).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use sha2::{Digest, Sha256};

/// A Google API key: `AIza` and 35 characters (random, never issued).
const GOOGLE_KEY: &str = "AIza5HEv6X_8SBCOZf96gLcblN2TaD0QOJGJOFe";
/// A key in a parameter named `api_key`: 32 hex characters (random).
const HEX_KEY: &str = "d4d3fd81b6ee7b3bb1c863e2601a7462";
/// A password in a `password` parameter, as logged (percent-encoded) and as decoded.
const PASSWORD_LOGGED: &str = "Summer2024%21";
const PASSWORD: &str = "Summer2024!";

/// The log's name below the scanned directory: a space to be percent-encoded.
const LOG_NAME: &str = "web access.log";

fn nginx_line(client: &str, minute: u32, target: &str) -> String {
    format!(
        "{client} - - [01/May/2024:10:{minute:02}:00 +0000] \"GET {target} HTTP/1.1\" 200 512 \
         \"-\" \"Mozilla/5.0 (X11; Linux x86_64)\"\n"
    )
}

/// A nginx combined log: the Google key five times (lines 1, 2, 4, 5, 7), the hex key and the
/// password once each, and lines without credentials.
fn planted_log() -> String {
    let maps = format!("/maps/api/geocode/json?key={GOOGLE_KEY}&address=Main+St");
    [
        nginx_line("203.0.113.1", 1, &maps),
        nginx_line("203.0.113.2", 2, &maps),
        nginx_line("203.0.113.9", 3, "/index.html"),
        nginx_line("203.0.113.3", 4, &maps),
        nginx_line("203.0.113.4", 5, &maps),
        nginx_line(
            "198.51.100.7",
            6,
            &format!("/api/v2/reports/export?format=csv&api_key={HEX_KEY}"),
        ),
        nginx_line("203.0.113.5", 7, &maps),
        nginx_line(
            "198.51.100.8",
            8,
            &format!("/account/login?user=bob&password={PASSWORD_LOGGED}"),
        ),
        nginx_line("203.0.113.9", 9, "/static/app.css"),
    ]
    .concat()
}

/// A temporary directory holding `logs/web access.log` with [`planted_log`].
struct Scene {
    dir: tempfile::TempDir,
}

impl Scene {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        std::fs::create_dir(dir.path().join("logs")).expect("logs/");
        std::fs::write(dir.path().join("logs").join(LOG_NAME), planted_log()).expect("the log");
        Scene { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs `logleaks scan --format sarif ARGS…` in the directory, with `stdin` as input.
    fn run(&self, args: &[&str], stdin: Option<&str>) -> Output {
        run_in(self.path(), args, stdin)
    }

    /// The SARIF log of a scan that must find something.
    fn sarif(&self, args: &[&str]) -> (String, Value) {
        sarif_of(self.run(args, None))
    }
}

fn run_in(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_logleaks"))
        .current_dir(dir)
        .args(["scan", "--format", "sarif", "--no-config"])
        .args(args)
        .env_remove("LOGLEAKS_FINGERPRINT_KEY")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("logleaks runs");
    {
        let mut input = child.stdin.take().expect("stdin is piped");
        if let Some(text) = stdin {
            input.write_all(text.as_bytes()).expect("stdin is written");
        }
    }
    child.wait_with_output().expect("logleaks ends")
}

fn sarif_of(output: Output) -> (String, Value) {
    let stdout = String::from_utf8(output.stdout).expect("SARIF is UTF-8");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(1),
        "findings make exit code 1\nstderr: {stderr}\nstdout: {stdout}"
    );
    assert_eq!(
        stdout.trim_end().lines().count(),
        1,
        "SARIF is written compact, on one line"
    );
    let log = serde_json::from_str(&stdout).expect("stdout is one JSON document");
    (stdout, log)
}

fn sha256_16(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn results(log: &Value) -> &Vec<Value> {
    log["runs"][0]["results"].as_array().expect("results")
}

fn result_of<'a>(log: &'a Value, rule: &str) -> &'a Value {
    let matching: Vec<&Value> = results(log)
        .iter()
        .filter(|r| r["ruleId"] == rule)
        .collect();
    assert_eq!(matching.len(), 1, "one result of {rule}: {matching:#?}");
    matching[0]
}

fn artifact(location: &Value) -> &Value {
    &location["physicalLocation"]["artifactLocation"]
}

#[test]
fn sarif_log_has_the_2_1_0_structure_and_one_rule_per_used_id() {
    let scene = Scene::new();
    let (_, log) = scene.sarif(&["logs"]);
    assert_eq!(log["version"], "2.1.0");
    let schema = log["$schema"].as_str().expect("$schema");
    assert!(
        schema.starts_with("https://") && schema.ends_with("sarif-schema-2.1.0.json"),
        "{schema}"
    );
    let runs = log["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "logleaks");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(driver["semanticVersion"], env!("CARGO_PKG_VERSION"));
    assert!(driver["informationUri"]
        .as_str()
        .is_some_and(|u| u.starts_with("https://")));
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);

    let rules = driver["rules"].as_array().expect("rules");
    let rule_ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let unique: HashSet<&str> = rule_ids.iter().copied().collect();
    assert_eq!(unique.len(), rule_ids.len(), "a rule twice: {rule_ids:?}");
    let used: HashSet<&str> = results(&log)
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert_eq!(unique, used, "exactly the rules with results are described");
    assert_eq!(
        used,
        HashSet::from([
            "google-api-key",
            "generic-credential-param",
            "password-param"
        ])
    );
    for result in results(&log) {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"], "{result}");
    }

    let google = &rules[rule_ids
        .iter()
        .position(|&id| id == "google-api-key")
        .unwrap()];
    assert_eq!(google["name"], "GoogleApiKey");
    assert_eq!(google["shortDescription"]["text"], "Google API key");
    assert_eq!(google["defaultConfiguration"]["level"], "error");
    assert!(google["helpUri"]
        .as_str()
        .is_some_and(|u| u.starts_with("https://")));
    let help = google["help"]["markdown"].as_str().expect("help.markdown");
    for advice in ["Rotate or revoke", "Restrict", "URLs", "Purge the logs"] {
        assert!(help.contains(advice), "help without {advice:?}: {help}");
    }
    assert!(google["help"]["text"].is_string());
    // Whom to call and where to revoke the key, in the help and as properties.
    assert!(help.contains("Issued by: Google Cloud"), "{help}");
    assert!(
        help.contains("How to revoke or rotate it: <https://"),
        "{help}"
    );
    let properties = &google["properties"];
    assert_eq!(properties["vendor"], "Google Cloud");
    assert!(properties["rotate"]
        .as_str()
        .is_some_and(|u| u.starts_with("https://")));
    assert_eq!(properties["security-severity"], "7.5");
    assert_eq!(properties["precision"], "high");
    let tags = properties["tags"].as_array().expect("tags");
    for tag in ["security", "secret", "external/cwe/cwe-598"] {
        assert!(tags.contains(&Value::from(tag)), "no tag {tag}: {tags:?}");
    }
    let generic = &rules[rule_ids
        .iter()
        .position(|&id| id == "generic-credential-param")
        .unwrap()];
    assert_eq!(generic["defaultConfiguration"]["level"], "warning");
    assert_eq!(generic["properties"]["security-severity"], "5.0");
}

#[test]
fn a_repeated_key_is_one_result_with_every_location() {
    let scene = Scene::new();
    let (_, log) = scene.sarif(&["logs"]);
    assert_eq!(results(&log).len(), 3, "{log:#}");
    let google = result_of(&log, "google-api-key");
    assert_eq!(google["level"], "error");
    assert_eq!(google["properties"]["occurrences"], 5);
    assert_eq!(google["properties"]["kind"], "api_key");
    assert_eq!(google["properties"]["severity"], "high");
    assert_eq!(google["properties"]["field"], "request.query");
    assert_eq!(google["properties"]["param"], "key");
    assert_eq!(google["properties"]["client"], "203.0.113.1");
    let timestamp = google["properties"]["timestamp"].as_str().expect("time");
    assert!(timestamp.starts_with("2024-05-01T10:01:00"), "{timestamp}");
    assert_eq!(
        google["partialFingerprints"]["logleaks/v1"],
        sha256_16(GOOGLE_KEY)
    );
    let message = google["message"]["text"].as_str().expect("message");
    assert_eq!(
        message,
        "Google API key leaked in request.query parameter `key`: AIza…JOFe (seen 5 times)"
    );

    let log_text = planted_log();
    let lines: Vec<&str> = log_text.lines().collect();
    let locations = google["locations"].as_array().expect("locations");
    let mut seen_lines = Vec::new();
    for location in locations {
        let region = &location["physicalLocation"]["region"];
        let line = region["startLine"].as_u64().unwrap();
        let column = region["startColumn"].as_u64().unwrap() as usize;
        let text = lines[line as usize - 1];
        assert_eq!(
            text.find(GOOGLE_KEY).map(|at| at + 1),
            Some(column),
            "column of line {line}"
        );
        seen_lines.push(line);
    }
    assert_eq!(seen_lines, [1, 2, 4, 5, 7]);

    let hex = result_of(&log, "generic-credential-param");
    assert_eq!(hex["level"], "warning");
    assert_eq!(hex["properties"]["occurrences"], 1);
    assert_eq!(hex["locations"].as_array().unwrap().len(), 1);
    assert_eq!(hex["properties"]["param"], "api_key");
    let message = hex["message"]["text"].as_str().unwrap();
    assert!(
        message.contains("parameter `api_key`") && !message.contains("seen"),
        "{message}"
    );
    let password = result_of(&log, "password-param");
    assert_eq!(password["properties"]["kind"], "password");
    assert_eq!(
        password["partialFingerprints"]["logleaks/v1"],
        sha256_16(PASSWORD)
    );
}

#[test]
fn file_uris_are_relative_and_percent_encoded() {
    let scene = Scene::new();
    let (_, log) = scene.sarif(&["logs"]);
    let run = &log["runs"][0];
    for result in results(&log) {
        for location in result["locations"].as_array().unwrap() {
            assert_eq!(artifact(location)["uri"], "logs/web%20access.log");
            assert_eq!(artifact(location)["uriBaseId"], "%SRCROOT%");
        }
    }
    let root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .expect("%SRCROOT% is declared");
    assert!(
        root.starts_with("file:///") && root.ends_with('/'),
        "{root}"
    );

    // Relative to --sarif-root; a file outside the root gets an absolute URI.
    let outside = tempfile::tempdir().unwrap();
    let outside_log = outside.path().join("other.log");
    std::fs::write(&outside_log, planted_log()).unwrap();
    let (_, log) = scene.sarif(&[
        "--sarif-root",
        "logs",
        "logs",
        outside_log.to_str().unwrap(),
    ]);
    let uris: HashSet<(String, Option<String>)> = results(&log)
        .iter()
        .flat_map(|r| r["locations"].as_array().unwrap())
        .map(|l| {
            let a = artifact(l);
            (
                a["uri"].as_str().unwrap().to_string(),
                a["uriBaseId"].as_str().map(str::to_string),
            )
        })
        .collect();
    let canonical = outside_log.canonicalize().unwrap();
    let outside_uris: Vec<&String> = uris
        .iter()
        .filter(|(uri, _)| uri != "web%20access.log")
        .map(|(uri, base)| {
            assert!(base.is_none(), "{uri} has a base id");
            uri
        })
        .collect();
    assert_eq!(outside_uris.len(), 1, "{uris:?}");
    let uri = outside_uris[0];
    assert!(
        uri.starts_with("file:///") && uri.ends_with("/other.log"),
        "{uri} for {}",
        canonical.display()
    );
    assert!(uris.contains(&(
        "web%20access.log".to_string(),
        Some("%SRCROOT%".to_string())
    )));
}

#[test]
fn stdin_is_the_stdin_uri() {
    let scene = Scene::new();
    let (_, log) = sarif_of(scene.run(&["-"], Some(&planted_log())));
    let google = result_of(&log, "google-api-key");
    assert_eq!(google["properties"]["occurrences"], 5);
    for location in google["locations"].as_array().unwrap() {
        assert_eq!(artifact(location)["uri"], "stdin");
    }
}

#[test]
fn no_clear_secret_without_show_secrets() {
    let scene = Scene::new();
    let (text, _) = scene.sarif(&["logs"]);
    for secret in [GOOGLE_KEY, HEX_KEY, PASSWORD, PASSWORD_LOGGED, "Summer2024"] {
        assert!(!text.contains(secret), "{secret} in clear: {text}");
    }
    // The user's choice: with --show-secrets the messages carry the exact secrets.
    let (text, log) = scene.sarif(&["--show-secrets", "logs"]);
    assert!(text.contains(GOOGLE_KEY) && text.contains(HEX_KEY));
    let message = result_of(&log, "password-param")["message"]["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(message.contains(PASSWORD), "{message}");
}

/// A log of more distinct credentials than a SARIF run may hold for GitHub code scanning.
fn crowded_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::new();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    for i in 0..25_100u32 {
        // xorshift: random-looking hex, so that every value is credential-like and distinct.
        let mut key = String::new();
        for _ in 0..2 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            key.push_str(&format!("{state:016x}"));
        }
        text.push_str(&nginx_line(
            "198.51.100.7",
            i % 60,
            &format!("/api/v2/export?api_key={key}"),
        ));
    }
    std::fs::write(dir.path().join("crowded.log"), text).unwrap();
    dir
}

#[test]
fn results_beyond_25000_are_counted_and_announced() {
    let dir = crowded_dir();
    let (text, log) = sarif_of(run_in(dir.path(), &["crowded.log"], None));
    let run = &log["runs"][0];
    assert_eq!(results(&log).len(), 25_000);
    let properties = &run["properties"];
    let findings = properties["findings"].as_u64().unwrap();
    let dropped = properties["droppedResults"].as_u64().unwrap();
    assert!(findings > 25_000, "{properties}");
    assert_eq!(dropped, findings - 25_000, "{properties}");
    assert_eq!(properties["droppedFindings"].as_u64().unwrap(), dropped);
    let notes = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .expect("a notification of the dropped results");
    let note = notes[0]["message"]["text"].as_str().unwrap();
    assert!(
        note.contains(&format!("{dropped} further results")),
        "{note}"
    );
    assert!(text.len() < 20 << 20, "{} bytes", text.len());
}

/// The official SARIF 2.1.0 schema, from `LOGLEAKS_SARIF_SCHEMA`.
fn sarif_validator() -> jsonschema::Validator {
    let path = std::env::var_os("LOGLEAKS_SARIF_SCHEMA")
        .map(PathBuf::from)
        .expect(
            "set LOGLEAKS_SARIF_SCHEMA to the path of sarif-schema-2.1.0.json \
         (../shared/schemas/sarif-schema-2.1.0.json)",
        );
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: cannot read the schema: {e}", path.display()));
    let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

fn assert_valid(validator: &jsonschema::Validator, what: &str, log: &Value) {
    if !validator.is_valid(log) {
        let errors: Vec<String> = validator
            .iter_errors(log)
            .take(20)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        panic!(
            "{what}: not valid SARIF 2.1.0:\n{}\n{log:#}",
            errors.join("\n")
        );
    }
}

#[test]
#[ignore = "needs the SARIF schema from ../shared/schemas; run by .ci/run"]
fn output_is_valid_against_the_official_sarif_schema() {
    let validator = sarif_validator();
    let scene = Scene::new();
    let (_, log) = scene.sarif(&["logs"]);
    assert_valid(&validator, "scan logs", &log);

    // The validator is not vacuous: a wrong level and a missing message are caught.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(
        !validator.is_valid(&broken),
        "a level outside the enum passes"
    );
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]
        .as_object_mut()
        .unwrap()
        .remove("message");
    assert!(
        !validator.is_valid(&broken),
        "a result without message passes"
    );

    let (_, log) = scene.sarif(&["--show-secrets", "--label", "web-1", "logs"]);
    assert_valid(&validator, "--show-secrets --label", &log);
    let (_, log) = sarif_of(scene.run(&["-"], Some(&planted_log())));
    assert_valid(&validator, "stdin", &log);
    let outside = tempfile::tempdir().unwrap();
    let outside_log = outside.path().join("other #1.log");
    std::fs::write(&outside_log, planted_log()).unwrap();
    let (_, log) = scene.sarif(&[
        "--sarif-root",
        "logs",
        "logs",
        outside_log.to_str().unwrap(),
    ]);
    assert_valid(&validator, "--sarif-root with a file outside it", &log);
    let crowded = crowded_dir();
    let (_, log) = sarif_of(run_in(crowded.path(), &["crowded.log"], None));
    assert_valid(&validator, "more than 25,000 results", &log);

    // No finding: an empty run is valid too (exit code 0).
    let clean = tempfile::tempdir().unwrap();
    std::fs::write(
        clean.path().join("clean.log"),
        nginx_line("203.0.113.9", 1, "/index.html"),
    )
    .unwrap();
    let output = run_in(clean.path(), &["clean.log"], None);
    assert_eq!(output.status.code(), Some(0));
    let log: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(results(&log).len(), 0);
    assert_valid(&validator, "no finding", &log);

    // A failed run (an unreadable input), with its notifications and run metadata.
    let output = scene.run(&["logs", "missing.log"], None);
    assert_eq!(output.status.code(), Some(2));
    let log: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(
        log["runs"][0]["invocations"][0]["executionSuccessful"],
        false
    );
    assert_valid(&validator, "a failed run", &log);
}

/// An HS256 JWT that expired in 2001 (random signature, never issued).
const EXPIRED_JWT: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI0MiIsImV4cCI6MTAwMDAwMDAwMH0.Qm9yZWQ0bGlmZV9zaWduYXR1cmVfb2ZfYV90ZXN0X3Rva2Vu";

/// A scan that exits 2 (an input could not be read) says so in the log: the run did not succeed
/// and each input problem is a notification; a run that exits 0 or 1 succeeded.
#[test]
fn a_run_with_an_unreadable_input_is_not_successful_and_names_it() {
    let scene = Scene::new();
    let output = scene.run(&["logs", "missing.log"], None);
    assert_eq!(output.status.code(), Some(2));
    let log: Value = serde_json::from_slice(&output.stdout).expect("SARIF on stdout");
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false, "{invocation:#}");
    let notes = invocation["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    let errors: Vec<&Value> = notes.iter().filter(|n| n["level"] == "error").collect();
    assert_eq!(errors.len(), 1, "{notes:#?}");
    let text = errors[0]["message"]["text"].as_str().unwrap();
    assert!(
        text.contains("missing.log") && text.contains("no such file"),
        "{text}"
    );
    // The readable input was still scanned.
    assert!(!results(&log).is_empty());
    let (_, ok) = scene.sarif(&["logs"]);
    assert_eq!(ok["runs"][0]["invocations"][0]["executionSuccessful"], true);
    // Scanning nothing is a failed run too.
    let empty = tempfile::tempdir().unwrap();
    let nothing = run_in(empty.path(), &["."], None);
    assert_eq!(nothing.status.code(), Some(2));
    let log: Value = serde_json::from_slice(&nothing.stdout).expect("SARIF on stdout");
    assert_eq!(
        log["runs"][0]["invocations"][0]["executionSuccessful"],
        false
    );
}

/// A result whose severity is not its rule's (an expired token is one severity lower) carries its
/// own `security-severity` and level, so that code scanning ranks it as the CLI does.
#[test]
fn a_result_less_severe_than_its_rule_says_so() {
    let scene = Scene::new();
    std::fs::write(
        scene.path().join("logs").join(LOG_NAME),
        [
            planted_log(),
            nginx_line(
                "198.51.100.9",
                10,
                &format!("/api/export?access_token={EXPIRED_JWT}"),
            ),
        ]
        .concat(),
    )
    .unwrap();
    let (_, log) = scene.sarif(&["logs"]);
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let jwt_rule = rules
        .iter()
        .find(|r| r["id"] == "jwt")
        .expect("the jwt rule");
    let jwt = result_of(&log, "jwt");
    assert_eq!(jwt["properties"]["details"]["expired_now"], true, "{jwt:#}");
    assert_ne!(
        jwt["properties"]["security-severity"],
        Value::Null,
        "{jwt:#}"
    );
    assert_ne!(
        jwt["properties"]["security-severity"],
        jwt_rule["properties"]["security-severity"]
    );
    assert_ne!(
        Some(&jwt["level"]),
        jwt_rule["defaultConfiguration"].get("level")
    );
    // A result as severe as its rule leaves the rule's score alone.
    let hex = result_of(&log, "generic-credential-param");
    assert!(
        hex["properties"].get("security-severity").is_none(),
        "{hex:#}"
    );
}

/// The run records what made it (SPEC "Run metadata"): the logleaks version, the output schema
/// version, the fingerprint key id and the parameters that decide what is reported.
#[test]
fn the_invocation_records_version_schema_key_id_and_parameters() {
    let scene = Scene::new();
    let (_, log) = scene.sarif(&["--fail-on", "medium", "--since", "2024-01-01", "logs"]);
    let properties = &log["runs"][0]["invocations"][0]["properties"];
    assert_eq!(
        properties["logleaks_version"],
        log["runs"][0]["tool"]["driver"]["version"]
    );
    assert_eq!(properties["schema_version"], 2);
    assert_eq!(properties["fingerprint_key"], "none");
    let parameters = &properties["parameters"];
    assert_eq!(parameters["format"], "sarif");
    assert_eq!(parameters["fail_on"], "medium");
    assert_eq!(parameters["since"], "2024-01-01");
    assert_eq!(parameters["include_vcs"], false);
}
