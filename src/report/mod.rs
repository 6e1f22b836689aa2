//! Report writers: one per output shape, behind one trait. They turn findings into bytes and
//! know nothing about parsing or detection.

pub mod html;
mod json;
mod problems;
mod sarif;
mod summary;
mod table;

use std::io::{self, Write};

use crate::finding::Finding;

pub use crate::printable::{counted, display_bytes, paint_severity, serialize_bytes, Bytes};
pub use json::{JsonFinding, JsonLinesReport, JsonReport};
pub use problems::{ProblemKind, ProblemsWriter};
pub use sarif::SarifReport;
pub use summary::SummaryReport;
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
    /// A self-contained HTML incident report (inline charts, no script, never a secret, even
    /// with --show-secrets).
    Html,
}

/// What every report needs to know.
#[derive(Clone, Debug, Default)]
pub struct ReportOptions {
    /// Print secrets in clear.
    pub show_secrets: bool,
    /// Key for HMAC fingerprints (`LOGLEAKS_FINGERPRINT_KEY`).
    pub fingerprint_key: Option<Vec<u8>>,
    /// Colour severities (tables only).
    pub color: bool,
    /// The width of the terminal the table goes to; `None` (a pipe or a file) keeps fixed
    /// columns, so that the output is byte-identical between runs.
    pub terminal_width: Option<usize>,
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
    /// An input that could not be read (the run will exit with 2), for outputs that have a place
    /// for it; `path` is as shown on stderr.
    fn input_problem(&mut self, _path: &str, _message: &str) {}
}

/// What some reports need beyond [`ReportOptions`].
#[derive(Clone, Debug, Default)]
pub struct ReportContext {
    /// The rules in use (SARIF describes each rule that has results).
    pub rules: Vec<&'static crate::rules::Rule>,
    /// SARIF file URIs are relative to this directory (default: the current directory).
    pub sarif_root: Option<std::path::PathBuf>,
    /// The scan's parameters, for outputs that record them (SARIF invocation properties).
    pub parameters: serde_json::Map<String, serde_json::Value>,
    /// The inputs as named on the command line (the HTML report lists them).
    pub inputs: Vec<Vec<u8>>,
    /// SHA-256 of every input file (`--hash-inputs`, HTML report).
    pub input_hashes: Vec<html::InputHash>,
    /// Secrets with a section of their own in the HTML report (`--top`).
    pub top: Option<usize>,
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
        Format::Summary => Box::new(SummaryReport::new(out, options)),
        Format::Html => Box::new(html::HtmlReport::new(out, options, context)),
    }
}

/// The secret as shown: redacted, or in clear with `--show-secrets`.
pub fn shown_secret(finding: &Finding, options: &ReportOptions) -> Bytes {
    if options.show_secrets {
        Bytes(finding.secret.expose().to_vec())
    } else {
        Bytes(finding.secret.redacted(finding.prefix).into_bytes())
    }
}
