//! Live input: a pipe, FIFO or terminal whose writer may pause (`tail -F access.log | logleaks
//! scan`). The readers above it fill buffers before they hand anything on (format detection
//! waits for its first lines); when the writer pauses, they must work with what came so far, so
//! that the findings in it are reported now rather than when more input arrives.
//!
//! [`Live`] tells them once per pause: when no byte is ready, a line has ended among the bytes it
//! gave since the last pause (the writer may have paused in the middle of the next one), and the
//! stream looks like text (not compressed, not an archive), one read returns
//! [`io::ErrorKind::WouldBlock`]; the next read waits for input as usual. A reader that fills a
//! buffer stops there and uses what it has; one that needs more reads again. Nothing here
//! depends on time: a pause is "nothing to read right now".

use std::fs::File;
use std::io::{self, Read};

/// A reader of a pipe, FIFO or terminal that reports pauses of its writer once each.
pub struct Live {
    file: File,
    /// Whether the stream starts like text (`None`: not known yet).
    text: Option<bool>,
    /// The first bytes, kept until they decide `text`.
    start: Vec<u8>,
    /// A line has ended in the bytes given since the last pause was reported.
    line_ended: bool,
}

impl Live {
    /// Wraps `file` when it is a pipe, FIFO, socket or terminal (anything but a regular file or
    /// a block device); otherwise gives it back.
    pub fn wrap(file: File) -> Result<Live, File> {
        match file.metadata() {
            Ok(meta) if is_live_type(&meta) => Ok(Live {
                file,
                text: None,
                start: Vec::new(),
                line_ended: false,
            }),
            _ => Err(file),
        }
    }

    /// A reader of this process's standard input: a [`Live`] one when it is a pipe, FIFO or
    /// terminal, else `None` (read it as usual). The descriptor is duplicated so that nothing
    /// is buffered out of sight (`io::stdin` keeps a buffer of its own).
    pub fn stdin() -> Option<Live> {
        #[cfg(unix)]
        {
            use std::os::fd::AsFd;
            let owned = io::stdin().as_fd().try_clone_to_owned().ok()?;
            Live::wrap(File::from(owned)).ok()
        }
        #[cfg(not(unix))]
        {
            None
        }
    }

    /// True when a read would return at once.
    fn ready(&self) -> bool {
        self.poll(0)
    }

    /// Waits until a read would return.
    fn wait(&self) {
        self.poll(-1);
    }

    /// Polls for input for at most `timeout_ms` (-1: no limit); true when a read would return.
    fn poll(&self, timeout_ms: i32) -> bool {
        #[cfg(unix)]
        {
            use std::os::fd::AsRawFd;
            let mut poll = libc::pollfd {
                fd: self.file.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one valid pollfd.
            let n = unsafe { libc::poll(&mut poll, 1, timeout_ms) };
            // On an error, say ready: the read that follows reports it or waits as usual.
            n != 0
        }
        #[cfg(not(unix))]
        {
            let _ = timeout_ms;
            true
        }
    }
}

fn is_live_type(meta: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        t.is_fifo() || t.is_socket() || t.is_char_device()
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        false
    }
}

impl Read for Live {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.line_ended && self.text == Some(true) && !buf.is_empty() && !self.ready() {
            self.line_ended = false;
            return Err(io::Error::new(io::ErrorKind::WouldBlock, Pause));
        }
        let n = loop {
            match self.file.read(buf) {
                // A descriptor in non-blocking mode: wait for input as a blocking one would.
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => self.wait(),
                other => break other?,
            }
        };
        if n > 0 {
            let got = &buf[..n];
            if self.text.is_none() {
                self.start
                    .extend_from_slice(&got[..got.len().min(START_LEN)]);
                if self.start.len() >= START_LEN || self.start.contains(&b'\n') {
                    self.text = Some(starts_like_text(&self.start));
                    self.start = Vec::new();
                }
            }
            self.line_ended |= memchr::memchr(b'\n', got).is_some();
        }
        Ok(n)
    }
}

/// The error payload of a pause (so that an operating system's own `WouldBlock` is not one).
#[derive(Debug)]
struct Pause;

impl std::fmt::Display for Pause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the writer of this input paused")
    }
}

impl std::error::Error for Pause {}

/// Bytes at the start of a stream that decide whether it is text: a tar header's length.
const START_LEN: usize = 512;

