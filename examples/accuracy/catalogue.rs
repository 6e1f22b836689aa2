//! The credentials the benchmark plants: fresh random variants of every built-in rule's examples,
//! and hand-built credentials for the rules that live in a context (signed URLs, `Authorization`
//! headers, session ids in paths, user-info).
//!
//! A variant of a rule's example keeps its provider prefix and punctuation and redraws every
//! other letter and digit from the same class. It is kept only if the rule still recognises it
//! on its own, in a neutral parameter; credentials with a checksum (which a redraw breaks) keep
//! their example value.

use logleaks::detect::Detector;
use logleaks::logformat::LogType;

use crate::rng::{Rng, ALNUM, B64URL, HEX, LOWER_ALNUM};

/// How a credential is carried by a request.
#[derive(Clone, Debug)]
pub enum Carrier {
    /// The value of a query parameter (or cookie, or body field); `name: None` lets the
    /// planter choose any parameter name, because the value identifies itself.
    Param { name: Option<String>, value: String },
    /// Text that goes into the request path as is (`;jsessionid=…`, `/bot…/sendMessage`).
    Path(String),
    /// A request header.
    Header { name: String, value: String },
    /// A whole URL (a signed URL) used as the request target, the referer or a parameter.
    Url(String),
    /// `scheme://user:password@host/` user-info.
    Userinfo { user: String, password: String },
    /// A response's `Set-Cookie` header value (ModSecurity audit logs keep response headers).
    SetCookie(String),
}

/// One credential to plant, with the rule that must report it and the value it must report.
#[derive(Clone, Debug)]
pub struct Credential {
    /// The rule id.
    pub rule: &'static str,
    /// The exact decoded value logleaks must report.
    pub secret: String,
    /// How it travels.
    pub carrier: Carrier,
}

/// The per-rule makers: each gives a fresh credential of its rule.
pub struct Catalogue {
    automatic: Vec<Automatic>,
    /// Rules with no maker, and why.
    pub not_planted: Vec<(&'static str, String)>,
}

struct Automatic {
    rule: &'static str,
    base: String,
    prefix_len: usize,
    param: Option<String>,
    fixed: bool,
}

/// Rules whose credential only exists in a context; [`Catalogue::make`] builds them by hand.
const HAND_BUILT: &[&str] = &[
    "aws-presigned-url-credential",
    "aws-presigned-url-signature",
    "aws-session-token",
    "gcs-signed-url-signature",
    "azure-sas-signature",
    "basic-auth-credentials",
    "bearer-token",
    "discord-bot-token",
    "discord-webhook",
    "java-session-id",
    "aspnet-cookieless-session",
    "telegram-bot-token",
    "url-userinfo-password",
    "password-param",
    "generic-credential-param",
    "aws-secret-access-key",
    "jwt",
    "azure-storage-connection-string",
    "okta-api-token",
    "express-session-cookie",
    "php-hash-named-session",
    "aspnet-auth-cookie",
    "laravel-session-cookie",
    "rails-session-cookie",
];

/// Rules the benchmark leaves to their examples, and why.
const LEFT_TO_EXAMPLES: &[(&str, &str)] = &[(
    "private-key-block",
    "a PEM block does not travel in request lines; its examples cover it",
)];

impl Catalogue {
    /// Builds the makers from `detector`'s rules and their examples.
    pub fn new(detector: &Detector) -> Catalogue {
        let mut automatic = Vec::new();
        let mut not_planted = Vec::new();
        for rule in detector.rules() {
            if HAND_BUILT.contains(&rule.id) {
                continue;
            }
            if let Some((_, why)) = LEFT_TO_EXAMPLES.iter().find(|(id, _)| *id == rule.id) {
                not_planted.push((rule.id, why.to_string()));
                continue;
            }
            let mut made = None;
            for example in &rule.examples {
                let mut out = Vec::new();
                detector.scan_line(example.as_bytes(), LogType::Raw, &mut out);
                let Some(hit) = out.iter().find(|d| d.rule.id == rule.id) else {
                    continue;
                };
                let base = String::from_utf8_lossy(hit.secret.expose()).into_owned();
                let param = hit
                    .param
                    .as_ref()
                    .map(|p| String::from_utf8_lossy(p).into_owned());
                let prefix_len = rule.prefix_of(base.as_bytes()).map_or(0, str::len);
                // Self-identifying in a neutral parameter, or only under its own name?
                let own_name = if found(detector, rule.id, "data", &base) {
                    None
                } else if let Some(p) = param
                    .as_deref()
                    .filter(|p| found(detector, rule.id, p, &base))
                {
                    Some(p.to_string())
                } else {
                    continue;
                };
                let mut fixed = true;
                let mut rng = Rng::new(rule.id.len() as u64);
                for _ in 0..8 {
                    let variant = redraw(&mut rng, &base, prefix_len);
                    if found(
                        detector,
                        rule.id,
                        own_name.as_deref().unwrap_or("data"),
                        &variant,
                    ) {
                        fixed = false;
                        break;
                    }
                }
                made = Some(Automatic {
                    rule: rule.id,
                    base,
                    prefix_len,
                    param: own_name,
                    fixed,
                });
                break;
            }
            match made {
                Some(a) => automatic.push(a),
                None => not_planted.push((
                    rule.id,
                    "no example is found in a query parameter on its own".to_string(),
                )),
            }
        }
        Catalogue {
            automatic,
            not_planted,
        }
    }

