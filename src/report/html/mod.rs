//! `--format html`: one self-contained incident report for people who decide — inline CSS and
//! SVG charts, no script, a Content-Security-Policy that forbids every fetch, and never a
//! secret (only redacted forms and fingerprints, even when the findings were made with
//! `--show-secrets`).
//!
//! The page is drawn from a [`Summary`] (findings are summed per secret first, so any number of
//! findings gives a page of bounded size) in the order an incident lead reads it: headline and
//! what to rotate first, the incident timeline, a section per top secret, a table of the others,
//! then the parameters that reproduce the scan.
//!
//! This module knows summaries and markup, never logs or detection.

mod escape;
mod layout;
mod page;
mod svg;

use std::io::{self, Write};

use super::{Report, ReportContext, ReportOptions};
use crate::finding::Finding;
use crate::summary::Summary;

pub use page::{write_page, InputHash, RunFacts};

/// Top secrets with a section of their own, unless `--top` says otherwise.
pub const DEFAULT_TOP: usize = 50;

/// The Content-Security-Policy of the page: nothing may be fetched, styles are inline.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/// `scan --format html`: findings summed per secret, written as the report when the scan ends.
pub struct HtmlReport<'w> {
    out: Box<dyn Write + 'w>,
    /// Options for the findings as they are summed: never with secrets in clear.
    options: ReportOptions,
    summary: Summary,
    run: RunFacts,
    top: usize,
}

impl<'w> HtmlReport<'w> {
    /// A report writing to `out`.
    pub fn new(out: Box<dyn Write + 'w>, options: ReportOptions, context: ReportContext) -> Self {
        let fingerprint_key = crate::meta::fingerprint_key_id(options.fingerprint_key.as_deref());
        let mut parameters: Vec<(String, String)> = context
            .parameters
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| {
                let value = match v {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                (k.clone(), value)
            })
            .collect();
        parameters.sort();
        HtmlReport {
            out,
            options: ReportOptions {
                show_secrets: false,
                color: false,
                terminal_width: None,
                ..options
            },
            summary: Summary::default(),
            run: RunFacts {
                command: "scan",
                inputs: context.inputs,
                parameters,
                input_hashes: context.input_hashes,
                fingerprint_key: Some(fingerprint_key),
                problems: Vec::new(),
            },
            top: context.top.unwrap_or(DEFAULT_TOP),
        }
    }
}

impl Report for HtmlReport<'_> {
    fn finding(&mut self, finding: &Finding) -> io::Result<()> {
        // As `--format jsonl` writes it (without `--show-secrets`), so that the page of a scan
        // and the page of `summary` over its findings agree.
        super::summary::add_finding(&mut self.summary, finding, &self.options)
    }

    fn finish(&mut self) -> io::Result<()> {
        write_page(&self.summary, &self.run, self.top, &mut self.out)?;
        self.out.flush()
    }

    fn flush(&mut self) -> io::Result<()> {
        // Nothing is written before the scan ends.
        Ok(())
    }

    fn input_problem(&mut self, path: &str, message: &str) {
        self.run.problems.push(format!("{path}: {message}"));
    }
}
