//! Which findings a user wants to see: above `--min-severity` and `--min-confidence`, not
//! allowlisted by the config, not in the `--baseline`, and inside the `--since`/`--until` window.
//! Also gives log times without an offset the `--timezone` offset.
//!
//! It decides per finding and counts what it hides; it never reads logs or writes output.

use std::collections::HashSet;
use std::path::Path;

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use crate::config::Allowlist;
use crate::finding::{Confidence, Finding, Severity};

/// Why a finding was hidden, for the closing summary.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hidden {
    /// Below `--min-severity`.
    pub below_min_severity: u64,
    /// Below `--min-confidence`.
    pub below_min_confidence: u64,
    /// Allowlisted by the config.
    pub allowlisted: u64,
    /// In the baseline.
    pub in_baseline: u64,
    /// Outside the time window.
    pub outside_window: u64,
    /// On a line without a timestamp while a time window was set.
    pub without_time: u64,
}

/// The decision for every finding.
#[derive(Debug, Default)]
pub struct FindingFilter {
    /// Hide findings below this.
    pub min_severity: Option<Severity>,
    /// Hide findings below this confidence.
    pub min_confidence: Option<Confidence>,
    /// Known and accepted findings.
    pub allowlist: Option<Allowlist>,
    /// The fingerprints of an earlier report: the secrets it knows, whatever rule reports them now.
    pub baseline: Option<HashSet<String>>,
    /// Only findings logged at or after this.
    pub since: Option<Timestamp>,
    /// Only findings logged before this.
    pub until: Option<Timestamp>,
    /// The zone of log times written without an offset.
    pub timezone: Option<TimeZone>,
    /// Key for fingerprints.
    pub fingerprint_key: Option<Vec<u8>>,
    /// The "now" of expiry facts (`--now`, default: when the scan started).
    pub now: Option<Timestamp>,
    /// What was hidden, by reason.
    pub hidden: Hidden,
}

impl FindingFilter {
    /// Decides whether to show `finding` (fixing its timestamp's offset first).
    pub fn keep(&mut self, finding: &mut Finding) -> bool {
        if let (Some(tz), Some(time)) = (&self.timezone, &finding.record.timestamp) {
            if let Some(zoned) = apply_timezone(time, tz) {
                finding.record.timestamp = Some(zoned);
            }
        }
        self.add_expiry_facts(finding);
        if self.min_severity.is_some_and(|min| finding.severity < min) {
            self.hidden.below_min_severity += 1;
            return false;
        }
        if self
            .min_confidence
            .is_some_and(|min| finding.confidence < min)
        {
            self.hidden.below_min_confidence += 1;
            return false;
        }
        if self.since.is_some() || self.until.is_some() {
            let Some(at) = finding.record.timestamp.as_deref().and_then(parse_log_time) else {
                self.hidden.without_time += 1;
                return false;
            };
            if self.since.is_some_and(|s| at < s) || self.until.is_some_and(|u| at >= u) {
                self.hidden.outside_window += 1;
                return false;
            }
        }
        if self.allowlist.is_some() || self.baseline.is_some() {
            let fingerprint = finding.secret.fingerprint(self.fingerprint_key.as_deref());
            if self
                .allowlist
                .as_ref()
                .is_some_and(|a| a.allows(finding, &fingerprint))
            {
                self.hidden.allowlisted += 1;
                return false;
            }
            let in_baseline = self
                .baseline
                .as_ref()
                .is_some_and(|b| b.contains(&fingerprint));
            if in_baseline {
                self.hidden.in_baseline += 1;
                return false;
            }
        }
        true
    }
}

impl FindingFilter {
    /// Whether a credential with a known expiry had expired when it was logged and is expired
    /// now; one that can no longer be used is one severity lower.
    fn add_expiry_facts(&self, finding: &mut Finding) {
        let Some(expires) = finding
            .details
            .expires_at
            .as_deref()
            .and_then(parse_log_time)
        else {
            return;
        };
        if let Some(logged) = finding.record.timestamp.as_deref().and_then(parse_log_time) {
            finding.details.expired_when_logged = Some(logged >= expires);
        }
        if let Some(now) = self.now {
            let expired = now >= expires;
            finding.details.expired_now = Some(expired);
            if expired {
                finding.severity = finding.severity.lowered();
                finding.details.note.get_or_insert_with(|| {
                    "expired: it can no longer be used, so its severity is one step lower".into()
                });
            }
        }
    }
}

/// Parses a log timestamp in RFC 3339; an unknown offset (`-00:00`) counts as UTC.
pub fn parse_log_time(time: &str) -> Option<Timestamp> {
    time.parse().ok()
}

/// Rewrites a timestamp that carries no real offset (`-00:00`) with the offset of `tz` at that
/// time.
fn apply_timezone(time: &str, tz: &TimeZone) -> Option<String> {
    let civil = time.strip_suffix("-00:00")?;
    let zoned = civil
        .parse::<DateTime>()
        .ok()?
        .to_zoned_datetime(tz.clone())
        .ok()?;
    Some(zoned.strftime("%Y-%m-%dT%H:%M:%S%.f%:z").to_string())
}

