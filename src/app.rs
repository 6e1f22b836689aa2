//! The commands: from parsed arguments to a run of the library and an exit code.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::time::{Duration, Instant};

use std::path::{Path, PathBuf};

use crate::cli::{Cli, Command, FailOn, RulesArgs, RulesFormat, ScanArgs};
use crate::config::RunConfig;
use crate::console::Stdout;
use crate::detect::Detector;
use crate::filter::{self, FindingFilter};
use crate::finding::{Finding, Severity};
use crate::input::{self, WalkOptions};
use crate::report::{self, Report, ReportOptions};
use crate::rules::Rule;
use crate::scan::{self, Notice, ScanOptions, Sink, Summary};

/// Exit code: no finding at or above `--fail-on`.
pub const EXIT_CLEAN: i32 = 0;
/// Exit code: findings at or above `--fail-on`.
pub const EXIT_FINDINGS: i32 = 1;
/// Exit code: usage error, or some input could not be read.
pub const EXIT_ERROR: i32 = 2;

/// Runs a parsed command line; returns the exit code.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Scan(args) => scan_command(args),
        Command::Rules(args) => rules_command(args),
        Command::Inspect(args) => crate::inspect::command(args),
        Command::Summary(args) => summary_command(args),
        Command::Redact(args) => crate::redact::command(args),
        Command::Completions(args) => {
            let mut command = <Cli as clap::CommandFactory>::command();
            let mut script = Vec::new();
            clap_complete::generate(args.shell, &mut command, "logleaks", &mut script);
            write_stdout(&script)
        }
        Command::Man => {
            let command = <Cli as clap::CommandFactory>::command();
            let mut page = Vec::new();
            match clap_mangen::Man::new(command).render(&mut page) {
                Ok(()) => write_stdout(&page),
                Err(e) => {
                    error(format!("man page: {e}"));
                    EXIT_ERROR
                }
            }
        }
        Command::PackageFiles(args) => {
            let command = <Cli as clap::CommandFactory>::command();
            match crate::package_files::write(command, &args.out_dir) {
                Ok(()) => EXIT_CLEAN,
                Err(e) => {
                    error(e);
                    EXIT_ERROR
                }
            }
        }
    }
}

/// Writes `bytes` to stdout; a closed pipe is not an error.
fn write_stdout(bytes: &[u8]) -> i32 {
    match io::stdout().lock().write_all(bytes) {
        Ok(()) => EXIT_CLEAN,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => EXIT_CLEAN,
        Err(e) => {
            error(format!("standard output: {e}"));
            EXIT_ERROR
        }
    }
}

/// Prints one error line on stderr.
fn error(message: impl std::fmt::Display) {
    eprintln!("logleaks: {message}");
}

