//! nginx `error.log`: `2026/11/27 10:00:00 [error] 12#12: *3 message, client: IP, server: NAME,
//! request: "GET /path?query HTTP/1.1", upstream: "http://…", host: "…", referrer: "…"`, and the
//! debug level's `http header: "Name: value"`, `http request line: "…"`, `http args: "…"`.

use super::cursor::{closing_quote, is_digits, Cursor};
use super::{message, Field, Record, Shape, TimeSyntax};
use crate::logformat::FieldName;

/// Parses one line; `None` when it is not an nginx error log line.
pub fn parse(line: &[u8]) -> Option<Record> {
    // 2026/11/27 10:00:00 [level] pid#tid: [*cid ]message
    if line.len() < 24 || line[4] != b'/' || line[7] != b'/' || line[10] != b' ' {
        return None;
    }
    if line[13] != b':' || line[16] != b':' || !is_digits(&line[..4]) {
        return None;
    }
    let mut c = Cursor::at(line, 19);
    let level = c.bracketed()?;
    if !line[level].iter().all(u8::is_ascii_alphabetic) {
        return None;
    }
    let pid = c.token()?;
    let pid_bytes = &line[pid.clone()];
    let hash = memchr::memchr(b'#', pid_bytes)?;
    if !pid_bytes.ends_with(b":") || !is_digits(&pid_bytes[..hash]) {
        return None;
    }
    let mut record = Record {
        time: Some((TimeSyntax::NginxError, 0..19)),
        ..Record::default()
    };
    c.skip_spaces();
    if c.peek() == Some(b'*') {
        c.token();
        c.skip_spaces();
    }
    let start = c.pos;
    let mut end = line.len();
    if let Some(at) = memchr::memmem::rfind(&line[start..], b", client: ") {
        end = start + at;
        context(line, end + 2, &mut record);
    }
    if !debug_message(line, start..end, &mut record) {
        message::add_message(line, start..end, &mut record);
    }
    Some(record)
}

/// The `key: value, key: "value"` context nginx appends to a message.
fn context(line: &[u8], mut pos: usize, record: &mut Record) {
    while pos < line.len() {
        let Some(colon) = memchr::memmem::find(&line[pos..], b": ") else {
            return;
        };
        let key = &line[pos..pos + colon];
        let value_start = pos + colon + 2;
        let (value, next) = if line.get(value_start) == Some(&b'"') {
            let closes = |b: Option<u8>| matches!(b, None | Some(b','));
            match closing_quote(line, value_start + 1, closes) {
                Some(q) => (value_start + 1..q, q + 1),
                None => (value_start + 1..line.len(), line.len()),
            }
        } else {
            let end = memchr::memmem::find(&line[value_start..], b", ")
                .map_or(line.len(), |p| value_start + p);
            (value_start..end, end)
        };
        match key {
            b"client" => record.client = Some(value),
            b"host" => record.host = Some(value),
            b"request" => record.add_request_line(line, value),
            b"subrequest" => record.push(
                line,
                Field::new(FieldName::RequestPath, value, Shape::RequestTarget),
            ),
            b"upstream" => record.push(line, Field::new(FieldName::Upstream, value, Shape::Url)),
            b"referrer" | b"referer" => {
                record.push(line, Field::new(FieldName::Referer, value, Shape::Url))
            }
            _ => {}
        }
        pos = next;
        while matches!(line.get(pos), Some(b',' | b' ')) {
            pos += 1;
        }
    }
}

