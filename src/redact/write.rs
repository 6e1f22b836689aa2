//! Writing files so that nothing is ever lost: the new content goes to a temporary file in the
//! target's own directory, is synced to disk, takes the original's permissions, owner and
//! extended attributes, and only then is renamed over the target in one atomic step. Until that
//! rename the target is untouched; after it, it is whole. SIGINT, SIGTERM and SIGHUP remove the
//! temporary files; a killed process can only leave a hidden `.NAME.*.logleaks-tmp` behind, never
//! a half-written log.
//!
//! Also the guards of `--in-place`: files with several hard links, files that a running process
//! has open for writing, and files that change while they are read. Nothing here knows about
//! lines or credentials.

use std::ffi::OsString;
use std::fs::{File, Metadata};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::input::describe_io_error;

/// Environment variable, for tests only: the temporary file fails to take more than this many
/// bytes, as a full disk would.
pub const FAIL_AFTER_ENV: &str = "LOGLEAKS_TEST_FAIL_WRITE_AFTER";

/// What can go wrong while writing; every message names the path and keeps the original safe.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The temporary file could not be made.
    #[error("cannot create a temporary file in {}: {}; the original is untouched", .0.display(), describe_io_error(.1))]
    Create(PathBuf, io::Error),
    /// Writing or syncing the temporary file failed.
    #[error("cannot write the redacted copy: {}; the original is untouched", describe_io_error(.0))]
    Write(io::Error),
    /// The rename over the target failed.
    #[error("cannot replace {}: {}; the original is untouched", .0.display(), describe_io_error(.1))]
    Rename(PathBuf, io::Error),
    /// The backup could not be made.
    #[error("cannot keep a backup at {}: {}; the original is untouched", .0.display(), describe_io_error(.1))]
    Backup(PathBuf, io::Error),
    /// A backup of that name already exists and may not be replaced.
    #[error("{}", backup_exists_message(.0))]
    BackupExists(PathBuf),
}

/// Why an existing backup stops a run: it may be the only original left.
pub fn backup_exists_message(backup: &Path) -> String {
    format!(
        "the backup {} already exists (from an earlier run?) and may be the only original left; untouched: move it away, or pass --overwrite-backup to replace it",
        backup.display()
    )
}

/// Where and how `--in-place` keeps the original.
#[derive(Clone, Copy, Debug)]
pub struct Backup<'a> {
    /// The backup's path.
    pub path: &'a Path,
    /// Replace a backup already there (`--overwrite-backup`); otherwise that is an error.
    pub overwrite: bool,
}

/// Temporary files being written, removed when the process is interrupted (see
/// [`remove_temporaries_on_signals`]).
static PENDING: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

fn pending() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    PENDING.lock().unwrap_or_else(|e| e.into_inner())
}

/// Makes SIGINT, SIGTERM and SIGHUP remove the temporary files being written before the process
/// exits (with 128 + the signal number), so that an interrupted run leaves nothing behind. Call it
/// before any other thread is started: the signals are blocked in this thread and every thread
/// started after, and handled by a thread of their own.
pub fn remove_temporaries_on_signals() {
    #[cfg(unix)]
    // SAFETY: the signal set is initialised by sigemptyset before use; pthread_sigmask and
    // sigwait only read it.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
            libc::sigaddset(&mut set, signal);
        }
        if libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut()) != 0 {
            return;
        }
        let waiter = std::thread::Builder::new()
            .name("logleaks-signals".into())
            .spawn(move || {
                let mut signal = 0;
                if libc::sigwait(&set, &mut signal) == 0 {
                    for path in pending().iter() {
                        let _ = std::fs::remove_file(path);
                    }
                    std::process::exit(128 + signal);
                }
            });
        if waiter.is_err() {
            libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
        }
    }
}

/// A new file being written beside its final place; it only takes that place with
/// [`Staged::commit`], and vanishes if dropped before.
pub struct Staged {
    /// What of the original's metadata could not be kept (an owner or attribute this process
    /// may not set).
    pub notes: Vec<String>,
    /// The temporary file; `None` once committed.
    temp: Option<tempfile::NamedTempFile>,
    target: PathBuf,
    limit: Option<u64>,
    written: u64,
}

