//! W3C extended logs: Microsoft IIS (and NetScaler, Incapsula, Oracle Web Cache) and AWS
//! CloudFront. The `#Fields:` directive names the columns and may change anywhere in a file, so
//! the parser keeps the last one it saw; without one, the default IIS or CloudFront columns apply.
//!
//! Columns are separated by tabs (CloudFront) or runs of spaces (IIS, which writes spaces inside
//! values as `+`); a value may be quoted.

use std::ops::Range;
use std::sync::{Arc, OnceLock};

use super::cursor::status;
use super::{Field, LogType, Record, Shape, TimeSyntax};
use crate::logformat::FieldName;

/// What a column holds.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Column {
    Date,
    Time,
    DateLocal,
    TimeLocal,
    ClientIp,
    Method,
    UriStem,
    UriQuery,
    Uri,
    Status,
    UserAgent,
    Referer,
    Cookie,
    Header(String),
    PostBody,
    Other,
}

fn column(name: &[u8]) -> Column {
    let lower = name.to_ascii_lowercase();
    match lower.as_slice() {
        b"date" => Column::Date,
        b"time" => Column::Time,
        b"date-local" => Column::DateLocal,
        b"time-local" => Column::TimeLocal,
        b"c-ip" => Column::ClientIp,
        b"cs-method" => Column::Method,
        b"cs-uri-stem" => Column::UriStem,
        b"cs-uri-query" | b"x-sname-query" => Column::UriQuery,
        b"cs-uri" => Column::Uri,
        b"sc-status" => Column::Status,
        b"cs(user-agent)" | b"c-user-agent" => Column::UserAgent,
        b"cs(referer)" | b"cs(referrer)" | b"c-referrer" | b"x-page-url" => Column::Referer,
        b"cs(cookie)" => Column::Cookie,
        b"cs-postbody" => Column::PostBody,
        _ => match lower
            .strip_prefix(b"cs(")
            .and_then(|n| n.strip_suffix(b")"))
        {
            Some(header) => Column::Header(String::from_utf8_lossy(header).into_owned()),
            None => Column::Other,
        },
    }
}

/// The columns of a `#Fields:` directive (the part after `#Fields:`).
fn columns(directive: &[u8]) -> Vec<Column> {
    directive
        .split(|b| b.is_ascii_whitespace())
        .filter(|n| !n.is_empty())
        .map(column)
        .collect()
}

/// IIS or CloudFront, from the names in a `#Fields:` directive.
pub fn flavor(directive: &[u8]) -> LogType {
    let edge = memchr::memmem::find(directive, b"x-edge-").is_some()
        || memchr::memmem::find(directive, b"x-cf-").is_some();
    if edge {
        LogType::Cloudfront
    } else {
        LogType::Iis
    }
}

const IIS_DEFAULT: &[u8] = b"date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken";

const CLOUDFRONT_DEFAULT: &[u8] = b"date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end";

fn defaults(log_type: LogType) -> &'static Arc<Vec<Column>> {
    static IIS: OnceLock<Arc<Vec<Column>>> = OnceLock::new();
    static CLOUDFRONT: OnceLock<Arc<Vec<Column>>> = OnceLock::new();
    match log_type {
        LogType::Cloudfront => CLOUDFRONT.get_or_init(|| Arc::new(columns(CLOUDFRONT_DEFAULT))),
        _ => IIS.get_or_init(|| Arc::new(columns(IIS_DEFAULT))),
    }
}

/// The last `#Fields:` seen.
#[derive(Clone, Debug, Default)]
pub struct State {
    columns: Option<Arc<Vec<Column>>>,
}

impl State {
    /// Notes a `#Fields:` directive.
    pub fn observe(&mut self, line: &[u8]) {
        if let Some(directive) = line.strip_prefix(b"#Fields:") {
            self.columns = Some(Arc::new(columns(directive)));
        }
    }

