//! Every log format logleaks reads, written the way its server writes it.

use crate::encode;
use crate::request::{Caps, Request};
use crate::rng::Rng;

/// The request line is on this line.
pub const REQUEST: u8 = 1;
/// The referer is on this line.
pub const REFERER: u8 = 2;
/// Request headers (and cookies) are on this line.
pub const HEADERS: u8 = 4;
/// The request body is on this line.
pub const BODY: u8 = 8;
/// Response headers are on this line.
pub const RESPONSE: u8 = 16;
/// Everything is on this line.
pub const ALL: u8 = REQUEST | REFERER | HEADERS | BODY | RESPONSE;

/// A log format: its name, the file it is written to, what it carries, and its writer.
pub struct Format {
    /// The name in the benchmark's tables (the log type logleaks should detect, or a variant).
    pub name: &'static str,
    /// What the format carries besides the request line.
    pub caps: Caps,
    /// Lines written before the first record (`#Fields:` headers).
    pub preamble: &'static [&'static str],
    /// Writes one request as lines, each with the parts it carries.
    pub write: fn(&mut Rng, &Request) -> Vec<(String, u8)>,
}

const fn caps(referer: bool, headers: bool, cookie: bool, body: bool) -> Caps {
    Caps {
        referer,
        headers,
        auth_only: false,
        cookie,
        body,
        nginx_escapes: false,
        json: false,
        response_headers: false,
    }
}

const fn responses(mut c: Caps) -> Caps {
    c.response_headers = true;
    c
}

const fn nginx(mut c: Caps) -> Caps {
    c.nginx_escapes = true;
    c
}

const fn json(mut c: Caps) -> Caps {
    c.json = true;
    c
}

const fn auth_only(mut c: Caps) -> Caps {
    c.auth_only = true;
    c
}

/// All formats of the benchmark.
pub const FORMATS: &[Format] = &[
    Format { name: "combined-nginx", caps: nginx(caps(true, false, false, false)), preamble: &[], write: combined_nginx },
    Format { name: "combined-apache", caps: caps(true, false, false, false), preamble: &[], write: combined_apache },
    Format { name: "common", caps: caps(false, false, false, false), preamble: &[], write: common },
    Format { name: "vhost_combined", caps: caps(true, false, false, false), preamble: &[], write: vhost_combined },
    Format { name: "nginx_error", caps: nginx(caps(true, true, true, false)), preamble: &[], write: nginx_error },
    Format { name: "apache_error", caps: caps(true, true, false, false), preamble: &[], write: apache_error },
    Format { name: "iis", caps: caps(true, false, true, false), preamble: &[
        "#Software: Microsoft Internet Information Services 10.0",
        "#Version: 1.0",
        "#Date: 2026-11-27 10:00:00",
        "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Cookie) cs(Referer) sc-status sc-substatus sc-win32-status time-taken",
    ], write: iis },
    Format { name: "aws_alb", caps: caps(false, false, false, false), preamble: &[], write: aws_alb },
    Format { name: "aws_elb", caps: caps(false, false, false, false), preamble: &[], write: aws_elb },
    Format { name: "cloudfront", caps: caps(true, false, true, false), preamble: &[
        "#Version: 1.0",
        "#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken",
    ], write: cloudfront },
    Format { name: "aws_s3", caps: caps(true, false, false, false), preamble: &[], write: aws_s3 },
    Format { name: "haproxy", caps: auth_only(caps(false, true, false, false)), preamble: &[], write: haproxy },
    Format { name: "squid", caps: caps(false, false, false, false), preamble: &[], write: squid },
    Format { name: "tomcat", caps: caps(true, false, false, false), preamble: &[], write: tomcat },
    Format { name: "envoy", caps: caps(false, false, false, false), preamble: &[], write: envoy },
    Format { name: "ingress_nginx", caps: nginx(caps(true, false, false, false)), preamble: &[], write: ingress_nginx },
    Format { name: "traefik", caps: caps(true, false, false, false), preamble: &[], write: traefik },
    Format { name: "varnishncsa", caps: caps(true, false, false, false), preamble: &[], write: varnishncsa },
    Format { name: "caddy", caps: json(caps(true, true, true, false)), preamble: &[], write: caddy },
    Format { name: "traefik_json", caps: json(caps(true, true, true, false)), preamble: &[], write: traefik_json },
    Format { name: "nginx_json", caps: json(caps(true, true, true, true)), preamble: &[], write: nginx_json },
    Format { name: "envoy_json", caps: json(caps(true, true, false, false)), preamble: &[], write: envoy_json },
    Format { name: "gcp_lb", caps: json(caps(true, false, false, false)), preamble: &[], write: gcp_lb },
    Format { name: "cloudflare", caps: json(caps(true, true, true, false)), preamble: &[], write: cloudflare },
    Format { name: "modsecurity_json", caps: responses(json(caps(false, true, true, false))), preamble: &[], write: modsecurity_json },
    Format { name: "modsecurity_audit", caps: responses(caps(false, true, true, true)), preamble: &[], write: modsecurity_audit },
    Format { name: "syslog", caps: nginx(caps(true, false, false, false)), preamble: &[], write: syslog },
    Format { name: "cri", caps: nginx(caps(true, false, false, false)), preamble: &[], write: cri },
    Format { name: "docker", caps: nginx(caps(true, false, false, false)), preamble: &[], write: docker },
    Format { name: "app_text", caps: caps(false, false, false, false), preamble: &[], write: app_text },
];

