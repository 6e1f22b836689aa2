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
//! A keyword that starts every match of every rule using it (`pat` of `pat<14>.<64 hex>`, `eyJ`)
//! is confirmed by those rules' patterns, anchored where it was found, in the original bytes: the
//! letters `pat` in `compatible` or `path` do not make a line a candidate. When the rest of the line
//! holds no escape (`%`, `\`, `&#`), the decoded value is the original bytes there, so a rule that
//! does not match them cannot match after decoding either; with an escape, the keyword alone
//! decides.
//!
//! Keywords that every rule using them matches case-sensitively (`AAAAAAAAAAAAAAAAAAAAA`, the
//! start of a Twitter bearer token) are searched in the original bytes instead: a decoder never
//! changes a letter's case. Searched lowercased, such a keyword would be found at every byte of a
//! line of `aaaa…` and rejected there one position at a time.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, Input, MatchKind};
use regex::bytes::Regex;

use super::buckets;
use crate::rules::{self, Rule};

/// How far past a keyword its confirming pattern looks: longer than the prefix any pattern needs
/// to be satisfied, short enough to stay within the line.
const CONFIRM_WINDOW: usize = 4096;

/// The keyword automata.
#[derive(Debug)]
pub struct Prefilter {
    /// Searchers for the anchors (short windows of all keywords), each with the keywords that
    /// hold each of its anchors and where, and whether it searches the original bytes (keywords
    /// matched case-sensitively) rather than the lowercased block.
    blocks: Vec<(AnchorSearcher, Vec<Vec<Member>>, bool)>,
    /// Every keyword, lowercase, with the exact original bytes a match needs, if any.
    keywords: Vec<(Vec<u8>, Option<Vec<u8>>)>,
    /// For each keyword, the patterns that must match where it starts, when it starts every match
    /// of every rule using it.
    confirm: Vec<Option<Confirm>>,
    /// Pattern-rule keywords, case-insensitive, overlapping, for choosing rules per value.
    select: AhoCorasick,
    /// For each of `keywords`, the pattern rules it selects: a candidate line's rules come from
    /// the keywords the block search confirmed in it (see [`Candidates::line_rules`]).
    rules_of_keyword: Vec<Vec<u16>>,
    /// The pattern rules whose keyword is `@` (not in `keywords`): selected for a line with an
    /// `@`.
    at_sign_rules: Vec<u16>,
    /// For each `select` pattern, the pattern rules it selects.
    rules_of_pattern: Vec<Vec<u16>>,
    /// Pattern rules without keywords: selected for every value, and every line is a candidate.
    always: Vec<u16>,
    /// Where a raw `@` makes a line a candidate.
    at_sign: AtSign,
}

/// Where a raw `@` makes a line a candidate: it is the keyword of the rules that find passwords
/// in a URL's user-info (`https://user:password@host`), which no multi-literal search holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum AtSign {
    /// No rule uses it: `@` is only a trace when percent- or otherwise encoded.
    Nowhere,
    /// Only the built-in user-info rule uses it: where a `:` (or an escape, which may hide one)
    /// comes before it in the same authority, as the rule's pattern requires (`@2x.png` and
    /// `/@alice` are not).
    AfterColon,
    /// Rules of the configuration use it: everywhere.
    Everywhere,
}

/// The id of the built-in rule whose keyword is `@`.
const USER_INFO_RULE: &str = "url-userinfo-password";

/// How far back from an `@` its user-info is looked at (the rule allows 256 bytes of user and
/// as many of password); beyond, the `@` counts.
const USER_INFO_REACH: usize = 600;