impl Staged {
    /// Starts a file that will replace (or become) `target`, with the permissions, owner and
    /// extended attributes of `like` where given (as far as this process may set them).
    pub fn new(target: &Path, like: Option<&File>) -> Result<Self, WriteError> {
        let dir = parent_dir(target);
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // Registered as soon as it exists (the registry is held meanwhile), removed from the
        // registry by `commit` or on drop.
        let mut registry = pending();
        let temp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".logleaks-tmp")
            .tempfile_in(&dir)
            .map_err(|e| WriteError::Create(dir.clone(), e))?;
        registry.push(temp.path().to_path_buf());
        drop(registry);
        let mut staged = Staged {
            notes: Vec::new(),
            temp: Some(temp),
            target: target.to_path_buf(),
            limit: std::env::var(FAIL_AFTER_ENV)
                .ok()
                .and_then(|v| v.parse().ok()),
            written: 0,
        };
        if let Some(original) = like {
            let file = staged.file()?;
            staged.notes = copy_metadata(original, file).map_err(WriteError::Write)?;
        }
        Ok(staged)
    }

    /// Syncs the new file, gives it `times` (access and modification) when given, and renames
    /// it over the target; with `backup`, the original is first kept under that name (a hard
    /// link: same inode, same metadata).
    pub fn commit(
        mut self,
        backup: Option<Backup<'_>>,
        times: Option<std::fs::FileTimes>,
    ) -> Result<(), WriteError> {
        let file = self.file()?;
        file.sync_all().map_err(WriteError::Write)?;
        if let Some(times) = times {
            file.set_times(times).map_err(WriteError::Write)?;
        }
        if let Some(backup) = backup {
            link_backup(&self.target, backup)?;
        }
        let backup = backup.map(|b| b.path);
        let target = self.target.clone();
        // Held while renaming: an interruption now waits until the temporary file is in place.
        let mut registry = pending();
        let Some(temp) = self.temp.take() else {
            return Err(WriteError::Write(gone()));
        };
        let temp_path = temp.path().to_path_buf();
        let persisted = temp.persist(&target);
        registry.retain(|p| *p != temp_path);
        drop(registry);
        persisted.map_err(|e| {
            if let Some(backup) = backup {
                let _ = std::fs::remove_file(backup);
            }
            WriteError::Rename(target.clone(), e.error)
        })?;
        // The rename itself is durable once the directory is synced.
        if let Ok(dir) = File::open(parent_dir(&target)) {
            let _ = dir.sync_all();
        }
        Ok(())
    }
}

impl Staged {
    fn file(&mut self) -> Result<&mut File, WriteError> {
        match &mut self.temp {
            Some(temp) => Ok(temp.as_file_mut()),
            None => Err(WriteError::Write(gone())),
        }
    }
}

/// The error of a write to a file already committed (a bug).
fn gone() -> io::Error {
    io::Error::other("the temporary file was already renamed")
}

impl Drop for Staged {
    fn drop(&mut self) {
        let mut registry = pending();
        if let Some(temp) = self.temp.take() {
            let path = temp.path().to_path_buf();
            // Removes the file, before it leaves the registry.
            drop(temp);
            registry.retain(|p| *p != path);
        }
    }
}

impl Write for Staged {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let Some(limit) = self.limit {
            if self.written + buf.len() as u64 > limit {
                return Err(io::Error::new(
                    io::ErrorKind::StorageFull,
                    "no space left on device (simulated)",
                ));
            }
        }
        let file = self.file().map_err(|_| gone())?;
        let n = file.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file().map_err(|_| gone())?.flush()
    }
}

/// The directory holding `path` (`.` for a bare name).
fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `path` with `suffix` added to its file name.
pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name: OsString = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The access and modification times of `meta`, to give a rewritten file.
pub fn times_of(meta: &Metadata) -> std::fs::FileTimes {
    let mut times = std::fs::FileTimes::new();
    if let Ok(accessed) = meta.accessed() {
        times = times.set_accessed(accessed);
    }
    if let Ok(modified) = meta.modified() {
        times = times.set_modified(modified);
    }
    times
}

