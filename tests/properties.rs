//! Properties that must hold for any input (proptest): a parallel scan, with files cut into
//! ranges anywhere, finds exactly what a single-threaded scan of whole files finds; the block
//! reader loses and repeats nothing wherever it cuts; decoding and detection never panic and
//! finish quickly on any bytes.

use std::io::{self, Read};
use std::sync::OnceLock;

use logleaks::detect::Detector;
use logleaks::finding::Finding;
use logleaks::input::{count_lines, walk, BlockReader, WalkOptions};
use logleaks::scan::{run, Notice, ScanOptions, Sink, Summary};
use proptest::prelude::*;

fn detector() -> &'static Detector {
    static DETECTOR: OnceLock<Detector> = OnceLock::new();
    DETECTOR.get_or_init(Detector::builtin)
}

/// What is compared between scans: everything a finding says, and the totals.
type Found = (
    Vec<(String, u64, usize, &'static str, Vec<u8>)>,
    Vec<Notice>,
);

#[derive(Default)]
struct Collect(
    Vec<(String, u64, usize, &'static str, Vec<u8>)>,
    Vec<Notice>,
);

impl Sink for Collect {
    fn finding(&mut self, f: Finding) -> io::Result<()> {
        self.0.push((
            f.file.to_string(),
            f.line,
            f.column,
            f.rule,
            f.secret.expose().to_vec(),
        ));
        Ok(())
    }
    fn notice(&mut self, notice: &Notice) {
        self.1.push(notice.clone());
    }
}

fn scan_dir(dir: &std::path::Path, threads: usize, segment_size: u64) -> (Found, Summary) {
    let walked = walk(&[dir.to_path_buf()], &WalkOptions::default());
    let options = ScanOptions {
        threads,
        segment_size,
        ..ScanOptions::default()
    };
    let mut sink = Collect::default();
    let summary = run(walked, detector(), &options, &mut sink).expect("the scan runs");
    ((sink.0, sink.1), summary)
}

/// One line of a generated log: credentials in several places and encodings, noise, empty
/// lines, CR LF endings, NULs and invalid UTF-8.
fn log_line(kind: u8, i: usize) -> Vec<u8> {
    let key = format!("sk_live_Rt6Yq2Wm9Xn4Bv1Kz{i:07}");
    let request = |target: String| {
        format!("10.0.0.{} - - [27/Nov/2026:10:00:00 +0000] \"GET {target} HTTP/1.1\" 200 1 \"-\" \"ua\"", i % 250)
    };
    let text = match kind {
        0 => request(format!("/pay?stripe_key={key}")) + "\n",
        1 => {
            request(format!(
                "/r?next=https%3A%2F%2Fa.example%2Fcb%3Ftoken%3D{key}"
            )) + "\r\n"
        }
        2 => request(format!("/static/app.{i}.js")) + "\n",
        3 => "\n".to_string(),
        4 => format!("free text {i} password=Hq{i:05}-Lz-Wn4 and more\n"),
        5 => format!("{}\n", "x".repeat(i % 300)),
        // NULs (copytruncate leaves them) and bytes that are not UTF-8.
        6 => return [&b"\0\0\0\xff\xfe "[..], key.as_bytes(), b"\n"].concat(),
        _ => {
            request(format!(
                "/login?user=a&api_key=d4d3fd81b6ee7b3bb1c863e26{i:07}"
            )) + "\n"
        }
    };
    text.into_bytes()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Any number of threads and any range size give the findings (and line numbers, notices,
    /// totals) of one thread reading every file whole.
    #[test]
    fn parallel_and_split_scans_find_what_a_single_threaded_scan_finds(
        files in prop::collection::vec(prop::collection::vec(0u8..8, 0..120), 1..4),
        no_final_newline in any::<bool>(),
        threads in 2usize..5,
        segment_size in 1u64..3000,
    ) {
        let dir = tempfile::tempdir().unwrap();
        for (n, kinds) in files.iter().enumerate() {
            let mut content: Vec<u8> = kinds.iter().enumerate().flat_map(|(i, &k)| log_line(k, i)).collect();
            if no_final_newline && content.ends_with(b"\n") {
                content.pop();
            }
            std::fs::write(dir.path().join(format!("access.log.{n}")), content).unwrap();
        }
        let (single, single_summary) = scan_dir(dir.path(), 1, u64::MAX / 4);
        let (parallel, parallel_summary) = scan_dir(dir.path(), threads, segment_size);
        prop_assert_eq!(&parallel, &single);
        prop_assert_eq!(parallel_summary.lines, single_summary.lines);
        prop_assert_eq!(parallel_summary.bytes, single_summary.bytes);
        prop_assert_eq!(parallel_summary.findings, single_summary.findings);
        prop_assert_eq!(parallel_summary.errors, 0);
    }
}

/// A reader handing out at most `chunk` bytes per read.
struct Trickle<'a>(&'a [u8], usize);

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf.len().min(self.0.len()).min(self.1);
        buf[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Ok(n)
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Wherever the block reader cuts the input (any block size, any read size), the blocks are
    /// whole lines that put together give the input back.
    #[test]
    fn where_the_block_reader_cuts_changes_nothing(
        input in prop::collection::vec(prop_oneof![Just(b'\n'), Just(b'\r'), Just(0u8), Just(b'a'), any::<u8>()], 0..2000),
        block in 1usize..300,
        chunk in 1usize..500,
    ) {
        let mut reader = BlockReader::with_sizes(Trickle(&input, chunk), block, usize::MAX / 2);
        let mut joined = Vec::new();
        let mut lines = 0;
        while let Some(b) = reader.next_block().unwrap() {
            prop_assert!(b.bytes.last() == Some(&b'\n') || joined.len() + b.bytes.len() == input.len());
            prop_assert_eq!(b.offset as usize, joined.len());
            lines += count_lines(b.bytes);
            joined.extend_from_slice(b.bytes);
        }
        prop_assert_eq!(&joined, &input);
        prop_assert_eq!(lines, count_lines(&input));
    }
}

/// Bytes that decoders and parsers react to, to make hostile inputs likely.
fn hostile_bytes() -> impl Strategy<Value = Vec<u8>> {
    let interesting = prop_oneof![
        Just(&b"%"[..]),
        Just(&b"%25"[..]),
        Just(&b"%2"[..]),
        Just(&b"\\x"[..]),
        Just(&b"\\u"[..]),
        Just(&b"\\ud83d"[..]),
        Just(&b"\\"[..]),
        Just(&b"\""[..]),
        Just(&b"+"[..]),
        Just(&b"&"[..]),
        Just(&b"="[..]),
        Just(&b"?"[..]),
        Just(&b"https://"[..]),
        Just(&b"u:p@"[..]),
        Just(&b"/"[..]),
        Just(&b";"[..]),
        Just(&b"sk_live_"[..]),
        Just(&b"token="[..]),
        Just(&b"Authorization: Basic "[..]),
        Just(&b"eyJ"[..]),
        Just(&b"{\"a\":\""[..]),
        Just(&b"2F"[..]),
        Just(&b"3D"[..]),
        Just(&b"\n"[..]),
    ];
    let piece = prop_oneof![
        3 => interesting.prop_map(<[u8]>::to_vec),
        1 => prop::collection::vec(any::<u8>(), 1..8),
        1 => prop::collection::vec(b'a'..=b'z', 1..24),
    ];
    prop::collection::vec(piece, 0..200).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Decoding (percent in every round, `\xHH`, JSON escapes, nested URLs) and the whole
    /// detection of a line never panic and terminate, whatever the bytes (a blow-up hangs the test).
    #[test]
    fn decoding_and_detection_never_panic_and_terminate(data in hostile_bytes()) {
        logleaks::fuzzing::decode_value(&data);
        logleaks::fuzzing::split_url(&data);
        logleaks::fuzzing::credentials(&data);
        logleaks::fuzzing::scan_lines(&data);
    }
}
