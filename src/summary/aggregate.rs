//! What the findings of one secret add up to, and how two such sums merge.
//!
//! A [`SecretSummary`] is made from one finding (a `jsonl` object) or read back from one object
//! of `logleaks summary --format json`, and two of them merge into one. Merging is exact,
//! associative and commutative — counts add, sets unite, first and last seen take the min and
//! max, ties are broken by a total order on the values themselves — so shards of findings give
//! the same summary in any grouping and any order.
//!
//! This module knows JSON values, not files, lines or output shapes other than the summary object.

use std::cmp::{Ordering, Reverse};
use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use crate::finding::Severity;

/// A value that logleaks writes as a JSON string when it is UTF-8 and as
/// `{"bytes": "<base64>"}` when it is not (a client, a user agent, a path, a secret).
///
/// Used as an object key (`clients`, `user_agents`), it is written as text by this rule:
/// bytes that are not UTF-8 become `bytes:<base64>`, and a string that itself starts with
/// `bytes:` or `text:` gets `text:` in front, so that every key reads back to exactly its value.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Text {
    /// Valid UTF-8.
    Str(String),
    /// Anything else (never valid UTF-8).
    Bytes(Vec<u8>),
}

/// Prefix of an object key holding bytes that are not UTF-8.
const BYTES_KEY: &str = "bytes:";
/// Prefix of an object key holding a string that would otherwise look like a prefixed key.
const TEXT_KEY: &str = "text:";

impl Text {
    /// Text from bytes: a string when they are UTF-8.
    pub fn from_bytes(bytes: Vec<u8>) -> Text {
        match String::from_utf8(bytes) {
            Ok(s) => Text::Str(s),
            Err(e) => Text::Bytes(e.into_bytes()),
        }
    }

    /// Reads a JSON string or `{"bytes": "<base64>"}`.
    fn from_json(value: &Value) -> Option<Text> {
        match value {
            Value::String(s) => Some(Text::Str(s.clone())),
            Value::Object(map) if map.len() == 1 => {
                let encoded = map.get("bytes")?.as_str()?;
                BASE64.decode(encoded).ok().map(Text::from_bytes)
            }
            _ => None,
        }
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Text::Str(s) => s.as_bytes(),
            Text::Bytes(b) => b,
        }
    }

    /// Printable form for a terminal: control characters and invalid bytes escaped.
    pub fn display(&self) -> String {
        crate::printable::display_bytes(self.as_bytes())
    }

    /// The object key for this value (see the type's documentation).
    pub fn to_key(&self) -> String {
        match self {
            Text::Str(s) if s.starts_with(BYTES_KEY) || s.starts_with(TEXT_KEY) => {
                format!("{TEXT_KEY}{s}")
            }
            Text::Str(s) => s.clone(),
            Text::Bytes(b) => format!("{BYTES_KEY}{}", BASE64.encode(b)),
        }
    }

    /// The value of an object key written by [`Text::to_key`].
    pub fn from_key(key: &str) -> Option<Text> {
        if let Some(encoded) = key.strip_prefix(BYTES_KEY) {
            BASE64.decode(encoded).ok().map(Text::from_bytes)
        } else if let Some(text) = key.strip_prefix(TEXT_KEY) {
            Some(Text::Str(text.to_string()))
        } else {
            Some(Text::Str(key.to_string()))
        }
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        crate::printable::serialize_bytes(self.as_bytes(), serializer)
    }
}

/// A time a secret was seen: the instant, and the RFC 3339 text it was written as.
///
/// Ordered by instant, then by text (so that `10:00+01:00` and `09:00Z` — the same instant —
/// still have one winner).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Seen {
    instant: jiff::Timestamp,
    text: String,
}

impl Seen {
    /// Parses RFC 3339 with an offset; `-00:00` (offset unknown) counts as UTC.
    pub fn parse(text: &str) -> Option<Seen> {
        let instant = text.parse::<jiff::Timestamp>().ok()?;
        Some(Seen {
            instant,
            text: text.to_string(),
        })
    }

    /// The time as it was written in the findings.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// Which rule a secret is reported under: the most severe one seen.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Identity {
    severity: Severity,
    rule: String,
    kind: String,
    secret: Text,
}

impl Identity {
    /// Greater is preferred: more severe, then the smaller rule id and kind, then the shorter
    /// (so a redacted rather than a clear) secret, then the smaller.
    #[allow(clippy::type_complexity)]
    fn rank(
        &self,
    ) -> (
        Severity,
        Reverse<&str>,
        Reverse<&str>,
        Reverse<usize>,
        Reverse<&Text>,
    ) {
        (
            self.severity,
            Reverse(self.rule.as_str()),
            Reverse(self.kind.as_str()),
            Reverse(self.secret.as_bytes().len()),
            Reverse(&self.secret),
        )
    }
}

/// Where a finding's field is, for the status maps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    /// In the request that got the status: its target, body, headers, cookies.
    Request,
    /// In a URL of another request (referer, upstream): the status is not that request's.
    OtherRequest,
    /// In free text (error messages, whole lines): no status applies.
    Elsewhere,
}

fn place_of(field: &str) -> Place {
    match field {
        "request.path" | "request.query" | "request.body" | "cookie" | "userinfo" => Place::Request,
        f if f.starts_with("header.") => Place::Request,
        "referer" | "upstream" => Place::OtherRequest,
        _ => Place::Elsewhere,
    }
}

/// The class of an HTTP status, as the hourly counts group them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StatusClass {
    /// 2xx: the server accepted the request.
    Success,
    /// 3xx: redirected (often to a login page).
    Redirect,
    /// 4xx: refused.
    ClientError,
    /// 5xx: the server failed.
    ServerError,
    /// No status applies: none was logged, the credential was in another request's URL
    /// (referer, upstream) or in free text, or the status is outside 200–599.
    None,
}

impl StatusClass {
    /// Every class, in output order.
    pub const ALL: [StatusClass; 5] = [
        StatusClass::Success,
        StatusClass::Redirect,
        StatusClass::ClientError,
        StatusClass::ServerError,
        StatusClass::None,
    ];

