//! One HTTP request as the benchmark builds it, and how a credential is planted into it.

use crate::catalogue::{Carrier, Credential};
use crate::encode::{self, Encoding};
use crate::rng::Rng;

/// A request before any log format writes it. Query items, the path and the referer are raw (as
/// sent on the wire); header values are as sent too.
#[derive(Clone, Debug, Default)]
pub struct Request {
    /// Client address.
    pub ip: String,
    /// HTTP method.
    pub method: &'static str,
    /// Host name.
    pub host: String,
    /// Raw path.
    pub path: String,
    /// Raw `name=value` query items.
    pub query: Vec<String>,
    /// What separates query items (`&`, or `&amp;` in URLs copied out of HTML).
    pub separator: &'static str,
    /// Raw referer URL.
    pub referer: Option<String>,
    /// Request headers other than the referer and user agent.
    pub headers: Vec<(String, String)>,
    /// The response's `Set-Cookie` header, for formats that keep response headers.
    pub set_cookie: Option<String>,
    /// Raw request body (form-encoded).
    pub body: Option<String>,
    /// User agent.
    pub user_agent: String,
    /// HTTP status.
    pub status: u16,
    /// Seconds after the benchmark's start time.
    pub second: u64,
    /// A credential was planted in the path (so a writer must not drop the path).
    pub path_carries_credential: bool,
}

impl Request {
    /// Path and query as in the request line.
    pub fn target(&self) -> String {
        if self.query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, self.query.join(self.separator))
        }
    }

    /// The raw query string, without `?`.
    pub fn query_string(&self) -> String {
        self.query.join(self.separator)
    }

    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What a log format can carry besides the request line.
#[derive(Clone, Copy, Debug, Default)]
pub struct Caps {
    /// The referer.
    pub referer: bool,
    /// Request headers: `true` for any, or only `Authorization` with [`Caps::auth_only`].
    pub headers: bool,
    /// Only the `Authorization` header is logged.
    pub auth_only: bool,
    /// The `Cookie` header.
    pub cookie: bool,
    /// The request body.
    pub body: bool,
    /// The format writes with nginx's `\xHH` escapes.
    pub nginx_escapes: bool,
    /// A JSON format.
    pub json: bool,
    /// Response headers are logged too (ModSecurity audit logs).
    pub response_headers: bool,
}

impl Caps {
    /// How a header value planted as it is appears: JSON-escaped in a JSON format.
    fn header_encoding(&self) -> Encoding {
        if self.json {
            Encoding::Json
        } else {
            Encoding::Plain
        }
    }
}

/// Where a credential was planted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Position {
    /// The only query parameter.
    QueryOnly,
    /// The first of several.
    QueryFirst,
    /// Between others.
    QueryMiddle,
    /// The last of several.
    QueryLast,
    /// In the path.
    Path,
    /// In the referer's query (or the whole referer).
    Referer,
    /// In a header.
    Header,
    /// In the `Cookie` header.
    Cookie,
    /// In the request body.
    Body,
    /// In a response's `Set-Cookie` header.
    SetCookie,
}

impl Position {
    /// The name in the benchmark's tables.
    pub fn name(self) -> &'static str {
        match self {
            Position::QueryOnly => "query-only",
            Position::QueryFirst => "query-first",
            Position::QueryMiddle => "query-middle",
            Position::QueryLast => "query-last",
            Position::Path => "path",
            Position::Referer => "referer",
            Position::Header => "header",
            Position::Cookie => "cookie",
            Position::Body => "body",
            Position::SetCookie => "set-cookie",
        }
    }
}

/// Names that a self-identifying credential may be sent under.
const ANY_NAMES: &[&str] = &[
    "access_token",
    "token",
    "key",
    "api_key",
    "apikey",
    "auth",
    "data",
    "value",
    "t",
    "k",
    "s",
    "credential",
    "secret",
    "hook",
    "url",
    "webhook",
    "p",
    "input",
    "X-Api-Key",
];

/// Parameters around a planted one.
fn filler(rng: &mut Rng) -> String {
    let name = rng.pick(&[
        "page", "lang", "format", "limit", "sort", "id", "view", "region",
    ]);
    let value = rng.pick(&[
        "2",
        "en-US",
        "json",
        "50",
        "desc",
        "1042",
        "full",
        "eu-west-1",
    ]);
    format!("{name}={value}")
}