fn scan_command(args: ScanArgs) -> i32 {
    let started = Instant::now();
    let setup = match ScanSetup::new(&args) {
        Ok(setup) => setup,
        Err(message) => {
            error(message);
            return EXIT_ERROR;
        }
    };
    let stdout = match args.report {
        Some(_) => Stdout::File,
        None => Stdout::detect(),
    };
    if let Some(refusal) = watch_refusal(&args, &setup.paths) {
        error(refusal);
        return EXIT_ERROR;
    }
    let parameters = setup.parameters(&args);
    let mut walk_options = setup.walk_options;
    walk_options.let_go_vanished = args.watch;
    if let Some(path) = &args.report {
        walk_options.own_output(path, "report (--report)");
    }
    if args.hash_inputs && args.format != report::Format::Html {
        error("--hash-inputs records the inputs' SHA-256 in the HTML report: use it with --format html");
        return EXIT_ERROR;
    }
    let problems = match &args.errors_json {
        Some(path) => match File::create(path) {
            Ok(file) => {
                walk_options.own_output(path, "errors file (--errors-json)");
                Some(report::ProblemsWriter::new(BufWriter::new(file)))
            }
            Err(e) => {
                error(format!(
                    "{}: cannot write the errors file (--errors-json): {}",
                    path.display(),
                    input::describe_io_error(&e)
                ));
                return EXIT_ERROR;
            }
        },
        None => None,
    };
    let mut tracker = match &args.state {
        Some(path) => match crate::state::StateFile::load(path) {
            Ok(state) => {
                walk_options.skip_file(path);
                Some(scan::Tracker::new(state))
            }
            Err(e) => {
                error(e);
                return EXIT_ERROR;
            }
        },
        None if args.watch => Some(scan::Tracker::new(crate::state::StateFile::in_memory())),
        None => None,
    };
    let mut walked = input::walk(&setup.paths, &walk_options);
    if let Some(shard) = args.shard {
        let all = count_files(&walked);
        walked = shard.keep(walked);
        eprintln!(
            "logleaks: shard {shard}: {} of {all} listed",
            count_files(&walked)
        );
    }
    if args.list_inputs {
        return list_inputs(&walked, problems);
    }
    let input_hashes = if args.hash_inputs {
        hash_inputs(&walked)
    } else {
        Vec::new()
    };
    let progress = Progress::new(
        &walked,
        !args.no_progress && !args.watch && io::stderr().is_terminal(),
    );
    let out: Box<dyn Write> = match &args.report {
        Some(path) => match File::create(path) {
            Ok(f) => Box::new(BufWriter::with_capacity(256 * 1024, f)),
            Err(e) => {
                error(format!(
                    "{}: cannot write report: {}",
                    path.display(),
                    input::describe_io_error(&e)
                ));
                return EXIT_ERROR;
            }
        },
        // On a terminal the progress bar is cleared while findings are written, and drawn
        // again below them.
        None if stdout == Stdout::Terminal => Box::new(BufWriter::with_capacity(
            256 * 1024,
            progress.around(io::stdout().lock()),
        )),
        None => Box::new(BufWriter::with_capacity(256 * 1024, io::stdout().lock())),
    };
    let report_options = ReportOptions {
        show_secrets: args.show_secrets,
        fingerprint_key: setup.filter.fingerprint_key.clone(),
        color: args.color.enabled(stdout == Stdout::Terminal),
        label: args.label.clone(),
        terminal_width: (stdout == Stdout::Terminal).then(crate::console::terminal_width),
    };
    let context = report::ReportContext {
        rules: setup.detector.rules().to_vec(),
        sarif_root: args.sarif_root.clone(),
        parameters,
        inputs: setup
            .paths
            .iter()
            .map(|p| {
                let name = p.as_os_str().as_encoded_bytes();
                input::masked_name(name).unwrap_or_else(|| name.to_vec())
            })
            .collect(),
        input_hashes,
        top: Some(args.top),
    };
    let mut sink = ReportSink {
        report: report::new_report(args.format, out, report_options, context),
        filter: setup.filter,
        shown: [0; 4],
        progress,
        flush_each: args.line_buffered,
        flush_when_idle: args.line_buffered || args.watch || stdout.is_read_live(),
        live_now: args.now.as_deref() == Some("live"),
        on_the_terminal_of_stderr: stdout == Stdout::Terminal && io::stderr().is_terminal(),
        problems,
        problems_path: args.errors_json.clone(),
        problems_failed: false,
    };
    let options = ScanOptions {
        threads: args
            .threads
            .map_or_else(|| ScanOptions::default().threads, usize::from),
        log_type: args.log_type,
        segment_size: args
            .segment_size
            .unwrap_or(ScanOptions::default().segment_size),
        block_size: args
            .block_size
            .map_or(ScanOptions::default().block_size, |b| {
                b.min(input::MAX_LINE_LEN as u64) as usize
            }),
        max_decompressed: args.max_decompressed_size,
        formats: setup.formats.clone(),
    };
    let scanned = match &mut tracker {
        Some(tracker) if args.watch => {
            let settings = crate::watch::WatchOptions {
                poll_interval: args.poll_interval.unwrap_or(Duration::from_secs(1)),
            };
            let paths = &setup.paths;
            crate::watch::watch(
                paths,
                &walk_options,
                &setup.detector,
                &options,
                tracker,
                &mut sink,
                &settings,
            )
        }
        Some(tracker) => tracker.pass(walked, &setup.detector, &options, &mut sink),
        None => scan::run(walked, &setup.detector, &options, &mut sink),
    };
    let result = scanned.and_then(|summary| {
        sink.progress.finish();
        sink.report.finish()?;
        Ok(summary)
    });
    sink.progress.finish();
    let summary = match result {
        Ok(summary) => summary,
        // The reader of our output has gone (`logleaks scan … | head`): stop quietly.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
            return exit_code(&args.fail_on, sink.shown, 0);
        }
        Err(e) if e.get_ref().is_some_and(|e| e.is::<scan::StateWriteError>()) => {
            error(e);
            return EXIT_ERROR;
        }
        Err(e) => {
            let target = args
                .report
                .as_ref()
                .map_or("standard output".to_string(), |p| p.display().to_string());
            error(format!(
                "{target}: cannot write report: {}",
                input::describe_io_error(&e)
            ));
            return EXIT_ERROR;
        }
    };
    eprintln!(
        "{}",
        closing_line(&summary, sink.shown, started.elapsed().as_secs_f64())
    );
    if let Some(hidden) = hidden_line(&sink.filter.hidden) {
        eprintln!("{hidden}");
    }
    if let Some(note) = unmatched_baseline_note(&sink.filter, sink.shown) {
        eprintln!("{note}");
    }
    let errors = summary.errors + u64::from(sink.problems_failed);
    exit_code(&args.fail_on, sink.shown, errors)
}

