//! The fuzzing surface: one function per parser of untrusted bytes, each taking arbitrary bytes,
//! running the library's own code on them and asserting what must hold for any input. The fuzz
//! targets in `fuzz/` call these, and `tests/fuzz_replay.rs` replays every committed corpus file
//! and crash through them under the ordinary `cargo test`, so both run exactly the same checks.
//!
//! It is deliberately thin: no parsing happens here, only calls into the library and checks of
//! its results. A failed check panics, which is what the fuzzer and the replay test look for.
//!
//! To add a target: write `pub fn NAME(data: &[u8])` here and add one line to [`TARGETS`]; then
//! run `cargo fuzz add NAME` in the checkout and make the generated file call
//! `logleaks::fuzzing::NAME(data)` (see `fuzz/README.md`).

use std::io::{self, Read};
use std::ops::{ControlFlow, Range};
use std::sync::OnceLock;

use crate::decode::url::{self, matrix_params, query_params, Param};
use crate::decode::{self, Context, Decoded, Text};
use crate::detect::{Detection, Detector};
use crate::input::{
    count_lines, read_stream, Block, BlockReader, InputFile, MemberContent, ReadOptions,
    MAX_LINE_LEN,
};
use crate::logformat::{self, LogType, Parser, Record};
use crate::rules::checks;
use crate::search::{LineSearcher, LineSink, Lines, Matched};

/// What a fuzz target runs on one input; it panics when an invariant does not hold.
pub type Target = fn(&[u8]);

/// Every fuzz target by name (the name of its `fuzz/fuzz_targets/NAME.rs` and of its corpus
/// directory `fuzz/corpus/NAME/`), with the function it calls.
pub const TARGETS: &[(&str, Target)] = &[
    ("detect_format", detect_format),
    ("parse_format", parse_format),
    ("split_url", split_url),
    ("decode_value", decode_value),
    ("credentials", credentials),
    ("scan_lines", scan_lines),
    ("line_reader", line_reader),
    ("decompress", decompress),
    ("redact", redact),
];

/// The detector over the built-in rules, built once.
fn detector() -> &'static Detector {
    static DETECTOR: OnceLock<Detector> = OnceLock::new();
    DETECTOR.get_or_init(Detector::builtin)
}

/// The lines of `data` as a scan sees them: split on `\n`, a trailing `\r` taken off.
fn lines(data: &[u8]) -> impl Iterator<Item = &[u8]> {
    data.split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
}

fn assert_within(range: &Range<usize>, len: usize, what: &str) {
    assert!(
        range.start <= range.end && range.end <= len,
        "{what} {range:?} outside a line of {len} bytes"
    );
}

/// Every range of a record lies within its line.
fn assert_record_within(record: &Record, line: &[u8]) {
    let len = line.len();
    for field in &record.fields {
        assert_within(&field.span, len, "field span");
    }
    for range in [
        &record.client,
        &record.method,
        &record.protocol,
        &record.host,
    ]
    .into_iter()
    .flatten()
    {
        assert_within(range, len, "record range");
    }
    if let Some(ua) = &record.user_agent {
        assert_within(ua, len, "user agent");
    }
    if let Some((syntax, range)) = &record.time {
        assert_within(range, len, "timestamp");
        let _ = logformat::format_timestamp(*syntax, &line[range.clone()]);
    }
}

/// Format detection on the head of a file, then every line parsed by the detected parser (with
/// its state carried from line to line, as a scan does).
pub fn detect_format(data: &[u8]) {
    let mut parser = Parser::for_input(None, data);
    let _ = parser.describe();
    let _ = logformat::detect(data);
    for line in lines(data) {
        parser.observe(line);
        if let Some((record, _)) = parser.parse(line) {
            assert_record_within(&record, line);
        }
    }
}

/// Custom formats (`--log-format`) whose line parsers are fuzzed: Apache and nginx syntax, with
/// logged headers, cookies and a JSON-escaped body.
const CUSTOM_FORMATS: [&str; 2] = [
    r#"%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" "%{Authorization}i" "%{Cookie}i" %D"#,
    r#"log_format main escape=json '$remote_addr [$time_iso8601] "$request" $status "$http_x_api_key" "$request_body" $upstream_addr';"#,
];

