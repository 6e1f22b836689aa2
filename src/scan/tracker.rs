//! Scans that remember how far each file was read (`--state`, `--watch`): a [`Tracker`] runs
//! [`super::run_tracked`] passes from its state, records the position each file reached, and
//! commits the state at least every second and after each pass, each time after the findings
//! before that position were written out (at-least-once: a crash repeats at most what came after
//! the last commit, and never skips a line).

use std::io;
use std::time::{Duration, Instant};

use super::{run_tracked, Notice, ScanOptions, Sink, Summary};
use crate::detect::Detector;
use crate::finding::Finding;
use crate::input::Walked;
use crate::state::{ReadMark, StateFile};

/// How often the state is committed at least while a pass runs.
pub const COMMIT_EVERY: Duration = Duration::from_secs(1);

/// The state file could not be written: the run stops (its findings so far are out).
#[derive(Debug, thiserror::Error)]
#[error("{path}: cannot write the state file (--state): {message}")]
pub struct StateWriteError {
    /// The state file.
    pub path: String,
    /// What went wrong.
    pub message: String,
}

/// Runs tracked passes over inputs, keeping their state.
pub struct Tracker {
    state: StateFile,
    last_commit: Instant,
}

impl Tracker {
    /// A tracker that starts from `state`.
    pub fn new(state: StateFile) -> Self {
        Tracker {
            state,
            last_commit: Instant::now(),
        }
    }

    /// Reads what was added to the walked inputs since the last pass (or the last run), handing
    /// findings to `sink`, and commits the state at the end of the pass.
    pub fn pass(
        &mut self,
        walked: Vec<Walked>,
        detector: &Detector,
        options: &ScanOptions,
        sink: &mut dyn Sink,
    ) -> io::Result<Summary> {
        let known = self.state.known();
        let mut tracking = Tracking {
            sink: &mut *sink,
            tracker: self,
        };
        let summary = run_tracked(walked, detector, options, &known, &mut tracking)?;
        sink.flush()?;
        self.commit()?;
        Ok(summary)
    }

    /// Writes out `sink` and commits what was read so far (a pass that was stopped).
    pub fn finish(&mut self, sink: &mut dyn Sink) -> io::Result<()> {
        sink.flush()?;
        self.commit()
    }

    /// Writes the state now (after the findings before it were written out).
    fn commit(&mut self) -> io::Result<()> {
        self.last_commit = Instant::now();
        self.state.commit().map_err(|e| {
            io::Error::other(StateWriteError {
                path: self
                    .state
                    .path()
                    .map_or_else(String::new, |p| p.display().to_string()),
                message: crate::input::describe_io_error(&e),
            })
        })
    }
}

/// A sink that records positions and commits them, in front of the user's sink.
struct Tracking<'a> {
    sink: &'a mut dyn Sink,
    tracker: &'a mut Tracker,
}

impl Sink for Tracking<'_> {
    fn finding(&mut self, finding: Finding) -> io::Result<()> {
        self.sink.finding(finding)
    }

    fn notice(&mut self, notice: &Notice) {
        self.sink.notice(notice);
    }

    fn idle(&mut self) -> io::Result<()> {
        self.sink.idle()
    }

    fn flush(&mut self) -> io::Result<()> {
        self.sink.flush()
    }

    fn progress(&mut self, bytes: u64, files: u64) {
        self.sink.progress(bytes, files);
    }

    fn reached(&mut self, mark: &ReadMark) -> io::Result<()> {
        self.tracker.state.record(mark);
        if self.tracker.last_commit.elapsed() >= COMMIT_EVERY {
            self.sink.flush()?;
            self.tracker.commit()?;
        }
        self.sink.reached(mark)
    }
}