/// Debug-level lines that log one part of a request; true when the message was one.
fn debug_message(line: &[u8], range: std::ops::Range<usize>, record: &mut Record) -> bool {
    let msg = &line[range.clone()];
    let kinds: [(&[u8], u8); 7] = [
        (b"http header: \"", b'h'),
        (b"http proxy header: \"", b'h'),
        (b"http request line: \"", b'r'),
        (b"http uri: \"", b'u'),
        (b"http args: \"", b'a'),
        (b"fastcgi param: \"", b'f'),
        (b"http cookie: \"", b'c'),
    ];
    let Some((prefix, kind)) = kinds.iter().find(|(p, _)| msg.starts_with(p)) else {
        return false;
    };
    let start = range.start + prefix.len();
    let end = if line[..range.end].ends_with(b"\"") && range.end > start {
        range.end - 1
    } else {
        range.end
    };
    let value = start..end;
    match kind {
        b'h' | b'f' => {
            let bytes = &line[value.clone()];
            let Some(colon) = memchr::memchr(b':', bytes) else {
                return false;
            };
            let name = &bytes[..colon];
            let mut v = value.start + colon + 1;
            while line.get(v) == Some(&b' ') {
                v += 1;
            }
            let span = v..value.end;
            if *kind == b'f' {
                match name {
                    b"QUERY_STRING" => record.push(
                        line,
                        Field::new(FieldName::RequestQuery, span, Shape::Query),
                    ),
                    b"REQUEST_URI" => record.push(
                        line,
                        Field::new(FieldName::RequestPath, span, Shape::RequestTarget),
                    ),
                    _ => match name.strip_prefix(b"HTTP_") {
                        Some(header) => {
                            let header = header.to_ascii_lowercase();
                            let header: Vec<u8> = header
                                .iter()
                                .map(|&b| if b == b'_' { b'-' } else { b })
                                .collect();
                            record.push(line, Field::header(&header, span));
                        }
                        None => message::add_message(line, span, record),
                    },
                }
            } else {
                if name.eq_ignore_ascii_case(b"user-agent") && record.user_agent.is_none() {
                    record.user_agent = Some(span.clone());
                }
                record.push(line, Field::header(name, span));
            }
        }
        b'r' => record.add_request_line(line, value),
        b'u' => record.push(
            line,
            Field::new(FieldName::RequestPath, value, Shape::RequestTarget),
        ),
        b'a' => record.push(
            line,
            Field::new(FieldName::RequestQuery, value, Shape::Query),
        ),
        _ => record.push(line, Field::new(FieldName::Cookie, value, Shape::Cookie)),
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(line: &str) -> (Record, Vec<(String, String)>) {
        let r = parse(line.as_bytes()).expect("nginx error line");
        let list = crate::logformat::field_texts(line, &r);
        (r, list)
    }

    #[test]
    fn context_fields() {
        let line = r#"2026/11/27 10:00:00 [error] 298#298: *1093 upstream timed out, client: 203.0.113.4, server: _, request: "POST /login?next=%2F HTTP/1.1", upstream: "http://127.0.0.1:9000/auth?api_key=abc", host: "shop.example", referrer: "https://shop.example/login?token=t""#;
        let (r, f) = fields(line);
        assert_eq!(&line[r.client.unwrap()], "203.0.113.4");
        assert_eq!(&line[r.method.unwrap()], "POST");
        assert!(f.contains(&("request.path".into(), "/login?next=%2F".into())));
        assert!(f.contains(&(
            "upstream".into(),
            "http://127.0.0.1:9000/auth?api_key=abc".into()
        )));
        assert!(f.contains(&(
            "referer".into(),
            "https://shop.example/login?token=t".into()
        )));
        assert!(f.contains(&("message".into(), "upstream timed out".into())));
    }

    #[test]
    fn debug_lines() {
        let (r, f) = fields(
            r#"2026/11/27 10:00:00 [debug] 1#1: *1 http header: "Authorization: Bearer abc.def""#,
        );
        assert!(r.client.is_none());
        assert_eq!(
            f,
            [(
                "header.authorization".to_string(),
                "Bearer abc.def".to_string()
            )]
        );
        let (_, f) = fields(r#"2026/11/27 10:00:00 [debug] 1#1: *1 http args: "a=1&token=x""#);
        assert_eq!(
            f,
            [("request.query".to_string(), "a=1&token=x".to_string())]
        );
        assert!(parse(b"2026/11/27 10:00:00 [debug] 3407365#3407365: worker cycle").is_some());
        assert!(parse(b"2026-11-27 10:00:00 [debug] 1#1: x").is_none());
    }
}
