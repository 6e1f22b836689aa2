//! HAProxy's HTTP log format: `client:port [accept date] frontend backend/server
//! Tq/Tw/Tc/Tr/Tt status bytes req_cookie res_cookie termination conns queues {captured request
//! headers} {captured response headers} "request"`.
//!
//! Captured headers are not named in the log (the configuration knows their order), so their
//! values are reported as `header.captured`; captured cookies as `cookie`.

use super::cursor::{is_digits, status, without_port, Cursor};
use super::{Field, Record, Shape, TimeSyntax};
use crate::logformat::FieldName;

/// True for `a/b/c…` where every part is a (possibly signed) number.
fn is_slashed_numbers(bytes: &[u8], parts: std::ops::RangeInclusive<usize>) -> bool {
    let n = bytes.split(|&b| b == b'/').count();
    parts.contains(&n)
        && bytes.split(|&b| b == b'/').all(|p| {
            let digits = p.strip_prefix(b"-").or(p.strip_prefix(b"+")).unwrap_or(p);
            is_digits(digits)
        })
}

/// Parses one line; `None` when it is not an HAProxy HTTP log line.
pub fn parse(line: &[u8]) -> Option<Record> {
    let mut c = Cursor::new(line);
    let client = c.token()?;
    let colon = memchr::memrchr(b':', &line[client.clone()])?;
    if !is_digits(&line[client.start + colon + 1..client.end]) {
        return None;
    }
    let time = c.bracketed()?;
    if line[time.clone()].get(2) != Some(&b'/') {
        return None;
    }
    let frontend = c.token()?;
    if line[frontend.clone()].ends_with(b":") {
        // A connection error: `client:port [date] frontend/bind: SSL handshake failure`.
        let mut record = Record {
            client: Some(without_port(line, client)),
            time: Some((TimeSyntax::Clf, time)),
            ..Record::default()
        };
        c.skip_spaces();
        record.push(
            line,
            Field::new(FieldName::Message, c.pos..line.len(), Shape::Text),
        );
        return Some(record);
    }
    let backend = c.token()?;
    if !line[backend].contains(&b'/') {
        return None;
    }
    let timers = c.token()?;
    if !is_slashed_numbers(&line[timers], 4..=5) {
        return None;
    }
    let status_token = &line[c.token()?];
    let status = if status_token == b"-1" {
        None
    } else {
        status(status_token)?
    };
    let bytes = c.token()?;
    if !is_digits(
        line[bytes.clone()]
            .strip_prefix(b"+")
            .unwrap_or(&line[bytes]),
    ) {
        return None;
    }
    let request_cookie = c.token()?;
    let response_cookie = c.token()?;
    let termination = c.token()?;
    if line[termination].len() != 4 {
        return None;
    }
    let conns = c.token()?;
    let queues = c.token()?;
    if !is_slashed_numbers(&line[conns], 5..=5) || !is_slashed_numbers(&line[queues], 2..=2) {
        return None;
    }
    let mut record = Record {
        client: Some(without_port(line, client)),
        time: Some((TimeSyntax::Clf, time)),
        status,
        ..Record::default()
    };
    for cookie in [request_cookie, response_cookie] {
        if line[cookie.clone()].contains(&b'=') {
            record.push(line, Field::new(FieldName::Cookie, cookie, Shape::Cookie));
        }
    }
    // Up to two groups of captured headers.
    for _ in 0..2 {
        c.skip_spaces();
        if c.peek() != Some(b'{') {
            break;
        }
        let start = c.pos + 1;
        let close = memchr::memmem::find(&line[start..], b"} ").or_else(|| {
            line[start..]
                .ends_with(b"}")
                .then(|| line.len() - start - 1)
        })?;
        captured(line, start..start + close, &mut record);
        c.pos = start + close + 1;
    }
    c.skip_spaces();
    if c.peek() != Some(b'"') {
        return None;
    }
    // The request may be cut short (no closing quote) when it was too long.
    let start = c.pos + 1;
    let end = if line.len() > start && line.ends_with(b"\"") {
        line.len() - 1
    } else {
        line.len()
    };
    record.add_request_line(line, start..end);
    Some(record)
}

/// `{value|value|…}`: each value as a captured header (URLs as URLs).
fn captured(line: &[u8], range: std::ops::Range<usize>, record: &mut Record) {
    let mut start = range.start;
    for end in memchr::memchr_iter(b'|', &line[range.clone()])
        .map(|p| range.start + p)
        .chain(std::iter::once(range.end))
    {
        let span = start..end;
        let value = &line[span.clone()];
        let name = FieldName::Header("captured".into());
        if crate::decode::url::scheme_len(value).is_some() {
            record.push(line, Field::new(name, span, Shape::Url));
        } else {
            record.push(
                line,
                Field::new(name, span, Shape::Header("captured".into())),
            );
        }
        start = end + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_line_with_captures() {
        let line = r#"192.0.2.7:55032 [27/Nov/2026:14:30:18.885] front_https~ back/web1 0/0/0/169/169 200 1541 SESSIONID=abc123 - ---- 5/6/1/1/0 0/0 {shop.example|Bearer eyJx.eyJy.z|https://ref.example/?token=t} {} "GET /api?key=k HTTP/1.1""#;
        let r = parse(line.as_bytes()).unwrap();
        assert_eq!(&line[r.client.clone().unwrap()], "192.0.2.7");
        assert_eq!(r.status, Some(200));
        let f: Vec<_> = r
            .fields
            .iter()
            .map(|f| (f.name.to_output().into_owned(), &line[f.span.clone()]))
            .collect();
        assert!(f.contains(&("cookie".into(), "SESSIONID=abc123")));
        assert!(f.contains(&("header.captured".into(), "Bearer eyJx.eyJy.z")));
        assert!(f.contains(&("header.captured".into(), "https://ref.example/?token=t")));
        assert!(f.contains(&("request.path".into(), "/api?key=k")));
    }

    #[test]
    fn other_lines() {
        let error = parse(
            b"192.168.1.4:50033 [28/Feb/2025:02:43:10.123] frontend/backend: SSL handshake failure",
        )
        .unwrap();
        assert!(error.status.is_none() && error.client.is_some());
        assert!(parse(b"Proxy prod_http_in started.").is_none());
        let truncated = r#"10.0.0.1:1 [27/Nov/2026:14:30:18.885] f b/s 0/0/0/1/1 200 1 - - ---- 1/1/1/1/0 0/0 "GET /very/long"#;
        assert!(parse(truncated.as_bytes()).is_some());
    }
}
