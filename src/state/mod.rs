//! Incremental runs (`scan --state FILE`): how far each log file was read, so that the next run
//! reads only what was added since, also when the file has been rotated in between (renamed to
//! `.1`, copied by `copytruncate`, compressed to `.2.gz`).
//!
//! A file is known by its device and inode *and* a fingerprint of its first bytes (decompressed),
//! so that a recycled inode or a truncated file is read again from its start, and a rotated copy
//! under a new inode (a compressed one included) is recognised by its content. Positions are
//! offsets in the decompressed content and line numbers of the file.
//!
//! The state file is JSON, written atomically (a temporary file renamed over it). A file that is
//! not a state file of logleaks is an error, never a silent fresh start. Nothing here reads logs.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::input::{DisplayPath, FileId};

/// The first bytes of a file's (decompressed) content that its fingerprint covers.
pub const FINGERPRINT_LEN: usize = 1024;

/// The version of the state file's layout.
const LAYOUT: u32 = 1;

/// The most files a state file remembers; the least recently read are forgotten first.
const MAX_ENTRIES: usize = 10_000;

/// Where reading of a file's content stops or starts again.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    /// Bytes of the (decompressed) content read: every line before it.
    pub offset: u64,
    /// Lines before `offset`.
    pub line: u64,
}

/// A fingerprint of the first bytes of a file's content: SHA-256 of its first `len` bytes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    /// How many bytes it covers (at most [`FINGERPRINT_LEN`]; fewer for a shorter file).
    pub bytes: u64,
    /// Their SHA-256, in hex.
    pub sha256: String,
}

impl Fingerprint {
    /// The fingerprint of a content that starts with `head` (its first [`FINGERPRINT_LEN`] bytes
    /// are used).
    pub fn of(head: &[u8]) -> Fingerprint {
        let head = &head[..head.len().min(FINGERPRINT_LEN)];
        Fingerprint {
            bytes: head.len() as u64,
            sha256: hex(&Sha256::digest(head)),
        }
    }

    /// True when a content that starts with `head` starts with the bytes fingerprinted.
    pub fn matches(&self, head: &[u8]) -> bool {
        let Ok(len) = usize::try_from(self.bytes) else {
            return false;
        };
        len <= FINGERPRINT_LEN
            && head.len() >= len
            && hex(&Sha256::digest(&head[..len])) == self.sha256
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// How far one file was read, as the state file records it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    /// The name it was read under last (for people; files are matched by identity).
    path: String,
    device: u64,
    inode: u64,
    fingerprint: Fingerprint,
    #[serde(flatten)]
    position: Position,
    /// Its size on disk when it was last read (a compressed file whose size has not changed
    /// has nothing new).
    #[serde(default)]
    size: Option<u64>,
    /// When it was last read (RFC 3339).
    seen: String,
}

impl Entry {
    fn id(&self) -> FileId {
        FileId::new(self.device, self.inode)
    }

    fn key(&self) -> (FileId, &Fingerprint) {
        (self.id(), &self.fingerprint)
    }
}

/// The whole state file.
#[derive(Debug, Serialize, Deserialize)]
struct Layout {
    /// Says what the file is: a number here means "a logleaks state file, layout N".
    logleaks_state: u32,
    files: Vec<Entry>,
}

/// Where reading a file starts: the position, and the record it comes from (none for a file
/// not read before).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Resume {
    /// Where to start.
    pub position: Position,
    /// The identity and fingerprint of the record resumed from.
    pub from: Option<(FileId, Fingerprint)>,
    /// The size on disk the same file (same identity) had when it was last read.
    pub size: Option<u64>,
}

/// What the files read so far are known as: a snapshot of the state, shared by the readers of
/// one pass.
#[derive(Debug, Default)]
pub struct Known {
    entries: Vec<Entry>,
}

impl Known {
    /// Where to start reading the file `id` whose content starts with `head` (its first
    /// [`FINGERPRINT_LEN`] bytes, or all of it when shorter): where the record of the same
    /// file stopped, else where the record of a file with the same first bytes stopped (a
    /// rotated copy under a new inode), else at the start. A record whose fingerprint covers
    /// no byte (an empty file) is only matched by identity.
    pub fn resume(&self, id: Option<FileId>, head: &[u8]) -> Resume {
        let same_file = self
            .entries
            .iter()
            .filter(|e| Some(e.id()) == id && e.fingerprint.matches(head))
            .max_by_key(|e| e.position.offset);
        let same_content = || {
            self.entries
                .iter()
                .filter(|e| e.fingerprint.bytes > 0 && e.fingerprint.matches(head))
                .max_by_key(|e| (e.fingerprint.bytes, e.position.offset))
        };
        if let Some(entry) = same_file {
            // A file first seen (nearly) empty and filled since, with content that another
            // record knows further on: the copy `copytruncate` makes, met by a watch between its
            // creation and its filling. It goes on where the original stopped.
            let copied = same_content().filter(|other| {
                other.fingerprint.bytes > entry.fingerprint.bytes
                    && other.position.offset > entry.position.offset
            });
            if let Some(original) = copied {
                return Resume {
                    position: original.position,
                    from: Some((original.id(), original.fingerprint.clone())),
                    size: None,
                };
            }
            return Resume {
                position: entry.position,
                from: Some((entry.id(), entry.fingerprint.clone())),
                size: entry.size,
            };
        }
        match same_content() {
            Some(entry) => Resume {
                position: entry.position,
                from: Some((entry.id(), entry.fingerprint.clone())),
                size: None,
            },
            None => Resume::default(),
        }
    }
}

