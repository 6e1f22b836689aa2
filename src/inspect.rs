//! `logleaks inspect`: what logleaks makes of each file — its compression, the format detected
//! (or chosen), how many lines it has and how many of them were recognised in that format, and
//! the first line that was not.
//!
//! Files are read by the same line searcher as `scan` ([`crate::search`]), with the line counter
//! as its sink, so both agree on the format and on every line. A line counts as recognised when
//! `scan` reads it as a record: in the file's own format with all of that format's required
//! fields, or in another known format (a JSON line in an access log); not when it is read as
//! text (no known shape, or only a syslog or container wrapper around text). Blank lines and `#`
//! comment lines that the format does not define are counted apart (`blank`) and are not "first
//! unrecognised". Nothing here looks for credentials.

use std::convert::Infallible;
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::ops::ControlFlow;
use std::path::PathBuf;

use serde::Serialize;

use crate::cli::{InspectArgs, InspectFormat};
use crate::input::{
    self, sniff_compression, DisplayPath, InputFile, Member, MemberContent, ReadError, Source,
    WalkOptions, Walked,
};
use crate::logformat::{FormatChoice, FormatMap, LogType, Parser, Reading};
use crate::printable::Bytes;
use crate::search::{self, LineSink, Lines, Matched, Searched, StreamSettings};

/// What logleaks makes of one file (or archive member).
#[derive(Clone, Debug, Serialize)]
pub struct FileReport {
    /// The path as given or found.
    pub file: Bytes,
    /// The compression found by magic bytes (`none`, `gzip`, …).
    pub compression: &'static str,
    /// The format its lines are read as (`null` when it was not read).
    pub format: Option<String>,
    /// The wrapper around every line (`syslog`, `cri`, `docker`, `compose`), if any.
    pub wrapper: Option<&'static str>,
    /// Lines (as `scan` counts them).
    pub lines: u64,
    /// Lines read as records: in the format, or in another known format.
    pub recognized: u64,
    /// Of those, lines read in another known format than the file's.
    pub other_format: u64,
    /// Blank lines and `#` comment lines outside the format.
    pub blank: u64,
    /// The first line (1-based) that is neither recognised nor blank or a comment.
    pub first_unrecognized: Option<u64>,
    /// Why the file was skipped or not fully read, if it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl FileReport {
    fn new(path: &DisplayPath, compression: &'static str) -> Self {
        FileReport {
            file: Bytes(path.as_bytes().into_owned()),
            compression,
            format: None,
            wrapper: None,
            lines: 0,
            recognized: 0,
            other_format: 0,
            blank: 0,
            first_unrecognized: None,
            note: None,
        }
    }
}

/// Counts of one stream of lines in one format.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineCounts {
    /// Lines.
    pub lines: u64,
    /// Lines recognised (read as records).
    pub recognized: u64,
    /// Of those, lines read in another known format.
    pub other_format: u64,
    /// Blank and comment lines not recognised.
    pub blank: u64,
    /// The first other line.
    pub first_unrecognized: Option<u64>,
}

/// The line counter: the sink of `inspect`, shown every line of a stream and no detection.
#[derive(Debug, Default)]
struct LineCounter {
    counts: LineCounts,
    /// The stream's format, once the searcher has chosen it.
    parser: Option<Parser>,
}

impl LineSink for LineCounter {
    type Error = Infallible;
    const LINES: Lines = Lines::Every;
    const DETECT: bool = false;
    const PASSTHRU: bool = false;

    fn begin(&mut self, parser: &Parser) -> Result<(), Infallible> {
        self.parser = Some(parser.clone());
        Ok(())
    }

