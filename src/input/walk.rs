//! Expanding the paths a user names into the files to read, in a stable order.
//!
//! Directories are walked recursively with entries sorted by name. Hidden and git-ignored files
//! are included (logs are usually both); VCS metadata directories (`.git`, `.hg`, `.svn`) and the
//! config file in use are not, unless asked. Symlinked directories are followed only on request,
//! and loops are reported, never followed. Non-regular files met while walking (FIFOs, devices),
//! links to a standard stream (`access.log` → `/dev/stdout` in the nginx container image),
//! logleaks' own outputs and broken links are skipped. A named path is read whatever it is (a
//! FIFO, `<(…)`), except logleaks' own output and a terminal, which are refused. A walk that
//! yields nothing at all says why, as an error.

use std::cell::Cell;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use super::identity::{self, FileId};
use super::{DisplayPath, InputFile, Source};

/// Directory names of version control metadata, skipped while walking unless asked.
pub const VCS_DIRS: [&str; 3] = [".git", ".hg", ".svn"];

/// How to walk.
#[derive(Debug, Default)]
pub struct WalkOptions {
    /// Only files matching one of these (by name, or by path below the named directory).
    pub globs: Option<GlobSet>,
    /// Never files or directories matching one of these.
    pub excludes: Option<GlobSet>,
    /// Follow symlinked directories.
    pub follow: bool,
    /// Walk into VCS metadata directories too.
    pub include_vcs: bool,
    /// Files never read while walking (the config file in use), by identity.
    pub skip_files: Vec<FileId>,
    /// Files logleaks writes during this run besides its standard streams (the report), by
    /// identity, with the name messages give them.
    pub own_outputs: Vec<(FileId, String)>,
    /// The name standard input gets in findings and messages (`--stdin-name`), instead of `-`.
    pub stdin_name: Option<PathBuf>,
    /// How to reach object stores, for `s3://`, `gs://` and `az://` inputs.
    pub objects: super::ObjectOptions,
    /// Leave out, without an error, a file found in a directory and gone (deleted or renamed)
    /// before it could be looked at: while a watch walks, rotation renames logs at any moment,
    /// and a renamed one is met under its new name.
    pub let_go_vanished: bool,
}

impl WalkOptions {
    /// Options from `--glob` and `--exclude` patterns.
    pub fn new(
        globs: &[String],
        excludes: &[String],
        follow: bool,
    ) -> Result<Self, globset::Error> {
        let set = |patterns: &[String]| -> Result<Option<GlobSet>, globset::Error> {
            if patterns.is_empty() {
                return Ok(None);
            }
            let mut builder = GlobSetBuilder::new();
            for p in patterns {
                builder.add(Glob::new(p)?);
            }
            builder.build().map(Some)
        };
        Ok(WalkOptions {
            globs: set(globs)?,
            excludes: set(excludes)?,
            follow,
            ..WalkOptions::default()
        })
    }

    /// Never reads `path` while walking (the config file in use), when it exists.
    pub fn skip_file(&mut self, path: &Path) {
        self.skip_files.extend(FileId::of_path(path));
    }

    /// Treats `path` as logleaks' own output (`what` names it in messages), when it exists.
    pub fn own_output(&mut self, path: &Path, what: &str) {
        if let Some(id) = FileId::of_path(path) {
            self.own_outputs.push((id, what.to_string()));
        }
    }

    /// True when `relative` or its file name matches `set`.
    pub(crate) fn matches(set: &GlobSet, relative: &Path) -> bool {
        set.is_match(relative) || relative.file_name().is_some_and(|name| set.is_match(name))
    }
}

/// A problem met while walking, named by path.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{path}: {message}")]
pub struct WalkError {
    /// The path.
    pub path: DisplayPath,
    /// What went wrong.
    pub message: String,
}

