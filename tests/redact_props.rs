//! Properties of redaction over generated logs with planted secrets: the same lines, every line
//! without a finding byte-identical, every finding's raw bytes (plain, percent-encoded, every
//! byte percent-encoded, JSON-escaped, repeated, next to punctuation such as the `: SCRIPT` of
//! Apache CGI errors) replaced by the mask with everything around them identical, and a scan of
//! the output finds nothing.

use std::io;
use std::path::Path;

use logleaks::detect::Detector;
use logleaks::finding::Finding;
use logleaks::input::{walk, DisplayPath, WalkOptions};
use logleaks::redact::{redact_stream, Mask, Redactor, Streamed};
use logleaks::scan::{self, Notice, ScanOptions, Sink};
use proptest::prelude::*;

const MASK: &str = "REDACTED";

/// One generated line: its bytes and each secret planted in it, as written (raw) and decoded.
#[derive(Clone, Debug)]
struct Line {
    text: String,
    planted: Vec<(String, String)>,
    /// Planted secrets that scan may not see yet; redact must mask them exactly when it does.
    unseen_allowed: usize,
}

impl Line {
    fn new(text: String, planted: Vec<(String, String)>) -> Self {
        Line {
            text,
            planted,
            unseen_allowed: 0,
        }
    }
}

/// What CGI scripts print before Apache's `: SCRIPT` suffix; `KEY` is the planted secret.
const CGI_PRINTS: &[&str] = &[
    "fetch https://api.example.com/sync?a=1&secret=KEY",
    "fetch https://api.example.com/sync?a=1%26secret%3DKEY",
    "QUERY_STRING=a=1&token=KEY",
    "retrying (url=https://api.example.com/sync?access_token=KEY)",
    "bad answer for token=KEY, giving up",
];

const WORDS: &[&str] = &["index", "app", "logo", "main", "styles", "vendor", "theme"];

fn combined(target: &str, referer: &str) -> String {
    format!(
        "203.0.113.7 - - [27/Nov/2026:10:00:00 +0000] \"GET {target} HTTP/1.1\" 200 512 \"{referer}\" \"curl/8.5.0\""
    )
}

/// Percent-encodes every byte (`%61%62…`), as some clients and proxies do.
fn percent_every_byte(value: &str) -> String {
    value.bytes().map(|b| format!("%{b:02X}")).collect()
}

/// An Apache error line for what a CGI script printed, which Apache ends with `: SCRIPT`.
fn cgi_error(printed: &str) -> String {
    format!(
        "[Thu Nov 27 10:00:00.123456 2026] [cgi:error] [pid 4242] [client 203.0.113.7:51234] AH01215: {printed}: /usr/lib/cgi-bin/sync.cgi"
    )
}

/// Percent-encodes `+`, `/` and `=` as a browser does in a query value.
fn percent(value: &str) -> String {
    value
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D")
}

fn line_strategy() -> impl Strategy<Value = Line> {
    let hex = "[0-9a-f]{32}";
    let b64 = "[A-Za-z0-9][A-Za-z0-9+/]{30}[A-Za-z0-9+/=]";
    let alnum = "[A-Za-z0-9]{24}";
    prop_oneof![
        // No secret at all.
        (0..WORDS.len(), 0u32..100_000).prop_map(|(w, n)| Line::new(combined(&format!("/static/{}.js?v={n}", WORDS[w]), "-"), vec![])),
        // A key in the query string.
        (hex, 0u32..100).prop_map(|(key, page)| Line::new(
            combined(&format!("/api/items?api_key={key}&page={page}"), "-"),
            vec![(key.clone(), key)],
        )),
        // A percent-encoded token, also in the referer.
        b64.prop_map(|token| {
            let raw = percent(&token);
            Line::new(
                combined(
                    &format!("/cb?access_token={raw}&x=1"),
                    &format!("https://example.com/cb?access_token={raw}"),
                ),
                vec![(raw, token)],
            )
        }),
        // An nginx error line repeating the URI in request and upstream.
        alnum.prop_map(|tail| {
            let key = format!("sk_live_{tail}");
            Line::new(
                format!(
                    "2026/11/27 10:02:40 [error] 21#21: *3360 upstream timed out, client: 203.0.113.9, server: shop, request: \"GET /pay?stripe_key={key} HTTP/1.1\", upstream: \"http://10.0.4.17:8080/pay?stripe_key={key}\", host: \"shop\""
                ),
                vec![(key.clone(), key)],
            )
        }),
        // A JSON line whose query is JSON-escaped.
        hex.prop_map(|token| Line::new(
            format!(
                "{{\"time\":\"2026-11-27T10:00:00Z\",\"uri\":\"/oauth?state=1\\u0026access_token={token}\",\"status\":200}}"
            ),
            vec![(token.clone(), token)],
        )),
        // A secret right before the `: SCRIPT` Apache adds to what a CGI script printed (the
        // `:` and every other byte next to the secret stay), its name plain or percent-encoded.
        (alnum, 0..CGI_PRINTS.len()).prop_map(|(key, shape)| Line::new(
            cgi_error(&CGI_PRINTS[shape].replace("KEY", &key)),
            vec![(key.clone(), key)],
        )),
        // A key whose every byte is percent-encoded, in the query and the referer.
        (hex, 0u32..100).prop_map(|(key, page)| {
            let raw = percent_every_byte(&key);
            Line::new(
                combined(
                    &format!("/api/items?page={page}&api_key={raw}"),
                    &format!("https://example.com/list?api_key={raw}"),
                ),
                vec![(raw, key)],
            )
        }),
        // A presigned URL whose signature is percent-encoded byte by byte: when scan reports
        // it, redact masks it as written.
        "[0-9a-f]{64}".prop_map(|signature| {
            let raw = percent_every_byte(&signature);
            Line {
                unseen_allowed: 1,
                ..Line::new(
                    combined(
                        &format!("/bucket/report.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261127%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261127T100000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature={raw}"),
                        "-",
                    ),
                    vec![(raw, signature)],
                )
            }
        }),
    ]
}

