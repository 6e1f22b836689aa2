//! Log timestamps, turned into RFC 3339 only when a finding needs one.
//!
//! Parsers only note where a timestamp is and which syntax it has; the bytes are read here, and
//! only for lines with findings. A time without an offset keeps it unknown (`-00:00`), so that
//! `--timezone` can place it later.

/// The syntax of a timestamp field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeSyntax {
    /// `10/Oct/2000:13:55:36 -0700` (Apache/nginx `%t`, `$time_local`; HAProxy and S3 too).
    Clf,
    /// ISO 8601 / RFC 3339: `2026-11-27T10:00:00.123Z`, `2026-11-27 10:00:00+01:00`; no offset
    /// means unknown.
    Iso8601,
    /// W3C extended `date time` (IIS, CloudFront): `2026-11-27 10:00:00`, always UTC.
    W3cUtc,
    /// Apache `error_log`: `Wed Oct 11 14:32:52.123456 2000` (local time).
    ApacheError,
    /// nginx `error.log`: `2026/11/27 10:00:00` (local time).
    NginxError,
    /// Syslog (RFC 3164): `Nov 27 10:00:00`, local time of an unstated year (the most recent
    /// such date that is not more than a day ahead of now).
    Syslog,
    /// Seconds, milliseconds, microseconds or nanoseconds since 1970 (by the number of digits),
    /// optionally with a fraction: `1700759035.6624935`, `1712790000123000000`.
    Epoch,
}

const MONTHS: [&[u8; 3]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];

const DAYS: [&[u8; 3]; 7] = [b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat", b"Sun"];

/// An offset as written in the log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Offset {
    /// Not given.
    Unknown,
    /// `±hh:mm`.
    Fixed(u8, u8, u8),
}

/// A broken-down time read from a log, before formatting.
#[derive(Debug, Default)]
struct Civil<'a> {
    year: i32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    fraction: &'a [u8],
}

impl Civil<'_> {
    fn valid(&self) -> bool {
        (1..=12).contains(&self.month)
            && (1..=31).contains(&self.day)
            && self.hour <= 23
            && self.minute <= 59
            && self.second <= 60
            && (0..=9999).contains(&self.year)
    }

    fn format(&self, offset: Offset) -> Option<String> {
        if !self.valid() {
            return None;
        }
        let mut out = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        );
        if !self.fraction.is_empty() {
            out.push('.');
            out.push_str(std::str::from_utf8(self.fraction).ok()?);
        }
        match offset {
            Offset::Unknown => out.push_str("-00:00"),
            Offset::Fixed(sign, h, m) => {
                out.push(sign as char);
                out.push_str(&format!("{h:02}:{m:02}"));
            }
        }
        Some(out)
    }
}

/// Formats a raw timestamp as RFC 3339 (`2000-10-10T13:55:36-07:00`); a time without an offset
/// gets `-00:00` (unknown offset). `None` when the bytes are not a valid timestamp.
pub fn format_timestamp(syntax: TimeSyntax, raw: &[u8]) -> Option<String> {
    match syntax {
        TimeSyntax::Clf => format_clf(raw),
        TimeSyntax::Iso8601 => format_iso(raw, Offset::Unknown),
        TimeSyntax::W3cUtc => format_iso(raw, Offset::Fixed(b'+', 0, 0)),
        TimeSyntax::ApacheError => format_apache_error(raw),
        TimeSyntax::NginxError => format_nginx_error(raw),
        TimeSyntax::Syslog => format_syslog(raw, jiff::Timestamp::now()),
        TimeSyntax::Epoch => format_epoch(raw),
    }
}

/// A fixed-width run of digits; `None` when it is not one or its value does not fit a `u32`.
fn digits(raw: &[u8], range: std::ops::Range<usize>) -> Option<u32> {
    let part = raw.get(range)?;
    if part.is_empty() || !part.iter().all(u8::is_ascii_digit) {
        return None;
    }
    part.iter().try_fold(0u32, |n, &b| {
        n.checked_mul(10)?.checked_add(u32::from(b - b'0'))
    })
}

fn month(raw: &[u8]) -> Option<u32> {
    MONTHS
        .iter()
        .position(|m| raw.eq_ignore_ascii_case(&m[..]))
        .map(|i| i as u32 + 1)
}