/// `scan --list-inputs`: the inputs a scan would read, one JSON object per line on stdout
/// (`{"input", "size"}`), problems on stderr and in `--errors-json`; nothing is read.
fn list_inputs(
    walked: &[input::Walked],
    mut problems: Option<report::ProblemsWriter<BufWriter<File>>>,
) -> i32 {
    #[derive(serde::Serialize)]
    struct Listed {
        input: report::Bytes,
        size: Option<u64>,
    }
    let mut out = BufWriter::new(io::stdout().lock());
    let mut code = EXIT_CLEAN;
    for w in walked {
        let written = match w {
            input::Walked::File(file) => {
                // The names as they are, even one holding a credential: the list is read back
                // (`--files-from`), like the output of `find`.
                let listed = Listed {
                    input: report::Bytes(file.display.clear_bytes().into_owned()),
                    size: file.size,
                };
                serde_json::to_writer(&mut out, &listed)
                    .map_err(io::Error::from)
                    .and_then(|()| out.write_all(b"\n"))
            }
            input::Walked::Skipped(_) => Ok(()),
            input::Walked::Error(e) => {
                code = EXIT_ERROR;
                let name = e.path.as_bytes();
                error(format!("{}: {}", report::display_bytes(&name), e.message));
                if let Some(writer) = &mut problems {
                    if let Err(failed) = writer.problem(&name, &e.message) {
                        error(format!(
                            "cannot write the errors file (--errors-json): {failed}"
                        ));
                        problems = None;
                    }
                }
                Ok(())
            }
        };
        match written {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return code,
            Err(e) => {
                error(format!("standard output: {e}"));
                return EXIT_ERROR;
            }
        }
    }
    match out.flush() {
        Ok(()) => code,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => code,
        Err(e) => {
            error(format!("standard output: {e}"));
            EXIT_ERROR
        }
    }
}

/// The inputs to read among `walked`, as "N files".
fn count_files(walked: &[input::Walked]) -> String {
    let files = walked
        .iter()
        .filter(|w| matches!(w, input::Walked::File(_)))
        .count();
    report::counted(files as u64, "input")
}