/// Hour, minute and second of a record.
fn hms(req: &Request) -> (u64, u64, u64) {
    let s = 10 * 3600 + req.second % 50_000;
    (s / 3600, s / 60 % 60, s % 60)
}

fn clf_time(req: &Request) -> String {
    let (h, m, s) = hms(req);
    format!("[27/Nov/2026:{h:02}:{m:02}:{s:02} +0000]")
}

fn iso_time(req: &Request) -> String {
    let (h, m, s) = hms(req);
    format!("2026-11-27T{h:02}:{m:02}:{s:02}.{:03}Z", req.second % 1000)
}

fn epoch(req: &Request) -> u64 {
    crate::catalogue::LOG_TIME + req.second % 50_000
}

fn or_dash(value: Option<&str>) -> &str {
    match value {
        Some(v) if !v.is_empty() => v,
        _ => "-",
    }
}

fn bytes(req: &Request) -> u64 {
    (req.second * 7919) % 20_000 + 17
}

fn combined_with(req: &Request, escape: fn(&str) -> String) -> String {
    format!(
        "{} - - {} \"{} {} HTTP/1.1\" {} {} \"{}\" \"{}\"",
        req.ip,
        clf_time(req),
        req.method,
        escape(&req.target()),
        req.status,
        bytes(req),
        escape(or_dash(req.referer.as_deref())),
        escape(&req.user_agent)
    )
}

fn combined_nginx(_: &mut Rng, req: &Request) -> Vec<(String, u8)> {
    vec![(combined_with(req, encode::nginx), ALL)]
}

fn combined_apache(_: &mut Rng, req: &Request) -> Vec<(String, u8)> {
    vec![(combined_with(req, encode::apache), ALL)]
}

fn common(_: &mut Rng, req: &Request) -> Vec<(String, u8)> {
    let line = format!(
        "{} - - {} \"{} {} HTTP/1.1\" {} {}",
        req.ip,
        clf_time(req),
        req.method,
        encode::apache(&req.target()),
        req.status,
        bytes(req)
    );
    vec![(line, ALL)]
}

fn vhost_combined(_: &mut Rng, req: &Request) -> Vec<(String, u8)> {
    vec![(
        format!("{}:443 {}", req.host, combined_with(req, encode::apache)),
        ALL,
    )]
}

