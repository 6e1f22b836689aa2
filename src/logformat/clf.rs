//! The Common Log Format family: Apache/nginx `common`, `combined` and `vhost_combined`.
//!
//! `host ident user [time] "request" status size ["referer" "user-agent"] [more…]`, with an
//! optional `vhost:port ` in front. Quoted fields may hold `\"` (Apache) or `\x22` (nginx).

use super::{Field, Record, Shape, TimeSyntax};
use crate::finding::FieldName;

/// Which member of the family is expected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    /// Referer and user agent required.
    Combined,
    /// Ends after the size (anything after is ignored).
    Common,
    /// `vhost:port` first, then combined.
    VhostCombined,
}

/// Parses one line; `None` when it does not have the variant's shape.
pub fn parse(line: &[u8], variant: Variant) -> Option<Record> {
    let mut cursor = Cursor { line, pos: 0 };
    if variant == Variant::VhostCombined {
        let vhost = cursor.token()?;
        let colon = memchr::memrchr(b':', &line[vhost.clone()])?;
        let port = &line[vhost.start + colon + 1..vhost.end];
        if port.is_empty() || !port.iter().all(u8::is_ascii_digit) {
            return None;
        }
    }
    let client = cursor.token()?;
    let _ident = cursor.token()?;
    let _user = cursor.token()?;
    let time = cursor.bracketed()?;
    let request = cursor.quoted()?;
    let status = cursor.token()?;
    let status = parse_status(&line[status])?;
    let size = cursor.token()?;
    if !(line[size.clone()] == *b"-" || line[size].iter().all(u8::is_ascii_digit)) {
        return None;
    }
    let mut record = Record {
        client: Some(client),
        time: Some((TimeSyntax::Clf, time)),
        status,
        ..Record::default()
    };
    add_request(line, request, &mut record);
    if variant != Variant::Common {
        let referer = cursor.quoted()?;
        let user_agent = cursor.quoted()?;
        if line[referer.clone()] != *b"-" {
            record.fields.push(Field {
                name: FieldName::Referer,
                span: referer,
                shape: Shape::Url,
                escaping: super::Escaping::Log,
            });
        }
        record.fields.push(Field {
            name: FieldName::Header("user-agent".into()),
            span: user_agent.clone(),
            shape: Shape::Text,
            escaping: super::Escaping::Log,
        });
        record.user_agent = Some(user_agent);
    }
    // Whatever a site appended after the standard fields is scanned as text.
    cursor.skip_spaces();
    if cursor.pos < line.len() {
        record.fields.push(Field {
            name: FieldName::Line,
            span: cursor.pos..line.len(),
            shape: Shape::Text,
            escaping: super::Escaping::Log,
        });
    }
    Some(record)
}

/// Splits `"METHOD target PROTOCOL"` into method and target; a request line of any other shape
/// (binary junk, a bare path) is scanned as text.
fn add_request(line: &[u8], request: std::ops::Range<usize>, record: &mut Record) {
    let bytes = &line[request.clone()];
    let first_space = memchr::memchr(b' ', bytes);
    let method_ok = first_space.is_some_and(|n| {
        n > 0
            && bytes[..n]
                .iter()
                .all(|b| b.is_ascii_uppercase() || *b == b'-')
    });
    if let (true, Some(sp)) = (method_ok, first_space) {
        let mut target_end = bytes.len();
        if let Some(last) = memchr::memrchr(b' ', bytes) {
            if last > sp && bytes[last + 1..].starts_with(b"HTTP/") {
                target_end = last;
            }
        }
        record.method = Some(request.start..request.start + sp);
        record.fields.push(Field {
            name: FieldName::RequestPath,
            span: request.start + sp + 1..request.start + target_end,
            shape: Shape::RequestTarget,
            escaping: super::Escaping::Log,
        });
    } else if !bytes.is_empty() && bytes != b"-" {
        record.fields.push(Field {
            name: FieldName::Line,
            span: request,
            shape: Shape::Text,
            escaping: super::Escaping::Log,
        });
    }
}

fn parse_status(bytes: &[u8]) -> Option<Option<u16>> {
    match bytes {
        b"-" => Some(None),
        [a, b, c] if bytes.iter().all(u8::is_ascii_digit) => Some(Some(
            (*a - b'0') as u16 * 100 + (*b - b'0') as u16 * 10 + (*c - b'0') as u16,
        )),
        _ => None,
    }
}

