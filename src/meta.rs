//! Run metadata that outputs carry (SPEC "Run metadata"): the logleaks version, the version of the
//! output schema, and the id of the fingerprint key, so that a baseline or summary made with
//! another `LOGLEAKS_FINGERPRINT_KEY` is refused instead of silently matching nothing.
//!
//! Nothing here reads input or writes output; the key itself never leaves this module.

use sha2::{Digest, Sha256};

/// The logleaks version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The version of the output schemas (summary JSON, SARIF properties). The summary's top-level
/// object appeared with 2; version 1 was a bare array.
pub const SCHEMA_VERSION: u32 = 2;

/// The key id of fingerprints made without a key.
pub const NO_KEY: &str = "none";

/// The environment variable holding the fingerprint key.
pub const KEY_VARIABLE: &str = "LOGLEAKS_FINGERPRINT_KEY";

/// The fingerprint key from the environment, if set.
pub fn fingerprint_key_from_env() -> Option<Vec<u8>> {
    std::env::var_os(KEY_VARIABLE).map(|k| k.into_encoded_bytes())
}

/// The id of a fingerprint key: the first 8 hex digits of the SHA-256 of the key, or `none`.
/// It tells keys apart without revealing them.
pub fn fingerprint_key_id(key: Option<&[u8]>) -> String {
    match key {
        None => NO_KEY.to_string(),
        Some(key) => Sha256::digest(key)[..4]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
    }
}

/// Why fingerprints made with key `found` cannot be compared with those of key `expected`.
pub fn key_mismatch(found: &str, expected: &str, expected_from: &str) -> String {
    format!(
        "made with fingerprint key {found}, but {expected_from} uses {expected}: fingerprints of different keys never match (use the same {KEY_VARIABLE}, or make it again)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ids_are_eight_hex_digits_of_sha256_or_none() {
        assert_eq!(fingerprint_key_id(None), "none");
        // SHA-256("abc") = ba7816bf…
        assert_eq!(fingerprint_key_id(Some(b"abc")), "ba7816bf");
        assert_ne!(fingerprint_key_id(Some(b"abd")), "ba7816bf");
    }
}
