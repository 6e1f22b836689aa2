//! Scanning one decompressed text stream on several workers.
//!
//! The decompression thread cuts the stream into line-aligned blocks ([`BlockPump`]). The worker
//! that owns the input queues them, asks idle workers of the pool to help, scans queued blocks
//! itself while it waits, and passes each block's findings on in block order, with line numbers
//! made absolute: the output is the same as a single pass for any number of threads. Only for
//! formats that carry no state from line to line.
//!
//! Memory stays bounded: at most `in_flight` blocks are queued, being scanned or waiting to be
//! passed on; the decompression thread waits for spent buffers to come back before it cuts more.

use std::any::Any;
use std::collections::{BTreeMap, VecDeque};
use std::io;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::{Condvar, Mutex, MutexGuard};

use super::{Disconnected, Output};
use crate::detect::Detector;
use crate::finding::Finding;
use crate::input::{Block, BlockPump, InputFile, Next, OwnedBlock, Recycler};
use crate::logformat::Parser;
use crate::search::findings::FindingsSink;
use crate::search::LineSearcher;

/// How many blocks may be in flight and how many other workers may help.
#[derive(Clone, Copy, Debug)]
pub(super) struct Parallelism {
    /// Blocks queued, being scanned or waiting to be passed on.
    pub in_flight: usize,
    /// Other workers that may scan blocks at once.
    pub helpers: usize,
}

impl Parallelism {
    /// For a pool of `threads` workers.
    pub fn for_threads(threads: usize) -> Self {
        let threads = threads.max(1);
        Parallelism {
            in_flight: 2 * threads + 2,
            helpers: threads - 1,
        }
    }
}

/// What was read, once the stream has ended.
pub(super) struct Scanned {
    /// Lines scanned.
    pub lines: u64,
    /// Bytes scanned.
    pub bytes: u64,
    /// The error that ended the stream, if any, met after `lines` lines.
    pub error: Option<io::Error>,
}

/// The findings of one block, with line numbers counted from the block's start.
struct BlockResult {
    findings: Vec<Finding>,
    lines: u64,
    bytes: u64,
}

type Outcome = Result<BlockResult, Box<dyn Any + Send>>;

struct Queue {
    todo: VecDeque<(u64, OwnedBlock)>,
    done: BTreeMap<u64, Outcome>,
    helpers: usize,
}

/// What the owner and its helpers share.
struct Blocks<'a> {
    queue: Mutex<Queue>,
    finished: Condvar,
    recycler: Recycler,
    /// Searchers of helpers that have finished, kept with their buffers for the next helper.
    idle_searchers: Mutex<Vec<LineSearcher<'a>>>,
    input: &'a InputFile,
    detector: &'a Detector,
    parser: &'a Parser,
}

impl<'a> Blocks<'a> {
    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn searcher(&self) -> LineSearcher<'a> {
        let idle = self
            .idle_searchers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop();
        idle.unwrap_or_else(|| LineSearcher::new(Some(self.detector), self.parser.clone()))
    }

    /// Scans one block, gives its buffer back and files its result.
    fn scan(&self, searcher: &mut LineSearcher<'a>, seq: u64, block: OwnedBlock) {
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let mut sink = FindingsSink::new(&self.input.display, Vec::new());
            let searched = searcher.search(&Block::of_lines(block.bytes()), 0, &mut sink);
            let Ok(lines) = searched;
            BlockResult {
                findings: sink.out,
                lines,
                bytes: block.bytes().len() as u64,
            }
        }));
        self.recycler.recycle(block);
        self.lock().done.insert(seq, outcome);
        self.finished.notify_all();
    }

    /// A helper: scans queued blocks until none is left.
    fn help(&self) {
        let mut searcher = self.searcher();
        loop {
            let next = {
                let mut queue = self.lock();
                let next = queue.todo.pop_front();
                if next.is_none() {
                    queue.helpers -= 1;
                }
                next
            };
            match next {
                Some((seq, block)) => self.scan(&mut searcher, seq, block),
                None => {
                    self.idle_searchers
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(searcher);
                    return;
                }
            }
        }
    }
}

