//! The command line, as clap definitions. Parsing only: what the commands do is in [`crate::app`].

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::finding::{Confidence, Severity};
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
#[allow(clippy::large_enum_variant)] // parsed once per run
pub enum Command {
    /// Scan log files and directories for leaked credentials.
    Scan(ScanArgs),
    /// List the detection rules: built-in, then the config's custom rules.
    Rules(RulesArgs),
    /// Say what logleaks makes of each file: compression, detected format, lines recognised.
    Inspect(InspectArgs),
    /// Summarise `jsonl` findings per secret: counts, first and last seen, clients, statuses
    /// (`--format html`: a self-contained incident report).
    Summary(SummaryArgs),
    /// Write logs back with every credential masked: to stdout, `--output DIR` or `--in-place`.
    #[command(
        after_help = "Exit status: 0 when every input was redacted (or had nothing to mask), \
2 when an input could not be (nothing of it was replaced), 141 when standard output was closed \
before the end (`logleaks redact big.log | head`), as for a tool ended by SIGPIPE.\n\n\
As a pipeline filter (`tail -F access.log | logleaks redact - | logger`), each line is written as \
soon as it has come whole and is masked, never before: if logleaks is stopped, the lines it has \
not written are lost, never passed on unmasked."
    )]
    Redact(RedactArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
    /// Print the man page (roff), for packagers.
    #[command(hide = true)]
    Man,
    /// Write every man page and the bash, zsh and fish completion scripts into DIR, for
    /// packagers.
    #[command(hide = true)]
    PackageFiles(PackageFilesArgs),
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

/// A confidence threshold (`--min-confidence`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ConfidenceArg {
    /// Everything, weak evidence included.
    Low,
    /// Credential-like values under credential names, and self-identifying formats.
    Medium,
    /// Only self-identifying formats and validated checksums, signatures or structures.
    High,
}

