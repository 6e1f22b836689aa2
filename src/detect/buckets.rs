//! Sharing keyword anchors among packed SIMD searchers so that each searcher stays selective.
//!
//! The packed searcher behind [`aho_corasick`] (Teddy) puts its literals into 8 buckets (16 when
//! it holds more than 32), and reports a position for verification when, for each of the first
//! `n` bytes there (`n` = the shortest literal, at most 4), the byte's low and high nybbles are
//! both among those of the bucket's literals at that offset. A bucket of unrelated literals
//! (`AKIA`, `glpa`, `dp.a`) accepts many byte combinations of ordinary text, and every accepted
//! position costs a verification: on web logs that was most of the search time.
//!
//! So anchors are assigned greedily, most expensive first, to the searcher and bucket where
//! they add the least expected acceptance rate on ordinary web log text (a model of independent
//! bytes with the frequencies of [`SAMPLE_LOG_TEXT`]), and each searcher's literals are ordered
//! so that the crate's own assignment (literals with the same low nybbles share a bucket, the
//! others go round-robin by index) produces those buckets. Were the crate to assign otherwise,
//! matches would stay exact: only speed depends on this.

/// Ordinary web log text, written for this model: request lines, user agents, referers, an
/// error log line, IIS fields. Only its byte frequencies are used.
const SAMPLE_LOG_TEXT: &str = concat!(
    r#"203.0.113.9 - - [04/Dec/2026:10:00:00 +0000] "GET /index.html HTTP/1.1" 200 5120 "https://www.example.com/" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0""#,
    "\n",
    r#"198.51.100.23 - - [04/Dec/2026:10:00:01 +0000] "POST /wp-login.php HTTP/1.1" 302 0 "-" "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15""#,
    "\n",
    r#"192.0.2.44 - - [04/Dec/2026:10:00:02 +0000] "GET /static/css/main.3f2a1b9c.css HTTP/2.0" 304 0 "https://shop.example.org/products/outlet?page=2&sort=asc" "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148""#,
    "\n",
    r#"66.249.66.1 - - [04/Dec/2026:10:00:03 +0000] "GET /robots.txt HTTP/1.1" 200 68 "-" "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)""#,
    "\n",
    r#"10.0.0.5 - - [04/Dec/2026:10:00:05 +0000] "GET /api/v1/orders/48213?include=items&format=json HTTP/1.1" 200 932 "-" "python-requests/2.31.0""#,
    "\n",
    r#"10.0.0.6 - - [04/Dec/2026:10:00:06 +0000] "GET /assets/js/vendor.min.js?v=20261204 HTTP/1.1" 200 88213 "https://www.example.com/account/settings" "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0""#,
    "\n",
    r#"2001:db8::1 - - [04/Dec/2026:10:00:07 +0000] "GET /images/logo.png HTTP/1.1" 200 4521 "https://www.example.com/about" "Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36""#,
    "\n",
    r#"203.0.113.77 - - [04/Dec/2026:10:00:08 +0000] "GET /search?q=winter+boots&lang=en-US&utm_source=google&utm_medium=cpc&utm_campaign=Winter_Sale HTTP/1.1" 200 17320 "https://www.google.com/" "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0""#,
    "\n",
    r#"198.51.100.9 - - [04/Dec/2026:10:00:09 +0000] "HEAD /health HTTP/1.1" 200 0 "-" "ELB-HealthChecker/2.0""#,
    "\n",
    r#"2026/12/04 10:00:11 [error] 1234#1234: *5678 open() "/usr/share/nginx/html/wp-content/plugins/revslider/readme.txt" failed (2: No such file or directory), client: 203.0.113.50, server: www.example.com, request: "GET /wp-content/plugins/revslider/readme.txt HTTP/1.1", host: "www.example.com""#,
    "\n",
    r#"[Fri Dec 04 10:00:12.123456 2026] [proxy_fcgi:error] [pid 4242:tid 140245] [client 198.51.100.3:51234] AH01071: Got error 'PHP message: PHP Warning:  Undefined variable $user in /var/www/html/index.php on line 42', referer: https://www.example.com/category/shoes"#,
    "\n",
    r#"2026-12-04 10:00:13 W3SVC1 10.0.0.8 GET /Default.aspx ReturnUrl=%2FAccount%2FLogin 443 - 203.0.113.4 Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64) https://www.example.com/ 200 0 0 187"#,
    "\n",
);

