//! What the Debian package ships beside the binary: the sample config (installed as
//! /etc/logleaks/logleaks.toml) and the files of `logleaks package-files`. The package itself is
//! built and checked by `scripts/package-check.sh` (run by `.ci/run`).

mod common;

use std::path::Path;

use common::*;

const SAMPLE_CONFIG: &str = include_str!("../packaging/logleaks.toml");

#[test]
fn the_sample_config_changes_nothing_as_shipped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("logleaks.toml"), SAMPLE_CONFIG).unwrap();
    let out = run_in(dir.path(), &["rules", "--config", "logleaks.toml"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("acme-internal-key"),
        "the shipped config must not define rules"
    );
}

#[test]
fn the_sample_config_loads_with_every_example_uncommented() {
    // "##" lines explain, "# " lines are settings to uncomment.
    let uncommented: String = SAMPLE_CONFIG
        .lines()
        .filter(|l| !l.starts_with("##"))
        .map(|l| l.strip_prefix("# ").unwrap_or(l))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(uncommented.contains("[allowlist]") && uncommented.contains("[[formats]]"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("logleaks.toml"), uncommented).unwrap();
    let out = run_in(dir.path(), &["rules", "--config", "logleaks.toml"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(String::from_utf8_lossy(&out.stdout).contains("acme-internal-key"));
}

#[test]
fn package_files_has_a_man_page_for_every_command_of_help() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(dir.path(), &["package-files", "out"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let help = run_in(dir.path(), &["--help"]);
    let help = String::from_utf8_lossy(&help.stdout).into_owned();
    let commands: Vec<&str> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        // "  name  about", and the about's wrapped lines indented further.
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(
        commands.contains(&"scan") && commands.contains(&"redact"),
        "{help}"
    );
    let man = Path::new("out/man");
    let top = std::fs::read_to_string(dir.path().join(man).join("logleaks.1")).unwrap();
    for command in commands {
        let page = dir.path().join(man).join(format!("logleaks-{command}.1"));
        assert!(page.is_file(), "no man page for {command}");
        assert!(top.contains(command), "logleaks.1 does not list {command}");
        for shell_file in ["logleaks.bash", "_logleaks", "logleaks.fish"] {
            let script =
                std::fs::read_to_string(dir.path().join("out/completions").join(shell_file))
                    .unwrap();
            assert!(script.contains(command), "{shell_file} lacks {command}");
        }
    }
}

#[test]
fn package_files_names_a_directory_it_cannot_write() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("taken"), b"").unwrap();
    let out = run_in(dir.path(), &["package-files", "taken"]);
    assert_eq!(out.code, 2);
    let err = out.stderr;
    assert!(err.contains("taken") && err.lines().count() == 1, "{err}");
}