/// Each format parser on its own: the first byte picks the log type (every type `--log-type`
/// accepts, then the custom formats), the rest are lines parsed statelessly and by a forced
/// parser with state.
pub fn parse_format(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let pick = pick as usize % (LogType::ALL.len() + CUSTOM_FORMATS.len());
    if let Some(format) = pick
        .checked_sub(LogType::ALL.len())
        .map(|i| CUSTOM_FORMATS[i])
    {
        let custom = logformat::CustomFormat::compile(format).expect("the fuzzed formats compile");
        let mut parser = Parser::custom(std::sync::Arc::new(custom)).without_fallback();
        for line in lines(rest) {
            if let Some((record, _)) = parser.parse(line) {
                assert_record_within(&record, line);
            }
        }
        return;
    }
    let log_type = LogType::ALL[pick];
    let forced = logformat::FormatChoice::Type(log_type);
    let mut parser = Parser::for_input(Some(&forced), rest).without_fallback();
    for line in lines(rest) {
        if let Some(record) = logformat::parse(log_type, line) {
            assert_record_within(&record, line);
        }
        parser.observe(line);
        if let Some((record, _)) = parser.parse(line) {
            assert_record_within(&record, line);
        }
    }
}

/// The URL and query splitter: every part it hands out is a piece of the input, in order.
pub fn split_url(data: &[u8]) {
    let url = Text::raw(data, 0);
    let parts = url::split_url(url);
    let mut pieces: Vec<Text<'_>> = [parts.user, parts.password, parts.query, parts.fragment]
        .into_iter()
        .flatten()
        .collect();
    pieces.push(parts.path);
    let check_param = |p: &Param<'_>, pieces: &mut Vec<(usize, usize)>| {
        pieces.push((p.name.origin_of(0), p.name.len()));
        if let Some(v) = p.value {
            pieces.push((v.origin_of(0), v.len()));
        }
    };
    let mut params = Vec::new();
    for p in query_params(parts.query.unwrap_or(url.slice(0..0))) {
        check_param(&p, &mut params);
    }
    for p in matrix_params(parts.path) {
        check_param(&p, &mut params);
    }
    for piece in &pieces {
        if !piece.is_empty() {
            let start = piece.origin_of(0);
            assert_eq!(&data[start..start + piece.len()], piece.bytes);
        }
    }
    for (start, len) in params {
        assert!(
            len == 0 || start + len <= data.len(),
            "parameter outside the URL"
        );
    }
}

/// Checks a decoded value: never longer than its source, and every byte points at a source byte,
/// in order.
fn assert_decoded(decoded: &Decoded, source_len: usize) {
    let text = decoded.text();
    assert!(text.len() <= source_len, "decoding made a value longer");
    let mut last = 0;
    for i in 0..text.len() {
        let origin = text.origin_of(i);
        assert!(
            origin < source_len,
            "decoded byte points outside its source"
        );
        assert!(origin >= last, "decoded bytes out of order");
        last = origin;
    }
}

/// Every decoder: `\xHH` and percent (once, and the full rounds, in a path and in a query) and
/// JSON string escapes; then the result decoded again (as nested values are).
pub fn decode_value(data: &[u8]) {
    let src = Text::raw(data, 0);
    let (mut out, mut spare) = (Decoded::default(), Decoded::default());
    for context in [Context::Path, Context::Query] {
        for rounds in [1, decode::MAX_PERCENT_ROUNDS] {
            let changed = decode::decode_value_rounds(src, context, rounds, &mut out, &mut spare);
            assert_decoded(&out, data.len());
            assert!(changed || out.bytes == data, "unchanged but different");
        }
    }
    let json = decode::unescape_json(src);
    assert_decoded(&json, data.len());
    let (mut again, mut spare) = (Decoded::default(), Decoded::default());
    decode::decode_value(json.text(), Context::Query, &mut again, &mut spare);
    assert_decoded(&again, data.len());
}

/// The credential decoders: Basic auth base64, JWT header and claims, and the other offline
/// checks that take a credential apart (checksums, AWS key ids), on the input and on each of its
/// `.`-separated parts.
pub fn credentials(data: &[u8]) {
    let _ = checks::basic_credentials_valid(data);
    let is_jwt = checks::is_jwt(data);
    let claims = checks::jwt_claims(data);
    assert!(!is_jwt || claims.is_some(), "a JWT without claims");
    if let Some(claims) = claims {
        for text in [&claims.alg, &claims.iss, &claims.sub]
            .into_iter()
            .flatten()
        {
            assert!(text.chars().count() <= 256, "a claim is not cut");
        }
        for time in [claims.iat, claims.exp].into_iter().flatten() {
            let _ = checks::rfc3339_of_epoch(time);
        }
    }
    for part in data.split(|&b| b == b'.') {
        let _ = checks::basic_credentials_valid(part);
        let _ = checks::github_checksum_valid(part);
        let _ = checks::aws_key_type(part);
        let _ = checks::aws_account_id(part);
        let _ = checks::is_password_like(part);
    }
    for rule in crate::rules::builtin() {
        if let crate::rules::Matcher::Pattern {
            validator: Some(v), ..
        } = &rule.matcher
        {
            let _ = v.check(data);
        }
    }
}

