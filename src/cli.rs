//! The command line, as clap definitions. Parsing only: what the commands do is in [`crate::app`].

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::finding::Severity;
use crate::report::Format;

/// Find credentials leaked into web server logs.
#[derive(Debug, Parser)]
#[command(name = "logleaks", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan log files and directories for leaked credentials.
    Scan(ScanArgs),
    /// List the detection rules.
    Rules(RulesArgs),
}

/// A severity on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    /// Everything.
    Low,
    /// Medium and above.
    Medium,
    /// High and above.
    High,
    /// Critical only.
    Critical,
}

impl From<SeverityArg> for Severity {
    fn from(s: SeverityArg) -> Self {
        match s {
            SeverityArg::Low => Severity::Low,
            SeverityArg::Medium => Severity::Medium,
            SeverityArg::High => Severity::High,
            SeverityArg::Critical => Severity::Critical,
        }
    }
}

/// The threshold of `--fail-on`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Any finding fails.
    Low,
    /// Medium and above fail.
    Medium,
    /// High and above fail.
    High,
    /// Only critical findings fail.
    Critical,
    /// Never fail because of findings.
    Never,
}

/// Arguments of `logleaks scan`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files and directories to scan (directories recursively); `-` or nothing with piped input
    /// reads standard input.
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Write the findings to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,

    /// Print secrets in clear instead of redacted.
    #[arg(long)]
    pub show_secrets: bool,

    /// Exit with 1 when a finding is at or above this severity.
    #[arg(long, value_enum, default_value_t = FailOn::Low, value_name = "LEVEL")]
    pub fail_on: FailOn,

    /// Hide findings below this severity (they do not count for --fail-on either).
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub min_severity: Option<SeverityArg>,

    /// Worker threads (default: all cores).
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,

    /// Read every file as this log type instead of detecting it
    /// (combined, common, vhost_combined, raw).
    #[arg(long, value_name = "TYPE", value_parser = parse_log_type)]
    pub log_type: Option<crate::logformat::LogType>,

    /// Add `source` = NAME to every finding (e.g. the machine the logs came from).
    #[arg(long, value_name = "NAME")]
    pub label: Option<String>,

    /// Only scan files matching this glob (by name, or by path below a named directory).
    #[arg(long = "glob", short = 'g', value_name = "PATTERN")]
    pub globs: Vec<String>,

    /// Never scan files or directories matching this glob.
    #[arg(long = "exclude", value_name = "PATTERN")]
    pub excludes: Vec<String>,

    /// Follow symlinked directories.
    #[arg(long)]
    pub follow: bool,

    /// Never show a progress bar.
    #[arg(long)]
    pub no_progress: bool,
}

/// Arguments of `logleaks rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = RulesFormat::Table)]
    pub format: RulesFormat,
}

/// Output formats of `logleaks rules`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// Aligned columns.
    Table,
    /// A JSON array.
    Json,
}

fn parse_log_type(name: &str) -> Result<crate::logformat::LogType, String> {
    crate::logformat::LogType::from_name(name).ok_or_else(|| {
        let names: Vec<_> = crate::logformat::LogType::ALL
            .iter()
            .map(|t| t.name())
            .collect();
        format!(
            "unknown log type `{name}`; known types: {}",
            names.join(", ")
        )
    })
}
