//! One leaked credential, as logleaks reports it: what it is, where it was, how bad it is.
//!
//! This module owns redaction and fingerprints, so that no other part of logleaks ever needs to
//! hold a printable secret. It knows nothing about files, formats or output shapes.

use std::fmt;

use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::{Digest, Sha256};

pub use crate::logformat::FieldName;

/// How bad a leak is, from `low` to `critical`.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Test credentials, public-by-design keys that still deserve attention.
    Low,
    /// Short-lived or limited credentials.
    Medium,
    /// Credentials that grant access to something.
    High,
    /// Long-lived credentials with broad access.
    Critical,
}

impl Severity {
    /// All severities, lowest first.
    pub const ALL: [Severity; 4] = [Self::Low, Self::Medium, Self::High, Self::Critical];

    /// The lowercase name used in output and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
            Self::Critical => "critical",
        }
    }

    /// One step lower, for credentials that are known to be weaker (expired, test mode).
    pub fn lowered(self) -> Self {
        match self {
            Self::Critical => Self::High,
            Self::High => Self::Medium,
            Self::Medium | Self::Low => Self::Low,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How sure logleaks is that a finding is a credential, from `low` to `high`.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Weak evidence: a value that may be a credential, or may be an id or a nonce.
    Low,
    /// A credential-like value under a credential name or in a credential position.
    Medium,
    /// A self-identifying format, or a validated checksum, signature or structure.
    High,
}

impl Confidence {
    /// All levels, lowest first.
    pub const ALL: [Confidence; 3] = [Self::Low, Self::Medium, Self::High];

    /// The lowercase name used in output and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
        }
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What sort of credential a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A long-lived key that authorises its bearer.
    ApiKey,
    /// A (usually short-lived) token that authenticates a session or client.
    AccessToken,
    /// A session identifier.
    Session,
    /// A password.
    Password,
    /// A signature or token that makes a URL usable by anyone.
    SignedUrl,
    /// A webhook address that anyone can post to.
    Webhook,
    /// A private key.
    PrivateKey,
    /// Some other credential.
    Credential,
}

impl Kind {
    /// The snake_case name used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ApiKey => "api_key",
            Self::AccessToken => "access_token",
            Self::Session => "session",
            Self::Password => "password",
            Self::SignedUrl => "signed_url",
            Self::Webhook => "webhook",
            Self::PrivateKey => "private_key",
            Self::Credential => "credential",
        }
    }
}

/// A secret's bytes, kept private so that it can only leave through [`Secret::redacted`] or an
/// explicit [`Secret::expose`].
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Secret(Vec<u8>);

impl Secret {
    /// Wraps the decoded bytes of a credential.
    pub fn new(bytes: Vec<u8>) -> Self {
        Secret(bytes)
    }

    /// The exact secret. Only for `--show-secrets` output and for redaction of logs.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// The printable redacted form: the known provider `prefix` (if the secret starts with it),
    /// `…`, then at most the last 4 characters and never more than a quarter of what follows the
    /// prefix.
    pub fn redacted(&self, prefix: Option<&str>) -> String {
        let bytes = &self.0;
        let prefix_len = match prefix {
            Some(p) if bytes.starts_with(p.as_bytes()) && bytes.len() > p.len() => p.len(),
            _ => 0,
        };
        let rest = &bytes[prefix_len..];
        let shown = (rest.len() / 4).min(4);
        let mut out = String::with_capacity(prefix_len + shown + 3);
        out.push_str(&String::from_utf8_lossy(&bytes[..prefix_len]));
        out.push('…');
        for &b in &rest[rest.len() - shown..] {
            // Only printable ASCII (a space too) is shown; anything else becomes `?`.
            out.push(if b == b' ' || b.is_ascii_graphic() {
                b as char
            } else {
                '?'
            });
        }
        out
    }

    /// 16 hex characters of SHA-256 of the secret, or of HMAC-SHA256 keyed with `key`.
    pub fn fingerprint(&self, key: Option<&[u8]>) -> String {
        let digest: [u8; 32] = match key {
            Some(key) => {
                let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts any key");
                mac.update(&self.0);
                mac.finalize().into_bytes().into()
            }
            None => Sha256::digest(&self.0).into(),
        };
        let mut hex = String::with_capacity(16);
        for b in &digest[..8] {
            hex.push_str(&format!("{b:02x}"));
        }
        hex
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print the secret itself, not even in debug output or panic messages.
        write!(f, "Secret({})", self.redacted(None))
    }
}

/// Facts learned offline about a credential.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Details {
    /// `"valid"` when the credential's built-in checksum was verified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checksum: Option<&'static str>,
    /// AWS unique ids: what the prefix says the id is, e.g. `long_term_access_key` (`AKIA`),
    /// `temporary_access_key` (`ASIA`), `role` (`AROA`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aws_key_type: Option<&'static str>,
    /// AWS unique ids: the 12-digit account id the id encodes (ids issued since about 2019).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aws_account_id: Option<String>,
    /// Who issued the credential, e.g. `pypi.org` or a Sentry host.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// `live` or `test`, for keys that say which.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<&'static str>,
    /// JWT header and claims, decoded without verifying.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jwt: Option<JwtClaims>,
    /// When the credential expires (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    /// Whether it had expired when the line was logged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expired_when_logged: Option<bool>,
    /// Whether it is expired at `--now` (default: when the scan started).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expired_now: Option<bool>,
    /// A note for the reader, e.g. why the severity was lowered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The credential in the form its issuer hands it out, when the log decoded it into another
    /// form: it replaces the matched value as the secret (never written as a detail).
    #[serde(skip)]
    pub issued_form: Option<Secret>,
}