/// The whole detection of a file's lines, as a scan does it (the detected parser, then the
/// detector with nested URLs and every decoder): findings point inside their line, and their
/// redacted form never holds the secret.
pub fn scan_lines(data: &[u8]) {
    detect_lines(data, |line, detections| {
        for d in detections {
            assert!(
                d.column >= 1 && d.column <= line.len().max(1),
                "column outside the line"
            );
            let secret = d.secret.expose();
            let redacted = d.secret.redacted(d.rule.prefix_of(secret));
            let prefix_len = d.rule.prefix_of(secret).map_or(0, str::len);
            let after_prefix = secret.len().saturating_sub(prefix_len);
            if after_prefix >= 4 {
                assert!(
                    !redacted
                        .as_bytes()
                        .windows(secret.len())
                        .any(|w| w == secret),
                    "the redacted form holds the secret"
                );
            }
        }
    });
}

/// A reader handing out at most `chunk` bytes per read, like a pipe or a slow disk.
struct Trickle<'a> {
    data: &'a [u8],
    chunk: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf.len().min(self.data.len()).min(self.chunk);
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

/// The line reader across block boundaries: the first two bytes pick the block size, the line
/// limit and the read size; blocks hold whole lines, nothing is lost or repeated, and the line
/// count is that of the input.
pub fn line_reader(data: &[u8]) {
    let [a, b, rest @ ..] = data else {
        return;
    };
    let block = usize::from(a & 0x3f) + 1;
    let max_line = block + usize::from(b & 0x7f);
    let chunk = usize::from(b >> 7) * 7 + usize::from(a >> 6) + 1;
    let mut reader = BlockReader::with_sizes(Trickle { data: rest, chunk }, block, max_line);
    let mut handed_out = 0u64;
    let mut lines = 0u64;
    let mut expected_offset = 0u64;
    let mut last_cut = false;
    while let Some(blk) = reader.next_block().expect("reading memory cannot fail") {
        assert!(!blk.bytes.is_empty(), "an empty block");
        assert!(blk.offset >= expected_offset, "blocks out of order");
        let at = blk.offset as usize;
        assert_eq!(
            &rest[at..at + blk.bytes.len()],
            blk.bytes,
            "block bytes differ from the input at their offset"
        );
        if blk.offset == expected_offset && !last_cut {
            // Contiguous with the last block: it starts a line.
            assert!(at == 0 || rest[at - 1] == b'\n', "a block starts mid-line");
        }
        let ends_line = blk.bytes.last() == Some(&b'\n');
        let at_end = at + blk.bytes.len() == rest.len();
        last_cut = !ends_line && !at_end;
        if last_cut {
            assert!(blk.bytes.len() >= max_line, "a short block that is cut");
        }
        handed_out += blk.bytes.len() as u64;
        lines += count_lines(blk.bytes);
        expected_offset = blk.offset + blk.bytes.len() as u64;
    }
    assert_eq!(
        handed_out + reader.skipped_bytes,
        rest.len() as u64,
        "bytes were lost or repeated"
    );
    assert_eq!(lines, count_lines(rest), "lines were miscounted");
}

/// The most a fuzzed input may decompress to (beyond it, reading fails with the limit's error).
const FUZZ_DECOMPRESSED_LIMIT: u64 = 16 << 20;

/// A sink of the line searcher shown every line: hands each line's detections to a callback.
struct EachLine<F>(F);

impl<F: FnMut(&[u8], &[Detection])> LineSink for EachLine<F> {
    type Error = std::convert::Infallible;
    const LINES: Lines = Lines::Every;
    const DETECT: bool = true;
    const PASSTHRU: bool = false;

    fn matched(&mut self, line: &mut Matched<'_, '_>) -> Result<(), Self::Error> {
        let text = line.line;
        (self.0)(text, line.detections());
        Ok(())
    }
}