    /// Parses a line with the columns seen last (the defaults before any).
    pub fn parse(&self, log_type: LogType, line: &[u8]) -> Option<Record> {
        if line.first() == Some(&b'#') {
            return Some(directive(line));
        }
        let columns = self.columns.as_ref().unwrap_or_else(|| defaults(log_type));
        parse_with(line, columns, self.columns.is_none())
    }
}

/// A directive line (`#Fields:`, `#Version:`, `#Date:`, remarks): part of the format; only its
/// text is scanned.
fn directive(line: &[u8]) -> Record {
    if line.starts_with(b"#Fields:") {
        Record::default()
    } else {
        Record::raw(line)
    }
}

/// Parses a line with the default columns of `log_type` (IIS or CloudFront).
pub fn parse_default(log_type: LogType, line: &[u8]) -> Option<Record> {
    if line.first() == Some(&b'#') {
        return line
            .strip_prefix(b"#Fields:")
            .filter(|d| flavor(d) == log_type)
            .map(|_| Record::default());
    }
    let record = parse_with(line, defaults(log_type), true)?;
    // Without a header, only lines that look the part: a date, a time and a status.
    let date_ok = line.len() > 10 && line[4] == b'-' && line[7] == b'-';
    let tabs = memchr::memchr(b'\t', line).is_some();
    let shape_ok = match log_type {
        LogType::Cloudfront => tabs,
        _ => !tabs,
    };
    (date_ok && shape_ok && record.status.is_some()).then_some(record)
}

