//! How values from logs are shown: to people (escaped, so that a log line cannot drive the
//! terminal; severities in colour) and in JSON (a string when UTF-8, base64 otherwise).
//!
//! Shared by every writer of output (reports, summaries, `inspect`, `redact`'s report); it
//! knows nothing about where the values came from.

use base64::Engine;
use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::finding::Severity;

/// `n` and `noun`, plural unless `n` is 1: `1 line`, `2 lines`.
pub fn counted(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// `text` in the terminal colour of `severity` (ANSI escapes).
pub fn paint_severity(severity: Severity, text: &str) -> String {
    let code = match severity {
        Severity::Critical => "1;31",
        Severity::High => "31",
        Severity::Medium => "33",
        Severity::Low => "36",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

/// Bytes that become a JSON string when they are UTF-8, and `{"bytes": "<base64>"}` otherwise.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bytes(pub Vec<u8>);

impl Bytes {
    /// Text for people: UTF-8 as is, invalid bytes and control characters (which could drive a
    /// terminal) escaped.
    pub fn to_display(&self) -> String {
        display_bytes(&self.0)
    }
}

impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_bytes(&self.0, serializer)
    }
}

/// Text for people from bytes a log author may have chosen: UTF-8 as is, invalid bytes as
/// `\xHH`, control characters as `\u{…}`.
pub fn display_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c.is_control() {
                out.extend(c.escape_unicode());
            } else {
                out.push(c);
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    out
}

/// Serialises bytes as a string when UTF-8, else as `{"bytes": base64}`.
pub fn serialize_bytes<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
    match std::str::from_utf8(bytes) {
        Ok(s) => serializer.serialize_str(s),
        Err(_) => {
            let mut map = serializer.serialize_map(Some(1))?;
            map.serialize_entry(
                "bytes",
                &base64::engine::general_purpose::STANDARD.encode(bytes),
            )?;
            map.end()
        }
    }
}