    /// The name used as a JSON key: `2xx`, `3xx`, `4xx`, `5xx` or `none`.
    pub fn as_str(self) -> &'static str {
        match self {
            StatusClass::Success => "2xx",
            StatusClass::Redirect => "3xx",
            StatusClass::ClientError => "4xx",
            StatusClass::ServerError => "5xx",
            StatusClass::None => "none",
        }
    }

    /// The class of `status`.
    pub fn of(status: u16) -> StatusClass {
        match status {
            200..=299 => StatusClass::Success,
            300..=399 => StatusClass::Redirect,
            400..=499 => StatusClass::ClientError,
            500..=599 => StatusClass::ServerError,
            _ => StatusClass::None,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Uses in one hour, by status class (indexed by [`StatusClass`] order).
pub type ClassCounts = [u64; 5];

/// Uses per client, per hour (UTC hours since the epoch).
pub type ClientHourly = BTreeMap<Text, BTreeMap<i64, u64>>;

/// The hour (UTC) of an instant, as whole hours since the Unix epoch.
fn hour_of(instant: jiff::Timestamp) -> i64 {
    instant.as_second().div_euclid(3600)
}

/// The RFC 3339 text of the start of an hour (`2025-11-27T10:00:00Z`).
pub fn hour_text(hour: i64) -> String {
    jiff::Timestamp::from_second(hour.saturating_mul(3600))
        .map(|t| t.strftime("%Y-%m-%dT%H:00:00Z").to_string())
        .unwrap_or_default()
}

/// Everything known about one secret (one fingerprint).
#[derive(Clone, Debug, PartialEq)]
pub struct SecretSummary {
    fingerprint: String,
    identity: Identity,
    count: u64,
    first_seen: Option<Seen>,
    last_seen: Option<Seen>,
    files: BTreeSet<Text>,
    sources: BTreeSet<String>,
    clients: BTreeMap<Text, u64>,
    statuses: BTreeMap<u16, u64>,
    referer_statuses: BTreeMap<u16, u64>,
    user_agents: BTreeMap<Text, u64>,
    /// Uses per hour (UTC, hours since the epoch) by status class; findings without a time are
    /// not in it.
    hourly: BTreeMap<i64, ClassCounts>,
    /// Uses per client and hour (UTC, hours since the epoch), for findings with both; `None`
    /// when some input was a summary written before these counts were kept, so that a partial
    /// map is never taken for the whole.
    client_hourly: Option<ClientHourly>,
    /// Uses per host of the request's Referer.
    referer_hosts: BTreeMap<Text, u64>,
    /// The first line it was found on, per file.
    first_lines: BTreeMap<Text, u64>,
    /// The `details` of the latest finding, with object keys in sorted order.
    details: Map<String, Value>,
}

/// Reads the fields of one JSON object and words what is wrong with it.
struct Fields<'a> {
    map: &'a Map<String, Value>,
    /// `finding` or `summary`.
    what: &'static str,
}

impl<'a> Fields<'a> {
    /// The fingerprint, then what identifies the secret (rule, kind, severity, redacted form).
    fn identity(&self) -> Result<(String, Identity), String> {
        let fingerprint = self.string("fingerprint")?.to_string();
        let identity = Identity {
            rule: self.string("rule")?.to_string(),
            kind: self.string("kind")?.to_string(),
            severity: self.severity()?,
            secret: self.text("secret")?,
        };
        Ok((fingerprint, identity))
    }

    fn bad(&self, why: impl std::fmt::Display) -> String {
        format!("not a logleaks {} ({why})", self.what)
    }

    /// A present, non-null value.
    fn optional(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    fn required(&self, key: &str) -> Result<&'a Value, String> {
        self.optional(key)
            .ok_or_else(|| self.bad(format!("missing \"{key}\"")))
    }

    fn string(&self, key: &str) -> Result<&'a str, String> {
        self.required(key)?
            .as_str()
            .ok_or_else(|| self.bad(format!("\"{key}\" is not a string")))
    }

    fn optional_string(&self, key: &str) -> Result<Option<&'a str>, String> {
        self.optional(key)
            .map(|v| {
                v.as_str()
                    .ok_or_else(|| self.bad(format!("\"{key}\" is not a string")))
            })
            .transpose()
    }

    fn text_of(&self, key: &str, value: &Value) -> Result<Text, String> {
        Text::from_json(value).ok_or_else(|| {
            self.bad(format!(
                "\"{key}\" is neither a string nor {{\"bytes\": \"<base64>\"}}"
            ))
        })
    }

    fn text(&self, key: &str) -> Result<Text, String> {
        self.text_of(key, self.required(key)?)
    }

    fn optional_text(&self, key: &str) -> Result<Option<Text>, String> {
        self.optional(key).map(|v| self.text_of(key, v)).transpose()
    }

    fn severity(&self) -> Result<Severity, String> {
        let name = self.string("severity")?;
        Severity::ALL
            .into_iter()
            .find(|s| s.as_str() == name)
            .ok_or_else(|| {
                self.bad("\"severity\" is not one of critical, high, medium, low".to_string())
            })
    }

    fn time(&self, key: &str) -> Result<Option<Seen>, String> {
        self.optional_string(key)?
            .map(|text| {
                Seen::parse(text).ok_or_else(|| {
                    self.bad(format!("\"{key}\" is not an RFC 3339 time with an offset"))
                })
            })
            .transpose()
    }

    fn status(&self, key: &str, value: &Value) -> Result<u16, String> {
        value
            .as_u64()
            .and_then(|n| u16::try_from(n).ok())
            .ok_or_else(|| self.bad(format!("\"{key}\" is not an HTTP status")))
    }

    fn count(&self, key: &str, value: &Value) -> Result<u64, String> {
        value
            .as_u64()
            .filter(|&n| n > 0)
            .ok_or_else(|| self.bad(format!("a count in \"{key}\" is not a positive integer")))
    }

    fn object(&self, key: &str) -> Result<&'a Map<String, Value>, String> {
        self.required(key)?
            .as_object()
            .ok_or_else(|| self.bad(format!("\"{key}\" is not an object")))
    }

    fn array(&self, key: &str) -> Result<&'a Vec<Value>, String> {
        self.required(key)?
            .as_array()
            .ok_or_else(|| self.bad(format!("\"{key}\" is not an array")))
    }

    fn text_counts(&self, key: &str) -> Result<BTreeMap<Text, u64>, String> {
        let mut counts = BTreeMap::new();
        for (k, v) in self.object(key)? {
            let text = Text::from_key(k)
                .ok_or_else(|| self.bad(format!("a key in \"{key}\" has bad base64")))?;
            add_count(&mut counts, text, self.count(key, v)?);
        }
        Ok(counts)
    }

    /// A map that summaries before the hourly counts did not have: absent reads as empty.
    fn optional_text_counts(&self, key: &str) -> Result<BTreeMap<Text, u64>, String> {
        match self.optional(key) {
            None => Ok(BTreeMap::new()),
            Some(_) => self.text_counts(key),
        }
    }

    /// `first_lines`: `{"<file key>": line}`; absent reads as empty.
    fn first_lines(&self, key: &str) -> Result<BTreeMap<Text, u64>, String> {
        let mut lines = BTreeMap::new();
        if self.optional(key).is_none() {
            return Ok(lines);
        }
        for (k, v) in self.object(key)? {
            let file = Text::from_key(k)
                .ok_or_else(|| self.bad(format!("a key in \"{key}\" has bad base64")))?;
            let line = self.count(key, v)?;
            let slot = lines.entry(file).or_insert(line);
            *slot = (*slot).min(line);
        }
        Ok(lines)
    }

    /// `hourly`: `{"<hour, RFC 3339>": {"2xx": n, …}}`; absent reads as empty.
    fn hourly(&self, key: &str) -> Result<BTreeMap<i64, ClassCounts>, String> {
        let mut hourly = BTreeMap::new();
        if self.optional(key).is_none() {
            return Ok(hourly);
        }
        for (hour, classes) in self.object(key)? {
            let instant = Seen::parse(hour)
                .ok_or_else(|| self.bad(format!("a key in \"{key}\" is not an RFC 3339 time")))?
                .instant;
            let classes = classes.as_object().ok_or_else(|| {
                self.bad(format!("a value in \"{key}\" is not an object of counts"))
            })?;
            let mut counts = ClassCounts::default();
            for (class, n) in classes {
                let class = StatusClass::ALL
                    .into_iter()
                    .find(|c| c.as_str() == class)
                    .ok_or_else(|| {
                        self.bad(format!(
                            "a status class in \"{key}\" is not one of 2xx, 3xx, 4xx, 5xx, none"
                        ))
                    })?;
                counts[class.index()] = self.count(key, n)?;
            }
            add_class_counts(&mut hourly, hour_of(instant), counts);
        }
        Ok(hourly)
    }

    /// `client_hourly`: `{"<client key>": {"<hour, RFC 3339>": n}}`; absent or `null` (a
    /// summary written before it was kept) reads as unknown.
    fn client_hourly(&self, key: &str) -> Result<Option<ClientHourly>, String> {
        if self.optional(key).is_none() {
            return Ok(None);
        }
        let mut by_client = ClientHourly::new();
        for (client, hours) in self.object(key)? {
            let client = Text::from_key(client)
                .ok_or_else(|| self.bad(format!("a key in \"{key}\" has bad base64")))?;
            let hours = hours.as_object().ok_or_else(|| {
                self.bad(format!("a value in \"{key}\" is not an object of counts"))
            })?;
            let mut counts = BTreeMap::new();
            for (hour, n) in hours {
                let instant = Seen::parse(hour)
                    .ok_or_else(|| self.bad(format!("a key in \"{key}\" is not an RFC 3339 time")))?
                    .instant;
                add_count(&mut counts, hour_of(instant), self.count(key, n)?);
            }
            // A client without hours is left out, as findings leave it out.
            if !counts.is_empty() {
                add_counts(by_client.entry(client).or_default(), counts);
            }
        }
        Ok(Some(by_client))
    }

    fn status_counts(&self, key: &str) -> Result<BTreeMap<u16, u64>, String> {
        let mut counts = BTreeMap::new();
        for (k, v) in self.object(key)? {
            let status = k
                .parse::<u16>()
                .map_err(|_| self.bad(format!("a key in \"{key}\" is not an HTTP status")))?;
            add_count(&mut counts, status, self.count(key, v)?);
        }
        Ok(counts)
    }
}

