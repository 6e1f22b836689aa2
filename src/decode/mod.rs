//! Decoding of values the way the web server and browser encoded them: nginx/Apache `\xHH`
//! escapes, percent-encoding (single and double), and `+` as space in query strings.
//!
//! Every decoded byte remembers the position in the line of the raw byte it came from, so that a
//! finding can point at the exact column of the still-encoded credential. Nothing here knows about
//! rules or log formats.

pub mod html;
pub mod url;

/// A view of bytes together with where each byte came from in the original line.
#[derive(Clone, Copy, Debug)]
pub struct Text<'a> {
    /// The (possibly decoded) bytes.
    pub bytes: &'a [u8],
    origin: Origin<'a>,
}

#[derive(Clone, Copy, Debug)]
enum Origin<'a> {
    /// Raw bytes of the line starting at this position.
    Raw(usize),
    /// Decoded bytes; each entry is the line position of the raw byte it came from.
    Mapped(&'a [u32]),
}

impl<'a> Text<'a> {
    /// Raw bytes of the line, starting at byte `start` of the line.
    pub fn raw(bytes: &'a [u8], start: usize) -> Self {
        Text {
            bytes,
            origin: Origin::Raw(start),
        }
    }

    /// True when these are raw bytes of the line (nothing was decoded).
    pub fn is_raw(&self) -> bool {
        matches!(self.origin, Origin::Raw(_))
    }

    /// A sub-range of this text, keeping positions.
    pub fn slice(&self, range: std::ops::Range<usize>) -> Text<'a> {
        let origin = match self.origin {
            Origin::Raw(start) => Origin::Raw(start + range.start),
            Origin::Mapped(map) => Origin::Mapped(&map[range.clone()]),
        };
        Text {
            bytes: &self.bytes[range],
            origin,
        }
    }

    /// The position in the line of the raw byte behind byte `i` of this text.
    pub fn origin_of(&self, i: usize) -> usize {
        match self.origin {
            Origin::Raw(start) => start + i,
            Origin::Mapped(map) => map.get(i).or(map.last()).map_or(0, |&p| p as usize),
        }
    }

    /// Number of bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// True when there are no bytes.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

/// An owned decoded value with the line position of every byte, reused between values.
#[derive(Debug, Default, Clone)]
pub struct Decoded {
    /// The decoded bytes.
    pub bytes: Vec<u8>,
    origin: Vec<u32>,
}

impl Decoded {
    /// A borrowed view of the decoded bytes with their positions.
    pub fn text(&self) -> Text<'_> {
        Text {
            bytes: &self.bytes,
            origin: Origin::Mapped(&self.origin),
        }
    }

    fn clear(&mut self) {
        self.bytes.clear();
        self.origin.clear();
    }

    /// Empties it, with room for `len` bytes (decoding never makes a value longer).
    fn clear_for(&mut self, len: usize) {
        self.clear();
        self.bytes.reserve(len);
        self.origin.reserve(len);
    }

    /// Replaces the contents with `text`, positions included, in one allocation at most.
    fn copy_from(&mut self, text: Text<'_>) {
        self.clear();
        self.bytes.extend_from_slice(text.bytes);
        match text.origin {
            Origin::Raw(start) => self
                .origin
                .extend((start..start + text.bytes.len()).map(|p| p as u32)),
            Origin::Mapped(map) if map.len() >= text.bytes.len() => {
                self.origin.extend_from_slice(&map[..text.bytes.len()]);
            }
            Origin::Mapped(_) => {
                self.origin
                    .extend((0..text.bytes.len()).map(|i| text.origin_of(i) as u32));
            }
        }
    }

    fn push(&mut self, byte: u8, origin: usize) {
        self.bytes.push(byte);
        self.origin.push(origin as u32);
    }
}

/// How a value was encoded, which decides how it is decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    /// A path segment: percent-encoding, `+` is a plus.
    Path,
    /// A query-string name or value: percent-encoding and `+` as space.
    Query,
}

/// Most rounds of percent-decoding applied to one value (double and triple encoding).
pub const MAX_PERCENT_ROUNDS: usize = 3;

/// Decodes `src` into `out`: first the log's `\xHH` escapes, then percent-encoding (again while a
/// round decoded `%25`, up to [`MAX_PERCENT_ROUNDS`]), with `+` as space in a query.
///
/// Returns true when the result differs from `src`.
pub fn decode_value(
    src: Text<'_>,
    context: Context,
    out: &mut Decoded,
    spare: &mut Decoded,
) -> bool {
    decode_value_rounds(src, context, MAX_PERCENT_ROUNDS, out, spare)
}

