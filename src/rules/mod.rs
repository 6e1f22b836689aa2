//! The rule catalogue: what a credential looks like, as data.
//!
//! Built-in rules live in TOML files under `src/rules/builtin/`, embedded in the binary. A rule is
//! either a *pattern* rule (a regex that finds a credential anywhere in a decoded value or in the
//! whole line) or a *parameter* rule (a credential-named parameter whose value looks like a
//! credential). Checks that a regex cannot express live in [`checks`] and are named by rules.
//! Rules know nothing about files, formats or output.

pub mod checks;

use std::sync::OnceLock;

use regex::bytes::{Regex, RegexBuilder};
use serde::Deserialize;

use crate::finding::{Confidence, Kind, Severity};

/// The built-in rule files, embedded at build time.
///
/// Order matters twice: of two pattern rules that share a keyword and find the same secret, the
/// one listed first wins (`cloud.toml` comes first so that a key id in a SigV4 credential scope is
/// reported as a signed URL rather than as a bare key id), and parameter rules are tried in order,
/// so the specific ones come before `generic.toml`.
const BUILTIN: &[(&str, &str)] = &[
    ("cloud.toml", include_str!("builtin/cloud.toml")),
    ("providers.toml", include_str!("builtin/providers.toml")),
    ("vcs.toml", include_str!("builtin/vcs.toml")),
    ("saas.toml", include_str!("builtin/saas.toml")),
    ("infra.toml", include_str!("builtin/infra.toml")),
    ("devtools.toml", include_str!("builtin/devtools.toml")),
    ("business.toml", include_str!("builtin/business.toml")),
    ("ai.toml", include_str!("builtin/ai.toml")),
    ("keys.toml", include_str!("builtin/keys.toml")),
    ("sessions.toml", include_str!("builtin/sessions.toml")),
    ("generic.toml", include_str!("builtin/generic.toml")),
];

/// Compiled regexes may not grow beyond this many bytes.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// A rule as written in a rule file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// Stable kebab-case id.
    pub id: String,
    /// One line saying what the credential is.
    pub description: String,
    /// What sort of credential it is.
    pub kind: Kind,
    /// How bad its leak is.
    pub severity: Severity,
    /// Who issues the credential, that is whom a responder contacts or where they revoke it
    /// ("the application that issued it" for rules that are not about one vendor).
    pub vendor: Option<String>,
    /// A page that says how to revoke or rotate the credential.
    pub rotate: Option<String>,
    /// How sure a match is to be a credential (default: `high` for pattern rules, `medium` for
    /// parameter rules).
    pub confidence: Option<Confidence>,
    /// Pattern rules: the credential's regex (a group named `secret` narrows the match).
    pub regex: Option<String>,
    /// Parameter rules: a regex over the decoded, lowercased parameter name.
    pub params: Option<String>,
    /// Parameter rules: names that never hold this credential.
    pub exclude_params: Option<String>,
    /// Parameter rules: a regex the whole decoded value must match.
    pub value: Option<String>,
    /// Parameter rules: a named check of the value (see [`checks::ValueCheck`]).
    pub check: Option<String>,
    /// Parameter rules: names that only ever hold this credential, under which a long value of
    /// random letters is accepted even when `check` wants digits or mixed case.
    pub strong_params: Option<String>,
    /// Parameter rules: the credential is recognised by its value under any name that `params`
    /// allows, so the rule is tried for every name and its keywords are found in the value or
    /// the field around it rather than in the name.
    #[serde(default)]
    pub by_value: bool,
    /// A named validation of a pattern match (see [`checks::Validator`]).
    pub validate: Option<String>,
    /// Literal strings (case-insensitive) at least one of which is in every match.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Known prefixes of the secret, kept in clear when redacting.
    #[serde(default)]
    pub prefixes: Vec<String>,
    /// True for catch-all rules that a specific rule beats on the same secret.
    #[serde(default)]
    pub generic: bool,
    /// CWE ids.
    #[serde(default)]
    pub cwe: Vec<String>,
    /// Pattern rules: the number of the capture group holding the secret (instead of a group
    /// named `secret`).
    pub secret_group: Option<usize>,
    /// Pattern rules: the least Shannon entropy (bits per byte) a secret must have.
    pub entropy: Option<f64>,
    /// Request paths of web pages' own API calls, where the credential is public by design (it
    /// is then reported one severity lower, as it is in a referer).
    #[serde(default)]
    pub browser_paths: Vec<String>,
    /// Where the format is documented.
    #[serde(default)]
    pub references: Vec<String>,
    /// Text in which the rule must find a credential.
    #[serde(default)]
    pub examples: Vec<String>,
    /// Text in which the rule must find nothing.
    #[serde(default)]
    pub negative_examples: Vec<String>,
    /// Why the rule decides as it does on ambiguous values.
    pub notes: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rules: Vec<RuleSpec>,
}