/// The literals a searcher holds, each with what the caller attached to it, in the order to
/// build the searcher with.
pub type Shared<T> = Vec<Vec<(Vec<u8>, T)>>;

/// Shares `anchors` (non-empty literals) among as few searchers as hold at most `max_each`
/// each, choosing buckets as the module says. `lowercase` says the searchers run over
/// lowercased text (the model then sees lowercased bytes).
pub fn share<T>(anchors: Vec<(Vec<u8>, T)>, max_each: usize, lowercase: bool) -> Shared<T> {
    if anchors.is_empty() {
        return Vec::new();
    }
    let searchers = anchors.len().div_ceil(max_each.max(1));
    let per_searcher = anchors.len().div_ceil(searchers);
    let buckets = if per_searcher > 32 { 16 } else { 8 };
    let width = anchors
        .iter()
        .map(|(a, _)| a.len())
        .min()
        .unwrap_or(1)
        .min(4);
    let model = Model::new(lowercase);
    let groups = same_low_nybbles(&anchors, width);

    // Most expensive groups first: they have the most to lose from a bad bucket.
    let mut order: Vec<usize> = (0..groups.len()).collect();
    let alone: Vec<f64> = groups
        .iter()
        .map(|g| model.acceptance(&Masks::of(g.iter().map(|&i| &anchors[i].0), width)))
        .collect();
    order.sort_by(|&a, &b| alone[b].total_cmp(&alone[a]).then(a.cmp(&b)));

    let per_bucket = per_searcher.div_ceil(buckets);
    let mut masks = vec![vec![Masks::empty(width); buckets]; searchers];
    let mut cost = vec![vec![0.0; buckets]; searchers];
    let mut groups_in = vec![vec![Vec::new(); buckets]; searchers];
    let mut literals = vec![0usize; searchers];
    for g in order {
        let size = groups[g].len();
        let mut best: Option<(f64, usize, usize)> = None;
        for s in 0..searchers {
            if literals[s] + size > per_searcher && literals[s] > 0 {
                continue;
            }
            for b in 0..buckets {
                if groups_in[s][b].len() >= per_bucket {
                    continue;
                }
                let mut merged = masks[s][b];
                merged.add_all(groups[g].iter().map(|&i| &anchors[i].0));
                let added = model.acceptance(&merged) - cost[s][b];
                if best.is_none_or(|(c, _, _)| added < c) {
                    best = Some((added, s, b));
                }
            }
        }
        // Every place full (groups of several literals can overfill): the emptiest searcher.
        let (s, b) = match best {
            Some((_, s, b)) => (s, b),
            None => {
                let s = (0..searchers).min_by_key(|&s| literals[s]).unwrap_or(0);
                let b = (0..buckets)
                    .min_by_key(|&b| groups_in[s][b].len())
                    .unwrap_or(0);
                (s, b)
            }
        };
        masks[s][b].add_all(groups[g].iter().map(|&i| &anchors[i].0));
        cost[s][b] = model.acceptance(&masks[s][b]);
        groups_in[s][b].push(g);
        literals[s] += size;
    }

    let mut slots: Vec<Option<(Vec<u8>, T)>> = anchors.into_iter().map(Some).collect();
    groups_in
        .into_iter()
        .map(|in_buckets| {
            round_robin_order(in_buckets, &groups)
                .into_iter()
                .filter_map(|i| slots[i].take())
                .collect()
        })
        .collect()
}

/// Indices of literals with the same low nybbles over the first `width` bytes: the crate puts
/// them in one bucket whatever their index.
fn same_low_nybbles<T>(anchors: &[(Vec<u8>, T)], width: usize) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut keys: Vec<Vec<u8>> = Vec::new();
    for (i, (anchor, _)) in anchors.iter().enumerate() {
        let key: Vec<u8> = anchor[..width].iter().map(|b| b & 0x0f).collect();
        match keys.iter().position(|k| *k == key) {
            Some(g) => groups[g].push(i),
            None => {
                keys.push(key);
                groups.push(vec![i]);
            }
        }
    }
    groups
}

