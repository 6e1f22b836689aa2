//! `--errors-json FILE`: every input problem of a run as one JSON object per line,
//! `{"input", "kind", "message"}`, for job runners that collect them (the Spark job, a
//! Kubernetes job's log shipper). The same problems go to stderr as they happen.
//!
//! `kind` is a short stable word a program can branch on; `message` is the line a person reads
//! on stderr (without the input's name). Nothing here knows how a problem arose.

use std::io::{self, Write};

use serde::Serialize;

use crate::printable::Bytes;

/// What kind of problem an input had, as a stable word.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// The input (file, directory, bucket or object) does not exist.
    NotFound,
    /// The input exists but may not be read.
    PermissionDenied,
    /// The input was deliberately not read (a terminal, logleaks' own output).
    Refused,
    /// A named directory, prefix or glob yielded no file at all.
    NothingToScan,
    /// A symlinked directory leads back to one of its ancestors.
    DirectoryLoop,
    /// Decompression stopped at `--max-decompressed-size`.
    DecompressionLimit,
    /// Compressed or archived data is truncated or damaged.
    Corrupt,
    /// The file shrank while it was read (`copytruncate`).
    Truncated,
    /// A bug in logleaks (the rest of the input was skipped).
    Internal,
    /// Any other failure to open or read the input, including one in mid-stream.
    ReadError,
}

impl ProblemKind {
    /// The kind of a problem from the message logleaks gives it on stderr.
    pub fn of_message(message: &str) -> Self {
        let starts = |prefix: &str| message.starts_with(prefix);
        if starts("no such file or directory")
            || starts("broken symbolic link")
            || starts("not found:")
        {
            Self::NotFound
        } else if starts("permission denied") || starts("access denied") {
            Self::PermissionDenied
        } else if starts("not read:") {
            Self::Refused
        } else if starts("nothing to scan") {
            Self::NothingToScan
        } else if starts("directory loop") {
            Self::DirectoryLoop
        } else if message.contains("(--max-decompressed-size)") {
            Self::DecompressionLimit
        } else if message.contains("truncated or corrupt") || starts("cannot read this zip member")
        {
            Self::Corrupt
        } else if starts("the file shrank") {
            Self::Truncated
        } else if starts("internal error") {
            Self::Internal
        } else {
            Self::ReadError
        }
    }
}

/// One input problem, as written.
#[derive(Serialize)]
struct Problem<'a> {
    input: Bytes,
    kind: ProblemKind,
    message: &'a str,
}

/// Writes input problems as JSON Lines, each flushed at once so that a job killed later still
/// leaves the problems it met.
pub struct ProblemsWriter<W: Write> {
    out: W,
}

impl<W: Write> ProblemsWriter<W> {
    /// A writer to `out`.
    pub fn new(out: W) -> Self {
        ProblemsWriter { out }
    }

    /// Writes the problem `message` of the input named `input`.
    pub fn problem(&mut self, input: &[u8], message: &str) -> io::Result<()> {
        let problem = Problem {
            input: Bytes(input.to_vec()),
            kind: ProblemKind::of_message(message),
            message,
        };
        serde_json::to_writer(&mut self.out, &problem)?;
        self.out.write_all(b"\n")?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_message_of_logleaks_gets_its_kind() {
        let cases = [
            ("no such file or directory", ProblemKind::NotFound),
            ("broken symbolic link (to x, which does not exist)", ProblemKind::NotFound),
            ("permission denied", ProblemKind::PermissionDenied),
            ("not read: it is a terminal (name a log file, or pipe one into logleaks)", ProblemKind::Refused),
            ("nothing to scan: the directory holds no file", ProblemKind::NothingToScan),
            ("directory loop (a symlink back to /a); not followed", ProblemKind::DirectoryLoop),
            ("stopped after 10 decompressed bytes (--max-decompressed-size); the lines before were scanned", ProblemKind::DecompressionLimit),
            ("truncated or corrupt gzip data after line 3 (unexpected end of file); the lines before were scanned", ProblemKind::Corrupt),
            ("the file shrank from 10 to 0 bytes while it was read", ProblemKind::Truncated),
            ("internal error while scanning; the rest of this input was skipped (please report it)", ProblemKind::Internal),
            ("read error after line 7: connection reset", ProblemKind::ReadError),
            ("is a directory", ProblemKind::ReadError),
        ];
        for (message, kind) in cases {
            assert_eq!(ProblemKind::of_message(message), kind, "{message}");
        }
    }

    #[test]
    fn one_object_per_line_with_the_input_as_bytes_when_not_utf8() {
        let mut out = Vec::new();
        let mut writer = ProblemsWriter::new(&mut out);
        writer.problem(b"logs/a.log", "permission denied").unwrap();
        writer
            .problem(b"logs/\xff.log", "no such file or directory")
            .unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(
            lines[0],
            serde_json::json!({"input": "logs/a.log", "kind": "permission_denied", "message": "permission denied"})
        );
        assert_eq!(lines[1]["kind"], "not_found");
        assert_eq!(lines[1]["input"]["bytes"], "bG9ncy//LmxvZw==");
    }
}