impl From<ConfidenceArg> for Confidence {
    fn from(c: ConfidenceArg) -> Self {
        match c {
            ConfidenceArg::Low => Confidence::Low,
            ConfidenceArg::Medium => Confidence::Medium,
            ConfidenceArg::High => Confidence::High,
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

/// How `s3://`, `gs://` and `az://` inputs are reached (`scan`, `redact`, `inspect`).
#[derive(Clone, Debug, Default, Args)]
pub struct ObjectStoreArgs {
    /// The endpoint of an S3-compatible store (MinIO, Ceph RGW, R2, a local server) for `s3://`
    /// inputs, or of an emulator for `gs://` and `az://` (default for S3: `AWS_ENDPOINT_URL`).
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,

    /// Read `s3://`, `gs://` and `az://` inputs without credentials (public buckets).
    #[arg(long)]
    pub no_sign_request: bool,
}

impl ObjectStoreArgs {
    /// The settings object stores are reached with (no date window).
    pub fn options(&self) -> crate::input::ObjectOptions {
        crate::input::ObjectOptions {
            endpoint_url: self.endpoint_url.clone(),
            anonymous: self.no_sign_request,
            window: None,
        }
    }
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

    /// Also scan the inputs listed in FILE (`-`: standard input), one per line, as if named on
    /// the command line.
    #[arg(long, value_name = "FILE")]
    pub files_from: Option<PathBuf>,

    /// With `--files-from`, entries end with a NUL byte instead of a newline (`find -print0`).
    #[arg(short = '0', long = "null", requires = "files_from")]
    pub null: bool,

    /// Name standard input NAME in findings and messages (and choose its format by this name),
    /// for a job that pipes one file's bytes into logleaks. Never pipe several logs into one
    /// standard input: each file's format is detected from its own first lines.
    #[arg(long, value_name = "NAME")]
    pub stdin_name: Option<PathBuf>,

    /// Scan only shard I of N (I from 0 to N-1): the inputs whose name hashes to I. N workers
    /// given the same inputs and shards 0/N … N-1/N scan each input exactly once.
    #[arg(long, value_name = "I/N", value_parser = crate::input::Shard::parse)]
    pub shard: Option<crate::input::Shard>,

    /// Also write every input problem to FILE as JSON Lines: `{"input", "kind", "message"}`.
    #[arg(long, value_name = "FILE")]
    pub errors_json: Option<PathBuf>,

    /// Scan nothing: print the inputs a scan would read (after `--glob`, `--exclude`,
    /// `--shard` and date-partition narrowing), one JSON object per line, `{"input", "size"}`,
    /// for a job runner that deals them out (see `contrib/spark/`). Names are printed as they
    /// are, even one holding a credential, since they are read back with `--files-from`.
    #[arg(long)]
    pub list_inputs: bool,

    #[command(flatten)]
    pub object_store: ObjectStoreArgs,

    /// With `--since`/`--until`, date-partitioned object listings (`…/YYYY/MM/DD/`, CloudFront's
    /// `DIST.YYYY-MM-DD-HH.…` names) skip partitions further than this outside the window
    /// (`12h`, `1d`, `0s`); logs are often delivered late.
    #[arg(long, value_name = "SPAN", default_value = "1d", value_parser = span_parser)]
    pub partition_slack: jiff::SignedDuration,

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

    /// Hide findings below this confidence (they do not count for --fail-on either): `high` is
    /// a self-identifying format or a validated checksum or signature, `medium` a credential-like
    /// value under a credential name, `low` weak evidence.
    #[arg(long, value_enum, default_value_t = ConfidenceArg::Medium, value_name = "LEVEL")]
    pub min_confidence: ConfidenceArg,

    /// Worker threads (default: all cores).
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,

    /// Read every file as this log type instead of detecting it (`logleaks inspect` shows what
    /// is detected).
    #[arg(long, value_name = "TYPE", value_parser = log_type_parser())]
    pub log_type: Option<crate::logformat::LogType>,

    /// Read every file with this custom format: an Apache `LogFormat` string
    /// (`%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %{X-Api-Key}i`) or an nginx
    /// `log_format` string (`$remote_addr - $remote_user [$time_local] "$request" $status …`).
    #[arg(long, value_name = "STRING", conflicts_with = "log_type")]
    pub log_format: Option<String>,

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

    /// Also walk into VCS metadata directories (`.git`, `.hg`, `.svn`), skipped by default.
    #[arg(long)]
    pub include_vcs: bool,

    /// Never show a progress bar.
    #[arg(long)]
    pub no_progress: bool,

    /// When to colour severities in the table: `auto` on a terminal unless `NO_COLOR` is set.
    #[arg(long, value_enum, default_value_t = crate::console::ColorChoice::Auto, value_name = "WHEN")]
    pub color: crate::console::ColorChoice,

    /// Write each finding out as soon as it is found, wherever the output goes (by default only
    /// a pipe or a terminal gets them at once; a file is written in large blocks).
    #[arg(long)]
    pub line_buffered: bool,

    /// Read settings, custom rules and allowlists from FILE (default: `.logleaks.toml` in the
    /// current directory, if present).
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Ignore any configuration file.
    #[arg(long)]
    pub no_config: bool,

    /// Suppress findings whose secret (fingerprint) is in this earlier `json` or `jsonl` report,
    /// whatever rule reports it now.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Only report lines logged at or after TIME (RFC 3339, a date, or relative: `7d`, `12h`).
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,

    /// Only report lines logged before TIME (RFC 3339, a date, or relative: `7d`, `12h`).
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,

    /// Time zone of log times that carry no offset: a zone name (`Europe/Berlin`, `UTC`) or a
    /// fixed offset (`+02:00`, `-0530`).
    #[arg(long, value_name = "TZ", allow_hyphen_values = true)]
    pub timezone: Option<String>,

    /// The "now" used for expiry facts and relative times (default: when the scan starts);
    /// `live` with `--watch`: the clock when each finding is reported.
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,

    /// Stop decompressing an input after SIZE decompressed bytes (suffixes K, M, G, T: `10M`),
    /// and report it as an error; a guard against decompression bombs. Default: unlimited.
    #[arg(long, value_name = "SIZE", value_parser = crate::input::parse_size)]
    pub max_decompressed_size: Option<u64>,

    /// Split plain files into ranges of about this many bytes for parallel scanning (for tests).
    #[arg(long, hide = true, value_name = "BYTES")]
    pub segment_size: Option<u64>,

    /// Cut decompressed text into blocks of about this many bytes for parallel scanning (for
    /// tests).
    #[arg(long, hide = true, value_name = "BYTES", value_parser = clap::value_parser!(u64).range(1..))]
    pub block_size: Option<u64>,

    /// Keep reading the files after the scan, like `tail -F`: each finding is written as soon as
    /// its line is complete, across rotation (rename and create, copytruncate), and files that
    /// appear under a watched directory or match `--glob` are picked up. Ends on Ctrl-C or
    /// SIGTERM with the closing summary. Only `--format table` or `jsonl`.
    #[arg(long)]
    pub watch: bool,

    /// With `--watch`: the longest time between two looks at the files (`1s`, `250ms`, `2m`;
    /// default 1s). Changes are seen at once through inotify; where it is not available (some
    /// network file systems), only this often.
    #[arg(long, value_name = "DURATION", requires = "watch", value_parser = parse_interval)]
    pub poll_interval: Option<std::time::Duration>,

    /// Remember in FILE how far each log file was read, and read only what was added since the
    /// last run (cron): files are known by device, inode and their first bytes, so the rest of
    /// a log rotated to `.1` or compressed to `.2.gz` since is read too, and each leak is
    /// reported once. FILE is JSON, written at least every second and at the end; a file that
    /// is not a logleaks state file is an error (exit 2).
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,

    /// Make SARIF file URIs relative to DIR instead of the current directory.
    #[arg(long, value_name = "DIR")]
    pub sarif_root: Option<PathBuf>,

    /// `--format html`: give the N secrets to rotate first a section each (the others get a row
    /// of a table).
    #[arg(long, value_name = "N", default_value_t = crate::report::html::DEFAULT_TOP)]
    pub top: usize,

    /// `--format html`: record the SHA-256 of every input file in the report, for chain of
    /// custody (reads each file once more).
    #[arg(long)]
    pub hash_inputs: bool,
}

/// Arguments of `logleaks redact`.
#[derive(Debug, Args)]
pub struct RedactArgs {
    /// Files and directories to redact (directories recursively, with `--output` or
    /// `--in-place`); `-` or nothing with piped input reads standard input. `s3://`, `gs://`
    /// and `az://` URLs are read like directories and redacted to standard output or
    /// `--output DIR` (under `DIR/s3/BUCKET/KEY`), never in place.
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub object_store: ObjectStoreArgs,

    /// Write each redacted input to the same relative path under DIR (absolute paths lose their
    /// leading `/`), instead of standard output. DIR must lie outside the inputs: an input
    /// inside DIR is refused (exit 2). Files that are not text logs are not copied.
    #[arg(long, value_name = "DIR", conflicts_with = "in_place")]
    pub output: Option<PathBuf>,

    /// Rewrite the inputs themselves, atomically (a temporary file in the same directory,
    /// renamed over the original, keeping its permissions, owner and extended attributes).
    #[arg(long)]
    pub in_place: bool,

    /// With `--in-place`, keep each original beside it, named with SUFFIX added (e.g. `.orig`).
    /// An existing backup is never replaced: that input is left untouched (exit 2).
    #[arg(long, value_name = "SUFFIX", requires = "in_place")]
    pub backup: Option<String>,

    /// With `--backup`, replace a backup left by an earlier run.
    #[arg(long, requires = "backup")]
    pub overwrite_backup: bool,

    /// Give rewritten files and `--output` copies the current time; by default they keep the
    /// original's access and modification times.
    #[arg(long)]
    pub touch: bool,

    /// With `--in-place`, also rewrite files that have several hard links (the rewritten file
    /// gets a new inode, so the other links keep the secrets).
    #[arg(long, requires = "in_place")]
    pub force: bool,

    /// What replaces each credential: letters, digits and `_ . * ~ -` only, so that no log
    /// format breaks.
    #[arg(long, value_name = "STRING", default_value = "REDACTED")]
    pub mask: String,

    /// Write what was masked, per file, as JSON to FILE (fingerprints, never secrets).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,

    /// Write each redacted line out as soon as it is masked, wherever standard output goes (by
    /// default only a pipe or a terminal gets them at once; a file is written in large blocks).
    #[arg(long, conflicts_with_all = ["output", "in_place"])]
    pub line_buffered: bool,

    /// Write nothing on stderr but what went wrong: no counts (e.g. in a log pipeline whose
    /// destination gets logleaks' stderr too, as rsyslog `omprog`'s `output=` file does).
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// Files redacted at once (default: all cores).
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,

    /// Read every file as this log type instead of detecting it.
    #[arg(long, value_name = "TYPE", value_parser = log_type_parser())]
    pub log_type: Option<crate::logformat::LogType>,

    /// Read every file with this custom format (Apache `LogFormat` or nginx `log_format`).
    #[arg(long, value_name = "STRING", conflicts_with = "log_type")]
    pub log_format: Option<String>,

    /// Only redact files matching this glob (by name, or by path below a named directory).
    #[arg(long = "glob", short = 'g', value_name = "PATTERN")]
    pub globs: Vec<String>,

    /// Never redact files or directories matching this glob.
    #[arg(long = "exclude", value_name = "PATTERN")]
    pub excludes: Vec<String>,

    /// Follow symlinked directories.
    #[arg(long)]
    pub follow: bool,

    /// Read custom rules and allowlists from FILE (default: `.logleaks.toml` in the current
    /// directory, if present); allowlisted findings are not masked.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Ignore any configuration file.
    #[arg(long)]
    pub no_config: bool,

    /// Stop decompressing an input after SIZE decompressed bytes (suffixes K, M, G, T: `10M`),
    /// and report it as an error, leaving it untouched; a guard against decompression bombs.
    /// Default: unlimited.
    #[arg(long, value_name = "SIZE", value_parser = crate::input::parse_size)]
    pub max_decompressed_size: Option<u64>,
}

/// Arguments of `logleaks inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Files and directories to inspect (directories recursively), and `s3://`, `gs://` and
    /// `az://` URLs; `-` or nothing with piped input reads standard input.
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub object_store: ObjectStoreArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = InspectFormat::Table)]
    pub format: InspectFormat,

