//! `logleaks redact`, end to end: only the secrets change, compressed stays compressed, and
//! `--in-place` never loses a byte, whatever goes wrong.

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use common::*;

/// Runs `logleaks redact ARGS...`.
fn redact<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    run(logleaks().arg("redact").arg("--no-config").args(args))
}

/// Findings of a `--show-secrets` scan of `path`, as JSON values.
fn findings_of(path: &Path) -> Vec<serde_json::Value> {
    let run = run(logleaks()
        .args(["scan", "--no-config", "--format", "jsonl", "--show-secrets"])
        .arg(path));
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    run.findings()
}

fn p(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}

const KEY: &str = "d4d3fd81b6ee7b3bb1c863e2601a0042";

#[test]
fn stdout_mode_changes_only_the_secrets_of_every_fixture() {
    let dir = tempdir();
    for fixture_path in ["fixtures/nginx/access.log", "fixtures/apache/access_log"] {
        let input = fixture(fixture_path);
        let run = redact([fixture_path]);
        run.assert_code(0).assert_no_panic();
        let output = run.stdout;
        let in_lines: Vec<&[u8]> = input.split(|&b| b == b'\n').collect();
        let out_lines: Vec<&[u8]> = output.split(|&b| b == b'\n').collect();
        assert_eq!(in_lines.len(), out_lines.len(), "{fixture_path}");
        let findings = findings_of(&root().join(fixture_path));
        assert!(!findings.is_empty());
        let finding_lines: Vec<usize> = findings.iter().map(|f| n(f, "line") as usize).collect();
        for (i, (a, b)) in in_lines.iter().zip(&out_lines).enumerate() {
            if !finding_lines.contains(&(i + 1)) {
                assert_eq!(a, b, "{fixture_path}: line {} changed", i + 1);
            } else {
                assert_ne!(a, b, "{fixture_path}: line {} kept its secret", i + 1);
                // Everything before the first finding is as it was, and the mask follows.
                let column = findings
                    .iter()
                    .filter(|f| n(f, "line") as usize == i + 1)
                    .map(|f| n(f, "column") as usize)
                    .min()
                    .unwrap();
                assert_eq!(a[..column - 1], b[..column - 1], "line {}", i + 1);
                assert!(b[column - 1..].starts_with(b"REDACTED"), "line {}", i + 1);
            }
        }
        for f in &findings {
            let secret = json_bytes(&f["secret"]);
            assert!(
                !output.windows(secret.len()).any(|w| w == secret.as_slice()),
                "{fixture_path}: a {} secret is still there",
                s(f, "rule")
            );
        }
        let out = write(dir.path(), "out.log", &output);
        assert!(
            findings_of(&out).is_empty(),
            "{fixture_path}: re-scan finds something"
        );
    }
}

#[test]
fn line_endings_invalid_utf8_and_a_missing_final_newline_are_kept() {
    let dir = tempdir();
    let mut input = Vec::new();
    input.extend_from_slice(combined_line(&format!("/a?api_key={KEY}&x=1")).as_bytes());
    input.extend_from_slice(b"\r\n");
    input.extend_from_slice(b"caf\xe9 \xff\xfe plain line\r\n");
    input.extend_from_slice(b"\n");
    input.extend_from_slice(b"\xc3\x28 GET /b?token=");
    input.extend_from_slice(KEY.as_bytes());
    input.extend_from_slice(b" \xff\n");
    input.extend_from_slice(combined_line(&format!("/c?access_token={KEY}")).as_bytes());
    let path = write(dir.path(), "mixed.log", &input);
    let run = redact([p(&path)]);
    run.assert_code(0);
    let mut want = input.clone();
    let mut replaced = 0;
    while let Some(at) = want.windows(KEY.len()).position(|w| w == KEY.as_bytes()) {
        want.splice(at..at + KEY.len(), b"REDACTED".iter().copied());
        replaced += 1;
    }
    assert_eq!(replaced, 3);
    assert_eq!(run.stdout, want);
    assert!(run
        .stdout
        .ends_with(b"HTTP/1.1\" 200 512 \"-\" \"curl/8.5.0\""));
}