/// `.123` at the start of `rest`: the digits and what follows them.
fn fraction(rest: &[u8]) -> (&[u8], &[u8]) {
    match rest.strip_prefix(b".").or_else(|| rest.strip_prefix(b",")) {
        Some(r) => {
            let n = r.iter().take_while(|b| b.is_ascii_digit()).count();
            (&r[..n], &r[n..])
        }
        None => (&[], rest),
    }
}

/// `Z`, `+hh:mm`, `+hhmm`, `+hh` (optionally after spaces); `Unknown` for nothing.
fn offset(rest: &[u8], default: Offset) -> Option<Offset> {
    let rest = rest.trim_ascii_start();
    match rest {
        [] => Some(default),
        [b'Z' | b'z', ..] => Some(Offset::Fixed(b'+', 0, 0)),
        [sign @ (b'+' | b'-'), more @ ..] => {
            let h = digits(more, 0..2)?;
            let m = match more.get(2) {
                Some(b':') => digits(more, 3..5)?,
                Some(b) if b.is_ascii_digit() => digits(more, 2..4)?,
                _ => 0,
            };
            if h > 23 || m > 59 {
                return None;
            }
            Some(Offset::Fixed(*sign, h as u8, m as u8))
        }
        _ => Some(default),
    }
}

fn format_clf(raw: &[u8]) -> Option<String> {
    // 10/Oct/2000:13:55:36 -0700
    if raw.len() < 20 || raw[2] != b'/' || raw[6] != b'/' || raw[11] != b':' || raw[14] != b':' {
        return None;
    }
    if raw[17] != b':' {
        return None;
    }
    let (frac, after) = fraction(&raw[20..]);
    let civil = Civil {
        day: digits(raw, 0..2)?,
        month: month(&raw[3..6])?,
        year: digits(raw, 7..11)? as i32,
        hour: digits(raw, 12..14)?,
        minute: digits(raw, 15..17)?,
        second: digits(raw, 18..20)?,
        fraction: frac,
    };
    // ModSecurity writes `--0400` for a negative offset.
    let after = match after {
        [b' ', b'-', b'-', more @ ..] => &raw[raw.len() - more.len() - 1..],
        _ => after,
    };
    civil.format(offset(after, Offset::Unknown)?)
}

fn format_iso(raw: &[u8], default: Offset) -> Option<String> {
    // 2026-11-27T10:00:00.123Z, 2026-11-27 10:00:00, 2026-11-27\t10:00:00
    if raw.len() < 19 || raw[4] != b'-' || raw[7] != b'-' {
        return None;
    }
    let mut t = 10;
    while matches!(raw.get(t), Some(b' ' | b'\t')) {
        t += 1;
    }
    if t == 10 && matches!(raw.get(10), Some(b'T' | b't')) {
        t = 11;
    } else if t == 10 {
        return None;
    }
    if raw.get(t + 2) != Some(&b':') || raw.get(t + 5) != Some(&b':') {
        return None;
    }
    let (frac, after) = fraction(raw.get(t + 8..)?);
    let civil = Civil {
        year: digits(raw, 0..4)? as i32,
        month: digits(raw, 5..7)?,
        day: digits(raw, 8..10)?,
        hour: digits(raw, t..t + 2)?,
        minute: digits(raw, t + 3..t + 5)?,
        second: digits(raw, t + 6..t + 8)?,
        fraction: frac,
    };
    civil.format(offset(after, default)?)
}

fn format_apache_error(raw: &[u8]) -> Option<String> {
    // Wed Oct 11 14:32:52.123456 2000 (the day of the month may be space-padded)
    let mut parts = raw.split(|&b| b == b' ').filter(|p| !p.is_empty());
    let weekday = parts.next()?;
    if !DAYS.iter().any(|d| weekday.eq_ignore_ascii_case(&d[..])) {
        return None;
    }
    let month = month(parts.next()?)?;
    let day = parts.next()?;
    let time = parts.next()?;
    let year = parts.next()?;
    if time.len() < 8 || time[2] != b':' || time[5] != b':' {
        return None;
    }
    let (frac, after) = fraction(&time[8..]);
    if !after.is_empty() {
        return None;
    }
    Civil {
        year: digits(year, 0..year.len())? as i32,
        month,
        day: digits(day, 0..day.len())?,
        hour: digits(time, 0..2)?,
        minute: digits(time, 3..5)?,
        second: digits(time, 6..8)?,
        fraction: frac,
    }
    .format(Offset::Unknown)
}

