//! Report writers: one per output shape, behind one trait. They turn findings into bytes and
//! know nothing about parsing or detection.

mod json;
mod sarif;
mod table;

use std::io::{self, Write};

use base64::Engine;
use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::finding::Finding;

pub use json::{JsonFinding, JsonLinesReport, JsonReport};
pub use sarif::SarifReport;
pub use table::TableReport;

/// The output shapes of `scan`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns, for people.
    Table,
    /// One JSON array.
    Json,
    /// One JSON object per line, written as found.
    Jsonl,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
    /// One entry per secret: counts, first and last seen, clients.
    Summary,
}

/// What every report needs to know.
#[derive(Clone, Debug, Default)]
pub struct ReportOptions {
    /// Print secrets in clear.
    pub show_secrets: bool,
    /// Key for HMAC fingerprints (`LOGLEAKS_FINGERPRINT_KEY`).
    pub fingerprint_key: Option<Vec<u8>>,
    /// Colour severities (tables on a terminal only).
    pub color: bool,
    /// Added to every finding as `source`.
    pub label: Option<String>,
}

/// A writer of findings in one output shape.
pub trait Report {
    /// Writes one finding.
    fn finding(&mut self, finding: &Finding) -> io::Result<()>;
    /// Writes whatever closes the output, and flushes it.
    fn finish(&mut self) -> io::Result<()>;
    /// Flushes what was written so far (the scan is waiting for more).
    fn flush(&mut self) -> io::Result<()>;
}

/// What some reports need beyond [`ReportOptions`].
#[derive(Clone, Debug, Default)]
pub struct ReportContext {
    /// The rules in use (SARIF describes each rule that has results).
    pub rules: Vec<&'static crate::rules::Rule>,
    /// SARIF file URIs are relative to this directory (default: the current directory).
    pub sarif_root: Option<std::path::PathBuf>,
}

/// Builds the report for `format` over `out`.
pub fn new_report<'w>(
    format: Format,
    out: Box<dyn Write + 'w>,
    options: ReportOptions,
    context: ReportContext,
) -> Box<dyn Report + 'w> {
    match format {
        Format::Table => {
            let rule_width = context.rules.iter().map(|r| r.id.len()).max().unwrap_or(4);
            Box::new(TableReport::new(out, options, rule_width))
        }
        Format::Json => Box::new(JsonReport::new(out, options)),
        Format::Jsonl => Box::new(JsonLinesReport::new(out, options)),
        Format::Sarif => Box::new(SarifReport::new(out, options, context)),
        Format::Summary => Box::new(crate::summary::SummaryReport::new(out, options)),
    }
}

/// `text` in the terminal colour of `severity` (ANSI escapes).
pub fn paint_severity(severity: crate::finding::Severity, text: &str) -> String {
    use crate::finding::Severity;
    let code = match severity {
        Severity::Critical => "1;31",
        Severity::High => "31",
        Severity::Medium => "33",
        Severity::Low => "36",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

/// The secret as shown: redacted, or in clear with `--show-secrets`.
pub fn shown_secret(finding: &Finding, options: &ReportOptions) -> Bytes {
    if options.show_secrets {
        Bytes(finding.secret.expose().to_vec())
    } else {
        Bytes(finding.secret.redacted(finding.prefix).into_bytes())
    }
}

/// Bytes that become a JSON string when they are UTF-8, and `{"bytes": "<base64>"}` otherwise.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bytes(pub Vec<u8>);

impl Bytes {
    /// Text for people: UTF-8 as is, invalid bytes and control characters (which could drive a
    /// terminal) escaped.
    pub fn to_display(&self) -> String {
        display_bytes(&self.0)
    }
}

impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_bytes(&self.0, serializer)
    }
}

/// Text for people from bytes a log author may have chosen: UTF-8 as is, invalid bytes as
/// `\xHH`, control characters as `\u{…}`.
pub fn display_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c.is_control() {
                out.extend(c.escape_unicode());
            } else {
                out.push(c);
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    out
}

/// Serialises bytes as a string when UTF-8, else as `{"bytes": base64}`.
pub fn serialize_bytes<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
    match std::str::from_utf8(bytes) {
        Ok(s) => serializer.serialize_str(s),
        Err(_) => {
            let mut map = serializer.serialize_map(Some(1))?;
            map.serialize_entry(
                "bytes",
                &base64::engine::general_purpose::STANDARD.encode(bytes),
            )?;
            map.end()
        }
    }
}