/// Places `value` under `name` in the query, at a random position; returns the position.
fn into_query(rng: &mut Rng, req: &mut Request, item: String) -> Position {
    let others = req.query.len();
    let position = match (others, rng.below(3)) {
        (0, _) => Position::QueryOnly,
        (_, 0) => Position::QueryFirst,
        (1, _) | (_, 1) => Position::QueryLast,
        _ => Position::QueryMiddle,
    };
    match position {
        Position::QueryOnly | Position::QueryLast => req.query.push(item),
        Position::QueryFirst => req.query.insert(0, item),
        _ => {
            let at = 1 + rng.below(others - 1);
            req.query.insert(at, item)
        }
    }
    position
}

/// Encodes a parameter value for the chosen encoding (nested ones build the URLs around it).
fn encode_value(rng: &mut Rng, encoding: Encoding, name: &str, value: &str) -> String {
    match encoding {
        Encoding::Plain | Encoding::Json => format!("{name}={}", encode::plain(value)),
        Encoding::Percent => format!("{name}={}", encode::percent(rng, value)),
        Encoding::Double => {
            let once = encode::component(value);
            format!("{name}={}", once.replace('%', "%25"))
        }
        Encoding::Form => format!("{name}={}", encode::form(value)),
        Encoding::EveryByte => format!("{name}={}", encode::every_byte(rng, value)),
        Encoding::Hex => {
            // A script's raw bytes: only what would end the value is encoded.
            let mut raw = String::new();
            for c in value.chars() {
                match c {
                    '&' => raw.push_str("%26"),
                    '#' => raw.push_str("%23"),
                    ' ' => raw.push_str("%20"),
                    '%' => raw.push_str("%25"),
                    '+' => raw.push_str("%2B"),
                    '=' => raw.push_str("%3D"),
                    c => raw.push(c),
                }
            }
            format!("{name}={raw}")
        }
        Encoding::Html => format!("{name}={}", encode::html_value(rng, value)),
        Encoding::Nested | Encoding::Nested2 => {
            let inner = format!(
                "https://api.example.com/oauth/callback?client=web&{name}={}",
                encode::component(value)
            );
            let outer_name = rng.pick(&["return_to", "next", "redirect_uri", "continue", "u"]);
            if encoding == Encoding::Nested {
                format!("{outer_name}={}", encode::component(&inner))
            } else {
                let middle = format!(
                    "https://sso.example.com/login?service={}",
                    encode::component(&inner)
                );
                format!("{outer_name}={}", encode::component(&middle))
            }
        }
    }
}

/// The encodings that make a difference for `value` in a format with `caps`.
fn encodings_for(value: &str, caps: Caps) -> Vec<Encoding> {
    let mut list = vec![
        Encoding::Plain,
        Encoding::Percent,
        Encoding::Double,
        Encoding::Nested,
        Encoding::Nested2,
        Encoding::Html,
        Encoding::EveryByte,
    ];
    if value.contains(' ') {
        list.push(Encoding::Form);
    }
    if caps.json {
        list.push(Encoding::Json);
    }
    if caps.nginx_escapes && value.bytes().any(|b| b == b'"' || b == b'\\' || b >= 0x80) {
        list.push(Encoding::Hex);
    }
    list
}

/// What was planted where.
#[derive(Clone, Debug)]
pub struct Planted {
    /// Where.
    pub position: Position,
    /// How its bytes are encoded.
    pub encoding: Encoding,
}

/// Plants `credential` into `req`, choosing a position the format can carry and an encoding.
pub fn plant(rng: &mut Rng, req: &mut Request, caps: Caps, credential: &Credential) -> Planted {
    let planted = plant_in(rng, req, caps, credential);
    req.path_carries_credential = planted.position == Position::Path;
    planted
}

