//! The free-text message of an error log line, and the parts of it that are really request
//! fields: CGI environment dumps (`QUERY_STRING=…`, `REQUEST_URI=…`, `HTTP_AUTHORIZATION=…`),
//! ModSecurity's `[uri "…"]` and `ARGS:name: value`, and echoed request lines
//! (`… GET /path?query HTTP/1.1`). Those become their own fields; the rest stays `message` text.

use std::ops::Range;

use super::cursor::is_method;
use super::{Field, Record, Shape};
use crate::logformat::FieldName;

/// Adds the message at `range` of `line` to `record`: the request fields found in it, and the
/// text around them as `message`.
pub fn add_message(line: &[u8], range: Range<usize>, record: &mut Record) {
    let mut found: Vec<Field> = Vec::new();
    let msg = &line[range.clone()];
    let base = range.start;
    if memchr::memchr(b'=', msg).is_some() {
        cgi_variables(line, range.clone(), &mut found);
    }
    if memchr::memmem::find(msg, b"[uri \"").is_some() {
        modsec_uri(line, range.clone(), &mut found);
    }
    for marker in [
        &b"ARGS:"[..],
        b"ARGS_GET:",
        b"ARGS_POST:",
        b"REQUEST_COOKIES:",
        b"REQUEST_HEADERS:",
    ] {
        for at in memchr::memmem::find_iter(msg, marker) {
            modsec_variable(line, base + at, marker, range.end, &mut found);
        }
    }
    if memchr::memmem::find(msg, b" HTTP/").is_some() {
        request_lines(line, range.clone(), record, &mut found);
    }
    found.sort_by_key(|f| f.span.start);
    // The message around the fields found in it.
    let mut pos = range.start;
    let mut gaps = Vec::new();
    for f in &found {
        if f.span.start > pos {
            gaps.push(pos..f.span.start);
        }
        pos = pos.max(f.span.end);
    }
    if pos < range.end {
        gaps.push(pos..range.end);
    }
    for f in found {
        record.push(line, f);
    }
    for gap in gaps {
        if !line[gap.clone()].trim_ascii().is_empty() {
            record.push(line, Field::new(FieldName::Message, gap, Shape::Text));
        }
    }
}

/// True for a CGI variable name: upper-case letters, digits and `_`, starting with a letter.
fn is_variable_name(bytes: &[u8]) -> bool {
    bytes.len() >= 3
        && bytes[0].is_ascii_uppercase()
        && bytes
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_')
}

/// `QUERY_STRING=…`, `REQUEST_URI=…`, `HTTP_*=…` (also `[QUERY_STRING] => …` from PHP dumps).
fn cgi_variables(line: &[u8], range: Range<usize>, found: &mut Vec<Field>) {
    let msg = &line[range.clone()];
    for (name_start, name_end, value_start) in variable_sites(msg) {
        let name = &msg[name_start..name_end];
        let field = match name {
            b"QUERY_STRING" => Some((FieldName::RequestQuery, Shape::Query)),
            b"REQUEST_URI" | b"SCRIPT_URI" | b"REDIRECT_URL" | b"PATH_INFO" => {
                Some((FieldName::RequestPath, Shape::RequestTarget))
            }
            b"HTTP_REFERER" => Some((FieldName::Referer, Shape::Url)),
            b"HTTP_COOKIE" => Some((FieldName::Cookie, Shape::Cookie)),
            _ => name.strip_prefix(b"HTTP_").map(|header| {
                let header = String::from_utf8_lossy(header)
                    .to_ascii_lowercase()
                    .replace('_', "-");
                (FieldName::Header(header.clone()), Shape::Header(header))
            }),
        };
        let Some((field_name, shape)) = field else {
            continue;
        };
        let spaced = matches!(shape, Shape::Header(_) | Shape::Cookie);
        let end = variable_end(msg, value_start, spaced);
        if end > value_start {
            found.push(Field::new(
                field_name,
                range.start + value_start..range.start + end,
                shape,
            ));
        }
    }
}

