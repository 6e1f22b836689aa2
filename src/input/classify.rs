//! Telling text logs from files that are clearly something else (executables, images, login
//! records, journal files), by their first bytes.
//!
//! Runs of NUL bytes do not make a file binary: logrotate's `copytruncate` leaves them in front of
//! real logs. Nor do control bytes inside lines that start as text: web servers write the raw
//! bytes of an exploit's request line (a worm's kilobytes of shellcode) into a log whose other
//! lines are plain text, and the log must still be scanned.

/// What the start of a file looks like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Content {
    /// Text, to be scanned.
    Text,
    /// Not a text log, with a short reason.
    Binary(&'static str),
}

/// Bytes looked at to classify a file.
pub const SNIFF_LEN: usize = 8192;

const MAGIC: &[(&[u8], &str)] = &[
    (b"\x7fELF", "ELF executable"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"LPKSHHRH", "systemd journal file"),
    (b"SQLite format 3\0", "SQLite database"),
    (b"\0asm", "WebAssembly module"),
    (b"\xcf\xfa\xed\xfe", "Mach-O executable"),
    (b"\xca\xfe\xba\xbe", "Java class or Mach-O executable"),
    (b"PK\x03\x04", "zip archive"),
    (b"\x00\x00\x01\x00", "icon image"),
    (b"RIFF", "RIFF media file"),
];

/// Classifies a file from its first (decompressed) bytes.
pub fn classify(head: &[u8]) -> Content {
    let head = &head[..head.len().min(SNIFF_LEN)];
    if let Some((_, what)) = MAGIC.iter().find(|(magic, _)| head.starts_with(magic)) {
        return Content::Binary(what);
    }
    if head.starts_with(b"MZ") && head.iter().take(512).filter(|&&b| b == 0).count() > 16 {
        return Content::Binary("Windows executable");
    }
    // Fixed-size binary records (wtmp, btmp, lastlog) interleave short NUL runs with data;
    // copytruncate leaves a few long runs.
    let nul_runs = head.windows(2).filter(|w| w[0] != 0 && w[1] == 0).count();
    if nul_runs > 8 {
        return Content::Binary("binary records (NUL bytes between data)");
    }
    let mut text = 0usize;
    let mut control = 0usize;
    for &b in head.iter().filter(|&&b| b != 0) {
        match b {
            b'\t' | b'\n' | b'\r' | 0x0c | 0x0b | 0x1b => text += 1,
            0x01..=0x1f | 0x7f => control += 1,
            _ => text += 1,
        }
    }
    if control * 10 <= text + control || control <= 8 || lines_start_as_text(head) {
        Content::Text
    } else {
        Content::Binary("binary data")
    }
}

/// Bytes at the start of a line that must read as text for the line to count as a text line.
const LINE_START: usize = 32;

/// True when at least three in four of the lines in `head` start as text lines do (a timestamp,
/// an address, a `{`), whatever bytes follow: control bytes confined to the rest of a few lines.
/// The lines looked at are the complete ones, and the last one when it is long enough to judge
/// (one request line can be longer than `head`).
fn lines_start_as_text(head: &[u8]) -> bool {
    let (complete, last) = match memchr::memrchr(b'\n', head) {
        Some(end) => (&head[..end], &head[end + 1..]),
        None => (&head[..0], head),
    };
    let last = (last.len() >= LINE_START).then_some(last);
    let mut judged = 0usize;
    let mut textual = 0usize;
    for line in complete.split(|&b| b == b'\n').chain(last) {
        let line = &line[line.iter().take_while(|&&b| b == 0).count()..];
        if line.is_empty() || line == b"\r" {
            continue;
        }
        judged += 1;
        textual += usize::from(starts_as_text(line));
    }
    judged > 0 && textual * 4 >= judged * 3
}