fn add_count<K: Ord>(counts: &mut BTreeMap<K, u64>, key: K, n: u64) {
    let slot = counts.entry(key).or_insert(0);
    *slot = slot.saturating_add(n);
}

fn add_class_counts(hourly: &mut BTreeMap<i64, ClassCounts>, hour: i64, counts: ClassCounts) {
    let slot = hourly.entry(hour).or_default();
    for (sum, n) in slot.iter_mut().zip(counts) {
        *sum = sum.saturating_add(n);
    }
}

fn add_counts<K: Ord>(counts: &mut BTreeMap<K, u64>, more: BTreeMap<K, u64>) {
    for (key, n) in more {
        add_count(counts, key, n);
    }
}

/// Adds `more` to `counts`; unknown (`None`) on either side makes the sum unknown.
fn add_client_hourly(counts: &mut Option<ClientHourly>, more: Option<ClientHourly>) {
    match (counts.as_mut(), more) {
        (Some(counts), Some(more)) => {
            for (client, hours) in more {
                add_counts(counts.entry(client).or_default(), hours);
            }
        }
        _ => *counts = None,
    }
}

/// `value` with the keys of every object inserted in sorted order, so that it serialises the same
/// whatever order it was read in.
fn canonical(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(canonical_map(map)),
        Value::Array(items) => Value::Array(items.into_iter().map(canonical).collect()),
        other => other,
    }
}

fn canonical_map(map: Map<String, Value>) -> Map<String, Value> {
    let mut entries: Vec<(String, Value)> = map.into_iter().collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    entries
        .into_iter()
        .map(|(k, v)| (k, canonical(v)))
        .collect()
}

fn details_text(details: &Map<String, Value>) -> String {
    // Serialising a map of JSON values cannot fail.
    serde_json::to_string(details).unwrap_or_default()
}

