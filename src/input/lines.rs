//! Cutting a byte stream into blocks of whole lines, with bounded memory.
//!
//! Blocks end just after a `\n` (or at the end of the input). A line longer than
//! [`MAX_LINE_LEN`] is cut there: its start is returned as one line on its own, and the rest of
//! it, up to its `\n`, is skipped and counted in [`BlockReader::truncated_lines`]; or, when every
//! byte must be handed out ([`BlockReader::keep_long_lines`]), it comes in pieces of at most that
//! size, each marked as going on in the next block.
//!
//! Blocks are either borrowed from the reader ([`BlockReader::next_block`]) or handed over with
//! their buffer ([`BlockReader::next_owned`]), so that another thread can scan them without a copy.

use std::io::{self, Read};

/// Bytes read per block when lines are short.
pub const DEFAULT_BLOCK_SIZE: usize = 1 << 20;

/// The longest line kept whole for matching; longer lines are matched on their first this many
/// bytes.
pub const MAX_LINE_LEN: usize = 8 << 20;

/// Reads line-aligned blocks from a reader.
pub struct BlockReader<R> {
    inner: R,
    buf: Vec<u8>,
    block_size: usize,
    /// A read error met after complete lines that are handed out first.
    error: Option<io::Error>,
    start: usize,
    end: usize,
    eof: bool,
    skipping: bool,
    /// Hand out the rest of a long line in pieces instead of skipping it.
    keep_long_lines: bool,
    /// The next block starts inside a line that the last block began.
    continuing: bool,
    max_line: usize,
    /// Bytes of the input consumed before the current block.
    offset: u64,
    /// Lines cut because they were longer than the limit.
    pub truncated_lines: u64,
    /// Bytes of cut lines that were skipped, not handed out.
    pub skipped_bytes: u64,
}

/// A block of whole lines that owns its buffer (see [`BlockReader::next_owned`]).
#[derive(Debug)]
pub struct OwnedBlock {
    buf: Vec<u8>,
    start: usize,
    end: usize,
    /// Offset of the block's first byte in the input.
    pub offset: u64,
}

impl OwnedBlock {
    /// The bytes, as in [`Block::bytes`].
    pub fn bytes(&self) -> &[u8] {
        &self.buf[self.start..self.end]
    }

    /// The buffer back, to be given to [`BlockReader::next_owned`] again.
    pub fn into_buffer(self) -> Vec<u8> {
        self.buf
    }
}

/// A block of whole lines.
#[derive(Debug)]
pub struct Block<'a> {
    /// The bytes: whole lines, each ending in `\n`, except that the last may lack it at the end
    /// of the input or when it was cut.
    pub bytes: &'a [u8],
    /// Offset of the block's first byte in the input.
    pub offset: u64,
    /// True when the block starts inside a line begun in the previous block (only with
    /// [`BlockReader::keep_long_lines`]).
    pub continues: bool,
    /// True when the block's last line goes on in the next block (only with
    /// [`BlockReader::keep_long_lines`]).
    pub open: bool,
}

impl<'a> Block<'a> {
    /// Whole lines from elsewhere (a block handed over with its buffer, part of a block), at
    /// offset 0.
    pub fn of_lines(bytes: &'a [u8]) -> Self {
        Block {
            bytes,
            offset: 0,
            continues: false,
            open: false,
        }
    }
}

impl<R: Read> BlockReader<R> {
    /// A reader with the default block size and line limit.
    pub fn new(inner: R) -> Self {
        Self::with_sizes(inner, DEFAULT_BLOCK_SIZE, MAX_LINE_LEN)
    }

    /// A reader with the given block size and line limit (both at least 1 byte).
    pub fn with_sizes(inner: R, block_size: usize, max_line: usize) -> Self {
        let block_size = block_size.max(1);
        BlockReader {
            inner,
            buf: vec![0; block_size],
            block_size,
            error: None,
            start: 0,
            end: 0,
            eof: false,
            skipping: false,
            keep_long_lines: false,
            continuing: false,
            max_line: max_line.max(block_size),
            offset: 0,
            truncated_lines: 0,
            skipped_bytes: 0,
        }
    }

