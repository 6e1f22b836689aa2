//! JSON per line: Caddy, Traefik, nginx `escape=json` formats, Envoy JSON, the Google Cloud
//! HTTP(S) load balancer, Cloudflare Logpush, ModSecurity's JSON audit log, and any other JSON
//! object.
//!
//! The line is walked without building a document: every string and number is seen with the
//! names of the objects above it, and fields are chosen by name at any depth (`request.uri`,
//! `headers.Authorization[0]`, `ClientRequestReferer`, `http_authorization`, `cookie_session`).
//! String fields keep their raw span inside the quotes and are marked [`Escaping::Json`].

use std::ops::Range;

use super::cursor::without_port;
use super::{Escaping, Field, LogType, Record, Shape, TimeSyntax};
use crate::logformat::FieldName;

/// Nesting deeper than this is not followed (the line is then not taken as JSON).
const MAX_DEPTH: usize = 64;

/// A scalar in a JSON document.
#[derive(Clone, Debug)]
enum Scalar {
    /// A string: the raw bytes between its quotes.
    Str(Range<usize>),
    /// A number.
    Num(Range<usize>),
    /// `true`, `false` or `null`.
    Other,
}

struct Walker<'a> {
    line: &'a [u8],
    pos: usize,
}

impl Walker<'_> {
    fn skip_ws(&mut self) {
        while matches!(self.line.get(self.pos), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.pos += 1;
        }
    }

    /// A string at the cursor: the range inside its quotes.
    fn string(&mut self) -> Option<Range<usize>> {
        if self.line.get(self.pos) != Some(&b'"') {
            return None;
        }
        let start = self.pos + 1;
        let mut i = start;
        loop {
            let p = i + memchr::memchr2(b'"', b'\\', &self.line[i..])?;
            if self.line[p] == b'\\' {
                i = p + 2;
                if i > self.line.len() {
                    return None;
                }
                continue;
            }
            self.pos = p + 1;
            return Some(start..p);
        }
    }

    fn value(
        &mut self,
        depth: usize,
        path: &mut Vec<Range<usize>>,
        visit: &mut dyn FnMut(&[Range<usize>], Scalar),
    ) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_ws();
        match *self.line.get(self.pos)? {
            b'{' => {
                self.pos += 1;
                self.skip_ws();
                if self.line.get(self.pos) == Some(&b'}') {
                    self.pos += 1;
                    return Some(());
                }
                loop {
                    self.skip_ws();
                    let key = self.string()?;
                    self.skip_ws();
                    if self.line.get(self.pos) != Some(&b':') {
                        return None;
                    }
                    self.pos += 1;
                    path.push(key);
                    self.value(depth + 1, path, visit)?;
                    path.pop();
                    self.skip_ws();
                    match self.line.get(self.pos)? {
                        b',' => self.pos += 1,
                        b'}' => {
                            self.pos += 1;
                            return Some(());
                        }
                        _ => return None,
                    }
                }
            }
            b'[' => {
                self.pos += 1;
                self.skip_ws();
                if self.line.get(self.pos) == Some(&b']') {
                    self.pos += 1;
                    return Some(());
                }
                loop {
                    self.value(depth + 1, path, visit)?;
                    self.skip_ws();
                    match self.line.get(self.pos)? {
                        b',' => self.pos += 1,
                        b']' => {
                            self.pos += 1;
                            return Some(());
                        }
                        _ => return None,
                    }
                }
            }
            b'"' => {
                let s = self.string()?;
                visit(path, Scalar::Str(s));
                Some(())
            }
            b'-' | b'0'..=b'9' => {
                let start = self.pos;
                while self.line.get(self.pos).is_some_and(|b| {
                    b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E')
                }) {
                    self.pos += 1;
                }
                visit(path, Scalar::Num(start..self.pos));
                Some(())
            }
            b't' | b'f' | b'n' => {
                for word in [&b"true"[..], b"false", b"null"] {
                    if self.line[self.pos..].starts_with(word) {
                        self.pos += word.len();
                        visit(path, Scalar::Other);
                        return Some(());
                    }
                }
                None
            }
            _ => None,
        }
    }
}

