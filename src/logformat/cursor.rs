//! A cursor over one log line: the small tokenising steps every parser is made of (a run of
//! non-space bytes, a quoted field, a bracketed field, an exact literal).
//!
//! It only returns ranges into the line; it never copies, decodes or allocates.

use std::ops::Range;

/// A position in a line.
#[derive(Clone, Copy, Debug)]
pub struct Cursor<'a> {
    /// The whole line.
    pub line: &'a [u8],
    /// The next byte to read.
    pub pos: usize,
}

impl<'a> Cursor<'a> {
    /// A cursor at the start of `line`.
    pub fn new(line: &'a [u8]) -> Self {
        Cursor { line, pos: 0 }
    }

    /// A cursor at `pos`.
    pub fn at(line: &'a [u8], pos: usize) -> Self {
        Cursor {
            line,
            pos: pos.min(line.len()),
        }
    }

    /// The bytes not read yet.
    pub fn rest(&self) -> &'a [u8] {
        &self.line[self.pos..]
    }

    /// True when everything was read.
    pub fn at_end(&self) -> bool {
        self.pos >= self.line.len()
    }

    /// The next byte, if any.
    pub fn peek(&self) -> Option<u8> {
        self.line.get(self.pos).copied()
    }

    /// Skips spaces.
    pub fn skip_spaces(&mut self) {
        while self.line.get(self.pos) == Some(&b' ') {
            self.pos += 1;
        }
    }

    /// Consumes `literal` if the rest starts with it.
    pub fn eat(&mut self, literal: &[u8]) -> bool {
        if self.rest().starts_with(literal) {
            self.pos += literal.len();
            true
        } else {
            false
        }
    }

    /// A run of non-space bytes (after skipping spaces).
    pub fn token(&mut self) -> Option<Range<usize>> {
        self.skip_spaces();
        let start = self.pos;
        let end = memchr::memchr(b' ', &self.line[start..]).map_or(self.line.len(), |p| start + p);
        if end == start {
            return None;
        }
        self.pos = end;
        Some(start..end)
    }

    /// `[…]`, returning the inside (after skipping spaces).
    pub fn bracketed(&mut self) -> Option<Range<usize>> {
        self.skip_spaces();
        if self.peek() != Some(b'[') {
            return None;
        }
        let start = self.pos + 1;
        let end = start + memchr::memchr(b']', &self.line[start..])?;
        self.pos = end + 1;
        Some(start..end)
    }

    /// `"…"`, returning the inside (after skipping spaces). The closing quote is one that is not
    /// escaped and is followed by a space or the end of the line.
    pub fn quoted(&mut self) -> Option<Range<usize>> {
        self.quoted_before(|b| b.is_none_or(|b| b == b' '))
    }

    /// `"…"` whose closing quote is not escaped and is followed by a byte accepted by `closes`
    /// (`None` at the end of the line).
    pub fn quoted_before(&mut self, closes: impl Fn(Option<u8>) -> bool) -> Option<Range<usize>> {
        self.skip_spaces();
        if self.peek() != Some(b'"') {
            return None;
        }
        let start = self.pos + 1;
        let end = closing_quote(self.line, start, closes)?;
        self.pos = end + 1;
        Some(start..end)
    }
}

/// The position of the quote that closes a quoted field starting at `start` (just after its
/// opening quote): not escaped by a backslash, and followed by a byte `closes` accepts.
pub fn closing_quote(
    line: &[u8],
    start: usize,
    closes: impl Fn(Option<u8>) -> bool,
) -> Option<usize> {
    let mut i = start;
    while let Some(p) = memchr::memchr(b'"', &line[i..]) {
        let q = i + p;
        if !is_escaped(&line[start..q]) && closes(line.get(q + 1).copied()) {
            return Some(q);
        }
        i = q + 1;
    }
    None
}

/// True when the byte after `before` is escaped: `before` ends in an odd number of backslashes.
pub fn is_escaped(before: &[u8]) -> bool {
    before.iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 1
}

/// Parses a 3-digit HTTP status; `Some(None)` for `-` or `000`.
pub fn status(bytes: &[u8]) -> Option<Option<u16>> {
    match bytes {
        b"-" | b"000" => Some(None),
        [a, b, c] if bytes.iter().all(u8::is_ascii_digit) => Some(Some(
            u16::from(*a - b'0') * 100 + u16::from(*b - b'0') * 10 + u16::from(*c - b'0'),
        )),
        _ => None,
    }
}

/// True for a non-empty run of ASCII digits.
pub fn is_digits(bytes: &[u8]) -> bool {
    !bytes.is_empty() && bytes.iter().all(u8::is_ascii_digit)
}

/// True for `-` or a number (digits, possibly with one `.` or a leading `-`/`+`).
pub fn is_number_or_dash(bytes: &[u8]) -> bool {
    if bytes == b"-" {
        return true;
    }
    let digits = bytes
        .strip_prefix(b"-")
        .or(bytes.strip_prefix(b"+"))
        .unwrap_or(bytes);
    !digits.is_empty()
        && digits.iter().all(|b| b.is_ascii_digit() || *b == b'.')
        && digits.iter().filter(|&&b| b == b'.').count() <= 1
        && digits[0] != b'.'
}

/// The range of `range` with the `:port` at its end removed (IPv4 `a.b.c.d:port`,
/// `[v6]:port`, host names); a bare IPv6 address is left alone.
pub fn without_port(line: &[u8], range: Range<usize>) -> Range<usize> {
    let bytes = &line[range.clone()];
    if let Some(rest) = bytes.strip_prefix(b"[") {
        if let Some(close) = memchr::memchr(b']', rest) {
            return range.start + 1..range.start + 1 + close;
        }
        return range;
    }
    let colons = memchr::memchr_iter(b':', bytes).count();
    if colons == 1 {
        let colon = memchr::memchr(b':', bytes).unwrap_or(bytes.len());
        if is_digits(&bytes[colon + 1..]) {
            return range.start..range.start + colon;
        }
    }
    range
}

/// True when `bytes` looks like an HTTP method (upper-case letters, `-` and `_`).
pub fn is_method(bytes: &[u8]) -> bool {
    bytes.first().is_some_and(u8::is_ascii_uppercase)
        && bytes.len() <= 24
        && bytes
            .iter()
            .all(|b| b.is_ascii_uppercase() || *b == b'-' || *b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_quotes_and_brackets() {
        let line = br#"a  [b c] "d \"e\" f" g"#;
        let mut c = Cursor::new(line);
        assert_eq!(&line[c.token().unwrap()], b"a");
        assert_eq!(&line[c.bracketed().unwrap()], b"b c");
        assert_eq!(&line[c.quoted().unwrap()], br#"d \"e\" f"#);
        assert_eq!(&line[c.token().unwrap()], b"g");
        assert!(c.token().is_none());
    }

    #[test]
    fn ports_and_numbers() {
        let l = b"10.0.0.1:443";
        assert_eq!(&l[without_port(l, 0..l.len())], b"10.0.0.1");
        let l = b"2001:db8::1";
        assert_eq!(&l[without_port(l, 0..l.len())], b"2001:db8::1");
        let l = b"[2001:db8::1]:80";
        assert_eq!(&l[without_port(l, 0..l.len())], b"2001:db8::1");
        assert!(is_number_or_dash(b"-1"));
        assert!(is_number_or_dash(b"0.001"));
        assert!(!is_number_or_dash(b"1.2.3"));
        assert_eq!(status(b"404"), Some(Some(404)));
        assert_eq!(status(b"-"), Some(None));
        assert_eq!(status(b"40x"), None);
    }
}
