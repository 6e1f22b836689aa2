//! `--format sarif`: SARIF 2.1.0, for code-scanning dashboards (GitHub code scanning and others).
//!
//! Findings are grouped into one SARIF result per (rule, secret fingerprint, file): a key logged a
//! thousand times in one file is one alert with its locations, not a thousand alerts. The whole
//! log is written by [`Report::finish`], compact (one line), so that it stays within what GitHub
//! code scanning accepts: at most 25,000 results per run and 1,000 locations per result, and a
//! 10 MB gzipped upload. Memory stays bounded whatever the number of findings: results beyond the
//! limit and locations beyond the caps are counted, not stored, and the log says so.
//!
//! This module must never put a secret in clear into the log unless `--show-secrets` was given:
//! messages carry [`super::shown_secret`] only, and no region snippet (which would hold the line)
//! is ever written. It knows nothing about parsing or detection.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use serde::{Serialize, Serializer};

use super::{display_bytes, shown_secret, Report, ReportContext, ReportOptions};
use crate::finding::{Confidence, Details, Finding, Kind, Severity};
use crate::input::DisplayPath;
use crate::rules::Rule;

/// The `$schema` of the log: the OASIS SARIF 2.1.0 schema (errata 01).
const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
/// Where users learn about logleaks.
const INFORMATION_URI: &str = "https://github.com/logleaks/logleaks";
/// The base id that relative artifact URIs are resolved against.
const SRCROOT: &str = "%SRCROOT%";
/// The key of the secret fingerprint in `partialFingerprints`.
const FINGERPRINT_KEY: &str = "logleaks/v1";

/// How much of the findings the log holds, and how much memory that may take.
#[derive(Clone, Copy, Debug)]
struct Limits {
    /// Results per run (GitHub code scanning rejects more than 25,000).
    results: usize,
    /// Locations listed per result (GitHub code scanning accepts at most 1,000).
    locations_per_result: usize,
    /// Locations stored over all results; beyond it occurrences are only counted.
    stored_locations: usize,
    /// Distinct dropped results remembered per file to count them exactly.
    dropped_keys: usize,
}

impl Limits {
    const DEFAULT: Limits = Limits {
        results: 25_000,
        locations_per_result: 1_000,
        stored_locations: 200_000,
        dropped_keys: 100_000,
    };
}

/// Where a result's file is, as a SARIF artifact location.
#[derive(Clone, Debug, PartialEq, Eq)]
struct ArtifactUri {
    /// A URI reference: relative to [`SRCROOT`] when `relative`, else absolute (`file://…`) or
    /// `stdin`.
    uri: String,
    /// True when `uri` is relative to [`SRCROOT`].
    relative: bool,
}

/// Turns the paths of findings into artifact URIs relative to a root directory.
#[derive(Debug)]
struct UriMaker {
    /// The current directory, when it is known.
    cwd: Option<PathBuf>,
    /// The root as an absolute path without `.` or `..`, when it is known.
    root: Option<PathBuf>,
    /// The root with symbolic links resolved, when it exists.
    root_canonical: Option<PathBuf>,
}

impl UriMaker {
    /// URIs relative to `root` (relative to `cwd` itself), or to `cwd` when there is no root.
    fn new(cwd: Option<PathBuf>, root: Option<&Path>) -> Self {
        let root = match (root, &cwd) {
            (Some(root), Some(cwd)) => Some(lexical_absolute(root, cwd)),
            (Some(root), None) if root.is_absolute() => Some(lexical_absolute(root, root)),
            (Some(_), None) => None,
            (None, cwd) => cwd.as_deref().map(|c| lexical_absolute(c, c)),
        };
        let root_canonical = root.as_deref().and_then(|r| std::fs::canonicalize(r).ok());
        UriMaker {
            cwd,
            root,
            root_canonical,
        }
    }

    /// The `file://` URI of the root directory, ending with `/`.
    fn root_uri(&self) -> Option<String> {
        let root = self.root.as_deref()?;
        let mut uri = file_uri(root);
        if !uri.ends_with('/') {
            uri.push('/');
        }
        Some(uri)
    }

    /// The artifact URI of a finding's file.
    fn uri(&self, file: &DisplayPath) -> ArtifactUri {
        let path = file.shown();
        if path == Path::new("-") {
            return ArtifactUri {
                uri: "stdin".to_string(),
                relative: false,
            };
        }
        let (Some(cwd), Some(root)) = (&self.cwd, &self.root) else {
            // Without a known current directory only the path itself is known.
            return if path.is_absolute() {
                absolute_uri(path)
            } else {
                relative_uri(path)
            };
        };
        let absolute = lexical_absolute(path, cwd);
        // Archive members (`logs.tgz!access.log`) do not exist on disk: only the lexical form
        // can be compared for them. Real files may also be reached through symbolic links.
        let canonical = std::fs::canonicalize(&absolute).ok();
        let roots = [Some(root), self.root_canonical.as_ref()];
        for candidate in [Some(&absolute), canonical.as_ref()].into_iter().flatten() {
            for root in roots.into_iter().flatten() {
                if let Ok(rest) = candidate.strip_prefix(root) {
                    if rest.as_os_str().is_empty() {
                        continue;
                    }
                    return relative_uri(rest);
                }
            }
        }
        absolute_uri(&absolute)
    }
}

