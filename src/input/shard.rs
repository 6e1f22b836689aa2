//! `--shard I/N`: a stable, disjoint share of the inputs for one of N workers.
//!
//! An input belongs to shard `hash(name) mod N`, where the hash is 64-bit FNV-1a of the input's
//! name as it is shown (the path found by the walk, or the URL of an object). The name, not the
//! position in a listing, decides: N workers that list the same inputs in any order cover each
//! exactly once. Nothing here reads an input.

use super::Walked;

/// One shard of N.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// Which one, from 0 to `count - 1` (as Kubernetes numbers `JOB_COMPLETION_INDEX`).
    pub index: u64,
    /// How many shards there are.
    pub count: u64,
}

impl Shard {
    /// Parses `I/N` with `0 <= I < N`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let (index, count) = text
            .split_once('/')
            .ok_or_else(|| format!("`{text}` is not I/N (e.g. 0/4)"))?;
        let number = |s: &str, what: &str| {
            s.trim()
                .parse::<u64>()
                .map_err(|_| format!("`{text}`: {what} `{s}` is not a whole number"))
        };
        let shard = Shard {
            index: number(index, "I")?,
            count: number(count, "N")?,
        };
        if shard.count == 0 {
            return Err(format!("`{text}`: N must be at least 1"));
        }
        if shard.index >= shard.count {
            return Err(format!(
                "`{text}`: I must be between 0 and {} (shards are numbered from 0)",
                shard.count - 1
            ));
        }
        Ok(shard)
    }

    /// Keeps only the results of a walk that belong to this shard, by the name of their input.
    /// Problems are kept by the name of the path they are about, so that each is told by
    /// exactly one shard.
    pub fn keep(&self, walked: Vec<Walked>) -> Vec<Walked> {
        walked
            .into_iter()
            .filter(|w| self.contains(&w.name().clear_bytes()))
            .collect()
    }

    /// True when the input named `name` belongs to this shard.
    pub fn contains(&self, name: &[u8]) -> bool {
        fnv1a(name) % self.count == self.index
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// 64-bit FNV-1a: fixed, documented and the same on every platform and release, so that
/// workers built at different times agree on who reads what.
fn fnv1a(bytes: &[u8]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes
        .iter()
        .fold(OFFSET, |hash, &b| (hash ^ u64::from(b)).wrapping_mul(PRIME))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_i_of_n_and_refuses_the_rest() {
        assert_eq!(Shard::parse("0/1"), Ok(Shard { index: 0, count: 1 }));
        assert_eq!(Shard::parse("3/4"), Ok(Shard { index: 3, count: 4 }));
        for bad in ["4/4", "1/0", "x/2", "1", "-1/2", "1/2/3", ""] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_hash_is_fnv1a_as_published() {
        // Test vectors of the FNV reference (draft-eastlake-fnv).
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn every_name_is_in_exactly_one_shard() {
        for count in 1..=7 {
            let mut sizes = vec![0u32; count as usize];
            for i in 0..700 {
                let name = format!("logs/host-{i}/access.log");
                let owners: Vec<u64> = (0..count)
                    .filter(|&index| Shard { index, count }.contains(name.as_bytes()))
                    .collect();
                assert_eq!(owners.len(), 1, "{name} in {owners:?} of {count}");
                sizes[owners[0] as usize] += 1;
            }
            // Names spread over the shards: none is empty or holds most of them.
            assert!(
                sizes
                    .iter()
                    .all(|&n| n > 0 && n < 700 * 2 / count as u32 + 10),
                "{count}: {sizes:?}"
            );
        }
    }
}
