//! Inputs: standard input, gzip (single and multi-member, recognised by magic bytes), parallel
//! scans, directory walks with filters, files that are not logs, and awkward bytes (CR LF, NUL,
//! invalid UTF-8, no final newline, very long lines, `\x22` and `\"` escapes).

mod common;

use std::path::Path;

use common::*;
use serde_json::Value;

const NGINX: &str = "fixtures/nginx/access.log";

/// A finding without its file: what must not change when the same content comes another way.
type Place = (u64, u64, String, String, Option<String>, Vec<u8>);

fn places(findings: &[Value]) -> Vec<Place> {
    findings
        .iter()
        .map(|f| {
            let k = key_of(f);
            (k.1, k.2, k.3, k.4, k.5, k.6)
        })
        .collect()
}

fn files(findings: &[Value]) -> Vec<String> {
    findings
        .iter()
        .map(|f| String::from_utf8_lossy(&json_bytes(&f["file"])).into_owned())
        .collect()
}

/// The findings of the nginx fixture read as a plain file.
fn nginx_places() -> Vec<Place> {
    let run = scan_shown([NGINX]);
    let found = places(&run.findings());
    assert_eq!(found.len(), planted_in(NGINX).len(), "{}", run.stderr);
    found
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

#[test]
fn dash_and_piped_stdin_read_standard_input_reported_as_dash() {
    let expected = nginx_places();
    for args in [&["-"][..], &[]] {
        let run = run(logleaks()
            .args(["scan", "--format", "jsonl", "--show-secrets"])
            .args(args)
            .write_stdin(fixture(NGINX)));
        run.assert_no_panic().assert_code(1);
        let findings = run.findings();
        assert_eq!(places(&findings), expected, "scan {args:?}");
        assert!(files(&findings).iter().all(|f| f == "-"), "{args:?}");
    }
}

#[test]
fn stdin_takes_its_place_among_named_files() {
    let apache = "fixtures/apache/access_log";
    let run = run(logleaks()
        .args(["scan", "--format", "jsonl", apache, "-"])
        .write_stdin(fixture("fixtures/apache/access_common.log")));
    run.assert_code(1);
    let names = files(&run.findings());
    let mut expected = vec![apache.to_string(); planted_in(apache).len()];
    expected.extend(vec![
        "-".to_string();
        planted_in("fixtures/apache/access_common.log").len()
    ]);
    assert_eq!(names, expected);
}

#[test]
fn gzip_single_member_gives_the_same_findings_as_the_plain_file() {
    let expected = nginx_places();
    let dir = tempdir();
    let gz = write(dir.path(), "access.log.1.gz", gzip(&fixture(NGINX)));
    let run = scan_shown([path_str(&gz)]);
    run.assert_no_panic().assert_code(1);
    assert_eq!(places(&run.findings()), expected);
    assert!(files(&run.findings()).iter().all(|f| f == path_str(&gz)));
}

#[test]
fn gzip_multi_member_counts_lines_across_members() {
    let expected = nginx_places();
    let content = fixture(NGINX);
    let dir = tempdir();
    // Members split between lines (as `cat a.gz b.gz` makes), and in the middle of a line.
    let after_line_20 = after_lines(&content, 20);
    for (name, cuts) in [
        ("between-lines.gz", vec![after_line_20]),
        (
            "mid-line.gz",
            vec![content.len() / 3, content.len() / 2 + 7],
        ),
    ] {
        let mut bytes = Vec::new();
        let mut start = 0;
        for cut in cuts.into_iter().chain([content.len()]) {
            bytes.extend(gzip(&content[start..cut]));
            start = cut;
        }
        let gz = write(dir.path(), name, bytes);
        let run = scan_shown([path_str(&gz)]);
        run.assert_no_panic().assert_code(1);
        assert_eq!(places(&run.findings()), expected, "{name}");
    }
}

#[test]
fn compression_is_recognised_by_magic_bytes_not_by_name() {
    let expected = nginx_places();
    let dir = tempdir();
    let gzip_named_log = write(dir.path(), "access.log", gzip(&fixture(NGINX)));
    let plain_named_gz = write(dir.path(), "access.log.2.gz", fixture(NGINX));
    for path in [gzip_named_log, plain_named_gz] {
        let run = scan_shown([path_str(&path)]);
        run.assert_no_panic().assert_code(1);
        assert_eq!(places(&run.findings()), expected, "{}", path.display());
    }
}

/// Writes many small logs and one of a few megabytes, with fixture lines and fresh secrets.
fn write_large_input(dir: &Path) {
    let nginx = fixture(NGINX);
    let fixture_lines: Vec<&[u8]> = nginx
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    let mut rng = Rng::new(7);
    let fresh_line = |i: usize, rng: &mut Rng| -> Vec<u8> {
        let target = match i % 3 {
            0 => format!("/api/pay?id={i}&stripe_key={}", rng.stripe_key()),
            1 => format!("/sync?aws_access_key_id={}&n={i}", rng.aws_key_id()),
            _ => format!("/v1/export?format=csv&api_key={}", rng.hex32()),
        };
        (combined_line(&target) + "\n").into_bytes()
    };
    for f in 0..40 {
        let mut content = Vec::new();
        for i in 0..60 {
            content.extend_from_slice(fixture_lines[(f + i) % fixture_lines.len()]);
            content.push(b'\n');
            if i % 7 == f % 7 {
                content.extend(fresh_line(i, &mut rng));
            }
        }
        write(dir, &format!("small/{f:02}.log"), content);
    }
    let mut medium = Vec::new();
    let mut i = 0;
    while medium.len() < 4 << 20 {
        medium.extend_from_slice(fixture_lines[i % fixture_lines.len()]);
        medium.push(b'\n');
        if i % 5 == 0 {
            medium.extend(fresh_line(i, &mut rng));
        }
        i += 1;
    }
    write(dir, "medium.log", medium);
}

#[test]
fn output_is_identical_for_any_number_of_threads() {
    let dir = tempdir();
    write_large_input(dir.path());
    let root = path_str(dir.path());
    for format in ["jsonl", "table"] {
        let one = scan(["--threads", "1", "--format", format, "--show-secrets", root]);
        one.assert_no_panic().assert_code(1);
        for threads in ["2", "4", "7"] {
            // Small segments make the scanner split the medium file into many line-aligned
            // ranges, as it does with gigabyte files.
            let many = scan([
                "--threads",
                threads,
                "--segment-size",
                "65536",
                "--format",
                format,
                "--show-secrets",
                root,
            ]);
            many.assert_code(1);
            assert!(
                one.stdout == many.stdout,
                "--format {format}: output with --threads {threads} differs from --threads 1"
            );
        }
        if format == "jsonl" {
            let findings = one.findings();
            assert!(findings.len() > 10_000, "only {} findings", findings.len());
            // Input order, then line, then column.
            let order: Vec<(String, u64, u64)> = findings
                .iter()
                .map(|f| (s(f, "file").to_string(), n(f, "line"), n(f, "column")))
                .collect();
            let mut sorted = order.clone();
            sorted.sort();
            assert!(
                order == sorted,
                "findings are not in file, line, column order"
            );
        }
    }
}

#[test]
fn directories_are_walked_recursively_in_sorted_order_with_hidden_files() {
    let dir = tempdir();
    let names = [
        "b/z.log",
        "a.log",
        ".hidden/h.log",
        "b/a.log",
        ".dot.log",
        "b/c/deep.log",
    ];
    let mut rng = Rng::new(11);
    for name in names {
        let line = combined_line(&format!("/pay?stripe_key={}", rng.stripe_key()));
        write(dir.path(), name, line + "\n");
    }
    let run = scan(["--format", "jsonl", path_str(dir.path())]);
    run.assert_code(1);
    let root = path_str(dir.path());
    let expected: Vec<String> = [
        ".dot.log",
        ".hidden/h.log",
        "a.log",
        "b/a.log",
        "b/c/deep.log",
        "b/z.log",
    ]
    .iter()
    .map(|n| format!("{root}/{n}"))
    .collect();
    assert_eq!(files(&run.findings()), expected);
}

#[test]
fn glob_and_exclude_filter_the_walk() {
    let dir = tempdir();
    let mut rng = Rng::new(12);
    for name in ["a.log", "b.txt", "old/c.log", "old/d.log.gz", "new/e.log"] {
        let line = combined_line(&format!("/pay?stripe_key={}", rng.stripe_key())) + "\n";
        let content = if name.ends_with(".gz") {
            gzip(line.as_bytes())
        } else {
            line.into_bytes()
        };
        write(dir.path(), name, content);
    }
    let root = path_str(dir.path());
    let found = |args: &[&str]| -> Vec<String> {
        let run = scan([&["--format", "jsonl"][..], args, &[root]].concat());
        run.assert_no_panic();
        files(&run.findings())
            .iter()
            .map(|f| f[root.len() + 1..].to_string())
            .collect()
    };
    assert_eq!(
        found(&[]),
        ["a.log", "b.txt", "new/e.log", "old/c.log", "old/d.log.gz"]
    );
    assert_eq!(
        found(&["--glob", "*.log"]),
        ["a.log", "new/e.log", "old/c.log"]
    );
    assert_eq!(
        found(&["--glob", "*.log", "--glob", "*.gz"]),
        ["a.log", "new/e.log", "old/c.log", "old/d.log.gz"]
    );
    assert_eq!(
        found(&["--exclude", "old"]),
        ["a.log", "b.txt", "new/e.log"]
    );
    assert_eq!(
        found(&["--exclude", "*.txt", "--exclude", "*.gz"]),
        ["a.log", "new/e.log", "old/c.log"]
    );
}

/// A wtmp-like file: fixed 384-byte login records, short fields padded with NULs. The host field
/// of one record holds text that would be a finding if the file were scanned as a log.
fn wtmp_like(secret: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for i in 0..24u8 {
        let mut rec = vec![0u8; 384];
        rec[0] = 7;
        rec[4] = i + 1;
        rec[8..13].copy_from_slice(b"pts/0");
        rec[44..48].copy_from_slice(b"root");
        let host = if i == 3 {
            format!("key={secret}")
        } else {
            "10.0.0.11".into()
        };
        rec[76..76 + host.len()].copy_from_slice(host.as_bytes());
        rec[340] = 0x65;
        out.extend(rec);
    }
    out
}

/// A combined line whose request target is `len` raw bytes of a worm's shellcode (control bytes
/// and 8-bit bytes, no NUL), as Apache 1.3 wrote a WebDAV `SEARCH` overflow into its access log.
fn shellcode_line(len: usize) -> Vec<u8> {
    let mut line = b"198.51.100.23 - - [14/Jun/2004:03:11:52 -0400] \"SEARCH /".to_vec();
    line.extend([0x90u8, 0x02, 0xb1, 0x02].iter().cycle().take(len));
    line.extend(b" HTTP/1.1\" 414 326 \"-\" \"-\"\n");
    line
}

#[test]
fn a_log_with_raw_exploit_bytes_in_a_request_is_scanned_and_shown_escaped() {
    let dir = tempdir();
    let mut rng = Rng::new(31);
    let query_key = rng.stripe_key();
    let raw_key = rng.stripe_key();
    let mut log = shellcode_line(1100);
    for i in 0..30 {
        log.extend(combined_line(&format!("/static/page{i}.html")).as_bytes());
        log.push(b'\n');
    }
    log.extend(combined_line(&format!("/pay?api_key={query_key}")).as_bytes());
    log.push(b'\n');
    // A credential on a line with control bytes of its own: shown without them.
    log.extend(combined_line(&format!("/cgi-bin/\x02\x1b[2J\x07?api_key={raw_key}")).as_bytes());
    log.push(b'\n');
    log.extend(shellcode_line(9000));
    let path = write(dir.path(), "httpd/access_log.3", &log);

    let scanned = scan_shown([path_str(&path)]);
    scanned.assert_no_panic().assert_code(1);
    let secrets: Vec<Vec<u8>> = scanned
        .findings()
        .iter()
        .map(|f| json_bytes(&f["secret"]))
        .collect();
    assert_eq!(
        secrets,
        [query_key.as_bytes(), raw_key.as_bytes()],
        "{}",
        scanned.stderr
    );
    let summary = scanned.summary_line();
    assert!(
        summary.contains("1 file") && !summary.contains("skipped"),
        "{summary}"
    );

    // What people read carries no byte that could drive a terminal.
    let driving = |b: &u8| (*b < 0x20 && *b != b'\n') || *b == 0x7f;
    for format in ["table", "jsonl"] {
        let shown = run(logleaks()
            .args(["scan", "--format", format, "--show-secrets"])
            .arg(&path));
        shown.assert_code(1);
        assert!(
            !shown.stdout.iter().any(driving),
            "{format}: {}",
            shown.out()
        );
        assert!(
            !shown.stderr.as_bytes().iter().any(driving),
            "{format}: {}",
            shown.stderr
        );
    }
    let inspected = run(logleaks().arg("inspect").arg(&path));
    assert!(!inspected.stdout.iter().any(driving), "{}", inspected.out());
    assert!(
        !inspected.out().contains("not a text log"),
        "{}",
        inspected.out()
    );
}

/// Random bytes without NUL or magic, cut into lines: data, not a log.
fn random_lines(rng: &mut Rng) -> Vec<u8> {
    (0..6000)
        .map(|i| match i % 97 {
            96 => b'\n',
            _ => (rng.next() % 255) as u8 + 1,
        })
        .collect()
}

#[test]
fn binary_files_in_a_directory_are_skipped_and_counted_not_errors() {
    let dir = tempdir();
    let mut rng = Rng::new(13);
    let hidden_line = |rng: &mut Rng| format!("\nGET /pay?stripe_key={}\n", rng.stripe_key());
    let mut elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0\x3e\0".to_vec();
    elf.extend(hidden_line(&mut rng).as_bytes());
    elf.extend((0..2000u32).map(|i| (i * 7919 % 251) as u8));
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend(hidden_line(&mut rng).as_bytes());
    png.extend((0..2000u32).map(|i| (i * 104_729 % 256) as u8));
    write(dir.path(), "bin/logrotate-helper", elf);
    write(dir.path(), "img/logo.png", png);
    write(dir.path(), "wtmp", wtmp_like(&rng.aws_key_id()));
    let mut data = random_lines(&mut rng);
    data.extend(hidden_line(&mut rng).as_bytes());
    write(dir.path(), "cache/blob.dat", data);
    let log_secret = rng.stripe_key();
    write(
        dir.path(),
        "nginx/access.log",
        combined_line(&format!("/pay?stripe_key={log_secret}")) + "\n",
    );
    let run = scan_shown([path_str(dir.path())]);
    run.assert_no_panic().assert_code(1);
    let findings = run.findings();
    assert_eq!(findings.len(), 1, "{}", run.out());
    assert_eq!(json_bytes(&findings[0]["secret"]), log_secret.as_bytes());
    assert!(run.error_lines().is_empty(), "{}", run.stderr);
    let summary = run.summary_line();
    assert!(
        summary.contains("4 skipped"),
        "skipped files not counted: {summary}"
    );
}

#[cfg(unix)]
#[test]
fn non_regular_files_in_a_directory_are_skipped_not_errors() {
    let dir = tempdir();
    let _listener =
        std::os::unix::net::UnixListener::bind(dir.path().join("app.sock")).expect("a unix socket");
    write(
        dir.path(),
        "access.log",
        combined_line("/pay?stripe_key=sk_live_Hn3Kq8Wz1Rb6Tv9Xy2Lm5Pc7") + "\n",
    );
    let run = scan(["--format", "jsonl", path_str(dir.path())]);
    run.assert_no_panic().assert_code(1);
    assert_eq!(run.findings().len(), 1);
    assert!(run.error_lines().is_empty(), "{}", run.stderr);
}

#[test]
fn an_empty_file_is_not_an_error() {
    let dir = tempdir();
    let empty = write(dir.path(), "empty.log", "");
    write(dir.path(), "sub/empty.log.1", "");
    for path in [empty.as_path(), dir.path()] {
        let run = scan(["--format", "jsonl", path_str(path)]);
        run.assert_no_panic().assert_code(0);
        assert!(run.stdout.is_empty());
        assert!(run.error_lines().is_empty(), "{}", run.stderr);
    }
    let gz_of_nothing = write(dir.path(), "empty.gz", gzip(b""));
    scan([path_str(&gz_of_nothing)]).assert_code(0);
}

#[test]
fn nul_bytes_before_a_log_line_do_not_hide_it_or_shift_line_numbers() {
    // logrotate `copytruncate`: the writer's next line lands after a hole of NUL bytes.
    let dir = tempdir();
    let first = "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";
    let second = "sk_live_Fgu951UJ6PNXyxRveOVUegAW";
    let line1 = combined_line(&format!("/ci/deploy?token={first}"));
    let line2 = combined_line(&format!("/pay?stripe_key={second}"));
    let mut content = vec![0u8; 5000];
    content.extend(format!("{line1}\n{line2}\n").as_bytes());
    let path = write(dir.path(), "access.log", &content);
    let run = scan_shown([path_str(&path)]);
    run.assert_no_panic().assert_code(1);
    let findings = run.findings();
    assert_eq!(findings.len(), 2, "{}", run.out());
    assert_eq!(n(&findings[0], "line"), 1);
    assert_eq!(
        n(&findings[0], "column") as usize,
        5000 + line1.find(first).unwrap() + 1
    );
    assert_eq!(json_bytes(&findings[0]["secret"]), first.as_bytes());
    assert_eq!(s(&findings[0], "rule"), "github-pat");
    assert_eq!(n(&findings[1], "line"), 2);
    assert_eq!(json_bytes(&findings[1]["secret"]), second.as_bytes());

    // Only NUL bytes, then a line, in a directory walk: still text, not skipped.
    let walked = scan_shown([path_str(dir.path())]);
    assert_eq!(walked.findings().len(), 2, "{}", walked.stderr);
}

#[test]
fn crlf_line_endings_are_not_part_of_a_secret() {
    let dir = tempdir();
    let token = "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";
    let hex = "04497a87ab3a3ada13c3d814c784e846";
    let content =
        format!("deploy started\r\nGET /ci?token={token}\r\n\r\nexport api_key={hex}\r\nend\r\n");
    let path = write(dir.path(), "deploy.log", content);
    let run = scan_shown([path_str(&path)]);
    run.assert_code(1);
    let got: Vec<(u64, Vec<u8>)> = run
        .findings()
        .iter()
        .map(|f| (n(f, "line"), json_bytes(&f["secret"])))
        .collect();
    assert_eq!(
        got,
        [(2, token.as_bytes().to_vec()), (4, hex.as_bytes().to_vec())]
    );
}

#[test]
fn non_utf8_secret_is_given_as_base64_bytes_in_json() {
    let dir = tempdir();
    // A Latin-1 password, percent-encoded by the browser: "café Crème9" in ISO-8859-1.
    let path = write(
        dir.path(),
        "latin1.log",
        combined_line("/account/login?user=marie&password=caf%E9Cr%E8me9") + "\n",
    );
    let shown = scan_shown([path_str(&path)]);
    shown.assert_code(1);
    let f = &shown.findings()[0];
    assert_eq!(s(f, "rule"), "password-param");
    assert!(f["secret"].is_object(), "not {{\"bytes\": …}}: {f}");
    assert_eq!(json_bytes(&f["secret"]), b"caf\xe9Cr\xe8me9");
    let redacted = scan(["--format", "jsonl", path_str(&path)]);
    let f = &redacted.findings()[0];
    let text = f["secret"].as_str().expect("a redacted secret is text");
    assert!(!text.contains("Cr"), "{text}");
}

#[cfg(unix)]
#[test]
fn non_utf8_paths_are_given_as_base64_bytes_in_json() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempdir();
    let name = std::ffi::OsStr::from_bytes(b"acc\xe8s.log");
    let path = dir.path().join(name);
    std::fs::write(
        &path,
        combined_line("/pay?stripe_key=sk_live_Wm4Qz8Rt2Yb6Nc1Xv5Kp9Hd3") + "\n",
    )
    .unwrap();
    let direct = run(logleaks().args(["scan", "--format", "jsonl"]).arg(&path));
    direct.assert_code(1);
    let f = &direct.findings()[0];
    assert!(f["file"].is_object(), "{f}");
    assert_eq!(json_bytes(&f["file"]), path.as_os_str().as_bytes());
    // Walking the directory finds the same name.
    let walked = run(logleaks()
        .args(["scan", "--format", "jsonl"])
        .arg(dir.path()));
    assert_eq!(
        json_bytes(&walked.findings()[0]["file"]),
        path.as_os_str().as_bytes()
    );
    // The table shows the invalid byte escaped, never a replacement character.
    let table = run(logleaks().arg("scan").arg(&path));
    let out = table.out();
    assert!(out.contains("acc\\xE8s.log"), "{out}");
}

