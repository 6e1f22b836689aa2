//! Decompression on its own thread: a producer thread reads the decompressed stream into a few
//! reusable buffers and hands them to the scanning thread through a bounded channel, so that
//! decompressing one part of a file and scanning the part before overlap.
//!
//! Memory stays bounded: at most [`BUFFERS`] buffers of [`BUFFER_SIZE`] bytes exist per input,
//! and the producer waits for the scanner to give one back before it reads further. When the
//! scanner stops early (an error, a closed pipe), dropping the reader makes the producer stop at
//! its next hand-over.

use std::io::{self, Read};
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender, TryRecvError};

/// Buffers in flight per input.
pub const BUFFERS: usize = 4;
/// Bytes per buffer.
pub const BUFFER_SIZE: usize = 1 << 20;

enum Message {
    /// A filled buffer and how many of its bytes are content.
    Data(Vec<u8>, usize),
    /// The stream ended normally.
    End,
    /// The stream failed; nothing follows.
    Failed(io::Error),
}

/// The scanning side: reads what the producer thread decompressed.
pub struct Pump {
    filled: Receiver<Message>,
    empty: Sender<Vec<u8>>,
    current: Option<Vec<u8>>,
    len: usize,
    pos: usize,
    done: bool,
}

/// Starts a thread that reads `reader` ahead, [`BUFFERS`] × [`BUFFER_SIZE`] bytes at most.
pub fn pump<R: Read + Send + 'static>(reader: R) -> io::Result<Pump> {
    pump_with(reader, BUFFERS, BUFFER_SIZE)
}

fn pump_with<R: Read + Send + 'static>(
    reader: R,
    buffers: usize,
    buffer_size: usize,
) -> io::Result<Pump> {
    let buffers = buffers.max(1);
    let (filled_tx, filled_rx) = sync_channel(buffers);
    let (empty_tx, empty_rx) = channel();
    std::thread::Builder::new()
        .name("logleaks-decompress".into())
        .spawn(move || produce(reader, &filled_tx, &empty_rx, buffers, buffer_size.max(1)))?;
    Ok(Pump {
        filled: filled_rx,
        empty: empty_tx,
        current: None,
        len: 0,
        pos: 0,
        done: false,
    })
}

/// The producer thread: fills buffers until the stream ends, fails, or the reader is dropped.
fn produce<R: Read>(
    mut reader: R,
    filled: &SyncSender<Message>,
    empty: &Receiver<Vec<u8>>,
    buffers: usize,
    buffer_size: usize,
) {
    let mut allocated = 0;
    loop {
        let mut buf = match empty.try_recv() {
            Ok(buf) => buf,
            Err(TryRecvError::Empty) if allocated < buffers => {
                allocated += 1;
                vec![0; buffer_size]
            }
            Err(TryRecvError::Empty) => match empty.recv() {
                Ok(buf) => buf,
                Err(_) => return, // the reader is gone
            },
            Err(TryRecvError::Disconnected) => return,
        };
        let mut len = 0;
        let ending = loop {
            if len == buf.len() {
                break None;
            }
            match reader.read(&mut buf[len..]) {
                Ok(0) => break Some(Message::End),
                Ok(n) => len += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => break Some(Message::Failed(e)),
            }
        };
        if len > 0 && filled.send(Message::Data(buf, len)).is_err() {
            return;
        }
        if let Some(message) = ending {
            let _ = filled.send(message);
            return;
        }
    }
}

impl Read for Pump {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        loop {
            if let Some(buf) = &self.current {
                if self.pos < self.len {
                    let n = out.len().min(self.len - self.pos);
                    out[..n].copy_from_slice(&buf[self.pos..self.pos + n]);
                    self.pos += n;
                    return Ok(n);
                }
            }
            if self.done {
                return Ok(0);
            }
            if let Some(spent) = self.current.take() {
                // The producer may have finished already; then the buffer is simply dropped.
                let _ = self.empty.send(spent);
            }
            match self.filled.recv() {
                Ok(Message::Data(buf, len)) => {
                    self.current = Some(buf);
                    self.len = len;
                    self.pos = 0;
                }
                Ok(Message::End) => self.done = true,
                Ok(Message::Failed(e)) => {
                    self.done = true;
                    return Err(e);
                }
                Err(_) => {
                    self.done = true;
                    return Err(io::Error::other(
                        "the decompression thread stopped unexpectedly",
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    /// Produces `total` bytes (a counter pattern) in reads of at most 1000 bytes, then an
    /// optional error.
    struct Source {
        total: usize,
        sent: usize,
        fail_at_end: bool,
        reads: Arc<AtomicUsize>,
    }

    impl Read for Source {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.reads.fetch_add(1, Ordering::SeqCst);
            if self.sent == self.total {
                if self.fail_at_end {
                    return Err(io::Error::new(io::ErrorKind::InvalidData, "bad data"));
                }
                return Ok(0);
            }
            let n = buf.len().min(1000).min(self.total - self.sent);
            for (i, b) in buf[..n].iter_mut().enumerate() {
                *b = ((self.sent + i) % 251) as u8;
            }
            self.sent += n;
            Ok(n)
        }
    }

    fn source(total: usize, fail_at_end: bool) -> (Source, Arc<AtomicUsize>) {
        let reads = Arc::new(AtomicUsize::new(0));
        let s = Source {
            total,
            sent: 0,
            fail_at_end,
            reads: reads.clone(),
        };
        (s, reads)
    }

    #[test]
    fn hands_over_every_byte_in_order() {
        for (total, buffers, size) in [(0, 4, 64), (1, 1, 1), (10_000, 2, 333), (65_536, 4, 4096)] {
            let (src, _) = source(total, false);
            let mut pump = pump_with(src, buffers, size).unwrap();
            let mut got = Vec::new();
            pump.read_to_end(&mut got).unwrap();
            assert_eq!(got.len(), total);
            assert!(got.iter().enumerate().all(|(i, &b)| b == (i % 251) as u8));
            assert_eq!(pump.read(&mut [0; 8]).unwrap(), 0);
        }
    }

    #[test]
    fn an_error_comes_after_the_data_before_it() {
        let (src, _) = source(5000, true);
        let mut pump = pump_with(src, 2, 1024).unwrap();
        let mut got = Vec::new();
        let e = pump.read_to_end(&mut got).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidData);
        assert_eq!(got.len(), 5000);
    }

    #[test]
    fn reads_ahead_a_bounded_amount_and_stops_when_dropped() {
        let (src, reads) = source(usize::MAX, false);
        let mut pump = pump_with(src, 2, 4000).unwrap();
        let mut first = [0u8; 10];
        pump.read_exact(&mut first).unwrap();
        // Give the producer time to fill everything it may.
        std::thread::sleep(std::time::Duration::from_millis(100));
        let ahead = reads.load(Ordering::SeqCst);
        // Two buffers in the channel plus one being filled, 4 reads of 1000 bytes each.
        assert!(ahead <= 3 * 4 + 1, "{ahead} reads");
        drop(pump);
        std::thread::sleep(std::time::Duration::from_millis(100));
        let after = reads.load(Ordering::SeqCst);
        std::thread::sleep(std::time::Duration::from_millis(100));
        assert_eq!(reads.load(Ordering::SeqCst), after, "the producer stopped");
    }
}
