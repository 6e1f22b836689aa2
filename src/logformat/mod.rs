//! Log formats: which shape a file's lines have, and how one line splits into the fields of a
//! record (client, time, request target, referer, …).
//!
//! Parsers return byte ranges into the line and never copy or decode; they know nothing about
//! credentials or rules.

mod clf;
mod time;

use std::ops::Range;

use crate::finding::FieldName;

pub use time::{format_timestamp, TimeSyntax};

/// A log format that logleaks understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LogType {
    /// Apache/nginx `combined`: common plus referer and user agent.
    Combined,
    /// Apache `common` (NCSA).
    Common,
    /// Apache `vhost_combined`: `vhost:port` before combined.
    VhostCombined,
    /// No known shape: lines are scanned as free text.
    Raw,
}

impl LogType {
    /// Every log type, in the order `--help` lists them.
    pub const ALL: [LogType; 4] = [Self::Combined, Self::Common, Self::VhostCombined, Self::Raw];

    /// The name used on the command line and in output.
    pub fn name(self) -> &'static str {
        match self {
            Self::Combined => "combined",
            Self::Common => "common",
            Self::VhostCombined => "vhost_combined",
            Self::Raw => "raw",
        }
    }

    /// Looks a type up by its name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }

    /// True when a line can only be understood with lines before it (such files are scanned
    /// sequentially, never split into blocks).
    pub fn carries_state(self) -> bool {
        false
    }
}

/// How a field's bytes are to be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shape {
    /// An HTTP request target: its path is `request.path`, its query `request.query`.
    RequestTarget,
    /// A whole URL, reported under the field's own name (referer, upstream).
    Url,
    /// Free text that may hold `name=value` pairs and URLs.
    Text,
    /// A bare query string (`a=1&b=2`), e.g. IIS `cs-uri-query`.
    Query,
    /// The value of the request header with this lowercase name.
    Header(String),
    /// A Cookie header value: `name=value` pairs separated by `;`.
    Cookie,
    /// A value under a known name (e.g. a JSON field `"password"`).
    Value(String),
}

/// Escaping that applies to a whole field before any other decoding.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Escaping {
    /// The log's own `\xHH`, `\"` escapes (undone per value).
    #[default]
    Log,
    /// JSON string escapes (`\u0026`, `\/`, `\"`).
    Json,
}

/// One part of a record that may hold a credential.
#[derive(Clone, Debug)]
pub struct Field {
    /// What the field is called in findings.
    pub name: FieldName,
    /// Where it is in the line.
    pub span: Range<usize>,
    /// How to read it.
    pub shape: Shape,
    /// Escaping to undo first.
    pub escaping: Escaping,
}

/// One log line split into what logleaks needs from it; ranges index into the line.
#[derive(Clone, Debug, Default)]
pub struct Record {
    /// Client address.
    pub client: Option<Range<usize>>,
    /// The timestamp and its syntax.
    pub time: Option<(TimeSyntax, Range<usize>)>,
    /// HTTP method.
    pub method: Option<Range<usize>>,
    /// HTTP status.
    pub status: Option<u16>,
    /// User agent.
    pub user_agent: Option<Range<usize>>,
    /// The fields to scan for credentials.
    pub fields: Vec<Field>,
}

impl Record {
    /// A record for a line of unknown shape: the whole line is free text.
    pub fn raw(line: &[u8]) -> Self {
        Record {
            fields: vec![Field {
                name: FieldName::Line,
                span: 0..line.len(),
                shape: Shape::Text,
                escaping: Escaping::Log,
            }],
            ..Record::default()
        }
    }
}

/// Parses `line` as `log_type`; `None` when the line does not have that shape.
pub fn parse(log_type: LogType, line: &[u8]) -> Option<Record> {
    match log_type {
        LogType::Combined => clf::parse(line, clf::Variant::Combined),
        LogType::Common => clf::parse(line, clf::Variant::Common),
        LogType::VhostCombined => clf::parse(line, clf::Variant::VhostCombined),
        LogType::Raw => None,
    }
}

/// Parses the lines of one input as one log type, keeping whatever state the format carries
/// from line to line (none yet for the access formats).
#[derive(Clone, Debug)]
pub struct Parser {
    log_type: LogType,
}

impl Parser {
    /// A parser for `log_type`.
    pub fn new(log_type: LogType) -> Self {
        Parser { log_type }
    }

    /// The log type.
    pub fn log_type(&self) -> LogType {
        self.log_type
    }

    /// True when every line must be shown to [`Parser::observe`] in order, because later lines
    /// depend on earlier ones; such inputs are scanned sequentially.
    pub fn carries_state(&self) -> bool {
        self.log_type.carries_state()
    }

    /// Shows the parser a line, in order (only called when [`Parser::carries_state`]).
    pub fn observe(&mut self, _line: &[u8]) {}

    /// Parses a line: the record and the log type it was parsed as, or `None` when the line has
    /// no known shape (it is then scanned as text).
    pub fn parse(&mut self, line: &[u8]) -> Option<(Record, LogType)> {
        parse(self.log_type, line).map(|r| (r, self.log_type))
    }
}

/// How many of the first lines of a file are looked at to detect its format.
pub const DETECT_LINES: usize = 64;

/// Detects a file's format from its first bytes: the type that parses most of the first
/// [`DETECT_LINES`] non-empty lines (the more specific one on a tie), or [`LogType::Raw`].
pub fn detect(head: &[u8]) -> LogType {
    let candidates = [LogType::VhostCombined, LogType::Combined, LogType::Common];
    let mut scores = [0usize; 3];
    let lines = head
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .filter(|l| !l.is_empty() && !l.iter().all(|&b| b == 0))
        .take(DETECT_LINES);
    for line in lines {
        for (score, &t) in scores.iter_mut().zip(&candidates) {
            if parse(t, line).is_some() {
                *score += 1;
            }
        }
    }
    let best = (0..candidates.len())
        .filter(|&i| scores[i] > 0)
        .max_by_key(|&i| (scores[i], std::cmp::Reverse(i)));
    best.map_or(LogType::Raw, |i| candidates[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMBINED: &str = r#"203.0.113.9 - - [27/Nov/2026:10:00:00 +0000] "GET /a?b=c HTTP/1.1" 200 12 "https://ref.example/" "Mozilla/5.0""#;
    const COMMON: &str =
        r#"203.0.113.9 - frank [27/Nov/2026:10:00:00 +0000] "GET /a HTTP/1.0" 200 2326"#;
    const VHOST: &str = r#"www.example.com:443 203.0.113.9 - - [27/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 12 "-" "curl/8.0""#;

    #[test]
    fn detects_each_access_format() {
        assert_eq!(
            detect(format!("{COMBINED}\n{COMBINED}\n").as_bytes()),
            LogType::Combined
        );
        assert_eq!(detect(format!("{COMMON}\n").as_bytes()), LogType::Common);
        assert_eq!(
            detect(format!("{VHOST}\r\n{VHOST}").as_bytes()),
            LogType::VhostCombined
        );
        assert_eq!(detect(b"hello world\nnot a log\n"), LogType::Raw);
        assert_eq!(detect(b""), LogType::Raw);
    }

    #[test]
    fn detection_tolerates_junk_lines() {
        let head = format!("# comment\n\0\0\0\ngarbage\n{COMBINED}\n{COMBINED}\n");
        assert_eq!(detect(head.as_bytes()), LogType::Combined);
    }

    #[test]
    fn names_round_trip() {
        for t in LogType::ALL {
            assert_eq!(LogType::from_name(t.name()), Some(t));
        }
    }
}
