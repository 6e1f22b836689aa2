//! Wrapped lines: a log line inside a syslog prefix (RFC 3164 or RFC 5424), a Kubernetes CRI
//! container log line, a Docker `json-file` object, or a `docker compose logs` prefix.
//!
//! A wrapper is taken off, the content is parsed in its own format, and the content's ranges are
//! moved back into the line (for Docker, through the JSON escapes), so that columns stay right.

use std::borrow::Cow;
use std::ops::Range;

use super::cursor::{is_digits, Cursor};
use super::{json, Escaping, Field, LogType, Record, Shape, TimeSyntax};
use crate::logformat::FieldName;

/// What a log line can be wrapped in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Wrapper {
    /// `Nov 27 10:00:00 host tag[pid]: …` or `<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD …`.
    Syslog,
    /// `2026-11-27T10:00:00.1Z stdout F …` (`P` for a partial line).
    Cri,
    /// `{"log":"…\n","stream":"stdout","time":"…"}` (a `log` without `\n` is partial).
    Docker,
    /// `service  | …` as `docker compose logs` prints it.
    Compose,
}

impl Wrapper {
    /// The log type that names lines in this wrapper whose content has no known shape.
    pub fn log_type(self) -> LogType {
        match self {
            Self::Syslog => LogType::Syslog,
            Self::Cri => LogType::Cri,
            Self::Docker => LogType::Docker,
            Self::Compose => LogType::Compose,
        }
    }

    /// True when a line may continue the one before (partial container lines).
    pub fn carries_state(self) -> bool {
        matches!(self, Self::Cri | Self::Docker)
    }
}

/// The content of a wrapped line.
#[derive(Debug)]
enum Inner {
    /// A range of the line.
    Slice(Range<usize>),
    /// Unescaped JSON string content; `map[i]` is the line position of the raw bytes behind
    /// byte `i`, and `map[len]` the end of the raw string.
    Unescaped { bytes: Vec<u8>, map: Vec<u32> },
}

/// A line with its wrapper taken off.
#[derive(Debug)]
pub struct Unwrapped {
    inner: Inner,
    /// The wrapper's own timestamp.
    time: Option<(TimeSyntax, Range<usize>)>,
    /// True when the content does not end the logical line (CRI `P`, Docker without `\n`).
    partial: bool,
}

impl Unwrapped {
    /// The content.
    pub fn inner_bytes<'a>(&'a self, line: &'a [u8]) -> Cow<'a, [u8]> {
        match &self.inner {
            Inner::Slice(r) => Cow::Borrowed(&line[r.clone()]),
            Inner::Unescaped { bytes, .. } => Cow::Borrowed(bytes),
        }
    }

    /// Parses the content with `parse` and moves the record into the line; when `parse` gives
    /// nothing, the content is text. The flag says whether `parse` gave a record.
    pub fn lift(&self, line: &[u8], parse: impl FnOnce(&[u8]) -> Option<Record>) -> (Record, bool) {
        let inner = self.inner_bytes(line);
        let (mut record, parsed) = match parse(&inner) {
            Some(record) => (record, true),
            None => {
                let mut record = Record::default();
                if !inner.is_empty() {
                    record
                        .fields
                        .push(Field::new(FieldName::Line, 0..inner.len(), Shape::Text));
                }
                (record, false)
            }
        };
        match &self.inner {
            Inner::Slice(r) => record.shift(r.start),
            Inner::Unescaped { map, .. } => {
                record.map_ranges(|r| map[r.start] as usize..map[r.end] as usize);
                for field in &mut record.fields {
                    field.escaping = Escaping::Json;
                }
            }
        }
        if record.time.is_none() {
            record.time.clone_from(&self.time);
        }
        (record, parsed)
    }
}

/// Partial lines seen so far (CRI `P`, Docker's 16 KiB splits).
#[derive(Clone, Debug, Default)]
pub struct State {
    previous_partial: bool,
    /// True when the line just observed continues a partial one.
    pub continuation: bool,
}