    fn matched(&mut self, line: &mut Matched<'_, '_>) -> Result<(), Infallible> {
        let counts = &mut self.counts;
        counts.lines = line.number;
        match line.reading {
            Reading::Own => {
                counts.recognized += 1;
                return Ok(());
            }
            Reading::Other => {
                counts.recognized += 1;
                counts.other_format += 1;
                return Ok(());
            }
            Reading::Text => {}
        }
        let trimmed = line.line.trim_ascii();
        if trimmed.is_empty() || trimmed.starts_with(b"#") || line.line.iter().all(|&b| b == 0) {
            counts.blank += 1;
        } else if counts.first_unrecognized.is_none() {
            counts.first_unrecognized = Some(line.number);
        }
        Ok(())
    }
}

/// How to choose each file's format.
#[derive(Clone, Debug, Default)]
pub struct InspectOptions {
    /// `--log-type` for every file.
    pub log_type: Option<LogType>,
    /// `--log-format` and `[[formats]]`.
    pub formats: FormatMap,
}

impl InspectOptions {
    fn choice(&self, input: &InputFile) -> Option<FormatChoice> {
        search::format_choice(self.log_type, &self.formats, input.display.path())
    }
}

/// Inspects every walked input, in order; also returns the problems met (path: message).
pub fn inspect(walked: Vec<Walked>, options: &InspectOptions) -> (Vec<FileReport>, Vec<String>) {
    let mut reports = Vec::new();
    let mut problems = Vec::new();
    for item in walked {
        match item {
            Walked::File(input) => inspect_input(&input, options, &mut reports, &mut problems),
            Walked::Skipped(_) => {}
            Walked::Error(e) => problems.push(e.to_string()),
        }
    }
    (reports, problems)
}

/// The compression of a file on disk or an object from its first bytes (`none` for standard
/// input, which is not read twice).
fn compression_of(input: &InputFile) -> &'static str {
    let path = match &input.source {
        Source::File(path) => path,
        Source::Stdin => return "none",
        // The start of the object, fetched once more (what is read stops when it is dropped).
        #[cfg(feature = "object-storage")]
        Source::Object(_) => return input::open(input).map_or("none", |o| o.compression.name()),
    };
    let mut head = [0u8; 8];
    let n = std::fs::File::open(path)
        .and_then(|f| f.take(8).read(&mut head))
        .unwrap_or(0);
    sniff_compression(&head[..n]).name()
}

fn inspect_input(
    input: &InputFile,
    options: &InspectOptions,
    reports: &mut Vec<FileReport>,
    problems: &mut Vec<String>,
) {
    let compression = compression_of(input);
    let read_options = input::ReadOptions::default();
    let result = input::read_input(input, &read_options, &mut |member| {
        inspect_member(member, compression, options, reports, problems)
    });
    match result {
        Ok(()) => {}
        Err(ReadError::Open(e)) => {
            problems.push(format!(
                "{}: {}",
                input.display,
                input::describe_io_error(&e)
            ));
        }
        Err(ReadError::Archive(message)) => problems.push(format!("{}: {message}", input.display)),
    }
}

