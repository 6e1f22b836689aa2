//! Reading an input as the text streams it holds: the input itself once its compression is
//! undone, or, for a tar or zip archive, each regular member in turn (its own compression undone
//! too), named `archive!member`.
//!
//! Everything is recognised by magic bytes, never by name. Compressed inputs are decompressed on
//! their own thread ([`super::pump`]). Memory stays bounded: tar members are streamed, zip
//! members are read through the zip's central directory with seeking (a zip that is not a
//! regular file is first copied to an anonymous temporary file), and no member is ever read
//! whole into memory. This module knows nothing about lines or log formats.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek};
use std::ops::ControlFlow;
use std::sync::Arc;

use super::budget::{Budget, Limited};
use super::failure::{ReadFailure, Tagged};
use super::open::{Decoder, Replay, MAGIC_LEN, READ_BUFFER};
use super::pump::{pump, pump_blocks, BlockPump};
use super::{describe_io_error, sniff_compression, Compression, DisplayPath, InputFile, Source};

/// How to read inputs.
#[derive(Clone, Debug)]
pub struct ReadOptions {
    /// Stop decompressing an input after this many decompressed bytes (`None`: no limit).
    pub max_decompressed: Option<u64>,
    /// Decompress on a separate thread when the compressed input is at least this large (or of
    /// unknown size); smaller ones are not worth a thread.
    pub thread_min_size: u64,
    /// When set, a compressed input that is decompressed on its own thread and is not an
    /// archive is handed over as line-aligned blocks ([`MemberContent::Blocks`]) rather than as
    /// a byte stream.
    pub line_blocks: Option<LineBlocks>,
    /// Read a pipe, FIFO or terminal as [`super::Live`] input: the readers report a pause of its
    /// writer (a `WouldBlock` error once per pause, see [`super::is_pause`]) so that what came
    /// so far is scanned now. Only for readers that handle it.
    pub live: bool,
}

/// The blocks of [`MemberContent::Blocks`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineBlocks {
    /// Bytes per block (lines longer than this make a block larger).
    pub block_size: usize,
    /// Blocks handed out and not yet given back before the decompression thread waits.
    pub in_flight: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            max_decompressed: None,
            thread_min_size: 128 * 1024,
            line_blocks: None,
            live: false,
        }
    }
}

/// An archive format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArchiveKind {
    /// A tar archive (POSIX or GNU).
    Tar,
    /// A zip archive.
    Zip,
}

impl ArchiveKind {
    /// The name shown to users.
    pub fn name(self) -> &'static str {
        match self {
            Self::Tar => "tar",
            Self::Zip => "zip",
        }
    }
}

/// Bytes of one tar header block, enough to recognise any archive.
const TAR_BLOCK: usize = 512;

/// Recognises an archive from the first (decompressed) bytes of a stream.
pub fn sniff_archive(head: &[u8]) -> Option<ArchiveKind> {
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        return Some(ArchiveKind::Zip);
    }
    let block = head.get(..TAR_BLOCK)?;
    (&block[257..262] == b"ustar" && tar_checksum_ok(block)).then_some(ArchiveKind::Tar)
}

/// True when a tar header block's checksum (the sum of its bytes, the checksum field counted as
/// spaces) matches the octal number stored in it.
fn tar_checksum_ok(block: &[u8]) -> bool {
    let field = &block[148..156];
    let mut digits = field
        .iter()
        .skip_while(|&&b| b == b' ')
        .take_while(|b| b.is_ascii_digit());
    let Some(stored) = digits.try_fold(0u32, |n, &d| {
        n.checked_mul(8).map(|n| n + u32::from(d - b'0'))
    }) else {
        return false;
    };
    let sum: u32 = block
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            if (148..156).contains(&i) {
                u32::from(b' ')
            } else {
                u32::from(b)
            }
        })
        .sum();
    sum == stored
}

/// One text stream of an input: the input itself, or a member of an archive.
pub struct Member<'a> {
    /// How it is named: the input, or `archive!member` with `explicit` false and the member's size.
    pub input: InputFile,
    /// What there is to read.
    pub content: MemberContent<'a>,
}

/// What a [`Member`] holds.
pub enum MemberContent<'a> {
    /// The decompressed bytes.
    Readable(Box<dyn Read + 'a>),
    /// The decompressed bytes as line-aligned blocks cut on the decompression thread (only
    /// with [`ReadOptions::line_blocks`]).
    Blocks(BlockPump),
    /// Not read because it is not a text log (e.g. an archive inside the archive), with why.
    NotRead(String),
    /// Cannot be read, with why (e.g. an encrypted zip member).
    Unreadable(String),
}

