//! `scan --watch`: scan what is there, then keep reading what is written, like `tail -F`.
//!
//! Each *pass* walks the watched paths again (so files that appear under a watched directory or
//! glob are picked up) and reads every file from where the last pass left it, through
//! [`crate::scan::Tracker`]: the same tracked scan as `--state`, with the same rotation rules
//! (a truncated file is read again from its start, a renamed or deleted one is read to its end
//! under the name it was followed by, see [`follow`]). A pass runs when inotify (through the
//! `notify` crate) says something changed under a watched path, and at least every
//! `--poll-interval` (the fallback where inotify is not available). SIGINT and SIGTERM end the
//! watch after the pass under way; a second one ends the process at once.
//!
//! Nothing here reads log lines or writes findings: passes do, into the caller's sink.

mod follow;

use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::time::Duration;

use crate::detect::Detector;
use crate::finding::Finding;
use crate::input::{walk, WalkOptions};
use crate::scan::{Notice, ScanOptions, Sink, Summary, Tracker};
use crate::state::ReadMark;

pub use follow::Followed;

/// How a watch runs.
#[derive(Clone, Debug)]
pub struct WatchOptions {
    /// The longest time between two passes (with inotify, passes also run on each change).
    pub poll_interval: Duration,
}

/// Why the loop wakes up.
enum Wake {
    /// Something changed under a watched path.
    Changed,
    /// SIGINT or SIGTERM.
    Stop,
}

/// The watch was stopped in the middle of a pass.
#[derive(Debug, thiserror::Error)]
#[error("stopped by a signal")]
struct Stopped;

/// Watches `paths` until SIGINT or SIGTERM, handing findings and notices to `sink` (each
/// notice once, however many passes meet it). Returns the totals of every pass.
pub fn watch(
    paths: &[PathBuf],
    walk_options: &WalkOptions,
    detector: &Detector,
    options: &ScanOptions,
    tracker: &mut Tracker,
    sink: &mut dyn Sink,
    settings: &WatchOptions,
) -> io::Result<Summary> {
    let (wake, woken) = channel();
    let stop = Arc::new(AtomicBool::new(false));
    let _signals = on_signals(wake.clone(), stop.clone())?;
    let (_watcher, note) = changes(paths, wake);
    let mut sink = Watching {
        sink,
        stop,
        told: HashSet::new(),
        errors: 0,
    };
    if let Some(note) = note {
        eprintln!(
            "logleaks: note: {note}; polling every {:?}",
            settings.poll_interval
        );
    }
    let grace = settings
        .poll_interval
        .saturating_mul(3)
        .max(Duration::from_secs(10));
    let mut followed = Followed::new(grace);
    let mut total = Summary::default();
    loop {
        let inputs = followed.inputs(walk(paths, walk_options));
        match tracker.pass(inputs, detector, options, &mut sink) {
            Ok(summary) => add(&mut total, &summary),
            Err(e) if e.get_ref().is_some_and(|e| e.is::<Stopped>()) => {
                tracker.finish(&mut sink)?;
                break;
            }
            Err(e) => return Err(e),
        }
        if sink.stop.load(Ordering::SeqCst) || !wait(&woken, settings.poll_interval) {
            break;
        }
    }
    total.errors = sink.errors;
    Ok(total)
}

/// Waits for a change or the poll interval; false when told to stop.
fn wait(woken: &Receiver<Wake>, interval: Duration) -> bool {
    let first = match woken.recv_timeout(interval) {
        Ok(wake) => wake,
        Err(RecvTimeoutError::Timeout) => return true,
        Err(RecvTimeoutError::Disconnected) => Wake::Changed,
    };
    // Changes that came together make one pass.
    let mut wakes = std::iter::once(first).chain(woken.try_iter());
    !wakes.any(|w| matches!(w, Wake::Stop))
}

/// Adds a pass's totals: lines, bytes, findings add up; files are those of the largest pass.
fn add(total: &mut Summary, pass: &Summary) {
    total.lines += pass.lines;
    total.bytes += pass.bytes;
    for (t, p) in total.findings.iter_mut().zip(pass.findings) {
        *t += p;
    }
    total.files_scanned = total.files_scanned.max(pass.files_scanned);
    total.files_skipped = total.files_skipped.max(pass.files_skipped);
}

