//! Detection: from one log line to the credentials in it.
//!
//! A line is parsed into a record ([`crate::logformat`]), each field is split and decoded
//! ([`crate::decode`]), and every decoded value is matched against the rules
//! ([`crate::rules`]). Provider patterns also run over the whole raw line, so a key in an
//! unexpected place is still found. Detection knows nothing about files or output.

mod application;
mod bounded;
mod buckets;
pub mod confidence;
mod prefilter;

use crate::decode::url::{matrix_params, query_params, scheme_len, split_url};
use crate::decode::{decode_value, decode_value_rounds, unescape_json, Context, Decoded, Text};
use crate::finding::{Details, RecordFacts, Secret};
use crate::logformat::{self, format_timestamp, Escaping, FieldName, LogType, Record, Shape};
use crate::rules::{checks, Matcher, Rule};

pub use bounded::{MAX_MATCHES_PER_TEXT, MAX_MATCH_SPAN};
pub use prefilter::{lowercase_into, Candidates, Prefilter};

/// Longest part of one value that is decoded and matched (the rest of a longer value is still
/// matched raw by the whole-line pass).
pub const MAX_VALUE_LEN: usize = 1 << 20;

/// URLs nested inside parameters are followed this deep.
pub const MAX_DECODE_DEPTH: usize = 4;

/// One credential found in a line, before it is tied to a file and line number.
#[derive(Debug, Clone)]
pub struct Detection {
    /// The rule that found it.
    pub rule: &'static Rule,
    /// Where in the record it was.
    pub field: FieldName,
    /// The decoded parameter name holding it.
    pub param: Option<Vec<u8>>,
    /// The decoded credential.
    pub secret: Secret,
    /// 1-based byte column of its raw bytes in the line.
    pub column: usize,
    /// Every place in the line where the credential's raw (still encoded) bytes were seen, as
    /// 0-based byte ranges, in order: what `redact` masks.
    pub spans: Vec<std::ops::Range<usize>>,
    /// Offline facts.
    pub details: Details,
    /// How bad the leak is: the rule's severity, lowered where the rule says the credential is
    /// public by design in that place.
    pub severity: crate::finding::Severity,
    /// How sure it is to be a credential: the rule's confidence, weighed with the evidence of
    /// the line (see [`confidence`]).
    pub confidence: crate::finding::Confidence,
}

/// Everything a detector needs: the rules and the keyword automaton built from them.
#[derive(Debug)]
pub struct Detector {
    rules: Vec<&'static Rule>,
    param_rules: Vec<u16>,
    /// The keywords (without `=`) of every parameter rule: one of its rule's is in every name
    /// that rule accepts, so a name without any is checked against no rule.
    param_stems: aho_corasick::AhoCorasick,
    /// For each keyword of `param_stems`, the position of its rule in `param_rules`.
    stem_owner: Vec<u16>,
    /// The positions in `param_rules` of the rules that recognise a value under any name.
    value_rules: Vec<u16>,
    /// No pattern rule matches fewer bytes than this.
    min_pattern_len: usize,
    userinfo_rule: Option<u16>,
    prefilter: Prefilter,
    /// The fast path for formats that write names as `"name":` or `Name: value`.
    named_prefilter: Prefilter,
}

/// A credential seen while walking a line, with its raw extent.
#[derive(Debug)]
struct Hit {
    rule: u16,
    field: FieldName,
    param: Option<Vec<u8>>,
    secret: Vec<u8>,
    raw: std::ops::Range<usize>,
    details: Details,
    /// How deep in nested URLs it was found; the innermost finding of a secret is reported.
    depth: usize,
}

/// Per-line working state.
struct LineWalk<'d> {
    detector: &'d Detector,
    line: &'d [u8],
    hits: Vec<Hit>,
    selected: Vec<u16>,
    /// The pattern rules whose keywords are in the raw line: the only candidates for a value that
    /// needed no decoding.
    line_rules: Vec<u16>,
    /// The nesting depth of the value being walked.
    depth: usize,
}

/// Where the parts of a URL are reported.
#[derive(Clone, Copy)]
struct Fields<'a> {
    path: &'a FieldName,
    query: &'a FieldName,
}

