//! Unit tests of redaction from bytes to bytes.

use super::*;

fn redact_bytes(input: &[u8]) -> (Vec<u8>, Tally) {
    let redactor = Redactor::builtin(Mask::default());
    let mut out = Vec::new();
    let file = DisplayPath::new("t.log");
    match redact_stream(&redactor, &file, Box::new(input), &mut out).unwrap() {
        Streamed::Redacted(tally) => (out, tally),
        other => panic!("{other:?}"),
    }
}

#[test]
fn masks_a_query_parameter_and_nothing_else() {
    let line = b"10.0.0.1 - - [27/Nov/2026:10:00:00 +0000] \"GET /a?api_key=d4d3fd81b6ee7b3bb1c863e2601a0001&x=1 HTTP/1.1\" 200 1 \"-\" \"ua\"\n";
    let (out, tally) = redact_bytes(line);
    assert_eq!(
        String::from_utf8_lossy(&out),
        "10.0.0.1 - - [27/Nov/2026:10:00:00 +0000] \"GET /a?api_key=REDACTED&x=1 HTTP/1.1\" 200 1 \"-\" \"ua\"\n"
    );
    assert_eq!(tally.masked, 1);
    assert_eq!(tally.lines, 1);
}

fn redact_sized(input: &[u8], chunk: usize, max_line: usize) -> (Vec<u8>, Tally) {
    let redactor = Redactor::builtin(Mask::default());
    let mut out = Vec::new();
    let file = DisplayPath::new("t.log");
    let streamed = stream::redact_stream_sized(
        &redactor,
        &file,
        Box::new(input),
        &mut out,
        (chunk, max_line),
        stream::Flush::WhenFull,
    )
    .unwrap();
    match streamed {
        Streamed::Redacted(tally) => (out, tally),
        other => panic!("{other:?}"),
    }
}

/// A log of many shapes: plain and CRLF lines, blank lines, secrets, no final newline.
fn mixed_log() -> Vec<u8> {
    let mut log = Vec::new();
    for i in 0..120 {
        let line = match i % 6 {
            0 => format!("10.0.0.1 - - [27/Nov/2026:10:00:00 +0000] \"GET /a?api_key=d4d3fd81b6ee7b3bb1c863e2601a{i:04} HTTP/1.1\" 200 1 \"-\" \"ua\"\n"),
            1 => "\n".to_string(),
            2 => format!("plain line {i} without anything\r\n"),
            3 => format!("GET /b?token=Xk3mP9qLr2sT8vW1yZ4aB6c{i:03}&x=1\r\n"),
            _ => format!("10.0.0.1 - - [27/Nov/2026:10:00:00 +0000] \"GET /static/{i}.js HTTP/1.1\" 200 1 \"-\" \"ua\"\n"),
        };
        log.extend_from_slice(line.as_bytes());
    }
    log.extend_from_slice(b"tail without newline token=Xk3mP9qLr2sT8vW1yZ4aB6cD");
    log
}

#[test]
fn chunk_sizes_change_nothing() {
    let log = mixed_log();
    let (expected, tally) = redact_bytes(&log);
    assert_eq!(tally.lines, 121);
    assert_eq!(tally.masked, 41);
    assert!(!String::from_utf8_lossy(&expected).contains("Xk3mP9qL"));
    assert!(expected.ends_with(b"token=REDACTED"));
    for chunk in [1, 2, 7, 64, 333, 4096] {
        let (out, t) = redact_sized(&log, chunk, 1 << 20);
        assert_eq!(out, expected, "chunk size {chunk}");
        assert_eq!((t.lines, t.masked, t.lines_changed), (121, 41, 41));
        assert_eq!(t.secrets, tally.secrets, "chunk size {chunk}");
    }
}