fn inspect_member(
    member: Member<'_>,
    compression: &'static str,
    options: &InspectOptions,
    reports: &mut Vec<FileReport>,
    problems: &mut Vec<String>,
) -> ControlFlow<()> {
    let input = &member.input;
    let mut report = FileReport::new(&input.display, compression);
    let reader = match member.content {
        MemberContent::Readable(reader) => reader,
        MemberContent::Blocks(pump) => Box::new(pump.into_reader()),
        MemberContent::NotRead(reason) => {
            report.note = Some(format!("skipped: {reason}"));
            reports.push(report);
            return ControlFlow::Continue(());
        }
        MemberContent::Unreadable(message) => {
            problems.push(format!("{}: {message}", input.display));
            report.note = Some(message);
            reports.push(report);
            return ControlFlow::Continue(());
        }
    };
    let choice = options.choice(input);
    let settings = StreamSettings::new(None, choice.as_ref());
    let mut counter = LineCounter::default();
    let Ok(searched) = search::search_reader(reader, &settings, &mut counter);
    let mut flow = ControlFlow::Continue(());
    match searched {
        Searched::NotText(what) => report.note = Some(format!("skipped: not a text log ({what})")),
        Searched::Archive(kind) => {
            report.note = Some(format!("skipped: a {} archive", kind.name()))
        }
        Searched::Read(read) => {
            if let Some(e) = &read.error {
                let problem = input::read_problem(e, read.lines);
                problems.push(format!("{}: {}", input.display, problem.message));
                report.note = Some(problem.message);
                if problem.ends_input {
                    flow = ControlFlow::Break(());
                }
            }
            report.lines = read.lines;
        }
    }
    match &counter.parser {
        Some(parser) => {
            report.format = Some(parser.log_type().name().to_string());
            report.wrapper = parser.wrapper().map(|w| w.log_type().name());
        }
        // An empty input.
        None if report.note.is_none() => report.format = Some(LogType::Raw.name().to_string()),
        None => {}
    }
    report.recognized = counter.counts.recognized;
    report.other_format = counter.counts.other_format;
    report.blank = counter.counts.blank;
    report.first_unrecognized = counter.counts.first_unrecognized;
    reports.push(report);
    flow
}

/// Writes the reports as aligned columns.
pub fn write_table(out: &mut impl Write, reports: &[FileReport]) -> io::Result<()> {
    let names: Vec<String> = reports.iter().map(|r| r.file.to_display()).collect();
    let width = names
        .iter()
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    let format_of = |r: &FileReport| match (&r.format, r.wrapper) {
        (Some(f), Some(w)) if f != w => format!("{f} ({w})"),
        (Some(f), _) => f.clone(),
        (None, _) => "-".to_string(),
    };
    let format_width = reports
        .iter()
        .map(|r| format_of(r).len())
        .max()
        .unwrap_or(6)
        .max(6);
    writeln!(
        out,
        "{:<width$}  {:<11}  {:<format_width$}  {:>9}  {:>10}  {:>6}  {:>7}  {:>7}  FIRST UNRECOGNIZED",
        "FILE", "COMPRESSION", "FORMAT", "LINES", "RECOGNIZED", "%", "OTHER", "BLANK"
    )?;
    for (r, name) in reports.iter().zip(&names) {
        let percent = match r.lines.checked_sub(r.blank) {
            Some(0) | None => "-".to_string(),
            Some(n) => format!("{:.1}", 100.0 * r.recognized as f64 / n as f64),
        };
        let first = match (&r.note, r.first_unrecognized) {
            (Some(note), _) => note.clone(),
            (None, Some(line)) => line.to_string(),
            (None, None) => "-".to_string(),
        };
        writeln!(
            out,
            "{name:<width$}  {:<11}  {:<format_width$}  {:>9}  {:>10}  {percent:>6}  {:>7}  {:>7}  {first}",
            r.compression,
            format_of(r),
            r.lines,
            r.recognized,
            r.other_format,
            r.blank,
        )?;
    }
    Ok(())
}

/// Runs `logleaks inspect`; returns the exit code (2 when some input could not be read).
pub fn command(args: InspectArgs) -> i32 {
    match run(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("logleaks: {message}");
            crate::app::EXIT_ERROR
        }
    }
}

