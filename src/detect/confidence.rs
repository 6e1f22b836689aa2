//! How sure a detection is to be a credential: the rule's own confidence, weighed with what the
//! line says about the value (a validated checksum raises it; a short value under a name that
//! many applications give nonces lowers a generic finding).
//!
//! It decides from the detection alone; it never reads files and never hides anything (hiding is
//! the finding filter's job, after `--min-confidence`).

use crate::finding::{Confidence, Details};
use crate::rules::Rule;

/// Generic values shorter than this under an ambiguous name are weak evidence.
const SHORT_VALUE: usize = 20;

/// The confidence of a detection by `rule` of `secret` under the parameter `param`.
pub fn weigh(rule: &Rule, param: Option<&[u8]>, secret: &[u8], details: &Details) -> Confidence {
    if details.checksum == Some("valid") {
        return Confidence::High;
    }
    let ambiguous_name = param.is_some_and(|p| {
        let p = p.to_ascii_lowercase();
        matches!(p.as_slice(), b"key" | b"token" | b"auth")
    });
    if rule.generic && ambiguous_name && secret.len() < SHORT_VALUE {
        return Confidence::Low;
    }
    rule.confidence
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(id: &str) -> &'static Rule {
        crate::rules::builtin()
            .iter()
            .find(|r| r.id == id)
            .expect("built-in rule")
    }

    #[test]
    fn formats_are_high_names_medium_and_short_values_under_bare_names_low() {
        let none = Details::default();
        let generic = rule("generic-credential-param");
        assert_eq!(
            weigh(rule("google-api-key"), Some(b"key"), b"AIza", &none),
            Confidence::High
        );
        assert_eq!(
            weigh(generic, Some(b"api_key"), b"Xk3mP9qLr2sT8vW1", &none),
            Confidence::Medium
        );
        assert_eq!(
            weigh(generic, Some(b"Token"), b"Xk3mP9qLr2sT8vW1", &none),
            Confidence::Low
        );
        assert_eq!(
            weigh(generic, Some(b"token"), b"Xk3mP9qLr2sT8vW1yZ4aB6cD", &none),
            Confidence::Medium
        );
        let valid = Details {
            checksum: Some("valid"),
            ..Details::default()
        };
        assert_eq!(
            weigh(generic, Some(b"token"), b"x", &valid),
            Confidence::High
        );
        assert_eq!(
            weigh(rule("url-userinfo-password"), None, b"S3cretPass99", &none),
            Confidence::Medium
        );
    }
}
