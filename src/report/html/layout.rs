//! The layout data of the HTML report, before any markup: which secret to rotate first, and how
//! hourly use counts fold into the columns of a chart.
//!
//! Pure functions over a [`Summary`]; nothing here writes HTML or SVG.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use crate::summary::{ClassCounts, ClientHourly, SecretSummary, StatusClass, Text};

/// Whether a credential was still usable, from its `details` (best first when compared).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Validity {
    /// It had expired when it was logged.
    ExpiredWhenLogged,
    /// Valid when logged, expired by `--now`.
    ExpiredNow,
    /// Nothing says when it expires.
    Unknown,
    /// Still valid at `--now`.
    ValidNow,
}

impl Validity {
    /// From the `details` of the latest finding.
    pub fn of(secret: &SecretSummary) -> Validity {
        let flag = |key: &str| secret.details().get(key).and_then(|v| v.as_bool());
        match (flag("expired_when_logged"), flag("expired_now")) {
            (Some(true), _) => Validity::ExpiredWhenLogged,
            (_, Some(true)) => Validity::ExpiredNow,
            (_, Some(false)) => Validity::ValidNow,
            _ => Validity::Unknown,
        }
    }

    /// Words for a reader.
    pub fn describe(self) -> &'static str {
        match self {
            Validity::ExpiredWhenLogged => "expired when logged",
            Validity::ExpiredNow => "valid when logged, expired now",
            Validity::Unknown => "expiry unknown (assume valid)",
            Validity::ValidNow => "still valid now",
        }
    }
}

/// What the server made of the requests that carried the credential (best for an attacker
/// first when compared: accepted beats redirected beats refused).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// No status of a request carrying it (only in referers or text, or not logged).
    NoStatus,
    /// Only server errors.
    Failed,
    /// Refused (4xx), never accepted or redirected.
    Refused,
    /// Redirected (3xx, often to a login page), never accepted.
    Redirected,
    /// Accepted (2xx) at least once.
    Accepted,
}

impl Outcome {
    /// From the statuses of the requests that carried the credential.
    pub fn of(secret: &SecretSummary) -> Outcome {
        let classes: Vec<StatusClass> = secret
            .statuses()
            .keys()
            .map(|&s| StatusClass::of(s))
            .collect();
        let has = |c: StatusClass| classes.contains(&c);
        if has(StatusClass::Success) {
            Outcome::Accepted
        } else if has(StatusClass::Redirect) {
            Outcome::Redirected
        } else if has(StatusClass::ClientError) {
            Outcome::Refused
        } else if has(StatusClass::ServerError) {
            Outcome::Failed
        } else {
            Outcome::NoStatus
        }
    }

    /// Words for a reader.
    pub fn describe(self) -> &'static str {
        match self {
            Outcome::Accepted => "accepted by the server (2xx)",
            Outcome::Redirected => "redirected (3xx), never accepted",
            Outcome::Refused => "refused (4xx)",
            Outcome::Failed => "server errors only (5xx)",
            Outcome::NoStatus => "no status of its own (referer, text or unlogged)",
        }
    }
}

/// The secrets in the order to rotate them: severity, then validity, then what the server did
/// with them, then the number of distinct clients, then uses; the fingerprint breaks ties.
pub fn rotate_first<'a>(secrets: &[&'a SecretSummary]) -> Vec<&'a SecretSummary> {
    let mut list = secrets.to_vec();
    list.sort_by_cached_key(|s| {
        (
            Reverse(s.severity()),
            Reverse(Validity::of(s)),
            Reverse(Outcome::of(s)),
            Reverse(s.clients().len()),
            Reverse(s.count()),
            s.fingerprint().to_string(),
        )
    });
    list
}

/// The time axis of a chart: `bins` columns of `width` hours from hour `start` (UTC hours since
/// the epoch).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Axis {
    /// The first hour.
    pub start: i64,
    /// Hours per column.
    pub width: i64,
    /// Number of columns.
    pub bins: usize,
}

/// Column widths tried in turn, in hours: hour, 2 h, 3 h, 6 h, 12 h, day, 2 days, week.
const WIDTHS: [i64; 8] = [1, 2, 3, 6, 12, 24, 48, 168];

impl Axis {
    /// The axis covering hours `first..=last` in at most `max_bins` columns of a readable width.
    pub fn covering(first: i64, last: i64, max_bins: usize) -> Axis {
        let max_bins = max_bins.max(1) as i64;
        let last = last.max(first);
        let span = last - first + 1;
        let width = WIDTHS
            .into_iter()
            .find(|w| (span + w - 1) / w <= max_bins)
            .unwrap_or_else(|| {
                // Whole weeks, as many as needed.
                let weeks = (span + 168 * max_bins - 1) / (168 * max_bins);
                weeks * 168
            });
        // Columns start on a multiple of their width (days at midnight UTC).
        let start = first - first.rem_euclid(width);
        let bins = ((last - start) / width + 1) as usize;
        Axis { start, width, bins }
    }