/// The SHA-256 of every input file the walk found (`--hash-inputs`), for chain of custody:
/// the bytes on disk, compressed or not; standard input cannot be read twice and is not hashed.
fn hash_inputs(walked: &[input::Walked]) -> Vec<report::html::InputHash> {
    use sha2::{Digest, Sha256};
    walked
        .iter()
        .filter_map(|w| match w {
            input::Walked::File(file) => Some(file),
            _ => None,
        })
        .map(|file| {
            let sha256 = match &file.source {
                input::Source::File(path) => File::open(path)
                    .and_then(|mut f| {
                        let mut hasher = Sha256::new();
                        io::copy(&mut f, &mut hasher)?;
                        Ok(hasher.finalize())
                    })
                    .map(|digest| digest.iter().map(|b| format!("{b:02x}")).collect())
                    .map_err(|e| input::describe_io_error(&e)),
                _ => Err("standard input is read once, so it is not hashed".to_string()),
            };
            report::html::InputHash {
                input: file.display.as_bytes().into_owned(),
                sha256,
            }
        })
        .collect()
}

/// Why `scan --watch` cannot run with these arguments, if it cannot.
fn watch_refusal(args: &ScanArgs, paths: &[PathBuf]) -> Option<String> {
    use report::Format;
    if !args.watch {
        return None;
    }
    if !matches!(args.format, Format::Table | Format::Jsonl) {
        return Some(format!(
            "--watch writes each finding as it comes: use --format table or jsonl (--format {} is written at the end)",
            format!("{:?}", args.format).to_lowercase()
        ));
    }
    if paths.iter().any(|p| p.as_os_str() == "-") {
        return Some(
            "--watch follows files and directories, not standard input (pipe into `logleaks scan --format jsonl` instead)"
                .into(),
        );
    }
    None
}

/// Everything a scan needs that comes from the command line and the config file.
struct ScanSetup {
    paths: Vec<PathBuf>,
    walk_options: WalkOptions,
    detector: std::sync::Arc<Detector>,
    filter: FindingFilter,
    formats: crate::logformat::FormatMap,
    /// The config file in use, if any.
    config_path: Option<PathBuf>,
}

impl ScanSetup {
    fn new(args: &ScanArgs) -> Result<Self, String> {
        let mut paths = args.paths.clone();
        if let Some(list) = &args.files_from {
            let list_is_stdin = list.as_os_str() == "-";
            if list_is_stdin && paths.iter().any(|p| p.as_os_str() == "-") {
                return Err("standard input cannot be both the list of inputs (--files-from -) and an input (-)".into());
            }
            let separator = match args.null {
                true => input::Separator::Nul,
                false => input::Separator::Line,
            };
            let listed = input::read_list(list, separator)?;
            if list_is_stdin && listed.iter().any(|p| p.as_os_str() == "-") {
                return Err("standard input (--files-from -): `-` cannot be listed, standard input holds the list".into());
            }
            if listed.is_empty() && paths.is_empty() {
                return Err(format!(
                    "{}: the list of inputs (--files-from) is empty: nothing to scan",
                    list.display()
                ));
            }
            paths.extend(listed);
        } else if paths.is_empty() {
            if io::stdin().is_terminal() {
                return Err("no input: name files or directories to scan, or pipe a log into logleaks (see `logleaks scan --help`)".into());
            }
            paths.push("-".into());
        }
        let mut walk_options = WalkOptions::new(&args.globs, &args.excludes, args.follow)
            .map_err(|e| format!("invalid glob: {e}"))?;
        walk_options.include_vcs = args.include_vcs;
        walk_options.stdin_name = args.stdin_name.clone();
        let config = RunConfig::load(
            args.config.as_deref(),
            args.no_config,
            args.log_format.as_deref(),
        )?;
        config.messages.iter().for_each(error);
        if let Some(path) = &config.path {
            walk_options.skip_file(path);
        }
        let RunConfig {
            rules,
            allowlist,
            formats,
            path: config_path,
            ..
        } = config;
        let detector = std::sync::Arc::new(Detector::new(rules));
        // The HTML report never shows a secret, even with --show-secrets.
        if !args.show_secrets || args.format == report::Format::Html {
            let names = detector.clone();
            input::mask_names_with(move |name| names.mask_name(name));
        }
        let timezone = args
            .timezone
            .as_deref()
            .map(|name| filter::parse_timezone(name).map_err(|e| format!("--timezone {e}")))
            .transpose()?;
        let now = match &args.now {
            Some(text) if text == "live" && args.watch => jiff::Timestamp::now(),
            Some(text) => filter::parse_time(text, None, timezone.as_ref())
                .map_err(|e| format!("--now: {e}"))?,
            None => jiff::Timestamp::now(),
        };
        let window = |flag: &str, value: &Option<String>| {
            value
                .as_deref()
                .map(|text| {
                    filter::parse_time(text, Some(now), timezone.as_ref())
                        .map_err(|e| format!("{flag}: {e}"))
                })
                .transpose()
        };
        let fingerprint_key = crate::meta::fingerprint_key_from_env();
        let key_id = crate::meta::fingerprint_key_id(fingerprint_key.as_deref());
        let baseline = args
            .baseline
            .as_deref()
            .map(|path| filter::load_baseline(path, &key_id))
            .transpose()?;
        let filter = FindingFilter {
            min_severity: args.min_severity.map(Severity::from),
            min_confidence: Some(args.min_confidence.into()),
            allowlist,
            baseline,
            since: window("--since", &args.since)?,
            until: window("--until", &args.until)?,
            timezone,
            fingerprint_key,
            now: Some(now),
            hidden: Default::default(),
        };
        walk_options.objects = input::ObjectOptions {
            window: (filter.since.is_some() || filter.until.is_some()).then_some(input::Window {
                since: filter.since,
                until: filter.until,
                slack: args.partition_slack,
            }),
            ..args.object_store.options()
        };
        Ok(ScanSetup {
            paths,
            walk_options,
            detector,
            filter,
            formats,
            config_path,
        })
    }

