//! Segments: the units of work of a scan, and how one is scanned.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::ops::ControlFlow;

use super::blocks::{scan_blocks, Parallelism};
use super::tail::{scan_tracked, Tracked};
use super::{Disconnected, Notice, Output, ScanOptions, SegmentStats};
use crate::detect::Detector;
use crate::finding::Finding;
use crate::input::{
    self, describe_io_error, Block, BlockPump, BlockReader, Compression, DisplayPath, InputFile,
    LineBlocks, Member, MemberContent, ReadError, Source, Walked,
};
use crate::logformat::{self, FormatChoice, Parser};
use crate::search::findings::{FindingOut, FindingsSink};
use crate::search::{self, LineSearcher, Searched, StreamSettings};
use crate::state::Known;

/// One unit of work, in output order.
#[derive(Debug)]
pub struct Segment {
    /// True for the first segment of an input: line numbers start again.
    pub first_of_input: bool,
    work: Work,
}

#[derive(Debug)]
enum Work {
    /// Read a whole input.
    Whole(InputFile),
    /// Read the lines that start in `start..end` of a plain file of known format.
    Range {
        input: InputFile,
        start: u64,
        end: u64,
        parser: Parser,
    },
    /// Only report something.
    Notice(Notice, SegmentStats),
}

/// Turns walked inputs into segments. Plain files of at least twice `segment_size` whose format
/// carries no state across lines are split into line-aligned ranges when more than one thread runs.
pub fn plan(walked: Vec<Walked>, options: &ScanOptions, threads: usize) -> Vec<Segment> {
    let mut segments = Vec::new();
    for item in walked {
        let work = match item {
            Walked::File(input) => {
                if let Some(ranges) = split(&input, options, threads) {
                    segments.extend(ranges);
                    continue;
                }
                Work::Whole(input)
            }
            Walked::Skipped(skip) => Work::Notice(
                match skip.tell {
                    true => Notice::Note {
                        path: skip.path,
                        message: format!("skipped: {}", skip.reason),
                    },
                    false => Notice::Skipped {
                        path: skip.path,
                        reason: skip.reason,
                        explicit: false,
                    },
                },
                SegmentStats {
                    skipped: 1,
                    ..SegmentStats::default()
                },
            ),
            Walked::Error(e) => Work::Notice(
                Notice::Error {
                    path: e.path,
                    message: e.message,
                },
                SegmentStats::default(),
            ),
        };
        segments.push(Segment {
            first_of_input: true,
            work,
        });
    }
    segments
}

/// Splits a large plain text file into ranges, or `None` to read it whole.
fn split(input: &InputFile, options: &ScanOptions, threads: usize) -> Option<Vec<Segment>> {
    let size = input.size?;
    let segment_size = options.segment_size.max(1);
    if threads < 2 || size < 2 * segment_size {
        return None;
    }
    let Source::File(path) = &input.source else {
        return None;
    };
    let mut first = Vec::with_capacity(input::SNIFF_LEN);
    File::open(path)
        .ok()?
        .take(input::SNIFF_LEN as u64)
        .read_to_end(&mut first)
        .ok()?;
    if input::sniff_compression(&first) != Compression::None
        || input::sniff_archive(&first).is_some()
    {
        return None;
    }
    // The same head, and the same choice of parser, as when the file is read whole.
    let head = logformat::read_detection_head(Box::new(File::open(path).ok()?)).head;
    let parser = search::start(&first, &head, format_choice(options, input).as_ref()).ok()?;
    if parser.carries_state() {
        return None;
    }
    let count = size.div_ceil(segment_size);
    let ranges = (0..count)
        .map(|i| Segment {
            first_of_input: i == 0,
            work: Work::Range {
                input: input.clone(),
                start: i * segment_size,
                end: ((i + 1) * segment_size).min(size),
                parser: parser.clone(),
            },
        })
        .collect();
    Some(ranges)
}

/// The format the user chose for `input` (`--log-type`, `--log-format`, `[[formats]]`), if any.
fn format_choice(options: &ScanOptions, input: &InputFile) -> Option<FormatChoice> {
    search::format_choice(options.log_type, &options.formats, input.display.path())
}

