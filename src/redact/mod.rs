//! `logleaks redact`: write logs back with every credential that `scan` finds masked, and every
//! other byte exactly as it was.
//!
//! Each input is read once, sequentially (output order is line order), while inputs are redacted
//! in parallel. Lines flow [`stream`] (the masking writer, fed by the line searcher of
//! [`crate::search`]) → [`line`] (mask what was found, scan again) →
//! [`encode`] (the input's compression) → [`write`] (standard output, or a temporary file renamed
//! into place). [`report`] says what was masked, with fingerprints, never secrets; `command`
//! is the command line's way in.

mod command;
pub mod encode;
pub mod line;
pub mod mask;
pub mod report;
pub mod stream;
pub mod write;

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::config::Allowlist;
use crate::detect::Detector;
use crate::input::{self, describe_io_error, DisplayPath, InputFile, Source, Walked};
use crate::logformat::{FormatMap, LogType};

pub use command::command;
pub use line::{SecretTally, Tally};
pub use mask::Mask;
pub use stream::{redact_stream, Flush, StreamError, Streamed};

/// Exit code: every input was redacted.
const EXIT_OK: i32 = 0;
/// Exit code: a usage error, or some input could not be redacted.
const EXIT_ERROR: i32 = 2;
/// Exit code: standard output was closed before the end, as for a process ended by SIGPIPE
/// (128 + 13), so that `set -o pipefail` sees the output is incomplete.
const EXIT_OUTPUT_CLOSED: i32 = 141;

/// What a redaction needs besides the input: rules, allowlist, mask, formats.
#[derive(Debug)]
pub struct Redactor {
    /// The rules, built-in and configured.
    pub detector: std::sync::Arc<Detector>,
    /// Findings the config accepts: they are left as they are.
    pub allowlist: Option<Allowlist>,
    /// Key of fingerprints (`LOGLEAKS_FINGERPRINT_KEY`).
    pub fingerprint_key: Option<Vec<u8>>,
    /// What replaces each credential.
    pub mask: Mask,
    /// Read every input as this type instead of detecting it.
    pub log_type: Option<LogType>,
    /// Formats chosen per file (`--log-format`, `[[formats]]`).
    pub formats: FormatMap,
    /// Stop decompressing an input after this many bytes (`--max-decompressed-size`).
    pub max_decompressed: Option<u64>,
}

impl Redactor {
    /// A redactor with the built-in rules, no allowlist and `mask`.
    pub fn builtin(mask: Mask) -> Self {
        Redactor {
            detector: std::sync::Arc::new(Detector::builtin()),
            allowlist: None,
            fingerprint_key: None,
            mask,
            log_type: None,
            formats: FormatMap::default(),
            max_decompressed: None,
        }
    }
}

/// Where redacted inputs go.
#[derive(Clone, Debug)]
pub enum Target {
    /// Standard output (a single input), flushed as `flush` says.
    Stdout {
        /// When redacted lines are pushed out: at once into a pipe or onto a terminal (or with
        /// `--line-buffered`), in large writes into a file.
        flush: Flush,
    },
    /// The same relative path under a directory.
    Directory {
        /// The directory.
        dir: PathBuf,
        /// Give the copies the current time instead of the originals' (`--touch`).
        touch: bool,
    },
    /// Over the input itself.
    InPlace {
        /// Keep the original with this suffix added to its name.
        backup: Option<String>,
        /// Replace a backup left by an earlier run (otherwise the input is left untouched).
        overwrite_backup: bool,
        /// Rewrite files with several hard links too.
        force: bool,
        /// Give rewritten files the current time instead of their own (`--touch`).
        touch: bool,
    },
}

/// What became of one input.
#[derive(Debug)]
pub struct FileOutcome {
    /// The input, as named or found.
    pub file: DisplayPath,
    /// Where its redacted copy was written (for `--output`).
    pub output: Option<PathBuf>,
    /// Redacted, skipped as not text, or the error that stopped it.
    pub result: Result<Streamed, String>,
    /// What is worth knowing besides, e.g. an owner that could not be kept.
    pub notes: Vec<String>,
    /// True when standard output was closed before the end (`logleaks redact … | head`): what
    /// was written is the redacted start of the input, and the counts are unknown.
    pub output_closed: bool,
}

/// What a redacted input became.
struct Done {
    streamed: Streamed,
    output: Option<PathBuf>,
    notes: Vec<String>,
    output_closed: bool,
}

