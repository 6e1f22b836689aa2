//! The one line searcher of logleaks, and the sinks that consume what it finds.
//!
//! Every command reads log lines the same way, here: [`search_reader`] takes one text stream
//! (a file, standard input, or an archive member, already decompressed), reads its detection
//! head, tells a text log from something that is not one, picks its format (the user's choice
//! or detected) and cuts it into line-aligned blocks; [`LineSearcher`] runs the block loop over
//! each block: the fast path picks the lines that may hold a credential, the parser reads them
//! and the detector finds what is there. A [`LineSink`] says which lines it wants and consumes
//! them:
//! - the findings sink ([`findings::FindingsSink`]) of `scan` turns detections into findings;
//! - the masking writer of `redact` works in pass-through mode: every byte outside the lines it
//!   is shown (and every piece of a line too long to read at once) is handed over as it is;
//! - the line counter of `inspect` is shown every line and needs no detection.
//!
//! `scan` also feeds the blocks of one input to several searchers at once: only
//! where the blocks come from differs, never how a line is read. Nothing here opens files or
//! writes output.

pub mod findings;
mod lines;

use std::io::{self, Read};
use std::path::Path;

use crate::detect::Detector;
use crate::input::{classify, sniff_archive, ArchiveKind, Block, BlockReader, Content};
use crate::logformat::{self, FormatChoice, FormatMap, LogType, Parser};

pub use lines::{LineSearcher, Matched};

/// Which lines a sink is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lines {
    /// The lines the fast path cannot rule out (every line for formats that name fields outside
    /// the line).
    Candidates,
    /// Every line.
    Every,
}

/// Consumes the lines of a search, in order.
pub trait LineSink {
    /// What stops the search (a closed channel, a failed write).
    type Error;
    /// Which lines the sink is shown.
    const LINES: Lines;
    /// True when the detector runs on the lines shown.
    const DETECT: bool;
    /// True when the bytes outside the lines shown go to [`LineSink::passthru`].
    const PASSTHRU: bool;

    /// The stream is a text log, read with `parser`; called before its first line.
    fn begin(&mut self, _parser: &Parser) -> Result<(), Self::Error> {
        Ok(())
    }

    /// One line shown.
    fn matched(&mut self, line: &mut Matched<'_, '_>) -> Result<(), Self::Error>;

    /// A block of the stream is done (a chance to pass on what was found in it, so that a reader
    /// of a live input sees it without waiting for more input).
    fn block_done(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }

    /// Bytes between the lines shown, line endings included, exactly as read (only when
    /// [`LineSink::PASSTHRU`]). With the lines shown, they make up the whole stream.
    fn passthru(&mut self, _bytes: &[u8]) -> Result<(), Self::Error> {
        Ok(())
    }

    /// Every line of the stream up to byte `offset` (from where the search started) has been
    /// shown, `lines` lines counted so far: a place where reading could start again.
    fn line_end(&mut self, _offset: u64, _lines: u64) -> Result<(), Self::Error> {
        Ok(())
    }
}

/// What happens to a line longer than the longest line read at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LongLines {
    /// It is read on its first part; the rest is skipped (and counted).
    Cut,
    /// It is read in pieces: the first in the stream's format, the others as text.
    Pieces,
}

/// How to search one text stream.
#[derive(Clone, Copy, Debug)]
pub struct StreamSettings<'a> {
    /// The rules (`None`: no detection at all).
    pub detector: Option<&'a Detector>,
    /// The format the user chose for this stream, if any.
    pub choice: Option<&'a FormatChoice>,
    /// Bytes read per block when lines are short.
    pub block_size: usize,
    /// The longest line read at once.
    pub max_line: usize,
    /// What happens to longer lines.
    pub long_lines: LongLines,
    /// True to stop at a tar or zip archive instead of reading it as a stream of lines.
    pub refuse_archives: bool,
}

impl<'a> StreamSettings<'a> {
    /// Default sizes, long lines cut, archives read as bytes.
    pub fn new(detector: Option<&'a Detector>, choice: Option<&'a FormatChoice>) -> Self {
        StreamSettings {
            detector,
            choice,
            block_size: crate::input::DEFAULT_BLOCK_SIZE,
            max_line: crate::input::MAX_LINE_LEN,
            long_lines: LongLines::Cut,
            refuse_archives: false,
        }
    }
}

/// What a search of one stream came to.
#[derive(Debug)]
pub enum Searched {
    /// Not a text log (what it looks like): no line was shown.
    NotText(&'static str),
    /// A tar or zip archive, with [`StreamSettings::refuse_archives`]: no line was shown.
    Archive(ArchiveKind),
    /// Read, to its end or to a read error.
    Read(StreamStats),
}

/// Counts of a stream that was read.
#[derive(Debug, Default)]
pub struct StreamStats {
    /// Lines read.
    pub lines: u64,
    /// Bytes read (decompressed), skipped parts of cut lines included.
    pub bytes: u64,
    /// Lines longer than the limit that were read on their first part only.
    pub cut_lines: u64,
    /// Lines longer than the limit that were read in pieces.
    pub long_lines: u64,
    /// The read error that ended the stream early, after `lines` lines.
    pub error: Option<io::Error>,
}

/// The format the user chose for the input named `path`: `--log-type` for every input, else
/// `--log-format` or a `[[formats]]` entry of the config that matches it.
pub fn format_choice(
    log_type: Option<LogType>,
    formats: &FormatMap,
    path: &Path,
) -> Option<FormatChoice> {
    match log_type {
        Some(t) => Some(FormatChoice::Type(t)),
        None => formats.choice_for(path).cloned(),
    }
}

/// How a stream whose first block is `first` and whose detection head is `head` is read: its
/// parser, or what it looks like when it is not a text log.
pub fn start(
    first: &[u8],
    head: &[u8],
    choice: Option<&FormatChoice>,
) -> Result<Parser, &'static str> {
    match classify(first) {
        Content::Binary(what) => Err(what),
        Content::Text => Ok(Parser::for_input(choice, head)),
    }
}

