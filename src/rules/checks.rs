//! Checks that a regex cannot express: checksums, structure of tokens, and whether a value looks
//! like a credential at all. Rules refer to them by name.

use base64::Engine;

use crate::finding::Details;

/// A code check of a pattern match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Validator {
    /// GitHub tokens: CRC32 of the random part, base62, in the last 6 characters.
    GithubChecksum,
    /// JSON Web Tokens: header and claims decode to JSON objects.
    Jwt,
    /// Real values only: not a documentation example or placeholder.
    NotPlaceholder,
    /// Something a person could have typed as a password (see [`is_password_like`]).
    PasswordLike,
}

impl Validator {
    /// Looks a validator up by the name rules use.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "github-checksum" => Self::GithubChecksum,
            "jwt" => Self::Jwt,
            "not-placeholder" => Self::NotPlaceholder,
            "password-like" => Self::PasswordLike,
            _ => return None,
        })
    }

    /// Checks a match; `None` rejects it, otherwise the facts learned.
    pub fn check(self, secret: &[u8]) -> Option<Details> {
        match self {
            Self::GithubChecksum => github_checksum_valid(secret).then(|| Details {
                checksum: Some("valid"),
                ..Details::default()
            }),
            Self::Jwt => is_jwt(secret).then(Details::default),
            Self::NotPlaceholder => (!is_placeholder(secret)).then(Details::default),
            Self::PasswordLike => is_password_like(secret).then(Details::default),
        }
    }
}

/// A code check of a parameter value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueCheck {
    /// Any non-empty value.
    Any,
    /// Looks random enough to be a key or token (see [`is_credential_like`]).
    CredentialLike,
    /// Anything a person might type as a password (see [`is_password_like`]).
    Password,
}

impl ValueCheck {
    /// Looks a check up by the name rules use.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "any" => Self::Any,
            "credential-like" => Self::CredentialLike,
            "password" => Self::Password,
            _ => return None,
        })
    }

    /// True when `value` passes.
    pub fn passes(self, value: &[u8]) -> bool {
        match self {
            Self::Any => !value.is_empty() && !is_placeholder(value),
            Self::CredentialLike => is_credential_like(value),
            Self::Password => is_password_like(value),
        }
    }
}

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// True when a `ghp_`/`gho_`/`ghu_`/`ghs_`/`ghr_` token's last 6 characters are the base62 CRC32
/// of the 30 characters before them.
pub fn github_checksum_valid(token: &[u8]) -> bool {
    let Some(body) = token.get(4..) else {
        return false;
    };
    if body.len() != 36 {
        return false;
    }
    let (random, checksum) = body.split_at(30);
    let mut crc = flate2::Crc::new();
    crc.update(random);
    let mut value = crc.sum();
    let mut expected = [b'0'; 6];
    for slot in expected.iter_mut().rev() {
        *slot = BASE62[(value % 62) as usize];
        value /= 62;
    }
    value == 0 && expected == checksum
}

/// True when `token` is `header.claims.signature` whose first two parts are base64url JSON
/// objects.
pub fn is_jwt(token: &[u8]) -> bool {
    let mut parts = token.split(|&b| b == b'.');
    let (Some(header), Some(claims)) = (parts.next(), parts.next()) else {
        return false;
    };
    let decodes_to_object = |part: &[u8]| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(part.strip_suffix(b"=").unwrap_or(part))
            .ok()
            .and_then(|json| serde_json::from_slice::<serde_json::Value>(&json).ok())
            .is_some_and(|v| v.is_object())
    };
    decodes_to_object(header) && decodes_to_object(claims)
}

/// Words that mark a value as a placeholder, a documentation example or already masked.
const PLACEHOLDER_WORDS: &[&str] = &[
    "your",
    "example",
    "placeholder",
    "changeme",
    "change_me",
    "redacted",
    "filtered",
    "hidden",
    "masked",
    "dummy",
    "sample",
    "insert",
    "replace",
    "undefined",
    "null",
    "none",
    "secret_here",
    "token_here",
    "key_here",
    "xxxx",
    "***",
    "....",
    "<",
    ">",
    "{{",
    "${",
    "%s",
    "[",
];

/// True when `value` is a placeholder (`YOUR_API_KEY`, `<api_key>`, `{{token}}`, `${KEY}`,
/// `xxxx…`, `null`, `changeme`) or a value that logging already masked (`[FILTERED]`, `REDACTED`,
/// `__HIDDEN__`, `***`).
pub fn is_placeholder(value: &[u8]) -> bool {
    let lower = value.to_ascii_lowercase();
    if PLACEHOLDER_WORDS
        .iter()
        .any(|w| memchr::memmem::find(&lower, w.as_bytes()).is_some())
    {
        return true;
    }
    // One character repeated (`aaaaaaaa`, `00000000`, `********`).
    let first = lower.first().copied();
    lower.len() >= 4 && lower.iter().all(|&b| Some(b) == first)
}