impl Done {
    fn new(streamed: Streamed) -> Self {
        Done {
            streamed,
            output: None,
            notes: Vec::new(),
            output_closed: false,
        }
    }
}

impl FileOutcome {
    fn error(file: DisplayPath, message: impl Into<String>) -> Self {
        FileOutcome {
            file,
            output: None,
            result: Err(message.into()),
            notes: Vec::new(),
            output_closed: false,
        }
    }
}

/// Redacts every walked input to `target`, `threads` inputs at a time; outcomes in input order.
pub fn run(
    walked: Vec<Walked>,
    redactor: &Redactor,
    target: &Target,
    threads: usize,
) -> Vec<FileOutcome> {
    let job = |item: Walked| match item {
        Walked::File(input) => redact_input(&input, redactor, target),
        Walked::Skipped(skip) => FileOutcome {
            file: skip.path,
            output: None,
            result: Ok(Streamed::NotText(skip.what)),
            notes: Vec::new(),
            output_closed: false,
        },
        Walked::Error(e) => FileOutcome::error(e.path, e.message),
    };
    match rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .thread_name(|i| format!("logleaks-redact-{i}"))
        .build()
    {
        Ok(pool) => pool.install(|| walked.into_par_iter().map(job).collect()),
        Err(_) => walked.into_iter().map(job).collect(),
    }
}

/// Redacts one input to `target`.
pub fn redact_input(input: &InputFile, redactor: &Redactor, target: &Target) -> FileOutcome {
    let file = input.display.clone();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match target {
        Target::Stdout { flush } => to_stdout(input, redactor, *flush),
        Target::Directory { dir, touch } => to_directory(input, redactor, dir, *touch),
        Target::InPlace {
            backup,
            overwrite_backup,
            force,
            touch,
        } => in_place(
            input,
            redactor,
            &InPlaceOptions {
                backup: backup.as_deref(),
                overwrite_backup: *overwrite_backup,
                force: *force,
                touch: *touch,
            },
        ),
    }));
    match result {
        Ok(Ok(done)) => FileOutcome {
            file,
            output: done.output,
            result: Ok(done.streamed),
            notes: done.notes,
            output_closed: done.output_closed,
        },
        Ok(Err(message)) => FileOutcome::error(file, message),
        Err(_) => FileOutcome::error(
            file,
            "internal error while redacting; nothing was replaced (please report it)",
        ),
    }
}

/// Redacts one input to standard output. A pipe, FIFO or terminal is read live, so that with
/// [`Flush::EachBlock`] each line goes out as soon as it has come and is masked.
fn to_stdout(input: &InputFile, redactor: &Redactor, flush: Flush) -> Result<Done, String> {
    let opened = input::open_live(input)
        .map(|opened| opened.limited(redactor.max_decompressed))
        .map_err(|e| open_error(input, &e))?;
    let mut out = encode::Encoder::new(
        opened.compression,
        BufWriter::with_capacity(256 * 1024, io::stdout()),
    )
    .map_err(|e| format!("standard output: {}", describe_io_error(&e)))?;
    let streamed =
        stream::redact_stream_flushed(redactor, &input.display, opened.reader, &mut out, flush);
    if let Ok(Streamed::NotText(what)) = streamed {
        // Nothing at all is written: not even the frame of an empty compressed stream, which
        // an encoder writes when it is finished or dropped.
        std::mem::forget(out);
        return Err(format!("not a text log ({what}); nothing was written"));
    }
    let finished = out.finish().and_then(|mut w| w.flush());
    match (streamed, finished) {
        (Err(StreamError::Write(e)), _) | (Ok(_), Err(e))
            if e.kind() == io::ErrorKind::BrokenPipe =>
        {
            // The reader of our output has gone (`logleaks redact … | head`).
            Ok(Done {
                output_closed: true,
                ..Done::new(Streamed::Redacted(Tally::default()))
            })
        }
        (Ok(streamed), Ok(())) => Ok(Done::new(streamed)),
        (Ok(_), Err(e)) => Err(format!("standard output: {}", describe_io_error(&e))),
        (Err(e), _) => Err(format!("{e}; the output is incomplete")),
    }
}

/// Where `display` goes under `dir`: its path without root or `.`; `..` is refused.
pub fn output_path(dir: &Path, display: &Path) -> Result<PathBuf, String> {
    let mut out = dir.to_path_buf();
    for component in display.components() {
        match component {
            Component::Normal(part) => out.push(part),
            Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
            Component::ParentDir => {
                return Err(
                    "cannot place a path with `..` under --output; name it from a directory above"
                        .into(),
                )
            }
        }
    }
    if out == dir {
        return Err("no file name to write under --output".into());
    }
    Ok(out)
}