/// Walks a whole line as one JSON object; `None` when it is not one.
fn walk(line: &[u8], visit: &mut dyn FnMut(&[Range<usize>], Scalar)) -> Option<()> {
    let mut w = Walker { line, pos: 0 };
    w.skip_ws();
    if w.line.get(w.pos) != Some(&b'{') {
        return None;
    }
    let mut path = Vec::with_capacity(8);
    w.value(0, &mut path, visit)?;
    w.skip_ws();
    (w.pos == line.len()).then_some(())
}

/// Calls `each(key, value range)` for every top-level string member of a JSON object line.
pub fn top_level_strings(line: &[u8], mut each: impl FnMut(&[u8], Range<usize>)) -> Option<()> {
    walk(line, &mut |path, scalar| {
        if let (1, Scalar::Str(r)) = (path.len(), scalar) {
            each(&line[path[0].clone()], r);
        }
    })
}

/// Undoes JSON string escapes in `line[range]`: the bytes, and for each byte the line position
/// of its raw form (plus one more entry: the end of the range).
pub fn unescape_with_map(line: &[u8], range: Range<usize>) -> (Vec<u8>, Vec<u32>) {
    let raw = &line[range.clone()];
    let mut bytes = Vec::with_capacity(raw.len());
    let mut map = Vec::with_capacity(raw.len() + 1);
    let mut i = 0;
    while i < raw.len() {
        let at = (range.start + i) as u32;
        if raw[i] != b'\\' || i + 1 >= raw.len() {
            bytes.push(raw[i]);
            map.push(at);
            i += 1;
            continue;
        }
        let simple = match raw[i + 1] {
            b'"' => Some(b'"'),
            b'\\' => Some(b'\\'),
            b'/' => Some(b'/'),
            b'b' => Some(8),
            b'f' => Some(12),
            b'n' => Some(b'\n'),
            b'r' => Some(b'\r'),
            b't' => Some(b'\t'),
            _ => None,
        };
        if let Some(b) = simple {
            bytes.push(b);
            map.push(at);
            i += 2;
            continue;
        }
        if raw[i + 1] == b'u' {
            if let Some((c, len)) = unicode_escape(&raw[i..]) {
                let mut buf = [0u8; 4];
                for &b in c.encode_utf8(&mut buf).as_bytes() {
                    bytes.push(b);
                    map.push(at);
                }
                i += len;
                continue;
            }
        }
        bytes.push(raw[i]);
        map.push(at);
        i += 1;
    }
    map.push(range.end as u32);
    (bytes, map)
}

/// `\uXXXX` (or a surrogate pair) at the start of `raw`: the character and the escape's length.
fn unicode_escape(raw: &[u8]) -> Option<(char, usize)> {
    let hex = |b: &[u8]| -> Option<u32> {
        let s = std::str::from_utf8(b.get(..4)?).ok()?;
        u32::from_str_radix(s, 16).ok()
    };
    let high = hex(raw.get(2..6)?)?;
    if (0xD800..0xDC00).contains(&high) && raw.get(6..8) == Some(b"\\u") {
        let low = hex(raw.get(8..12)?)?;
        if (0xDC00..0xE000).contains(&low) {
            let c = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
            return Some((char::from_u32(c)?, 12));
        }
    }
    Some((char::from_u32(high).unwrap_or('\u{FFFD}'), 6))
}

/// A key lowercased, without `_`, `-`, `.` and `@`: `ClientRequestURI` → `clientrequesturi`.
fn norm(key: &[u8]) -> String {
    key.iter()
        .filter(|b| !matches!(b, b'_' | b'-' | b'.' | b'@'))
        .map(|b| b.to_ascii_lowercase() as char)
        .collect()
}

/// What a field is, by its name and the names above it.
#[derive(Debug, PartialEq, Eq)]
enum Role {
    Target,
    RequestLine,
    Referer,
    UserAgent,
    Cookie,
    Header(String),
    Query,
    Body,
    Upstream,
    Message,
    Client(u8),
    Method,
    Status(u8),
    Time,
    CookieValue(String),
    QueryValue(String),
    Ignore,
    Other,
}

const HEADER_OBJECTS: [&str; 8] = [
    "headers",
    "requestheaders",
    "reqheaders",
    "header",
    "httpheaders",
    "respheaders",
    "responseheaders",
    "resheaders",
];

