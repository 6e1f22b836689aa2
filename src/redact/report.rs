//! What a redaction did, per input: on stderr for people, or as JSON (`--report FILE`) for the
//! incident record. Counts, rules, line numbers and fingerprints; never a secret.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{FileOutcome, SecretTally, Streamed};
use crate::report::{display_bytes, Bytes};

/// The JSON report of one run.
#[derive(Debug, Serialize)]
pub struct RunReport {
    /// One entry per input, in input order.
    pub files: Vec<FileReport>,
    /// Credentials masked in all inputs.
    pub masked: u64,
    /// Inputs that could not be redacted.
    pub errors: u64,
}

/// The JSON report of one input.
#[derive(Debug, Serialize)]
pub struct FileReport {
    /// The input, as named or found.
    pub file: Bytes,
    /// `redacted`, `skipped` (not a text log: left as it is, not written nor copied),
    /// `incomplete` (standard output was closed before the end) or `error`.
    pub status: &'static str,
    /// Where the redacted copy was written (`--output`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<Bytes>,
    /// Why it was skipped, or what went wrong.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Lines read.
    pub lines: u64,
    /// Lines written with at least one mask.
    pub lines_changed: u64,
    /// Credentials masked (one per distinct credential per line).
    pub masked: u64,
    /// Credentials the config allowlists, left as they were.
    pub allowlisted: u64,
    /// Each distinct credential masked.
    pub secrets: Vec<SecretReport>,
    /// Masks of credentials not listed in `secrets`: past the most distinct credentials listed
    /// per input (a long-running `redact -`).
    #[serde(skip_serializing_if = "is_zero")]
    pub secrets_not_listed: u64,
    /// What is worth knowing besides (e.g. an owner that could not be kept).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// One distinct credential masked in one input.
#[derive(Debug, Serialize)]
pub struct SecretReport {
    /// The rule that found it.
    pub rule: &'static str,
    /// The same fingerprint as `scan` reports.
    pub fingerprint: String,
    /// Lines where it was masked.
    pub count: u64,
    /// The first such line.
    pub first_line: u64,
    /// The last such line.
    pub last_line: u64,
}

impl From<&SecretTally> for SecretReport {
    fn from(s: &SecretTally) -> Self {
        SecretReport {
            rule: s.rule,
            fingerprint: s.fingerprint.clone(),
            count: s.count,
            first_line: s.first_line,
            last_line: s.last_line,
        }
    }
}

fn path_bytes(path: &Path) -> Bytes {
    Bytes(path.as_os_str().as_encoded_bytes().to_vec())
}

/// The report of a run.
pub fn build(outcomes: &[FileOutcome]) -> RunReport {
    let mut run = RunReport {
        files: Vec::new(),
        masked: 0,
        errors: 0,
    };
    for outcome in outcomes {
        let mut file = FileReport {
            file: Bytes(outcome.file.as_bytes().into_owned()),
            status: "redacted",
            output: outcome.output.as_deref().map(path_bytes),
            message: None,
            lines: 0,
            lines_changed: 0,
            masked: 0,
            allowlisted: 0,
            secrets: Vec::new(),
            secrets_not_listed: 0,
            notes: outcome.notes.clone(),
        };
        match &outcome.result {
            Ok(_) if outcome.output_closed => {
                file.status = "incomplete";
                file.message = Some(OUTPUT_CLOSED.into());
            }
            Ok(Streamed::Redacted(tally)) => {
                file.lines = tally.lines;
                file.lines_changed = tally.lines_changed;
                file.masked = tally.masked;
                file.allowlisted = tally.allowlisted;
                file.secrets = tally.secrets.iter().map(SecretReport::from).collect();
                file.secrets_not_listed = tally.unlisted;
                run.masked += tally.masked;
            }
            Ok(Streamed::NotText(what)) => {
                file.status = "skipped";
                file.output = None;
                file.message = Some(skipped_message(outcome, what));
            }
            Err(message) => {
                file.status = "error";
                file.output = None;
                file.message = Some(message.clone());
                run.errors += 1;
            }
        }
        run.files.push(file);
    }
    run
}

/// What is said of an input whose standard output was closed before the end.
const OUTPUT_CLOSED: &str = "standard output was closed before the end (`| head`?): only the start of the input was written, redacted; the counts are unknown";

/// Why an input was skipped, and what became of it.
fn skipped_message(outcome: &FileOutcome, what: &str) -> String {
    match &outcome.output {
        Some(output) => format!(
            "not a text log ({what}); left as it is, and not copied to {}",
            display_bytes(output.as_os_str().as_encoded_bytes())
        ),
        None => format!("not a text log ({what}); left as it is"),
    }
}

/// Distinct secrets listed per file on stderr; the JSON report lists them all.
pub const LISTED_SECRETS: usize = 20;

/// What to tell people about one input (nothing when there is nothing to say): one line, and
/// when `verbose`, one indented line per distinct secret masked (rule, fingerprint, lines).
pub fn describe(outcome: &FileOutcome, verbose: bool) -> Option<String> {
    let name = display_bytes(&outcome.file.as_bytes());
    match &outcome.result {
        Err(message) => Some(format!("logleaks: {name}: {message}")),
        Ok(_) if outcome.output_closed => Some(format!("logleaks: {name}: {OUTPUT_CLOSED}")),
        Ok(Streamed::NotText(what)) => Some(format!(
            "logleaks: {name}: skipped: {}",
            skipped_message(outcome, what)
        )),
        Ok(Streamed::Redacted(tally)) if verbose => {
            let mut line = format!(
                "logleaks: {name}: {} secret{} masked on {} of {} line{}",
                tally.masked,
                plural(tally.masked),
                tally.lines_changed,
                tally.lines,
                plural(tally.lines),
            );
            if tally.allowlisted > 0 {
                line.push_str(&format!(
                    ", {} allowlisted left as they were",
                    tally.allowlisted
                ));
            }
            if let Some(output) = &outcome.output {
                line.push_str(&format!(
                    " -> {}",
                    display_bytes(output.as_os_str().as_encoded_bytes())
                ));
            }
            if tally.unsettled_lines > 0 {
                let one = tally.unsettled_lines == 1;
                line.push_str(&format!(
                    "; {} still looked like {} a credential after {} rounds of masking: check {}",
                    crate::printable::counted(tally.unsettled_lines, "line"),
                    if one { "it held" } else { "they held" },
                    super::line::MAX_ROUNDS,
                    if one { "it" } else { "them" },
                ));
            }
            let listed = &tally.secrets[..tally.secrets.len().min(LISTED_SECRETS)];
            let width = listed.iter().map(|s| s.rule.len()).max().unwrap_or(0);
            for secret in listed {
                line.push_str(&format!(
                    "\n  {:<width$}  {}  {} line{}, first {}",
                    secret.rule,
                    secret.fingerprint,
                    secret.count,
                    plural(secret.count),
                    secret.first_line
                ));
            }
            if tally.secrets.len() > LISTED_SECRETS {
                line.push_str(&format!(
                    "\n  … and {} more (--report FILE lists them all)",
                    tally.secrets.len() - LISTED_SECRETS
                ));
            }
            if tally.unlisted > 0 {
                line.push_str(&format!(
                    "\n  … and {} more masks of credentials past the first {} distinct ones (counted, not listed)",
                    tally.unlisted,
                    super::line::MAX_LISTED
                ));
            }
            Some(line)
        }
        Ok(Streamed::Redacted(_)) => None,
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Tells what was done (stderr, and the JSON report when asked for); returns the exit code.
/// When `quiet`, stderr gets only what went wrong (errors and notes), not the counts.
pub fn finish(outcomes: &[FileOutcome], report_path: Option<&Path>, quiet: bool) -> i32 {
    let run = build(outcomes);
    for outcome in outcomes {
        let failed = outcome.result.is_err() || outcome.output_closed;
        if let Some(line) = describe(outcome, report_path.is_none()).filter(|_| failed || !quiet) {
            eprintln!("{line}");
        }
        for note in &outcome.notes {
            eprintln!(
                "logleaks: {}: note: {note}",
                display_bytes(&outcome.file.as_bytes())
            );
        }
    }
    let count = |status| run.files.iter().filter(|f| f.status == status).count() as u64;
    let (redacted, skipped, closed) = (count("redacted"), count("skipped"), count("incomplete"));
    let mut closing = format!(
        "logleaks: {} secret{} masked in {redacted} file{}",
        run.masked,
        plural(run.masked),
        plural(redacted)
    );
    if skipped > 0 {
        closing.push_str(&format!(
            "; {skipped} skipped (not text logs, left as they are)"
        ));
    }
    if closed > 0 {
        closing = "logleaks: standard output was closed before the end; the redacted output is incomplete".into();
    }
    if run.errors > 0 {
        closing.push_str(&format!(
            "; {} error{} (see above)",
            run.errors,
            plural(run.errors)
        ));
    }
    if !quiet || run.errors > 0 || closed > 0 {
        eprintln!("{closing}");
    }
    let mut code = if run.errors > 0 {
        super::EXIT_ERROR
    } else if closed > 0 {
        super::EXIT_OUTPUT_CLOSED
    } else {
        super::EXIT_OK
    };
    if let Some(path) = report_path {
        if let Err(e) = write_json(path, &run) {
            eprintln!("logleaks: {}: cannot write report: {e}", path.display());
            code = super::EXIT_ERROR;
        }
    }
    code
}

fn write_json(path: &Path, run: &RunReport) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(PathBuf::from(path))?);
    serde_json::to_writer_pretty(&mut out, run)?;
    writeln!(out)?;
    out.flush()
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}