    /// The scan's parameters as outputs record them (SARIF invocation properties): what decides
    /// which findings are reported, never the inputs' names or a secret.
    fn parameters(&self, args: &ScanArgs) -> serde_json::Map<String, serde_json::Value> {
        use serde_json::json;
        let name = |v: &dyn std::fmt::Debug| format!("{v:?}").to_lowercase();
        let path = |p: &Option<PathBuf>| p.as_ref().map(|p| p.display().to_string());
        let mut map = serde_json::Map::new();
        map.insert("format".into(), json!(name(&args.format)));
        map.insert("fail_on".into(), json!(name(&args.fail_on)));
        map.insert(
            "min_severity".into(),
            json!(args.min_severity.map(|s| name(&s))),
        );
        map.insert("min_confidence".into(), json!(name(&args.min_confidence)));
        map.insert("show_secrets".into(), json!(args.show_secrets));
        map.insert("since".into(), json!(args.since));
        map.insert("until".into(), json!(args.until));
        map.insert("timezone".into(), json!(args.timezone));
        map.insert("now".into(), json!(self.filter.now.map(|t| t.to_string())));
        map.insert("log_type".into(), json!(args.log_type.map(|t| t.name())));
        map.insert("log_format".into(), json!(args.log_format));
        map.insert("globs".into(), json!(args.globs));
        map.insert("excludes".into(), json!(args.excludes));
        map.insert("follow".into(), json!(args.follow));
        map.insert("include_vcs".into(), json!(args.include_vcs));
        map.insert("baseline".into(), json!(path(&args.baseline)));
        map.insert("config".into(), json!(path(&self.config_path)));
        map.insert("label".into(), json!(args.label));
        map.insert(
            "max_decompressed_size".into(),
            json!(args.max_decompressed_size),
        );
        map
    }
}

/// Says what the filters hid, if anything.
fn hidden_line(hidden: &filter::Hidden) -> Option<String> {
    let parts: Vec<String> = [
        (hidden.in_baseline, "in the baseline"),
        (hidden.allowlisted, "allowlisted by the config"),
        (hidden.outside_window, "outside --since/--until"),
        (
            hidden.without_time,
            "on lines without a timestamp, left out of the time window",
        ),
        (hidden.below_min_severity, "below --min-severity"),
        (hidden.below_min_confidence, "below --min-confidence"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, why)| format!("{n} {why}"))
    .collect();
    (!parts.is_empty()).then(|| format!("logleaks: hidden findings: {}", parts.join(", ")))
}