impl SecretSummary {
    /// One finding, as `logleaks scan --format jsonl` writes it.
    pub fn from_finding(value: &Value) -> Result<SecretSummary, String> {
        let map = value
            .as_object()
            .ok_or_else(|| "not a logleaks finding (not a JSON object)".to_string())?;
        let f = Fields {
            map,
            what: "finding",
        };
        let (fingerprint, identity) = f.identity()?;
        let file = f.text("file")?;
        let line = f
            .optional("line")
            .map(|v| {
                v.as_u64()
                    .filter(|&n| n > 0)
                    .ok_or_else(|| f.bad("\"line\" is not a positive integer"))
            })
            .transpose()?;
        let field = f.string("field")?;
        let seen = f.time("timestamp")?;
        let status = f
            .optional("status")
            .map(|v| f.status("status", v))
            .transpose()?;
        let details = match f.optional("details") {
            None => Map::new(),
            Some(Value::Object(map)) => canonical_map(map.clone()),
            Some(_) => return Err(f.bad("\"details\" is not an object")),
        };
        let mut statuses = BTreeMap::new();
        let mut referer_statuses = BTreeMap::new();
        let mut class = StatusClass::None;
        if let Some(status) = status {
            match place_of(field) {
                Place::Request => {
                    add_count(&mut statuses, status, 1);
                    class = StatusClass::of(status);
                }
                Place::OtherRequest => add_count(&mut referer_statuses, status, 1),
                Place::Elsewhere => {}
            }
        }
        let mut hourly = BTreeMap::new();
        if let Some(seen) = &seen {
            let mut counts = ClassCounts::default();
            counts[class.index()] = 1;
            hourly.insert(hour_of(seen.instant), counts);
        }
        let client = f.optional_text("client")?;
        let mut client_hourly = ClientHourly::new();
        if let (Some(client), Some(seen)) = (&client, &seen) {
            client_hourly.insert(client.clone(), BTreeMap::from([(hour_of(seen.instant), 1)]));
        }
        let once = |t: Option<Text>| t.into_iter().map(|t| (t, 1)).collect();
        Ok(SecretSummary {
            fingerprint,
            identity,
            count: 1,
            first_seen: seen.clone(),
            last_seen: seen,
            first_lines: line.map(|n| (file.clone(), n)).into_iter().collect(),
            files: BTreeSet::from([file]),
            sources: f
                .optional_string("source")?
                .map(str::to_string)
                .into_iter()
                .collect(),
            clients: once(client),
            statuses,
            referer_statuses,
            user_agents: once(f.optional_text("user_agent")?),
            hourly,
            client_hourly: Some(client_hourly),
            referer_hosts: once(f.optional_text("referer_host")?),
            details,
        })
    }

    /// One object of `logleaks summary --format json`.
    pub fn from_summary(value: &Value) -> Result<SecretSummary, String> {
        let map = value
            .as_object()
            .ok_or_else(|| "not a logleaks summary (not a JSON object)".to_string())?;
        let f = Fields {
            map,
            what: "summary",
        };
        // Checked in output order, so that the first problem named is the first in the object.
        let (fingerprint, identity) = f.identity()?;
        let count = f.count("count", f.required("count")?)?;
        let first_seen = f.time("first_seen")?;
        let last_seen = f.time("last_seen")?;
        if first_seen.is_some() != last_seen.is_some() || first_seen > last_seen {
            return Err(f.bad("\"first_seen\" and \"last_seen\" do not agree"));
        }
        let files = f
            .array("files")?
            .iter()
            .map(|v| f.text_of("files", v))
            .collect::<Result<_, _>>()?;
        let sources = f
            .array("sources")?
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| f.bad("\"sources\" holds something other than strings"))
            })
            .collect::<Result<_, _>>()?;
        Ok(SecretSummary {
            fingerprint,
            identity,
            count,
            first_seen,
            last_seen,
            files,
            sources,
            clients: f.text_counts("clients")?,
            statuses: f.status_counts("statuses")?,
            referer_statuses: f.status_counts("referer_statuses")?,
            user_agents: f.text_counts("user_agents")?,
            hourly: f.hourly("hourly")?,
            client_hourly: f.client_hourly("client_hourly")?,
            referer_hosts: f.optional_text_counts("referer_hosts")?,
            first_lines: f.first_lines("first_lines")?,
            details: canonical_map(f.object("details")?.clone()),
        })
    }

    /// Adds `other` (a summary of the same fingerprint) to this one.
    pub fn merge(&mut self, other: SecretSummary) {
        debug_assert_eq!(self.fingerprint, other.fingerprint);
        if other.identity.rank() > self.identity.rank() {
            self.identity = other.identity;
        }
        self.count = self.count.saturating_add(other.count);
        self.first_seen = match (self.first_seen.take(), other.first_seen) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        // The details are those of the latest finding: a summary's details belong to its last
        // seen finding, so comparing (last seen, details) keeps merging exact.
        let later = match self.last_seen.cmp(&other.last_seen) {
            Ordering::Less => true,
            Ordering::Greater => false,
            Ordering::Equal => details_text(&other.details) > details_text(&self.details),
        };
        if later {
            self.details = other.details;
        }
        self.last_seen = self.last_seen.take().max(other.last_seen);
        self.files.extend(other.files);
        self.sources.extend(other.sources);
        add_counts(&mut self.clients, other.clients);
        add_counts(&mut self.statuses, other.statuses);
        add_counts(&mut self.referer_statuses, other.referer_statuses);
        add_counts(&mut self.user_agents, other.user_agents);
        for (hour, counts) in other.hourly {
            add_class_counts(&mut self.hourly, hour, counts);
        }
        add_client_hourly(&mut self.client_hourly, other.client_hourly);
        add_counts(&mut self.referer_hosts, other.referer_hosts);
        for (file, line) in other.first_lines {
            let slot = self.first_lines.entry(file).or_insert(line);
            *slot = (*slot).min(line);
        }
    }

    /// The fingerprint.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The most severe rule the secret was found by.
    pub fn rule(&self) -> &str {
        &self.identity.rule
    }

    /// The severity under that rule.
    pub fn severity(&self) -> Severity {
        self.identity.severity
    }

    /// The secret as the findings show it (redacted unless they were made with `--show-secrets`).
    pub fn secret(&self) -> &Text {
        &self.identity.secret
    }

    /// How many findings.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The earliest time seen.
    pub fn first_seen(&self) -> Option<&Seen> {
        self.first_seen.as_ref()
    }

    /// The latest time seen.
    pub fn last_seen(&self) -> Option<&Seen> {
        self.last_seen.as_ref()
    }

    /// Findings per client address.
    pub fn clients(&self) -> &BTreeMap<Text, u64> {
        &self.clients
    }

    /// Findings per status, for credentials in the request itself.
    pub fn statuses(&self) -> &BTreeMap<u16, u64> {
        &self.statuses
    }

    /// Findings per status, for credentials in a referer or upstream URL.
    pub fn referer_statuses(&self) -> &BTreeMap<u16, u64> {
        &self.referer_statuses
    }

    /// The kind of credential (`api_key`, …).
    pub fn kind(&self) -> &str {
        &self.identity.kind
    }

    /// The input files it was found in.
    pub fn files(&self) -> &BTreeSet<Text> {
        &self.files
    }

    /// The `--label`s of the scans that found it.
    pub fn sources(&self) -> &BTreeSet<String> {
        &self.sources
    }

    /// Uses per hour (UTC hours since the epoch) by status class.
    pub fn hourly(&self) -> &BTreeMap<i64, ClassCounts> {
        &self.hourly
    }

    /// Uses per client and hour (UTC hours since the epoch), for findings with both; `None` when
    /// unknown (some input was a summary written before these counts were kept).
    pub fn client_hourly(&self) -> Option<&ClientHourly> {
        self.client_hourly.as_ref()
    }

    /// Uses per Referer host.
    pub fn referer_hosts(&self) -> &BTreeMap<Text, u64> {
        &self.referer_hosts
    }

    /// The first line it was found on, per file (files of findings without a line have none).
    pub fn first_lines(&self) -> &BTreeMap<Text, u64> {
        &self.first_lines
    }

    /// Findings per user agent.
    pub fn user_agents(&self) -> &BTreeMap<Text, u64> {
        &self.user_agents
    }

    /// The offline facts of the latest finding (`expires_at`, `jwt`, `aws_account_id`, …).
    pub fn details(&self) -> &Map<String, Value> {
        &self.details
    }
}

