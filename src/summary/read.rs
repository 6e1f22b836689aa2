//! Reading the inputs of `logleaks summary`: JSON lines (findings of `scan --format jsonl`), JSON
//! arrays (`scan --format json`, and `summary --format json` before schema version 2) or summary
//! objects (`{"schema_version", "meta", "secrets": [...]}` of `summary --format json`), told apart
//! by their first bytes, from files or standard input, plain or gzip-compressed, in bounded
//! memory. Inputs made with different fingerprint keys are refused.
//!
//! This module knows framing and line numbers; what a record means is [`super::aggregate`]'s.

use std::cell::Cell;
use std::fmt;
use std::io::{self, BufRead, BufReader, Read};

use serde::de::{DeserializeSeed, Deserializer as _, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::aggregate::Summary;
use crate::input::{describe_io_error, InputFile, Source};

/// Longest line of JSON lines input; a longer one is not a finding.
const MAX_LINE: usize = 16 << 20;

/// What `logleaks summary` reads, said when an input starts with something else.
const NOT_LOGLEAKS: &str = "not logleaks output (expected JSON lines from `logleaks scan --format jsonl` or a JSON array from `logleaks summary --format json`)";

/// Something wrong with one input: a file that cannot be read or a record that is not a finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputProblem {
    /// The input as named on the command line (`standard input` for `-`).
    pub path: String,
    /// The 1-based line, when the problem has one.
    pub line: Option<u64>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for InputProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

/// Collects the problems of one input: every fatal one, but only the first bad record (a file
/// that is not logleaks output at all would otherwise give one message per line).
struct Problems<'a> {
    path: String,
    list: &'a mut Vec<InputProblem>,
    bad_records: u64,
}

impl Problems<'_> {
    fn fatal(&mut self, line: Option<u64>, message: String) {
        self.list.push(InputProblem {
            path: self.path.clone(),
            line,
            message,
        });
    }

    fn bad_record(&mut self, line: u64, message: String) {
        self.bad_records += 1;
        if self.bad_records == 1 {
            self.fatal(Some(line), message);
        }
    }

    fn finish(mut self) {
        let more = self.bad_records.saturating_sub(1);
        if more > 0 {
            let s = if more == 1 { "" } else { "s" };
            self.fatal(
                None,
                format!("{more} more record{s} that are not logleaks findings were left out"),
            );
        }
    }
}

/// Reads one input into `summary`. Good records are kept, bad ones are left out and named in
/// `problems`; reading stops at the first error that leaves the rest unreadable.
pub fn read_input(input: &InputFile, summary: &mut Summary, problems: &mut Vec<InputProblem>) {
    let path = match input.source {
        Source::Stdin => "standard input".to_string(),
        _ => crate::printable::display_bytes(&input.display.as_bytes()),
    };
    let mut problems = Problems {
        path,
        list: problems,
        bad_records: 0,
    };
    match crate::input::open(input) {
        Ok(opened) => read_records(opened.reader, summary, &mut problems),
        Err(e) => problems.fatal(None, format!("cannot read: {}", describe_io_error(&e))),
    }
    problems.finish();
}

/// Reads JSON lines or JSON arrays from `reader`.
fn read_records(mut reader: impl Read, summary: &mut Summary, problems: &mut Problems<'_>) {
    // Enough of the start to tell a summary object from JSON lines, whatever the first read
    // returned.
    let mut head = Vec::with_capacity(HEAD);
    if let Err(e) = (&mut reader).take(HEAD as u64).read_to_end(&mut head) {
        return cannot_read(problems, 1, &e);
    }
    let object = starts_summary_object(&head);
    let mut reader = BufReader::new(io::Cursor::new(head).chain(reader));
    let mut line = 1;
    let result = skip_bom(&mut reader).and_then(|()| skip_whitespace(&mut reader, &mut line));
    match result {
        Err(e) => cannot_read(problems, line, &e),
        Ok(None) => {} // Empty: a scan that found nothing.
        Ok(Some(b'[')) => read_documents(Document::Array, reader, line, summary, problems),
        Ok(Some(b'{')) if object => {
            read_documents(Document::SummaryObject, reader, line, summary, problems)
        }
        Ok(Some(b'{')) => read_lines(reader, line, summary, problems),
        Ok(Some(_)) => problems.fatal(Some(line), NOT_LOGLEAKS.to_string()),
    }
}

