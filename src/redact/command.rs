//! The `logleaks redact` command: checks the arguments, reads the config, walks the inputs,
//! runs the redaction and turns the outcome into the report and an exit code.

use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};

use super::{report, run, write, Flush, Mask, Redactor, Target, EXIT_ERROR};
use crate::cli::RedactArgs;
use crate::config::RunConfig;
use crate::console::Stdout;
use crate::detect::Detector;
use crate::input::{self, InputFile, Source, WalkOptions, Walked};

/// `logleaks redact`: from parsed arguments to an exit code.
pub fn command(args: RedactArgs) -> i32 {
    write::remove_temporaries_on_signals();
    match prepare(&args) {
        Ok((walked, redactor, target)) => {
            let threads = args.threads.map_or_else(
                || std::thread::available_parallelism().map_or(1, |n| n.get()),
                usize::from,
            );
            let outcomes = run(walked, &redactor, &target, threads);
            report::finish(&outcomes, args.report.as_deref(), args.quiet)
        }
        Err(message) => {
            eprintln!("logleaks: {message}");
            EXIT_ERROR
        }
    }
}

/// Checks the arguments, reads the config and walks the inputs.
fn prepare(args: &RedactArgs) -> Result<(Vec<Walked>, Redactor, Target), String> {
    let mask = Mask::new(&args.mask)?;
    let mut paths = args.paths.clone();
    if paths.is_empty() {
        if io::stdin().is_terminal() {
            return Err("no input: name log files to redact, or pipe a log into logleaks (see `logleaks redact --help`)".into());
        }
        paths.push("-".into());
    }
    let target = match (&args.output, args.in_place) {
        (Some(dir), _) => Target::Directory {
            dir: dir.clone(),
            touch: args.touch,
        },
        (None, true) => Target::InPlace {
            backup: args.backup.clone(),
            overwrite_backup: args.overwrite_backup,
            force: args.force,
            touch: args.touch,
        },
        (None, false) => Target::Stdout {
            flush: if args.line_buffered || Stdout::detect().is_read_live() {
                Flush::EachBlock
            } else {
                Flush::WhenFull
            },
        },
    };
    if let Some(suffix) = &args.backup {
        if suffix.is_empty() || suffix.contains('/') {
            return Err("--backup: the suffix must be non-empty and hold no `/`".into());
        }
    }
    let stdin = paths.iter().any(|p| p.as_os_str() == "-");
    match &target {
        Target::Stdout { .. } => {
            if paths.len() > 1 {
                return Err("redacting several inputs needs --output DIR or --in-place (standard output takes one)".into());
            }
            if paths[0].is_dir() {
                return Err(format!(
                    "{} is a directory: redacting it needs --output DIR or --in-place",
                    paths[0].display()
                ));
            }
        }
        Target::Directory { .. } | Target::InPlace { .. } if stdin => {
            return Err("standard input can only be redacted to standard output".into());
        }
        Target::Directory { dir, .. } => inputs_outside(&paths, dir)?,
        _ => {}
    }
    if matches!(target, Target::InPlace { .. }) {
        if let Some(url) = paths.iter().find(|p| is_url(p)) {
            return Err(format!(
                "{}: objects in a store are not rewritten in place: redact them to --output DIR (or one object to standard output) and upload the copies yourself",
                url.display()
            ));
        }
    }
    let mut walk_options = WalkOptions::new(&args.globs, &args.excludes, args.follow)
        .map_err(|e| format!("invalid glob: {e}"))?;
    walk_options.objects = args.object_store.options();
    let config = RunConfig::load(
        args.config.as_deref(),
        args.no_config,
        args.log_format.as_deref(),
    )?;
    for message in &config.messages {
        eprintln!("logleaks: {message}");
    }
    if let Some(path) = &config.path {
        walk_options.skip_file(path);
    }
    let detector = std::sync::Arc::new(Detector::new(config.rules));
    let names = detector.clone();
    crate::input::mask_names_with(move |name| names.mask_name(name));
    let redactor = Redactor {
        detector,
        allowlist: config.allowlist,
        fingerprint_key: std::env::var_os("LOGLEAKS_FINGERPRINT_KEY")
            .map(|k| k.into_encoded_bytes()),
        mask,
        log_type: args.log_type,
        formats: config.formats,
        max_decompressed: args.max_decompressed_size,
    };
    let mut walked = input::walk(&paths, &walk_options);
    if let Target::Directory { dir, .. } = &target {
        // A second run into the same directory, below a named directory, does not redact its
        // own earlier output.
        if let Ok(out) = std::fs::canonicalize(dir) {
            walked.retain(|w| match w {
                Walked::File(InputFile {
                    source: Source::File(path),
                    ..
                }) => !std::fs::canonicalize(path).is_ok_and(|p| p.starts_with(&out)),
                _ => true,
            });
        }
    }
    if matches!(target, Target::Stdout { .. }) && is_url(&paths[0]) {
        // A prefix is a directory of objects: only one object goes to standard output.
        let objects = walked
            .iter()
            .filter(|w| matches!(w, Walked::File(_)))
            .count();
        if objects > 1 {
            return Err(format!(
                "{} holds {objects} objects: redacting them needs --output DIR",
                paths[0].display()
            ));
        }
    }
    Ok((walked, redactor, target))
}

/// True when `path` is an object-store URL (`s3://`, `gs://`, `az://`).
fn is_url(path: &Path) -> bool {
    path.to_str().and_then(input::ObjectUrl::parse).is_some()
}

/// Refuses an `--output` directory that holds a named input: its copies would land on or among
/// the inputs (`cd evidence; logleaks redact web01 --output .`).
fn inputs_outside(paths: &[PathBuf], dir: &Path) -> Result<(), String> {
    let Ok(out) = std::fs::canonicalize(dir) else {
        // Not there yet: it holds nothing.
        return Ok(());
    };
    for path in paths {
        if std::fs::canonicalize(path).is_ok_and(|p| p.starts_with(&out)) {
            return Err(format!(
                "{} lies inside the --output directory {}: its redacted copy would be written among the inputs; choose an --output directory outside them (or use --in-place)",
                path.display(),
                dir.display()
            ));
        }
    }
    Ok(())
}