#[test]
fn every_occurrence_in_a_line_is_masked_encoded_or_not() {
    let dir = tempdir();
    // An nginx error line repeats the URI; the referer carries it percent-encoded.
    let line = format!(
        "2026/11/27 10:02:40 [error] 21#21: *3360 open() failed, client: 203.0.113.9, server: x, request: \"GET /a?api_key={KEY} HTTP/1.1\", upstream: \"http://10.0.4.17:8080/a?api_key={KEY}\", host: \"x\", referrer: \"https://x/cb?next=%2Fa%3Fapi_key%3D{KEY}\"\n"
    );
    let json = format!("{{\"uri\":\"/oauth?state=1\\u0026access_token={KEY}\",\"status\":200}}\n");
    let path = write(dir.path(), "error.log", format!("{line}{json}"));
    let run = redact([p(&path)]);
    run.assert_code(0);
    let out = run.out();
    assert!(!out.contains(KEY), "{out}");
    assert_eq!(out, format!("{line}{json}").replace(KEY, "REDACTED"));
}

#[test]
fn percent_encoded_secrets_are_masked_as_they_appear() {
    let dir = tempdir();
    let line = combined_line("/login?user=jdoe&password=Blue-Heron-42%21&remember=1");
    let path = write(dir.path(), "a.log", format!("{line}\n"));
    let run = redact([p(&path)]);
    run.assert_code(0);
    assert_eq!(
        run.out(),
        format!("{}\n", line.replace("Blue-Heron-42%21", "REDACTED"))
    );
}

