//! Options as users spell them: fixed-offset time zones and `--log-type nginx`.

mod common;

use common::*;

const NGINX: &str = "fixtures/nginx/access.log";

#[test]
fn a_fixed_offset_is_a_time_zone() {
    for zone in ["+02:00", "-0530", "UTC", "Europe/Berlin"] {
        let run = scan([
            "--format",
            "jsonl",
            "--timezone",
            zone,
            "--since",
            "2000-01-01",
            NGINX,
        ]);
        run.assert_no_panic().assert_code(1);
        assert_eq!(run.findings().len(), planted_in(NGINX).len(), "{zone}");
    }
    let bad = scan(["--timezone", "+02:75", NGINX]);
    bad.assert_no_panic().assert_code(2);
    assert!(bad.stderr.contains("+02:75"), "{}", bad.stderr);
}

#[test]
fn log_type_nginx_is_combined() {
    let combined = scan_shown(["--log-type", "combined", NGINX]);
    combined.assert_no_panic().assert_code(1);
    let nginx = scan_shown(["--log-type", "nginx", NGINX]);
    nginx.assert_no_panic().assert_code(1);
    assert_eq!(nginx.stdout, combined.stdout);
    assert!(combined
        .findings()
        .iter()
        .all(|f| s(f, "format") == "combined"));
}
