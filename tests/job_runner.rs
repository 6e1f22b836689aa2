//! Building blocks for job runners: `--stdin-name` (a piped file keeps its name and format),
//! `--files-from` (a list of inputs, by line or NUL-separated), `--shard I/N` (N workers cover
//! every input exactly once) and `--errors-json` (input problems as JSON Lines).

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

/// An Apache format with an API key header that plain detection does not know.
const KEY_FORMAT: &str = r#"%h %l %u %t "%r" %>s %b %{X-Api-Key}i"#;

fn path_str(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

/// A log of `lines` combined lines, every third one leaking a fresh Stripe key.
fn leaky_log(rng: &mut Rng, lines: usize) -> String {
    (0..lines)
        .map(|i| {
            let target = match i % 3 {
                0 => format!("/pay?api_key={}", rng.stripe_key()),
                _ => format!("/static/app.js?v={i}"),
            };
            combined_line(&target) + "\n"
        })
        .collect()
}

/// The findings as comparable keys.
fn keys(findings: &[Value]) -> Vec<Key> {
    findings.iter().map(key_of).collect()
}

#[test]
fn stdin_name_names_findings_and_chooses_the_format_by_that_name() {
    let dir = tempdir();
    let mut rng = Rng::new(15);
    let log: String = (0..6)
        .map(|i| {
            format!(
                "198.51.100.{i} - - [27/Nov/2026:10:00:0{i} +0000] \"GET /v1/orders HTTP/1.1\" 200 17 {}\n",
                rng.hex32()
            )
        })
        .collect();
    let file = write(dir.path(), "web01/keyed-access.log", &log);
    let config = write(
        dir.path(),
        "formats.toml",
        format!("[[formats]]\nfiles = \"keyed-*.log\"\nlog_format = '{KEY_FORMAT}'\n"),
    );
    let config = path_str(&config);
    let by_path = scan_shown(["--config", config, path_str(&file)]);
    let expected = keys(&by_path.findings());
    assert_eq!(expected.len(), 6, "{}", by_path.stderr);

    let name = path_str(&file);
    let piped = run(logleaks()
        .args([
            "scan",
            "--format",
            "jsonl",
            "--show-secrets",
            "--config",
            config,
        ])
        .args(["--stdin-name", name])
        .write_stdin(log.clone()));
    piped.assert_no_panic().assert_code(1);
    assert_eq!(keys(&piped.findings()), expected);

    // Without the name, the config's format is not chosen and the header keys are not found:
    // the name is what made the difference.
    let unnamed = run(logleaks()
        .args([
            "scan",
            "--format",
            "jsonl",
            "--show-secrets",
            "--config",
            config,
        ])
        .write_stdin(log));
    unnamed.assert_no_panic();
    assert!(
        unnamed.findings().len() < expected.len(),
        "{:?}",
        unnamed.findings()
    );
}

#[test]
fn stdin_name_names_problems_too() {
    let dir = tempdir();
    let errors = dir.path().join("errors.jsonl");
    let mut broken = gzip(combined_line("/a?api_key=x").as_bytes());
    broken.truncate(broken.len() - 12);
    let run = run(logleaks()
        .args(["scan", "--stdin-name", "bucket/app/access.log.gz"])
        .args(["--errors-json", path_str(&errors)])
        .write_stdin(broken));
    run.assert_no_panic().assert_code(2);
    assert!(
        run.stderr
            .contains("logleaks: bucket/app/access.log.gz: truncated or corrupt gzip data"),
        "{}",
        run.stderr
    );
    let problems = parse_jsonl(&std::fs::read(&errors).unwrap());
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0]["input"], "bucket/app/access.log.gz");
    assert_eq!(problems[0]["kind"], "corrupt");
}

/// A tree of logs, one of them gzipped and one with a space in its name; the file paths.
fn tree(dir: &Path, files: usize) -> Vec<PathBuf> {
    let mut rng = Rng::new(files as u64);
    (0..files)
        .map(|i| {
            let log = leaky_log(&mut rng, 4 + i % 5);
            match i {
                0 => write(dir, "host 0/access.log.1.gz", gzip(log.as_bytes())),
                _ => write(dir, &format!("host{}/access-{i}.log", i % 4), log),
            }
        })
        .collect()
}

#[test]
fn files_from_reads_a_list_of_inputs_by_line_or_by_nul() {
    let dir = tempdir();
    let files = tree(&dir.path().join("logs"), 6);
    let args: Vec<&str> = files.iter().map(|p| path_str(p)).collect();
    let direct = scan_shown(&args);
    direct.assert_code(1);
    let expected = keys(&direct.findings());
    assert!(expected.len() >= 12, "{}", direct.stderr);

    let by_line = write(dir.path(), "list.txt", args.join("\r\n") + "\n\n");
    let mut by_nul = args.join("\0").into_bytes();
    by_nul.push(0);
    let by_nul = write(dir.path(), "list.nul", by_nul);
    for list in [
        vec!["--files-from", path_str(&by_line)],
        vec!["--files-from", path_str(&by_nul), "-0"],
    ] {
        let run = scan_shown(&list);
        run.assert_no_panic().assert_code(1);
        assert_eq!(keys(&run.findings()), expected, "{list:?}");
    }
    // The list on standard input, and a path on the command line before it.
    let run = run(logleaks()
        .args([
            "scan",
            "--format",
            "jsonl",
            "--show-secrets",
            "--files-from",
            "-",
        ])
        .arg(args[0])
        .write_stdin(args[1..].join("\n")));
    run.assert_no_panic().assert_code(1);
    assert_eq!(keys(&run.findings()), expected);
}

