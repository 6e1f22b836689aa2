//! Custom formats: an Apache `LogFormat` string (`%h %l %u %t "%r" %>s %b "%{Referer}i"
//! "%{User-Agent}i" %{X-Api-Key}i`) or an nginx `log_format` string (`$remote_addr - $remote_user
//! [$time_local] "$request" $status $http_authorization $cookie_session $request_body`),
//! compiled into one anchored regular expression whose groups are the fields.
//!
//! Logged request headers become `header.<name>` (`Cookie` as cookies, `Referer` as a URL),
//! cookies `cookie`, request bodies `request.body`; everything else a site chose to log is
//! checked as a value under its own name.

use std::fmt;

use regex::bytes::Regex;

use super::{Escaping, Field, Record, Shape, TimeSyntax};
use crate::logformat::FieldName;

/// What a format field holds.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Kind {
    Client,
    /// A timestamp; `true` when the brackets are part of the field (Apache `%t`).
    Time(TimeSyntax, bool),
    RequestLine,
    Target,
    Path,
    /// Apache `%q`: `?query` or nothing.
    QueryWithMark,
    Query,
    Method,
    Status,
    Referer,
    UserAgent,
    Cookie,
    Header(String),
    CookieValue(String),
    QueryValue(String),
    Body,
    Upstream,
    /// nginx `$is_args`: `?` or nothing.
    IsArgs,
    /// A number or other value with no spaces and no credentials (sizes, times, ports).
    Plain,
    /// Any other value, checked under its own name.
    Other(String),
}

/// One piece of a format.
#[derive(Clone, Debug)]
enum Piece {
    Literal(Vec<u8>),
    Field(Kind),
}

/// Why a format string could not be compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError(String);

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "--log-format: {}", self.0)
    }
}

impl std::error::Error for FormatError {}

/// A compiled custom format.
#[derive(Debug)]
pub struct CustomFormat {
    source: String,
    regex: Regex,
    kinds: Vec<Kind>,
    escaping: Escaping,
}

impl CustomFormat {
    /// Compiles an Apache `LogFormat` or nginx `log_format` string (the whole directive is
    /// accepted too: `LogFormat "…" name`, `log_format name escape=json '…' '…';`).
    pub fn compile(format: &str) -> Result<Self, FormatError> {
        let (body, escaping, nginx) = unwrap_directive(format.trim());
        if body.is_empty() {
            return Err(FormatError("the format is empty".into()));
        }
        let pieces = if nginx {
            lex_nginx(&body)
        } else {
            lex_apache(&body)?
        };
        if !pieces.iter().any(|p| matches!(p, Piece::Field(_))) {
            return Err(FormatError(format!(
                "`{format}` has no fields (Apache `%h`, `%{{Name}}i`… or nginx `$remote_addr`…)"
            )));
        }
        let (pattern, kinds) = pattern(&pieces);
        let regex = Regex::new(&pattern)
            .map_err(|e| FormatError(format!("cannot compile `{format}`: {e}")))?;
        Ok(CustomFormat {
            source: format.to_string(),
            regex,
            kinds,
            escaping,
        })
    }

    /// True when some field is named only by the format (a logged header, cookie, argument or
    /// body), so that a line may hold a credential without the `name=` a fast path looks for.
    pub fn has_named_fields(&self) -> bool {
        self.kinds.iter().any(|k| {
            matches!(
                k,
                Kind::Header(_)
                    | Kind::Cookie
                    | Kind::CookieValue(_)
                    | Kind::QueryValue(_)
                    | Kind::Body
                    | Kind::Other(_)
            )
        })
    }

    /// The format string as given.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Parses one line; `None` when it does not have the format.
    pub fn parse(&self, line: &[u8]) -> Option<Record> {
        let caps = self.regex.captures(line)?;
        let mut record = Record::default();
        for (i, kind) in self.kinds.iter().enumerate() {
            let Some(m) = caps.get(i + 1) else {
                continue;
            };
            let span = m.range();
            let before = record.fields.len();
            add(line, kind, span, &mut record);
            for f in &mut record.fields[before..] {
                f.escaping = self.escaping;
            }
        }
        Some(record)
    }
}