/// Parses `--since`/`--until`/`--now` values: RFC 3339 (`2026-11-27T10:00:00Z`), a date or a
/// date and time without offset (in `tz`, or UTC), or — unless `now` is `None` — a time relative
/// to `now`: `30m`, `12h`, `7d`, `2w`.
pub fn parse_time(
    text: &str,
    now: Option<Timestamp>,
    tz: Option<&TimeZone>,
) -> Result<Timestamp, String> {
    let text = text.trim();
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Ok(ts);
    }
    let zone = tz.cloned().unwrap_or(TimeZone::UTC);
    if let Ok(dt) = text.parse::<DateTime>() {
        return dt
            .to_zoned_datetime(zone)
            .map(|z| z.timestamp())
            .map_err(|e| e.to_string());
    }
    if let Ok(date) = text.parse::<jiff::civil::Date>() {
        return date
            .to_zoned_datetime(zone)
            .map(|z| z.timestamp())
            .map_err(|e| e.to_string());
    }
    if let (Some(now), Some(span)) = (now, parse_span(text)) {
        return now.checked_sub(span).map_err(|e| e.to_string());
    }
    Err(format!(
        "`{text}` is not a time: use RFC 3339 (2026-11-27T10:00:00Z), a date (2026-11-27) or a relative time (30m, 12h, 7d, 2w)"
    ))
}

/// A length of time written as a number and a unit: `30s`, `30m`, `12h`, `1d`, `2w`.
pub fn parse_span(text: &str) -> Option<SignedDuration> {
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let seconds = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 604_800,
        _ => return None,
    };
    let n = number.parse::<i64>().ok()?;
    Some(SignedDuration::from_secs(n.saturating_mul(seconds)))
}

/// A time zone: an IANA name (`Europe/Berlin`, `UTC`) or a fixed offset from UTC (`+02:00`,
/// `-0530`, `+2`). The error names the text.
pub fn parse_timezone(text: &str) -> Result<TimeZone, String> {
    if let Some(offset) = parse_fixed_offset(text) {
        return Ok(TimeZone::fixed(offset));
    }
    TimeZone::get(text).map_err(|e| {
        format!("{text}: unknown time zone ({e}); give a zone name (Europe/Berlin) or an offset (+02:00)")
    })
}

/// `+HH:MM`, `+HHMM` or `+H[H]` (or `-`), at most 25 hours.
fn parse_fixed_offset(text: &str) -> Option<jiff::tz::Offset> {
    let (sign, rest) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) || rest.matches(':').count() > 1 {
        return None;
    }
    let (hours, minutes) = match digits.len() {
        1 | 2 => (digits.parse::<i32>().ok()?, 0),
        4 if rest.len() == 4 || rest.as_bytes().get(2) == Some(&b':') => (
            digits[..2].parse::<i32>().ok()?,
            digits[2..].parse::<i32>().ok()?,
        ),
        _ => return None,
    };
    if minutes >= 60 || hours > 25 {
        return None;
    }
    jiff::tz::Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).ok()
}

