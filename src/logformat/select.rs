//! Choosing a format: per file from its first lines, per line when a line does not have its
//! file's format, and per path from the user's `[[formats]]` mapping.

use std::path::Path;
use std::sync::Arc;

use globset::{Glob, GlobSet, GlobSetBuilder};

use super::{json, modsec, parse, w3c, wrap, CustomFormat, LogType, Parser, Record, Wrapper};

/// A format the user chose for some files.
#[derive(Clone, Debug)]
pub enum FormatChoice {
    /// A built-in type (`--log-type`, `log_type = "…"`).
    Type(LogType),
    /// A custom format (`--log-format`, `log_format = "…"`).
    Custom(Arc<CustomFormat>),
}

impl FormatChoice {
    /// A choice from a config entry or the command line: exactly one of a type name or a format
    /// string.
    pub fn from_spec(log_type: Option<&str>, log_format: Option<&str>) -> Result<Self, String> {
        match (log_type, log_format) {
            (Some(_), Some(_)) => Err("give either `log_type` or `log_format`, not both".into()),
            (None, None) => Err("give `log_type` or `log_format`".into()),
            (Some(name), None) => {
                LogType::from_name(name)
                    .map(FormatChoice::Type)
                    .ok_or_else(|| {
                        format!(
                            "unknown log type `{name}`; known types: {}",
                            LogType::NAMES.join(", ")
                        )
                    })
            }
            (None, Some(format)) => CustomFormat::compile(format)
                .map(|f| FormatChoice::Custom(Arc::new(f)))
                .map_err(|e| e.to_string()),
        }
    }
}

/// Which files get which format: the command line's choice for every file, else the first
/// `[[formats]]` entry whose glob matches the file's path or name, else detection.
#[derive(Clone, Debug, Default)]
pub struct FormatMap {
    default: Option<FormatChoice>,
    rules: Arc<Vec<(GlobSet, FormatChoice)>>,
}

impl FormatMap {
    /// A map with a format for every file (`--log-type` or `--log-format`) and per-glob formats
    /// (from the config file, in order).
    pub fn new(
        default: Option<FormatChoice>,
        rules: Vec<(Vec<String>, FormatChoice)>,
    ) -> Result<Self, String> {
        let mut compiled = Vec::with_capacity(rules.len());
        for (globs, choice) in rules {
            let mut builder = GlobSetBuilder::new();
            for g in &globs {
                builder.add(Glob::new(g).map_err(|e| format!("files `{g}`: {e}"))?);
            }
            let set = builder.build().map_err(|e| e.to_string())?;
            compiled.push((set, choice));
        }
        Ok(FormatMap {
            default,
            rules: Arc::new(compiled),
        })
    }

    /// The map for a run: `--log-format` (if given) for every file, else the config's
    /// `[[formats]]` entries.
    pub fn from_options(
        log_format: Option<&str>,
        rules: Vec<(Vec<String>, FormatChoice)>,
    ) -> Result<Self, String> {
        let default = log_format
            .map(|f| CustomFormat::compile(f).map(|c| FormatChoice::Custom(Arc::new(c))))
            .transpose()
            .map_err(|e| e.to_string())?;
        Self::new(default, rules)
    }

    /// A map with one format for every file.
    pub fn all(choice: FormatChoice) -> Self {
        FormatMap {
            default: Some(choice),
            rules: Arc::default(),
        }
    }

    /// The format chosen for the file at `path`, if any.
    pub fn choice_for(&self, path: &Path) -> Option<&FormatChoice> {
        if let Some(choice) = &self.default {
            return Some(choice);
        }
        self.rules
            .iter()
            .find(|(set, _)| {
                set.is_match(path) || path.file_name().is_some_and(|name| set.is_match(name))
            })
            .map(|(_, choice)| choice)
    }

    /// True when no file has a chosen format.
    pub fn is_empty(&self) -> bool {
        self.default.is_none() && self.rules.is_empty()
    }
}

/// The stateless types tried by detection and per line, most specific first (a tie goes to the
/// earlier one). JSON types are handled apart; [`LogType::Lighttpd`] and
/// [`LogType::Varnishncsa`] read exactly like `combined` and are only used when named.
const CANDIDATES: [LogType; 16] = [
    LogType::AwsElb,
    LogType::AwsAlb,
    LogType::AwsS3,
    LogType::Cloudfront,
    LogType::Iis,
    LogType::Haproxy,
    LogType::Envoy,
    LogType::Squid,
    LogType::IngressNginx,
    LogType::Traefik,
    LogType::VhostCombined,
    LogType::Combined,
    LogType::Common,
    LogType::Tomcat,
    LogType::ApacheError,
    LogType::NginxError,
];