impl Prefilter {
    /// Builds the automata over every rule's keywords: for lines in general, then for formats
    /// that write names as `"name":` or `Name: value` (JSON logs, logged request headers), where a
    /// parameter keyword `token=` also counts as `token"` and `token:`.
    pub fn pair(rules: &[&'static Rule]) -> (Self, Self) {
        let mut starts = StartsMemo::default();
        (
            Self::build(rules, false, &mut starts),
            Self::build(rules, true, &mut starts),
        )
    }

    fn build(rules: &[&'static Rule], named_fields: bool, starts: &mut StartsMemo) -> Self {
        let mut all: Vec<String> = Vec::new();
        // For each of `all`: the exact bytes it must have in the original block, when every rule
        // using it matches case-sensitively (a decoder never changes a letter's case, and an
        // encoded letter is a trace).
        let mut exact: Vec<Option<Vec<u8>>> = Vec::new();
        // For each of `all`: the patterns of the rules using it, while each of them starts every
        // match with it (`None` once one does not).
        let mut starting: Vec<Option<Vec<&str>>> = Vec::new();
        let mut selecting: Vec<String> = Vec::new();
        let mut rules_of_pattern: Vec<Vec<u16>> = Vec::new();
        let mut always = Vec::new();
        let mut rules_of_keyword: Vec<Vec<u16>> = Vec::new();
        let mut at_sign_rules: Vec<u16> = Vec::new();
        let mut at_sign = AtSign::Nowhere;
        for (index, rule) in rules.iter().enumerate() {
            if rule.keywords.iter().any(|k| k == "@") {
                at_sign = match (at_sign, rule.id == USER_INFO_RULE) {
                    (AtSign::Nowhere | AtSign::AfterColon, true) => AtSign::AfterColon,
                    _ => AtSign::Everywhere,
                };
            }
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
                    let starts = rule
                        .pattern_source()
                        .filter(|source| wanted.is_some() && starts.get(index, source, original));
                    let slot = match all.iter().position(|k| k == keyword) {
                        Some(slot) => {
                            if exact[slot] != wanted {
                                exact[slot] = None;
                            }
                            slot
                        }
                        None => {
                            all.push(keyword.clone());
                            exact.push(wanted);
                            starting.push(Some(Vec::new()));
                            rules_of_keyword.push(Vec::new());
                            all.len() - 1
                        }
                    };
                    starting[slot] = match (starting[slot].take(), starts) {
                        (Some(mut sources), Some(source)) => {
                            sources.push(source);
                            Some(sources)
                        }
                        _ => None,
                    };
                    if rule.pattern_source().is_some()
                        && !rules_of_keyword[slot].contains(&(index as u16))
                    {
                        rules_of_keyword[slot].push(index as u16);
                    }
                } else if rule.pattern_source().is_some()
                    && !at_sign_rules.contains(&(index as u16))
                {
                    at_sign_rules.push(index as u16);
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
            let (anchors, members) = anchors(&texts, case_sensitive);
            let anchored: Vec<(Vec<u8>, Vec<Member>)> = anchors
                .into_iter()
                .zip(members)
                .map(|(anchor, local)| {
                    let members = local.into_iter().map(|(i, o)| (chosen[i], o)).collect();
                    (anchor, members)
                })
                .collect();
            // The packed SIMD search takes a limited number of literals: enough searchers share
            // them, each literal in a bucket of its own kind. Vendor keywords of 3 bytes get a
            // searcher of their own, so that the others are compared on 4 bytes before anything
            // is verified: over web logs that makes two searchers of 4-byte anchors cheaper than
            // one more pass.
            let shared = if case_sensitive {
                let (short, long): (Vec<_>, Vec<_>) =
                    anchored.into_iter().partition(|(a, _)| a.len() < 4);
                let each = long.len().div_ceil(LONG_ANCHOR_SEARCHERS);
                let mut shared = buckets::share(short, SLIM_ANCHORS, false);
                shared.extend(buckets::share(long, each, false));
                shared
            } else {
                buckets::share(anchored, MAX_ANCHORS, true)
            };
            for searcher in shared {
                let (anchors, members): (Vec<Vec<u8>>, Vec<Vec<Member>>) =
                    searcher.into_iter().unzip();
                blocks.push((AnchorSearcher::new(&anchors), members, case_sensitive));
            }
        }
        let confirm = starting
            .into_iter()
            .zip(&exact)
            .map(|(sources, exact)| {
                let sources = sources.filter(|s| !s.is_empty())?;
                Some(Confirm::new(&sources, exact.as_deref()?))
            })
            .collect();
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
            confirm,
            select,
            rules_of_pattern,
            rules_of_keyword,
            at_sign_rules,
            always,
            at_sign,
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
            line: LineState::NONE,
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
        selected.sort_unstable();
    }
}

/// Whether a rule's pattern starts every match with a keyword, by rule index and keyword: the
/// answer takes parsing the pattern, and both prefilters of a detector ask it.
#[derive(Default)]
struct StartsMemo(std::collections::HashMap<(usize, String), bool>);

impl StartsMemo {
    fn get(&mut self, rule: usize, source: &str, keyword: &str) -> bool {
        *self
            .0
            .entry((rule, keyword.to_string()))
            .or_insert_with(|| rules::starts_every_match(source, keyword.as_bytes()))
    }
}

/// A keyword holding an anchor: the keyword's index and the anchor's offset in it.
type Member = (usize, usize);

/// A search for the anchors of one searcher: the packed SIMD search itself where the machine
/// has it (without the crate's limit of 64 literals, which [`LONG_ANCHOR_SEARCHERS`] may pass),
/// else an automaton.
#[derive(Debug)]
enum AnchorSearcher {
    Packed(aho_corasick::packed::Searcher),
    Automaton(AhoCorasick),
}

impl AnchorSearcher {
    fn new(anchors: &[Vec<u8>]) -> Self {
        let mut packed = aho_corasick::packed::Config::new()
            .match_kind(aho_corasick::packed::MatchKind::LeftmostFirst)
            .heuristic_pattern_limits(false)
            .builder();
        match packed.extend(anchors).build() {
            Some(searcher) => AnchorSearcher::Packed(searcher),
            None => AnchorSearcher::Automaton(
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::LeftmostFirst)
                    .build(anchors)
                    .expect("keyword automaton is small"),
            ),
        }
    }

    /// The first anchor at or after `from`: its position and index.
    fn find_at(&self, haystack: &[u8], from: usize) -> Option<(usize, usize)> {
        let span = from..haystack.len();
        let m = match self {
            AnchorSearcher::Packed(searcher) => searcher.find_in(haystack, span.into())?,
            AnchorSearcher::Automaton(automaton) => {
                automaton.find(Input::new(haystack).span(span))?
            }
        };
        Some((m.start(), m.pattern().as_usize()))
    }
}

/// The patterns that confirm a keyword: all of them anchored, compiled on first use.
#[derive(Debug)]
struct Confirm {
    source: String,
    regex: OnceLock<Option<Regex>>,
    /// Every pattern starts with a word boundary (`\b`) before the keyword's first byte, a word
    /// byte: no match starts where a word byte comes before.
    word_start: bool,
}

impl Confirm {
    fn new(sources: &[&str], keyword: &[u8]) -> Self {
        let alternatives: Vec<String> = sources.iter().map(|s| format!("(?:{s})")).collect();
        Confirm {
            source: format!(r"\A(?:{})", alternatives.join("|")),
            regex: OnceLock::new(),
            word_start: keyword.first().is_some_and(|&b| is_word_byte(b))
                && sources.iter().all(|s| s.starts_with(r"\b")),
        }
    }