/// An order of the literals of `in_buckets` (groups per bucket) in which the crate's
/// round-robin (index `i` goes to bucket `buckets - 1 - i % buckets` unless a literal with the
/// same low nybbles came before) puts each group in its bucket.
fn round_robin_order(in_buckets: Vec<Vec<usize>>, groups: &[Vec<usize>]) -> Vec<usize> {
    let buckets = in_buckets.len();
    let mut waiting: Vec<Vec<usize>> = in_buckets
        .into_iter()
        .map(|mut gs| {
            gs.reverse();
            gs
        })
        .collect();
    let mut followers: Vec<usize> = Vec::new();
    let mut order = Vec::new();
    let mut left: usize = waiting.iter().map(Vec::len).sum();
    while left > 0 {
        let bucket = buckets - 1 - order.len() % buckets;
        let group = match waiting[bucket].pop() {
            Some(g) => Some(g),
            // A literal whose group already has its bucket fills the slot harmlessly.
            None if !followers.is_empty() => None,
            // Nothing fits: the group waiting longest goes where the slot says.
            None => {
                let fullest = (0..buckets).max_by_key(|&b| waiting[b].len()).unwrap_or(0);
                waiting[fullest].pop()
            }
        };
        match group {
            Some(g) => {
                left -= 1;
                order.push(groups[g][0]);
                followers.extend(&groups[g][1..]);
            }
            None => order.extend(followers.pop()),
        }
    }
    order.extend(followers);
    order
}

/// The nybbles a bucket accepts at each offset: bit `n` of `low[j]` is set when some literal
/// has a byte with low nybble `n` at offset `j`.
#[derive(Clone, Copy, Debug)]
struct Masks {
    low: [u16; 4],
    high: [u16; 4],
    width: usize,
}

impl Masks {
    fn empty(width: usize) -> Self {
        Masks {
            low: [0; 4],
            high: [0; 4],
            width,
        }
    }

    fn of<'a>(literals: impl Iterator<Item = &'a Vec<u8>>, width: usize) -> Self {
        let mut masks = Self::empty(width);
        masks.add_all(literals);
        masks
    }

    fn add_all<'a>(&mut self, literals: impl Iterator<Item = &'a Vec<u8>>) {
        for literal in literals {
            for (j, &byte) in literal.iter().take(self.width).enumerate() {
                self.low[j] |= 1 << (byte & 0x0f);
                self.high[j] |= 1 << (byte >> 4);
            }
        }
    }
}

/// Byte frequencies of ordinary log text, as a 16 × 16 table by high and low nybble.
struct Model {
    frequency: [[f64; 16]; 16],
}

impl Model {
    fn new(lowercase: bool) -> Self {
        let mut frequency = [[0.0; 16]; 16];
        // Every printable byte is possible, however rare in the sample.
        for byte in 0x20u8..0x7f {
            frequency[usize::from(byte >> 4)][usize::from(byte & 0x0f)] = 1.0;
        }
        for byte in SAMPLE_LOG_TEXT.bytes() {
            let byte = if lowercase {
                byte.to_ascii_lowercase()
            } else {
                byte
            };
            frequency[usize::from(byte >> 4)][usize::from(byte & 0x0f)] += 1.0;
        }
        let total: f64 = frequency.iter().flatten().sum();
        for row in &mut frequency {
            for f in row {
                *f /= total;
            }
        }
        Model { frequency }
    }

    /// The share of positions of ordinary text at which a bucket with `masks` asks for a
    /// verification, taking bytes as independent.
    fn acceptance(&self, masks: &Masks) -> f64 {
        (0..masks.width)
            .map(|j| {
                let mut share = 0.0;
                for high in set_bits(masks.high[j]) {
                    for low in set_bits(masks.low[j]) {
                        share += self.frequency[high][low];
                    }
                }
                share
            })
            .product()
    }
}