impl Detector {
    /// A detector over the given rules.
    pub fn new(rules: Vec<&'static Rule>) -> Self {
        let param_rules: Vec<u16> = rules
            .iter()
            .enumerate()
            .filter(|(_, r)| matches!(r.matcher, Matcher::Param { .. }))
            .map(|(i, _)| i as u16)
            .collect();
        let userinfo_rule = rules
            .iter()
            .position(|r| r.id == "url-userinfo-password")
            .map(|i| i as u16);
        let (prefilter, named_prefilter) = Prefilter::pair(&rules);
        let mut stems = Vec::new();
        let mut stem_owner = Vec::new();
        let mut value_rules = Vec::new();
        for (position, &i) in param_rules.iter().enumerate() {
            if matches!(
                rules[i as usize].matcher,
                Matcher::Param { by_value: true, .. }
            ) {
                value_rules.push(position as u16);
                continue;
            }
            for keyword in &rules[i as usize].keywords {
                stems.push(keyword.trim_end_matches('=').to_ascii_lowercase());
                stem_owner.push(position as u16);
            }
        }
        let param_stems = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::Standard)
            .build(&stems)
            .expect("parameter keywords are plain literals");
        let min_pattern_len = rules
            .iter()
            .filter_map(|r| r.pattern_source())
            .map(|source| {
                regex_syntax::ParserBuilder::new()
                    .utf8(false)
                    .unicode(false)
                    .build()
                    .parse(source)
                    .ok()
                    .and_then(|hir| hir.properties().minimum_len())
                    .unwrap_or(0)
            })
            .min()
            .unwrap_or(0);
        Detector {
            rules,
            param_rules,
            param_stems,
            stem_owner,
            value_rules,
            min_pattern_len,
            userinfo_rule,
            prefilter,
            named_prefilter,
        }
    }

    /// A detector over the built-in rules.
    pub fn builtin() -> Self {
        Self::new(crate::rules::builtin().iter().collect())
    }

    /// The rules in use.
    pub fn rules(&self) -> &[&'static Rule] {
        &self.rules
    }

    /// The fast-path automaton.
    pub fn prefilter(&self) -> &Prefilter {
        &self.prefilter
    }

    /// The fast path for a format: one that also knows `"name":` and `Name: value` forms when
    /// the format writes names that way.
    pub fn prefilter_for(&self, named_fields: bool) -> &Prefilter {
        if named_fields {
            &self.named_prefilter
        } else {
            &self.prefilter
        }
    }

    /// Finds the credentials in one line (without its line ending), parsed as `log_type`.
    /// Returns facts about the record when anything was found.
    pub fn scan_line(
        &self,
        line: &[u8],
        log_type: LogType,
        out: &mut Vec<Detection>,
    ) -> Option<RecordFacts> {
        if !self
            .prefilter_for(log_type.names_fields())
            .is_candidate(line)
        {
            return None;
        }
        let parsed = logformat::parse(log_type, line);
        let format = parsed.as_ref().map(|_| log_type.name());
        let record = parsed.unwrap_or_else(|| Record::raw(line));
        self.scan_record(line, &record, format, out)
    }

    /// `name` (an input's name: a path, an object URL, a presigned URL) with every credential
    /// found in it replaced by its redacted form, or `None` when it holds none. The name is read
    /// as a URL, so that the parameters of a presigned URL are credentials as in a request.
    pub fn mask_name(&self, name: &[u8]) -> Option<Vec<u8>> {
        let record = Record {
            fields: vec![logformat::Field::new(
                FieldName::Line,
                0..name.len(),
                Shape::Url,
            )],
            ..Record::default()
        };
        let mut found = Vec::new();
        self.scan_record(name, &record, None, &mut found)?;
        Some(masked_copy(name, 0..name.len(), &found))
    }

    /// Finds the credentials in one line already split into `record` (by a parser that may
    /// carry state from earlier lines); `format` names the log type it was parsed as.
    pub fn scan_record(
        &self,
        line: &[u8],
        record: &Record,
        format: Option<&'static str>,
        out: &mut Vec<Detection>,
    ) -> Option<RecordFacts> {
        self.scan_record_with(line, record, format, None, out)
    }

    /// [`Detector::scan_record`] with the pattern rules for the line's own bytes when the caller
    /// already knows them ([`Candidates::line_rules`]), else chosen here.
    pub fn scan_record_with(
        &self,
        line: &[u8],
        record: &Record,
        format: Option<&'static str>,
        line_rules: Option<&[u16]>,
        out: &mut Vec<Detection>,
    ) -> Option<RecordFacts> {
        let line_rules = match line_rules {
            Some(rules) => rules.to_vec(),
            None => {
                let mut rules = Vec::new();
                self.prefilter.select_rules(line, &mut rules);
                rules
            }
        };
        let mut walk = LineWalk {
            detector: self,
            line,
            hits: Vec::new(),
            selected: Vec::new(),
            line_rules,
            depth: 0,
        };
        for field in &record.fields {
            let raw = Text::raw(&line[field.span.clone()], field.span.start);
            // JSON string escapes are undone for the whole field first.
            let unescaped = (field.escaping == Escaping::Json).then(|| unescape_json(raw));
            let text = unescaped.as_ref().map_or(raw, Decoded::text);
            match &field.shape {
                Shape::RequestTarget => walk.url(
                    text,
                    Fields {
                        path: &FieldName::RequestPath,
                        query: &FieldName::RequestQuery,
                    },
                    0,
                ),
                Shape::Url => walk.url(
                    text,
                    Fields {
                        path: &field.name,
                        query: &field.name,
                    },
                    0,
                ),
                Shape::Text => walk.text(text, &field.name, 0),
                Shape::Query => walk.query(text, &field.name, 0),
                Shape::Header(name) => walk.header(name, text, &field.name),
                Shape::Cookie => walk.cookie(text, &field.name),
                Shape::Value(name) => {
                    walk.named_value(name.as_bytes(), text, Context::Path, &field.name, 0)
                }
            }
        }
        walk.depth = 0;
        walk.whole_line(record);
        if walk.hits.is_empty() {
            return None;
        }
        let before = out.len();
        walk.finish(out);
        application::drop_non_credentials(out, before, line);
        let facts =
            (out.len() > before).then(|| record_facts(line, record, format, &out[before..]));
        if let Some(facts) = &facts {
            for detection in &mut out[before..] {
                mark_browser_use(detection, facts.request_path.as_deref());
                application::lower_for_scanners(detection, facts.user_agent.as_deref());
                application::lower_for_probes(detection, line);
            }
        }
        facts
    }
}

