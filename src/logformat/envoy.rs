//! Envoy's default text access log: `[START_TIME] "METHOD PATH PROTOCOL" RESPONSE_CODE
//! RESPONSE_FLAGS … BYTES_RECEIVED BYTES_SENT DURATION UPSTREAM_SERVICE_TIME "X-FORWARDED-FOR"
//! "USER-AGENT" "X-REQUEST-ID" ":AUTHORITY" "UPSTREAM_HOST"` (Envoy's JSON logs are read as JSON).

use super::cursor::{is_digits, Cursor};
use super::{Record, TimeSyntax};

/// Parses one line; `None` when it is not an Envoy text access log line.
pub fn parse(line: &[u8]) -> Option<Record> {
    let mut c = Cursor::new(line);
    let time = c.bracketed()?;
    let t = &line[time.clone()];
    if t.len() < 20 || t[4] != b'-' || t[10] != b'T' {
        return None;
    }
    let request = c.quoted()?;
    let code = c.token()?;
    if !is_digits(&line[code.clone()]) {
        return None;
    }
    let mut record = Record {
        time: Some((TimeSyntax::Iso8601, time)),
        status: super::cursor::status(&line[code]).flatten(),
        ..Record::default()
    };
    record.add_request_line(line, request);
    // Unquoted fields up to the first quoted one.
    let mut unquoted = 0;
    loop {
        c.skip_spaces();
        match c.peek() {
            Some(b'"') => break,
            Some(_) => {
                c.token();
                unquoted += 1;
            }
            None => return None,
        }
    }
    if unquoted < 4 {
        return None;
    }
    let forwarded = c.quoted()?;
    let agent = c.quoted()?;
    c.quoted()?; // x-request-id
    c.quoted()?; // authority
    if line[forwarded.clone()] != *b"-" {
        let first = memchr::memchr(b',', &line[forwarded.clone()])
            .map_or(forwarded.end, |p| forwarded.start + p);
        record.client = Some(forwarded.start..first);
    }
    record.add_user_agent(line, agent);
    Some(record)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_text_format() {
        let line = r#"[2026-11-27T10:00:00.921Z] "GET /httpbin/ip?token=abc HTTP/1.1" 200 - 0 43 217 216 "192.0.2.5" "curl/8.0" "c62ec130-6dee-4f3b-a52b-4f0d1312d89d" "httpbin.org" "52.87.35.92:80""#;
        let r = parse(line.as_bytes()).unwrap();
        assert_eq!(r.status, Some(200));
        assert_eq!(&line[r.client.clone().unwrap()], "192.0.2.5");
        assert_eq!(&line[r.fields[0].span.clone()], "/httpbin/ip?token=abc");
        let tcp = r#"[2026-11-27T10:00:00.972Z] "- - -" 0 UF,URX 0 0 0 - "-" "-" "-" "-" "127.0.0.1:9200""#;
        assert!(parse(tcp.as_bytes()).is_some());
        assert!(parse(b"[27/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200").is_none());
    }
}