/// A file met while walking and not read.
#[derive(Debug, Clone)]
pub struct Skip {
    /// The file.
    pub path: DisplayPath,
    /// Why it is not read.
    pub reason: String,
    /// What it is, in a few words (`not a regular file`, `a broken symbolic link`).
    pub what: &'static str,
    /// True when the user should be told (a note); false for the expected ones (a socket).
    pub tell: bool,
}

/// One result of a walk, in order.
#[derive(Debug)]
pub enum Walked {
    /// A file to read.
    File(InputFile),
    /// A file met while walking, not read, counted as skipped.
    Skipped(Skip),
    /// A problem.
    Error(WalkError),
}

impl Walked {
    /// The name of the input (or path) this result is about.
    pub fn name(&self) -> &DisplayPath {
        match self {
            Walked::File(input) => &input.display,
            Walked::Skipped(skip) => &skip.path,
            Walked::Error(error) => &error.path,
        }
    }
}

/// Everything a walk compares files against, fixed when it starts.
struct Own<'a> {
    options: &'a WalkOptions,
    streams: Vec<(FileId, identity::OwnStream)>,
}

impl Own<'_> {
    /// What the file is to logleaks, when it is one of its own outputs.
    fn output(&self, meta: &std::fs::Metadata) -> Option<String> {
        let id = FileId::of_metadata(meta)?;
        if let Some((_, stream)) = self.streams.iter().find(|(s, _)| *s == id) {
            return Some(format!("logleaks' own {}", stream.name()));
        }
        self.options
            .own_outputs
            .iter()
            .find(|(o, _)| *o == id)
            .map(|(_, what)| format!("logleaks' own {what}"))
    }

    fn is_skipped_file(&self, meta: &std::fs::Metadata) -> bool {
        FileId::of_metadata(meta).is_some_and(|id| self.options.skip_files.contains(&id))
    }
}

/// Expands `paths` (in the order given) into inputs. `-` is standard input. When no named path
/// yields anything to read or skip, each directory that yielded nothing gets an error saying why
/// (an empty directory, no file matching `--glob`, …): a scan of nothing never passes silently.
pub fn walk(paths: &[PathBuf], options: &WalkOptions) -> Vec<Walked> {
    let own = Own {
        options,
        streams: identity::own_streams(),
    };
    let mut out = Vec::new();
    let mut nothing = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            out.push(Walked::File(InputFile::stdin_named(
                options.stdin_name.as_deref(),
            )));
            continue;
        }
        let url = path.to_str().and_then(super::ObjectUrl::parse);
        let why = match url {
            Some(Ok(url)) => super::object::walk_url(&url, options, &mut out),
            Some(Err(message)) => {
                out.push(Walked::Error(WalkError {
                    path: DisplayPath::new(path),
                    message,
                }));
                None
            }
            None => walk_named(path, &own, &mut out),
        };
        if let Some(why) = why {
            nothing.push((
                out.len(),
                WalkError {
                    path: DisplayPath::new(path),
                    message: format!("nothing to scan: {why}"),
                },
            ));
        }
    }
    let found_any = out.iter().any(|w| !matches!(w, Walked::Error(_)));
    if !found_any {
        for (at, error) in nothing.into_iter().rev() {
            out.insert(at, Walked::Error(error));
        }
    }
    out
}

/// Walks one named path into `out`; for a directory that yields nothing, says why.
fn walk_named(path: &Path, own: &Own<'_>, out: &mut Vec<Walked>) -> Option<String> {
    let error = |message: String| {
        Walked::Error(WalkError {
            path: DisplayPath::new(path),
            message,
        })
    };
    match std::fs::metadata(path) {
        Err(e) => out.push(error(match broken_link(path, &e) {
            Some(broken) => broken,
            None => describe_io_error(&e),
        })),
        Ok(meta) if meta.is_dir() => return walk_dir(path, own, out),
        Ok(meta) => {
            if let Some(what) = own.output(&meta) {
                out.push(error(format!(
                    "not read: it is {what} (reading it would read back what logleaks writes)"
                )));
            } else if identity::is_terminal(path) {
                out.push(error(
                    "not read: it is a terminal (name a log file, or pipe one into logleaks)"
                        .into(),
                ));
            } else {
                // Any other file named directly is read whatever it is: a FIFO or `<(…)` too.
                out.push(Walked::File(InputFile {
                    display: DisplayPath::new(path),
                    source: Source::File(path.to_path_buf()),
                    explicit: true,
                    size: meta.is_file().then_some(meta.len()),
                }));
            }
        }
    }
    None
}

