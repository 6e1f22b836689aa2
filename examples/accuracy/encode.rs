//! The encodings a value goes through on its way into a log line, each as a server, browser or
//! logger really applies it.

use crate::rng::Rng;

/// How a credential's own bytes appear in the line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Encoding {
    /// As a browser sends a parameter value: only bytes that would end it are encoded.
    Plain,
    /// Percent-encoded: reserved bytes and a random part of the others, in either hex case.
    Percent,
    /// Percent-encoded twice (`%` written as `%25`).
    Double,
    /// `+` for spaces and percent-encoding elsewhere, as HTML forms send values.
    Form,
    /// The value of a parameter of a URL that is itself percent-encoded into another parameter.
    Nested,
    /// The same, two URLs deep.
    Nested2,
    /// In a JSON log: `\/`, `\u0026` and `\u00XX` escapes.
    Json,
    /// nginx's `\xHH` escapes of quotes, backslashes and bytes outside printable ASCII.
    Hex,
    /// HTML entities, as in URLs copied out of HTML (`&amp;`, `&#x2F;`, `&#61;`).
    Html,
    /// Every byte percent-encoded (`%36%32%30…`), as some clients write signatures.
    EveryByte,
}

impl Encoding {
    /// The name in the benchmark's tables.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Plain => "plain",
            Encoding::Percent => "percent",
            Encoding::Double => "double",
            Encoding::Form => "form",
            Encoding::Nested => "nested",
            Encoding::Nested2 => "nested2",
            Encoding::Json => "json",
            Encoding::Hex => "xhh",
            Encoding::Html => "html",
            Encoding::EveryByte => "every-byte",
        }
    }
}

fn unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// What a browser leaves unencoded in a query value (it keeps `/`, `:`, `@`, `,`, `;`, `!`, `*`,
/// `'`, `(`, `)`, `$`).
fn query_safe(b: u8) -> bool {
    unreserved(b)
        || matches!(
            b,
            b'/' | b':' | b'@' | b',' | b';' | b'!' | b'*' | b'\'' | b'(' | b')' | b'$'
        )
}

fn push_pct(out: &mut String, b: u8, upper: bool) {
    if upper {
        out.push_str(&format!("%{b:02X}"));
    } else {
        out.push_str(&format!("%{b:02x}"));
    }
}

/// `encodeURIComponent`: every byte but the unreserved ones percent-encoded.
pub fn component(value: &str) -> String {
    let mut out = String::new();
    for &b in value.as_bytes() {
        if unreserved(b) {
            out.push(b as char);
        } else {
            push_pct(&mut out, b, true);
        }
    }
    out
}

/// A query value as a browser writes it.
pub fn plain(value: &str) -> String {
    let mut out = String::new();
    for &b in value.as_bytes() {
        if query_safe(b) {
            out.push(b as char);
        } else {
            push_pct(&mut out, b, true);
        }
    }
    out
}

/// Percent-encoding of every reserved byte and of a random third of the others.
pub fn percent(rng: &mut Rng, value: &str) -> String {
    let upper = rng.chance(0.7);
    let mut out = String::new();
    for &b in value.as_bytes() {
        if unreserved(b) && !rng.chance(0.3) {
            out.push(b as char);
        } else {
            push_pct(&mut out, b, upper);
        }
    }
    out
}

/// Every byte percent-encoded, in one hex case.
pub fn every_byte(rng: &mut Rng, value: &str) -> String {
    let upper = rng.chance(0.5);
    let mut out = String::new();
    for &b in value.as_bytes() {
        push_pct(&mut out, b, upper);
    }
    out
}

/// `%XX` escapes undone (for values the benchmark built encoded).
pub fn decode_percent(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Form encoding: spaces as `+`.
pub fn form(value: &str) -> String {
    let mut out = String::new();
    for &b in value.as_bytes() {
        if b == b' ' {
            out.push('+');
        } else if unreserved(b) {
            out.push(b as char);
        } else {
            push_pct(&mut out, b, true);
        }
    }
    out
}

/// A string's JSON form without quotes; `heavy` also escapes `/` and HTML-sensitive bytes
/// (`\/`, `\u0026`, `\u003c`, `\u003e`, `\u0027`) and non-ASCII characters, as some loggers do.
pub fn json(text: &str, heavy: bool) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '/' if heavy => out.push_str("\\/"),
            '&' | '<' | '>' | '\'' if heavy => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if heavy && !c.is_ascii() => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{:04X}", unit));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// nginx's escaping of a logged variable: `"`, `\` and bytes outside printable ASCII as `\xHH`.
pub fn nginx(text: &str) -> String {
    let mut out = String::new();
    for &b in text.as_bytes() {
        if b == b'"' || b == b'\\' || !(0x20..0x7f).contains(&b) {
            out.push_str(&format!("\\x{b:02X}"));
        } else {
            out.push(b as char);
        }
    }
    out
}

/// Apache's escaping of a logged request line: `"` and `\` backslash-escaped, other bytes
/// outside printable ASCII as `\xhh`.
pub fn apache(text: &str) -> String {
    let mut out = String::new();
    for &b in text.as_bytes() {
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b if !(0x20..0x7f).contains(&b) => out.push_str(&format!("\\x{b:02x}")),
            b => out.push(b as char),
        }
    }
    out
}

/// A URL as HTML writes it: the value as a browser puts it in the query ([`plain`]: `&`, `=`,
/// `#`, `+`, `%` and spaces already percent-encoded, as they must be for the URL to mean the
/// value), then the punctuation left in it as numeric entities (`&#x2F;`, `&#64;`), as attribute
/// encoders write it; the caller writes separators as `&amp;`. An entity for `&` would be a
/// separator of the URL, not part of the value.
pub fn html_value(rng: &mut Rng, value: &str) -> String {
    let mut out = String::new();
    for c in plain(value).chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '%' | '-' | '.' | '_' | '~') {
            out.push(c);
        } else if rng.chance(0.5) {
            out.push_str(&format!("&#{};", c as u32));
        } else {
            out.push_str(&format!("&#x{:X};", c as u32));
        }
    }
    out
}