/// Why an input could not be read (beyond what its members report).
#[derive(Debug)]
pub enum ReadError {
    /// The input could not be opened.
    Open(io::Error),
    /// The archive's own structure is damaged, or it cannot be read at all; the message names
    /// what went wrong and what was read before.
    Archive(String),
}

/// Reads `input`, handing each text stream it holds to `visit` in order: the input itself, or
/// each regular member of a tar or zip archive (directories, links and other special members are
/// ignored). `visit` returns `Break` to stop reading this input.
pub fn read_input(
    input: &InputFile,
    options: &ReadOptions,
    visit: &mut dyn FnMut(Member<'_>) -> ControlFlow<()>,
) -> Result<(), ReadError> {
    let raw: Box<dyn Read + Send> = match &input.source {
        Source::Stdin => match options.live.then(super::Live::stdin).flatten() {
            Some(live) => Box::new(live),
            None => Box::new(io::stdin()),
        },
        Source::File(path) => {
            let file = File::open(path).map_err(ReadError::Open)?;
            match options.live {
                true => match super::Live::wrap(file) {
                    Ok(live) => Box::new(live),
                    Err(file) => Box::new(file),
                },
                false => Box::new(file),
            }
        }
        #[cfg(feature = "object-storage")]
        Source::Object(object) => Box::new(object.open().map_err(ReadError::Open)?),
    };
    read_stream(input, raw, options, visit)
}

/// Like [`read_input`], with the input's raw bytes coming from `raw` (already opened) instead of
/// its source. A plain zip archive is opened again by path when `input` is a file with a size, to
/// seek in it; otherwise it is copied to a temporary file to be read.
pub fn read_stream(
    input: &InputFile,
    raw: Box<dyn Read + Send>,
    options: &ReadOptions,
    visit: &mut dyn FnMut(Member<'_>) -> ControlFlow<()>,
) -> Result<(), ReadError> {
    let raw = Replay::strict(raw, MAGIC_LEN).map_err(ReadError::Open)?;
    let compression = sniff_compression(raw.head());
    let budget = Budget::new(options.max_decompressed);
    let buffered = BufReader::with_capacity(READ_BUFFER, Tagged::read(raw));
    let stream: Box<dyn Read + Send> = if compression == Compression::None {
        Box::new(buffered)
    } else {
        let decoder = Decoder::new(buffered, compression).map_err(ReadError::Open)?;
        let decoded = Limited::new(
            Tagged::corrupt(decoder, compression.name(), true),
            budget.clone(),
        );
        let threaded = input
            .size
            .is_none_or(|size| size >= options.thread_min_size);
        if let (true, Some(blocks)) = (threaded, options.line_blocks) {
            // Look for an archive first: only a text stream is cut into lines.
            let decoded = Replay::lenient(decoded, TAR_BLOCK);
            if sniff_archive(decoded.head()).is_none() {
                let pump = pump_blocks(decoded, blocks.in_flight, blocks.block_size)
                    .map_err(ReadError::Open)?;
                let _ = visit(Member {
                    input: input.clone(),
                    content: MemberContent::Blocks(pump),
                });
                return Ok(());
            }
            Box::new(pump(decoded).map_err(ReadError::Open)?)
        } else if threaded {
            Box::new(pump(decoded).map_err(ReadError::Open)?)
        } else {
            Box::new(decoded)
        }
    };
    let stream = match options.live {
        // A live writer may pause before a tar header's worth of text: the first line decides.
        true => Replay::lenient_until(stream, TAR_BLOCK, super::starts_like_text),
        false => Replay::lenient(stream, TAR_BLOCK),
    };
    match sniff_archive(stream.head()) {
        None => {
            let _ = visit(Member {
                input: input.clone(),
                content: MemberContent::Readable(Box::new(stream)),
            });
            Ok(())
        }
        Some(ArchiveKind::Tar) => read_tar(input, stream, &budget, visit),
        Some(ArchiveKind::Zip) => match (&input.source, compression, input.size) {
            // A regular file (it has a size) is opened again, to seek in it.
            (Source::File(path), Compression::None, Some(_)) => {
                drop(stream);
                let file = File::open(path).map_err(ReadError::Open)?;
                read_zip(input, BufReader::new(file), &budget, visit)
            }
            _ => {
                let spooled = spool(stream)?;
                read_zip(input, BufReader::new(spooled), &budget, visit)
            }
        },
    }
}

/// The name of a member: `archive!member`.
fn member_input(archive: &InputFile, name: &[u8], size: u64) -> InputFile {
    let mut bytes = archive.display.as_bytes().into_owned();
    bytes.push(b'!');
    bytes.extend_from_slice(name);
    #[cfg(unix)]
    let path = {
        use std::os::unix::ffi::OsStringExt;
        std::path::PathBuf::from(std::ffi::OsString::from_vec(bytes))
    };
    #[cfg(not(unix))]
    let path = std::path::PathBuf::from(String::from_utf8_lossy(&bytes).into_owned());
    InputFile {
        display: DisplayPath::new(path),
        source: archive.source.clone(),
        explicit: false,
        size: Some(size),
    }
}

/// A member's content with its own compression undone; archives inside archives are not read.
fn member_content<'a, R: Read + 'a>(reader: R, budget: &Arc<Budget>) -> MemberContent<'a> {
    let raw = Replay::lenient(reader, MAGIC_LEN);
    let compression = sniff_compression(raw.head());
    let decoded: Box<dyn Read + 'a> = if compression == Compression::None {
        Box::new(raw)
    } else {
        match Decoder::new(BufReader::new(raw), compression) {
            Ok(decoder) => Box::new(Limited::new(
                Tagged::corrupt(decoder, compression.name(), false),
                budget.clone(),
            )),
            Err(e) => {
                return MemberContent::Unreadable(format!(
                    "cannot decompress {} data: {}",
                    compression.name(),
                    describe_io_error(&e)
                ))
            }
        }
    };
    let decoded = Replay::lenient(decoded, TAR_BLOCK);
    if let Some(kind) = sniff_archive(decoded.head()) {
        return MemberContent::NotRead(format!(
            "not a text log ({} archive inside an archive)",
            kind.name()
        ));
    }
    MemberContent::Readable(Box::new(decoded))
}