/// A header name as found after a prefix such as `http_` (`x_api_key` → `x-api-key`).
fn header_name(raw: &[u8]) -> String {
    String::from_utf8_lossy(raw)
        .to_ascii_lowercase()
        .replace('_', "-")
}

fn role(line: &[u8], path: &[Range<usize>]) -> Role {
    let Some(last) = path.last() else {
        return Role::Ignore;
    };
    let raw = &line[last.clone()];
    let key = norm(raw);
    let parent = path
        .len()
        .checked_sub(2)
        .map(|i| norm(&line[path[i].clone()]));
    if parent
        .as_deref()
        .is_some_and(|p| HEADER_OBJECTS.contains(&p))
    {
        return header_role(raw);
    }
    match key.as_str() {
        "uri" | "requesturi" | "requestpath" | "clientrequesturi" | "clientrequestpath"
        | "xenvoyoriginpath" | "originalpath" | "requesturl" | "url" | "path" | "csuristem"
        | "csuri" | "target" | "originaluri" => Role::Target,
        "request" | "requestline" | "httprequest" => Role::RequestLine,
        "referer"
        | "referrer"
        | "httpreferer"
        | "httpreferrer"
        | "clientrequestreferer"
        | "requestreferer"
        | "creferrer"
        | "csreferer" => Role::Referer,
        "useragent"
        | "httpuseragent"
        | "clientrequestuseragent"
        | "requestuseragent"
        | "csuseragent"
        | "ua" => Role::UserAgent,
        "cookie"
        | "cookies"
        | "httpcookie"
        | "requestcookie"
        | "clientrequestcookie"
        | "cscookie" => Role::Cookie,
        "authorization" | "httpauthorization" => Role::Header("authorization".into()),
        "query" | "querystring" | "args" | "qs" | "csuriquery" | "requestquery"
        | "clientrequestquery" => Role::Query,
        "requestbody" => Role::Body,
        "body" if parent.as_deref() != Some("response") => Role::Body,
        "upstream" | "upstreamurl" | "serviceurl" | "backendurl" | "upstreamuri" | "proxyurl"
        | "originurl" => Role::Upstream,
        "msg" | "message" | "messages" | "log" | "error" | "errormessage" | "details" => {
            Role::Message
        }
        "clientip" | "realip" | "clientrequestip" | "xrealip" => Role::Client(0),
        "clienthost" | "cip" => Role::Client(1),
        "remoteip" | "remoteaddr" | "remoteaddress" => Role::Client(2),
        "downstreamremoteaddress" | "clientaddr" | "clientaddress" => Role::Client(3),
        "client" | "ip" => Role::Client(4),
        "method" | "requestmethod" | "clientrequestmethod" | "httpmethod" | "csmethod" => {
            Role::Method
        }
        "status" | "responsecode" | "downstreamstatus" | "edgeresponsestatus" | "statuscode"
        | "responsestatus" | "scstatus" | "httpstatus" => Role::Status(0),
        "originstatus" | "upstreamstatus" | "originresponsestatus" => Role::Status(1),
        "ts" | "time" | "timestamp" | "starttime" | "timelocal" | "timeiso8601" | "startutc"
        | "edgestarttimestamp" | "datetime" | "receivetimestamp" | "msec" => Role::Time,
        _ => prefixed_role(raw),
    }
}

/// Fields named after a header or cookie (`http_x_api_key`, `cookie_session`,
/// `request_Authorization`), and everything else.
fn prefixed_role(raw: &[u8]) -> Role {
    let lower = raw.to_ascii_lowercase();
    let strip = |p: &[u8]| lower.strip_prefix(p).map(|_| &raw[p.len()..]);
    if let Some(name) = strip(b"http_") {
        return header_role(name);
    }
    if let Some(name) = strip(b"cookie_") {
        return Role::CookieValue(String::from_utf8_lossy(name).into_owned());
    }
    if let Some(name) = strip(b"arg_") {
        return Role::QueryValue(String::from_utf8_lossy(name).into_owned());
    }
    for prefix in [
        &b"sent_http_"[..],
        b"upstream_http_",
        b"request_",
        b"downstream_",
        b"origin_",
    ] {
        if let Some(name) = strip(prefix) {
            // Traefik names its header fields `request_User-Agent`, `downstream_Set-Cookie`.
            if prefix != b"request_" || name.first().is_some_and(u8::is_ascii_uppercase) {
                return header_role(name);
            }
        }
    }
    Role::Other
}

