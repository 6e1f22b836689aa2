//! The mask that replaces a credential, and the byte surgery on one line: which ranges to
//! replace and how. Nothing here detects credentials or reads files.

use std::ops::Range;

/// The mask used when `--mask` is not given.
pub const DEFAULT_MASK: &str = "REDACTED";

/// Literal repeats of a secret shorter than this are not searched for in a line (a short
/// password like `1234` would also mask unrelated bytes); its detected places still are.
pub const MIN_LITERAL_LEN: usize = 6;

/// What replaces each credential: a non-empty string of letters, digits and `_ . * ~ -`, bytes
/// that no log format gives a meaning to (no quotes, separators, escapes or white space).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mask(Vec<u8>);

impl Mask {
    /// Checks a mask given on the command line; the error says why it would break a log line.
    pub fn new(text: &str) -> Result<Self, String> {
        if text.is_empty() {
            return Err("--mask: the mask must not be empty".into());
        }
        if let Some(bad) = text.chars().find(|&c| !is_mask_char(c)) {
            return Err(format!(
                "--mask: {} would break log lines; use only letters, digits and _ . * ~ -",
                describe_char(bad)
            ));
        }
        Ok(Mask(text.as_bytes().to_vec()))
    }

    /// The mask's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// True when `bytes` are nothing but this mask, once or repeated: what a rule may see where
    /// a credential was already masked.
    pub fn is_mask_only(&self, bytes: &[u8]) -> bool {
        !bytes.is_empty()
            && bytes.len().is_multiple_of(self.0.len())
            && bytes.chunks(self.0.len()).all(|c| c == self.0.as_slice())
    }
}

impl Default for Mask {
    fn default() -> Self {
        Mask(DEFAULT_MASK.as_bytes().to_vec())
    }
}

fn is_mask_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '*' | '~' | '-')
}

fn describe_char(c: char) -> String {
    match c {
        ' ' => "a space".into(),
        '\t' => "a tab".into(),
        '\n' | '\r' => "a line break".into(),
        c if c.is_control() => format!("the control character U+{:04X}", c as u32),
        c if !c.is_ascii() => format!("the non-ASCII character {c:?}"),
        c => format!("{c:?}"),
    }
}

/// Adds to `ranges` every place in `line` where `needle` occurs as a whole token: not preceded
/// or followed by a letter or digit that would make it part of a longer value.
pub fn add_occurrences(line: &[u8], needle: &[u8], ranges: &mut Vec<Range<usize>>) {
    if needle.len() < MIN_LITERAL_LEN {
        return;
    }
    let alnum = |i: usize| line.get(i).is_some_and(u8::is_ascii_alphanumeric);
    for start in memchr::memmem::find_iter(line, needle) {
        let end = start + needle.len();
        let starts_clean = start == 0 || !alnum(start - 1) || !needle[0].is_ascii_alphanumeric();
        let ends_clean = !alnum(end) || !needle[needle.len() - 1].is_ascii_alphanumeric();
        if starts_clean && ends_clean {
            ranges.push(start..end);
        }
    }
}

/// Writes `line` into `out` with every range replaced by `mask`. Overlapping ranges are merged
/// first and replaced by one mask; ranges past the end of the line are clipped. Returns the
/// number of masks written.
pub fn apply(line: &[u8], ranges: &mut [Range<usize>], mask: &Mask, out: &mut Vec<u8>) -> usize {
    out.clear();
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut copied = 0;
    let mut masks = 0;
    let mut i = 0;
    while i < ranges.len() {
        let start = ranges[i].start.min(line.len());
        let mut end = ranges[i].end.min(line.len());
        i += 1;
        while i < ranges.len() && ranges[i].start < end {
            end = end.max(ranges[i].end.min(line.len()));
            i += 1;
        }
        if start >= end || start < copied {
            continue;
        }
        out.extend_from_slice(&line[copied..start]);
        out.extend_from_slice(mask.as_bytes());
        copied = end;
        masks += 1;
    }
    out.extend_from_slice(&line[copied..]);
    masks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_are_checked() {
        assert_eq!(Mask::new("REDACTED").unwrap().as_bytes(), b"REDACTED");
        for good in ["x", "***", "scrubbed-2026_11.a~b"] {
            assert!(Mask::new(good).is_ok(), "{good}");
        }
        for bad in [
            "", "a b", "a\tb", "a\nb", "a\r", "\"", "\\", "&", "=", "%", "?", "#", "/", ";", ",",
            "é", "\u{7}", "'", "<x>", "a|b", "a:b", "a+b",
        ] {
            let error = Mask::new(bad).unwrap_err();
            assert!(error.starts_with("--mask:"), "{bad:?}: {error}");
        }
        assert!(Mask::new("a b").unwrap_err().contains("a space"));
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init)]
    fn applies_ranges_merging_overlaps() {
        let mask = Mask::default();
        let mut out = Vec::new();
        let line = b"GET /a?key=abcdef&x=1 tail";
        assert_eq!(apply(line, &mut [11..17], &mask, &mut out), 1);
        assert_eq!(out, b"GET /a?key=REDACTED&x=1 tail");
        // Overlapping and nested ranges become one mask; adjacent ones stay two.
        assert_eq!(
            apply(b"0123456789", &mut [5..8, 2..6, 3..4], &mask, &mut out),
            1
        );
        assert_eq!(out, b"01REDACTED89");
        assert_eq!(apply(b"0123456789", &mut [2..4, 4..6], &mask, &mut out), 2);
        assert_eq!(out, b"01REDACTEDREDACTED6789");
        // Nothing to do, or ranges past the end.
        assert_eq!(apply(b"abc", &mut [], &mask, &mut out), 0);
        assert_eq!(out, b"abc");
        assert_eq!(apply(b"abc", &mut [1..10], &mask, &mut out), 1);
        assert_eq!(out, b"aREDACTED");
    }

    #[test]
    fn occurrences_are_whole_tokens() {
        let mut ranges = Vec::new();
        add_occurrences(b"k=s3cr3tv x=s3cr3tv y=s3cr3tvz", b"s3cr3tv", &mut ranges);
        assert_eq!(ranges, [2..9, 12..19]);
        ranges.clear();
        add_occurrences(b"1234 1234", b"1234", &mut ranges);
        assert!(ranges.is_empty(), "short needles are not searched");
    }

    #[test]
    fn mask_only() {
        let mask = Mask::default();
        assert!(mask.is_mask_only(b"REDACTED"));
        assert!(mask.is_mask_only(b"REDACTEDREDACTED"));
        assert!(!mask.is_mask_only(b"REDACTEDx"));
        assert!(!mask.is_mask_only(b""));
    }
}