    /// The column of `hour`, if on the axis.
    pub fn bin(&self, hour: i64) -> Option<usize> {
        let i = (hour - self.start).checked_div(self.width)?;
        (hour >= self.start && (i as usize) < self.bins).then_some(i as usize)
    }

    /// The first hour of column `i`.
    pub fn hour_of_bin(&self, i: usize) -> i64 {
        self.start + self.width * i as i64
    }
}

/// The hourly counts of one secret folded into the columns of `axis`.
pub fn fold(hourly: &BTreeMap<i64, ClassCounts>, axis: &Axis) -> Vec<ClassCounts> {
    let mut columns = vec![ClassCounts::default(); axis.bins];
    for (&hour, counts) in hourly {
        if let Some(i) = axis.bin(hour) {
            for (sum, n) in columns[i].iter_mut().zip(counts) {
                *sum = sum.saturating_add(*n);
            }
        }
    }
    columns
}

/// One row of a secret's chart of requests over time by client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientSeries {
    /// The client, or `None` for every other client together.
    pub client: Option<Text>,
    /// How many clients the row stands for (1, or the number of other clients).
    pub clients: usize,
    /// Uses per column of the axis.
    pub columns: Vec<u64>,
}

impl ClientSeries {
    /// Uses in all columns.
    pub fn total(&self) -> u64 {
        self.columns.iter().fold(0, |sum, n| sum.saturating_add(*n))
    }
}

/// The `n` clients with the most timed uses (ties in client order), each with its uses per
/// column of `axis`, then one row for all the other clients when there are any.
pub fn client_series(by_client: &ClientHourly, axis: &Axis, n: usize) -> Vec<ClientSeries> {
    let fold_hours = |hours: &BTreeMap<i64, u64>, columns: &mut Vec<u64>| {
        for (&hour, &uses) in hours {
            if let Some(i) = axis.bin(hour) {
                columns[i] = columns[i].saturating_add(uses);
            }
        }
    };
    let totals: BTreeMap<&Text, u64> = by_client
        .iter()
        .map(|(client, hours)| {
            (
                client,
                hours.values().fold(0u64, |a, b| a.saturating_add(*b)),
            )
        })
        .collect();
    let chosen = top(&totals, n);
    let mut rows: Vec<ClientSeries> = chosen
        .iter()
        .map(|(client, _)| {
            let mut columns = vec![0; axis.bins];
            fold_hours(&by_client[*client], &mut columns);
            ClientSeries {
                client: Some((*client).clone()),
                clients: 1,
                columns,
            }
        })
        .collect();
    let others = by_client.len() - chosen.len();
    if others > 0 {
        let mut columns = vec![0; axis.bins];
        for (client, hours) in by_client {
            if !chosen.iter().any(|(c, _)| *c == client) {
                fold_hours(hours, &mut columns);
            }
        }
        rows.push(ClientSeries {
            client: None,
            clients: others,
            columns,
        });
    }
    rows
}

/// The first and last hour any of `secrets` was used in.
pub fn hour_range<'a>(secrets: impl IntoIterator<Item = &'a SecretSummary>) -> Option<(i64, i64)> {
    secrets
        .into_iter()
        .filter_map(|s| {
            let first = *s.hourly().keys().next()?;
            let last = *s.hourly().keys().next_back()?;
            Some((first, last))
        })
        .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)))
}

/// The class a column is coloured by: the one that matters most to a responder that is present
/// (accepted, then redirected, refused, failed, none).
pub fn leading_class(counts: &ClassCounts) -> Option<StatusClass> {
    StatusClass::ALL
        .into_iter()
        .zip(counts)
        .find(|(_, &n)| n > 0)
        .map(|(c, _)| c)
}

