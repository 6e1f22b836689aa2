//! Input: which files to read, how to open them (plain, compressed, or archives of logs read
//! member by member), and how to cut their content into line-aligned blocks.
//!
//! Nothing here parses log lines or knows about credentials.

mod archive;
mod budget;
mod classify;
mod failure;
mod identity;
mod lines;
mod list;
mod live;
mod object;
mod open;
mod pump;
mod shard;
mod walk;

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use archive::{
    read_input, read_stream, sniff_archive, ArchiveKind, LineBlocks, Member, MemberContent,
    ReadError, ReadOptions,
};
pub use budget::parse_size;
pub use classify::{classify, Content, SNIFF_LEN};
pub use failure::{read_problem, ReadFailure, ReadProblem};
pub use identity::FileId;
pub use lines::{count_lines, Block, BlockReader, OwnedBlock, DEFAULT_BLOCK_SIZE, MAX_LINE_LEN};
pub use list::{read_list, Separator};
pub use live::{is_pause, starts_like_text, Live};
#[cfg(feature = "object-storage")]
pub use object::ObjectInput;
pub use object::{ObjectOptions, ObjectUrl, Scheme, Window};
pub use open::{open, open_reader, sniff_compression, Compression, Opened};
pub use pump::{BlockBytes, BlockPump, CutLines, Next, Recycler, FIRST_BLOCK};
pub use shard::Shard;
pub use walk::{describe_io_error, walk, Skip, WalkError, WalkOptions, Walked, VCS_DIRS};

/// A path as it is shown to the user: as given on the command line, or as found below a given
/// directory; `-` is standard input. Cheap to clone.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DisplayPath(Arc<PathBuf>);

impl DisplayPath {
    /// Wraps a path.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        DisplayPath(Arc::new(path.into()))
    }

    /// The path.
    pub fn path(&self) -> &Path {
        &self.0
    }

    /// The path's bytes (on Unix, exactly; elsewhere, lossily).
    pub fn as_bytes(&self) -> std::borrow::Cow<'_, [u8]> {
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            std::borrow::Cow::Borrowed(self.0.as_os_str().as_bytes())
        }
        #[cfg(not(unix))]
        {
            std::borrow::Cow::Owned(self.0.to_string_lossy().into_owned().into_bytes())
        }
    }
}

impl std::fmt::Display for DisplayPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0.display())
    }
}

/// Where an input's bytes come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// Standard input.
    Stdin,
    /// A file on disk.
    File(PathBuf),
    /// An object in an object store.
    #[cfg(feature = "object-storage")]
    Object(ObjectInput),
}

/// One input to scan.
#[derive(Clone, Debug)]
pub struct InputFile {
    /// How the input is named in findings and messages.
    pub display: DisplayPath,
    /// Where to read it from.
    pub source: Source,
    /// True when the user named it directly (not found by walking a directory).
    pub explicit: bool,
    /// Its size in bytes, when known.
    pub size: Option<u64>,
}

impl InputFile {
    /// Standard input.
    pub fn stdin() -> Self {
        Self::stdin_named(None)
    }

    /// Standard input, named `name` in findings and messages (`--stdin-name`) instead of `-`.
    pub fn stdin_named(name: Option<&Path>) -> Self {
        InputFile {
            display: DisplayPath::new(name.unwrap_or(Path::new("-"))),
            source: Source::Stdin,
            explicit: true,
            size: None,
        }
    }
}