    /// Every rule the catalogue can plant.
    pub fn rules(&self) -> Vec<&'static str> {
        let mut rules: Vec<&'static str> = self.automatic.iter().map(|a| a.rule).collect();
        rules.extend(HAND_BUILT.iter().copied());
        rules
    }

    /// A fresh credential of `rule`, checked against `detector` where it was redrawn.
    pub fn make(&self, rng: &mut Rng, detector: &Detector, rule: &'static str) -> Credential {
        if let Some(a) = self.automatic.iter().find(|a| a.rule == rule) {
            let name = a.param.clone();
            let check_name = name.as_deref().unwrap_or("data");
            let mut secret = a.base.clone();
            if !a.fixed {
                for _ in 0..16 {
                    let variant = redraw(rng, &a.base, a.prefix_len);
                    if found(detector, rule, check_name, &variant) {
                        secret = variant;
                        break;
                    }
                }
            }
            let value = match rule {
                "slack-webhook" | "slack-workflow-webhook" => format!("https://{secret}"),
                _ => secret.clone(),
            };
            return Credential {
                rule,
                secret,
                carrier: Carrier::Param { name, value },
            };
        }
        hand_built(rng, rule)
    }
}

/// Whether `rule` reports exactly `secret` in `GET /p?<name>=<secret>`.
fn found(detector: &Detector, rule: &str, name: &str, secret: &str) -> bool {
    let value = if secret.starts_with("hooks.slack.com") {
        format!("https://{secret}")
    } else {
        secret.to_string()
    };
    let line = format!(
        "GET /p?{name}={} HTTP/1.1",
        crate::encode::component(&value)
    );
    let mut out = Vec::new();
    detector.scan_line(line.as_bytes(), LogType::Raw, &mut out);
    out.iter()
        .any(|d| d.rule.id == rule && d.secret.expose() == secret.as_bytes())
}

/// `base` with every letter and digit after `keep` bytes redrawn from its own class.
fn redraw(rng: &mut Rng, base: &str, keep: usize) -> String {
    let hex_only = base[keep..]
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    let hex_upper = base[keep..]
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b));
    let mut out = String::with_capacity(base.len());
    for (i, c) in base.char_indices() {
        let b = c as u32;
        let new = if i < keep || !c.is_ascii_alphanumeric() {
            c
        } else if hex_only {
            *rng.pick(HEX) as char
        } else if hex_upper {
            *rng.pick(b"0123456789ABCDEF") as char
        } else if c.is_ascii_digit() {
            (b'0' + rng.below(10) as u8) as char
        } else if c.is_ascii_lowercase() {
            (b'a' + rng.below(26) as u8) as char
        } else if b < 128 {
            (b'A' + rng.below(26) as u8) as char
        } else {
            c
        };
        out.push(new);
    }
    out
}

fn b64(data: &[u8], url: bool) -> String {
    use base64::Engine;
    if url {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(data)
    } else {
        base64::engine::general_purpose::STANDARD.encode(data)
    }
}

/// Unix time of the benchmark's log lines (27 Nov 2026, 10:00 UTC).
pub const LOG_TIME: u64 = 1_795_773_600;

