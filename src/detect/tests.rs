//! Detection tests: every rule's examples, the fast path's exactness, and the decoding layers.

use super::*;

fn detect(line: &str) -> Vec<Detection> {
    detect_as(line, LogType::Raw)
}

fn detect_as(line: &str, log_type: LogType) -> Vec<Detection> {
    let detector = Detector::builtin();
    let mut out = Vec::new();
    detector.scan_line(line.as_bytes(), log_type, &mut out);
    out
}

fn summary(d: &Detection) -> (String, String, Option<String>, String) {
    (
        d.rule.id.to_string(),
        d.field.to_output().into_owned(),
        d.param
            .as_ref()
            .map(|p| String::from_utf8_lossy(p).into_owned()),
        String::from_utf8_lossy(d.secret.expose()).into_owned(),
    )
}

#[test]
fn every_rule_finds_its_examples_and_none_of_its_negative_examples() {
    let detector = Detector::builtin();
    let mut failures = Vec::new();
    for rule in detector.rules() {
        for example in &rule.examples {
            let mut out = Vec::new();
            detector.scan_line(example.as_bytes(), LogType::Raw, &mut out);
            if !out.iter().any(|d| d.rule.id == rule.id) {
                let got: Vec<_> = out.iter().map(|d| d.rule.id).collect();
                failures.push(format!(
                    "{}: example not found (got {got:?}): {example}",
                    rule.id
                ));
            }
        }
        for negative in &rule.negative_examples {
            let mut out = Vec::new();
            detector.scan_line(negative.as_bytes(), LogType::Raw, &mut out);
            if out.iter().any(|d| d.rule.id == rule.id) {
                failures.push(format!("{}: negative example found: {negative}", rule.id));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The fast path must never skip a line the full detector would report, however the credential
/// is encoded: every example stays a candidate when any one of its bytes is percent-encoded, or
/// the whole value is double-encoded.
#[test]
fn fast_path_is_exact_for_encoded_examples() {
    let detector = Detector::builtin();
    for rule in detector.rules() {
        for example in &rule.examples {
            let bytes = example.as_bytes();
            assert!(
                detector.prefilter().is_candidate(bytes),
                "{}: {example}",
                rule.id
            );
            for i in 0..bytes.len() {
                let b = bytes[i];
                if !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'@' | b'=')) {
                    continue;
                }
                for encoded in [
                    format!("%{b:02X}"),
                    format!("%25{b:02X}"),
                    format!("\\x{b:02X}"),
                ] {
                    let mut variant = bytes[..i].to_vec();
                    variant.extend_from_slice(encoded.as_bytes());
                    variant.extend_from_slice(&bytes[i + 1..]);
                    assert!(
                        detector.prefilter().is_candidate(&variant),
                        "{}: byte {i} encoded as {encoded}",
                        rule.id
                    );
                }
            }
        }
    }
}

#[test]
fn query_values_are_decoded_and_columns_point_at_raw_bytes() {
    let line = "GET /x?a=1&api_key=d4d3fd81b6ee7b3bb1c863e2601a7462&b=2 HTTP/1.1";
    let found = detect(line);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].column, line.find("d4d3").unwrap() + 1);
    assert_eq!(summary(&found[0]).2.as_deref(), Some("api_key"));

    // Percent-encoded and double-encoded values are reported decoded, at the raw column.
    let aws = "/b?aws_secret_access_key=8UpFV5AreXQeUXoGcwe91wC9RXGi8VlaKuc1cD%252BX";
    let found = detect(aws);
    assert_eq!(
        summary(&found[0]).3,
        "8UpFV5AreXQeUXoGcwe91wC9RXGi8VlaKuc1cD+X"
    );
    assert_eq!(found[0].column, aws.find("8UpF").unwrap() + 1);
}

#[test]
fn nested_urls_are_followed_to_the_innermost_parameter() {
    let line = "/login?return_to=https%3A%2F%2Fapi.example.com%2Fcb%3Faccess_token%3Dd4d3fd81b6ee7b3bb1c863e2601a7462%26x%3D1";
    let found = detect(line);
    assert_eq!(found.len(), 1, "{found:?}");
    let (rule, _, param, secret) = summary(&found[0]);
    assert_eq!(rule, "generic-credential-param");
    assert_eq!(param.as_deref(), Some("access_token"));
    assert_eq!(secret, "d4d3fd81b6ee7b3bb1c863e2601a7462");
    assert_eq!(found[0].column, line.find("d4d3").unwrap() + 1);
}