impl State {
    /// Notes one line (`None` when it is not in the wrapper).
    pub fn observe(&mut self, unwrapped: Option<&Unwrapped>) {
        match unwrapped {
            Some(u) => {
                self.continuation = self.previous_partial;
                self.previous_partial = u.partial;
            }
            None => {
                self.continuation = false;
                self.previous_partial = false;
            }
        }
    }
}

/// The wrapper `line` is in, if any.
pub fn sniff(line: &[u8]) -> Option<Wrapper> {
    let first = *line.first()?;
    let order: &[Wrapper] = match first {
        b'{' => &[Wrapper::Docker],
        b'<' => &[Wrapper::Syslog],
        b'0'..=b'9' => &[Wrapper::Cri, Wrapper::Syslog, Wrapper::Compose],
        b'A'..=b'Z' => &[Wrapper::Syslog, Wrapper::Compose],
        b'a'..=b'z' => &[Wrapper::Syslog, Wrapper::Compose],
        _ => &[],
    };
    order.iter().copied().find(|&w| unwrap(w, line).is_some())
}

/// Takes `wrapper` off `line`; `None` when the line is not in that wrapper.
pub fn unwrap(wrapper: Wrapper, line: &[u8]) -> Option<Unwrapped> {
    match wrapper {
        Wrapper::Syslog => syslog(line),
        Wrapper::Cri => cri(line),
        Wrapper::Docker => docker(line),
        Wrapper::Compose => compose(line),
    }
}

fn slice(range: Range<usize>, time: Option<(TimeSyntax, Range<usize>)>) -> Unwrapped {
    Unwrapped {
        inner: Inner::Slice(range),
        time,
        partial: false,
    }
}

/// True for `2026-11-27T10:00:00…` (a date, `T` and a time).
fn is_iso_timestamp(bytes: &[u8]) -> bool {
    bytes.len() >= 19
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && matches!(bytes[10], b'T' | b't')
        && bytes[13] == b':'
        && bytes[16] == b':'
        && is_digits(&bytes[..4])
}

fn cri(line: &[u8]) -> Option<Unwrapped> {
    let mut c = Cursor::new(line);
    let time = c.token()?;
    if !is_iso_timestamp(&line[time.clone()]) || !c.eat(b" ") {
        return None;
    }
    if !(c.eat(b"stdout ") || c.eat(b"stderr ")) {
        return None;
    }
    let partial = match c.peek()? {
        b'F' => false,
        b'P' => true,
        _ => return None,
    };
    c.pos += 1;
    match c.peek() {
        None => {}
        Some(b' ') => c.pos += 1,
        Some(_) => return None,
    }
    Some(Unwrapped {
        inner: Inner::Slice(c.pos..line.len()),
        time: Some((TimeSyntax::Iso8601, time)),
        partial,
    })
}

fn docker(line: &[u8]) -> Option<Unwrapped> {
    if !line.starts_with(b"{\"log\":") {
        return None;
    }
    let mut log = None;
    let mut time = None;
    let mut stream = false;
    json::top_level_strings(line, |key, value| match key {
        b"log" => log = Some(value),
        b"time" => time = Some(value),
        b"stream" => stream = true,
        _ => {}
    })?;
    let log = log?;
    if !stream && time.is_none() {
        return None;
    }
    let (mut bytes, mut map) = json::unescape_with_map(line, log.clone());
    let mut partial = true;
    if bytes.last() == Some(&b'\n') {
        partial = false;
        bytes.pop();
        let end = map[bytes.len()];
        map.truncate(bytes.len());
        map.push(end);
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
            let end = map[bytes.len()];
            map.truncate(bytes.len());
            map.push(end);
        }
    }
    Some(Unwrapped {
        inner: Inner::Unescaped { bytes, map },
        time: time.map(|t| (TimeSyntax::Iso8601, t)),
        partial,
    })
}

fn compose(line: &[u8]) -> Option<Unwrapped> {
    let name_len = line
        .iter()
        .take(64)
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
        .count();
    if name_len == 0 {
        return None;
    }
    let spaces = line[name_len..].iter().take_while(|&&b| b == b' ').count();
    let bar = name_len + spaces;
    if spaces == 0 || line.get(bar) != Some(&b'|') {
        return None;
    }
    let start = match line.get(bar + 1) {
        Some(b' ') => bar + 2,
        None => bar + 1,
        Some(_) => return None,
    };
    Some(slice(start..line.len(), None))
}