fn nginx_error(rng: &mut Rng, req: &Request) -> Vec<(String, u8)> {
    let (h, m, s) = hms(req);
    let time = format!("2026/11/27 {h:02}:{m:02}:{s:02}");
    let conn = 1000 + req.second;
    let mut lines = Vec::new();
    let headers: Vec<_> = req.headers.iter().collect();
    if !headers.is_empty() {
        for (name, value) in headers {
            lines.push((
                format!(
                    "{time} [debug] 21#21: *{conn} http header: \"{name}: {}\"",
                    encode::nginx(value)
                ),
                HEADERS,
            ));
        }
    }
    let target = encode::nginx(&req.target());
    let mut line = if rng.chance(0.5) {
        format!(
            "{time} [error] 21#21: *{conn} upstream timed out (110: Connection timed out) while reading response header from upstream, client: {}, server: {}, request: \"{} {target} HTTP/1.1\", upstream: \"http://10.0.4.17:8080{target}\", host: \"{}\"",
            req.ip, req.host, req.method, req.host
        )
    } else {
        format!(
            "{time} [error] 21#21: *{conn} open() \"/srv/www{}\" failed (2: No such file or directory), client: {}, server: {}, request: \"{} {target} HTTP/1.1\", host: \"{}\"",
            encode::nginx(&req.path), req.ip, req.host, req.method, req.host
        )
    };
    if let Some(referer) = &req.referer {
        line.push_str(&format!(", referrer: \"{}\"", encode::nginx(referer)));
    }
    lines.push((line, REQUEST | REFERER | BODY));
    lines
}

fn apache_error(rng: &mut Rng, req: &Request) -> Vec<(String, u8)> {
    let (h, m, s) = hms(req);
    let time = format!(
        "[Thu Nov 27 {h:02}:{m:02}:{s:02}.{:06} 2026]",
        req.second * 37 % 1_000_000
    );
    let client = format!("[client {}:{}]", req.ip, 40000 + req.second % 20000);
    let mut lines = Vec::new();
    if let Some(auth) = req
        .header("Authorization")
        .or(req.header("X-Api-Key"))
        .or(req.header("X-Auth-Token"))
    {
        lines.push((
            format!("{time} [cgi:error] [pid 1201:tid 140301] {client} AH01215: env: HTTP_AUTHORIZATION={auth}: /usr/lib/cgi-bin/report.cgi"),
            HEADERS,
        ));
    }
    let referer = req
        .referer
        .as_ref()
        .map(|r| format!(", referer: {r}"))
        .unwrap_or_default();
    let line = match rng.below(6) {
        0 if !req.query.is_empty() && !req.path_carries_credential => format!(
            "{time} [cgi:error] [pid 1201:tid 140301] {client} AH01215: env: QUERY_STRING={}: /usr/lib/cgi-bin/report.cgi{referer}",
            req.query_string()
        ),
        // A script's own debug output of its query string.
        4 if !req.query.is_empty() && !req.path_carries_credential => format!(
            "{time} [cgi:error] [pid 1201:tid 140301] {client} AH01215: DEBUG QUERY_STRING: {}: /usr/lib/cgi-bin/report.cgi{referer}",
            req.query_string()
        ),
        // A PHP warning quoting the URL a script fetched, its path segments encoded (`:` as
        // `%3A`).
        5 => format!(
            "{time} [php:warn] [pid 1203:tid 140309] {client} PHP Warning:  file_get_contents(https://{}{}): Failed to open stream: HTTP request failed! in /var/www/shop/notify.php on line 17{referer}",
            req.host,
            req.target().replacen(':', "%3A", req.path.matches(':').count())
        ),
        3 => format!(
            "{time} [cgi:error] [pid 1201:tid 140301] {client} AH01215: REQUEST_URI={}: /usr/lib/cgi-bin/report.cgi{referer}",
            req.target()
        ),
        1 => format!(
            "{time} [php:warn] [pid 1203:tid 140309] {client} PHP Warning:  Undefined array key \"cart_id\" in /var/www/shop/index.php on line 41, request: \"{} {} HTTP/1.1\"{referer}",
            req.method,
            req.target()
        ),
        _ => format!(
            "{time} [:error] [pid 1207:tid 140311] {client} ModSecurity: Warning. Matched phrase \"/etc/passwd\" at ARGS. [file \"/etc/modsecurity/rules.conf\"] [id \"930120\"] [hostname \"{}\"] [uri \"{}\"] [unique_id \"Z0cXq9lQ1mYcOaJ8o4dZJgAAAAA\"] request: \"{} {} HTTP/1.1\"{referer}",
            req.host,
            req.path,
            req.method,
            req.target()
        ),
    };
    lines.push((line, REQUEST | REFERER | BODY));
    lines
}