#[test]
fn a_key_ends_at_every_delimiter() {
    let key = "AIza-8GGyLXsRPdpluvFVS8h2TS097T84g9UZ-R";
    for line in [
        format!("/m?key={key}&x=1"),
        format!("/m?key={key}\" 200"),
        format!("/m?key={key} HTTP/1.1"),
        format!("/m?key={key}"),
    ] {
        let found = detect(&line);
        assert_eq!(found.len(), 1, "{line}");
        assert_eq!(summary(&found[0]).3, key, "{line}");
    }
}

#[test]
fn one_finding_per_secret_and_the_specific_rule_wins() {
    // The same JWT in the query and the referer of one line; a generic name holds a provider key.
    let jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwiaWF0IjoxNzY0MjM3NjAwLCJleHAiOjE3NjQyNDEyMDB9.UYgeAHJTnJR8rqgxr7Qrn2mz0jcnrS-SYt-3nhpLxG3";
    let line = format!(
        r#"1.2.3.4 - - [27/Nov/2026:10:00:00 +0000] "GET /s?token={jwt} HTTP/1.1" 200 1 "https://a.example/?access_token={jwt}" "ua""#
    );
    let found = detect_as(&line, LogType::Combined);
    assert_eq!(found.len(), 1, "{found:?}");
    let (rule, field, param, _) = summary(&found[0]);
    assert_eq!(
        (rule.as_str(), field.as_str(), param.as_deref()),
        ("jwt", "request.query", Some("token"))
    );
}

#[test]
fn fields_of_a_combined_line() {
    let line = r#"1.2.3.4 - - [27/Nov/2026:10:00:00 +0000] "GET /bot123456:AAE/x;jsessionid=Xk3mP9qLr2sT8vW1yZ4aB6cD HTTP/1.1" 200 1 "https://shop.example/p?api_key=d4d3fd81b6ee7b3bb1c863e2601a7462" "Agent AKIAPK276NZDKYAYQ5S3""#;
    let found: Vec<_> = detect_as(line, LogType::Combined)
        .iter()
        .map(summary)
        .collect();
    let places: Vec<_> = found
        .iter()
        .map(|(r, f, p, _)| (r.as_str(), f.as_str(), p.as_deref()))
        .collect();
    assert!(
        places.contains(&("generic-credential-param", "referer", Some("api_key"))),
        "{places:?}"
    );
    assert!(
        places.contains(&("aws-access-key-id", "header.user-agent", None)),
        "{places:?}"
    );
}

#[test]
fn userinfo_passwords_are_decoded() {
    let line = "GET http://deploy:s3cr%40tPassw0rd@shop.example/export HTTP/1.1";
    let found = detect(line);
    assert_eq!(found.len(), 1, "{found:?}");
    let (rule, field, _, secret) = summary(&found[0]);
    assert_eq!(
        (rule.as_str(), field.as_str(), secret.as_str()),
        ("url-userinfo-password", "userinfo", "s3cr@tPassw0rd")
    );
    assert_eq!(found[0].column, line.find("s3cr").unwrap() + 1);
}

#[test]
fn decoys_are_not_reported() {
    for line in [
        "/p?gclid=Cj0KCQiA4NWrBhD-ARIsAFCKwWsX9xq2bPZ7q8vL0Yj3TlH0aZk1mN2oP3qR4sT5uV6wX7yZ8&utm_source=google",
        "/static/app.js?v=3f9a1c2e7b4d8f60a1b2c3d4e5f60718",
        "/api/items?_=1764237600123&page_token=CAUQAA2kZXJ0eXVpb3BsazEyMzQ1Njc4OTA",
        "/oauth/callback?code=4/0AfJohXk3mP9qLr2sT8vW1yZ4aB6cD&state=Xk3mP9qLr2sT8vW1yZ4aB6cD",
        "/x?id=550e8400-e29b-41d4-a716-446655440000&request_id=550e8400-e29b-41d4-a716-446655440000",
        "/x?token=[FILTERED]&password=REDACTED&sendkey=__HIDDEN__&secret=***",
        "/search?q=how+to+rotate+an+api+key+safely&key=value",
        "/checkout?key=pk_live_gwLdKgs7kvJWJgQKPiIZ8CQg&session_id=cs_live_a1B2c3D4e5F6g7H8i9J0",
        "Nov 27 10:00:00 host sudo: alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/ls",
    ] {
        let found = detect(line);
        assert!(found.is_empty(), "{line}: {:?}", found.iter().map(summary).collect::<Vec<_>>());
    }
}