    /// Read every file as this log type instead of detecting it.
    #[arg(long, value_name = "TYPE", value_parser = log_type_parser())]
    pub log_type: Option<crate::logformat::LogType>,

    /// Read every file with this custom format (Apache `LogFormat` or nginx `log_format`).
    #[arg(long, value_name = "STRING", conflicts_with = "log_type")]
    pub log_format: Option<String>,

    /// Read `[[formats]]` from FILE (default: `.logleaks.toml` in the current directory, if
    /// present).
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Ignore any configuration file.
    #[arg(long)]
    pub no_config: bool,
}

/// Output formats of `logleaks inspect`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum InspectFormat {
    /// Aligned columns.
    Table,
    /// A JSON array of per-file objects.
    Json,
}

/// Arguments of `logleaks summary`.
#[derive(Debug, Args)]
pub struct SummaryArgs {
    /// `jsonl` findings from `logleaks scan`, or `json` output of `logleaks summary`; none or
    /// `-` reads standard input.
    pub files: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = SummaryFormat::Table)]
    pub format: SummaryFormat,

    /// `--format html`: give the N secrets to rotate first a section each (the others get a row
    /// of a table).
    #[arg(long, value_name = "N", default_value_t = crate::report::html::DEFAULT_TOP)]
    pub top: usize,
}