/// Shannon entropy of the byte distribution, in bits per byte.
pub fn shannon_entropy(value: &[u8]) -> f64 {
    if value.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in value {
        counts[b as usize] += 1;
    }
    let n = value.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

/// True for a UUID (`8-4-4-4-12` hex digits).
pub fn is_uuid(value: &[u8]) -> bool {
    value.len() == 36
        && value.iter().enumerate().all(|(i, &b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// Values that are public by design even when sent in a credential-named parameter: Stripe
/// publishable keys and Mapbox public tokens.
pub fn is_public_key(value: &[u8]) -> bool {
    ["pk_live_", "pk_test_", "pk."]
        .iter()
        .any(|p| value.starts_with(p.as_bytes()))
}

/// True when `value` could be a key or token: 16 to 4096 characters of the token alphabet, random
/// looking (mixed character classes and enough entropy), not a placeholder, UUID, number, or a
/// public-by-design key.
pub fn is_credential_like(value: &[u8]) -> bool {
    if !(16..=4096).contains(&value.len())
        || is_placeholder(value)
        || is_public_key(value)
        || is_uuid(value)
    {
        return false;
    }
    let token_byte = |b: &u8| b.is_ascii_alphanumeric() || b"-_.+/=~:".contains(b);
    if !value.iter().all(token_byte) {
        return false;
    }
    let digits = value.iter().filter(|b| b.is_ascii_digit()).count();
    let upper = value.iter().filter(|b| b.is_ascii_uppercase()).count();
    let lower = value.iter().filter(|b| b.is_ascii_lowercase()).count();
    let letters = upper + lower;
    if letters == 0 {
        return false; // numbers: ids, timestamps, cache busters
    }
    if digits == 0 {
        // Letters only: random keys are mixed case throughout; words and camelCase are not.
        let n = letters as f64;
        if value.len() < 20 || (upper as f64) < 0.25 * n || (lower as f64) < 0.25 * n {
            return false;
        }
    }
    shannon_entropy(value) >= 3.0
}

/// True when `value` could be a password a person typed: 4 to 256 bytes, not a placeholder, a file
/// path or a boolean.
pub fn is_password_like(value: &[u8]) -> bool {
    if !(4..=256).contains(&value.len()) || value.starts_with(b"/") {
        return false;
    }
    // People put words like "Example" or "Summer" in real passwords, so only whole placeholder
    // values, template markers and masks count here.
    let lower = value.to_ascii_lowercase();
    let masked_or_template = [
        "***",
        "xxxx",
        "[filtered]",
        "redacted",
        "__hidden__",
        "<",
        "{{",
        "${",
        "%s",
    ]
    .iter()
    .any(|w| memchr::memmem::find(&lower, w.as_bytes()).is_some());
    let first = lower[0];
    let repeated = lower.iter().all(|&b| b == first);
    let placeholder = matches!(
        lower.as_slice(),
        b"true"
            | b"false"
            | b"password"
            | b"passwd"
            | b"changeme"
            | b"change_me"
            | b"null"
            | b"none"
            | b"undefined"
            | b"example"
            | b"secret"
            | b"your_password"
            | b"yourpassword"
            | b"hidden"
            | b"filtered"
            | b"masked"
    );
    !(masked_or_template || repeated || placeholder)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_checksum() {
        // Random part "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa": the checksum is computed the documented way.
        let random = b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
        let mut crc = flate2::Crc::new();
        crc.update(random);
        let mut v = crc.sum();
        let mut cs = [b'0'; 6];
        for slot in cs.iter_mut().rev() {
            *slot = BASE62[(v % 62) as usize];
            v /= 62;
        }
        let token = [b"ghp_".as_slice(), random, &cs].concat();
        assert!(github_checksum_valid(&token));
        let mut wrong = token.clone();
        wrong[39] = if wrong[39] == b'A' { b'B' } else { b'A' };
        assert!(!github_checksum_valid(&wrong));
        assert!(!github_checksum_valid(b"ghp_short"));
    }

    #[test]
    fn jwt_structure() {
        assert!(is_jwt(b"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln"));
        assert!(!is_jwt(b"eyJhbGciOiJIUzI1NiJ9.bm90anNvbg.c2ln"));
        assert!(!is_jwt(b"eyJub3Rqc29u"));
    }

    #[test]
    fn placeholders() {
        for v in [
            "YOUR_API_KEY",
            "<api_key>",
            "{{token}}",
            "${KEY}",
            "xxxxxxxxxxxx",
            "null",
            "changeme",
            "[FILTERED]",
            "REDACTED",
            "__HIDDEN__",
            "***",
        ] {
            assert!(is_placeholder(v.as_bytes()), "{v}");
        }
        assert!(!is_placeholder(b"d41d8cd98f00b204e9800998ecf8427e"));
    }

    #[test]
    fn credential_likeness() {
        for v in [
            "d41d8cd98f00b204e9800998ecf8427e",
            "Xk3mP9qLr2sT8vW1yZ4aB6cD",
            "QmFzZTY0IGVuY29kZWQgc2VjcmV0IQ==",
        ] {
            assert!(is_credential_like(v.as_bytes()), "{v}");
        }
        for v in [
            "checkout.button.label",
            "checkoutButtonLabelText",
            "1700000000000",
            "550e8400-e29b-41d4-a716-446655440000",
            "short1",
            "pk_live_51Habcdefghijklmnopqrstuv",
            "hello world this is text",
            "aaaaaaaaaaaaaaaaaaaa",
        ] {
            assert!(!is_credential_like(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn password_likeness() {
        assert!(is_password_like(b"Summer2024!"));
        assert!(!is_password_like(b"/home/user"));
        assert!(!is_password_like(b"abc"));
        assert!(!is_password_like(b"changeme"));
        assert!(is_password_like(b"Example#8583"));
        assert!(!is_password_like(b"********"));
        assert!(!is_password_like(b"[FILTERED]"));
    }

    #[test]
    fn entropy() {
        assert_eq!(shannon_entropy(b"aaaa"), 0.0);
        assert!((shannon_entropy(b"ab") - 1.0).abs() < 1e-9);
    }
}