#[test]
fn log_escapes_are_decoded() {
    // nginx writes a `"` inside the request as \x22.
    let line = r#"GET /x?q=\x22a\x22&token=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\x22 HTTP/1.1"#;
    let found = detect(line);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        summary(&found[0]).3,
        "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"
    );
}

#[test]
fn hostile_lines_terminate() {
    let deep = "%25".repeat(100_000);
    assert!(detect(&format!("/x?token={deep}")).is_empty());
    let nested = "x%3D".repeat(10_000);
    assert!(detect(&format!("/x?a={nested}")).is_empty());
    let many = "a=b&".repeat(50_000);
    assert!(detect(&format!("/x?{many}key=1")).is_empty());
}

#[test]
fn nested_values_keep_their_own_encoding_until_their_level() {
    // A `+` in the nested value is encoded twice (%252B): it is a plus, not a space.
    let line = "/login?return_to=https%3A%2F%2Fapi.example.com%2Fcb%3Faws_secret_access_key%3D8UpFV5AreXQeUXoGcwe91wC9RXGi8VlaKuc1cD%252BX";
    let found = detect(line);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        summary(&found[0]).3,
        "8UpFV5AreXQeUXoGcwe91wC9RXGi8VlaKuc1cD+X"
    );
    // A password with `#` nested the same way.
    let line =
        "/go?next=https%3A%2F%2Fa.example%2Flogin%3Fuser%3Dbob%26password%3DExample%25238583";
    let found = detect(line);
    assert_eq!(summary(&found[0]).3, "Example#8583", "{found:?}");
}

#[test]
fn encoding_bytes_never_become_part_of_a_raw_match() {
    // The raw line holds `%3Dglpat-…`; a rule allowing an instance prefix must not report
    // `3Dglpat-…` beside the decoded token.
    let line =
        "/login?next=https%3A%2F%2Fgit.example%2Fapi%3Fprivate_token%3Dglpat-eNJYiieK67vztoxQABiL";
    let found = detect(line);
    assert_eq!(
        found.len(),
        1,
        "{:?}",
        found.iter().map(summary).collect::<Vec<_>>()
    );
    assert_eq!(summary(&found[0]).3, "glpat-eNJYiieK67vztoxQABiL");
}

#[test]
fn browser_used_google_keys_are_one_severity_lower_with_a_note() {
    let key = "AIza-8GGyLXsRPdpluvFVS8h2TS097T84g9UZ-R";
    let line = |target: &str, referer: &str| {
        format!(
            r#"1.2.3.4 - - [27/Nov/2026:10:00:00 +0000] "GET {target} HTTP/1.1" 200 1 "{referer}" "ua""#
        )
    };
    let severity = |l: &str| {
        let found = detect_as(l, LogType::Combined);
        assert_eq!(found.len(), 1, "{l}");
        (found[0].severity, found[0].details.note.is_some())
    };
    let rule_severity = crate::rules::builtin()
        .iter()
        .find(|r| r.id == "google-api-key")
        .unwrap()
        .severity;
    assert_eq!(
        severity(&line(&format!("/api/geocode?key={key}"), "-")),
        (rule_severity, false)
    );
    assert_eq!(
        severity(&line(
            &format!("/maps/api/js?key={key}&libraries=places"),
            "-"
        )),
        (rule_severity.lowered(), true)
    );
    assert_eq!(
        severity(&line(
            "/img/a.png",
            &format!("https://shop.example/store?key={key}")
        )),
        (rule_severity.lowered(), true)
    );
}

