//! One input's decompressed bytes in, the same bytes with every credential masked out, streaming
//! in line-aligned chunks with bounded memory.
//!
//! Lines without a candidate keyword are never parsed and are copied in runs; a line is rewritten
//! only between its first byte and its line ending, so `\n`, `\r\n`, a missing final newline and
//! invalid UTF-8 all come out as they went in. A line longer than the chunk limit is handled in
//! pieces (the first with the file's format, the rest as plain text), never cut.

use std::io::{self, Read, Write};

use super::line::{LineRedactor, Tally};
use super::Redactor;
use crate::detect::lowercase_into;
use crate::input::{self, classify, sniff_archive, Content, DisplayPath};
use crate::logformat::{self, FormatChoice, Parser};

/// Bytes read per chunk when lines are short.
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

/// Redacts the decompressed content of `file` from `reader` into `out`.
pub fn redact_stream(
    redactor: &Redactor,
    file: &DisplayPath,
    reader: Box<dyn Read + '_>,
    out: &mut dyn Write,
) -> Result<Streamed, StreamError> {
    redact_stream_sized(redactor, file, reader, out, CHUNK_SIZE, input::MAX_LINE_LEN)
}

/// [`redact_stream`] with the chunk size and the longest line read at once (for tests).
pub fn redact_stream_sized(
    redactor: &Redactor,
    file: &DisplayPath,
    reader: Box<dyn Read + '_>,
    out: &mut dyn Write,
    chunk_size: usize,
    max_line: usize,
) -> Result<Streamed, StreamError> {
    let logformat::DetectionHead { head, reader } = logformat::read_detection_head(reader);
    let mut chunks = Chunks::new(reader, chunk_size, max_line);
    let mut tally = Tally::default();
    let mut lines: Option<LineRedactor<'_>> = None;
    let mut lower = Vec::new();
    let mut newlines = 0u64;
    let mut open_before = false;
    let mut last_byte = None;
    loop {
        let chunk = match chunks.next() {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            Err(e) => {
                return Err(StreamError::Read(format!(
                    "cannot read it to its end (after line {newlines}): {}",
                    input::describe_io_error(&e)
                )));
            }
        };
        let redactor_lines = match &mut lines {
            Some(l) => l,
            None => {
                if let Some(kind) = sniff_archive(chunk.bytes) {
                    return Err(StreamError::Archive(kind.name()));
                }
                if let Content::Binary(what) = classify(chunk.bytes) {
                    return Ok(Streamed::NotText(what));
                }
                let parser = parser_for(redactor, file, &head);
                lines.insert(LineRedactor::new(redactor, file.clone(), parser))
            }
        };
        let mut state = ChunkState {
            lines: redactor_lines,
            tally: &mut tally,
            out: &mut *out,
            copied: 0,
            newlines_before: newlines,
            open_before,
        };
        state.chunk(chunk.bytes, &mut lower)?;
        if chunk.open && !open_before {
            tally.long_lines += 1;
        }
        newlines += memchr::memchr_iter(b'\n', chunk.bytes).count() as u64;
        open_before = chunk.open;
        last_byte = chunk.bytes.last().copied().or(last_byte);
    }
    tally.lines = newlines + u64::from(last_byte.is_some_and(|b| b != b'\n'));
    Ok(Streamed::Redacted(tally))
}

/// The parser for `file` whose first bytes are `head`: the user's choice, else detected.
fn parser_for(redactor: &Redactor, file: &DisplayPath, head: &[u8]) -> Parser {
    let choice = match redactor.log_type {
        Some(t) => Some(FormatChoice::Type(t)),
        None => redactor.formats.choice_for(file.path()).cloned(),
    };
    Parser::for_input(choice.as_ref(), head)
}

/// Masking one chunk of whole lines (the last one may be open).
struct ChunkState<'a, 'r> {
    lines: &'a mut LineRedactor<'r>,
    tally: &'a mut Tally,
    out: &'a mut dyn Write,
    /// Bytes of the chunk already written.
    copied: usize,
    /// Line ends before this chunk.
    newlines_before: u64,
    /// True when the previous chunk ended inside a line, which this chunk's first line goes on.
    open_before: bool,
}

