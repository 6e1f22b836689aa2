//! HTML character references (`&amp;`, `&#47;`, `&#x2F;`, `&quot;`), which URLs copied out of
//! HTML pages carry into logs when a client or crawler did not unescape them.

/// The character an entity at the start of `bytes` (just after its `&`) stands for, and the
/// entity's length without the `&`. Numeric references must end with `;` and name a valid
/// character; of the named ones only those that occur in URLs are known.
pub fn entity(bytes: &[u8]) -> Option<(char, usize)> {
    let semicolon = memchr::memchr(b';', &bytes[..bytes.len().min(10)])?;
    let body = &bytes[..semicolon];
    let c = match body {
        b"amp" => '&',
        b"lt" => '<',
        b"gt" => '>',
        b"quot" => '"',
        b"apos" => '\'',
        [b'#', b'x' | b'X', hex @ ..] if !hex.is_empty() => {
            char::from_u32(u32::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?)?
        }
        [b'#', digits @ ..] if !digits.is_empty() && digits.iter().all(u8::is_ascii_digit) => {
            char::from_u32(std::str::from_utf8(digits).ok()?.parse().ok()?)?
        }
        _ => return None,
    };
    Some((c, semicolon + 1))
}

/// True when the `&` before `bytes` starts an entity that stands for a character other than
/// `&` itself: such an `&` is part of a value, not a parameter separator.
pub fn is_escaped_character(bytes: &[u8]) -> bool {
    entity(bytes).is_some_and(|(c, _)| c != '&')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_and_named_entities() {
        assert_eq!(entity(b"#47;rest"), Some(('/', 4)));
        assert_eq!(entity(b"#x2F;"), Some(('/', 5)));
        assert_eq!(entity(b"#X2b;"), Some(('+', 5)));
        assert_eq!(entity(b"amp;x=1"), Some(('&', 4)));
        assert_eq!(entity(b"quot;"), Some(('"', 5)));
        assert_eq!(entity(b"#233;"), Some(('é', 5)));
    }

    #[test]
    fn not_entities() {
        assert_eq!(entity(b"#47"), None);
        assert_eq!(entity(b"page=2"), None);
        assert_eq!(entity(b"#;"), None);
        assert_eq!(entity(b"#x;"), None);
        assert_eq!(entity(b"#xD800;"), None);
        assert_eq!(entity(b"#99999999999;"), None);
        assert_eq!(entity(b"copy;"), None);
        assert!(!is_escaped_character(b"amp;key=1"));
        assert!(is_escaped_character(b"#x3D;"));
    }
}