/// How a rule recognises its credential.
#[derive(Debug)]
pub enum Matcher {
    /// A regex over decoded values and the whole line.
    Pattern {
        /// Regex source, compiled on first use.
        source: String,
        /// The compiled regex.
        regex: OnceLock<Regex>,
        /// Code check of each match.
        validator: Option<checks::Validator>,
        /// The capture group holding the secret, when not the group named `secret`.
        secret_group: Option<usize>,
        /// The least entropy of a secret.
        min_entropy: Option<f64>,
    },
    /// A credential-named parameter with a credential-like value.
    Param {
        /// Names that hold the credential.
        names: Regex,
        /// Names that never do.
        exclude: Option<Regex>,
        /// A regex the whole value must match.
        value: Option<Regex>,
        /// Code check of the value.
        check: checks::ValueCheck,
        /// Names under which a long value of random letters is accepted too.
        strong: Option<Regex>,
        /// Tried under every name: the keywords are not in the name.
        by_value: bool,
    },
}

/// A compiled rule.
#[derive(Debug)]
pub struct Rule {
    /// Stable kebab-case id.
    pub id: &'static str,
    /// One line saying what the credential is.
    pub description: &'static str,
    /// What sort of credential it is.
    pub kind: Kind,
    /// How bad its leak is.
    pub severity: Severity,
    /// Who issues the credential (see [`RuleSpec::vendor`]).
    pub vendor: Option<&'static str>,
    /// A page that says how to revoke or rotate the credential.
    pub rotate: Option<&'static str>,
    /// How sure one of its findings is to be a credential, before the evidence of the line.
    pub confidence: Confidence,
    /// How it matches.
    pub matcher: Matcher,
    /// Literals at least one of which every match contains (as written: pattern rules whose regex
    /// is case-sensitive need them in this case; everything else ignores case).
    pub keywords: Vec<String>,
    /// Known prefixes of the secret.
    pub prefixes: Vec<&'static str>,
    /// Request paths where the credential is public by design.
    pub browser_paths: Vec<String>,
    /// A specific rule beats a generic one on the same secret.
    pub generic: bool,
    /// CWE ids.
    pub cwe: &'static [&'static str],
    /// Where the format is documented.
    pub references: Vec<String>,
    /// Positive examples.
    pub examples: Vec<String>,
    /// Negative examples.
    pub negative_examples: Vec<String>,
    /// Why the rule decides as it does on ambiguous values.
    pub notes: Option<String>,
}

impl Rule {
    /// The compiled regex of a pattern rule.
    pub fn pattern(&self) -> Option<&Regex> {
        match &self.matcher {
            Matcher::Pattern { source, regex, .. } => Some(regex.get_or_init(|| {
                // Built-in patterns are proven to compile by the catalogue test; custom ones are
                // compiled when loaded, so this cannot fail here.
                compile(source).expect("rule regex was checked when the rule was loaded")
            })),
            Matcher::Param { .. } => None,
        }
    }

    /// The regex source of a pattern rule.
    pub fn pattern_source(&self) -> Option<&str> {
        match &self.matcher {
            Matcher::Pattern { source, .. } => Some(source),
            Matcher::Param { .. } => None,
        }
    }