/// A JSON line in a file of another format is read as JSON (the per-line second chance), so a
/// key written as `"key":"…"` is found and masked there, though the file's own format writes
/// names as `key=`.
#[test]
fn a_json_line_in_an_access_log_is_scanned_and_masked() {
    let dir = tempdir();
    let access = combined_line("/index.html");
    let json = format!(r#"{{"level":"info","query":{{"key":"{KEY}"}}}}"#);
    let text = format!("{}{json}\n", format!("{access}\n").repeat(20));
    let path = write(dir.path(), "mixed.log", &text);
    let found = findings_of(&path);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((s(&found[0], "secret"), n(&found[0], "line")), (KEY, 21));
    let run = redact([p(&path)]);
    run.assert_code(0);
    assert_eq!(run.out(), text.replace(KEY, "REDACTED"));
}

/// Redact reads the config as scan does: its custom rules are masked too, and what scan says
/// about the config (which file, its notes) redact says as well.
#[test]
fn the_configs_rules_are_masked_and_its_notes_told() {
    let dir = tempdir();
    let config = write(
        dir.path(),
        "rules.toml",
        r#"
[[rules]]
id = "internal-ticket-key"
description = "An internal service key: eight letters then six digits"
regex = '[a-z]{8}[0-9]{6}'
kind = "credential"
severity = "low"
examples = ["/x?v=qwertyui123456"]
"#,
    );
    let line = combined_line("/status?v=zxcvbnml654321");
    let path = write(dir.path(), "a.log", format!("{line}\n"));
    let run = run(logleaks()
        .args(["redact", "--config", p(&config)])
        .arg(&path));
    run.assert_code(0);
    assert_eq!(
        run.out(),
        format!("{}\n", line.replace("zxcvbnml654321", "REDACTED"))
    );
    for said in [
        format!("logleaks: using config {} (1 custom rule)", p(&config)),
        format!(
            "logleaks: {}: note: rule `internal-ticket-key` has no literal text to search for",
            p(&config)
        ),
    ] {
        assert!(run.stderr.contains(&said), "{said}: {}", run.stderr);
    }
}

#[test]
fn a_custom_mask_and_masks_that_would_break_lines() {
    let dir = tempdir();
    let path = write(
        dir.path(),
        "a.log",
        format!("{}\n", combined_line(&format!("/a?api_key={KEY}"))),
    );
    let run = redact(["--mask", "***scrubbed***", p(&path)]);
    run.assert_code(0);
    assert!(run.out().contains("api_key=***scrubbed*** HTTP/1.1"));
    for bad in [
        "",
        "two words",
        "a\"b",
        "x&y",
        "a=b",
        "100%",
        "ünï",
        "tab\there",
        "a/b",
    ] {
        let run = redact(["--mask", bad, p(&path)]);
        run.assert_code(2).assert_no_panic();
        assert!(run.stdout.is_empty());
        assert!(run.stderr.contains("--mask"), "{bad:?}: {}", run.stderr);
    }
}

/// Compressed with each supported compression by the codec crates themselves.
fn compress(kind: &str, data: &[u8]) -> Vec<u8> {
    match kind {
        "gz" => gzip(data),
        "zst" => zstd::stream::encode_all(data, 3).unwrap(),
        "bz2" => {
            let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
            e.write_all(data).unwrap();
            e.finish().unwrap()
        }
        "xz" => {
            let mut e =
                lzma_rust2::XzWriter::new(Vec::new(), lzma_rust2::XzOptions::with_preset(1))
                    .unwrap();
            e.write_all(data).unwrap();
            e.finish().unwrap()
        }
        other => panic!("{other}"),
    }
}

fn decompress(kind: &str, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    match kind {
        "gz" => flate2::read::MultiGzDecoder::new(data)
            .read_to_end(&mut out)
            .map(|_| ()),
        "zst" => zstd::stream::Decoder::new(data)
            .unwrap()
            .read_to_end(&mut out)
            .map(|_| ()),
        "bz2" => bzip2::read::MultiBzDecoder::new(data)
            .read_to_end(&mut out)
            .map(|_| ()),
        "xz" => lzma_rust2::XzReader::new(data, true)
            .read_to_end(&mut out)
            .map(|_| ()),
        other => panic!("{other}"),
    }
    .unwrap_or_else(|e| panic!("{kind}: {e}"));
    out
}

#[test]
fn compressed_inputs_give_compressed_outputs() {
    let dir = tempdir();
    let plain = fixture("fixtures/nginx/access.log");
    let expected = redact(["fixtures/nginx/access.log"]).stdout;
    assert_ne!(expected, plain);
    let magic: [(&str, &[u8]); 4] = [
        ("gz", &[0x1f, 0x8b]),
        ("zst", &[0x28, 0xb5, 0x2f, 0xfd]),
        ("bz2", b"BZh"),
        ("xz", &[0xfd, b'7', b'z', b'X', b'Z']),
    ];
    for (kind, magic) in magic {
        let name = format!("access.log.{kind}");
        let input = write(dir.path(), &name, compress(kind, &plain));
        // Standard output.
        let run = redact([p(&input)]);
        run.assert_code(0);
        assert!(run.stdout.starts_with(magic), "{kind} to stdout");
        assert_eq!(decompress(kind, &run.stdout), expected, "{kind} to stdout");
        // --in-place.
        let run = redact(["--in-place", p(&input)]);
        run.assert_code(0);
        let rewritten = std::fs::read(&input).unwrap();
        assert!(rewritten.starts_with(magic), "{kind} in place");
        assert_eq!(decompress(kind, &rewritten), expected, "{kind} in place");
    }
    // Several gzip members (logrotate, `cat a.gz b.gz`) come out as one stream of it all.
    let mut joined = gzip(&plain[..plain.len() / 2]);
    joined.extend(gzip(&plain[plain.len() / 2..]));
    let input = write(dir.path(), "joined.log.gz", joined);
    let run = redact([p(&input)]);
    run.assert_code(0);
    assert_eq!(decompress("gz", &run.stdout), expected);
}

#[test]
fn output_directory_keeps_relative_paths_and_leaves_inputs_alone() {
    let dir = tempdir();
    let logs = dir.path().join("logs");
    let a = write(
        &logs,
        "web/access.log",
        fixture("fixtures/nginx/access.log"),
    );
    let b = write(
        &logs,
        "app/other.log.gz",
        gzip(&fixture("fixtures/apache/access_log")),
    );
    write(&logs, "clean.log", "nothing to see\n");
    let out = dir.path().join("out");
    let run = run(logleaks().current_dir(dir.path()).args([
        "redact",
        "--no-config",
        "logs",
        "--output",
        "out",
    ]));
    run.assert_code(0);
    assert_eq!(
        std::fs::read(&a).unwrap(),
        fixture("fixtures/nginx/access.log")
    );
    assert!(std::fs::read(&b).unwrap().starts_with(&[0x1f, 0x8b]));
    assert_eq!(
        std::fs::read(out.join("logs/web/access.log")).unwrap(),
        redact(["fixtures/nginx/access.log"]).stdout
    );
    assert_eq!(
        decompress(
            "gz",
            &std::fs::read(out.join("logs/app/other.log.gz")).unwrap()
        ),
        redact(["fixtures/apache/access_log"]).stdout
    );
    assert_eq!(
        std::fs::read(out.join("logs/clean.log")).unwrap(),
        b"nothing to see\n"
    );
    assert!(
        run.stderr
            .contains("logs/web/access.log: 20 secrets masked"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
fn mode_of(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[cfg(unix)]
#[test]
fn in_place_keeps_the_mode_and_backup_keeps_the_original() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir();
    let original = fixture("fixtures/nginx/access.log");
    let path = write(dir.path(), "access.log", &original);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    let run = redact(["--in-place", "--backup", ".orig", p(&path)]);
    run.assert_code(0);
    assert!(run.stdout.is_empty());
    assert_eq!(mode_of(&path), 0o640);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        redact(["fixtures/nginx/access.log"]).stdout
    );
    let backup = dir.path().join("access.log.orig");
    assert_eq!(std::fs::read(&backup).unwrap(), original);
    assert_eq!(mode_of(&backup), 0o640);
    // No temporary file is left behind.
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["access.log", "access.log.orig"]);
    // A second run has nothing left to mask, and changes nothing.
    let before = std::fs::read(&path).unwrap();
    let run = redact(["--in-place", p(&path)]);
    run.assert_code(0);
    assert!(run.stderr.contains("0 secrets masked"), "{}", run.stderr);
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

/// Files in a directory, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_failure_while_writing_leaves_the_original_untouched() {
    let dir = tempdir();
    let original = fixture("fixtures/nginx/access.log");
    let gz = gzip(&original);
    let plain = write(dir.path(), "access.log", &original);
    let packed = write(dir.path(), "access.log.1.gz", &gz);
    assert!(gz.len() > 1000);
    for limit in ["0", "100", "1000"] {
        let run = run(logleaks()
            .env("LOGLEAKS_TEST_FAIL_WRITE_AFTER", limit)
            .args(["redact", "--no-config", "--in-place", "--backup", ".bak"])
            .args([p(&plain), p(&packed)]));
        run.assert_code(2).assert_no_panic();
        assert!(
            run.stderr.contains("access.log: cannot write"),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr.contains("original is untouched"),
            "{}",
            run.stderr
        );
        assert_eq!(std::fs::read(&plain).unwrap(), original, "limit {limit}");
        assert!(
            std::fs::read(&packed).unwrap() == gz,
            "limit {limit}: gzip changed"
        );
        assert_eq!(listing(dir.path()), ["access.log", "access.log.1.gz"]);
    }
}

#[test]
fn errors_are_named_and_other_inputs_are_still_redacted() {
    let dir = tempdir();
    let good = write(dir.path(), "good.log", fixture("fixtures/nginx/access.log"));
    let missing = dir.path().join("missing.log");
    let truncated_gz = gzip(&fixture("fixtures/nginx/access.log"));
    let truncated = write(
        dir.path(),
        "cut.log.gz",
        &truncated_gz[..truncated_gz.len() / 2],
    );
    let run = redact(["--in-place", p(&good), p(&missing), p(&truncated)]);
    run.assert_code(2).assert_no_panic();
    assert!(run.stderr.contains("missing.log: "), "{}", run.stderr);
    assert!(run.stderr.contains("cut.log.gz: "), "{}", run.stderr);
    assert_eq!(
        std::fs::read(&truncated).unwrap(),
        truncated_gz[..truncated_gz.len() / 2]
    );
    assert_eq!(
        std::fs::read(&good).unwrap(),
        redact(["fixtures/nginx/access.log"]).stdout
    );
    // Usage errors.
    redact(["--backup", ".x", p(&good)]).assert_code(2);
    redact([p(&good), p(&good)]).assert_code(2);
    let as_dir = redact([p(dir.path())]);
    as_dir.assert_code(2);
    assert!(
        as_dir.stderr.contains("--output DIR or --in-place"),
        "{}",
        as_dir.stderr
    );
    let stdin_in_place = common::run(
        logleaks()
            .args(["redact", "--no-config", "--in-place", "-"])
            .write_stdin("x\n"),
    );
    stdin_in_place.assert_code(2);
}

#[test]
fn standard_input_to_standard_output() {
    let run = run(logleaks()
        .args(["redact", "--no-config"])
        .write_stdin(fixture("fixtures/nginx/access.log")));
    run.assert_code(0);
    assert_eq!(run.stdout, redact(["fixtures/nginx/access.log"]).stdout);
}

#[test]
fn archives_are_refused_clearly() {
    let dir = tempdir();
    let mut builder = tar::Builder::new(Vec::new());
    let data = fixture("fixtures/nginx/access.log");
    let mut header = tar::Header::new_gnu();
    header.set_size(data.len() as u64);
    header.set_mode(0o644);
    header.set_cksum();
    builder
        .append_data(&mut header, "var/log/nginx/access.log", &data[..])
        .unwrap();
    let tarball = builder.into_inner().unwrap();
    let path = write(dir.path(), "logs.tgz", gzip(&tarball));
    let run = redact(["--in-place", p(&path)]);
    run.assert_code(2).assert_no_panic();
    assert!(
        run.stderr.contains("logs.tgz: is a tar archive"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read(&path).unwrap(), gzip(&tarball));
}

#[cfg(unix)]
#[test]
fn hard_links_are_refused_unless_forced() {
    let dir = tempdir();
    let original = fixture("fixtures/nginx/access.log");
    let path = write(dir.path(), "access.log", &original);
    let other = dir.path().join("access.log.link");
    std::fs::hard_link(&path, &other).unwrap();
    let run = redact(["--in-place", p(&path)]);
    run.assert_code(2);
    assert!(run.stderr.contains("has 2 hard links"), "{}", run.stderr);
    assert_eq!(std::fs::read(&path).unwrap(), original);
    redact(["--in-place", "--force", p(&path)]).assert_code(0);
    assert_ne!(std::fs::read(&path).unwrap(), original);
    assert_eq!(std::fs::read(&other).unwrap(), original);
}

#[cfg(target_os = "linux")]
#[test]
fn a_file_open_for_writing_is_refused() {
    let dir = tempdir();
    let original = fixture("fixtures/nginx/access.log");
    let path = write(dir.path(), "access.log", &original);
    // This test process plays the web server that still appends to its log.
    let writer = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    let run = redact(["--in-place", p(&path)]);
    run.assert_code(2);
    assert!(
        run.stderr.contains(&format!(
            "is open for writing by process {}",
            std::process::id()
        )),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read(&path).unwrap(), original);
    drop(writer);
    redact(["--in-place", p(&path)]).assert_code(0);
}

#[test]
fn a_file_growing_while_it_is_redacted_is_refused_not_truncated() {
    let dir = tempdir();
    let mut content = Vec::new();
    let mut rng = Rng::new(7);
    let mut i = 0u64;
    while content.len() < 16 << 20 {
        let line = if i.is_multiple_of(100) {
            combined_line(&format!("/p?api_key={}", rng.hex32()))
        } else {
            combined_line(&format!("/static/app.js?v={i}"))
        };
        content.extend_from_slice(line.as_bytes());
        content.push(b'\n');
        i += 1;
    }
    let path = write(dir.path(), "live.log", &content);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("logleaks"))
        .args(["redact", "--no-config", "--in-place", p(&path)])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Append (open, write, close: like a logger between requests) until redact is done.
    std::thread::sleep(std::time::Duration::from_millis(30));
    let mut appended = 0;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        f.write_all(b"appended line\n").unwrap();
        drop(f);
        appended += 1;
        std::thread::sleep(std::time::Duration::from_millis(2));
    };
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(appended > 0);
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("changed while it was being redacted")
            || stderr.contains("is open for writing"),
        "{stderr}"
    );
    let now = std::fs::read(&path).unwrap();
    assert!(now.starts_with(&content), "the original was changed");
    assert_eq!(
        now.len(),
        content.len() + appended * b"appended line\n".len()
    );
}

