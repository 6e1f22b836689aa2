//! Opening an input and undoing its compression, recognised by magic bytes (never by name).

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};

use flate2::bufread::MultiGzDecoder;

use super::{InputFile, Source};

/// How an input is compressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    /// Not compressed.
    None,
    /// gzip (one or several members).
    Gzip,
    /// zstd (one or several frames).
    Zstd,
    /// bzip2 (one or several streams).
    Bzip2,
    /// xz (one or several streams).
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

impl Opened {
    /// The same input with its decompressed bytes limited to `max` (`--max-decompressed-size`):
    /// reading past it fails. Uncompressed input is not limited.
    pub fn limited(self, max: Option<u64>) -> Opened {
        if max.is_none() || self.compression == Compression::None {
            return self;
        }
        Opened {
            reader: Box::new(super::budget::Limited::new(
                self.reader,
                super::budget::Budget::new(max),
            )),
            compression: self.compression,
        }
    }
}

/// Bytes read from a file in one call.
pub(super) const READ_BUFFER: usize = 256 * 1024;

/// Opens an input and wraps it in a decompressor when its magic bytes say so. Archives are not
/// looked into: see [`super::read_input`] for that.
pub fn open(input: &InputFile) -> io::Result<Opened> {
    let raw: Box<dyn Read + Send> = match &input.source {
        Source::Stdin => Box::new(io::stdin()),
        Source::File(path) => Box::new(File::open(path)?),
        #[cfg(feature = "object-storage")]
        Source::Object(object) => Box::new(object.open()?),
    };
    open_reader(raw)
}

/// Like [`open`], reading a pipe, FIFO or terminal (standard input or a named one) as
/// [`super::Live`] input: a pause of its writer is reported to the readers above, so that the
/// lines that came so far are read now instead of when more input arrives.
pub fn open_live(input: &InputFile) -> io::Result<Opened> {
    let raw: Box<dyn Read + Send> = match &input.source {
        Source::Stdin => match super::Live::stdin() {
            Some(live) => Box::new(live),
            None => Box::new(io::stdin()),
        },
        Source::File(path) => match super::Live::wrap(File::open(path)?) {
            Ok(live) => Box::new(live),
            Err(file) => Box::new(file),
        },
        #[cfg(feature = "object-storage")]
        Source::Object(_) => return open(input),
    };
    open_reader(raw)
}

/// Wraps an already opened reader (a file, standard input) in a decompressor when its magic bytes
/// say so, like [`open`].
pub fn open_reader(raw: Box<dyn Read + Send>) -> io::Result<Opened> {
    let raw = Replay::strict(raw, MAGIC_LEN)?;
    let compression = sniff_compression(raw.head());
    let decoder = Decoder::new(BufReader::with_capacity(READ_BUFFER, raw), compression)?;
    Ok(Opened {
        reader: Box::new(decoder),
        compression,
    })
}

/// Bytes needed to recognise every compression format.
pub(super) const MAGIC_LEN: usize = 8;

/// A decompressor for any [`Compression`]: concatenated gzip members, zstd frames, bzip2 and xz
/// streams are all read, one after the other.
#[allow(clippy::large_enum_variant)] // one per input or member, made once
pub(super) enum Decoder<R: BufRead> {
    Plain(R),
    Gzip(MultiGzDecoder<R>),
    Zstd(zstd::stream::read::Decoder<'static, R>),
    Bzip2(bzip2::bufread::MultiBzDecoder<R>),
    Xz(Box<XzDecoder<R>>),
}

impl<R: BufRead> Decoder<R> {
    /// Decodes `inner` as `compression`.
    pub(super) fn new(inner: R, compression: Compression) -> io::Result<Self> {
        Ok(match compression {
            Compression::None => Self::Plain(inner),
            Compression::Gzip => Self::Gzip(MultiGzDecoder::new(inner)),
            Compression::Zstd => Self::Zstd(zstd::stream::read::Decoder::with_buffer(inner)?),
            Compression::Bzip2 => Self::Bzip2(bzip2::bufread::MultiBzDecoder::new(inner)),
            Compression::Xz => Self::Xz(Box::new(XzDecoder::new(inner))),
        })
    }
}

impl<R: BufRead> Read for Decoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Self::Plain(r) => r.read(buf),
            Self::Gzip(r) => r.read(buf),
            Self::Zstd(r) => r.read(buf),
            Self::Bzip2(r) => r.read(buf),
            Self::Xz(r) => r.read(buf),
        }
    }
}

/// xz decoding through lzma-rust2's streaming decoder: unlike its blocking `XzReader`, which
/// decodes a whole LZMA2 chunk (up to 2 MiB) per read and drops it when the data ends inside it,
/// this hands over every byte decoded before truncated or corrupt data. Concatenated streams are
/// read one after the other.
pub(super) struct XzDecoder<R> {
    inner: R,
    stream: lzma_rust2::XzStream,
    done: bool,
}

impl<R: BufRead> XzDecoder<R> {
    fn new(inner: R) -> Self {
        XzDecoder {
            inner,
            stream: lzma_rust2::XzStream::new(true),
            done: false,
        }
    }
}

