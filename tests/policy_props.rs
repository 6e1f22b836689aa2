//! The credential policy holds for every value of a shape, not for one example (proptest): numbers
//! in any notation, slugs and ids, anti-CSRF tokens by framework, phpMyAdmin tokens wherever
//! phpMyAdmin lives, PrestaShop tokens beside its dispatcher's parameters, replay-cache keys, AWStats trackers and checksummed tokens with a wrong
//! checksum and text after them are never reported, at any confidence; the same values under the
//! same names on an ordinary API request still are, where they look like credentials.

use std::sync::OnceLock;

use logleaks::detect::{Detection, Detector};
use logleaks::logformat::LogType;
use proptest::prelude::*;

fn detector() -> &'static Detector {
    static DETECTOR: OnceLock<Detector> = OnceLock::new();
    DETECTOR.get_or_init(Detector::builtin)
}

fn detections(target: &str, referer: &str) -> Vec<Detection> {
    let line = format!(
        "203.0.113.7 - - [04/Dec/2026:10:00:00 +0000] \"GET {target} HTTP/1.1\" 200 512 \"{referer}\" \"Mozilla/5.0\""
    );
    let mut out = Vec::new();
    detector().scan_line(line.as_bytes(), LogType::Combined, &mut out);
    out
}

fn described(found: &[Detection]) -> Vec<String> {
    found
        .iter()
        .map(|d| {
            format!(
                "{} {:?}",
                d.rule.id,
                d.param.as_deref().map(String::from_utf8_lossy)
            )
        })
        .collect()
}

const NAMES: &[&str] = &[
    "token",
    "key",
    "api_key",
    "access_token",
    "auth_token",
    "secret",
    "sid",
];
const WORDS: &[&str] = &[
    "blue", "widget", "summer", "sale", "garden", "deluxe", "order", "xl", "Promo", "INV",
];

fn number() -> impl Strategy<Value = String> {
    "[-+]?[1-9][0-9]{0,24}(\\.[0-9]{1,12})?([eE][-+]?[0-9]{1,3})?"
}

fn slug() -> impl Strategy<Value = String> {
    (
        prop::collection::vec((0..WORDS.len(), prop::option::of(0u32..100_000)), 2..6),
        prop::sample::select(vec!['-', '_', '.']),
    )
        .prop_map(|(parts, sep)| {
            parts
                .iter()
                .map(|(w, n)| match n {
                    Some(n) if n % 2 == 0 => n.to_string(),
                    _ => WORDS[*w].to_string(),
                })
                .collect::<Vec<_>>()
                .join(&sep.to_string())
        })
}

fn csrf_param() -> impl Strategy<Value = String> {
    prop_oneof![
        "_wpnonce=[0-9a-f]{10}",
        "sesskey=[A-Za-z0-9]{10}",
        "form_key=[A-Za-z0-9]{16}",
        "_token=[A-Za-z0-9]{40}",
        "__RequestVerificationToken=[A-Za-z0-9_-]{60,120}",
        "csrfmiddlewaretoken=[A-Za-z0-9]{64}",
        "authenticity_token=[A-Za-z0-9+/]{86}==",
        "_csrf=[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        "user_token=[0-9a-f]{32}",
        "[0-9a-f]{32}=1",
    ]
}

/// A request target: one of `starts`, then `token=<32 hex>`, then `end`.
fn token_target(starts: Vec<&'static str>, end: &'static str) -> impl Strategy<Value = String> {
    (prop::sample::select(starts), "[0-9a-f]{32}")
        .prop_map(move |(start, token)| format!("{start}token={token}{end}"))
}

fn phpmyadmin_target() -> impl Strategy<Value = String> {
    token_target(
        vec![
            "/phpmyadmin/index.php?route=/server/databases&",
            "/phpMyAdmin/sql.php?db=shop&",
            "/pma/tbl_structure.php?db=shop&table=orders&",
            "/index.php?route=/sql&db=shop&",
            "/tools/db_structure.php?server=1&",
            "/admin/x.php?ajax_request=true&",
        ],
        "&_nocache=1513039515439464004",
    )
}