/// Where variables are set in a message: (name start, name end, value start).
fn variable_sites(msg: &[u8]) -> Vec<(usize, usize, usize)> {
    let mut sites = Vec::new();
    for eq in memchr::memchr_iter(b'=', msg) {
        let name_start = msg[..eq]
            .iter()
            .rposition(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
            .map_or(0, |p| p + 1);
        if !is_variable_name(&msg[name_start..eq]) {
            continue;
        }
        sites.push((name_start, eq, eq + 1));
    }
    for at in memchr::memmem::find_iter(msg, b"] => ") {
        let open = msg[..at].iter().rposition(|&b| b == b'[');
        if let Some(open) = open {
            if is_variable_name(&msg[open + 1..at]) {
                sites.push((open + 1, at, at + 5));
            }
        }
    }
    sites
}

/// The end of a variable's value starting at `start`: the end of the message, or the start of
/// the next `NAME=` (values with spaces, like headers, run up to it); values without spaces end
/// at the first blank.
fn variable_end(msg: &[u8], start: usize, spaced: bool) -> usize {
    let mut i = start;
    while i < msg.len() {
        let b = msg[i];
        if b == b'"' || b == b'\'' {
            return i;
        }
        if b.is_ascii_whitespace() || b == b',' {
            // Apache's `AH01215: <what the script printed>: /path/to/script.cgi`.
            if i > start && msg[i - 1] == b':' && msg.get(i + 1) == Some(&b'/') {
                return i - 1;
            }
            if !spaced {
                return i;
            }
            let next = i + msg[i..]
                .iter()
                .take_while(|b| b.is_ascii_whitespace() || **b == b',')
                .count();
            let word_end = next
                + msg[next..]
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
                    .count();
            let starts_variable =
                msg.get(word_end) == Some(&b'=') && is_variable_name(&msg[next..word_end]);
            if starts_variable || next >= msg.len() || msg[next] == b'[' {
                return i;
            }
        }
        i += 1;
    }
    msg.len()
}

/// ModSecurity's `[uri "/path"]`.
fn modsec_uri(line: &[u8], range: Range<usize>, found: &mut Vec<Field>) {
    let msg = &line[range.clone()];
    for at in memchr::memmem::find_iter(msg, b"[uri \"") {
        let start = at + 6;
        if let Some(len) = memchr::memmem::find(&msg[start..], b"\"]") {
            found.push(Field::new(
                FieldName::RequestPath,
                range.start + start..range.start + start + len,
                Shape::RequestTarget,
            ));
        }
    }
}

/// `ARGS:name: value` (up to `"]`) or ``ARGS:name' (Value: `value' )`` in ModSecurity messages.
fn modsec_variable(line: &[u8], at: usize, marker: &[u8], end: usize, found: &mut Vec<Field>) {
    let name_start = at + marker.len();
    let name_len = line[name_start..end]
        .iter()
        .take_while(|&&b| !matches!(b, b':' | b' ' | b'\'' | b'"' | b'.' | b'`'))
        .count();
    if name_len == 0 {
        return;
    }
    let name = &line[name_start..name_start + name_len];
    let after = name_start + name_len;
    let (value_start, value_end) = if line[after..end].starts_with(b": ") {
        let start = after + 2;
        let len = memchr::memmem::find(&line[start..end], b"\"]").unwrap_or(end - start);
        (start, start + len)
    } else if line[after..end].starts_with(b"' (Value: `") {
        let start = after + 11;
        let len = memchr::memmem::find(&line[start..end], b"' )").unwrap_or(end - start);
        (start, start + len)
    } else {
        return;
    };
    if value_end <= value_start {
        return;
    }
    let name_text = String::from_utf8_lossy(name).into_owned();
    let field = match marker {
        b"REQUEST_COOKIES:" => Field::new(
            FieldName::Cookie,
            value_start..value_end,
            Shape::Value(name_text),
        ),
        b"REQUEST_HEADERS:" => Field::header(name, value_start..value_end),
        _ => Field::new(
            FieldName::RequestQuery,
            value_start..value_end,
            Shape::Value(name_text),
        ),
    };
    found.push(field);
}

/// Request lines echoed in a message: `METHOD target HTTP/x.y`.
fn request_lines(line: &[u8], range: Range<usize>, record: &mut Record, found: &mut Vec<Field>) {
    let msg = &line[range.clone()];
    for at in memchr::memmem::find_iter(msg, b" HTTP/") {
        let target_start = msg[..at]
            .iter()
            .rposition(|&b| b == b' ')
            .map_or(0, |p| p + 1);
        if target_start == 0 || target_start >= at {
            continue;
        }
        let method_start = msg[..target_start - 1]
            .iter()
            .rposition(|&b| b == b' ' || b == b'"')
            .map_or(0, |p| p + 1);
        if !is_method(&msg[method_start..target_start - 1]) {
            continue;
        }
        if record.method.is_none() {
            record.method = Some(range.start + method_start..range.start + target_start - 1);
        }
        found.push(Field::new(
            FieldName::RequestPath,
            range.start + target_start..range.start + at,
            Shape::RequestTarget,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(msg: &str) -> Vec<(String, String)> {
        let mut record = Record::default();
        add_message(msg.as_bytes(), 0..msg.len(), &mut record);
        crate::logformat::field_texts(msg, &record)
    }

    #[test]
    fn cgi_dump() {
        let f = fields("env: QUERY_STRING=a=1&token=xyz REQUEST_URI=/cgi-bin/x?a=1 HTTP_AUTHORIZATION=Bearer abc.def HTTP_HOST=h");
        assert!(
            f.contains(&("request.query".into(), "a=1&token=xyz".into())),
            "{f:?}"
        );
        assert!(
            f.contains(&("request.path".into(), "/cgi-bin/x?a=1".into())),
            "{f:?}"
        );
        assert!(
            f.contains(&("header.authorization".into(), "Bearer abc.def".into())),
            "{f:?}"
        );
        assert!(f.contains(&("header.host".into(), "h".into())), "{f:?}");
        let f = fields("AH01215: QUERY_STRING=a=1&password=x1: /usr/lib/cgi-bin/r.cgi");
        assert!(
            f.contains(&("request.query".into(), "a=1&password=x1".into())),
            "{f:?}"
        );
        let f = fields("AH01215: HTTP_AUTHORIZATION=Basic YWJjOmRlZg==: /usr/lib/cgi-bin/r.cgi");
        assert!(
            f.contains(&("header.authorization".into(), "Basic YWJjOmRlZg==".into())),
            "{f:?}"
        );
        let f = fields("[QUERY_STRING] => key=1");
        assert!(
            f.contains(&("request.query".into(), "key=1".into())),
            "{f:?}"
        );
    }

    #[test]
    fn modsecurity_parts() {
        let f = fields(
            r#"ModSecurity: Warning. [data "Matched Data: x found within ARGS:api_key: 123abc"] [uri "/login"] [unique_id "X"]"#,
        );
        assert!(
            f.contains(&("request.query".into(), "123abc".into())),
            "{f:?}"
        );
        assert!(
            f.contains(&("request.path".into(), "/login".into())),
            "{f:?}"
        );
        let f = fields("against variable `ARGS:foo' (Value: `bar' )");
        assert!(f.contains(&("request.query".into(), "bar".into())), "{f:?}");
    }

    #[test]
    fn echoed_request_line() {
        let f = fields("Invalid URI in request GET /a?b=c HTTP/1.1");
        assert!(
            f.contains(&("request.path".into(), "/a?b=c".into())),
            "{f:?}"
        );
        assert!(
            f.contains(&("message".into(), "Invalid URI in request GET ".into())),
            "{f:?}"
        );
    }
}