/// How far one file has been read, as a scan reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadMark {
    /// The name it is read under.
    pub path: DisplayPath,
    /// Its identity.
    pub id: FileId,
    /// The fingerprint of its first bytes.
    pub fingerprint: Fingerprint,
    /// Everything before this has been read (and its findings handed on).
    pub position: Position,
    /// The record reading started from, if any (it is replaced by this one).
    pub resumed: Option<(FileId, Fingerprint)>,
    /// Its size on disk when reading started.
    pub size: u64,
}

/// A problem with the state file: the run cannot go on (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// It could not be read.
    #[error("{path}: cannot read the state file (--state): {message}")]
    Read {
        /// The state file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// It is not a state file of logleaks (or it is damaged).
    #[error("{path}: not a logleaks state file (--state): {message}; remove it to read every file again from the start, or name another file")]
    Foreign {
        /// The state file.
        path: PathBuf,
        /// Why.
        message: String,
    },
}

/// The state file of a run: loaded at the start, updated as files are read, written at least
/// every second and at the end.
#[derive(Debug)]
pub struct StateFile {
    /// Where it is written (`None`: kept in memory only, as `--watch` without `--state` does).
    path: Option<PathBuf>,
    entries: Vec<Entry>,
    /// Changed since it was last written.
    dirty: bool,
}

impl StateFile {
    /// A state kept in memory only.
    pub fn in_memory() -> StateFile {
        StateFile {
            path: None,
            entries: Vec::new(),
            dirty: false,
        }
    }