/// What a JWT says about itself (`alg` from its header, the rest from its claims), as found.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct JwtClaims {
    /// Signing algorithm.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alg: Option<String>,
    /// Issuer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    /// Subject.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
    /// Audience (a string or a list).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aud: Option<serde_json::Value>,
    /// Issued at (epoch seconds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iat: Option<i64>,
    /// Expires at (epoch seconds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exp: Option<i64>,
}

impl Details {
    /// True when no fact is known.
    pub fn is_empty(&self) -> bool {
        *self == Details::default()
    }
}

/// One leaked credential in one line of one input.
#[derive(Clone, Debug)]
pub struct Finding {
    /// Stable rule id, e.g. `github-pat`.
    pub rule: &'static str,
    /// What sort of credential this is.
    pub kind: Kind,
    /// How bad the leak is.
    pub severity: Severity,
    /// How sure logleaks is that it is a credential.
    pub confidence: Confidence,
    /// The input, as the user named it (or as found below a named directory); `-` for stdin.
    pub file: crate::input::DisplayPath,
    /// 1-based line number in the decompressed content.
    pub line: u64,
    /// 1-based byte column where the credential's raw bytes start.
    pub column: usize,
    /// Where in the record the credential was.
    pub field: FieldName,
    /// The parameter, cookie or header name holding it, decoded.
    pub param: Option<Vec<u8>>,
    /// The decoded credential.
    pub secret: Secret,
    /// Known provider prefix, kept in clear when redacting.
    pub prefix: Option<&'static str>,
    /// Facts about the record the credential was found in.
    pub record: RecordFacts,
    /// Offline facts about the credential.
    pub details: Details,
    /// CWE ids, e.g. `CWE-598`.
    pub cwe: &'static [&'static str],
}

/// Facts about the log record a finding came from, as printable values.
#[derive(Clone, Debug, Default)]
pub struct RecordFacts {
    /// The log type the line was parsed as.
    pub format: Option<&'static str>,
    /// The line's timestamp in RFC 3339.
    pub timestamp: Option<String>,
    /// Client address.
    pub client: Option<Vec<u8>>,
    /// HTTP method.
    pub method: Option<Vec<u8>>,
    /// HTTP status.
    pub status: Option<u16>,
    /// User agent.
    pub user_agent: Option<Vec<u8>>,
    /// The decoded path of the request (for allowlists).
    pub request_path: Option<Vec<u8>>,
    /// The request path without its query, as logged, with every secret found in the line
    /// masked (its redacted form), so that it can always be shown.
    pub path: Option<Vec<u8>>,
    /// The same path in clear, for `--show-secrets` only.
    pub path_in_clear: Option<Secret>,
    /// The host the request was sent to, where the format logs it.
    pub host: Option<Vec<u8>>,
    /// The host of the record's Referer URL, with every secret found in the line masked.
    pub referer_host: Option<Vec<u8>>,
}

impl RecordFacts {
    /// The request path to show: in clear with `show_secrets`, else with its secrets masked.
    pub fn shown_path(&self, show_secrets: bool) -> Option<&[u8]> {
        if show_secrets {
            if let Some(clear) = &self.path_in_clear {
                return Some(clear.expose());
            }
        }
        self.path.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_keeps_prefix_and_at_most_four_trailing_chars() {
        let s = Secret::new(b"ghp_abcdefghijklmnopqrstuvwxyz0123456789".to_vec());
        assert_eq!(s.redacted(Some("ghp_")), "ghp_…6789");
        // A quarter of 7 characters is 1.
        assert_eq!(Secret::new(b"hunter2".to_vec()).redacted(None), "…2");
        assert_eq!(Secret::new(b"abc".to_vec()).redacted(None), "…");
        // A prefix that the secret does not start with is not shown.
        assert_eq!(
            Secret::new(b"abcdefgh".to_vec()).redacted(Some("ghp_")),
            "…gh"
        );
    }

    #[test]
    fn redaction_shows_a_space_as_a_space_and_other_bytes_as_a_question_mark() {
        assert_eq!(Secret::new(b"hunter two 2".to_vec()).redacted(None), "…o 2");
        assert_eq!(
            Secret::new(b"hunter\ttwo\t2".to_vec()).redacted(None),
            "…o?2"
        );
        assert_eq!(
            Secret::new(b"hunter\xfftwo\xff2".to_vec()).redacted(None),
            "…o?2"
        );
    }

    #[test]
    fn debug_output_never_shows_the_secret() {
        let s = Secret::new(b"supersecretvalue1234".to_vec());
        let dbg = format!("{s:?}");
        assert!(!dbg.contains("supersecret"), "{dbg}");
    }

    #[test]
    fn fingerprint_is_sha256_or_hmac() {
        let s = Secret::new(b"abc".to_vec());
        // SHA-256("abc") starts with ba7816bf8f01cfea.
        assert_eq!(s.fingerprint(None), "ba7816bf8f01cfea");
        let keyed = s.fingerprint(Some(b"key"));
        assert_eq!(keyed.len(), 16);
        assert_ne!(keyed, s.fingerprint(None));
    }

    #[test]
    fn severities_order_and_lower() {
        assert!(Severity::Low < Severity::Critical);
        assert_eq!(Severity::Critical.lowered(), Severity::High);
        assert_eq!(Severity::Low.lowered(), Severity::Low);
    }
}