/// Says when a baseline hid none of the findings shown: the sign of a baseline made with another
/// fingerprint key before key ids were recorded (a recorded other key is refused up front).
fn unmatched_baseline_note(filter: &FindingFilter, shown: [u64; 4]) -> Option<String> {
    let known = filter.baseline.as_ref().map_or(0, |b| b.len());
    let unmatched = known > 0 && filter.hidden.in_baseline == 0 && shown.iter().sum::<u64>() > 0;
    unmatched.then(|| {
        format!(
            "logleaks: note: the baseline matched none of the findings; a baseline made with another {} never matches",
            crate::meta::KEY_VARIABLE
        )
    })
}

/// A progress bar on stderr, only on a terminal.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
}

impl Progress {
    fn new(walked: &[input::Walked], enabled: bool) -> Self {
        if !enabled {
            return Progress { bar: None };
        }
        let total: u64 = walked
            .iter()
            .map(|w| match w {
                input::Walked::File(f) => f.size.unwrap_or(0),
                _ => 0,
            })
            .sum();
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(total),
            indicatif::ProgressDrawTarget::stderr(),
        );
        let style = indicatif::ProgressStyle::with_template(
            "{bar:30} {bytes}/{total_bytes} {bytes_per_sec} ETA {eta} {msg}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
        bar.set_style(style);
        Progress { bar: Some(bar) }
    }

    fn advance(&self, bytes: u64, files: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(bytes);
            if files > 0 {
                bar.set_message(report::counted(files, "file"));
            }
        }
    }

    /// Runs `write` with the bar cleared from the terminal, then draws it again below what was
    /// written, so that no bar line is left among findings or messages.
    fn suspend<R>(&self, write: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) => bar.suspend(write),
            None => write(),
        }
    }

    /// `terminal` (standard output on the bar's terminal), written with the bar cleared.
    fn around<W: Write>(&self, terminal: W) -> BelowTheBar<W> {
        BelowTheBar {
            bar: self.bar.clone(),
            terminal,
        }
    }

    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

/// A writer to the terminal the progress bar is on: every write clears the bar first and draws
/// it again after, below the new text.
struct BelowTheBar<W> {
    bar: Option<indicatif::ProgressBar>,
    terminal: W,
}

impl<W: Write> Write for BelowTheBar<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let terminal = &mut self.terminal;
        let mut write = || terminal.write_all(buf).and_then(|()| terminal.flush());
        match self.bar.as_ref().filter(|bar| !bar.is_finished()) {
            Some(bar) => bar.suspend(write)?,
            None => write()?,
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.terminal.flush()
    }
}

fn exit_code(fail_on: &FailOn, shown: [u64; 4], errors: u64) -> i32 {
    if errors > 0 {
        return EXIT_ERROR;
    }
    let threshold = match fail_on {
        FailOn::Never => return EXIT_CLEAN,
        FailOn::Low => Severity::Low,
        FailOn::Medium => Severity::Medium,
        FailOn::High => Severity::High,
        FailOn::Critical => Severity::Critical,
    };
    let failing: u64 = Severity::ALL
        .iter()
        .zip(shown)
        .filter(|(s, _)| **s >= threshold)
        .map(|(_, n)| n)
        .sum();
    if failing > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

/// The closing summary line.
fn closing_line(summary: &Summary, shown: [u64; 4], seconds: f64) -> String {
    let total: u64 = shown.iter().sum();
    let by_severity: Vec<String> = Severity::ALL
        .iter()
        .rev()
        .map(|s| format!("{} {}", shown[*s as usize], s.as_str()))
        .collect();
    let mut line = format!(
        "logleaks: {} ({}) in {}",
        report::counted(total, "finding"),
        by_severity.join(", "),
        report::counted(summary.files_scanned, "file"),
    );
    if summary.files_skipped > 0 {
        line.push_str(&format!(
            " ({} skipped: not text logs)",
            summary.files_skipped
        ));
    }
    line.push_str(&format!(
        "; {}, {:.1} MB in {:.2} s",
        report::counted(summary.lines, "line"),
        summary.bytes as f64 / 1e6,
        seconds
    ));
    if summary.errors > 0 {
        line.push_str(&format!(
            "; {} (see above)",
            report::counted(summary.errors, "error")
        ));
    }
    line
}

/// Hands findings to the report (through the filters) and notices to stderr.
struct ReportSink<'w> {
    report: Box<dyn Report + 'w>,
    filter: FindingFilter,
    shown: [u64; 4],
    progress: Progress,
    /// `--line-buffered`: flush after every finding.
    flush_each: bool,
    /// Flush whenever the scan waits, so that a reader sees each finding as soon as everything
    /// before it is done (a pipe or a terminal, or `--line-buffered`).
    flush_when_idle: bool,
    /// Findings go to the terminal that stderr shows too.
    on_the_terminal_of_stderr: bool,
    /// `--now live`: expiry facts against the clock when each finding is reported.
    live_now: bool,
    /// `--errors-json`: where input problems are also written.
    problems: Option<report::ProblemsWriter<BufWriter<File>>>,
    /// The path of `--errors-json`, for messages.
    problems_path: Option<PathBuf>,
    /// Writing to `--errors-json` failed (said on stderr once); the run exits with 2.
    problems_failed: bool,
}

