//! Reading a file from where an earlier pass stopped (`--state`, `--watch`): the file's head is
//! read for its fingerprint and its format, a format with state (IIS `#Fields:`) is shown the
//! lines before the resume point, and the lines after it are searched as usual. A plain file is
//! read up to its last line end (a line still being written waits for the next pass); a
//! compressed one, which no longer grows, to its end. After each block the position reached
//! goes to the writer, behind the block's findings.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use super::{Disconnected, Notice, Output, ScanOptions, SegmentStats};
use crate::detect::Detector;
use crate::input::{self, Compression, FileId, InputFile};
use crate::logformat;
use crate::search::findings::FindingsSink;
use crate::search::{self, LineSearcher, LineSink, Lines, Matched, StreamSettings};
use crate::state::{Fingerprint, Known, Position, ReadMark, Resume, FINGERPRINT_LEN};

/// What became of a file read from its resume point.
pub(super) enum Tracked {
    /// Read (or found unreadable, and said so).
    Done,
    /// Not a file that can be resumed (an archive): read it whole as usual.
    Whole,
}

/// Reads the file `path` of `input` from where `known` says it was left.
pub(super) fn scan_tracked(
    input: &InputFile,
    path: &Path,
    known: &Known,
    detector: &Detector,
    options: &ScanOptions,
    stats: &mut SegmentStats,
    out: &mut Output,
) -> Result<Tracked, Disconnected> {
    let opened = File::open(path).and_then(|file| {
        let meta = file.metadata()?;
        Ok((file, meta))
    });
    let (file, meta) = match opened {
        Ok(opened) => opened,
        Err(e) => {
            out.notice(Notice::Error {
                path: input.display.clone(),
                message: super::segment::open_error_message(input, &e),
            })?;
            return Ok(Tracked::Done);
        }
    };
    let Some(id) = FileId::of_metadata(&meta) else {
        return Ok(Tracked::Whole);
    };
    let content = Content {
        file: &file,
        size: meta.len(),
        compression: sniff(&file),
        max_decompressed: options.max_decompressed,
    };
    let mut head = Vec::with_capacity(FINGERPRINT_LEN);
    let read_head = content
        .from(0, None)
        .and_then(|reader| reader.take(FINGERPRINT_LEN as u64).read_to_end(&mut head));
    if let Err(e) = read_head {
        return unreadable(input, &e, out);
    }
    if input::sniff_archive(&head).is_some() {
        return Ok(Tracked::Whole);
    }
    let mut resume = known.resume(Some(id), &head);
    let plain = content.compression == Compression::None;
    if plain && content.size < resume.position.offset {
        // Shorter than what was read: truncated and written again.
        resume = Resume::default();
    }
    let end = match plain {
        true => match last_line_end(&file, resume.position.offset, content.size) {
            Ok(end) => Some(end),
            Err(e) => return unreadable(input, &e, out),
        },
        false => None,
    };
    let mark = ReadMark {
        path: input.display.clone(),
        id,
        fingerprint: Fingerprint::of(&head),
        position: resume.position,
        resumed: resume.from.clone(),
        size: content.size,
    };
    stats.scanned += 1;
    let unchanged = !plain && resume.size == Some(content.size);
    if unchanged || end == Some(resume.position.offset) {
        // Nothing new (a compressed file is not decompressed again while its size stays).
        return out.reached(mark).map(|()| Tracked::Done);
    }
    let choice = search::format_choice(options.log_type, &options.formats, input.display.path());
    let parser = {
        let detection = content
            .from(0, end)
            .map(|reader| logformat::read_detection_head(reader).head);
        let detection = match detection {
            Ok(detection) => detection,
            Err(e) => return unreadable(input, &e, out),
        };
        let first = &detection[..detection.len().min(input::SNIFF_LEN)];
        if detection.is_empty() {
            return out.reached(mark).map(|()| Tracked::Done);
        }
        match search::start(first, &detection, choice.as_ref()) {
            Ok(parser) => parser,
            Err(what) => {
                stats.scanned -= 1;
                stats.skipped += 1;
                out.notice(Notice::Skipped {
                    path: input.display.clone(),
                    reason: format!("not a text log ({what})"),
                    explicit: input.explicit,
                })?;
                return Ok(Tracked::Done);
            }
        }
    };
    let mut searcher = LineSearcher::new(Some(detector), parser);
    let settings = StreamSettings::new(Some(detector), choice.as_ref());
    let start = resume.position;
    if start.offset > 0 && searcher.parser().carries_state() {
        if let Err(e) = replay(&content, start.offset, &settings, &mut searcher) {
            return unreadable(input, &e, out);
        }
    }
    scan_rest(input, &content, &settings, searcher, mark, stats, out)
}

