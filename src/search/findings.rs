//! The findings sink's conversion: a detection in one line becomes a [`Finding`] of one input.
//!
//! This is the one place where detection meets findings, so that [`crate::finding`] needs to know
//! nothing about the detector.

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