/// Searches the text stream `reader` from its first byte, showing its lines to `sink`. Stops at
/// the sink's first error.
pub fn search_reader<S: LineSink>(
    reader: Box<dyn Read + '_>,
    settings: &StreamSettings<'_>,
    sink: &mut S,
) -> Result<Searched, S::Error> {
    let logformat::DetectionHead { head, reader } = logformat::read_detection_head(reader);
    let mut blocks = block_reader(reader, settings);
    let mut stats = StreamStats::default();
    let first: Block<'_> = match blocks.next_block() {
        Ok(Some(block)) => block,
        Ok(None) => return Ok(Searched::Read(stats)),
        Err(e) => {
            stats.error = Some(e);
            return Ok(Searched::Read(stats));
        }
    };
    if settings.refuse_archives {
        if let Some(kind) = sniff_archive(first.bytes) {
            return Ok(Searched::Archive(kind));
        }
    }
    let parser = match start(first.bytes, &head, settings.choice) {
        Ok(parser) => parser,
        Err(what) => return Ok(Searched::NotText(what)),
    };
    sink.begin(&parser)?;
    let mut searcher = LineSearcher::new(settings.detector, parser);
    let mut ends_open = search_block(&first, &mut searcher, &mut stats, sink)?;
    ends_open = search_rest(&mut blocks, &mut searcher, &mut stats, sink)?.unwrap_or(ends_open);
    finish(&blocks, ends_open, &mut stats);
    Ok(Searched::Read(stats))
}

/// The block reader of a stream searched with `settings`.
pub fn block_reader<R: Read>(reader: R, settings: &StreamSettings<'_>) -> BlockReader<R> {
    let blocks = BlockReader::with_sizes(reader, settings.block_size, settings.max_line);
    match settings.long_lines {
        LongLines::Pieces => blocks.keep_long_lines(),
        LongLines::Cut => blocks,
    }
}

/// Searches the rest of a stream whose format is known (its head was read elsewhere, e.g. when
/// reading resumes in the middle of a file): the blocks of `blocks` with `searcher`, the first
/// line following `lines_before` lines. The counts are of what `blocks` held.
pub fn search_from<R: Read, S: LineSink>(
    mut blocks: BlockReader<R>,
    searcher: &mut LineSearcher<'_>,
    lines_before: u64,
    sink: &mut S,
) -> Result<StreamStats, S::Error> {
    let mut stats = StreamStats {
        lines: lines_before,
        ..StreamStats::default()
    };
    let ends_open = search_rest(&mut blocks, searcher, &mut stats, sink)?.unwrap_or(false);
    finish(&blocks, ends_open, &mut stats);
    stats.lines -= lines_before;
    Ok(stats)
}

/// Searches one block; true when its last line goes on in the next block.
fn search_block<S: LineSink>(
    block: &Block<'_>,
    searcher: &mut LineSearcher<'_>,
    stats: &mut StreamStats,
    sink: &mut S,
) -> Result<bool, S::Error> {
    stats.bytes += block.bytes.len() as u64;
    if block.open && !block.continues {
        stats.long_lines += 1;
    }
    stats.lines = searcher.search(block, stats.lines, sink)?;
    sink.block_done()?;
    if !block.open {
        sink.line_end(block.offset + block.bytes.len() as u64, stats.lines)?;
    }
    Ok(block.open)
}

/// Searches the blocks left; whether the last one ended open (`None`: there was none).
fn search_rest<R: Read, S: LineSink>(
    blocks: &mut BlockReader<R>,
    searcher: &mut LineSearcher<'_>,
    stats: &mut StreamStats,
    sink: &mut S,
) -> Result<Option<bool>, S::Error> {
    let mut ends_open = None;
    loop {
        match blocks.next_block() {
            Ok(Some(block)) => ends_open = Some(search_block(&block, searcher, stats, sink)?),
            Ok(None) => return Ok(ends_open),
            Err(e) => {
                stats.error = Some(e);
                return Ok(ends_open);
            }
        }
    }
}

/// Completes the counts of a stream read to its end.
fn finish<R>(blocks: &BlockReader<R>, ends_open: bool, stats: &mut StreamStats) {
    if ends_open && stats.error.is_none() {
        // The input ended exactly where a piece of its last line did.
        stats.lines += 1;
    }
    stats.cut_lines = blocks.truncated_lines;
    stats.bytes += blocks.skipped_bytes;
}