/// A key that a rule says web pages use by design (e.g. a Google Maps JavaScript key), found in
/// a referer or in a request to one of the rule's browser paths: still a finding, since it must be
/// restricted, but one severity lower, with a note.
fn mark_browser_use(detection: &mut Detection, request_path: Option<&[u8]>) {
    let rule = detection.rule;
    if rule.browser_paths.is_empty() {
        return;
    }
    let in_referer = detection.field == FieldName::Referer;
    let browser_path = matches!(
        detection.field,
        FieldName::RequestQuery | FieldName::RequestPath
    ) && request_path.is_some_and(|p| {
        rule.browser_paths
            .iter()
            .any(|b| p.starts_with(b.as_bytes()))
    });
    if in_referer || browser_path {
        detection.severity = detection.severity.lowered();
        detection.details.note = Some(
            "used from web pages, where such keys are public by design: restrict it (HTTP referrers, allowed APIs) rather than hide it".into(),
        );
    }
}

/// Facts about `record` for the findings `found` in it.
fn record_facts(
    line: &[u8],
    record: &Record,
    format: Option<&'static str>,
    found: &[Detection],
) -> RecordFacts {
    let bytes = |r: &Option<std::ops::Range<usize>>| r.clone().map(|r| line[r].to_vec());
    let target = record
        .fields
        .iter()
        .find(|f| f.shape == Shape::RequestTarget)
        .map(|f| split_url(Text::raw(&line[f.span.clone()], f.span.start)));
    let path_span = target
        .filter(|t| !t.path.is_empty())
        .map(|t| t.path.origin_of(0)..t.path.origin_of(0) + t.path.len());
    let host_header = record
        .fields
        .iter()
        .find(|f| matches!(&f.name, FieldName::Header(h) if h == "host"))
        .map(|f| line[f.span.clone()].to_vec());
    // The host of the page that sent the request (its Referer), with any secret of the line
    // inside it masked.
    let referer_host = record
        .fields
        .iter()
        .find(|f| f.name == FieldName::Referer)
        .and_then(|f| split_url(Text::raw(&line[f.span.clone()], f.span.start)).host)
        .filter(|h| !h.is_empty())
        .map(|h| masked_copy(line, h.origin_of(0)..h.origin_of(0) + h.len(), found));
    RecordFacts {
        format,
        timestamp: record
            .time
            .as_ref()
            .and_then(|(syntax, r)| format_timestamp(*syntax, &line[r.clone()])),
        client: bytes(&record.client),
        method: bytes(&record.method),
        status: record.status,
        user_agent: bytes(&record.user_agent).filter(|ua| ua != b"-"),
        request_path: target.map(|t| decode(t.path, Context::Path).bytes),
        path: path_span.clone().map(|span| masked_copy(line, span, found)),
        path_in_clear: path_span.map(|span| Secret::new(line[span].to_vec())),
        host: bytes(&record.host)
            .or(host_header)
            .or_else(|| target.and_then(|t| t.host).map(|h| h.bytes.to_vec()))
            .filter(|h| !h.is_empty() && h != b"-"),
        referer_host,
    }
}

/// A parameter name as rules see it: lowercased, and also with its camelCase words set apart by
/// `_` (`aToken` is `atoken` and `a_token`, `clientSecret` is `clientsecret` and
/// `client_secret`), so that rules written for `snake_case` names read every spelling.
struct ParamName {
    lower: Vec<u8>,
    split: Option<Vec<u8>>,
}

impl ParamName {
    fn new(name: &[u8]) -> Self {
        let lower = name.to_ascii_lowercase();
        let mut split = Vec::with_capacity(name.len() + 4);
        for (i, &b) in name.iter().enumerate() {
            // A word starts at an upper-case letter after a lower-case letter or digit, and at
            // the last capital of a run followed by a lower-case letter (`XMLApiKey`).
            let prev = i.checked_sub(1).map(|p| name[p]);
            let next = name.get(i + 1).copied();
            let starts_word = b.is_ascii_uppercase()
                && prev.is_some_and(|p| {
                    p.is_ascii_lowercase()
                        || p.is_ascii_digit()
                        || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
                });
            if starts_word {
                split.push(b'_');
            }
            split.push(b.to_ascii_lowercase());
        }
        let split = (split != lower).then_some(split);
        ParamName { lower, split }
    }