fn format_nginx_error(raw: &[u8]) -> Option<String> {
    // 2026/11/27 10:00:00
    if raw.len() < 19 || raw[4] != b'/' || raw[7] != b'/' || raw[10] != b' ' {
        return None;
    }
    if raw[13] != b':' || raw[16] != b':' {
        return None;
    }
    Civil {
        year: digits(raw, 0..4)? as i32,
        month: digits(raw, 5..7)?,
        day: digits(raw, 8..10)?,
        hour: digits(raw, 11..13)?,
        minute: digits(raw, 14..16)?,
        second: digits(raw, 17..19)?,
        fraction: &[],
    }
    .format(Offset::Unknown)
}

fn format_syslog(raw: &[u8], now: jiff::Timestamp) -> Option<String> {
    // Nov 27 10:00:00, Nov  7 10:00:00, Nov 27 10:00:00.123
    let month = month(raw.get(0..3)?)?;
    let rest = raw.get(3..)?.trim_ascii_start();
    let day_len = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    let day = digits(rest, 0..day_len)?;
    let time = rest.get(day_len..)?.trim_ascii_start();
    if time.len() < 8 || time[2] != b':' || time[5] != b':' {
        return None;
    }
    let (frac, after) = fraction(&time[8..]);
    if !after.trim_ascii().is_empty() {
        return None;
    }
    let today = now.to_zoned_datetime(jiff::tz::TimeZone::UTC).date();
    let mut civil = Civil {
        year: i32::from(today.year()),
        month,
        day,
        hour: digits(time, 0..2)?,
        minute: digits(time, 3..5)?,
        second: digits(time, 6..8)?,
        fraction: frac,
    };
    // A date more than a day ahead of today was logged last year.
    let ahead = (civil.month, civil.day) > (today.month() as u32, today.day() as u32 + 1);
    if ahead {
        civil.year -= 1;
    }
    civil.format(Offset::Unknown)
}

