//! The masking writer: one input's decompressed bytes in, the same bytes with every credential
//! masked out, streaming with bounded memory.
//!
//! The input is read by the line searcher of every command ([`crate::search`]) in pass-through
//! mode: lines without a candidate keyword are never parsed and are copied as they are; a line is
//! rewritten only between its first byte and its line ending, so `\n`, `\r\n`, a missing final
//! newline and invalid UTF-8 all come out as they went in. A line longer than the read limit is
//! handled in pieces (the first with the file's format, the rest as plain text), never cut.

use std::io::{self, Read, Write};

use super::line::{LineRedactor, Tally};
use super::Redactor;
use crate::input::{self, DisplayPath};
use crate::search::{self, LineSink, Lines, LongLines, Matched, Searched, StreamSettings};

/// Bytes read per block when lines are short.
const CHUNK_SIZE: usize = 1 << 20;

/// Why an input could not be redacted.
#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    /// The input could not be read (or decompressed) to its end.
    #[error("{0}")]
    Read(String),
    /// The redacted output could not be written.
    #[error("cannot write the redacted output: {}", input::describe_io_error(.0))]
    Write(io::Error),
    /// The input is an archive of logs, which redact does not rewrite.
    #[error("is a {0} archive; redact does not rewrite archives: extract the logs, redact them, and pack them again")]
    Archive(&'static str),
}

/// What became of an input that was read to its end.
#[derive(Debug)]
pub enum Streamed {
    /// Written out, masked.
    Redacted(Tally),
    /// Not a text log: nothing was written.
    NotText(&'static str),
}

/// When the masked output is pushed on to `out`'s destination.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flush {
    /// When `out`'s own buffer says so, and at the end (a file: nobody waits for each line).
    WhenFull,
    /// After each block of lines read: a line goes out as soon as it and the lines that came
    /// with it are masked (a pipeline filter, `tail -F … | logleaks redact - | …`). On a pipe
    /// whose writer pauses, a block is what had come when it paused.
    EachBlock,
}

/// Redacts the decompressed content of `file` from `reader` into `out`.
pub fn redact_stream(
    redactor: &Redactor,
    file: &DisplayPath,
    reader: Box<dyn Read + '_>,
    out: &mut dyn Write,
) -> Result<Streamed, StreamError> {
    redact_stream_flushed(redactor, file, reader, out, Flush::WhenFull)
}

/// [`redact_stream`], flushing `out` as `flush` says.
pub fn redact_stream_flushed(
    redactor: &Redactor,
    file: &DisplayPath,
    reader: Box<dyn Read + '_>,
    out: &mut dyn Write,
    flush: Flush,
) -> Result<Streamed, StreamError> {
    let sizes = (CHUNK_SIZE, input::MAX_LINE_LEN);
    redact_stream_sized(redactor, file, reader, out, sizes, flush)
}

/// [`redact_stream_flushed`] with the block size and the longest line read at once (for tests).
pub fn redact_stream_sized(
    redactor: &Redactor,
    file: &DisplayPath,
    reader: Box<dyn Read + '_>,
    out: &mut dyn Write,
    (chunk_size, max_line): (usize, usize),
    flush: Flush,
) -> Result<Streamed, StreamError> {
    let choice = search::format_choice(redactor.log_type, &redactor.formats, file.path());
    let settings = StreamSettings {
        block_size: chunk_size,
        max_line,
        long_lines: LongLines::Pieces,
        refuse_archives: true,
        ..StreamSettings::new(Some(&redactor.detector), choice.as_ref())
    };
    let mut writer = MaskingWriter {
        lines: LineRedactor::new(redactor, file.clone()),
        tally: Tally::default(),
        out,
        flush,
    };
    let read = match search::search_reader(reader, &settings, &mut writer)? {
        Searched::Read(read) => read,
        Searched::NotText(what) => return Ok(Streamed::NotText(what)),
        Searched::Archive(kind) => return Err(StreamError::Archive(kind.name())),
    };
    if let Some(e) = read.error {
        return Err(StreamError::Read(format!(
            "cannot read it to its end (after line {}): {}",
            read.lines,
            input::describe_io_error(&e)
        )));
    }
    let mut tally = writer.tally;
    tally.lines = read.lines;
    tally.long_lines = read.long_lines;
    Ok(Streamed::Redacted(tally))
}

/// The sink of `redact`: every byte to `out`, the candidate lines with their credentials masked.
///
/// The searcher shows it whole lines only (a line still being written stays in the block
/// reader until its end comes), and a line is written once it is masked: nothing of a line
/// reaches `out` before all of it has been read and masked. (A line longer than the read limit
/// is the exception: it is masked and written piece by piece.)
struct MaskingWriter<'a, 'r> {
    lines: LineRedactor<'r>,
    tally: Tally,
    out: &'a mut dyn Write,
    flush: Flush,
}

impl LineSink for MaskingWriter<'_, '_> {
    type Error = StreamError;
    const LINES: Lines = Lines::Candidates;
    const DETECT: bool = true;
    const PASSTHRU: bool = true;

    fn matched(&mut self, line: &mut Matched<'_, '_>) -> Result<(), StreamError> {
        let original = line.line;
        let masked = self.lines.redact(line, &mut self.tally);
        self.out
            .write_all(masked.unwrap_or(original))
            .map_err(StreamError::Write)
    }

    fn passthru(&mut self, bytes: &[u8]) -> Result<(), StreamError> {
        self.out.write_all(bytes).map_err(StreamError::Write)
    }

    fn block_done(&mut self) -> Result<(), StreamError> {
        match self.flush {
            Flush::EachBlock => self.out.flush().map_err(StreamError::Write),
            Flush::WhenFull => Ok(()),
        }
    }
}
