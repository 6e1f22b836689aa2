//! The scanner: inputs in, findings out, in a deterministic order, in parallel.
//!
//! Inputs are cut into *segments*: a whole file (compressed files, stdin, formats that carry state
//! from line to line), or a line-aligned byte range of a large plain file. Workers on a rayon pool
//! take segments in order; each segment streams its findings through a small bounded channel, and
//! the writer drains the channels in segment order. A worker that runs ahead waits when its
//! channel is full, so memory stays bounded and output is identical for any number of threads.

mod blocks;
mod segment;
mod tail;
mod tracker;

use std::io;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError, SyncSender, TryRecvError};
use std::sync::{Condvar, Mutex};

use crate::detect::Detector;
use crate::finding::{Finding, Severity};
use crate::input::{DisplayPath, Walked};
use crate::logformat::LogType;
use crate::state::{Known, ReadMark};

pub use segment::{plan, Segment};
pub use tracker::{StateWriteError, Tracker, COMMIT_EVERY};

/// How to scan.
#[derive(Clone, Debug)]
pub struct ScanOptions {
    /// Worker threads.
    pub threads: usize,
    /// Force this log type instead of detecting it per file.
    pub log_type: Option<LogType>,
    /// Plain files at least twice this size are split into ranges of about this size.
    pub segment_size: u64,
    /// Bytes per block of a decompressed stream scanned on several workers.
    pub block_size: usize,
    /// Stop decompressing an input after this many decompressed bytes (`None`: no limit).
    pub max_decompressed: Option<u64>,
    /// Formats chosen per file (`--log-format`, `[[formats]]` in the config).
    pub formats: crate::logformat::FormatMap,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            log_type: None,
            segment_size: 32 << 20,
            block_size: crate::input::DEFAULT_BLOCK_SIZE,
            max_decompressed: None,
            formats: crate::logformat::FormatMap::default(),
        }
    }
}

/// Something to tell the user about one input, in input order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// The input (or part of it) could not be read.
    Error {
        /// Which input.
        path: DisplayPath,
        /// What went wrong.
        message: String,
    },
    /// The input was skipped because it is not a text log.
    Skipped {
        /// Which input.
        path: DisplayPath,
        /// Why.
        reason: String,
        /// True when the user named it directly.
        explicit: bool,
    },
    /// Something worth knowing that is not an error.
    Note {
        /// Which input.
        path: DisplayPath,
        /// What.
        message: String,
    },
}

/// Totals of a scan, for the closing summary and the exit code.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Inputs read.
    pub files_scanned: u64,
    /// Inputs skipped as not text logs or not regular files.
    pub files_skipped: u64,
    /// Lines read.
    pub lines: u64,
    /// Bytes read (decompressed).
    pub bytes: u64,
    /// Findings reported, by severity (low, medium, high, critical).
    pub findings: [u64; 4],
    /// Inputs (or parts) that could not be read.
    pub errors: u64,
}

impl Summary {
    /// All findings reported.
    pub fn total_findings(&self) -> u64 {
        self.findings.iter().sum()
    }

    /// Findings at or above `severity`.
    pub fn findings_at_least(&self, severity: Severity) -> u64 {
        Severity::ALL
            .iter()
            .zip(self.findings)
            .filter(|(s, _)| **s >= severity)
            .map(|(_, n)| n)
            .sum()
    }
}

/// Receives the results of a scan, in order.
pub trait Sink {
    /// One finding. An error (such as a closed pipe) stops the scan.
    fn finding(&mut self, finding: Finding) -> io::Result<()>;
    /// One notice.
    fn notice(&mut self, notice: &Notice);
    /// Called every moment (a tenth of a second) the scan waits for more results (an input is
    /// slow or paused): a chance to flush buffered output, so that a reader sees every finding
    /// as soon as everything before it is done.
    fn idle(&mut self) -> io::Result<()> {
        Ok(())
    }
    /// Writes out everything handed over so far (before the state says it was read).
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
    /// One more segment is done: `bytes` read (on disk) and `files` finished so far.
    fn progress(&mut self, _bytes: u64, _files: u64) {}
    /// A file has been read up to `mark` (only in a [`run_tracked`] scan), and every finding
    /// before that place has been handed to [`Sink::finding`].
    fn reached(&mut self, _mark: &ReadMark) -> io::Result<()> {
        Ok(())
    }
}

