//! The fast path: the cheapest exact test that a line holds no candidate credential.
//!
//! Every rule names keywords, at least one of which (ignoring ASCII case) is in every credential
//! it finds; for parameter rules the keyword is the end of the parameter name plus `=`
//! (`token=`). That is tested for every rule example. Blocks are lowercased and searched for all
//! keywords at once (a packed SIMD multi-literal search); matching ignores case because the
//! haystack is lowercased.
//!
//! A keyword can only hide from that search when some byte of it was encoded, and every encoding
//! logleaks decodes leaves a *trace*: `%` followed by the hex code of a letter, digit, `-`, `.`,
//! `_`, `@`, `=` or `%` (double encoding), a `\xHH` or JSON `\u00HH` escape, or an HTML character
//! reference (`&#61;`) of one of those. `@` (URL user-info) is a trace
//! too. A line with no keyword and no trace cannot produce a finding.
//!
//! Keywords that every rule using them matches case-sensitively (`AAAAAAAAAAAAAAAAAAAAA`, the
//! start of a Twitter bearer token) are searched in the original bytes instead: a decoder never
//! changes a letter's case. Searched lowercased, such a keyword would be found at every byte of a
//! line of `aaaa…` and rejected there one position at a time.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, Input, MatchKind};

use crate::rules::Rule;

/// The keyword automata.
#[derive(Debug)]
pub struct Prefilter {
    /// Searchers for the anchors (short prefixes of all keywords), each with the keywords that
    /// start with each of its anchors, and whether it searches the original bytes (keywords
    /// matched case-sensitively) rather than the lowercased block.
    blocks: Vec<(AhoCorasick, Vec<Vec<usize>>, bool)>,
    /// Every keyword, lowercase, with the exact original bytes a match needs, if any.
    keywords: Vec<(Vec<u8>, Option<Vec<u8>>)>,
    /// Pattern-rule keywords, case-insensitive, overlapping, for choosing rules per value.
    select: AhoCorasick,
    /// For each `select` pattern, the pattern rules it selects.
    rules_of_pattern: Vec<Vec<u16>>,
    /// Pattern rules without keywords: selected for every value, and every line is a candidate.
    always: Vec<u16>,
}