fn to_directory(
    input: &InputFile,
    redactor: &Redactor,
    dir: &Path,
    touch: bool,
) -> Result<Done, String> {
    // The copy is named as the input is shown: a credential in the name is masked there too.
    let dest = output_path(dir, &copy_name(input.display.shown()))?;
    let path = match &input.source {
        Source::File(path) => path,
        Source::Stdin => {
            return Err("standard input can only be redacted to standard output".into())
        }
        #[cfg(feature = "object-storage")]
        Source::Object(object) => return object_to_directory(input, redactor, object, dest),
    };
    regular_file(input, path)?;
    let file = File::open(path).map_err(|e| open_error(input, &e))?;
    let meta = file.metadata().map_err(|e| open_error(input, &e))?;
    if let Ok(existing) = std::fs::metadata(&dest) {
        if write::Stamp::of(&existing).same_file(&write::Stamp::of(&meta)) {
            return Err(format!(
                "{} is the input itself; use --in-place to rewrite it",
                dest.display()
            ));
        }
    }
    if let Some(parent) = dest.parent() {
        std::fs::create_dir_all(parent).map_err(|e| {
            format!(
                "cannot create {}: {}",
                parent.display(),
                describe_io_error(&e)
            )
        })?;
    }
    let mut staged = write::Staged::new(&dest, Some(&file)).map_err(|e| e.to_string())?;
    let streamed = redact_file_into(input, redactor, file, &mut staged)?;
    let notes = std::mem::take(&mut staged.notes);
    // A file that is not a text log is not copied: the output holds only what was redacted.
    if let Streamed::Redacted(_) = streamed {
        let times = (!touch).then(|| write::times_of(&meta));
        staged.commit(None, times).map_err(|e| e.to_string())?;
    }
    Ok(Done {
        output: Some(dest),
        notes,
        ..Done::new(streamed)
    })
}

/// The name under `--output` of an input shown as `shown`: its path, or for an object
/// `s3://bucket/key` the path `s3/bucket/key`.
fn copy_name(shown: &Path) -> PathBuf {
    match shown.to_str().and_then(|s| s.split_once("://")) {
        Some((scheme, rest)) if input::ObjectUrl::parse(shown.to_str().unwrap_or("")).is_some() => {
            Path::new(scheme).join(rest)
        }
        _ => shown.to_path_buf(),
    }
}

/// Redacts an object into a new file `dest`, compressed as the object is.
#[cfg(feature = "object-storage")]
fn object_to_directory(
    input: &InputFile,
    redactor: &Redactor,
    object: &input::ObjectInput,
    dest: PathBuf,
) -> Result<Done, String> {
    let reader = object.open().map_err(|e| describe_io_error(&e))?;
    if let Some(parent) = dest.parent() {
        std::fs::create_dir_all(parent).map_err(|e| {
            format!(
                "cannot create {}: {}",
                parent.display(),
                describe_io_error(&e)
            )
        })?;
    }
    let mut staged = write::Staged::new(&dest, None).map_err(|e| e.to_string())?;
    let streamed = redact_reader_into(input, redactor, Box::new(reader), &mut staged)?;
    let notes = std::mem::take(&mut staged.notes);
    if let Streamed::Redacted(_) = streamed {
        staged.commit(None, None).map_err(|e| e.to_string())?;
    }
    Ok(Done {
        output: Some(dest),
        notes,
        ..Done::new(streamed)
    })
}

/// How `--in-place` rewrites a file.
struct InPlaceOptions<'a> {
    backup: Option<&'a str>,
    overwrite_backup: bool,
    force: bool,
    touch: bool,
}