fn add(line: &[u8], kind: &Kind, span: std::ops::Range<usize>, record: &mut Record) {
    let bytes = &line[span.clone()];
    match kind {
        Kind::Client => {
            if record.client.is_none() && !bytes.is_empty() && bytes != b"-" {
                record.client = Some(span);
            }
        }
        Kind::Time(syntax, _) => {
            if record.time.is_none() {
                record.time = Some((*syntax, span));
            }
        }
        Kind::RequestLine => record.add_request_line(line, span),
        Kind::Target | Kind::Path => record.push(
            line,
            Field::new(FieldName::RequestPath, span, Shape::RequestTarget),
        ),
        Kind::QueryWithMark => {
            let start = if bytes.starts_with(b"?") {
                span.start + 1
            } else {
                span.start
            };
            record.push(
                line,
                Field::new(FieldName::RequestQuery, start..span.end, Shape::Query),
            );
        }
        Kind::Query => record.push(
            line,
            Field::new(FieldName::RequestQuery, span, Shape::Query),
        ),
        Kind::Method => {
            if super::cursor::is_method(bytes) {
                record.method = Some(span);
            }
        }
        Kind::Status => {
            if let Some(status) = super::cursor::status(bytes) {
                record.status = status;
            }
        }
        Kind::Referer => record.push(line, Field::new(FieldName::Referer, span, Shape::Url)),
        Kind::UserAgent => record.add_user_agent(line, span),
        Kind::Cookie => record.push(line, Field::new(FieldName::Cookie, span, Shape::Cookie)),
        Kind::Header(name) => record.push(line, Field::header(name.as_bytes(), span)),
        Kind::CookieValue(name) => record.push(
            line,
            Field::new(FieldName::Cookie, span, Shape::Value(name.clone())),
        ),
        Kind::QueryValue(name) => record.push(
            line,
            Field::new(FieldName::RequestQuery, span, Shape::Value(name.clone())),
        ),
        Kind::Body => record.push(line, Field::new(FieldName::RequestBody, span, Shape::Query)),
        Kind::Upstream => {
            if memchr::memmem::find(bytes, b"://").is_some() {
                record.push(line, Field::new(FieldName::Upstream, span, Shape::Url));
            }
        }
        Kind::IsArgs | Kind::Plain => {}
        Kind::Other(name) => record.push(
            line,
            Field::new(FieldName::Line, span, Shape::Value(name.clone())),
        ),
    }
}

/// The format inside a directive, its escaping, and whether it is nginx syntax.
fn unwrap_directive(format: &str) -> (String, Escaping, bool) {
    let mut escaping = Escaping::Log;
    if let Some(rest) = format.strip_prefix("log_format") {
        // log_format name [escape=…] 'part' 'part';
        let mut body = String::new();
        let mut in_quote: Option<char> = None;
        for c in rest.chars() {
            match (in_quote, c) {
                (None, '\'' | '"') => in_quote = Some(c),
                (Some(q), c) if c == q => in_quote = None,
                (Some(_), c) => body.push(c),
                _ => {}
            }
        }
        if rest.contains("escape=json") {
            escaping = Escaping::Json;
        }
        return (body, escaping, true);
    }
    if let Some(rest) = format.strip_prefix("LogFormat") {
        // LogFormat "…" name
        let rest = rest.trim_start();
        if let Some(inner) = rest.strip_prefix('"') {
            let mut body = String::new();
            let mut chars = inner.chars();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => {
                        if let Some(next) = chars.next() {
                            if next != '"' && next != '\\' {
                                body.push('\\');
                            }
                            body.push(next);
                        }
                    }
                    '"' => break,
                    c => body.push(c),
                }
            }
            return (body, escaping, false);
        }
    }
    let mut body = format;
    for prefix in ["escape=json", "escape=default", "escape=none"] {
        if let Some(rest) = body.strip_prefix(prefix) {
            if prefix == "escape=json" {
                escaping = Escaping::Json;
            }
            body = rest.trim_start();
        }
    }
    let nginx = is_nginx(body);
    if nginx && body.trim_start().starts_with('{') {
        escaping = Escaping::Json;
    }
    (body.to_string(), escaping, nginx)
}

/// True when the string uses nginx `$variables` rather than Apache `%` directives.
fn is_nginx(format: &str) -> bool {
    let b = format.as_bytes();
    let dollars = b
        .windows(2)
        .filter(|w| w[0] == b'$' && (w[1].is_ascii_alphabetic() || w[1] == b'{'))
        .count();
    let percents = b
        .windows(2)
        .filter(|w| {
            w[0] == b'%' && (w[1].is_ascii_alphabetic() || matches!(w[1], b'{' | b'>' | b'<'))
        })
        .count();
    dollars > percents
}