#[test]
fn files_from_a_missing_list_or_a_missing_entry_is_named() {
    let dir = tempdir();
    let missing_list = dir.path().join("no-such-list.txt");
    let run = scan(["--files-from", path_str(&missing_list)]);
    run.assert_no_panic().assert_code(2);
    assert!(
        run.stderr.contains(&format!(
            "{} (--files-from): cannot read the list: no such file or directory",
            missing_list.display()
        )),
        "{}",
        run.stderr
    );

    let files = tree(&dir.path().join("logs"), 2);
    let gone = dir.path().join("logs/rotated-away.log");
    let list = write(
        dir.path(),
        "list.txt",
        format!("{}\n{}\n", gone.display(), files[1].display()),
    );
    let run = scan_shown(["--files-from", path_str(&list)]);
    run.assert_no_panic().assert_code(2);
    assert!(
        run.stderr
            .contains(&format!("{}: no such file or directory", gone.display())),
        "{}",
        run.stderr
    );
    assert!(!run.findings().is_empty(), "the other entry was scanned");

    let empty = write(dir.path(), "empty.txt", "\n");
    let run = scan(["--files-from", path_str(&empty)]);
    run.assert_code(2);
    assert!(
        run.stderr.contains("is empty: nothing to scan"),
        "{}",
        run.stderr
    );
}

#[test]
fn shards_cover_the_whole_scan_exactly_once() {
    let dir = tempdir();
    let root = dir.path().join("logs");
    tree(&root, 24);
    let gone = dir.path().join("gone.log");
    let inputs = [path_str(&root), path_str(&gone)];
    let whole = scan_shown(inputs);
    whole.assert_code(2);
    let mut expected = keys(&whole.findings());
    expected.sort();
    assert!(expected.len() > 40, "{}", whole.stderr);
    let expected_files: BTreeSet<String> = expected.iter().map(|k| k.0.clone()).collect();

    for count in [1u64, 3, 5] {
        let mut union = Vec::new();
        let mut problems = 0;
        let mut files_per_shard = Vec::new();
        for index in 0..count {
            let shard = format!("{index}/{count}");
            let run = scan_shown(inputs.iter().copied().chain(["--shard", &shard]));
            run.assert_no_panic();
            assert!(
                run.stderr.contains(&format!("logleaks: shard {shard}: ")),
                "{}",
                run.stderr
            );
            let missing = run.stderr.matches("gone.log: no such file").count();
            problems += missing;
            // A shard exits as a whole scan of its own inputs does.
            let found = run.findings();
            let code = if missing > 0 {
                2
            } else if found.is_empty() {
                0
            } else {
                1
            };
            run.assert_code(code);
            let files: BTreeSet<String> = keys(&found).into_iter().map(|k| k.0).collect();
            files_per_shard.push(files);
            union.extend(keys(&found));
        }
        union.sort();
        let before = union.len();
        union.dedup();
        assert_eq!(
            before,
            union.len(),
            "a finding appears in two shards of {count}"
        );
        assert_eq!(union, expected, "the union of {count} shards");
        assert_eq!(
            problems, 1,
            "the missing input is told by exactly one shard of {count}"
        );
        // Files, not findings, are dealt out: a file is wholly in one shard.
        let dealt: usize = files_per_shard.iter().map(BTreeSet::len).sum();
        assert_eq!(dealt, expected_files.len(), "{files_per_shard:?}");
        if count > 1 {
            assert!(
                files_per_shard.iter().filter(|f| !f.is_empty()).count() > 1,
                "{count} shards: everything went to one: {files_per_shard:?}"
            );
        }
    }

    // The same input keeps its shard whatever else is listed, and in whatever order.
    let alone = scan_shown([path_str(&gone), path_str(&root), "--shard", "1/3"]);
    let mut reordered = keys(&alone.findings());
    reordered.sort();
    let together = scan_shown(inputs.iter().copied().chain(["--shard", "1/3"]));
    let mut in_order = keys(&together.findings());
    in_order.sort();
    assert_eq!(reordered, in_order);
}

#[test]
fn shard_refuses_a_bad_index() {
    for bad in ["3/3", "1/0", "a/2", "2"] {
        let run = scan(["fixtures/", "--shard", bad]);
        run.assert_code(2);
        assert!(run.stderr.contains("--shard"), "{bad}: {}", run.stderr);
    }
}