/// A month name as syslog writes it.
fn is_month(bytes: &[u8]) -> bool {
    const MONTHS: [&[u8]; 12] = [
        b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov",
        b"Dec",
    ];
    MONTHS.contains(&bytes)
}

fn syslog(line: &[u8]) -> Option<Unwrapped> {
    let mut c = Cursor::new(line);
    let mut has_pri = false;
    if c.eat(b"<") {
        let close = memchr::memchr(b'>', &line[..line.len().min(5)])?;
        if !is_digits(&line[1..close]) {
            return None;
        }
        c.pos = close + 1;
        has_pri = true;
        if c.rest().starts_with(b"1 ") {
            return rfc5424(line, c.pos + 2);
        }
    }
    // RFC 3164: `Nov 27 10:00:00`, or an ISO timestamp (rsyslog's high-precision format).
    let time_start = c.pos;
    let time = if line.get(time_start..time_start + 3).is_some_and(is_month) {
        let mut t = Cursor::at(line, time_start + 3);
        t.skip_spaces();
        let day = t.token()?;
        if !is_digits(&line[day.clone()]) || day.len() > 2 {
            return None;
        }
        let clock = t.token()?;
        let clock_bytes = &line[clock.clone()];
        if clock_bytes.len() < 8 || clock_bytes[2] != b':' || clock_bytes[5] != b':' {
            return None;
        }
        c.pos = clock.end;
        (TimeSyntax::Syslog, time_start..clock.end)
    } else {
        let token = c.token()?;
        if !is_iso_timestamp(&line[token.clone()]) {
            // No time at all (journald exports, some relays): `host tag[pid]: …`.
            let tag = c.token()?;
            let tag_bytes = &line[tag.clone()];
            if has_pri || !is_tag(tag_bytes) || !tag_bytes.ends_with(b"]:") {
                return None;
            }
            let start = (tag.end + 1).min(line.len());
            return Some(slice(start..line.len(), None));
        }
        (TimeSyntax::Iso8601, token)
    };
    if !c.eat(b" ") {
        return None;
    }
    // HOST TAG: or just TAG: (no host).
    let first = c.token()?;
    let tag = if is_tag(&line[first.clone()]) {
        first
    } else {
        let second = c.token()?;
        if !is_tag(&line[second.clone()]) {
            return None;
        }
        second
    };
    let mut start = tag.end;
    if line.get(start) == Some(&b' ') {
        start += 1;
    }
    Some(slice(start..line.len(), Some(time)))
}

/// `name:` or `name[pid]:` — a syslog tag.
fn is_tag(bytes: &[u8]) -> bool {
    let Some(body) = bytes.strip_suffix(b":") else {
        return false;
    };
    let name = match memchr::memchr(b'[', body) {
        Some(open) => {
            if !body.ends_with(b"]") || !is_digits(&body[open + 1..body.len() - 1]) {
                return false;
            }
            &body[..open]
        }
        None => body,
    };
    !name.is_empty()
        && name.len() <= 48
        && name
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/'))
}

