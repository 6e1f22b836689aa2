//! ModSecurity serial audit logs: one transaction in sections opened by `--1a2b3c4d-A--` lines.
//! Section A holds the time and client, B the request line and headers, C (and I) the request
//! body, F the response headers, E the response body, H the audit trailer (rule messages).
//!
//! Which section a line belongs to depends on the lines before it, so the parser is shown every
//! line in order ([`State::observe`]) and each finding keeps its real line number.

use super::cursor::Cursor;
use super::{message, Field, Record, Shape, TimeSyntax};
use crate::logformat::FieldName;

/// True for a section boundary: `--` + at least 8 hex digits + `-` + a letter + `--`.
pub fn is_boundary(line: &[u8]) -> bool {
    let Some(inner) = line
        .trim_ascii_end()
        .strip_prefix(b"--")
        .and_then(|l| l.strip_suffix(b"--"))
    else {
        return false;
    };
    match inner {
        [id @ .., b'-', letter] => {
            id.len() >= 8 && id.iter().all(u8::is_ascii_hexdigit) && letter.is_ascii_uppercase()
        }
        _ => false,
    }
}

/// What the current line is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Kind {
    /// Before the first section.
    #[default]
    Outside,
    Boundary,
    AuditHeader,
    RequestLine,
    RequestHeader,
    RequestBody,
    ResponseStatus,
    ResponseHeader,
    Trailer,
    Blank,
    Other,
}

/// The section being read.
#[derive(Clone, Debug, Default)]
pub struct State {
    section: Option<u8>,
    line_in_section: usize,
    kind: Kind,
}

impl State {
    /// Notes one line, in order.
    pub fn observe(&mut self, line: &[u8]) {
        if is_boundary(line) {
            let trimmed = line.trim_ascii_end();
            self.section = trimmed.get(trimmed.len() - 3).copied();
            self.line_in_section = 0;
            self.kind = Kind::Boundary;
            return;
        }
        let Some(section) = self.section else {
            self.kind = Kind::Outside;
            return;
        };
        self.line_in_section += 1;
        let first = self.line_in_section == 1;
        self.kind = if line.trim_ascii().is_empty() {
            Kind::Blank
        } else {
            match section {
                b'A' if first => Kind::AuditHeader,
                b'B' if first => Kind::RequestLine,
                b'B' => Kind::RequestHeader,
                b'C' | b'I' => Kind::RequestBody,
                b'F' if first => Kind::ResponseStatus,
                b'F' => Kind::ResponseHeader,
                b'H' => Kind::Trailer,
                _ => Kind::Other,
            }
        };
    }

    /// Parses the line last observed.
    pub fn parse(&self, line: &[u8]) -> Option<Record> {
        let mut record = Record::default();
        match self.kind {
            Kind::Outside => return None,
            Kind::Boundary | Kind::Blank | Kind::ResponseStatus => {}
            Kind::AuditHeader => {
                // [07/Jun/2023:17:45:31 --0400] id client port server port
                let mut c = Cursor::new(line);
                let time = c.bracketed()?;
                c.token()?;
                record.time = Some((TimeSyntax::Clf, time));
                record.client = c.token();
            }
            Kind::RequestLine => record.add_request_line(line, 0..line.len()),
            Kind::RequestHeader | Kind::ResponseHeader => header(line, &mut record),
            Kind::RequestBody => {
                let shape = if memchr::memchr(b'=', line).is_some()
                    && memchr::memchr(b' ', line).is_none()
                {
                    Shape::Query
                } else {
                    Shape::Text
                };
                record.push(
                    line,
                    Field::new(FieldName::RequestBody, 0..line.len(), shape),
                );
            }
            Kind::Trailer => message::add_message(line, 0..line.len(), &mut record),
            Kind::Other => return Some(Record::raw(line)),
        }
        Some(record)
    }
}

/// `Name: value`.
fn header(line: &[u8], record: &mut Record) {
    let Some(colon) = memchr::memchr(b':', line) else {
        record.push(
            line,
            Field::new(FieldName::Line, 0..line.len(), Shape::Text),
        );
        return;
    };
    let name = &line[..colon];
    let mut start = colon + 1;
    while line.get(start) == Some(&b' ') {
        start += 1;
    }
    if name.eq_ignore_ascii_case(b"user-agent") {
        record.user_agent = Some(start..line.len());
    }
    record.push(line, Field::header(name, start..line.len()));
}

/// Parses a line without knowing its section: boundaries, and lines shaped like headers.
pub fn parse_stateless(line: &[u8]) -> Option<Record> {
    if is_boundary(line) {
        return Some(Record::default());
    }
    let colon = memchr::memchr(b':', line)?;
    let name = &line[..colon];
    if name.is_empty() || !name.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-') {
        return None;
    }
    let mut record = Record::default();
    header(line, &mut record);
    Some(record)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_give_their_fields() {
        let log = "--d67af501-A--\n[27/Nov/2026:17:45:31 --0400] ZID6e1f 192.0.2.191 43614 192.0.2.12 80\n--d67af501-B--\nPOST /login?next=/ HTTP/1.1\nHost: shop.example\nAuthorization: Bearer abc\nCookie: session=s1\n\n--d67af501-C--\nuser=alice&password=hunter2\n--d67af501-Z--\n";
        let mut state = State::default();
        let mut seen = Vec::new();
        for line in log.lines() {
            state.observe(line.as_bytes());
            let record = state
                .parse(line.as_bytes())
                .expect("every line is in a section");
            for f in &record.fields {
                seen.push((
                    f.name.to_output().into_owned(),
                    line[f.span.clone()].to_string(),
                ));
            }
        }
        for expected in [
            ("request.path", "/login?next=/"),
            ("header.authorization", "Bearer abc"),
            ("cookie", "session=s1"),
            ("request.body", "user=alice&password=hunter2"),
        ] {
            assert!(
                seen.contains(&(expected.0.to_string(), expected.1.to_string())),
                "{expected:?} in {seen:?}"
            );
        }
        assert!(is_boundary(b"--d67af501-Z--"));
        assert!(!is_boundary(b"--xyz-A--"));
        assert!(State::default().parse(b"before any section").is_none());
    }
}
