//! The block loop: from a block of lines to the lines a sink is shown, each parsed and searched.
//!
//! Formats without state jump from one fast-path candidate to the next and never look at the
//! lines between; formats with state (and sinks that want every line) go line by line, showing
//! every line to the parser in order. Either way a line is shown without its line ending, with
//! its 1-based number.

use super::{LineSink, Lines};
use crate::detect::{lowercase_into, Candidates, Detection, Detector};
use crate::finding::RecordFacts;
use crate::input::Block;
use crate::logformat::{Parser, Reading, Record};

/// Searches the blocks of one text stream, in order (or, for a format without state, blocks
/// of it in any order, each with its own searcher).
#[derive(Clone)]
pub struct LineSearcher<'d> {
    reader: LineReader<'d>,
    /// The block lowercased, for the fast path.
    lower: Vec<u8>,
}

/// What reads one line: the stream's parser and the detector, with a buffer for detections.
#[derive(Clone)]
struct LineReader<'d> {
    detector: Option<&'d Detector>,
    parser: Parser,
    detections: Vec<Detection>,
    /// The pattern rules the block search chose for the line being read, when `hinted`.
    line_rules: Vec<u16>,
    hinted: bool,
}

impl LineReader<'_> {
    /// Parses `text` (as text when it is a piece of a long line) and, with a detector, finds its
    /// credentials into `self.detections`; facts about the record when anything was found.
    fn read(&mut self, text: &[u8], piece: bool, detect: bool) -> (Reading, Option<RecordFacts>) {
        let (parsed, reading) = if piece {
            (None, Reading::Text)
        } else {
            self.parser.parse_reading(text)
        };
        self.detections.clear();
        let Some(detector) = self.detector.filter(|_| detect) else {
            return (reading, None);
        };
        let (record, format) = match parsed {
            Some((record, log_type)) => (record, Some(log_type.name())),
            None => (Record::raw(text), None),
        };
        let line_rules = self.hinted.then_some(&self.line_rules[..]);
        let facts =
            detector.scan_record_with(text, &record, format, line_rules, &mut self.detections);
        (reading, facts)
    }
}

/// One line shown to a sink.
pub struct Matched<'a, 'd> {
    /// Its 1-based number, counted from the start of what the caller searched.
    pub number: u64,
    /// Its bytes, without the line ending.
    pub line: &'a [u8],
    /// True for a later piece of a line too long to read at once (read as text).
    pub piece: bool,
    /// How the parser read it.
    pub reading: Reading,
    facts: Option<RecordFacts>,
    reader: &'a mut LineReader<'d>,
}

impl Matched<'_, '_> {
    /// Facts about the record when the detector found anything in the line (taken: a second
    /// call gives `None`).
    pub fn take_facts(&mut self) -> Option<RecordFacts> {
        self.facts.take()
    }

    /// What the detector found in the line (or in the text last given to
    /// [`Matched::detect_again`]).
    pub fn detections(&mut self) -> &mut Vec<Detection> {
        &mut self.reader.detections
    }

    /// Parses and searches `text` as if it were this line (e.g. the line with its credentials
    /// masked), replacing [`Matched::detections`]; facts about the record when anything was found.
    pub fn detect_again(&mut self, text: &[u8]) -> Option<RecordFacts> {
        self.reader.hinted = false;
        self.reader.read(text, self.piece, true).1
    }
}

impl<'d> LineSearcher<'d> {
    /// A searcher of lines read with `parser`, finding credentials with `detector` (none without).
    pub fn new(detector: Option<&'d Detector>, parser: Parser) -> Self {
        LineSearcher {
            reader: LineReader {
                detector,
                parser,
                detections: Vec::new(),
                line_rules: Vec::new(),
                hinted: false,
            },
            lower: Vec::new(),
        }
    }

    /// The parser of the stream.
    pub fn parser(&self) -> &Parser {
        &self.reader.parser
    }

