//! Squid `access.log`: the native format (`time.ms elapsed client code/status bytes method URL
//! user hierarchy/peer type`) and `combined` with Squid's `TCP_MISS:HIER_DIRECT` trailer.

use super::clf::{self, Variant};
use super::cursor::{is_digits, status, Cursor};
use super::{Field, Record, Shape, TimeSyntax};
use crate::logformat::FieldName;

/// Parses one line; `None` when it is not a Squid access log line.
pub fn parse(line: &[u8]) -> Option<Record> {
    if line.first().is_some_and(u8::is_ascii_digit) {
        if let Some(record) = native(line) {
            return Some(record);
        }
    }
    combined(line)
}

fn native(line: &[u8]) -> Option<Record> {
    let mut c = Cursor::new(line);
    let time = c.token()?;
    let t = &line[time.clone()];
    let dot = memchr::memchr(b'.', t)?;
    if !is_digits(&t[..dot]) || !is_digits(&t[dot + 1..]) {
        return None;
    }
    let elapsed = c.token()?;
    if !is_digits(&line[elapsed]) {
        return None;
    }
    let client = c.token()?;
    let code = c.token()?;
    let code_bytes = &line[code.clone()];
    let slash = memchr::memchr(b'/', code_bytes)?;
    if !code_bytes[..slash]
        .iter()
        .all(|b| b.is_ascii_uppercase() || *b == b'_')
    {
        return None;
    }
    let status = status(&code_bytes[slash + 1..])?;
    let bytes = c.token()?;
    if !is_digits(&line[bytes]) {
        return None;
    }
    let method = c.token()?;
    let url = c.token()?;
    let mut record = Record {
        client: Some(client),
        time: Some((TimeSyntax::Epoch, time)),
        status,
        ..Record::default()
    };
    if super::cursor::is_method(&line[method.clone()]) {
        record.method = Some(method);
    }
    record.push(
        line,
        Field::new(FieldName::RequestPath, url, Shape::RequestTarget),
    );
    // user hierarchy/peer type
    let rest_start = c.pos;
    if c.token().is_some() {
        let hierarchy = c.token()?;
        if !line[hierarchy].contains(&b'/') {
            return None;
        }
    }
    let _ = rest_start;
    Some(record)
}

fn combined(line: &[u8]) -> Option<Record> {
    let (record, rest) = clf::parse_with_rest(line, Variant::Combined)?;
    let trailer = &line[rest..];
    let colon = memchr::memchr(b':', trailer)?;
    let is_code =
        |b: &[u8]| !b.is_empty() && b.iter().all(|c| c.is_ascii_uppercase() || *c == b'_');
    let end = trailer
        .iter()
        .position(|&b| b == b' ')
        .unwrap_or(trailer.len());
    (is_code(&trailer[..colon]) && is_code(&trailer[colon + 1..end])).then_some(record)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn native_and_combined() {
        let line = "1764237600.686   3976 192.0.2.1 TCP_MISS/200 13564 GET http://shop.example/a?api_key=abc - HIER_DIRECT/203.0.113.200 text/html";
        let r = parse(line.as_bytes()).unwrap();
        assert_eq!(r.status, Some(200));
        assert_eq!(
            &line[r.fields[0].span.clone()],
            "http://shop.example/a?api_key=abc"
        );
        let combined = r#"192.0.2.1 - - [27/Nov/2026:10:00:00 +0000] "GET http://shop.example/ HTTP/1.1" 200 1 "-" "curl/8.0" TCP_MISS:HIER_DIRECT"#;
        assert!(parse(combined.as_bytes()).is_some());
        let plain =
            r#"192.0.2.1 - - [27/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "curl/8.0""#;
        assert!(parse(plain.as_bytes()).is_none());
        assert!(parse(b"Unmatched! The rat the cat").is_none());
    }
}
