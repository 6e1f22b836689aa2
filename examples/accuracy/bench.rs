//! The accuracy benchmark: writes labelled logs in every format, runs logleaks on them, and
//! scores what it reports against the labels.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::process::Command;

use logleaks::detect::Detector;

use crate::catalogue::{Carrier, Catalogue};
use crate::encode::Encoding;
use crate::formats::{self, Format, FORMATS};
use crate::request::{self, Position, Request};
use crate::rng::Rng;

/// One planted credential: where it is and what logleaks must report.
#[derive(Clone, Debug)]
pub struct Label {
    /// File name inside the benchmark directory.
    pub file: String,
    /// 1-based line.
    pub line: u64,
    /// Rule that must report it.
    pub rule: &'static str,
    /// Exact decoded value that must be reported.
    pub secret: String,
    /// The format the file is written in.
    pub format: &'static str,
    /// How the credential's bytes are encoded.
    pub encoding: Encoding,
    /// Where it was planted.
    pub position: Position,
}

/// What was generated.
pub struct Generated {
    /// Every planted credential.
    pub labels: Vec<Label>,
    /// Decoy families per `(file, line)`.
    pub decoys: HashMap<(String, u64), Vec<&'static str>>,
    /// Lines written, over all files.
    pub lines: u64,
    /// Rules without a maker, and why.
    pub not_planted: Vec<(&'static str, String)>,
}

/// Writes `records` requests per format into `dir` (one file per format); a third of them carry
/// a credential, every one carries decoys.
pub fn generate(dir: &Path, seed: u64, records: usize) -> std::io::Result<Generated> {
    let detector = Detector::builtin();
    let catalogue = Catalogue::new(&detector);
    let rules = catalogue.rules();
    let mut labels = Vec::new();
    let mut decoys = HashMap::new();
    let mut total_lines = 0;
    for (index, format) in FORMATS.iter().enumerate() {
        let mut rng = Rng::new(seed.wrapping_mul(1000).wrapping_add(index as u64));
        let file = format!("{}.log", format.name);
        let mut text = String::new();
        let mut line_no = 0u64;
        for line in format.preamble {
            text.push_str(line);
            text.push('\n');
            line_no += 1;
        }
        let mut next_rule = rng.below(rules.len());
        for record in 0..records {
            let mut req = Request::default();
            let families = request::ordinary(&mut rng, &mut req, format.caps, record as u64);
            let mut planted = None;
            // A request that carries an exploit kit's injection payload gets no planted
            // credential: logleaks reports what it finds beside one at low confidence only.
            if rng.chance(0.35) && !families.contains(&"exploit-probe") {
                let credential = loop {
                    let rule = rules[next_rule % rules.len()];
                    next_rule += 1;
                    let credential = catalogue.make(&mut rng, &detector, rule);
                    if fits(format, &credential.carrier) {
                        break credential;
                    }
                };
                let how = request::plant(&mut rng, &mut req, format.caps, &credential);
                planted = Some((credential, how));
            }
            let heavy = format.caps.json
                && planted
                    .as_ref()
                    .is_some_and(|(_, how)| how.encoding == Encoding::Json);
            formats::HEAVY.with(|h| h.set(heavy || (format.caps.json && rng.chance(0.1))));
            let lines = (format.write)(&mut rng, &req);
            let first = line_no + 1;
            if let Some((credential, how)) = &planted {
                // The line of the planted part; where several lines carry that part (one
                // header per line), the one that holds the credential.
                let part = part_of(how.position);
                let candidates: Vec<usize> = (0..lines.len())
                    .filter(|&i| lines[i].1 & part != 0)
                    .collect();
                // The first run of letters and digits that no encoding changes.
                let needle = credential
                    .secret
                    .split(|c: char| !c.is_ascii_alphanumeric())
                    .max_by_key(|run| run.len().min(10))
                    .unwrap_or("");
                let needle = &needle[..needle.len().min(10)];
                let at = candidates
                    .iter()
                    .copied()
                    .find(|&i| lines[i].0.contains(needle))
                    .or(candidates.first().copied());
                if let Some(i) = at {
                    labels.push(Label {
                        file: file.clone(),
                        line: first + i as u64,
                        rule: credential.rule,
                        secret: credential.secret.clone(),
                        format: format.name,
                        encoding: how.encoding,
                        position: how.position,
                    });
                }
            }
            for (i, (line, _)) in lines.iter().enumerate() {
                text.push_str(line);
                text.push('\n');
                if !families.is_empty() {
                    decoys.insert((file.clone(), first + i as u64), families.clone());
                }
            }
            line_no += lines.len() as u64;
        }
        total_lines += line_no;
        std::fs::write(dir.join(&file), text)?;
    }
    Ok(Generated {
        labels,
        decoys,
        lines: total_lines,
        not_planted: catalogue.not_planted,
    })
}

/// Whether `format` can carry a credential that travels as `carrier`.
fn fits(format: &Format, carrier: &Carrier) -> bool {
    match carrier {
        Carrier::Header { name, .. } if name == "Cookie" => format.caps.cookie,
        Carrier::Header { name, .. } => {
            format.caps.headers && (!format.caps.auth_only || name == "Authorization")
        }
        Carrier::SetCookie(_) => format.caps.response_headers,
        _ => true,
    }
}

fn part_of(position: Position) -> u8 {
    match position {
        Position::Referer => formats::REFERER,
        Position::Header | Position::Cookie => formats::HEADERS,
        Position::Body => formats::BODY,
        Position::SetCookie => formats::RESPONSE,
        _ => formats::REQUEST,
    }
}

/// One finding as logleaks reported it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Reported {
    /// File name (last path component).
    pub file: String,
    /// Line.
    pub line: u64,
    /// Rule id.
    pub rule: String,
    /// Reported value.
    pub secret: String,
}