/// `hourly` as written: hour text to the non-zero counts by class name.
fn hourly_json(
    hourly: &BTreeMap<i64, ClassCounts>,
) -> BTreeMap<String, BTreeMap<&'static str, u64>> {
    hourly
        .iter()
        .map(|(&hour, counts)| {
            let classes = StatusClass::ALL
                .into_iter()
                .zip(counts)
                .filter(|(_, &n)| n > 0)
                .map(|(class, &n)| (class.as_str(), n))
                .collect();
            (hour_text(hour), classes)
        })
        .collect()
}

/// `client_hourly` as written: client key to hour text to count.
fn client_hourly_json(by_client: &ClientHourly) -> BTreeMap<String, BTreeMap<String, u64>> {
    by_client
        .iter()
        .map(|(client, hours)| {
            let hours = hours.iter().map(|(&h, &n)| (hour_text(h), n)).collect();
            (client.to_key(), hours)
        })
        .collect()
}

/// A map of [`Text`] to counts, serialised with [`Text::to_key`] keys in key order.
fn keyed(counts: &BTreeMap<Text, u64>) -> BTreeMap<String, u64> {
    counts.iter().map(|(k, &n)| (k.to_key(), n)).collect()
}

/// The JSON shape of a [`SecretSummary`]; field order is the output order.
#[derive(Serialize)]
struct SummaryJson<'a> {
    fingerprint: &'a str,
    rule: &'a str,
    kind: &'a str,
    severity: Severity,
    secret: &'a Text,
    count: u64,
    first_seen: Option<&'a str>,
    last_seen: Option<&'a str>,
    files: &'a BTreeSet<Text>,
    sources: &'a BTreeSet<String>,
    clients: BTreeMap<String, u64>,
    statuses: &'a BTreeMap<u16, u64>,
    referer_statuses: &'a BTreeMap<u16, u64>,
    user_agents: BTreeMap<String, u64>,
    hourly: BTreeMap<String, BTreeMap<&'static str, u64>>,
    client_hourly: Option<BTreeMap<String, BTreeMap<String, u64>>>,
    referer_hosts: BTreeMap<String, u64>,
    first_lines: BTreeMap<String, u64>,
    details: &'a Map<String, Value>,
}

impl Serialize for SecretSummary {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        SummaryJson {
            fingerprint: &self.fingerprint,
            rule: &self.identity.rule,
            kind: &self.identity.kind,
            severity: self.identity.severity,
            secret: &self.identity.secret,
            count: self.count,
            first_seen: self.first_seen.as_ref().map(Seen::as_str),
            last_seen: self.last_seen.as_ref().map(Seen::as_str),
            files: &self.files,
            sources: &self.sources,
            clients: keyed(&self.clients),
            statuses: &self.statuses,
            referer_statuses: &self.referer_statuses,
            user_agents: keyed(&self.user_agents),
            hourly: hourly_json(&self.hourly),
            client_hourly: self.client_hourly.as_ref().map(client_hourly_json),
            referer_hosts: keyed(&self.referer_hosts),
            first_lines: keyed(&self.first_lines),
            details: &self.details,
        }
        .serialize(serializer)
    }
}

/// Summaries of every secret seen so far, by fingerprint.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    secrets: BTreeMap<String, SecretSummary>,
    /// The fingerprint key id of the inputs, once one of them has named it.
    fingerprint_key: Option<String>,
}

impl Summary {
    /// Records that what follows was made with the fingerprint key of id `id`; refuses another
    /// key than the one earlier inputs named (their fingerprints could never match).
    pub fn use_key(&mut self, id: &str) -> Result<(), String> {
        match &self.fingerprint_key {
            None => {
                self.fingerprint_key = Some(id.to_string());
                Ok(())
            }
            Some(known) if known == id => Ok(()),
            Some(known) => Err(crate::meta::key_mismatch(id, known, "an earlier input")),
        }
    }

    /// The fingerprint key id the inputs named, if any did.
    pub fn fingerprint_key(&self) -> Option<&str> {
        self.fingerprint_key.as_deref()
    }

    /// Adds one finding or one summary object, whichever `value` is: summary objects are those
    /// with any of `count`, `files` or `first_seen`, which findings never have.
    pub fn add_value(&mut self, value: &Value) -> Result<(), String> {
        if let Some(id) = value.get("fingerprint_key").and_then(Value::as_str) {
            self.use_key(id)?;
        }
        let is_summary = ["count", "files", "first_seen"]
            .iter()
            .any(|key| value.get(key).is_some());
        let secret = if is_summary {
            SecretSummary::from_summary(value)?
        } else {
            SecretSummary::from_finding(value)?
        };
        self.add(secret);
        Ok(())
    }

    /// Adds what is known about one secret.
    pub fn add(&mut self, secret: SecretSummary) {
        match self.secrets.entry(secret.fingerprint.clone()) {
            Entry::Vacant(slot) => {
                slot.insert(secret);
            }
            Entry::Occupied(mut slot) => slot.get_mut().merge(secret),
        }
    }

    /// Adds everything in `other`.
    pub fn merge(&mut self, other: Summary) {
        for secret in other.secrets.into_values() {
            self.add(secret);
        }
    }