fn plant_in(rng: &mut Rng, req: &mut Request, caps: Caps, credential: &Credential) -> Planted {
    match &credential.carrier {
        Carrier::Param { name, value } => {
            // A value that identifies itself may travel under any name, in a path or a header.
            let self_identifying = name.is_none();
            let name = name
                .clone()
                .unwrap_or_else(|| rng.pick(ANY_NAMES).to_string());
            let mut places = vec![
                Position::QueryOnly,
                Position::QueryOnly,
                Position::QueryOnly,
            ];
            if caps.referer {
                places.push(Position::Referer);
            }
            if caps.body {
                places.push(Position::Body);
            }
            if caps.cookie {
                places.push(Position::Cookie);
            }
            let pathable = self_identifying && !value.contains(['/', ' ', '"', '?', '#', '%']);
            if pathable {
                places.push(Position::Path);
            }
            if caps.headers && !caps.auth_only && self_identifying && !value.contains(' ') {
                places.push(Position::Header);
            }
            if caps.headers && caps.auth_only && self_identifying && !value.contains(' ') {
                places.push(Position::Header);
            }
            match *rng.pick(&places) {
                Position::Referer => {
                    let encoding = *rng.pick(&encodings_for(value, caps));
                    let item = encode_value(rng, encoding, &name, value);
                    req.referer = Some(format!(
                        "https://app.example.com/dashboard?tab=settings&{item}"
                    ));
                    Planted {
                        position: Position::Referer,
                        encoding,
                    }
                }
                Position::Body => {
                    let encoding = *rng.pick(&[Encoding::Plain, Encoding::Percent, Encoding::Form]);
                    let item = encode_value(rng, encoding, &name, value);
                    req.method = "POST";
                    req.body = Some(format!("user=jdoe&{item}&remember=1"));
                    Planted {
                        position: Position::Body,
                        encoding,
                    }
                }
                Position::Cookie => {
                    let cookie_name = name.replace('-', "_");
                    req.headers.retain(|(n, _)| n != "Cookie");
                    req.headers.push((
                        "Cookie".into(),
                        format!(
                            "theme=dark; {cookie_name}={}; lang=en",
                            encode::component(value)
                        ),
                    ));
                    Planted {
                        position: Position::Cookie,
                        encoding: Encoding::Plain,
                    }
                }
                Position::Path => {
                    let encoding = *rng.pick(&[Encoding::Plain, Encoding::Percent]);
                    let segment = if encoding == Encoding::Plain {
                        value.clone()
                    } else {
                        encode::percent(rng, value)
                    };
                    req.path = format!(
                        "{}/{segment}/{}",
                        rng.pick(&["/api/v1/keys", "/hooks", "/v2/auth", "/share", "/callback"]),
                        rng.pick(&["status", "verify", "refresh", "run"])
                    );
                    Planted {
                        position: Position::Path,
                        encoding,
                    }
                }
                Position::Header => {
                    let (header, text) = if caps.auth_only || rng.chance(0.6) {
                        ("Authorization".to_string(), format!("Bearer {value}"))
                    } else {
                        (
                            rng.pick(&["X-Api-Key", "X-Auth-Token"]).to_string(),
                            value.clone(),
                        )
                    };
                    req.headers.push((header, text));
                    Planted {
                        position: Position::Header,
                        encoding: caps.header_encoding(),
                    }
                }
                _ => {
                    let encoding = *rng.pick(&encodings_for(value, caps));
                    let item = encode_value(rng, encoding, &name, value);
                    if encoding == Encoding::Html {
                        req.separator = "&amp;";
                    }
                    let position = into_query(rng, req, item);
                    Planted { position, encoding }
                }
            }
        }
        Carrier::Path(text) => {
            let base = rng.pick(&["/shop/cart", "/app/account", "/api/v1"]);
            req.path = if text.starts_with(';') {
                format!("{base}{text}")
            } else {
                format!("{base}{text}/orders")
            };
            Planted {
                position: Position::Path,
                encoding: Encoding::Plain,
            }
        }
        Carrier::Header { name, value } => {
            if name == "Cookie" {
                // One `Cookie` header: the planted one replaces the ordinary one.
                req.headers.retain(|(n, _)| n != "Cookie");
            }
            req.headers.push((name.clone(), value.clone()));
            Planted {
                position: if name == "Cookie" {
                    Position::Cookie
                } else {
                    Position::Header
                },
                encoding: caps.header_encoding(),
            }
        }
        Carrier::SetCookie(value) => {
            req.set_cookie = Some(value.clone());
            Planted {
                position: Position::SetCookie,
                encoding: caps.header_encoding(),
            }
        }
        Carrier::Url(url) => {
            let (path, query) = url
                .split_once("://")
                .and_then(|(_, rest)| rest.split_once('/'))
                .map(|(_, rest)| rest.split_once('?').unwrap_or((rest, "")))
                .unwrap_or(("", ""));
            match rng.below(if caps.referer { 3 } else { 2 }) {
                0 => {
                    req.path = format!("/{path}");
                    req.query = query.split('&').map(str::to_string).collect();
                    // Some clients percent-encode every byte of the signature (the last item).
                    let every_byte = rng.chance(0.3);
                    if every_byte {
                        if let Some(last) = req.query.last_mut() {
                            if let Some((name, value)) = last.split_once('=') {
                                let decoded = encode::decode_percent(value);
                                *last = format!("{name}={}", encode::every_byte(rng, &decoded));
                            }
                        }
                    }
                    Planted {
                        position: Position::QueryLast,
                        encoding: if every_byte {
                            Encoding::EveryByte
                        } else {
                            Encoding::Plain
                        },
                    }
                }
                1 => {
                    let encoding = *rng.pick(&[Encoding::Nested, Encoding::Double]);
                    let once = encode::component(url);
                    let item = if encoding == Encoding::Nested {
                        format!("url={once}")
                    } else {
                        format!("url={}", once.replace('%', "%25"))
                    };
                    let position = into_query(rng, req, item);
                    Planted { position, encoding }
                }
                _ => {
                    req.referer = Some(url.clone());
                    Planted {
                        position: Position::Referer,
                        encoding: Encoding::Plain,
                    }
                }
            }
        }
        Carrier::Userinfo { user, password } => {
            let url = format!(
                "https://{user}:{}@{}/",
                encode::component(password),
                rng.pick(&[
                    "ci.example.com",
                    "backup.example.net",
                    "grafana.example.org"
                ])
            );
            if caps.referer && rng.chance(0.5) {
                req.referer = Some(format!("{url}job/deploy/"));
                Planted {
                    position: Position::Referer,
                    encoding: Encoding::Plain,
                }
            } else {
                let item = format!("next={}", encode::component(&url));
                let position = into_query(rng, req, item);
                Planted {
                    position,
                    encoding: Encoding::Nested,
                }
            }
        }
    }
}

