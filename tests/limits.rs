//! Resource limits by design: however a line is built, logleaks finishes quickly, in bounded
//! memory, with the exit code of what it found and a note where it had to cut. Each test names the
//! limit it checks: the longest line matched whole, the depth of nested URLs and of repeated
//! percent-encoding, decompression bombs, and user regexes in a config.

mod common;

use std::path::Path;

use common::*;

fn path_str(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

/// Runs `scan ARGS` and checks it did not panic. A quadratic or exponential blow-up would take
/// hours and hang the test run; speed itself is measured by `scripts/hostile-inputs.sh`.
fn scan_no_panic<const N: usize>(args: [&str; N]) -> Run {
    let run = scan(args);
    run.assert_no_panic();
    run
}

#[test]
fn a_line_longer_than_the_limit_is_matched_on_its_start_counted_and_noted() {
    let dir = tempdir();
    let mut log = combined_line("/pay?stripe_key=sk_live_Nq4Rt8Wz2Yb6Kx1Vm5Lp3Hc7").into_bytes();
    log.push(b' ');
    log.extend(std::iter::repeat_n(b'x', 9 << 20));
    // Past the first 8 MiB of the line: not matched.
    log.extend_from_slice(b" token=sk_live_Ab3Cd5Ef7Gh9Ij2Kl4Mn6Op8\n");
    log.extend_from_slice(
        combined_line("/pay?stripe_key=sk_live_Tb7Xw2Qm9Rv4Kz6Np1Ly3Fc8").as_bytes(),
    );
    log.push(b'\n');
    let file = write(dir.path(), "huge.log", &log);
    let run = scan_no_panic(["--format", "jsonl", "--show-secrets", path_str(&file)]);
    run.assert_code(1);
    let found: Vec<(u64, String)> = run
        .findings()
        .iter()
        .map(|f| (n(f, "line"), s(f, "secret").to_string()))
        .collect();
    assert_eq!(
        found,
        [
            (1, "sk_live_Nq4Rt8Wz2Yb6Kx1Vm5Lp3Hc7".to_string()),
            (2, "sk_live_Tb7Xw2Qm9Rv4Kz6Np1Ly3Fc8".to_string()),
        ],
        "the line after the long one keeps its number"
    );
    assert_eq!(
        run.error_lines(),
        [format!(
            "logleaks: {}: note: 1 line longer than 8 MiB was matched on its first 8 MiB only",
            path_str(&file)
        )],
        "{}",
        run.stderr
    );
    // A note is not an error: the closing summary counts every line.
    assert!(
        run.summary_line().contains("2 lines") || run.summary_line().contains(" 2 line"),
        "{}",
        run.summary_line()
    );
}

/// `https://h/p?next=` nested `depth` times around `inner`, each level percent-encoded once more
/// than the one around it, as browsers and redirectors build them.
fn nested(depth: usize, inner: &str) -> String {
    let mut value = inner.to_string();
    for _ in 0..depth {
        let encoded: String = value
            .bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect();
        value = format!("https://sso.example.com/login?next={encoded}");
    }
    value
}

#[test]
fn nested_urls_are_followed_to_the_decoding_depth_and_no_deeper() {
    let dir = tempdir();
    // A password only a parameter name reveals: found where the walk reaches.
    let shallow = nested(3, "https://app.example.com/cb?password=Vq7-Lz2-Rt9-Wn4");
    let deep = nested(12, "https://app.example.com/cb?password=Hy3-Kp8-Dm5-Xs1");
    // And a line nested thousands of times over: it terminates quickly.
    let hostile = format!("/r?u={}", "https%3A%2F%2Fh%2F%3Fu%3D".repeat(20_000));
    let log = [
        combined_line(&format!("/r?u={shallow}")),
        combined_line(&format!("/r?u={deep}")),
        combined_line(&hostile),
    ]
    .join("\n")
        + "\n";
    let file = write(dir.path(), "nested.log", log);
    let run = scan_no_panic(["--format", "jsonl", "--show-secrets", path_str(&file)]);
    run.assert_code(1);
    assert!(run.error_lines().is_empty(), "{}", run.stderr);
    let findings = run.findings();
    let secrets: Vec<&str> = findings.iter().map(|f| s(f, "secret")).collect();
    assert!(secrets.contains(&"Vq7-Lz2-Rt9-Wn4"), "{}", run.out());
    assert!(
        !secrets.contains(&"Hy3-Kp8-Dm5-Xs1"),
        "found past the decoding depth of {}: {}",
        logleaks::detect::MAX_DECODE_DEPTH,
        run.out()
    );
    let shallow_finding = findings
        .iter()
        .find(|f| s(f, "secret") == "Vq7-Lz2-Rt9-Wn4")
        .expect("found");
    assert_eq!(s(shallow_finding, "param"), "password");
}

#[test]
fn ten_megabytes_of_percent_25_finish_quickly() {
    let dir = tempdir();
    let mut line = b"/search?q=".to_vec();
    line.extend("%25".repeat(10 << 20 >> 2).bytes());
    let file = write(
        dir.path(),
        "percent.log",
        [
            combined_line(&String::from_utf8(line).unwrap()).as_bytes(),
            b"\n",
        ]
        .concat(),
    );
    let run = scan_no_panic(["--format", "jsonl", path_str(&file)]);
    run.assert_code(0);
    assert!(run.stdout.is_empty());
    assert!(run.error_lines().is_empty(), "{}", run.stderr);
}

/// A line written full of vendor prefixes that are not credentials (`eyJ`, `pat`, `ghp_`, …):
/// confirming each of them once looked at the rest of the line again, which made a 10 MB line take
/// minutes. The credential after them is still found.
#[test]
fn a_line_full_of_vendor_prefixes_finishes_quickly_and_keeps_its_credential() {
    let dir = tempdir();
    let prefixes = "eyJ pat ghp_ AKIA sk_live_ glpat- dp.st. -us1 hvs. ".repeat(40_000);
    let airtable =
        "patDXSB0Io5TjOd8I.cfd0d28505754c80e839d40f021070934479ede0a3ea6980f21758ac56bc505e";
    let line = combined_line(&format!("/search?q={prefixes}&ref={airtable}"));
    let file = write(dir.path(), "prefixes.log", format!("{line}\n{line}\n"));
    let run = scan_no_panic(["--format", "jsonl", path_str(&file)]);
    run.assert_code(1);
    let found = run.findings();
    assert_eq!(found.len(), 2, "{}", run.stderr);
    assert!(found.iter().all(|f| s(f, "rule") == "airtable-pat"));
}

/// A config with one custom rule whose regex is the worst case for iterating matches: finding
/// an 8-letter match means scanning to the end of the run of letters first (the first alternative
/// might still match), and the rule has no literal text, so every line is matched with it.
const GREEDY_RULE: &str = r#"
[[rules]]
id = "greedy-letters"
description = "Eight letters, unless a long run of letters ends in nine digits"
regex = '(?:[a-z]{3,}[0-9]{9}|[a-z]{8})'
kind = "credential"
severity = "low"
examples = ["/x?v=qwertyui"]
"#;

#[test]
fn a_user_regex_cannot_make_a_huge_line_take_quadratic_time() {
    let dir = tempdir();
    let config = write(dir.path(), "greedy.toml", GREEDY_RULE);
    let mut log = vec![b'a'; 6 << 20];
    log.push(b'\n');
    log.extend_from_slice(combined_line("/x?v=zxcvbnml").as_bytes());
    log.push(b'\n');
    let file = write(dir.path(), "letters.log", &log);
    let run = scan_no_panic([
        "--config",
        path_str(&config),
        "--format",
        "jsonl",
        "--show-secrets",
        path_str(&file),
    ]);
    run.assert_code(1);
    let findings = run.findings();
    let found: Vec<(u64, &str, &str)> = findings
        .iter()
        .map(|f| (n(f, "line"), s(f, "rule"), s(f, "secret")))
        .collect();
    assert!(
        found.contains(&(2, "greedy-letters", "zxcvbnml")),
        "{found:?}"
    );
    // The config is named, with the note that the rule has no literal text.
    assert!(
        run.stderr
            .contains("rule `greedy-letters` has no literal text to search for"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_user_regex_too_large_to_compile_is_a_clear_config_error() {
    let dir = tempdir();
    let config = write(
        dir.path(),
        "huge.toml",
        r#"
[[rules]]
id = "huge-regex"
description = "A regex that compiles to more than the size limit"
regex = '(?:\w{500}){500}x'
kind = "credential"
severity = "low"
examples = ["x"]
"#,
    );
    let run = scan_no_panic([
        "--config",
        path_str(&config),
        "fixtures/apache/access_common.log",
    ]);
    run.assert_code(2);
    assert!(run.stdout.is_empty());
    let stderr = run.stderr.to_lowercase();
    assert!(
        stderr.contains(&format!("{}:", path_str(&config)).to_lowercase())
            && stderr.contains("rule `huge-regex`")
            && stderr.contains("size limit"),
        "{}",
        run.stderr
    );
}

/// Peak resident memory of a run of logleaks in KiB, measured by GNU time when it is installed.
fn peak_rss_kib(args: &[&str]) -> Option<(i32, u64, String)> {
    let time = Path::new("/usr/bin/time");
    if !time.exists() {
        return None;
    }
    let output = std::process::Command::new(time)
        .arg("-f")
        .arg("peak-rss-kib=%M")
        .arg(env!("CARGO_BIN_EXE_logleaks"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("/usr/bin/time runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let kib = stderr
        .lines()
        .find_map(|l| l.strip_prefix("peak-rss-kib="))
        .and_then(|v| v.trim().parse().ok())?;
    // GNU time reports a signal as its own exit code; the line before ours is logleaks' stderr.
    Some((output.status.code().unwrap_or(-1), kib, stderr))
}

#[test]
fn a_decompression_bomb_streams_in_bounded_memory() {
    // 256 MiB of zeros in 256 gzip members (a multi-member file of about 256 KB): one endless
    // line of NULs, which must be cut, counted and skipped without being held.
    let dir = tempdir();
    let member = gzip(&vec![0u8; 1 << 20]);
    let bomb = write(dir.path(), "bomb.gz", member.repeat(256));
    let args = ["scan", "--no-progress", path_str(&bomb)];
    let Some((code, kib, stderr)) = peak_rss_kib(&args) else {
        eprintln!("SKIPPED the memory measurement: /usr/bin/time (GNU time) is not installed; only the exit code is checked");
        let run = scan_no_panic(["--no-progress", path_str(&bomb)]);
        run.assert_code(0);
        return;
    };
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("1 line longer than 8 MiB was matched on its first 8 MiB only"),
        "{stderr}"
    );
    assert!(kib < 100 * 1024, "peak RSS {kib} KiB:\n{stderr}");
}