/// Runs `logleaks` on `dir` and returns its findings.
pub fn run(logleaks: &Path, dir: &Path) -> std::io::Result<Vec<Reported>> {
    let output = Command::new(logleaks)
        .args(["scan", "--format", "jsonl", "--show-secrets", "--no-config"])
        .args(["--fail-on", "never", "--no-progress"])
        .arg(dir)
        .output()?;
    if !output.status.success() {
        return Err(std::io::Error::other(format!(
            "logleaks failed: {}",
            String::from_utf8_lossy(&output.stderr)
        )));
    }
    let mut found = Vec::new();
    for line in output
        .stdout
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
    {
        let value: serde_json::Value =
            serde_json::from_slice(line).map_err(std::io::Error::other)?;
        let file = value["file"].as_str().unwrap_or_default();
        found.push(Reported {
            file: file.rsplit('/').next().unwrap_or(file).to_string(),
            line: value["line"].as_u64().unwrap_or(0),
            rule: value["rule"].as_str().unwrap_or_default().to_string(),
            secret: value["secret"].as_str().unwrap_or("<bytes>").to_string(),
        });
    }
    Ok(found)
}

/// Counts for one row of a table.
#[derive(Clone, Copy, Debug, Default)]
pub struct Tally {
    /// Credentials planted.
    pub planted: u64,
    /// Found by the right rule on the right line.
    pub hits: u64,
    /// Hits whose reported value is exactly the decoded credential.
    pub exact: u64,
    /// Reports that match no planted credential.
    pub false_alarms: u64,
}