/// True when `head` (the first bytes of a stream) can only be the start of text: it is not
/// compressed or a zip archive, and it has no NUL byte up to its first line end or in its first
/// 512 bytes (a tar header has NULs in its first 512 bytes, and its name field is NUL-padded).
/// False too when `head` is too short to tell.
pub fn starts_like_text(head: &[u8]) -> bool {
    let first = &head[..head.len().min(START_LEN)];
    let decided = match memchr::memchr(b'\n', first) {
        Some(end) => &first[..end],
        None if first.len() == START_LEN => first,
        None => return false,
    };
    super::sniff_compression(head) == super::Compression::None
        && !head.starts_with(b"PK")
        && !decided.contains(&0)
}

/// True for a pause reported by [`Live`].
pub fn is_pause(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::WouldBlock && e.get_ref().is_some_and(|inner| inner.is::<Pause>())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::io::Write;

    fn pipe() -> (Live, File) {
        let mut fds = [0; 2];
        // SAFETY: `fds` has room for the two descriptors.
        assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
        use std::os::fd::FromRawFd;
        // SAFETY: both descriptors were just created and are owned by nothing else.
        let (r, w) = unsafe { (File::from_raw_fd(fds[0]), File::from_raw_fd(fds[1])) };
        let Ok(live) = Live::wrap(r) else {
            panic!("a pipe is live")
        };
        (live, w)
    }

    #[test]
    fn a_pause_after_a_line_is_reported_once() {
        let (mut live, mut writer) = pipe();
        writer.write_all(b"GET /a HTTP/1.1\n").unwrap();
        let mut buf = [0u8; 64];
        assert_eq!(live.read(&mut buf).unwrap(), 16);
        let e = live.read(&mut buf).unwrap_err();
        assert!(is_pause(&e));
        writer.write_all(b"next\n").unwrap();
        drop(writer);
        // The next read waits for input (here already there) instead of reporting again.
        assert_eq!(live.read(&mut buf).unwrap(), 5);
        // The writer has gone: the end, not a pause.
        assert_eq!(live.read(&mut buf).unwrap(), 0);
    }

    #[test]
    fn a_pause_inside_a_line_after_a_whole_one_is_reported() {
        // The writer stopped in the middle of its second line: the first is there to be read.
        let (mut live, mut writer) = pipe();
        writer.write_all(b"GET /a HTTP/1.1\nGET /b").unwrap();
        let mut buf = [0u8; 64];
        assert_eq!(live.read(&mut buf).unwrap(), 22);
        assert!(is_pause(&live.read(&mut buf).unwrap_err()));
        // Once reported, the rest of the line is waited for.
        writer.write_all(b" HTTP").unwrap();
        assert_eq!(live.read(&mut buf).unwrap(), 5);
        writer.write_all(b"/1.1\n").unwrap();
        drop(writer);
        assert_eq!(live.read(&mut buf).unwrap(), 5);
        assert_eq!(live.read(&mut buf).unwrap(), 0);
    }

    #[test]
    fn no_pause_inside_a_line_or_in_compressed_data() {
        let (mut live, mut writer) = pipe();
        writer.write_all(b"GET /a HTTP").unwrap();
        let mut buf = [0u8; 64];
        assert_eq!(live.read(&mut buf).unwrap(), 11);
        writer.write_all(b"/1.1\n").unwrap();
        assert_eq!(live.read(&mut buf).unwrap(), 5);

        let (mut live, mut writer) = pipe();
        writer.write_all(b"\x1f\x8b\x08\x00\n").unwrap();
        assert_eq!(live.read(&mut buf).unwrap(), 5);
        drop(writer);
        assert_eq!(live.read(&mut buf).unwrap(), 0);
    }

    #[test]
    fn text_starts() {
        assert!(starts_like_text(
            b"127.0.0.1 - - [x] \"GET / HTTP/1.1\" 200 1\n"
        ));
        assert!(!starts_like_text(b"no line end yet"));
        assert!(!starts_like_text(b"PK\x03\x04\n"));
        assert!(!starts_like_text(b"name\0\0\0\n"));
        assert!(!starts_like_text(b"\x28\xb5\x2f\xfd\n"));
        let long_line = [b'a'; 600];
        assert!(starts_like_text(&long_line));
        assert!(!starts_like_text(&long_line[..511]));
        let mut tar_like = [b'a'; 512];
        tar_like[262] = 0;
        assert!(!starts_like_text(&tar_like));
    }
}