/// The JSON flavours, most specific first.
const JSON_TYPES: [LogType; 7] = [
    LogType::ModsecurityJson,
    LogType::GcpLb,
    LogType::Cloudflare,
    LogType::TraefikJson,
    LogType::EnvoyJson,
    LogType::Caddy,
    LogType::Json,
];

/// The priority of a type in detection (lower wins a tie).
fn priority(t: LogType) -> usize {
    JSON_TYPES
        .iter()
        .chain(CANDIDATES.iter())
        .position(|&c| c == t)
        .unwrap_or(usize::MAX)
}

/// Every stateless type `line` parses as, with the record of the first (most specific) one.
fn matching_types(line: &[u8], mut each: impl FnMut(LogType)) {
    if line.first() == Some(&b'{') {
        if let Some((_, flavor)) = json::parse(line) {
            each(flavor);
            if flavor != LogType::Json {
                each(LogType::Json);
            }
        }
        return;
    }
    for t in CANDIDATES {
        if parse(t, line).is_some() {
            each(t);
        }
    }
}

/// Parses one line with the first format it has (unwrapping a wrapper first): the record and
/// its type, or `None` for a line of no known shape.
pub fn parse_any(line: &[u8]) -> Option<(Record, LogType)> {
    if let Some(wrapper) = wrap::sniff(line) {
        if let Some(unwrapped) = wrap::unwrap(wrapper, line) {
            let mut parsed_as = wrapper.log_type();
            let (record, _) = unwrapped.lift(line, |inner| {
                let (record, t) = parse_unwrapped(inner)?;
                parsed_as = t;
                Some(record)
            });
            return Some((record, parsed_as));
        }
    }
    parse_unwrapped(line)
}

fn parse_unwrapped(line: &[u8]) -> Option<(Record, LogType)> {
    if line.first() == Some(&b'{') {
        return json::parse(line);
    }
    CANDIDATES
        .iter()
        .find_map(|&t| parse(t, line).map(|r| (r, t)))
}

/// The first non-empty lines of a head, without line endings.
fn head_lines(head: &[u8]) -> impl Iterator<Item = &[u8]> {
    head.split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .filter(|l| !l.trim_ascii().is_empty() && !l.iter().all(|&b| b == 0))
        .take(super::DETECT_LINES)
}

/// How many lines each (wrapper, type) pair parses.
#[derive(Default)]
struct Scores {
    pairs: Vec<((Option<Wrapper>, LogType), usize)>,
    wrappers: Vec<(Wrapper, usize)>,
}

impl Scores {
    fn add(&mut self, key: (Option<Wrapper>, LogType)) {
        match self.pairs.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => *n += 1,
            None => self.pairs.push((key, 1)),
        }
    }

    fn add_wrapper(&mut self, w: Wrapper) {
        match self.wrappers.iter_mut().find(|(k, _)| *k == w) {
            Some((_, n)) => *n += 1,
            None => self.wrappers.push((w, 1)),
        }
    }

    /// The pair that parses most lines; the more specific type, and a wrapped one, on a tie.
    /// Lines mostly in a wrapper whose content mostly has no known shape give the wrapper alone.
    fn best(&self) -> Option<(Option<Wrapper>, LogType)> {
        let best_pair = self
            .pairs
            .iter()
            .max_by_key(|((w, t), n)| (*n, w.is_some(), std::cmp::Reverse(priority(*t))))
            .map(|(k, n)| (*k, *n));
        let best_wrapper = self.wrappers.iter().max_by_key(|(_, n)| *n).copied();
        match (best_pair, best_wrapper) {
            (Some(((None, _), n)), Some((w, wn))) if wn > n => Some(self.inside(w, wn)),
            (Some(((Some(w), _), _)), _) => {
                let wn = self
                    .wrappers
                    .iter()
                    .find(|(k, _)| *k == w)
                    .map_or(0, |(_, n)| *n);
                Some(self.inside(w, wn))
            }
            (Some((pair, _)), _) => Some(pair),
            (None, Some((w, _))) => Some((Some(w), LogType::Raw)),
            (None, None) => None,
        }
    }

    /// The best type inside wrapper `w` (which wraps `wn` lines), when it parses at least a third
    /// of them; else the wrapper alone.
    fn inside(&self, w: Wrapper, wn: usize) -> (Option<Wrapper>, LogType) {
        self.pairs
            .iter()
            .filter(|((k, _), _)| *k == Some(w))
            .max_by_key(|((_, t), n)| (*n, std::cmp::Reverse(priority(*t))))
            .filter(|(_, n)| 3 * n >= wn)
            .map_or((Some(w), LogType::Raw), |(k, _)| *k)
    }
}