impl Prefilter {
    /// Builds the automata over every rule's keywords.
    pub fn new(rules: &[&'static Rule]) -> Self {
        Self::build(rules, false)
    }

    /// Like [`Prefilter::new`], for formats that write names as `"name":` or `Name: value`
    /// (JSON logs, logged request headers): a parameter keyword `token=` also counts as `token"`
    /// and `token:`.
    pub fn for_named_fields(rules: &[&'static Rule]) -> Self {
        Self::build(rules, true)
    }

    fn build(rules: &[&'static Rule], named_fields: bool) -> Self {
        let mut all: Vec<String> = Vec::new();
        // For each of `all`: the exact bytes it must have in the original block, when every rule
        // using it matches case-sensitively (a decoder never changes a letter's case, and an
        // encoded letter is a trace).
        let mut exact: Vec<Option<Vec<u8>>> = Vec::new();
        let mut selecting: Vec<String> = Vec::new();
        let mut rules_of_pattern: Vec<Vec<u16>> = Vec::new();
        let mut always = Vec::new();
        for (index, rule) in rules.iter().enumerate() {
            if rule.keywords.is_empty() {
                always.push(index as u16);
            }
            let case_sensitive = rule.pattern_source().is_some_and(|s| !s.contains("(?i"));
            let is_param_rule = rule.pattern_source().is_none();
            let variants: Vec<String> = rule
                .keywords
                .iter()
                .flat_map(|k| {
                    let mut forms = vec![k.clone()];
                    if let Some(stem) = k
                        .strip_suffix('=')
                        .filter(|_| named_fields && is_param_rule)
                    {
                        forms.push(format!("{stem}\""));
                        forms.push(format!("{stem}:"));
                    }
                    forms
                })
                .collect();
            for original in &variants {
                let keyword = &original.to_ascii_lowercase();
                // `@` is found by the trace search; a one-byte literal would slow the
                // multi-literal search down for every byte.
                if keyword != "@" {
                    let wanted = (case_sensitive
                        && original.bytes().any(|b| b.is_ascii_alphabetic()))
                    .then(|| original.as_bytes().to_vec());
                    match all.iter().position(|k| k == keyword) {
                        Some(slot) => {
                            if exact[slot] != wanted {
                                exact[slot] = None;
                            }
                        }
                        None => {
                            all.push(keyword.clone());
                            exact.push(wanted);
                        }
                    }
                }
                if rule.pattern_source().is_none() {
                    continue;
                }
                let slot = match selecting.iter().position(|p| p == keyword) {
                    Some(slot) => slot,
                    None => {
                        selecting.push(keyword.clone());
                        rules_of_pattern.push(Vec::new());
                        selecting.len() - 1
                    }
                };
                rules_of_pattern[slot].push(index as u16);
            }
        }
        let mut blocks = Vec::new();
        for case_sensitive in [false, true] {
            // Keywords found in the original bytes are searched as written, the others lowercase.
            let chosen: Vec<usize> = (0..all.len())
                .filter(|&k| exact[k].is_some() == case_sensitive)
                .collect();
            let texts: Vec<Vec<u8>> = chosen
                .iter()
                .map(|&k| match &exact[k] {
                    Some(original) => original.clone(),
                    None => all[k].as_bytes().to_vec(),
                })
                .collect();
            let (anchors, members) = anchors(&texts);
            let members: Vec<Vec<usize>> = members
                .into_iter()
                .map(|local| local.into_iter().map(|i| chosen[i]).collect())
                .collect();
            // The packed SIMD search takes a limited number of literals: enough searchers share
            // them.
            let searchers = anchors.len().div_ceil(MAX_ANCHORS).max(1);
            let per_searcher = anchors.len().div_ceil(searchers).max(1);
            for (anchors, members) in anchors
                .chunks(per_searcher)
                .zip(members.chunks(per_searcher))
            {
                let automaton = AhoCorasickBuilder::new()
                    .match_kind(MatchKind::LeftmostFirst)
                    .build(anchors)
                    .expect("keyword automaton is small");
                blocks.push((automaton, members.to_vec(), case_sensitive));
            }
        }
        let keywords = all.into_iter().map(String::into_bytes).zip(exact).collect();
        // A DFA whatever the number of keywords: the crate's own choice falls back to a slower
        // NFA past about 100 of them, and this automaton runs over every value of every
        // candidate line.
        let select = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&selecting)
            .expect("keyword automaton is small");
        Prefilter {
            blocks,
            keywords,
            select,
            rules_of_pattern,
            always,
        }
    }

    /// Candidate positions in `block`; `lower` must be `block` lowercased (see [`lowercase_into`]).
    pub fn candidates<'a>(&'a self, block: &'a [u8], lower: &'a [u8]) -> Candidates<'a> {
        debug_assert_eq!(block.len(), lower.len());
        Candidates {
            prefilter: self,
            block,
            lower,
            next_keyword: vec![(usize::MAX, None); self.blocks.len()],
            next_trace: Some(0),
            trace_from: usize::MAX,
        }
    }

    /// True when `line` may hold a credential.
    pub fn is_candidate(&self, line: &[u8]) -> bool {
        let mut lower = Vec::new();
        lowercase_into(line, &mut lower);
        self.candidates(line, &lower).next_from(0).is_some()
    }

    /// Fills `selected` (without repeats) with the pattern rules whose keywords occur in `text`.
    pub fn select_rules(&self, text: &[u8], selected: &mut Vec<u16>) {
        selected.clear();
        selected.extend_from_slice(&self.always);
        for m in self.select.find_overlapping_iter(text) {
            for &rule in &self.rules_of_pattern[m.pattern().as_usize()] {
                if !selected.contains(&rule) {
                    selected.push(rule);
                }
            }
        }
    }
}

/// Most anchors per packed SIMD searcher (it is fastest with few literals).
const MAX_ANCHORS: usize = 48;