/// `path` made absolute against `cwd`, with `.` and `..` removed lexically.
fn lexical_absolute(path: &Path, cwd: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

fn relative_uri(path: &Path) -> ArtifactUri {
    let mut uri = String::new();
    for component in path.components() {
        match component {
            Component::Normal(name) => {
                if !uri.is_empty() {
                    uri.push('/');
                }
                // A colon in the first segment of a relative reference would read as a scheme.
                percent_encode(&os_bytes(name), false, &mut uri);
            }
            Component::ParentDir => {
                if !uri.is_empty() {
                    uri.push('/');
                }
                uri.push_str("..");
            }
            Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
        }
    }
    ArtifactUri {
        uri,
        relative: true,
    }
}

fn absolute_uri(path: &Path) -> ArtifactUri {
    ArtifactUri {
        uri: file_uri(path),
        relative: false,
    }
}

/// `file:///…` for an absolute path.
fn file_uri(path: &Path) -> String {
    let mut uri = String::from("file://");
    for component in path.components() {
        match component {
            Component::Prefix(prefix) => {
                // A Windows drive (`C:`): `file:///C:/…`.
                uri.push('/');
                percent_encode(&os_bytes(prefix.as_os_str()), true, &mut uri);
            }
            Component::RootDir => uri.push('/'),
            Component::Normal(name) => {
                if !uri.ends_with('/') {
                    uri.push('/');
                }
                percent_encode(&os_bytes(name), true, &mut uri);
            }
            Component::CurDir | Component::ParentDir => {}
        }
    }
    if uri == "file://" {
        uri.push('/');
    }
    uri
}

/// The bytes of a path component (on Unix, exactly; elsewhere, as UTF-8).
fn os_bytes(name: &std::ffi::OsStr) -> Cow<'_, [u8]> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Cow::Borrowed(name.as_bytes())
    }
    #[cfg(not(unix))]
    {
        Cow::Owned(name.to_string_lossy().into_owned().into_bytes())
    }
}

/// Appends one path segment to a URI: RFC 3986 unreserved characters and the sub-delimiters
/// that are unambiguous in a path stay, every other byte (space, `%`, `#`, `?`, `+`, non-ASCII,
/// invalid UTF-8) becomes `%HH`.
fn percent_encode(segment: &[u8], allow_colon: bool, out: &mut String) {
    for &b in segment {
        let keep = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b','
                    | b';'
                    | b'='
                    | b'@'
            )
            || (allow_colon && b == b':');
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

/// The SARIF level of a severity.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

/// The `security-severity` GitHub code scanning ranks alerts by (a CVSS-like score).
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "7.5",
        Severity::Medium => "5.0",
        Severity::Low => "2.0",
    }
}

/// `google-api-key` → `GoogleApiKey`.
fn pascal_case(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            let first = chars.next().map(|c| c.to_ascii_uppercase());
            first.into_iter().chain(chars).collect::<String>()
        })
        .collect()
}

/// What a rule's description names, without where it is found: "AWS secret access key in a
/// parameter named for it" → "AWS secret access key".
fn subject(description: &str) -> &str {
    match description.find(" in ") {
        Some(at) if at > 0 => &description[..at],
        _ => description,
    }
}

/// One result in the making: every finding of one secret of one rule in one file.
#[derive(Debug)]
struct Group {
    rule: &'static str,
    /// The worst severity of its findings.
    severity: Severity,
    /// The highest confidence of its findings.
    confidence: Confidence,
    kind: Kind,
    cwe: &'static [&'static str],
    fingerprint: String,
    /// The severity of its rule, when the rule is known (a result whose severity differs says so).
    rule_severity: Option<Severity>,
    uri: ArtifactUri,
    /// The first finding's field, parameter, secret as shown, time and client.
    field: Cow<'static, str>,
    param: Option<String>,
    secret: String,
    timestamp: Option<String>,
    client: Option<String>,
    /// The first finding's request host and path (its secrets masked unless shown).
    host: Option<String>,
    path: Option<String>,
    details: Details,
    /// (line, column) of the first findings, as many as the caps allow.
    locations: Vec<(u64, usize)>,
    /// All its findings, listed or not.
    occurrences: u64,
}

/// A SARIF log, written when the scan ends.
pub struct SarifReport<'w> {
    out: Box<dyn Write + 'w>,
    options: ReportOptions,
    rules: Vec<&'static Rule>,
    uris: UriMaker,
    limits: Limits,
    /// The results, in the order of their first finding.
    groups: Vec<Group>,
    /// (rule, fingerprint, file) → index in `groups`.
    index: HashMap<(&'static str, String, DisplayPath), usize>,
    /// The URI of the file of the latest new result (findings come file by file).
    last_uri: Option<(DisplayPath, ArtifactUri)>,
    findings: u64,
    stored_locations: usize,
    unlisted_occurrences: u64,
    dropped_findings: u64,
    dropped_results: u64,
    /// False once a file had more distinct dropped results than could be remembered.
    dropped_results_exact: bool,
    /// The file whose dropped results `dropped_keys` holds (hashes of rule and fingerprint).
    dropped_file: Option<DisplayPath>,
    dropped_keys: HashSet<u64>,
    /// Inputs that could not be read: the run did not succeed.
    input_problems: Vec<String>,
    /// The scan's parameters.
    parameters: serde_json::Map<String, serde_json::Value>,
    finished: bool,
}

impl<'w> SarifReport<'w> {
    /// A report writing to `out`.
    pub fn new(out: Box<dyn Write + 'w>, options: ReportOptions, context: ReportContext) -> Self {
        let uris = UriMaker::new(std::env::current_dir().ok(), context.sarif_root.as_deref());
        let mut report = Self::with(out, options, context.rules, uris, Limits::DEFAULT);
        report.parameters = context.parameters;
        report
    }