fn header_role(name: &[u8]) -> Role {
    let name = header_name(name);
    match name.as_str() {
        "cookie" => Role::Cookie,
        "referer" | "referrer" => Role::Referer,
        "user-agent" => Role::UserAgent,
        _ => Role::Header(name),
    }
}

/// Signs of a JSON flavour, gathered while walking.
#[derive(Default)]
struct Signs {
    modsec: bool,
    gcp: bool,
    cloudflare: bool,
    traefik: bool,
    envoy: bool,
    caddy_ts: bool,
    caddy_msg: bool,
}

impl Signs {
    fn note(&mut self, line: &[u8], path: &[Range<usize>]) {
        let key = &line[path[path.len() - 1].clone()];
        let top = &line[path[0].clone()];
        match path.len() {
            1 => match key {
                b"ts" => self.caddy_ts = true,
                b"msg" | b"logger" => self.caddy_msg = true,
                b"ClientRequestURI" | b"RayID" | b"EdgeStartTimestamp" => self.cloudflare = true,
                b"RequestPath" | b"ClientHost" | b"RouterName" | b"DownstreamStatus" => {
                    self.traefik = true
                }
                b"response_code"
                | b"x-envoy-origin-path"
                | b"upstream_cluster"
                | b"downstream_remote_address" => self.envoy = true,
                _ => {}
            },
            _ => {
                if top == b"transaction" {
                    self.modsec = true;
                }
                if top == b"httpRequest" && key == b"requestUrl" {
                    self.gcp = true;
                }
            }
        }
    }

    fn flavor(&self) -> LogType {
        if self.modsec {
            LogType::ModsecurityJson
        } else if self.gcp {
            LogType::GcpLb
        } else if self.cloudflare {
            LogType::Cloudflare
        } else if self.traefik {
            LogType::TraefikJson
        } else if self.envoy {
            LogType::EnvoyJson
        } else if self.caddy_ts && self.caddy_msg {
            LogType::Caddy
        } else {
            LogType::Json
        }
    }
}

/// What is being gathered for the record.
struct Builder<'a> {
    line: &'a [u8],
    record: Record,
    client: Option<(u8, Range<usize>)>,
    status: Option<(u8, u16)>,
}

