//! Compressed inputs and archives, end to end: zstd, bzip2 and xz besides gzip (single and
//! concatenated), truncated and corrupt data, tar and zip archives read member by member (named
//! `archive!member`, lines counted per member), `--threads` invariance, and
//! `--max-decompressed-size` against a decompression bomb.
//!
//! Every compressed file is made here, with the codec crates' own encoders.

mod common;

use std::io::Write;
use std::path::Path;

use common::*;
use serde_json::Value;

const NGINX: &str = "fixtures/nginx/access.log";
const APACHE: &str = "fixtures/apache/access_log";

/// The stream compressions logleaks reads.
#[derive(Clone, Copy, Debug)]
enum Codec {
    Gzip,
    Zstd,
    Bzip2,
    Xz,
}

const CODECS: [Codec; 4] = [Codec::Gzip, Codec::Zstd, Codec::Bzip2, Codec::Xz];

impl Codec {
    fn name(self) -> &'static str {
        match self {
            Codec::Gzip => "gzip",
            Codec::Zstd => "zstd",
            Codec::Bzip2 => "bzip2",
            Codec::Xz => "xz",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Codec::Gzip => "gz",
            Codec::Zstd => "zst",
            Codec::Bzip2 => "bz2",
            Codec::Xz => "xz",
        }
    }

    /// `data` compressed as one stream (one gzip member, zstd frame, bzip2 or xz stream).
    fn compress(self, data: &[u8]) -> Vec<u8> {
        match self {
            Codec::Gzip => gzip(data),
            Codec::Zstd => {
                // With a checksum, as the `zstd` command writes by default.
                let mut e = zstd::stream::write::Encoder::new(Vec::new(), 3).expect("zstd");
                e.include_checksum(true).expect("zstd checksum");
                e.write_all(data).expect("zstd in memory");
                e.finish().expect("zstd in memory")
            }
            Codec::Bzip2 => {
                // Small blocks, so that a cut file still holds whole blocks before the damage.
                let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
                e.write_all(data).expect("bzip2 in memory");
                e.finish().expect("bzip2 in memory")
            }
            Codec::Xz => {
                let options = lzma_rust2::XzOptions::with_preset(1);
                let mut e = lzma_rust2::XzWriter::new(Vec::new(), options).expect("xz writer");
                e.write_all(data).expect("xz in memory");
                e.finish().expect("xz in memory")
            }
        }
    }
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

/// The expected findings of `plain` (a run over a plain file), reported under `file`, on the
/// lines `lines` keeps.
fn renamed(plain: &[Value], file: &str, lines: impl Fn(u64) -> bool) -> Vec<Key> {
    plain
        .iter()
        .filter(|f| lines(n(f, "line")))
        .map(|f| {
            let mut k = key_of(f);
            k.0 = file.to_string();
            k
        })
        .collect()
}

/// A combined log of `lines` lines with a distinct credential every 37 lines and random-looking
/// filler (so that it does not compress to nothing).
fn log_with_secrets(lines: usize, seed: u64) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    let mut out = String::new();
    for i in 0..lines {
        let target = match i % 37 {
            5 => format!("/api/items?api_key={}&page={i}", rng.hex32()),
            20 => format!("/pay?stripe_key={}", rng.stripe_key()),
            _ => format!(
                "/static/app.{}.js?v={i}&r={}",
                rng.string(b"0123456789abcdef", 12),
                rng.string(BASE62, 20)
            ),
        };
        out.push_str(&combined_line(&target));
        out.push('\n');
    }
    out.into_bytes()
}

/// The findings of a plain file holding `content`, with the secrets shown.
fn plain_findings(dir: &Path, content: &[u8]) -> Vec<Value> {
    let path = write(dir, "plain.log", content);
    let run = scan_shown([path_str(&path)]);
    run.assert_no_panic();
    assert!(run.error_lines().is_empty(), "{}", run.stderr);
    run.findings()
}

#[test]
fn every_compression_gives_the_findings_of_the_plain_file() {
    let dir = tempdir();
    let plain = scan_shown([NGINX]).findings();
    assert_eq!(plain.len(), planted_in(NGINX).len());
    for codec in CODECS {
        // Named `.log`: recognised by magic bytes, not by name.
        let path = write(
            dir.path(),
            &format!("{}.log", codec.name()),
            codec.compress(&fixture(NGINX)),
        );
        let run = scan_shown([path_str(&path)]);
        run.assert_no_panic().assert_code(1);
        assert!(run.error_lines().is_empty(), "{codec:?}: {}", run.stderr);
        let expected = renamed(&plain, path_str(&path), |_| true);
        assert_same_findings(&run.findings(), &expected, codec.name());
        assert!(
            run.summary_line().contains(" in 1 file;"),
            "{}",
            run.summary_line()
        );
    }
}