impl Sink for ReportSink<'_> {
    fn finding(&mut self, mut finding: Finding) -> io::Result<()> {
        if self.live_now {
            self.filter.now = Some(jiff::Timestamp::now());
        }
        if !self.filter.keep(&mut finding) {
            return Ok(());
        }
        self.shown[finding.severity as usize] += 1;
        self.report.finding(&finding)?;
        if self.flush_each {
            self.report.flush()?;
        }
        Ok(())
    }

    fn progress(&mut self, bytes: u64, files: u64) {
        self.progress.advance(bytes, files);
    }

    fn flush(&mut self) -> io::Result<()> {
        self.report.flush()
    }

    fn idle(&mut self) -> io::Result<()> {
        if self.flush_when_idle {
            self.report.flush()?;
        }
        Ok(())
    }

    fn notice(&mut self, notice: &Notice) {
        if let Notice::Error { path, message } = notice {
            let shown = report::display_bytes(&path.as_bytes());
            self.report.input_problem(&shown, message);
            self.record_problem(&path.as_bytes(), message);
        }
        let silent = matches!(
            notice,
            Notice::Skipped {
                explicit: false,
                ..
            }
        );
        if silent {
            return;
        }
        if self.on_the_terminal_of_stderr {
            // The findings before the notice come before it on the screen too. A failure to
            // write them shows at the next write.
            let _ = self.report.flush();
        }
        self.progress.suspend(|| print_notice(notice));
    }
}

impl ReportSink<'_> {
    /// Writes an input problem to `--errors-json`; a failure to write is said once, and the
    /// file is not written to again.
    fn record_problem(&mut self, input: &[u8], message: &str) {
        let Some(problems) = &mut self.problems else {
            return;
        };
        if let Err(e) = problems.problem(input, message) {
            self.problems = None;
            self.problems_failed = true;
            let path = self.problems_path.as_deref().unwrap_or(Path::new("-"));
            error(format!(
                "{}: cannot write the errors file (--errors-json): {}",
                path.display(),
                input::describe_io_error(&e)
            ));
        }
    }
}

/// Writes a notice on stderr.
fn print_notice(notice: &Notice) {
    match notice {
        Notice::Error { path, message } => error(format!(
            "{}: {message}",
            report::display_bytes(&path.as_bytes())
        )),
        Notice::Skipped {
            path,
            reason,
            explicit: true,
        } => error(format!(
            "{}: skipped: {reason}",
            report::display_bytes(&path.as_bytes())
        )),
        Notice::Skipped {
            explicit: false, ..
        } => {}
        Notice::Note { path, message } => error(format!(
            "{}: note: {message}",
            report::display_bytes(&path.as_bytes())
        )),
    }
}

