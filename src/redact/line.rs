//! One line at a time: find its credentials, mask every place they appear, and scan the masked
//! line again until nothing is left (a bounded number of rounds). Counts what was masked.
//!
//! Nothing here reads or writes files, parses or detects: it turns the bytes of one line, with
//! what the line searcher found in them, into masked bytes.

use std::collections::HashMap;
use std::ops::Range;

use super::mask;
use super::Redactor;
use crate::detect::Detection;
use crate::finding::RecordFacts;
use crate::input::DisplayPath;
use crate::search::Matched;

/// Most rounds of masking and scanning again for one line.
pub const MAX_ROUNDS: usize = 4;

/// Distinct credentials listed per input at most: the masks of any more are counted, not
/// listed, so that memory stays bounded however long `redact -` runs in a pipeline.
pub const MAX_LISTED: usize = 100_000;

/// What was masked in one input.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    /// Lines read.
    pub lines: u64,
    /// Lines written with at least one mask.
    pub lines_changed: u64,
    /// Credentials masked (one per distinct credential per line, as `scan` reports them).
    pub masked: u64,
    /// Credentials left as they were because the config allowlists them.
    pub allowlisted: u64,
    /// Lines longer than the read limit, masked piece by piece.
    pub long_lines: u64,
    /// Lines that still held a credential after the last round (they were masked as far as the
    /// rounds went).
    pub unsettled_lines: u64,
    /// Every distinct credential masked, in the order first seen (the first [`MAX_LISTED`]).
    pub secrets: Vec<SecretTally>,
    /// Masks (counted in `masked`) of credentials beyond the first [`MAX_LISTED`] distinct ones.
    pub unlisted: u64,
    index: HashMap<(&'static str, String), usize>,
    /// The last line counted in `lines_changed` (a long line is masked in pieces).
    last_changed: u64,
}

/// One distinct credential masked in an input: never the secret, only its fingerprint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretTally {
    /// The rule that found it.
    pub rule: &'static str,
    /// The same fingerprint as `scan` reports.
    pub fingerprint: String,
    /// Lines where it was masked.
    pub count: u64,
    /// The first such line (1-based).
    pub first_line: u64,
    /// The last such line.
    pub last_line: u64,
}

impl Tally {
    fn add(&mut self, rule: &'static str, fingerprint: String, line: u64) {
        self.masked += 1;
        match self.index.get(&(rule, fingerprint.clone())) {
            Some(&i) => {
                let s = &mut self.secrets[i];
                s.count += 1;
                s.last_line = line;
            }
            None if self.secrets.len() >= MAX_LISTED => self.unlisted += 1,
            None => {
                self.index
                    .insert((rule, fingerprint.clone()), self.secrets.len());
                self.secrets.push(SecretTally {
                    rule,
                    fingerprint,
                    count: 1,
                    first_line: line,
                    last_line: line,
                });
            }
        }
    }
}

/// Masks the lines of one input, in order.
pub struct LineRedactor<'r> {
    redactor: &'r Redactor,
    file: DisplayPath,
    ranges: Vec<Range<usize>>,
    current: Vec<u8>,
    next: Vec<u8>,
    /// Secrets masked in the current line (so that a later round does not count them again).
    seen: Vec<Vec<u8>>,
}

impl<'r> LineRedactor<'r> {
    /// A redactor for the lines of `file`.
    pub fn new(redactor: &'r Redactor, file: DisplayPath) -> Self {
        LineRedactor {
            redactor,
            file,
            ranges: Vec::new(),
            current: Vec::new(),
            next: Vec::new(),
            seen: Vec::new(),
        }
    }

