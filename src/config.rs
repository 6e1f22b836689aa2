//! The configuration file: custom rules and allowlists, in logleaks' own TOML format or in the
//! gitleaks rule-file format that many teams already have.
//!
//! Loading checks everything up front (regexes, examples) and reports the file, the line and what
//! is wrong. Nothing here scans or prints.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use regex::bytes::Regex;
use serde::Deserialize;

use crate::finding::Finding;
use crate::rules::{self, Rule, RuleSpec};

/// The file looked for in the current directory when no `--config` is given.
pub const DEFAULT_CONFIG: &str = ".logleaks.toml";

/// A loaded configuration.
#[derive(Debug, Default)]
pub struct Config {
    /// Where it came from.
    pub path: PathBuf,
    /// Custom rules, compiled and checked.
    pub rules: Vec<&'static Rule>,
    /// What is known and accepted.
    pub allowlist: Allowlist,
    /// Things worth telling the user (e.g. a rule that makes every line a candidate).
    pub notes: Vec<String>,
    /// `[[formats]]`: file globs and the format of the files they match, in order.
    pub formats: Vec<(Vec<String>, crate::logformat::FormatChoice)>,
}

/// What a config error says: the file, the line when known, and the problem.
#[derive(Debug, thiserror::Error)]
#[error("{}{}: {message}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct ConfigError {
    /// The config file.
    pub path: PathBuf,
    /// The 1-based line, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

/// Findings that are known and accepted.
#[derive(Debug, Default)]
pub struct Allowlist {
    fingerprints: Vec<String>,
    params: Vec<Vec<u8>>,
    path_prefixes: Vec<Vec<u8>>,
    path_globs: Option<GlobSet>,
    files: Option<GlobSet>,
    file_regexes: Vec<Regex>,
    rules: Vec<String>,
    secret_regexes: Vec<Regex>,
    stopwords: Vec<Vec<u8>>,
    per_rule: Vec<(String, RuleAllow)>,
}

/// A gitleaks rule's own allowlist.
#[derive(Debug, Default)]
struct RuleAllow {
    secret_regexes: Vec<Regex>,
    stopwords: Vec<Vec<u8>>,
    file_regexes: Vec<Regex>,
}

impl RuleAllow {
    fn allows(&self, secret: &[u8], file: &[u8]) -> bool {
        self.secret_regexes.iter().any(|r| r.is_match(secret))
            || self.stopwords.iter().any(|w| contains(secret, w))
            || self.file_regexes.iter().any(|r| r.is_match(file))
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(haystack, needle).is_some()
}

impl Allowlist {
    /// True when the finding (with its `fingerprint`) is allowlisted.
    pub fn allows(&self, finding: &Finding, fingerprint: &str) -> bool {
        let file = finding.file.clear_bytes();
        let secret = finding.secret.expose();
        if self.fingerprints.iter().any(|f| f == fingerprint)
            || self.rules.iter().any(|r| r == finding.rule)
            || self.secret_regexes.iter().any(|r| r.is_match(secret))
            || self.stopwords.iter().any(|w| contains(secret, w))
            || self.file_regexes.iter().any(|r| r.is_match(&file))
        {
            return true;
        }
        if let Some(param) = &finding.param {
            let lower = param.to_ascii_lowercase();
            if self.params.contains(&lower) {
                return true;
            }
        }
        if let Some(files) = &self.files {
            if files.is_match(finding.file.path()) {
                return true;
            }
        }
        if let Some(path) = &finding.record.request_path {
            if self.path_prefixes.iter().any(|p| path.starts_with(p)) {
                return true;
            }
            if let Some(globs) = &self.path_globs {
                if globs.is_match(Path::new(&*String::from_utf8_lossy(path))) {
                    return true;
                }
            }
        }
        self.per_rule
            .iter()
            .any(|(rule, allow)| rule == finding.rule && allow.allows(secret, &file))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    rules: Vec<RuleSpec>,
    allowlist: Option<AllowlistSpec>,
    #[serde(default)]
    formats: Vec<FormatsSpec>,
}

/// `[[formats]]`: `files = "access*.log"` (or a list) and `log_format = "…"` or `log_type = "…"`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FormatsSpec {
    files: OneOrMany,
    log_format: Option<String>,
    log_type: Option<String>,
}

/// A string or a list of strings.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct AllowlistSpec {
    #[serde(default)]
    fingerprints: Vec<String>,
    #[serde(default)]
    params: Vec<String>,
    #[serde(default)]
    request_paths: Vec<String>,
    #[serde(default)]
    files: Vec<String>,
    #[serde(default)]
    rules: Vec<String>,
}