fn rfc5424(line: &[u8], start: usize) -> Option<Unwrapped> {
    let mut c = Cursor::at(line, start);
    let time = c.token()?;
    let time_bytes = &line[time.clone()];
    let time = if time_bytes == b"-" {
        None
    } else if is_iso_timestamp(time_bytes) {
        Some((TimeSyntax::Iso8601, time))
    } else {
        return None;
    };
    for _ in 0..4 {
        // HOSTNAME APP-NAME PROCID MSGID
        c.token()?;
    }
    c.skip_spaces();
    if c.eat(b"-") {
    } else if c.peek() == Some(b'[') {
        while c.peek() == Some(b'[') {
            let mut i = c.pos + 1;
            loop {
                let p = i + memchr::memchr(b']', &line[i..])?;
                if !super::cursor::is_escaped(&line[c.pos..p]) {
                    c.pos = p + 1;
                    break;
                }
                i = p + 1;
            }
        }
    } else {
        return None;
    }
    let mut start = c.pos;
    if line.get(start) == Some(&b' ') {
        start += 1;
    }
    if line[start..].starts_with(b"\xEF\xBB\xBF") {
        start += 3;
    }
    Some(slice(start..line.len(), time))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inner(w: Wrapper, line: &str) -> Option<String> {
        let u = unwrap(w, line.as_bytes())?;
        Some(String::from_utf8(u.inner_bytes(line.as_bytes()).into_owned()).unwrap())
    }

    #[test]
    fn syslog_prefixes() {
        assert_eq!(
            inner(Wrapper::Syslog, "Nov 27 10:00:00 web1 nginx: hello world").as_deref(),
            Some("hello world")
        );
        assert_eq!(
            inner(
                Wrapper::Syslog,
                "Nov  7 10:00:00 web1 haproxy[760]: 1.2.3.4:5 x"
            )
            .as_deref(),
            Some("1.2.3.4:5 x")
        );
        assert_eq!(
            inner(Wrapper::Syslog, "<134>Nov 27 10:00:00 haproxy[760]: a").as_deref(),
            Some("a")
        );
        assert_eq!(
            inner(
                Wrapper::Syslog,
                "<171>1 2025-11-05T20:47:03.000000+00:00 fw nginx - - - 2025/11/05 x"
            )
            .as_deref(),
            Some("2025/11/05 x")
        );
        assert_eq!(
            inner(
                Wrapper::Syslog,
                "<165>1 2026-11-27T10:00:00Z h app 1 ID [a b=\"c\\]\"][d] msg"
            )
            .as_deref(),
            Some("msg")
        );
        assert_eq!(
            inner(Wrapper::Syslog, "web1 nginx[983]: 2026/11/27 x").as_deref(),
            Some("2026/11/27 x")
        );
        assert!(unwrap(Wrapper::Syslog, b"Hello there world").is_none());
        assert!(unwrap(Wrapper::Syslog, b"Hello there: world").is_none());
        assert!(unwrap(Wrapper::Syslog, b"1.2.3.4 - - [x]").is_none());
    }

    #[test]
    fn container_lines() {
        let u = unwrap(Wrapper::Cri, b"2026-11-27T10:00:00.1Z stdout P abc").unwrap();
        assert!(u.partial);
        assert_eq!(
            u.inner_bytes(b"2026-11-27T10:00:00.1Z stdout P abc")
                .as_ref(),
            b"abc"
        );
        assert!(unwrap(Wrapper::Cri, b"2026-11-27T10:00:00.1Z stdout X abc").is_none());
        let line = br#"{"log":"GET /a?x=\"1\"\n","stream":"stdout","time":"2026-11-27T10:00:00Z"}"#;
        let u = unwrap(Wrapper::Docker, line).unwrap();
        assert!(!u.partial);
        assert_eq!(u.inner_bytes(line).as_ref(), br#"GET /a?x="1""#);
        let (record, parsed) = u.lift(line, |inner| {
            let q = memchr::memchr(b'"', inner).unwrap();
            Some(Record {
                fields: vec![Field::new(FieldName::Line, q..inner.len(), Shape::Text)],
                ..Record::default()
            })
        });
        assert!(parsed);
        assert_eq!(&line[record.fields[0].span.clone()], br#"\"1\""#);
        assert_eq!(
            inner(Wrapper::Compose, "caddy  | {\"a\":1}").as_deref(),
            Some("{\"a\":1}")
        );
        assert!(unwrap(Wrapper::Compose, b"caddy{x} | y").is_none());
    }

    #[test]
    fn sniffing() {
        assert_eq!(
            sniff(b"2026-11-27T10:00:00.1Z stderr F x"),
            Some(Wrapper::Cri)
        );
        assert_eq!(sniff(b"Nov 27 10:00:00 h t: x"), Some(Wrapper::Syslog));
        assert_eq!(
            sniff(br#"{"log":"x\n","stream":"stdout"}"#),
            Some(Wrapper::Docker)
        );
        assert_eq!(sniff(br#"{"level":"info"}"#), None);
        assert_eq!(
            sniff(br#"1.2.3.4 - - [27/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1"#),
            None
        );
    }
}
