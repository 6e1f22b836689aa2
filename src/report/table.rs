//! `--format table`: aligned columns for people, written as findings arrive.

use std::io::{self, Write};

use super::{shown_secret, Report, ReportOptions};
use crate::finding::{Finding, Severity};

/// Widest `WHERE` column before it is shortened.
const WHERE_WIDTH: usize = 32;
/// Width of the secret column (redacted secrets fit).
const SECRET_WIDTH: usize = 18;

/// A table with one finding per row.
pub struct TableReport<'w> {
    out: Box<dyn Write + 'w>,
    options: ReportOptions,
    rule_width: usize,
    header_written: bool,
}

impl<'w> TableReport<'w> {
    /// A table writing to `out`; `rule_width` is the longest rule id in use.
    pub fn new(out: Box<dyn Write + 'w>, options: ReportOptions, rule_width: usize) -> Self {
        TableReport {
            out,
            options,
            rule_width: rule_width.max(4),
            header_written: false,
        }
    }

    fn severity_cell(&self, severity: Severity) -> String {
        let text = format!("{:<8}", severity.as_str());
        if !self.options.color {
            return text;
        }
        super::paint_severity(severity, &text)
    }
}

/// Shortens `text` to `width` characters, ending in `…` when cut.
fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(width - 1).collect();
    cut.push('…');
    cut
}

impl Report for TableReport<'_> {
    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn finding(&mut self, finding: &Finding) -> io::Result<()> {
        if !self.header_written {
            self.header_written = true;
            writeln!(
                self.out,
                "{:<8}  {:<6}  {:<rw$}  {:<ww$}  {:<sw$}  LOCATION",
                "SEVERITY",
                "CONF",
                "RULE",
                "WHERE",
                "SECRET",
                rw = self.rule_width,
                ww = WHERE_WIDTH,
                sw = SECRET_WIDTH
            )?;
        }
        let mut place = finding.field.to_output().into_owned();
        if let Some(param) = &finding.param {
            place.push('[');
            place.push_str(&super::display_bytes(param));
            place.push(']');
        }
        let secret = shown_secret(finding, &self.options).to_display();
        writeln!(
            self.out,
            "{}  {:<6}  {:<rw$}  {:<ww$}  {:<sw$}  {}:{}:{}",
            self.severity_cell(finding.severity),
            finding.confidence.as_str(),
            finding.rule,
            fit(&place, WHERE_WIDTH),
            secret,
            super::display_bytes(&finding.file.as_bytes()),
            finding.line,
            finding.column,
            rw = self.rule_width,
            ww = WHERE_WIDTH,
            sw = SECRET_WIDTH
        )
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
