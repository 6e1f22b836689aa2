//! Per-secret incident summaries.

use std::io::{self, Write};

use crate::finding::Finding;
use crate::report::{Report, ReportOptions};

/// `scan --format summary`: findings aggregated per secret, written when the scan ends.
pub struct SummaryReport<'w> {
    out: Box<dyn Write + 'w>,
}

impl<'w> SummaryReport<'w> {
    /// A report writing to `out`.
    pub fn new(out: Box<dyn Write + 'w>, _options: ReportOptions) -> Self {
        SummaryReport { out }
    }
}

impl Report for SummaryReport<'_> {
    fn finding(&mut self, _finding: &Finding) -> io::Result<()> {
        Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "summary output is not available yet",
        ))
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Why a summary could not be made.
#[derive(Debug, thiserror::Error)]
pub enum SummaryError {
    /// An input could not be read.
    #[error("{path}: {message}")]
    Input {
        /// Which input.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// Output failed.
    #[error("standard output: {0}")]
    Output(#[from] io::Error),
}

/// `logleaks summary`: reads findings from `files` (or stdin) and writes the summary.
pub fn run(
    files: &[std::path::PathBuf],
    format: crate::cli::SummaryFormat,
    out: &mut dyn Write,
) -> Result<(), SummaryError> {
    let _ = (files, format, out);
    Err(SummaryError::Input {
        path: "-".into(),
        message: "summaries are not available yet".into(),
    })
}
