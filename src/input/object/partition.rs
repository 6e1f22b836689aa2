//! Narrowing a date-partitioned listing to `--since`/`--until` before it is listed: ALB, ELB,
//! WAF and most delivery pipelines write `…/YYYY/MM/DD/` (also `…/YYYY/MM/DD/HH/` and
//! `dt=YYYY-MM-DD/`), CloudFront writes `DISTRIBUTION.YYYY-MM-DD-HH.ID.gz` into one prefix.
//!
//! A partition's time span is widened by `--partition-slack` on both sides (logs arrive late
//! and a file may hold lines from before its partition), and the partition is skipped only when
//! that span misses the window. The scan still checks every line against the window: this
//! only saves listing and reading. Nothing here talks to a store.

use jiff::civil::{Date, DateTime};
use jiff::{SignedDuration, Timestamp};

/// A time window with the slack a partition is given.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Window {
    /// Lines at or after this time (`--since`).
    pub since: Option<Timestamp>,
    /// Lines before this time (`--until`).
    pub until: Option<Timestamp>,
    /// How far outside its nominal span a partition may hold lines.
    pub slack: SignedDuration,
}

impl Window {
    /// True when lines of the span `[start, end)` (UTC), widened by the slack, can fall in the
    /// window.
    fn overlaps(&self, start: Timestamp, end: Timestamp) -> bool {
        let start = start.checked_sub(self.slack).unwrap_or(start);
        let end = end.checked_add(self.slack).unwrap_or(end);
        self.since.is_none_or(|since| end > since) && self.until.is_none_or(|until| start < until)
    }

    /// False when the directory `dir` (a key prefix, without a trailing `/`) is a date
    /// partition whose span misses the window; true otherwise (not a partition: look inside).
    pub fn may_hold(&self, dir: &str) -> bool {
        match dir_span(dir) {
            Some((start, end)) => self.overlaps(start, end),
            None => true,
        }
    }

    /// False when the object named `key` carries its hour in its name (CloudFront) and that
    /// hour misses the window.
    pub fn may_hold_object(&self, key: &str) -> bool {
        let name = key.rsplit('/').next().unwrap_or(key);
        match cloudfront_hour(name) {
            Some(start) => self.overlaps(start, start + SignedDuration::from_hours(1)),
            None => true,
        }
    }
}

