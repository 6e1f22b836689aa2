//! Expanding the paths a user names into the files to read, in a stable order.
//!
//! Directories are walked recursively with entries sorted by name. Hidden and git-ignored files
//! are included (logs are usually both). Symlinked directories are followed only on request, and
//! loops are reported, never followed. Non-regular files met while walking (FIFOs, devices, a
//! symlink to `/dev/stdout`) are skipped.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use super::{DisplayPath, InputFile, Source};

/// How to walk.
#[derive(Debug, Default)]
pub struct WalkOptions {
    /// Only files matching one of these (by name, or by path below the named directory).
    pub globs: Option<GlobSet>,
    /// Never files or directories matching one of these.
    pub excludes: Option<GlobSet>,
    /// Follow symlinked directories.
    pub follow: bool,
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
        })
    }

    fn matches(set: &GlobSet, relative: &Path) -> bool {
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

/// One result of a walk, in order.
#[derive(Debug)]
pub enum Walked {
    /// A file to read.
    File(InputFile),
    /// A non-regular file met while walking, skipped.
    NotRegular(DisplayPath),
    /// A problem.
    Error(WalkError),
}

/// Expands `paths` (in the order given) into inputs. `-` is standard input.
pub fn walk(paths: &[PathBuf], options: &WalkOptions) -> Vec<Walked> {
    let mut out = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            out.push(Walked::File(InputFile::stdin()));
            continue;
        }
        match std::fs::metadata(path) {
            Err(e) => out.push(Walked::Error(WalkError {
                path: DisplayPath::new(path),
                message: describe_io_error(&e),
            })),
            Ok(meta) if meta.is_dir() => walk_dir(path, options, &mut out),
            // A file named directly is read whatever it is: a FIFO or `/dev/stdin` too.
            Ok(meta) => out.push(Walked::File(InputFile {
                display: DisplayPath::new(path),
                source: Source::File(path.clone()),
                explicit: true,
                size: meta.is_file().then_some(meta.len()),
            })),
        }
    }
    out
}

fn walk_dir(root: &Path, options: &WalkOptions, out: &mut Vec<Walked>) {
    let walker = walkdir::WalkDir::new(root)
        .follow_links(options.follow)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
            entry.depth() == 0
                || !options
                    .excludes
                    .as_ref()
                    .is_some_and(|x| WalkOptions::matches(x, relative))
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
                continue;
            }
        }
        let display = DisplayPath::new(entry.path());
        // A symlink (not followed by the walker) is read when it points at a regular file.
        let meta = if file_type.is_symlink() {
            std::fs::metadata(entry.path())
        } else {
            entry.metadata().map_err(std::io::Error::from)
        };
        match meta {
            Ok(meta) if meta.is_file() => out.push(Walked::File(InputFile {
                display,
                source: Source::File(entry.path().to_path_buf()),
                explicit: false,
                size: Some(meta.len()),
            })),
            // A symlink to a directory, not followed without --follow.
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => out.push(Walked::NotRegular(display)),
            Err(e) => out.push(Walked::Error(WalkError {
                path: display,
                message: describe_io_error(&e),
            })),
        }
    }
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