/// The positions of the bits set in `bits`, lowest first.
fn set_bits(mut bits: u16) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        (bits != 0).then(|| {
            let bit = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            bit
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn literals(words: &[&str]) -> Vec<(Vec<u8>, usize)> {
        words
            .iter()
            .enumerate()
            .map(|(i, w)| (w.as_bytes().to_vec(), i))
            .collect()
    }

    /// Replays the crate's bucket assignment for literals in the given order.
    fn crate_buckets(order: &[Vec<u8>], buckets: usize, width: usize) -> Vec<usize> {
        let mut seen: Vec<(Vec<u8>, usize)> = Vec::new();
        order
            .iter()
            .enumerate()
            .map(|(i, literal)| {
                let key: Vec<u8> = literal[..width].iter().map(|b| b & 0x0f).collect();
                match seen.iter().find(|(k, _)| *k == key) {
                    Some(&(_, b)) => b,
                    None => {
                        let b = buckets - 1 - i % buckets;
                        seen.push((key, b));
                        b
                    }
                }
            })
            .collect()
    }

    #[test]
    fn every_literal_is_kept_once_and_searchers_are_balanced() {
        let words: Vec<String> = (0..150).map(|i| format!("k{i:03}_")).collect();
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        let shared = share(literals(&words), 56, false);
        assert_eq!(shared.len(), 3);
        let mut seen: Vec<usize> = shared.iter().flatten().map(|(_, i)| *i).collect();
        seen.sort_unstable();
        assert_eq!(seen, (0..150).collect::<Vec<_>>());
        assert!(
            shared.iter().all(|s| s.len() <= 50 + 4),
            "{:?}",
            shared.iter().map(Vec::len).collect::<Vec<_>>()
        );
    }

    /// The modelled share of positions sent to verification, for literals placed in buckets
    /// by the crate in the given order.
    fn modelled_cost(order: &[Vec<u8>], buckets: usize) -> f64 {
        let width = order.iter().map(Vec::len).min().unwrap().min(4);
        let placed = crate_buckets(order, buckets, width);
        let model = Model::new(false);
        (0..buckets)
            .map(|b| {
                let members = order.iter().zip(&placed).filter(|(_, &p)| p == b);
                model.acceptance(&Masks::of(members.map(|(l, _)| l), width))
            })
            .sum()
    }

    /// Given vendor-like prefixes in alphabetical order (as they used to be chunked), the order
    /// chosen here makes the crate's buckets accept less ordinary text.
    #[test]
    fn the_chosen_order_accepts_less_ordinary_text_than_sorted_chunks() {
        let mut words = vec![
            "AKIA", "ASIA", "AIza", "ABSK", "glpa", "glpt", "gldt", "dp.a", "dp.p", "eyJ", "xox",
            "sk-", "sk_l", "ghp_", "hf_", "(S(", ":AA", "EAA", "pk_", "sq0", "rk_l", "PMAK", "SG.",
            "VF.", "at.", "bp_", "cc_", "dt0", "el_", "fp_", "gd_", "hr_", "io_", "lc_", "m2_",
            "nu_", "o1_", "qa_", "us1", "us2", "us3", "us4", "NRAK", "LTAI", "HRKU", "GOCS",
        ];
        words.sort_unstable();
        let shared = share(literals(&words), 64, false);
        assert_eq!(shared.len(), 1);
        let chosen: Vec<Vec<u8>> = shared[0].iter().map(|(l, _)| l.clone()).collect();
        let sorted: Vec<Vec<u8>> = words.iter().map(|w| w.as_bytes().to_vec()).collect();
        let (chosen, sorted) = (modelled_cost(&chosen, 16), modelled_cost(&sorted, 16));
        assert!(
            chosen < sorted * 0.7,
            "chosen {chosen:e}, sorted {sorted:e}"
        );
    }

    #[test]
    fn the_crate_order_realises_the_chosen_buckets() {
        // Two groups per bucket over 8 buckets, each group one literal.
        let groups: Vec<Vec<usize>> = (0..16).map(|i| vec![i]).collect();
        let in_buckets: Vec<Vec<usize>> = (0..8).map(|b| vec![b, b + 8]).collect();
        let order = round_robin_order(in_buckets, &groups);
        let literals: Vec<Vec<u8>> = (0..16u8).map(|i| vec![i, 0x40, 0x40]).collect();
        let placed = crate_buckets(
            &order
                .iter()
                .map(|&i| literals[i].clone())
                .collect::<Vec<_>>(),
            8,
            3,
        );
        for (slot, &literal) in order.iter().enumerate() {
            assert_eq!(placed[slot], literal % 8, "{order:?}");
        }
    }

    #[test]
    fn common_bytes_cost_more_than_rare_ones() {
        let model = Model::new(false);
        let common = Masks::of([b"the".to_vec()].iter(), 3);
        let rare = Masks::of([b"Q_Z".to_vec()].iter(), 3);
        assert!(model.acceptance(&common) > model.acceptance(&rare));
        let mixed = Masks::of([b"AKI".to_vec(), b"glp".to_vec()].iter(), 3);
        let one = Masks::of([b"AKI".to_vec()].iter(), 3);
        assert!(model.acceptance(&mixed) > model.acceptance(&one));
    }
}