    /// The spellings to match: the lowercased name, then its camelCase words apart.
    fn forms(&self) -> impl Iterator<Item = &[u8]> {
        std::iter::once(self.lower.as_slice()).chain(self.split.as_deref())
    }

    /// True when `f` holds for any spelling.
    fn any(&self, f: impl Fn(&[u8]) -> bool) -> bool {
        self.forms().any(f)
    }
}

/// The bytes of `line` in `span`, with the raw bytes of every credential `found` in the line
/// replaced by its redacted form (`ghp_…cD47`).
fn masked_copy(line: &[u8], span: std::ops::Range<usize>, found: &[Detection]) -> Vec<u8> {
    let mut masks: Vec<(std::ops::Range<usize>, &Detection)> = found
        .iter()
        .flat_map(|d| d.spans.iter().map(move |s| (s.clone(), d)))
        .filter(|(s, _)| s.start < span.end && s.end > span.start)
        .collect();
    masks.sort_by_key(|(s, _)| (s.start, std::cmp::Reverse(s.end)));
    let mut out = Vec::with_capacity(span.len());
    let mut pos = span.start;
    for (mask, detection) in masks {
        if mask.end <= pos {
            // Inside a span already masked.
            continue;
        }
        let start = mask.start.max(pos);
        out.extend_from_slice(&line[pos..start]);
        let prefix = detection.rule.prefix_of(detection.secret.expose());
        let redacted = detection.secret.redacted(prefix);
        // A credential that starts before the span (`hooks.slack.com/services/…` around a
        // path) shows only what of its clear prefix lies inside it.
        let clipped = start - mask.start;
        let shown = match prefix {
            _ if clipped == 0 => Some(redacted.as_str()),
            Some(p) if line.get(mask.start..mask.start + p.len()) == Some(p.as_bytes()) => {
                redacted.get(clipped.min(p.len())..)
            }
            _ => None,
        };
        let shown = shown.unwrap_or_else(|| redacted.find('…').map_or("…", |at| &redacted[at..]));
        out.extend_from_slice(shown.as_bytes());
        pos = mask.end.min(span.end);
    }
    out.extend_from_slice(&line[pos..span.end]);
    out
}

/// True when the credential at `range` is not part of a longer run of letters and digits: an
/// alphanumeric first (last) byte must not have an alphanumeric byte before (after) it.
fn on_token_boundaries(bytes: &[u8], range: std::ops::Range<usize>) -> bool {
    let alnum = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_alphanumeric);
    // A JSON `\u0026` or a percent `%26` escape ends in letters or digits but is a separator.
    let after_escape = |end: usize| {
        let before = &bytes[..end];
        let json = before.len() >= 6
            && before[before.len() - 6..].starts_with(b"\\u")
            && before[before.len() - 4..].iter().all(u8::is_ascii_hexdigit);
        let percent = before.len() >= 3
            && before[before.len() - 3] == b'%'
            && before[before.len() - 2..].iter().all(u8::is_ascii_hexdigit);
        json || percent
    };
    let before_ok = range.start == 0
        || !alnum(range.start)
        || !alnum(range.start - 1)
        || after_escape(range.start);
    let after_ok = range.end == 0 || !alnum(range.end - 1) || !alnum(range.end);
    before_ok && after_ok
}

/// Bytes that may appear in a parameter name found in free text.
fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'%' | b'[' | b']')
}

/// Where a `name=value` value that starts at `start` in free text ends: at a byte that ends
/// values, except for the `&…;` of an HTML character reference inside it. A `:` right before
/// that end is prose punctuation, not part of the value (Apache's `AH01215: <what the script
/// printed>: /usr/lib/cgi-bin/x.cgi`).
fn text_value_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'&' {
            if let Some((c, len)) = crate::decode::html::entity(&bytes[i + 1..]) {
                if c != '&' {
                    i += 1 + len;
                    continue;
                }
            }
        }
        if ends_text_value(b) && !(b == b';' && encoded_pair_follows(&bytes[i + 1..])) {
            break;
        }
        i += 1;
    }
    if i > start && bytes[i - 1] == b':' && bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
        i -= 1;
    }
    i
}

/// True when `rest` starts with `Name%3D`: after a `;`, a pair whose `=` is percent-encoded
/// belongs to the encoded value around it (`cs=DefaultEndpointsProtocol%3Dhttps;AccountKey%3D…`),
/// not to the text.
fn encoded_pair_follows(rest: &[u8]) -> bool {
    let name = rest
        .iter()
        .position(|b| !b.is_ascii_alphanumeric())
        .unwrap_or(rest.len());
    name > 0
        && rest[name..]
            .get(..3)
            .is_some_and(|eq| eq.eq_ignore_ascii_case(b"%3D"))
}