/// Describes a failure to read an archive's structure, after the members already read.
fn archive_problem(kind: ArchiveKind, e: &io::Error, last_member: Option<&[u8]>) -> String {
    let after = match last_member {
        Some(name) => format!("after member {}", String::from_utf8_lossy(name)),
        None => "at its start".to_string(),
    };
    let read_before = match last_member {
        Some(_) => "; the members before were scanned",
        None => "",
    };
    match ReadFailure::find(e) {
        Some(failure @ ReadFailure::Limit { .. }) => format!("{failure}{read_before}"),
        Some(ReadFailure::Read { source }) => {
            format!(
                "read error {after}: {}{read_before}",
                describe_io_error(source)
            )
        }
        Some(ReadFailure::Corrupt { format, source, .. }) => format!(
            "truncated or corrupt {format} data {after} ({}){read_before}",
            describe_io_error(source)
        ),
        None => format!(
            "truncated or corrupt {} data {after} ({}){read_before}",
            kind.name(),
            describe_io_error(e)
        ),
    }
}

fn read_tar<R: Read>(
    input: &InputFile,
    stream: R,
    budget: &Arc<Budget>,
    visit: &mut dyn FnMut(Member<'_>) -> ControlFlow<()>,
) -> Result<(), ReadError> {
    let mut archive = tar::Archive::new(stream);
    let entries = archive
        .entries()
        .map_err(|e| ReadError::Archive(archive_problem(ArchiveKind::Tar, &e, None)))?;
    let mut last: Option<Vec<u8>> = None;
    for entry in entries {
        let entry = entry.map_err(|e| {
            ReadError::Archive(archive_problem(ArchiveKind::Tar, &e, last.as_deref()))
        })?;
        let kind = entry.header().entry_type();
        if !(kind.is_file() || kind.is_contiguous() || kind.is_gnu_sparse()) {
            continue; // directories, links, devices, FIFOs
        }
        let name = entry.path_bytes().into_owned();
        let size = entry.size();
        let member = Member {
            input: member_input(input, &name, size),
            content: member_content(
                TarMember {
                    expected: (!kind.is_gnu_sparse()).then_some(size),
                    read: 0,
                    entry,
                },
                budget,
            ),
        };
        last = Some(name);
        if visit(member).is_break() {
            break;
        }
    }
    Ok(())
}

/// A tar member's data; an archive that ends inside it is an error, not a short member.
struct TarMember<E> {
    entry: E,
    expected: Option<u64>,
    read: u64,
}

impl<E: Read> Read for TarMember<E> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.entry.read(buf)?;
        self.read += n as u64;
        if n == 0 && !buf.is_empty() && self.expected.is_some_and(|size| self.read < size) {
            return Err(ReadFailure::Corrupt {
                format: "tar",
                whole_input: true,
                source: io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the archive ends inside this member",
                ),
            }
            .into_io());
        }
        Ok(n)
    }
}