/// The first 4 bytes of every keyword (the packed SIMD search looks at 3 at most), made prefix-free
/// so that at most one anchor matches at any position. Returns the anchors and, for each, the
/// keywords starting with it (a match is confirmed against them).
fn anchors(keywords: &[Vec<u8>]) -> (Vec<Vec<u8>>, Vec<Vec<usize>>) {
    let mut anchors: Vec<Vec<u8>> = keywords
        .iter()
        .map(|k| k[..k.len().min(4)].to_vec())
        .collect();
    prefix_free(&mut anchors);
    let members = anchors
        .iter()
        .map(|a| {
            (0..keywords.len())
                .filter(|&k| keywords[k].starts_with(a))
                .collect()
        })
        .collect();
    (anchors, members)
}

/// Sorts, dedups and drops every anchor that another anchor is a prefix of.
fn prefix_free(anchors: &mut Vec<Vec<u8>>) {
    anchors.sort();
    anchors.dedup();
    let all = anchors.clone();
    anchors.retain(|a| !all.iter().any(|b| b != a && a.starts_with(b)));
}

/// Writes `bytes` with ASCII letters lowercased into `out`.
pub fn lowercase_into(bytes: &[u8], out: &mut Vec<u8>) {
    out.clear();
    out.extend(
        bytes
            .iter()
            .map(|&b| b | (u8::from(b.wrapping_sub(b'A') < 26) << 5)),
    );
}

/// The candidate positions of one block, found lazily in increasing order.
pub struct Candidates<'a> {
    prefilter: &'a Prefilter,
    block: &'a [u8],
    lower: &'a [u8],
    /// Per searcher: where it last searched from, and the first keyword it found there.
    next_keyword: Vec<(usize, Option<usize>)>,
    next_trace: Option<usize>,
    trace_from: usize,
}

impl Candidates<'_> {
    /// The first candidate position at or after `from`.
    pub fn next_from(&mut self, from: usize) -> Option<usize> {
        if !self.prefilter.always.is_empty() {
            // A rule without keywords: every line is a candidate.
            return (from < self.block.len()).then_some(from);
        }
        // Each search result is kept while it is still ahead, so no byte is searched twice.
        let mut keyword = None;
        for searcher in 0..self.next_keyword.len() {
            let (searched_from, found) = self.next_keyword[searcher];
            let found = if searched_from == usize::MAX || found.is_some_and(|p| p < from) {
                let found = self.next_keyword_from(searcher, from);
                self.next_keyword[searcher] = (from, found);
                found
            } else {
                found
            };
            keyword = match (keyword, found) {
                (Some(a), Some(b)) => Some(b.min(a)),
                (a, b) => a.or(b),
            };
        }
        if self.trace_from == usize::MAX || self.next_trace.is_some_and(|p| p < from) {
            self.trace_from = from;
            self.next_trace = next_trace(self.block, from);
        }
        match (keyword, self.next_trace) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

impl Candidates<'_> {
    fn next_keyword_from(&self, searcher: usize, from: usize) -> Option<usize> {
        let prefilter = self.prefilter;
        let (automaton, members, case_sensitive) = &prefilter.blocks[searcher];
        let haystack = if *case_sensitive {
            self.block
        } else {
            self.lower
        };
        let mut at = from.min(haystack.len());
        loop {
            let m = automaton.find(Input::new(haystack).span(at..haystack.len()))?;
            let p = m.start();
            let confirmed = members[m.pattern().as_usize()].iter().any(|&k| {
                let (lower, exact) = &prefilter.keywords[k];
                self.lower[p..].starts_with(lower)
                    && exact
                        .as_ref()
                        .is_none_or(|e| self.block[p..].starts_with(e))
            });
            if confirmed {
                return Some(p);
            }
            at = p + 1;
        }
    }
}

/// The first encoding trace at or after `from`.
fn next_trace(block: &[u8], from: usize) -> Option<usize> {
    let from = from.min(block.len());
    let escape = memchr::memchr3_iter(b'%', b'@', b'\\', &block[from..])
        .map(|p| from + p)
        .find(|&i| is_trace(block, i));
    // HTML character references (`&#61;`) are rare, so they get a search of their own.
    let end = escape.unwrap_or(block.len());
    let entity = memchr::memmem::find_iter(&block[from..end], b"&#")
        .map(|p| from + p)
        .find(|&i| is_trace(block, i));
    entity.or(escape)
}