#[test]
fn lines_longer_than_the_limit_are_masked_in_pieces_and_never_cut() {
    let mut log = b"short line\n".to_vec();
    log.extend_from_slice(b"GET /a?api_key=d4d3fd81b6ee7b3bb1c863e2601a0001 ");
    log.extend(std::iter::repeat_n(b'x', 300));
    log.extend_from_slice(b" later token=Xk3mP9qLr2sT8vW1yZ4aB6cD ");
    log.extend(std::iter::repeat_n(b'y', 300));
    log.extend_from_slice(b"\r\nafter\n");
    let (out, tally) = redact_sized(&log, 64, 256);
    assert_eq!(tally.lines, 3);
    assert_eq!((tally.masked, tally.lines_changed), (2, 1));
    assert_eq!(tally.long_lines, 1);
    let text = String::from_utf8_lossy(&out);
    assert!(!text.contains("d4d3fd81"), "{text}");
    assert!(!text.contains("Xk3mP9qL"), "{text}");
    let expected = String::from_utf8_lossy(&log)
        .replace("d4d3fd81b6ee7b3bb1c863e2601a0001", "REDACTED")
        .replace("Xk3mP9qLr2sT8vW1yZ4aB6cD", "REDACTED");
    assert_eq!(text, expected);
}

#[test]
fn stateful_formats_are_redacted_per_physical_line() {
    // IIS names its fields in a `#Fields:` header; the secret's line is rewritten alone.
    let log = b"#Software: Microsoft Internet Information Services 10.0\r\n\
#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status\r\n\
2026-11-27 10:00:00 10.0.0.5 GET /api/orders api_key=d4d3fd81b6ee7b3bb1c863e2601a0077&page=2 443 - 203.0.113.9 curl/8.5.0 200\r\n\
2026-11-27 10:00:01 10.0.0.5 GET /index.html - 443 - 203.0.113.9 curl/8.5.0 200\r\n";
    for chunk in [1, 50, 1 << 20] {
        let (out, tally) = redact_sized(log, chunk, 1 << 20);
        assert_eq!(tally.masked, 1, "chunk {chunk}");
        let expected =
            String::from_utf8_lossy(log).replace("d4d3fd81b6ee7b3bb1c863e2601a0077", "REDACTED");
        assert_eq!(String::from_utf8_lossy(&out), expected, "chunk {chunk}");
        assert_eq!(tally.secrets[0].first_line, 3);
    }
}

#[test]
fn binary_content_and_archives_are_not_redacted() {
    let redactor = Redactor::builtin(Mask::default());
    let file = DisplayPath::new("x");
    let mut out = Vec::new();
    let mut elf = b"\x7fELF\x02\x01\x01\0".to_vec();
    elf.extend(std::iter::repeat_n(0u8, 600));
    let streamed = redact_stream(&redactor, &file, Box::new(&elf[..]), &mut out).unwrap();
    assert!(matches!(streamed, Streamed::NotText(_)));
    assert!(out.is_empty());
    let mut builder = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_gnu();
    header.set_size(3);
    header.set_cksum();
    builder
        .append_data(&mut header, "a.log", &b"x=1"[..])
        .unwrap();
    let tar = builder.into_inner().unwrap();
    let error = redact_stream(&redactor, &file, Box::new(&tar[..]), &mut out).unwrap_err();
    assert!(error.to_string().contains("archive"), "{error}");
}

#[test]
fn output_paths_drop_the_root_and_refuse_parent_directories() {
    let dir = std::path::Path::new("/out");
    assert_eq!(
        output_path(dir, std::path::Path::new("/var/log/a.log")).unwrap(),
        std::path::Path::new("/out/var/log/a.log")
    );
    assert_eq!(
        output_path(dir, std::path::Path::new("./logs/a.log")).unwrap(),
        std::path::Path::new("/out/logs/a.log")
    );
    assert!(output_path(dir, std::path::Path::new("../a.log")).is_err());
}

#[test]
fn raw_spans_cover_escapes_at_the_end_of_a_secret() {
    // The password ends with a percent-encoded `!`, doubly encoded in the second line.
    let log = b"GET /login?user=j&password=Blue-Heron-42%21&x=1\nGET /login?user=j&password=Blue-Heron-43%2521 HTTP/1.1\n";
    let (out, tally) = redact_bytes(log);
    assert_eq!(tally.masked, 2);
    assert_eq!(
        String::from_utf8_lossy(&out),
        "GET /login?user=j&password=REDACTED&x=1\nGET /login?user=j&password=REDACTED HTTP/1.1\n"
    );
}