/// Sends [`Wake::Stop`] on SIGINT or SIGTERM (and sets `stop`); a second signal ends the
/// process at once (exit code 130).
fn on_signals(
    wake: Sender<Wake>,
    stop: Arc<AtomicBool>,
) -> io::Result<signal_hook::iterator::Handle> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM])?;
    let handle = signals.handle();
    std::thread::Builder::new()
        .name("logleaks-signals".into())
        .spawn(move || {
            for _ in signals.forever() {
                if stop.swap(true, Ordering::SeqCst) {
                    std::process::exit(130);
                }
                let _ = wake.send(Wake::Stop);
            }
        })?;
    Ok(handle)
}

/// Set, this environment variable turns inotify off: changes are only seen by polling (to test
/// the fallback, or where inotify misbehaves).
pub const POLL_ONLY: &str = "LOGLEAKS_WATCH_POLL_ONLY";

/// Watches `paths` for changes with inotify (directories recursively, a file through its
/// directory, so that a new file of the same name is seen). `None` for the watcher, with a
/// note, when that cannot be done: the passes then run every poll interval only.
fn changes(
    paths: &[PathBuf],
    wake: Sender<Wake>,
) -> (Option<notify::RecommendedWatcher>, Option<String>) {
    use notify::{RecursiveMode, Watcher};
    if std::env::var_os(POLL_ONLY).is_some() {
        return (None, Some(format!("{POLL_ONLY} is set")));
    }
    let handler = move |event: notify::Result<notify::Event>| {
        let relevant = event.is_ok_and(|e| !e.kind.is_access() && !e.kind.is_other());
        if relevant {
            let _ = wake.send(Wake::Changed);
        }
    };
    let mut watcher = match notify::recommended_watcher(handler) {
        Ok(watcher) => watcher,
        Err(e) => return (None, Some(format!("cannot watch for changes ({e})"))),
    };
    for path in paths {
        let (target, mode) = if path.is_dir() {
            (path.as_path(), RecursiveMode::Recursive)
        } else {
            let parent = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
            (parent, RecursiveMode::NonRecursive)
        };
        if let Err(e) = watcher.watch(target, mode) {
            let note = format!("{}: cannot watch for changes ({e})", target.display());
            return (Some(watcher), Some(note));
        }
    }
    (Some(watcher), None)
}

/// The sink of a watch, in front of the user's: stops a pass when a signal came, and tells each
/// notice once (a file that cannot be read would otherwise be named at every pass).
struct Watching<'a> {
    sink: &'a mut dyn Sink,
    stop: Arc<AtomicBool>,
    told: HashSet<String>,
    /// Distinct input problems told.
    errors: u64,
}

impl Watching<'_> {
    fn check(&self) -> io::Result<()> {
        match self.stop.load(Ordering::SeqCst) {
            true => Err(io::Error::other(Stopped)),
            false => Ok(()),
        }
    }
}

/// Notices remembered to tell each once; past this, they are told again.
const MAX_TOLD: usize = 10_000;

impl Sink for Watching<'_> {
    fn finding(&mut self, finding: Finding) -> io::Result<()> {
        self.sink.finding(finding)
    }

    fn notice(&mut self, notice: &Notice) {
        if self.told.len() >= MAX_TOLD {
            self.told.clear();
        }
        if self.told.insert(format!("{notice:?}")) {
            if matches!(notice, Notice::Error { .. }) {
                self.errors += 1;
            }
            self.sink.notice(notice);
        }
    }

    fn idle(&mut self) -> io::Result<()> {
        self.check()?;
        self.sink.idle()
    }

    fn flush(&mut self) -> io::Result<()> {
        self.sink.flush()
    }

    fn progress(&mut self, _bytes: u64, _files: u64) {}

    fn reached(&mut self, mark: &ReadMark) -> io::Result<()> {
        self.sink.reached(mark)?;
        self.check()
    }
}