/// Runs `logleaks redact ARGS` as an unprivileged user when the tests run as root (for whom
/// directory permissions do not apply).
#[cfg(unix)]
fn redact_unprivileged(args: &[&str]) -> Run {
    let bin: PathBuf = assert_cmd::cargo::cargo_bin("logleaks");
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    let mut cmd = if root {
        let mut c = assert_cmd::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(bin);
        c
    } else {
        assert_cmd::Command::new(bin)
    };
    cmd.current_dir("/")
        .arg("redact")
        .arg("--no-config")
        .args(args);
    run(&mut cmd)
}

#[cfg(unix)]
#[test]
fn a_read_only_directory_is_a_clear_error_and_the_original_is_untouched() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let logs = dir.path().join("logs");
    std::fs::create_dir(&logs).unwrap();
    let original = fixture("fixtures/nginx/access.log");
    let path = write(&logs, "access.log", &original);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::set_permissions(&logs, std::fs::Permissions::from_mode(0o555)).unwrap();
    let run = redact_unprivileged(&["--in-place", p(&path)]);
    std::fs::set_permissions(&logs, std::fs::Permissions::from_mode(0o755)).unwrap();
    run.assert_code(2).assert_no_panic();
    assert!(
        run.stderr.contains("cannot create a temporary file in")
            && run.stderr.contains("ermission denied")
            && run.stderr.contains("the original is untouched"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read(&path).unwrap(), original);
    assert_eq!(listing(&logs), ["access.log"]);
}