#[test]
fn a_missing_final_newline_loses_nothing() {
    let dir = tempdir();
    let key = "AIza5HEv6X_8SBCOZf96gLcblN2TaD0QOJGJOFe";
    let content = format!(
        "{}\n{}",
        combined_line("/"),
        combined_line(&format!("/maps?key={key}"))
    );
    let path = write(dir.path(), "access.log", content);
    let run = scan_shown([path_str(&path)]);
    run.assert_code(1);
    let f = &run.findings()[0];
    assert_eq!(n(f, "line"), 2);
    assert_eq!(json_bytes(&f["secret"]), key.as_bytes());
    // Even at the very last byte of a file in raw text.
    let raw = write(dir.path(), "raw.txt", format!("x\ny\nkey={key}"));
    let f = &scan_shown([path_str(&raw)]).findings()[0];
    assert_eq!(n(f, "line"), 3);
    assert_eq!(json_bytes(&f["secret"]), key.as_bytes());
}

#[test]
fn a_line_of_megabytes_with_a_credential_at_its_end_is_found_and_line_numbers_stay_right() {
    let dir = tempdir();
    let at_end = "sk_live_Zq5Wn1Xr7Tb3Ym9Kc2Vd8Lp4";
    let after = "AKIAIDNQMZEWEV2OLSZE";
    let filler = "a".repeat(3 << 20);
    let long = combined_line(&format!("/search?q={filler}&stripe_key={at_end}"));
    let last = combined_line(&format!("/s3?aws_access_key_id={after}"));
    let content = format!("{}\n{long}\n{last}\n", combined_line("/"));
    let path = write(dir.path(), "access.log", content);
    let run = scan_shown([path_str(&path)]);
    run.assert_no_panic().assert_code(1);
    let got: Vec<(u64, u64, Vec<u8>)> = run
        .findings()
        .iter()
        .map(|f| (n(f, "line"), n(f, "column"), json_bytes(&f["secret"])))
        .collect();
    assert_eq!(
        got,
        [
            (
                2,
                long.find(at_end).unwrap() as u64 + 1,
                at_end.as_bytes().to_vec()
            ),
            (
                3,
                last.find(after).unwrap() as u64 + 1,
                after.as_bytes().to_vec()
            ),
        ]
    );
}