    /// Makes the first block at least `size` bytes long when the input is (the following ones
    /// keep the block size): a first block that holds the lines format detection reads.
    pub fn with_first_block(mut self, size: usize) -> Self {
        if self.offset == 0 && self.end == 0 && size > self.buf.len() {
            self.buf.resize(size, 0);
        }
        self
    }

    /// Hands out every byte: a line longer than the limit comes in pieces (see [`Block::open`]
    /// and [`Block::continues`]) instead of being cut.
    pub fn keep_long_lines(mut self) -> Self {
        self.keep_long_lines = true;
        self
    }

    /// Starts by skipping everything up to and including the first `\n` (for a reader that
    /// starts in the middle of a line).
    pub fn skip_first_line(&mut self) {
        self.skipping = true;
    }

    /// The next block, or `None` at the end of the input.
    pub fn next_block(&mut self) -> io::Result<Option<Block<'_>>> {
        let continues = self.continuing;
        let Some((start, len, offset)) = self.next_span(false)? else {
            return Ok(None);
        };
        let bytes = &self.buf[start..start + len];
        // Only a piece of a long line is handed out without its line's end before the input's.
        let open = self.keep_long_lines && bytes.last() != Some(&b'\n') && !self.at_end();
        self.continuing = open;
        Ok(Some(Block {
            bytes,
            offset,
            continues,
            open,
        }))
    }

    /// True when every byte of the input has been handed out.
    fn at_end(&self) -> bool {
        self.eof && self.start == self.end && self.error.is_none()
    }

    /// The next block with the buffer that holds it, or `None` at the end of the input. Blocks
    /// are as large as the block size allows (the buffer is filled before it is cut at its last
    /// `\n`); `spare` becomes the reader's buffer and receives the start of the next line. The
    /// lines are the same as [`Self::next_block`] would give, in fewer, larger blocks. Complete
    /// lines read before an error are handed out before the error.
    pub fn next_owned(&mut self, spare: Vec<u8>) -> io::Result<Option<OwnedBlock>> {
        let Some((start, len, offset)) = self.next_span(true)? else {
            return Ok(None);
        };
        let rest = &self.buf[self.start..self.end];
        let mut next = spare;
        let size = self.block_size.max(rest.len());
        if next.len() < size {
            next.resize(size, 0);
        } else {
            next.truncate(size);
        }
        next[..rest.len()].copy_from_slice(rest);
        self.end = rest.len();
        self.start = 0;
        let buf = std::mem::replace(&mut self.buf, next);
        Ok(Some(OwnedBlock {
            buf,
            start,
            end: start + len,
            offset,
        }))
    }

    /// Finds and consumes the next block: its start and length in `buf`, and its offset. With
    /// `whole`, the buffer is filled before a block is cut from it.
    fn next_span(&mut self, whole: bool) -> io::Result<Option<(usize, usize, u64)>> {
        loop {
            if let Some(e) = self.error.take() {
                return Err(e);
            }
            if self.skipping {
                // The rest of a cut line counts as read; the start of a range does not.
                let counted = self.truncated_lines > 0;
                match memchr::memchr(b'\n', &self.buf[self.start..self.end]) {
                    Some(p) => {
                        self.skipped_bytes += if counted { p as u64 + 1 } else { 0 };
                        self.consume(p + 1);
                        self.skipping = false;
                    }
                    None => {
                        self.skipped_bytes += if counted {
                            (self.end - self.start) as u64
                        } else {
                            0
                        };
                        self.consume(self.end - self.start);
                        if !self.fill()? {
                            return Ok(None);
                        }
                        continue;
                    }
                }
            }
            if whole {
                self.top_up()?;
            }
            let pending = &self.buf[self.start..self.end];
            if let Some(last_newline) = memchr::memrchr(b'\n', pending) {
                return Ok(Some(self.take(last_newline + 1)));
            }
            if let Some(e) = self.error.take() {
                return Err(e);
            }
            if self.eof {
                if pending.is_empty() {
                    return Ok(None);
                }
                return Ok(Some(self.take(pending.len())));
            }
            if self.end - self.start >= self.max_line {
                // A line longer than the limit: hand out its start, skip the rest (or hand it
                // out next).
                if !self.keep_long_lines {
                    self.truncated_lines += 1;
                    self.skipping = true;
                }
                return Ok(Some(self.take(self.end - self.start)));
            }
            self.fill()?;
        }
    }

    /// Reads until the buffer is full or the input ends. An error is kept for later when the
    /// buffer holds a complete line, so that the lines before it are handed out first.
    fn top_up(&mut self) -> io::Result<()> {
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        while !self.eof && self.end < self.buf.len() {
            match self.inner.read(&mut self.buf[self.end..]) {
                Ok(0) => self.eof = true,
                Ok(n) => self.end += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                // A live input's writer paused: hand out the lines that came.
                Err(e) if super::is_pause(&e) => break,
                Err(e) => {
                    if memchr::memchr(b'\n', &self.buf[..self.end]).is_none() {
                        return Err(e);
                    }
                    self.error = Some(e);
                    break;
                }
            }
        }
        Ok(())
    }

    fn consume(&mut self, n: usize) {
        self.start += n;
        self.offset += n as u64;
    }

    fn take(&mut self, n: usize) -> (usize, usize, u64) {
        let (start, offset) = (self.start, self.offset);
        self.consume(n);
        (start, n, offset)
    }

    /// Reads more input after the pending bytes; false at the end of the input.
    fn fill(&mut self) -> io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        if self.end == self.buf.len() {
            let grown = (self.buf.len() * 2).min(self.max_line.max(self.buf.len() + 1));
            self.buf.resize(grown, 0);
        }
        loop {
            match self.inner.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(false);
                }
                Ok(n) => {
                    self.end += n;
                    return Ok(true);
                }
                // Interrupted, or a live input paused inside a line: wait for the rest.
                Err(e) if e.kind() == io::ErrorKind::Interrupted || super::is_pause(&e) => continue,
                Err(e) => return Err(e),
            }
        }
    }
}