#[test]
fn concatenated_streams_are_read_whole_and_lines_count_across_them() {
    let dir = tempdir();
    let content = fixture(NGINX);
    let plain = scan_shown([NGINX]).findings();
    // One cut between lines, one in the middle of a line (a later stream finishes the line).
    let after_line_20 = after_lines(&content, 20);
    let mid_line = after_line_20 + 30;
    for codec in CODECS {
        let mut bytes = Vec::new();
        let mut start = 0;
        for cut in [after_line_20, mid_line, content.len()] {
            bytes.extend(codec.compress(&content[start..cut]));
            start = cut;
        }
        let path = write(dir.path(), &format!("joined.{}", codec.extension()), bytes);
        let run = scan_shown([path_str(&path)]);
        run.assert_no_panic().assert_code(1);
        assert!(run.error_lines().is_empty(), "{codec:?}: {}", run.stderr);
        let expected = renamed(&plain, path_str(&path), |_| true);
        assert_same_findings(&run.findings(), &expected, codec.name());
    }
}

/// Compressed files large enough to be decompressed on their own thread give the plain file's
/// findings, from a file and from standard input.
#[test]
fn large_compressed_files_and_stdin_give_the_plain_findings() {
    let dir = tempdir();
    let content = log_with_secrets(12_000, 7);
    let plain = plain_findings(dir.path(), &content);
    assert!(plain.len() > 500, "{}", plain.len());
    for codec in CODECS {
        let compressed = codec.compress(&content);
        assert!(
            compressed.len() > 256 * 1024,
            "{codec:?}: only {} bytes",
            compressed.len()
        );
        let path = write(
            dir.path(),
            &format!("big.{}", codec.extension()),
            &compressed,
        );
        let run = scan_shown([path_str(&path)]);
        run.assert_no_panic().assert_code(1);
        assert!(run.error_lines().is_empty(), "{codec:?}: {}", run.stderr);
        assert_same_findings(
            &run.findings(),
            &renamed(&plain, path_str(&path), |_| true),
            codec.name(),
        );
        let run = run_stdin(&["-"], compressed);
        run.assert_no_panic().assert_code(1);
        assert_same_findings(
            &run.findings(),
            &renamed(&plain, "-", |_| true),
            &format!("{} on stdin", codec.name()),
        );
    }
}

fn run_stdin(args: &[&str], input: Vec<u8>) -> Run {
    run(logleaks()
        .args(["scan", "--format", "jsonl", "--show-secrets"])
        .args(args)
        .write_stdin(input))
}

/// The line number in "… data after line N …".
fn line_after(message: &str) -> u64 {
    let rest = &message[message.find("after line ").expect("after line N") + 11..];
    rest.split(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|d| d.parse().ok())
        .unwrap_or_else(|| panic!("no line number in {message}"))
}

#[test]
fn truncated_data_is_named_with_its_format_and_the_lines_before_are_kept() {
    let dir = tempdir();
    let content = log_with_secrets(8_000, 11);
    let plain = plain_findings(dir.path(), &content);
    for codec in CODECS {
        let full = codec.compress(&content);
        let path = write(
            dir.path(),
            &format!("cut.{}", codec.extension()),
            &full[..full.len() * 3 / 5],
        );
        let other = write(dir.path(), "other.log", fixture(APACHE));
        let run = scan_shown([path_str(&path), path_str(&other)]);
        run.assert_no_panic().assert_code(2);
        let errors = run.error_lines();
        assert_eq!(errors.len(), 1, "{codec:?}: {}", run.stderr);
        let prefix = format!(
            "logleaks: {}: truncated or corrupt {} data after line ",
            path_str(&path),
            codec.name()
        );
        assert!(errors[0].starts_with(&prefix), "{codec:?}: {}", errors[0]);
        let lines = line_after(errors[0]);
        assert!(lines > 100, "{codec:?}: only {lines} lines before the cut");
        let got: Vec<Value> = run
            .findings()
            .into_iter()
            .filter(|f| s(f, "file") == path_str(&path))
            .collect();
        assert_same_findings(
            &got,
            &renamed(&plain, path_str(&path), |line| line <= lines),
            codec.name(),
        );
        // The next input is still scanned.
        let others = run
            .findings()
            .iter()
            .filter(|f| s(f, "file") == path_str(&other))
            .count();
        assert_eq!(others, planted_in(APACHE).len(), "{codec:?}");
    }
}