/// The UTC span of a date-partition directory: the last components of `dir` read as
/// `YYYY`, `YYYY/MM`, `YYYY/MM/DD`, `YYYY/MM/DD/HH`, or `dt=YYYY-MM-DD` (`date=`, `day=`). A
/// folder `YYYY` alone counts only for years 2000 to 2100 (`port/8080` is not a year).
fn dir_span(dir: &str) -> Option<(Timestamp, Timestamp)> {
    let parts: Vec<&str> = dir.trim_end_matches('/').rsplit('/').take(4).collect();
    // parts[0] is the last component.
    let number = |s: &str, len: usize| -> Option<i16> {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let last = *parts.first()?;
    if let Some((_, value)) = last.split_once('=') {
        let date: Date = value.get(..10)?.parse().ok()?;
        return day_span(date, 1);
    }
    let year_at = |i: usize| parts.get(i).and_then(|p| number(p, 4));
    let two_at = |i: usize| parts.get(i).and_then(|p| number(p, 2));
    // Try the longest shape first: …/YYYY/MM/DD/HH.
    if let (Some(y), Some(m), Some(d), Some(h)) = (year_at(3), two_at(2), two_at(1), two_at(0)) {
        let start = DateTime::new(y, m as i8, d as i8, h as i8, 0, 0, 0).ok()?;
        let start = start
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .ok()?
            .timestamp();
        return Some((start, start + SignedDuration::from_hours(1)));
    }
    if let (Some(y), Some(m), Some(d)) = (year_at(2), two_at(1), two_at(0)) {
        return day_span(Date::new(y, m as i8, d as i8).ok()?, 1);
    }
    if let (Some(y), Some(m)) = (year_at(1), two_at(0)) {
        let first = Date::new(y, m as i8, 1).ok()?;
        return day_span(first, i64::from(first.days_in_month()));
    }
    // A folder of four digits alone is a year only when it is a plausible one.
    let y = year_at(0).filter(|y| (2000..=2100).contains(y))?;
    let first = Date::new(y, 1, 1).ok()?;
    day_span(first, i64::from(first.days_in_year()))
}

/// `days` days from the start of `first`, in UTC.
fn day_span(first: Date, days: i64) -> Option<(Timestamp, Timestamp)> {
    let start = first
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .ok()?
        .timestamp();
    Some((start, start + SignedDuration::from_hours(24 * days)))
}

/// The hour a CloudFront log file name says it covers: `DIST.YYYY-MM-DD-HH.UNIQUE[.gz]`.
fn cloudfront_hour(name: &str) -> Option<Timestamp> {
    let mut fields = name.split('.');
    let distribution = fields.next()?;
    let stamp = fields.next()?;
    fields.next()?;
    let plausible = !distribution.is_empty()
        && distribution
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if !plausible || stamp.len() != 13 || stamp.as_bytes()[10] != b'-' {
        return None;
    }
    let date: Date = stamp[..10].parse().ok()?;
    let hour: i8 = stamp[11..].parse().ok()?;
    let start = date
        .at(hour, 0, 0, 0)
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .ok()?;
    Some(start.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(since: &str, until: &str, slack_hours: i64) -> Window {
        Window {
            since: Some(since.parse().unwrap()),
            until: Some(until.parse().unwrap()),
            slack: SignedDuration::from_hours(slack_hours),
        }
    }

    #[test]
    fn date_directories_outside_the_window_and_its_slack_are_skipped() {
        let w = window("2026-11-20T00:00:00Z", "2026-11-27T00:00:00Z", 24);
        let alb = "AWSLogs/123456789012/elasticloadbalancing/eu-west-1";
        for (dir, holds) in [
            (format!("{alb}/2026"), true),
            (format!("{alb}/2025"), false),
            (format!("{alb}/2026/11"), true),
            (format!("{alb}/2026/10"), false),
            (format!("{alb}/2026/11/20"), true),
            // The day before the window is within a day of slack; two days before is not.
            (format!("{alb}/2026/11/19"), true),
            (format!("{alb}/2026/11/18"), false),
            (format!("{alb}/2026/11/27"), true),
            (format!("{alb}/2026/11/28"), false),
            (format!("{alb}/2026/11/28/23"), false),
            ("logs/dt=2026-11-22".to_string(), true),
            ("logs/dt=2026-12-22".to_string(), false),
            (alb.to_string(), true),
            ("AWSLogs/123456789012".to_string(), true),
        ] {
            assert_eq!(w.may_hold(&dir), holds, "{dir}");
        }
        let tight = window("2026-11-20T00:00:00Z", "2026-11-27T00:00:00Z", 0);
        assert!(!tight.may_hold(&format!("{alb}/2026/11/19")));
    }

    #[test]
    fn cloudfront_file_names_give_their_hour() {
        let w = window("2026-11-20T10:00:00Z", "2026-11-20T12:00:00Z", 2);
        for (key, holds) in [
            ("cf/E2K2LNL5N3WR51.2026-11-20-11.a1b2c3d4.gz", true),
            ("cf/E2K2LNL5N3WR51.2026-11-20-08.a1b2c3d4.gz", true),
            ("cf/E2K2LNL5N3WR51.2026-11-20-07.a1b2c3d4.gz", false),
            ("cf/E2K2LNL5N3WR51.2026-11-20-14.a1b2c3d4.gz", false),
            ("cf/access.log.2026-11-20-07.gz", true),
            ("cf/notes.txt", true),
        ] {
            assert_eq!(w.may_hold_object(key), holds, "{key}");
        }
    }

    #[test]
    fn an_open_window_keeps_everything_on_its_open_side() {
        let w = Window {
            since: Some("2026-11-20T00:00:00Z".parse().unwrap()),
            until: None,
            slack: SignedDuration::ZERO,
        };
        assert!(w.may_hold("x/2030/01/01"));
        assert!(!w.may_hold("x/2026/11/19"));
    }
}