/// Scans `first` and the rest of `pump` with `parser` (which must carry no state across lines),
/// passing findings to `out` in order.
pub(super) fn scan_blocks(
    first: OwnedBlock,
    pump: &mut BlockPump,
    input: &InputFile,
    detector: &Detector,
    parser: &Parser,
    parallelism: Parallelism,
    out: &mut Output,
) -> Result<Scanned, Disconnected> {
    let blocks = Blocks {
        queue: Mutex::new(Queue {
            todo: VecDeque::new(),
            done: BTreeMap::new(),
            helpers: 0,
        }),
        finished: Condvar::new(),
        recycler: pump.recycler(),
        idle_searchers: Mutex::new(Vec::new()),
        input,
        detector,
        parser,
    };
    rayon::in_place_scope(|scope| {
        let mut owner = Owner {
            blocks: &blocks,
            searcher: blocks.searcher(),
            parallelism,
            queued: 0,
            passed: 0,
            scanned: Scanned {
                lines: 0,
                bytes: 0,
                error: None,
            },
        };
        let mut spawn = || scope.spawn(|_| blocks.help());
        let result = owner.run(first, pump, out, &mut spawn);
        // Stopped early: the helpers find nothing more to do.
        blocks.lock().todo.clear();
        result.map(|()| owner.scanned)
    })
}

/// The worker that owns the input.
struct Owner<'a, 'b> {
    blocks: &'b Blocks<'a>,
    searcher: LineSearcher<'a>,
    parallelism: Parallelism,
    /// Blocks queued so far.
    queued: u64,
    /// Blocks whose findings were passed on.
    passed: u64,
    scanned: Scanned,
}

impl Owner<'_, '_> {
    fn run(
        &mut self,
        first: OwnedBlock,
        pump: &mut BlockPump,
        out: &mut Output,
        spawn: &mut dyn FnMut(),
    ) -> Result<(), Disconnected> {
        self.enqueue(first, spawn);
        let mut ended = false;
        loop {
            self.pass_on(out)?;
            let in_flight = self.queued - self.passed;
            if ended && in_flight == 0 {
                return Ok(());
            }
            let room = !ended && in_flight < self.parallelism.in_flight as u64;
            if room {
                match pump.try_next() {
                    Next::Block(block) => {
                        self.enqueue(block, spawn);
                        continue;
                    }
                    Next::End(error) => {
                        self.scanned.error = error;
                        ended = true;
                        continue;
                    }
                    Next::Pending => {}
                }
            }
            let next = self.blocks.lock().todo.pop_front();
            if let Some((seq, block)) = next {
                self.blocks.scan(&mut self.searcher, seq, block);
                continue;
            }
            if room {
                // Nothing to scan: wait for the decompression thread.
                match pump.next_block() {
                    Ok(Some(block)) => self.enqueue(block, spawn),
                    Ok(None) => ended = true,
                    Err(e) => {
                        self.scanned.error = Some(e);
                        ended = true;
                    }
                }
            } else {
                // Every block in flight is being scanned by a helper: wait for the next in order.
                let mut queue = self.blocks.lock();
                while !queue.done.contains_key(&self.passed) {
                    queue = self
                        .blocks
                        .finished
                        .wait(queue)
                        .unwrap_or_else(|e| e.into_inner());
                }
            }
        }
    }

    fn enqueue(&mut self, block: OwnedBlock, spawn: &mut dyn FnMut()) {
        let ask_for_help = {
            let mut queue = self.blocks.lock();
            queue.todo.push_back((self.queued, block));
            let ask = queue.helpers < self.parallelism.helpers;
            if ask {
                queue.helpers += 1;
            }
            ask
        };
        self.queued += 1;
        if ask_for_help {
            spawn();
        }
    }

    /// Passes on the findings of the blocks finished in order.
    fn pass_on(&mut self, out: &mut Output) -> Result<(), Disconnected> {
        loop {
            let Some(outcome) = self.blocks.lock().done.remove(&self.passed) else {
                return Ok(());
            };
            let result = outcome.unwrap_or_else(|panic| resume_unwind(panic));
            for mut finding in result.findings {
                finding.line += self.scanned.lines;
                out.finding(finding)?;
            }
            self.scanned.lines += result.lines;
            self.scanned.bytes += result.bytes;
            self.passed += 1;
            out.flush()?;
        }
    }
}
