//! Telling text logs from files that are clearly something else (executables, images, login
//! records, journal files), by their first bytes.
//!
//! Runs of NUL bytes do not make a file binary: logrotate's `copytruncate` leaves them in front of
//! real logs.

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
    if control * 10 > text + control && control > 8 {
        return Content::Binary("binary data");
    }
    Content::Text
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