#[test]
fn a_signed_url_is_one_finding_with_its_key_facts_and_expiry() {
    let combined = |target: &str| {
        format!(
            r#"198.51.100.9 - - [27/Nov/2026:10:00:00 +0000] "GET {target} HTTP/1.1" 200 5 "-" "curl/8.4.0""#
        )
    };
    let url = "/o/a.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA24UPIT7CILITYUJ2%2F20261127%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Date=20261127T095500Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=5e1561f401e8f11f75c848d4e793834a2f52201978ae8702a3ff95d7833a1912";
    let found = detect_as(&combined(url), LogType::Combined);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].rule.id, "aws-presigned-url-signature");
    assert_eq!(
        found[0].details.aws_key_type,
        Some("long_term_access_key"),
        "{found:?}"
    );
    assert!(found[0].details.aws_account_id.is_some(), "{found:?}");
    assert_eq!(
        found[0].details.expires_at.as_deref(),
        Some("2026-11-27T10:55:00Z")
    );
    // With a session token, the token is what leaked; nested, the same.
    let with_token = url.replace(
        "&X-Amz-Signature",
        "&X-Amz-Security-Token=IQoJb3JpZ2luX2VjEDDR7PBReiJ5RdzzRTbaIuykwK1KtGqNQhYieKBgXw926GpLJvA0nw4v1ooZJ9tWS3P90mHsnBSlEx91ES5y9y8F4awWEa5xsrBUI&X-Amz-Signature",
    );
    let nested = format!(
        "/dl?url={}",
        with_token
            .replace('%', "%25")
            .replace('&', "%26")
            .replace('=', "%3D")
            .replace('?', "%3F")
    );
    for target in [with_token.as_str(), nested.as_str()] {
        let found = detect_as(&combined(target), LogType::Combined);
        assert_eq!(found.len(), 1, "{target}: {found:?}");
        assert_eq!(found[0].rule.id, "aws-session-token");
        assert_eq!(
            found[0].details.expires_at.as_deref(),
            Some("2026-11-27T10:55:00Z")
        );
    }
    // An Azure SAS expires at `se`.
    let sas = "/b/x.csv?sv=2022-11-02&sp=r&se=2026-11-27T11%3A00%3A00Z&sig=5%2BLWma3iXPC4FmEmiOq6%2BWkdNxK3OU9cFbe5hC9h188%3D";
    let found = detect_as(&combined(sas), LogType::Combined);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].details.expires_at.as_deref(),
        Some("2026-11-27T11:00:00Z")
    );
}

#[test]
fn html_character_references_are_decoded() {
    let line = r#"198.51.100.9 - - [27/Nov/2026:10:00:00 +0000] "GET /x?a=1&amp;aws_secret_access_key=8UpFV5AreXQeUXoGcwe91wC9RXGi&#43;VlaKuc1cD&#x2F;X&amp;b=2 HTTP/1.1" 200 5 "-" "-""#;
    let found = detect_as(line, LogType::Combined);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        summary(&found[0]).3,
        "8UpFV5AreXQeUXoGcwe91wC9RXGi+VlaKuc1cD/X"
    );
}

#[test]
fn a_token_with_a_wrong_checksum_is_not_reported_by_any_rule() {
    // The last six characters of these are not the CRC32 of the others.
    for token in [
        "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
        "npm_U1duyZKwdEf4eqTwiJfQ782y2JV76FuY8OTN",
    ] {
        assert!(detect(&format!("/x?token={token}")).is_empty(), "{token}");
    }
}

/// The raw bytes of each place a detection's secret was seen.
fn raw_spans<'a>(line: &'a str, d: &Detection) -> Vec<&'a str> {
    d.spans.iter().map(|s| &line[s.clone()]).collect()
}

#[test]
fn spans_cover_the_raw_bytes_of_every_place_a_secret_was_seen() {
    // Percent-encoded, doubly encoded, and escaped at the end of the value.
    let line = "GET /l?password=Blue-Heron-42%21&x=1 HTTP/1.1";
    let found = detect(line);
    assert_eq!(raw_spans(line, &found[0]), ["Blue-Heron-42%21"]);
    let line = "GET /l?password=Blue-Heron-42%2521&x=1 HTTP/1.1";
    assert_eq!(raw_spans(line, &detect(line)[0]), ["Blue-Heron-42%2521"]);
    // Repeated in request and upstream of an nginx error line: both places.
    let line = "2026/11/27 10:02:40 [error] 21#21: *1 x, client: 1.2.3.4, server: s, request: \"GET /p?stripe_key=sk_live_5iQdDMSXECgD8osSNoWbJhlg HTTP/1.1\", upstream: \"http://10.0.0.1/p?stripe_key=sk_live_5iQdDMSXECgD8osSNoWbJhlg\", host: \"s\"";
    let found = detect_as(line, LogType::NginxError);
    assert_eq!(found.len(), 1);
    assert_eq!(
        raw_spans(line, &found[0]),
        [
            "sk_live_5iQdDMSXECgD8osSNoWbJhlg",
            "sk_live_5iQdDMSXECgD8osSNoWbJhlg"
        ]
    );
    assert_eq!(found[0].column, found[0].spans[0].start + 1);
}