    fn with(
        out: Box<dyn Write + 'w>,
        options: ReportOptions,
        rules: Vec<&'static Rule>,
        uris: UriMaker,
        limits: Limits,
    ) -> Self {
        SarifReport {
            out,
            options,
            rules,
            uris,
            limits,
            groups: Vec::new(),
            index: HashMap::new(),
            last_uri: None,
            findings: 0,
            stored_locations: 0,
            unlisted_occurrences: 0,
            dropped_findings: 0,
            dropped_results: 0,
            dropped_results_exact: true,
            dropped_file: None,
            dropped_keys: HashSet::new(),
            input_problems: Vec::new(),
            parameters: serde_json::Map::new(),
            finished: false,
        }
    }

    fn uri_of(&mut self, file: &DisplayPath) -> ArtifactUri {
        match &self.last_uri {
            Some((last, uri)) if last == file => uri.clone(),
            _ => {
                let uri = self.uris.uri(file);
                self.last_uri = Some((file.clone(), uri.clone()));
                uri
            }
        }
    }

    /// Counts a finding whose result is beyond the results limit. Findings come file by file, so
    /// remembering the dropped results of the current file is enough to count them exactly.
    fn drop_finding(&mut self, rule: &str, fingerprint: &str, file: &DisplayPath) {
        self.dropped_findings += 1;
        if self.dropped_file.as_ref() != Some(file) {
            self.dropped_file = Some(file.clone());
            self.dropped_keys.clear();
        }
        let mut hasher = std::hash::DefaultHasher::new();
        (rule, fingerprint).hash(&mut hasher);
        let key = hasher.finish();
        if self.dropped_keys.contains(&key) {
            return;
        }
        if self.dropped_keys.len() < self.limits.dropped_keys {
            self.dropped_keys.insert(key);
            self.dropped_results += 1;
        } else {
            self.dropped_results_exact = false;
        }
    }

    /// The rules that have results: catalogue order, then rules the catalogue lacks.
    fn descriptors(&self) -> Vec<Descriptor> {
        let mut used: Vec<&'static str> = Vec::new();
        let mut seen = HashSet::new();
        for group in &self.groups {
            if seen.insert(group.rule) {
                used.push(group.rule);
            }
        }
        let mut descriptors: Vec<Descriptor> = self
            .rules
            .iter()
            .filter(|r| seen.contains(r.id))
            .map(|r| Descriptor::new(RuleFacts::of_rule(r)))
            .collect();
        let described: HashSet<&str> = descriptors.iter().map(|d| d.id).collect();
        for id in used {
            if !described.contains(id) {
                let group = self.groups.iter().find(|g| g.rule == id);
                if let Some(group) = group {
                    descriptors.push(Descriptor::new(RuleFacts::of_group(group)));
                }
            }
        }
        descriptors
    }

    fn notifications(&self) -> Vec<Notification> {
        let mut notes: Vec<Notification> = self
            .input_problems
            .iter()
            .map(|problem| Notification {
                level: "error",
                message: Text {
                    text: problem.clone(),
                },
            })
            .collect();
        if self.dropped_findings > 0 {
            let at_least = if self.dropped_results_exact {
                ""
            } else {
                "at least "
            };
            notes.push(Notification {
                level: "warning",
                message: Text {
                    text: format!(
                        "Only the first {} results are in this log, the most a run may hold for \
                         GitHub code scanning: {at_least}{} ({}) {} left out. Use --format \
                         jsonl to see every finding.",
                        self.limits.results,
                        crate::printable::counted(self.dropped_results, "further result"),
                        crate::printable::counted(self.dropped_findings, "finding"),
                        if self.dropped_results == 1 {
                            "was"
                        } else {
                            "were"
                        },
                    ),
                },
            });
        }
        if self.unlisted_occurrences > 0 {
            notes.push(Notification {
                level: "note",
                message: Text {
                    text: format!(
                        "{} occurrences are counted in the results' properties.occurrences but \
                         not listed as locations (at most {} locations per result and {} in all).",
                        self.unlisted_occurrences,
                        self.limits.locations_per_result,
                        self.limits.stored_locations
                    ),
                },
            });
        }
        notes
    }

    fn write_log(&mut self) -> io::Result<()> {
        let descriptors = self.descriptors();
        let rule_index: HashMap<&str, usize> = descriptors
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id, i))
            .collect();
        let subjects: HashMap<&str, &str> = descriptors
            .iter()
            .map(|d| (d.id, subject(d.description)))
            .collect();
        let root_uri = self.uris.root_uri();
        let log = Log {
            schema: SCHEMA_URI,
            version: "2.1.0",
            runs: [Run {
                tool: Tool {
                    driver: Driver {
                        name: "logleaks",
                        information_uri: INFORMATION_URI,
                        version: env!("CARGO_PKG_VERSION"),
                        semantic_version: env!("CARGO_PKG_VERSION"),
                        rules: &descriptors,
                    },
                },
                invocations: [Invocation {
                    execution_successful: self.input_problems.is_empty(),
                    tool_execution_notifications: self.notifications(),
                    properties: InvocationProperties {
                        logleaks_version: crate::meta::VERSION,
                        schema_version: crate::meta::SCHEMA_VERSION,
                        fingerprint_key: crate::meta::fingerprint_key_id(
                            self.options.fingerprint_key.as_deref(),
                        ),
                        parameters: &self.parameters,
                    },
                }],
                original_uri_base_ids: BTreeMap::from([(
                    SRCROOT,
                    BaseUri {
                        uri: root_uri,
                        description: Text {
                            text: "The directory relative file URIs start from: the current \
                                   directory of the scan, or --sarif-root."
                                .to_string(),
                        },
                    },
                )]),
                results: Results {
                    groups: &self.groups,
                    rule_index: &rule_index,
                    subjects: &subjects,
                    label: self.options.label.as_deref(),
                },
                properties: RunProperties {
                    findings: self.findings,
                    results: self.groups.len(),
                    dropped_results: self.dropped_results,
                    dropped_results_is_minimum: !self.dropped_results_exact,
                    dropped_findings: self.dropped_findings,
                    unlisted_occurrences: self.unlisted_occurrences,
                },
            }],
        };
        serde_json::to_writer(&mut self.out, &log)?;
        self.out.write_all(b"\n")
    }
}