struct Cursor<'a> {
    line: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn skip_spaces(&mut self) {
        while self.line.get(self.pos) == Some(&b' ') {
            self.pos += 1;
        }
    }

    /// A run of non-space bytes.
    fn token(&mut self) -> Option<std::ops::Range<usize>> {
        self.skip_spaces();
        let start = self.pos;
        let end = memchr::memchr(b' ', &self.line[start..]).map_or(self.line.len(), |p| start + p);
        if end == start {
            return None;
        }
        self.pos = end;
        Some(start..end)
    }

    /// `[…]`, returning the inside.
    fn bracketed(&mut self) -> Option<std::ops::Range<usize>> {
        self.skip_spaces();
        if self.line.get(self.pos) != Some(&b'[') {
            return None;
        }
        let start = self.pos + 1;
        let end = start + memchr::memchr(b']', &self.line[start..])?;
        self.pos = end + 1;
        Some(start..end)
    }

    /// `"…"`, returning the inside. The closing quote is one that is not escaped and is followed
    /// by a space or the end of the line.
    fn quoted(&mut self) -> Option<std::ops::Range<usize>> {
        self.skip_spaces();
        if self.line.get(self.pos) != Some(&b'"') {
            return None;
        }
        let start = self.pos + 1;
        let mut i = start;
        while let Some(p) = memchr::memchr(b'"', &self.line[i..]) {
            let q = i + p;
            let escaped = q > start
                && self.line[q - 1] == b'\\'
                && !ends_with_escaped_backslash(&self.line[start..q - 1]);
            let closes = matches!(self.line.get(q + 1), None | Some(b' '));
            if !escaped && closes {
                self.pos = q + 1;
                return Some(start..q);
            }
            i = q + 1;
        }
        None
    }
}

/// True when `bytes` ends in an odd number of backslashes' worth of escape, i.e. the backslash
/// that follows it is itself escaped.
fn ends_with_escaped_backslash(bytes: &[u8]) -> bool {
    bytes.iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field<'a>(line: &'a str, r: &Record, name: &FieldName) -> &'a str {
        let f = r
            .fields
            .iter()
            .find(|f| &f.name == name)
            .expect("field present");
        &line[f.span.clone()]
    }

    #[test]
    fn combined_line() {
        let line = r#"198.51.100.7 - alice [27/Nov/2026:10:00:00 +0100] "GET /maps/api/js?key=abc&x=1 HTTP/2.0" 200 5120 "https://shop.example/page?q=1" "Mozilla/5.0 (X11)""#;
        let r = parse(line.as_bytes(), Variant::Combined).unwrap();
        assert_eq!(&line[r.client.clone().unwrap()], "198.51.100.7");
        assert_eq!(
            &line[r.time.clone().unwrap().1],
            "27/Nov/2026:10:00:00 +0100"
        );
        assert_eq!(&line[r.method.clone().unwrap()], "GET");
        assert_eq!(r.status, Some(200));
        assert_eq!(
            field(line, &r, &FieldName::RequestPath),
            "/maps/api/js?key=abc&x=1"
        );
        assert_eq!(
            field(line, &r, &FieldName::Referer),
            "https://shop.example/page?q=1"
        );
        assert_eq!(&line[r.user_agent.clone().unwrap()], "Mozilla/5.0 (X11)");
    }

    #[test]
    fn escaped_quotes_in_fields() {
        let line = r#"1.2.3.4 - - [27/Nov/2026:10:00:00 +0000] "GET /a?q=\"x\" HTTP/1.1" 404 0 "-" "bot \"v2\"" "extra""#;
        let r = parse(line.as_bytes(), Variant::Combined).unwrap();
        assert_eq!(field(line, &r, &FieldName::RequestPath), r#"/a?q=\"x\""#);
        assert_eq!(&line[r.user_agent.clone().unwrap()], r#"bot \"v2\""#);
        assert_eq!(field(line, &r, &FieldName::Line), r#""extra""#);
        assert!(r.fields.iter().all(|f| f.name != FieldName::Referer));
    }

    #[test]
    fn junk_request_line_is_text() {
        let line = r#"1.2.3.4 - - [27/Nov/2026:10:00:00 +0000] "\x16\x03\x01\x00" 400 157 "-" "-""#;
        let r = parse(line.as_bytes(), Variant::Combined).unwrap();
        assert!(r.method.is_none());
        assert_eq!(field(line, &r, &FieldName::Line), r"\x16\x03\x01\x00");
    }

    #[test]
    fn common_and_vhost() {
        let common = r#"1.2.3.4 - - [27/Nov/2026:10:00:00 +0000] "GET / HTTP/1.0" 200 -"#;
        assert!(parse(common.as_bytes(), Variant::Common).is_some());
        assert!(parse(common.as_bytes(), Variant::Combined).is_none());
        let vhost = r#"shop.example:80 1.2.3.4 - - [27/Nov/2026:10:00:00 +0000] "GET / HTTP/1.0" 200 - "-" "-""#;
        assert!(parse(vhost.as_bytes(), Variant::VhostCombined).is_some());
        assert!(parse(vhost.as_bytes(), Variant::Combined).is_none());
        assert!(parse(common.as_bytes(), Variant::VhostCombined).is_none());
    }

    #[test]
    fn rejects_other_shapes() {
        for line in [
            "",
            "hello",
            "1.2.3.4 - - [x] \"GET /\" abc 1",
            "a b c [t] \"r\" 200",
        ] {
            assert!(parse(line.as_bytes(), Variant::Common).is_none(), "{line}");
        }
    }
}
