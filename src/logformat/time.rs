//! Log timestamps, turned into RFC 3339 only when a finding needs one.

/// The syntax of a timestamp field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeSyntax {
    /// `10/Oct/2000:13:55:36 -0700` (Apache/nginx `%t`, `$time_local`).
    Clf,
}

const MONTHS: [&[u8; 3]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];

/// Formats a raw timestamp as RFC 3339 (`2000-10-10T13:55:36-07:00`); a time without an offset
/// gets `-00:00` (unknown offset). `None` when the bytes are not a valid timestamp.
pub fn format_timestamp(syntax: TimeSyntax, raw: &[u8]) -> Option<String> {
    match syntax {
        TimeSyntax::Clf => format_clf(raw),
    }
}

fn format_clf(raw: &[u8]) -> Option<String> {
    // 10/Oct/2000:13:55:36 -0700
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = raw.get(r)?;
        if part.iter().all(u8::is_ascii_digit) {
            std::str::from_utf8(part).ok()?.parse().ok()
        } else {
            None
        }
    };
    if raw.len() < 20
        || raw[2] != b'/'
        || raw[6] != b'/'
        || raw[11] != b':'
        || raw[14] != b':'
        || raw[17] != b':'
    {
        return None;
    }
    let day = digits(0..2)?;
    let month = MONTHS.iter().position(|m| raw[3..6] == m[..])? + 1;
    let year = digits(7..11)?;
    let (hour, minute, second) = (digits(12..14)?, digits(15..17)?, digits(18..20)?);
    if !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut out = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}");
    let rest = &raw[20..];
    let fraction = rest.strip_prefix(b".").map(|r| {
        let n = r.iter().take_while(|b| b.is_ascii_digit()).count();
        &r[..n]
    });
    let mut after = rest;
    if let Some(frac) = fraction.filter(|f| !f.is_empty()) {
        out.push('.');
        out.push_str(std::str::from_utf8(frac).ok()?);
        after = &rest[1 + frac.len()..];
    }
    match after {
        [b' ', sign @ (b'+' | b'-'), h1, h2, m1, m2, ..]
            if [h1, h2, m1, m2].iter().all(|b| b.is_ascii_digit()) =>
        {
            out.push(*sign as char);
            out.push_str(std::str::from_utf8(&[*h1, *h2, b':', *m1, *m2]).ok()?);
        }
        _ => out.push_str("-00:00"),
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clf_to_rfc3339() {
        assert_eq!(
            format_timestamp(TimeSyntax::Clf, b"10/Oct/2000:13:55:36 -0700").as_deref(),
            Some("2000-10-10T13:55:36-07:00")
        );
        assert_eq!(
            format_timestamp(TimeSyntax::Clf, b"27/Nov/2026:10:00:00 +0000").as_deref(),
            Some("2026-11-27T10:00:00+00:00")
        );
        assert_eq!(
            format_timestamp(TimeSyntax::Clf, b"27/Nov/2026:10:00:00").as_deref(),
            Some("2026-11-27T10:00:00-00:00")
        );
        assert_eq!(
            format_timestamp(TimeSyntax::Clf, b"27/Nov/2026:10:00:00.123 +0200").as_deref(),
            Some("2026-11-27T10:00:00.123+02:00")
        );
        assert_eq!(
            format_timestamp(TimeSyntax::Clf, b"99/Foo/2026:10:00:00 +0000"),
            None
        );
        assert_eq!(format_timestamp(TimeSyntax::Clf, b"short"), None);
    }
}