/// Makes `backup` another name of `original`: never over an existing file unless allowed, and
/// then replacing it atomically.
fn link_backup(original: &Path, backup: Backup<'_>) -> Result<(), WriteError> {
    let Backup {
        path: backup,
        overwrite,
    } = backup;
    if !overwrite {
        // One step that fails when the name is taken: no window for a race.
        return std::fs::hard_link(original, backup).map_err(|e| {
            if e.kind() == io::ErrorKind::AlreadyExists {
                WriteError::BackupExists(backup.to_path_buf())
            } else {
                WriteError::Backup(backup.to_path_buf(), e)
            }
        });
    }
    let fail = |e| WriteError::Backup(backup.to_path_buf(), e);
    let staging = with_suffix(backup, &format!(".logleaks-tmp{}", std::process::id()));
    let _ = std::fs::remove_file(&staging);
    std::fs::hard_link(original, &staging).map_err(fail)?;
    std::fs::rename(&staging, backup).map_err(|e| {
        let _ = std::fs::remove_file(&staging);
        fail(e)
    })
}

/// Gives `to` the owner, extended attributes and permissions of `from`, as far as allowed: an
/// owner or attribute this process may not set is left as it is, and named in the notes.
fn copy_metadata(from: &File, to: &File) -> io::Result<Vec<String>> {
    let meta = from.metadata()?;
    let mut notes = Vec::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // Only root may give a file away; anyone may keep a group they belong to.
        if std::os::unix::fs::fchown(to, Some(meta.uid()), Some(meta.gid())).is_err() {
            let mine = to.metadata()?;
            if mine.uid() != meta.uid() {
                notes.push(format!(
                    "the owner (uid {}) could not be kept: the new file belongs to uid {}",
                    meta.uid(),
                    mine.uid()
                ));
            }
            if std::os::unix::fs::fchown(to, None, Some(meta.gid())).is_err()
                && mine.gid() != meta.gid()
            {
                notes.push(format!(
                    "the group (gid {}) could not be kept: the new file belongs to gid {}",
                    meta.gid(),
                    mine.gid()
                ));
            }
        }
    }
    #[cfg(target_os = "linux")]
    for name in xattrs::copy(from, to) {
        notes.push(format!(
            "the extended attribute {} could not be kept",
            String::from_utf8_lossy(&name)
        ));
    }
    to.set_permissions(meta.permissions())?;
    Ok(notes)
}

/// Extended attributes (SELinux labels, ACLs, user attributes), copied one by one.
#[cfg(target_os = "linux")]
mod xattrs {
    use std::fs::File;
    use std::os::fd::AsRawFd;

    /// Copies every attribute of `from` that can be read; returns the names of those that could
    /// not be set on `to` (unless `to` already has them with the same value).
    pub fn copy(from: &File, to: &File) -> Vec<Vec<u8>> {
        let mut failed = Vec::new();
        let Some(names) = list(from) else {
            return failed;
        };
        for name in names.split(|&b| b == 0).filter(|n| !n.is_empty()) {
            let mut cname = name.to_vec();
            cname.push(0);
            let Some(value) = get(from, &cname) else {
                continue;
            };
            // SAFETY: `cname` is NUL-terminated and `value` is a valid buffer of its length.
            let set = unsafe {
                libc::fsetxattr(
                    to.as_raw_fd(),
                    cname.as_ptr().cast(),
                    value.as_ptr().cast(),
                    value.len(),
                    0,
                )
            };
            if set != 0 && get(to, &cname).as_deref() != Some(value.as_slice()) {
                failed.push(name.to_vec());
            }
        }
        failed
    }

    fn list(file: &File) -> Option<Vec<u8>> {
        // SAFETY: a null buffer of size 0 asks for the size only.
        let size = unsafe { libc::flistxattr(file.as_raw_fd(), std::ptr::null_mut(), 0) };
        if size <= 0 {
            return None;
        }
        let mut buf = vec![0u8; size as usize];
        // SAFETY: `buf` is valid for `buf.len()` bytes.
        let size =
            unsafe { libc::flistxattr(file.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) };
        (size >= 0).then(|| {
            buf.truncate(size as usize);
            buf
        })
    }