/// The `n` largest entries of `counts`, largest first (ties in key order).
pub fn top<K: Clone + Ord>(counts: &BTreeMap<K, u64>, n: usize) -> Vec<(K, u64)> {
    let mut list: Vec<(K, u64)> = counts.iter().map(|(k, &v)| (k.clone(), v)).collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    list.truncate(n);
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summary::Summary;
    use serde_json::json;

    fn secret(
        fp: &str,
        severity: &str,
        statuses: &[u16],
        clients: usize,
        details: serde_json::Value,
    ) -> Summary {
        let mut summary = Summary::default();
        for (i, status) in statuses.iter().enumerate() {
            summary
                .add_value(&json!({
                    "rule": "r", "kind": "api_key", "severity": severity, "file": "a.log",
                    "line": 1, "column": 1, "field": "request.query", "secret": "…x",
                    "fingerprint": fp, "timestamp": "2025-11-27T10:00:00Z",
                    "client": format!("192.0.2.{}", i % clients.max(1)), "status": status,
                    "details": details,
                }))
                .unwrap();
        }
        summary
    }

    fn ranked(parts: Vec<Summary>) -> Vec<String> {
        let mut all = Summary::default();
        for p in parts {
            all.merge(p);
        }
        rotate_first(&all.sorted())
            .iter()
            .map(|s| s.fingerprint().to_string())
            .collect()
    }

    #[test]
    fn rotate_first_ranks_severity_validity_outcome_then_clients() {
        let order = ranked(vec![
            secret("refused", "high", &[403, 403], 2, json!({})),
            secret("redirected", "high", &[302], 1, json!({})),
            secret("accepted", "high", &[200, 403], 1, json!({})),
            secret("accepted-many", "high", &[200, 200, 200], 3, json!({})),
            secret(
                "expired",
                "high",
                &[200],
                5,
                json!({"expired_when_logged": true}),
            ),
            secret("valid", "high", &[403], 1, json!({"expired_now": false})),
            secret("critical", "critical", &[404], 1, json!({})),
            secret("low", "low", &[200], 9, json!({})),
        ]);
        assert_eq!(
            order,
            [
                "critical",
                "valid",
                "accepted-many",
                "accepted",
                "redirected",
                "refused",
                "expired",
                "low"
            ]
        );
    }

    #[test]
    fn axes_pick_a_readable_column_width_and_cover_every_hour() {
        // Ten hours fit in hourly columns.
        assert_eq!(
            Axis::covering(100, 109, 48),
            Axis {
                start: 100,
                width: 1,
                bins: 10
            }
        );
        // Three days in 48 columns: 2-hour columns starting on an even hour.
        let a = Axis::covering(101, 101 + 71, 48);
        assert_eq!((a.start, a.width, a.bins), (100, 2, 37));
        // Two years in 60 columns: whole weeks.
        let a = Axis::covering(0, 2 * 8760, 60);
        assert_eq!(a.width % 168, 0);
        assert!(a.bins <= 60, "{a:?}");
        for hour in [0, 17, 8760, 2 * 8760] {
            let i = a.bin(hour).unwrap();
            assert!(a.hour_of_bin(i) <= hour && hour < a.hour_of_bin(i) + a.width);
        }
        assert_eq!(a.bin(-1), None);
        // One hour.
        assert_eq!(Axis::covering(5, 5, 10).bins, 1);
    }

    #[test]
    fn folding_keeps_every_count() {
        let hourly = BTreeMap::from([
            (100, [1, 0, 2, 0, 0]),
            (101, [3, 1, 0, 0, 4]),
            (130, [0, 0, 0, 5, 0]),
        ]);
        let axis = Axis::covering(100, 130, 4);
        let columns = fold(&hourly, &axis);
        assert_eq!(columns.len(), axis.bins);
        let total: u64 = columns.iter().flatten().sum();
        assert_eq!(total, 16);
        assert_eq!(columns[axis.bin(100).unwrap()], [4, 1, 2, 0, 4]);
        assert_eq!(
            leading_class(&[0, 0, 2, 1, 0]),
            Some(StatusClass::ClientError)
        );
        assert_eq!(leading_class(&[0; 5]), None);
    }

    #[test]
    fn client_series_keep_the_top_clients_and_sum_the_others() {
        let text = |s: &str| Text::Str(s.into());
        let by_client: ClientHourly = BTreeMap::from([
            (text("a"), BTreeMap::from([(100, 1), (101, 1)])),
            (text("b"), BTreeMap::from([(100, 5)])),
            (text("c"), BTreeMap::from([(103, 2)])),
            (text("d"), BTreeMap::from([(102, 1), (103, 1)])),
            (text("e"), BTreeMap::from([(90, 4)])), // before the axis: left out
        ]);
        let axis = Axis::covering(100, 103, 2);
        assert_eq!((axis.start, axis.width, axis.bins), (100, 2, 2));
        let rows = client_series(&by_client, &axis, 2);
        // b (5), then e (4, off the axis), then a, c and d (2 each) tied in client order.
        let rows: Vec<(Option<Text>, usize, Vec<u64>)> = rows
            .into_iter()
            .map(|r| (r.client, r.clients, r.columns))
            .collect();
        assert_eq!(
            rows,
            [
                (Some(text("b")), 1, vec![5, 0]),
                (Some(text("e")), 1, vec![0, 0]),
                (None, 3, vec![2, 4]),
            ]
        );
        // With room for every client there is no row of others.
        let all = client_series(&by_client, &axis, 10);
        assert_eq!(all.len(), 5);
        assert!(all.iter().all(|r| r.client.is_some()));
        assert_eq!(all.iter().map(ClientSeries::total).sum::<u64>(), 11);
        assert!(client_series(&ClientHourly::new(), &axis, 5).is_empty());
    }

    #[test]
    fn top_takes_the_largest_with_ties_in_key_order() {
        let counts = BTreeMap::from([("b", 2), ("a", 2), ("c", 5), ("d", 1)]);
        assert_eq!(top(&counts, 3), [("c", 5), ("a", 2), ("b", 2)]);
    }
}
