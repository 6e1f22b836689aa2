//! Opening an input and undoing its compression, recognised by magic bytes (never by name).

use std::fs::File;
use std::io::{self, BufReader, Read};

use flate2::bufread::MultiGzDecoder;

use super::{InputFile, Source};

/// How an input is compressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    /// Not compressed.
    None,
    /// gzip (one or several members).
    Gzip,
    /// zstd (recognised, not yet read).
    Zstd,
    /// bzip2 (recognised, not yet read).
    Bzip2,
    /// xz (recognised, not yet read).
    Xz,
}

impl Compression {
    /// The name shown to users.
    pub fn name(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Gzip => "gzip",
            Self::Zstd => "zstd",
            Self::Bzip2 => "bzip2",
            Self::Xz => "xz",
        }
    }
}

/// Recognises a compression format from the first bytes of a file.
pub fn sniff_compression(head: &[u8]) -> Compression {
    match head {
        [0x1f, 0x8b, ..] => Compression::Gzip,
        [0x28, 0xb5, 0x2f, 0xfd, ..] => Compression::Zstd,
        [b'B', b'Z', b'h', b'1'..=b'9', ..] => Compression::Bzip2,
        [0xfd, b'7', b'z', b'X', b'Z', 0x00, ..] => Compression::Xz,
        _ => Compression::None,
    }
}

/// An opened input: its decompressed bytes and what it was compressed with.
pub struct Opened {
    /// The decompressed content.
    pub reader: Box<dyn Read + Send>,
    /// The compression found.
    pub compression: Compression,
}

/// Bytes read from a file in one call.
const READ_BUFFER: usize = 256 * 1024;

/// Opens an input and wraps it in a decompressor when its magic bytes say so.
pub fn open(input: &InputFile) -> io::Result<Opened> {
    let mut raw: Box<dyn Read + Send> = match &input.source {
        Source::Stdin => Box::new(io::stdin()),
        Source::File(path) => Box::new(File::open(path)?),
    };
    let mut head = [0u8; 8];
    let mut have = 0;
    while have < head.len() {
        match raw.read(&mut head[have..]) {
            Ok(0) => break,
            Ok(n) => have += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    let compression = sniff_compression(&head[..have]);
    let joined = io::Cursor::new(head[..have].to_vec()).chain(raw);
    let buffered = BufReader::with_capacity(READ_BUFFER, joined);
    let reader: Box<dyn Read + Send> = match compression {
        Compression::None => Box::new(buffered),
        Compression::Gzip => Box::new(MultiGzDecoder::new(buffered)),
        other => {
            return Err(io::Error::new(
                io::ErrorKind::Unsupported,
                format!("{}-compressed input is not supported yet", other.name()),
            ))
        }
    };
    Ok(Opened {
        reader,
        compression,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_magic_bytes() {
        assert_eq!(sniff_compression(&[0x1f, 0x8b, 8]), Compression::Gzip);
        assert_eq!(
            sniff_compression(&[0x28, 0xb5, 0x2f, 0xfd]),
            Compression::Zstd
        );
        assert_eq!(sniff_compression(b"BZh9"), Compression::Bzip2);
        assert_eq!(
            sniff_compression(&[0xfd, b'7', b'z', b'X', b'Z', 0]),
            Compression::Xz
        );
        assert_eq!(sniff_compression(b"127.0.0.1 - -"), Compression::None);
        assert_eq!(sniff_compression(b""), Compression::None);
    }
}