    /// The longest known prefix that `secret` starts with.
    pub fn prefix_of(&self, secret: &[u8]) -> Option<&'static str> {
        self.prefixes
            .iter()
            .filter(|p| secret.starts_with(p.as_bytes()))
            .max_by_key(|p| p.len())
            .copied()
    }

    /// How much this rule is preferred over another on the same secret.
    pub fn priority(&self) -> u8 {
        match (&self.matcher, self.generic) {
            (_, true) => 0,
            (Matcher::Param { .. }, false) => 1,
            (Matcher::Pattern { .. }, false) => 2,
        }
    }
}

/// Errors in a rule definition.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    /// The rule file is not valid TOML or has unknown fields.
    #[error("{file}: {message}")]
    Syntax {
        /// Which file.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// One rule is wrong.
    #[error("{file}: rule `{id}`: {message}")]
    Rule {
        /// Which file.
        file: String,
        /// Which rule.
        id: String,
        /// What is wrong.
        message: String,
    },
}

/// Compiles a regex the way every rule regex is compiled: over bytes, size-limited, never
/// backtracking.
pub fn compile(source: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(source)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .unicode(false)
        .build()
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn leak_list(list: Vec<String>) -> &'static [&'static str] {
    Box::leak(
        list.into_iter()
            .map(leak)
            .collect::<Vec<_>>()
            .into_boxed_slice(),
    )
}

impl RuleSpec {
    /// Checks and compiles the rule. Pattern regexes are compiled here only when `eager`.
    pub fn compile(self, file: &str, eager: bool) -> Result<Rule, RuleError> {
        self.build(file, eager, true)
    }

    /// Compiles a rule that comes without examples (from another tool's rule file).
    pub fn compile_unchecked(self, file: &str) -> Result<Rule, RuleError> {
        self.build(file, true, false)
    }

    fn build(self, file: &str, eager: bool, require_examples: bool) -> Result<Rule, RuleError> {
        let err = |message: String| RuleError::Rule {
            file: file.to_string(),
            id: self.id.clone(),
            message,
        };
        let is_kebab = !self.id.is_empty()
            && self
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !is_kebab {
            return Err(err("id must be kebab-case (a-z, 0-9, -)".into()));
        }
        if require_examples && self.examples.is_empty() {
            return Err(err("needs at least one example".into()));
        }
        let regex_of = |what: &str, source: &str| {
            compile(source).map_err(|e| err(format!("{what}: {}", one_line(&e))))
        };
        let matcher = match (&self.regex, &self.params) {
            (Some(source), None) => {
                if eager {
                    regex_of("regex", source)?;
                }
                let validator = self
                    .validate
                    .as_deref()
                    .map(|name| {
                        checks::Validator::from_name(name)
                            .ok_or_else(|| err(format!("unknown validate `{name}`")))
                    })
                    .transpose()?;
                Matcher::Pattern {
                    source: source.clone(),
                    regex: OnceLock::new(),
                    validator,
                    secret_group: self.secret_group,
                    min_entropy: self.entropy,
                }
            }
            (None, Some(names)) => {
                let check = match self.check.as_deref() {
                    None => checks::ValueCheck::Any,
                    Some(name) => checks::ValueCheck::from_name(name)
                        .ok_or_else(|| err(format!("unknown check `{name}`")))?,
                };
                Matcher::Param {
                    names: regex_of("params", &format!("(?i)^(?:{names})$"))?,
                    exclude: self
                        .exclude_params
                        .as_deref()
                        .map(|x| regex_of("exclude_params", &format!("(?i)^(?:{x})$")))
                        .transpose()?,
                    value: self
                        .value
                        .as_deref()
                        .map(|v| regex_of("value", &format!("^(?:{v})$")))
                        .transpose()?,
                    check,
                    strong: self
                        .strong_params
                        .as_deref()
                        .map(|x| regex_of("strong_params", &format!("(?i)^(?:{x})$")))
                        .transpose()?,
                    by_value: self.by_value,
                }
            }
            _ => return Err(err("needs exactly one of `regex` and `params`".into())),
        };
        let mut keywords: Vec<String> = self.keywords.clone();
        if keywords.iter().any(String::is_empty) {
            return Err(err("keywords must not be empty strings".into()));
        }
        if keywords.is_empty() {
            match &self.regex {
                // Without keywords, a pattern's literal prefixes serve; a pattern without any makes
                // every line a candidate (correct, but slower).
                Some(source) => keywords = literal_prefixes(source),
                None => return Err(err("parameter rules need keywords".into())),
            }
        }
        let confidence = self
            .confidence
            .unwrap_or(match (&matcher, require_examples) {
                // Rules of other tools come without proof of their shapes.
                (_, false) | (Matcher::Param { .. }, true) => Confidence::Medium,
                (Matcher::Pattern { .. }, true) => Confidence::High,
            });
        Ok(Rule {
            id: leak(self.id),
            description: leak(self.description),
            kind: self.kind,
            severity: self.severity,
            vendor: self.vendor.map(leak),
            rotate: self.rotate.map(leak),
            confidence,
            matcher,
            keywords,
            prefixes: self.prefixes.into_iter().map(leak).collect(),
            browser_paths: self.browser_paths,
            generic: self.generic,
            cwe: leak_list(if self.cwe.is_empty() {
                vec!["CWE-598".to_string(), "CWE-532".to_string()]
            } else {
                self.cwe
            }),
            references: self.references,
            examples: self.examples,
            negative_examples: self.negative_examples,
            notes: self.notes,
        })
    }
}

