//! `--format json` (one array) and `--format jsonl` (one object per line).

use std::io::{self, Write};

use serde::Serialize;

use super::{shown_secret, Bytes, Report, ReportOptions};
use crate::finding::{Details, Finding};

/// A finding as a JSON object, with the field names of the product contract.
#[derive(Serialize)]
pub struct JsonFinding<'a> {
    rule: &'a str,
    kind: &'a str,
    severity: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    vendor: Option<&'static str>,
    confidence: &'a str,
    file: Bytes,
    line: u64,
    column: usize,
    field: std::borrow::Cow<'static, str>,
    param: Option<Bytes>,
    secret: Bytes,
    fingerprint: String,
    fingerprint_key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    timestamp: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client: Option<Bytes>,
    #[serde(skip_serializing_if = "Option::is_none")]
    method: Option<Bytes>,
    #[serde(skip_serializing_if = "Option::is_none")]
    host: Option<Bytes>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<Bytes>,
    #[serde(skip_serializing_if = "Option::is_none")]
    referer_host: Option<Bytes>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_agent: Option<Bytes>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    cwe: &'a [&'a str],
    #[serde(skip_serializing_if = "Details::is_empty")]
    details: &'a Details,
}

impl<'a> JsonFinding<'a> {
    /// The JSON view of `finding`.
    pub fn new(finding: &'a Finding, options: &'a ReportOptions) -> Self {
        let record = &finding.record;
        let bytes = |v: &Option<Vec<u8>>| v.clone().map(Bytes);
        JsonFinding {
            rule: finding.rule,
            kind: finding.kind.as_str(),
            severity: finding.severity.as_str(),
            vendor: crate::rules::vendor_of(finding.rule),
            confidence: finding.confidence.as_str(),
            file: Bytes(finding.file.as_bytes().into_owned()),
            line: finding.line,
            column: finding.column,
            field: finding.field.to_output(),
            param: bytes(&finding.param),
            secret: shown_secret(finding, options),
            fingerprint: finding
                .secret
                .fingerprint(options.fingerprint_key.as_deref()),
            fingerprint_key: crate::meta::fingerprint_key_id(options.fingerprint_key.as_deref()),
            format: record.format,
            timestamp: record.timestamp.as_deref(),
            client: bytes(&record.client),
            method: bytes(&record.method),
            host: bytes(&record.host),
            path: record
                .shown_path(options.show_secrets)
                .map(|p| Bytes(p.to_vec())),
            referer_host: bytes(&record.referer_host),
            status: record.status,
            user_agent: bytes(&record.user_agent),
            source: options.label.as_deref(),
            cwe: finding.cwe,
            details: &finding.details,
        }
    }
}

/// One JSON array, written element by element as findings arrive.
pub struct JsonReport<'w> {
    out: Box<dyn Write + 'w>,
    options: ReportOptions,
    count: u64,
}

impl<'w> JsonReport<'w> {
    /// A report writing to `out`.
    pub fn new(out: Box<dyn Write + 'w>, options: ReportOptions) -> Self {
        JsonReport {
            out,
            options,
            count: 0,
        }
    }
}

impl Report for JsonReport<'_> {
    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn finding(&mut self, finding: &Finding) -> io::Result<()> {
        self.out
            .write_all(if self.count == 0 { b"[\n" } else { b",\n" })?;
        self.count += 1;
        serde_json::to_writer(&mut self.out, &JsonFinding::new(finding, &self.options))?;
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out
            .write_all(if self.count == 0 { b"[]\n" } else { b"\n]\n" })?;
        self.out.flush()
    }
}

/// One JSON object per line.
pub struct JsonLinesReport<'w> {
    out: Box<dyn Write + 'w>,
    options: ReportOptions,
}

impl<'w> JsonLinesReport<'w> {
    /// A report writing to `out`.
    pub fn new(out: Box<dyn Write + 'w>, options: ReportOptions) -> Self {
        JsonLinesReport { out, options }
    }
}

impl Report for JsonLinesReport<'_> {
    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn finding(&mut self, finding: &Finding) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, &JsonFinding::new(finding, &self.options))?;
        self.out.write_all(b"\n")
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