/// Statistics of one finished segment.
#[derive(Clone, Debug, Default)]
struct SegmentStats {
    lines: u64,
    bytes: u64,
    /// Bytes of the file on disk this segment covers (for progress).
    disk_bytes: u64,
    /// Inputs (or archive members) scanned.
    scanned: u64,
    /// Inputs (or archive members) skipped as not text logs or not regular files.
    skipped: u64,
}

/// What a worker sends to the writer about one segment.
enum Event {
    Findings(Vec<Finding>),
    Notice(Notice),
    Reached(ReadMark),
    Done(SegmentStats),
}

/// How often the writer tells the sink it is idle while it waits for the next result: short
/// waits between inputs are not pauses worth a flush, a slow or stalled input is.
const IDLE_AFTER: std::time::Duration = std::time::Duration::from_millis(100);

/// Findings sent to the writer per message.
const BATCH: usize = 256;
/// Messages a segment may have in flight before its worker waits.
const WINDOW: usize = 16;

/// Scans the walked inputs with `detector`, handing findings and notices to `sink` in input,
/// line and column order. Returns the totals, or the sink's error.
pub fn run(
    walked: Vec<Walked>,
    detector: &Detector,
    options: &ScanOptions,
    sink: &mut dyn Sink,
) -> io::Result<Summary> {
    run_with(walked, detector, options, None, sink)
}

/// Like [`run`], but each file on disk is read from where `known` says an earlier pass left it
/// (from its start when it is not known), and the sink is told how far each one has been read
/// ([`Sink::reached`]). Files are not split into ranges; a file named twice is read once.
pub fn run_tracked(
    walked: Vec<Walked>,
    detector: &Detector,
    options: &ScanOptions,
    known: &Known,
    sink: &mut dyn Sink,
) -> io::Result<Summary> {
    let mut seen = std::collections::HashSet::new();
    let walked = walked
        .into_iter()
        .filter(|w| match w {
            Walked::File(crate::input::InputFile {
                source: crate::input::Source::File(path),
                ..
            }) => crate::input::FileId::of_path(path).is_none_or(|id| seen.insert(id)),
            _ => true,
        })
        .collect();
    run_with(walked, detector, options, Some(known), sink)
}

fn run_with(
    walked: Vec<Walked>,
    detector: &Detector,
    options: &ScanOptions,
    known: Option<&Known>,
    sink: &mut dyn Sink,
) -> io::Result<Summary> {
    let threads = useful_threads(options.threads, &walked, options.block_size);
    // A tracked file is read from where it was left, never split.
    let split_threads = if known.is_some() { 1 } else { threads };
    let segments = plan(walked, options, split_threads);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("logleaks-scan-{i}"))
        .build()
        .map_err(io::Error::other)?;
    let shared = Shared {
        segments: &segments,
        next: AtomicUsize::new(0),
        cancelled: AtomicBool::new(false),
        slots: Mutex::new((0..segments.len()).map(|_| None).collect()),
        ready: Condvar::new(),
    };
    pool.in_place_scope(|scope| {
        for _ in 0..threads.min(segments.len()) {
            scope.spawn(|_| shared.work(detector, options, known));
        }
        let result = write_in_order(&shared, sink);
        if result.is_err() {
            shared.cancelled.store(true, Ordering::SeqCst);
            // Drop every receiver so that waiting workers stop.
            shared
                .slots
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clear();
        }
        result
    })
}

/// The workers worth starting for `walked`: at most `requested`, and no more than the blocks of
/// `block_size` bytes the inputs hold (an input of unknown size, such as standard input, may use
/// them all). `-j 2000` on three small files starts three workers, not two thousand.
fn useful_threads(requested: usize, walked: &[Walked], block_size: usize) -> usize {
    let block_size = block_size.max(1) as u64;
    let blocks = walked
        .iter()
        .map(|w| match w {
            Walked::File(input) => input
                .size
                .map_or(u64::MAX, |size| size.div_ceil(block_size).max(1)),
            _ => 0,
        })
        .fold(0u64, u64::saturating_add);
    let useful = usize::try_from(blocks).unwrap_or(usize::MAX);
    requested.min(useful).max(1)
}

struct Shared<'a> {
    segments: &'a [Segment],
    next: AtomicUsize,
    cancelled: AtomicBool,
    slots: Mutex<Vec<Option<Receiver<Event>>>>,
    ready: Condvar,
}