/// When `error` comes from following a symlink that points at nothing, says so.
fn broken_link(path: &Path, error: &std::io::Error) -> Option<String> {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link || error.kind() != std::io::ErrorKind::NotFound {
        return None;
    }
    Some(match std::fs::read_link(path) {
        Ok(target) => format!(
            "broken symbolic link (to {}, which does not exist)",
            target.display()
        ),
        Err(_) => "broken symbolic link".into(),
    })
}

/// What a directory walk left out, to say why it yielded nothing.
#[derive(Default)]
struct Tally {
    unmatched: Cell<u64>,
    excluded: Cell<u64>,
    vcs: Cell<u64>,
    config: Cell<u64>,
}

impl Tally {
    fn why_nothing(&self) -> String {
        if self.unmatched.get() > 0 {
            let n = self.unmatched.get();
            format!(
                "no file matches --glob ({n} other file{} left out)",
                if n == 1 { "" } else { "s" }
            )
        } else if self.excluded.get() > 0 {
            "everything in it matches --exclude".into()
        } else if self.vcs.get() > 0 {
            "it holds only VCS metadata, which is skipped (--include-vcs scans it)".into()
        } else if self.config.get() > 0 {
            "it holds only the config file in use, which is skipped".into()
        } else {
            "the directory holds no file".into()
        }
    }
}

fn walk_dir(root: &Path, own: &Own<'_>, out: &mut Vec<Walked>) -> Option<String> {
    let options = own.options;
    let before = out.len();
    let tally = Tally::default();
    let walker = walkdir::WalkDir::new(root)
        .follow_links(options.follow)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            if entry.depth() == 0 {
                return true;
            }
            let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
            if options
                .excludes
                .as_ref()
                .is_some_and(|x| WalkOptions::matches(x, relative))
            {
                tally.excluded.set(tally.excluded.get() + 1);
                return false;
            }
            let vcs = entry
                .file_name()
                .to_str()
                .is_some_and(|name| VCS_DIRS.contains(&name));
            if vcs && !options.include_vcs {
                tally.vcs.set(tally.vcs.get() + 1);
                return false;
            }
            true
        });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                out.push(Walked::Error(walkdir_error(root, e)));
                continue;
            }
        };
        let file_type = entry.file_type();
        if file_type.is_dir() {
            continue;
        }
        let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
        if let Some(globs) = &options.globs {
            if !WalkOptions::matches(globs, relative) {
                tally.unmatched.set(tally.unmatched.get() + 1);
                continue;
            }
        }
        let display = DisplayPath::new(entry.path());
        let skip = |what: &'static str, reason: String, tell: bool| {
            Walked::Skipped(Skip {
                path: display.clone(),
                reason,
                what,
                tell,
            })
        };
        if file_type.is_symlink() {
            if let Some(stream) = identity::link_to_standard_stream(entry.path()) {
                out.push(skip(
                    "a link to a standard stream",
                    format!("a link to {stream}, a standard stream, not a log file"),
                    true,
                ));
                continue;
            }
        }
        // A symlink (not followed by the walker) is read when it points at a regular file.
        let meta = if file_type.is_symlink() {
            std::fs::metadata(entry.path())
        } else {
            entry.metadata().map_err(std::io::Error::from)
        };
        let own_output = meta.as_ref().ok().and_then(|m| own.output(m));
        match meta {
            Ok(meta) if own.is_skipped_file(&meta) => {
                tally.config.set(tally.config.get() + 1);
            }
            Ok(_) if own_output.is_some() => out.push(skip(
                "logleaks' own output",
                own_output.unwrap_or_default(),
                true,
            )),
            Ok(meta) if meta.is_file() => out.push(Walked::File(InputFile {
                display,
                source: Source::File(entry.path().to_path_buf()),
                explicit: false,
                size: Some(meta.len()),
            })),
            // A symlink to a directory, not followed without --follow.
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => out.push(skip(
                "not a regular file",
                "not a regular file".into(),
                false,
            )),
            Err(e)
                if options.let_go_vanished
                    && e.kind() == std::io::ErrorKind::NotFound
                    && !file_type.is_symlink() => {}
            Err(e) => match broken_link(entry.path(), &e) {
                Some(broken) => out.push(skip("a broken symbolic link", broken, true)),
                None => out.push(Walked::Error(WalkError {
                    path: display,
                    message: describe_io_error(&e),
                })),
            },
        }
    }
    (out.len() == before).then(|| tally.why_nothing())
}