/// Copies a stream that holds a zip archive to an anonymous temporary file, to read it with
/// seeking.
fn spool(mut stream: impl Read) -> Result<File, ReadError> {
    let cannot = |e: &io::Error| {
        ReadError::Archive(format!(
            "cannot copy the zip archive to a temporary file to read it: {}",
            describe_io_error(e)
        ))
    };
    let mut file = tempfile::tempfile().map_err(|e| cannot(&e))?;
    if let Err(e) = io::copy(&mut stream, &mut file) {
        if ReadFailure::find(&e).is_some() {
            return Err(ReadError::Archive(format!(
                "{}; the zip archive was not read",
                archive_problem(ArchiveKind::Zip, &e, None)
            )));
        }
        return Err(cannot(&e));
    }
    file.rewind().map_err(|e| cannot(&e))?;
    Ok(file)
}

fn read_zip<R: Read + Seek>(
    input: &InputFile,
    reader: R,
    budget: &Arc<Budget>,
    visit: &mut dyn FnMut(Member<'_>) -> ControlFlow<()>,
) -> Result<(), ReadError> {
    let mut zip = zip::ZipArchive::new(reader).map_err(|e| {
        ReadError::Archive(format!(
            "truncated or corrupt zip data ({e}); nothing was scanned"
        ))
    })?;
    for index in 0..zip.len() {
        let name = match zip.by_index_raw(index) {
            Ok(raw) if raw.is_dir() || raw.is_symlink() => continue,
            Ok(raw) => raw.name_raw().to_vec(),
            Err(_) => format!("#{}", index + 1).into_bytes(),
        };
        let file = match zip.by_index(index) {
            Ok(file) => file,
            Err(e) => {
                // Encrypted, or compressed with a method that is not supported.
                let member = Member {
                    input: member_input(input, &name, 0),
                    content: MemberContent::Unreadable(format!("cannot read this zip member: {e}")),
                };
                if visit(member).is_break() {
                    break;
                }
                continue;
            }
        };
        let size = file.size();
        let decoded = Limited::new(Tagged::corrupt(file, "zip", false), budget.clone());
        let member = Member {
            input: member_input(input, &name, size),
            content: member_content(decoded, budget),
        };
        if visit(member).is_break() {
            break;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn tar_of(members: &[(&str, &[u8])]) -> Vec<u8> {
        let mut builder = tar::Builder::new(Vec::new());
        for (name, data) in members {
            let mut header = tar::Header::new_gnu();
            header.set_size(data.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            builder.append_data(&mut header, name, *data).unwrap();
        }
        builder.into_inner().unwrap()
    }

    fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
        for (name, data) in members {
            writer
                .start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            writer.write_all(data).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    /// Reads `bytes` written to a file as an input; returns (name, content or what happened).
    fn read_all(bytes: &[u8], options: &ReadOptions) -> (Vec<(String, String)>, Option<String>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("input");
        std::fs::write(&path, bytes).unwrap();
        let input = InputFile {
            display: DisplayPath::new("in"),
            source: Source::File(path),
            explicit: true,
            size: Some(bytes.len() as u64),
        };
        let mut seen = Vec::new();
        let result = read_input(&input, options, &mut |member| {
            let mut flow = ControlFlow::Continue(());
            let content = match member.content {
                MemberContent::Blocks(pump) => {
                    MemberContent::Readable(Box::new(pump.into_reader()))
                }
                other => other,
            };
            let what = match content {
                MemberContent::Blocks(_) => unreachable!("read above"),
                MemberContent::Readable(mut r) => {
                    let mut out = Vec::new();
                    match r.read_to_end(&mut out) {
                        Ok(_) => String::from_utf8_lossy(&out).into_owned(),
                        Err(e) => {
                            if crate::input::read_problem(&e, 0).ends_input {
                                flow = ControlFlow::Break(());
                            }
                            format!("error: {e}")
                        }
                    }
                }
                MemberContent::NotRead(why) => format!("not read: {why}"),
                MemberContent::Unreadable(why) => format!("unreadable: {why}"),
            };
            seen.push((member.input.display.to_string(), what));
            flow
        });
        let error = match result {
            Ok(()) => None,
            Err(ReadError::Archive(m)) => Some(m),
            Err(ReadError::Open(e)) => Some(format!("open: {e}")),
        };
        (seen, error)
    }

    #[test]
    fn recognises_archives() {
        let tar = tar_of(&[("a.log", b"x\n")]);
        assert_eq!(sniff_archive(&tar), Some(ArchiveKind::Tar));
        let mut damaged = tar.clone();
        damaged[0] ^= 1;
        assert_eq!(sniff_archive(&damaged), None, "bad checksum");
        assert_eq!(sniff_archive(&tar[..300]), None);
        assert_eq!(
            sniff_archive(&zip_of(&[("a", b"x")])),
            Some(ArchiveKind::Zip)
        );
        assert_eq!(sniff_archive(&zip_of(&[])), Some(ArchiveKind::Zip));
        let mut log = b"1.2.3.4 - - [x] \"GET /ustar HTTP/1.1\" 200 1\n".repeat(20);
        log[257..262].copy_from_slice(b"ustar");
        assert_eq!(sniff_archive(&log), None);
    }

    #[test]
    fn plain_and_compressed_inputs_are_one_member() {
        for threaded in [0, u64::MAX] {
            let options = ReadOptions {
                thread_min_size: threaded,
                ..ReadOptions::default()
            };
            for bytes in [b"a\nb\n".to_vec(), gzip(b"a\nb\n"), Vec::new()] {
                let (seen, error) = read_all(&bytes, &options);
                assert_eq!(error, None);
                let expected = if bytes.is_empty() { "" } else { "a\nb\n" };
                assert_eq!(seen, [("in".to_string(), expected.to_string())]);
            }
        }
    }

    #[test]
    fn tar_members_are_read_in_order_with_nested_compression_undone() {
        let tar = tar_of(&[
            ("var/log/a.log", b"first\n"),
            ("var/log/b.log.gz", &gzip(b"second\n")),
            ("inner.tar", &tar_of(&[("x", b"y")])),
            ("empty.log", b""),
        ]);
        for bytes in [tar.clone(), gzip(&tar)] {
            let (seen, error) = read_all(&bytes, &ReadOptions::default());
            assert_eq!(error, None);
            let seen: Vec<(&str, &str)> =
                seen.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
            assert_eq!(
                seen,
                [
                    ("in!var/log/a.log", "first\n"),
                    ("in!var/log/b.log.gz", "second\n"),
                    (
                        "in!inner.tar",
                        "not read: not a text log (tar archive inside an archive)"
                    ),
                    ("in!empty.log", ""),
                ]
            );
        }
    }

    #[test]
    fn zip_members_are_read_from_files_and_from_streams() {
        let zip = zip_of(&[("a.log", b"first\n"), ("dir/b.log.gz", &gzip(b"second\n"))]);
        for bytes in [zip.clone(), gzip(&zip)] {
            let (seen, error) = read_all(&bytes, &ReadOptions::default());
            assert_eq!(error, None);
            assert_eq!(
                seen,
                [
                    ("in!a.log".to_string(), "first\n".to_string()),
                    ("in!dir/b.log.gz".to_string(), "second\n".to_string()),
                ]
            );
        }
    }

    #[test]
    fn a_truncated_tar_is_an_error_in_the_member_it_ends_in() {
        let tar = tar_of(&[("a.log", b"first\n"), ("b.log", &[b'x'; 3000])]);
        let (seen, error) = read_all(&tar[..2048], &ReadOptions::default());
        assert_eq!(error, None);
        assert_eq!(seen[0], ("in!a.log".to_string(), "first\n".to_string()));
        assert_eq!(seen[1].0, "in!b.log");
        assert!(
            seen[1].1.contains("the archive ends inside this member"),
            "{seen:?}"
        );
    }

    #[test]
    fn a_truncated_zip_is_named() {
        let zip = zip_of(&[("a.log", b"first\n")]);
        let (seen, error) = read_all(&zip[..zip.len() - 30], &ReadOptions::default());
        assert!(seen.is_empty());
        let error = error.expect("an error");
        assert!(
            error.starts_with("truncated or corrupt zip data"),
            "{error}"
        );
    }
}