impl Segment {
    /// The input this segment belongs to.
    pub fn path(&self) -> DisplayPath {
        match &self.work {
            Work::Whole(input) | Work::Range { input, .. } => input.display.clone(),
            Work::Notice(
                Notice::Error { path, .. }
                | Notice::Skipped { path, .. }
                | Notice::Note { path, .. },
                _,
            ) => path.clone(),
        }
    }

    /// Scans the segment, sending everything to `out`.
    pub(super) fn scan(
        &self,
        detector: &Detector,
        options: &ScanOptions,
        known: Option<&Known>,
        mut out: Output,
    ) -> Result<(), Disconnected> {
        match &self.work {
            Work::Notice(notice, stats) => {
                out.notice(notice.clone())?;
                out.done(stats.clone())
            }
            Work::Whole(input) => {
                let (Some(known), Source::File(path)) = (known, &input.source) else {
                    return scan_whole(input, detector, options, out);
                };
                let mut stats = SegmentStats {
                    disk_bytes: input.size.unwrap_or(0),
                    ..SegmentStats::default()
                };
                match scan_tracked(input, path, known, detector, options, &mut stats, &mut out)? {
                    Tracked::Done => out.done(stats),
                    Tracked::Whole => scan_whole(input, detector, options, out),
                }
            }
            Work::Range {
                input,
                start,
                end,
                parser,
            } => scan_range(input, *start, *end, parser.clone(), detector, out),
        }
    }
}

fn scan_whole(
    input: &InputFile,
    detector: &Detector,
    options: &ScanOptions,
    mut out: Output,
) -> Result<(), Disconnected> {
    let mut stats = SegmentStats {
        disk_bytes: input.size.unwrap_or(0),
        ..SegmentStats::default()
    };
    let read_options = input::ReadOptions {
        max_decompressed: options.max_decompressed,
        live: true,
        line_blocks: Some(LineBlocks {
            block_size: options.block_size,
            // One more than the scanners hold, so that decompression runs ahead.
            in_flight: Parallelism::for_threads(options.threads).in_flight + 1,
        }),
        ..input::ReadOptions::default()
    };
    // Each text stream of the input (the input itself, or each member of an archive) is scanned
    // as an input of its own, with its own name, format and line numbers.
    let mut sent = Ok(());
    let read = input::read_input(input, &read_options, &mut |member| match scan_member(
        member, detector, options, &mut stats, &mut out,
    ) {
        Ok(flow) => flow,
        Err(Disconnected) => {
            sent = Err(Disconnected);
            ControlFlow::Break(())
        }
    });
    sent?;
    match read {
        Ok(()) => {}
        Err(ReadError::Open(e)) => out.notice(Notice::Error {
            path: input.display.clone(),
            message: open_error_message(input, &e),
        })?,
        Err(ReadError::Archive(message)) => out.notice(Notice::Error {
            path: input.display.clone(),
            message,
        })?,
    }
    if let Some(message) = shrank(input, 0..input.size.unwrap_or(0)) {
        out.notice(Notice::Error {
            path: input.display.clone(),
            message,
        })?;
    }
    out.done(stats)
}

/// When `input` is a file that is now shorter than it was when it was listed, and its new end
/// falls in `range` (so that one segment of a split file says it): what to tell the user. Logs
/// shrink when logrotate's `copytruncate` empties them while they are read; what they held is
/// then in the rotated copy.
fn shrank(input: &InputFile, range: std::ops::Range<u64>) -> Option<String> {
    let (Source::File(path), Some(size)) = (&input.source, input.size) else {
        return None;
    };
    let now = std::fs::metadata(path).ok()?.len();
    (now < size && (range.contains(&now) || (range.start == 0 && now == 0))).then(|| {
        format!(
            "the file shrank from {size} to {now} bytes while it was read (truncated, e.g. by logrotate copytruncate): what it held past byte {now} was not scanned"
        )
    })
}