impl Builder<'_> {
    fn string_field(&mut self, name: FieldName, span: Range<usize>, shape: Shape) {
        let bytes = &self.line[span.clone()];
        if bytes.is_empty() || bytes == b"-" {
            return;
        }
        self.record.fields.push(Field {
            name,
            span,
            shape,
            escaping: Escaping::Json,
        });
    }

    fn time(&mut self, span: Range<usize>) {
        if self.record.time.is_some() {
            return;
        }
        let bytes = &self.line[span.clone()];
        let syntax = if bytes.len() >= 19 && bytes[4] == b'-' && bytes[7] == b'-' {
            TimeSyntax::Iso8601
        } else if bytes.len() >= 20 && bytes[2] == b'/' && bytes[6] == b'/' {
            TimeSyntax::Clf
        } else if !bytes.is_empty() && bytes.iter().all(|b| b.is_ascii_digit() || *b == b'.') {
            TimeSyntax::Epoch
        } else {
            return;
        };
        self.record.time = Some((syntax, span));
    }

    fn status(&mut self, rank: u8, span: Range<usize>) {
        let bytes = &self.line[span];
        let Some(Some(status)) = super::cursor::status(bytes) else {
            return;
        };
        if (100..=599).contains(&status) && self.status.is_none_or(|(r, _)| rank < r) {
            self.status = Some((rank, status));
        }
    }

    fn scalar(&mut self, path: &[Range<usize>], scalar: Scalar) {
        let role = role(self.line, path);
        match scalar {
            Scalar::Num(span) => match role {
                Role::Status(rank) => self.status(rank, span),
                Role::Time => self.time(span),
                _ => {}
            },
            Scalar::Other => {}
            Scalar::Str(span) => self.string(path, role, span),
        }
    }

    fn string(&mut self, path: &[Range<usize>], role: Role, span: Range<usize>) {
        let line = self.line;
        let bytes = &line[span.clone()];
        match role {
            Role::Target => {
                if looks_like_target(bytes) {
                    self.string_field(FieldName::RequestPath, span, Shape::RequestTarget);
                } else {
                    self.other(path, span);
                }
            }
            Role::RequestLine => {
                let before = self.record.fields.len();
                self.record.add_request_line(line, span);
                for f in &mut self.record.fields[before..] {
                    f.escaping = Escaping::Json;
                }
            }
            Role::Referer => self.string_field(FieldName::Referer, span, Shape::Url),
            Role::UserAgent => {
                if self.record.user_agent.is_none() {
                    self.record.user_agent = Some(span.clone());
                }
                self.string_field(FieldName::Header("user-agent".into()), span, Shape::Text);
            }
            Role::Cookie => self.string_field(FieldName::Cookie, span, Shape::Cookie),
            Role::Header(name) => {
                self.string_field(FieldName::Header(name.clone()), span, Shape::Header(name))
            }
            Role::Query => self.string_field(FieldName::RequestQuery, span, Shape::Query),
            Role::Body => self.string_field(FieldName::RequestBody, span, Shape::Query),
            Role::Upstream => {
                if memchr::memmem::find(bytes, b"://").is_some() {
                    self.string_field(FieldName::Upstream, span, Shape::Url);
                }
            }
            Role::Message => self.string_field(FieldName::Message, span, Shape::Text),
            Role::Client(rank) => {
                if self.client.as_ref().is_none_or(|(r, _)| rank < *r) && !bytes.is_empty() {
                    self.client = Some((rank, without_port(line, span)));
                }
            }
            Role::Method => {
                if self.record.method.is_none() && super::cursor::is_method(bytes) {
                    self.record.method = Some(span);
                }
            }
            Role::Status(rank) => self.status(rank, span),
            Role::Time => self.time(span),
            Role::CookieValue(name) => {
                self.string_field(FieldName::Cookie, span, Shape::Value(name))
            }
            Role::QueryValue(name) => {
                self.string_field(FieldName::RequestQuery, span, Shape::Value(name))
            }
            Role::Ignore => {}
            Role::Other => self.other(path, span),
        }
    }

    /// Any other string: a value under its own name (so `"password":"…"` is checked as one).
    fn other(&mut self, path: &[Range<usize>], span: Range<usize>) {
        let Some(key) = path.last() else {
            return;
        };
        let name = String::from_utf8_lossy(&self.line[key.clone()]).into_owned();
        self.string_field(FieldName::Line, span, Shape::Value(name));
    }
}

/// Parses a JSON object line: the record and the flavour it looks like.
pub fn parse(line: &[u8]) -> Option<(Record, LogType)> {
    if line.first() != Some(&b'{') {
        return None;
    }
    let mut builder = Builder {
        line,
        record: Record::default(),
        client: None,
        status: None,
    };
    let mut signs = Signs::default();
    walk(line, &mut |path, scalar| {
        if path.is_empty() {
            return;
        }
        signs.note(line, path);
        builder.scalar(path, scalar);
    })?;
    let mut record = builder.record;
    record.client = builder.client.map(|(_, r)| r);
    record.status = builder.status.map(|(_, s)| s);
    Some((record, signs.flavor()))
}

/// True when a raw JSON string is a request target or URL: `/…` or `scheme://…`, also with the
/// slashes escaped as `\/`.
fn looks_like_target(raw: &[u8]) -> bool {
    if raw.starts_with(b"/") || raw.starts_with(b"\\/") {
        return true;
    }
    let head = &raw[..raw.len().min(40)];
    let unescaped: Vec<u8> = if memchr::memmem::find(head, b"\\/").is_some() {
        let mut out = Vec::with_capacity(head.len());
        let mut i = 0;
        while i < head.len() {
            if head[i..].starts_with(b"\\/") {
                out.push(b'/');
                i += 2;
            } else {
                out.push(head[i]);
                i += 1;
            }
        }
        out
    } else {
        head.to_vec()
    };
    crate::decode::url::scheme_len(&unescaped).is_some()
}

#[cfg(test)]
mod tests {