/// A JWT (HS256) for a user, expiring `exp_offset` seconds after the log time.
pub fn jwt(rng: &mut Rng, exp_offset: i64) -> String {
    let header = b64(br#"{"alg":"HS256","typ":"JWT"}"#, true);
    let iat = LOG_TIME as i64 - 600;
    let claims = format!(
        r#"{{"sub":"user_{}","iss":"https://auth.example.com","iat":{iat},"exp":{}}}"#,
        rng.below(100_000),
        iat + 600 + exp_offset
    );
    let claims = b64(claims.as_bytes(), true);
    let signature = rng.string(B64URL, 43);
    format!("{header}.{claims}.{signature}")
}

fn password(rng: &mut Rng) -> String {
    let words = [
        "Summer", "Blue", "Heron", "Tiger", "Maple", "Orbit", "Falcon", "Cobalt", "River",
    ];
    let symbols = [
        "!", "#", "$", "%", "&", "@", "*", "?", "+", "=", "\"", " ", "é",
    ];
    format!(
        "{}{}{}{}{}",
        rng.pick(&words),
        rng.pick(&symbols),
        rng.pick(&words).to_lowercase(),
        rng.below(10_000),
        rng.pick(&symbols)
    )
}

/// A logged `Cookie` header holding `name=value` among other cookies, as a browser sends it.
fn cookie(name: &str, value: &str) -> Carrier {
    Carrier::Header {
        name: "Cookie".into(),
        value: format!(
            "theme=dark; {name}={}; lang=en",
            crate::encode::component(value)
        ),
    }
}

/// A session cookie as the browser sends it back (`Cookie`) or as the server sets it
/// (`Set-Cookie`, kept by logs of response headers).
fn cookie_or_set_cookie(rng: &mut Rng, name: &str, value: &str) -> Carrier {
    if rng.chance(0.4) {
        Carrier::SetCookie(format!(
            "{name}={}; path=/; HttpOnly",
            crate::encode::component(value)
        ))
    } else {
        cookie(name, value)
    }
}

/// Standard base64 of `n` random bytes.
fn random_b64(rng: &mut Rng, n: usize) -> String {
    b64(
        &(0..n).map(|_| rng.next_u64() as u8).collect::<Vec<_>>(),
        false,
    )
}

fn hand_built(rng: &mut Rng, rule: &'static str) -> Credential {
    let (secret, carrier) = match rule {
        "aws-presigned-url-credential" => {
            // A logged SigV4 Authorization header: the key id is what it shows.
            let key = format!(
                "AKIA{}",
                rng.string(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)
            );
            let value = format!(
                "AWS4-HMAC-SHA256 Credential={key}/20261127/eu-west-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature={}",
                rng.string(HEX, 64)
            );
            (
                key,
                Carrier::Header {
                    name: "Authorization".into(),
                    value,
                },
            )
        }
        "aws-presigned-url-signature" | "aws-session-token" => {
            let key = format!(
                "AKIA{}",
                rng.string(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)
            );
            let signature = rng.string(HEX, 64);
            let token = (rule == "aws-session-token")
                .then(|| format!("IQoJb3JpZ2luX2Vj{}", rng.string(ALNUM, 300)));
            let mut url = format!(
                "https://shop-exports.s3.eu-west-1.amazonaws.com/orders/{}.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={key}%2F20261127%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Date=20261127T095500Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host",
                rng.below(10_000)
            );
            if let Some(token) = &token {
                url.push_str(&format!("&X-Amz-Security-Token={token}"));
            }
            url.push_str(&format!("&X-Amz-Signature={signature}"));
            let secret = token.unwrap_or(signature);
            (secret, Carrier::Url(url))
        }
        "gcs-signed-url-signature" => {
            let signature = rng.string(HEX, 512);
            let url = format!(
                "https://storage.googleapis.com/shop-media/video/{}.mp4?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=signer%40shop-prod.iam.gserviceaccount.com%2F20261127%2Fauto%2Fstorage%2Fgoog4_request&X-Goog-Date=20261127T095500Z&X-Goog-Expires=900&X-Goog-SignedHeaders=host&X-Goog-Signature={signature}",
                rng.below(10_000)
            );
            (signature, Carrier::Url(url))
        }
        "azure-sas-signature" => {
            let signature = b64(
                &(0..32).map(|_| rng.next_u64() as u8).collect::<Vec<_>>(),
                false,
            );
            let url = format!(
                "https://shopdata.blob.core.windows.net/exports/{}.csv?sv=2022-11-02&ss=b&srt=o&sp=r&se=2026-11-27T11:00:00Z&st=2026-11-27T09:00:00Z&spr=https&sig={}",
                rng.below(10_000),
                crate::encode::component(&signature)
            );
            (signature, Carrier::Url(url))
        }
        "basic-auth-credentials" => {
            let user = rng.pick(&["deploy", "admin", "ci", "backup"]).to_string();
            let pass = format!("{}{}", rng.string(ALNUM, 14), rng.below(100));
            let blob = b64(format!("{user}:{pass}").as_bytes(), false);
            (
                blob.clone(),
                Carrier::Header {
                    name: "Authorization".into(),
                    value: format!("Basic {blob}"),
                },
            )
        }
        "bearer-token" => {
            let token = rng.string(ALNUM, 40);
            (
                token.clone(),
                Carrier::Header {
                    name: "Authorization".into(),
                    value: format!("Bearer {token}"),
                },
            )
        }
        "discord-bot-token" => {
            let id = b64(
                format!("1{}", rng.below(1 << 30) as u64 * 1_000_000_007).as_bytes(),
                true,
            );
            let first = format!("M{}", &id[1..]);
            let token = format!(
                "{first}.{}.{}",
                rng.string(B64URL, 6),
                rng.string(B64URL, 38)
            );
            (
                token.clone(),
                Carrier::Header {
                    name: "Authorization".into(),
                    value: format!("Bot {token}"),
                },
            )
        }
        "discord-webhook" => {
            let secret = format!(
                "1{}/{}",
                rng.string(b"0123456789", 18),
                rng.string(B64URL, 68)
            );
            (
                secret.clone(),
                Carrier::Param {
                    name: None,
                    value: format!("https://discord.com/api/webhooks/{secret}"),
                },
            )
        }
        "java-session-id" => {
            let id = rng.string(b"0123456789ABCDEF", 32);
            (id.clone(), Carrier::Path(format!(";jsessionid={id}")))
        }
        "aspnet-cookieless-session" => {
            let id = rng.string(b"abcdefghijklmnopqrstuvwxyz012345", 24);
            (id.clone(), Carrier::Path(format!("/(S({id}))")))
        }
        "telegram-bot-token" => {
            let token = format!(
                "{}:AA{}",
                1_000_000_000 + rng.below(8_999_999_999),
                rng.string(B64URL, 33)
            );
            (
                token.clone(),
                Carrier::Path(format!("/bot{token}/sendMessage")),
            )
        }
        "url-userinfo-password" => {
            let pass = format!("{}{}", rng.string(ALNUM, 12), rng.below(1000));
            let user = rng
                .pick(&["deploy", "jenkins", "svc-backup", "admin"])
                .to_string();
            (
                pass.clone(),
                Carrier::Userinfo {
                    user,
                    password: pass,
                },
            )
        }
        "password-param" => {
            let pass = password(rng);
            let name = rng.pick(&["password", "pwd", "passwd", "pass", "user_password"]);
            (
                pass.clone(),
                Carrier::Param {
                    name: Some(name.to_string()),
                    value: pass,
                },
            )
        }
        "generic-credential-param" => {
            // Names as applications write them: snake_case, camelCase, header spellings.
            let any_name = [
                "api_key",
                "apikey",
                "apiKey",
                "api-key",
                "access_key",
                "auth_token",
                "client_secret",
                "secret",
                "token",
                "key",
                "app_key",
                "private_token",
                "aToken",
                "authToken",
                "accessToken",
                "clientSecret",
                "X-Api-Key",
                "X-Auth-Token",
                "Api-Key",
            ];
            // Names that only ever hold a key, under which random letters alone are one.
            let key_only = ["api_key", "apiKey", "client_secret", "access_token"];
            let (value, name) = match rng.below(4) {
                0 => (rng.string(HEX, 32), rng.pick(&any_name)),
                1 => (rng.string(ALNUM, 40), rng.pick(&any_name)),
                2 => (rng.string(LOWER_ALNUM, 28), rng.pick(&any_name)),
                _ => (
                    rng.string(b"abcdefghijklmnopqrstuvwxyz", 30),
                    rng.pick(&key_only),
                ),
            };
            (
                value.clone(),
                Carrier::Param {
                    name: Some(name.to_string()),
                    value,
                },
            )
        }
        "aws-secret-access-key" => {
            let value = rng.string(
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
                40,
            );
            let name = rng.pick(&[
                "aws_secret_access_key",
                "secret_key",
                "AWS_SECRET_ACCESS_KEY",
                "secretKey",
            ]);
            (
                value.clone(),
                Carrier::Param {
                    name: Some(name.to_string()),
                    value,
                },
            )
        }
        "jwt" => {
            // Some services sign a bare user number under a JOSE header that says it is a JWT.
            let token = if rng.chance(0.3) {
                format!(
                    "{}.{}.{}",
                    b64(br#"{"typ":"JWT","alg":"HS256"}"#, true),
                    b64(rng.below(1 << 30).to_string().as_bytes(), true),
                    rng.string(B64URL, 43)
                )
            } else {
                jwt(rng, 3600)
            };
            (
                token.clone(),
                Carrier::Param {
                    name: None,
                    value: token,
                },
            )
        }
        "azure-storage-connection-string" => {
            let key = b64(
                &(0..64).map(|_| rng.next_u64() as u8).collect::<Vec<_>>(),
                false,
            );
            let value = format!(
                "DefaultEndpointsProtocol=https;AccountName=shop{};AccountKey={key};EndpointSuffix=core.windows.net",
                rng.below(100)
            );
            let name = rng.pick(&["conn", "connection_string", "storage", "cs"]);
            (
                key,
                Carrier::Param {
                    name: Some(name.to_string()),
                    value,
                },
            )
        }
        "okta-api-token" => {
            let token = format!("00{}", rng.string(B64URL, 40));
            (
                token.clone(),
                Carrier::Header {
                    name: "Authorization".into(),
                    value: format!("SSWS {token}"),
                },
            )
        }
        "express-session-cookie" => {
            let hmac = b64(
                &(0..32).map(|_| rng.next_u64() as u8).collect::<Vec<_>>(),
                false,
            );
            let secret = format!(
                "s:{}.{}",
                rng.string(B64URL, 32),
                hmac.trim_end_matches('=')
            );
            let name = rng.pick(&["connect.sid", "mongo-express", "shop.sid", "sess", "app"]);
            (secret.clone(), cookie_or_set_cookie(rng, name, &secret))
        }
        "php-hash-named-session" => {
            let (name, id) = if rng.chance(0.5) {
                (
                    rng.string(HEX, 32),
                    rng.string(b"abcdefghijklmnopqrstuv0123456789", 26),
                )
            } else {
                (
                    format!("{}{}", rng.pick(&["SESS", "SSESS"]), rng.string(HEX, 32)),
                    rng.string(B64URL, 43),
                )
            };
            (id.clone(), cookie_or_set_cookie(rng, &name, &id))
        }
        "aspnet-auth-cookie" => {
            let (name, value) = match rng.below(3) {
                0 => (
                    ".AspNetCore.Session",
                    format!("CfDJ8{}", rng.string(B64URL, 150)),
                ),
                1 => (
                    ".AspNetCore.Cookies",
                    format!("CfDJ8{}", rng.string(B64URL, 400)),
                ),
                _ => (".ASPXAUTH", rng.string(b"0123456789ABCDEF", 224)),
            };
            (value.clone(), cookie_or_set_cookie(rng, name, &value))
        }
        "laravel-session-cookie" => {
            let json = format!(
                r#"{{"iv":"{}","value":"{}","mac":"{}","tag":""}}"#,
                random_b64(rng, 16),
                random_b64(rng, 48),
                rng.string(HEX, 64)
            );
            let secret = b64(json.as_bytes(), false);
            let name = rng.pick(&["laravel_session", "shop_session"]);
            (secret.clone(), cookie_or_set_cookie(rng, name, &secret))
        }
        "rails-session-cookie" => {
            let secret = format!(
                "{}--{}--{}",
                random_b64(rng, 90),
                random_b64(rng, 12),
                random_b64(rng, 16)
            );
            let name = rng.pick(&["_shop_session", "_gitlab_session"]);
            (secret.clone(), cookie_or_set_cookie(rng, name, &secret))
        }
        other => panic!("no hand-built maker for {other}"),
    };
    Credential {
        rule,
        secret,
        carrier,
    }
}