    /// [`Confirm::matches`] for the keyword at `start` of `block`, on a line ending at
    /// `line_end` with no escape after the keyword. A keyword glued to the word before it (`pat`
    /// in `compatible`) starts no match of patterns that start with a word boundary, unless the
    /// byte before may decode to another (an escape ends just before).
    fn matches_at(&self, block: &[u8], start: usize, line_end: usize) -> bool {
        let glued = self.word_start
            && start > 0
            && is_word_byte(block[start - 1])
            && !block[start.saturating_sub(ESCAPE_REACH)..start]
                .iter()
                .any(|&b| matches!(b, b'%' | b'\\' | b'&'));
        !glued && self.matches(&block[start..line_end])
    }

    /// True when one of the patterns matches at the start of `rest` (the rest of a line from
    /// the keyword on, with no escape in it; the caller confirms a keyword followed by an escape
    /// (`%`, `\`, `&#`) without asking: an escaped byte can belong to the match once decoded,
    /// `%2B` in a base64 token). A pattern too big to compile confirms everything too.
    fn matches(&self, rest: &[u8]) -> bool {
        let window = &rest[..rest.len().min(CONFIRM_WINDOW)];
        let regex = self.regex.get_or_init(|| rules::compile(&self.source).ok());
        regex.as_ref().is_none_or(|r| r.is_match(window))
    }
}

/// The longest escape that ends in a word byte (`\u00HH`, 6 bytes).
const ESCAPE_REACH: usize = 6;

/// True for the bytes a regex word boundary sees as word characters (ASCII ones).
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Most anchors per packed SIMD searcher of lowercased text: fewer searchers mean fewer passes
/// over each block, more literals per bucket mean more verifications (see [`buckets`]).
const MAX_ANCHORS: usize = 56;

/// The longest anchor: the most bytes the packed SIMD search compares before verifying.
const ANCHOR_LEN: usize = 4;

/// Most anchors in the searcher of 3-byte vendor anchors: as many as its narrower, faster form
/// (8 buckets, 32 bytes a step) holds.
const SLIM_ANCHORS: usize = 32;

/// The searchers sharing the vendor anchors of 4 bytes. Measured over generated and real web
/// logs: one is far slower (its buckets accept most positions), three cost one more pass.
const LONG_ANCHOR_SEARCHERS: usize = 2;

/// One window of 4 bytes (or the whole keyword when shorter) of every keyword, made prefix-free
/// so that at most one anchor matches at any position. With `rare`, the window is the one whose
/// first 3 bytes are least common in web logs, within the keyword's last 4 bytes at the latest
/// (for keywords written as is: vendor prefixes, whose upper case letters, digits and `_` are
/// rare); otherwise it is the keyword's start (for keywords that ignore case: parameter names,
/// whose every window is a common word). Returns the anchors and, for each, the keywords holding
/// it with the offset of their window (a match at `p` is confirmed against the keyword at
/// `p - offset`).
fn anchors(keywords: &[Vec<u8>], rare: bool) -> (Vec<Vec<u8>>, Vec<Vec<Member>>) {
    let windows: Vec<(usize, &[u8])> = keywords
        .iter()
        .map(|k| {
            let offset = if rare {
                rarest_window(k).min(k.len().saturating_sub(ANCHOR_LEN))
            } else {
                0
            };
            (offset, &k[offset..k.len().min(offset + ANCHOR_LEN)])
        })
        .collect();
    let mut anchors: Vec<Vec<u8>> = windows.iter().map(|(_, w)| w.to_vec()).collect();
    prefix_free(&mut anchors);
    let members = anchors
        .iter()
        .map(|a| {
            (0..keywords.len())
                .filter(|&k| windows[k].1.starts_with(a))
                .map(|k| (k, windows[k].0))
                .collect()
        })
        .collect();
    (anchors, members)
}

/// Text of the kind every web log is full of: a window of a keyword found in it would stop the
/// search at nearly every line.
const COMMON_LOG_TEXT: &str = "get post head http/1.1 http/2.0 mozilla/5.0 (windows nt 10.0; \
    win64; x64) applewebkit/537.36 (khtml, like gecko) chrome/120.0.0.0 safari/537.36 edg/ \
    firefox/ (macintosh; intel mac os x 10_15_7) (iphone; cpu iphone os 17_0 like mac os x) \
    mobile/15e148 (linux; android 13) (compatible; googlebot/2.1; +http://www.google.com/bot.html) \
    bingbot robots.txt favicon.ico sitemap.xml /wp-login.php /wp-admin/ /api/v1/ /static/css/ \
    /assets/js/ /images/ .png .jpg .svg .woff2 index.html https:// www. .com/ .org/ ?page=1&sort= \
    asc&lang=en-us&q=search&utm_source=google&utm_medium=cpc&utm_campaign= &id= &ref= &callback= \
    &format=json /products/ /account /login /logout /search /cart /checkout /category/ /shipping \
    /about /outlet /download /public /health /status /webhook /dashboard /settings /profile";

/// The offset of the window of `keyword` whose first 3 bytes are least common in web logs: fewest
/// occurrences in [`COMMON_LOG_TEXT`], then fewest lowercase letters and common punctuation,
/// then the earliest.
fn rarest_window(keyword: &[u8]) -> usize {
    if keyword.len() <= 3 {
        return 0;
    }
    let byte_cost = |b: u8| match b {
        b'a'..=b'z' | b'.' | b'-' | b'/' | b'=' | b'&' | b'?' | b' ' => 2,
        b'0'..=b'9' => 1,
        _ => 0,
    };
    (0..=keyword.len() - 3)
        .min_by_key(|&offset| {
            let trigram = keyword[offset..offset + 3].to_ascii_lowercase();
            let seen = memchr::memmem::find_iter(COMMON_LOG_TEXT.as_bytes(), &trigram).count();
            let cost: usize = keyword[offset..offset + 3]
                .iter()
                .map(|&b| byte_cost(b))
                .sum();
            (8 * seen + cost, offset)
        })
        .unwrap_or(0)
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
    /// Per searcher: where it last searched from, and the first keyword it found there (its
    /// position and the anchor found).
    next_keyword: Vec<(usize, Option<(usize, usize)>)>,
    next_trace: Option<usize>,
    trace_from: usize,
    /// The line of the keywords being confirmed.
    line: LineState,
}

/// What is known of the line of the keywords being confirmed, so that confirming each keyword
/// does not search the rest of its line again: in a line full of keywords that would cost the
/// line's length squared.
#[derive(Clone, Copy, Debug)]
struct LineState {
    /// The earliest position known to be on the line (`usize::MAX`: no line yet).
    from: usize,
    /// Where the line ends.
    end: usize,
    /// The first `%` or `\` at or after `escape_from`, or `end`.
    percent: usize,
    /// The first `&#` at or after `escape_from`, or `end`.
    entity: usize,
    escape_from: usize,
    /// Keywords on the line that their patterns did not confirm.
    misses: usize,
}

impl LineState {
    const NONE: LineState = LineState {
        from: usize::MAX,
        end: 0,
        percent: 0,
        entity: 0,
        escape_from: usize::MAX,
        misses: 0,
    };
}

/// How many keywords on one line their patterns may turn down before the rest of that line's
/// keywords count as confirmed without asking (which can only make more lines candidates): a
/// line written full of vendor prefixes (`eyJeyJeyJ…`) costs a bounded amount of work per byte.
const MISSES_PER_LINE: usize = 32;

/// How many keyword positions [`Candidates::line_rules`] looks at in one line before leaving
/// the choice to the line's bytes (one pass, whatever the line holds).
const HITS_PER_LINE: usize = 4096;

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
            let found = if searched_from == usize::MAX || found.is_some_and(|(p, _)| p < from) {
                let found = self.next_keyword_from(searcher, from);
                self.next_keyword[searcher] = (from, found);
                found
            } else {
                found
            }
            .map(|(p, _)| p);
            keyword = match (keyword, found) {
                (Some(a), Some(b)) => Some(b.min(a)),
                (a, b) => a.or(b),
            };
        }
        if self.trace_from == usize::MAX || self.next_trace.is_some_and(|p| p < from) {
            self.trace_from = from;
            self.next_trace = next_trace(self.block, from, self.prefilter.at_sign);
        }
        match (keyword, self.next_trace) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