/// Like [`decode_value`] with at most `rounds` rounds of percent-decoding: one round undoes one
/// level of nesting, so a URL inside a parameter keeps its own encoding for the next level.
pub fn decode_value_rounds(
    src: Text<'_>,
    context: Context,
    rounds: usize,
    out: &mut Decoded,
    spare: &mut Decoded,
) -> bool {
    out.clear();
    let needs_work = memchr::memchr3(b'%', b'\\', b'+', src.bytes).is_some();
    let has_entities = memchr::memchr(b'&', src.bytes).is_some();
    out.copy_from(src);
    if !needs_work && !has_entities {
        return false;
    }
    let mut changed = unescape_log_escapes(out, spare);
    let mut plus_as_space = context == Context::Query;
    for round_number in 0..rounds {
        // A further round that turns text into bytes that are not text decoded a literal `%` of
        // the value (`Cobalt%25falcon` is `Cobalt%falcon`, not `Cobalt` and byte 0xFA): undone.
        let was_text = round_number > 0 && std::str::from_utf8(&out.bytes).is_ok();
        let round = percent_decode_round(out, spare, plus_as_space);
        if was_text && round.changed && std::str::from_utf8(&out.bytes).is_err() {
            std::mem::swap(out, spare);
            break;
        }
        changed |= round.changed;
        plus_as_space = false;
        if !round.decoded_percent_sign {
            break;
        }
    }
    // HTML escaping is applied on top of a URL, but a `+` it produced is a plus, not a space:
    // undone after the percent rounds.
    if has_entities {
        changed |= unescape_html_entities(out, spare);
    }
    changed
}

/// Decodes `\xHH`, `\"` and `\\` escapes, which nginx and Apache write for bytes that are not
/// printable ASCII or that would break the log line. Returns true when anything was unescaped.
fn unescape_log_escapes(buf: &mut Decoded, spare: &mut Decoded) -> bool {
    if memchr::memchr(b'\\', &buf.bytes).is_none() {
        return false;
    }
    spare.clear_for(buf.bytes.len());
    let (bytes, origin) = (&buf.bytes, &buf.origin);
    let mut i = 0;
    let mut changed = false;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\\' && i + 1 < bytes.len() {
            let next = bytes[i + 1];
            if next == b'x' && i + 3 < bytes.len() {
                if let (Some(h), Some(l)) = (hex_value(bytes[i + 2]), hex_value(bytes[i + 3])) {
                    spare.push(h << 4 | l, origin[i] as usize);
                    i += 4;
                    changed = true;
                    continue;
                }
            }
            if next == b'"' || next == b'\\' {
                spare.push(next, origin[i] as usize);
                i += 2;
                changed = true;
                continue;
            }
        }
        spare.push(b, origin[i] as usize);
        i += 1;
    }
    std::mem::swap(buf, spare);
    changed
}

/// Decodes HTML character references (`&#x2F;`, `&#47;`, `&quot;`); each decoded character
/// keeps the raw column of its `&`. Returns true when anything was unescaped.
fn unescape_html_entities(buf: &mut Decoded, spare: &mut Decoded) -> bool {
    spare.clear_for(buf.bytes.len());
    let (bytes, origin) = (&buf.bytes, &buf.origin);
    let mut i = 0;
    let mut changed = false;
    while i < bytes.len() {
        if bytes[i] == b'&' {
            if let Some((c, len)) = html::entity(&bytes[i + 1..]) {
                let mut utf8 = [0; 4];
                for &b in c.encode_utf8(&mut utf8).as_bytes() {
                    spare.push(b, origin[i] as usize);
                }
                i += 1 + len;
                changed = true;
                continue;
            }
        }
        spare.push(bytes[i], origin[i] as usize);
        i += 1;
    }
    std::mem::swap(buf, spare);
    changed
}

struct Round {
    changed: bool,
    decoded_percent_sign: bool,
}

fn percent_decode_round(buf: &mut Decoded, spare: &mut Decoded, plus_as_space: bool) -> Round {
    let mut round = Round {
        changed: false,
        decoded_percent_sign: false,
    };
    if memchr::memchr2(b'%', b'+', &buf.bytes).is_none() {
        return round;
    }
    spare.clear_for(buf.bytes.len());
    let (bytes, origin) = (&buf.bytes, &buf.origin);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex_value(bytes[i + 1]), hex_value(bytes[i + 2])) {
                let decoded = h << 4 | l;
                round.decoded_percent_sign |= decoded == b'%';
                spare.push(decoded, origin[i] as usize);
                i += 3;
                round.changed = true;
                continue;
            }
        }
        if b == b'+' && plus_as_space {
            spare.push(b' ', origin[i] as usize);
            round.changed = true;
        } else {
            spare.push(b, origin[i] as usize);
        }
        i += 1;
    }
    std::mem::swap(buf, spare);
    round
}