/// A gitleaks rule file.
#[derive(Debug, Deserialize)]
struct GitleaksFile {
    #[serde(default)]
    rules: Vec<GitleaksRule>,
    allowlist: Option<GitleaksAllow>,
    #[serde(default)]
    allowlists: Vec<GitleaksAllow>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct GitleaksRule {
    id: String,
    description: Option<String>,
    regex: Option<String>,
    secret_group: Option<usize>,
    entropy: Option<f64>,
    #[serde(default)]
    keywords: Vec<String>,
    allowlist: Option<GitleaksAllow>,
    #[serde(default)]
    allowlists: Vec<GitleaksAllow>,
}

#[derive(Debug, Default, Deserialize)]
struct GitleaksAllow {
    #[serde(default)]
    regexes: Vec<String>,
    #[serde(default)]
    stopwords: Vec<String>,
    #[serde(default)]
    paths: Vec<String>,
}

/// What a run takes from the config options and the config file: every rule (built-in, then
/// custom), the allowlist, which files get which format, and what to tell the user.
#[derive(Debug)]
pub struct RunConfig {
    /// The built-in rules, then the config's.
    pub rules: Vec<&'static Rule>,
    /// The config's allowlist, if there is a config.
    pub allowlist: Option<Allowlist>,
    /// `--log-format` for every file, else the config's `[[formats]]`, else detection.
    pub formats: crate::logformat::FormatMap,
    /// Which config is used and its notes, one message per line, for standard error.
    pub messages: Vec<String>,
    /// The config file in use, if any.
    pub path: Option<PathBuf>,
}

impl RunConfig {
    /// Loads the config as [`discover`] finds it (`explicit`, else `.logleaks.toml`; none with
    /// `no_config`) and compiles `log_format` (`--log-format`), if given.
    pub fn load(
        explicit: Option<&Path>,
        no_config: bool,
        log_format: Option<&str>,
    ) -> Result<Self, String> {
        let builtin: Vec<&'static Rule> = rules::builtin().iter().collect();
        let config = discover(explicit, no_config, &builtin).map_err(|e| e.to_string())?;
        let mut run = RunConfig {
            rules: builtin,
            allowlist: None,
            formats: crate::logformat::FormatMap::default(),
            messages: Vec::new(),
            path: None,
        };
        let mut format_rules = Vec::new();
        if let Some(config) = config {
            let count = config.rules.len();
            run.messages.push(format!(
                "using config {} ({count} custom rule{})",
                config.path.display(),
                if count == 1 { "" } else { "s" }
            ));
            for note in &config.notes {
                run.messages
                    .push(format!("{}: note: {note}", config.path.display()));
            }
            run.rules.extend(config.rules);
            run.allowlist = Some(config.allowlist);
            run.path = Some(config.path);
            format_rules = config.formats;
        }
        run.formats = crate::logformat::FormatMap::from_options(log_format, format_rules)?;
        Ok(run)
    }
}

/// Finds the configuration to use: `explicit` if given, else `.logleaks.toml` in the current
/// directory if present; none with `no_config`.
pub fn discover(
    explicit: Option<&Path>,
    no_config: bool,
    builtin: &[&'static Rule],
) -> Result<Option<Config>, ConfigError> {
    if no_config {
        return Ok(None);
    }
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => {
            let default = PathBuf::from(DEFAULT_CONFIG);
            if !default.is_file() {
                return Ok(None);
            }
            default
        }
    };
    load(&path, builtin).map(Some)
}

/// Loads and checks a configuration file.
pub fn load(path: &Path, builtin: &[&'static Rule]) -> Result<Config, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
        path: path.to_path_buf(),
        line: None,
        message: format!(
            "cannot read the config: {}",
            crate::input::describe_io_error(&e)
        ),
    })?;
    parse(path, &text, builtin)
}