/// IIS writes spaces as `+`.
fn plus(text: &str) -> String {
    text.replace(' ', "+")
}

fn iis(_: &mut Rng, req: &Request) -> Vec<(String, u8)> {
    let (h, m, s) = hms(req);
    let query = req.query_string();
    vec![(
        format!(
            "2026-11-27 {h:02}:{m:02}:{s:02} 10.0.0.4 {} {} {} 443 - {} {} {} {} {} 0 0 {}",
            req.method,
            plus(&req.path),
            or_dash(Some(&plus(&query))),
            req.ip,
            plus(&req.user_agent),
            or_dash(req.header("Cookie").map(plus).as_deref()),
            or_dash(req.referer.as_deref()),
            req.status,
            req.second % 900
        ),
        ALL,
    )]
}

fn aws_alb(_: &mut Rng, req: &Request) -> Vec<(String, u8)> {
    let time = iso_time(req);
    vec![(
        format!(
            "https {time} app/shop-alb/50dc6c495c0c9188 {}:50432 10.0.1.20:8080 0.001 0.043 0.000 {} {} 412 {} \"{} https://{}:443{} HTTP/1.1\" \"{}\" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/shop-web/73e2d6bc24d8a067 \"Root=1-6746f1a0-3f0c1b2a4d5e6f7a8b9c0d1e\" \"{}\" \"arn:aws:acm:eu-west-1:111122223333:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b\" 0 {time} \"forward\" \"-\" \"-\" \"10.0.1.20:8080\" \"{}\" \"-\" \"-\"",
            req.ip, req.status, req.status, bytes(req), req.method, req.host, req.target(), req.user_agent, req.host, req.status
        ),
        ALL,
    )]
}

fn aws_elb(_: &mut Rng, req: &Request) -> Vec<(String, u8)> {
    vec![(
        format!(
            "{} shop-classic {}:2817 10.0.1.21:80 0.000086 0.001048 0.001337 {} {} 0 {} \"{} https://{}:443{} HTTP/1.1\" \"{}\" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2",
            iso_time(req), req.ip, req.status, req.status, bytes(req), req.method, req.host, req.target(), req.user_agent
        ),
        ALL,
    )]
}

/// CloudFront's escaping of a field: spaces and a few others percent-encoded.
fn cf(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '\t' => out.push_str("%09"),
            '"' => out.push_str("%22"),
            '\\' => out.push_str("%5C"),
            c => out.push(c),
        }
    }
    out
}

fn cloudfront(_: &mut Rng, req: &Request) -> Vec<(String, u8)> {
    let (h, m, s) = hms(req);
    let fields = [
        "2026-11-27".to_string(),
        format!("{h:02}:{m:02}:{s:02}"),
        "FRA56-P4".into(),
        bytes(req).to_string(),
        req.ip.clone(),
        req.method.into(),
        "d111111abcdef8.cloudfront.net".into(),
        cf(&req.path),
        req.status.to_string(),
        or_dash(req.referer.as_deref().map(cf).as_deref()).to_string(),
        cf(&req.user_agent),
        or_dash(Some(&cf(&req.query_string()))).to_string(),
        or_dash(req.header("Cookie").map(cf).as_deref()).to_string(),
        "Miss".into(),
        format!("SOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHm{:06}==", req.second),
        req.host.clone(),
        "https".into(),
        "412".into(),
        "0.043".into(),
    ];
    vec![(fields.join("\t"), ALL)]
}