#[test]
fn the_report_counts_per_file_with_scan_fingerprints() {
    let dir = tempdir();
    let a = write(dir.path(), "a.log", fixture("fixtures/nginx/access.log"));
    let b = write(dir.path(), "b.log", "no secrets here\n");
    let report = dir.path().join("report.json");
    let run = redact(["--in-place", "--report", p(&report), p(&a), p(&b)]);
    run.assert_code(0);
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let files = json["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["file"], p(&a));
    assert_eq!(files[0]["status"], "redacted");
    assert_eq!(files[0]["masked"], 20);
    assert_eq!(files[1]["masked"], 0);
    assert_eq!(json["masked"], 20);
    assert_eq!(json["errors"], 0);
    let scanned = findings_of(&root().join("fixtures/nginx/access.log"));
    let mut expected: Vec<(String, String, u64)> = scanned
        .iter()
        .map(|f| {
            (
                s(f, "rule").into(),
                s(f, "fingerprint").into(),
                n(f, "line"),
            )
        })
        .collect();
    let mut got: Vec<(String, String, u64)> = files[0]["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                s(f, "rule").into(),
                s(f, "fingerprint").into(),
                n(f, "first_line"),
            )
        })
        .collect();
    expected.sort();
    got.sort();
    assert_eq!(got, expected);
}