/// Bytes that end a parameter value in free text.
fn ends_text_value(b: u8) -> bool {
    b.is_ascii_whitespace()
        || matches!(
            b,
            b'&' | b'"'
                | b'\''
                | b','
                | b';'
                | b'<'
                | b'>'
                | b'('
                | b')'
                | b'\\'
                | b'|'
                | b'}'
                | b']'
        )
}

impl LineWalk<'_> {
    /// Walks a URL or request target: user-info, path (and matrix parameters), query, fragment.
    fn url(&mut self, url: Text<'_>, fields: Fields<'_>, depth: usize) {
        self.depth = depth;
        let parts = split_url(url);
        self.userinfo(parts);
        if !parts.path.is_empty() {
            let decoded = decode(parts.path, Context::Path);
            self.patterns(decoded.text(), fields.path, None);
            for param in matrix_params(parts.path) {
                self.param(param.name, param.value, fields.path, depth);
            }
        }
        for part in [parts.query, parts.fragment].into_iter().flatten() {
            self.query(part, fields.query, depth);
        }
    }

    /// The password of `scheme://user:password@host`, decoded.
    fn userinfo(&mut self, parts: crate::decode::url::UrlParts<'_>) {
        if let (Some(password), Some(rule)) = (parts.password, self.detector.userinfo_rule) {
            let decoded = decode(password, Context::Path);
            let text = decoded.text();
            // A provider token used as the password (`https://x-access-token:ghs_…@host`) is
            // reported as that token.
            if self.patterns(text, &FieldName::Userinfo, None) {
                return;
            }
            if crate::rules::checks::is_password_like(text.bytes) {
                self.hit(rule, &FieldName::Userinfo, None, text, Details::default());
            }
        }
    }

    /// A request header's value: an auth scheme (`Bearer`, `Basic`, `Token`, …) is set apart from
    /// the credential, which is then checked under the header's name.
    fn header(&mut self, name: &str, value: Text<'_>, field: &FieldName) {
        // Pattern rules see the whole value, scheme included (`Basic …`, `Bearer …`, `SSWS …`).
        if self.patterns(value, field, Some(name.as_bytes())) {
            return;
        }
        let bytes = value.bytes;
        let scheme_end = bytes.iter().position(|&b| b == b' ');
        let value = match scheme_end {
            Some(n) if n > 0 && n <= 20 && bytes[..n].iter().all(u8::is_ascii_alphabetic) => {
                let rest = bytes[n..]
                    .iter()
                    .position(|&b| b != b' ')
                    .map_or(bytes.len(), |p| n + p);
                value.slice(rest..bytes.len())
            }
            _ => value,
        };
        if !value.is_empty() {
            self.named_value(name.as_bytes(), value, Context::Path, field, 0);
        }
        // Header values may hold `name=value` pairs too (e.g. a logged Cookie or X-Forwarded).
        self.text(value, field, 0);
    }

    /// A Cookie header: `name=value` pairs separated by `;`.
    fn cookie(&mut self, cookies: Text<'_>, field: &FieldName) {
        let bytes = cookies.bytes;
        let mut start = 0;
        while start < bytes.len() {
            let end = memchr::memchr(b';', &bytes[start..]).map_or(bytes.len(), |p| start + p);
            let pair = &bytes[start..end];
            let skip = crate::decode::url::cookie_space_len(pair);
            if let Some(eq) = memchr::memchr(b'=', pair) {
                if eq > skip {
                    let name = cookies.slice(start + skip..start + eq);
                    let value = cookies.slice(start + eq + 1..end);
                    if !value.is_empty() {
                        self.named_value(name.bytes, value, Context::Path, field, 0);
                    }
                }
            }
            start = end + 1;
        }
    }

    fn query(&mut self, query: Text<'_>, field: &FieldName, depth: usize) {
        for param in query_params(query) {
            self.param(param.name, param.value, field, depth);
        }
    }

    /// Free text: every `name=value` pair in it, and the user-info of every URL.
    fn text(&mut self, text: Text<'_>, field: &FieldName, depth: usize) {
        self.depth = depth;
        let bytes = text.bytes;
        for sep in memchr::memmem::find_iter(bytes, b"://") {
            let start = bytes[..sep]
                .iter()
                .rposition(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-')))
                .map_or(0, |p| p + 1);
            let end = bytes[sep..]
                .iter()
                .position(|&b| b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b'<' | b'>'))
                .map_or(bytes.len(), |p| sep + p);
            if start < sep {
                let parts = split_url(text.slice(start..end));
                self.userinfo(parts);
                // A path quoted in a message keeps its encoding (`/bot<id>%3A<secret>/…`).
                if memchr::memchr(b'%', parts.path.bytes).is_some() {
                    let decoded = decode(parts.path, Context::Path);
                    self.patterns(decoded.text(), field, None);
                }
            }
        }
        if memchr::memchr(b'%', bytes).is_some() {
            self.encoded_paths(text, field);
        }
        for eq in memchr::memchr_iter(b'=', bytes) {
            let name_start = bytes[..eq]
                .iter()
                .rposition(|&b| !is_name_byte(b))
                .map_or(0, |p| p + 1);
            if name_start == eq {
                continue;
            }
            let mut value_end = text_value_end(bytes, eq + 1);
            // A path parameter (`;jsessionid=…`) ends where the query or fragment starts (a `#`
            // of an HTML character reference, `&#x2F;`, is not a fragment).
            if name_start > 0 && bytes[name_start - 1] == b';' {
                let value = &bytes[eq + 1..value_end];
                let cut = value.iter().enumerate().position(|(i, &b)| {
                    b == b'?' || (b == b'#' && (i == 0 || value[i - 1] != b'&'))
                });
                if let Some(p) = cut {
                    value_end = eq + 1 + p;
                }
            }
            self.param(
                text.slice(name_start..eq),
                Some(text.slice(eq + 1..value_end)),
                field,
                depth,
            );
        }
    }

    /// Request paths in free text (`GET /keys/xapp%2D1…/refresh`, as an application logs the
    /// request): each is matched decoded too, up to its query.
    fn encoded_paths(&mut self, text: Text<'_>, field: &FieldName) {
        let bytes = text.bytes;
        let mut from = 0;
        while let Some(p) = memchr::memchr(b'/', &bytes[from..]) {
            let start = from + p;
            let end = bytes[start..]
                .iter()
                .position(|&b| b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b'?' | b'#'))
                .map_or(bytes.len(), |e| start + e);
            let starts_token = start == 0
                || bytes[start - 1].is_ascii_whitespace()
                || matches!(bytes[start - 1], b'"' | b'\'' | b'(');
            if starts_token && memchr::memchr(b'%', &bytes[start..end]).is_some() {
                let decoded = decode(text.slice(start..end), Context::Path);
                self.patterns(decoded.text(), field, None);
            }
            from = end.max(start + 1);
        }
    }

    /// One parameter: provider patterns in its value, else parameter rules by its name, then any
    /// URL or query string nested in the value.
    fn param(&mut self, name: Text<'_>, value: Option<Text<'_>>, field: &FieldName, depth: usize) {
        let Some(value) = value.filter(|v| !v.is_empty()) else {
            return;
        };
        if needs_decoding(name.bytes) {
            let name = decode(name, Context::Query);
            self.named_value(&name.bytes, value, Context::Query, field, depth);
        } else {
            self.named_value(name.bytes, value, Context::Query, field, depth);
        }
    }

    /// A value under a known (decoded) name: a parameter, header, cookie or JSON field.
    fn named_value(
        &mut self,
        name: &[u8],
        value: Text<'_>,
        context: Context,
        field: &FieldName,
        depth: usize,
    ) {
        self.depth = depth;
        // A credential is never this long; decoding a longer value costs memory for nothing.
        let value = value.slice(0..value.len().min(MAX_VALUE_LEN));
        let raw_value = value;
        let decoded;
        let value = if needs_decoding(value.bytes) {
            decoded = decode(value, context);
            decoded.text()
        } else {
            value
        };
        if !self.patterns(value, field, Some(name)) {
            let names = ParamName::new(name);
            // The parameter rules with a keyword in the name and those that go by the value, in
            // rule order.
            let mut candidates: Vec<u16> = names
                .forms()
                .flat_map(|form| self.detector.param_stems.find_overlapping_iter(form))
                .map(|m| self.detector.stem_owner[m.pattern().as_usize()])
                .chain(self.detector.value_rules.iter().copied())
                .collect();
            candidates.sort_unstable();
            candidates.dedup();
            for position in candidates {
                let index = self.detector.param_rules[position as usize];
                let rule = self.detector.rules[index as usize];
                if let Matcher::Param {
                    names: name_regex,
                    exclude,
                    value: value_regex,
                    check,
                    strong,
                    ..
                } = &rule.matcher
                {
                    let accepted = names.any(|n| name_regex.is_match(n))
                        && !exclude
                            .as_ref()
                            .is_some_and(|x| names.any(|n| x.is_match(n)))
                        && value_regex.as_ref().is_none_or(|v| v.is_match(value.bytes))
                        && (check.passes(value.bytes)
                            || strong.as_ref().is_some_and(|x| {
                                names.any(|n| x.is_match(n))
                                    && checks::is_random_letters(value.bytes)
                            }));
                    if accepted {
                        self.hit(index, field, Some(name), value, Details::default());
                        break;
                    }
                }
            }
        }
        if depth < MAX_DECODE_DEPTH && memchr::memchr2(b'=', b'@', value.bytes).is_some() {
            // One level of nesting undoes one level of encoding; the nested values are decoded
            // again when they are walked.
            let url_like = |b: &[u8]| scheme_len(b).is_some() || b.starts_with(b"/");
            let mut once = decode_rounds(raw_value, context, 1);
            // A URL encoded twice or more as a whole (`https%253A%252F%252F…`) is walked from
            // the round that makes it a URL, so that its own parameters keep their encoding.
            let mut rounds = 1;
            while !url_like(&once.bytes)
                && rounds < 3
                && memchr::memchr(b'%', &once.bytes).is_some()
            {
                rounds += 1;
                let next = decode_rounds(raw_value, context, rounds);
                if next.bytes == once.bytes {
                    break;
                }
                once = next;
            }
            let value = if url_like(once.bytes.as_slice()) || !url_like(value.bytes) {
                once.text()
            } else {
                value
            };
            let bytes = value.bytes;
            if url_like(bytes) {
                self.url(
                    value,
                    Fields {
                        path: field,
                        query: field,
                    },
                    depth + 1,
                );
            } else if memchr::memchr(b'=', bytes).is_some() {
                self.query(value, field, depth + 1);
            }
        }
    }

    /// Runs the pattern rules whose keywords occur in `text`; true when any matched.
    fn patterns(&mut self, text: Text<'_>, field: &FieldName, param: Option<&[u8]>) -> bool {
        if text.len() < self.detector.min_pattern_len {
            return false;
        }
        let mut selected = std::mem::take(&mut self.selected);
        if text.is_raw() {
            selected.clone_from(&self.line_rules);
        } else {
            self.detector
                .prefilter
                .select_rules(text.bytes, &mut selected);
        }
        let mut found = false;
        for &index in &selected {
            found |= self.pattern(index, text, |_| (field.clone(), param));
        }
        self.selected = selected;
        found
    }

    /// Runs one pattern rule over `text`; `place` says where a match at a raw position belongs.
    fn pattern<'p>(
        &mut self,
        index: u16,
        text: Text<'_>,
        place: impl Fn(usize) -> (FieldName, Option<&'p [u8]>),
    ) -> bool {
        let rule = self.detector.rules[index as usize];
        let (
            Some(regex),
            Matcher::Pattern {
                validator,
                secret_group,
                min_entropy,
                ..
            },
        ) = (rule.pattern(), &rule.matcher)
        else {
            return false;
        };
        let bytes = text.bytes;
        let mut found = false;
        let mut matches = Vec::new();
        bounded::for_each_match(regex, bytes, |caps| {
            let whole = caps.get(0).expect("group 0 always matches");
            let secret = match secret_group {
                Some(group) => caps.get(*group).unwrap_or(whole),
                None => caps.name("secret").unwrap_or(whole),
            };
            matches.push((whole.range(), secret.range()));
        });
        for (whole, secret) in matches {
            // The boundaries are those of the whole match before the secret and of the secret after
            // it (`/bot<token>/` must not need a boundary between `bot` and the token).
            if !on_token_boundaries(bytes, whole.start..secret.end)
                || min_entropy
                    .is_some_and(|min| checks::shannon_entropy(&bytes[secret.clone()]) < min)
            {
                continue;
            }
            let secret_text = text.slice(secret.clone());
            let details = match validator {
                Some(v) => match v.check(secret_text.bytes) {
                    Some(details) => details,
                    None => continue,
                },
                None => Details::default(),
            };
            let (field, param) = place(text.origin_of(secret.start));
            self.hit(index, &field, param, secret_text, details);
            found = true;
        }
        found
    }

    /// Provider patterns over the whole raw line, for credentials in unexpected places. A match
    /// where a credential was already found is not reported again.
    fn whole_line(&mut self, record: &Record) {
        let mut selected = std::mem::take(&mut self.selected);
        selected.clone_from(&self.line_rules);
        let line = self.line;
        // Raw matches inside findings of the structured walk repeat them; raw matches of several
        // rules at one place all stay, and the most specific wins when they are merged.
        let already: Vec<std::ops::Range<usize>> =
            self.hits.iter().map(|h| h.raw.clone()).collect();
        for &index in &selected {
            let place = |pos: usize| {
                let field = record.fields.iter().find(|f| f.span.contains(&pos)).map_or(
                    FieldName::Line,
                    |f| match &f.shape {
                        Shape::RequestTarget => match memchr::memchr(b'?', &line[f.span.clone()]) {
                            Some(q) if pos > f.span.start + q => FieldName::RequestQuery,
                            _ => FieldName::RequestPath,
                        },
                        _ => f.name.clone(),
                    },
                );
                (field, None)
            };
            let before = self.hits.len();
            self.pattern(index, Text::raw(line, 0), place);
            // Keep only new places: a raw match overlapping an earlier (decoded) finding repeats
            // it, perhaps with encoding bytes around it (`%3Dglpat-…`).
            let mut i = before;
            while i < self.hits.len() {
                let raw = self.hits[i].raw.clone();
                if already
                    .iter()
                    .any(|r| r.start < raw.end && raw.start < r.end)
                {
                    self.hits.remove(i);
                } else {
                    i += 1;
                }
            }
        }
        self.selected = selected;
    }

    fn hit(
        &mut self,
        rule: u16,
        field: &FieldName,
        param: Option<&[u8]>,
        secret: Text<'_>,
        mut details: Details,
    ) {
        if secret.is_empty() {
            return;
        }
        let value = match details.issued_form.take() {
            Some(issued) => issued.expose().to_vec(),
            None => secret.bytes.to_vec(),
        };
        let start = secret.origin_of(0);
        let last = secret.origin_of(secret.len() - 1);
        let end = if secret.is_raw() {
            last + 1
        } else {
            last + raw_escape_len(self.line, last)
        };
        self.hits.push(Hit {
            rule,
            field: field.clone(),
            param: param.map(<[u8]>::to_vec),
            secret: value,
            raw: start..end.max(start + 1),
            details,
            depth: self.depth,
        });
    }

    /// One detection per distinct secret: the most specific rule, at the first column, with
    /// every place the secret was seen.
    fn finish(self, out: &mut Vec<Detection>) {
        let rules = &self.detector.rules;
        let mut kept: Vec<(Hit, Vec<std::ops::Range<usize>>)> = Vec::new();
        for hit in self.hits {
            match kept.iter_mut().find(|(k, _)| k.secret == hit.secret) {
                Some((k, spans)) => {
                    let rank = |h: &Hit| (rules[h.rule as usize].priority(), h.depth);
                    let better = rank(&hit) > rank(k);
                    let start = k.raw.start.min(hit.raw.start);
                    if !spans.contains(&hit.raw) {
                        spans.push(hit.raw.clone());
                    }
                    if better {
                        *k = hit;
                    }
                    k.raw.start = start;
                }
                None => {
                    let spans = vec![hit.raw.clone()];
                    kept.push((hit, spans));
                }
            }
        }
        signed::consolidate(&mut kept, rules, self.line);
        kept.sort_by_key(|(h, _)| h.raw.start);
        out.extend(kept.into_iter().map(|(h, mut spans)| {
            spans.sort_by_key(|s| (s.start, s.end));
            let rule = rules[h.rule as usize];
            Detection {
                confidence: confidence::weigh(rule, h.param.as_deref(), &h.secret, &h.details),
                rule,
                field: h.field,
                param: h.param,
                secret: Secret::new(h.secret),
                column: h.raw.start + 1,
                spans,
                details: h.details,
                severity: rule.severity,
            }
        }));
    }
}