fn run(args: &InspectArgs) -> Result<i32, String> {
    let mut paths: Vec<PathBuf> = args.paths.clone();
    if paths.is_empty() {
        if io::stdin().is_terminal() {
            return Err("no input: name files or directories to inspect, or pipe a log into logleaks (see `logleaks inspect --help`)".into());
        }
        paths.push("-".into());
    }
    let builtin: Vec<&'static crate::rules::Rule> = crate::rules::builtin().iter().collect();
    let names = crate::detect::Detector::new(builtin.clone());
    input::mask_names_with(move |name| names.mask_name(name));
    let config = crate::config::discover(args.config.as_deref(), args.no_config, &builtin)
        .map_err(|e| e.to_string())?;
    let rules = config.map(|c| c.formats).unwrap_or_default();
    let options = InspectOptions {
        log_type: args.log_type,
        formats: FormatMap::from_options(args.log_format.as_deref(), rules)?,
    };
    let walk_options = WalkOptions {
        objects: args.object_store.options(),
        ..WalkOptions::default()
    };
    let walked = input::walk(&paths, &walk_options);
    let (reports, problems) = inspect(walked, &options);
    for problem in &problems {
        eprintln!("logleaks: {problem}");
    }
    let mut out = BufWriter::new(io::stdout().lock());
    let written = match args.format {
        InspectFormat::Table => write_table(&mut out, &reports),
        InspectFormat::Json => serde_json::to_writer_pretty(&mut out, &reports)
            .map_err(io::Error::from)
            .and_then(|()| writeln!(out)),
    }
    .and_then(|()| out.flush());
    match written {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        Err(e) => return Err(format!("standard output: {e}")),
    }
    Ok(if problems.is_empty() {
        crate::app::EXIT_CLEAN
    } else {
        crate::app::EXIT_ERROR
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(text: &str) -> (String, LineCounts) {
        let mut counter = LineCounter::default();
        let settings = StreamSettings::new(None, None);
        let Ok(searched) =
            search::search_reader(Box::new(text.as_bytes()), &settings, &mut counter);
        let Searched::Read(read) = searched else {
            panic!("not read: {searched:?}");
        };
        let mut counts = counter.counts;
        counts.lines = read.lines;
        (counter.parser.unwrap().describe(), counts)
    }

    #[test]
    fn recognised_lines_and_the_first_other_one() {
        let line = r#"203.0.113.9 - - [27/Nov/2026:10:00:00 +0000] "GET /a HTTP/1.1" 200 12 "-" "curl/8.0""#;
        let text = format!("{line}\n# comment\n\n{line}\r\nnot a log line\n{line}");
        let (format, c) = counts(&text);
        assert_eq!(format, "combined");
        assert_eq!(
            c,
            LineCounts {
                lines: 6,
                recognized: 3,
                other_format: 0,
                blank: 2,
                first_unrecognized: Some(5),
            }
        );
    }

    #[test]
    fn lines_read_in_another_format_are_recognised_as_such() {
        let line = r#"203.0.113.9 - - [27/Nov/2026:10:00:00 +0000] "GET /a HTTP/1.1" 200 12 "-" "curl/8.0""#;
        let json = r#"{"remote_addr":"203.0.113.9","request":"GET /b?x=1 HTTP/1.1","status":200}"#;
        let text = format!("{line}\n{json}\n{line}\nfree text\n");
        let (format, c) = counts(&text);
        assert_eq!(format, "combined");
        assert_eq!((c.recognized, c.other_format), (3, 1));
        assert_eq!(c.first_unrecognized, Some(4));
    }

    #[test]
    fn w3c_directives_are_part_of_the_format() {
        let text = "#Software: Microsoft Internet Information Services 10.0\n#Fields: date time c-ip cs-method cs-uri-stem sc-status\n2026-11-27 10:00:00 192.0.2.1 GET /a 200\n";
        let (format, c) = counts(text);
        assert_eq!(format, "iis");
        assert_eq!(c.recognized, 3);
    }

    #[test]
    fn wrapped_lines_count_when_their_content_has_the_format() {
        let text = "Nov 27 10:00:00 lb haproxy[7]: 192.0.2.7:55032 [27/Nov/2026:10:00:00.885] f b/s 0/0/0/1/1 200 1 - - ---- 1/1/1/1/0 0/0 \"GET / HTTP/1.1\"\nNov 27 10:00:00 lb haproxy[7]: Proxy f started.\n";
        let (format, c) = counts(text);
        assert_eq!(format, "haproxy in syslog");
        assert_eq!(c.recognized, 1);
        assert_eq!(c.first_unrecognized, Some(2));
    }
}