impl Tally {
    /// Hits over planted.
    pub fn recall(&self) -> f64 {
        ratio(self.hits, self.planted)
    }
    /// Hits over hits and false alarms.
    pub fn precision(&self) -> f64 {
        ratio(self.hits, self.hits + self.false_alarms)
    }
    /// Exact values over hits.
    pub fn value_accuracy(&self) -> f64 {
        ratio(self.exact, self.hits)
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// The scores, overall and per rule, encoding, format and position.
#[derive(Default)]
pub struct Score {
    /// Over everything.
    pub overall: Tally,
    /// Per rule id.
    pub rules: BTreeMap<String, Tally>,
    /// Per encoding.
    pub encodings: BTreeMap<&'static str, Tally>,
    /// Per format.
    pub formats: BTreeMap<&'static str, Tally>,
    /// Per position.
    pub positions: BTreeMap<&'static str, Tally>,
    /// False alarms per decoy family of their line (`none` when the line had no decoy).
    pub decoy_families: BTreeMap<&'static str, u64>,
    /// The misses, for the report.
    pub misses: Vec<(Label, Vec<Reported>)>,
    /// The false alarms, for the report.
    pub false_alarms: Vec<Reported>,
    /// Hits with a wrong value: the label and what was reported.
    pub wrong_values: Vec<(Label, String)>,
}

/// Scores `found` against `generated`.
pub fn score(generated: &Generated, found: &[Reported]) -> Score {
    let mut score = Score::default();
    let mut by_key: HashMap<(&str, u64, &str), Vec<&Reported>> = HashMap::new();
    for f in found {
        by_key
            .entry((f.file.as_str(), f.line, f.rule.as_str()))
            .or_default()
            .push(f);
    }
    let format_of: HashMap<&str, &'static str> = generated
        .labels
        .iter()
        .map(|l| (l.file.as_str(), l.format))
        .collect();
    let mut used: HashSet<(&str, u64, &str)> = HashSet::new();
    for label in &generated.labels {
        let key = (label.file.as_str(), label.line, label.rule);
        let hit = by_key.get(&key);
        let exact = hit.is_some_and(|list| list.iter().any(|f| f.secret == label.secret));
        let bump = |t: &mut Tally| {
            t.planted += 1;
            t.hits += u64::from(hit.is_some());
            t.exact += u64::from(exact);
        };
        bump(score.rules.entry(label.rule.to_string()).or_default());
        bump(score.encodings.entry(label.encoding.name()).or_default());
        bump(score.formats.entry(label.format).or_default());
        bump(score.positions.entry(label.position.name()).or_default());
        bump(&mut score.overall);
        match hit {
            Some(list) => {
                used.insert(key);
                if !exact {
                    score
                        .wrong_values
                        .push((label.clone(), list[0].secret.clone()));
                }
            }
            None => {
                let near = found
                    .iter()
                    .filter(|f| f.file == label.file && f.line == label.line)
                    .cloned()
                    .collect();
                score.misses.push((label.clone(), near));
            }
        }
    }
    for f in found {
        if used.contains(&(f.file.as_str(), f.line, f.rule.as_str())) {
            continue;
        }
        score.overall.false_alarms += 1;
        score.rules.entry(f.rule.clone()).or_default().false_alarms += 1;
        if let Some(format) = format_of.get(f.file.as_str()) {
            score.formats.entry(format).or_default().false_alarms += 1;
        }
        match generated.decoys.get(&(f.file.clone(), f.line)) {
            Some(families) => {
                for family in families {
                    *score.decoy_families.entry(family).or_default() += 1;
                }
            }
            None => *score.decoy_families.entry("none").or_default() += 1,
        }
        score.false_alarms.push(f.clone());
    }
    score
}

/// Writes the score as Markdown tables.
pub fn report(generated: &Generated, score: &Score) -> String {
    let mut out = String::new();
    let o = &score.overall;
    out.push_str(&format!(
        "planted {} credentials in {} lines; found {}, {} false alarms\n\n",
        o.planted, generated.lines, o.hits, o.false_alarms
    ));
    out.push_str(&format!(
        "overall: precision {:.4}  recall {:.4}  value accuracy {:.4}\n\n",
        o.precision(),
        o.recall(),
        o.value_accuracy()
    ));
    table(
        &mut out,
        "rule",
        score.rules.iter().map(|(k, v)| (k.as_str(), v)),
    );
    table(
        &mut out,
        "encoding",
        score.encodings.iter().map(|(k, v)| (*k, v)),
    );
    table(
        &mut out,
        "format",
        score.formats.iter().map(|(k, v)| (*k, v)),
    );
    table(
        &mut out,
        "position",
        score.positions.iter().map(|(k, v)| (*k, v)),
    );
    if !score.decoy_families.is_empty() {
        out.push_str("false alarms by decoy family on their line:\n");
        for (family, n) in &score.decoy_families {
            out.push_str(&format!("  {family}: {n}\n"));
        }
        out.push('\n');
    }
    for (rule, why) in &generated.not_planted {
        out.push_str(&format!("not planted: {rule}: {why}\n"));
    }
    out
}

fn table<'a>(out: &mut String, name: &str, rows: impl Iterator<Item = (&'a str, &'a Tally)>) {
    out.push_str(&format!(
        "| {name} | planted | found | false alarms | precision | recall | value accuracy |\n|---|---:|---:|---:|---:|---:|---:|\n"
    ));
    for (key, t) in rows {
        out.push_str(&format!(
            "| {key} | {} | {} | {} | {:.3} | {:.3} | {:.3} |\n",
            t.planted,
            t.hits,
            t.false_alarms,
            t.precision(),
            t.recall(),
            t.value_accuracy()
        ));
    }
    out.push('\n');
}
