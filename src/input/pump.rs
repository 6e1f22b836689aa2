//! Decompression on its own thread: a producer thread reads the decompressed stream into a few
//! reusable buffers and hands them to the scanning thread through a bounded channel, so that
//! decompressing one part of a file and scanning the part before overlap.
//!
//! Memory stays bounded: at most [`BUFFERS`] buffers of [`BUFFER_SIZE`] bytes exist per input,
//! and the producer waits for the scanner to give one back before it reads further. When the
//! scanner stops early (an error, a closed pipe), dropping the reader makes the producer stop at
//! its next hand-over.
//!
//! [`pump_blocks`] does the same for text: the producer cuts the stream into line-aligned
//! blocks itself ([`BlockReader::next_owned`]) and hands each over with its buffer, so blocks can
//! be scanned on any thread without a copy; spent buffers come back through a [`Recycler`].

use std::io::{self, Read};
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender, TryRecvError};

use super::lines::{BlockReader, OwnedBlock, MAX_LINE_LEN};

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

/// What the block producer sends.
enum BlockMessage {
    Block(OwnedBlock),
    /// The stream ended, normally or with an error; nothing follows.
    End(Option<io::Error>, CutLines),
}

/// Lines longer than [`MAX_LINE_LEN`], cut by the producer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CutLines {
    /// Lines cut.
    pub lines: u64,
    /// Bytes of them skipped, not handed out.
    pub skipped_bytes: u64,
}

/// The receiving side of [`pump_blocks`]: line-aligned blocks of a decompressed stream.
pub struct BlockPump {
    filled: Receiver<BlockMessage>,
    empty: Sender<Vec<u8>>,
    cut: CutLines,
    done: bool,
}

/// Gives spent block buffers back to the producer; usable from any thread.
#[derive(Clone)]
pub struct Recycler(Sender<Vec<u8>>);

impl Recycler {
    /// Hands a block's buffer back (dropped if the producer has finished).
    pub fn recycle(&self, block: OwnedBlock) {
        let _ = self.0.send(block.into_buffer());
    }
}

/// What [`BlockPump::try_next`] found.
pub enum Next {
    /// A block.
    Block(OwnedBlock),
    /// The producer has nothing ready yet.
    Pending,
    /// The stream ended (with the error that ended it, if any).
    End(Option<io::Error>),
}

/// The least size of the first block, whatever the block size: enough for the lines format
/// detection reads (`logformat::DETECT_BYTES`), so that the detected format never depends on
/// where blocks are cut.
pub const FIRST_BLOCK: usize = 64 * 1024;

/// Starts a thread that cuts `reader` into line-aligned blocks of about `block_size` bytes
/// (lines longer than [`MAX_LINE_LEN`] are cut as [`BlockReader`] cuts them), with at most
/// `blocks` blocks handed out and not yet recycled: the thread waits for a block's buffer to come
/// back through a [`Recycler`] (or for the pump and its recyclers to be dropped).
pub fn pump_blocks<R: Read + Send + 'static>(
    reader: R,
    blocks: usize,
    block_size: usize,
) -> io::Result<BlockPump> {
    let blocks = blocks.max(1);
    let (filled_tx, filled_rx) = sync_channel(blocks);
    let (empty_tx, empty_rx) = channel();
    let lines =
        BlockReader::with_sizes(reader, block_size, MAX_LINE_LEN).with_first_block(FIRST_BLOCK);
    std::thread::Builder::new()
        .name("logleaks-decompress".into())
        .spawn(move || produce_blocks(lines, &filled_tx, &empty_rx, blocks))?;
    Ok(BlockPump {
        filled: filled_rx,
        empty: empty_tx,
        cut: CutLines::default(),
        done: false,
    })
}

/// The block producer thread: cuts blocks until the stream ends, fails, or the pump is dropped.
fn produce_blocks<R: Read>(
    mut lines: BlockReader<R>,
    filled: &SyncSender<BlockMessage>,
    empty: &Receiver<Vec<u8>>,
    blocks: usize,
) {
    let mut allocated = 0;
    loop {
        let spare = match empty.try_recv() {
            Ok(buf) => buf,
            Err(TryRecvError::Empty) if allocated < blocks => {
                allocated += 1;
                Vec::new()
            }
            Err(TryRecvError::Empty) => match empty.recv() {
                Ok(buf) => buf,
                Err(_) => return,
            },
            Err(TryRecvError::Disconnected) => return,
        };
        let message = match lines.next_owned(spare) {
            Ok(Some(block)) => BlockMessage::Block(block),
            Ok(None) => BlockMessage::End(None, cut_lines(&lines)),
            Err(e) => BlockMessage::End(Some(e), cut_lines(&lines)),
        };
        let last = matches!(message, BlockMessage::End(..));
        if filled.send(message).is_err() || last {
            return;
        }
    }
}