/// A regex error on one line: its last line says what is wrong.
fn one_line(e: &regex::Error) -> String {
    let text = e.to_string();
    let last = text
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("invalid");
    format!(
        "invalid regex ({})",
        last.trim().trim_start_matches("error: ")
    )
}

/// Literal prefixes (lowercase, at least 3 bytes) one of which starts every match of `source`;
/// empty when there are none.
pub fn literal_prefixes(source: &str) -> Vec<String> {
    let Some(literals) = prefix_literals(source) else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    for bytes in literals {
        if bytes.len() < 3 || !bytes.is_ascii() {
            return Vec::new();
        }
        let lower = String::from_utf8_lossy(&bytes).to_ascii_lowercase();
        if !out.contains(&lower) {
            out.push(lower);
        }
    }
    out
}

/// True when every match of the pattern `source` starts with exactly the bytes of `keyword`
/// (case included), so a keyword occurrence the pattern does not match at cannot start a match.
pub fn starts_every_match(source: &str, keyword: &[u8]) -> bool {
    prefix_literals(source).is_some_and(|literals| {
        !literals.is_empty() && literals.iter().all(|l| l.starts_with(keyword))
    })
}

/// The finite set of literals that every match of the pattern `source` starts with (each one a
/// prefix of the match, not always all of it), or `None` when there is no such set.
fn prefix_literals(source: &str) -> Option<Vec<Vec<u8>>> {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    let hir = regex_syntax::ParserBuilder::new()
        .utf8(false)
        .unicode(false)
        .build()
        .parse(source)
        .ok()?;
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(&hir);
    let literals = seq.literals()?;
    Some(literals.iter().map(|l| l.as_bytes().to_vec()).collect())
}

/// Parses one rule file.
pub fn parse_rule_file(file: &str, text: &str, eager: bool) -> Result<Vec<Rule>, RuleError> {
    let parsed: RuleFile = toml::from_str(text).map_err(|e| RuleError::Syntax {
        file: file.to_string(),
        message: e.to_string(),
    })?;
    parsed
        .rules
        .into_iter()
        .map(|spec| spec.compile(file, eager))
        .collect()
}

/// The vendor of the built-in rule `id`, if there is one.
pub fn vendor_of(id: &str) -> Option<&'static str> {
    builtin()
        .iter()
        .find(|rule| rule.id == id)
        .and_then(|rule| rule.vendor)
}