    /// The value of attribute `name` (NUL-terminated) of `file`.
    pub fn get(file: &File, name: &[u8]) -> Option<Vec<u8>> {
        // SAFETY: `name` is NUL-terminated; a null buffer of size 0 asks for the size only.
        let size = unsafe {
            libc::fgetxattr(
                file.as_raw_fd(),
                name.as_ptr().cast(),
                std::ptr::null_mut(),
                0,
            )
        };
        if size < 0 {
            return None;
        }
        let mut buf = vec![0u8; size as usize];
        // SAFETY: `name` is NUL-terminated and `buf` is valid for `buf.len()` bytes.
        let size = unsafe {
            libc::fgetxattr(
                file.as_raw_fd(),
                name.as_ptr().cast(),
                buf.as_mut_ptr().cast(),
                buf.len(),
            )
        };
        (size >= 0).then(|| {
            buf.truncate(size as usize);
            buf
        })
    }
}

/// What identifies a file's content on disk, to notice a change while it is read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stamp {
    dev: u64,
    ino: u64,
    size: u64,
    mtime: Option<std::time::SystemTime>,
}

impl Stamp {
    /// True when both stamps are of the same file (device and inode), whatever its content.
    pub fn same_file(&self, other: &Stamp) -> bool {
        self.dev == other.dev && self.ino == other.ino
    }

    /// The stamp of a file's metadata.
    pub fn of(meta: &Metadata) -> Self {
        #[cfg(unix)]
        let (dev, ino) = {
            use std::os::unix::fs::MetadataExt;
            (meta.dev(), meta.ino())
        };
        #[cfg(not(unix))]
        let (dev, ino) = (0, 0);
        Stamp {
            dev,
            ino,
            size: meta.len(),
            mtime: meta.modified().ok(),
        }
    }
}

/// Number of hard links of a file (1 where unknown).
pub fn hard_links(meta: &Metadata) -> u64 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        meta.nlink()
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        1
    }
}

/// Regular files open for writing in other processes: (device, inode) → process ids.
pub type OpenForWriting = std::collections::HashMap<(u64, u64), Vec<u32>>;

/// The ids of the running processes (other than this one) that hold the file with `meta` open
/// for writing, from one look at `/proc` per run (taken when first asked): a run over many files
/// does not walk every process's descriptors once per file.
pub fn writers(meta: &Metadata) -> Vec<u32> {
    static SNAPSHOT: std::sync::OnceLock<OpenForWriting> = std::sync::OnceLock::new();
    let (dev, ino) = file_id(meta);
    SNAPSHOT
        .get_or_init(open_for_writing)
        .get(&(dev, ino))
        .cloned()
        .unwrap_or_default()
}

fn file_id(meta: &Metadata) -> (u64, u64) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        (meta.dev(), meta.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        (0, 0)
    }
}

/// Every regular file that another running process has open for writing, found through
/// `/proc/*/fd` (what each descriptor is) and `/proc/*/fdinfo` (its open flags). Linux only;
/// elsewhere, and for processes this user may not look into, nothing is found.
pub fn open_for_writing() -> OpenForWriting {
    let mut found = OpenForWriting::new();
    #[cfg(target_os = "linux")]
    {
        let me = std::process::id();
        let Ok(procs) = std::fs::read_dir("/proc") else {
            return found;
        };
        for entry in procs.flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|s| s.parse::<u32>().ok())
            else {
                continue;
            };
            if pid == me {
                continue;
            }
            let Ok(fds) = std::fs::read_dir(entry.path().join("fd")) else {
                continue;
            };
            for fd in fds.flatten() {
                // Sockets, pipes and devices are passed over before their flags are read.
                let Ok(meta) = std::fs::metadata(fd.path()) else {
                    continue;
                };
                if !meta.is_file() {
                    continue;
                }
                let info = entry.path().join("fdinfo").join(fd.file_name());
                if std::fs::read_to_string(info).is_ok_and(|text| opened_for_writing(&text)) {
                    let pids = found.entry(file_id(&meta)).or_default();
                    if !pids.contains(&pid) {
                        pids.push(pid);
                    }
                }
            }
        }
    }
    found
}