fn cut_lines<R>(lines: &BlockReader<R>) -> CutLines {
    CutLines {
        lines: lines.truncated_lines,
        skipped_bytes: lines.skipped_bytes,
    }
}

impl BlockPump {
    /// The next block, waiting for it; `None` at the end of the stream.
    pub fn next_block(&mut self) -> io::Result<Option<OwnedBlock>> {
        if self.done {
            return Ok(None);
        }
        let message = self.filled.recv();
        match self.receive(message.ok()) {
            Next::Block(block) => Ok(Some(block)),
            Next::Pending | Next::End(None) => Ok(None),
            Next::End(Some(e)) => Err(e),
        }
    }

    /// The next block if one is ready, without waiting.
    pub fn try_next(&mut self) -> Next {
        if self.done {
            return Next::End(None);
        }
        match self.filled.try_recv() {
            Ok(message) => self.receive(Some(message)),
            Err(TryRecvError::Empty) => Next::Pending,
            Err(TryRecvError::Disconnected) => self.receive(None),
        }
    }

    fn receive(&mut self, message: Option<BlockMessage>) -> Next {
        match message {
            Some(BlockMessage::Block(block)) => Next::Block(block),
            Some(BlockMessage::End(error, cut)) => {
                self.done = true;
                self.cut = cut;
                Next::End(error)
            }
            None => {
                self.done = true;
                Next::End(Some(io::Error::other(
                    "the decompression thread stopped unexpectedly",
                )))
            }
        }
    }

    /// A handle that gives spent buffers back.
    pub fn recycler(&self) -> Recycler {
        Recycler(self.empty.clone())
    }

    /// The lines cut for being too long, known once the stream has ended.
    pub fn cut_lines(&self) -> CutLines {
        self.cut
    }

    /// The blocks' bytes as one stream (lines longer than [`MAX_LINE_LEN`] cut).
    pub fn into_reader(self) -> BlockBytes {
        BlockBytes {
            pump: self,
            current: None,
            pos: 0,
        }
    }
}

/// The bytes of a [`BlockPump`]'s blocks, read in order.
pub struct BlockBytes {
    pump: BlockPump,
    current: Option<OwnedBlock>,
    pos: usize,
}

impl Read for BlockBytes {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        loop {
            if let Some(block) = &self.current {
                let rest = &block.bytes()[self.pos..];
                if !rest.is_empty() {
                    let n = out.len().min(rest.len());
                    out[..n].copy_from_slice(&rest[..n]);
                    self.pos += n;
                    return Ok(n);
                }
            }
            if let Some(spent) = self.current.take() {
                self.pump.recycler().recycle(spent);
            }
            match self.pump.next_block()? {
                Some(block) => {
                    self.current = Some(block);
                    self.pos = 0;
                }
                None => return Ok(0),
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
    fn blocks_are_whole_lines_in_order_with_buffers_recycled() {
        let text: Vec<u8> = (0..5000)
            .flat_map(|i| format!("line {i} {}\n", "z".repeat(i % 13)).into_bytes())
            .collect();
        for (blocks, size) in [(1, 1), (2, 100), (4, 4096)] {
            let mut pump = pump_blocks(io::Cursor::new(text.clone()), blocks, size).unwrap();
            let recycler = pump.recycler();
            let mut got = Vec::new();
            while let Some(block) = pump.next_block().unwrap() {
                assert_eq!(block.bytes().last(), Some(&b'\n'));
                got.extend_from_slice(block.bytes());
                recycler.recycle(block);
            }
            assert_eq!(got, text, "{blocks} blocks of {size}");
            assert_eq!(pump.cut_lines(), CutLines::default());
        }
    }

    #[test]
    fn a_block_error_comes_after_the_lines_before_it() {
        let (src, _) = source(5000, true);
        let mut pump = pump_blocks(src, 2, 1024).unwrap();
        let recycler = pump.recycler();
        let mut got = 0;
        let e = loop {
            match pump.next_block() {
                Ok(Some(block)) => {
                    got += block.bytes().len();
                    recycler.recycle(block);
                }
                Ok(None) => panic!("the error was lost"),
                Err(e) => break e,
            }
        };
        assert_eq!(e.kind(), io::ErrorKind::InvalidData);
        assert!(got > 4000 && got <= 5000, "{got}");
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