#[test]
fn corrupt_data_is_named_with_its_format() {
    let dir = tempdir();
    let content = log_with_secrets(3_000, 13);
    for codec in CODECS {
        let mut bytes = codec.compress(&content);
        // Damage the middle of the stream (past every header).
        let middle = bytes.len() / 2;
        for b in &mut bytes[middle..middle + 64] {
            *b ^= 0xa5;
        }
        let path = write(dir.path(), &format!("corrupt.{}", codec.extension()), bytes);
        let run = scan([path_str(&path)]);
        run.assert_no_panic().assert_code(2);
        let errors = run.error_lines();
        assert_eq!(errors.len(), 1, "{codec:?}: {}", run.stderr);
        let prefix = format!(
            "logleaks: {}: truncated or corrupt {} data after line ",
            path_str(&path),
            codec.name()
        );
        assert!(errors[0].starts_with(&prefix), "{codec:?}: {}", errors[0]);
        assert!(errors[0].ends_with("; the lines before were scanned"));
    }
}

/// One member of an archive made for a test.
enum Entry<'a> {
    File(&'a str, Vec<u8>),
    Dir(&'a str),
    Symlink(&'a str, &'a str),
}

fn tar_of(entries: &[Entry<'_>]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for entry in entries {
        let mut header = tar::Header::new_gnu();
        header.set_mode(0o644);
        match entry {
            Entry::File(name, data) => {
                header.set_size(data.len() as u64);
                header.set_cksum();
                builder.append_data(&mut header, name, &data[..])
            }
            Entry::Dir(name) => {
                header.set_entry_type(tar::EntryType::Directory);
                header.set_size(0);
                header.set_cksum();
                builder.append_data(&mut header, name, std::io::empty())
            }
            Entry::Symlink(name, target) => {
                header.set_entry_type(tar::EntryType::Symlink);
                header.set_size(0);
                builder.append_link(&mut header, name, target)
            }
        }
        .expect("tar in memory");
    }
    builder.into_inner().expect("tar in memory")
}

fn zip_of(entries: &[Entry<'_>]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for entry in entries {
        match entry {
            Entry::File(name, data) => {
                writer.start_file(*name, options).expect("zip entry");
                writer.write_all(data).expect("zip in memory");
            }
            Entry::Dir(name) => writer.add_directory(*name, options).expect("zip directory"),
            Entry::Symlink(name, target) => writer
                .add_symlink(*name, *target, options)
                .expect("zip symlink"),
        }
    }
    writer.finish().expect("zip in memory").into_inner()
}

/// An ELF header and some code-like bytes: not a text log.
fn executable() -> Vec<u8> {
    let mut bytes = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0".to_vec();
    bytes.extend((0..4000u32).map(|i| (i.wrapping_mul(2654435761) >> 11) as u8));
    bytes
}

/// The members of the test bundle: nginx's log, Apache's gzipped inside, a binary, a directory
/// and a symlink.
fn bundle_entries() -> Vec<Entry<'static>> {
    vec![
        Entry::Dir("var/log/nginx/"),
        Entry::File("var/log/nginx/access.log", fixture(NGINX)),
        Entry::File("var/log/apache2/access_log.1.gz", gzip(&fixture(APACHE))),
        Entry::File("usr/bin/tool", executable()),
        Entry::Symlink("var/log/current", "nginx/access.log"),
    ]
}

/// What a scan of the bundle must report, under the archive's name `archive`.
fn bundle_expected(archive: &str) -> Vec<Key> {
    let nginx = format!("{archive}!var/log/nginx/access.log");
    let apache = format!("{archive}!var/log/apache2/access_log.1.gz");
    let mut keys: Vec<Key> = planted_in(NGINX)
        .iter()
        .map(|p| key_of_planted(p, &nginx))
        .collect();
    keys.extend(
        planted_in(APACHE)
            .iter()
            .map(|p| key_of_planted(p, &apache)),
    );
    keys
}