/// True when the first bytes of `line` have no control bytes and read as text: valid UTF-8 (a
/// character cut at the end allowed) or mostly ASCII (Latin-1 and other 8-bit text).
fn starts_as_text(line: &[u8]) -> bool {
    let start = &line[..line.len().min(LINE_START)];
    let control = |b: &u8| matches!(b, 0x00..=0x08 | 0x0e..=0x1a | 0x1c..=0x1f | 0x7f);
    if start.iter().any(control) {
        return false;
    }
    let utf8 = match std::str::from_utf8(start) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    };
    utf8 || start.iter().filter(|b| b.is_ascii()).count() * 4 >= start.len() * 3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_logs_are_text() {
        assert_eq!(
            classify(b"1.2.3.4 - - [27/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 1\n"),
            Content::Text
        );
        assert_eq!(classify(b""), Content::Text);
        // copytruncate: NULs, then the log.
        let mut truncated = vec![0u8; 4000];
        truncated.extend_from_slice(b"1.2.3.4 - - [x] \"GET / HTTP/1.1\" 200 1\n");
        assert_eq!(classify(&truncated), Content::Text);
        // Latin-1 and invalid UTF-8 are still text.
        assert_eq!(classify(b"caf\xe9 \xff\xfe line\n"), Content::Text);
    }

    /// A combined-format line whose request target is `len` raw bytes of a worm's shellcode
    /// (no NUL, many control bytes), as Apache 1.3 logged it.
    fn shellcode_request(len: usize) -> Vec<u8> {
        let mut line = b"198.51.100.23 - - [14/Jun/2004:03:11:52 -0400] \"SEARCH /".to_vec();
        let pattern = [0x90u8, 0x02, 0xb1, 0x02, 0x90, 0xb1, 0x02, 0x02];
        line.extend(pattern.iter().cycle().take(len));
        line.extend(b" HTTP/1.1\" 414 326 \"-\" \"-\"\n");
        line
    }

    fn combined_lines(n: usize) -> Vec<u8> {
        (0..n)
            .flat_map(|i| {
                format!(
                    "203.0.113.{i} - - [14/Jun/2004:03:12:{:02} -0400] \"GET /index.html HTTP/1.1\" 200 1520 \"-\" \"Mozilla/4.0\"\n",
                    i % 60
                )
                .into_bytes()
            })
            .collect()
    }

    #[test]
    fn control_bytes_in_a_few_logged_requests_leave_a_log_text() {
        // One exploit line first, ordinary lines after it.
        let mut log = shellcode_request(1100);
        log.extend(combined_lines(40));
        assert_eq!(classify(&log), Content::Text);
        // Several, longer than the sniffed window, the first from byte 0: the window is one line
        // that starts as a log line does.
        let mut log = shellcode_request(8200);
        log.extend(shellcode_request(8200));
        log.extend(combined_lines(40));
        assert_eq!(classify(&log), Content::Text);
        let mut log = combined_lines(3);
        log.extend(shellcode_request(3000));
        log.extend(shellcode_request(3000));
        log.extend(combined_lines(5));
        assert_eq!(classify(&log), Content::Text);
    }

    #[test]
    fn lines_of_binary_data_do_not_start_as_text() {
        // Pseudo-random bytes without NUL, cut into lines: each starts with control bytes or
        // bytes that are neither UTF-8 nor ASCII.
        let mut data: Vec<u8> = (0..8192u32)
            .map(|i| ((i.wrapping_mul(2654435761) >> 11) as u8).max(1))
            .collect();
        for at in (0..data.len()).step_by(120) {
            data[at] = b'\n';
        }
        assert_eq!(classify(&data), Content::Binary("binary data"));
        // A text header does not make the rest text.
        let mut headed = b"version 2 export\n".to_vec();
        headed.extend(&data);
        assert_eq!(classify(&headed), Content::Binary("binary data"));
    }

    #[test]
    fn binaries_are_not() {
        assert!(matches!(
            classify(b"\x7fELF\x02\x01\x01"),
            Content::Binary(_)
        ));
        assert!(matches!(classify(b"\x89PNG\r\n\x1a\n"), Content::Binary(_)));
        assert!(matches!(classify(b"LPKSHHRH\0\0\0"), Content::Binary(_)));
        // A wtmp-like file: 384-byte records of short fields padded with NULs.
        let mut wtmp = Vec::new();
        for i in 0..20u8 {
            let mut rec = vec![0u8; 384];
            rec[0] = 7;
            rec[4] = i + 1;
            rec[8..13].copy_from_slice(b"pts/0");
            rec[44..48].copy_from_slice(b"root");
            rec[76..85].copy_from_slice(b"10.0.0.11");
            rec[340] = 0x65;
            wtmp.extend(rec);
        }
        assert!(matches!(classify(&wtmp), Content::Binary(_)));
        let random: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        assert!(matches!(classify(&random), Content::Binary(_)));
    }
}