impl Report for SarifReport<'_> {
    fn finding(&mut self, finding: &Finding) -> io::Result<()> {
        self.findings += 1;
        let fingerprint = finding
            .secret
            .fingerprint(self.options.fingerprint_key.as_deref());
        let key = (finding.rule, fingerprint, finding.file.clone());
        let index = match self.index.get(&key) {
            Some(&index) => index,
            None if self.groups.len() >= self.limits.results => {
                self.drop_finding(finding.rule, &key.1, &finding.file);
                return Ok(());
            }
            None => {
                let uri = self.uri_of(&finding.file);
                let record = &finding.record;
                self.groups.push(Group {
                    rule: finding.rule,
                    severity: finding.severity,
                    confidence: finding.confidence,
                    kind: finding.kind,
                    cwe: finding.cwe,
                    fingerprint: key.1.clone(),
                    rule_severity: self
                        .rules
                        .iter()
                        .find(|r| r.id == finding.rule)
                        .map(|r| r.severity),
                    uri,
                    field: finding.field.to_output(),
                    param: finding.param.as_deref().map(display_bytes),
                    secret: shown_secret(finding, &self.options).to_display(),
                    timestamp: record.timestamp.clone(),
                    client: record.client.as_deref().map(display_bytes),
                    host: record.host.as_deref().map(display_bytes),
                    path: record
                        .shown_path(self.options.show_secrets)
                        .map(display_bytes),
                    details: finding.details.clone(),
                    locations: Vec::new(),
                    occurrences: 0,
                });
                let index = self.groups.len() - 1;
                self.index.insert(key, index);
                index
            }
        };
        let group = &mut self.groups[index];
        group.occurrences += 1;
        group.severity = group.severity.max(finding.severity);
        group.confidence = group.confidence.max(finding.confidence);
        if group.locations.len() < self.limits.locations_per_result
            && self.stored_locations < self.limits.stored_locations
        {
            group.locations.push((finding.line, finding.column));
            self.stored_locations += 1;
        } else {
            self.unlisted_occurrences += 1;
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        if !self.finished {
            self.finished = true;
            self.write_log()?;
        }
        self.out.flush()
    }

    fn flush(&mut self) -> io::Result<()> {
        // Nothing is written before `finish`.
        self.out.flush()
    }

    fn input_problem(&mut self, path: &str, message: &str) {
        self.input_problems.push(format!("{path}: {message}"));
    }
}

/// What a reporting descriptor is made from.
struct RuleFacts {
    id: &'static str,
    description: &'static str,
    kind: Kind,
    severity: Severity,
    confidence: Confidence,
    cwe: &'static [&'static str],
    references: &'static [String],
    notes: Option<&'static str>,
    vendor: Option<&'static str>,
    rotate: Option<&'static str>,
}

impl RuleFacts {
    fn of_rule(rule: &'static Rule) -> Self {
        RuleFacts {
            id: rule.id,
            description: rule.description,
            kind: rule.kind,
            severity: rule.severity,
            confidence: rule.confidence,
            cwe: rule.cwe,
            references: &rule.references,
            notes: rule.notes.as_deref(),
            vendor: rule.vendor,
            rotate: rule.rotate,
        }
    }

    /// For a rule missing from the catalogue: what its findings tell.
    fn of_group(group: &Group) -> Self {
        RuleFacts {
            id: group.rule,
            description: group.rule,
            kind: group.kind,
            severity: group.severity,
            confidence: group.confidence,
            cwe: group.cwe,
            references: &[],
            notes: None,
            vendor: None,
            rotate: None,
        }
    }
}

/// The first step of the remedy, by kind of credential.
fn first_step(kind: Kind) -> &'static str {
    match kind {
        Kind::Password => {
            "Change the password now (and everywhere else it is used), and check the account's \
             recent activity for logins you do not expect."
        }
        Kind::Session => {
            "End the session now (log it out or invalidate it on the server), and check what was \
             done with it."
        }
        Kind::SignedUrl => {
            "Revoke the credential that signed the URL (or wait for it to expire if that is \
             soon), and check the access logs of what it points to."
        }
        Kind::Webhook => {
            "Regenerate the webhook URL now, so that the logged one stops accepting posts."
        }
        Kind::PrivateKey => {
            "Replace the key pair now, revoke any certificate of the old key, and check where it \
             was trusted."
        }
        Kind::ApiKey | Kind::AccessToken | Kind::Credential => {
            "Rotate or revoke the credential now at its issuer, and check the issuer's audit logs \
             for use you do not expect."
        }
    }
}

const WHY: &str = "Web servers write the request line (path and query string), the referer and \
    sometimes headers and bodies into their logs. A credential there can be read and used by \
    anyone who can read the logs: operators, log shippers and monitoring services, backups, and \
    whoever gets hold of a copy. On its way it was also visible to proxies, browser history and \
    referer headers. Treat it as compromised.";

const RESTRICT: &str = "Restrict the replacement so that a future leak is worth less: limit \
    keys to the IP addresses, referrers, APIs and scopes that need them, and prefer short-lived \
    tokens.";