/// Reads the fingerprints of an earlier `json` or `jsonl` report. A baseline names secrets, not
/// rules: a secret that a newer release reports under another rule (a vendor rule instead of the
/// generic one) or with another confidence is still the known secret. A finding that records
/// another fingerprint key than `key_id` (the key of this run) refuses the baseline: its
/// fingerprints could never match. Findings written before key ids were recorded have none and
/// are taken as they are.
pub fn load_baseline(path: &Path, key_id: &str) -> Result<HashSet<String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "{}: cannot read the baseline: {}",
            path.display(),
            crate::input::describe_io_error(&e)
        )
    })?;
    let values: Vec<(usize, serde_json::Value)> = if text.trim_start().starts_with('[') {
        let array: Vec<serde_json::Value> = serde_json::from_str(&text)
            .map_err(|e| format!("{}: not a logleaks json report: {e}", path.display()))?;
        array.into_iter().map(|v| (0, v)).collect()
    } else {
        let mut values = Vec::new();
        for (n, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let value = serde_json::from_str(line).map_err(|e| {
                format!("{}:{}: not a logleaks finding: {e}", path.display(), n + 1)
            })?;
            values.push((n + 1, value));
        }
        values
    };
    let mut set = HashSet::new();
    for (line, value) in values {
        let field = |name: &str| value.get(name).and_then(|v| v.as_str()).map(str::to_string);
        if let Some(found) = field("fingerprint_key").filter(|found| found != key_id) {
            let place = if line > 0 {
                format!(":{line}")
            } else {
                String::new()
            };
            return Err(format!(
                "{}{place}: baseline {}",
                path.display(),
                crate::meta::key_mismatch(&found, key_id, "this scan")
            ));
        }
        match (field("rule"), field("fingerprint")) {
            (Some(_rule), Some(fingerprint)) => {
                set.insert(fingerprint);
            }
            _ => {
                let place = if line > 0 {
                    format!(":{line}")
                } else {
                    String::new()
                };
                return Err(format!(
                    "{}{place}: not a logleaks finding (needs \"rule\" and \"fingerprint\")",
                    path.display()
                ));
            }
        }
    }
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_facts_and_lower_severity() {
        use crate::finding::{Details, FieldName, Finding, Kind, RecordFacts, Secret};
        let mut finding = Finding {
            rule: "jwt",
            kind: Kind::AccessToken,
            severity: Severity::Medium,
            confidence: crate::finding::Confidence::Medium,
            file: crate::input::DisplayPath::new("a.log"),
            line: 1,
            column: 1,
            field: FieldName::RequestQuery,
            param: None,
            secret: Secret::new(b"x".to_vec()),
            prefix: None,
            record: RecordFacts {
                timestamp: Some("2026-11-27T10:00:00+00:00".into()),
                ..RecordFacts::default()
            },
            details: Details {
                expires_at: Some("2026-11-27T11:00:00Z".into()),
                ..Details::default()
            },
            cwe: &[],
        };
        let mut filter = FindingFilter {
            now: Some("2026-11-28T00:00:00Z".parse().unwrap()),
            ..FindingFilter::default()
        };
        assert!(filter.keep(&mut finding));
        assert_eq!(finding.details.expired_when_logged, Some(false));
        assert_eq!(finding.details.expired_now, Some(true));
        assert_eq!(finding.severity, Severity::Low);
    }

    #[test]
    fn times_in_every_accepted_form() {
        let now: Timestamp = "2026-11-27T12:00:00Z".parse().unwrap();
        let at = |s: &str| parse_time(s, Some(now), None).unwrap().to_string();
        assert_eq!(at("2026-11-27T10:00:00+02:00"), "2026-11-27T08:00:00Z");
        assert_eq!(at("2026-11-20"), "2026-11-20T00:00:00Z");
        assert_eq!(at("2026-11-20T06:30:00"), "2026-11-20T06:30:00Z");
        assert_eq!(at("7d"), "2026-11-20T12:00:00Z");
        assert_eq!(at("12h"), "2026-11-27T00:00:00Z");
        assert!(parse_time("yesterday", Some(now), None).is_err());
        assert!(parse_time("7d", None, None).is_err());
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        assert_eq!(
            parse_time("2026-11-20", None, Some(&berlin))
                .unwrap()
                .to_string(),
            "2026-11-19T23:00:00Z"
        );
    }

    #[test]
    fn unknown_offsets_take_the_timezone() {
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        assert_eq!(
            apply_timezone("2026-07-01T10:00:00-00:00", &berlin).as_deref(),
            Some("2026-07-01T10:00:00+02:00")
        );
        assert_eq!(apply_timezone("2026-07-01T10:00:00+00:00", &berlin), None);
        assert_eq!(
            parse_log_time("2026-07-01T10:00:00-00:00")
                .unwrap()
                .to_string(),
            "2026-07-01T10:00:00Z"
        );
    }

    #[test]
    fn fixed_offsets_and_zone_names_are_time_zones() {
        let at = |tz: &TimeZone| tz.to_offset(Timestamp::UNIX_EPOCH).seconds();
        assert_eq!(at(&parse_timezone("+02:00").unwrap()), 7200);
        assert_eq!(at(&parse_timezone("-0530").unwrap()), -(5 * 3600 + 30 * 60));
        assert_eq!(at(&parse_timezone("+2").unwrap()), 7200);
        assert_eq!(at(&parse_timezone("UTC").unwrap()), 0);
        assert_eq!(at(&parse_timezone("Europe/Berlin").unwrap()), 3600);
        for bad in [
            "+02:0",
            "+2:00:00",
            "+99:00",
            "+02:75",
            "Mars/Olympus",
            "+",
            "+ab",
        ] {
            let e = parse_timezone(bad).unwrap_err();
            assert!(e.contains(bad), "{e}");
        }
    }

    #[test]
    fn baselines_from_json_and_jsonl() {
        let dir = tempfile::tempdir().unwrap();
        let jsonl = dir.path().join("b.jsonl");
        std::fs::write(
            &jsonl,
            "{\"rule\":\"jwt\",\"fingerprint\":\"00112233aabbccdd\"}\n\n",
        )
        .unwrap();
        assert!(load_baseline(&jsonl, "none")
            .unwrap()
            .contains("00112233aabbccdd"));
        let json = dir.path().join("b.json");
        std::fs::write(
            &json,
            "[{\"rule\":\"jwt\",\"fingerprint\":\"00112233aabbccdd\"}]",
        )
        .unwrap();
        assert_eq!(load_baseline(&json, "none").unwrap().len(), 1);
        std::fs::write(&jsonl, "{\"rule\":\"jwt\"}\n").unwrap();
        let e = load_baseline(&jsonl, "none").unwrap_err();
        assert!(e.contains("b.jsonl:1") && e.contains("fingerprint"), "{e}");
    }
}