impl Candidates<'_> {
    /// Fills `rules` with the pattern rules of every keyword in the candidate line `start..end`
    /// (`end` at or before its line ending), found by continuing the block search to the line's
    /// end: the rules [`Prefilter::select_rules`] chooses from the line's bytes, in rule order,
    /// without a second search of the line. False when the search cannot tell (a rule without
    /// keywords, or a line before where the search stands); `rules` is then to be chosen from
    /// the bytes.
    pub fn line_rules(&mut self, start: usize, end: usize, rules: &mut Vec<u16>) -> bool {
        let prefilter = self.prefilter;
        rules.clear();
        if !prefilter.always.is_empty() {
            return false;
        }
        for searcher in 0..self.next_keyword.len() {
            let (mut searched_from, mut found) = self.next_keyword[searcher];
            if searched_from == usize::MAX
                || searched_from > start
                || found.is_some_and(|(p, _)| p < start)
            {
                return false;
            }
            let mut hits = 0;
            while let Some((p, anchor)) = found.filter(|&(p, _)| p < end) {
                hits += 1;
                if hits > HITS_PER_LINE {
                    self.next_keyword[searcher] = (searched_from, found);
                    return false;
                }
                for &member in &prefilter.blocks[searcher].1[anchor] {
                    let keyword = member.0;
                    let known = prefilter.rules_of_keyword[keyword]
                        .iter()
                        .all(|rule| rules.contains(rule));
                    if known || self.confirmed(member, p).is_none() {
                        continue;
                    }
                    for &rule in &prefilter.rules_of_keyword[keyword] {
                        if !rules.contains(&rule) {
                            rules.push(rule);
                        }
                    }
                }
                searched_from = p + 1;
                found = self.next_keyword_from(searcher, searched_from);
            }
            self.next_keyword[searcher] = (searched_from, found);
        }
        if !prefilter.at_sign_rules.is_empty()
            && memchr::memchr(b'@', &self.block[start..end]).is_some()
        {
            for &rule in &prefilter.at_sign_rules {
                if !rules.contains(&rule) {
                    rules.push(rule);
                }
            }
        }
        rules.sort_unstable();
        true
    }

    /// The keyword of `member` when it is at the anchor found at `p`, as written where it must
    /// be and confirmed by its patterns.
    fn confirmed(&mut self, (keyword, offset): Member, p: usize) -> Option<usize> {
        let prefilter = self.prefilter;
        let start = p.checked_sub(offset)?;
        let (lower, exact) = &prefilter.keywords[keyword];
        let written = self.lower[start..].starts_with(lower)
            && exact
                .as_ref()
                .is_none_or(|e| self.block[start..].starts_with(e));
        if !written {
            return None;
        }
        let Some(confirm) = &prefilter.confirm[keyword] else {
            return Some(keyword);
        };
        self.enter_line(start);
        if self.line.misses >= MISSES_PER_LINE || self.escape_after(start) {
            return Some(keyword);
        }
        if confirm.matches_at(self.block, start, self.line.end) {
            Some(keyword)
        } else {
            self.line.misses += 1;
            None
        }
    }

    /// Makes [`Candidates::line`] the line of position `p`.
    fn enter_line(&mut self, p: usize) {
        let line = &mut self.line;
        if line.from <= p && p <= line.end {
            return;
        }
        let end = memchr::memchr(b'\n', &self.block[p..]).map_or(self.block.len(), |i| p + i);
        if line.from != usize::MAX && end == line.end {
            // An earlier position of the same line (searchers do not move together).
            line.from = p;
        } else {
            *line = LineState {
                from: p,
                end,
                ..LineState::NONE
            };
        }
    }

    /// True when the rest of the current line from `start` holds an escape a decoder undoes
    /// (`%`, `\`, `&#`): each is searched for once per stretch of line.
    fn escape_after(&mut self, start: usize) -> bool {
        let block = self.block;
        let line = &mut self.line;
        let end = line.end;
        // `percent` and `entity` are the first at or after `escape_from`: still the first at or
        // after `start` unless they come before it.
        let unknown = line.escape_from > start;
        if unknown || line.percent < start {
            line.percent =
                memchr::memchr2(b'%', b'\\', &block[start..end]).map_or(end, |i| start + i);
        }
        if unknown || line.entity < start {
            line.entity =
                memchr::memmem::find(&block[start..end], b"&#").map_or(end, |i| start + i);
        }
        line.escape_from = start;
        line.percent < end || line.entity < end
    }

    /// The first confirmed keyword at or after `from` of one searcher: its position and the
    /// anchor found there.
    fn next_keyword_from(&mut self, searcher: usize, from: usize) -> Option<(usize, usize)> {
        let prefilter = self.prefilter;
        let (automaton, members, case_sensitive) = &prefilter.blocks[searcher];
        let haystack = if *case_sensitive {
            self.block
        } else {
            self.lower
        };
        let mut at = from.min(haystack.len());
        loop {
            let (p, anchor) = automaton.find_at(haystack, at)?;
            if members[anchor]
                .iter()
                .any(|&member| self.confirmed(member, p).is_some())
            {
                return Some((p, anchor));
            }
            at = p + 1;
        }
    }
}