const NO_URLS: &str = "Stop sending credentials in URLs: send them in a request header (such as \
    Authorization) or in a POST body, which servers do not log by default.";

const PURGE: &str = "Purge the logs: mask the secret with `logleaks redact`, and remove it from \
    rotated and shipped copies (log platforms, SIEM, backups) too.";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: &'static str,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<&'static str>,
    default_configuration: Configuration,
    properties: DescriptorProperties,
    #[serde(skip)]
    description: &'static str,
}

impl Descriptor {
    fn new(rule: RuleFacts) -> Self {
        let mut full = format!(
            "{}, written into a web server log where anyone who can read the log can use it.",
            rule.description
        );
        if let Some(notes) = rule.notes {
            full.push(' ');
            full.push_str(notes);
        }
        let steps = [first_step(rule.kind), RESTRICT, NO_URLS, PURGE];
        let mut text = format!("{}\n\n", rule.description);
        let mut markdown = format!("**{}**\n\n", rule.description);
        if let Some(vendor) = rule.vendor {
            text.push_str(&format!("Issued by: {vendor}\n"));
            markdown.push_str(&format!("Issued by: {vendor}  \n"));
        }
        if let Some(rotate) = rule.rotate {
            text.push_str(&format!("How to revoke or rotate it: {rotate}\n"));
            markdown.push_str(&format!("How to revoke or rotate it: <{rotate}>\n"));
        }
        if rule.vendor.is_some() || rule.rotate.is_some() {
            text.push('\n');
            markdown.push('\n');
        }
        text.push_str(&format!("{WHY}\n\nWhat to do:\n"));
        markdown.push_str(&format!("{WHY}\n\n## What to do\n\n"));
        for (i, step) in steps.iter().enumerate() {
            text.push_str(&format!("{}. {step}\n", i + 1));
            markdown.push_str(&format!("{}. {step}\n", i + 1));
        }
        if !rule.references.is_empty() {
            text.push_str("\nReferences:\n");
            markdown.push_str("\n## References\n\n");
            for reference in rule.references {
                text.push_str(&format!("- {reference}\n"));
                markdown.push_str(&format!("- <{reference}>\n"));
            }
        }
        let mut tags = vec!["security".to_string(), "secret".to_string()];
        for cwe in rule.cwe {
            let tag = format!("external/cwe/{}", cwe.to_ascii_lowercase());
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        Descriptor {
            id: rule.id,
            name: pascal_case(rule.id),
            short_description: Text {
                text: rule.description.to_string(),
            },
            full_description: Text { text: full },
            help: Help { text, markdown },
            help_uri: rule.references.first().map(String::as_str),
            default_configuration: Configuration {
                level: level(rule.severity),
            },
            properties: DescriptorProperties {
                tags,
                security_severity: security_severity(rule.severity),
                vendor: rule.vendor,
                rotate: rule.rotate,
                precision: rule.confidence.as_str(),
            },
            description: rule.description,
        }
    }
}

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    invocations: [Invocation<'a>; 1],
    original_uri_base_ids: BTreeMap<&'static str, BaseUri>,
    results: Results<'a>,
    properties: RunProperties,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    information_uri: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: &'a [Descriptor],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation<'a> {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
    properties: InvocationProperties<'a>,
}

/// Run metadata (SPEC "Run metadata"), with the names of the other outputs.
#[derive(Serialize)]
struct InvocationProperties<'a> {
    logleaks_version: &'static str,
    schema_version: u32,
    fingerprint_key: String,
    parameters: &'a serde_json::Map<String, serde_json::Value>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
}

#[derive(Serialize)]
struct BaseUri {
    #[serde(skip_serializing_if = "Option::is_none")]
    uri: Option<String>,
    description: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunProperties {
    findings: u64,
    results: usize,
    dropped_results: u64,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    dropped_results_is_minimum: bool,
    dropped_findings: u64,
    unlisted_occurrences: u64,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct DescriptorProperties {
    tags: Vec<String>,
    #[serde(rename = "security-severity")]
    security_severity: &'static str,
    precision: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    vendor: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rotate: Option<&'static str>,
}

/// The results, serialised one by one from the groups (no second copy of the log in memory).
struct Results<'a> {
    groups: &'a [Group],
    rule_index: &'a HashMap<&'a str, usize>,
    subjects: &'a HashMap<&'a str, &'a str>,
    label: Option<&'a str>,
}

impl Serialize for Results<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.groups.iter().map(|group| {
            let subject = self.subjects.get(group.rule).copied().unwrap_or(group.rule);
            SarifResult {
                rule_id: group.rule,
                rule_index: self.rule_index.get(group.rule).copied().unwrap_or(0),
                level: level(group.severity),
                message: Text {
                    text: message(subject, group),
                },
                locations: Locations {
                    uri: &group.uri,
                    spots: &group.locations,
                },
                partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, &*group.fingerprint)]),
                properties: ResultProperties {
                    security_severity: group
                        .rule_severity
                        .filter(|s| *s != group.severity)
                        .map(|_| security_severity(group.severity)),
                    kind: group.kind.as_str(),
                    severity: group.severity.as_str(),
                    confidence: group.confidence.as_str(),
                    field: &group.field,
                    param: group.param.as_deref(),
                    occurrences: group.occurrences,
                    timestamp: group.timestamp.as_deref(),
                    client: group.client.as_deref(),
                    host: group.host.as_deref(),
                    path: group.path.as_deref(),
                    source: self.label,
                    details: &group.details,
                },
            }
        }))
    }
}

