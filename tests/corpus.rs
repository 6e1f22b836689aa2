//! Real public web server logs (the shared corpus next to a development checkout): every finding
//! logleaks reports there, at every confidence level, has a verdict in `tests/corpus/verdicts.toml`
//! (true leak, defensible or false alarm, with the reason), so that a new false alarm, an unjudged
//! finding or a lost one fails CI. The test prints precision by finding and by distinct secret.
//!
//! The corpus is not part of the repository, so these tests are ignored by a plain `cargo test`;
//! `.ci/run` runs them with `--ignored` and `LOGLEAKS_CORPUS` set when the corpus exists.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use serde::Deserialize;

#[derive(Deserialize)]
struct Verdicts {
    secret: Vec<SecretVerdict>,
    not_reported: Vec<NotReported>,
}

/// One distinct secret in one file, and what it is.
#[derive(Deserialize)]
struct SecretVerdict {
    file: String,
    rule: String,
    fingerprint: String,
    lines: Vec<u64>,
    verdict: String,
    reason: String,
}

/// A finding of an earlier release that the credential policy removed.
#[derive(Deserialize)]
struct NotReported {
    file: String,
    line: u64,
    param: String,
    reason: String,
}

fn verdicts() -> Verdicts {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/verdicts.toml");
    let text = std::fs::read_to_string(path).expect("the verdicts file is in the repository");
    toml::from_str(&text).expect("verdicts.toml is well formed")
}

fn corpus() -> PathBuf {
    PathBuf::from(
        std::env::var_os("LOGLEAKS_CORPUS")
            .expect("set LOGLEAKS_CORPUS to the corpus directory (.ci/run does)"),
    )
}

/// A finding: (file below the corpus, line, rule, param, fingerprint, confidence).
type Found = (String, u64, String, String, String, String);

fn scan_corpus() -> Vec<Found> {
    let root = corpus();
    let output = Command::new(env!("CARGO_BIN_EXE_logleaks"))
        .args(["scan", "--format", "jsonl", "--no-progress", "--no-config"])
        .args(["--min-confidence", "low", "--fail-on", "never"])
        .env_remove("LOGLEAKS_FINGERPRINT_KEY")
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
    let text = String::from_utf8(output.stdout).expect("JSON is UTF-8");
    text.lines()
        .map(|line| {
            let f: serde_json::Value = serde_json::from_str(line).expect("one object per line");
            let field = |name: &str| f[name].as_str().unwrap_or("").to_string();
            let file = field("file");
            (
                file.strip_prefix(&prefix).unwrap_or(&file).to_string(),
                f["line"].as_u64().expect("line"),
                field("rule"),
                field("param"),
                field("fingerprint"),
                field("confidence"),
            )
        })
        .collect()
}

#[test]
#[ignore = "needs the shared corpus; run by .ci/run with LOGLEAKS_CORPUS"]
fn every_corpus_finding_is_judged_and_none_is_a_false_alarm() {
    let verdicts = verdicts();
    let found = scan_corpus();
    let judged: BTreeMap<(&str, &str), &SecretVerdict> = verdicts
        .secret
        .iter()
        .map(|v| ((v.file.as_str(), v.fingerprint.as_str()), v))
        .collect();
    let mut problems = Vec::new();
    let mut lines_seen: BTreeMap<(&str, &str), Vec<u64>> = BTreeMap::new();
    // (all levels, default level) × (good findings, findings), and the same by distinct secret.
    let mut by_finding = [[0u64; 2]; 2];
    let mut secrets: [BTreeMap<&str, bool>; 2] = [BTreeMap::new(), BTreeMap::new()];
    for (file, line, rule, param, fingerprint, confidence) in &found {
        let verdict = judged.get(&(file.as_str(), fingerprint.as_str()));
        let good = verdict.is_some_and(|v| v.verdict != "false-alarm");
        match verdict {
            None => problems.push(format!(
                "unjudged: {file}:{line} {rule} [{param}] fingerprint {fingerprint}"
            )),
            Some(v) if v.verdict == "false-alarm" => problems.push(format!(
                "false alarm: {file}:{line} {rule} [{param}]: {}",
                v.reason
            )),
            Some(v) => {
                assert!(
                    ["true-leak", "defensible"].contains(&v.verdict.as_str()),
                    "unknown verdict {} for {file}",
                    v.verdict
                );
                assert_eq!(&v.rule, rule, "{file}:{line}: {}", v.reason);
                lines_seen
                    .entry((v.file.as_str(), v.fingerprint.as_str()))
                    .or_default()
                    .push(*line);
            }
        }
        let shown_by_default = confidence != "low";
        for (level, counted) in [(0, true), (1, shown_by_default)] {
            if counted {
                by_finding[level][0] += u64::from(good);
                by_finding[level][1] += 1;
                *secrets[level].entry(fingerprint.as_str()).or_insert(true) &= good;
            }
        }
    }
    for v in &verdicts.secret {
        let seen = lines_seen
            .get(&(v.file.as_str(), v.fingerprint.as_str()))
            .cloned()
            .unwrap_or_default();
        if seen != v.lines {
            problems.push(format!(
                "{} {} ({}): expected on lines {:?}, reported on {seen:?}",
                v.file, v.rule, v.verdict, v.lines
            ));
        }
    }
    for gone in &verdicts.not_reported {
        if found
            .iter()
            .any(|f| f.0 == gone.file && f.1 == gone.line && f.3 == gone.param)
        {
            problems.push(format!(
                "reported again: {}:{} [{}]: {}",
                gone.file, gone.line, gone.param, gone.reason
            ));
        }
    }
    for (level, name) in [(0, "--min-confidence low"), (1, "default (medium)")] {
        let [good, all] = by_finding[level];
        let distinct = secrets[level].len();
        let good_distinct = secrets[level].values().filter(|&&g| g).count();
        let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
        println!(
            "corpus precision, {name}: by finding {:.3} ({good}/{all}), by distinct secret {:.3} ({good_distinct}/{distinct})",
            ratio(good as usize, all as usize),
            ratio(good_distinct, distinct)
        );
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}