fn aws_s3(_: &mut Rng, req: &Request) -> Vec<(String, u8)> {
    vec![(
        format!(
            "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be shop-assets {} {} - 3E57427F3EXAMPLE REST.GET.OBJECT {} \"{} /shop-assets{} HTTP/1.1\" {} - {} {} 12 11 \"{}\" \"{}\" - Ke1bUcazaN1jWuUlPJaxF64cQVpUEhoZKEG/hmy/gijN/I1DeWqDfFvnpybfEseEME/u7ME1234= SigV4 ECDHE-RSA-AES128-SHA AuthHeader shop-assets.s3.eu-west-1.amazonaws.com TLSv1.2 - -",
            clf_time(req), req.ip, req.path.trim_start_matches('/'), req.method, req.target(), req.status, bytes(req), bytes(req), or_dash(req.referer.as_deref()), req.user_agent
        ),
        ALL,
    )]
}

fn haproxy(_: &mut Rng, req: &Request) -> Vec<(String, u8)> {
    let (h, m, s) = hms(req);
    vec![(
        format!(
            "Nov 27 {h:02}:{m:02}:{s:02} lb1 haproxy[4103]: {}:50102 [27/Nov/2026:{h:02}:{m:02}:{s:02}.022] fe_https~ be_shop/web1 0/0/1/42/43 {} {} - - ---- 12/12/3/1/0 0/0 {{{}|{}|{}}} {{}} \"{} {} HTTP/1.1\"",
            req.ip, req.status, bytes(req), req.host, req.user_agent, req.header("Authorization").unwrap_or(""), req.method, req.target()
        ),
        ALL,
    )]
}

fn squid(_: &mut Rng, req: &Request) -> Vec<(String, u8)> {
    vec![(
        format!(
            "{}.{:03} {:6} {} TCP_MISS/{} {} {} http://{}{} - HIER_DIRECT/203.0.113.16 application/json",
            epoch(req), req.second % 1000, 40 + req.second % 900, req.ip, req.status, bytes(req), req.method, req.host, req.target()
        ),
        ALL,
    )]
}

fn tomcat(_: &mut Rng, req: &Request) -> Vec<(String, u8)> {
    vec![(
        format!(
            "{} - http-nio-8080-exec-{} {} {} {} HTTP/1.1 {} {}ms {} {} {}",
            clf_time(req),
            1 + req.second % 9,
            req.ip,
            req.method,
            req.target(),
            req.status,
            5 + req.second % 300,
            bytes(req),
            or_dash(req.referer.as_deref()),
            req.user_agent
        ),
        ALL,
    )]
}

fn envoy(_: &mut Rng, req: &Request) -> Vec<(String, u8)> {
    vec![(
        format!(
            "[{}] \"{} {} HTTP/2\" {} - 0 {} 23 21 \"{}\" \"{}\" \"7d1e2f3a-4b5c-6d7e-8f90-{:012}\" \"{}\" \"10.0.2.32:8080\"",
            iso_time(req), req.method, req.target(), req.status, bytes(req), req.ip, req.user_agent, req.second, req.host
        ),
        ALL,
    )]
}

fn ingress_nginx(_: &mut Rng, req: &Request) -> Vec<(String, u8)> {
    vec![(
        format!(
            "{} 431 0.012 [shop-web-8080] [] 10.244.1.18:8080 {} 0.012 {} 0a9b8c7d6e5f40312a3b4c5d{:08}",
            combined_with(req, encode::nginx), bytes(req), req.status, req.second
        ),
        ALL,
    )]
}

fn traefik(_: &mut Rng, req: &Request) -> Vec<(String, u8)> {
    vec![(
        format!(
            "{} {} \"web@docker\" \"http://172.18.0.5:80\" {}ms",
            combined_with(req, encode::apache),
            1000 + req.second,
            1 + req.second % 90
        ),
        ALL,
    )]
}

fn varnishncsa(_: &mut Rng, req: &Request) -> Vec<(String, u8)> {
    let mut absolute = req.clone();
    absolute.path = format!("http://{}{}", req.host, req.path);
    vec![(combined_with(&absolute, encode::apache), ALL)]
}

/// A JSON string value: heavy escapes for records whose encoding is JSON.
fn js(text: &str) -> String {
    format!("\"{}\"", encode::json(text, HEAVY.with(|h| h.get())))
}