fn rules_command(args: RulesArgs) -> i32 {
    // The rules a scan in the same place would use: the built-in ones, then the config's.
    let config = match RunConfig::load(args.config.as_deref(), args.no_config, None) {
        Ok(config) => config,
        Err(message) => {
            error(message);
            return EXIT_ERROR;
        }
    };
    config.messages.iter().for_each(error);
    let builtin = crate::rules::builtin().len();
    let rules = &config.rules;
    let mut out = BufWriter::new(io::stdout().lock());
    let result = match args.format {
        RulesFormat::Table => write_rules_table(&mut out, rules),
        RulesFormat::Json => write_rules_json(&mut out, rules, builtin),
    }
    .and_then(|()| out.flush());
    match result {
        Ok(()) => EXIT_CLEAN,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => EXIT_CLEAN,
        Err(e) => {
            error(format!("standard output: {e}"));
            EXIT_ERROR
        }
    }
}

fn write_rules_table(out: &mut impl Write, rules: &[&Rule]) -> io::Result<()> {
    let width = rules.iter().map(|r| r.id.len()).max().unwrap_or(2);
    let vendor_width = rules
        .iter()
        .map(|r| r.vendor.map_or(1, str::len))
        .max()
        .unwrap_or(6)
        .max(6);
    writeln!(
        out,
        "{:<width$}  {:<12}  {:<8}  {:<vendor_width$}  DESCRIPTION",
        "ID", "KIND", "SEVERITY", "VENDOR"
    )?;
    for rule in rules {
        writeln!(
            out,
            "{:<width$}  {:<12}  {:<8}  {:<vendor_width$}  {}",
            rule.id,
            rule.kind.as_str(),
            rule.severity.as_str(),
            rule.vendor.unwrap_or("-"),
            rule.description
        )?;
    }
    Ok(())
}

/// The rules as JSON; the first `builtin` are built in, the others come from the config.
fn write_rules_json(out: &mut impl Write, rules: &[&Rule], builtin: usize) -> io::Result<()> {
    let list: Vec<serde_json::Value> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| {
            serde_json::json!({
                "id": r.id,
                "source": if i < builtin { "builtin" } else { "config" },
                "kind": r.kind.as_str(),
                "severity": r.severity.as_str(),
                "vendor": r.vendor,
                "description": r.description,
                "rotate": r.rotate,
                "cwe": r.cwe,
                "references": r.references,
                "notes": r.notes,
            })
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &list)?;
    writeln!(out)
}

fn summary_command(args: crate::cli::SummaryArgs) -> i32 {
    // Findings carry their files' names as the scan showed them; the HTML page never shows a
    // secret, so it masks those made with --show-secrets.
    if args.format == crate::cli::SummaryFormat::Html {
        let names = Detector::builtin();
        input::mask_names_with(move |name| names.mask_name(name));
    }
    let mut out = BufWriter::new(io::stdout().lock());
    let write = |summary: &crate::summary::Summary,
                 problems: &[crate::summary::InputProblem],
                 out: &mut dyn Write| match args.format {
        crate::cli::SummaryFormat::Table => crate::summary::write_table(summary, out, false),
        crate::cli::SummaryFormat::Json => summary.write_json(out),
        crate::cli::SummaryFormat::Html => {
            let run = report::html::RunFacts {
                command: "summary",
                inputs: args
                    .files
                    .iter()
                    .map(|f| f.as_os_str().as_encoded_bytes().to_vec())
                    .collect(),
                problems: problems.iter().map(ToString::to_string).collect(),
                ..Default::default()
            };
            report::html::write_page(summary, &run, args.top, out)
        }
    };
    let result = crate::summary::run(&args.files, &mut out, &write)
        .and_then(|()| out.flush().map_err(Into::into));
    match result {
        Ok(()) => EXIT_CLEAN,
        // The reader of our output has gone (`logleaks summary … | head`): stop quietly.
        Err(crate::summary::SummaryError::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => {
            EXIT_CLEAN
        }
        Err(e) if !e.problems().is_empty() => {
            for problem in e.problems() {
                error(problem);
            }
            EXIT_ERROR
        }
        Err(e) => {
            error(e);
            EXIT_ERROR
        }
    }
}