/// Undoes JSON string escapes (`\"`, `\\`, `\/`, `\n`…, `\uXXXX` with surrogate pairs) in a
/// field; every output byte keeps the position of the escape it came from. Invalid escapes are
/// kept as they are.
pub fn unescape_json(src: Text<'_>) -> Decoded {
    let mut out = Decoded::default();
    let bytes = src.bytes;
    let mut i = 0;
    while i < bytes.len() {
        let origin = src.origin_of(i);
        if bytes[i] != b'\\' || i + 1 >= bytes.len() {
            out.push(bytes[i], origin);
            i += 1;
            continue;
        }
        let simple = match bytes[i + 1] {
            b'"' => Some(b'"'),
            b'\\' => Some(b'\\'),
            b'/' => Some(b'/'),
            b'b' => Some(0x08),
            b'f' => Some(0x0c),
            b'n' => Some(b'\n'),
            b'r' => Some(b'\r'),
            b't' => Some(b'\t'),
            _ => None,
        };
        if let Some(b) = simple {
            out.push(b, origin);
            i += 2;
            continue;
        }
        let unit = |at: usize| -> Option<u32> {
            let digits = bytes.get(at..at + 4)?;
            let text = std::str::from_utf8(digits).ok()?;
            u32::from_str_radix(text, 16).ok()
        };
        if bytes[i + 1] == b'u' {
            if let Some(high) = unit(i + 2) {
                let mut consumed = 6;
                let mut code = high;
                if (0xd800..0xdc00).contains(&high) && bytes.get(i + 6..i + 8) == Some(b"\\u") {
                    if let Some(low) = unit(i + 8).filter(|l| (0xdc00..0xe000).contains(l)) {
                        code = 0x10000 + ((high - 0xd800) << 10) + (low - 0xdc00);
                        consumed = 12;
                    }
                }
                let c = char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER);
                let mut buf = [0u8; 4];
                for &b in c.encode_utf8(&mut buf).as_bytes() {
                    out.push(b, origin);
                }
                i += consumed;
                continue;
            }
        }
        out.push(bytes[i], origin);
        i += 1;
    }
    out
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(raw: &str, context: Context) -> (Vec<u8>, Decoded) {
        let (mut out, mut spare) = (Decoded::default(), Decoded::default());
        decode_value(Text::raw(raw.as_bytes(), 10), context, &mut out, &mut spare);
        (out.bytes.clone(), out)
    }

    #[test]
    fn percent_and_plus() {
        assert_eq!(decode("a%2Bb+c", Context::Query).0, b"a+b c");
        assert_eq!(decode("a%2Bb+c", Context::Path).0, b"a+b+c");
    }

    #[test]
    fn double_and_triple_encoding() {
        assert_eq!(decode("x%253Dy", Context::Query).0, b"x=y");
        assert_eq!(decode("x%25253Dy", Context::Query).0, b"x=y");
        // A plus that was encoded once stays a plus in the second round.
        assert_eq!(decode("a%252Bb", Context::Query).0, b"a+b");
        // Double-encoded UTF-8 is decoded all the way.
        assert_eq!(decode("caf%25C3%25A9", Context::Query).0, "café".as_bytes());
    }

    #[test]
    fn a_literal_percent_is_not_decoded_into_bytes_that_are_not_text() {
        // `%25` is a `%` of the value; decoding `%fa` after it would make a byte, not text.
        let (bytes, out) = decode("Cobalt%25falcon5821%25", Context::Query);
        assert_eq!(bytes, b"Cobalt%falcon5821%");
        assert_eq!(
            out.text().origin_of(7),
            10 + 9,
            "positions still point into the raw value"
        );
        // The first round is the server's own decoding: whatever bytes it gives are kept.
        assert_eq!(decode("a%FAb", Context::Query).0, b"a\xFAb");
    }

    #[test]
    fn nginx_hex_escapes() {
        assert_eq!(decode(r"a\x22b\x5Cc", Context::Query).0, b"a\"b\\c");
        assert_eq!(decode(r#"a\"b"#, Context::Query).0, b"a\"b");
    }

    #[test]
    fn invalid_escapes_are_kept() {
        assert_eq!(decode("100%", Context::Query).0, b"100%");
        assert_eq!(decode("%zz%4", Context::Query).0, b"%zz%4");
        assert_eq!(decode(r"\x4", Context::Query).0, br"\x4");
    }

    #[test]
    fn json_escapes() {
        let raw = r#"a\u0026b\/c\"d\\e\ud83d\ude00f\x"#;
        let out = unescape_json(Text::raw(raw.as_bytes(), 0));
        assert_eq!(out.bytes, "a&b/c\"d\\e\u{1f600}f\\x".as_bytes());
        let t = out.text();
        assert_eq!(t.origin_of(1), 1);
        assert_eq!(t.origin_of(2), 7);
    }

    #[test]
    fn origins_point_at_raw_bytes() {
        let (bytes, out) = decode("ab%41c", Context::Query);
        assert_eq!(bytes, b"abAc");
        let t = out.text();
        assert_eq!(t.origin_of(0), 10);
        assert_eq!(t.origin_of(2), 12);
        assert_eq!(t.origin_of(3), 15);
        assert_eq!(t.slice(3..4).origin_of(0), 15);
    }
}