fn push_literal(pieces: &mut Vec<Piece>, bytes: &[u8]) {
    if let Some(Piece::Literal(l)) = pieces.last_mut() {
        l.extend_from_slice(bytes);
    } else if !bytes.is_empty() {
        pieces.push(Piece::Literal(bytes.to_vec()));
    }
}

fn header_kind(name: &str) -> Kind {
    let lower = name.to_ascii_lowercase();
    match lower.as_str() {
        "referer" | "referrer" => Kind::Referer,
        "user-agent" => Kind::UserAgent,
        "cookie" => Kind::Cookie,
        _ => Kind::Header(lower),
    }
}

fn lex_apache(format: &str) -> Result<Vec<Piece>, FormatError> {
    let b = format.as_bytes();
    let mut pieces = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 1 < b.len() {
            let c = match b[i + 1] {
                b'n' => b'\n',
                b't' => b'\t',
                c => c,
            };
            push_literal(&mut pieces, &[c]);
            i += 2;
            continue;
        }
        if b[i] != b'%' {
            push_literal(&mut pieces, &b[i..i + 1]);
            i += 1;
            continue;
        }
        i += 1;
        if b.get(i) == Some(&b'%') {
            push_literal(&mut pieces, b"%");
            i += 1;
            continue;
        }
        // Modifiers: `<`, `>`, status conditions `!200,304`.
        while i < b.len() && (matches!(b[i], b'<' | b'>' | b'!' | b',') || b[i].is_ascii_digit()) {
            i += 1;
        }
        let mut arg = None;
        if b.get(i) == Some(&b'{') {
            let close = b[i..]
                .iter()
                .position(|&c| c == b'}')
                .ok_or_else(|| FormatError(format!("unclosed `{{` in `{format}`")))?;
            arg = Some(String::from_utf8_lossy(&b[i + 1..i + close]).into_owned());
            i += close + 1;
        }
        let letter = *b
            .get(i)
            .ok_or_else(|| FormatError(format!("`%` at the end of `{format}`")))?;
        i += 1;
        // `%{name}^ti` / `^to`: trailers.
        if letter == b'^' {
            i += 2;
            pieces.push(Piece::Field(Kind::Other(arg.unwrap_or_default())));
            continue;
        }
        let kind = match (letter, arg.as_deref()) {
            (b'h' | b'a', _) => Kind::Client,
            (b't', None) => Kind::Time(TimeSyntax::Clf, true),
            (b't', Some(f)) => strftime_kind(f),
            (b'r', _) => Kind::RequestLine,
            (b'U', _) => Kind::Path,
            (b'q', _) => Kind::QueryWithMark,
            (b'm', _) => Kind::Method,
            (b's', _) => Kind::Status,
            (b'i', Some(name)) => header_kind(name),
            (b'o', Some(name)) => match name.to_ascii_lowercase().as_str() {
                "location" => Kind::Header("location".into()),
                other => Kind::Header(other.to_string()),
            },
            (b'C', Some(name)) => Kind::CookieValue(name.to_string()),
            (b'e' | b'n' | b'x', Some(name)) => match name {
                "QUERY_STRING" => Kind::Query,
                "REQUEST_URI" => Kind::Target,
                "HTTP_AUTHORIZATION" => Kind::Header("authorization".into()),
                "HTTP_COOKIE" => Kind::Cookie,
                _ => Kind::Other(name.to_string()),
            },
            (
                b'l' | b'u' | b'v' | b'V' | b'H' | b'b' | b'B' | b'O' | b'I' | b'S' | b'D' | b'T'
                | b'k' | b'p' | b'P' | b'X' | b'L' | b'R' | b'f' | b'A' | b'M',
                _,
            ) => Kind::Plain,
            (c, _) => {
                return Err(FormatError(format!(
                    "unknown directive `%{}` in `{format}`",
                    c as char
                )))
            }
        };
        pieces.push(Piece::Field(kind));
    }
    Ok(pieces)
}

/// `%{…}t`: epoch forms, or strftime formats whose syntax is known.
fn strftime_kind(format: &str) -> Kind {
    match format {
        "sec" | "msec" | "usec" | "begin:sec" | "end:sec" | "begin:msec" | "end:msec" => {
            Kind::Time(TimeSyntax::Epoch, false)
        }
        f if f.contains("%Y-%m-%d") || f.contains("%F") => Kind::Time(TimeSyntax::Iso8601, false),
        f if f.contains("%d/%b/%Y") => Kind::Time(TimeSyntax::Clf, false),
        _ => Kind::Plain,
    }
}