#[test]
fn allowlisted_findings_stay_and_baseline_does_not_matter() {
    let dir = tempdir();
    let scanned = findings_of(&root().join("fixtures/nginx/access.log"));
    let kept = &scanned[0];
    let config = write(
        dir.path(),
        "logleaks.toml",
        format!(
            "[allowlist]\nfingerprints = [\"{}\"]\n",
            s(kept, "fingerprint")
        ),
    );
    let run = run(logleaks().args([
        "redact",
        "--config",
        p(&config),
        "fixtures/nginx/access.log",
    ]));
    run.assert_code(0);
    let secret = json_bytes(&kept["secret"]);
    assert!(run
        .stdout
        .windows(secret.len())
        .any(|w| w == secret.as_slice()));
    assert!(run.stderr.contains("19 secrets masked"), "{}", run.stderr);
    assert!(run.stderr.contains("1 allowlisted"), "{}", run.stderr);
}

#[test]
fn binary_files_are_left_alone() {
    let dir = tempdir();
    let mut elf = b"\x7fELF\x02\x01\x01\0".to_vec();
    elf.extend(std::iter::repeat_n(0u8, 600));
    let path = write(dir.path(), "a.out", &elf);
    let run = redact(["--in-place", p(&path)]);
    run.assert_code(0);
    assert!(
        run.stderr.contains("skipped: not a text log"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read(&path).unwrap(), elf);
    // To standard output, nothing would be written: that is an error, and nothing is written,
    // not even an empty compressed stream.
    let zipped = write(dir.path(), "a.out.gz", gzip(&elf));
    for input in [&path, &zipped] {
        let run = redact([p(input)]);
        run.assert_code(2);
        assert!(run.stdout.is_empty(), "{}", input.display());
        assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    }
}

#[test]
fn empty_files_stay_empty() {
    let dir = tempdir();
    let path = write(dir.path(), "empty.log", "");
    let run = redact([p(&path)]);
    run.assert_code(0);
    assert!(run.stdout.is_empty());
    redact(["--in-place", p(&path)]).assert_code(0);
    assert_eq!(std::fs::read(&path).unwrap(), b"");
}

#[test]
fn every_format_fixture_is_redacted_line_for_line_and_scans_clean() {
    let dir = tempdir();
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(root().join("tests/fixtures/formats")).sort_by_file_name() {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() || entry.file_name() == "README.md" {
            continue;
        }
        let path = entry.path();
        let input = std::fs::read(path).unwrap();
        let run = redact([path]);
        run.assert_code(0).assert_no_panic();
        let (ins, outs) = (
            input.split(|&b| b == b'\n').collect::<Vec<_>>(),
            run.stdout.split(|&b| b == b'\n').collect::<Vec<_>>(),
        );
        assert_eq!(ins.len(), outs.len(), "{}", path.display());
        let findings = findings_of(path);
        for (i, (a, b)) in ins.iter().zip(&outs).enumerate() {
            if !findings.iter().any(|f| n(f, "line") as usize == i + 1) {
                assert_eq!(a, b, "{}: line {} changed", path.display(), i + 1);
            }
        }
        let out = write(dir.path(), "out.log", &run.stdout);
        assert!(
            findings_of(&out).is_empty(),
            "{}: the redacted copy still has findings",
            path.display()
        );
        checked += 1;
    }
    assert!(checked >= 30, "{checked} fixtures");
}

#[cfg(unix)]
#[test]
fn an_owner_that_cannot_be_kept_is_named() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("needs root to make a file of another user; nothing to check");
        return;
    }
    let dir = tempdir();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let logs = dir.path().join("logs");
    std::fs::create_dir(&logs).unwrap();
    std::fs::set_permissions(&logs, std::fs::Permissions::from_mode(0o777)).unwrap();
    let path = write(&logs, "access.log", fixture("fixtures/nginx/access.log"));
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let run = redact_unprivileged(&["--in-place", p(&path)]);
    run.assert_code(0);
    assert!(
        run.stderr
            .contains("access.log: note: the owner (uid 0) could not be kept"),
        "{}",
        run.stderr
    );
    let meta = std::fs::metadata(&path).unwrap();
    assert_eq!(meta.uid(), 65534);
    assert_eq!(meta.mode() & 0o777, 0o644);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        redact(["fixtures/nginx/access.log"]).stdout
    );
}

