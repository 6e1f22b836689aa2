//! Iterating a rule's matches over a line in bounded time, whatever the rule and the line.
//!
//! The `regex` crate never backtracks and finds one match in time linear in the haystack, but
//! iterating over every match can be quadratic: a search may scan to the end of the haystack to
//! learn that a match ends early (e.g. `[a-z]+[0-9]|[a-z]` over megabytes of letters), and it is
//! repeated after every match. Here each search looks at most [`SEARCH_WINDOW`] bytes past where
//! it starts (every match up to [`MAX_MATCH_SPAN`] long is still found whole, longer ones are
//! cut), and at most [`MAX_MATCHES_PER_TEXT`] matches are taken from one text: the cost is linear
//! in the text plus a constant per match. Nothing here knows what a rule means.

use regex::bytes::{Captures, Regex};

/// Every match up to this long is found whole wherever it is; a longer one is cut (no credential
/// is this long).
pub const MAX_MATCH_SPAN: usize = 8 * 1024;

/// How far one search looks past its start.
pub const SEARCH_WINDOW: usize = 2 * MAX_MATCH_SPAN;

/// Most matches of one rule taken from one value or line.
pub const MAX_MATCHES_PER_TEXT: usize = 4096;

/// Calls `each` with every match of `regex` in `haystack`, in order, within the bounds above.
/// Matches that could only be found by looking past a window's end (a `$` or `\b` at its edge)
/// are confirmed with a window of their own.
pub fn for_each_match<'h>(regex: &Regex, haystack: &'h [u8], mut each: impl FnMut(Captures<'h>)) {
    let len = haystack.len();
    let mut pos = 0;
    let mut found = 0;
    while pos <= len && found < MAX_MATCHES_PER_TEXT {
        let end = len.min(pos + SEARCH_WINDOW);
        let Some(caps) = regex.captures_at(&haystack[..end], pos) else {
            if end == len {
                return;
            }
            // No match starts in the first half of the window whole: go on from the second half.
            pos = end - MAX_MATCH_SPAN;
            continue;
        };
        let whole = caps.get(0).expect("group 0 always matches");
        let (start, stop) = (whole.start(), whole.end());
        let caps = if stop == end && end < len {
            // The window's end may have cut the match (or made one): match again from its start.
            let wider = len.min(start + SEARCH_WINDOW);
            match regex.captures_at(&haystack[..wider], start) {
                Some(again) if again.get(0).is_some_and(|m| m.start() == start) => again,
                _ if start == pos => caps,
                _ => {
                    pos = start + 1;
                    continue;
                }
            }
        } else {
            caps
        };
        let stop = caps.get(0).map_or(stop, |m| m.end());
        pos = if stop > start { stop } else { stop + 1 };
        found += 1;
        each(caps);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, haystack: &[u8]) -> Vec<(usize, usize)> {
        let regex = Regex::new(pattern).unwrap();
        let mut out = Vec::new();
        for_each_match(&regex, haystack, |c| {
            let m = c.get(0).unwrap();
            out.push((m.start(), m.end()));
        });
        out
    }

    fn all_matches(pattern: &str, haystack: &[u8]) -> Vec<(usize, usize)> {
        Regex::new(pattern)
            .unwrap()
            .find_iter(haystack)
            .map(|m| (m.start(), m.end()))
            .collect()
    }

    #[test]
    fn short_texts_give_every_match() {
        let text = b"k=ghp_abc x ghp_def ghp_ghi\n";
        for pattern in [r"ghp_[a-z]+", r"ghp_[a-z]+\b", r"x|ghp", r"", r"[a-z]+$"] {
            assert_eq!(
                matches(pattern, text),
                all_matches(pattern, text),
                "{pattern}"
            );
        }
    }

    #[test]
    fn matches_across_window_edges_are_found_whole_and_once() {
        // Tokens at every offset around the window edges of a long text.
        let mut text = Vec::new();
        let mut expected = Vec::new();
        while text.len() < 5 * SEARCH_WINDOW {
            text.extend(std::iter::repeat_n(b' ', 997));
            let start = text.len();
            text.extend_from_slice(b"tok_0123456789abcdef");
            expected.push((start, text.len()));
        }
        assert_eq!(matches(r"\btok_[0-9a-f]{16}\b", &text), expected);
    }

    #[test]
    fn a_token_cut_by_a_window_edge_is_not_reported_as_a_shorter_one() {
        let mut text = vec![b' '; SEARCH_WINDOW - 10];
        text.extend_from_slice(b"tok_0123456789abcdef0123 ");
        // `\b` holds at the window's edge but not in the text.
        assert_eq!(
            matches(r"\btok_[0-9a-f]{6,}\b", &text),
            all_matches(r"\btok_[0-9a-f]{6,}\b", &text)
        );
    }

    #[test]
    fn a_quadratic_pattern_on_a_huge_line_stays_fast() {
        let text = vec![b'a'; 8 << 20];
        // The unbounded iteration would take hours (a hung test); bounded, it stops at the cap.
        let n = matches(r"[a-z]+[0-9]|[a-z]", &text).len();
        assert_eq!(n, MAX_MATCHES_PER_TEXT);
    }

    #[test]
    fn long_matches_are_capped() {
        let text = vec![b'x'; 3 * SEARCH_WINDOW];
        let found = matches(r"x+", &text);
        assert!(found.iter().all(|(s, e)| e - s <= SEARCH_WINDOW));
        assert_eq!(found.first(), Some(&(0, SEARCH_WINDOW)));
        assert_eq!(found.last().map(|m| m.1), Some(text.len()));
    }
}