#[test]
fn archives_are_read_member_by_member() {
    let dir = tempdir();
    let tar = tar_of(&bundle_entries());
    let mut archives = vec![
        ("bundle.tar".to_string(), tar.clone()),
        ("bundle.zip".to_string(), zip_of(&bundle_entries())),
    ];
    for codec in CODECS {
        archives.push((
            format!("bundle.tar.{}", codec.extension()),
            codec.compress(&tar),
        ));
    }
    archives.push(("bundle.tgz".to_string(), gzip(&tar)));
    for (name, bytes) in &archives {
        let path = write(dir.path(), name, bytes);
        let run = scan_shown([path_str(&path)]);
        run.assert_no_panic().assert_code(1);
        assert!(run.error_lines().is_empty(), "{name}: {}", run.stderr);
        assert_same_findings(&run.findings(), &bundle_expected(path_str(&path)), name);
        // Members are counted as files; the binary is skipped, not an error.
        assert!(
            run.summary_line()
                .contains(" in 2 files (1 skipped: not text logs);"),
            "{name}: {}",
            run.summary_line()
        );
    }
    // From standard input too (a zip is copied to a temporary file first).
    for (name, bytes) in &archives {
        let run = run_stdin(&["-"], bytes.clone());
        run.assert_no_panic().assert_code(1);
        assert_same_findings(&run.findings(), &bundle_expected("-"), name);
    }
}

#[test]
fn a_damaged_member_is_named_and_the_next_member_is_still_read() {
    let dir = tempdir();
    let gz = gzip(&fixture(APACHE));
    let entries = [
        Entry::File("a/cut.log.gz", gz[..gz.len() / 2].to_vec()),
        Entry::File("b/access.log", fixture(NGINX)),
    ];
    for (name, bytes) in [
        ("damaged.tar", tar_of(&entries)),
        ("damaged.zip", zip_of(&entries)),
    ] {
        let path = write(dir.path(), name, bytes);
        let run = scan_shown([path_str(&path)]);
        run.assert_no_panic().assert_code(2);
        let errors = run.error_lines();
        assert_eq!(errors.len(), 1, "{name}: {}", run.stderr);
        let prefix = format!(
            "logleaks: {}!a/cut.log.gz: truncated or corrupt gzip data after line ",
            path_str(&path)
        );
        assert!(errors[0].starts_with(&prefix), "{name}: {}", errors[0]);
        let member = format!("{}!b/access.log", path_str(&path));
        let nginx = run
            .findings()
            .iter()
            .filter(|f| s(f, "file") == member)
            .count();
        assert_eq!(nginx, planted_in(NGINX).len(), "{name}");
    }
}

#[test]
fn a_truncated_archive_keeps_the_members_before_the_damage() {
    let dir = tempdir();
    let tar = tar_of(&[
        Entry::File("first.log", fixture(NGINX)),
        Entry::File("second.log", log_with_secrets(2_000, 3)),
    ]);
    let tgz = gzip(&tar);
    for (name, bytes) in [
        ("cut.tar", tar[..tar.len() * 3 / 4].to_vec()),
        ("cut.tgz", tgz[..tgz.len() * 3 / 4].to_vec()),
    ] {
        let path = write(dir.path(), name, bytes);
        let run = scan_shown([path_str(&path)]);
        run.assert_no_panic().assert_code(2);
        let errors = run.error_lines();
        assert_eq!(errors.len(), 1, "{name}: {}", run.stderr);
        let format = if name.ends_with(".tgz") {
            "gzip"
        } else {
            "tar"
        };
        let prefix = format!(
            "logleaks: {}!second.log: truncated or corrupt {format} data after line ",
            path_str(&path)
        );
        assert!(errors[0].starts_with(&prefix), "{name}: {}", errors[0]);
        let first = format!("{}!first.log", path_str(&path));
        let expected: Vec<Key> = planted_in(NGINX)
            .iter()
            .map(|p| key_of_planted(p, &first))
            .collect();
        let got: Vec<Value> = run
            .findings()
            .into_iter()
            .filter(|f| s(f, "file") == first)
            .collect();
        assert_same_findings(&got, &expected, name);
    }
    // A zip without its end (the central directory) cannot be read at all: said so.
    let zip = zip_of(&[Entry::File("first.log", fixture(NGINX))]);
    let path = write(dir.path(), "cut.zip", &zip[..zip.len() - 40]);
    let run = scan([path_str(&path)]);
    run.assert_no_panic().assert_code(2);
    assert!(
        run.error_lines()[0].starts_with(&format!(
            "logleaks: {}: truncated or corrupt zip data",
            path_str(&path)
        )),
        "{}",
        run.stderr
    );
}