/// Scans one text stream of an input; `Break` when the rest of the input cannot be read.
fn scan_member(
    member: Member<'_>,
    detector: &Detector,
    options: &ScanOptions,
    stats: &mut SegmentStats,
    out: &mut Output,
) -> Result<ControlFlow<()>, Disconnected> {
    let input = &member.input;
    let reader = match member.content {
        MemberContent::Readable(reader) => reader,
        MemberContent::Blocks(pump) => {
            return scan_pumped(input, pump, detector, options, stats, out);
        }
        MemberContent::NotRead(reason) => {
            out.notice(Notice::Skipped {
                path: input.display.clone(),
                reason,
                explicit: input.explicit,
            })?;
            stats.skipped += 1;
            return Ok(ControlFlow::Continue(()));
        }
        MemberContent::Unreadable(message) => {
            out.notice(Notice::Error {
                path: input.display.clone(),
                message,
            })?;
            return Ok(ControlFlow::Continue(()));
        }
    };
    let choice = format_choice(options, input);
    let settings = StreamSettings::new(Some(detector), choice.as_ref());
    let mut sink = FindingsSink::new(&input.display, &mut *out);
    let read = match search::search_reader(reader, &settings, &mut sink)? {
        Searched::Read(read) => read,
        Searched::NotText(what) => return skip_not_text(input, what, stats, out),
        Searched::Archive(kind) => return skip_not_text(input, kind.name(), stats, out),
    };
    stats.bytes += read.bytes;
    end_of_stream(
        input,
        read.error.as_ref(),
        read.lines,
        read.cut_lines,
        stats,
        out,
    )
}

/// Ends the scan of a whole stream of `lines` lines: says why reading it stopped early
/// (`error`) and how many of its lines were cut, and counts it as scanned; breaks off the input
/// when the error ends it.
fn end_of_stream(
    input: &InputFile,
    error: Option<&io::Error>,
    lines: u64,
    cut_lines: u64,
    stats: &mut SegmentStats,
    out: &mut Output,
) -> Result<ControlFlow<()>, Disconnected> {
    let mut flow = ControlFlow::Continue(());
    if let Some(e) = error {
        let problem = input::read_problem(e, lines);
        out.notice(Notice::Error {
            path: input.display.clone(),
            message: problem.message,
        })?;
        if problem.ends_input {
            flow = ControlFlow::Break(());
        }
    }
    stats.lines += lines;
    stats.scanned += 1;
    if cut_lines > 0 {
        out.notice(truncated_note(input, cut_lines))?;
    }
    Ok(flow)
}

/// Tells that `input` is skipped as not a text log (`what` it looks like) and counts it.
fn skip_not_text(
    input: &InputFile,
    what: &str,
    stats: &mut SegmentStats,
    out: &mut Output,
) -> Result<ControlFlow<()>, Disconnected> {
    out.notice(Notice::Skipped {
        path: input.display.clone(),
        reason: format!("not a text log ({what})"),
        explicit: input.explicit,
    })?;
    stats.skipped += 1;
    Ok(ControlFlow::Continue(()))
}

// The first block of a pumped stream holds the whole detection head, whatever the block size.
const _: () = assert!(input::FIRST_BLOCK >= logformat::DETECT_BYTES);

/// Scans a text stream cut into blocks on its decompression thread: on several workers when its
/// format carries no state across lines, else block after block.
fn scan_pumped(
    input: &InputFile,
    mut pump: BlockPump,
    detector: &Detector,
    options: &ScanOptions,
    stats: &mut SegmentStats,
    out: &mut Output,
) -> Result<ControlFlow<()>, Disconnected> {
    let mut lines = 0;
    let end = match pump.next_block() {
        Ok(Some(first)) => {
            let head = logformat::detection_head(first.bytes());
            let choice = format_choice(options, input);
            let parser = match search::start(first.bytes(), head, choice.as_ref()) {
                Ok(parser) => parser,
                Err(what) => return skip_not_text(input, what, stats, out),
            };
            if parser.carries_state() {
                let mut searcher = LineSearcher::new(Some(detector), parser);
                let mut sink = FindingsSink::new(&input.display, &mut *out);
                let recycler = pump.recycler();
                let mut block = Some(first);
                loop {
                    if let Some(block) = block.take() {
                        stats.bytes += block.bytes().len() as u64;
                        let lines_of = Block::of_lines(block.bytes());
                        lines = searcher.search(&lines_of, lines, &mut sink)?;
                        // Findings go out block by block, so that they are written as found.
                        sink.out.flush()?;
                        recycler.recycle(block);
                    }
                    match pump.next_block() {
                        Ok(Some(next)) => block = Some(next),
                        Ok(None) => break None,
                        Err(e) => break Some(e),
                    }
                }
            } else {
                let parallelism = Parallelism::for_threads(options.threads);
                let scanned =
                    scan_blocks(first, &mut pump, input, detector, &parser, parallelism, out)?;
                lines = scanned.lines;
                stats.bytes += scanned.bytes;
                scanned.error
            }
        }
        Ok(None) => None,
        Err(e) => Some(e),
    };
    let cut = pump.cut_lines();
    stats.bytes += cut.skipped_bytes;
    end_of_stream(input, end.as_ref(), lines, cut.lines, stats, out)
}

