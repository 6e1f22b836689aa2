//! The config as users write it: `logleaks rules` lists its custom rules, allowlisted rule ids
//! that do not exist are named, errors point at the right line, and a gitleaks-style
//! `[allowlists]` gets a message naming the right key.

mod common;

use std::path::Path;

use common::*;
use serde_json::Value;

fn path_str(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

#[test]
fn rules_lists_the_custom_rules_of_the_config_in_use() {
    let dir = tempdir();
    let config = write(dir.path(), "rules.toml", ACME_RULE);
    let listed = run(logleaks().args(["rules", "--format", "json", "--config", path_str(&config)]));
    listed.assert_no_panic().assert_code(0);
    let rules: Value = serde_json::from_slice(&listed.stdout).unwrap();
    let rules = rules.as_array().unwrap();
    let acme = rules
        .iter()
        .find(|r| r["id"] == "acme-internal-key")
        .expect("the custom rule is listed");
    assert_eq!(acme["source"], "config");
    assert_eq!(rules[0]["source"], "builtin");
    assert_eq!(rules.len(), rules_json().len() + 1);
    // The table too, and the default `.logleaks.toml` of the current directory.
    write(dir.path(), ".logleaks.toml", ACME_RULE);
    let table = run(logleaks().current_dir(dir.path()).arg("rules"));
    table.assert_no_panic().assert_code(0);
    assert!(table.out().contains("acme-internal-key"), "{}", table.out());
    let without = run(logleaks()
        .current_dir(dir.path())
        .args(["rules", "--no-config"]));
    without.assert_code(0);
    assert!(!without.out().contains("acme-internal-key"));
    // A broken config is an error, as for scan.
    let broken = write(dir.path(), "broken.toml", "[[rules]]\nid = 3\n");
    run(logleaks().args(["rules", "--config", path_str(&broken)]))
        .assert_no_panic()
        .assert_code(2);
}

#[test]
fn an_allowlisted_rule_id_that_is_no_rule_is_named() {
    let dir = tempdir();
    let config = write(
        dir.path(),
        "c.toml",
        format!("{ACME_RULE}\n[allowlist]\nrules = [\"stripe-test-key\", \"acme-internal-key\", \"stripe-tset-key\"]\n"),
    );
    let log = write(
        dir.path(),
        "access.log",
        combined_line("/index.html") + "\n",
    );
    let run = scan(["--config", path_str(&config), path_str(&log)]);
    run.assert_no_panic().assert_code(0);
    let notes: Vec<&str> = run
        .error_lines()
        .into_iter()
        .filter(|l| l.contains("note"))
        .collect();
    assert_eq!(notes.len(), 1, "{}", run.stderr);
    assert!(
        notes[0].contains("stripe-tset-key") && notes[0].contains("c.toml"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_bad_fingerprint_is_reported_on_its_own_line() {
    let dir = tempdir();
    let config = write(
        dir.path(),
        "c.toml",
        "[allowlist]\nfingerprints = [\"3f2a9c0d11e4b7a2\",\n  \"not-a-fingerprint\"]\n",
    );
    let run = scan(["--config", path_str(&config), "fixtures/nginx/access.log"]);
    run.assert_no_panic().assert_code(2);
    assert!(
        run.stderr.contains("c.toml:3:") && run.stderr.contains("not-a-fingerprint"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_gitleaks_style_allowlists_section_names_the_right_key() {
    let dir = tempdir();
    let config = write(
        dir.path(),
        "c.toml",
        format!("{ACME_RULE}\n[allowlists]\nparams = [\"state\"]\n"),
    );
    let run = scan(["--config", path_str(&config), "fixtures/nginx/access.log"]);
    run.assert_no_panic().assert_code(2);
    assert!(
        run.stderr.contains("c.toml:9:") && run.stderr.contains("[allowlist]"),
        "{}",
        run.stderr
    );
}