fn in_place(
    input: &InputFile,
    redactor: &Redactor,
    options: &InPlaceOptions<'_>,
) -> Result<Done, String> {
    let Source::File(given) = &input.source else {
        return Err("standard input cannot be redacted in place".into());
    };
    regular_file(input, given)?;
    // Through a symlink, the file it points to is rewritten (the link stays a link).
    let path = &std::fs::canonicalize(given).map_err(|e| open_error(input, &e))?;
    let file = File::open(path).map_err(|e| open_error(input, &e))?;
    let meta = file.metadata().map_err(|e| open_error(input, &e))?;
    let links = write::hard_links(&meta);
    if links > 1 && !options.force {
        return Err(format!(
            "has {links} hard links; rewriting it would leave the secrets under the other names (find them with `find / -samefile`; --force rewrites this name anyway); untouched"
        ));
    }
    let writers = write::writers(&meta);
    if !writers.is_empty() {
        let pids: Vec<String> = writers.iter().map(u32::to_string).collect();
        return Err(format!(
            "is open for writing by process {} (a live log?); rotate it first (or stop the writer), then redact the rotated file; untouched",
            pids.join(", ")
        ));
    }
    let backup_path = options
        .backup
        .map(|suffix| write::with_suffix(path, suffix));
    if let Some(backup) = &backup_path {
        // Refused before any work; the link itself refuses too, should one appear meanwhile.
        if !options.overwrite_backup && std::fs::symlink_metadata(backup).is_ok() {
            return Err(write::backup_exists_message(backup));
        }
    }
    let before = write::Stamp::of(&meta);
    let mut staged = write::Staged::new(path, Some(&file)).map_err(|e| e.to_string())?;
    let reader = file.try_clone().map_err(|e| open_error(input, &e))?;
    let streamed = redact_file_into(input, redactor, reader, &mut staged)?;
    let Streamed::Redacted(tally) = streamed else {
        return Ok(Done::new(streamed));
    };
    if tally.lines_changed == 0 {
        // Nothing to mask: the file keeps its inode, bytes and times (the copy is dropped).
        return Ok(Done::new(Streamed::Redacted(tally)));
    }
    let after_fd = file.metadata().map(|m| write::Stamp::of(&m));
    let after_path = std::fs::metadata(path).map(|m| write::Stamp::of(&m));
    let unchanged =
        matches!((&after_fd, &after_path), (Ok(a), Ok(b)) if *a == before && *b == before);
    if !unchanged {
        return Err(
            "changed while it was being redacted (is something still writing to it?); untouched: redact it once nothing writes to it"
                .into(),
        );
    }
    let notes = std::mem::take(&mut staged.notes);
    let backup = backup_path.as_deref().map(|path| write::Backup {
        path,
        overwrite: options.overwrite_backup,
    });
    let times = (!options.touch).then(|| write::times_of(&meta));
    staged.commit(backup, times).map_err(|e| e.to_string())?;
    Ok(Done {
        notes,
        ..Done::new(Streamed::Redacted(tally))
    })
}

/// Streams `file` (decompressed) through the redactor into `staged` (compressed the same way).
fn redact_file_into(
    input: &InputFile,
    redactor: &Redactor,
    file: File,
    staged: &mut write::Staged,
) -> Result<Streamed, String> {
    redact_reader_into(input, redactor, Box::new(file), staged)
}

/// Streams what `reader` gives (decompressed) through the redactor into `staged` (compressed
/// the same way).
fn redact_reader_into(
    input: &InputFile,
    redactor: &Redactor,
    reader: Box<dyn Read + Send>,
    staged: &mut write::Staged,
) -> Result<Streamed, String> {
    let opened = input::open_reader(reader)
        .map(|opened| opened.limited(redactor.max_decompressed))
        .map_err(|e| open_error(input, &e))?;
    let write_error = |e: io::Error| write::WriteError::Write(e).to_string();
    let mut out = encode::Encoder::new(
        opened.compression,
        BufWriter::with_capacity(256 * 1024, &mut *staged),
    )
    .map_err(write_error)?;
    let streamed = match redact_stream(redactor, &input.display, opened.reader, &mut out) {
        Ok(streamed) => streamed,
        Err(StreamError::Write(e)) => return Err(write_error(e)),
        Err(e) => return Err(format!("{e}; the original is untouched")),
    };
    out.finish()
        .and_then(|mut w| w.flush())
        .map_err(write_error)?;
    Ok(streamed)
}

/// Refuses anything but a regular file (a FIFO or a device would block or never end).
fn regular_file(input: &InputFile, path: &Path) -> Result<(), String> {
    let meta = std::fs::metadata(path).map_err(|e| open_error(input, &e))?;
    if meta.is_dir() {
        return Err("is a directory".into());
    }
    if !meta.is_file() {
        return Err("not a regular file: only regular files are written back".into());
    }
    Ok(())
}

fn open_error(input: &InputFile, e: &io::Error) -> String {
    match &input.source {
        Source::File(path) if path.is_dir() => "is a directory".into(),
        _ => describe_io_error(e),
    }
}

#[cfg(test)]
mod tests;