thread_local! {
    /// True while this thread takes segments. A worker that waits inside a segment for helpers
    /// (see [`blocks`]) may be handed another worker's job by the pool; it must not start on
    /// later segments then, or the writer could wait for the segment it left.
    static TAKING_SEGMENTS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Marks this thread as taking segments while it lives.
struct TakingSegments;

impl TakingSegments {
    fn start() -> Option<Self> {
        (!TAKING_SEGMENTS.replace(true)).then_some(TakingSegments)
    }
}

impl Drop for TakingSegments {
    fn drop(&mut self) {
        TAKING_SEGMENTS.set(false);
    }
}

impl Shared<'_> {
    fn work(&self, detector: &Detector, options: &ScanOptions, known: Option<&Known>) {
        // The other workers take every segment left.
        let Some(_taking) = TakingSegments::start() else {
            return;
        };
        loop {
            if self.cancelled.load(Ordering::SeqCst) {
                return;
            }
            let index = self.next.fetch_add(1, Ordering::SeqCst);
            let Some(segment) = self.segments.get(index) else {
                return;
            };
            let (sender, receiver) = sync_channel(WINDOW);
            {
                let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
                match slots.get_mut(index) {
                    Some(slot) => *slot = Some(receiver),
                    None => return, // cancelled
                }
            }
            self.ready.notify_all();
            let fallback = sender.clone();
            let out = Output {
                sender,
                batch: Vec::new(),
            };
            let scanned = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                segment.scan(detector, options, known, out)
            }));
            match scanned {
                Ok(Ok(())) => {}
                Ok(Err(Disconnected)) => return, // the writer has gone
                Err(_) => {
                    // A bug: name the input, keep scanning the others.
                    let notice = Notice::Error {
                        path: segment.path(),
                        message: "internal error while scanning; the rest of this input was skipped (please report it)"
                            .into(),
                    };
                    let _ = fallback.send(Event::Notice(notice));
                    let _ = fallback.send(Event::Done(SegmentStats::default()));
                }
            }
        }
    }

    fn receiver(&self, index: usize) -> Option<Receiver<Event>> {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            match slots.get_mut(index) {
                None => return None,
                Some(slot) => {
                    if let Some(receiver) = slot.take() {
                        return Some(receiver);
                    }
                }
            }
            slots = self.ready.wait(slots).unwrap_or_else(|e| e.into_inner());
        }
    }
}

fn write_in_order(shared: &Shared<'_>, sink: &mut dyn Sink) -> io::Result<Summary> {
    let mut summary = Summary::default();
    let mut line_base = 0u64;
    for (index, segment) in shared.segments.iter().enumerate() {
        if segment.first_of_input {
            line_base = 0;
        }
        let Some(receiver) = shared.receiver(index) else {
            break;
        };
        loop {
            let event = match receiver.try_recv() {
                Ok(event) => event,
                Err(TryRecvError::Empty) => match wait(&receiver, sink)? {
                    Some(event) => event,
                    None => break,
                },
                Err(TryRecvError::Disconnected) => break,
            };
            match event {
                Event::Findings(batch) => {
                    for mut finding in batch {
                        finding.line += line_base;
                        summary.findings[finding.severity as usize] += 1;
                        sink.finding(finding)?;
                    }
                }
                Event::Reached(mark) => sink.reached(&mark)?,
                Event::Notice(notice) => {
                    if matches!(notice, Notice::Error { .. }) {
                        summary.errors += 1;
                    }
                    sink.notice(&notice);
                }
                Event::Done(stats) => {
                    sink.progress(stats.disk_bytes, summary.files_scanned + stats.scanned);
                    line_base += stats.lines;
                    summary.lines += stats.lines;
                    summary.bytes += stats.bytes;
                    summary.files_scanned += stats.scanned;
                    summary.files_skipped += stats.skipped;
                    break;
                }
            }
        }
    }
    Ok(summary)
}

/// Waits for the next event of a segment, telling the sink it is idle every [`IDLE_AFTER`] of
/// waiting; `None` when the segment's worker has gone.
fn wait(receiver: &Receiver<Event>, sink: &mut dyn Sink) -> io::Result<Option<Event>> {
    loop {
        match receiver.recv_timeout(IDLE_AFTER) {
            Ok(event) => return Ok(Some(event)),
            Err(RecvTimeoutError::Timeout) => sink.idle()?,
            Err(RecvTimeoutError::Disconnected) => return Ok(None),
        }
    }
}

/// A worker's connection to the writer for one segment.
struct Output {
    sender: SyncSender<Event>,
    batch: Vec<Finding>,
}

/// The writer is gone; the worker should stop.
#[derive(Debug)]
struct Disconnected;