fn cannot_read(problems: &mut Problems<'_>, line: u64, e: &io::Error) {
    problems.fatal(Some(line), format!("cannot read: {}", describe_io_error(e)));
}

fn skip_bom(reader: &mut impl BufRead) -> io::Result<()> {
    if fill(reader)?.starts_with(b"\xEF\xBB\xBF") {
        reader.consume(3);
    }
    Ok(())
}

/// `fill_buf`, retried when interrupted.
fn fill(reader: &mut impl BufRead) -> io::Result<&[u8]> {
    loop {
        match reader.fill_buf() {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            // Re-borrow to return: the loop above only retries.
            Err(e) => return Err(e),
            Ok(_) => break,
        }
    }
    reader.fill_buf()
}

/// Skips JSON whitespace, counting lines; returns the next byte (not consumed), `None` at the end.
fn skip_whitespace(reader: &mut impl BufRead, line: &mut u64) -> io::Result<Option<u8>> {
    loop {
        let buf = fill(reader)?;
        if buf.is_empty() {
            return Ok(None);
        }
        let end = buf
            .iter()
            .position(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'));
        let skipped = end.unwrap_or(buf.len());
        *line += memchr::memchr_iter(b'\n', &buf[..skipped]).count() as u64;
        let next = end.map(|i| buf[i]);
        reader.consume(skipped);
        if next.is_some() {
            return Ok(next);
        }
    }
}

/// One record per line; blank lines are allowed.
fn read_lines(
    mut reader: impl BufRead,
    mut line: u64,
    summary: &mut Summary,
    problems: &mut Problems<'_>,
) {
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let read = (&mut reader)
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut buf);
        match read {
            Ok(0) => return,
            Ok(_) => {}
            Err(e) => return cannot_read(problems, line, &e),
        }
        if buf.len() > MAX_LINE && buf.last() != Some(&b'\n') {
            problems.bad_record(line, "line longer than 16 MiB".to_string());
            if let Err(e) = skip_line(&mut reader) {
                return cannot_read(problems, line, &e);
            }
        } else {
            let record = buf.trim_ascii();
            if !record.is_empty() {
                let added = serde_json::from_slice::<Value>(record)
                    .map_err(|e| format!("not valid JSON ({})", bare_message(&e)))
                    .and_then(|value| summary.add_value(&value));
                if let Err(message) = added {
                    problems.bad_record(line, message);
                }
            }
        }
        line += 1;
    }
}

/// Skips to the start of the next line.
fn skip_line(reader: &mut impl BufRead) -> io::Result<()> {
    loop {
        let buf = fill(reader)?;
        if buf.is_empty() {
            return Ok(());
        }
        match memchr::memchr(b'\n', buf) {
            Some(i) => {
                reader.consume(i + 1);
                return Ok(());
            }
            None => {
                let n = buf.len();
                reader.consume(n);
            }
        }
    }
}

/// A serde_json message without its ` at line L column C` (our lines count from the file start).
fn bare_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    text.strip_suffix(&suffix).unwrap_or(&text).to_string()
}

/// Counts the lines read through it, and keeps the text of a read error.
struct CountingReader<'a, R> {
    inner: R,
    newlines: &'a Cell<u64>,
    error: Option<String>,
}

impl<R: Read> Read for CountingReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.inner.read(buf) {
            Ok(n) => {
                let lines = memchr::memchr_iter(b'\n', &buf[..n]).count() as u64;
                self.newlines.set(self.newlines.get() + lines);
                Ok(n)
            }
            Err(e) => {
                if e.kind() != io::ErrorKind::Interrupted {
                    self.error = Some(describe_io_error(&e));
                }
                Err(e)
            }
        }
    }
}