#[test]
fn errors_json_lists_every_input_problem_once_with_its_kind() {
    let dir = tempdir();
    let mut rng = Rng::new(7);
    let good = write(dir.path(), "good.log", leaky_log(&mut rng, 3));
    let mut corrupt = gzip(leaky_log(&mut rng, 50).as_bytes());
    corrupt.truncate(corrupt.len() / 2);
    let corrupt = write(dir.path(), "corrupt.log.gz", corrupt);
    let empty_dir = dir.path().join("empty");
    std::fs::create_dir(&empty_dir).unwrap();
    let missing = dir.path().join("missing.log");
    let errors = dir.path().join("errors.jsonl");
    let run = scan([
        path_str(&missing),
        path_str(&good),
        path_str(&corrupt),
        "--errors-json",
        path_str(&errors),
    ]);
    run.assert_no_panic().assert_code(2);
    let problems = parse_jsonl(&std::fs::read(&errors).unwrap());
    let got: Vec<(String, String)> = problems
        .iter()
        .map(|p| (s(p, "input").to_string(), s(p, "kind").to_string()))
        .collect();
    assert_eq!(
        got,
        [
            (missing.display().to_string(), "not_found".to_string()),
            (corrupt.display().to_string(), "corrupt".to_string()),
        ]
    );
    // The message is the one stderr gives, without the name.
    for p in &problems {
        let line = format!("logleaks: {}: {}", s(p, "input"), s(p, "message"));
        assert!(
            run.stderr.lines().any(|l| l == line),
            "{line}\n{}",
            run.stderr
        );
    }

    // Nothing to scan is a problem too; a clean run leaves an empty file.
    let run = scan([path_str(&empty_dir), "--errors-json", path_str(&errors)]);
    run.assert_code(2);
    let problems = parse_jsonl(&std::fs::read(&errors).unwrap());
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0]["kind"], "nothing_to_scan");
    let run = scan([path_str(&good), "--errors-json", path_str(&errors)]);
    run.assert_code(1);
    assert_eq!(std::fs::read(&errors).unwrap(), b"");

    // An errors file that cannot be written stops the run before it starts.
    let run = scan([
        path_str(&good),
        "--errors-json",
        path_str(&dir.path().join("no/such/dir/errors.jsonl")),
    ]);
    run.assert_code(2);
    assert!(
        run.stderr.contains("cannot write the errors file"),
        "{}",
        run.stderr
    );
}

#[test]
fn list_inputs_prints_what_a_scan_would_read_and_reads_nothing() {
    let dir = tempdir();
    let root = dir.path().join("logs");
    let files = tree(&root, 5);
    let gone = dir.path().join("gone.log");
    let errors = dir.path().join("errors.jsonl");
    let run = scan([
        path_str(&root),
        path_str(&gone),
        "--list-inputs",
        "--glob",
        "*.log",
        "--errors-json",
        path_str(&errors),
    ]);
    run.assert_no_panic().assert_code(2);
    let listed = run.findings();
    let mut expected: Vec<(String, u64)> = files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "log"))
        .map(|p| (p.display().to_string(), std::fs::metadata(p).unwrap().len()))
        .collect();
    expected.sort();
    let got: Vec<(String, u64)> = listed
        .iter()
        .map(|l| (s(l, "input").to_string(), n(l, "size")))
        .collect();
    assert_eq!(got, expected);
    assert!(
        !run.stderr.contains(" finding"),
        "nothing was scanned: {}",
        run.stderr
    );
    let problems = parse_jsonl(&std::fs::read(&errors).unwrap());
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0]["kind"], "not_found");
    // The listing read back with --files-from scans the same as the walk.
    let names: String = got.iter().map(|(name, _)| format!("{name}\n")).collect();
    let list = write(dir.path(), "list.txt", names);
    let by_list = scan_shown(["--files-from", path_str(&list)]);
    let by_walk = scan_shown([path_str(&root), "--glob", "*.log"]);
    assert_eq!(keys(&by_list.findings()), keys(&by_walk.findings()));
}

#[test]
fn list_inputs_names_a_file_whose_name_holds_a_secret_as_it_is_so_that_it_is_scanned() {
    // Every other output masks the token in this name; the listing must give the name that
    // opens the file, or a job runner would never scan it.
    let dir = tempdir();
    let name = "dump-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.log";
    let log = write(dir.path(), name, leaky_log(&mut Rng::new(4), 20));
    let listed = scan([path_str(dir.path()), "--list-inputs"]);
    listed.assert_code(0);
    let inputs: Vec<String> = listed
        .findings()
        .iter()
        .map(|l| s(l, "input").to_string())
        .collect();
    assert_eq!(inputs, [log.display().to_string()]);
    let list = write(dir.path(), "list.txt", format!("{}\n", inputs[0]));
    let by_list = scan(["--files-from", path_str(&list), "--format", "jsonl"]);
    by_list.assert_code(1);
    let by_walk = scan([path_str(&log), "--format", "jsonl"]);
    assert_eq!(by_list.findings(), by_walk.findings());
    assert!(!by_list.out().contains(name), "findings mask the name");
}