    /// The settings in use.
    pub fn redactor(&self) -> &'r Redactor {
        self.redactor
    }

    /// Masks one line the searcher found credentials in (without its line ending), and scans
    /// the masked line again, as the searcher would read that line. Returns the masked line, or
    /// `None` when the line stays as it is.
    pub fn redact(&mut self, line: &mut Matched<'_, '_>, tally: &mut Tally) -> Option<&[u8]> {
        self.seen.clear();
        let line_no = line.number;
        let mut current = std::mem::take(&mut self.current);
        let mut changed = false;
        for round in 0..MAX_ROUNDS {
            let (text, facts): (&[u8], _) = if changed {
                let facts = line.detect_again(&current);
                (&current, facts)
            } else {
                (line.line, line.take_facts())
            };
            if !self.round(text, facts, line.detections(), line_no, round == 0, tally) {
                break;
            }
            // `self.next` holds the masked text: it is scanned again in the next round.
            std::mem::swap(&mut current, &mut self.next);
            changed = true;
            if round + 1 == MAX_ROUNDS {
                let facts = line.detect_again(&current);
                let detections = line.detections();
                if self.round(
                    &current,
                    facts,
                    detections,
                    line_no,
                    false,
                    &mut Tally::default(),
                ) {
                    tally.unsettled_lines += 1;
                }
            }
        }
        self.current = current;
        if !changed {
            return None;
        }
        if tally.last_changed != line_no {
            tally.last_changed = line_no;
            tally.lines_changed += 1;
        }
        Some(&self.current)
    }

    /// Masks what was found in `text` (`facts` and `detections`, `None` when nothing was) into
    /// `self.next`; true when anything was masked.
    fn round(
        &mut self,
        text: &[u8],
        facts: Option<RecordFacts>,
        detections: &mut Vec<Detection>,
        line_no: u64,
        first: bool,
        tally: &mut Tally,
    ) -> bool {
        let redactor = self.redactor;
        let Some(facts) = facts else {
            return false;
        };
        let mask = &redactor.mask;
        let key = redactor.fingerprint_key.as_deref();
        self.ranges.clear();
        for d in detections.drain(..) {
            let spans: Vec<Range<usize>> = d
                .spans
                .iter()
                .filter(|s| {
                    !mask.is_mask_only(&text[s.start.min(text.len())..s.end.min(text.len())])
                })
                .cloned()
                .collect();
            if spans.is_empty() || mask.is_mask_only(d.secret.expose()) {
                continue;
            }
            let fingerprint = d.secret.fingerprint(key);
            if let Some(allowlist) = &redactor.allowlist {
                let finding = crate::search::findings::from_detection(
                    d.clone(),
                    self.file.clone(),
                    line_no,
                    &facts,
                );
                if allowlist.allows(&finding, &fingerprint) {
                    if first {
                        tally.allowlisted += 1;
                    }
                    continue;
                }
            }
            for span in &spans {
                let raw = &text[span.start.min(text.len())..span.end.min(text.len())];
                mask::add_occurrences(text, raw, &mut self.ranges);
            }
            mask::add_occurrences(text, d.secret.expose(), &mut self.ranges);
            self.ranges.extend(spans);
            let secret = d.secret.expose().to_vec();
            if !self.seen.contains(&secret) {
                self.seen.push(secret);
                tally.add(d.rule.id, fingerprint, line_no);
            }
        }
        if self.ranges.is_empty() {
            return false;
        }
        mask::apply(text, &mut self.ranges, mask, &mut self.next);
        true
    }
}

#[cfg(test)]
mod tally_tests {
    use super::*;

    #[test]
    fn distinct_secrets_past_the_limit_are_counted_not_listed() {
        let mut tally = Tally::default();
        for n in 0..MAX_LISTED + 3 {
            tally.add("api-key-param", format!("{n:016x}"), n as u64 + 1);
        }
        // A listed one seen again is still counted on its entry.
        tally.add("api-key-param", format!("{:016x}", 0), 7);
        assert_eq!(tally.secrets.len(), MAX_LISTED);
        assert_eq!(tally.unlisted, 3);
        assert_eq!(tally.masked, MAX_LISTED as u64 + 4);
        assert_eq!(tally.secrets[0].count, 2);
        assert_eq!(tally.index.len(), MAX_LISTED);
    }
}
