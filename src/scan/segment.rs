//! Segments: the units of work of a scan, and how one is scanned.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::ops::ControlFlow;

use super::blocks::{scan_blocks, Parallelism};
use super::{Disconnected, Notice, Output, ScanOptions, SegmentStats};
use crate::detect::{lowercase_into, Candidates, Detection, Detector};
use crate::finding::{Finding, RecordFacts};
use crate::input::{
    self, classify, count_lines, describe_io_error, BlockPump, BlockReader, Compression, Content,
    DisplayPath, InputFile, LineBlocks, Member, MemberContent, ReadError, Source, Walked,
};
use crate::logformat::{self, FormatChoice, LogType, Parser, Record};

/// Bytes read from the start of a large file to classify it before splitting it.
const HEAD_LEN: usize = 64 * 1024;

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
    let mut head = Vec::with_capacity(HEAD_LEN);
    File::open(path)
        .ok()?
        .take(HEAD_LEN as u64)
        .read_to_end(&mut head)
        .ok()?;
    if input::sniff_compression(&head) != Compression::None
        || input::sniff_archive(&head).is_some()
        || classify(&head) != Content::Text
    {
        return None;
    }
    let parser = Parser::for_input(format_choice(options, input).as_ref(), &head);
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
    match options.log_type {
        Some(t) => Some(FormatChoice::Type(t)),
        None => options.formats.choice_for(input.display.path()).cloned(),
    }
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
        mut out: Output,
    ) -> Result<(), Disconnected> {
        match &self.work {
            Work::Notice(notice, stats) => {
                out.notice(notice.clone())?;
                out.done(stats.clone())
            }
            Work::Whole(input) => scan_whole(input, detector, options, out),
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
    let logformat::DetectionHead { head, reader } = logformat::read_detection_head(reader);
    let mut reader = BlockReader::new(reader);
    let mut scanner = BlockScanner::new(input, detector, Parser::new(LogType::Raw));
    let mut first = true;
    let mut lines = 0;
    let mut flow = ControlFlow::Continue(());
    loop {
        let block = match reader.next_block() {
            Ok(Some(block)) => block,
            Ok(None) => break,
            Err(e) => {
                let problem = input::read_problem(&e, lines);
                out.notice(Notice::Error {
                    path: input.display.clone(),
                    message: problem.message,
                })?;
                if problem.ends_input {
                    flow = ControlFlow::Break(());
                }
                break;
            }
        };
        if first {
            first = false;
            if let Content::Binary(what) = classify(block.bytes) {
                return skip_not_text(input, what, stats, out);
            }
            scanner.parser = Parser::for_input(format_choice(options, input).as_ref(), &head);
        }
        stats.bytes += block.bytes.len() as u64;
        lines = scanner.scan(block.bytes, lines, out)?;
        // Findings go out block by block, so that they are written as found (a live pipe).
        out.flush()?;
    }
    stats.lines += lines;
    stats.scanned += 1;
    stats.bytes += reader.skipped_bytes;
    if reader.truncated_lines > 0 {
        out.notice(truncated_note(input, reader.truncated_lines))?;
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
    let mut end = match pump.next_block() {
        Ok(Some(first)) => {
            let head = logformat::detection_head(first.bytes());
            if let Content::Binary(what) = classify(head) {
                return skip_not_text(input, what, stats, out);
            }
            let parser = Parser::for_input(format_choice(options, input).as_ref(), head);
            if parser.carries_state() {
                let mut scanner = BlockScanner::new(input, detector, parser);
                let recycler = pump.recycler();
                let mut block = Some(first);
                loop {
                    if let Some(block) = block.take() {
                        stats.bytes += block.bytes().len() as u64;
                        lines = scanner.scan(block.bytes(), lines, out)?;
                        out.flush()?;
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
    let mut flow = ControlFlow::Continue(());
    if let Some(e) = end.take() {
        let problem = input::read_problem(&e, lines);
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
    let cut = pump.cut_lines();
    stats.bytes += cut.skipped_bytes;
    if cut.lines > 0 {
        out.notice(truncated_note(input, cut.lines))?;
    }
    Ok(flow)
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
    let mut scanner = BlockScanner::new(input, detector, parser);
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
        stats.lines = scanner.scan(bytes, stats.lines, &mut out)?;
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

fn truncated_note(input: &InputFile, lines: u64) -> Notice {
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

fn open_error_message(input: &InputFile, e: &io::Error) -> String {
    match (&input.source, e.kind()) {
        (Source::File(path), _) if path.is_dir() => "is a directory".into(),
        _ => describe_io_error(e),
    }
}

/// Where a [`BlockScanner`] puts its findings: straight to the writer, or kept for a block that
/// is passed on later.
pub(super) trait FindingSink {
    /// One finding.
    fn push(&mut self, finding: Finding) -> Result<(), Disconnected>;
}

impl FindingSink for Output {
    fn push(&mut self, finding: Finding) -> Result<(), Disconnected> {
        self.finding(finding)
    }
}

impl FindingSink for Vec<Finding> {
    fn push(&mut self, finding: Finding) -> Result<(), Disconnected> {
        Vec::push(self, finding);
        Ok(())
    }
}

/// Scans blocks of one input: the fast path finds candidate lines, the detector the rest.
pub(super) struct BlockScanner<'a> {
    input: &'a InputFile,
    detector: &'a Detector,
    parser: Parser,
    detections: Vec<Detection>,
    lower: Vec<u8>,
}

impl<'a> BlockScanner<'a> {
    /// A scanner of `input`'s lines read with `parser`.
    pub(super) fn new(input: &'a InputFile, detector: &'a Detector, parser: Parser) -> Self {
        BlockScanner {
            input,
            detector,
            parser,
            detections: Vec::new(),
            lower: Vec::new(),
        }
    }

    /// Scans one block whose first line follows `lines_before` lines; returns the lines counted
    /// after it.
    pub(super) fn scan(
        &mut self,
        block: &[u8],
        lines_before: u64,
        out: &mut impl FindingSink,
    ) -> Result<u64, Disconnected> {
        let mut lower = std::mem::take(&mut self.lower);
        lowercase_into(block, &mut lower);
        let result = self.scan_candidates(block, &lower, lines_before, out);
        self.lower = lower;
        result
    }

    fn scan_candidates(
        &mut self,
        block: &[u8],
        lower: &[u8],
        lines_before: u64,
        out: &mut impl FindingSink,
    ) -> Result<u64, Disconnected> {
        let prefilter = self.detector.prefilter_for(self.parser.may_name_fields());
        let mut candidates = prefilter.candidates(block, lower);
        if self.parser.carries_state() || self.parser.needs_every_line() {
            return self.scan_every_line(block, &mut candidates, lines_before, out);
        }
        let mut pos = 0;
        let mut line_number = lines_before; // lines before `pos`
        while let Some(hit) = candidates.next_from(pos) {
            let line_start = memchr::memrchr(b'\n', &block[pos..hit]).map_or(pos, |p| pos + p + 1);
            line_number += memchr::memchr_iter(b'\n', &block[pos..line_start]).count() as u64;
            let line_end = memchr::memchr(b'\n', &block[hit..]).map_or(block.len(), |p| hit + p);
            let mut line = &block[line_start..line_end];
            if let Some(stripped) = line.strip_suffix(b"\r") {
                line = stripped;
            }
            self.scan_line(line, line_number + 1, out)?;
            line_number += 1;
            pos = line_end + 1;
            if pos >= block.len() {
                return Ok(line_number);
            }
        }
        Ok(line_number + count_lines(&block[pos..]))
    }

    /// For formats with state: every line is shown to the parser, in order; candidate lines
    /// are scanned.
    fn scan_every_line(
        &mut self,
        block: &[u8],
        candidates: &mut Candidates<'_>,
        lines_before: u64,
        out: &mut impl FindingSink,
    ) -> Result<u64, Disconnected> {
        let every_line = self.parser.needs_every_line();
        let mut line_number = lines_before;
        let mut start = 0;
        let mut next_candidate = candidates.next_from(0);
        while start < block.len() {
            let end = memchr::memchr(b'\n', &block[start..]).map_or(block.len(), |p| start + p);
            let line = block[start..end]
                .strip_suffix(b"\r")
                .unwrap_or(&block[start..end]);
            line_number += 1;
            self.parser.observe(line);
            // A format that names fields outside the line (a `#Fields:` header, a custom
            // format's columns) makes every line a candidate.
            if every_line || next_candidate.is_some_and(|c| c <= end) {
                self.scan_line(line, line_number, out)?;
                next_candidate = candidates.next_from(end + 1);
            }
            start = end + 1;
        }
        Ok(line_number)
    }

    fn scan_line(
        &mut self,
        line: &[u8],
        line_number: u64,
        out: &mut impl FindingSink,
    ) -> Result<(), Disconnected> {
        self.detections.clear();
        let (record, format) = match self.parser.parse(line) {
            Some((record, log_type)) => (record, Some(log_type.name())),
            None => (Record::raw(line), None),
        };
        let Some(facts) = self
            .detector
            .scan_record(line, &record, format, &mut self.detections)
        else {
            return Ok(());
        };
        for d in self.detections.drain(..) {
            out.push(into_finding(d, self.input, line_number, &facts))?;
        }
        Ok(())
    }
}

fn into_finding(d: Detection, input: &InputFile, line: u64, facts: &RecordFacts) -> Finding {
    crate::search::findings::from_detection(d, input.display.clone(), line, facts)
}