#[test]
fn output_is_identical_for_one_and_four_threads() {
    let dir = tempdir();
    let big = log_with_secrets(12_000, 21);
    let tar = tar_of(&[
        Entry::File("a.log", log_with_secrets(500, 1)),
        Entry::File("b.log.zst", Codec::Zstd.compress(&log_with_secrets(500, 2))),
    ]);
    for (i, codec) in CODECS.iter().enumerate() {
        write(
            dir.path(),
            &format!("logs/{i}.{}", codec.extension()),
            codec.compress(&big),
        );
    }
    write(dir.path(), "logs/bundle.tgz", gzip(&tar));
    write(dir.path(), "logs/bundle.zip", zip_of(&bundle_entries()));
    write(dir.path(), "logs/plain.log", fixture(NGINX));
    let logs = dir.path().join("logs");
    let one = scan(["--format", "jsonl", "--threads", "1", path_str(&logs)]);
    let four = scan(["--format", "jsonl", "--threads", "4", path_str(&logs)]);
    one.assert_no_panic().assert_code(1);
    four.assert_no_panic().assert_code(1);
    assert!(one.findings().len() > 2000, "{}", one.findings().len());
    assert!(one.stdout == four.stdout, "--threads 1 and 4 differ");
    assert_eq!(one.error_lines(), four.error_lines());
}

/// 200 MB of zeros in 200 gzip members of 1 MiB each (a multi-member gzip, cheap to make).
fn gzip_bomb() -> Vec<u8> {
    let member = gzip(&vec![0u8; 1 << 20]);
    member.repeat(200)
}

#[test]
fn max_decompressed_size_stops_a_decompression_bomb() {
    let dir = tempdir();
    let bomb = write(dir.path(), "bomb.gz", gzip_bomb());
    let small = write(dir.path(), "small.log.gz", gzip(&fixture(NGINX)));
    let run = scan([
        "--max-decompressed-size",
        "10M",
        path_str(&bomb),
        path_str(&small),
    ]);
    run.assert_no_panic().assert_code(2);
    assert!(
        run.stderr.contains(&format!(
            "logleaks: {}: stopped after 10485760 decompressed bytes (--max-decompressed-size)",
            path_str(&bomb)
        )),
        "{}",
        run.stderr
    );
    // The inputs under the limit are scanned as usual.
    let run = scan_shown([
        "--max-decompressed-size",
        "10M",
        path_str(&bomb),
        path_str(&small),
    ]);
    let small_findings = run
        .findings()
        .iter()
        .filter(|f| s(f, "file") == path_str(&small))
        .count();
    assert_eq!(small_findings, planted_in(NGINX).len());

    // The same bomb inside a tar.gz, as a member.
    let tgz = gzip(&tar_of(&[
        Entry::File("logs/access.log", fixture(NGINX)),
        Entry::File("logs/bomb.gz", gzip_bomb()),
    ]));
    let archive = write(dir.path(), "bundle.tgz", tgz);
    let run = scan_shown(["--max-decompressed-size", "10M", path_str(&archive)]);
    run.assert_no_panic().assert_code(2);
    assert!(
        run.stderr.contains(&format!(
            "logleaks: {}!logs/bomb.gz: stopped after 10485760 decompressed bytes (--max-decompressed-size)",
            path_str(&archive)
        )),
        "{}",
        run.stderr
    );
    assert_eq!(run.findings().len(), planted_in(NGINX).len());
}

#[test]
fn max_decompressed_size_does_not_touch_inputs_under_it_or_plain_files() {
    let dir = tempdir();
    let content = fixture(NGINX);
    let gz = write(dir.path(), "access.log.gz", gzip(&content));
    let plain = write(dir.path(), "access.log", &content);
    // Exactly the decompressed size is allowed; a plain file is not decompressed at all.
    let limit = content.len().to_string();
    let run = scan(["--max-decompressed-size", &limit, path_str(&gz)]);
    run.assert_no_panic().assert_code(1);
    let run = scan(["--max-decompressed-size", "1", path_str(&plain)]);
    run.assert_no_panic().assert_code(1);
    let run = scan([
        "--max-decompressed-size",
        &(content.len() - 1).to_string(),
        path_str(&gz),
    ]);
    run.assert_no_panic().assert_code(2);
    let run = scan(["--max-decompressed-size", "ten", path_str(&gz)]);
    run.assert_code(2);
    assert!(run.stderr.contains("invalid size"), "{}", run.stderr);
}

