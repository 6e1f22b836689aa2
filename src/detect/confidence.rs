//! How sure a detection is to be a credential: the rule's own confidence, weighed with what the
//! line says about the value (a validated checksum raises it).
//!
//! It decides from the detection alone; it never reads files and never hides anything (hiding is
//! the finding filter's job, after `--min-confidence`).

use crate::finding::{Confidence, Details};
use crate::rules::Rule;

/// The confidence of a detection by `rule` of `secret` under the parameter `param`.
pub fn weigh(rule: &Rule, _param: Option<&[u8]>, _secret: &[u8], details: &Details) -> Confidence {
    if details.checksum == Some("valid") {
        return Confidence::High;
    }
    rule.confidence
}