/// The values of a line: tab-separated, or separated by runs of spaces with `"…"` quoting.
fn values(line: &[u8]) -> Vec<Range<usize>> {
    if memchr::memchr(b'\t', line).is_some() {
        let mut out = Vec::new();
        let mut start = 0;
        for tab in memchr::memchr_iter(b'\t', line) {
            out.push(start..tab);
            start = tab + 1;
        }
        out.push(start..line.len());
        return out;
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < line.len() {
        while i < line.len() && line[i] == b' ' {
            i += 1;
        }
        if i >= line.len() {
            break;
        }
        if line[i] == b'"' {
            let start = i + 1;
            let end = super::cursor::closing_quote(line, start, |b| b.is_none_or(|b| b == b' '));
            if let Some(q) = end {
                out.push(start..q);
                i = q + 1;
                continue;
            }
        }
        let start = i;
        while i < line.len() && line[i] != b' ' {
            i += 1;
        }
        out.push(start..i);
    }
    out
}

fn parse_with(line: &[u8], columns: &[Column], lenient_count: bool) -> Option<Record> {
    let values = values(line);
    let tabs = memchr::memchr(b'\t', line).is_some();
    let count_ok = if tabs || lenient_count {
        values.len() >= columns.len().min(20) && values.len() <= columns.len() + 8
    } else {
        values.len() == columns.len()
    };
    if !count_ok || values.len() < 2 {
        return None;
    }
    let mut record = Record::default();
    let mut date: Option<(Range<usize>, bool)> = None;
    for (col, span) in columns.iter().zip(values.iter().cloned()) {
        let bytes = &line[span.clone()];
        if bytes.is_empty() || bytes == b"-" {
            continue;
        }
        match col {
            Column::Date => date = Some((span, true)),
            Column::DateLocal => date = Some((span, false)),
            Column::Time | Column::TimeLocal => {
                if let Some((d, utc)) = date.take() {
                    let syntax = if utc && *col == Column::Time {
                        TimeSyntax::W3cUtc
                    } else {
                        TimeSyntax::Iso8601
                    };
                    record.time = Some((syntax, d.start..span.end));
                }
            }
            Column::ClientIp => record.client = Some(span),
            Column::Method => {
                if super::cursor::is_method(bytes) {
                    record.method = Some(span);
                }
            }
            Column::Status => record.status = status(bytes)?,
            Column::UriStem | Column::Uri => record.push(
                line,
                Field::new(FieldName::RequestPath, span, Shape::RequestTarget),
            ),
            Column::UriQuery => record.push(
                line,
                Field::new(FieldName::RequestQuery, span, Shape::Query),
            ),
            Column::UserAgent => record.add_user_agent(line, span),
            Column::Referer => record.push(line, Field::new(FieldName::Referer, span, Shape::Url)),
            Column::Cookie => cookies(line, span, &mut record),
            Column::Header(name) => record.push(line, Field::header(name.as_bytes(), span)),
            Column::PostBody => {
                record.push(line, Field::new(FieldName::RequestBody, span, Shape::Query))
            }
            Column::Other => {}
        }
    }
    Some(record)
}

/// IIS writes cookies as `a=1;+b=2` (spaces as `+`), CloudFront as `a=1;%20b=2`: one field per
/// cookie.
fn cookies(line: &[u8], span: Range<usize>, record: &mut Record) {
    let bytes = &line[span.clone()];
    let mut start = 0;
    while start < bytes.len() {
        let end = memchr::memchr(b';', &bytes[start..]).map_or(bytes.len(), |p| start + p);
        let pair = &bytes[start..end];
        let skip = crate::decode::url::cookie_space_len(pair);
        if let Some(eq) = memchr::memchr(b'=', pair) {
            if eq > skip && eq + 1 < pair.len() {
                let name = String::from_utf8_lossy(&pair[skip..eq]).into_owned();
                let value = span.start + start + eq + 1..span.start + end;
                record.push(
                    line,
                    Field::new(FieldName::Cookie, value, Shape::Value(name)),
                );
            }
        }
        start = end + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(line: &str, r: &Record) -> Vec<(String, String)> {
        crate::logformat::field_texts(line, r)
    }

    #[test]
    fn fields_directive_drives_the_columns() {
        let mut state = State::default();
        state.observe(b"#Fields: date time c-ip cs-method cs-uri-stem cs-uri-query sc-status cs(Cookie) cs(Authorization)");
        let line = "2026-11-27 10:00:00 203.0.113.7 GET /api/v1 key=abc&x=1 200 ASP.NET_SessionId=s1;+token=t2 Bearer+xyz";
        let r = state.parse(LogType::Iis, line.as_bytes()).unwrap();
        let f = fields(line, &r);
        assert!(f.contains(&("request.path".into(), "/api/v1".into())));
        assert!(f.contains(&("request.query".into(), "key=abc&x=1".into())));
        assert!(f.contains(&("cookie".into(), "s1".into())));
        assert!(f.contains(&("cookie".into(), "t2".into())));
        assert!(f.contains(&("header.authorization".into(), "Bearer+xyz".into())));
        assert_eq!(r.time.clone().unwrap().0, TimeSyntax::W3cUtc);
        assert_eq!(&line[r.time.unwrap().1], "2026-11-27 10:00:00");
        // A new #Fields changes the columns.
        state.observe(b"#Fields: time c-ip cs-method cs-uri-stem sc-status");
        let r = state
            .parse(LogType::Iis, b"10:00:00 1.2.3.4 GET /x?y 404")
            .unwrap();
        assert_eq!(r.status, Some(404));
        assert!(state
            .parse(LogType::Iis, b"10:00:00 1.2.3.4 GET /x?y 404 extra")
            .is_none());
    }

    #[test]
    fn cloudfront_defaults() {
        let line = "2026-11-27\t10:00:00\tFRA2\t182\t192.0.2.10\tGET\td111.cloudfront.net\t/view\t200\thttps://ref.example/\tMozilla/5.0%20(X11)\ttoken=abc\t-\tMiss\tid==\texample.com\thttps\t217\t0.001\t-\tTLSv1.2\tECDHE\tMiss\tHTTP/1.1\t-\t-";
        let r = parse_default(LogType::Cloudfront, line.as_bytes()).unwrap();
        let f = fields(line, &r);
        assert!(f.contains(&("request.query".into(), "token=abc".into())));
        assert_eq!(&line[r.client.unwrap()], "192.0.2.10");
        assert!(parse_default(LogType::Iis, line.as_bytes()).is_none());
        assert_eq!(
            flavor(b" date time x-edge-location c-ip"),
            LogType::Cloudfront
        );
    }
}
