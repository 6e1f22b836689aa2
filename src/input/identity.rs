//! Which files are logleaks' own: its standard output and error, the report it writes, the config
//! it reads. Reading one of them would read back what logleaks itself writes (the official nginx
//! container links `access.log` to `/dev/stdout`) or wait forever on a terminal.
//!
//! Files are compared by identity (device and inode), never by name. Nothing here reads a file.

use std::path::Path;

/// A file's identity: its device and inode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FileId {
    dev: u64,
    ino: u64,
}

impl FileId {
    /// The identity of the file `ino` on device `dev`.
    pub fn new(dev: u64, ino: u64) -> FileId {
        FileId { dev, ino }
    }

    /// Its device number.
    pub fn dev(self) -> u64 {
        self.dev
    }

    /// Its inode number.
    pub fn ino(self) -> u64 {
        self.ino
    }

    /// The identity of what `path` names, following symlinks; `None` when it cannot be known.
    pub fn of_path(path: &Path) -> Option<FileId> {
        std::fs::metadata(path)
            .ok()
            .and_then(|m| Self::of_metadata(&m))
    }

    /// The identity of a file from its metadata (`None` off Unix).
    pub fn of_metadata(meta: &std::fs::Metadata) -> Option<FileId> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some(FileId {
                dev: meta.dev(),
                ino: meta.ino(),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            None
        }
    }
}

/// One of logleaks' own standard streams, as a file somewhere else may name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OwnStream {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
}

impl OwnStream {
    /// How messages name it.
    pub fn name(self) -> &'static str {
        match self {
            OwnStream::Stdout => "standard output",
            OwnStream::Stderr => "standard error",
        }
    }
}

/// The identities of logleaks' standard output and error when they are files, pipes or sockets
/// (a terminal is refused on its own; `/dev/null` is harmless to read).
pub fn own_streams() -> Vec<(FileId, OwnStream)> {
    #[cfg(unix)]
    {
        [(1, OwnStream::Stdout), (2, OwnStream::Stderr)]
            .into_iter()
            .filter_map(|(fd, stream)| fd_identity(fd).map(|id| (id, stream)))
            .collect()
    }
    #[cfg(not(unix))]
    {
        Vec::new()
    }
}

#[cfg(unix)]
fn fd_identity(fd: libc::c_int) -> Option<FileId> {
    let mut stat = std::mem::MaybeUninit::<libc::stat>::uninit();
    // SAFETY: fstat writes a whole `stat` into the buffer when it returns 0, and only reads `fd`.
    let stat = unsafe {
        if libc::fstat(fd, stat.as_mut_ptr()) != 0 {
            return None;
        }
        stat.assume_init()
    };
    let kind = stat.st_mode & libc::S_IFMT;
    matches!(kind, libc::S_IFREG | libc::S_IFIFO | libc::S_IFSOCK).then_some(FileId {
        dev: stat.st_dev as u64,
        ino: stat.st_ino as u64,
    })
}

/// True when `path` is a terminal (opened without waiting and without becoming the controlling
/// terminal, then closed).
pub fn is_terminal(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::io::IsTerminal;
        use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
        let Ok(meta) = std::fs::metadata(path) else {
            return false;
        };
        if !meta.file_type().is_char_device() {
            return false;
        }
        std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
            .open(path)
            .is_ok_and(|f| f.is_terminal())
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

/// When `link` is a symbolic link (or a chain of them) to one of the standard streams of a
/// process (`/dev/stdout`, `/dev/fd/1`, `/proc/self/fd/2`, …), the name it points at.
pub fn link_to_standard_stream(link: &Path) -> Option<String> {
    let mut current = link.to_path_buf();
    for _ in 0..40 {
        let target = std::fs::read_link(&current).ok()?;
        let resolved = match current.parent() {
            Some(parent) if target.is_relative() => parent.join(&target),
            _ => target.clone(),
        };
        let text = resolved.to_string_lossy();
        let stream = ["/dev/stdin", "/dev/stdout", "/dev/stderr", "/dev/tty"]
            .iter()
            .any(|s| text == *s)
            || text.starts_with("/dev/fd/")
            || (text.starts_with("/proc/") && text.contains("/fd/"));
        if stream {
            return Some(text.into_owned());
        }
        current = resolved;
    }
    None
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn links_to_standard_streams_are_recognised_through_chains() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::os::unix::fs::symlink("/dev/stdout", root.join("access.log")).unwrap();
        std::os::unix::fs::symlink("/proc/self/fd/2", root.join("error.log")).unwrap();
        std::os::unix::fs::symlink("access.log", root.join("chained.log")).unwrap();
        std::fs::write(root.join("real.log"), "x\n").unwrap();
        std::os::unix::fs::symlink("real.log", root.join("link.log")).unwrap();
        assert_eq!(
            link_to_standard_stream(&root.join("access.log")).as_deref(),
            Some("/dev/stdout")
        );
        assert!(link_to_standard_stream(&root.join("error.log")).is_some());
        assert!(link_to_standard_stream(&root.join("chained.log")).is_some());
        assert_eq!(link_to_standard_stream(&root.join("link.log")), None);
        assert_eq!(link_to_standard_stream(&root.join("real.log")), None);
    }

    #[test]
    fn a_regular_file_is_not_a_terminal_and_has_an_identity() {
        let file = tempfile::NamedTempFile::new().unwrap();
        assert!(!is_terminal(file.path()));
        assert!(FileId::of_path(file.path()).is_some());
        assert_eq!(
            FileId::of_path(file.path()),
            FileId::of_path(file.path()),
            "the same file twice"
        );
    }
}