impl ChunkState<'_, '_> {
    fn chunk(&mut self, chunk: &[u8], lower: &mut Vec<u8>) -> Result<(), StreamError> {
        lowercase_into(chunk, lower);
        let parser = &self.lines.parser;
        let every_line = parser.needs_every_line();
        let stateful = parser.carries_state();
        let prefilter = self
            .lines
            .redactor()
            .detector
            .prefilter_for(parser.may_name_fields());
        // Formats with state see every line; formats that name fields outside the line check
        // every line; the others jump from candidate to candidate.
        let mut candidates = prefilter.candidates(chunk, lower);
        // Line ends before `counted`, for line numbers.
        let mut counted = 0;
        let mut newlines = self.newlines_before;
        let mut start = 0;
        while start < chunk.len() {
            let next = if stateful || every_line {
                Some(start)
            } else {
                candidates.next_from(start)
            };
            let Some(hit) = next else { break };
            let line_start =
                memchr::memrchr(b'\n', &chunk[start..hit]).map_or(start, |p| start + p + 1);
            let line_end = memchr::memchr(b'\n', &chunk[hit..]).map_or(chunk.len(), |p| hit + p);
            newlines += memchr::memchr_iter(b'\n', &chunk[counted..line_start]).count() as u64;
            counted = line_start;
            let content_end = if line_end > line_start && chunk[line_end - 1] == b'\r' {
                line_end - 1
            } else {
                line_end
            };
            let line = &chunk[line_start..content_end];
            let piece = line_start == 0 && self.open_before;
            if stateful && !piece {
                self.lines.parser.observe(line);
            }
            let candidate = every_line
                || !stateful
                || candidates
                    .next_from(line_start)
                    .is_some_and(|c| c <= line_end);
            if candidate {
                if let Some(masked) = self.lines.redact(line, newlines + 1, piece, self.tally) {
                    self.out
                        .write_all(&chunk[self.copied..line_start])
                        .and_then(|()| self.out.write_all(masked))
                        .map_err(StreamError::Write)?;
                    self.copied = content_end;
                }
            }
            start = line_end + 1;
        }
        self.out
            .write_all(&chunk[self.copied..])
            .map_err(StreamError::Write)
    }
}

/// A chunk of the input: whole lines, except that the last may go on in the next chunk.
struct Chunk<'a> {
    bytes: &'a [u8],
    /// True when the last line is not finished (it was longer than the limit).
    open: bool,
}

/// Cuts a reader into line-aligned chunks; never drops a byte.
struct Chunks<R> {
    inner: R,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    max_line: usize,
}

impl<R: Read> Chunks<R> {
    fn new(inner: R, chunk_size: usize, max_line: usize) -> Self {
        let chunk_size = chunk_size.max(1);
        Chunks {
            inner,
            buf: vec![0; chunk_size],
            start: 0,
            end: 0,
            eof: false,
            max_line: max_line.max(chunk_size),
        }
    }

    fn next(&mut self) -> io::Result<Option<Chunk<'_>>> {
        loop {
            let pending = &self.buf[self.start..self.end];
            if let Some(last_newline) = memchr::memrchr(b'\n', pending) {
                return Ok(Some(self.take(last_newline + 1, false)));
            }
            if self.eof {
                if pending.is_empty() {
                    return Ok(None);
                }
                return Ok(Some(self.take(pending.len(), false)));
            }
            if pending.len() >= self.max_line {
                return Ok(Some(self.take(pending.len(), true)));
            }
            self.fill()?;
        }
    }

    fn take(&mut self, n: usize, open: bool) -> Chunk<'_> {
        let start = self.start;
        self.start += n;
        Chunk {
            bytes: &self.buf[start..start + n],
            open,
        }
    }

    fn fill(&mut self) -> io::Result<()> {
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        if self.end == self.buf.len() {
            let grown = (self.buf.len() * 2).min(self.max_line.max(self.buf.len() + 1));
            self.buf.resize(grown, 0);
        }
        loop {
            match self.inner.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(());
                }
                Ok(n) => {
                    self.end += n;
                    return Ok(());
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }
}