#[test]
fn nginx_and_apache_quote_escapes_are_decoded_around_secrets() {
    let dir = tempdir();
    let token = "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";
    let hex = "f91b83a50bfee4ad5285a7e99c14539e";
    let nginx = combined_line(&format!(r"/api?filter=\x22x\x22&token=\x22{token}\x22"));
    let apache = format!(
        r#"203.0.113.7 - - [27/Nov/2025:10:00:00 +0100] "GET /search?q=\"boots\"&api_key={hex} HTTP/1.1" 200 5 "-" "agent \"quoted\" 1.0""#
    );
    let path = write(dir.path(), "access.log", format!("{nginx}\n{apache}\n"));
    let run = scan_shown([path_str(&path)]);
    run.assert_code(1);
    let expected: Vec<Place> = vec![
        (
            1,
            nginx.find(token).unwrap() as u64 + 1,
            "github-pat".into(),
            "request.query".into(),
            Some("token".into()),
            token.as_bytes().to_vec(),
        ),
        (
            2,
            apache.find(hex).unwrap() as u64 + 1,
            "generic-credential-param".into(),
            "request.query".into(),
            Some("api_key".into()),
            hex.as_bytes().to_vec(),
        ),
    ];
    assert_eq!(places(&run.findings()), expected);
}