fn format_epoch(raw: &[u8]) -> Option<String> {
    let raw = raw.trim_ascii();
    let int_len = raw.iter().take_while(|b| b.is_ascii_digit()).count();
    if int_len == 0 {
        return None;
    }
    let (frac, after) = fraction(&raw[int_len..]);
    if !after.is_empty() {
        return None;
    }
    let int: i128 = std::str::from_utf8(&raw[..int_len]).ok()?.parse().ok()?;
    // The unit follows from the magnitude: seconds until year 5138, then ms, µs, ns.
    let nanos_per_unit: i128 = match int_len {
        0..=11 => 1_000_000_000,
        12..=14 => 1_000_000,
        15..=17 => 1_000,
        _ => 1,
    };
    let mut nanos = int.checked_mul(nanos_per_unit)?;
    let mut scale = nanos_per_unit;
    for &d in frac.iter().take(9) {
        scale /= 10;
        nanos += i128::from(d - b'0') * scale;
    }
    let ts = jiff::Timestamp::from_nanosecond(nanos).ok()?;
    let dt = ts.to_zoned_datetime(jiff::tz::TimeZone::UTC).datetime();
    let mut out = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    );
    let sub = dt.subsec_nanosecond();
    if sub != 0 {
        let digits = format!("{sub:09}");
        out.push('.');
        out.push_str(digits.trim_end_matches('0'));
    }
    out.push_str("+00:00");
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(syntax: TimeSyntax, raw: &str) -> Option<String> {
        format_timestamp(syntax, raw.as_bytes())
    }

    /// Found by fuzzing: a year (or day) of more digits than a `u32` holds overflowed.
    #[test]
    fn digit_runs_too_long_for_a_number_are_not_a_time() {
        assert_eq!(
            f(
                TimeSyntax::ApacheError,
                "Thu Nov 27 10:00:01.104233 2026999999999999"
            ),
            None
        );
        assert_eq!(
            f(TimeSyntax::ApacheError, "Thu Nov 99999999999 10:00:01 2026"),
            None
        );
        assert_eq!(
            f(TimeSyntax::ApacheError, "Thu Nov 27 10:00:01 2026").as_deref(),
            Some("2026-11-27T10:00:01-00:00")
        );
    }

    #[test]
    fn clf_to_rfc3339() {
        assert_eq!(
            f(TimeSyntax::Clf, "10/Oct/2000:13:55:36 -0700").as_deref(),
            Some("2000-10-10T13:55:36-07:00")
        );
        assert_eq!(
            f(TimeSyntax::Clf, "27/Nov/2026:10:00:00 +0000").as_deref(),
            Some("2026-11-27T10:00:00+00:00")
        );
        assert_eq!(
            f(TimeSyntax::Clf, "27/Nov/2026:10:00:00").as_deref(),
            Some("2026-11-27T10:00:00-00:00")
        );
        assert_eq!(
            f(TimeSyntax::Clf, "27/Nov/2026:10:00:00.123 +0200").as_deref(),
            Some("2026-11-27T10:00:00.123+02:00")
        );
        assert_eq!(
            f(TimeSyntax::Clf, "07/Jun/2023:17:45:31 --0400").as_deref(),
            Some("2023-06-07T17:45:31-04:00")
        );
        assert_eq!(f(TimeSyntax::Clf, "99/Foo/2026:10:00:00 +0000"), None);
        assert_eq!(f(TimeSyntax::Clf, "short"), None);
    }

    #[test]
    fn iso_and_w3c() {
        assert_eq!(
            f(TimeSyntax::Iso8601, "2026-11-27T10:00:00.1Z").as_deref(),
            Some("2026-11-27T10:00:00.1+00:00")
        );
        assert_eq!(
            f(TimeSyntax::Iso8601, "2025-12-31T17:40:00.000000100+01:00").as_deref(),
            Some("2025-12-31T17:40:00.000000100+01:00")
        );
        assert_eq!(
            f(TimeSyntax::Iso8601, "2026-11-27 10:00:00").as_deref(),
            Some("2026-11-27T10:00:00-00:00")
        );
        assert_eq!(
            f(TimeSyntax::W3cUtc, "2026-11-27 10:00:00").as_deref(),
            Some("2026-11-27T10:00:00+00:00")
        );
        assert_eq!(
            f(TimeSyntax::W3cUtc, "2014-05-23\t01:13:11").as_deref(),
            Some("2014-05-23T01:13:11+00:00")
        );
        assert_eq!(f(TimeSyntax::Iso8601, "2026-13-27T10:00:00Z"), None);
        assert_eq!(f(TimeSyntax::Iso8601, "2026-11-27X10:00:00Z"), None);
    }

    #[test]
    fn error_log_times() {
        assert_eq!(
            f(TimeSyntax::ApacheError, "Wed Oct 11 14:32:52.123456 2000").as_deref(),
            Some("2000-10-11T14:32:52.123456-00:00")
        );
        assert_eq!(
            f(TimeSyntax::ApacheError, "Sun Dec 04 04:47:44 2005").as_deref(),
            Some("2005-12-04T04:47:44-00:00")
        );
        assert_eq!(
            f(TimeSyntax::NginxError, "2026/11/27 10:00:00").as_deref(),
            Some("2026-11-27T10:00:00-00:00")
        );
        assert_eq!(f(TimeSyntax::ApacheError, "Xyz Dec 04 04:47:44 2005"), None);
    }

    #[test]
    fn syslog_year_is_the_latest_not_in_the_future() {
        let now: jiff::Timestamp = "2026-03-01T00:00:00Z".parse().unwrap();
        assert_eq!(
            format_syslog(b"Feb 27 10:00:00", now).as_deref(),
            Some("2026-02-27T10:00:00-00:00")
        );
        assert_eq!(
            format_syslog(b"Nov  7 10:00:00", now).as_deref(),
            Some("2025-11-07T10:00:00-00:00")
        );
        assert_eq!(format_syslog(b"Nov 7 25:00:00", now), None);
    }

    #[test]
    fn epochs_by_magnitude() {
        assert_eq!(
            f(TimeSyntax::Epoch, "1700759035.6624935").as_deref(),
            Some("2023-11-23T17:03:55.6624935+00:00")
        );
        assert_eq!(
            f(TimeSyntax::Epoch, "1712790000123").as_deref(),
            Some("2024-04-10T23:00:00.123+00:00")
        );
        assert_eq!(
            f(TimeSyntax::Epoch, "1712790000123000000").as_deref(),
            Some("2024-04-10T23:00:00.123+00:00")
        );
        assert_eq!(
            f(TimeSyntax::Epoch, "1386543323.000").as_deref(),
            Some("2013-12-08T22:55:23+00:00")
        );
        assert_eq!(f(TimeSyntax::Epoch, "12ab"), None);
    }
}