/// Parses configuration text (the path is only for messages).
pub fn parse(path: &Path, text: &str, builtin: &[&'static Rule]) -> Result<Config, ConfigError> {
    let fail = |line: Option<usize>, message: String| ConfigError {
        path: path.to_path_buf(),
        line,
        message,
    };
    let value: toml::Table = toml::from_str(text).map_err(|e| toml_error(path, text, &e))?;
    if value.get("allowlists").is_some_and(|v| v.is_table()) {
        return Err(fail(
            line_of(text, "[allowlists]"),
            "`[allowlists]` is not a section: write `[allowlist]` (logleaks' own format), or `[[allowlists]]` for a list of gitleaks allowlists".into(),
        ));
    }
    if looks_like_gitleaks(&value) {
        let file: GitleaksFile = toml::from_str(text).map_err(|e| toml_error(path, text, &e))?;
        return gitleaks_config(path, text, file);
    }
    let file: ConfigFile = toml::from_str(text).map_err(|e| toml_error(path, text, &e))?;
    let mut config = Config {
        path: path.to_path_buf(),
        ..Config::default()
    };
    let name = path.display().to_string();
    for spec in file.rules {
        let id = spec.id.clone();
        let line = line_of_id(text, &id);
        if builtin.iter().any(|r| r.id == id) {
            return Err(fail(
                line,
                format!("rule `{id}`: a built-in rule has this id"),
            ));
        }
        let rule = spec
            .compile(&name, true)
            .map_err(|e| fail(line, strip_file(&e.to_string(), &name)))?;
        if rule.keywords.is_empty() {
            config.notes.push(format!(
                "rule `{id}` has no literal text to search for: every line is checked with its regex (slower)"
            ));
        }
        config.rules.push(Box::leak(Box::new(rule)));
    }
    check_examples(&config.rules, builtin)
        .map_err(|(id, message)| fail(line_of_id(text, &id), message))?;
    if let Some(allow) = file.allowlist {
        for id in &allow.rules {
            let known = builtin.iter().chain(&config.rules).any(|r| r.id == *id);
            if !known {
                config.notes.push(format!(
                    "allowlist rule `{id}` is not the id of any rule, so it allowlists nothing (`logleaks rules` lists them)"
                ));
            }
        }
        config.allowlist = allowlist(allow).map_err(|(value, message)| {
            let section = line_of(text, "[allowlist]");
            let line = value
                .and_then(|v| line_of_after(text, section.unwrap_or(1), &v))
                .or(section);
            fail(line, message)
        })?;
    }
    for (n, spec) in file.formats.into_iter().enumerate() {
        let line = nth_line_of(text, "[[formats]]", n);
        let files = match spec.files {
            OneOrMany::One(f) => vec![f],
            OneOrMany::Many(list) => list,
        };
        for glob in &files {
            Glob::new(glob).map_err(|e| fail(line, format!("[[formats]] files `{glob}`: {e}")))?;
        }
        let choice = crate::logformat::FormatChoice::from_spec(
            spec.log_type.as_deref(),
            spec.log_format.as_deref(),
        )
        .map_err(|m| fail(line, format!("[[formats]]: {m}")))?;
        config.formats.push((files, choice));
    }
    Ok(config)
}

/// Proves every custom rule finds each of its examples and none of its negative examples, with
/// the full detector (so a more specific rule winning an example is caught too).
fn check_examples(
    custom: &[&'static Rule],
    builtin: &[&'static Rule],
) -> Result<(), (String, String)> {
    let detector = crate::detect::Detector::new(builtin.iter().chain(custom).copied().collect());
    let mut found = Vec::new();
    for rule in custom {
        for (n, example) in rule.examples.iter().enumerate() {
            found.clear();
            detector.scan_line(
                example.as_bytes(),
                crate::logformat::LogType::Raw,
                &mut found,
            );
            if !found.iter().any(|d| d.rule.id == rule.id) {
                let by: Vec<_> = found.iter().map(|d| d.rule.id).collect();
                let also = if by.is_empty() {
                    String::new()
                } else {
                    format!(" (found by {})", by.join(", "))
                };
                return Err((
                    rule.id.to_string(),
                    format!(
                        "rule `{}`: example {} is not found by the rule{also}",
                        rule.id,
                        n + 1
                    ),
                ));
            }
        }
        for (n, example) in rule.negative_examples.iter().enumerate() {
            found.clear();
            detector.scan_line(
                example.as_bytes(),
                crate::logformat::LogType::Raw,
                &mut found,
            );
            if found.iter().any(|d| d.rule.id == rule.id) {
                return Err((
                    rule.id.to_string(),
                    format!(
                        "rule `{}`: negative example {} is found by the rule",
                        rule.id,
                        n + 1
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// The allowlist of a logleaks config; an error names the value at fault (to find its line) and
/// what is wrong with it.
fn allowlist(spec: AllowlistSpec) -> Result<Allowlist, (Option<String>, String)> {
    let globs = |patterns: &[String],
                 what: &str|
     -> Result<Option<GlobSet>, (Option<String>, String)> {
        if patterns.is_empty() {
            return Ok(None);
        }
        let mut builder = GlobSetBuilder::new();
        for p in patterns {
            builder.add(
                Glob::new(p).map_err(|e| (Some(p.clone()), format!("allowlist {what}: {e}")))?,
            );
        }
        builder
            .build()
            .map(Some)
            .map_err(|e| (None, format!("allowlist {what}: {e}")))
    };
    let is_glob = |p: &String| p.contains(['*', '?', '[', '{']);
    let path_globs: Vec<String> = spec
        .request_paths
        .iter()
        .filter(|p| is_glob(p))
        .cloned()
        .collect();
    for f in &spec.fingerprints {
        if f.len() != 16 || !f.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err((
                Some(format!("\"{f}\"")),
                format!("allowlist fingerprint `{f}` is not 16 hex characters"),
            ));
        }
    }
    Ok(Allowlist {
        fingerprints: spec
            .fingerprints
            .iter()
            .map(|f| f.to_ascii_lowercase())
            .collect(),
        params: spec
            .params
            .iter()
            .map(|p| p.to_ascii_lowercase().into_bytes())
            .collect(),
        path_prefixes: spec
            .request_paths
            .iter()
            .filter(|p| !is_glob(p))
            .map(|p| p.clone().into_bytes())
            .collect(),
        path_globs: globs(&path_globs, "request_paths")?,
        files: globs(&spec.files, "files")?,
        rules: spec.rules,
        ..Allowlist::default()
    })
}

/// True for a gitleaks rule file: a `title`, an `[extend]`, or rules without a `kind`.
fn looks_like_gitleaks(table: &toml::Table) -> bool {
    if table.contains_key("title")
        || table.contains_key("extend")
        || table.contains_key("allowlists")
    {
        return true;
    }
    let rules = table.get("rules").and_then(|r| r.as_array());
    rules.is_some_and(|rules| {
        rules.iter().any(|r| {
            r.as_table()
                .is_some_and(|t| !t.contains_key("kind") || t.contains_key("secretGroup"))
        })
    })
}

fn gitleaks_config(path: &Path, text: &str, file: GitleaksFile) -> Result<Config, ConfigError> {
    let fail = |line: Option<usize>, message: String| ConfigError {
        path: path.to_path_buf(),
        line,
        message,
    };
    let regexes = |list: &[String], line: Option<usize>| -> Result<Vec<Regex>, ConfigError> {
        list.iter()
            .map(|r| rules::compile(r).map_err(|e| fail(line, format!("allowlist regex: {e}"))))
            .collect()
    };
    let rule_allow =
        |allow: &GitleaksAllow, line: Option<usize>| -> Result<RuleAllow, ConfigError> {
            Ok(RuleAllow {
                secret_regexes: regexes(&allow.regexes, line)?,
                stopwords: allow
                    .stopwords
                    .iter()
                    .map(|w| w.clone().into_bytes())
                    .collect(),
                file_regexes: regexes(&allow.paths, line)?,
            })
        };
    let mut config = Config {
        path: path.to_path_buf(),
        ..Config::default()
    };
    for global in file.allowlist.iter().chain(&file.allowlists) {
        let allow = rule_allow(global, line_of(text, "allowlist"))?;
        config.allowlist.secret_regexes.extend(allow.secret_regexes);
        config.allowlist.stopwords.extend(allow.stopwords);
        config.allowlist.file_regexes.extend(allow.file_regexes);
    }
    for g in file.rules {
        let line = line_of_id(text, &g.id);
        let Some(regex) = g.regex else {
            config.notes.push(format!(
                "rule `{}` matches file paths only; logleaks scans contents, so it is not used",
                g.id
            ));
            continue;
        };
        let id = kebab(&g.id);
        let spec = RuleSpec {
            id: id.clone(),
            description: g
                .description
                .unwrap_or_else(|| format!("{} (gitleaks rule)", g.id)),
            kind: crate::finding::Kind::Credential,
            severity: crate::finding::Severity::Medium,
            vendor: None,
            rotate: None,
            confidence: None,
            regex: Some(regex),
            params: None,
            exclude_params: None,
            value: None,
            check: None,
            strong_params: None,
            by_value: false,
            validate: None,
            keywords: g.keywords,
            prefixes: Vec::new(),
            generic: false,
            cwe: Vec::new(),
            secret_group: g.secret_group,
            entropy: g.entropy,
            browser_paths: Vec::new(),
            references: Vec::new(),
            examples: Vec::new(),
            negative_examples: Vec::new(),
            notes: None,
        };
        let name = path.display().to_string();
        let rule = spec
            .compile_unchecked(&name)
            .map_err(|e| fail(line, strip_file(&e.to_string(), &name)))?;
        for allow in g.allowlist.iter().chain(&g.allowlists) {
            config
                .allowlist
                .per_rule
                .push((id.clone(), rule_allow(allow, line)?));
        }
        config.rules.push(Box::leak(Box::new(rule)));
    }
    Ok(config)
}

/// A gitleaks id (`aws-access-token`, `Slack_Token`) as a logleaks kebab-case id.
fn kebab(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for c in id.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

fn strip_file(message: &str, file: &str) -> String {
    message
        .strip_prefix(&format!("{file}: "))
        .unwrap_or(message)
        .to_string()
}

/// The 1-based line where `id = "<id>"` is written.
fn line_of_id(text: &str, id: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let l = l.trim_start();
            l.starts_with("id") && l.contains(&format!("\"{id}\""))
                || l.contains(&format!("'{id}'"))
        })
        .map(|n| n + 1)
}

/// The 1-based line of the `n`-th (0-based) line containing `needle`.
fn nth_line_of(text: &str, needle: &str, n: usize) -> Option<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .nth(n)
        .map(|(i, _)| i + 1)
}

fn line_of(text: &str, needle: &str) -> Option<usize> {
    text.lines().position(|l| l.contains(needle)).map(|n| n + 1)
}

/// The 1-based line of the first line at or after line `from` containing `needle`.
fn line_of_after(text: &str, from: usize, needle: &str) -> Option<usize> {
    let skip = from.saturating_sub(1);
    text.lines()
        .skip(skip)
        .position(|l| l.contains(needle))
        .map(|n| n + skip + 1)
}

fn toml_error(path: &Path, text: &str, e: &toml::de::Error) -> ConfigError {
    let line = e
        .span()
        .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
    ConfigError {
        path: path.to_path_buf(),
        line,
        message: e.message().trim().replace('\n', " "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin() -> Vec<&'static Rule> {
        rules::builtin().iter().collect()
    }

    fn parse_str(text: &str) -> Result<Config, ConfigError> {
        parse(Path::new("test.toml"), text, &builtin())
    }

    const ACME: &str = r#"
[[rules]]
id = "acme-internal-key"
description = "ACME internal API key"
regex = 'acme_[0-9a-f]{32}'
kind = "api_key"
severity = "high"
examples = ["/x?k=acme_0123456789abcdef0123456789abcdef"]
negative_examples = ["acme_0123"]
references = ["https://wiki.acme.example/keys"]

[allowlist]
fingerprints = ["3f2a3f2a3f2a3f2a"]
params = ["State"]
request_paths = ["/health", "/debug/*"]
files = ["**/debug/*.log"]
rules = ["stripe-test-key"]
"#;

    #[test]
    fn custom_rules_load_and_take_keywords_from_their_regex() {
        let config = parse_str(ACME).unwrap();
        assert_eq!(config.rules.len(), 1);
        assert_eq!(config.rules[0].keywords, ["acme_"]);
        assert!(config.notes.is_empty());
        assert_eq!(config.allowlist.params, [b"state".to_vec()]);
    }

    #[test]
    fn bad_configs_name_file_line_and_problem() {
        let e = parse_str("[[rules]]\nid = \"x\"\nregex = 3\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("test.toml:3:"), "{e}");
        let e = parse_str(&ACME.replace("acme_0123456789abcdef0123456789abcdef", "acme_nothex"))
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("test.toml:3:") && e.contains("example 1 is not found"),
            "{e}"
        );
        let e = parse_str(&ACME.replace("'acme_[0-9a-f]{32}'", "'acme_[0-9a-f'"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("regex") && e.starts_with("test.toml:3:"), "{e}");
        let e = parse_str(&ACME.replace("examples = [\"/x", "unknown = [\"/x"))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("test.toml:"), "{e}");
        let e = parse_str(&ACME.replace("3f2a3f2a3f2a3f2a", "nothex"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("16 hex"), "{e}");
        let e = parse_str(&ACME.replace("acme-internal-key", "github-pat"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("built-in"), "{e}");
    }

    #[test]
    fn gitleaks_rule_files_are_understood() {
        let text = r#"
title = "team rules"

[[rules]]
id = "Acme_Token"
description = "ACME token"
regex = '''acme_tok_([0-9a-z]{20})'''
secretGroup = 1
entropy = 2.0
keywords = ["acme_tok_"]
[rules.allowlist]
stopwords = ["example"]

[[rules]]
id = "pem-files"
path = '''\.pem$'''

[allowlist]
paths = ['''fixtures/''']
"#;
        let config = parse_str(text).unwrap();
        assert_eq!(config.rules.len(), 1);
        assert_eq!(config.rules[0].id, "acme-token");
        assert_eq!(config.notes.len(), 1);
        assert_eq!(config.allowlist.file_regexes.len(), 1);
        assert_eq!(config.allowlist.per_rule.len(), 1);
    }

    #[test]
    fn formats_map_globs_to_formats() {
        let config = parse_str(
            r#"
[[formats]]
files = "access*.log"
log_format = '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %{X-Api-Key}i'

[[formats]]
files = ["error.log", "*.err"]
log_type = "nginx_error"
"#,
        )
        .unwrap();
        assert_eq!(config.formats.len(), 2);
        assert_eq!(config.formats[1].0, ["error.log", "*.err"]);
        let e = parse_str("[[formats]]\nfiles = \"x\"\nlog_type = \"nope\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("test.toml:1:") && e.contains("unknown log type"),
            "{e}"
        );
        let e = parse_str("[[formats]]\nfiles = \"x\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("log_type"), "{e}");
    }

    #[test]
    fn kebab_ids() {
        assert_eq!(kebab("Slack_Token"), "slack-token");
        assert_eq!(kebab("--a  b--"), "a-b");
    }
}