/// "Google API key leaked in request.query parameter `key`: AIza…UZ-R (seen 12 times)".
fn message(subject: &str, group: &Group) -> String {
    let place = match (&group.param, group.field.as_ref()) {
        (None, field) => field.to_string(),
        (Some(param), "cookie") => format!("cookie `{param}`"),
        (Some(param), field)
            if field
                .strip_prefix("header.")
                .is_some_and(|h| h.eq_ignore_ascii_case(param)) =>
        {
            field.to_string()
        }
        (Some(param), field) => format!("{field} parameter `{param}`"),
    };
    let mut text = format!("{subject} leaked in {place}: {}", group.secret);
    if group.occurrences > 1 {
        text.push_str(&format!(" (seen {} times)", group.occurrences));
    }
    text
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Locations<'a>,
    partial_fingerprints: BTreeMap<&'static str, &'a str>,
    properties: ResultProperties<'a>,
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    /// Only when the result's severity is not its rule's (an expired token, a restricted key).
    #[serde(rename = "security-severity", skip_serializing_if = "Option::is_none")]
    security_severity: Option<&'static str>,
    kind: &'static str,
    severity: &'static str,
    confidence: &'static str,
    field: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    param: Option<&'a str>,
    occurrences: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    timestamp: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    host: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    #[serde(skip_serializing_if = "Details::is_empty")]
    details: &'a Details,
}

struct Locations<'a> {
    uri: &'a ArtifactUri,
    spots: &'a [(u64, usize)],
}