/// Hands each element of a JSON array to the summary as soon as it is parsed.
struct Elements<'s, 'p, 'q> {
    summary: &'s mut Summary,
    problems: &'p mut Problems<'q>,
    /// The line of the array's `[`.
    first_line: u64,
    /// Lines read since the `[`.
    newlines: &'s Cell<u64>,
}

impl<'de> Visitor<'de> for Elements<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON array of logleaks summaries or findings")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(value) = seq.next_element::<Value>()? {
            if let Err(message) = self.summary.add_value(&value) {
                // The line where the element ends: for our own output, its only line.
                let line = self.first_line + self.newlines.get();
                self.problems.bad_record(line, message);
            }
        }
        Ok(())
    }
}

/// Bytes looked at to tell a summary object from JSON lines.
const HEAD: usize = 256;

/// True when `head` starts a summary object (after a byte order mark and whitespace): `{` then
/// `"schema_version"`, which `summary --format json` writes first (a finding starts with `"rule"`).
fn starts_summary_object(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    head.trim_ascii_start()
        .strip_prefix(b"{")
        .is_some_and(|rest| rest.trim_ascii_start().starts_with(b"\"schema_version\""))
}

impl<'de> DeserializeSeed<'de> for Elements<'_, '_, '_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

/// Reads a summary object: checks its schema version and fingerprint key, then hands each of its
/// `secrets` to the summary as soon as it is parsed.
struct SummaryObject<'s, 'p, 'q> {
    summary: &'s mut Summary,
    problems: &'p mut Problems<'q>,
    first_line: u64,
    newlines: &'s Cell<u64>,
}

impl<'de> Visitor<'de> for SummaryObject<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a logleaks summary object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut refused = false;
        while let Some(key) = map.next_key::<String>()? {
            let line = self.first_line + self.newlines.get();
            match key.as_str() {
                "schema_version" => {
                    let version: Value = map.next_value()?;
                    let newer = version
                        .as_u64()
                        .is_none_or(|v| v > u64::from(crate::meta::SCHEMA_VERSION));
                    if newer {
                        refused = true;
                        self.problems.fatal(
                            Some(line),
                            format!("summary schema version {version} is not one this logleaks reads (it reads up to {}): use a newer logleaks", crate::meta::SCHEMA_VERSION),
                        );
                    }
                }
                "meta" => {
                    let meta: Value = map.next_value()?;
                    let key = meta.get("fingerprint_key").and_then(Value::as_str);
                    if let Some(Err(message)) = key.map(|id| self.summary.use_key(id)) {
                        refused = true;
                        self.problems
                            .fatal(Some(line), format!("summary {message}"));
                    }
                }
                "secrets" if !refused => map.next_value_seed(Elements {
                    summary: &mut *self.summary,
                    problems: &mut *self.problems,
                    first_line: self.first_line,
                    newlines: self.newlines,
                })?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// What went wrong reading a JSON stream: the reader's own error when it had one, else the
/// parser's words.
fn stream_error_message(e: &serde_json::Error, read_error: Option<String>) -> String {
    match (e.is_io(), read_error) {
        (true, Some(error)) => format!("cannot read: {error}"),
        (true, None) => format!("cannot read: {}", bare_message(e)),
        (false, _) => format!("not valid JSON ({})", bare_message(e)),
    }
}

/// The JSON documents `summary` reads whole: summary objects and arrays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Document {
    /// `{"schema_version", "meta", "secrets": [...]}` of `summary --format json`.
    SummaryObject,
    /// An array of findings (`scan --format json`) or of secrets (summaries before schema 2).
    Array,
}

impl Document {
    /// The byte a document of this kind starts with.
    fn opening(self) -> u8 {
        match self {
            Document::SummaryObject => b'{',
            Document::Array => b'[',
        }
    }

    /// What is wrong when something else follows a document of this kind.
    fn followed_by_other(self) -> &'static str {
        match self {
            Document::SummaryObject => {
                "not valid JSON (something other than a summary follows the summary)"
            }
            Document::Array => "not valid JSON (something other than an array follows the array)",
        }
    }
}