thread_local! {
    /// Whether the record being written uses heavy JSON escapes.
    pub static HEAVY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn json_headers(req: &Request, arrays: bool) -> String {
    let mut parts = vec![format!(
        "{}:{}",
        js("User-Agent"),
        if arrays {
            format!("[{}]", js(&req.user_agent))
        } else {
            js(&req.user_agent)
        }
    )];
    if let Some(r) = &req.referer {
        let v = js(r);
        parts.push(format!(
            "\"Referer\":{}",
            if arrays { format!("[{v}]") } else { v }
        ));
    }
    for (name, value) in &req.headers {
        let v = js(value);
        parts.push(format!(
            "{}:{}",
            js(name),
            if arrays { format!("[{v}]") } else { v }
        ));
    }
    format!("{{{}}}", parts.join(","))
}

fn caddy(_: &mut Rng, req: &Request) -> Vec<(String, u8)> {
    let headers = json_headers(req, true);
    vec![(
        format!(
            "{{\"level\":\"info\",\"ts\":{}.5123,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{{\"remote_ip\":\"10.0.0.2\",\"remote_port\":\"51234\",\"client_ip\":\"{}\",\"proto\":\"HTTP/2.0\",\"method\":\"{}\",\"host\":\"{}\",\"uri\":{},\"headers\":{headers}}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0012,\"size\":{},\"status\":{}}}",
            epoch(req), req.ip, req.method, req.host, js(&req.target()), bytes(req), req.status
        ),
        ALL,
    )]
}

fn traefik_json(_: &mut Rng, req: &Request) -> Vec<(String, u8)> {
    let mut extra = String::new();
    if let Some(r) = &req.referer {
        extra.push_str(&format!(",\"request_Referer\":{}", js(r)));
    }
    for (name, value) in &req.headers {
        extra.push_str(&format!(",\"request_{name}\":{}", js(value)));
    }
    vec![(
        format!(
            "{{\"ClientAddr\":\"{}:40112\",\"ClientHost\":\"{}\",\"ClientPort\":\"40112\",\"ClientUsername\":\"-\",\"DownstreamContentSize\":{},\"DownstreamStatus\":{},\"Duration\":2104411,\"OriginStatus\":{},\"RequestAddr\":\"{}\",\"RequestHost\":\"{}\",\"RequestMethod\":\"{}\",\"RequestPath\":{},\"RequestProtocol\":\"HTTP/2.0\",\"RouterName\":\"shop@docker\",\"StartUTC\":\"{}\",\"request_User-Agent\":{}{extra}}}",
            req.ip, req.ip, bytes(req), req.status, req.status, req.host, req.host, req.method, js(&req.target()), iso_time(req), js(&req.user_agent)
        ),
        ALL,
    )]
}

fn nginx_json(_: &mut Rng, req: &Request) -> Vec<(String, u8)> {
    let mut extra = String::new();
    if let Some(a) = req.header("Authorization") {
        extra.push_str(&format!(",\"http_authorization\":{}", js(a)));
    }
    for name in ["X-Api-Key", "X-Auth-Token"] {
        if let Some(v) = req.header(name) {
            extra.push_str(&format!(
                ",\"http_{}\":{}",
                name.to_ascii_lowercase().replace('-', "_"),
                js(v)
            ));
        }
    }
    if let Some(c) = req.header("Cookie") {
        extra.push_str(&format!(",\"http_cookie\":{}", js(c)));
    }
    if let Some(b) = &req.body {
        extra.push_str(&format!(",\"request_body\":{}", js(b)));
    }
    let request = format!("{} {} HTTP/1.1", req.method, req.target());
    vec![(
        format!(
            "{{\"time_local\":\"{}\",\"remote_addr\":\"{}\",\"request\":{},\"status\":\"{}\",\"body_bytes_sent\":\"{}\",\"http_referer\":{},\"http_user_agent\":{}{extra}}}",
            clf_time(req).trim_matches(['[', ']']), req.ip, js(&request), req.status, bytes(req), js(req.referer.as_deref().unwrap_or("")), js(&req.user_agent)
        ),
        ALL,
    )]
}

fn envoy_json(_: &mut Rng, req: &Request) -> Vec<(String, u8)> {
    let mut extra = String::new();
    if let Some(a) = req.header("Authorization") {
        extra.push_str(&format!(",\"authorization\":{}", js(a)));
    }
    for name in ["X-Api-Key", "X-Auth-Token"] {
        if let Some(v) = req.header(name) {
            extra.push_str(&format!(",\"{}\":{}", name.to_ascii_lowercase(), js(v)));
        }
    }
    if let Some(r) = &req.referer {
        extra.push_str(&format!(",\"referer\":{}", js(r)));
    }
    vec![(
        format!(
            "{{\"start_time\":\"{}\",\"method\":\"{}\",\"path\":{},\"protocol\":\"HTTP/1.1\",\"response_code\":{},\"response_flags\":\"-\",\"bytes_received\":0,\"bytes_sent\":{},\"duration\":9,\"user-agent\":{},\"downstream_remote_address\":\"{}:51000\",\":authority\":\"{}\",\"upstream_host\":\"10.244.1.9:8080\"{extra}}}",
            iso_time(req), req.method, js(&req.target()), req.status, bytes(req), js(&req.user_agent), req.ip, req.host
        ),
        ALL,
    )]
}

fn gcp_lb(_: &mut Rng, req: &Request) -> Vec<(String, u8)> {
    let referer = req
        .referer
        .as_ref()
        .map(|r| format!(",\"referer\":{}", js(r)))
        .unwrap_or_default();
    vec![(
        format!(
            "{{\"insertId\":\"1kq2w3e4r5t{}\",\"jsonPayload\":{{\"@type\":\"type.googleapis.com/google.cloud.loadbalancing.type.LoadBalancerLogEntry\",\"statusDetails\":\"response_sent_by_backend\"}},\"httpRequest\":{{\"requestMethod\":\"{}\",\"requestUrl\":{},\"requestSize\":\"312\",\"status\":{},\"responseSize\":\"{}\",\"userAgent\":{},\"remoteIp\":\"{}\"{referer},\"latency\":\"0.043s\"}},\"resource\":{{\"type\":\"http_load_balancer\",\"labels\":{{\"project_id\":\"shop-prod\"}}}},\"timestamp\":\"{}\",\"severity\":\"INFO\",\"logName\":\"projects/shop-prod/logs/requests\"}}",
            req.second, req.method, js(&format!("https://{}{}", req.host, req.target())), req.status, bytes(req), js(&req.user_agent), req.ip, iso_time(req)
        ),
        ALL,
    )]
}

fn cloudflare(_: &mut Rng, req: &Request) -> Vec<(String, u8)> {
    let mut extra = String::new();
    if !req.headers.is_empty() {
        let parts: Vec<String> = req
            .headers
            .iter()
            .map(|(n, v)| format!("{}:{}", js(&n.to_ascii_lowercase()), js(v)))
            .collect();
        extra = format!(",\"RequestHeaders\":{{{}}}", parts.join(","));
    }
    vec![(
        format!(
            "{{\"ClientIP\":\"{}\",\"ClientRequestHost\":\"{}\",\"ClientRequestMethod\":\"{}\",\"ClientRequestURI\":{},\"ClientRequestUserAgent\":{},\"ClientRequestReferer\":{},\"EdgeResponseStatus\":{},\"EdgeStartTimestamp\":{}100000000,\"RayID\":\"8e7f6a5b4c{:06x}\"{extra}}}",
            req.ip, req.host, req.method, js(&req.target()), js(&req.user_agent), js(req.referer.as_deref().unwrap_or("")), req.status, epoch(req), req.second
        ),
        ALL,
    )]
}

fn modsecurity_json(_: &mut Rng, req: &Request) -> Vec<(String, u8)> {
    let headers = json_headers(req, false);
    let request_line = format!("{} {} HTTP/1.1", req.method, req.target());
    let set_cookie = req
        .set_cookie
        .as_ref()
        .map(|c| format!(",\"Set-Cookie\":{}", js(c)))
        .unwrap_or_default();
    vec![(
        format!(
            "{{\"transaction\":{{\"time\":\"{}\",\"transaction_id\":\"Z0cXq9lQ1mYcOaJ8o4d{:08}\",\"remote_address\":\"{}\",\"remote_port\":51211,\"local_address\":\"10.0.0.5\",\"local_port\":443}},\"request\":{{\"request_line\":{},\"headers\":{headers}}},\"response\":{{\"protocol\":\"HTTP/1.1\",\"status\":{},\"headers\":{{\"Content-Type\":\"text/html\"{set_cookie}}}}},\"audit_data\":{{\"messages\":[\"Warning. Matched phrase \\\"/admin\\\" at REQUEST_FILENAME.\"]}}}}",
            clf_time(req).trim_matches(['[', ']']), req.second, req.ip, js(&request_line), req.status
        ),
        ALL,
    )]
}

fn modsecurity_audit(_: &mut Rng, req: &Request) -> Vec<(String, u8)> {
    let id = format!("{:08x}", 0x5b8f_0000u64 + req.second);
    let mut lines = vec![
        (format!("--{id}-A--"), 0),
        (
            format!(
                "{} Z0cXq9lQ1mYcOaJ8o4d{:08} {} 51230 10.0.0.5 443",
                clf_time(req),
                req.second,
                req.ip
            ),
            0,
        ),
        (format!("--{id}-B--"), 0),
        (format!("{} {} HTTP/1.1", req.method, req.target()), REQUEST),
        (format!("Host: {}", req.host), 0),
        (format!("User-Agent: {}", req.user_agent), 0),
    ];
    if let Some(r) = &req.referer {
        lines.push((format!("Referer: {r}"), REFERER));
    }
    for (name, value) in &req.headers {
        lines.push((format!("{name}: {value}"), HEADERS));
    }
    lines.push((String::new(), 0));
    if let Some(body) = &req.body {
        lines.push((format!("--{id}-C--"), 0));
        lines.push((body.clone(), BODY));
    }
    lines.push((format!("--{id}-F--"), 0));
    lines.push((format!("HTTP/1.1 {} OK", req.status), 0));
    lines.push(("Content-Type: text/html; charset=utf-8".into(), 0));
    if let Some(cookie) = &req.set_cookie {
        lines.push((format!("Set-Cookie: {cookie}"), RESPONSE));
    }
    lines.push((String::new(), 0));
    lines.push((format!("--{id}-Z--"), 0));
    lines.push((String::new(), 0));
    lines
}

/// An application's own request log, of no shape logleaks knows: read as text.
fn app_text(_: &mut Rng, req: &Request) -> Vec<(String, u8)> {
    vec![(
        format!(
            "app01 | {} | INFO | {} {} | {} | {}ms | {}",
            iso_time(req),
            req.method,
            req.target(),
            req.status,
            3 + req.second % 400,
            req.ip
        ),
        ALL,
    )]
}

fn syslog(rng: &mut Rng, req: &Request) -> Vec<(String, u8)> {
    let (h, m, s) = hms(req);
    let inner = combined_with(req, encode::nginx);
    let line = if rng.chance(0.5) {
        format!("Nov 27 {h:02}:{m:02}:{s:02} web1 nginx: {inner}")
    } else {
        format!("<190>1 {} web1 nginx - - - {inner}", iso_time(req))
    };
    vec![(line, ALL)]
}

fn cri(_: &mut Rng, req: &Request) -> Vec<(String, u8)> {
    vec![(
        format!(
            "{} stdout F {}",
            iso_time(req),
            combined_with(req, encode::nginx)
        ),
        ALL,
    )]
}

fn docker(_: &mut Rng, req: &Request) -> Vec<(String, u8)> {
    let inner = combined_with(req, encode::nginx);
    vec![(
        format!(
            "{{\"log\":\"{}\\n\",\"stream\":\"stdout\",\"time\":\"{}\"}}",
            encode::json(&inner, false),
            iso_time(req)
        ),
        ALL,
    )]
}
