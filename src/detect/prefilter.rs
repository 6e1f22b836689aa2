//! The fast path: one multi-literal search that proves a line holds no candidate credential.
//!
//! Every rule names keywords, at least one of which is in every credential it finds (tested).
//! A credential can only hide a keyword from this search when some byte of it was encoded, and
//! every encoding logleaks decodes leaves a trace that is itself a literal here: `%` followed by
//! the hex code of a letter, digit, `-`, `.`, `_` or `@`, `%25` (double encoding) and `\x`
//! escapes. A line with none of these literals therefore cannot produce a finding.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Input, MatchKind};

use crate::rules::Rule;

/// A keyword automaton: which literals occur, and which pattern rules each one selects.
#[derive(Debug)]
pub struct Prefilter {
    automaton: AhoCorasick,
    /// For each automaton pattern, the pattern rules it selects.
    rules_of_pattern: Vec<Vec<u16>>,
}

/// The literal traces that decodable encodings leave in raw bytes.
fn encoding_traces() -> Vec<String> {
    let mut traces = vec!["%25".to_string(), "%2d".into(), "%2e".into(), "%5f".into()];
    traces.extend((0x30..=0x39).map(|b| format!("%{b:02x}")));
    traces.extend((0x40..=0x5a).map(|b| format!("%{b:02x}")));
    traces.extend((0x61..=0x7a).map(|b| format!("%{b:02x}")));
    traces.extend((2..=7).map(|d| format!("\\x{d}")));
    traces
}

impl Prefilter {
    /// Builds the automaton over every rule's keywords plus the encoding traces.
    pub fn new(rules: &[&'static Rule]) -> Self {
        let mut patterns: Vec<String> = Vec::new();
        let mut rules_of_pattern: Vec<Vec<u16>> = Vec::new();
        for (index, rule) in rules.iter().enumerate() {
            let selects = rule.pattern_source().is_some();
            for keyword in &rule.keywords {
                let slot = match patterns.iter().position(|p| p == keyword) {
                    Some(slot) => slot,
                    None => {
                        patterns.push(keyword.clone());
                        rules_of_pattern.push(Vec::new());
                        patterns.len() - 1
                    }
                };
                if selects && !rules_of_pattern[slot].contains(&(index as u16)) {
                    rules_of_pattern[slot].push(index as u16);
                }
            }
        }
        for trace in encoding_traces() {
            if !patterns.contains(&trace) {
                patterns.push(trace);
                rules_of_pattern.push(Vec::new());
            }
        }
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .expect("keyword automaton is small");
        Prefilter {
            automaton,
            rules_of_pattern,
        }
    }

    /// The position of the first keyword or encoding trace in `haystack[from..]`.
    pub fn next_candidate(&self, haystack: &[u8], from: usize) -> Option<usize> {
        self.automaton
            .find(Input::new(haystack).span(from..haystack.len()))
            .map(|m| m.start())
    }

    /// True when `line` may hold a credential.
    pub fn is_candidate(&self, line: &[u8]) -> bool {
        self.next_candidate(line, 0).is_some()
    }

    /// Adds to `selected` (without repeats) the pattern rules whose keywords occur in `text`.
    pub fn select_rules(&self, text: &[u8], selected: &mut Vec<u16>) {
        selected.clear();
        for m in self.automaton.find_overlapping_iter(text) {
            for &rule in &self.rules_of_pattern[m.pattern().as_usize()] {
                if !selected.contains(&rule) {
                    selected.push(rule);
                }
            }
        }
    }
}
