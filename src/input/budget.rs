//! `--max-decompressed-size`: a budget of decompressed bytes per input, shared by every
//! decompressor of that input (the outer stream and compressed archive members alike), so that a
//! decompression bomb stops early instead of keeping a core busy for minutes.

use std::io::{self, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use super::failure::ReadFailure;

/// Decompressed bytes one input may still produce.
#[derive(Debug)]
pub struct Budget {
    limit: Option<u64>,
    used: AtomicU64,
}

impl Budget {
    /// A budget of `limit` bytes (`None`: unlimited).
    pub fn new(limit: Option<u64>) -> Arc<Self> {
        Arc::new(Budget {
            limit,
            used: AtomicU64::new(0),
        })
    }

    /// Decompressed bytes counted so far.
    pub fn used(&self) -> u64 {
        self.used.load(Ordering::Relaxed)
    }
}

/// A decompressor's output, counted against a [`Budget`]. Past the limit, reading fails with
/// [`ReadFailure::Limit`]; a stream that ends exactly at the limit is not an error.
pub struct Limited<R> {
    inner: R,
    budget: Arc<Budget>,
}

impl<R> Limited<R> {
    /// Counts what `inner` produces against `budget`.
    pub fn new(inner: R, budget: Arc<Budget>) -> Self {
        Limited { inner, budget }
    }
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let Some(limit) = self.budget.limit else {
            return self.inner.read(buf);
        };
        let used = self.budget.used();
        if used >= limit {
            // At the limit: one more byte means the content is larger.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(ReadFailure::Limit { limit }.into_io()),
            };
        }
        let room = usize::try_from(limit - used).map_or(buf.len(), |room| room.min(buf.len()));
        let n = self.inner.read(&mut buf[..room])?;
        self.budget.used.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Parses a size such as `500`, `64K`, `10M`, `2G` or `1T` (powers of 1024; a trailing `B` or
/// `iB` is allowed, case does not matter).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let trimmed = text.trim();
    let digits_end = trimmed
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(trimmed.len());
    let (digits, unit) = trimmed.split_at(digits_end);
    let invalid = || {
        format!("invalid size `{text}`: use a number of bytes with an optional K, M, G or T suffix (e.g. 10M)")
    };
    let number: u64 = digits.parse().map_err(|_| invalid())?;
    let unit = unit.trim().to_ascii_lowercase();
    let unit = unit
        .strip_suffix("ib")
        .or_else(|| unit.strip_suffix('b'))
        .unwrap_or(&unit);
    let shift = match unit {
        "" => 0,
        "k" => 10,
        "m" => 20,
        "g" => 30,
        "t" => 40,
        _ => return Err(invalid()),
    };
    number
        .checked_mul(1u64 << shift)
        .ok_or_else(|| format!("size `{text}` is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sizes() {
        assert_eq!(parse_size("500"), Ok(500));
        assert_eq!(parse_size("64K"), Ok(64 << 10));
        assert_eq!(parse_size("10M"), Ok(10 << 20));
        assert_eq!(parse_size("10mb"), Ok(10 << 20));
        assert_eq!(parse_size("10MiB"), Ok(10 << 20));
        assert_eq!(parse_size("2G"), Ok(2 << 30));
        assert_eq!(parse_size("1t"), Ok(1 << 40));
        assert_eq!(parse_size("0"), Ok(0));
        for bad in ["", "M", "1.5G", "-1", "10X", "10 MB extra"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
        assert!(parse_size("99999999999T")
            .unwrap_err()
            .contains("too large"));
    }

    fn read_all(r: &mut impl Read) -> (Vec<u8>, Option<io::Error>) {
        let mut out = Vec::new();
        let mut buf = [0u8; 7];
        loop {
            match r.read(&mut buf) {
                Ok(0) => return (out, None),
                Ok(n) => out.extend_from_slice(&buf[..n]),
                Err(e) => return (out, Some(e)),
            }
        }
    }

    #[test]
    fn stops_at_the_limit_but_not_at_an_exact_fit() {
        let data = [b'x'; 100];
        let (got, err) = read_all(&mut Limited::new(&data[..], Budget::new(Some(30))));
        assert_eq!(got.len(), 30);
        let err = err.expect("over the limit");
        assert!(matches!(
            ReadFailure::find(&err),
            Some(ReadFailure::Limit { limit: 30 })
        ));

        let (got, err) = read_all(&mut Limited::new(&data[..], Budget::new(Some(100))));
        assert_eq!(got.len(), 100);
        assert!(err.is_none());

        let (got, err) = read_all(&mut Limited::new(&data[..], Budget::new(None)));
        assert_eq!(got.len(), 100);
        assert!(err.is_none());
    }

    #[test]
    fn the_budget_is_shared() {
        let budget = Budget::new(Some(150));
        let data = [b'x'; 100];
        let (first, err) = read_all(&mut Limited::new(&data[..], budget.clone()));
        assert_eq!((first.len(), err.is_none()), (100, true));
        let (second, err) = read_all(&mut Limited::new(&data[..], budget.clone()));
        assert_eq!(second.len(), 50);
        assert!(err.is_some());
        assert_eq!(budget.used(), 150);
    }
}