/// The parser for a file whose first bytes are `head`.
pub fn detect_parser(head: &[u8]) -> Parser {
    if let Some(stateful) = detect_stateful(head) {
        return stateful;
    }
    let mut scores = Scores::default();
    for line in head_lines(head) {
        match wrap::sniff(line).and_then(|w| wrap::unwrap(w, line).map(|u| (w, u))) {
            Some((w, unwrapped)) => {
                scores.add_wrapper(w);
                let inner = unwrapped.inner_bytes(line);
                matching_types(&inner, |t| scores.add((Some(w), t)));
            }
            None => matching_types(line, |t| scores.add((None, t))),
        }
    }
    match scores.best() {
        Some((wrapper, log_type)) => Parser::wrapped(wrapper, log_type),
        None => Parser::new(LogType::Raw),
    }
}

/// Formats recognised by a header or section marker rather than by line shape: W3C `#Fields:`
/// (IIS, CloudFront) and ModSecurity serial audit logs.
fn detect_stateful(head: &[u8]) -> Option<Parser> {
    let mut lines = head_lines(head).peekable();
    let mut w3c_directives = 0;
    for line in lines.by_ref() {
        if let Some(fields) = line.strip_prefix(b"#Fields:") {
            return Some(Parser::new(w3c::flavor(fields)));
        }
        if modsec::is_boundary(line) {
            return Some(Parser::new(LogType::ModsecurityAudit));
        }
        if line.starts_with(b"#Software:") || line.starts_with(b"#Version:") {
            w3c_directives += 1;
        }
    }
    (w3c_directives > 0).then(|| Parser::new(LogType::Iis))
}

/// The parser for a file forced to `log_type`: a wrapper type forces the wrapper (the content is
/// detected); any other type is looked for inside a wrapper when the lines have one.
pub fn forced(log_type: LogType, head: &[u8]) -> Parser {
    if let Some(wrapper) = log_type.wrapper() {
        let mut scores = Scores::default();
        let mut wrapped = 0;
        for line in head_lines(head) {
            if let Some(unwrapped) = wrap::unwrap(wrapper, line) {
                wrapped += 1;
                let inner = unwrapped.inner_bytes(line);
                matching_types(&inner, |t| scores.add((Some(wrapper), t)));
            }
        }
        let (_, inner) = scores.inside(wrapper, wrapped);
        return Parser::wrapped(Some(wrapper), inner);
    }
    let mut wrapped = Vec::<(Wrapper, usize)>::new();
    let mut total = 0;
    for line in head_lines(head) {
        total += 1;
        if let Some(w) = wrap::sniff(line) {
            match wrapped.iter_mut().find(|(k, _)| *k == w) {
                Some((_, n)) => *n += 1,
                None => wrapped.push((w, 1)),
            }
        }
    }
    let wrapper = wrapped
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .filter(|(_, n)| 2 * n > total)
        .map(|(w, _)| w);
    Parser::wrapped(wrapper, log_type)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_mapping_by_name_or_path() {
        let map = FormatMap::new(
            None,
            vec![
                (
                    vec!["access*.log".into()],
                    FormatChoice::Type(LogType::Combined),
                ),
                (
                    vec!["**/error/*".into()],
                    FormatChoice::Type(LogType::ApacheError),
                ),
            ],
        )
        .unwrap();
        let t = |p: &str| match map.choice_for(Path::new(p)) {
            Some(FormatChoice::Type(t)) => Some(*t),
            _ => None,
        };
        assert_eq!(t("/var/log/nginx/access.log"), Some(LogType::Combined));
        assert_eq!(t("logs/error/x"), Some(LogType::ApacheError));
        assert_eq!(t("other.log"), None);
        let forced = FormatMap::all(FormatChoice::Type(LogType::Iis));
        assert!(matches!(
            forced.choice_for(Path::new("x")),
            Some(FormatChoice::Type(LogType::Iis))
        ));
    }

    #[test]
    fn specs_need_exactly_one_of_type_or_format() {
        assert!(FormatChoice::from_spec(Some("combined"), None).is_ok());
        assert!(FormatChoice::from_spec(Some("nope"), None)
            .unwrap_err()
            .contains("known types"));
        assert!(FormatChoice::from_spec(None, None).is_err());
        assert!(FormatChoice::from_spec(Some("combined"), Some("%h")).is_err());
        assert!(FormatChoice::from_spec(None, Some("%h %t \"%r\"")).is_ok());
    }
}
