//! Making text from logs safe to put in the HTML report: printable, HTML-escaped, and free of
//! any secret.
//!
//! The report is built from summaries, whose values came from findings that may have been made
//! with `--show-secrets`. [`Scrubber`] knows every secret of the summary that is not in its
//! redacted form and replaces it, wherever it appears, with that redacted form, so that no
//! string written to the page can carry one.

use aho_corasick::AhoCorasick;

use crate::finding::Secret;
use crate::summary::{SecretSummary, Text};

/// `text` with `&`, `<`, `>`, `"` and `'` as character references.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The redaction marker between a kept prefix and the kept last characters.
const ELLIPSIS: char = '…';

/// The built-in rule of this id.
fn rule_of(id: &str) -> Option<&'static crate::rules::Rule> {
    crate::rules::builtin().iter().find(|r| r.id == id)
}

/// True when `text` has the shape of a secret redacted under rule `rule`: one of the rule's
/// known prefixes (or any of at most 16 characters), one `…`, then at most 4 characters.
fn looks_redacted(text: &str, rule: &str) -> bool {
    let mut parts = text.split(ELLIPSIS);
    match (parts.next(), parts.next(), parts.next()) {
        (Some(prefix), Some(tail), None) => {
            let known = prefix.chars().count() <= 16
                || rule_of(rule).is_some_and(|r| r.prefixes.contains(&prefix));
            known && tail.chars().count() <= 4
        }
        _ => false,
    }
}

/// The secret of `summary` as the report may show it: its redacted form (made here, with the
/// rule's known prefix, when the summary holds it in clear).
pub fn shown_secret(summary: &SecretSummary) -> String {
    let text = summary.secret();
    if let Text::Str(s) = text {
        if looks_redacted(s, summary.rule()) {
            return s.clone();
        }
    }
    let secret = Secret::new(text.as_bytes().to_vec());
    let prefix = rule_of(summary.rule()).and_then(|r| r.prefix_of(text.as_bytes()));
    secret.redacted(prefix)
}

/// Replaces every secret held in clear by a summary with its redacted form.
pub struct Scrubber {
    matcher: Option<AhoCorasick>,
    replacements: Vec<String>,
}

impl Scrubber {
    /// A scrubber for the clear secrets of `secrets`.
    pub fn new<'a>(secrets: impl IntoIterator<Item = &'a SecretSummary>) -> Scrubber {
        let mut patterns = Vec::new();
        let mut replacements = Vec::new();
        for s in secrets {
            let redacted = matches!(s.secret(), Text::Str(t) if looks_redacted(t, s.rule()));
            if !redacted && !s.secret().as_bytes().is_empty() {
                patterns.push(s.secret().as_bytes().to_vec());
                replacements.push(shown_secret(s));
            }
        }
        // Longest first, so that a secret inside another never leaves the rest of the longer.
        let mut order: Vec<usize> = (0..patterns.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(patterns[i].len()));
        let patterns: Vec<Vec<u8>> = order.iter().map(|&i| patterns[i].clone()).collect();
        let replacements: Vec<String> = order.iter().map(|&i| replacements[i].clone()).collect();
        let matcher = (!patterns.is_empty())
            .then(|| {
                AhoCorasick::builder()
                    .match_kind(aho_corasick::MatchKind::LeftmostLongest)
                    .build(&patterns)
                    .ok()
            })
            .flatten();
        Scrubber {
            matcher,
            replacements,
        }
    }

    /// `bytes` with every known secret replaced, as printable text (control characters and
    /// invalid UTF-8 escaped), HTML-escaped.
    pub fn html(&self, bytes: &[u8]) -> String {
        let clean = match &self.matcher {
            Some(matcher) => {
                let mut out = Vec::with_capacity(bytes.len());
                let mut last = 0;
                for m in matcher.find_iter(bytes) {
                    out.extend_from_slice(&bytes[last..m.start()]);
                    out.extend_from_slice(self.replacements[m.pattern().as_usize()].as_bytes());
                    last = m.end();
                }
                out.extend_from_slice(&bytes[last..]);
                out
            }
            None => bytes.to_vec(),
        };
        escape(&crate::printable::display_bytes(&clean))
    }

    /// [`Scrubber::html`] of a string.
    pub fn text(&self, text: &str) -> String {
        self.html(text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summary::Summary;
    use serde_json::json;

    fn summary_with(secret: &str, rule: &str) -> Summary {
        let mut summary = Summary::default();
        summary
            .add_value(&json!({
                "rule": rule, "kind": "api_key", "severity": "high", "file": "a.log",
                "line": 1, "column": 1, "field": "request.query", "secret": secret,
                "fingerprint": "00000000000000aa",
            }))
            .unwrap();
        summary
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape(r#"<script>alert("x&y")</script>'"#),
            "&lt;script&gt;alert(&quot;x&amp;y&quot;)&lt;/script&gt;&#39;"
        );
    }

    #[test]
    fn redacted_secrets_stay_and_clear_ones_are_redacted_and_scrubbed() {
        let redacted = summary_with("ghp_…6789", "github-pat");
        let s = redacted.sorted()[0];
        assert_eq!(shown_secret(s), "ghp_…6789");
        assert!(Scrubber::new([s]).matcher.is_none());

        let token = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
        let clear = summary_with(token, "github-pat");
        let s = clear.sorted()[0];
        assert_eq!(shown_secret(s), "ghp_…6789");
        let scrubber = Scrubber::new([s]);
        let shown = scrubber.html(format!("/p?<t>={token}&x\x01").as_bytes());
        assert_eq!(shown, "/p?&lt;t&gt;=ghp_…6789&amp;x\\u{1}");
        assert!(!shown.contains("abcdefgh"));
        // Invalid UTF-8 is escaped, not lost.
        assert_eq!(scrubber.html(b"a\xffb"), "a\\xFFb");
    }
}