/// Searches the content from `mark`'s position to its end (a plain file: its last line end).
fn scan_rest(
    input: &InputFile,
    content: &Content<'_>,
    settings: &StreamSettings<'_>,
    mut searcher: LineSearcher<'_>,
    mark: ReadMark,
    stats: &mut SegmentStats,
    out: &mut Output,
) -> Result<Tracked, Disconnected> {
    let start = mark.position;
    let end = match content.compression {
        Compression::None => match last_line_end(content.file, start.offset, content.size) {
            Ok(end) => Some(end),
            Err(e) => return unreadable(input, &e, out),
        },
        _ => None,
    };
    let reader = match content.from(start.offset, end) {
        Ok(reader) => reader,
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof && start.offset > 0 => {
            // A compressed copy shorter than the record is not the file recorded: all of it.
            let mark = ReadMark {
                position: Position::default(),
                ..mark
            };
            return scan_rest(input, content, settings, searcher, mark, stats, out);
        }
        Err(e) => return unreadable(input, &e, out),
    };
    out.reached(mark.clone())?;
    let blocks = search::block_reader(reader, settings);
    let mut sink = MarkingSink {
        findings: FindingsSink::new(&input.display, &mut *out),
        mark,
    };
    let read = search::search_from(blocks, &mut searcher, start.line, &mut sink)?;
    stats.lines += read.lines;
    stats.bytes += read.bytes;
    if let Some(e) = &read.error {
        let problem = input::read_problem(e, start.line + read.lines);
        out.notice(Notice::Error {
            path: input.display.clone(),
            message: problem.message,
        })?;
    }
    if read.cut_lines > 0 {
        out.notice(super::segment::truncated_note(input, read.cut_lines))?;
    }
    Ok(Tracked::Done)
}

fn unreadable(input: &InputFile, e: &io::Error, out: &mut Output) -> Result<Tracked, Disconnected> {
    out.notice(Notice::Error {
        path: input.display.clone(),
        message: format!("read error: {}", input::describe_io_error(e)),
    })?;
    Ok(Tracked::Done)
}

/// Shows the lines before `offset` to the parser of `searcher` (a format with state).
fn replay(
    content: &Content<'_>,
    offset: u64,
    settings: &StreamSettings<'_>,
    searcher: &mut LineSearcher<'_>,
) -> io::Result<()> {
    let reader = content.from(0, Some(offset))?;
    let mut blocks = search::block_reader(reader.take(offset), settings);
    while let Some(block) = blocks.next_block()? {
        searcher.observe(block.bytes);
    }
    Ok(())
}

/// The findings sink of a tracked file: findings as usual, and after each block the position
/// reached, behind them.
struct MarkingSink<'a, 'o> {
    findings: FindingsSink<'a, &'o mut Output>,
    mark: ReadMark,
}

impl LineSink for MarkingSink<'_, '_> {
    type Error = Disconnected;
    const LINES: Lines = Lines::Candidates;
    const DETECT: bool = true;
    const PASSTHRU: bool = false;

    fn matched(&mut self, line: &mut Matched<'_, '_>) -> Result<(), Disconnected> {
        self.findings.matched(line)
    }

    fn block_done(&mut self) -> Result<(), Disconnected> {
        self.findings.block_done()
    }

    fn line_end(&mut self, offset: u64, lines: u64) -> Result<(), Disconnected> {
        let mut mark = self.mark.clone();
        mark.position = Position {
            offset: mark.position.offset + offset,
            line: lines,
        };
        self.findings.out.reached(mark)
    }
}

/// The content of an open file, plain or compressed.
struct Content<'f> {
    file: &'f File,
    /// Bytes on disk.
    size: u64,
    compression: Compression,
    max_decompressed: Option<u64>,
}

impl Content<'_> {
    /// The (decompressed) content from byte `from`, up to byte `end` of a plain file. For a
    /// compressed file the bytes before `from` are decompressed and dropped; fewer than `from`
    /// is an [`io::ErrorKind::UnexpectedEof`] error.
    fn from(&self, from: u64, end: Option<u64>) -> io::Result<Box<dyn Read + Send>> {
        let raw = ReadAt {
            file: self.file.try_clone()?,
            pos: 0,
            end: end.unwrap_or(u64::MAX),
        };
        if self.compression == Compression::None {
            return Ok(Box::new(ReadAt { pos: from, ..raw }));
        }
        let mut reader = input::open_reader(Box::new(raw))?
            .limited(self.max_decompressed)
            .reader;
        let skipped = io::copy(&mut (&mut reader).take(from), &mut io::sink())?;
        if skipped < from {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        Ok(reader)
    }
}

/// How the file is compressed (by its magic bytes).
fn sniff(file: &File) -> Compression {
    let mut magic = [0u8; 8];
    let n = read_at(file, &mut magic, 0).unwrap_or(0);
    input::sniff_compression(&magic[..n])
}

/// The end of the last complete line of `file` at or after `from`, before `size` (`from` when
/// no line ends there).
fn last_line_end(file: &File, from: u64, size: u64) -> io::Result<u64> {
    let mut buf = vec![0u8; 64 * 1024];
    let mut end = size;
    while end > from {
        let start = end.saturating_sub(buf.len() as u64).max(from);
        let chunk = &mut buf[..(end - start) as usize];
        let n = read_at(file, chunk, start)?;
        if let Some(p) = memchr::memrchr(b'\n', &chunk[..n]) {
            return Ok(start + p as u64 + 1);
        }
        end = start;
    }
    Ok(from)
}

/// Reads at `offset` without moving the file's position (shared with its clones).
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileExt;
        let mut filled = 0;
        while filled < buf.len() {
            match file.read_at(&mut buf[filled..], offset + filled as u64) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(filled)
    }
    #[cfg(not(unix))]
    {
        use std::io::{Seek, SeekFrom};
        let mut file = file.try_clone()?;
        file.seek(SeekFrom::Start(offset))?;
        file.read(buf)
    }
}

/// A reader of `pos..end` of a file, by position (so that clones of one file do not share it).
struct ReadAt {
    file: File,
    pos: u64,
    end: u64,
}

impl Read for ReadAt {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let room = self.end.saturating_sub(self.pos);
        let len = buf.len().min(usize::try_from(room).unwrap_or(usize::MAX));
        if len == 0 {
            return Ok(0);
        }
        let n = read_at(&self.file, &mut buf[..len], self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}
