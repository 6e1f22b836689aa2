//! Signed URLs (AWS SigV4 presigned URLs, Google Cloud Storage V4 signed URLs, Azure SAS): one
//! finding per URL, and when it expires.
//!
//! A signed URL holds several parts that the rules find one by one: the key id in its credential
//! scope, its signature, and a session token when it was signed with temporary credentials. They
//! are one leak: whoever has the URL can use it until it expires. The part reported is the one
//! that matters most (the session token, else the signature, else the key id), carrying the key
//! facts of the others and the URL's expiry time.

use crate::decode::{decode_value_rounds, Context, Decoded, Text};
use crate::finding::{Details, Kind};
use crate::rules::Rule;

use std::ops::Range;

use super::Hit;

/// How much a part of a signed URL matters: the higher, the more it is what leaked.
fn rank(rule: &Rule, hit: &Hit) -> Option<u8> {
    match rule.id {
        "aws-session-token"
            if hit
                .param
                .as_deref()
                .is_some_and(|p| p.eq_ignore_ascii_case(b"X-Amz-Security-Token")) =>
        {
            Some(3)
        }
        _ if rule.kind == Kind::SignedUrl && rule.id.ends_with("-credential") => Some(1),
        _ if rule.kind == Kind::SignedUrl => Some(2),
        _ => None,
    }
}

/// One line's hits, each with every raw place its secret was seen.
type Placed = (Hit, Vec<Range<usize>>);

/// Merges the parts of each signed URL in `hits` (one line's findings) into one hit, and sets
/// its expiry from the URL's parameters. The places of the merged parts stay with it, so that
/// masking the finding masks everything that makes the URL usable.
pub(super) fn consolidate(hits: &mut Vec<Placed>, rules: &[&'static Rule], line: &[u8]) {
    let parts: Vec<usize> = (0..hits.len())
        .filter(|&i| rank(rules[hits[i].0.rule as usize], &hits[i].0).is_some())
        .collect();
    if parts.is_empty() {
        return;
    }
    let mut remove = Vec::new();
    let mut done = vec![false; parts.len()];
    for (a, &first) in parts.iter().enumerate() {
        if done[a] {
            continue;
        }
        // The parts of one URL are in one field (at whatever depth each was decoded).
        let mut group = Vec::new();
        for (b, &i) in parts.iter().enumerate() {
            if !done[b] && hits[i].0.field == hits[first].0.field {
                done[b] = true;
                group.push(i);
            }
        }
        let keep = *group
            .iter()
            .max_by_key(|&&i| rank(rules[hits[i].0.rule as usize], &hits[i].0))
            .unwrap_or(&first);
        let mut details = std::mem::take(&mut hits[keep].0.details);
        let mut places = Vec::new();
        for &i in &group {
            if i != keep {
                merge(&mut details, &hits[i].0.details);
                places.extend(hits[i].1.iter().cloned());
                remove.push(i);
            }
        }
        if details.expires_at.is_none() {
            let span = url_around(line, hits[keep].0.raw.start);
            details.expires_at = expiry(span);
        }
        hits[keep].0.details = details;
        for place in places {
            if !hits[keep].1.contains(&place) {
                hits[keep].1.push(place);
            }
        }
    }
    remove.sort_unstable();
    for i in remove.into_iter().rev() {
        hits.remove(i);
    }
}

fn merge(into: &mut Details, from: &Details) {
    if into.aws_key_type.is_none() {
        into.aws_key_type = from.aws_key_type;
    }
    if into.aws_account_id.is_none() {
        into.aws_account_id.clone_from(&from.aws_account_id);
    }
}

/// The bytes of the URL (or value) around `pos`: up to whitespace or a quote on either side.
fn url_around(line: &[u8], pos: usize) -> &[u8] {
    let stop = |b: &u8| b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b'<' | b'>');
    let start = line[..pos.min(line.len())]
        .iter()
        .rposition(stop)
        .map_or(0, |p| p + 1);
    let end = line[pos.min(line.len())..]
        .iter()
        .position(stop)
        .map_or(line.len(), |p| pos + p);
    &line[start..end]
}

