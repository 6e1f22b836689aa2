//! Findings name the request they belong to: `path` (without the query) and `host` where the
//! format logs them, in JSON, JSONL and SARIF, with every secret found in the line masked inside
//! `path` unless `--show-secrets` (SPEC "Request location").

mod common;

use std::path::Path;

use common::*;

const TELEGRAM: &str = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw9";
const JSESSIONID: &str = "8F2A9C1D3B4E5F60718293A4B5C6D7E8";
const ASPNET: &str = "q0nkmsaccnnkiftx4fz1fwos";
const SLACK: &str = "TY9QUWHR7PE/BCORUGRTPN2/QCHbMVqeXyhVbsFW85ZTCBY7";
const STRIPE: &str = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";

fn combined(target: &str) -> String {
    format!(
        "203.0.113.7 - - [27/Nov/2026:10:00:00 +0000] \"GET {target} HTTP/1.1\" 200 512 \"-\" \"curl/8.5.0\"\n"
    )
}

/// A log whose lines each hold one secret, most of them inside the request path.
fn write_log(dir: &Path) -> std::path::PathBuf {
    let mut log = String::new();
    log.push_str(&combined(&format!("/bot{TELEGRAM}/sendMessage?chat_id=42")));
    log.push_str(&combined(&format!(
        "/app/cart;jsessionid={JSESSIONID}?item=3"
    )));
    log.push_str(&combined(&format!("/(S({ASPNET}))/orders/default.aspx")));
    log.push_str(&combined(&format!(
        "https://hooks.slack.com/services/{SLACK}"
    )));
    log.push_str(&format!(
        "2026/11/27 10:02:40 [error] 21#21: *3360 upstream timed out, client: 203.0.113.9, server: shop, request: \"GET /pay?stripe_key={STRIPE} HTTP/1.1\", upstream: \"http://10.0.4.17:8080/pay\", host: \"shop.example\"\n"
    ));
    write(dir, "mixed.log", log)
}

/// (line, path, host) of every finding of a scan.
fn locations(findings: &[serde_json::Value]) -> Vec<(u64, String, String)> {
    let mut found: Vec<(u64, String, String)> = findings
        .iter()
        .map(|f| {
            (
                n(f, "line"),
                f["path"].as_str().unwrap_or("<none>").to_string(),
                f["host"].as_str().unwrap_or("<none>").to_string(),
            )
        })
        .collect();
    found.sort();
    found
}

#[test]
fn findings_carry_the_request_path_and_host_with_secrets_masked() {
    let dir = tempdir();
    let log = write_log(dir.path());
    let log = log.to_str().unwrap();
    let run = scan(["--format", "jsonl", log]);
    run.assert_code(1);
    let found = locations(&run.findings());
    let expected: Vec<(u64, String, String)> = vec![
        (1, "/bot…saw9/sendMessage".into(), "<none>".into()),
        (2, "/app/cart;jsessionid=…D7E8".into(), "<none>".into()),
        (3, "/(S(…fwos))/orders/default.aspx".into(), "<none>".into()),
        (4, "/services/…CBY7".into(), "hooks.slack.com".into()),
        (5, "/pay".into(), "shop.example".into()),
    ];
    assert_eq!(found, expected, "{}", run.out());
    // `json` says the same.
    let json: Vec<serde_json::Value> =
        serde_json::from_slice(&scan(["--format", "json", log]).stdout).unwrap();
    assert_eq!(locations(&json), expected);

    // --show-secrets shows the path as logged.
    let shown = scan_shown([log]);
    let shown = locations(&shown.findings());
    assert_eq!(shown[0].1, format!("/bot{TELEGRAM}/sendMessage"));
    assert_eq!(shown[1].1, format!("/app/cart;jsessionid={JSESSIONID}"));
    assert_eq!(shown[2].1, format!("/(S({ASPNET}))/orders/default.aspx"));
    assert_eq!(shown[3].1, format!("/services/{SLACK}"));
}

#[test]
fn sarif_results_carry_the_request_path_and_host_in_their_properties() {
    let dir = tempdir();
    let log = write_log(dir.path());
    let run = scan(["--format", "sarif", log.to_str().unwrap()]);
    run.assert_code(1);
    let sarif: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let mut found: Vec<(String, String)> = results
        .iter()
        .map(|r| {
            let p = &r["properties"];
            (
                p["path"].as_str().unwrap_or("<none>").to_string(),
                p["host"].as_str().unwrap_or("<none>").to_string(),
            )
        })
        .collect();
    found.sort();
    assert!(
        found.contains(&("/bot…saw9/sendMessage".into(), "<none>".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&("/pay".into(), "shop.example".into())),
        "{found:?}"
    );
    assert!(!run.out().contains(TELEGRAM));
}

#[test]
fn the_host_comes_from_the_virtual_host_a_host_header_or_an_absolute_target() {
    let dir = tempdir();
    let key = "d4d3fd81b6ee7b3bb1c863e2601a0042";
    let vhost = write(
        dir.path(),
        "other_vhosts_access.log",
        format!(
            "shop.example:443 203.0.113.7 - - [27/Nov/2026:10:00:00 +0000] \"GET /api/items?api_key={key} HTTP/1.1\" 200 512 \"-\" \"curl/8.5.0\"\n"
        ),
    );
    let absolute = write(
        dir.path(),
        "alb.log",
        format!(
            "https 2026-11-27T10:00:00.186641Z app/shop/490d68edf04676fe 192.0.2.10:44740 10.0.0.1:80 0.086 0.048 0.037 200 200 0 57 \"GET https://api.shop.example:443/v1/items?api_key={key} HTTP/1.1\" \"curl/8.0\" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/t/73e2d6bc24d8a067 \"Root=1-58337281-1d84f3d73c47ec4e58577259\" \"api.shop.example\" \"arn:aws:acm:us-east-2:123456789012:certificate/x\" 1 2026-11-27T10:00:00.100000Z \"forward\" \"-\" \"-\" \"10.0.0.1:80\" \"200\" \"-\" \"-\"\n"
        ),
    );
    let w3c = write(
        dir.path(),
        "u_ex261127.log",
        format!(
            "#Software: Microsoft Internet Information Services 10.0\n#Fields: date time c-ip cs-method cs-uri-stem cs-uri-query sc-status cs(Host)\n2026-11-27 10:00:00 203.0.113.7 GET /api/items api_key={key} 200 intranet.example\n"
        ),
    );
    for (path, host, log_path) in [
        (&vhost, "shop.example", "/api/items"),
        (&absolute, "api.shop.example", "/v1/items"),
        (&w3c, "intranet.example", "/api/items"),
    ] {
        let run = scan(["--format", "jsonl", path.to_str().unwrap()]);
        run.assert_code(1);
        let found = run.findings();
        assert_eq!(found.len(), 1, "{}: {}", path.display(), run.out());
        assert_eq!(found[0]["host"], host, "{}", path.display());
        assert_eq!(found[0]["path"], log_path, "{}", path.display());
    }
}