    #[test]
    fn targets_with_escaped_slashes_are_urls() {
        assert!(looks_like_target(br"\/account\/login?a=1"));
        assert!(looks_like_target(br"https:\/\/shop.example.com\/x"));
        assert!(looks_like_target(b"/plain"));
        assert!(!looks_like_target(b"GET / HTTP/1.1"));
        assert!(!looks_like_target(b"handled request"));
    }
    use super::*;

    fn fields(line: &str) -> (Vec<(String, String)>, LogType, Record) {
        let (record, flavor) = parse(line.as_bytes()).expect("JSON");
        let list = crate::logformat::field_texts(line, &record);
        (list, flavor, record)
    }

    #[test]
    fn caddy_access_line() {
        let line = r#"{"level":"info","ts":1764237600.5,"logger":"http.log.access","msg":"handled request","request":{"remote_ip":"203.0.113.7","client_ip":"198.51.100.2","method":"GET","uri":"/api?token=abc\u0026x=1","headers":{"Authorization":["Bearer xyz"],"Cookie":["session=s1"],"User-Agent":["curl/8.0"]}},"status":200}"#;
        let (list, flavor, record) = fields(line);
        assert_eq!(flavor, LogType::Caddy);
        assert!(list.contains(&("request.path".into(), r"/api?token=abc\u0026x=1".into())));
        assert!(list.contains(&("header.authorization".into(), "Bearer xyz".into())));
        assert!(list.contains(&("cookie".into(), "session=s1".into())));
        assert_eq!(&line[record.client.unwrap()], "198.51.100.2");
        assert_eq!(record.status, Some(200));
        assert_eq!(record.time.unwrap().0, TimeSyntax::Epoch);
        assert_eq!(&line[record.method.unwrap()], "GET");
    }

    #[test]
    fn flavours_by_their_keys() {
        let t = |l: &str| parse(l.as_bytes()).unwrap().1;
        assert_eq!(
            t(r#"{"ClientIP":"1.2.3.4","ClientRequestURI":"/a","RayID":"x"}"#),
            LogType::Cloudflare
        );
        assert_eq!(
            t(r#"{"httpRequest":{"requestUrl":"http://x/a","status":200}}"#),
            LogType::GcpLb
        );
        assert_eq!(
            t(r#"{"ClientHost":"1.2.3.4","RequestPath":"/a","request_User-Agent":"x"}"#),
            LogType::TraefikJson
        );
        assert_eq!(
            t(r#"{"start_time":"2026-11-27T10:00:00Z","response_code":200,"path":"/a"}"#),
            LogType::EnvoyJson
        );
        assert_eq!(
            t(r#"{"transaction":{"time":"x"},"request":{"request_line":"GET / HTTP/1.1"}}"#),
            LogType::ModsecurityJson
        );
        assert_eq!(t(r#"{"a":[1,2,{"b":null}],"c":true}"#), LogType::Json);
        assert!(parse(b"{\"a\":").is_none());
        assert!(parse(b"{\"a\":1} trailing").is_none());
    }

    #[test]
    fn nginx_json_names() {
        let line = r#"{"time_local":"27/Nov/2026:10:00:00 +0000","remote_addr":"203.0.113.9","request":"GET /a?b=1 HTTP/1.1","status":"401","http_referer":"https://r.example/","http_authorization":"Basic dXNlcjpwYXNz","cookie_session":"abc","request_body":"password=x","http_x_api_key":"k"}"#;
        let (list, flavor, record) = fields(line);
        assert_eq!(flavor, LogType::Json);
        assert_eq!(record.status, Some(401));
        assert_eq!(record.time.unwrap().0, TimeSyntax::Clf);
        for expected in [
            ("request.path", "/a?b=1"),
            ("referer", "https://r.example/"),
            ("header.authorization", "Basic dXNlcjpwYXNz"),
            ("cookie", "abc"),
            ("request.body", "password=x"),
            ("header.x-api-key", "k"),
        ] {
            assert!(
                list.contains(&(expected.0.into(), expected.1.into())),
                "{expected:?} in {list:?}"
            );
        }
    }

    #[test]
    fn unescaping_keeps_positions() {
        let line = br#"x\"y\u00e9\n"#;
        let (bytes, map) = unescape_with_map(line, 0..line.len());
        assert_eq!(bytes, "x\"y\u{e9}\n".as_bytes());
        assert_eq!(map, [0, 1, 3, 4, 4, 10, 12]);
    }
}