/// A whole log: lines, their endings, and whether the last one ends.
fn log_strategy() -> impl Strategy<Value = (Vec<(Line, bool)>, bool)> {
    (
        prop::collection::vec((line_strategy(), any::<bool>()), 1..24),
        any::<bool>(),
    )
}

fn render(lines: &[(Line, bool)], final_newline: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, (line, crlf)) in lines.iter().enumerate() {
        out.extend_from_slice(line.text.as_bytes());
        if i + 1 < lines.len() || final_newline {
            out.extend_from_slice(if *crlf { b"\r\n" } else { b"\n" });
        }
    }
    out
}

struct Collect(Vec<Finding>);

impl Sink for Collect {
    fn finding(&mut self, finding: Finding) -> io::Result<()> {
        self.0.push(finding);
        Ok(())
    }
    fn notice(&mut self, notice: &Notice) {
        panic!("{notice:?}");
    }
}

/// What `logleaks scan` finds in a file.
fn scan_file(path: &Path, detector: &Detector) -> Vec<Finding> {
    let options = ScanOptions {
        threads: 1,
        ..ScanOptions::default()
    };
    let mut sink = Collect(Vec::new());
    scan::run(
        walk(&[path.to_path_buf()], &WalkOptions::default()),
        detector,
        &options,
        &mut sink,
    )
    .unwrap();
    sink.0
}

fn lines_of(bytes: &[u8]) -> Vec<&[u8]> {
    bytes.split(|&b| b == b'\n').collect()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 48,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn redaction_changes_only_the_secrets((lines, final_newline) in log_strategy()) {
        let input = render(&lines, final_newline);
        let dir = tempfile::tempdir().unwrap();
        let in_path = dir.path().join("in.log");
        std::fs::write(&in_path, &input).unwrap();
        let redactor = Redactor::builtin(Mask::default());
        let mut output = Vec::new();
        let streamed = redact_stream(
            &redactor,
            &DisplayPath::new("in.log"),
            Box::new(&input[..]),
            &mut output,
        )
        .unwrap();
        let Streamed::Redacted(tally) = streamed else { panic!("not redacted") };

        // The same lines, the same endings.
        let (ins, outs) = (lines_of(&input), lines_of(&output));
        prop_assert_eq!(ins.len(), outs.len());
        prop_assert_eq!(input.last() == Some(&b'\n'), output.last() == Some(&b'\n'));
        for (a, b) in ins.iter().zip(&outs) {
            prop_assert_eq!(a.ends_with(b"\r"), b.ends_with(b"\r"));
        }

        // Lines without a finding are byte-identical; lines with one keep everything before
        // the first finding, and the mask starts there.
        let findings = scan_file(&in_path, &redactor.detector);
        prop_assert_eq!(tally.masked as usize, findings.len());
        // Nearly every planted secret is found (a generated value may be too regular for a
        // rule's entropy check, and then it is not a finding).
        let planted: usize = lines.iter().map(|(l, _)| l.planted.len()).sum();
        let must_see: usize = lines.iter().map(|(l, _)| l.planted.len() - l.unseen_allowed).sum();
        prop_assert!(findings.len() <= planted);
        prop_assert!(findings.len() * 10 >= must_see * 8, "{} of {must_see} found", findings.len());
        for (i, (a, b)) in ins.iter().zip(&outs).enumerate() {
            let first = findings.iter().filter(|f| f.line as usize == i + 1).map(|f| f.column).min();
            match first {
                None => prop_assert_eq!(a, b, "line {} changed", i + 1),
                Some(column) => {
                    prop_assert_eq!(&a[..column - 1], &b[..column - 1]);
                    prop_assert!(b[column - 1..].starts_with(MASK.as_bytes()));
                }
            }
        }

        // Exactly: every secret found, as written, became the mask, and nothing else moved.
        let expected: Vec<(Line, bool)> = lines
            .iter()
            .enumerate()
            .map(|(i, (l, crlf))| {
                let mut text = l.text.clone();
                for (raw, decoded) in &l.planted {
                    let found = findings.iter().any(|f| {
                        f.line as usize == i + 1 && f.secret.expose() == decoded.as_bytes()
                    });
                    if found {
                        text = text.replace(raw.as_str(), MASK);
                    }
                }
                (Line::new(text, vec![]), *crlf)
            })
            .collect();
        let expected = render(&expected, final_newline);
        prop_assert_eq!(String::from_utf8_lossy(&output), String::from_utf8_lossy(&expected));

        // A scan of the output finds nothing.
        let out_path = dir.path().join("out.log");
        std::fs::write(&out_path, &output).unwrap();
        prop_assert!(scan_file(&out_path, &redactor.detector).is_empty());
    }
}