/// The built-in rules, parsed once.
pub fn builtin() -> &'static [Rule] {
    static RULES: OnceLock<Vec<Rule>> = OnceLock::new();
    RULES.get_or_init(|| {
        BUILTIN
            .iter()
            .flat_map(|(file, text)| {
                parse_rule_file(file, text, false).expect("built-in rules are valid (tested)")
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_parse_and_compile() {
        let mut ids = std::collections::HashSet::new();
        for (file, text) in BUILTIN {
            for rule in parse_rule_file(file, text, true).unwrap() {
                assert!(ids.insert(rule.id), "duplicate rule id {}", rule.id);
                assert!(
                    rule.references.iter().any(|r| r.starts_with("https://")),
                    "{} has no reference",
                    rule.id
                );
                assert!(
                    rule.examples.len() >= 2 && rule.negative_examples.len() >= 2,
                    "{} needs at least two examples and two negative examples",
                    rule.id
                );
                assert!(
                    !rule.description.is_empty(),
                    "{} has no description",
                    rule.id
                );
                assert!(!rule.keywords.is_empty(), "{} has no keywords", rule.id);
                assert!(
                    rule.vendor.is_some_and(|v| !v.is_empty()),
                    "{} has no vendor",
                    rule.id
                );
                assert!(
                    rule.rotate.is_some_and(|r| r.starts_with("https://")),
                    "{} has no https link on how to revoke or rotate it",
                    rule.id
                );
            }
        }
        assert!(ids.len() >= 160, "only {} rules", ids.len());
    }

    #[test]
    fn self_identifying_formats_are_high_confidence() {
        let catalogue = ["infra.toml", "devtools.toml", "business.toml", "ai.toml"];
        let mut seen = 0;
        for (file, text) in BUILTIN.iter().filter(|(f, _)| catalogue.contains(f)) {
            for rule in parse_rule_file(file, text, false).unwrap() {
                assert_eq!(rule.confidence, Confidence::High, "{}", rule.id);
                seen += 1;
            }
        }
        assert!(seen >= 60, "only {seen} catalogue rules");
    }

    #[test]
    fn literal_prefixes_serve_as_keywords() {
        assert_eq!(literal_prefixes("acme_[0-9a-f]{32}"), ["acme_"]);
        assert_eq!(
            literal_prefixes("(?:AKIA|ASIA)[A-Z0-9]{16}"),
            ["akia", "asia"]
        );
        assert!(literal_prefixes("[0-9a-f]{32}").is_empty());
        assert!(literal_prefixes("x[0-9]").is_empty());
    }

    #[test]
    fn a_keyword_starts_every_match_only_when_no_match_can_start_elsewhere() {
        assert!(starts_every_match(
            r"pat[A-Za-z0-9]{14}\.[a-f0-9]{64}",
            b"pat"
        ));
        assert!(starts_every_match(r"\b(?:AKIA|ASIA)[A-Z0-9]{16}", b"A"));
        assert!(!starts_every_match(r"(?:AKIA|ASIA)[A-Z0-9]{16}", b"AKIA"));
        assert!(!starts_every_match(r"[0-9]{4}pat[a-z]{10}", b"pat"));
        assert!(!starts_every_match(r"(?i)pat[a-z]{10}", b"pat"));
        assert!(!starts_every_match(r"p[a-z]{10}", b"pat"));
    }

    #[test]
    fn bad_rules_are_clear_errors() {
        let bad = r#"[[rules]]
id = "Bad_Id"
description = "x"
kind = "api_key"
severity = "high"
regex = 'x'
keywords = ["x"]
references = []
examples = ["x"]
"#;
        let e = parse_rule_file("bad.toml", bad, true)
            .unwrap_err()
            .to_string();
        assert!(e.contains("bad.toml") && e.contains("kebab-case"), "{e}");
        let unclosed = bad
            .replace("Bad_Id", "ok")
            .replace("regex = 'x'", "regex = '(x'");
        let e = parse_rule_file("bad.toml", &unclosed, true)
            .unwrap_err()
            .to_string();
        assert!(e.contains("regex"), "{e}");
        let e = parse_rule_file("bad.toml", "[[rules]]\nid = 3", true)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("bad.toml:"), "{e}");
    }
}
