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
pub use open::{open, open_live, open_reader, sniff_compression, Compression, Opened};
pub use pump::{BlockBytes, BlockPump, CutLines, Next, Recycler, FIRST_BLOCK};
pub use shard::Shard;
pub use walk::{describe_io_error, walk, Skip, WalkError, WalkOptions, Walked, VCS_DIRS};

/// A path as it is shown to the user: as given on the command line, or as found below a given
/// directory; `-` is standard input. A name that holds a credential (a presigned URL saved as a
/// file name, a token in an object key) is shown with it masked, once [`mask_names_with`] has
/// said how. Cheap to clone.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DisplayPath(Arc<Named>);

/// A path and, when it holds a credential, the same path with the credential masked.
#[derive(Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Named {
    path: PathBuf,
    masked: Option<PathBuf>,
}

/// Masks the credentials in a name: `None` when it holds none.
type NameMask = Box<dyn Fn(&[u8]) -> Option<Vec<u8>> + Send + Sync>;

static NAME_MASK: std::sync::OnceLock<NameMask> = std::sync::OnceLock::new();

/// From now on, every input name holding a credential is shown masked by `mask` (which returns
/// `None` for a name without any): in findings, reports and messages. Commands call it once,
/// before any input is named, unless `--show-secrets`; later calls change nothing.
pub fn mask_names_with(mask: impl Fn(&[u8]) -> Option<Vec<u8>> + Send + Sync + 'static) {
    let _ = NAME_MASK.set(Box::new(mask));
}

/// `name` with its credentials masked by the mask in force, when it holds any.
pub fn masked_name(name: &[u8]) -> Option<Vec<u8>> {
    NAME_MASK.get().and_then(|mask| mask(name))
}

fn path_of_bytes(bytes: Vec<u8>) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        PathBuf::from(std::ffi::OsString::from_vec(bytes))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8_lossy(&bytes).into_owned())
    }
}

impl DisplayPath {
    /// Wraps a path.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let masked = masked_name(path.as_os_str().as_encoded_bytes()).map(path_of_bytes);
        DisplayPath(Arc::new(Named { path, masked }))
    }

    /// The path, in clear: to open it, and to match it against globs.
    pub fn path(&self) -> &Path {
        &self.0.path
    }

    /// The path as it is shown: with any credential in it masked.
    pub fn shown(&self) -> &Path {
        self.0.masked.as_deref().unwrap_or(&self.0.path)
    }

    /// The bytes of the path as it is shown (on Unix, exactly; elsewhere, lossily).
    pub fn as_bytes(&self) -> std::borrow::Cow<'_, [u8]> {
        bytes_of(self.shown())
    }

    /// The bytes of the path in clear, for what must not depend on masking (`--shard`).
    pub fn clear_bytes(&self) -> std::borrow::Cow<'_, [u8]> {
        bytes_of(self.path())
    }
}

fn bytes_of(path: &Path) -> std::borrow::Cow<'_, [u8]> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        std::borrow::Cow::Borrowed(path.as_os_str().as_bytes())
    }
    #[cfg(not(unix))]
    {
        std::borrow::Cow::Owned(path.to_string_lossy().into_owned().into_bytes())
    }
}

impl std::fmt::Display for DisplayPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.shown().display())
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
