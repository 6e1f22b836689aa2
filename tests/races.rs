//! Files that change under the scan: one that vanishes between the listing and its opening, and
//! one that logrotate's `copytruncate` empties (and the server writes again) after it was listed.
//! The races are made deterministic by changing the files between `walk` and `scan::run`, the
//! two steps of `logleaks scan`; an error notice makes the command exit with code 2.

use std::io;
use std::path::Path;

use logleaks::detect::Detector;
use logleaks::finding::Finding;
use logleaks::input::{walk, WalkOptions};
use logleaks::scan::{run, Notice, ScanOptions, Sink, Summary};

#[derive(Default)]
struct Collect {
    findings: Vec<(String, u64)>,
    notices: Vec<Notice>,
}

impl Sink for Collect {
    fn finding(&mut self, f: Finding) -> io::Result<()> {
        self.findings.push((f.file.to_string(), f.line));
        Ok(())
    }
    fn notice(&mut self, notice: &Notice) {
        self.notices.push(notice.clone());
    }
}

fn line(key: &str) -> String {
    format!("203.0.113.7 - - [27/Nov/2026:10:00:00 +0000] \"GET /pay?stripe_key={key} HTTP/1.1\" 200 1 \"-\" \"curl/8.5.0\"\n")
}

fn scan_after(
    dir: &Path,
    threads: usize,
    segment_size: u64,
    change: impl FnOnce(),
) -> (Collect, Summary) {
    let walked = walk(&[dir.to_path_buf()], &WalkOptions::default());
    change();
    let options = ScanOptions {
        threads,
        segment_size,
        ..ScanOptions::default()
    };
    let mut sink = Collect::default();
    let summary = run(walked, &Detector::builtin(), &options, &mut sink).expect("the scan runs");
    (sink, summary)
}

fn errors(notices: &[Notice]) -> Vec<(String, String)> {
    notices
        .iter()
        .filter_map(|n| match n {
            Notice::Error { path, message } => Some((path.to_string(), message.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn a_file_that_vanishes_after_the_listing_is_named_and_the_rest_is_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let gone = dir.path().join("access.log.1");
    let kept = dir.path().join("access.log.2");
    std::fs::write(&gone, line("sk_live_Wq3Rt7Yp1Zx5Kc9Vb2Nm4Lh8")).unwrap();
    std::fs::write(&kept, line("sk_live_Jd6Fg2Hk8Lq4Zw1Xc7Vb3Nm5")).unwrap();
    let (sink, summary) = scan_after(dir.path(), 2, 32 << 20, || {
        std::fs::remove_file(&gone).unwrap()
    });
    assert_eq!(
        errors(&sink.notices),
        [(
            gone.display().to_string(),
            "no such file or directory".into()
        )]
    );
    assert_eq!(summary.errors, 1, "the exit code is 2");
    assert_eq!(sink.findings, [(kept.display().to_string(), 1)]);
}

/// A log of `lines` lines, one credential every tenth line.
fn log(lines: usize) -> String {
    (0..lines)
        .map(|i| {
            if i % 10 == 0 {
                line(&format!("sk_live_Rt6Yq2Wm9Xn4Bv1Kz7L{i:07}"))
            } else {
                format!("203.0.113.7 - - [27/Nov/2026:10:00:00 +0000] \"GET /static/{i}.js HTTP/1.1\" 200 1 \"-\" \"curl/8.5.0\"\n")
            }
        })
        .collect()
}

#[test]
fn a_file_truncated_after_the_listing_is_scanned_as_it_is_now_and_named() {
    let before = log(2000);
    let after = log(3);
    // As a whole file (one thread), and split into ranges read in parallel.
    for (threads, segment_size) in [(1, 32 << 20), (3, 8 << 10)] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("access.log");
        std::fs::write(&path, &before).unwrap();
        // copytruncate: the content is copied away, the file emptied, and the server goes on
        // writing to it.
        let (sink, summary) = scan_after(dir.path(), threads, segment_size, || {
            std::fs::write(&path, &after).unwrap()
        });
        let errors = errors(&sink.notices);
        assert_eq!(errors.len(), 1, "{threads} threads: {errors:?}");
        assert_eq!(errors[0].0, path.display().to_string());
        assert_eq!(
            errors[0].1,
            format!(
                "the file shrank from {} to {} bytes while it was read (truncated, e.g. by logrotate copytruncate): what it held past byte {} was not scanned",
                before.len(),
                after.len(),
                after.len()
            )
        );
        assert_eq!(summary.errors, 1, "the exit code is 2");
        // What the file holds now is scanned, with the right line numbers.
        assert_eq!(
            sink.findings,
            [(path.display().to_string(), 1)],
            "{threads} threads"
        );
    }
}

#[test]
fn a_file_that_grows_while_it_is_read_is_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("access.log");
    std::fs::write(&path, log(100)).unwrap();
    let (sink, summary) = scan_after(dir.path(), 1, 32 << 20, || {
        std::fs::write(&path, log(120)).unwrap()
    });
    assert!(errors(&sink.notices).is_empty(), "{:?}", sink.notices);
    assert_eq!(summary.errors, 0);
    assert_eq!(sink.findings.len(), 12);
}