/// The first encoding trace (or `@` where it counts) at or after `from`.
fn next_trace(block: &[u8], from: usize, at_sign: AtSign) -> Option<usize> {
    let from = from.min(block.len());
    let escape = memchr::memchr3_iter(b'%', b'@', b'\\', &block[from..])
        .map(|p| from + p)
        .find(|&i| is_trace(block, i, at_sign));
    // HTML character references (`&#61;`) are rare, so they get a search of their own.
    let end = escape.unwrap_or(block.len());
    let entity = memchr::memmem::find_iter(&block[from..end], b"&#")
        .map(|p| from + p)
        .find(|&i| is_trace(block, i, at_sign));
    entity.or(escape)
}

/// True when the byte at `i` starts an encoding that could hide a keyword byte, or is an `@`
/// that counts (see [`AtSign`]).
fn is_trace(block: &[u8], i: usize, at_sign: AtSign) -> bool {
    let hex = |j: usize| block.get(j).and_then(|&b| (b as char).to_digit(16));
    match block[i] {
        b'@' => match at_sign {
            AtSign::Nowhere => false,
            AtSign::AfterColon => colon_before(block, i),
            AtSign::Everywhere => true,
        },
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

/// True when the authority before the `@` at `at` holds a `:` or an escape that may decode to
/// one: looking back to the nearest byte the user-info pattern excludes (`/ ? # "`, white
/// space), the start of the line, or [`USER_INFO_REACH`] bytes.
fn colon_before(block: &[u8], at: usize) -> bool {
    let start = at.saturating_sub(USER_INFO_REACH);
    for &b in block[start..at].iter().rev() {
        match b {
            b':' | b'%' | b'\\' | b'&' => return true,
            b'/' | b'?' | b'#' | b'"' | b'\n' => return false,
            b if b.is_ascii_whitespace() => return false,
            _ => {}
        }
    }
    // Reached the reach limit without a delimiter: too long to rule out.
    start > 0
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
            assert_eq!(
                next_trace(text.as_bytes(), 0, AtSign::Everywhere).is_some(),
                expected,
                "{text}"
            );
        }
    }

    /// With only the user-info rule using it, an `@` counts where a `:` (or an escape that may
    /// hide one) comes before it within its authority.
    #[test]
    fn an_at_sign_counts_after_a_colon_in_its_authority() {
        for (text, expected) in [
            ("GET http://deploy:Xk3mP9qL@shop.example/ HTTP/1.1", true),
            ("\"https://user:pw@host/\"", true),
            ("GET /images/hero@2x.webp HTTP/2.0", false),
            ("GET /profile/@alice HTTP/1.1", false),
            ("from alice@example.com to bob", false),
            ("12:00:00 alice@example.com", false),
            ("GET /x?u=jenkins%3Apw@ci.example HTTP/1.1", true),
            ("GET /x?u=jenkins\\x3apw@ci.example HTTP/1.1", true),
            ("@ at the start", false),
        ] {
            assert_eq!(
                next_trace(text.as_bytes(), 0, AtSign::AfterColon).is_some(),
                expected,
                "{text}"
            );
            assert!(next_trace(text.as_bytes(), 0, AtSign::Everywhere).is_some());
        }
        assert!(next_trace(b"hero@2x.webp", 0, AtSign::Nowhere).is_none());
        let detector = crate::detect::Detector::builtin();
        assert_eq!(detector.prefilter().at_sign, AtSign::AfterColon);
        assert!(!detector
            .prefilter()
            .is_candidate(b"GET /images/hero@2x.webp HTTP/2.0"));
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
        let (anchors, members) = anchors(&keywords, true);
        for (i, a) in anchors.iter().enumerate() {
            for (j, b) in anchors.iter().enumerate() {
                assert!(
                    i == j || !b.starts_with(a),
                    "an anchor is a prefix of another"
                );
            }
        }
        // Every keyword holds the anchor of each of its memberships at the offset given, and
        // every keyword is a member of one anchor.
        let mut covered = vec![false; keywords.len()];
        for (anchor, members) in anchors.iter().zip(&members) {
            for &(k, offset) in members {
                assert!(keywords[k][offset..].starts_with(anchor));
                covered[k] = true;
            }
        }
        assert!(covered.iter().all(|&c| c));
    }

    /// Vendor keywords of 4 bytes or more are searched by 4-byte anchors, apart from the 3-byte
    /// ones, and every keyword has an anchor in some searcher.
    #[test]
    fn vendor_anchors_of_four_bytes_are_searched_apart() {
        let detector = crate::detect::Detector::builtin();
        let prefilter = detector.prefilter();
        let mut searched = vec![false; prefilter.keywords.len()];
        for (_, members, case_sensitive) in &prefilter.blocks {
            let anchor_lens: Vec<usize> = members
                .iter()
                .map(|m| {
                    // The anchor is the shortest window of the keywords holding it.
                    m.iter()
                        .map(|&(k, offset)| (prefilter.keywords[k].0.len() - offset).min(4))
                        .min()
                        .unwrap_or(0)
                })
                .collect();
            if *case_sensitive {
                let short = anchor_lens.iter().filter(|&&len| len < 4).count();
                assert!(short == 0 || short == anchor_lens.len(), "{anchor_lens:?}");
                assert!(short == 0 || short <= SLIM_ANCHORS);
            } else {
                assert!(members.len() <= MAX_ANCHORS);
            }
            for &(k, _) in members.iter().flatten() {
                searched[k] = true;
            }
        }
        assert!(searched.iter().all(|&s| s));
        let vendor_searchers = prefilter.blocks.iter().filter(|b| b.2).count();
        assert_eq!(vendor_searchers, 1 + LONG_ANCHOR_SEARCHERS);
    }

    /// A keyword's anchor avoids what every web log line holds: `ppl` (`AppleWebKit`), `out`,
    /// `bot` (`Googlebot`), `api` (`/api/`).
    /// A vendor prefix inside a word (`pat` in `compatible`) does not make a line a candidate,
    /// one that starts its credential's pattern does, and so does one followed by an escape
    /// (a base64 token whose `+` was percent-encoded).
    #[test]
    fn a_keyword_is_confirmed_by_its_pattern_unless_escapes_follow() {
        let detector = crate::detect::Detector::builtin();
        let prefilter = detector.prefilter();
        let line = |request: &str| {
            format!(
                "203.0.113.9 - - [04/Dec/2026:10:00:00 +0000] \"GET {request} HTTP/1.1\" 200 5 \
                 \"-\" \"Mozilla/5.0 (compatible; Examplebot/2.1)\""
            )
        };
        assert!(!prefilter.is_candidate(line("/path/to/page").as_bytes()));
        let airtable = format!("pat{}.{}", "Ab3dE5gH7jK9mN", "0123456789abcdef".repeat(4));
        assert!(prefilter.is_candidate(line(&format!("/x?ref={airtable}")).as_bytes()));
        let bedrock = format!("ABSK{}%2B{}", "Qm9v".repeat(10), "YmFy".repeat(25));
        assert!(prefilter.is_candidate(line(&format!("/x?ref={bedrock}")).as_bytes()));
        let cut = format!("ABSK{}", "Qm9v".repeat(5));
        assert!(!prefilter.is_candidate(line(&format!("/x?ref={cut}")).as_bytes()));
    }

    #[test]
    fn anchors_avoid_common_log_text() {
        for (keyword, common) in [
            (&b"pplx-"[..], &b"ppl"[..]),
            (b"outlook.office", b"out"),
            (b"bot%20", b"bot"),
            (b"api_org_", b"api"),
            (b"access_token", b"acc"),
        ] {
            let offset = rarest_window(keyword);
            assert!(
                !keyword[offset..].starts_with(common),
                "{}",
                String::from_utf8_lossy(keyword)
            );
        }
        assert_eq!(rarest_window(b"sk-"), 0);
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
            .filter(|(_, members, _)| members.iter().flatten().any(|&(k, _)| k == twitter))
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

    /// Keywords their patterns turn down stop being asked about after [`MISSES_PER_LINE`] of
    /// them in a line: the rest count as confirmed, which can only make the line a candidate.
    /// The next line starts again.
    #[test]
    fn a_line_full_of_unconfirmed_keywords_is_a_candidate() {
        let detector = crate::detect::Detector::builtin();
        let prefilter = detector.prefilter();
        let turned_down = |n: usize| " pat".repeat(n);
        assert!(!prefilter.is_candidate(turned_down(MISSES_PER_LINE).as_bytes()));
        assert!(prefilter.is_candidate(turned_down(MISSES_PER_LINE + 1).as_bytes()));
        let two_lines = format!(
            "{}\n{}",
            turned_down(MISSES_PER_LINE),
            turned_down(MISSES_PER_LINE)
        );
        assert!(!prefilter.is_candidate(two_lines.as_bytes()));
    }

    /// A candidate line with more keyword positions than [`HITS_PER_LINE`] leaves the choice of
    /// its rules to its bytes, and the search goes on after it as before.
    #[test]
    fn a_line_of_too_many_keywords_leaves_the_rules_to_its_bytes() {
        let detector = crate::detect::Detector::builtin();
        let prefilter = detector.prefilter();
        let block = format!(
            "{}\nGET /?api_key=x\n",
            "ghp_ ".repeat(MISSES_PER_LINE + HITS_PER_LINE + 10)
        );
        let bytes = block.as_bytes();
        let mut lower = Vec::new();
        lowercase_into(bytes, &mut lower);
        let mut candidates = prefilter.candidates(bytes, &lower);
        let end = memchr::memchr(b'\n', bytes).expect("two lines");
        assert!(candidates.next_from(0).is_some_and(|p| p < end));
        let mut rules = Vec::new();
        assert!(!candidates.line_rules(0, end, &mut rules));
        let second = end + 1;
        assert_eq!(
            candidates.next_from(second),
            Some(second + "GET /?api_".len())
        );
    }

    #[test]
    fn lowercasing_is_ascii_only() {
        let mut out = Vec::new();
        lowercase_into(b"AbZ@[\xc3\x89", &mut out);
        assert_eq!(out, b"abz@[\xc3\x89");
    }
}