#[cfg(unix)]
#[test]
fn an_interrupted_in_place_run_leaves_the_old_or_the_new_file_and_no_temporary() {
    let dir = tempdir();
    let mut content = Vec::new();
    let mut i = 0u64;
    while content.len() < 12 << 20 {
        let target = if i.is_multiple_of(50) {
            format!("/p?api_key=d4d3fd81b6ee7b3bb1c863e2601a{:04}", i % 10_000)
        } else {
            format!("/static/app.js?v={i}")
        };
        content.extend_from_slice(combined_line(&target).as_bytes());
        content.push(b'\n');
        i += 1;
    }
    let path = write(dir.path(), "access.log", &content);
    let full = redact([p(&path)]).stdout;
    for delay_ms in [5, 60, 250] {
        std::fs::write(&path, &content).unwrap();
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("logleaks"))
            .args(["redact", "--no-config", "--in-place", p(&path)])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        // SAFETY: kill has no memory preconditions; the pid is our own child's.
        unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
        let status = child.wait().unwrap();
        let now = std::fs::read(&path).unwrap();
        assert!(
            now == content || now == full,
            "after {delay_ms} ms ({status:?}) the file is neither the old nor the new one"
        );
        assert_eq!(listing(dir.path()), ["access.log"], "after {delay_ms} ms");
    }
}

#[cfg(unix)]
#[test]
fn in_place_through_a_symlink_rewrites_the_file_it_points_to() {
    let dir = tempdir();
    let real = write(
        dir.path(),
        "real/access.log",
        fixture("fixtures/nginx/access.log"),
    );
    let link = dir.path().join("access.log");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    redact(["--in-place", "--backup", ".orig", p(&link)]).assert_code(0);
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        std::fs::read(&real).unwrap(),
        redact(["fixtures/nginx/access.log"]).stdout
    );
    assert_eq!(
        std::fs::read(dir.path().join("real/access.log.orig")).unwrap(),
        fixture("fixtures/nginx/access.log")
    );
}

