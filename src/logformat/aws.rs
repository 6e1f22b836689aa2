//! AWS access logs: Application Load Balancer, Classic Load Balancer and S3 server access logs
//! (CloudFront is W3C, see [`super::w3c`]).

use super::cursor::{is_digits, is_number_or_dash, status, without_port, Cursor};
use super::{Field, Record, Shape, TimeSyntax};
use crate::logformat::FieldName;

/// True for `2026-11-27T10:00:00.123456Z`.
fn is_iso(bytes: &[u8]) -> bool {
    bytes.len() >= 20
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes[10] == b'T'
        && bytes[13] == b':'
}

/// `client:port`, `target:port` or `-`.
fn is_endpoint(bytes: &[u8]) -> bool {
    bytes == b"-" || memchr::memrchr(b':', bytes).is_some_and(|c| is_digits(&bytes[c + 1..]))
}

/// A quoted field or a bare token (ALB and ELB write `-` unquoted for some fields).
fn quoted_or_token(c: &mut Cursor<'_>) -> Option<std::ops::Range<usize>> {
    c.skip_spaces();
    if c.peek() == Some(b'"') {
        c.quoted()
    } else {
        c.token()
    }
}

/// ALB: `type time elb client:port target:port rpt tpt spt elb_status target_status rcvd sent
/// "request" "user_agent" cipher protocol target_group "trace" "domain" "cert" priority
/// creation "actions" "redirect_url" "error_reason" …`.
///
/// A file of ALB logs may hold Classic and Network Load Balancer lines too (the same bucket
/// prefix); they are read as such.
pub fn parse_alb(line: &[u8]) -> Option<Record> {
    if line.first().is_some_and(u8::is_ascii_digit) {
        return parse_elb(line);
    }
    let mut c = Cursor::new(line);
    let kind = c.token()?;
    if &line[kind.clone()] == b"tls" {
        return parse_nlb(line);
    }
    if !matches!(
        &line[kind],
        b"http" | b"https" | b"h2" | b"grpcs" | b"ws" | b"wss"
    ) {
        return None;
    }
    let time = c.token()?;
    if !is_iso(&line[time.clone()]) {
        return None;
    }
    c.token()?; // elb
    let mut record = common_fields(line, &mut c, time)?;
    // ssl_cipher ssl_protocol target_group_arn "trace_id" "domain_name" "chosen_cert_arn"
    // matched_rule_priority request_creation_time "actions_executed" "redirect_url"
    for _ in 0..9 {
        if quoted_or_token(&mut c).is_none() {
            return Some(record);
        }
    }
    if let Some(redirect) = quoted_or_token(&mut c) {
        record.push(
            line,
            Field::new(FieldName::Header("location".into()), redirect, Shape::Url),
        );
    }
    Some(record)
}

/// NLB (TLS listeners): `tls version time elb listener client:port destination:port …`.
fn parse_nlb(line: &[u8]) -> Option<Record> {
    let mut c = Cursor::new(line);
    c.token()?; // tls
    let version = c.token()?;
    if !line[version]
        .iter()
        .all(|b| b.is_ascii_digit() || *b == b'.')
    {
        return None;
    }
    let time = c.token()?;
    if line[time.clone()].get(10) != Some(&b'T') {
        return None;
    }
    c.token()?; // elb
    c.token()?; // listener
    let client = c.token()?;
    if !is_endpoint(&line[client.clone()]) {
        return None;
    }
    Some(Record {
        client: Some(without_port(line, client)),
        time: Some((TimeSyntax::Iso8601, time)),
        ..Record::default()
    })
}

/// Classic ELB: `time elb client:port backend:port rpt bpt spt elb_status backend_status rcvd
/// sent "request" "user_agent" cipher protocol`.
pub fn parse_elb(line: &[u8]) -> Option<Record> {
    let mut c = Cursor::new(line);
    let time = c.token()?;
    if !is_iso(&line[time.clone()]) {
        return None;
    }
    let elb = c.token()?;
    if line[elb].contains(&b'"') {
        return None;
    }
    common_fields(line, &mut c, time)
}

/// From the client to the user agent, which ALB and ELB share.
fn common_fields(line: &[u8], c: &mut Cursor<'_>, time: std::ops::Range<usize>) -> Option<Record> {
    let client = c.token()?;
    let target = c.token()?;
    if !is_endpoint(&line[client.clone()]) || !is_endpoint(&line[target]) {
        return None;
    }
    for _ in 0..3 {
        let t = c.token()?;
        if !is_number_or_dash(&line[t]) {
            return None;
        }
    }
    let elb_status = status(&line[c.token()?])?;
    let target_status = status(&line[c.token()?])?;
    for _ in 0..2 {
        let t = c.token()?;
        if !is_number_or_dash(&line[t]) {
            return None;
        }
    }
    let request = c.quoted()?;
    let mut record = Record {
        client: Some(without_port(line, client)),
        time: Some((TimeSyntax::Iso8601, time)),
        status: elb_status.or(target_status),
        ..Record::default()
    };
    record.add_request_line(line, request);
    if let Some(agent) = c.quoted() {
        record.add_user_agent(line, agent);
    }
    Some(record)
}