    /// Loads the state file at `path`; a missing file is an empty state (the first run).
    pub fn load(path: &Path) -> Result<StateFile, StateError> {
        let text = match std::fs::read(path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Ok(StateFile {
                    path: Some(path.to_path_buf()),
                    entries: Vec::new(),
                    dirty: true,
                })
            }
            Err(e) => {
                return Err(StateError::Read {
                    path: path.to_path_buf(),
                    message: crate::input::describe_io_error(&e),
                })
            }
        };
        let foreign = |message: String| StateError::Foreign {
            path: path.to_path_buf(),
            message,
        };
        let value: serde_json::Value =
            serde_json::from_slice(&text).map_err(|e| foreign(format!("not JSON ({e})")))?;
        match value.get("logleaks_state").and_then(|v| v.as_u64()) {
            None => return Err(foreign("no \"logleaks_state\" layout number".into())),
            Some(n) if n != u64::from(LAYOUT) => {
                return Err(foreign(format!(
                    "layout {n}, this logleaks reads layout {LAYOUT}"
                )))
            }
            Some(_) => {}
        }
        let layout: Layout =
            serde_json::from_value(value).map_err(|e| foreign(format!("damaged ({e})")))?;
        Ok(StateFile {
            path: Some(path.to_path_buf()),
            entries: layout.files,
            dirty: false,
        })
    }

    /// Where the state is written, if anywhere.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// A snapshot of what is known now, for the readers of the next pass.
    pub fn known(&self) -> Arc<Known> {
        Arc::new(Known {
            entries: self.entries.clone(),
        })
    }

    /// Records how far a file has been read.
    pub fn record(&mut self, mark: &ReadMark) {
        let path = mark.path.path().to_string_lossy();
        let unchanged = self.entries.iter().any(|e| {
            e.key() == (mark.id, &mark.fingerprint)
                && e.position == mark.position
                && e.path == path
                && e.size == Some(mark.size)
        });
        if unchanged {
            return;
        }
        let replaced = |e: &Entry| {
            e.key() == (mark.id, &mark.fingerprint)
                || mark
                    .resumed
                    .as_ref()
                    .is_some_and(|(id, fp)| e.key() == (*id, fp))
        };
        self.entries.retain(|e| !replaced(e));
        self.entries.push(Entry {
            path: path.into_owned(),
            device: mark.id.dev(),
            inode: mark.id.ino(),
            fingerprint: mark.fingerprint.clone(),
            position: mark.position,
            size: Some(mark.size),
            seen: jiff::Timestamp::now()
                .round(jiff::Unit::Second)
                .map_or_else(|_| jiff::Timestamp::now().to_string(), |t| t.to_string()),
        });
        self.dirty = true;
    }

    /// Writes the state file when it changed: a temporary file in the same directory, flushed
    /// to disk, then renamed over it, so that a crash leaves the old state or the new one.
    pub fn commit(&mut self) -> io::Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        if !self.dirty {
            return Ok(());
        }
        if self.entries.len() > MAX_ENTRIES {
            // RFC 3339 times in UTC sort as text.
            self.entries.sort_by(|a, b| b.seen.cmp(&a.seen));
            self.entries.truncate(MAX_ENTRIES);
        }
        let layout = Layout {
            logleaks_state: LAYOUT,
            files: self.entries.clone(),
        };
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        let mut temp = tempfile::Builder::new()
            .prefix(".logleaks-state")
            .tempfile_in(dir)?;
        let mut text = serde_json::to_vec_pretty(&layout).map_err(io::Error::other)?;
        text.push(b'\n');
        temp.write_all(&text)?;
        temp.as_file().sync_all()?;
        temp.persist(path).map_err(|e| e.error)?;
        self.dirty = false;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(
        id: FileId,
        head: &[u8],
        offset: u64,
        resumed: Option<(FileId, Fingerprint)>,
    ) -> ReadMark {
        ReadMark {
            path: DisplayPath::new("access.log"),
            id,
            fingerprint: Fingerprint::of(head),
            position: Position { offset, line: 1 },
            resumed,
            size: offset,
        }
    }

    #[test]
    fn a_file_is_known_by_identity_and_first_bytes() {
        let mut state = StateFile::in_memory();
        let a = FileId::new(1, 10);
        state.record(&mark(a, b"first line\n", 11, None));
        let known = state.known();
        // The same file, grown.
        assert_eq!(
            known
                .resume(Some(a), b"first line\nsecond\n")
                .position
                .offset,
            11
        );
        // The same inode with other content (truncated and written again, or recycled).
        assert_eq!(known.resume(Some(a), b"other line\n").position.offset, 0);
        // Another inode with the same first bytes: a rotated copy.
        let copy = known.resume(Some(FileId::new(1, 11)), b"first line\nsecond\n");
        assert_eq!(copy.position.offset, 11);
        assert_eq!(copy.from, Some((a, Fingerprint::of(b"first line\n"))));
    }

    #[test]
    fn an_empty_file_is_matched_by_identity_only() {
        let mut state = StateFile::in_memory();
        let a = FileId::new(1, 10);
        state.record(&mark(a, b"", 0, None));
        let known = state.known();
        assert_eq!(known.resume(Some(FileId::new(1, 12)), b"x\n").from, None);
        assert!(known.resume(Some(a), b"x\n").from.is_some());
    }

    #[test]
    fn a_copy_first_seen_empty_goes_on_where_its_original_stopped() {
        let mut state = StateFile::in_memory();
        let (original, copy) = (FileId::new(1, 10), FileId::new(1, 11));
        state.record(&mark(original, b"first line\nsecond\n", 18, None));
        // The copy was met just after it was created, before logrotate filled it.
        state.record(&mark(copy, b"", 0, None));
        let known = state.known();
        let resumed = known.resume(Some(copy), b"first line\nsecond\n");
        assert_eq!(resumed.position.offset, 18);
        assert_eq!(
            resumed.from,
            Some((original, Fingerprint::of(b"first line\nsecond\n")))
        );
        // A file that was empty and got lines of its own is read from its start.
        assert_eq!(known.resume(Some(copy), b"new line\n").position.offset, 0);
    }

    #[test]
    fn a_record_replaces_the_one_it_resumed_from() {
        let mut state = StateFile::in_memory();
        let a = FileId::new(1, 10);
        state.record(&mark(a, b"ab\n", 3, None));
        let from = Some((a, Fingerprint::of(b"ab\n")));
        state.record(&mark(a, b"ab\ncd\n", 6, from));
        assert_eq!(state.entries.len(), 1);
        assert_eq!(state.entries[0].position.offset, 6);
    }

    #[test]
    fn the_file_is_written_atomically_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let mut state = StateFile::load(&path).unwrap();
        state.record(&mark(FileId::new(1, 10), b"ab\n", 3, None));
        state.commit().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("\"logleaks_state\": 1"), "{text}");
        let again = StateFile::load(&path).unwrap();
        assert_eq!(again.entries, state.entries);
        // Nothing but the state file is left in the directory.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_foreign_or_damaged_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        for text in [
            "",
            "{",
            "[]",
            "{\"files\": []}",
            "{\"logleaks_state\": 99, \"files\": []}",
            "{\"logleaks_state\": 1, \"files\": [{\"path\": 1}]}",
        ] {
            let path = dir.path().join("state.json");
            std::fs::write(&path, text).unwrap();
            let error = StateFile::load(&path).unwrap_err().to_string();
            assert!(
                error.contains("not a logleaks state file"),
                "{text}: {error}"
            );
            assert!(error.contains("state.json"), "{error}");
        }
    }
}
