//! The files a watch follows, held open by identity, so that a log renamed away by rotation
//! (`mv access.log access.log.1`, then the server reopens `access.log`) or deleted is read to
//! its end under the name it was followed by, before it is let go.

use std::collections::HashMap;
use std::fs::File;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::input::{DisplayPath, FileId, InputFile, Source, Walked};

/// At most this many files are held open (beyond, a renamed file is only read if it is still
/// under a watched path).
const MAX_HELD: usize = 256;

/// One file held open.
struct Held {
    id: FileId,
    file: File,
    display: DisplayPath,
}

/// The files followed, by the path they were found at, and those renamed away or deleted that
/// are still read for a while (a server writes to its old log until it reopens it).
pub struct Followed {
    by_path: HashMap<PathBuf, Held>,
    leaving: Vec<(Held, Instant)>,
    /// How long a file renamed away or deleted is still read.
    grace: Duration,
}

impl Followed {
    /// Nothing followed yet; files that leave are read for `grace` more.
    pub fn new(grace: Duration) -> Self {
        Followed {
            by_path: HashMap::new(),
            leaving: Vec::new(),
            grace,
        }
    }

    /// The inputs of the next pass: the files leaving (named as they were followed), then the
    /// walked ones. Files whose path now names another file, or that were not walked again,
    /// start leaving; files that left long enough ago are closed.
    pub fn inputs(&mut self, walked: Vec<Walked>) -> Vec<Walked> {
        let now = Instant::now();
        let mut current = HashMap::new();
        let mut kept = Vec::with_capacity(walked.len());
        for item in walked {
            let Walked::File(InputFile {
                source: Source::File(path),
                display,
                ..
            }) = &item
            else {
                kept.push(item);
                continue;
            };
            let path = path.clone();
            let display = display.clone();
            let id = FileId::of_path(&path);
            match self.by_path.remove(&path) {
                Some(held) if Some(held.id) == id => {
                    kept.push(read_held(item, &held));
                    current.insert(path, held);
                    continue;
                }
                Some(held) => self.leaving.push((held, now)),
                None => {}
            }
            if current.len() + self.by_path.len() >= MAX_HELD {
                kept.push(item);
                continue;
            }
            match open(&path, &display) {
                Ok(Some(held)) => {
                    kept.push(read_held(item, &held));
                    current.insert(path, held);
                }
                // Deleted since the walk saw it: there is nothing to read, and nothing wrong.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                // Not held: the pass reads it by name (and says why it cannot).
                _ => kept.push(item),
            }
        }
        for (_, held) in self.by_path.drain() {
            self.leaving.push((held, now));
        }
        self.by_path = current;
        let grace = self.grace;
        self.leaving
            .retain(|(_, since)| now.duration_since(*since) < grace);
        let mut inputs: Vec<Walked> = self
            .leaving
            .iter()
            .filter_map(|(held, _)| held_input(held))
            .collect();
        inputs.extend(kept);
        inputs
    }
}

/// Opens `path` to hold it; `Ok(None)` when it is not a regular file with an identity.
fn open(path: &std::path::Path, display: &DisplayPath) -> std::io::Result<Option<Held>> {
    let file = File::open(path)?;
    let meta = file.metadata()?;
    let id = FileId::of_metadata(&meta).filter(|_| meta.is_file());
    Ok(id.map(|id| Held {
        id,
        file,
        display: display.clone(),
    }))
}

/// The walked `item`, read through the file held for it, so that a file renamed or deleted
/// between the walk and the read is still the one read.
fn read_held(item: Walked, held: &Held) -> Walked {
    match (item, held_input(held)) {
        (Walked::File(input), Some(Walked::File(through))) => Walked::File(InputFile {
            source: through.source,
            ..input
        }),
        (item, _) => item,
    }
}

/// An input that reads the held file itself, whatever its name now (Linux: through
/// `/proc/self/fd`; elsewhere a file that left cannot be read).
fn held_input(held: &Held) -> Option<Walked> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let path = PathBuf::from(format!("/proc/self/fd/{}", held.file.as_raw_fd()));
        Some(Walked::File(InputFile {
            display: held.display.clone(),
            source: Source::File(path),
            size: None,
            ..InputFile::stdin()
        }))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = held;
        None
    }
}