fn walkdir_error(root: &Path, e: walkdir::Error) -> WalkError {
    let path = DisplayPath::new(e.path().unwrap_or(root));
    if let Some(ancestor) = e.loop_ancestor() {
        return WalkError {
            path,
            message: format!(
                "directory loop (a symlink back to {}); not followed",
                ancestor.display()
            ),
        };
    }
    let message = match e.io_error() {
        Some(io) => describe_io_error(io),
        None => e.to_string(),
    };
    WalkError { path, message }
}

/// A short description of an I/O error, without the "(os error N)" noise.
pub fn describe_io_error(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "no such file or directory".into(),
        ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let text = e.to_string();
            match text.find(" (os error") {
                Some(cut) => text[..cut].to_string(),
                None => text,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(walked: &[Walked]) -> Vec<String> {
        walked
            .iter()
            .filter_map(|w| match w {
                Walked::File(f) => Some(f.display.to_string()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn walks_sorted_with_hidden_files_and_filters() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("b/.hidden")).unwrap();
        for f in [
            "b/z.log",
            "b/a.log",
            "b/.hidden/h.log",
            ".gitignored.log",
            "a.txt",
            "skip.gz",
        ] {
            std::fs::write(root.join(f), "x\n").unwrap();
        }
        std::fs::write(root.join(".gitignore"), "*.log\n").unwrap();
        let all = walk(&[root.to_path_buf()], &WalkOptions::default());
        let rel: Vec<String> = names(&all)
            .iter()
            .map(|n| {
                n.strip_prefix(&format!("{}/", root.display()))
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert_eq!(
            rel,
            [
                ".gitignore",
                ".gitignored.log",
                "a.txt",
                "b/.hidden/h.log",
                "b/a.log",
                "b/z.log",
                "skip.gz"
            ]
        );

        let opts = WalkOptions::new(&["*.log".into()], &["b/.hidden".into()], false).unwrap();
        let filtered = names(&walk(&[root.to_path_buf()], &opts));
        assert_eq!(filtered.len(), 3, "{filtered:?}");
    }

    #[cfg(unix)]
    #[test]
    fn loops_and_missing_paths_are_errors_not_hangs() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("d")).unwrap();
        std::os::unix::fs::symlink(root, root.join("d/loop")).unwrap();
        std::fs::write(root.join("d/f.log"), "x\n").unwrap();
        // Without --follow the link to a directory is ignored.
        let plain = walk(&[root.to_path_buf()], &WalkOptions::default());
        assert_eq!(names(&plain).len(), 1);
        let opts = WalkOptions {
            follow: true,
            ..WalkOptions::default()
        };
        let followed = walk(&[root.to_path_buf()], &opts);
        assert!(followed
            .iter()
            .any(|w| matches!(w, Walked::Error(e) if e.message.contains("loop"))));
        let missing = walk(&[root.join("nope")], &WalkOptions::default());
        assert!(matches!(&missing[0], Walked::Error(e) if e.to_string().contains("no such file")));
    }
}