/// True when the byte at `i` starts an encoding that could hide a keyword byte.
fn is_trace(block: &[u8], i: usize) -> bool {
    let hex = |j: usize| block.get(j).and_then(|&b| (b as char).to_digit(16));
    match block[i] {
        b'@' => true,
        b'&' => crate::decode::html::entity(&block[i + 1..]).is_some_and(|(c, _)| {
            c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '@' | '%' | '=')
        }),
        b'%' => match (hex(i + 1), hex(i + 2)) {
            (Some(h), Some(l)) => {
                let decoded = (h * 16 + l) as u8;
                decoded.is_ascii_alphanumeric()
                    || matches!(decoded, b'-' | b'.' | b'_' | b'@' | b'%' | b'=')
            }
            _ => false,
        },
        // `\xHH` (log escapes) and `\u00HH` (JSON escapes) of printable ASCII.
        _ => match block.get(i + 1) {
            Some(b'x') => hex(i + 2).is_some_and(|h| (2..=7).contains(&h)) && hex(i + 3).is_some(),
            Some(b'u') => {
                block.get(i + 2..i + 4) == Some(b"00")
                    && hex(i + 4).is_some_and(|h| (2..=7).contains(&h))
                    && hex(i + 5).is_some()
            }
            _ => false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traces() {
        for (text, expected) in [
            ("a%41b", true),
            ("a%3Db", true),
            ("a%2541", true),
            ("a%20b%2F%3F", false),
            ("user@host", true),
            (r"\x41", true),
            (r"\x16\x03", false),
            (r"\u0041", true),
            (r"\u000a", false),
            ("Key&#61;x", true),
            ("a&#x41;", true),
            ("a&#47;b&amp;c", false),
            ("100%", false),
        ] {
            assert_eq!(next_trace(text.as_bytes(), 0).is_some(), expected, "{text}");
        }
    }

    #[test]
    fn anchors_are_prefix_free_and_cover_every_keyword() {
        let keywords: Vec<Vec<u8>> = [
            "sk-",
            "sk-ant-",
            "sk_live_",
            "ghp_",
            "gho_",
            "github_pat_",
            "key=",
        ]
        .iter()
        .map(|k| k.as_bytes().to_vec())
        .collect();
        let (anchors, members) = anchors(&keywords);
        assert_eq!(
            anchors,
            [
                b"gho_".to_vec(),
                b"ghp_".to_vec(),
                b"gith".to_vec(),
                b"key=".to_vec(),
                b"sk-".to_vec(),
                b"sk_l".to_vec()
            ]
        );
        let covered: usize = members.iter().map(Vec::len).sum();
        assert_eq!(covered, keywords.len());
        let detector = crate::detect::Detector::builtin();
        assert!(detector
            .prefilter()
            .blocks
            .iter()
            .all(|(a, _, _)| a.patterns_len() <= MAX_ANCHORS));
    }

    /// A case-sensitive keyword made of one repeated letter (the Twitter bearer token's run of
    /// `A`) is not found in a line of lowercase `a`: such lines used to be candidates at every
    /// byte. Written in its own case, it is still found.
    #[test]
    fn case_sensitive_keywords_are_searched_as_written() {
        let detector = crate::detect::Detector::builtin();
        let prefilter = detector.prefilter();
        let twitter = prefilter
            .keywords
            .iter()
            .position(|(lower, _)| lower == &[b'a'; 21])
            .expect("the Twitter bearer keyword");
        let searched_as_written = prefilter
            .blocks
            .iter()
            .filter(|(_, members, _)| members.iter().flatten().any(|&k| k == twitter))
            .all(|(_, _, case_sensitive)| *case_sensitive);
        assert!(searched_as_written);
        assert!(!prefilter.is_candidate(&[b'a'; 300]));
        let mut bearer = b"Authorization: Bearer ".to_vec();
        bearer.extend_from_slice(&[b'A'; 22]);
        assert!(prefilter.is_candidate(&bearer));
        // Case-insensitive keywords are still found in any case.
        assert!(prefilter.is_candidate(b"GET /?API_KEY=x"));
        assert!(prefilter.is_candidate(b"GET /?api_key=x"));
    }

    #[test]
    fn lowercasing_is_ascii_only() {
        let mut out = Vec::new();
        lowercase_into(b"AbZ@[\xc3\x89", &mut out);
        assert_eq!(out, b"abz@[\xc3\x89");
    }
}