fn prestashop_target() -> impl Strategy<Value = String> {
    token_target(
        vec![
            "/admin7k2p/index.php?controller=AdminOrders&id_order=12&vieworder&",
            "/admin7k2p/index.php?controller=AdminModules&configure=ps_banner&",
            "/admin7k2p/index.php?ajax=1&tab=AdminAddresses&id_country=8&",
            "/admin7k2p/index.php/sell/orders?_token=q8Zt1XbN3cVd5FgH7jKl9MnP0rS2uW4yA6eI8oU1Tzc&",
            "/index.php?controller=cart&id_product=4&qty=1&",
            "/fr/panier?update=1&id_product=4&id_product_attribute=0&",
        ],
        "",
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn numbers_are_never_credentials(value in number(), name in prop::sample::select(NAMES)) {
        let found = detections(&format!("/webmail/download.php?{name}={value}&part=2"), "-");
        prop_assert!(found.is_empty(), "{value}: {:?}", described(&found));
    }

    #[test]
    fn slugs_and_ids_are_never_credentials(value in slug(), name in prop::sample::select(NAMES)) {
        let found = detections(&format!("/shop/cart?product_{name}={value}&qty=2"), "-");
        prop_assert!(found.is_empty(), "{value}: {:?}", described(&found));
        let found = detections(&format!("/shop/cart?{name}={value}"), "-");
        prop_assert!(found.is_empty(), "{value}: {:?}", described(&found));
    }

    #[test]
    fn csrf_tokens_of_every_framework_are_never_reported(param in csrf_param()) {
        let found = detections(&format!("/account/settings?{param}&save=1"), "-");
        prop_assert!(found.is_empty(), "{param}: {:?}", described(&found));
    }

    #[test]
    fn phpmyadmin_and_prestashop_tokens_are_never_reported_in_requests_or_referers(
        target in prop_oneof![phpmyadmin_target(), prestashop_target()],
    ) {
        prop_assert!(detections(&target, "-").is_empty(), "{target}");
        let referer = format!("https://admin.example.com{target}");
        let found = detections("/themes/default/img/logo.png", &referer);
        prop_assert!(found.is_empty(), "{referer}");
    }

    #[test]
    fn the_same_token_on_an_api_request_is_still_reported(token in "[0-9a-f]{32}") {
        // A random 32-hex value is too regular to pass for a key about once in a few hundred
        // draws (`eadf13a0ea7e70eafffa28eda7dadaf0`: under 3 bits of entropy per character).
        prop_assume!(logleaks::rules::checks::is_credential_like(token.as_bytes()));
        let found = detections(&format!("/api/v2/export?format=csv&token={token}"), "-");
        prop_assert_eq!(described(&found), vec!["generic-credential-param Some(\"token\")".to_string()]);
    }

    #[test]
    fn replay_cache_keys_are_never_reported(
        uuid in "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        consumer in "[A-Za-z0-9]{8,40}",
    ) {
        let found = detections(&format!("/oauth/keymanager/nonce?key={uuid}{consumer}"), "-");
        prop_assert!(found.is_empty(), "{:?}", described(&found));
    }

    #[test]
    fn awstats_trackers_are_never_reported(a in 0u64..10_000_000_000_000, b in 0u32..1_000_000) {
        let found = detections(&format!("/awstats/awstats.pl?config=shop&sid=awssession_id{a}r{b}"), "-");
        prop_assert!(found.is_empty(), "{:?}", described(&found));
    }

    #[test]
    fn tokens_with_a_wrong_checksum_stay_unreported_with_text_after_them(
        prefix in prop::sample::select(vec!["ghp_", "gho_", "ghs_", "npm_"]),
        body in "[A-Za-z0-9]{36}",
        suffix in prop::sample::select(vec![":main", ":1", "/deploy", "@origin"]),
    ) {
        let token = format!("{prefix}{body}");
        prop_assume!(!logleaks::rules::checks::github_checksum_valid(token.as_bytes()));
        let found = detections(&format!("/deploy/hook?token={token}{suffix}"), "-");
        prop_assert!(found.is_empty(), "{:?}", described(&found));
    }
}