impl Output {
    fn finding(&mut self, finding: Finding) -> Result<(), Disconnected> {
        self.batch.push(finding);
        if self.batch.len() >= BATCH {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), Disconnected> {
        if !self.batch.is_empty() {
            let batch = std::mem::take(&mut self.batch);
            self.sender
                .send(Event::Findings(batch))
                .map_err(|_| Disconnected)?;
        }
        Ok(())
    }

    fn notice(&mut self, notice: Notice) -> Result<(), Disconnected> {
        self.flush()?;
        self.sender
            .send(Event::Notice(notice))
            .map_err(|_| Disconnected)
    }

    fn reached(&mut self, mark: ReadMark) -> Result<(), Disconnected> {
        self.flush()?;
        self.sender
            .send(Event::Reached(mark))
            .map_err(|_| Disconnected)
    }

    fn done(mut self, stats: SegmentStats) -> Result<(), Disconnected> {
        self.flush()?;
        self.sender
            .send(Event::Done(stats))
            .map_err(|_| Disconnected)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{walk, WalkOptions};

    struct Collect(Vec<(u64, usize, &'static str)>, Vec<Notice>);

    impl Sink for Collect {
        fn finding(&mut self, f: Finding) -> io::Result<()> {
            self.0.push((f.line, f.column, f.rule));
            Ok(())
        }
        fn notice(&mut self, notice: &Notice) {
            self.1.push(notice.clone());
        }
    }

    fn scan_with(
        path: &std::path::Path,
        threads: usize,
        segment_size: u64,
    ) -> (Vec<(u64, usize, &'static str)>, Summary) {
        let detector = Detector::builtin();
        let options = ScanOptions {
            threads,
            log_type: None,
            segment_size,
            block_size: crate::input::DEFAULT_BLOCK_SIZE,
            max_decompressed: None,
            formats: Default::default(),
        };
        let walked = walk(&[path.to_path_buf()], &WalkOptions::default());
        let mut sink = Collect(Vec::new(), Vec::new());
        let summary = run(walked, &detector, &options, &mut sink).unwrap();
        assert!(sink.1.is_empty(), "{:?}", sink.1);
        (sink.0, summary)
    }

    #[test]
    fn threads_are_capped_to_the_blocks_of_the_inputs() {
        use crate::input::InputFile;
        let file = |size: Option<u64>| {
            Walked::File(InputFile {
                size,
                ..InputFile::stdin()
            })
        };
        let small = [file(Some(10)), file(Some(0)), file(Some(300))];
        assert_eq!(useful_threads(2000, &small, 100), 1 + 1 + 3);
        assert_eq!(useful_threads(2, &small, 100), 2);
        assert_eq!(useful_threads(2000, &[], 100), 1);
        assert_eq!(useful_threads(2000, &[file(None)], 100), 2000);
        assert_eq!(useful_threads(0, &small, 100), 1);
    }

    /// Wherever the splitter cuts a file, the findings, their line numbers and the totals are the
    /// same as a single sequential pass.
    #[test]
    fn splitting_a_file_anywhere_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("access.log");
        let mut log = String::new();
        for i in 0..400 {
            let line = match i % 7 {
                0 => format!("10.0.0.{} - - [27/Nov/2026:10:00:00 +0000] \"GET /a?api_key=d4d3fd81b6ee7b3bb1c863e2601a{i:04} HTTP/1.1\" 200 1 \"-\" \"ua\"\n", i % 250),
                3 => "\n".to_string(),
                5 => format!("junk line {i} with no credential at all but a long tail {}\r\n", "x".repeat(i)),
                _ => format!("10.0.0.1 - - [27/Nov/2026:10:00:00 +0000] \"GET /static/app.js?v={i} HTTP/1.1\" 200 1 \"-\" \"ua\"\n"),
            };
            log.push_str(&line);
        }
        log.push_str("tail without newline token=Xk3mP9qLr2sT8vW1yZ4aB6cD");
        std::fs::write(&path, &log).unwrap();
        let (expected, expected_summary) = scan_with(&path, 1, u64::MAX / 4);
        assert_eq!(expected.len(), 59, "{expected:?}");
        assert_eq!(expected_summary.lines, 401);
        for segment_size in [1, 2, 3, 50, 97, 1000, 4096, 20_000] {
            for threads in [2, 3] {
                let (found, summary) = scan_with(&path, threads, segment_size);
                assert_eq!(
                    found, expected,
                    "segment size {segment_size}, {threads} threads"
                );
                assert_eq!(
                    summary.lines, expected_summary.lines,
                    "segment size {segment_size}"
                );
                assert_eq!(
                    summary.bytes, expected_summary.bytes,
                    "segment size {segment_size}"
                );
                assert_eq!(summary.files_scanned, 1);
            }
        }
    }
}
