//! Saying which layer of an input failed: the file itself, a decompressor, an archive, or the
//! `--max-decompressed-size` budget.
//!
//! Every layer tags the errors it raises with a [`ReadFailure`], and leaves errors that already
//! carry one alone, so the innermost cause survives however many layers (decompressors, the
//! decompression thread, the tar reader) an error passes through. Nothing here decides what to do
//! about a failure; it only names it.

use std::error::Error;
use std::io::{self, Read};

use super::describe_io_error;

/// What went wrong while reading an input.
#[derive(Debug, thiserror::Error)]
pub enum ReadFailure {
    /// Reading the file (or standard input) itself failed.
    #[error("read error: {}", describe_io_error(source))]
    Read {
        /// The error of the operating system.
        source: io::Error,
    },
    /// Compressed or archived data could not be decoded.
    #[error("truncated or corrupt {format} data ({})", describe_io_error(source))]
    Corrupt {
        /// The format: `gzip`, `zstd`, `bzip2`, `xz`, `tar`, `zip`.
        format: &'static str,
        /// True when the damage is in the stream of the whole input, so nothing after it can be
        /// read; false when it is inside one archive member, and the next member can be.
        whole_input: bool,
        /// What the decoder said.
        source: io::Error,
    },
    /// Decompression stopped at `--max-decompressed-size`.
    #[error("stopped after {limit} decompressed bytes (--max-decompressed-size)")]
    Limit {
        /// The limit, in bytes.
        limit: u64,
    },
}

impl ReadFailure {
    /// The failure carried by `error`, looking through every layer that wrapped it.
    pub fn find(error: &io::Error) -> Option<&ReadFailure> {
        let mut next: Option<&(dyn Error + 'static)> = Some(error);
        while let Some(current) = next {
            if let Some(failure) = current.downcast_ref::<ReadFailure>() {
                return Some(failure);
            }
            next = match current.downcast_ref::<io::Error>() {
                Some(io) => io.get_ref().map(|inner| inner as &(dyn Error + 'static)),
                None => current.source(),
            };
        }
        None
    }

    /// True when nothing after this failure can be read from the input (as opposed to damage
    /// inside one archive member).
    pub fn ends_input(&self) -> bool {
        match self {
            Self::Corrupt { whole_input, .. } => *whole_input,
            Self::Read { .. } | Self::Limit { .. } => true,
        }
    }

    /// An I/O error carrying this failure.
    pub fn into_io(self) -> io::Error {
        let kind = match &self {
            Self::Read { source } | Self::Corrupt { source, .. } => source.kind(),
            Self::Limit { .. } => io::ErrorKind::FileTooLarge,
        };
        io::Error::new(kind, self)
    }
}

/// What a failed read means for the scan of one input (or member).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadProblem {
    /// One line for the user, without the path: what failed, after which line, and that the
    /// lines before were scanned.
    pub message: String,
    /// True when the rest of the input cannot be read; false when only this archive member is
    /// damaged and the next one can be read.
    pub ends_input: bool,
}

/// Describes a read error met after `lines` lines of an input or member.
pub fn read_problem(error: &io::Error, lines: u64) -> ReadProblem {
    match ReadFailure::find(error) {
        Some(ReadFailure::Read { source }) => ReadProblem {
            message: format!(
                "read error after line {lines}: {}",
                describe_io_error(source)
            ),
            ends_input: true,
        },
        Some(failure @ ReadFailure::Corrupt { format, source, .. }) => ReadProblem {
            message: format!(
                "truncated or corrupt {format} data after line {lines} ({}); the lines before were scanned",
                describe_io_error(source)
            ),
            ends_input: failure.ends_input(),
        },
        Some(limit @ ReadFailure::Limit { .. }) => ReadProblem {
            message: format!("{limit}; the lines before were scanned"),
            ends_input: true,
        },
        None => ReadProblem {
            message: format!("read error after line {lines}: {}", describe_io_error(error)),
            ends_input: true,
        },
    }
}

/// A reader that tags the errors of the reader it wraps (unless they already carry a
/// [`ReadFailure`]).
pub struct Tagged<R> {
    inner: R,
    tag: Tag,
}

#[derive(Clone, Copy)]
enum Tag {
    Read,
    Corrupt {
        format: &'static str,
        whole_input: bool,
    },
}

impl<R> Tagged<R> {
    /// Errors of `inner` are errors reading the file.
    pub fn read(inner: R) -> Self {
        Tagged {
            inner,
            tag: Tag::Read,
        }
    }

    /// Errors of `inner` are damaged `format` data, in the whole input's stream or in one member.
    pub fn corrupt(inner: R, format: &'static str, whole_input: bool) -> Self {
        Tagged {
            inner,
            tag: Tag::Corrupt {
                format,
                whole_input,
            },
        }
    }
}

impl<R: Read> Read for Tagged<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.inner.read(buf) {
            Err(e)
                if e.kind() != io::ErrorKind::Interrupted
                    && !super::is_pause(&e)
                    && ReadFailure::find(&e).is_none() =>
            {
                let failure = match self.tag {
                    Tag::Read => ReadFailure::Read { source: e },
                    Tag::Corrupt {
                        format,
                        whole_input,
                    } => ReadFailure::Corrupt {
                        format,
                        whole_input,
                        source: e,
                    },
                };
                Err(failure.into_io())
            }
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Failing(io::ErrorKind);

    impl Read for Failing {
        fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
            Err(io::Error::new(self.0, "boom"))
        }
    }

    #[test]
    fn the_innermost_tag_wins() {
        let mut layered = Tagged::corrupt(
            Tagged::corrupt(Tagged::read(Failing(io::ErrorKind::Other)), "gzip", true),
            "tar",
            false,
        );
        let e = layered.read(&mut [0; 4]).unwrap_err();
        assert!(matches!(
            ReadFailure::find(&e),
            Some(ReadFailure::Read { .. })
        ));
        let problem = read_problem(&e, 7);
        assert_eq!(problem.message, "read error after line 7: boom");
        assert!(problem.ends_input);
    }

    #[test]
    fn corrupt_member_data_does_not_end_the_input() {
        let mut member = Tagged::corrupt(Failing(io::ErrorKind::InvalidData), "gzip", false);
        let e = member.read(&mut [0; 4]).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidData);
        let problem = read_problem(&e, 3);
        assert_eq!(
            problem.message,
            "truncated or corrupt gzip data after line 3 (boom); the lines before were scanned"
        );
        assert!(!problem.ends_input);
    }

    #[test]
    fn found_through_other_error_types() {
        #[derive(Debug, thiserror::Error)]
        #[error("wrapper")]
        struct Wrapper(#[source] io::Error);
        let inner = ReadFailure::Limit { limit: 10 }.into_io();
        let wrapped = io::Error::other(Wrapper(inner));
        assert!(matches!(
            ReadFailure::find(&wrapped),
            Some(ReadFailure::Limit { limit: 10 })
        ));
        assert_eq!(
            read_problem(&wrapped, 0).message,
            "stopped after 10 decompressed bytes (--max-decompressed-size); the lines before were scanned"
        );
        assert!(ReadFailure::find(&io::Error::other("plain")).is_none());
    }
}