/// One document of kind `document`, or several one after the other (`cat sa.json sb.json`).
fn read_documents(
    document: Document,
    mut reader: impl BufRead,
    mut line: u64,
    summary: &mut Summary,
    problems: &mut Problems<'_>,
) {
    loop {
        let newlines = Cell::new(0);
        let mut counting = CountingReader {
            inner: &mut reader,
            newlines: &newlines,
            error: None,
        };
        let result = {
            let mut de = serde_json::Deserializer::from_reader(&mut counting);
            match document {
                Document::SummaryObject => de.deserialize_map(SummaryObject {
                    summary: &mut *summary,
                    problems: &mut *problems,
                    first_line: line,
                    newlines: &newlines,
                }),
                Document::Array => de.deserialize_seq(Elements {
                    summary: &mut *summary,
                    problems: &mut *problems,
                    first_line: line,
                    newlines: &newlines,
                }),
            }
        };
        if let Err(e) = result {
            let message = stream_error_message(&e, counting.error.take());
            let at = if document == Document::Array && !e.is_io() {
                line + (e.line() as u64).saturating_sub(1)
            } else {
                line + newlines.get()
            };
            return problems.fatal(Some(at), message);
        }
        line += newlines.get();
        match skip_whitespace(&mut reader, &mut line) {
            Err(e) => return cannot_read(problems, line, &e),
            Ok(None) => return,
            Ok(Some(b)) if b == document.opening() => {}
            Ok(Some(_)) => {
                return problems.fatal(Some(line), document.followed_by_other().to_string())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `content` as the input `name`; returns the summary's JSON and the problems.
    fn read(content: &str) -> (String, Vec<String>) {
        let mut summary = Summary::default();
        let mut list = Vec::new();
        let mut problems = Problems {
            path: "in.jsonl".into(),
            list: &mut list,
            bad_records: 0,
        };
        read_records(content.as_bytes(), &mut summary, &mut problems);
        problems.finish();
        let mut out = Vec::new();
        summary.write_json(&mut out).unwrap();
        (
            String::from_utf8(out).unwrap(),
            list.iter().map(ToString::to_string).collect(),
        )
    }

    const F1: &str = r#"{"rule":"r","kind":"credential","severity":"medium","file":"a.log","line":1,"column":1,"field":"request.query","param":"k","secret":"…a","fingerprint":"0000000000000001","timestamp":"2025-11-27T10:00:00Z","status":200}"#;
    const F2: &str = r#"{"rule":"r","kind":"credential","severity":"medium","file":"b.log","line":1,"column":1,"field":"referer","param":"k","secret":"…a","fingerprint":"0000000000000001","timestamp":"2025-11-27T11:00:00Z","status":302}"#;

    #[test]
    fn json_lines_and_arrays_give_the_same_summary() {
        let (from_lines, problems) = read(&format!("{F1}\r\n\n{F2}"));
        assert!(problems.is_empty(), "{problems:?}");
        // Our own output read back, and two arrays one after the other.
        let (again, problems) = read(&from_lines);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(again, from_lines);
        let (f1, _) = read(F1);
        let (f2, _) = read(F2);
        let (concatenated, problems) = read(&format!("{f1}{f2}"));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(concatenated, from_lines);
        // `scan --format json`: an array of findings, pretty-printed.
        let (scan_json, problems) = read(&format!("[\n  {F1},\n  {F2}\n]\n"));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(scan_json, from_lines);
    }

    #[test]
    fn inputs_of_another_fingerprint_key_are_refused() {
        let keyed = |id: &str| {
            F2.replace(
                r#""fingerprint":"#,
                &format!(r#""fingerprint_key":"{id}","fingerprint":"#),
            )
        };
        // Findings of one key, and our own summary of them, read back.
        let (summary, problems) = read(&format!("{}\n{}", keyed("ba7816bf"), keyed("ba7816bf")));
        assert!(problems.is_empty(), "{problems:?}");
        assert!(
            summary.contains(r#""fingerprint_key":"ba7816bf""#),
            "{summary}"
        );
        let (again, problems) = read(&summary);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(again, summary);
        // Another key, in findings and in a summary: refused, named by line.
        let (_, problems) = read(&format!("{}\n{}", keyed("ba7816bf"), keyed("none")));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].starts_with(
                "in.jsonl:2: made with fingerprint key none, but an earlier input uses ba7816bf"
            ),
            "{problems:?}"
        );
        let (_, problems) = read(&format!("{F1}\n{}", keyed("none")));
        assert!(
            problems.is_empty(),
            "findings without a key id are taken as they are: {problems:?}"
        );
        let other = summary.replace("ba7816bf", "00000000");
        let (_, problems) = read(&format!("{summary}{other}"));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].contains("summary made with fingerprint key 00000000"),
            "{problems:?}"
        );
    }

    #[test]
    fn empty_input_is_an_empty_summary() {
        let empty = format!(
            "{{\"schema_version\":2,\"meta\":{{\"fingerprint_key\":null,\"logleaks_version\":\"{}\"}},\"secrets\":[]}}\n",
            crate::meta::VERSION
        );
        assert_eq!(read(""), (empty.clone(), vec![]));
        assert_eq!(read(" \n"), (empty, vec![]));
    }

    #[test]
    fn problems_name_the_line() {
        let missing = F2.replace(r#""fingerprint":"0000000000000001","#, "");
        let (json, problems) = read(&format!("{F1}\n\n{missing}\n{{oops\n{missing}\n"));
        assert_eq!(
            problems,
            [
                r#"in.jsonl:3: not a logleaks finding (missing "fingerprint")"#,
                "in.jsonl: 2 more records that are not logleaks findings were left out",
            ]
        );
        assert!(json.contains(r#""count":1"#), "{json}");

        let (_, problems) = read("127.0.0.1 - - [27/Nov/2025:10:00:00 +0000] \"GET / HTTP/1.1\"");
        assert_eq!(problems, [format!("in.jsonl:1: {NOT_LOGLEAKS}")]);

        let (_, problems) = read(&format!("\n[\n{F1},\n{{\"count\": 1}}\n]\n"));
        assert_eq!(
            problems,
            [r#"in.jsonl:4: not a logleaks summary (missing "fingerprint")"#]
        );

        let (json, problems) = read(&format!("[\n{F1},\n{F2}"));
        assert_eq!(
            problems,
            ["in.jsonl:3: not valid JSON (EOF while parsing a list)"]
        );
        // What was read before the error still counts.
        assert!(json.contains(r#""count":2"#), "{json}");

        let (_, problems) = read("[]\nx");
        assert_eq!(
            problems,
            ["in.jsonl:2: not valid JSON (something other than an array follows the array)"]
        );

        // Summaries one after the other are read whole; anything else after one is named.
        let object =
            |list: &str| format!("{{\"schema_version\":2,\"meta\":{{}},\"secrets\":[{list}\n]}}\n");
        let (json, problems) = read(&(object(F1) + &object(F1)));
        assert!(problems.is_empty(), "{problems:?}");
        assert!(json.contains(r#""count":2"#), "{json}");
        let (_, problems) = read(&(object(F1) + "[]"));
        assert_eq!(
            problems,
            ["in.jsonl:3: not valid JSON (something other than a summary follows the summary)"]
        );
    }

    #[test]
    fn error_messages_never_quote_the_input() {
        let secret = "sk_live_0123456789abcdefghijklmn";
        let (_, problems) = read(&format!("{{\"secret\": \"{secret}\", \"x\": {secret}}}"));
        assert_eq!(problems.len(), 1);
        assert!(!problems[0].contains(secret), "{problems:?}");
        let (_, problems) = read(&format!("[\"{secret}\", {secret}]"));
        assert!(!problems[0].contains(secret), "{problems:?}");
    }
}