/// Output formats of `logleaks summary`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SummaryFormat {
    /// Aligned columns, the busiest entries first.
    Table,
    /// One JSON object: `schema_version`, `meta` and `secrets`, one per line.
    Json,
    /// A self-contained HTML incident report: headline, what to rotate first, timelines, a
    /// section per top secret (inline charts, no script, never a secret).
    Html,
}

/// Arguments of `logleaks completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Arguments of the hidden `logleaks package-files`.
#[derive(Debug, Args)]
pub struct PackageFilesArgs {
    /// Where to write `man/*.1` and `completions/*` (created when missing).
    #[arg(value_name = "DIR")]
    pub out_dir: PathBuf,
}

/// Arguments of `logleaks rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = RulesFormat::Table)]
    pub format: RulesFormat,

    /// List the custom rules of FILE too (default: `.logleaks.toml` in the current directory, if
    /// present).
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Ignore any configuration file: built-in rules only.
    #[arg(long)]
    pub no_config: bool,
}

/// Output formats of `logleaks rules`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// Aligned columns.
    Table,
    /// A JSON array.
    Json,
}

/// `--log-type`: one of the names of [`crate::logformat::LogType::ALL`], listed in `--help`, or
/// one of their aliases (`nginx` for `combined`).
fn log_type_parser() -> impl clap::builder::TypedValueParser<Value = crate::logformat::LogType> {
    use crate::logformat::LogType;
    use clap::builder::{PossibleValue, TypedValueParser};
    let values = LogType::NAMES.iter().map(|name| {
        LogType::ALIASES
            .iter()
            .filter(|(_, t)| t.name() == *name)
            .fold(PossibleValue::new(*name), |value, (alias, _)| {
                value.alias(*alias)
            })
    });
    clap::builder::PossibleValuesParser::new(values)
        .map(|name: String| LogType::from_name(&name).unwrap_or(LogType::Raw))
}

/// `--partition-slack`: a number and a unit (`s`, `m`, `h`, `d`, `w`).
fn span_parser(text: &str) -> Result<jiff::SignedDuration, String> {
    crate::filter::parse_span(text).ok_or_else(|| {
        format!("`{text}` is not a length of time: write a number and a unit (30m, 12h, 1d)")
    })
}

/// `--poll-interval`: a number with `ms`, `s` or `m` (seconds without a unit), from 10 ms to an
/// hour.
fn parse_interval(text: &str) -> Result<std::time::Duration, String> {
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit() && c != '.') {
        Some(at) => text.split_at(at),
        None => (text, "s"),
    };
    let value: f64 = number
        .parse()
        .map_err(|_| format!("{text}: not a duration (e.g. 1s, 250ms, 2m)"))?;
    let seconds = match unit {
        "ms" => value / 1000.0,
        "s" => value,
        "m" => value * 60.0,
        _ => return Err(format!("{text}: unknown unit {unit:?} (ms, s or m)")),
    };
    if !(0.01..=3600.0).contains(&seconds) {
        return Err(format!("{text}: give 10ms to 60m"));
    }
    Ok(std::time::Duration::from_secs_f64(seconds))
}