/// Searches `data` (one block of lines, whatever it looks like) in its detected format with the
/// line searcher every command uses, and hands each line's detections to `each`.
fn detect_lines(data: &[u8], each: impl FnMut(&[u8], &[Detection])) {
    let parser = Parser::for_input(None, logformat::detection_head(data));
    let mut searcher = LineSearcher::new(Some(detector()), parser);
    let Ok(_) = searcher.search(&Block::of_lines(data), 0, &mut EachLine(each));
}

/// The secrets a scan of `data` (parsed line by line in its detected format) finds.
fn secrets_in(data: &[u8]) -> Vec<Vec<u8>> {
    let mut secrets = Vec::new();
    detect_lines(data, |_, detections| {
        secrets.extend(detections.iter().map(|d| d.secret.expose().to_vec()));
    });
    secrets
}

/// `redact` on any bytes: a log that is redacted keeps its number of lines, and a scan of the
/// output finds none of the secrets the input held.
pub fn redact(data: &[u8]) {
    use crate::redact::{mask::Mask, stream, Redactor};
    static REDACTOR: OnceLock<Redactor> = OnceLock::new();
    let redactor = REDACTOR.get_or_init(|| {
        Redactor::builtin(Mask::new("REDACTED").expect("the default mask is valid"))
    });
    let mut out = Vec::new();
    let file = crate::input::DisplayPath::new("-");
    let reader: Box<dyn Read> = Box::new(io::Cursor::new(data));
    let Ok(stream::Streamed::Redacted(_)) =
        stream::redact_stream(redactor, &file, reader, &mut out)
    else {
        return;
    };
    let newlines = |b: &[u8]| b.iter().filter(|&&c| c == b'\n').count();
    assert_eq!(
        newlines(&out),
        newlines(data),
        "redact changed the number of lines"
    );
    let before = secrets_in(data);
    for secret in secrets_in(&out) {
        assert!(
            !before.contains(&secret),
            "a secret of the input is still found in the redacted output"
        );
    }
}

/// Input decompression and archive reading, as for a file: compression by magic bytes (gzip
/// multi-member, zstd, bzip2, xz), then tar or zip members, under a decompressed-size budget, each
/// member cut into lines by the block reader. Errors are fine; panics, hangs and unbounded memory
/// are not.
pub fn decompress(data: &[u8]) {
    let input = InputFile::stdin();
    let options = ReadOptions {
        max_decompressed: Some(FUZZ_DECOMPRESSED_LIMIT),
        thread_min_size: u64::MAX,
        line_blocks: None,
        live: false,
    };
    let raw: Box<dyn Read + Send> = Box::new(io::Cursor::new(data.to_vec()));
    let mut total = 0u64;
    let _ = read_stream(&input, raw, &options, &mut |member| {
        if let MemberContent::Readable(reader) = member.content {
            let mut reader = BlockReader::with_sizes(reader, 64 * 1024, MAX_LINE_LEN.min(1 << 20));
            loop {
                match reader.next_block() {
                    Ok(Some(block)) => total += block.bytes.len() as u64,
                    Ok(None) => break,
                    Err(e) => {
                        let _ = crate::input::read_problem(&e, 0);
                        break;
                    }
                }
            }
            total += reader.skipped_bytes;
        }
        ControlFlow::Continue(())
    });
    assert!(
        total <= FUZZ_DECOMPRESSED_LIMIT + data.len() as u64,
        "more was read than the budget allows"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_custom_formats_compile_and_parse_a_line_of_their_own() {
        let lines: [&[u8]; 2] = [
            br#"203.0.113.7 - - [27/Nov/2026:10:00:00 +0000] "GET /a?b=c HTTP/1.1" 200 512 "https://ref.example/?t=1" "curl/8" "Bearer abc.def" "sid=1; token=2" 1234"#,
            br#"203.0.113.7 [2026-11-27T10:00:00+00:00] "POST /login HTTP/1.1" 200 "k-123" "{\"password\":\"x\"}" 10.0.0.1:8080"#,
        ];
        for (format, line) in CUSTOM_FORMATS.iter().zip(lines) {
            let custom = logformat::CustomFormat::compile(format).unwrap();
            let record = custom.parse(line).expect("the line has the format");
            assert!(record.fields.len() >= 3, "{format}: {record:?}");
            assert_record_within(&record, line);
        }
    }

    #[test]
    fn every_target_runs_on_empty_and_tiny_inputs() {
        for (name, run) in TARGETS {
            for input in [&b""[..], b"\n", b"\0", b"\x1f\x8b", b"%", b"\\"] {
                let outcome = std::panic::catch_unwind(|| run(input));
                assert!(outcome.is_ok(), "{name} on {input:?}");
            }
        }
    }
}