/// True when the `flags:` line of a `/proc/PID/fdinfo/FD` text (octal) says write-only or
/// read-write.
fn opened_for_writing(fdinfo: &str) -> bool {
    fdinfo
        .lines()
        .find_map(|l| l.strip_prefix("flags:"))
        .and_then(|v| u32::from_str_radix(v.trim(), 8).ok())
        .is_some_and(|flags| flags & 0o3 != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_replaces_and_drop_leaves_the_target_alone() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("access.log");
        std::fs::write(&target, b"old\n").unwrap();
        let mut staged = Staged::new(&target, None).unwrap();
        staged.write_all(b"half").unwrap();
        drop(staged);
        assert_eq!(std::fs::read(&target).unwrap(), b"old\n");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "temp removed"
        );
        let mut staged = Staged::new(&target, None).unwrap();
        staged.write_all(b"new\n").unwrap();
        let backup = with_suffix(&target, ".bak");
        let keep = |overwrite| {
            Some(Backup {
                path: &backup,
                overwrite,
            })
        };
        staged.commit(keep(false), None).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new\n");
        assert_eq!(std::fs::read(&backup).unwrap(), b"old\n");
        // An existing backup is kept, and the target too, unless overwriting is allowed.
        let mut staged = Staged::new(&target, None).unwrap();
        staged.write_all(b"newer\n").unwrap();
        assert!(matches!(
            staged.commit(keep(false), None),
            Err(WriteError::BackupExists(_))
        ));
        assert_eq!(std::fs::read(&target).unwrap(), b"new\n");
        assert_eq!(std::fs::read(&backup).unwrap(), b"old\n");
        let mut staged = Staged::new(&target, None).unwrap();
        staged.write_all(b"newer\n").unwrap();
        staged.commit(keep(true), None).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"newer\n");
        assert_eq!(std::fs::read(&backup).unwrap(), b"new\n");
    }

    #[test]
    fn keeps_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.log");
        std::fs::write(&target, b"x\n").unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).unwrap();
        let original = File::open(&target).unwrap();
        let mut staged = Staged::new(&target, Some(&original)).unwrap();
        staged.write_all(b"y\n").unwrap();
        staged.commit(None, None).unwrap();
        let mode = std::fs::metadata(&target).unwrap().permissions().mode();
        assert_eq!(mode & 0o7777, 0o640);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn keeps_user_extended_attributes() {
        use std::os::fd::AsRawFd;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.log");
        std::fs::write(&target, b"x\n").unwrap();
        let original = File::open(&target).unwrap();
        let (name, value) = (b"user.logleaks-test\0", b"kept");
        // SAFETY: the name is NUL-terminated and the value a valid buffer of its length.
        let set = unsafe {
            libc::fsetxattr(
                original.as_raw_fd(),
                name.as_ptr().cast(),
                value.as_ptr().cast(),
                value.len(),
                0,
            )
        };
        if set != 0 {
            eprintln!("this file system has no user extended attributes; nothing to check");
            return;
        }
        let mut staged = Staged::new(&target, Some(&original)).unwrap();
        assert!(staged.notes.is_empty(), "{:?}", staged.notes);
        staged.write_all(b"y\n").unwrap();
        staged.commit(None, None).unwrap();
        let rewritten = File::open(&target).unwrap();
        assert_eq!(xattrs::get(&rewritten, name).as_deref(), Some(&value[..]));
    }

    #[test]
    fn fdinfo_flags() {
        assert!(opened_for_writing("pos:\t0\nflags:\t0102001\nmnt_id:\t1\n"));
        assert!(opened_for_writing("pos:\t0\nflags:\t02\n"));
        assert!(!opened_for_writing("pos:\t0\nflags:\t0100000\n"));
        assert!(!opened_for_writing("nothing"));
    }

    #[test]
    fn finds_a_writer_holding_the_file_open() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("live.log");
        std::fs::write(&path, b"x\n").unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        let mut child = std::process::Command::new("sh")
            .arg("-c")
            .arg("exec 3>>\"$1\"; echo ready; read _")
            .arg("sh")
            .arg(&path)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut ready = [0u8; 6];
        io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut ready).unwrap();
        let id = file_id(&meta);
        let found = open_for_writing().remove(&id).unwrap_or_default();
        drop(child.stdin.take());
        child.wait().unwrap();
        assert!(found.contains(&child.id()), "{found:?}");
        assert!(!open_for_writing().contains_key(&id));
    }
}
