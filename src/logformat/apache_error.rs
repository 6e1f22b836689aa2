//! Apache 2.2 and 2.4 `error_log`:
//! `[Wed Oct 11 14:32:52.123456 2000] [module:level] [pid N:tid N] [client ip:port] message,
//! referer: URL`.
//!
//! The message is free text, except for what it echoes of a request (see [`super::message`]).

use super::cursor::{without_port, Cursor};
use super::{message, Field, Record, Shape, TimeSyntax};
use crate::logformat::FieldName;

const DAYS: [&[u8]; 7] = [b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat", b"Sun"];

/// Parses one line; `None` when it is not an Apache error log line.
pub fn parse(line: &[u8]) -> Option<Record> {
    if line.first() != Some(&b'[') {
        return None;
    }
    let mut c = Cursor::new(line);
    let time = c.bracketed()?;
    let t = &line[time.clone()];
    if t.len() < 20 || !DAYS.contains(&&t[..3]) || t[3] != b' ' || memchr::memchr(b':', t).is_none()
    {
        return None;
    }
    // [level] or [module:level]
    let level = c.bracketed()?;
    let level_bytes = &line[level];
    if level_bytes.is_empty()
        || !level_bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b':' | b'_' | b'-'))
    {
        return None;
    }
    let mut record = Record {
        time: Some((TimeSyntax::ApacheError, time)),
        ..Record::default()
    };
    // [pid N:tid N] [client ip:port] [remote ip:port]
    loop {
        let save = c;
        c.skip_spaces();
        let rest = c.rest();
        const PREFIXES: [&[u8]; 4] = [b"[pid ", b"[client ", b"[remote ", b"[tid "];
        let known = PREFIXES.iter().find(|p| rest.starts_with(p));
        let Some(prefix) = known else {
            c = save;
            break;
        };
        let inside = c.bracketed()?;
        if *prefix == b"[client " && record.client.is_none() {
            let addr = inside.start + 7..inside.end;
            record.client = Some(without_port(line, addr));
        }
    }
    c.skip_spaces();
    let mut end = line.len();
    if let Some(at) = memchr::memmem::rfind(&line[c.pos..], b", referer: ") {
        let referer = c.pos + at + 11..line.len();
        record.push(line, Field::new(FieldName::Referer, referer, Shape::Url));
        end = c.pos + at;
    }
    message::add_message(line, c.pos..end, &mut record);
    Some(record)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(line: &str) -> Vec<(String, String)> {
        let r = parse(line.as_bytes()).expect("apache error line");
        crate::logformat::field_texts(line, &r)
    }

    #[test]
    fn apache_24_with_referer() {
        let line = "[Thu Nov 27 10:00:00.123456 2026] [php7:error] [pid 2032:tid 1] [client 203.0.113.5:43038] PHP Warning: file_get_contents(https://api.example.com/v1?key=abc): failed, referer: https://shop.example/?session=xyz";
        let r = parse(line.as_bytes()).unwrap();
        assert_eq!(&line[r.client.clone().unwrap()], "203.0.113.5");
        assert_eq!(r.time.unwrap().0, TimeSyntax::ApacheError);
        let f = fields(line);
        assert!(f.contains(&("referer".into(), "https://shop.example/?session=xyz".into())));
        assert!(f
            .iter()
            .any(|(n, v)| n == "message" && v.contains("key=abc")));
    }

    #[test]
    fn apache_22_and_cgi_dump() {
        let line = "[Sun Dec 04 04:47:44 2005] [error] [client 1.2.3.4] QUERY_STRING=token=abc123";
        let f = fields(line);
        assert!(
            f.contains(&("request.query".into(), "token=abc123".into())),
            "{f:?}"
        );
        assert!(parse(b"[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok").is_some());
        assert!(parse(b"[27/Nov/2026:10:00:00 +0000] x").is_none());
        assert!(parse(b"[Sun Dec 04 04:47:44 2005] no level").is_none());
    }
}
