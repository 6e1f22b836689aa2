//! Tomcat and Jetty access logs: the `common`/`combined` patterns of `AccessLogValve` and
//! `NCSARequestLog`, and the unquoted pattern of Atlassian's Tomcat-based products
//! (`%t %{X-AUSERNAME}o %I %h %r %s %Dms %b %{Referer}i %{User-Agent}i`).

use super::clf::{self, Variant};
use super::cursor::{is_digits, is_method, status, Cursor};
use super::{Field, Record, Shape, TimeSyntax};
use crate::logformat::FieldName;

/// Parses one line; `None` when it is not a Tomcat/Jetty access log line.
pub fn parse(line: &[u8]) -> Option<Record> {
    if line.first() == Some(&b'[') {
        return atlassian(line);
    }
    clf::parse(line, Variant::Common)
}

/// `[time] user thread client METHOD target PROTOCOL status 12ms bytes referer user agent…`.
fn atlassian(line: &[u8]) -> Option<Record> {
    let mut c = Cursor::new(line);
    let time = c.bracketed()?;
    if line[time.clone()].get(2) != Some(&b'/') {
        return None;
    }
    c.token()?; // user
    c.token()?; // thread
    let client = c.token()?;
    let method = c.token()?;
    if !is_method(&line[method.clone()]) {
        return None;
    }
    let target = c.token()?;
    let protocol = c.token()?;
    if !line[protocol].starts_with(b"HTTP/") {
        return None;
    }
    let status = status(&line[c.token()?])?;
    let duration = c.token()?;
    if !line[duration].ends_with(b"ms") {
        return None;
    }
    let bytes = c.token()?;
    if !(is_digits(&line[bytes.clone()]) || line[bytes] == *b"-") {
        return None;
    }
    let mut record = Record {
        client: Some(client),
        time: Some((TimeSyntax::Clf, time)),
        method: Some(method),
        status,
        ..Record::default()
    };
    record.push(
        line,
        Field::new(FieldName::RequestPath, target, Shape::RequestTarget),
    );
    if let Some(referer) = c.token() {
        record.push(line, Field::new(FieldName::Referer, referer, Shape::Url));
        c.skip_spaces();
        if !c.at_end() {
            record.add_user_agent(line, c.pos..line.len());
        }
    }
    Some(record)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atlassian_and_clf() {
        let line = "[27/Nov/2026:12:57:26 +0200] alice http-nio-8080-exec-6 192.0.2.1 GET /rest/api?os_authType=basic&token=abc HTTP/1.1 200 12ms 7881 http://localhost:8080/index.action Mozilla/5.0 (X11) Chrome/87";
        let r = parse(line.as_bytes()).unwrap();
        assert_eq!(r.status, Some(200));
        assert_eq!(
            &line[r.user_agent.clone().unwrap()],
            "Mozilla/5.0 (X11) Chrome/87"
        );
        let clf = r#"127.0.0.1 - - [15/Sep/2026:16:57:39 +0300] "GET / HTTP/1.1" 200 138"#;
        assert!(parse(clf.as_bytes()).is_some());
    }
}
