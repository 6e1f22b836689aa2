//! The Common Log Format family: Apache/nginx `common`, `combined` and `vhost_combined`, and
//! the formats that append to `combined`: Kubernetes ingress-nginx `upstreaminfo` and Traefik's
//! CLF (lighttpd and varnishncsa read exactly like `combined`).
//!
//! `host ident user [time] "request" status size ["referer" "user-agent"] [more…]`, with an
//! optional `vhost:port ` in front. Quoted fields may hold `\"` (Apache) or `\x22` (nginx).

use super::cursor::{is_digits, status, Cursor};
use super::{Field, Record, Shape, TimeSyntax};
use crate::logformat::FieldName;

/// Which member of the family is expected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    /// Referer and user agent required.
    Combined,
    /// Ends after the size (a referer and user agent that follow are read as such).
    Common,
    /// `vhost:port` (or `vhost`) first, then combined.
    VhostCombined,
    /// ingress-nginx `upstreaminfo`: combined, then `request_length request_time
    /// [upstream_name] [alternative_upstream_name] upstream_addr … req_id`.
    IngressNginx,
    /// Traefik: combined, then `requests "router" "backend URL" 12ms`.
    Traefik,
}

/// Parses one line; `None` when it does not have the variant's shape.
pub fn parse(line: &[u8], variant: Variant) -> Option<Record> {
    let (mut record, rest) = parse_with_rest(line, variant)?;
    // Whatever a site appended after the standard fields is scanned as text.
    if rest < line.len() {
        record
            .fields
            .push(Field::new(FieldName::Line, rest..line.len(), Shape::Text));
    }
    Some(record)
}

/// Parses the standard fields of one line: the record, and where the rest of the line starts.
pub fn parse_with_rest(line: &[u8], variant: Variant) -> Option<(Record, usize)> {
    let mut cursor = Cursor::new(line);
    let mut host = None;
    if variant == Variant::VhostCombined {
        // `%v:%p` (Apache's vhost_combined), or `%v` alone.
        let span = cursor.token()?;
        let vhost = &line[span.clone()];
        if let Some(colon) = memchr::memrchr(b':', vhost) {
            if !is_digits(&vhost[colon + 1..]) {
                return None;
            }
            host = Some(span.start..span.start + colon);
        } else if !vhost.iter().any(u8::is_ascii_alphabetic) {
            return None;
        } else {
            host = Some(span);
        }
    }
    let client = cursor.token()?;
    let _ident = cursor.token()?;
    let _user = cursor.token()?;
    let time = cursor.bracketed()?;
    if line[time.clone()].get(2) != Some(&b'/') {
        return None;
    }
    let request = cursor.quoted()?;
    let status = status(&line[cursor.token()?])?;
    let size = cursor.token()?;
    let size = &line[size];
    if !(size == b"-" || is_digits(size)) {
        return None;
    }
    let mut record = Record {
        client: Some(client),
        time: Some((TimeSyntax::Clf, time)),
        status,
        size: std::str::from_utf8(size).ok().and_then(|s| s.parse().ok()),
        host,
        ..Record::default()
    };
    record.add_request_line(line, request);
    let after_size = cursor;
    let referer_and_agent = (|| {
        let referer = cursor.quoted()?;
        let user_agent = cursor.quoted()?;
        Some((referer, user_agent))
    })();
    match (variant, referer_and_agent) {
        (_, Some((referer, user_agent))) => {
            record.push(line, Field::new(FieldName::Referer, referer, Shape::Url));
            record.add_user_agent(line, user_agent);
        }
        (Variant::Common, None) => cursor = after_size,
        (_, None) => return None,
    }
    match variant {
        Variant::IngressNginx => ingress_trailer(line, &mut cursor)?,
        Variant::Traefik => traefik_trailer(line, &mut cursor, &mut record)?,
        _ => {}
    }
    cursor.skip_spaces();
    Some((record, cursor.pos))
}

/// `request_length request_time [upstream] [alternative] upstream_addr…`.
fn ingress_trailer(line: &[u8], cursor: &mut Cursor<'_>) -> Option<()> {
    let length = cursor.token()?;
    let time = cursor.token()?;
    if !is_digits(&line[length]) || !super::cursor::is_number_or_dash(&line[time]) {
        return None;
    }
    cursor.bracketed()?;
    cursor.bracketed()?;
    // upstream_addr, upstream_response_length, upstream_response_time, upstream_status, req_id
    cursor.pos = line.len();
    Some(())
}

/// `requests "router" "backend URL" 12ms`.
fn traefik_trailer(line: &[u8], cursor: &mut Cursor<'_>, record: &mut Record) -> Option<()> {
    let count = cursor.token()?;
    if !is_digits(&line[count]) {
        return None;
    }
    cursor.quoted()?;
    let backend = cursor.quoted()?;
    let duration = cursor.token()?;
    if !line[duration].ends_with(b"ms") {
        return None;
    }
    if memchr::memmem::find(&line[backend.clone()], b"://").is_some() {
        record.push(line, Field::new(FieldName::Upstream, backend, Shape::Url));
    }
    Some(())
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
        assert_eq!(&line[r.protocol.clone().unwrap()], "HTTP/2.0");
        assert_eq!(r.size, Some(5120));
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
        // A common line followed by a referer and user agent gives them as such.
        let mixed = r#"1.2.3.4 - - [27/Nov/2026:10:00:00 +0000] "GET / HTTP/1.0" 200 - "https://r.example/?a=b" "ua""#;
        let r = parse(mixed.as_bytes(), Variant::Common).unwrap();
        assert_eq!(
            field(mixed, &r, &FieldName::Referer),
            "https://r.example/?a=b"
        );
    }

    #[test]
    fn ingress_and_traefik() {
        let ingress = r#"192.0.2.1 - - [07/Feb/2026:11:48:51 +0000] "POST /products?api_key=x HTTP/1.1" 200 59 "-" "curl/7.54.0" 89 0.001 [default-web-8080] [] 172.17.0.5:8080 59 0.000 200 529a007902362a5f51385a5fa7049884"#;
        assert!(parse(ingress.as_bytes(), Variant::IngressNginx).is_some());
        assert!(parse(ingress.as_bytes(), Variant::Traefik).is_none());
        let traefik = r#"172.17.0.1 - - [08/Dec/2026:09:16:05 +0000] "GET /a HTTP/1.1" 200 414 "-" "-" 500 "web@docker" "http://172.17.0.3:80/x?token=abc" 0ms"#;
        let r = parse(traefik.as_bytes(), Variant::Traefik).unwrap();
        assert_eq!(
            field(traefik, &r, &FieldName::Upstream),
            "http://172.17.0.3:80/x?token=abc"
        );
        assert!(parse(traefik.as_bytes(), Variant::IngressNginx).is_none());
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