/// A gzip'd log scanned on any number of threads, cut into blocks of any size, gives the same
/// findings, line numbers and totals as the plain log: findings on lines that straddle block
/// boundaries and on a line longer than a block included.
#[test]
fn gzip_blocks_give_the_plain_files_output_for_any_threads_and_block_size() {
    let dir = tempdir();
    let mut log = log_with_secrets(12_000, 5);
    let long = combined_line(&format!(
        "/search?q={}&api_key=0f3a9c2b7d1e4a6f8b5c3d2e1f0a9b8c",
        "x".repeat(5000)
    ));
    let middle = log.len() / 2;
    let cut = middle + log[middle..].iter().position(|&b| b == b'\n').unwrap() + 1;
    log.splice(cut..cut, format!("{long}\n").into_bytes());
    let plain = write(dir.path(), "access.log", &log);
    let gz = write(dir.path(), "access.log.gz", gzip(&log));
    assert!(
        std::fs::metadata(&gz).unwrap().len() > 128 * 1024,
        "decompressed on its own thread"
    );
    let without_file = |run: &Run| -> Vec<Value> {
        run.findings()
            .into_iter()
            .map(|mut f| {
                f.as_object_mut().unwrap().remove("file");
                f
            })
            .collect()
    };
    let expected_run = scan(["--format", "jsonl", "--threads", "1", path_str(&plain)]);
    expected_run.assert_no_panic().assert_code(1);
    let expected = without_file(&expected_run);
    assert!(expected.len() > 600, "{}", expected.len());
    let long_line = (log[..cut].iter().filter(|&&b| b == b'\n').count() + 1) as u64;
    assert!(
        expected.iter().any(|f| n(f, "line") == long_line),
        "the long line's finding"
    );
    let mut first: Option<Vec<u8>> = None;
    for block_size in ["64", "1000", "4096", "1048576"] {
        for threads in ["1", "2", "4", "7"] {
            let run = scan([
                "--format",
                "jsonl",
                "--threads",
                threads,
                "--block-size",
                block_size,
                path_str(&gz),
            ]);
            run.assert_no_panic().assert_code(1);
            let context = format!("--threads {threads} --block-size {block_size}");
            assert!(without_file(&run) == expected, "{context}: findings differ");
            assert!(run.error_lines().is_empty(), "{context}: {}", run.stderr);
            match &first {
                Some(bytes) => assert!(*bytes == run.stdout, "{context}: output differs"),
                None => first = Some(run.stdout.clone()),
            }
        }
    }
}

/// The format of a gzip'd log is detected from its first lines however small the blocks it is
/// cut into: an IIS log whose header follows a line longer than a block is read as IIS (the query
/// column named as such) with blocks of 64 bytes as with blocks of 1 MB.
#[test]
fn the_detected_format_does_not_depend_on_the_block_size() {
    let dir = tempdir();
    let mut rng = Rng::new(11);
    let mut log = String::from(
        "Log file reopened after rotation at 2026-11-27 00:00:00 by the maintenance job\n\
         #Software: Microsoft Internet Information Services 10.0\n\
         #Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port c-ip cs(User-Agent) sc-status\n",
    );
    for i in 0..6_000 {
        let page = rng.string(b"0123456789abcdef", 24);
        let query = if i % 500 == 0 {
            format!("api_key={}", rng.string(b"0123456789abcdef", 32))
        } else {
            format!("v={}", rng.string(b"0123456789abcdef", 16))
        };
        log.push_str(&format!(
            "2026-11-27 10:{:02}:{:02} 10.0.0.1 GET /items/{page} {query} 443 203.0.113.9 curl/8.0 200\n",
            i / 60 % 60,
            i % 60
        ));
    }
    let gz = write(dir.path(), "u_ex261127.log.gz", gzip(log.as_bytes()));
    assert!(
        std::fs::metadata(&gz).unwrap().len() > 128 * 1024,
        "decompressed on its own thread"
    );
    for block_size in ["64", "1048576"] {
        let run = scan([
            "--format",
            "jsonl",
            "--block-size",
            block_size,
            path_str(&gz),
        ]);
        run.assert_no_panic().assert_code(1);
        let found = run.findings();
        assert_eq!(found.len(), 12, "--block-size {block_size}");
        for f in &found {
            assert_eq!(
                (s(f, "format"), s(f, "field")),
                ("iis", "request.query"),
                "--block-size {block_size}: {f}"
            );
        }
    }
}