/// The length of the raw bytes at `pos` in `line` that decode to one byte: a percent escape
/// (`%41`, or `%2541` and `%252541` for double and triple encoding), an nginx `\xHH` escape, a
/// JSON `\uXXXX` escape (with its low surrogate), a two-byte backslash escape, or else 1.
fn raw_escape_len(line: &[u8], pos: usize) -> usize {
    let rest = &line[pos.min(line.len())..];
    let hex = |i: usize| rest.get(i).is_some_and(u8::is_ascii_hexdigit);
    match rest {
        [b'%', ..] if hex(1) && hex(2) => {
            let mut len = 3;
            let mut rounds = 1;
            // `%25` decodes to a `%` that the next round joins with the two bytes after it.
            while rest[len - 2..len] == *b"25"
                && hex(len)
                && hex(len + 1)
                && rounds < crate::decode::MAX_PERCENT_ROUNDS
            {
                len += 2;
                rounds += 1;
            }
            len
        }
        [b'\\', b'x', ..] if hex(2) && hex(3) => 4,
        [b'\\', b'u', ..] if (2..6).all(hex) => {
            // A high surrogate (`\uD800`–`\uDBFF`) is joined with the low one after it.
            let high = matches!(
                rest[2..4].to_ascii_lowercase().as_slice(),
                [b'd', b'8'..=b'9' | b'a'..=b'b']
            );
            if high && rest.get(6..8) == Some(b"\\u") && (8..12).all(hex) {
                12
            } else {
                6
            }
        }
        [b'\\', next, ..]
            if !next.is_ascii_alphanumeric()
                || matches!(next, b'n' | b'r' | b't' | b'b' | b'f') =>
        {
            2
        }
        _ => 1,
    }
}

/// True when `bytes` hold anything a decoder would change.
fn needs_decoding(bytes: &[u8]) -> bool {
    memchr::memchr3(b'%', b'+', b'\\', bytes).is_some() || memchr::memchr(b'&', bytes).is_some()
}

fn decode(text: Text<'_>, context: Context) -> Decoded {
    let (mut out, mut spare) = (Decoded::default(), Decoded::default());
    decode_value(text, context, &mut out, &mut spare);
    out
}

fn decode_rounds(text: Text<'_>, context: Context, rounds: usize) -> Decoded {
    let (mut out, mut spare) = (Decoded::default(), Decoded::default());
    decode_value_rounds(text, context, rounds, &mut out, &mut spare);
    out
}

#[cfg(test)]
mod shape_tests;
mod signed;
#[cfg(test)]
mod tests;