/// The expiry of the signed URL in `raw` (RFC 3339), from `X-Amz-Date` + `X-Amz-Expires`,
/// `X-Goog-Date` + `X-Goog-Expires`, or Azure's `se`.
fn expiry(raw: &[u8]) -> Option<String> {
    let (mut decoded, mut spare) = (Decoded::default(), Decoded::default());
    decode_value_rounds(
        Text::raw(raw, 0),
        Context::Query,
        3,
        &mut decoded,
        &mut spare,
    );
    let text = decoded.bytes.as_slice();
    for (date, expires) in [
        (&b"x-amz-date"[..], &b"x-amz-expires"[..]),
        (b"x-goog-date", b"x-goog-expires"),
    ] {
        if let (Some(date), Some(seconds)) = (param(text, date), param(text, expires)) {
            let start = basic_timestamp(date)?;
            let seconds: i64 = std::str::from_utf8(seconds).ok()?.parse().ok()?;
            return rfc3339(
                start
                    .checked_add(jiff::SignedDuration::from_secs(seconds))
                    .ok()?,
            );
        }
    }
    let se = param(text, b"se")?;
    let se = std::str::from_utf8(se).ok()?;
    let time = se.parse::<jiff::Timestamp>().ok().or_else(|| {
        // A bare date means the start of that day, UTC.
        let date: jiff::civil::Date = se.parse().ok()?;
        date.to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp())
    })?;
    rfc3339(time)
}

fn rfc3339(time: jiff::Timestamp) -> Option<String> {
    Some(time.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
}

/// `20261127T095500Z`.
fn basic_timestamp(text: &[u8]) -> Option<jiff::Timestamp> {
    let text = std::str::from_utf8(text).ok()?;
    let civil = jiff::civil::DateTime::strptime("%Y%m%dT%H%M%SZ", text).ok()?;
    civil
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp())
}

/// The value of parameter `name` (ASCII case-insensitive) in a decoded query-like text: the name
/// must follow a separator (`?`, `&`, `;`, `\u0026`) or start the text.
fn param<'t>(text: &'t [u8], name: &[u8]) -> Option<&'t [u8]> {
    let mut from = 0;
    while from + name.len() < text.len() {
        let at = text[from..]
            .windows(name.len() + 1)
            .position(|w| w[..name.len()].eq_ignore_ascii_case(name) && w[name.len()] == b'=')?
            + from;
        let after_separator = at == 0
            || matches!(text[at - 1], b'?' | b'&' | b';' | b' ')
            || text[..at].ends_with(b"\\u0026");
        let value_start = at + name.len() + 1;
        if after_separator {
            let len = text[value_start..]
                .iter()
                .position(|&b| matches!(b, b'&' | b'#' | b';' | b'\\' | b' ' | b'"' | b'}'))
                .unwrap_or(text.len() - value_start);
            return Some(&text[value_start..value_start + len]);
        }
        from = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_expiry_is_date_plus_expires() {
        let url = b"/o.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20261127T095500Z&X-Amz-Expires=3600&X-Amz-Signature=ab";
        assert_eq!(expiry(url).as_deref(), Some("2026-11-27T10:55:00Z"));
    }

    #[test]
    fn gcs_expiry_is_read_through_percent_encoding() {
        let url = b"url=https%3A%2F%2Fstorage.googleapis.com%2Fb%2Fo%3FX-Goog-Date%3D20261127T235959Z%26X-Goog-Expires%3D60";
        assert_eq!(expiry(url).as_deref(), Some("2026-11-28T00:00:59Z"));
    }

    #[test]
    fn azure_expiry_is_se() {
        assert_eq!(
            expiry(b"?sv=2022-11-02&se=2026-11-27T11%3A00%3A00Z&sig=x").as_deref(),
            Some("2026-11-27T11:00:00Z")
        );
        assert_eq!(
            expiry(b"?sv=2022-11-02&se=2026-12-01&sig=x").as_deref(),
            Some("2026-12-01T00:00:00Z")
        );
    }

    #[test]
    fn a_name_inside_another_is_not_the_parameter() {
        assert_eq!(param(b"?case=1&se=2", b"se"), Some(&b"2"[..]));
        assert_eq!(param(b"?case=1", b"se"), None);
        assert_eq!(param(b"{\"a\":\"x\\u0026se=3\"}", b"se"), Some(&b"3"[..]));
    }

    #[test]
    fn no_dates_no_expiry() {
        assert_eq!(expiry(b"/x?X-Amz-Signature=ab"), None);
        assert_eq!(expiry(b"/x?X-Amz-Date=garbage&X-Amz-Expires=10"), None);
    }
}