fn lex_nginx(format: &str) -> Vec<Piece> {
    let b = format.as_bytes();
    let mut pieces = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'$' {
            push_literal(&mut pieces, &b[i..i + 1]);
            i += 1;
            continue;
        }
        let (name, next) = if b.get(i + 1) == Some(&b'{') {
            match b[i + 2..].iter().position(|&c| c == b'}') {
                Some(close) => (&b[i + 2..i + 2 + close], i + 3 + close),
                None => (&b[i + 1..i + 1], i + 1),
            }
        } else {
            let len = b[i + 1..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
                .count();
            (&b[i + 1..i + 1 + len], i + 1 + len)
        };
        if name.is_empty() {
            push_literal(&mut pieces, b"$");
            i += 1;
            continue;
        }
        i = next;
        let name = String::from_utf8_lossy(name).into_owned();
        pieces.push(Piece::Field(nginx_kind(&name)));
    }
    pieces
}

fn nginx_kind(name: &str) -> Kind {
    match name {
        "remote_addr" | "realip_remote_addr" | "proxy_protocol_addr" | "binary_remote_addr" => {
            Kind::Client
        }
        "time_local" => Kind::Time(TimeSyntax::Clf, false),
        "time_iso8601" => Kind::Time(TimeSyntax::Iso8601, false),
        "msec" => Kind::Time(TimeSyntax::Epoch, false),
        "request" => Kind::RequestLine,
        "request_uri" => Kind::Target,
        "uri" | "document_uri" => Kind::Path,
        "args" | "query_string" => Kind::Query,
        "is_args" => Kind::IsArgs,
        "request_method" => Kind::Method,
        "status" => Kind::Status,
        "http_referer" => Kind::Referer,
        "http_user_agent" => Kind::UserAgent,
        "http_cookie" => Kind::Cookie,
        "request_body" => Kind::Body,
        "upstream" | "proxy_pass" => Kind::Upstream,
        "remote_user"
        | "body_bytes_sent"
        | "bytes_sent"
        | "request_length"
        | "request_time"
        | "upstream_addr"
        | "upstream_status"
        | "upstream_response_time"
        | "upstream_connect_time"
        | "upstream_header_time"
        | "upstream_response_length"
        | "connection"
        | "connection_requests"
        | "pipe"
        | "server_protocol"
        | "scheme"
        | "host"
        | "server_name"
        | "hostname"
        | "server_port"
        | "remote_port"
        | "server_addr"
        | "request_id"
        | "ssl_protocol"
        | "ssl_cipher"
        | "gzip_ratio"
        | "pid"
        | "msec_frac" => Kind::Plain,
        _ => {
            let strip = |p: &str| name.strip_prefix(p).map(|n| n.replace('_', "-"));
            if let Some(header) = strip("http_") {
                header_kind(&header)
            } else if let Some(cookie) = name.strip_prefix("cookie_") {
                Kind::CookieValue(cookie.to_string())
            } else if let Some(arg) = name.strip_prefix("arg_") {
                Kind::QueryValue(arg.to_string())
            } else if let Some(header) = strip("sent_http_").or_else(|| strip("upstream_http_")) {
                Kind::Header(header)
            } else {
                Kind::Other(name.to_string())
            }
        }
    }
}

/// The byte that closes a field opened by `open` (a quote or bracket just before it).
fn closer(open: u8) -> Option<u8> {
    match open {
        b'"' => Some(b'"'),
        b'\'' => Some(b'\''),
        b'[' => Some(b']'),
        b'{' => Some(b'}'),
        b'(' => Some(b')'),
        _ => None,
    }
}

