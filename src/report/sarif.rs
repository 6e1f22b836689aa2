//! `--format sarif`: SARIF 2.1.0 for code-scanning dashboards.

use std::io::{self, Write};

use super::{Report, ReportContext, ReportOptions};
use crate::finding::Finding;

/// A SARIF log, written when the scan ends.
pub struct SarifReport<'w> {
    out: Box<dyn Write + 'w>,
}

impl<'w> SarifReport<'w> {
    /// A report writing to `out`.
    pub fn new(out: Box<dyn Write + 'w>, _options: ReportOptions, _context: ReportContext) -> Self {
        SarifReport { out }
    }
}

impl Report for SarifReport<'_> {
    fn finding(&mut self, _finding: &Finding) -> io::Result<()> {
        Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "SARIF output is not available yet",
        ))
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