/// Fills `req` with an ordinary request (and its decoys); returns the decoy families used.
pub fn ordinary(rng: &mut Rng, req: &mut Request, caps: Caps, second: u64) -> Vec<&'static str> {
    let mut families = Vec::new();
    req.ip = format!(
        "{}.{}.{}.{}",
        rng.pick(&[198u8, 203, 192, 100]),
        rng.below(255),
        rng.below(255),
        1 + rng.below(254)
    );
    req.method = if rng.chance(0.85) { "GET" } else { "POST" };
    req.host = rng
        .pick(&["shop.example.com", "api.example.com", "www.example.com"])
        .to_string();
    req.separator = "&";
    req.second = second;
    req.status = *rng.pick(&[200, 200, 200, 304, 302, 404, 401, 500]);
    req.user_agent = rng
        .pick(&[
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
            "curl/8.4.0",
            "python-requests/2.32.3",
            "okhttp/4.12.0",
        ])
        .to_string();
    req.path = if rng.chance(0.3) {
        families.push("content-hash");
        crate::decoys::path(rng)
    } else {
        rng.pick(&[
            "/",
            "/products",
            "/api/v1/orders",
            "/search",
            "/account/login",
            "/api/v2/inventory",
            "/cart",
        ])
        .to_string()
    };
    for _ in 0..rng.below(3) {
        req.query.push(filler(rng));
    }
    for _ in 0..rng.below(3) {
        let (family, item) = crate::decoys::param(rng);
        families.push(family);
        let at = rng.below(req.query.len() + 1);
        req.query.insert(at, item);
    }
    if caps.referer && rng.chance(0.6) {
        let (family, referer) = crate::decoys::referer(rng);
        if family != "none" {
            families.push(family);
        }
        req.referer = Some(referer);
    }
    if caps.headers || caps.cookie {
        req.headers = crate::decoys::headers(rng);
    }
    families
}