#[test]
fn raw_escape_lengths() {
    assert_eq!(raw_escape_len(b"a%21b", 1), 3);
    assert_eq!(raw_escape_len(b"%2521", 0), 5);
    assert_eq!(raw_escape_len(b"%252521", 0), 7);
    assert_eq!(raw_escape_len(b"%25", 0), 3);
    assert_eq!(raw_escape_len(b"%zz", 0), 1);
    assert_eq!(raw_escape_len(br"\x22", 0), 4);
    assert_eq!(raw_escape_len(br"\u0026", 0), 6);
    assert_eq!(raw_escape_len(br"\ud83d\ude00", 0), 12);
    assert_eq!(raw_escape_len(br#"\""#, 0), 2);
    assert_eq!(raw_escape_len(b"+", 0), 1);
    assert_eq!(raw_escape_len(b"a", 5), 1);
}

#[test]
fn a_token_issued_url_encoded_is_one_secret_however_it_was_logged() {
    let issued = "AAAAAAAAAAAAAAAAAAAAAzluIl9KJ4ZAAAAAAAp62y7q%2BmVXiXverZi2jj0%3DcMlbkTFzrZtJBOj9CAe13ms1NJGt7unWbDdtB66pT2mCYVyKpi";
    let in_query = issued.replace('%', "%25");
    let header = format!(
        r#"10.0.4.4 - - [27/Nov/2026:10:00:00 +0000] "GET /2/tweets HTTP/1.1" 200 3 "-" "curl/8" "Authorization: Bearer {issued}""#
    );
    let query = format!(
        r#"10.0.4.4 - - [27/Nov/2026:10:00:00 +0000] "GET /2/tweets?bearer_token={in_query} HTTP/1.1" 200 3 "-" "curl/8""#
    );
    for line in [header, query] {
        let found = detect_as(&line, LogType::Combined);
        let twitter: Vec<_> = found
            .iter()
            .filter(|d| d.rule.id == "twitter-bearer-token")
            .collect();
        assert_eq!(
            twitter.len(),
            1,
            "{line}: {:?}",
            found.iter().map(summary).collect::<Vec<_>>()
        );
        assert_eq!(twitter[0].secret.expose(), issued.as_bytes(), "{line}");
        // Redaction still covers the token as the line writes it.
        let span = &twitter[0].spans[0];
        let written = &line[span.clone()];
        assert!(
            written.starts_with("AAAAAAAAAAAAAAAAAAAAAzluIl9KJ4Z"),
            "{written}"
        );
        assert!(written.ends_with("yKpi"), "{written}");
    }
    assert_eq!(checks::url_encoded_form(b"abc"), None);
    assert_eq!(
        checks::url_encoded_form(b"a+b=c/d").as_deref(),
        Some(&b"a%2Bb%3Dc%2Fd"[..])
    );
}

#[test]
fn a_value_in_free_text_ends_before_the_colon_of_a_cgi_script_suffix() {
    let line = "[Thu Nov 27 10:00:00.123456 2026] [cgi:error] [pid 42] [client 203.0.113.7:51234] AH01215: fetch https://api.example.com/sync?a=1&secret=Zk3v9QpL2xWm7RtY4bNc8HdF6jGs1aEu: /usr/lib/cgi-bin/sync.cgi";
    let found = detect_as(line, LogType::ApacheError);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(summary(&found[0]).3, "Zk3v9QpL2xWm7RtY4bNc8HdF6jGs1aEu");
    // A colon inside the value stays part of it.
    let found = detect("note: secret=Zk3v9QpL2x:Wm7RtY4bNc8HdF6jGs1aEu done");
    assert_eq!(summary(&found[0]).3, "Zk3v9QpL2x:Wm7RtY4bNc8HdF6jGs1aEu");
}

#[test]
fn input_names_are_masked_where_they_hold_a_credential() {
    let detector = Detector::builtin();
    let masked = |name: &str| {
        detector
            .mask_name(name.as_bytes())
            .map(|m| String::from_utf8_lossy(&m).into_owned())
    };
    // A presigned URL saved as a file name, or given as --stdin-name.
    let presigned = "exports/q3.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA24UPIT7CILITYUJ2%2F20261127%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Signature=4d32feb3e719e01fcd3fe22a4248ac9ed336de7daecd3ada8b4f2222d3b41a3d";
    let shown = masked(presigned).expect("masked");
    assert!(shown.starts_with("exports/q3.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential="));
    assert!(!shown.contains("4d32feb3e719e01f"), "{shown}");
    assert!(!shown.contains("AKIA24UPIT7CILITYUJ2"), "{shown}");
    assert!(shown.contains("&X-Amz-Signature=…"), "{shown}");
    // A token in a file or object name.
    let named = "s3://logs/dump-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.log";
    assert_eq!(
        masked(named).as_deref(),
        Some("s3://logs/dump-ghp_…yccg.log")
    );
    // Names of logs hold none.
    for name in [
        "/var/log/nginx/access.log.2.gz",
        "s3://logs/AWSLogs/123456789012/elasticloadbalancing/eu-west-1/2026/11/27/123456789012_elasticloadbalancing_eu-west-1_app.shop.490d68edf04676fe_20261127T1000Z_192.0.2.10_4x2b9kqe.log.gz",
        "cf/E2K2LNL5N3WR51.2026-11-20-11.a1b2c3d4.gz",
        "bundle.tgz!var/log/nginx/access.log",
        "-",
    ] {
        assert_eq!(masked(name), None, "{name}");
    }
}

/// The pattern rules the block search chooses for a candidate line (from the keywords it
/// confirmed there) find what the rules chosen from the line's bytes find: for every example and
/// negative example, alone, glued to a word before it, and in a line with other keywords.
#[test]
fn rules_chosen_by_the_block_search_find_what_the_line_holds() {
    // A configured rule whose keyword is `@`, which no multi-literal search holds.
    let mail = r#"
[[rules]]
id = "acme-mail-password"
description = "ACME mail password"
regex = 'mx[0-9]@acmepw_[0-9a-f]{24}'
keywords = ["@"]
kind = "password"
severity = "high"
examples = ["/x?k=mx1@acmepw_0123456789abcdef01234567"]
references = ["https://wiki.acme.example/mail"]
"#;
    let custom = crate::rules::parse_rule_file("acme.toml", mail, true).expect("the rule parses");
    let custom: &'static [crate::rules::Rule] = Box::leak(custom.into_boxed_slice());
    let detector = Detector::new(crate::rules::builtin().iter().chain(custom).collect());
    let prefilter = detector.prefilter();
    let mut lines: Vec<String> = Vec::new();
    for rule in detector.rules() {
        for example in rule.examples.iter().chain(&rule.negative_examples) {
            lines.push(example.clone());
            lines.push(format!("compatible{example}"));
            lines.push(format!(
                "GET /x?token=abc&pat=1 HTTP/1.1 {example} \"Mozilla/5.0 (compatible; X)\" user@host"
            ));
        }
    }
    let mut hinted_lines = 0;
    for line in &lines {
        let bytes = line.as_bytes();
        let mut lower = Vec::new();
        lowercase_into(bytes, &mut lower);
        let mut candidates = prefilter.candidates(bytes, &lower);
        if candidates.next_from(0).is_none() {
            continue;
        }
        let mut rules = Vec::new();
        assert!(candidates.line_rules(0, bytes.len(), &mut rules), "{line}");
        hinted_lines += 1;
        let record = Record::raw(bytes);
        let (mut chosen_here, mut chosen_by_search) = (Vec::new(), Vec::new());
        detector.scan_record(bytes, &record, None, &mut chosen_here);
        detector.scan_record_with(bytes, &record, None, Some(&rules), &mut chosen_by_search);
        assert_eq!(
            chosen_here.iter().map(summary).collect::<Vec<_>>(),
            chosen_by_search.iter().map(summary).collect::<Vec<_>>(),
            "{line}"
        );
    }
    assert!(hinted_lines > detector.rules().len());
}