/// S3: `owner bucket [time] ip requester request_id operation key "request_uri" status error
/// bytes size total turnaround "referer" "user_agent" version host_id sig cipher auth host tls …`.
pub fn parse_s3(line: &[u8]) -> Option<Record> {
    let mut c = Cursor::new(line);
    let owner = c.token()?;
    if !line[owner]
        .iter()
        .all(|b| b.is_ascii_hexdigit() || *b == b'-')
    {
        return None;
    }
    c.token()?; // bucket
    let time = c.bracketed()?;
    let ip = c.token()?;
    c.token()?; // requester
    c.token()?; // request id
    let operation = c.token()?;
    if !line[operation.clone()].contains(&b'.') || !line[operation][0].is_ascii_uppercase() {
        return None;
    }
    c.token()?; // key (also in the request URI)
    let request = quoted_or_token(&mut c)?;
    let status = status(&line[c.token()?])?;
    let mut record = Record {
        client: Some(ip),
        time: Some((TimeSyntax::Clf, time)),
        status,
        ..Record::default()
    };
    record.add_request_line(line, request);
    // error_code bytes_sent object_size total_time turn_around_time
    for _ in 0..5 {
        if c.token().is_none() {
            return Some(record);
        }
    }
    if let Some(referer) = quoted_or_token(&mut c) {
        record.push(line, Field::new(FieldName::Referer, referer, Shape::Url));
    }
    if let Some(agent) = quoted_or_token(&mut c) {
        record.add_user_agent(line, agent);
    }
    Some(record)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(line: &str, r: &Record) -> Vec<(String, String)> {
        crate::logformat::field_texts(line, r)
    }

    #[test]
    fn alb_line() {
        let line = r#"https 2026-11-27T10:00:00.186641Z app/shop/490d68edf04676fe 192.0.2.10:44740 10.0.0.1:80 0.086 0.048 0.037 302 302 0 57 "GET https://shop.example:443/cb?code=x&access_token=abc HTTP/1.1" "curl/8.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/t/73e2d6bc24d8a067 "Root=1-58337281-1d84f3d73c47ec4e58577259" "shop.example" "arn:aws:acm:us-east-2:123456789012:certificate/x" 1 2026-11-27T10:00:00.100000Z "redirect" "https://login.example/?session=s" "-" "10.0.0.1:80" "302" "-" "-""#;
        let r = parse_alb(line.as_bytes()).unwrap();
        assert_eq!(&line[r.client.clone().unwrap()], "192.0.2.10");
        assert_eq!(r.status, Some(302));
        let f = fields(line, &r);
        assert!(f.contains(&(
            "request.path".into(),
            "https://shop.example:443/cb?code=x&access_token=abc".into()
        )));
        assert!(f.contains(&(
            "header.location".into(),
            "https://login.example/?session=s".into()
        )));
        assert!(parse_elb(line.as_bytes()).is_none());
    }

    #[test]
    fn elb_and_s3_lines() {
        let elb = r#"2026-11-27T10:00:00.945958Z shop 192.0.2.4:2817 10.0.0.1:80 0.000086 0.001048 0.001337 200 200 0 57 "GET https://shop.example:443/a?key=abc HTTP/1.1" "curl/8.0" DHE-RSA-AES128-SHA TLSv1.2"#;
        assert!(parse_elb(elb.as_bytes()).is_some());
        // ALB logs may hold Classic lines.
        assert!(parse_alb(elb.as_bytes()).is_some());
        let s3 = r#"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be shop-assets [27/Nov/2026:10:00:00 +0000] 192.0.2.3 - 3E57427F3EXAMPLE REST.GET.OBJECT a.png "GET /shop-assets/a.png?X-Amz-Signature=abc HTTP/1.1" 200 - 113 113 7 6 "https://shop.example/" "curl/8.0" - Xy= SigV4 ECDHE-RSA-AES128-GCM-SHA256 QueryString shop-assets.s3.amazonaws.com TLSv1.2 - -"#;
        let r = parse_s3(s3.as_bytes()).unwrap();
        let f = fields(s3, &r);
        assert!(f.contains(&("referer".into(), "https://shop.example/".into())));
        assert_eq!(r.status, Some(200));
    }
}