impl<R: BufRead> Read for XzDecoder<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        use lzma_rust2::{Action, Status};
        if out.is_empty() || self.done {
            return Ok(0);
        }
        loop {
            let input = self.inner.fill_buf()?;
            let action = if input.is_empty() {
                Action::Finish
            } else {
                Action::Run
            };
            let result = self.stream.process(input, out, action)?;
            self.inner.consume(result.bytes_consumed);
            if result.status == Status::StreamEnd {
                self.done = true;
                return Ok(result.bytes_produced);
            }
            if result.bytes_produced > 0 {
                return Ok(result.bytes_produced);
            }
            if result.bytes_consumed == 0 {
                // Neither input taken nor output given: never loop on it.
                return Err(match action {
                    Action::Finish => io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "the data ends before the end of the xz stream",
                    ),
                    Action::Run => io::Error::other("the xz decoder stopped making progress"),
                });
            }
        }
    }
}

/// A reader whose first bytes were read ahead to be looked at, and are read again.
pub(super) struct Replay<R> {
    head: Vec<u8>,
    pos: usize,
    error: Option<io::Error>,
    inner: R,
}

impl<R: Read> Replay<R> {
    /// Reads up to `len` bytes ahead; an error is returned.
    pub(super) fn strict(inner: R, len: usize) -> io::Result<Self> {
        let mut replay = Self::lenient(inner, len);
        match replay.error.take() {
            Some(e) => Err(e),
            None => Ok(replay),
        }
    }

    /// Reads up to `len` bytes ahead; an error is kept and returned in its place, after the
    /// bytes read before it.
    pub(super) fn lenient(inner: R, len: usize) -> Self {
        Self::lenient_until(inner, len, |_| false)
    }

    /// Like [`Self::lenient`], stopping early once `enough` says the bytes read so far decide
    /// what is looked for, or at a pause of a live input ([`super::is_pause`]).
    pub(super) fn lenient_until(mut inner: R, len: usize, enough: fn(&[u8]) -> bool) -> Self {
        let mut head = vec![0; len];
        let mut have = 0;
        let mut error = None;
        while have < len && !(have > 0 && enough(&head[..have])) {
            match inner.read(&mut head[have..]) {
                Ok(0) => break,
                Ok(n) => have += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if super::is_pause(&e) => break,
                Err(e) => {
                    error = Some(e);
                    break;
                }
            }
        }
        head.truncate(have);
        Replay {
            head,
            pos: 0,
            error,
            inner,
        }
    }

    /// The bytes read ahead (fewer than asked for at the end of the input or before an error).
    pub(super) fn head(&self) -> &[u8] {
        &self.head
    }
}

impl<R: Read> Read for Replay<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos < self.head.len() {
            let n = buf.len().min(self.head.len() - self.pos);
            buf[..n].copy_from_slice(&self.head[self.pos..self.pos + n]);
            self.pos += n;
            if self.pos == self.head.len() {
                self.head = Vec::new();
                self.pos = 0;
            }
            return Ok(n);
        }
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.inner.read(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// `data` compressed with `compression`, by the codec crates' own encoders.
    pub(crate) fn compress(compression: Compression, data: &[u8]) -> Vec<u8> {
        match compression {
            Compression::None => data.to_vec(),
            Compression::Gzip => {
                let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
                e.write_all(data).unwrap();
                e.finish().unwrap()
            }
            Compression::Zstd => zstd::stream::encode_all(data, 3).unwrap(),
            Compression::Bzip2 => {
                let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
                e.write_all(data).unwrap();
                e.finish().unwrap()
            }
            Compression::Xz => {
                let mut e =
                    lzma_rust2::XzWriter::new(Vec::new(), lzma_rust2::XzOptions::with_preset(1))
                        .unwrap();
                e.write_all(data).unwrap();
                e.finish().unwrap()
            }
        }
    }

    const ALL: [Compression; 4] = [
        Compression::Gzip,
        Compression::Zstd,
        Compression::Bzip2,
        Compression::Xz,
    ];

    fn decode(bytes: &[u8]) -> (Compression, io::Result<Vec<u8>>) {
        let raw = Replay::strict(bytes, MAGIC_LEN).unwrap();
        let compression = sniff_compression(raw.head());
        let mut decoder = Decoder::new(BufReader::new(raw), compression).unwrap();
        let mut out = Vec::new();
        let result = decoder.read_to_end(&mut out).map(|_| out);
        (compression, result)
    }

    #[test]
    fn decodes_every_format_single_and_concatenated() {
        let first: Vec<u8> = (0..2000)
            .flat_map(|i| format!("line {i}\n").into_bytes())
            .collect();
        let second = b"after the join\n".to_vec();
        for compression in ALL {
            let single = compress(compression, &first);
            assert_eq!(decode(&single).0, compression);
            assert_eq!(decode(&single).1.unwrap(), first, "{compression:?}");
            let mut joined = single.clone();
            joined.extend(compress(compression, &second));
            let expected = [first.clone(), second.clone()].concat();
            assert_eq!(
                decode(&joined).1.unwrap(),
                expected,
                "{compression:?} joined"
            );
        }
    }

    #[test]
    fn truncated_or_corrupt_data_is_an_error_not_a_short_read() {
        let data: Vec<u8> = (0..5000)
            .flat_map(|i| format!("line {i} {}\n", i * 7919 % 1000).into_bytes())
            .collect();
        for compression in ALL {
            let full = compress(compression, &data);
            let (_, cut) = decode(&full[..full.len() / 2]);
            assert!(cut.is_err(), "{compression:?} cut in half");
            let (_, tail_cut) = decode(&full[..full.len() - 1]);
            assert!(tail_cut.is_err(), "{compression:?} without its last byte");
            let mut flipped = full.clone();
            let middle = flipped.len() / 2;
            flipped[middle] ^= 0x55;
            assert!(decode(&flipped).1.is_err(), "{compression:?} corrupt");
        }
    }

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