/// The number of lines in a block (a last line without `\n` counts).
pub fn count_lines(bytes: &[u8]) -> u64 {
    let newlines = memchr::memchr_iter(b'\n', bytes).count() as u64;
    newlines + u64::from(bytes.last().is_some_and(|&b| b != b'\n'))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads everything, one small read at a time, returning the blocks.
    fn blocks(input: &[u8], block: usize, max_line: usize) -> (Vec<Vec<u8>>, u64) {
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = buf.len().min(self.0.len()).min(3);
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut reader = BlockReader::with_sizes(Trickle(input), block, max_line);
        let mut out = Vec::new();
        while let Some(b) = reader.next_block().unwrap() {
            out.push(b.bytes.to_vec());
        }
        (out, reader.truncated_lines)
    }

    #[test]
    fn blocks_are_whole_lines_and_lose_nothing() {
        let input = b"one\ntwo\r\nthree\n\nfour-without-newline";
        for size in [1, 2, 5, 64] {
            let (out, truncated) = blocks(input, size, 1 << 20);
            assert_eq!(out.concat(), input, "block size {size}");
            assert_eq!(truncated, 0);
            for b in &out[..out.len() - 1] {
                assert_eq!(b.last(), Some(&b'\n'));
            }
            assert_eq!(out.iter().map(|b| count_lines(b)).sum::<u64>(), 5);
        }
    }

    #[test]
    fn long_lines_are_cut_and_counted_once() {
        let mut input = b"short\n".to_vec();
        input.extend(std::iter::repeat_n(b'x', 100));
        input.extend_from_slice(b"\nafter\n");
        let (out, truncated) = blocks(&input, 8, 16);
        assert_eq!(truncated, 1);
        let handed_out: usize = out.iter().map(Vec::len).sum();
        assert!(handed_out < input.len());
        assert_eq!(out.iter().map(|b| count_lines(b)).sum::<u64>(), 3);
        let cut = out.iter().find(|b| b.starts_with(b"xxx")).unwrap();
        assert!(cut.len() >= 16 && cut.len() < 100);
        assert_eq!(out.last().unwrap(), b"after\n");
    }

    /// Everything `next_owned` hands out, with buffers passed round as a pump would.
    fn owned_blocks(input: &[u8], block: usize, max_line: usize) -> (Vec<Vec<u8>>, u64, u64) {
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = buf.len().min(self.0.len()).min(7);
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut reader = BlockReader::with_sizes(Trickle(input), block, max_line);
        let mut out = Vec::new();
        let mut spare = Vec::new();
        while let Some(b) = reader.next_owned(spare).unwrap() {
            out.push(b.bytes().to_vec());
            spare = b.into_buffer();
        }
        (out, reader.truncated_lines, reader.skipped_bytes)
    }

    #[test]
    fn owned_blocks_hold_the_same_lines_as_borrowed_ones() {
        let mut input = Vec::new();
        for i in 0..300 {
            input.extend(format!("line {i} {}\n", "y".repeat(i % 37)).into_bytes());
            if i % 50 == 7 {
                input.extend(std::iter::repeat_n(b'x', 90));
                input.push(b'\n');
            }
        }
        input.extend_from_slice(b"no newline at the end");
        for (block, max_line) in [(1, 1 << 20), (8, 16), (16, 64), (100, 100), (4096, 1 << 20)] {
            let (borrowed, truncated, _) = {
                let (b, t) = blocks(&input, block, max_line);
                (b, t, 0)
            };
            let (owned, owned_truncated, _) = owned_blocks(&input, block, max_line);
            assert_eq!(owned.concat(), borrowed.concat(), "block {block}");
            assert_eq!(owned_truncated, truncated, "block {block}");
            if truncated == 0 {
                for b in &owned[..owned.len() - 1] {
                    assert_eq!(b.last(), Some(&b'\n'), "block {block}");
                }
            }
        }
    }

    #[test]
    fn a_larger_first_block_holds_the_head_and_changes_no_line() {
        let input: Vec<u8> = (0..400)
            .flat_map(|i| format!("line {i}\n").into_bytes())
            .collect();
        let (plain, _, _) = owned_blocks(&input, 16, 64);
        let mut reader = BlockReader::with_sizes(&input[..], 16, 64).with_first_block(1000);
        let mut blocks = Vec::new();
        let mut spare = Vec::new();
        while let Some(b) = reader.next_owned(spare).unwrap() {
            blocks.push(b.bytes().to_vec());
            spare = b.into_buffer();
        }
        assert_eq!(blocks.concat(), plain.concat());
        let first = &blocks[0];
        assert!((990..=1000).contains(&first.len()), "{}", first.len());
        assert_eq!(first.last(), Some(&b'\n'));
        assert!(
            blocks[1..].iter().all(|b| b.len() <= 16),
            "later blocks keep the size"
        );
    }

    #[test]
    fn owned_blocks_hand_out_complete_lines_before_an_error() {
        struct Failing(&'static [u8]);
        impl Read for Failing {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                if self.0.is_empty() {
                    return Err(io::Error::new(io::ErrorKind::InvalidData, "corrupt"));
                }
                let n = buf.len().min(self.0.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut reader = BlockReader::with_sizes(Failing(b"one\ntwo\nthr"), 64, 64);
        let block = reader.next_owned(Vec::new()).unwrap().unwrap();
        assert_eq!(block.bytes(), b"one\ntwo\n");
        let e = reader.next_owned(block.into_buffer()).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidData);
    }

    #[test]
    fn skip_first_line() {
        let mut reader = BlockReader::new(&b"tail of a line\nnext\n"[..]);
        reader.skip_first_line();
        let b = reader.next_block().unwrap().unwrap();
        assert_eq!(b.bytes, b"next\n");
        assert_eq!(b.offset, 15);
    }

    #[test]
    fn counts_lines() {
        assert_eq!(count_lines(b""), 0);
        assert_eq!(count_lines(b"a\n"), 1);
        assert_eq!(count_lines(b"a\nb"), 2);
        assert_eq!(count_lines(b"\0\0\0"), 1);
    }
}
