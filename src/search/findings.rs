//! The findings sink: what the detector found in a line becomes [`Finding`]s of one input.
//!
//! This is the one place where detection meets findings, so that [`crate::finding`] needs to know
//! nothing about the detector.

use std::convert::Infallible;

use super::{LineSink, Lines, Matched};
use crate::detect::Detection;
use crate::finding::{Finding, RecordFacts};
use crate::input::DisplayPath;

/// The finding for `detection`, seen on line `line` of `file` in a record with `facts`.
pub fn from_detection(
    detection: Detection,
    file: DisplayPath,
    line: u64,
    facts: &RecordFacts,
) -> Finding {
    let rule = detection.rule;
    Finding {
        rule: rule.id,
        kind: rule.kind,
        severity: detection.severity,
        confidence: detection.confidence,
        file,
        line,
        column: detection.column,
        field: detection.field,
        param: detection.param,
        prefix: rule.prefix_of(detection.secret.expose()),
        secret: detection.secret,
        record: facts.clone(),
        details: detection.details,
        cwe: rule.cwe,
    }
}

/// Where a [`FindingsSink`] puts its findings.
pub trait FindingOut {
    /// What stops the search (e.g. the reader of the findings has gone).
    type Error;
    /// One finding, in line and column order.
    fn push(&mut self, finding: Finding) -> Result<(), Self::Error>;
    /// Passes on the findings held so far (a block is done: they are written as found).
    fn flush(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }
}

impl FindingOut for Vec<Finding> {
    type Error = Infallible;
    fn push(&mut self, finding: Finding) -> Result<(), Infallible> {
        Vec::push(self, finding);
        Ok(())
    }
}

/// The sink of `scan`: the findings of the candidate lines of one input, to `out`.
pub struct FindingsSink<'a, O> {
    file: &'a DisplayPath,
    /// Where the findings go.
    pub out: O,
}

impl<'a, O: FindingOut> FindingsSink<'a, O> {
    /// Findings of `file`, to `out`.
    pub fn new(file: &'a DisplayPath, out: O) -> Self {
        FindingsSink { file, out }
    }
}

impl<O: FindingOut> LineSink for FindingsSink<'_, O> {
    type Error = O::Error;
    const LINES: Lines = Lines::Candidates;
    const DETECT: bool = true;
    const PASSTHRU: bool = false;

    fn block_done(&mut self) -> Result<(), O::Error> {
        self.out.flush()
    }

    fn matched(&mut self, line: &mut Matched<'_, '_>) -> Result<(), O::Error> {
        let Some(facts) = line.take_facts() else {
            return Ok(());
        };
        let number = line.number;
        for detection in line.detections().drain(..) {
            let finding = from_detection(detection, self.file.clone(), number, &facts);
            self.out.push(finding)?;
        }
        Ok(())
    }
}
