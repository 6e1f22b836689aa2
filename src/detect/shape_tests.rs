//! Detection tests for credentials recognised by what they are rather than by one spelling:
//! sessions by their structure under any cookie name, names as applications write them, JOSE
//! headers that name a JWT, and values however a server or script encoded or quoted them.

use proptest::prelude::*;

use super::*;

fn detect_as(line: &str, log_type: LogType) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    Detector::builtin().scan_line(line.as_bytes(), log_type, &mut out);
    out.iter()
        .map(|d| {
            (
                d.rule.id.to_string(),
                d.param
                    .as_deref()
                    .map(|p| String::from_utf8_lossy(p).into_owned())
                    .unwrap_or_default(),
                String::from_utf8_lossy(d.secret.expose()).into_owned(),
            )
        })
        .collect()
}

/// Every byte of `value` as `%XX`, in upper or lower hex.
fn percent_every_byte(value: &str, upper: bool) -> String {
    value
        .bytes()
        .map(|b| {
            if upper {
                format!("%{b:02X}")
            } else {
                format!("%{b:02x}")
            }
        })
        .collect()
}

fn base64url(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn base64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[test]
fn a_path_parameter_ends_where_the_query_starts_on_a_line_of_unknown_shape() {
    let id = "58CA68326F463972C982D1CFD332A36E";
    for line in [
        format!(
            "app01 | 27.11.2026 10:00:00 | GET /shop/cart.do;jsessionid={id}?item=42&qty=1 | 200"
        ),
        format!("app01 | GET /shop/cart.do;jsessionid={id}#top"),
        format!("app01 | GET /shop/cart.do;jsessionid={id}"),
    ] {
        assert_eq!(
            detect_as(&line, LogType::Raw),
            [("java-session-id".into(), "jsessionid".into(), id.into())],
            "{line}"
        );
    }
}

#[test]
fn a_value_in_a_message_ends_before_a_colon_and_a_blank() {
    // Apache's CGI stderr lines end `: /path/to/script`; the script printed its query string.
    let sig = "pxK1SPJ5wHHpBtsoGmt4M/l/zotUFAoUK9PEYT688Gc=";
    let line = format!(
        "[Thu Nov 27 10:00:00.123456 2026] [cgi:error] [pid 1201:tid 140301] [client 198.51.100.4:51234] AH01215: DEBUG QUERY_STRING: sv=2022-11-02&sp=r&se=2026-11-28T00:00:00Z&sig={}: /usr/lib/cgi-bin/export.cgi",
        sig.replace('/', "%2F").replace('=', "%3D")
    );
    assert_eq!(
        detect_as(&line, LogType::ApacheError),
        [("azure-sas-signature".into(), "sig".into(), sig.into())]
    );
    assert_eq!(
        detect_as(&line, LogType::Raw),
        [("azure-sas-signature".into(), "sig".into(), sig.into())]
    );
}

#[test]
fn an_encoded_url_path_quoted_in_a_message_is_decoded() {
    let token = "7830643228:AAKS4ZKLFw-jzQ0xmY2ScSy_5EgNg0SMSxk";
    let line = format!(
        "[Thu Nov 27 10:00:00.123456 2026] [php:warn] [pid 1203:tid 140309] [client 198.51.100.4:51234] PHP Warning:  file_get_contents(https://api.telegram.org/bot{}/sendMessage?chat_id=-100123&text=hi): Failed to open stream: HTTP request failed! in /var/www/bot/notify.php on line 17",
        token.replace(':', "%3A")
    );
    for log_type in [LogType::ApacheError, LogType::Raw] {
        assert_eq!(
            detect_as(&line, log_type),
            [("telegram-bot-token".into(), String::new(), token.into())]
        );
    }
}

#[test]
fn names_are_read_as_applications_write_them() {
    let key = "rmZDbDqtELn9ovc0Hs98YGpB7gt180MooFbK1BG3";
    for name in [
        "aToken",
        "authToken",
        "apiKey",
        "accessToken",
        "clientSecret",
        "X-Api-Key",
        "Api-Key",
        "x_auth_token",
        "myAppAccessToken",
    ] {
        let line = format!("GET /v1/items?{name}={key}&page=2 HTTP/1.1");
        assert_eq!(
            detect_as(&line, LogType::Raw),
            [(
                "generic-credential-param".into(),
                name.to_string(),
                key.into()
            )],
            "{name}"
        );
    }
    // Names a camelCase split makes no more credential-like than they were.
    for name in [
        "pageToken",
        "nextPageToken",
        "csrfToken",
        "publicKey",
        "siteKey",
    ] {
        let line = format!("GET /v1/items?{name}={key} HTTP/1.1");
        assert!(detect_as(&line, LogType::Raw).is_empty(), "{name}");
    }
}

#[test]
fn logged_request_headers_are_names_like_any_other() {
    let key = "7fK2pQ9xLm4RtY8vBn3JcW6zHd1Gs5Ae";
    for header in ["X-Api-Key", "X-Auth-Token", "Api-Key"] {
        let nginx =
            format!("2026/11/27 10:00:00 [debug] 21#21: *1001 http header: \"{header}: {key}\"");
        let json = format!(
            "{{\"time_local\":\"27/Nov/2026:10:00:00 +0000\",\"request\":\"GET /v1/items HTTP/1.1\",\"status\":\"200\",\"http_{}\":\"{key}\"}}",
            header.to_ascii_lowercase().replace('-', "_")
        );
        for (line, log_type) in [(nginx, LogType::NginxError), (json, LogType::Json)] {
            let found = detect_as(&line, log_type);
            assert_eq!(found.len(), 1, "{line}: {found:?}");
            assert_eq!(
                (found[0].0.as_str(), found[0].2.as_str()),
                ("generic-credential-param", key),
                "{line}"
            );
        }
    }
}

#[test]
fn long_random_letters_are_a_key_only_under_a_name_that_only_holds_keys() {
    let letters = "qhwzkvtrmbxlejnfdpsgyucaoitzvm";
    for name in ["api_key", "apiKey", "client_secret", "access_token"] {
        let line = format!("GET /v1/forecast?city=Berlin&{name}={letters} HTTP/1.1");
        assert_eq!(
            detect_as(&line, LogType::Raw),
            [(
                "generic-credential-param".into(),
                name.to_string(),
                letters.into()
            )],
            "{name}"
        );
    }
    for line in [
        format!("GET /v1/forecast?key={letters} HTTP/1.1"),
        format!("GET /v1/forecast?token={letters} HTTP/1.1"),
        "GET /v1/forecast?api_key=shortletters HTTP/1.1".to_string(),
        "GET /v1/forecast?api_key=insertyourownapikeyhere HTTP/1.1".to_string(),
    ] {
        assert!(detect_as(&line, LogType::Raw).is_empty(), "{line}");
    }
}

#[test]
fn sessions_in_set_cookie_headers_are_found() {
    let joomla =
        "Set-Cookie: 80ac04c605ed2d8f598271fc0ed9adb9=rvk2c48qrf2nqj1h7hr6acqhp8; path=/; HttpOnly";
    let line = format!("2026/11/27 10:00:00 [debug] 21#21: *1001 http header: \"{joomla}\"");
    assert_eq!(
        detect_as(&line, LogType::NginxError),
        [(
            "php-hash-named-session".into(),
            "80ac04c605ed2d8f598271fc0ed9adb9".into(),
            "rvk2c48qrf2nqj1h7hr6acqhp8".into()
        )]
    );
    // Joomla's anti-CSRF form token is a 32-hex name too, with the value 1.
    let csrf = "POST /administrator/index.php?option=com_login&80ac04c605ed2d8f598271fc0ed9adb9=1 HTTP/1.1";
    assert!(detect_as(csrf, LogType::Raw).is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// A signed URL's signature is found, and reported decoded, however many of its bytes were
    /// percent-encoded and in whichever hex case.
    #[test]
    fn signatures_are_found_however_they_were_percent_encoded(
        amz in "[0-9a-f]{64}",
        goog in "[0-9a-f]{256}",
        sas in proptest::collection::vec(any::<u8>(), 32),
        mask in proptest::collection::vec(any::<bool>(), 64),
        upper in any::<bool>(),
        all in any::<bool>(),
    ) {
        let encode = |value: &str| -> String {
            if all {
                return percent_every_byte(value, upper);
            }
            value
                .chars()
                .zip(mask.iter().cycle())
                .map(|(c, &enc)| {
                    if enc || matches!(c, '+' | '/' | '=') {
                        percent_every_byte(&c.to_string(), upper)
                    } else {
                        c.to_string()
                    }
                })
                .collect()
        };
        let sas = base64(&sas);
        for (rule, param, secret, line) in [
            ("aws-presigned-url-signature", "X-Amz-Signature", amz.clone(), format!(
                "GET /exports/a.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20261127T100000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature={} HTTP/1.1",
                encode(&amz)
            )),
            ("gcs-signed-url-signature", "X-Goog-Signature", goog.clone(), format!(
                "GET /b/o.csv?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Date=20261127T100000Z&X-Goog-Expires=900&X-Goog-SignedHeaders=host&X-Goog-Signature={} HTTP/1.1",
                encode(&goog)
            )),
            ("azure-sas-signature", "sig", sas.clone(), format!(
                "GET /exports/daily.csv?sv=2022-11-02&sp=r&se=2026-12-01T00:00:00Z&sig={} HTTP/1.1",
                encode(&sas)
            )),
        ] {
            let found = detect_as(&line, LogType::Raw);
            prop_assert_eq!(found, vec![(rule.to_string(), param.to_string(), secret)]);
        }
    }

    /// A token whose JOSE header says `"typ":"JWT"` is a JWT under any name, whatever its payload
    /// (a number, bytes); without that header and without JSON claims it is not.
    #[test]
    fn a_jose_header_that_names_a_jwt_makes_a_jwt(
        number in 1u64..u64::MAX,
        signature in "[A-Za-z0-9_-]{43}",
        name in "[a-z]{1,6}[A-Z][a-z]{2,8}",
        header_json in prop_oneof![
            Just(r#"{"typ":"JWT","alg":"HS256"}"#),
            Just(r#"{"alg":"HS512","typ":"JWT"}"#),
            Just(r#"{"typ":"at+jwt","alg":"RS256","kid":"k1"}"#),
        ],
    ) {
        let token = format!(
            "{}.{}.{signature}",
            base64url(header_json.as_bytes()),
            base64url(number.to_string().as_bytes())
        );
        let line = format!("GET /api/v1/feed?{name}={token}&page=2 HTTP/1.1");
        prop_assert_eq!(
            detect_as(&line, LogType::Raw),
            vec![("jwt".to_string(), name.clone(), token.clone())]
        );
        let untyped = format!(
            "{}.{}.{signature}",
            base64url(br#"{"alg":"HS256"}"#),
            base64url(number.to_string().as_bytes())
        );
        let line = format!("GET /api/v1/feed?ref={untyped} HTTP/1.1");
        prop_assert!(detect_as(&line, LogType::Raw).is_empty());
    }

    /// An express-session cookie is a session under whatever name the app gave it, in a logged
    /// `Cookie` header, in text, percent-encoded or not.
    #[test]
    fn an_express_signed_cookie_is_a_session_under_any_name(
        name in "[a-z][a-z0-9._-]{0,20}",
        id in "[A-Za-z0-9_-]{32}",
        hmac in proptest::collection::vec(any::<u8>(), 32),
        encoded in any::<bool>(),
    ) {
        let hmac = base64(&hmac);
        let hmac = hmac.trim_end_matches('=');
        let secret = format!("s:{id}.{hmac}");
        let value = if encoded {
            secret.replace(':', "%3A").replace('/', "%2F").replace('+', "%2B")
        } else {
            secret.clone()
        };
        for (line, log_type) in [
            (
                format!("2026/11/27 10:00:00 [debug] 21#21: *1001 http header: \"Cookie: theme=dark; {name}={value}\""),
                LogType::NginxError,
            ),
            (
                // Text is read as a query string, where `+` is a space: loggers write cookies
                // as the browser sent them, percent-encoded.
                format!(
                    "2026-11-27T10:00:00Z info GET /admin 200 cookie=\"{name}={}; lang=en\"",
                    secret.replace(':', "%3A").replace('/', "%2F").replace('+', "%2B")
                ),
                LogType::Raw,
            ),
        ] {
            prop_assert_eq!(
                detect_as(&line, log_type),
                vec![("express-session-cookie".to_string(), name.clone(), secret.clone())],
                "{}", line
            );
        }
    }
}

#[test]
fn structures_are_high_confidence_and_names_medium() {
    use crate::finding::Confidence;
    let cases = [
        (
            "\"Cookie: mongo-express=s%3ALkcN2WTqyI4bC6dnk_1c3ThAeVwBUVKO.K%2FJa9%2BVTXVulZDoqMtoTjY%2BpN72TnOhvhEw2Pfx5qEg\"",
            Confidence::High,
        ),
        (
            "/api/v1/feed?aToken=eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.NDgyMTM5Nzc.575yx8xm5MslfY5ubiheyEd7P4zDL_ak6J0kGODKdin",
            Confidence::High,
        ),
        (
            "/exports/a.csv?X-Amz-Expires=3600&X-Amz-Signature=%34%64%33%32feb3e719e01fcd3fe22a4248ac9ed336de7daecd3ada8b4f2222d3b41a3d",
            Confidence::High,
        ),
        (
            "/v1/forecast?api_key=qhwzkvtrmbxlejnfdpsgyucaoitzvm",
            Confidence::Medium,
        ),
        (
            "Set-Cookie: 80ac04c605ed2d8f598271fc0ed9adb9=rvk2c48qrf2nqj1h7hr6acqhp8; path=/",
            Confidence::Medium,
        ),
    ];
    for (line, want) in cases {
        let mut out = Vec::new();
        Detector::builtin().scan_line(line.as_bytes(), LogType::Raw, &mut out);
        assert_eq!(out.len(), 1, "{line}");
        assert_eq!(out[0].confidence, want, "{line}");
    }
}

#[test]
fn an_encoded_request_path_on_a_line_of_unknown_shape_is_decoded() {
    let token = "xapp-1-AO22XRV8C29-5941115109549-3694d1b428f3e50e86c2c5f2ca9635310f88053fc3fcdceab11b9d49fc08fbf5";
    let encoded = token.replace('-', "%2D").replacen('a', "%61", 1);
    let line = format!(
        "app01 | 2026-11-27T10:00:12.012Z | INFO | POST /v2/auth/{encoded}/refresh?lang=en | 302 | 15ms"
    );
    assert_eq!(
        detect_as(&line, LogType::Raw),
        [("slack-app-token".into(), String::new(), token.into())]
    );
}

#[test]
fn an_html_character_reference_after_a_semicolon_is_not_a_fragment() {
    let hook = "hooks.slack.com/workflows/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";
    let line = format!(
        "app01 | GET /login?format=desc&amp;webhook=https&#x3A;&#47;&#47;{} | 302",
        hook.replace('/', "&#x2F;")
    );
    let found = detect_as(&line, LogType::Raw);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].0.as_str(), found[0].2.as_str()),
        ("slack-workflow-webhook", hook)
    );
}

#[test]
fn an_encoded_connection_string_in_text_is_one_value() {
    let key =
        "aVZrlLdIDDijRyAeGMBpRNnhXGSBKwZQMHJPO7aDNYj795CeyaqHkAh07VRxPEvifP5O4ZUl9f4O7598mjNY5w==";
    let line = format!(
        "app01 | INFO | GET /api/v2/inventory?sort=asc&cs=DefaultEndpointsProtocol%3Dhttps;AccountName%3Dshop21;AccountKey%3D{};EndpointSuffix%3Dcore.windows.net | 200",
        key.replace('=', "%3D")
    );
    let found = detect_as(&line, LogType::Raw);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].0.as_str(), found[0].2.as_str()),
        ("azure-storage-connection-string", key)
    );
    // A plain `;` still ends a value in text.
    let cookies = "cookie: theme=dark;api_key=d4d3fd81b6ee7b3bb1c863e2601a7462";
    assert_eq!(
        detect_as(cookies, LogType::Raw)[0].2,
        "d4d3fd81b6ee7b3bb1c863e2601a7462"
    );
}