    /// True when no secret was seen.
    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty()
    }

    /// The secrets in output order: most severe first, then most often seen, then by fingerprint.
    pub fn sorted(&self) -> Vec<&SecretSummary> {
        let mut list: Vec<&SecretSummary> = self.secrets.values().collect();
        list.sort_by(|a, b| {
            b.identity
                .severity
                .cmp(&a.identity.severity)
                .then(b.count.cmp(&a.count))
                .then_with(|| a.fingerprint.cmp(&b.fingerprint))
        });
        list
    }

    /// `--format json`: an array with one object per line.
    ///
    /// The summary is one object: `schema_version`, `meta` (the logleaks version and the
    /// fingerprint key id of the inputs, `null` when none of them named one) and `secrets`, one
    /// per line.
    pub fn write_json(&self, out: &mut dyn Write) -> io::Result<()> {
        let meta = serde_json::json!({
            "logleaks_version": crate::meta::VERSION,
            "fingerprint_key": self.fingerprint_key,
        });
        write!(
            out,
            "{{\"schema_version\":{},\"meta\":{meta},\"secrets\":[",
            crate::meta::SCHEMA_VERSION
        )?;
        let list = self.sorted();
        if list.is_empty() {
            return out.write_all(b"]}\n");
        }
        for (i, secret) in list.iter().enumerate() {
            out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
            serde_json::to_writer(&mut *out, secret)?;
        }
        out.write_all(b"\n]}\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const FP: &str = "94bc0e7d2a0d258b";

    fn finding(ts: &str, client: &str, status: u16, field: &str) -> Value {
        json!({
            "rule": "generic-credential-param", "kind": "credential", "severity": "medium",
            "file": "a.log", "line": 1, "column": 1, "field": field, "param": "api_key",
            "secret": "…539e", "fingerprint": FP, "timestamp": ts, "client": client,
            "status": status, "user_agent": "curl/8", "source": "m1", "cwe": ["CWE-598"],
            "referer_host": "portal.example",
        })
    }

    fn summary_of(values: &[Value]) -> Summary {
        let mut summary = Summary::default();
        for v in values {
            summary.add_value(v).unwrap();
        }
        summary
    }

    fn json_of(summary: &Summary) -> String {
        let mut out = Vec::new();
        summary.write_json(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn only(summary: &Summary) -> Value {
        let object: Value = serde_json::from_str(&json_of(summary)).unwrap();
        let list = object["secrets"].clone();
        assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
        list[0].clone()
    }

    #[test]
    fn findings_of_one_secret_add_up() {
        let summary = summary_of(&[
            finding(
                "2025-11-27T10:00:00+01:00",
                "203.0.113.9",
                200,
                "request.query",
            ),
            finding("2025-11-27T08:30:00Z", "203.0.113.9", 403, "request.query"),
            finding(
                "2025-11-27T09:45:00-00:00",
                "198.51.100.4",
                200,
                "request.query",
            ),
        ]);
        let s = only(&summary);
        assert_eq!(
            s,
            json!({
                "fingerprint": FP, "rule": "generic-credential-param", "kind": "credential",
                "severity": "medium", "secret": "…539e", "count": 3,
                "first_seen": "2025-11-27T08:30:00Z",
                "last_seen": "2025-11-27T09:45:00-00:00",
                "files": ["a.log"], "sources": ["m1"],
                "clients": {"198.51.100.4": 1, "203.0.113.9": 2},
                "statuses": {"200": 2, "403": 1}, "referer_statuses": {},
                "user_agents": {"curl/8": 3},
                "hourly": {"2025-11-27T08:00:00Z": {"4xx": 1}, "2025-11-27T09:00:00Z": {"2xx": 2}},
                "client_hourly": {
                    "198.51.100.4": {"2025-11-27T09:00:00Z": 1},
                    "203.0.113.9": {"2025-11-27T08:00:00Z": 1, "2025-11-27T09:00:00Z": 1},
                },
                "referer_hosts": {"portal.example": 3}, "first_lines": {"a.log": 1},
                "details": {},
            })
        );
    }

    #[test]
    fn statuses_count_only_the_request_itself_and_referers_apart() {
        let summary = summary_of(&[
            finding("2025-11-27T10:00:00Z", "192.0.2.1", 200, "request.path"),
            finding("2025-11-27T10:00:00Z", "192.0.2.1", 401, "header.x-api-key"),
            finding("2025-11-27T10:00:00Z", "192.0.2.1", 200, "cookie"),
            finding("2025-11-27T10:00:00Z", "192.0.2.1", 200, "userinfo"),
            finding("2025-11-27T10:00:00Z", "192.0.2.1", 302, "referer"),
            finding("2025-11-27T10:00:00Z", "192.0.2.1", 502, "upstream"),
            finding("2025-11-27T10:00:00Z", "192.0.2.1", 500, "message"),
            finding("2025-11-27T10:00:00Z", "192.0.2.1", 404, "line"),
        ]);
        let s = only(&summary);
        assert_eq!(s["statuses"], json!({"200": 3, "401": 1}));
        assert_eq!(s["referer_statuses"], json!({"302": 1, "502": 1}));
        assert_eq!(s["count"], 8);
        assert_eq!(s["clients"], json!({"192.0.2.1": 8}));
        // Hourly uses: the class of the request's own status; other places count under none.
        assert_eq!(
            s["hourly"],
            json!({"2025-11-27T10:00:00Z": {"2xx": 3, "4xx": 1, "none": 4}})
        );
    }

    #[test]
    fn times_compare_as_instants_and_keep_their_text() {
        // 10:30+02:00 is 08:30Z, earlier than 09:00Z although it sorts later as text.
        let summary = summary_of(&[
            finding("2025-11-27T09:00:00Z", "c", 200, "request.query"),
            finding("2025-11-27T10:30:00+02:00", "c", 200, "request.query"),
            finding("2025-11-27T09:59:59.5-00:00", "c", 200, "request.query"),
        ]);
        let s = only(&summary);
        assert_eq!(s["first_seen"], "2025-11-27T10:30:00+02:00");
        assert_eq!(s["last_seen"], "2025-11-27T09:59:59.5-00:00");
        assert!(Seen::parse("2025-11-27T09:00:00").is_none(), "no offset");
    }

    #[test]
    fn the_more_severe_rule_wins() {
        let mut high = finding("2025-11-27T10:00:00Z", "c", 200, "request.query");
        high["rule"] = json!("stripe-secret-key");
        high["severity"] = json!("critical");
        high["kind"] = json!("api_key");
        high["secret"] = json!("sk_live_…AGW");
        let low = finding("2025-11-27T11:00:00Z", "c", 200, "request.query");
        for order in [[&high, &low], [&low, &high]] {
            let s = only(&summary_of(&order.map(Clone::clone)));
            assert_eq!(s["rule"], "stripe-secret-key");
            assert_eq!(s["severity"], "critical");
            assert_eq!(s["kind"], "api_key");
            assert_eq!(s["secret"], "sk_live_…AGW");
            assert_eq!(s["count"], 2);
        }
    }

    #[test]
    fn details_are_those_of_the_latest_finding() {
        let mut early = finding("2025-11-27T10:00:00Z", "c", 200, "request.query");
        early["details"] = json!({"expires_at": "2025-11-27T10:30:00Z", "expired_when_logged": false, "expired_now": true, "jwt": {"sub": "u", "alg": "HS256"}});
        let mut late = finding("2025-11-27T11:00:00Z", "c", 200, "request.query");
        late["details"] = json!({"expires_at": "2025-11-27T10:30:00Z", "expired_when_logged": true, "expired_now": true});
        for order in [[&early, &late], [&late, &early]] {
            let s = only(&summary_of(&order.map(Clone::clone)));
            assert_eq!(s["details"], late["details"]);
        }
        let s = only(&summary_of(&[early.clone()]));
        // Nested objects come out with sorted keys.
        assert!(json_of(&summary_of(&[early])).contains(r#"{"alg":"HS256","sub":"u"}"#));
        assert_eq!(s["details"]["expired_when_logged"], false);
    }

    /// Findings of several secrets, with ties and the odd value, to be split into shards.
    fn sample() -> Vec<Value> {
        let mut list = Vec::new();
        let times = [
            "2025-11-27T10:00:00+01:00",
            "2025-11-27T09:00:00Z", // the same instant as above
            "2025-11-26T23:00:00-05:00",
            "2025-11-27T09:00:00-00:00",
            "2025-11-28T00:00:00+00:00",
        ];
        for i in 0..40u16 {
            let mut f = finding(
                times[usize::from(i) % times.len()],
                ["203.0.113.9", "198.51.100.4", "bytes:literal"][usize::from(i) % 3],
                [200, 403, 302, 500][usize::from(i) % 4],
                [
                    "request.query",
                    "referer",
                    "header.authorization",
                    "message",
                ][usize::from(i) % 4],
            );
            f["fingerprint"] = json!(format!("{:016x}", i % 3));
            f["file"] = json!(format!("m{}/access.log", i % 2));
            f["line"] = json!(1 + (i * 7) % 13);
            f["source"] = json!(format!("m{}", i % 2));
            if i % 5 == 0 {
                f["rule"] = json!("stripe-secret-key");
                f["severity"] = json!("critical");
            }
            if i % 7 == 0 {
                f["client"] = json!({"bytes": "/w=="});
                f.as_object_mut().unwrap().remove("timestamp");
            }
            f["details"] = json!({"expired_now": i % 2 == 0, "n": i});
            match i % 4 {
                0 => f["referer_host"] = json!(format!("r{}.example", i % 3)),
                1 => f["referer_host"] = json!({"bytes": "/w=="}),
                _ => {
                    f.as_object_mut().unwrap().remove("referer_host");
                }
            }
            list.push(f);
        }
        list
    }

    /// A summary's JSON, read back and re-merged, as another machine would.
    fn round_trip(summary: &Summary) -> Summary {
        let object: Value = serde_json::from_str(&json_of(summary)).unwrap();
        let list: Vec<Value> = serde_json::from_value(object["secrets"].clone()).unwrap();
        summary_of(&list)
    }

    #[test]
    fn merging_is_associative_commutative_and_survives_json() {
        let all = sample();
        let whole = json_of(&summary_of(&all));
        for cut in [1, 7, 20, 39] {
            let (a, b) = all.split_at(cut);
            let (b, c) = b.split_at(b.len() / 2);
            let (sa, sb, sc) = (summary_of(a), summary_of(b), summary_of(c));
            // (a + b) + c
            let mut left = sa.clone();
            left.merge(sb.clone());
            left.merge(sc.clone());
            // a + (b + c), in reverse order
            let mut right = sc.clone();
            right.merge(sb.clone());
            let mut right2 = right;
            right2.merge(sa.clone());
            assert_eq!(json_of(&left), whole, "cut {cut}");
            assert_eq!(json_of(&right2), whole, "cut {cut}");
            // Through JSON text, as `summary sa.json sb.json sc.json` does.
            let mut through = round_trip(&sb);
            through.merge(round_trip(&sa));
            through.merge(round_trip(&sc));
            assert_eq!(json_of(&through), whole, "cut {cut}");
        }
        // Findings in any order.
        let reversed: Vec<Value> = all.iter().rev().cloned().collect();
        assert_eq!(json_of(&summary_of(&reversed)), whole);
    }

    #[test]
    fn hourly_counts_are_utc_hours_and_add_up_when_merged() {
        let summary = summary_of(&[
            // 23:30 on the 26th at -05:00 is 04:30Z on the 27th.
            finding("2025-11-26T23:30:00-05:00", "c", 302, "request.query"),
            finding("2025-11-27T04:59:59Z", "c", 200, "request.query"),
            finding("2025-11-27T05:00:00Z", "c", 503, "request.query"),
            finding("2025-11-27T05:10:00Z", "c", 101, "request.query"),
        ]);
        let s = only(&summary);
        assert_eq!(
            s["hourly"],
            json!({
                "2025-11-27T04:00:00Z": {"2xx": 1, "3xx": 1},
                "2025-11-27T05:00:00Z": {"5xx": 1, "none": 1},
            })
        );
        // Read back, an hour written at another offset lands in the same UTC hour.
        let mut again = s.clone();
        again["hourly"] = json!({"2025-11-27T06:00:00+01:00": {"2xx": 2}});
        let mut merged = summary.clone();
        merged.add_value(&again).unwrap();
        let m = only(&merged);
        assert_eq!(
            m["hourly"]["2025-11-27T05:00:00Z"],
            json!({"2xx": 2, "5xx": 1, "none": 1})
        );
        assert_eq!(m["referer_hosts"], json!({"portal.example": 8}));
        // Summaries written before the hourly counts read as having none.
        let mut old = s.clone();
        old.as_object_mut().unwrap().remove("hourly");
        old.as_object_mut().unwrap().remove("referer_hosts");
        let o = only(&summary_of(&[old]));
        assert_eq!(o["hourly"], json!({}));
        // A bad class or hour is named.
        let mut bad = s.clone();
        bad["hourly"] = json!({"2025-11-27T05:00:00Z": {"6xx": 1}});
        assert!(Summary::default()
            .add_value(&bad)
            .unwrap_err()
            .contains("status class"));
        bad["hourly"] = json!({"noon": {"2xx": 1}});
        assert!(Summary::default()
            .add_value(&bad)
            .unwrap_err()
            .contains("RFC 3339"));
    }

    #[test]
    fn client_hourly_counts_timed_uses_and_unknown_stays_unknown() {
        let mut untimed = finding("2025-11-27T10:00:00Z", "c", 200, "request.query");
        untimed.as_object_mut().unwrap().remove("timestamp");
        let mut anonymous = finding("2025-11-27T10:00:00Z", "c", 200, "request.query");
        anonymous.as_object_mut().unwrap().remove("client");
        let summary = summary_of(&[
            finding("2025-11-27T10:59:00+01:00", "c", 200, "request.query"),
            finding("2025-11-27T09:01:00Z", "c", 403, "referer"),
            finding("2025-11-27T10:00:00Z", "d", 200, "request.query"),
            untimed,
            anonymous,
        ]);
        let s = only(&summary);
        // Only uses with both a client and a time; every place counts, whatever its status.
        assert_eq!(
            s["client_hourly"],
            json!({
                "c": {"2025-11-27T09:00:00Z": 2},
                "d": {"2025-11-27T10:00:00Z": 1},
            })
        );
        // Read back at another offset, the hours land on the same UTC hours.
        let mut shifted = s.clone();
        shifted["client_hourly"] = json!({"c": {"2025-11-27T10:00:00+01:00": 3}, "e": {}});
        let mut merged = summary.clone();
        merged.add_value(&shifted).unwrap();
        assert_eq!(
            only(&merged)["client_hourly"],
            json!({
                "c": {"2025-11-27T09:00:00Z": 5},
                "d": {"2025-11-27T10:00:00Z": 1},
            })
        );
        // A summary written before the counts were kept makes them unknown, in either order.
        let mut old = s.clone();
        old.as_object_mut().unwrap().remove("client_hourly");
        assert_eq!(
            only(&summary_of(&[old.clone()]))["client_hourly"],
            json!(null)
        );
        for order in [[&old, &s], [&s, &old]] {
            let merged = summary_of(&order.map(Clone::clone));
            assert_eq!(only(&merged)["client_hourly"], json!(null));
            assert_eq!(merged.sorted()[0].client_hourly(), None);
        }
        let mut bad = s.clone();
        bad["client_hourly"] = json!({"c": {"noon": 1}});
        assert!(Summary::default()
            .add_value(&bad)
            .unwrap_err()
            .contains("\"client_hourly\" is not an RFC 3339 time"));
        bad["client_hourly"] = json!({"c": [1]});
        assert!(Summary::default()
            .add_value(&bad)
            .unwrap_err()
            .contains("not an object of counts"));
    }

    mod merge_properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

            /// Any order of the findings and any cut into three shards, merged in any grouping
            /// (directly or through JSON text), gives the summary of all findings, byte for byte.
            #[test]
            fn merging_any_shards_in_any_order_is_exact(
                order in Just((0..40usize).collect::<Vec<_>>()).prop_shuffle(),
                cut1 in 0..=40usize,
                cut2 in 0..=40usize,
            ) {
                let all = sample();
                let whole = json_of(&summary_of(&all));
                let shuffled: Vec<Value> = order.iter().map(|&i| all[i].clone()).collect();
                let (lo, hi) = (cut1.min(cut2), cut1.max(cut2));
                let (a, rest) = shuffled.split_at(lo);
                let (b, c) = rest.split_at(hi - lo);
                let mut merged = round_trip(&summary_of(c));
                merged.merge(summary_of(a));
                merged.merge(round_trip(&summary_of(b)));
                prop_assert_eq!(json_of(&merged), whole);
            }
        }
    }

    #[test]
    fn keys_read_back_to_their_values() {
        let values = [
            Text::Str("203.0.113.9".into()),
            Text::Str("bytes:abc".into()),
            Text::Str("text:x".into()),
            Text::Str(String::new()),
            Text::Bytes(vec![0xff, b'a']),
        ];
        for v in values {
            assert_eq!(Text::from_key(&v.to_key()), Some(v.clone()), "{v:?}");
        }
        assert_eq!(Text::Bytes(vec![0xff]).to_key(), "bytes:/w==");
        assert_eq!(Text::Str("bytes:/w==".into()).to_key(), "text:bytes:/w==");
    }

    #[test]
    fn bytes_values_stay_bytes() {
        let mut f = finding("2025-11-27T10:00:00Z", "c", 200, "request.query");
        f["client"] = json!({"bytes": "/w=="});
        f["file"] = json!({"bytes": "YQBi/w=="});
        let s = only(&summary_of(&[f]));
        assert_eq!(s["clients"], json!({"bytes:/w==": 1}));
        assert_eq!(s["files"], json!([{"bytes": "YQBi/w=="}]));
    }

    #[test]
    fn bad_records_say_what_is_wrong() {
        let mut summary = Summary::default();
        let mut f = finding("2025-11-27T10:00:00Z", "c", 200, "request.query");
        f.as_object_mut().unwrap().remove("fingerprint");
        assert_eq!(
            summary.add_value(&f).unwrap_err(),
            r#"not a logleaks finding (missing "fingerprint")"#
        );
        let mut f = finding("yesterday", "c", 200, "request.query");
        assert!(summary
            .add_value(&f)
            .unwrap_err()
            .contains("\"timestamp\" is not an RFC 3339 time"));
        f["timestamp"] = json!("2025-11-27T10:00:00Z");
        f["severity"] = json!("severe");
        assert!(summary.add_value(&f).unwrap_err().contains("\"severity\""));
        assert_eq!(
            summary.add_value(&json!([1])).unwrap_err(),
            "not a logleaks finding (not a JSON object)"
        );
        assert_eq!(
            summary
                .add_value(&json!({"fingerprint": FP, "count": 2}))
                .unwrap_err(),
            r#"not a logleaks summary (missing "rule")"#
        );
        assert!(summary.is_empty());
    }
}