#[test]
fn a_second_run_into_the_same_output_directory_skips_its_own_output() {
    let dir = tempdir();
    write(
        dir.path(),
        "logs/access.log",
        fixture("fixtures/nginx/access.log"),
    );
    for _ in 0..2 {
        let run = run(logleaks().current_dir(dir.path()).args([
            "redact",
            "--no-config",
            ".",
            "--output",
            "out",
        ]));
        run.assert_code(0);
        assert!(run.stderr.contains("masked in 1 file\n"), "{}", run.stderr);
        assert!(!run.stderr.contains("./out/"), "{}", run.stderr);
    }
    assert!(dir.path().join("out/logs/access.log").is_file());
    assert!(!dir.path().join("out/out").exists());
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_in_place_without_blocking() {
    let dir = tempdir();
    let fifo = dir.path().join("pipe.log");
    let name = std::ffi::CString::new(p(&fifo)).unwrap();
    // SAFETY: `name` is a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o644) }, 0);
    let run = redact(["--in-place", p(&fifo)]);
    run.assert_code(2);
    assert!(
        run.stderr.contains("pipe.log: not a regular file"),
        "{}",
        run.stderr
    );
}

#[test]
fn stderr_lists_each_secret_masked_by_rule_and_fingerprint() {
    let run = redact(["fixtures/apache/access_log"]);
    run.assert_code(0);
    let scanned = findings_of(&root().join("fixtures/apache/access_log"));
    assert_eq!(scanned.len(), 6);
    for f in &scanned {
        let row = run
            .stderr
            .lines()
            .find(|l| l.contains(s(f, "fingerprint")))
            .unwrap_or_else(|| panic!("no row for {}:\n{}", s(f, "rule"), run.stderr));
        assert!(row.trim_start().starts_with(s(f, "rule")), "{row}");
        assert!(row.ends_with(&format!("first {}", n(f, "line"))), "{row}");
    }
}

#[test]
fn a_signed_url_loses_its_key_id_token_and_signature_together() {
    let dir = tempdir();
    let key_id = "AKIA24UPIT7CILITYUJ2";
    let token = "IQoJb3JpZ2luX2VjEDDR7PBReiJ5RdzzRTbaIuykwK1KtGqNQhYieKBgXw926GpLJvA0nw4v1ooZJ9tWS3P90mHsnBSlEx91ES5y9y8F4awWEa5xsrBUI";
    let signature = "5e1561f401e8f11f75c848d4e793834a2f52201978ae8702a3ff95d7833a1912";
    let line = combined_line(&format!(
        "/o/a.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={key_id}%2F20261127%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Date=20261127T095500Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Security-Token={token}&X-Amz-Signature={signature}"
    ));
    let path = write(dir.path(), "a.log", format!("{line}\n"));
    let run = redact([p(&path)]);
    run.assert_code(0);
    let expected = line
        .replace(key_id, "REDACTED")
        .replace(token, "REDACTED")
        .replace(signature, "REDACTED");
    assert_eq!(run.out(), format!("{expected}\n"));
    // One finding was masked, and nothing is left to find.
    assert!(run.stderr.contains("1 secret masked"), "{}", run.stderr);
    let out = write(dir.path(), "out.log", run.out());
    assert!(findings_of(&out).is_empty());
}

#[test]
fn quiet_writes_no_counts_but_still_says_what_went_wrong() {
    let run = redact(["--quiet", "fixtures/apache/access_log"]);
    run.assert_code(0).assert_no_panic();
    assert!(String::from_utf8_lossy(&run.stdout).contains("key=REDACTED"));
    assert_eq!(run.stderr, "", "counts on stderr with --quiet");
    let loud = redact(["fixtures/apache/access_log"]);
    assert!(loud.stderr.contains("secrets masked"), "{}", loud.stderr);

    let dir = tempdir();
    let missing = dir.path().join("missing.log");
    let run = redact(["-q", p(&missing)]);
    run.assert_code(2);
    assert!(run.stderr.contains("missing.log"), "{}", run.stderr);
}
