//! Compressing the redacted output the way its input was compressed: a gzip input gives a gzip
//! output, and likewise zstd, bzip2 and xz. Nothing here knows about lines or credentials.

use std::io::{self, Write};

use crate::input::Compression;

/// A writer that compresses into `W` (or passes through for plain input).
#[allow(clippy::large_enum_variant)] // one per output, made once
pub enum Encoder<W: Write> {
    /// No compression.
    Plain(W),
    /// gzip (one member).
    Gzip(flate2::write::GzEncoder<W>),
    /// zstd (one frame).
    Zstd(zstd::stream::write::Encoder<'static, W>),
    /// bzip2.
    Bzip2(bzip2::write::BzEncoder<W>),
    /// xz.
    Xz(lzma_rust2::XzWriter<W>),
}

impl<W: Write> Encoder<W> {
    /// Compresses into `inner` with `compression`, at the format's usual default level.
    pub fn new(compression: Compression, inner: W) -> io::Result<Self> {
        Ok(match compression {
            Compression::None => Self::Plain(inner),
            Compression::Gzip => Self::Gzip(flate2::write::GzEncoder::new(
                inner,
                flate2::Compression::default(),
            )),
            Compression::Zstd => Self::Zstd(zstd::stream::write::Encoder::new(inner, 3)?),
            Compression::Bzip2 => Self::Bzip2(bzip2::write::BzEncoder::new(
                inner,
                bzip2::Compression::default(),
            )),
            Compression::Xz => Self::Xz(lzma_rust2::XzWriter::new(
                inner,
                lzma_rust2::XzOptions::with_preset(6),
            )?),
        })
    }

    /// Writes the end of the compressed stream and returns the inner writer (not flushed).
    pub fn finish(self) -> io::Result<W> {
        match self {
            Self::Plain(w) => Ok(w),
            Self::Gzip(e) => e.finish(),
            Self::Zstd(e) => e.finish(),
            Self::Bzip2(e) => e.finish(),
            Self::Xz(e) => e.finish(),
        }
    }
}

impl<W: Write> Write for Encoder<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Self::Plain(w) => w.write(buf),
            Self::Gzip(e) => e.write(buf),
            Self::Zstd(e) => e.write(buf),
            Self::Bzip2(e) => e.write(buf),
            Self::Xz(e) => e.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Self::Plain(w) => w.flush(),
            Self::Gzip(e) => e.flush(),
            Self::Zstd(e) => e.flush(),
            Self::Bzip2(e) => e.flush(),
            Self::Xz(e) => e.flush(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn every_compression_round_trips_through_the_input_decoder() {
        let data: Vec<u8> = (0..3000)
            .flat_map(|i| format!("line {i} key=REDACTED\r\n").into_bytes())
            .collect();
        for compression in [
            Compression::None,
            Compression::Gzip,
            Compression::Zstd,
            Compression::Bzip2,
            Compression::Xz,
        ] {
            let mut encoder = Encoder::new(compression, Vec::new()).unwrap();
            encoder.write_all(&data).unwrap();
            let bytes = encoder.finish().unwrap();
            let mut opened = crate::input::open_reader(Box::new(io::Cursor::new(bytes))).unwrap();
            assert_eq!(opened.compression, compression);
            let mut back = Vec::new();
            opened.reader.read_to_end(&mut back).unwrap();
            assert_eq!(back, data, "{compression:?}");
        }
    }
}