fn scan_range(
    input: &InputFile,
    start: u64,
    end: u64,
    parser: Parser,
    detector: &Detector,
    mut out: Output,
) -> Result<(), Disconnected> {
    let mut stats = SegmentStats {
        scanned: u64::from(start == 0),
        disk_bytes: end - start,
        ..SegmentStats::default()
    };
    let Source::File(path) = &input.source else {
        return out.done(stats);
    };
    let seek_to = start.saturating_sub(1);
    let file = File::open(path).and_then(|mut f| f.seek(SeekFrom::Start(seek_to)).map(|_| f));
    let file = match file {
        Ok(f) => f,
        Err(e) => {
            out.notice(Notice::Error {
                path: input.display.clone(),
                message: open_error_message(input, &e),
            })?;
            return out.done(stats);
        }
    };
    let mut reader = BlockReader::new(file);
    if start > 0 {
        reader.skip_first_line();
    }
    // Lines whose first byte is before `limit` (relative to `seek_to`) belong to this range.
    let limit = end - seek_to;
    let mut searcher = LineSearcher::new(Some(detector), parser);
    loop {
        let block = match reader.next_block() {
            Ok(Some(block)) if block.offset < limit => block,
            Ok(_) => break,
            Err(e) => {
                out.notice(Notice::Error {
                    path: input.display.clone(),
                    message: format!("read error: {}", describe_io_error(&e)),
                })?;
                break;
            }
        };
        let mut bytes = block.bytes;
        let room = limit - block.offset;
        if (bytes.len() as u64) > room {
            // Keep lines up to the one holding the range's last byte.
            let last = room as usize - 1;
            let cut = memchr::memchr(b'\n', &bytes[last..]).map_or(bytes.len(), |p| last + p + 1);
            bytes = &bytes[..cut];
        }
        stats.bytes += bytes.len() as u64;
        let mut sink = FindingsSink::new(&input.display, &mut out);
        stats.lines = searcher.search(&Block::of_lines(bytes), stats.lines, &mut sink)?;
        out.flush()?;
        if (block.offset + bytes.len() as u64) >= limit {
            break;
        }
    }
    stats.bytes += reader.skipped_bytes;
    if reader.truncated_lines > 0 {
        out.notice(truncated_note(input, reader.truncated_lines))?;
    }
    if let Some(message) = shrank(input, start..end) {
        out.notice(Notice::Error {
            path: input.display.clone(),
            message,
        })?;
    }
    out.done(stats)
}

pub(super) fn truncated_note(input: &InputFile, lines: u64) -> Notice {
    Notice::Note {
        path: input.display.clone(),
        message: format!(
            "{} longer than {} MiB {} matched on {} first {} MiB only",
            crate::printable::counted(lines, "line"),
            input::MAX_LINE_LEN >> 20,
            if lines == 1 { "was" } else { "were" },
            if lines == 1 { "its" } else { "their" },
            input::MAX_LINE_LEN >> 20
        ),
    }
}

pub(super) fn open_error_message(input: &InputFile, e: &io::Error) -> String {
    match (&input.source, e.kind()) {
        (Source::File(path), _) if path.is_dir() => "is a directory".into(),
        _ => describe_io_error(e),
    }
}

impl FindingOut for &mut Output {
    type Error = Disconnected;
    fn push(&mut self, finding: Finding) -> Result<(), Disconnected> {
        self.finding(finding)
    }
    fn flush(&mut self) -> Result<(), Disconnected> {
        Output::flush(self)
    }
}