    /// Shows the lines of `bytes` (whole lines) to a parser with state and searches nothing: how
    /// it learns what came before the place where a search starts again (IIS `#Fields:`).
    pub fn observe(&mut self, bytes: &[u8]) {
        if !self.reader.parser.carries_state() {
            return;
        }
        let mut start = 0;
        while start < bytes.len() {
            let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |p| start + p);
            let content_end = without_cr(bytes, start, end);
            self.reader.parser.observe(&bytes[start..content_end]);
            start = end + 1;
        }
    }

    /// Searches one block whose first line follows `lines_before` lines, showing lines to `sink`;
    /// returns the lines counted after the block (a piece that goes on in the next block is
    /// counted there).
    pub fn search<S: LineSink>(
        &mut self,
        block: &Block<'_>,
        lines_before: u64,
        sink: &mut S,
    ) -> Result<u64, S::Error> {
        let parser = &self.reader.parser;
        let every =
            S::LINES == Lines::Every || self.reader.detector.is_none() || parser.needs_every_line();
        let stateful = parser.carries_state();
        let mut lower = std::mem::take(&mut self.lower);
        let result = if every {
            self.each_line(block, None, lines_before, sink)
        } else {
            lowercase_into(block.bytes, &mut lower);
            let prefilter = self
                .reader
                .detector
                .map(|d| d.prefilter_for(self.reader.parser.may_name_fields()));
            let mut candidates = prefilter.map(|p| p.candidates(block.bytes, &lower));
            match candidates.as_mut() {
                Some(candidates) if !stateful => self.jump(block, candidates, lines_before, sink),
                candidates => self.each_line(block, candidates, lines_before, sink),
            }
        };
        self.lower = lower;
        result.map(|lines| lines - u64::from(block.open))
    }

    /// Line by line: every line is shown to a parser with state; the candidates (or, without
    /// `candidates`, all lines) to the sink.
    fn each_line<S: LineSink>(
        &mut self,
        block: &Block<'_>,
        mut candidates: Option<&mut Candidates<'_>>,
        lines_before: u64,
        sink: &mut S,
    ) -> Result<u64, S::Error> {
        let bytes = block.bytes;
        let stateful = self.reader.parser.carries_state();
        let mut number = lines_before;
        let mut copied = 0;
        let mut start = 0;
        let mut next_candidate = candidates.as_mut().and_then(|c| c.next_from(0));
        while start < bytes.len() {
            let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |p| start + p);
            let content_end = without_cr(bytes, start, end);
            let piece = start == 0 && block.continues;
            number += 1;
            if stateful && !piece {
                self.reader.parser.observe(&bytes[start..content_end]);
            }
            let shown = match candidates.as_mut() {
                None => true,
                Some(candidates) => {
                    let shown = next_candidate.is_some_and(|c| c <= end);
                    if shown {
                        self.choose_rules(candidates, start, end);
                        next_candidate = candidates.next_from(end + 1);
                    }
                    shown
                }
            };
            if shown {
                let line = (start, content_end, number, piece);
                self.show(bytes, line, &mut copied, sink)?;
            }
            start = end + 1;
        }
        if S::PASSTHRU {
            sink.passthru(&bytes[copied..])?;
        }
        Ok(number)
    }

    /// From candidate to candidate, never looking at the lines between (formats without state).
    fn jump<S: LineSink>(
        &mut self,
        block: &Block<'_>,
        candidates: &mut Candidates<'_>,
        lines_before: u64,
        sink: &mut S,
    ) -> Result<u64, S::Error> {
        let bytes = block.bytes;
        let mut pos = 0;
        let mut number = lines_before; // lines before `pos`
        let mut copied = 0;
        while let Some(hit) = candidates.next_from(pos) {
            let start = memchr::memrchr(b'\n', &bytes[pos..hit]).map_or(pos, |p| pos + p + 1);
            number += memchr::memchr_iter(b'\n', &bytes[pos..start]).count() as u64 + 1;
            let end = memchr::memchr(b'\n', &bytes[hit..]).map_or(bytes.len(), |p| hit + p);
            let piece = start == 0 && block.continues;
            let line = (start, without_cr(bytes, start, end), number, piece);
            self.choose_rules(candidates, start, end);
            self.show(bytes, line, &mut copied, sink)?;
            pos = end + 1;
            if pos >= bytes.len() {
                break;
            }
        }
        if S::PASSTHRU {
            sink.passthru(&bytes[copied..])?;
        }
        Ok(number + crate::input::count_lines(bytes.get(pos..).unwrap_or_default()))
    }

    /// Keeps the pattern rules the block search finds for the candidate line `start..end`, for
    /// the detector not to choose them again from its bytes.
    fn choose_rules(&mut self, candidates: &mut Candidates<'_>, start: usize, end: usize) {
        self.reader.hinted = candidates.line_rules(start, end, &mut self.reader.line_rules);
    }

    /// Reads one line — `(start, end, number, piece)` in `bytes` — and shows it to the sink,
    /// after the bytes since `copied` when the sink passes them through.
    fn show<S: LineSink>(
        &mut self,
        bytes: &[u8],
        (start, end, number, piece): (usize, usize, u64, bool),
        copied: &mut usize,
        sink: &mut S,
    ) -> Result<(), S::Error> {
        if S::PASSTHRU {
            sink.passthru(&bytes[*copied..start])?;
            *copied = end;
        }
        let line = &bytes[start..end];
        let (reading, facts) = self.reader.read(line, piece, S::DETECT);
        self.reader.hinted = false;
        sink.matched(&mut Matched {
            number,
            line,
            piece,
            reading,
            facts,
            reader: &mut self.reader,
        })
    }
}

/// The end of the line `start..end` of `bytes` without a `\r` before its `\n`.
fn without_cr(bytes: &[u8], start: usize, end: usize) -> usize {
    if end > start && bytes[end - 1] == b'\r' {
        end - 1
    } else {
        end
    }
}