/// The regular expression of a format, and the kind of each capture group.
fn pattern(pieces: &[Piece]) -> (String, Vec<Kind>) {
    let mut re = String::from("(?s-u)^");
    let mut kinds = Vec::new();
    for (i, piece) in pieces.iter().enumerate() {
        match piece {
            Piece::Literal(bytes) => {
                for &b in bytes {
                    if b == b' ' {
                        // One space in a format may be several in a log (aligned columns).
                        re.push_str(" +");
                    } else if !b.is_ascii() {
                        re.push_str(&format!("\\x{b:02X}"));
                    } else {
                        re.push_str(&regex_syntax::escape(&(b as char).to_string()));
                    }
                }
            }
            Piece::Field(kind) => {
                let before = match i.checked_sub(1).map(|j| &pieces[j]) {
                    Some(Piece::Literal(l)) => l.last().copied(),
                    _ => None,
                };
                let after = match pieces.get(i + 1) {
                    Some(Piece::Literal(l)) => l.first().copied(),
                    _ => None,
                };
                let last = i + 1 == pieces.len();
                let enclosed = before.and_then(closer).filter(|&c| Some(c) == after);
                let value = match (kind, enclosed) {
                    (Kind::Time(_, true), _) => {
                        re.push_str("\\[");
                        kinds.push(kind.clone());
                        re.push_str("([^\\]]*)\\]");
                        continue;
                    }
                    (_, Some(b'"')) => r#"(?:[^"\\]|\\.)*"#.to_string(),
                    (_, Some(c)) => {
                        format!("[^{}]*", regex_syntax::escape(&(c as char).to_string()))
                    }
                    (Kind::Path, None) => r#"[^\s?"]*"#.to_string(),
                    (Kind::QueryWithMark, None) => r#"(?:\?[^\s"]*)?"#.to_string(),
                    (Kind::IsArgs, None) => r"\??".to_string(),
                    (Kind::Time(TimeSyntax::Clf, false), None) => r"\S+ [+-]\d{4}".to_string(),
                    (_, None) if last => ".*".to_string(),
                    (
                        Kind::RequestLine | Kind::UserAgent | Kind::Referer | Kind::Other(_),
                        None,
                    ) if after.is_some() => ".*?".to_string(),
                    (_, None) => r"\S*".to_string(),
                };
                re.push('(');
                re.push_str(&value);
                re.push(')');
                kinds.push(kind.clone());
            }
        }
    }
    re.push_str(" *$");
    (re, kinds)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(format: &str, line: &str) -> (Record, Vec<(String, String)>) {
        let f = CustomFormat::compile(format).unwrap();
        let r = f.parse(line.as_bytes()).expect("line has the format");
        let list = crate::logformat::field_texts(line, &r);
        (r, list)
    }

    #[test]
    fn apache_format_with_headers() {
        let format = r#"%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %{X-Api-Key}i"#;
        let line = r#"192.0.2.1 - - [27/Nov/2026:10:00:00 +0000] "GET /a?b=1 HTTP/1.1" 200 5 "https://r.example/" "curl/8.0 (x)" 4f9c1d2e3a4b5c6d"#;
        let (r, f) = fields(format, line);
        assert_eq!(r.status, Some(200));
        assert_eq!(&line[r.client.clone().unwrap()], "192.0.2.1");
        assert_eq!(
            &line[r.time.clone().unwrap().1],
            "27/Nov/2026:10:00:00 +0000"
        );
        assert!(f.contains(&("request.path".into(), "/a?b=1".into())));
        assert!(f.contains(&("header.x-api-key".into(), "4f9c1d2e3a4b5c6d".into())));
        assert!(f.contains(&("referer".into(), "https://r.example/".into())));
        assert!(CustomFormat::compile(format)
            .unwrap()
            .parse(b"not this format")
            .is_none());
    }

    #[test]
    fn nginx_format_with_auth_cookie_and_body() {
        let format = r#"$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_authorization" $cookie_session "$request_body""#;
        let line = r#"192.0.2.1 - - [27/Nov/2026:10:00:00 +0000] "POST /login HTTP/1.1" 302 0 "Bearer abc.def" s3ss10n "user=a&password=hunter2""#;
        let (r, f) = fields(format, line);
        assert_eq!(r.status, Some(302));
        assert!(f.contains(&("header.authorization".into(), "Bearer abc.def".into())));
        assert!(f.contains(&("cookie".into(), "s3ss10n".into())));
        assert!(f.contains(&("request.body".into(), "user=a&password=hunter2".into())));
    }

    #[test]
    fn directives_and_errors() {
        let f = CustomFormat::compile(
            r#"log_format main escape=json '{"uri":"$request_uri",' '"auth":"$http_authorization"}';"#,
        )
        .unwrap();
        assert_eq!(f.escaping, Escaping::Json);
        let r = f.parse(br#"{"uri":"/a?t=1","auth":"Basic eDp5"}"#).unwrap();
        assert_eq!(r.fields.len(), 2);
        let f = CustomFormat::compile(r#"LogFormat "%h %U%q \"%{Cookie}i\"" cookies"#).unwrap();
        let line = br#"192.0.2.1 /a?token=x "sid=1""#;
        let r = f.parse(line).unwrap();
        assert_eq!(r.fields.len(), 3, "{r:?}");
        assert!(CustomFormat::compile("").is_err());
        assert!(CustomFormat::compile("just text").is_err());
        assert!(CustomFormat::compile("%h %Z").is_err());
    }
}
