//! Per-secret incident summaries: `logleaks summary` and `logleaks scan --format summary`.
//!
//! Findings (the `jsonl` objects of `scan`) are added up per secret — per `fingerprint` — into
//! counts, first and last seen, files, sources, clients, statuses and user agents. The JSON
//! output can be read back in and merged exactly, so findings from many machines reduce in any
//! grouping: `summary a.jsonl b.jsonl`, `summary all.jsonl` and `summary sa.json sb.json` agree
//! byte for byte.
//!
//! Rules of the output (`--format json`, one object per secret):
//! - `rule`, `kind`, `severity` and `secret` are those of the most severe finding; on a tie the
//!   smallest rule id. `secret` is copied from the findings, never made up (it is redacted unless
//!   the findings were made with `--show-secrets`; when both forms meet, the shorter wins).
//! - `first_seen`/`last_seen` compare as instants (`-00:00` counts as UTC) and keep the text of
//!   the finding they came from; `null` when no finding had a time.
//! - `statuses` counts findings in the request itself (`request.*`, `header.*`, `cookie`,
//!   `userinfo`); `referer_statuses` those in `referer` and `upstream`, whose status is another
//!   request's. Findings without a client, status or user agent are not in those maps.
//! - `hourly` counts uses per UTC hour (`"2025-11-27T10:00:00Z"`) by status class (`2xx`, `3xx`,
//!   `4xx`, `5xx`, `none`; zero counts left out): the class of the request's own status for
//!   findings in the request, `none` for the others and for requests without a status. Findings
//!   without a time are not in it. `referer_hosts` counts uses per host of the request's Referer.
//!   `first_lines` holds the first line it was found on in each file (keys as for `clients`).
//!   All three are complete (never cut to a top N), so merging stays exact; summaries written
//!   before them read as having none.
//! - `client_hourly` counts uses per client and UTC hour (`{"<client>": {"<hour>": n}}`, keys
//!   as for `clients`), for findings with both a client and a time; complete too, so that a
//!   report can chart the top clients of a merged summary exactly. It is `null` when unknown: a
//!   summary written before it was kept reads as unknown, and unknown merged with anything stays
//!   unknown (a partial map is never passed off as the whole).
//! - `details` is the `details` object of the latest finding (ties: the greater as JSON text).
//! - Values that are not UTF-8 are `{"bytes": "<base64>"}` in lists, and `bytes:<base64>` as
//!   keys of `clients` and `user_agents`; a string key that itself starts with `bytes:` or
//!   `text:` is written with `text:` in front.
//!
//! This module reads findings and summaries, never logs; it knows nothing of detection.

mod aggregate;
mod read;
mod table;

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

pub use aggregate::{
    hour_text, ClassCounts, ClientHourly, SecretSummary, Seen, StatusClass, Summary, Text,
};
pub use read::InputProblem;
pub use table::write_table;

use crate::input::{DisplayPath, InputFile, Source};

/// Why a summary could not be made, or was made without some of its input.
#[derive(Debug, thiserror::Error)]
pub enum SummaryError {
    /// No input was named and standard input is a terminal.
    #[error("no input: name `jsonl` files of `logleaks scan --format jsonl` (or `json` files of `logleaks summary --format json`), or pipe them into `logleaks summary`")]
    NoInput,
    /// Some inputs could not be read, or held records that are not logleaks findings. The
    /// summary of everything else was still written. Shown one problem per line, each after
    /// `logleaks: ` (the prefix the command line puts before the first).
    #[error("{}", join_problems(.0))]
    Input(Vec<InputProblem>),
    /// Output failed.
    #[error("standard output: {0}")]
    Output(#[from] io::Error),
}

impl SummaryError {
    /// The input problems, one per line of the message.
    pub fn problems(&self) -> &[InputProblem] {
        match self {
            SummaryError::Input(list) => list,
            _ => &[],
        }
    }
}

fn join_problems(list: &[InputProblem]) -> String {
    list.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\nlogleaks: ")
}

/// Writes a summary in one output format, given the problems met reading its inputs.
pub type WriteSummary<'a> =
    dyn Fn(&Summary, &[InputProblem], &mut dyn Write) -> io::Result<()> + 'a;

/// `logleaks summary`: reads findings (or summaries) from `files` (or stdin: none, or `-`) and
/// hands the summary, with the problems met reading it, to `write` (the output format, chosen by
/// the caller). Every readable record is summarised even when some input is bad; the bad ones
/// are then returned as [`SummaryError::Input`].
pub fn run(
    files: &[PathBuf],
    out: &mut dyn Write,
    write: &WriteSummary<'_>,
) -> Result<(), SummaryError> {
    if files.is_empty() && io::stdin().is_terminal() {
        return Err(SummaryError::NoInput);
    }
    let inputs: Vec<InputFile> = if files.is_empty() {
        vec![InputFile::stdin()]
    } else {
        files.iter().map(|path| input_file(path)).collect()
    };
    let mut summary = Summary::default();
    let mut problems = Vec::new();
    for input in &inputs {
        read::read_input(input, &mut summary, &mut problems);
    }
    let written = write(&summary, &problems, out);
    match written {
        // The reader of our output has gone (`logleaks summary … | head`): stop quietly.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(()),
        other => other?,
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(SummaryError::Input(problems))
    }
}

fn input_file(path: &Path) -> InputFile {
    if path.as_os_str() == "-" {
        return InputFile::stdin();
    }
    InputFile {
        display: DisplayPath::new(path),
        source: Source::File(path.to_path_buf()),
        explicit: true,
        size: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn several_problems_are_one_line_each() {
        let e = SummaryError::Input(vec![
            InputProblem {
                path: "a.jsonl".into(),
                line: Some(12),
                message: "not a logleaks finding (missing \"fingerprint\")".into(),
            },
            InputProblem {
                path: "b.jsonl".into(),
                line: None,
                message: "cannot read: no such file or directory".into(),
            },
        ]);
        assert_eq!(
            e.to_string(),
            "a.jsonl:12: not a logleaks finding (missing \"fingerprint\")\nlogleaks: b.jsonl: cannot read: no such file or directory"
        );
        assert_eq!(e.problems().len(), 2);
    }
}