impl Serialize for Locations<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let artifact = ArtifactLocation {
            uri: &self.uri.uri,
            uri_base_id: self.uri.relative.then_some(SRCROOT),
        };
        serializer.collect_seq(self.spots.iter().map(|&(line, column)| Location {
            physical_location: PhysicalLocation {
                artifact_location: &artifact,
                // Columns are 1-based byte offsets in the line, as in every logleaks output.
                // SARIF's default column unit is UTF-16 code units; for the ASCII that web
                // server logs are made of (nginx and Apache escape other bytes) both are the
                // same, and the report has no line text to convert with.
                region: Region {
                    start_line: line.max(1),
                    start_column: column.max(1),
                },
            },
        }))
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: PhysicalLocation<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: &'a ArtifactLocation<'a>,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation<'a> {
    uri: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u64,
    start_column: usize,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{FieldName, RecordFacts, Secret};
    use serde_json::Value;

    fn finding(rule: &'static str, secret: &str, file: &str, line: u64) -> Finding {
        Finding {
            rule,
            kind: Kind::ApiKey,
            severity: Severity::High,
            confidence: Confidence::High,
            file: DisplayPath::new(file),
            line,
            column: 40,
            field: FieldName::RequestQuery,
            param: Some(b"key".to_vec()),
            secret: Secret::new(secret.as_bytes().to_vec()),
            prefix: Some("AIza"),
            record: RecordFacts {
                timestamp: Some(format!("2024-05-01T10:00:{:02}+00:00", line % 60)),
                client: Some(format!("10.0.0.{line}").into_bytes()),
                ..RecordFacts::default()
            },
            details: Details::default(),
            cwe: &["CWE-598", "CWE-532"],
        }
    }

    const KEY_A: &str = "AIza-8GGyLXsRPdpluvFVS8h2TS097T84g9UZ-R";
    const KEY_B: &str = "AIzaGyVyqOCCtjsqx6C7phDVOOvHsNZxV9uC61B";

    fn uris() -> UriMaker {
        UriMaker::new(Some(PathBuf::from("/srv/scan")), None)
    }

    fn run(findings: &[Finding], options: ReportOptions, limits: Limits) -> Value {
        let rules = crate::rules::builtin().iter().collect();
        let mut out = Vec::new();
        {
            let mut report = SarifReport::with(Box::new(&mut out), options, rules, uris(), limits);
            for f in findings {
                report.finding(f).unwrap();
            }
            report.finish().unwrap();
        }
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().count(), 1, "compact, one line: {text}");
        serde_json::from_str(&text).unwrap()
    }

    #[test]
    fn findings_group_by_rule_secret_and_file() {
        let findings = [
            finding("google-api-key", KEY_A, "logs/a.log", 1),
            finding("google-api-key", KEY_B, "logs/a.log", 2),
            finding("google-api-key", KEY_A, "logs/a.log", 3),
            finding("google-api-key", KEY_A, "logs/b.log", 1),
            finding("generic-credential-param", KEY_A, "logs/b.log", 2),
        ];
        let log = run(&findings, ReportOptions::default(), Limits::DEFAULT);
        let run = &log["runs"][0];
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), 4);
        let first = &results[0];
        assert_eq!(first["ruleId"], "google-api-key");
        assert_eq!(first["locations"].as_array().unwrap().len(), 2);
        assert_eq!(first["properties"]["occurrences"], 2);
        assert_eq!(
            first["message"]["text"],
            "Google API key leaked in request.query parameter `key`: AIza…UZ-R (seen 2 times)"
        );
        assert_eq!(
            first["partialFingerprints"][FINGERPRINT_KEY],
            Secret::new(KEY_A.as_bytes().to_vec()).fingerprint(None)
        );
        // The first occurrence's facts.
        assert_eq!(
            first["properties"]["timestamp"],
            "2024-05-01T10:00:01+00:00"
        );
        assert_eq!(first["properties"]["client"], "10.0.0.1");
        let lines: Vec<_> = first["locations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                l["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap()
            })
            .collect();
        assert_eq!(lines, [1, 3]);
        assert_eq!(results[1]["properties"]["occurrences"], 1);
        assert!(!results[1]["message"]["text"]
            .as_str()
            .unwrap()
            .contains("seen"));
        // Two rules used, described in catalogue order, indexed by the results.
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules.len(), 2);
        for result in results {
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], result["ruleId"]);
        }
        assert_eq!(rules[0]["name"], "GoogleApiKey");
        assert_eq!(
            rules[0]["helpUri"],
            "https://cloud.google.com/docs/authentication/api-keys"
        );
        let text = log.to_string();
        assert!(!text.contains(KEY_A) && !text.contains(KEY_B), "{text}");
    }

    #[test]
    fn show_secrets_puts_the_secret_in_the_message() {
        let findings = [finding("google-api-key", KEY_A, "a.log", 1)];
        let options = ReportOptions {
            show_secrets: true,
            ..ReportOptions::default()
        };
        let log = run(&findings, options, Limits::DEFAULT);
        let text = log["runs"][0]["results"][0]["message"]["text"]
            .as_str()
            .unwrap();
        assert!(text.contains(KEY_A), "{text}");
    }

    #[test]
    fn results_beyond_the_limit_are_counted_not_written() {
        let keys: Vec<String> = (0..6).map(|i| format!("AIza{i:035}")).collect();
        let mut findings = Vec::new();
        for (i, key) in keys.iter().enumerate() {
            findings.push(finding("google-api-key", key, "a.log", i as u64 + 1));
            findings.push(finding("google-api-key", key, "a.log", i as u64 + 100));
        }
        let limits = Limits {
            results: 4,
            ..Limits::DEFAULT
        };
        let log = run(&findings, ReportOptions::default(), limits);
        let run = &log["runs"][0];
        assert_eq!(run["results"].as_array().unwrap().len(), 4);
        assert_eq!(run["properties"]["findings"], 12);
        assert_eq!(run["properties"]["droppedResults"], 2);
        assert_eq!(run["properties"]["droppedFindings"], 4);
        assert!(run["properties"].get("droppedResultsIsMinimum").is_none());
        let notes = run["invocations"][0]["toolExecutionNotifications"]
            .as_array()
            .unwrap();
        let text = notes[0]["message"]["text"].as_str().unwrap();
        assert!(text.contains("2 further results (4 findings)"), "{text}");
        assert_eq!(run["invocations"][0]["executionSuccessful"], true);
    }

    #[test]
    fn dropped_results_beyond_memory_are_a_lower_bound() {
        let findings: Vec<Finding> = (0..5)
            .map(|i| finding("google-api-key", &format!("AIza{i:035}"), "a.log", i + 1))
            .collect();
        let limits = Limits {
            results: 1,
            dropped_keys: 2,
            ..Limits::DEFAULT
        };
        let log = run(&findings, ReportOptions::default(), limits);
        let properties = &log["runs"][0]["properties"];
        assert_eq!(properties["droppedResults"], 2);
        assert_eq!(properties["droppedFindings"], 4);
        assert_eq!(properties["droppedResultsIsMinimum"], true);
    }

    #[test]
    fn locations_are_capped_but_occurrences_counted() {
        let mut findings: Vec<Finding> = (1..=5)
            .map(|line| finding("google-api-key", KEY_A, "a.log", line))
            .collect();
        findings.extend((1..=5).map(|line| finding("google-api-key", KEY_B, "a.log", line)));
        let limits = Limits {
            locations_per_result: 3,
            stored_locations: 4,
            ..Limits::DEFAULT
        };
        let log = run(&findings, ReportOptions::default(), limits);
        let run = &log["runs"][0];
        let results = run["results"].as_array().unwrap();
        assert_eq!(results[0]["locations"].as_array().unwrap().len(), 3);
        assert_eq!(results[0]["properties"]["occurrences"], 5);
        // Only one location is left of the total cap for the second result.
        assert_eq!(results[1]["locations"].as_array().unwrap().len(), 1);
        assert_eq!(results[1]["properties"]["occurrences"], 5);
        assert_eq!(run["properties"]["unlistedOccurrences"], 6);
        let notes = run["invocations"][0]["toolExecutionNotifications"]
            .as_array()
            .unwrap();
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0]["level"], "note");
    }

    #[test]
    fn uris_are_relative_to_the_root_and_encoded() {
        let maker = uris();
        let uri = |p: &str| maker.uri(&DisplayPath::new(p));
        let relative = |s: &str| ArtifactUri {
            uri: s.to_string(),
            relative: true,
        };
        let absolute = |s: &str| ArtifactUri {
            uri: s.to_string(),
            relative: false,
        };
        assert_eq!(uri("logs/access.log"), relative("logs/access.log"));
        assert_eq!(uri("./logs/../access.log"), relative("access.log"));
        assert_eq!(
            uri("/srv/scan/nginx/access log#1.gz"),
            relative("nginx/access%20log%231.gz")
        );
        assert_eq!(uri("a:b%c+d.log"), relative("a%3Ab%25c%2Bd.log"));
        assert_eq!(
            uri("logs.tgz!var/log/x.log"),
            relative("logs.tgz!var/log/x.log")
        );
        assert_eq!(uri("journal/é.log"), relative("journal/%C3%A9.log"));
        assert_eq!(uri("../other/a.log"), absolute("file:///srv/other/a.log"));
        assert_eq!(
            uri("/var/log/my logs/a.log"),
            absolute("file:///var/log/my%20logs/a.log")
        );
        assert_eq!(uri("-"), absolute("stdin"));
        assert_eq!(maker.root_uri().as_deref(), Some("file:///srv/scan/"));

        let rooted = UriMaker::new(Some(PathBuf::from("/srv/scan")), Some(Path::new("..")));
        assert_eq!(
            rooted.uri(&DisplayPath::new("logs/a.log")),
            relative("scan/logs/a.log")
        );
        assert_eq!(rooted.root_uri().as_deref(), Some("file:///srv/"));
        let root_is_slash = UriMaker::new(Some(PathBuf::from("/")), None);
        assert_eq!(root_is_slash.root_uri().as_deref(), Some("file:///"));
        assert_eq!(
            root_is_slash.uri(&DisplayPath::new("var/log/a.log")),
            relative("var/log/a.log")
        );
    }

    #[cfg(unix)]
    #[test]
    fn invalid_utf8_paths_are_percent_encoded() {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"bad\xffname.log");
        let uri = uris().uri(&DisplayPath::new(Path::new("logs").join(name)));
        assert_eq!(uri.uri, "logs/bad%FFname.log");
    }

    #[test]
    fn relative_locations_use_the_root_base_and_stdin_none() {
        let findings = [
            finding("google-api-key", KEY_A, "a.log", 1),
            finding("google-api-key", KEY_A, "-", 2),
        ];
        let log = run(&findings, ReportOptions::default(), Limits::DEFAULT);
        let run = &log["runs"][0];
        let artifact =
            |i: usize| &run["results"][i]["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(artifact(0)["uri"], "a.log");
        assert_eq!(artifact(0)["uriBaseId"], SRCROOT);
        assert_eq!(artifact(1)["uri"], "stdin");
        assert!(artifact(1).get("uriBaseId").is_none());
        assert_eq!(
            run["originalUriBaseIds"][SRCROOT]["uri"],
            "file:///srv/scan/"
        );
        let region = &run["results"][0]["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startLine"], 1);
        assert_eq!(region["startColumn"], 40);
    }

    #[test]
    fn severities_map_to_levels_and_scores() {
        assert_eq!(level(Severity::Critical), "error");
        assert_eq!(level(Severity::High), "error");
        assert_eq!(level(Severity::Medium), "warning");
        assert_eq!(level(Severity::Low), "note");
        assert_eq!(security_severity(Severity::Critical), "9.5");
        assert_eq!(security_severity(Severity::Low), "2.0");

        let mut low = finding(
            "stripe-test-key",
            "sk_test_abcdefghijklmnopqrstuvwx",
            "a.log",
            1,
        );
        low.severity = Severity::Low;
        let mut medium = finding(
            "jwt",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln",
            "a.log",
            2,
        );
        medium.severity = Severity::Medium;
        // A lowered (e.g. expired) occurrence does not lower its result below the worst one.
        let mut lowered = finding("google-api-key", KEY_A, "a.log", 3);
        lowered.severity = Severity::Medium;
        let worst = finding("google-api-key", KEY_A, "a.log", 4);
        let log = run(
            &[low, medium, lowered, worst],
            ReportOptions::default(),
            Limits::DEFAULT,
        );
        let run = &log["runs"][0];
        let results = run["results"].as_array().unwrap();
        let levels: Vec<_> = results
            .iter()
            .map(|r| r["level"].as_str().unwrap())
            .collect();
        assert_eq!(levels, ["note", "warning", "error"]);
        assert_eq!(results[2]["properties"]["severity"], "high");
        for rule in run["tool"]["driver"]["rules"].as_array().unwrap() {
            let expected = match rule["id"].as_str().unwrap() {
                "stripe-test-key" => ("note", "2.0"),
                "jwt" => ("warning", "5.0"),
                "google-api-key" => ("error", "7.5"),
                other => panic!("unexpected rule {other}"),
            };
            assert_eq!(rule["defaultConfiguration"]["level"], expected.0);
            assert_eq!(rule["properties"]["security-severity"], expected.1);
            assert_eq!(rule["properties"]["precision"], "high");
            let tags = rule["properties"]["tags"].as_array().unwrap();
            assert!(
                tags.contains(&Value::from("external/cwe/cwe-598")),
                "{tags:?}"
            );
            assert!(tags.contains(&Value::from("security")), "{tags:?}");
        }
    }

    #[test]
    fn rules_missing_from_the_catalogue_are_still_described() {
        let mut custom = finding("acme-token", "acmetoken1234567890", "a.log", 1);
        custom.prefix = None;
        custom.field = FieldName::Header("x-acme-token".into());
        custom.param = Some(b"X-Acme-Token".to_vec());
        let log = run(&[custom], ReportOptions::default(), Limits::DEFAULT);
        let run = &log["runs"][0];
        let rule = &run["tool"]["driver"]["rules"][0];
        assert_eq!(rule["id"], "acme-token");
        assert_eq!(rule["name"], "AcmeToken");
        assert!(rule.get("helpUri").is_none());
        assert_eq!(
            run["results"][0]["message"]["text"],
            "acme-token leaked in header.x-acme-token: …7890"
        );
    }

    #[test]
    fn names_and_subjects() {
        assert_eq!(pascal_case("google-api-key"), "GoogleApiKey");
        assert_eq!(pascal_case("jwt"), "Jwt");
        assert_eq!(
            subject("AWS secret access key in a parameter named for it"),
            "AWS secret access key"
        );
        assert_eq!(subject("Google API key"), "Google API key");
    }

    #[test]
    fn an_empty_scan_is_a_valid_empty_run() {
        let log = run(&[], ReportOptions::default(), Limits::DEFAULT);
        assert_eq!(log["version"], "2.1.0");
        let run = &log["runs"][0];
        assert_eq!(run["results"], Value::Array(vec![]));
        assert_eq!(run["tool"]["driver"]["rules"], Value::Array(vec![]));
        assert!(run["invocations"][0]
            .get("toolExecutionNotifications")
            .is_none());
    }
}
